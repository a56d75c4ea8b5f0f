"""Tests of synergylib.similarity: symmetry-respecting similarity and chance levels."""

from __future__ import annotations

import numpy as np
import pytest

from synergylib._validation import SynergyInputError
from synergylib.metrics import match_synergies
from synergylib.similarity import (
    ChanceLevel,
    chance_level,
    match_abs,
    random_synergies,
    similarity,
    subspace_similarity,
    within_chance,
)


def test_match_abs_forgives_a_sign_flip_the_signed_cosine_does_not():
    W = random_synergies(16, 4, random_state=3)
    flipped = W[:, [2, 0, 3, 1]] * np.array([1.0, -1.0, 1.0, -1.0])
    assert match_abs(W, flipped).mean_cosine == pytest.approx(1.0)
    assert match_synergies(W, flipped).mean_cosine < 0.6
    match = match_abs(W, flipped)
    np.testing.assert_array_equal(match.permutation, [1, 3, 0, 2])


def test_subspace_similarity_is_basis_free_and_sees_other_spans():
    rng = np.random.default_rng(0)
    W = random_synergies(16, 3, kind="signed", random_state=1)
    A = rng.standard_normal((3, 3)) + 3 * np.eye(3)  # invertible mixing
    assert subspace_similarity(W, W @ A) == pytest.approx(1.0)
    assert match_abs(W, W @ A).mean_cosine < 0.99  # the matched cosine is not basis-free
    # one synergy out of the span: one principal angle of 90 degrees among 3
    Q, _ = np.linalg.qr(np.column_stack([W, rng.standard_normal(16)]))
    other = np.column_stack([Q[:, 0], Q[:, 1], Q[:, 3]])
    assert subspace_similarity(Q[:, :3], other) == pytest.approx(2 / 3)
    # a smaller set inside a larger span is contained in it
    assert subspace_similarity(W, W[:, :2]) == pytest.approx(1.0)


def test_similarity_dispatches_and_refuses_unknown_metrics():
    W = random_synergies(8, 2, random_state=0)
    assert similarity(W, W, "cosine") == pytest.approx(1.0)
    assert similarity(W, -W, "abs_cosine") == pytest.approx(1.0)
    assert similarity(W, -W, "subspace") == pytest.approx(1.0)
    with pytest.raises(SynergyInputError, match="Unknown similarity metric"):
        similarity(W, W, "angle")
    with pytest.raises(SynergyInputError, match="same number of muscles"):
        similarity(W, random_synergies(9, 2), "subspace")


def test_random_synergies_kinds_and_seeds():
    a = random_synergies(16, 5, kind="nonnegative", random_state=7)
    assert a.shape == (16, 5) and (a >= 0).all()
    np.testing.assert_allclose(np.linalg.norm(a, axis=0), 1.0)
    assert (random_synergies(16, 5, kind="signed", random_state=7) < 0).any()
    np.testing.assert_array_equal(a, random_synergies(16, 5, kind="nonnegative", random_state=7))
    with pytest.raises(SynergyInputError, match="kind"):
        random_synergies(16, 5, kind="positive")
    with pytest.raises(SynergyInputError, match="n_synergies"):
        random_synergies(16, 0)


def test_chance_level_known_behaviour():
    """Non-negative random vectors look more alike than signed ones; more muscles
    give less chance similarity; the reference itself is far outside the band."""
    W16 = random_synergies(16, 3, random_state=11)
    signed = chance_level(W16, kind="signed", n_draws=300)
    nonneg = chance_level(W16, kind="nonnegative", n_draws=300)
    assert isinstance(signed, ChanceLevel) and signed.draws.shape == (300,)
    assert signed.q05 < signed.mean < signed.q95
    assert nonneg.mean > signed.mean + 0.1
    W64 = random_synergies(64, 3, random_state=11)
    assert chance_level(W64, kind="nonnegative", n_draws=300).mean < nonneg.mean
    assert not within_chance(1.0, nonneg)
    assert within_chance(nonneg.mean, nonneg)
    again = chance_level(W16, kind="signed", n_draws=300)
    np.testing.assert_array_equal(again.draws, signed.draws)
    # the subspace metric's chance level with N of 16 muscles: E[cos^2] = N / 16 per angle
    sub = chance_level(W16, metric="subspace", kind="signed", n_draws=400)
    assert sub.mean == pytest.approx(3 / 16, abs=0.03)


def test_chance_level_rejects_bad_input():
    W = random_synergies(8, 2)
    with pytest.raises(SynergyInputError, match="n_draws"):
        chance_level(W, n_draws=1)
    with pytest.raises(SynergyInputError, match="metric"):
        chance_level(W, metric="vaf")
    with pytest.raises(SynergyInputError, match="ChanceLevel"):
        within_chance(0.5, {"q95": 0.6})


def test_reference_synergies_follow_the_one_mapping():
    """Every similarity column names its reference (truth or NMF) and its metric once;
    the chance levels and the restarts' scores read the same mapping."""
    from types import SimpleNamespace

    from synergylib.claims import restart_score
    from synergylib.similarity import SIMILARITY_COLUMNS, SIMILARITY_METRICS, reference_synergies

    truth, nmf = random_synergies(8, 3, random_state=1), random_synergies(8, 3, random_state=2)
    result = SimpleNamespace(index=4, true_synergies=truth, nmf_synergies=nmf)
    for column, (reference, metric) in SIMILARITY_COLUMNS.items():
        assert metric in SIMILARITY_METRICS
        expected = truth if reference == "true" else nmf
        assert reference_synergies(result, column) is expected
        assert column.startswith(reference + "_")
        W = random_synergies(8, 3, kind="signed", random_state=3)
        assert restart_score(column)(result, W) == pytest.approx(similarity(expected, W, metric))
    walking = SimpleNamespace(index=4, true_synergies=None, nmf_synergies=nmf)
    with pytest.raises(SynergyInputError, match="participant 4 has no ground truth"):
        reference_synergies(walking, "true_subspace")
    with pytest.raises(SynergyInputError, match="not a similarity column"):
        reference_synergies(result, "r2_test")
    with pytest.raises(SynergyInputError, match="restarts can be scored on"):
        restart_score("r2_test")
