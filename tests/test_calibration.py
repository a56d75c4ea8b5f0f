"""Tests of the generator calibration measures (synergylib.calibration)."""

from __future__ import annotations

import numpy as np
import pytest

from synergylib import SynergyInputError
from synergylib.calibration import (
    CALIBRATION_TARGETS,
    CalibrationTarget,
    calibration_table,
    evaluate_generator,
    knee_ratio,
    matrix_measures,
    max_offdiagonal_correlation,
    measure_participant,
    summarise,
)
from synergylib.reaching import ideal_parameters, make_realistic_participant


def exact_data(seed: int, n_syn: int = 6, n_muscles: int = 16, n_samples: int = 600):
    """X = W H exactly, with sparse non-negative W and bursty non-negative H."""
    rng = np.random.default_rng(seed)
    W = rng.random((n_muscles, n_syn)) * (rng.random((n_muscles, n_syn)) < 0.35)
    W[rng.integers(0, n_muscles, n_syn), np.arange(n_syn)] = 1.0  # no empty column
    W /= np.linalg.norm(W, axis=0)
    t = np.arange(n_samples)
    H = np.zeros((n_syn, n_samples))
    for k in range(n_syn):
        for c in rng.uniform(0, n_samples, 8):
            H[k] += rng.exponential() * np.exp(-0.5 * ((t - c) / 8.0) ** 2)
    return W @ H, W, H


@pytest.fixture(scope="module")
def exact_measures():
    X, W, _ = exact_data(0)
    return matrix_measures(X, W, n_range=range(1, 9), threshold=0.999, n_restarts=3,
                           random_state=0, max_iter=3000, tol=1e-7)


def test_exact_synergy_data_give_the_true_n_and_recovery(exact_measures):
    m = exact_measures
    assert m["n_rule"] == 6
    assert m["r2_at_true_n"] > 0.999
    assert m["recovery_cosine"] > 0.99
    assert m["true_model_r2"] == pytest.approx(1.0, abs=1e-9)
    assert m["n_values"] == list(range(1, 9))
    assert m["synergies_true_n"].shape == (16, 6)


def test_targets_can_fail_on_data_too_clean(exact_measures):
    # exact 6-synergy data explain R2 = 1 at the true N and have a knee: two misses
    participants = [dict(exact_measures, n_true=6), dict(exact_measures, n_true=6)]
    synergies = [exact_measures["synergies_true_n"]] * 2
    summary = summarise(participants, synergies)
    assert summary["cross_participant_cosine"] == pytest.approx(1.0)
    assert summary["knee_ratio"] > 3
    table = {row["key"]: row for row in calibration_table(summary)}
    assert not table["r2_at_true_n"]["met"]
    assert not table["knee_ratio"]["met"]
    assert not table["cross_participant_cosine"]["met"]  # clones: 1.0 > 0.90
    assert table["recovery_cosine"]["met"]
    assert table["share_rule_within_1"]["met"]
    assert set(table) == {t.key for t in CALIBRATION_TARGETS}
    assert all(set(row) == {"key", "measure", "target", "source", "value", "met"}
               for row in table.values())


def test_summary_counts_the_rule_within_one():
    base = {"n_values": [1, 2, 3, 4, 5, 6, 7, 8], "r2": np.linspace(0.3, 0.95, 8).tolist(),
            "recovery_cosine": 0.9, "n_true": 6}
    rules = [4, 5, 6, 7, 8, 6]
    participants = [dict(base, n_rule=n) for n in rules]
    rng = np.random.default_rng(1)
    synergies = [np.abs(rng.standard_normal((16, 6))) for _ in rules]
    s = summarise(participants, synergies)
    assert s["n_rule_within_1"] == 4
    assert s["share_rule_within_1"] == pytest.approx(4 / 6)
    assert s["rule_histogram"] == {"4": 1, "5": 1, "6": 2, "7": 1, "8": 1}
    assert s["r2_at_true_n"] == pytest.approx(base["r2"][5])
    assert 0 < s["cross_participant_cosine"] < 1
    row = {r["key"]: r for r in calibration_table(s)}["share_rule_within_1"]
    assert not row["met"]  # 4 of 6 < 80 %


def test_knee_ratio_known_answers():
    # increments halve at every step: ratio 2 everywhere
    increments = 0.4 * 0.5 ** np.arange(9)
    curve = np.concatenate([[0.1], 0.1 + np.cumsum(increments)])
    assert knee_ratio(curve) == pytest.approx(2.0)
    # the clean generator's shape: steep to N = 6, then flat
    knee = [0.35, 0.767, 0.894, 0.946, 0.978, 0.997, 0.9972, 0.9974, 0.9976, 0.9978]
    assert knee_ratio(knee) == pytest.approx(0.019 / 1e-3, rel=1e-6)
    linear = np.linspace(0.2, 0.95, 10)
    assert knee_ratio(linear) == pytest.approx(1.0)


def test_max_offdiagonal_correlation_known_answer():
    t = np.linspace(0, 1, 200)
    H = np.vstack([np.sin(6 * t), 2 * np.sin(6 * t) + 1, np.cos(40 * t), np.zeros_like(t)])
    assert max_offdiagonal_correlation(H) == pytest.approx(1.0)
    assert max_offdiagonal_correlation(H[2:]) != max_offdiagonal_correlation(H[2:])  # NaN
    with pytest.raises(SynergyInputError, match="n_synergies >= 2"):
        max_offdiagonal_correlation(H[:1])


def test_target_bounds():
    target = CalibrationTarget("x", "x", "s", low=0.75, high=0.90)
    assert target.met(0.75) and target.met(0.9) and not target.met(0.91)
    assert not target.met(float("nan"))
    assert CalibrationTarget("x", "x", "s", low=0.85).text == ">= 0.85"
    assert target.text == "0.75 - 0.9"


def test_bad_input_raises():
    X, W, _ = exact_data(2)
    with pytest.raises(SynergyInputError, match="must be in n_range"):
        matrix_measures(X, W, n_range=range(1, 5), n_restarts=1)
    with pytest.raises(SynergyInputError, match="W_true must have shape"):
        matrix_measures(X, W[:5], n_restarts=1)
    with pytest.raises(SynergyInputError, match="n >= 4"):
        knee_ratio([0.1, 0.2, 0.3])
    with pytest.raises(SynergyInputError, match="at least 2 participants"):
        summarise([{"n_values": [1]}], [W])
    with pytest.raises(SynergyInputError, match="no value"):
        calibration_table({"knee_ratio": 1.0})
    with pytest.raises(SynergyInputError, match="n_participants"):
        evaluate_generator(make_realistic_participant, n_participants=1)


def test_measure_participant_on_the_ideal_generator():
    """Integration: the noise-free linear model is recovered and its truth is known."""
    p = make_realistic_participant(0, random_state=1, n_repetitions=2, **ideal_parameters())
    m = measure_participant(p, n_range=range(1, 8), n_restarts=1, random_state=0)
    assert m["n_true"] == 6 and m["index"] == 0
    assert m["specific_share"] == pytest.approx(0.0, abs=1e-10)
    assert m["recovery_cosine"] > 0.95
    assert m["r2_at_true_n"] > 0.95  # phasic envelopes of one noisy-carrier repetition
    assert -1 <= m["max_activation_correlation"] <= 1
    assert 0 < m["true_model_r2"] <= 1
