"""Known answers for the long-table helpers of synergylib.comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.stats as ss

from synergylib._validation import SynergyInputError
from synergylib.comparison import model_statistics, summary_table


def long_table(scores: np.ndarray, models: list[str], metric: str = "r2_test") -> pd.DataFrame:
    """Long table (one row per participant and model) from a (participants, models) matrix,
    rows shuffled so that nothing can rely on their order."""
    rows = [
        {"participant": i, "model": m, metric: scores[i, j]}
        for i in range(scores.shape[0])
        for j, m in enumerate(models)
    ]
    table = pd.DataFrame(rows)
    order = np.random.default_rng(0).permutation(len(table))
    return table.iloc[order].reset_index(drop=True)


def test_summary_table_known_means_and_sds_in_first_appearance_order():
    table = pd.DataFrame({
        "participant": [0, 0, 1, 1, 2, 2],
        "model": ["relu+tanh", "NMF"] * 3,  # not alphabetical: the order must be kept
        "r2_test": [0.5, 0.8, 0.7, 0.9, 0.9, 1.0],
        "true_mean_cosine": [0.2, 0.1, 0.4, 0.3, 0.6, 0.5],
    })
    out = summary_table(table, ["r2_test", "true_mean_cosine", "not_a_column"])
    assert list(out.index) == ["relu+tanh", "NMF"]
    assert list(out.columns.get_level_values(0).unique()) == ["r2_test", "true_mean_cosine"]
    assert out.loc["NMF", ("r2_test", "mean")] == pytest.approx(0.9)
    assert out.loc["NMF", ("r2_test", "sd")] == pytest.approx(0.1)  # ddof = 1
    assert out.loc["relu+tanh", ("r2_test", "mean")] == pytest.approx(0.7)
    assert out.loc["relu+tanh", ("r2_test", "sd")] == pytest.approx(0.2)
    assert out.loc["relu+tanh", ("true_mean_cosine", "mean")] == pytest.approx(0.4)


def test_model_statistics_pivots_by_participant_and_model():
    rng = np.random.default_rng(3)
    models = ["NMF", "a+b", "c+d", "e+f"]
    scores = rng.normal(size=(9, 4)) + np.array([0.0, 1.0, 2.0, 3.0])
    friedman, pairwise = model_statistics(long_table(scores, models), "r2_test")
    reference = ss.friedmanchisquare(*scores.T)
    assert friedman["statistic"] == pytest.approx(reference.statistic)
    assert friedman["pvalue"] == pytest.approx(reference.pvalue)
    assert len(pairwise) == 6  # every pair of 4 models
    # the default model order is that of first appearance in the (shuffled) table
    pair = pairwise[pairwise[["method_a", "method_b"]].apply(set, axis=1) == {"a+b", "e+f"}]
    assert len(pair) == 1
    row = pair.iloc[0]
    a, b = models.index(row["method_a"]), models.index(row["method_b"])
    assert row["pvalue"] == pytest.approx(ss.wilcoxon(scores[:, a], scores[:, b]).pvalue)
    assert row["median_difference"] == pytest.approx(np.median(scores[:, a] - scores[:, b]))


def test_model_statistics_subset_and_reference():
    rng = np.random.default_rng(4)
    models = ["NMF", "a+b", "c+d", "e+f"]
    scores = rng.normal(size=(8, 4))
    table = long_table(scores, models)
    friedman, pairwise = model_statistics(table, "r2_test", models=["c+d", "a+b", "e+f"],
                                          reference="e+f")
    assert friedman["statistic"] == pytest.approx(
        ss.friedmanchisquare(scores[:, 2], scores[:, 1], scores[:, 3]).statistic)
    assert list(pairwise["method_a"]) == ["e+f", "e+f"]
    assert list(pairwise["method_b"]) == ["c+d", "a+b"]
    raw = pairwise["pvalue"].to_numpy()
    # Holm over a family of two: the smaller p doubled, the larger kept at least that
    smaller, larger = np.sort(raw)
    adjusted = np.sort(pairwise["pvalue_adjusted"].to_numpy())
    assert adjusted[0] == pytest.approx(min(1.0, 2 * smaller))
    assert adjusted[1] == pytest.approx(max(min(1.0, 2 * smaller), larger))


def test_model_statistics_names_unknown_metrics_and_models():
    table = long_table(np.arange(12.0).reshape(4, 3), ["NMF", "a+b", "c+d"])
    with pytest.raises(SynergyInputError, match="Unknown metric 'vaf_test'"):
        model_statistics(table, "vaf_test")
    with pytest.raises(SynergyInputError, match="models not in the table: \\['x\\+y'\\]"):
        model_statistics(table, "r2_test", models=["NMF", "x+y"])


# ------------------------------------------------- references, symmetric metrics, chance


def _results_with_truth(make_result, n_participants=3, *, flip=False, seed=0):
    """Participants whose data are exactly W_true @ H (rank 3, non-negative); the
    pairing's synergies are the truth with its first column's sign flipped when ``flip``."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n_participants):
        W = rng.random((8, 3)) * (rng.random((8, 3)) < 0.6) + 0.01
        W /= np.linalg.norm(W, axis=0)
        H = rng.random((3, 120))
        W_ae, H_ae = W.copy(), H.copy()
        if flip:
            W_ae[:, 0] *= -1
            H_ae[0] *= -1
        out.append(make_result(W, H, index=i, ae_synergies=W_ae[None], ae_activations=H_ae[None],
                               truth=(W, H)))
    return out


def test_pca_rows_reconstruct_as_well_as_any_rank_n_model(make_result):
    from synergylib.comparison import PCA_LABEL, metrics_table, pairings_of

    results = _results_with_truth(make_result)
    table = metrics_table(results, pca=True)
    assert list(dict.fromkeys(table["model"])) == ["NMF", PCA_LABEL, "relu+tanh"]
    assert pairings_of(table) == ["relu+tanh"]
    pca = table[table["model"] == PCA_LABEL]
    # rank-3 data: three principal axes of the centred data explain all but the mean's direction
    assert (pca["r2_train"] >= table[table["model"] == "NMF"]["r2_train"].to_numpy() - 1e-9).all()
    np.testing.assert_allclose(pca["true_subspace"], 1.0, atol=0.05)  # near the truth's span
    assert (pca["negative_weight_share"] > 0).any()  # signed axes
    assert set(metrics_table(results)["model"]) == {"NMF", "relu+tanh"}  # PCA only when asked


def test_a_sign_flip_costs_the_signed_cosine_but_not_the_symmetric_similarities(make_result):
    from synergylib.comparison import metrics_table

    table = metrics_table(_results_with_truth(make_result, flip=True))
    ae = table[table["model"] == "relu+tanh"]
    assert (ae["true_mean_cosine"] < 0.9).all()  # the flipped synergy scores about -1 or is mismatched
    np.testing.assert_allclose(ae["true_mean_abs_cosine"], 1.0)
    np.testing.assert_allclose(ae["true_subspace"], 1.0)
    np.testing.assert_allclose(ae["r2_train"], 1.0)  # the same model


def test_chance_flags_separate_the_truth_from_random_synergies(make_result):
    from synergylib.comparison import chance_flags, chance_table, metrics_table
    from synergylib.similarity import random_synergies

    results = _results_with_truth(make_result, 4)
    rng = np.random.default_rng(5)
    for res in results:  # the pairing: random non-negative synergies, unrelated to the truth
        res.ae_synergies = random_synergies(8, 3, random_state=rng)[None]
    table = metrics_table(results)
    chance = chance_table(results, n_draws=300)
    assert set(chance["kind"]) == {"nonnegative", "signed"}
    assert len(chance) == 4 * 3 * 2
    assert (chance["q95"] >= chance["mean"]).all()
    flags = chance_flags(table, chance, "true_mean_cosine")
    assert flags.loc["NMF", "within_chance"] == ""  # NMF is the truth here
    assert "nonnegative" in flags.loc["relu+tanh", "within_chance"]
    assert flags.loc["relu+tanh", "share_within_nonnegative"] >= 0.5
    assert flags.loc["NMF", "score"] == pytest.approx(1.0)
    with pytest.raises(SynergyInputError, match="no level"):
        chance_flags(table, chance, "ref_subspace")
    with pytest.raises(SynergyInputError, match="No chance level"):
        chance_table(results, columns=("r2_train",))


def test_typical_participant_takes_the_first_with_the_most_common_n():
    from types import SimpleNamespace as R

    from synergylib.comparison import typical_participant

    results = [R(index=i, n_synergies=n) for i, n in enumerate([6, 5, 4, 5, 6, 5])]
    assert typical_participant(results) == 1
    # a tie between 4 and 6 goes to the smaller N; the order of results decides the participant
    tie = [R(index=7, n_synergies=6), R(index=3, n_synergies=4), R(index=2, n_synergies=4),
           R(index=5, n_synergies=6)]
    assert typical_participant(tie) == 3
    with pytest.raises(SynergyInputError, match="at least one"):
        typical_participant([])
