"""Tests of synergylib.metrics: known answers and invariances."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import r2_score as sk_r2_score

from synergylib.metrics import (
    SynergyMatch,
    activation_correlation,
    active_muscles,
    cross_participant_consistency,
    ground_truth_similarity,
    hoyer_sparseness,
    match_synergies,
    negative_mass_share,
    negative_weight_share,
    r2_per_muscle,
    r2_score,
    share_above,
    synergy_metrics,
    vaf,
)

# 3 samples x 2 muscles. Muscle means 3 and 5.
# SST = (4 + 0 + 4) + (9 + 1 + 16) = 34; SSE = 1 + 1 = 2; sum X^2 = 136.
X_SMALL = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 9.0]])
X_HAT_SMALL = np.array([[1.0, 3.0], [3.0, 4.0], [4.0, 9.0]])


def _random_synergies(rng, n_muscles=16, n_synergies=4):
    W = rng.random((n_muscles, n_synergies)) * (rng.random((n_muscles, n_synergies)) < 0.4)
    W[rng.integers(0, n_muscles, n_synergies), np.arange(n_synergies)] += 1.0  # no empty column
    return W / np.linalg.norm(W, axis=0)


# ----------------------------------------------------------------------------- reconstruction
def test_r2_and_vaf_hand_computed():
    assert r2_score(X_SMALL, X_HAT_SMALL) == pytest.approx(1 - 2 / 34)
    assert vaf(X_SMALL, X_HAT_SMALL) == pytest.approx(1 - 2 / 136)
    # physiology layout: muscles in rows
    assert r2_score(X_SMALL.T, X_HAT_SMALL.T, muscle_axis=0) == pytest.approx(1 - 2 / 34)
    # the other axis as "muscles" gives a different (row-centred) value: the axis matters
    assert r2_score(X_SMALL.T, X_HAT_SMALL.T) != pytest.approx(1 - 2 / 34)


def test_r2_per_muscle_hand_computed():
    np.testing.assert_allclose(r2_per_muscle(X_SMALL, X_HAT_SMALL), [1 - 1 / 8, 1 - 1 / 26])
    np.testing.assert_allclose(
        r2_per_muscle(X_SMALL.T, X_HAT_SMALL.T, muscle_axis=0), [1 - 1 / 8, 1 - 1 / 26]
    )


def test_r2_matches_sklearn_variance_weighted():
    """Pooled centred R2 is sklearn's multioutput='variance_weighted'."""
    rng = np.random.default_rng(0)
    X = rng.random((50, 7))
    X_hat = X + 0.1 * rng.normal(size=X.shape)
    assert r2_score(X, X_hat) == pytest.approx(sk_r2_score(X, X_hat, multioutput="variance_weighted"))
    np.testing.assert_allclose(r2_per_muscle(X, X_hat), sk_r2_score(X, X_hat, multioutput="raw_values"))
    assert vaf(X, X_hat) > r2_score(X, X_hat)  # non-negative data: VAF is the larger


def test_r2_perfect_and_mean_reconstruction():
    rng = np.random.default_rng(1)
    X = rng.random((20, 4))
    assert r2_score(X, X) == 1.0
    assert r2_score(X, np.broadcast_to(X.mean(axis=0), X.shape)) == pytest.approx(0.0)


def test_r2_per_muscle_constant_muscle_is_nan():
    X = np.array([[1.0, 2.0], [1.0, 4.0], [1.0, 6.0]])
    out = r2_per_muscle(X, X)
    assert np.isnan(out[0]) and out[1] == 1.0


@pytest.mark.parametrize(
    ("X", "X_hat", "message"),
    [
        (np.ones((3, 2)), np.ones((3, 2)), "constant"),
        (X_SMALL, X_HAT_SMALL[:2], "same shape"),
        (np.array([[np.nan, 1.0], [1.0, 2.0]]), np.ones((2, 2)), "NaN"),
        (X_SMALL, np.full((3, 2), np.inf), "infinity"),
    ],
)
def test_r2_bad_input(X, X_hat, message):
    with pytest.raises(ValueError, match=message):
        r2_score(X, X_hat)


def test_vaf_all_zero_raises():
    with pytest.raises(ValueError, match="all zeros"):
        vaf(np.zeros((3, 2)), np.zeros((3, 2)))


# ----------------------------------------------------------------------------- matching
def test_matching_invariant_to_permutation_and_positive_scale():
    rng = np.random.default_rng(2)
    W_ref = _random_synergies(rng)
    perm = np.array([2, 0, 3, 1])
    scale = np.array([0.1, 3.0, 7.5, 0.02])
    W = W_ref[:, perm] * scale
    m = match_synergies(W_ref, W)
    assert isinstance(m, SynergyMatch)
    np.testing.assert_allclose(m.cosine, 1.0)
    assert m.mean_cosine == pytest.approx(1.0)
    np.testing.assert_array_equal(m.ref_index, np.arange(4))
    np.testing.assert_array_equal(m.permutation, np.argsort(perm))
    # W[:, permutation] is W in the reference order (up to scale)
    W_aligned = W[:, m.permutation]
    np.testing.assert_allclose(W_aligned / np.linalg.norm(W_aligned, axis=0), W_ref, atol=1e-12)


def test_matching_mean_cosine_invariant_for_unrelated_sets():
    rng = np.random.default_rng(3)
    W_ref, W = _random_synergies(rng), _random_synergies(rng)
    base = match_synergies(W_ref, W).mean_cosine
    p1, p2 = rng.permutation(4), rng.permutation(4)
    other = match_synergies(W_ref[:, p1] * 5.0, W[:, p2] * rng.uniform(0.1, 10, 4)).mean_cosine
    assert other == pytest.approx(base)
    # symmetric in its arguments
    assert match_synergies(W, W_ref).mean_cosine == pytest.approx(base)


def test_matching_is_optimal_not_greedy():
    # similarity matrix S = I^T S: greedy would take 0.9 then 0.1 (mean 0.5),
    # the optimal assignment takes 0.8 + 0.85 (mean 0.825).
    S = np.array([[0.9, 0.8], [0.85, 0.1]])
    m = match_synergies(np.eye(2), S, normalise=False)
    np.testing.assert_array_equal(m.index, [1, 0])
    assert m.mean_cosine == pytest.approx(0.825)


def test_matching_cosine_is_signed():
    w = np.array([1.0, 2.0, 0.0, 3.0])
    assert match_synergies(w, -w).mean_cosine == pytest.approx(-1.0)
    assert match_synergies(w, -2 * w).cosine[0] == pytest.approx(-1.0)


def test_matching_different_numbers_of_synergies():
    rng = np.random.default_rng(4)
    W_ref = _random_synergies(rng)
    m = match_synergies(W_ref, W_ref[:, [2, 0]])
    assert m.n_matched == 2
    np.testing.assert_array_equal(m.ref_index, [0, 2])
    np.testing.assert_array_equal(m.permutation, [1, -1, 0, -1])
    np.testing.assert_allclose(m.cosine, 1.0)
    m2 = match_synergies(W_ref[:, [2, 0]], W_ref)
    np.testing.assert_array_equal(m2.permutation, [2, 0])


def test_matching_zero_column_has_zero_cosine():
    W_ref = np.eye(3)[:, :2]
    W = np.zeros((3, 2))
    W[0, 0] = 1.0
    m = match_synergies(W_ref, W)
    np.testing.assert_allclose(sorted(m.cosine), [0.0, 1.0])


def test_matching_muscle_mismatch_raises():
    with pytest.raises(ValueError, match="number of muscles"):
        match_synergies(np.ones((16, 2)), np.ones((13, 2)))


def test_share_above():
    S = np.diag([0.95, 0.8, 0.5, -0.9])
    m = match_synergies(np.eye(4), S, normalise=False)
    assert share_above(m) == pytest.approx(0.5)  # 0.95 and 0.8 (>= threshold)
    assert share_above(m, 0.9) == pytest.approx(0.25)
    with pytest.raises(ValueError, match="threshold"):
        share_above(m, 2.0)


# ----------------------------------------------------------------------------- activations
def test_activation_correlation_follows_the_matching():
    rng = np.random.default_rng(5)
    W_ref = _random_synergies(rng)
    H_ref = rng.random((4, 200))
    perm = np.array([3, 1, 0, 2])
    W = W_ref[:, perm]
    H = 2.0 * H_ref[perm] + 1.0  # same activations, permuted like W, affine rescaled
    m = match_synergies(W_ref, W)
    np.testing.assert_allclose(activation_correlation(H_ref, H, m), 1.0)
    np.testing.assert_allclose(activation_correlation(H_ref, -H, m), -1.0)
    # without following the permutation the correlation is not 1
    m_wrong = match_synergies(W_ref, W_ref)
    assert np.all(activation_correlation(H_ref, H, m_wrong)[[0, 2, 3]] < 0.9)


def test_activation_correlation_hand_computed_and_layout_error():
    m = match_synergies(np.eye(2)[:, :1], np.eye(2)[:, :1])
    r = activation_correlation([[1.0, 2.0, 3.0, 4.0]], [[1.0, 3.0, 2.0, 4.0]], m)
    assert r[0] == pytest.approx(0.8)  # Pearson r of (1,2,3,4) and (1,3,2,4)
    m2 = match_synergies(np.eye(4)[:, :2], np.eye(4)[:, :2])
    with pytest.raises(ValueError, match="transpose"):
        activation_correlation(np.ones((10, 2)), np.ones((10, 2)), m2)


# ----------------------------------------------------------------------------- sign, sparseness
def test_negative_shares_known_values():
    W = np.array([[1.0, -1.0], [2.0, 0.0], [-3.0, 4.0]])
    assert negative_weight_share(W) == pytest.approx(2 / 6)
    assert negative_mass_share(W) == pytest.approx(4 / 11)
    np.testing.assert_allclose(negative_weight_share(W, axis=0), [1 / 3, 1 / 3])
    np.testing.assert_allclose(negative_mass_share(W, axis=0), [3 / 6, 1 / 5])
    assert negative_weight_share(np.abs(W)) == 0.0
    assert negative_mass_share(-np.abs(W)) == 1.0


def test_hoyer_sparseness_known_values():
    n = 16
    one_hot = np.zeros(n)
    one_hot[3] = 1.0
    assert hoyer_sparseness(one_hot) == pytest.approx(1.0)
    assert hoyer_sparseness(-5 * one_hot) == pytest.approx(1.0)  # absolute values
    assert hoyer_sparseness(np.full(n, 0.25)) == pytest.approx(0.0)
    # (sqrt(4) - 2/sqrt(2)) / (sqrt(4) - 1) = 2 - sqrt(2)
    assert hoyer_sparseness([1.0, 1.0, 0.0, 0.0]) == pytest.approx(2 - np.sqrt(2))
    assert hoyer_sparseness([1.0, -1.0, 0.0, 0.0]) == pytest.approx(2 - np.sqrt(2))
    M = np.column_stack([one_hot, np.ones(n), np.zeros(n)])
    out = hoyer_sparseness(M)
    np.testing.assert_allclose(out[:2], [1.0, 0.0], atol=1e-12)
    assert np.isnan(out[2])  # all-zero synergy


def test_active_muscles():
    w = np.array([1.0, 0.5, 0.29, 0.0, -0.6])
    assert active_muscles(w)[0] == 3  # |w| >= 0.3 * max: 1, 0.5, -0.6
    assert active_muscles(w, 0.55)[0] == 2
    # unit rule, default 1/sqrt(n): |w| / ||w|| >= 1/sqrt(5)
    expected = int(np.sum(np.abs(w) / np.linalg.norm(w) >= 1 / np.sqrt(5)))
    assert active_muscles(w, rule="unit")[0] == expected
    W = np.column_stack([np.eye(5)[0], np.ones(5)])
    np.testing.assert_array_equal(active_muscles(W), [1, 5])
    with pytest.raises(ValueError, match="rule"):
        active_muscles(w, rule="median")


# ----------------------------------------------------------------------------- across participants
def test_cross_participant_consistency():
    rng = np.random.default_rng(6)
    W = _random_synergies(rng)
    same = [W, W[:, [1, 0, 3, 2]] * 2.0, W[:, :3]]  # permuted, rescaled, fewer synergies
    np.testing.assert_allclose(cross_participant_consistency(same), 1.0)
    outsider = -_random_synergies(rng)  # cosines with the others are negative
    c = cross_participant_consistency(same + [outsider])
    assert np.argmin(c) == 3
    # definition: mean over the other participants of the mean matched cosine
    expected = np.mean([match_synergies(outsider, Wp).mean_cosine for Wp in same])
    assert c[3] == pytest.approx(expected)
    with pytest.raises(ValueError, match="at least 2"):
        cross_participant_consistency([W])


def test_ground_truth_similarity_and_synergy_metrics():
    rng = np.random.default_rng(7)
    W_true = _random_synergies(rng)
    H_true = rng.random((4, 100))
    perm = np.array([1, 3, 0, 2])
    W, H = W_true[:, perm] * 3.0, H_true[perm] / 3.0
    res = ground_truth_similarity(W_true, W, H_true, H)
    assert res["mean_cosine"] == pytest.approx(1.0)
    assert res["share_above"] == 1.0
    assert res["mean_activation_correlation"] == pytest.approx(1.0)
    assert np.isnan(ground_truth_similarity(W_true, W)["mean_activation_correlation"])

    row = synergy_metrics(W, H, W_ref=W_true, H_ref=H_true, W_true=W_true, H_true=H_true)
    assert row["n_synergies"] == 4
    assert row["negative_weight_share"] == 0.0 and row["negative_mass_share"] == 0.0
    assert row["mean_sparseness"] == pytest.approx(np.mean(hoyer_sparseness(W_true)))
    for prefix in ("ref", "true"):
        assert row[f"{prefix}_mean_cosine"] == pytest.approx(1.0)
        assert row[f"{prefix}_share_above"] == 1.0
        assert row[f"{prefix}_mean_activation_correlation"] == pytest.approx(1.0)
    minimal = synergy_metrics(W)
    assert "ref_mean_cosine" not in minimal and "true_mean_cosine" not in minimal
    with pytest.raises(ValueError, match="H_ref"):
        synergy_metrics(W, H, H_ref=H_true)
