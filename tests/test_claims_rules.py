"""The claims' decision rules of :mod:`synergylib.claims`: known answers, input checks,
reproducibility, and false-positive rates on simulated null tables.

Every story below has a verdict that follows from its construction alone (a pairing
that dominates everywhere, means that are perfectly anti-correlated, restart sets
that are identical within pairings, ...). The null-rate tests apply a rule to at
least 200 tables where its claim is false by construction and check that it says
"holds" at most at ``alpha`` plus two Monte Carlo standard errors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linear_sum_assignment

from synergylib._validation import SynergyInputError
from synergylib.claims import (
    ALPHA,
    ClaimRuleResult,
    claim1_sensitivity,
    claim1_sensitivity_from_dissimilarities,
    claim2_split_half,
    claim2_tradeoff,
    claim3_best_pairing,
    equal_loss_restarts,
    participant_restart_synergies,
    restart_dissimilarities,
    restart_scores,
    rule_error_rates,
    simulate_claim1,
    simulate_claim2,
    simulate_claim3,
    synergy_set_dissimilarity,
)

PAIRINGS = [f"{e}+{d}" for e in ("linear", "relu", "sigmoid", "tanh") for d in ("linear", "relu", "sigmoid", "tanh")]


def max_allowed(n_sim: int, alpha: float = ALPHA) -> float:
    """alpha plus two Monte Carlo standard errors at the nominal rate."""
    return alpha + 2 * np.sqrt(alpha * (1 - alpha) / n_sim)


# --------------------------------------------------------------------------- #
# Equal-loss restarts
# --------------------------------------------------------------------------- #
def test_equal_loss_restarts_known_answer():
    losses = np.array([[1.0, 1.01, 1.0101, 2.0], [0.5, np.nan, 0.504, 0.506]])
    mask = equal_loss_restarts(losses)
    assert mask.tolist() == [[True, True, False, False], [True, False, True, False]]
    assert equal_loss_restarts(losses[0], tolerance=0.0).tolist() == [True, False, False, False]
    assert equal_loss_restarts(losses[0], tolerance=1.5).all()


@pytest.mark.parametrize(
    "losses, tolerance",
    [([1.0, -0.1], 0.01), ([1.0, 2.0], -0.01), ([[np.nan, np.nan]], 0.01), ([1.0, np.inf], 0.01),
     (np.ones((2, 2, 2)), 0.01), ([1.0], True)],
)
def test_equal_loss_restarts_bad_input(losses, tolerance):
    with pytest.raises(SynergyInputError):
        equal_loss_restarts(losses, tolerance)


# --------------------------------------------------------------------------- #
# Dissimilarity of synergy sets
# --------------------------------------------------------------------------- #
def test_dissimilarity_ignores_sign_flips_and_permutations():
    rng = np.random.default_rng(0)
    W = rng.random((16, 4))
    flipped = (W * np.array([1, -1, -1, 1]))[:, [2, 0, 3, 1]] * 3.0
    assert synergy_set_dissimilarity(W, flipped) == pytest.approx(0.0, abs=1e-12)
    assert synergy_set_dissimilarity(W, flipped, sign_invariant=False) > 0.2
    assert synergy_set_dissimilarity(np.eye(4)[:, :2], np.eye(4)[:, 2:]) == pytest.approx(1.0)


def test_dissimilarity_bad_input():
    with pytest.raises(SynergyInputError):
        synergy_set_dissimilarity(np.ones((4, 2)), np.ones((5, 2)))
    with pytest.raises(SynergyInputError):
        synergy_set_dissimilarity(np.ones(4), np.ones((4, 2)))
    with pytest.raises(SynergyInputError):
        synergy_set_dissimilarity(np.full((4, 2), np.nan), np.ones((4, 2)))


@pytest.mark.parametrize("N", [1, 3, 6, 8])
def test_restart_dissimilarities_match_hungarian(N):
    rng = np.random.default_rng(N)
    sets = {"a": [rng.standard_normal((16, N)) for _ in range(3)], "b": [rng.standard_normal((16, N))]}
    D, labels = restart_dissimilarities(sets)
    Ws = sets["a"] + sets["b"]
    assert labels.tolist() == ["a", "a", "a", "b"]
    for i in range(4):
        for j in range(4):
            U, V = (W / np.linalg.norm(W, axis=0) for W in (Ws[i], Ws[j]))
            S = np.abs(U.T @ V)
            r, c = linear_sum_assignment(S, maximize=True)
            assert D[i, j] == pytest.approx(0.0 if i == j else 1 - S[r, c].mean(), abs=1e-12)


def test_restart_dissimilarities_mixed_sizes_and_signed():
    rng = np.random.default_rng(1)
    sets = [[rng.random((6, 2))], [rng.random((6, 3)), rng.random((6, 3))]]
    D, labels = restart_dissimilarities(sets)
    assert D.shape == (3, 3) and labels.tolist() == ["0", "1", "1"]
    assert D[0, 1] == pytest.approx(synergy_set_dissimilarity(sets[0][0], sets[1][0]))
    D_signed, _ = restart_dissimilarities(sets, sign_invariant=False)
    assert D_signed[1, 2] == pytest.approx(synergy_set_dissimilarity(sets[1][0], sets[1][1], sign_invariant=False))


@pytest.mark.parametrize(
    "sets",
    [{"a": [np.ones((4, 2))]}, {"a": [], "b": [np.ones((4, 2))]}, {"a": [np.ones((4, 2))], "b": [np.ones((5, 2))]}],
)
def test_restart_dissimilarities_bad_input(sets):
    with pytest.raises(SynergyInputError):
        restart_dissimilarities(sets)


# --------------------------------------------------------------------------- #
# Claim 1
# --------------------------------------------------------------------------- #
def _distinct_pairings(n_participants=6, n_pairings=4, n_restarts=3, seed=0):
    """Restarts identical within each pairing, pairings different from one another."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_participants):
        out.append({f"p{p}": [rng.random((16, 4))] * n_restarts for p in range(n_pairings)})
    return out


def test_claim1_identical_within_different_between_holds():
    res = claim1_sensitivity(_distinct_pairings(), n_permutations=199)
    assert isinstance(res, ClaimRuleResult) and res.claim == 1
    assert res.verdict == "holds" and res.holds
    assert 1 / 64 <= res.pvalue <= 0.05  # sign flips of 6 participants: at best 2**-6
    assert res.details["mean_within"] == pytest.approx(0.0, abs=1e-12)
    assert res.details["mean_between"] > 0 and res.details["share_positive"] == 1.0
    assert res.sizes == {"n_participants": 6, "n_informative": 6, "n_uninformative": 0, "n_pairings": 4,
                         "n_restarts_total": 72, "n_permutations": 199}


def test_claim1_same_sets_in_every_pairing_does_not_hold():
    # Every pairing has the same two restarts A and B: the label says nothing.
    rng = np.random.default_rng(2)
    sets = []
    for _ in range(6):
        A, B = rng.random((16, 4)), rng.random((16, 4))
        sets.append({f"p{p}": [A, B] for p in range(4)})
    res = claim1_sensitivity(sets, n_permutations=199)
    assert res.verdict == "does not hold"
    assert res.statistic < 0  # between-pairing pairs include the identical copies
    # all restarts identical: T = 0 in every permutation, p = 1
    same = [{f"p{p}": [np.eye(16)[:, :3]] * 2 for p in range(4)}] * 4
    res = claim1_sensitivity(same, n_permutations=99)
    assert res.statistic == pytest.approx(0.0, abs=1e-12) and res.pvalue == 1.0 and not res.holds


def test_claim1_uninformative_participants():
    rng = np.random.default_rng(3)
    singletons = [{f"p{p}": [rng.random((8, 3))] for p in range(4)} for _ in range(3)]
    res = claim1_sensitivity(singletons)
    assert res.verdict == "does not hold" and np.isnan(res.pvalue) and res.sizes["n_informative"] == 0
    mixed = singletons + _distinct_pairings(n_participants=5)
    res = claim1_sensitivity(mixed, n_permutations=999)
    assert res.sizes["n_informative"] == 5 and res.sizes["n_uninformative"] == 3 and res.holds
    # four informative participants can never reach p <= 0.05 (2**-4 = 0.0625)
    res = claim1_sensitivity(_distinct_pairings(n_participants=4), n_permutations=999)
    assert not res.holds and res.pvalue > 0.05


def test_claim1_reproducible():
    Ds, g = simulate_claim1(n_participants=4, n_pairings=5, random_state=7)
    a = claim1_sensitivity_from_dissimilarities(Ds, g, random_state=11)
    b = claim1_sensitivity_from_dissimilarities(Ds, g, random_state=11)
    assert a == b
    Ds2, g2 = simulate_claim1(n_participants=4, n_pairings=5, random_state=7)
    assert all(np.array_equal(x, y) for x, y in zip(Ds, Ds2)) and all(np.array_equal(x, y) for x, y in zip(g, g2))


@pytest.mark.parametrize(
    "D, labels, kwargs",
    [
        ([np.zeros((3, 4))], [["a", "a", "b"]], {}),
        ([np.array([[0, 1.0], [2.0, 0]])], [["a", "b"]], {}),
        ([np.zeros((3, 3))], [["a", "b"]], {}),
        ([np.zeros((3, 3))], [], {}),
        ([], [], {}),
        ([np.zeros((3, 3))], [["a", "a", "b"]], {"n_permutations": 0}),
        ([np.zeros((3, 3))], [["a", "a", "b"]], {"alpha": 1.5}),
        ([np.zeros((3, 3))], [["a", "a", "b"]], {"random_state": -1}),
        ([np.zeros((3, 3))], [["a", "a", "b"]], {"random_state": 1.5}),
        ([np.full((3, 3), np.nan)], [["a", "a", "b"]], {}),
    ],
)
def test_claim1_bad_input(D, labels, kwargs):
    with pytest.raises(SynergyInputError):
        claim1_sensitivity_from_dissimilarities(D, labels, **kwargs)


@pytest.mark.parametrize("unequal_spread", [False, True])
def test_claim1_null_rate_200_simulations(unequal_spread):
    """Restarts relabelled as pairings, or pairings differing only in their restarts'
    spread: 'holds' at most alpha + 2 MC SE of 200 tables."""
    rng = np.random.default_rng(2025)
    n_sim, holds = 200, 0
    for k in range(n_sim):
        Ds, labels = [], []
        for _ in range(15):  # 15 participants, 4 pairings, 1-4 equal-loss restarts each
            sizes = rng.integers(1, 5, size=4)
            scale = rng.uniform(0.2, 3.0, size=4) if unequal_spread else np.ones(4)
            X = rng.standard_normal((sizes.sum(), 3)) * np.repeat(scale, sizes)[:, None]  # one centre
            Ds.append(np.linalg.norm(X[:, None] - X[None], axis=-1))
            labels.append(np.repeat(np.arange(4), sizes))
        holds += claim1_sensitivity_from_dissimilarities(Ds, labels, n_permutations=199, random_state=k).holds
    assert holds / n_sim <= max_allowed(n_sim)


def test_claim1_detects_a_shift():
    Ds, g = simulate_claim1(effect=0.5, n_participants=8, n_pairings=6, random_state=3)
    res = claim1_sensitivity_from_dissimilarities(Ds, g, n_permutations=999)
    assert res.holds and res.details["mean_between"] > res.details["mean_within"]


# --------------------------------------------------------------------------- #
# Claim 2
# --------------------------------------------------------------------------- #
def _means_table(recon_means, interp_means, noise=0.01, n=15, seed=0):
    rng = np.random.default_rng(seed)
    P = len(recon_means)
    return (np.asarray(recon_means) + noise * rng.standard_normal((n, P)),
            np.asarray(interp_means) + noise * rng.standard_normal((n, P)))


def test_claim2_perfectly_anticorrelated_holds_correlated_does_not():
    base = np.linspace(0.5, 0.9, 16)
    R, I = _means_table(base, base[::-1])
    res = claim2_tradeoff(R, I, n_bootstrap=500, n_permutations=2000)
    assert res.holds and res.statistic == pytest.approx(-1.0)
    lo, hi = res.interval
    assert lo <= res.statistic <= hi < 0
    assert res.pvalue == pytest.approx(1 / 2001)
    assert res.sizes == {"n_participants": 15, "n_pairings": 16, "n_bootstrap": 500, "n_permutations": 2000}
    R, I = _means_table(base, base)
    res = claim2_tradeoff(R, I, n_bootstrap=500, n_permutations=2000)
    assert not res.holds and res.statistic == pytest.approx(1.0) and res.interval[0] > 0


def test_claim2_needs_both_conditions():
    # No relation among 16 pairings with a random ranking: not a trade-off.
    rng = np.random.default_rng(5)
    base = np.linspace(0.5, 0.9, 16)
    R, I = _means_table(base, rng.permutation(base), noise=0.001)
    res = claim2_tradeoff(R, I, n_bootstrap=500, n_permutations=2000)
    assert res.details["interval_below_zero"] == (res.interval[1] < 0)
    assert res.holds == (res.details["interval_below_zero"] and res.details["permutation_significant"])
    # Equal means, pure noise: the participant bootstrap does not see a relation.
    R = 0.8 + 0.03 * rng.standard_normal((15, 16))
    I = 0.5 + 0.1 * rng.standard_normal((15, 16))
    assert not claim2_tradeoff(R, I, n_bootstrap=500, n_permutations=999, random_state=1).holds


def test_claim2_reproducible():
    R, I = simulate_claim2(kind="tradeoff", effect=-0.6, random_state=4)
    R2, I2 = simulate_claim2(kind="tradeoff", effect=-0.6, random_state=4)
    assert np.array_equal(R, R2) and np.array_equal(I, I2)
    assert claim2_tradeoff(R, I, random_state=3) == claim2_tradeoff(R, I, random_state=3)
    assert claim2_split_half(R, I, random_state=3) == claim2_split_half(R, I, random_state=3)


@pytest.mark.parametrize(
    "R, I, kwargs",
    [
        (np.ones((15, 16)), np.ones((15, 15)), {}),
        (np.ones((2, 16)), np.ones((2, 16)), {}),
        (np.ones((15, 3)), np.ones((15, 3)), {}),
        (np.ones(16), np.ones(16), {}),
        (np.full((15, 16), np.nan), np.ones((15, 16)), {}),
        (np.ones((15, 16)), np.ones((15, 16)), {"confidence": 1.0}),
        (np.ones((15, 16)), np.ones((15, 16)), {"n_bootstrap": 10}),
        (np.ones((15, 16)), np.ones((15, 16)), {"alpha": 0}),
    ],
)
def test_claim2_bad_input(R, I, kwargs):
    with pytest.raises(SynergyInputError):
        claim2_tradeoff(R, I, **kwargs)


def test_claim2_split_half_known_answers():
    base = np.linspace(0.5, 0.9, 16)
    R, I = _means_table(base, base[::-1], noise=0.02)
    res = claim2_split_half(R, I)
    assert res.holds and res.sizes["n_selection"] == 7 and res.sizes["n_test"] == 8
    R, I = _means_table(base, base, noise=0.02)
    res = claim2_split_half(R, I)  # the same pairing wins both: not a trade-off
    assert not res.holds and res.pvalue == 1.0
    with pytest.raises(SynergyInputError):
        claim2_split_half(R[:5], I[:5])


def test_claim2_null_rate_200_simulations():
    """Pairing means independent of each other: 'holds' at most alpha + 2 MC SE of 200 tables."""
    n_sim = 200
    holds = sum(
        claim2_tradeoff(*simulate_claim2(kind="independent", random_state=k), n_bootstrap=200,
                        n_permutations=499, random_state=k).holds
        for k in range(n_sim)
    )
    assert holds / n_sim <= max_allowed(n_sim)


# --------------------------------------------------------------------------- #
# Claim 3
# --------------------------------------------------------------------------- #
def _claim3_table(claimed_mean, n=15, seed=0, ragged=True):
    rng = np.random.default_rng(seed)
    mu = np.linspace(0.3, 0.6, 16)
    mu[PAIRINGS.index("relu+tanh")] = claimed_mean
    S = mu[None, :, None] + 0.02 * rng.standard_normal((n, 16, 10))
    if ragged:
        keep = np.arange(10)[None, None, :] < rng.integers(1, 11, size=(n, 16))[..., None]
        S[~keep] = np.nan
    return S


def test_claim3_dominates_everywhere_holds():
    res = claim3_best_pairing(_claim3_table(0.9), PAIRINGS, n_bootstrap=500)
    assert res.holds and res.claim == 3
    assert res.details["prob_first"] == 1.0 and res.details["rank"] == 1
    assert res.details["runner_up"] == PAIRINGS[-1]  # largest of the linspace
    assert res.pvalue == pytest.approx(0.5 ** 15)  # exact one-sided Wilcoxon, all 15 differences positive
    assert res.details["rank_reverse"] == 17 - PAIRINGS.index("tanh+relu")


def test_claim3_last_does_not_hold():
    res = claim3_best_pairing(_claim3_table(0.1), PAIRINGS, n_bootstrap=500)
    assert not res.holds and res.details["prob_first"] == 0.0 and res.details["rank"] == 16
    assert res.statistic < 0


def test_claim3_tied_with_runner_up_does_not_hold():
    S = _claim3_table(0.9, ragged=False)
    S[:, PAIRINGS.index("tanh+tanh")] = S[:, PAIRINGS.index("relu+tanh")]
    res = claim3_best_pairing(S, PAIRINGS, n_bootstrap=500)
    assert not res.holds and res.pvalue == 1.0 and res.details["runner_up"] == "tanh+tanh"


def test_claim3_significant_but_rarely_first_does_not_hold():
    # relu+tanh beats the runner-up by a hair in 14 participants and loses by a lot in
    # one: the signed-rank test is significant, but its mean is lower, and it ranks
    # first only in resamples that leave that participant out (about (14/15)**15).
    S = _claim3_table(0.9, ragged=False)[:, :, :1]
    c, q = PAIRINGS.index("relu+tanh"), PAIRINGS.index("tanh+tanh")
    S[:, q, 0] = S[:, c, 0] - 0.01
    S[14, q, 0] = S[14, c, 0] + 1.0
    res = claim3_best_pairing(S, PAIRINGS, n_bootstrap=2000)
    assert res.details["test_significant"] and res.details["runner_up"] == "tanh+tanh"
    assert 0.25 < res.details["prob_first"] < 0.5 and not res.holds
    assert claim3_best_pairing(S, PAIRINGS, n_bootstrap=2000, min_prob_first=0.25).holds


def test_claim3_two_dimensional_scores_and_reproducible():
    S = _claim3_table(0.9, ragged=False)[:, :, 0]
    a = claim3_best_pairing(S, PAIRINGS, random_state=2)
    assert a == claim3_best_pairing(S, PAIRINGS, random_state=2)
    assert a.sizes["n_restarts_max"] == 1 and a.holds
    T, names = simulate_claim3(kind="true", random_state=9)
    T2, _ = simulate_claim3(kind="true", random_state=9)
    assert names == PAIRINGS and np.array_equal(T, T2, equal_nan=True)


@pytest.mark.parametrize(
    "S, names, kwargs",
    [
        (np.ones((15, 16, 3)), PAIRINGS[:15], {}),
        (np.ones((15, 16, 3)), PAIRINGS[:15] + PAIRINGS[:1], {}),
        (np.ones((15, 16, 3)), PAIRINGS, {"claimed": "relu+swish"}),
        (np.ones((2, 16, 3)), PAIRINGS, {}),
        (np.ones(16), PAIRINGS, {}),
        (np.ones((15, 16, 3)), PAIRINGS, {"min_prob_first": 1.5}),
        (np.ones((15, 16, 3)), PAIRINGS, {"n_bootstrap": 5}),
        (np.where(np.arange(3) < 3, np.nan, 1.0) * np.ones((15, 16, 3)), PAIRINGS, {}),
        (np.full((15, 16, 3), np.inf), PAIRINGS, {}),
    ],
)
def test_claim3_bad_input(S, names, kwargs):
    with pytest.raises(SynergyInputError):
        claim3_best_pairing(S, names, **kwargs)


def test_claim3_null_rate_200_simulations():
    """relu+tanh tied with one other pairing at the top (the least favourable null)."""
    n_sim = 200
    holds = sum(
        claim3_best_pairing(*simulate_claim3(kind="tied_top", random_state=k), n_bootstrap=200, random_state=k).holds
        for k in range(n_sim)
    )
    assert holds / n_sim <= max_allowed(n_sim)


# --------------------------------------------------------------------------- #
# Simulators and error rates
# --------------------------------------------------------------------------- #
def test_rule_error_rates_table_and_reproducibility():
    kw = dict(n_simulations=30, rule_options={"n_bootstrap": 200}, random_state=5)
    a = rule_error_rates(3, **kw)
    b = rule_error_rates(3, **kw)
    cols = ["claim", "rule", "scenario", "claim_true", "effect", "n_simulations", "rate_holds", "mc_se",
            "within_nominal"]
    assert list(a.columns) == cols + ["runtime_s"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    assert a["scenario"].tolist() == ["exchangeable", "tied_top", "true"]
    assert a.loc[2, "effect"] == 0.1 and a.loc[2, "within_nominal"] is None
    p = a["rate_holds"].to_numpy()
    assert np.allclose(a["mc_se"], np.sqrt(p * (1 - p) / 30))


def test_rule_error_rates_claims_1_and_2_small():
    r1 = rule_error_rates(1, n_simulations=3, effect=1.0, rule_options={"n_permutations": 999},
                          simulation_options={"n_participants": 6, "n_pairings": 3})
    assert r1["scenario"].tolist() == ["relabelled restarts", "unequal spread", "true"]
    assert r1.loc[2, "rate_holds"] == 1.0
    r2 = rule_error_rates(2, n_simulations=5, nulls=["exchangeable"], variant="split_half")
    assert r2["rule"].tolist() == ["claim2_split_half"] * 2


@pytest.mark.parametrize(
    "kwargs",
    [{"claim": 4}, {"claim": 2, "nulls": ["tied_top"]}, {"claim": 3, "variant": "split_half"},
     {"claim": 2, "variant": "other"}, {"claim": 1, "n_simulations": 0}],
)
def test_rule_error_rates_bad_input(kwargs):
    with pytest.raises(SynergyInputError):
        rule_error_rates(**kwargs)


@pytest.mark.parametrize(
    "fn, kwargs",
    [(simulate_claim2, {"kind": "other"}), (simulate_claim3, {"kind": "other"}),
     (simulate_claim3, {"claimed": "relu+swish"}), (simulate_claim1, {"n_synergies": (5, 3)}),
     (simulate_claim1, {"effect": -1.0}), (simulate_claim2, {"effect": 2.0})],
)
def test_simulators_bad_input(fn, kwargs):
    with pytest.raises(SynergyInputError):
        fn(**kwargs)


def test_simulate_claim2_zero_rank_is_exactly_zero():
    R, I = simulate_claim2(kind="zero_rank", noise_reconstruction=0.0, noise_interpretability=0.0, random_state=1)
    from scipy.stats import spearmanr

    assert spearmanr(R.mean(axis=0), I.mean(axis=0)).statistic == pytest.approx(0.0, abs=1e-12)


# --------------------------------------------------------------------------- #
# From a study's result
# --------------------------------------------------------------------------- #
class _Model:
    def __init__(self, W):
        self.synergies_ = W


class _FakeResult:
    """The three things the helpers read from a ParticipantResult."""

    def __init__(self, seed=0):
        rng = np.random.default_rng(seed)
        self.pairings = ("relu+tanh", "linear+linear")
        self.ae_restart_losses = np.array([[1.0, 1.005, 1.5, 0.999], [2.0, 2.1, 2.01, 2.03]])
        self.W = rng.random((2, 4, 16, 3))
        self.true_synergies = rng.random((16, 3))

    def pairing_index(self, name):
        return self.pairings.index(name)

    def model(self, name, restart):
        return _Model(self.W[self.pairing_index(name), restart])


def test_participant_restart_synergies_and_scores():
    res = _FakeResult()
    sets = participant_restart_synergies(res)
    assert list(sets) == ["relu+tanh", "linear+linear"]
    assert [len(v) for v in sets.values()] == [3, 2]
    assert np.array_equal(sets["relu+tanh"][0], res.W[0, 3])  # best restart first
    assert np.array_equal(sets["linear+linear"][1], res.W[1, 2])
    scores = restart_scores([res, _FakeResult(1)], lambda r, W: float(W.sum()))
    assert scores.shape == (2, 2, 4)
    assert np.isnan(scores[0, 0, 3]) and scores[0, 0, 0] == pytest.approx(res.W[0, 3].sum())
    with pytest.raises(SynergyInputError):
        restart_scores([], lambda r, W: 0.0)


def test_kept_restart_typicality_known_answers():
    from synergylib.claims import kept_restart_typicality

    nan = np.nan
    scores = np.array([
        [[0.5, 0.4, 0.6, nan], [0.9, 0.1, 0.2, 0.3], [0.7, nan, nan, nan]],
        [[0.5, 0.5, nan, nan], [0.2, 0.1, 0.3, nan], [0.7, 0.7, nan, nan]],
    ])
    table = kept_restart_typicality(scores, ["a", "b", "c"])
    assert table.loc["a", "n_sets"] == 2 and table.loc["a", "share_typical"] == 1.0
    assert table.loc["b", "share_typical"] == 0.5        # 0.9 far above its set, 0.2 central
    assert table.loc["b", "mean_range"] == pytest.approx((0.8 + 0.2) / 2)
    assert table.loc["c", "n_sets"] == 1                # a set of one is not a set
    assert table.loc["a", "mean_set_size"] == pytest.approx(2.5)
    assert table.loc["b", "mean_kept_minus_median"] == pytest.approx(((0.9 - 0.25) + 0.0) / 2)
    with pytest.raises(SynergyInputError, match="kept restart"):
        kept_restart_typicality(np.full((1, 1, 2), nan))
    with pytest.raises(SynergyInputError, match="pairing names"):
        kept_restart_typicality(scores, ["a"])


# --------------------------------------------------------------------------- #
# The three rules on a study's results
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def study_results():
    """Three clean-generator participants, four pairings, three short restarts each."""
    from synergylib.comparison import metrics_table
    from synergylib.study import AutoencoderConfig, StudyConfig, run_study

    config = StudyConfig(
        n_participants=3, generator="clean", dataset={"n_repetitions": 3}, n_max=4, nmf_restarts=1,
        nmf_max_iter=300,
        autoencoder=AutoencoderConfig(n_restarts=3, max_epochs=30, pairings=(
            ("linear", "linear"), ("relu", "tanh"), ("tanh", "relu"), ("sigmoid", "sigmoid"))),
    )
    results = run_study(config, progress=False)
    return results, metrics_table(results)


def test_evaluate_rules_applies_each_rule_to_the_study(study_results):
    from synergylib.claims import evaluate_rules, restart_score

    results, table = study_results
    shuffled = table.sample(frac=1.0, random_state=1)  # row order must not matter
    out = evaluate_rules(results, shuffled, n_permutations=199, n_bootstrap=200, random_state=4)
    assert list(out["claim"]) == [1, 2, 3]
    assert set(out["verdict"]) <= {"holds", "does not hold"}
    seeds = [int(s) for s in np.random.SeedSequence(4).generate_state(3)]
    pairings = ["linear+linear", "relu+tanh", "tanh+relu", "sigmoid+sigmoid"]
    # claim 2: the rule on the pivoted table, participants in the results' order
    R = np.array([[table[(table.participant == r.index) & (table.model == p)]["r2_test"].item()
                   for p in pairings] for r in results])
    I = np.array([[table[(table.participant == r.index) & (table.model == p)]["true_mean_cosine"].item()
                   for p in pairings] for r in results])
    expected2 = claim2_tradeoff(R, I, n_bootstrap=200, n_permutations=199, random_state=seeds[1])
    assert out.loc[1, "statistic"] == expected2.statistic and out.loc[1, "interval"] == expected2.interval
    # claim 3: every equal-loss restart scored against the truth, the kept (best) restart first
    S = restart_scores(results, restart_score("true_mean_cosine"), pairings=pairings)
    expected3 = claim3_best_pairing(S, pairings, n_bootstrap=200, random_state=seeds[2])
    assert out.loc[2, "pvalue"] == expected3.pvalue
    assert out.loc[2, "result"].details["prob_first"] == expected3.details["prob_first"]
    kept = table.set_index(["participant", "model"])["true_mean_cosine"]
    for i, r in enumerate(results):
        for p, name in enumerate(pairings):
            assert np.isclose(S[i, p, 0], kept[(r.index, name)])
    # claim 1: the sign-flip test on the same participants' equal-loss synergies
    sets = [participant_restart_synergies(r, pairings=pairings) for r in results]
    expected1 = claim1_sensitivity(sets, n_permutations=199, random_state=seeds[0])
    assert np.isclose(out.loc[0, "statistic"], expected1.statistic, rtol=1e-12, atol=0)
    assert out.loc[0, "pvalue"] == expected1.pvalue
    assert f"{expected1.pvalue:.2g}" in out.loc[0, "evidence"]


def test_evaluate_rules_refuses_what_it_cannot_judge(study_results):
    from synergylib.claims import evaluate_rules

    results, table = study_results
    with pytest.raises(SynergyInputError, match="scored on"):
        evaluate_rules(results, table, interpretability="negative_mass_share")
    with pytest.raises(SynergyInputError, match="same participants"):
        evaluate_rules(results[:2], table)
    with pytest.raises(SynergyInputError, match="claimed pairing"):
        evaluate_rules(results, table, claimed="relu+relu")


def test_evaluate_rules_applies_only_the_rules_asked_for(study_results):
    from synergylib.claims import evaluate_rules

    results, table = study_results
    full = evaluate_rules(results, table, n_permutations=199, n_bootstrap=200, random_state=4)
    some = evaluate_rules(results, table, n_permutations=199, n_bootstrap=200, random_state=4, claims=(3, 2))
    assert list(some["claim"]) == [2, 3]
    assert list(some["verdict"]) == list(full["verdict"][1:])
    assert list(some["pvalue"]) == list(full["pvalue"][1:])


def test_rules_by_reading_is_evaluate_rules_per_similarity(study_results):
    """Each reading's verdicts are evaluate_rules' with that column as the interpretability."""
    from synergylib import comparison_report as report
    from synergylib.claims import evaluate_rules

    results, table = study_results
    readings = ["true_subspace", "ref_mean_abs_cosine"]
    out = report.rules_by_reading(results, table, readings, n_bootstrap=200, n_permutations=199, random_state=3)
    assert list(out["column"]) == readings
    assert list(out["interpretability"]) == [report.metric_label(c) for c in readings]
    for column, row in zip(readings, out.itertuples(index=False)):
        direct = evaluate_rules(results, table, interpretability=column, n_bootstrap=200, n_permutations=199,
                                random_state=3, claims=(2, 3)).set_index("claim")["verdict"]
        assert (row[2], row[3]) == (direct[2], direct[3])
        pairs = table[table["model"].str.contains("+", regex=False)]
        assert row[4] == pairs.groupby("model")[column].mean().idxmax()
    with pytest.raises(SynergyInputError, match="not similarity columns"):
        report.rules_by_reading(results, table, ["r2_test"])


def test_rule_choices_read_the_rules_signature():
    import inspect

    from synergylib.claims import CLAIMED_BEST, evaluate_rules, rule_choices

    table = rule_choices().set_index("parameter")
    defaults = inspect.signature(evaluate_rules).parameters
    for name in ("tolerance", "alpha", "claimed", "n_permutations", "n_bootstrap"):
        assert table.loc[name, "value"] == defaults[name].default
    assert table.loc["claimed", "value"] == CLAIMED_BEST and table.loc["claimed", "source"] == "paper"
    assert rule_choices(n_permutations=99).set_index("parameter").loc["n_permutations", "value"] == 99
    with pytest.raises(SynergyInputError, match="not arguments of the rules"):
        rule_choices(min_spread=0.1)


def test_claim1_with_no_equal_loss_restarts_says_it_cannot_test(study_results):
    from synergylib.claims import evaluate_rules

    results, table = study_results
    out = evaluate_rules(results, table, tolerance=0.0, claims=(1,), n_permutations=99)
    row = out.iloc[0]
    assert row["verdict"] == "does not hold"
    assert row["evidence"].startswith("not testable: no participant has two pairings and a pairing")
