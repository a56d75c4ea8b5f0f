"""Tests of synergylib.preprocessing: filters on known signals, the movement-level
steps on signals with known answers, input validation, and the whole chain on the
synthetic reaching participant (which knows its noise-free envelopes)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import synergylib.preprocessing as pp
from synergylib._validation import SynergyInputError
from synergylib.preprocessing import (
    PreprocessingConfig,
    SynergyMatrices,
    amplitude_normalise,
    average_repetitions,
    bandpass,
    downsample,
    emg_to_envelope,
    envelope,
    notch,
    preprocess_participant,
    preprocess_trial,
    rectify,
    remove_tonic,
    time_normalise,
)

FS = 1000.0


def _tone(freq, n=3000, fs=FS, phase=0.3):
    return np.sin(2 * np.pi * freq * np.arange(n) / fs + phase)


def _gain_db(y, x, edge=1000):
    """RMS gain in dB away from the edges (the steady state)."""
    middle = slice(edge, -edge)
    return 20 * np.log10(np.std(y[middle]) / np.std(x[middle]))


# --------------------------------------------------------------------------- filters
@pytest.mark.parametrize("freq, passes", [(5, False), (100, True), (300, True), (480, False)])
def test_bandpass_passes_the_band_and_attenuates_outside(freq, passes):
    x = _tone(freq)
    gain = _gain_db(bandpass(x, FS), x)
    if passes:
        assert abs(gain) < 0.1
    else:
        assert gain < -20


def test_bandpass_works_along_any_axis_and_batch():
    x = np.stack([_tone(5), _tone(100)])  # (2, n)
    along_last = bandpass(x, FS)
    along_first = bandpass(x.T, FS, axis=0)
    np.testing.assert_allclose(along_first.T, along_last)
    batch = bandpass(np.stack([x, 2 * x]), FS)
    np.testing.assert_allclose(batch[1], 2 * along_last, atol=1e-12)


def test_bandpass_is_zero_phase():
    # A symmetric pulse (Gaussian-windowed 100 Hz cosine) centred on sample c:
    # a zero-phase filter keeps it symmetric about c, so its peak stays at c.
    n, c = 2001, 1234
    t = (np.arange(n) - c) / FS
    pulse = np.cos(2 * np.pi * 100 * t) * np.exp(-0.5 * (t / 0.01) ** 2)
    y = bandpass(pulse, FS)
    assert np.argmax(y) == c
    np.testing.assert_allclose(y[c - 50:c], y[c + 50:c:-1], atol=1e-9)
    # the envelope of the same pulse peaks at the same sample, for both filters
    for method in ("butter", "fir"):
        assert np.argmax(envelope(y, FS, method=method)) == c


@pytest.mark.parametrize("harmonics", [1, 2])
def test_notch_removes_mains_and_keeps_the_rest(harmonics):
    mains = _tone(50)
    assert _gain_db(notch(mains, FS, harmonics=harmonics), mains) < -40
    hundred = _tone(100)
    gain_100 = _gain_db(notch(hundred, FS, harmonics=harmonics), hundred)
    if harmonics == 1:
        assert abs(gain_100) < 0.1
    else:
        assert gain_100 < -40
    emg_band = _tone(137)
    assert abs(_gain_db(notch(emg_band, FS, harmonics=harmonics), emg_band)) < 0.1


def test_rectify_is_absolute_value():
    x = np.array([[-2.0, 0.0, 3.5], [1.0, -1.0, 0.25]])
    np.testing.assert_array_equal(rectify(x), np.abs(x))


@pytest.mark.parametrize("method", ["butter", "fir"])
def test_envelope_recovers_the_modulating_envelope(method):
    rng = np.random.default_rng(0)
    n = 4000
    t = np.arange(n) / FS
    true_env = 0.2 + np.exp(-0.5 * ((t - 1.2) / 0.15) ** 2) + 0.6 * np.exp(
        -0.5 * ((t - 2.6) / 0.25) ** 2)
    carrier = bandpass(rng.standard_normal(n), FS)
    emg = true_env * carrier / carrier.std()
    env = envelope(emg, FS, method=method)
    assert env.min() >= 0
    assert np.corrcoef(env, true_env)[0, 1] > 0.95


def test_downsample_keeps_time_alignment_and_non_negativity():
    n = 3000
    t = np.arange(n) / FS
    slow = 1.0 + np.sin(2 * np.pi * 2 * t)  # non-negative, 2 Hz
    y = downsample(slow, FS, 100.0)
    assert y.shape == (300,)
    t_new = np.arange(300) / 100.0
    np.testing.assert_allclose(y[5:-5], 1.0 + np.sin(2 * np.pi * 2 * t_new[5:-5]), atol=1e-3)
    assert y.min() >= 0
    np.testing.assert_array_equal(downsample(slow, FS, FS), slow)
    # a rational, non-integer ratio and a batch along axis 0
    z = downsample(np.stack([slow, slow]).T, FS, 400.0, axis=0)
    assert z.shape == (1200, 2)


# ------------------------------------------------------------- movement-level steps
def test_remove_tonic_leaves_the_burst_of_a_ramp_plus_burst():
    fs, n = 100.0, 300
    onset, offset = 80.0, 200.0
    t = np.arange(n)
    # tonic: 0.3 at rest before, 0.7 at rest after, a straight line in between
    tonic = 0.3 + 0.4 * np.clip((t - onset) / (offset - onset), 0, 1)
    burst = np.exp(-0.5 * ((t - 140) / 10.0) ** 2)
    phasic = remove_tonic(tonic + burst, onset, offset, fs)
    np.testing.assert_allclose(phasic, burst, atol=1e-12)
    # negative values are clipped: a dip below the tonic line becomes zero
    dipped = remove_tonic(tonic - burst * (tonic > 0), onset, offset, fs)
    assert dipped.min() == 0.0 and dipped.max() < 1e-12


def test_remove_tonic_is_vectorised_over_trials():
    fs, n = 100.0, 300
    rng = np.random.default_rng(1)
    env = rng.random((3, 2, 4, n))
    onset = np.array([[60, 70], [80, 90], [100, 65]], float)
    offset = onset + 100
    batch = remove_tonic(env, onset, offset, fs)
    for i in range(3):
        for r in range(2):
            np.testing.assert_allclose(
                batch[i, r], remove_tonic(env[i, r], onset[i, r], offset[i, r], fs))


def test_time_normalise_maps_a_linear_segment_exactly():
    t = np.arange(200, dtype=float)
    line = 3.0 * t + 2.0
    out = time_normalise(line, 10.5, 80.25, n_points=7)
    np.testing.assert_allclose(out, 3.0 * np.linspace(10.5, 80.25, 7) + 2.0, rtol=0, atol=1e-12)


def test_time_normalise_equals_np_interp_per_trial():
    rng = np.random.default_rng(2)
    env = rng.random((4, 3, 150))
    onset = rng.uniform(0, 40, 4)
    offset = onset + rng.uniform(20, 100, 4)
    out = time_normalise(env, onset, offset, n_points=100)
    assert out.shape == (4, 3, 100)
    for i in range(4):
        grid = np.linspace(onset[i], offset[i], 100)
        for m in range(3):
            np.testing.assert_allclose(out[i, m], np.interp(grid, np.arange(150), env[i, m]))


def test_average_repetitions():
    x = np.arange(24, dtype=float).reshape(2, 3, 4)
    np.testing.assert_allclose(average_repetitions(x, axis=1), x.mean(axis=1))
    np.testing.assert_allclose(average_repetitions(x, [0, 2], axis=1), (x[:, 0] + x[:, 2]) / 2)
    np.testing.assert_allclose(average_repetitions(x, [-1], axis=1), x[:, 2])
    with pytest.raises(ValueError, match="out of range"):
        average_repetitions(x, [3], axis=1)
    with pytest.raises(ValueError, match="duplicates"):
        average_repetitions(x, [0, 0], axis=1)


def test_amplitude_normalise_max_is_one_and_reference_is_reused():
    rng = np.random.default_rng(3)
    train = rng.random((5, 50)) * np.arange(1, 6)[:, None]
    normalised, scale = amplitude_normalise(train)
    np.testing.assert_allclose(normalised.max(axis=1), 1.0)
    np.testing.assert_allclose(scale, train.max(axis=1))
    test = 1.5 * train
    test_normalised, test_scale = amplitude_normalise(test, reference=scale)
    np.testing.assert_allclose(test_scale, scale)
    np.testing.assert_allclose(test_normalised.max(axis=1), 1.5)  # training scale, no leakage


def test_amplitude_normalise_rejects_a_silent_muscle():
    x = np.ones((3, 10))
    x[1] = 0.0
    with pytest.raises(ValueError, match=r"\['BIC'\].*silent"):
        amplitude_normalise(x, muscle_names=["DEL", "BIC", "TRI"])
    with pytest.raises(ValueError, match="3 muscles"):
        amplitude_normalise(np.ones((3, 10)), reference=[1.0, 2.0])


# ---------------------------------------------------------------------- config
def test_config_is_frozen_and_tabulates_every_parameter():
    config = PreprocessingConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.n_points = 50
    rows = config.as_table()
    assert [r[0] for r in rows] == [f.name for f in dataclasses.fields(config)]
    assert all(len(r) == 4 and r[3] in {"paper", "group", "choice"} for r in rows)
    table = dict((r[0], r[1]) for r in rows)
    assert table["bandpass_low"] == "20 Hz" and table["bandpass_high"] == "450 Hz"
    assert table["fs_out"] == "100 Hz" and table["n_points"] == "100"
    assert table["tonic_pre"] == "0.2-0.4 s"
    assert config.to_markdown().count("\n") == len(rows) + 1


@pytest.mark.parametrize("kwargs, match", [
    ({"bandpass_low": 500.0}, "below bandpass_high"),
    ({"envelope_method": "rms"}, "envelope_method"),
    ({"n_points": 1}, "n_points"),
    ({"tonic_pre": (0.4, 0.2)}, "near < far"),
    ({"amplitude_reference": "test"}, "amplitude_reference"),
    ({"test_repetition": 1.5}, "test_repetition"),
])
def test_config_rejects_bad_values(kwargs, match):
    with pytest.raises(ValueError, match=match):
        PreprocessingConfig(**kwargs)


# ------------------------------------------------------------------- validation
def test_bad_inputs_raise_clear_errors():
    x = _tone(100)
    with pytest.raises(ValueError, match="NaN"):
        bandpass(np.r_[x[:-1], np.nan], FS)
    with pytest.raises(ValueError, match="infinity"):
        envelope(np.r_[x[:-1], np.inf], FS)
    with pytest.raises(ValueError, match="too low"):
        bandpass(x, 800.0)
    with pytest.raises(ValueError, match="too low"):
        notch(x, FS, freq=50, harmonics=10)
    with pytest.raises(ValueError, match="too short"):
        bandpass(x[:20], FS)
    with pytest.raises(ValueError, match="2-D"):
        preprocess_trial(x, FS, 100, 200)
    with pytest.raises(ValueError, match="onset must be strictly before offset"):
        time_normalise(x, 200, 100)
    with pytest.raises(ValueError, match="inside the trial"):
        time_normalise(x, 10, 5000)
    with pytest.raises(ValueError, match="n_points"):
        time_normalise(x, 10, 100, n_points=1)
    with pytest.raises(ValueError, match="before the trial"):
        remove_tonic(np.abs(x), 100, 2000, FS)  # needs 400 ms of rest before onset
    with pytest.raises(ValueError, match="after the trial"):
        remove_tonic(np.abs(x), 1000, 2800, FS)
    with pytest.raises(ValueError, match="fs_new <= fs"):
        downsample(x, FS, 2000.0)


# ---------------------------------------------------------------- the chains
def test_emg_to_envelope_on_a_raw_trial_at_another_rate():
    rng = np.random.default_rng(4)
    fs, n = 2000.0, 6000
    t = np.arange(n) / fs
    true_env = 0.1 + np.exp(-0.5 * ((t - 1.5) / 0.2) ** 2) * np.array([[1.0], [0.5], [2.0]])
    raw = true_env * rng.standard_normal((3, n)) + 0.5 * np.sin(2 * np.pi * 50 * t)
    env = emg_to_envelope(raw, fs, PreprocessingConfig(envelope_method="butter"))
    assert env.shape == raw.shape and env.min() >= 0
    for m in range(3):
        assert np.corrcoef(env[m], true_env[m])[0, 1] > 0.95


def test_preprocess_trial_shape_and_burst_position():
    rng = np.random.default_rng(5)
    n, onset, offset = 2500, 700, 1800
    t = np.arange(n)
    # a burst exactly half-way through the movement, on a constant tonic level
    true_env = 0.2 + np.exp(-0.5 * ((t - 1250) / 60.0) ** 2) * np.array([[1.0], [2.0]])
    emg = true_env * rng.standard_normal((2, n))
    out = preprocess_trial(emg, FS, onset, offset)
    assert out.shape == (2, 100) and out.min() >= 0
    centroid = (out * np.arange(100)).sum(axis=1) / out.sum(axis=1)
    assert np.all(np.abs(centroid - 49.5) < 2)
    assert np.all(out[:, :10].mean(axis=1) < 0.1 * out.max(axis=1))  # tonic removed


# --------------------------------------------------------- synthetic participant
@pytest.fixture(scope="module")
def participant():
    datasets = pytest.importorskip("synergylib.datasets")
    return datasets.make_reaching_participant(0, random_state=0, n_repetitions=2)


def _ground_truth_matrix(p, values, config, repetitions):
    """Generator's noise-free signals, time-normalised and arranged like the chain's."""
    order = np.lexsort((p.movement_target,
                        [p.planes.index(str(v)) for v in p.movement_plane]))
    trials = time_normalise(np.asarray(values, float)[order], p.onset[order],
                            p.offset[order], config.n_points)
    mean = trials[:, repetitions].mean(axis=1)
    return mean.transpose(1, 0, 2).reshape(mean.shape[1], -1)


def test_participant_matrices_have_the_documented_layout(participant):
    p = participant
    matrices = preprocess_participant(p)
    assert isinstance(matrices, SynergyMatrices)
    n_movements = p.emg.shape[0]
    n_synergies = p.activations.shape[2]
    assert matrices.train.shape == (p.emg.shape[2], n_movements * 100)
    assert matrices.test.shape == matrices.train.shape
    assert matrices.true_activations_train.shape == (n_synergies, n_movements * 100)
    assert matrices.true_activations_test.shape == (n_synergies, n_movements * 100)
    assert matrices.muscles == tuple(p.muscles)
    np.testing.assert_allclose(matrices.train.max(axis=1), 1.0)
    assert matrices.train.min() >= 0 and matrices.test.min() >= 0
    # movements ordered by plane (in the order of p.planes), then target
    plane_rank = [p.planes.index(str(v)) for v in matrices.movement_plane]
    keys = list(zip(plane_rank, matrices.movement_target.tolist()))
    assert keys == sorted(keys)
    assert matrices.movement_slice(1) == slice(100, 200)
    with pytest.raises(ValueError):
        matrices.train[0, 0] = 5.0  # read-only
    # same input, same numbers
    again = preprocess_participant(p)
    np.testing.assert_array_equal(again.train, matrices.train)
    # the held-out matrix is divided by the training maxima
    np.testing.assert_allclose(
        matrices.test * matrices.amplitude_scale[:, None],
        preprocess_participant(p, PreprocessingConfig(normalise_amplitude=False)).test)


@pytest.mark.parametrize("method", ["fir", "butter"])
def test_chain_recovers_the_generator_envelopes(participant, method):
    p = participant
    config = PreprocessingConfig(phasic=False, envelope_method=method)
    matrices = preprocess_participant(p, config)
    for matrix, reps in ((matrices.train, [0]), (matrices.test, [1])):
        truth = _ground_truth_matrix(p, p.envelopes, config, reps)
        for m in range(matrix.shape[0]):
            r = np.corrcoef(matrix[m], truth[m])[0, 1]
            assert r >= 0.9, f"muscle {p.muscles[m]}: r = {r:.3f}"


def test_phasic_chain_recovers_the_phasic_part_of_the_generator_envelopes(participant):
    # Reference: the same straight-line tonic removal applied to the noise-free
    # envelope at the raw rate (the generator's tonic follows arm elevation, so
    # this is the phasic part as the protocol defines it, not a generator field).
    p = participant
    config = PreprocessingConfig()  # phasic=True, FIR envelope
    matrices = preprocess_participant(p, config)
    phasic_truth = remove_tonic(np.asarray(p.envelopes, float), p.onset, p.offset, p.fs,
                                config.tonic_pre, config.tonic_post)
    for matrix, reps in ((matrices.train, [0]), (matrices.test, [1])):
        truth = _ground_truth_matrix(p, phasic_truth, config, reps)
        for m in range(matrix.shape[0]):
            r = np.corrcoef(matrix[m], truth[m])[0, 1]
            assert r >= 0.9, f"muscle {p.muscles[m]}: r = {r:.3f}"


def test_true_activations_are_time_normalised_like_the_emg(participant):
    p = participant
    matrices = preprocess_participant(p)  # phasic EMG: the phasic truth
    phasic = p.activations - p.tonic_activations
    expected = _ground_truth_matrix(p, phasic, matrices.config, [0])
    np.testing.assert_allclose(matrices.true_activations_train, expected, rtol=1e-6)
    total = preprocess_participant(p, PreprocessingConfig(phasic=False))
    expected = _ground_truth_matrix(p, p.activations, total.config, [0])
    np.testing.assert_allclose(total.true_activations_train, expected, rtol=1e-6)
    assert (total.true_activations_train - matrices.true_activations_train).max() > 0.05


def test_preprocess_trial_matches_the_participant_chain(participant):
    p = participant
    config = PreprocessingConfig(normalise_amplitude=False, test_repetition=None)
    matrices = preprocess_participant(p, config)
    i = 7
    movement = np.flatnonzero((p.movement_plane == matrices.movement_plane[i])
                              & (p.movement_target == matrices.movement_target[i]))[0]
    single = [preprocess_trial(p.emg[movement, r], p.fs, p.onset[movement, r],
                               p.offset[movement, r], config) for r in range(2)]
    np.testing.assert_allclose(matrices.train[:, matrices.movement_slice(i)],
                               np.mean(single, axis=0), rtol=1e-9, atol=1e-12)
    assert matrices.test is None and matrices.true_activations_test is None


def test_tonic_component_known_levels():
    fs = 100.0
    env = np.full(200, 2.0)
    env[100:] = 6.0  # rest level 2 before, 6 after
    onset, offset = 60, 140
    tonic = pp.tonic_component(env, onset, offset, fs)
    assert tonic[0] == pytest.approx(2.0)
    assert tonic[onset] == pytest.approx(2.0)
    assert tonic[(onset + offset) // 2] == pytest.approx(4.0)
    assert tonic[offset] == pytest.approx(6.0)
    assert tonic[-1] == pytest.approx(6.0)
    np.testing.assert_array_equal(pp.remove_tonic(env, onset, offset, fs),
                                  np.maximum(env - tonic, 0.0))
    with pytest.raises(SynergyInputError, match="rest window before onset"):
        pp.tonic_component(env, 10, 140, fs)  # pre window starts before the trial


@pytest.mark.parametrize("kind", pp.FILTERS)
def test_design_filters_are_what_the_chain_applies(kind):
    """Filtering an impulse with the designed coefficients, forward and backward,
    gives what the chain's function gives."""
    from scipy import signal

    fs = 1000.0
    config = pp.PreprocessingConfig()
    x = np.zeros(4000)
    x[2000] = 1.0
    y = x
    for form, coefficients in pp.design_filters(kind, fs, config):
        y = (signal.sosfiltfilt(coefficients, y, padlen=pp._sos_padlen(coefficients))
             if form == "sos" else signal.filtfilt(*coefficients, y))
    if kind == "bandpass":
        expected = pp.bandpass(x, fs, config.bandpass_low, config.bandpass_high,
                               config.bandpass_order)
    elif kind == "notch":
        expected = pp.notch(x, fs, config.notch_freq, config.notch_quality,
                            config.notch_harmonics)
    else:
        expected = pp.envelope(x, fs, config.envelope_cutoff, config.envelope_order,
                               config.envelope_method, config.envelope_numtaps)
        y = np.maximum(y, 0.0)
    np.testing.assert_array_equal(y, expected)
    with pytest.raises(SynergyInputError, match="Unknown filter"):
        pp.design_filters("highpass", fs)
