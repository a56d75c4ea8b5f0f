"""Tests of synergylib.stats: Holm by hand, Friedman and Wilcoxon on seeded data."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as ss

from synergylib.stats import (
    FriedmanResult,
    friedman_test,
    holm_adjust,
    min_wilcoxon_pvalue,
    pairwise_wilcoxon,
)


def _scores(means, n_subjects=15, sd=0.02, seed=0):
    """Seeded scores (n_subjects, n_methods): a subject effect plus method means plus noise."""
    rng = np.random.default_rng(seed)
    subject = rng.normal(0, 0.05, size=(n_subjects, 1))
    return subject + np.asarray(means)[None, :] + rng.normal(0, sd, size=(n_subjects, len(means)))


# ----------------------------------------------------------------------------- Holm
def test_holm_hand_computed():
    # sorted: 0.005 (x4) = 0.02, 0.01 (x3) = 0.03, 0.03 (x2) = 0.06, 0.04 (x1) = 0.04 -> 0.06 (monotone)
    p = [0.01, 0.04, 0.03, 0.005]
    np.testing.assert_allclose(holm_adjust(p), [0.03, 0.06, 0.06, 0.02])


def test_holm_caps_at_one_and_is_between_raw_and_bonferroni():
    np.testing.assert_allclose(holm_adjust([0.5, 0.6]), [1.0, 1.0])
    rng = np.random.default_rng(1)
    p = rng.random(12) ** 3
    adj = holm_adjust(p)
    assert np.all(adj >= p - 1e-15)
    assert np.all(adj <= np.minimum(1, p * p.size) + 1e-15)
    assert holm_adjust([]).size == 0
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        holm_adjust([0.1, 1.5])


# ----------------------------------------------------------------------------- Friedman
def test_friedman_detects_clear_difference():
    table = _scores([0.70, 0.80, 0.90], seed=0)
    res = friedman_test(table, ["nmf", "ae_linear", "ae_relu"])
    assert isinstance(res, FriedmanResult)
    assert res.pvalue < 1e-4
    assert res.kendall_w > 0.8
    assert res.mean_ranks["ae_relu"] > res.mean_ranks["ae_linear"] > res.mean_ranks["nmf"]
    assert res.n_subjects == 15 and res.n_methods == 3


def test_friedman_null_not_significant():
    # Same seed as every other test here (not searched for): under the null a
    # rejection has probability 0.05, so a failure after a change of seed or
    # SciPy version is not by itself a bug.
    table = _scores([0.8, 0.8, 0.8, 0.8], seed=0)
    res = friedman_test(table)
    assert res.pvalue > 0.05
    assert res.kendall_w < 0.2


def test_friedman_kendall_w_is_one_for_identical_rankings_and_matches_scipy():
    table = np.array([[1.0, 2.0, 3.0], [0.1, 0.5, 0.9], [5.0, 6.0, 7.0], [2.0, 2.5, 2.6]])
    res = friedman_test(table)
    assert res.kendall_w == pytest.approx(1.0)
    assert res.statistic == pytest.approx(ss.friedmanchisquare(*table.T).statistic)


def test_friedman_dict_equals_array_and_complete_ties():
    table = _scores([0.7, 0.75, 0.8], seed=5)
    d = {"a": table[:, 0], "b": table[:, 1], "c": table[:, 2]}
    assert friedman_test(d).pvalue == friedman_test(table).pvalue
    tied = friedman_test(np.ones((5, 3)))
    assert (tied.statistic, tied.pvalue, tied.kendall_w) == (0.0, 1.0, 0.0)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (np.ones((2, 3)), "too few subjects"),
        (np.ones((5, 2)), "at least 3 methods"),
        (np.array([[1.0, np.nan, 2.0]] * 5), "NaN"),
        ({"a": [1, 2, 3], "b": [1, 2, 3, 4], "c": [1, 2, 3]}, "same number of subjects"),
        (np.ones(5), "2-D"),
    ],
)
def test_friedman_bad_input(scores, message):
    with pytest.raises(ValueError, match=message):
        friedman_test(scores)


# ----------------------------------------------------------------------------- Wilcoxon
def test_pairwise_wilcoxon_all_pairs():
    table = _scores([0.70, 0.80, 0.90], seed=0)
    names = ["nmf", "relu_tanh", "linear_linear"]
    rows = pairwise_wilcoxon(table, names)
    assert [(r["method_a"], r["method_b"]) for r in rows] == [
        ("nmf", "relu_tanh"), ("nmf", "linear_linear"), ("relu_tanh", "linear_linear")
    ]
    raw = [ss.wilcoxon(table[:, i], table[:, j]).pvalue for i, j in [(0, 1), (0, 2), (1, 2)]]
    np.testing.assert_allclose([r["pvalue"] for r in rows], raw)
    np.testing.assert_allclose([r["pvalue_adjusted"] for r in rows], holm_adjust(raw))
    assert all(r["reject"] for r in rows)
    # method_a always lower here: every difference negative -> rank-biserial -1
    assert all(r["rank_biserial"] == -1.0 for r in rows)
    assert rows[0]["median_difference"] < 0


def test_pairwise_wilcoxon_against_reference_and_null():
    # null data, seed 0 as above (see test_friedman_null_not_significant)
    table = _scores([0.8, 0.8, 0.8], seed=0)
    rows = pairwise_wilcoxon(table, ["nmf", "a", "b"], reference="b", correction="bonferroni")
    assert [(r["method_a"], r["method_b"]) for r in rows] == [("b", "nmf"), ("b", "a")]
    assert not any(r["reject"] for r in rows)
    np.testing.assert_allclose(
        [r["pvalue_adjusted"] for r in rows], np.minimum(1, 2 * np.array([r["pvalue"] for r in rows]))
    )


def test_pairwise_wilcoxon_zero_differences():
    a = np.array([0.5, 0.6, 0.7, 0.8, 0.9])
    rows = pairwise_wilcoxon({"x": a, "y": a.copy()})
    assert rows[0]["pvalue"] == 1.0 and rows[0]["note"] == "all differences are zero"
    b = a + np.array([0.0, 0.1, 0.2, 0.3, 0.4])  # one tie, four positive differences
    row = pairwise_wilcoxon({"x": b, "y": a})[0]
    assert "1 zero difference" in row["note"]
    assert row["pvalue"] == pytest.approx(ss.wilcoxon(b, a, zero_method="wilcox").pvalue)
    assert row["rank_biserial"] == 1.0


def test_pairwise_wilcoxon_bad_input():
    with pytest.raises(ValueError, match="too few subjects"):
        pairwise_wilcoxon({"x": [1.0, 2.0], "y": [2.0, 3.0]})
    with pytest.raises(ValueError, match="reference"):
        pairwise_wilcoxon(np.ones((5, 3)), reference="zzz")
    with pytest.raises(ValueError, match="correction"):
        pairwise_wilcoxon(np.ones((5, 3)), correction="fdr")
    with pytest.raises(ValueError, match="names"):
        pairwise_wilcoxon(np.ones((5, 3)), ["a", "b"])


# ----------------------------------------------------------------------------- the floor
@pytest.mark.parametrize("n", [3, 8, 15, 20])
def test_min_wilcoxon_pvalue_is_scipys_p_when_every_difference_has_one_sign(n):
    d = np.arange(1.0, n + 1)  # distinct, all positive: the most extreme sign pattern
    assert min_wilcoxon_pvalue(n) == pytest.approx(ss.wilcoxon(d).pvalue, rel=1e-12)
    assert min_wilcoxon_pvalue(n, alternative="greater") == pytest.approx(
        ss.wilcoxon(d, alternative="greater").pvalue, rel=1e-12)
    assert min_wilcoxon_pvalue(n, alternative="less") == min_wilcoxon_pvalue(n, alternative="greater")
    # no other data give less: every sign pattern, ties included
    rng = np.random.default_rng(n)
    for _ in range(50):
        e = rng.normal(0.5, 1.0, n).round(1)
        e = np.where(e == 0, 0.1, e)
        assert ss.wilcoxon(e).pvalue >= min_wilcoxon_pvalue(n) * (1 - 1e-12)
    tied = np.ones(n)  # ties switch SciPy to the normal approximation from n = 14 on
    assert ss.wilcoxon(tied).pvalue >= min_wilcoxon_pvalue(n) * (1 - 1e-12)


def test_min_wilcoxon_pvalue_is_the_floor_of_a_holm_adjusted_table():
    """Every model above the reference for every subject: every adjusted p at the floor."""
    n, k = 15, 18
    rng = np.random.default_rng(0)
    table = rng.random((n, 1)) + np.arange(k)[None, :] * 1.0 + rng.random((n, k)) * 0.1
    rows = pairwise_wilcoxon(table, reference="method0")
    floor = min_wilcoxon_pvalue(n, n_tests=k - 1)
    np.testing.assert_allclose([r["pvalue_adjusted"] for r in rows], floor)
    assert floor == pytest.approx((k - 1) * 2.0 ** (1 - n))
    assert min_wilcoxon_pvalue(3, n_tests=10) == 1.0  # capped


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"n_subjects": 0}, "n_subjects"), ({"n_subjects": 51}, "n_subjects"), ({"n_subjects": 2.5}, "n_subjects"),
     ({"n_subjects": 5, "n_tests": 0}, "n_tests"), ({"n_subjects": 5, "alternative": "both"}, "alternative")],
)
def test_min_wilcoxon_pvalue_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        min_wilcoxon_pvalue(**kwargs)
