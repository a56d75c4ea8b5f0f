"""The claims' verdicts follow the numbers: change the numbers, the verdicts change.

Every test builds a small synthetic metrics table (the columns
:func:`synergylib.comparison.evaluate_claims` needs: ``participant``, ``model``,
``r2_test``, ``true_mean_cosine``) for NMF and a few pairings, 8 participants,
with a known story, and checks the verdict the rules of
:class:`~synergylib.comparison.ClaimCriteria` must give for that story.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.stats  # noqa: F401  (the warning class named in a filter below)

from synergylib._validation import SynergyInputError
from synergylib.comparison import ClaimCriteria, evaluate_claims

N_PARTICIPANTS = 8
PAIRINGS = ("linear+linear", "relu+tanh", "tanh+relu", "sigmoid+sigmoid", "relu+relu")


def make_table(interp: dict[str, float], recon: dict[str, float], *, jitter: float = 0.01, seed: int = 0):
    """Tidy table: per model, the given means plus small participant-level noise.

    The noise is much smaller than the gaps between the means of the stories
    below, so every participant ranks the models the same way.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(N_PARTICIPANTS):
        for model in ("NMF",) + PAIRINGS:
            rows.append(
                {
                    "participant": p,
                    "model": model,
                    "r2_test": recon[model] + jitter * rng.standard_normal(),
                    "true_mean_cosine": interp[model] + jitter * rng.standard_normal(),
                }
            )
    return pd.DataFrame(rows)


# relu+tanh is clearly the most interpretable, linear+linear clearly the best reconstruction.
STORY_INTERP = {
    "NMF": 0.85,
    "linear+linear": 0.45,
    "relu+tanh": 0.90,
    "tanh+relu": 0.60,
    "sigmoid+sigmoid": 0.20,
    "relu+relu": 0.70,
}
STORY_RECON = {
    "NMF": 0.88,
    "linear+linear": 0.95,
    "relu+tanh": 0.80,
    "tanh+relu": 0.75,
    "sigmoid+sigmoid": 0.50,
    "relu+relu": 0.70,
}


def verdicts(table, criteria=None) -> dict[int, str]:
    claims = evaluate_claims(table, criteria or ClaimCriteria())
    return dict(zip(claims["claim"], claims["verdict"]))


def test_story_of_the_paper_every_claim_holds():
    v = verdicts(make_table(STORY_INTERP, STORY_RECON))
    assert v == {1: "holds", 2: "holds", 3: "holds"}


def test_output_columns_and_rows():
    claims = evaluate_claims(make_table(STORY_INTERP, STORY_RECON))
    assert list(claims.columns) == ["claim", "statement", "rule", "evidence", "verdict"]
    assert list(claims["claim"]) == [1, 2, 3]
    # the evidence names the pairings the rules picked
    assert "best reconstruction: linear+linear" in claims.loc[1, "evidence"]
    assert "most interpretable: relu+tanh" in claims.loc[1, "evidence"]


def test_another_pairing_clearly_best_claim3_does_not_hold():
    interp = dict(STORY_INTERP, **{"sigmoid+sigmoid": 0.97})
    v = verdicts(make_table(interp, STORY_RECON))
    assert v[3] == "does not hold"
    # sigmoid+sigmoid is now the most interpretable and still not the best reconstruction
    assert v[2] == "holds"


def test_another_pairing_best_by_a_hair_claim3_partly():
    # tanh+relu beats relu+tanh on average, but not consistently across participants:
    # relu+tanh is not significantly worse than the best.
    table = make_table(STORY_INTERP, STORY_RECON)
    base = table.loc[table["model"] == "relu+tanh", "true_mean_cosine"].to_numpy()
    wobble = np.array([0.03, -0.02, 0.03, -0.02, 0.03, -0.02, 0.03, -0.02])  # mean +0.005
    table.loc[table["model"] == "tanh+relu", "true_mean_cosine"] = base + wobble
    claims = evaluate_claims(table)
    assert "best: tanh+relu" in claims.loc[2, "evidence"]
    assert claims.loc[2, "verdict"] == "partly"


@pytest.mark.filterwarnings("ignore::scipy.stats.ConstantInputWarning")  # Spearman of equal means
def test_all_pairings_equal_claim1_does_not_hold():
    interp = {m: 0.6 for m in STORY_INTERP}
    v = verdicts(make_table(interp, STORY_RECON, jitter=0.0))
    assert v[1] == "does not hold"


def test_claim1_needs_a_consistent_ranking():
    # large spread of the means, but each participant ranks the pairings at random
    rng = np.random.default_rng(1)
    table = make_table(STORY_INTERP, STORY_RECON)
    table["true_mean_cosine"] = rng.uniform(0.0, 1.0, len(table))
    for p in range(N_PARTICIPANTS):  # the same multiset of values, shuffled per participant
        rows = table.index[(table["participant"] == p) & (table["model"] != "NMF")]
        table.loc[rows, "true_mean_cosine"] = rng.permutation(np.linspace(0.1, 0.9, len(rows)))
    claims = evaluate_claims(table)
    assert claims.loc[0, "verdict"] == "does not hold"
    assert "Friedman" in claims.loc[0, "evidence"]


def test_claim1_holds_with_large_spread_and_consistent_ranking():
    v = verdicts(make_table(STORY_INTERP, STORY_RECON))
    assert v[1] == "holds"
    # ... and no longer when the spread requirement exceeds the spread (0.70 here)
    v = verdicts(make_table(STORY_INTERP, STORY_RECON), ClaimCriteria(min_spread=0.8))
    assert v[1] == "does not hold"


def test_claim1_consistent_but_tiny_spread_does_not_hold():
    # every participant ranks the pairings the same way, but the means span only 0.02
    interp = {m: 0.6 + 0.005 * i for i, m in enumerate(STORY_INTERP)}
    v = verdicts(make_table(interp, STORY_RECON, jitter=0.0001))
    assert v[1] == "does not hold"
    v = verdicts(make_table(interp, STORY_RECON, jitter=0.0001), ClaimCriteria(min_spread=0.01))
    assert v[1] == "holds"


def test_same_pairing_best_at_both_claim2_does_not_hold():
    recon = dict(STORY_RECON, **{"relu+tanh": 0.99})
    v = verdicts(make_table(STORY_INTERP, recon))
    assert v[2] == "does not hold"
    assert v[3] == "holds"


def test_nmf_is_not_a_contestant():
    # NMF far above every pairing in interpretability does not change who is "best"
    interp = dict(STORY_INTERP, NMF=1.5)
    assert verdicts(make_table(interp, STORY_RECON))[3] == "holds"


def test_lower_is_better_metrics_are_oriented():
    # negative mass share: lower is better, so the pairing with the LOWEST value wins
    table = make_table(STORY_INTERP, STORY_RECON)
    table["negative_mass_share"] = 1.0 - table["true_mean_cosine"]
    v = verdicts(table, ClaimCriteria(interpretability="negative_mass_share"))
    assert v[3] == "holds"


def test_verdicts_can_change_with_alpha():
    # with 8 participants the smallest two-sided exact Wilcoxon p-value is 2/256
    table = make_table(dict(STORY_INTERP, **{"sigmoid+sigmoid": 0.97}), STORY_RECON)
    assert verdicts(table)[3] == "does not hold"
    assert verdicts(table, ClaimCriteria(alpha=0.005))[3] == "partly"


def test_missing_metric_or_too_few_participants_is_an_error():
    table = make_table(STORY_INTERP, STORY_RECON)
    with pytest.raises(SynergyInputError, match="not available"):
        evaluate_claims(table.drop(columns="true_mean_cosine"))
    with pytest.raises(SynergyInputError, match="participants"):
        evaluate_claims(table[table["participant"] < 2])
    with pytest.raises(SynergyInputError, match="claimed_best"):
        evaluate_claims(table, ClaimCriteria(claimed_best="tanh+tanh"))
