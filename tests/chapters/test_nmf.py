"""Tests of synergylib.chapters.nmf (tables and figures of the NMF chapter)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from synergylib.chapters import nmf as nr
from synergylib.metrics import match_synergies, r2_score


@pytest.fixture(scope="module")
def nmf_result(make_result):
    """A small result whose NMF is the ground truth itself (some of it, permuted)."""

    def build(index=0, *, n_true=4, n_nmf=None, noise=0.0, seed=0, with_truth=True):
        rng = np.random.default_rng(seed)
        n_muscles, n_samples = 8, 200
        W = rng.uniform(0, 1, (n_muscles, n_true)) * (rng.uniform(size=(n_muscles, n_true)) > 0.4)
        W[np.arange(n_true) % n_muscles, np.arange(n_true)] += 0.5  # no zero column
        W /= np.linalg.norm(W, axis=0)
        H = rng.gamma(2.0, 1.0, (n_true, n_samples))
        X = W @ H + noise * rng.uniform(0, 1, (n_muscles, n_samples))
        n_nmf = n_true if n_nmf is None else n_nmf
        perm = rng.permutation(n_true)[:n_nmf]
        W_nmf, H_nmf = W[:, perm], H[perm]
        X_hat = W_nmf @ H_nmf
        return make_result(
            W_nmf, H_nmf, index=index, X=X, truth=(W, H) if with_truth else None,
            n_values=np.arange(1, 7), nmf_r2_curve=np.array([0.4, 0.78, 0.86, 0.89, 0.95, 0.97]),
            nmf_r2_test=r2_score(X, X_hat, muscle_axis=0) - 0.05, test=X * 1.0,
        )

    return build


# --------------------------------------------------------------------------- #
def test_n_synergies_by_threshold_known_curve(nmf_result):
    a = nmf_result(0)
    b = nmf_result(1)
    b.nmf_r2_curve = np.array([0.5, 0.81, 0.84, 0.85, 0.88, 0.899])
    table = nr.n_synergies_by_threshold([a, b], thresholds=(0.80, 0.85, 0.90))
    assert list(table.index) == [0, 1]
    assert table.loc[0].tolist() == [3, 3, 5]
    assert table.loc[1, 0.80] == 2 and table.loc[1, 0.85] == 4
    assert pd.isna(table.loc[1, 0.90])  # never reached within N <= 6
    assert str(table.dtypes.iloc[0]) == "Int64"


def test_n_synergies_by_threshold_rejects_bad_input(nmf_result):
    with pytest.raises(ValueError, match="empty"):
        nr.n_synergies_by_threshold([])
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        nr.n_synergies_by_threshold([nmf_result()], thresholds=(1.2,))


def test_ground_truth_r2_is_one_without_noise_and_lower_with_noise(nmf_result):
    clean = nmf_result(noise=0.0)
    assert nr.ground_truth_r2(clean) == pytest.approx(1.0, abs=1e-10)
    noisy = nmf_result(noise=0.5)
    r2 = nr.ground_truth_r2(noisy)
    assert 0.0 < r2 < 0.99
    # NNLS is the best non-negative fit: no other non-negative H does better.
    W, X = noisy.true_synergies, noisy.train
    H_lstsq = np.clip(np.linalg.lstsq(W, X, rcond=None)[0], 0, None)
    assert r2 >= r2_score(X, W @ H_lstsq, muscle_axis=0) - 1e-12


def test_ground_truth_r2_errors(nmf_result):
    with pytest.raises(ValueError, match="ground truth"):
        nr.ground_truth_r2(nmf_result(with_truth=False))
    with pytest.raises(ValueError, match="split"):
        nr.ground_truth_r2(nmf_result(), split="valid")


def test_correlation_spectrum_known_answers():
    rng = np.random.default_rng(1)
    independent = rng.standard_normal((4, 20000))
    np.testing.assert_allclose(nr.correlation_spectrum(independent), [0.25, 0.5, 0.75, 1.0], atol=0.02)
    base = rng.standard_normal(500)
    copies = np.stack([base, 2 * base + 1, -base, 3 * base])
    np.testing.assert_allclose(nr.correlation_spectrum(copies), [1, 1, 1, 1], atol=1e-10)
    # two independent pairs of identical signals: two directions
    a, b = rng.standard_normal((2, 20000))
    s = nr.correlation_spectrum(np.stack([a, a, b, b]))
    np.testing.assert_allclose(s[1:], 1.0, atol=0.02)
    assert s[0] == pytest.approx(0.5, abs=0.02)
    with pytest.raises(ValueError, match="constant"):
        nr.correlation_spectrum(np.stack([a, np.ones_like(a)]))


def test_max_offdiagonal_correlation():
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((2, 1000))
    H = np.stack([a, b, a + 0.1 * b])
    expected = np.corrcoef(a, a + 0.1 * b)[0, 1]
    assert nr.max_offdiagonal_correlation(H) == pytest.approx(expected)
    with pytest.raises(ValueError, match="K >= 2"):
        nr.max_offdiagonal_correlation(a[None])


def test_nmf_summary_values(nmf_result):
    exact = nmf_result(0, n_true=4)  # NMF = the ground truth, permuted
    partial = nmf_result(1, n_true=4, n_nmf=2, noise=0.3, seed=3)  # NMF = 2 of the 4 true synergies
    table = nr.nmf_summary([exact, partial])
    assert list(table["participant"]) == [0, 1]
    row = table.iloc[0]
    assert row["true_mean_cosine"] == pytest.approx(1.0)
    assert row["true_share_above"] == 1.0
    assert row["true_mean_activation_correlation"] == pytest.approx(1.0)
    assert row["true_r2_train"] == pytest.approx(1.0)
    assert row["n_true"] == 4 and row["n_synergies"] == 4
    assert row["vaf_minus_r2"] == pytest.approx(row["vaf_train"] - row["r2_train"])
    assert row["r2_gap"] == pytest.approx(0.05)
    # the identity (1 - R2) / (1 - VAF) = sum x^2 / SST holds for the noisy one
    p = table.iloc[1]
    X = partial.train
    ratio = np.sum(X**2) / np.sum((X - X.mean(axis=1, keepdims=True)) ** 2)
    assert (1 - p["r2_train"]) / (1 - p["vaf_train"]) == pytest.approx(ratio)
    assert p["true_mean_cosine"] == pytest.approx(1.0)  # two exact synergies matched
    assert p["true_r2_train"] < 1.0


def test_nmf_summary_without_truth_or_test(nmf_result):
    res = nmf_result(with_truth=False)
    res.nmf_r2_test = None
    table = nr.nmf_summary([res])
    assert np.isnan(table.loc[0, "r2_test"]) and np.isnan(table.loc[0, "true_mean_cosine"])
    assert np.isnan(table.loc[0, "n_true"])


def test_matched_cosine_matrix_marks_unmatched_true_synergies(nmf_result):
    exact = nmf_result(0, n_true=4)
    partial = nmf_result(1, n_true=4, n_nmf=2, seed=3)
    table = nr.matched_cosine_matrix([exact, partial], synergy_names=list("abcd"))
    assert list(table.columns) == list("abcd") and list(table.index) == [0, 1]
    np.testing.assert_allclose(table.loc[0], 1.0)
    assert table.loc[1].notna().sum() == 2
    np.testing.assert_allclose(table.loc[1].dropna(), 1.0)
    summary = nr.nmf_summary([exact, partial])
    np.testing.assert_allclose(table.mean(axis=1), summary["true_mean_cosine"])
    with pytest.raises(ValueError, match="names"):
        nr.matched_cosine_matrix([exact], synergy_names=["a"])


# --------------------------------------------------------------------------- #
def test_label_planes_ticks_and_boundaries():
    fig, axes = plt.subplots(2, 1)
    nr.label_planes(axes, ("a", "b", "c"), n_targets=4)
    for ax in axes:
        assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
        np.testing.assert_allclose(ax.get_xticks(), [2, 6, 10])
        assert sorted(line.get_xdata()[0] for line in ax.lines) == [4, 8]
    plt.close(fig)
    with pytest.raises(ValueError, match="n_targets"):
        nr.label_planes(axes, n_targets=0)


def test_plot_n_choice_counts():
    table = pd.DataFrame({0.8: [3, 3, 2], 0.9: [4, pd.NA, 5]}, dtype="Int64")
    fig, ax = nr.plot_n_choice(table, n_true=6)
    n_axis = ax.get_xticks()
    first = {round(b.get_x() + b.get_width() / 2 + 0.2): b.get_height() for b in ax.containers[0]}
    assert first[3] == 2 and first[2] == 1 and sum(first.values()) == 3
    assert sum(b.get_height() for b in ax.containers[1]) == 2  # one participant never reached 0.9
    assert 6 in n_axis
    assert any("not reached: 1" in t.get_text() for t in ax.get_legend().get_texts())
    plt.close(fig)


def test_plot_train_test_points(nmf_result):
    table = nr.nmf_summary([nmf_result(0), nmf_result(1, seed=4)])
    fig, ax = nr.plot_train_test(table, threshold=0.8)
    np.testing.assert_allclose(ax.collections[0].get_offsets()[:, 1], table["r2_train"])
    np.testing.assert_allclose(ax.collections[1].get_offsets()[:, 1], table["r2_test"])
    assert ax.get_ylabel().startswith("Reconstruction R²")
    plt.close(fig)
    with pytest.raises(ValueError, match="r2_test"):
        nr.plot_train_test(table.drop(columns="r2_test"))


# --------------------------------------------------------------------------- #
# the named values of the text
# --------------------------------------------------------------------------- #
def test_choice_values_known_answer():
    n_values = np.arange(1, 7)
    mean_curve = np.array([0.4, 0.78, 0.86, 0.89, 0.95, 0.97])
    values = nr.choice_values(n_values, mean_curve, np.array([3, 3, 4, 3]), 3, 5)
    # gains 0.38, 0.08, 0.03, 0.06, 0.02: ratios at N = 3, 4, 5 are 8/3, 0.5, 3
    assert values == {"chosen_range": "3 to 4", "typical_n": 3, "n_typical_share": 0.75,
                      "n_rule_below": 4, "n_rule_equal": 0, "n_rule_above": 0,
                      "r2_at_typical": 0.86, "r2_at_true": 0.95, "r2_one": 0.4,
                      "knee_ratio": pytest.approx(3.0), "n_knee": 5, "gains_shrink": False,
                      "n_after_true": 6, "gain_after_true": pytest.approx(0.02)}  # fmt: skip
    same = nr.choice_values(n_values, mean_curve, np.array([3, 3]), 3, 9)
    assert same["chosen_range"] == "3" and np.isnan(same["r2_at_true"])  # N = 9 was not tried
    assert np.isnan(same["gain_after_true"])
    edge = nr.choice_values(n_values, mean_curve, np.array([4, 6, 7]), 4, 6)
    assert (edge["n_rule_below"], edge["n_rule_equal"], edge["n_rule_above"]) == (1, 1, 1)
    assert np.isnan(edge["gain_after_true"])  # N = 7 was not tried
    short = nr.choice_values(np.arange(1, 4), mean_curve[:3], np.array([3]), 3, 3)
    assert np.isnan(short["knee_ratio"])


def _shape_values(curve, n_true):
    curve = np.asarray(curve)
    return nr.choice_values(np.arange(1, curve.size + 1), curve, np.array([n_true]), n_true, n_true)


def test_curve_shape_sentence_smooth_curve():
    # gains 0.2, 0.1, 0.06, 0.04, 0.03, 0.02: never more than twice the next
    values = _shape_values(np.cumsum([0.3, 0.2, 0.1, 0.06, 0.04, 0.03, 0.02]), n_true=5)
    text = nr.curve_shape_sentence(values, n_true=5)
    assert text.startswith("The curve rises smoothly, each added synergy bringing a little less")
    assert "knee ratio 1.7" in text
    assert "(0.030 at $N$ = 6)" in text
    assert text.endswith("the curve's shape does not reveal the true $N$.")
    # the truth at the last N tried: no gain beyond it
    at_end = nr.curve_shape_sentence(_shape_values(np.cumsum([0.3, 0.2, 0.1, 0.06, 0.04]), 5), n_true=5)
    assert "beyond the true" not in at_end and "never collapses: the curve's shape" in at_end
    # a gain that grows again: not "each bringing a little less"
    uneven = _shape_values(np.cumsum([0.3, 0.2, 0.1, 0.05, 0.06, 0.04]), n_true=4)
    assert "shrinking unevenly" in nr.curve_shape_sentence(uneven, n_true=4)


def test_curve_shape_sentence_knee_below_at_and_above_the_truth():
    knee_at_4 = np.cumsum([0.3, 0.2, 0.15, 0.1, 0.01, 0.01])  # gain 0.1 at N = 4, then 0.01
    at = nr.curve_shape_sentence(_shape_values(knee_at_4, 4), n_true=4)
    assert at.startswith("The curve has a knee: the gain at $N$ = 4 is 10.0 times the next one")
    assert "The knee lies at the true $N$" in at
    assert "lies below the true $N$ of 6" in nr.curve_shape_sentence(_shape_values(knee_at_4, 6), n_true=6)
    assert "lies above the true $N$ of 3" in nr.curve_shape_sentence(_shape_values(knee_at_4, 3), n_true=3)
    short = nr.choice_values(np.arange(1, 4), knee_at_4[:3], np.array([3]), 3, 3)
    assert nr.curve_shape_sentence(short, n_true=3).startswith("Too few")


def test_threshold_values_known_answer(nmf_result):
    a, b = nmf_result(0), nmf_result(1)
    b.nmf_r2_curve = np.array([0.5, 0.81, 0.84, 0.85, 0.88, 0.899])
    n_table = nr.n_synergies_by_threshold([a, b], thresholds=(0.80, 0.85, 0.90))
    values = nr.threshold_values(n_table, [0.80, 0.85, 0.90], n_true=5)
    # N chosen: a 3, 3, 5; b 2, 4, never (NaN)
    assert values == {"t_low": 0.80, "t_high": 0.90, "median_n_low": 2.5, "median_n_high": 5.0,
                      "share_true_high": 0.5, "share_above_true_high": 0.0}  # fmt: skip
    # b never reaches 0.90 within N <= 6: it needs more than 6 > 5 synergies
    assert nr.threshold_values(n_table, [0.80, 0.85, 0.90], n_true=5, n_max=6)["share_above_true_high"] == 0.5
    assert nr.threshold_values(n_table, [0.80, 0.85, 0.90], n_true=4)["share_above_true_high"] == 0.5


def test_correlation_values_known_answer():
    corr = np.array([[1.0, 0.7, 0.6], [0.7, 1.0, -0.2], [0.6, -0.2, 1.0]])
    spectrum = np.array([[0.5, 0.8, 1.0], [0.7, 0.9, 1.0]])
    summary = pd.DataFrame({"true_r2_train": [0.9, 0.96], "true_max_activation_correlation": [0.7, 0.4]})
    values = nr.correlation_values(corr, ["a", "b", "c"], spectrum, summary, r2_at_true=0.95)
    assert (values["corr_max"], values["corr_max_a"], values["corr_max_b"]) == (0.7, "a", "b")
    assert values["n_corr_above_half"] == 2
    assert values["n_fewer"] == 2
    assert values["spectrum_at_fewer"] == pytest.approx(0.85)
    assert values["spectrum_uncorrelated_fewer"] == pytest.approx(2 / 3)
    assert values["true_r2_mean"] == pytest.approx(0.93) and values["nmf_over_truth"] == pytest.approx(0.02)
    assert (values["corr_max_min"], values["corr_max_all"]) == (0.4, 0.7)
    with pytest.raises(ValueError, match="3 true synergies"):
        nr.correlation_values(corr[:2, :2], ["a", "b", "c"], spectrum, summary, r2_at_true=0.95)


def _corr_values(strongest, n_half):
    return {"corr_max": 0.42, "corr_max_a": "a", "corr_max_b": "b", "n_corr_above_half": n_half,
            "corr_max_min": 0.31, "corr_max_all": strongest}


def test_correlation_sentence_by_strength():
    moderate = nr.correlation_sentence(_corr_values(0.46, 0))
    assert moderate.startswith("The strongest pair, *a* and *b*, correlates at $r$ = 0.42, and no pair "
                               "exceeds 0.5 (across participants the strongest pair lies between 0.31 and 0.46)")
    assert 'moderate correlations, far from "always together".' in moderate
    assert moderate.endswith("Two numbers make the argument quantitative:")
    strong = nr.correlation_sentence(_corr_values(0.7, 1))
    assert "1 pair exceeds 0.5" in strong and "strong for some pairs" in strong
    assert "nearly always go together" in nr.correlation_sentence(_corr_values(0.9, 3))
    assert "3 pairs exceed" in nr.correlation_sentence(_corr_values(0.9, 3))


def test_participant_values_name_the_unmatched_true_synergies(nmf_result):
    res = nmf_result(3, n_true=4, n_nmf=2, seed=3)
    match = match_synergies(res.true_synergies, res.nmf_synergies)
    values = nr.participant_values(res, match, ["a", "b", "c", "d"])
    missing = [name for i, name in enumerate("abcd") if i not in set(match.ref_index)]
    assert values["participant_shown"] == 3
    assert values["unmatched"] == ", ".join(missing) and values["n_unmatched"] == 2
    assert (values["n_synergies_shown"], values["n_true_shown"]) == (2, 4)
    # the NMF synergies and activations are true ones
    assert values["shown_mean_cosine"] == pytest.approx(1.0)
    assert values["act_corr_min"] == pytest.approx(1.0) and values["act_corr_max"] == pytest.approx(1.0)
    full = nmf_result(n_true=3)
    match = match_synergies(full.true_synergies, full.nmf_synergies)
    assert nr.participant_values(full, match, ["a", "b", "c"])["unmatched"] == "none"


def _shown(n, k, unmatched="none", n_unmatched=0):
    return {"shown_mean_cosine": 0.876, "n_synergies_shown": n, "n_true_shown": k,
            "unmatched": unmatched, "n_unmatched": n_unmatched}


def test_unmatched_sentence_below_equal_and_above_the_truth():
    below = nr.unmatched_sentence(_shown(4, 6, "c, e", 2))
    assert below == ("Matched pairs have a mean cosine of 0.88. With fewer NMF synergies than true "
                     "ones (4 against 6), 2 true synergies find no partner (c, e). They did not "
                     "vanish from the data: the full matrix of cosines shows them absorbed into NMF "
                     "synergies that mix several true ones.")
    assert "1 true synergy finds no partner (c)" in nr.unmatched_sentence(_shown(5, 6, "c", 1))
    equal = nr.unmatched_sentence(_shown(6, 6))
    assert "as many synergies as the truth (6), and every true synergy has a partner" in equal
    above = nr.unmatched_sentence(_shown(7, 6))
    assert "NMF has 1 synergy more than the truth (7 against 6)" in above
    assert "the extra one matches none" in above
    assert "the 2 extra ones match none" in nr.unmatched_sentence(_shown(8, 6))


def test_reconstruction_values_identity_and_means(nmf_result):
    res = nmf_result(noise=0.3, seed=2)
    X, X_hat = res.train, res.nmf_synergies @ res.nmf_activations_train
    summary = nr.nmf_summary([res, nmf_result(1, noise=0.1, seed=4)])
    values = nr.reconstruction_values(summary, 0.99, X, X_hat)
    assert values["ratio_data"] == pytest.approx(values["ratio_fit"])  # the identity R² / VAF
    assert values["r2_train_mean"] == pytest.approx(summary["r2_train"].mean())
    assert values["vaf_minus_r2_mean"] == pytest.approx(summary["vaf_minus_r2"].mean())
    assert values["n_test_below"] == 2


def test_truth_values_known_answer():
    summary = pd.DataFrame({"true_mean_cosine": [0.9, 0.7], "true_share_above": [1.0, 0.5],
                            "true_mean_activation_correlation": [0.8, 0.6]})  # fmt: skip
    cos_matrix = pd.DataFrame({"a": [0.9, 0.85], "b": [0.5, 0.95], "c": [np.nan, np.nan]})
    values = nr.truth_values(summary, cos_matrix)
    # recovered at >= 0.8: participant 0 a (1 of 3), participant 1 a, b (2 of 3)
    assert values == {"true_cos_mean": pytest.approx(0.8), "true_share_mean": 0.75,
                      "true_act_mean": pytest.approx(0.7), "recovered_share": pytest.approx(0.5),
                      "best_recovered": "a",
                      "best_recovered_share": 1.0, "n_never_matched": 1}  # fmt: skip
