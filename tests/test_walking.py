"""Tests of synergylib.walking on the offline copy of the musclesyneRgies walking data.

The walking chapter's tables and named values are tested in tests/chapters/test_walking.py.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

from synergylib.metrics import r2_score
from synergylib.santuz import SANTUZ_MUSCLES
from synergylib.study import AutoencoderConfig, ParticipantResult, StudyConfig
from synergylib.walking import (
    compare_with_package,
    gait_phase_bounds,
    preprocess_walking_trial,
    r2_grand_mean,
    run_walking_study,
    santuz_preprocessing_config,
    time_normalise_gait_cycles,
    walking_cache_key,
    walking_matrices,
)


def tiny_config(**changes) -> StudyConfig:
    base = StudyConfig(
        n_participants=2,
        n_max=5,
        nmf_restarts=1,
        nmf_max_iter=200,
        autoencoder=AutoencoderConfig(
            n_restarts=1, max_epochs=20, pairings=(("linear", "linear"), ("relu", "tanh"))
        ),
    )
    return dataclasses.replace(base, **changes)


# -- preprocessing --------------------------------------------------------------------


def test_config_matches_the_package_filters():
    c = santuz_preprocessing_config()
    assert (c.bandpass_low, c.bandpass_high, c.bandpass_order) == (50.0, 450.0, 4)
    assert c.notch is False and c.phasic is False and c.fs_out is None
    assert (c.envelope_method, c.envelope_order, c.envelope_cutoff) == ("butter", 4, 20.0)
    assert santuz_preprocessing_config(envelope_cutoff=10.0).envelope_cutoff == 10.0


def test_gait_phase_bounds(santuz_raw):
    bounds = gait_phase_bounds(santuz_raw)
    # 6 touchdowns -> 5 complete cycles; first and last dropped -> 3 (as FILT_EMG)
    assert bounds.shape == (3, 3)
    expected_first = (santuz_raw.cycles[1] - santuz_raw.time[0]) * santuz_raw.fs
    np.testing.assert_allclose(bounds[0, :2], expected_first)
    np.testing.assert_allclose(bounds[0, 2], (santuz_raw.cycles[2, 0] - santuz_raw.time[0]) * santuz_raw.fs)
    np.testing.assert_array_equal(bounds[1:, 0], bounds[:-1, 2])  # cycles are consecutive
    assert gait_phase_bounds(santuz_raw, drop_first=0, drop_last=0).shape == (5, 3)
    with pytest.raises(ValueError, match="No gait cycle left"):
        gait_phase_bounds(santuz_raw, drop_first=3, drop_last=2)
    with pytest.raises(ValueError, match="drop_first == -1, must be >= 0"):
        gait_phase_bounds(santuz_raw, drop_first=-1)


def test_time_normalise_gait_cycles_known_answer():
    # A ramp e(t) = t in one row, 2t in the other: resampled values are the sample times.
    t = np.arange(100, dtype=float)
    env = np.vstack([t, 2 * t])
    bounds = np.array([[10.0, 40.0, 50.0], [50.0, 70.5, 90.0]])
    out = time_normalise_gait_cycles(env, bounds, n_stance=4, n_swing=3)
    assert out.shape == (2, 2, 7)
    np.testing.assert_allclose(out[0, 0], [10, 20, 30, 40, 40, 45, 50])
    np.testing.assert_allclose(out[1, 0], [50, 50 + 20.5 / 3, 50 + 41 / 3, 70.5, 70.5, 80.25, 90])
    np.testing.assert_allclose(out[:, 1], 2 * out[:, 0])
    with pytest.raises(ValueError, match="shape"):
        time_normalise_gait_cycles(env, bounds[:, :2])


def _rowwise_correlation(a, b) -> np.ndarray:
    return np.array([np.corrcoef(x, y)[0, 1] for x, y in zip(a, b)])


def test_preprocessing_reproduces_filt_emg(santuz_raw, santuz_filtered):
    """Known answer: the library chain with the package's settings gives FILT_EMG."""
    filt = santuz_filtered
    cycles = preprocess_walking_trial(santuz_raw)
    assert cycles.shape == (3, 13, 200)
    ours = np.concatenate(list(cycles), axis=1)
    assert ours.shape == filt.emg.shape and len(SANTUZ_MUSCLES) == ours.shape[0]
    correlation = _rowwise_correlation(ours, filt.emg)
    assert correlation.min() > 0.999
    assert np.abs(ours - filt.emg).max() < 0.05
    assert ours.max() <= 1.0 and ours.min() >= 0.0
    # The protocol's reaching chain (20-450 Hz, 50-tap FIR) smooths differently.
    from synergylib.preprocessing import PreprocessingConfig

    reaching = PreprocessingConfig(fs_out=None, phasic=False, test_repetition=None)
    other = np.concatenate(list(preprocess_walking_trial(santuz_raw, reaching)), axis=1)
    assert _rowwise_correlation(other, filt.emg).mean() < correlation.mean()


def test_preprocessing_rejects_movement_settings(santuz_raw):
    with pytest.raises(ValueError, match="phasic=False"):
        preprocess_walking_trial(santuz_raw, santuz_preprocessing_config(phasic=True))
    with pytest.raises(ValueError, match="fs_out=None"):
        preprocess_walking_trial(santuz_raw, santuz_preprocessing_config(fs_out=100.0))


# -- NMF against musclesyneRgies ------------------------------------------------------


def test_r2_grand_mean(santuz_participants):
    p = santuz_participants[0]
    recon = p.synergies @ p.activations
    assert r2_grand_mean(p.emg, recon) == pytest.approx(p.r2_grand_mean, abs=1e-10)
    assert r2_grand_mean(p.emg, recon) > r2_score(p.emg.T, recon.T)
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert r2_grand_mean(X, X) == 1.0
    assert r2_grand_mean(X, np.full_like(X, X.mean())) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="constant"):
        r2_grand_mean(np.ones((2, 3)), np.ones((2, 3)))


def test_compare_with_package(santuz_participants):
    p = santuz_participants[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = compare_with_package(p, n_max=3, n_restarts=3, random_state=0)
    # n_max is raised to the package's N so that its N can be compared
    np.testing.assert_array_equal(c.n_values, np.arange(1, p.n_synergies + 1))
    assert c.synergies_at_package_n.shape == (13, p.n_synergies)
    # the rule: smallest N with centred R2 >= 0.80
    assert c.r2_curve[c.n_threshold - 1] >= 0.80
    assert c.n_threshold == 1 or c.r2_curve[c.n_threshold - 2] < 0.80
    # the same data, the same model family: synergies at the package's N agree closely
    assert c.cosine_at_package_n.mean() > 0.95
    assert np.all(c.r2_grand_mean_curve >= c.r2_curve)
    assert c.package_r2_grand_mean == pytest.approx(p.r2_grand_mean, abs=1e-10)
    assert c.package_r2_centred < c.package_r2_grand_mean
    row = c.row()
    assert row["participant"] == p.id and row["n_package"] == p.n_synergies
    assert row["cosine_at_package_n"] == pytest.approx(c.cosine_at_package_n.mean())
    assert row["r2_at_package_n"] == pytest.approx(c.r2_curve[p.n_synergies - 1])


def test_compare_with_package_recovers_exact_factorisation(santuz_participants):
    """Known answer: a matrix that IS the package's W H gives back the package's W."""
    p = santuz_participants[13]  # 4 synergies
    exact = dataclasses.replace(p, emg=p.synergies @ p.activations)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = compare_with_package(exact, n_max=4, n_restarts=5, max_iter=3000, tol=1e-8, random_state=1)
    assert c.r2_curve[p.n_synergies - 1] > 0.999
    assert c.cosine_at_package_n.min() > 0.99


# -- the study on walking matrices ----------------------------------------------------


def test_walking_matrices(santuz_participants):
    m = walking_matrices(santuz_participants[2])
    assert m.train.shape == (13, 200) and m.test is None
    assert m.true_activations_train is None and m.n_points == 200
    assert m.muscles == SANTUZ_MUSCLES and m.n_movements == 1
    np.testing.assert_array_equal(m.train, santuz_participants[2].emg)
    assert not m.train.flags.writeable


def test_cache_key():
    c = tiny_config()
    assert walking_cache_key(c, 0, "A") == walking_cache_key(c, 0, "A")
    assert walking_cache_key(c, 0, "A") != walking_cache_key(c, 0, "B")
    assert walking_cache_key(c, 0, "A") != walking_cache_key(c, 1, "A")
    assert walking_cache_key(c, 0, "A") != walking_cache_key(dataclasses.replace(c, nmf_restarts=2), 0, "A")


def test_run_walking_study_caches(santuz_participants, tmp_path, monkeypatch):
    config = tiny_config()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = run_walking_study(config, santuz_participants, cache_dir=tmp_path, progress=False)
    assert len(results) == 2
    assert [r.index for r in results] == [0, 1]
    for r, p in zip(results, santuz_participants):
        np.testing.assert_array_equal(r.train, p.emg)
        assert r.test is None and r.true_synergies is None
        assert r.pairings == ("linear+linear", "relu+tanh")
        assert r.ae_synergies.shape == (2, 13, r.n_synergies)
    files = sorted(tmp_path.glob("walking-*.npz"))
    assert len(files) == 2 and santuz_participants[0].id in files[0].name

    # second run: everything comes from the cache (analysing again would fail)
    def refuse(*args, **kwargs):
        raise AssertionError("recomputed instead of loading the cache")

    monkeypatch.setattr("synergylib.study.analyse_matrices", refuse)
    again = run_walking_study(config, santuz_participants, cache_dir=tmp_path, progress=False)
    for a, b in zip(results, again):
        assert isinstance(b, ParticipantResult)
        np.testing.assert_array_equal(a.ae_synergies, b.ae_synergies)
        np.testing.assert_array_equal(a.nmf_synergies, b.nmf_synergies)

    with pytest.raises(ValueError, match="only 15 walking participants"):
        run_walking_study(dataclasses.replace(config, n_participants=16), santuz_participants, progress=False)
