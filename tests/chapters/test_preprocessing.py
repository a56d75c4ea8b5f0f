"""Tests of synergylib.chapters.preprocessing: known answers for the computations,
and what the figures draw (Agg backend, small arrays)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # the test module selects the backend, never the library

from dataclasses import replace  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from synergylib.chapters import preprocessing as ppl  # noqa: E402
from synergylib import preprocessing as pp  # noqa: E402

FS = 1000.0


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _sine(freq, n=8000, amplitude=1.0, offset=0.0):
    t = np.arange(n) / FS
    return offset + amplitude * np.sin(2 * np.pi * freq * t)


def _steady_amplitude(y, freq):
    """Amplitude of the sinusoid at ``freq`` in the middle of ``y`` (away from the edges)."""
    mid = y[2000:-2000]
    t = np.arange(mid.size) / FS
    basis = np.stack([np.sin(2 * np.pi * freq * t), np.cos(2 * np.pi * freq * t)], axis=1)
    coef, *_ = np.linalg.lstsq(basis, mid - mid.mean(), rcond=None)
    return np.hypot(*coef)


def _gain_at(kind, freq, config):
    f, g = ppl.filter_response(kind, FS, config)
    return np.interp(freq, f, g)


# --------------------------------------------------------------------------- #
# filter_response agrees with what the chain's filters actually do
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("freq", [8.0, 20.0, 100.0, 300.0, 450.0, 480.0])
def test_bandpass_response_matches_filtering(freq):
    config = pp.PreprocessingConfig()
    y = pp.bandpass(_sine(freq), FS, config.bandpass_low, config.bandpass_high,
                    config.bandpass_order)
    assert _steady_amplitude(y, freq) == pytest.approx(_gain_at("bandpass", freq, config),
                                                       abs=2e-3)


def test_bandpass_gain_is_half_power_squared_at_edges():
    config = pp.PreprocessingConfig()
    # zero-phase: |H|^2 = 1/2 at the designed -3 dB edges
    assert _gain_at("bandpass", config.bandpass_low, config) == pytest.approx(0.5, abs=0.01)
    assert _gain_at("bandpass", config.bandpass_high, config) == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize("freq", [45.0, 49.0, 50.0, 60.0])
def test_notch_response_matches_filtering(freq):
    config = pp.PreprocessingConfig()
    y = pp.notch(_sine(freq), FS, config.notch_freq, config.notch_quality,
                 config.notch_harmonics)
    assert _steady_amplitude(y, freq) == pytest.approx(_gain_at("notch", freq, config),
                                                       abs=5e-3)
    if freq == 50.0:
        assert _gain_at("notch", freq, config) < 1e-3


def test_notch_response_with_harmonics():
    config = replace(pp.PreprocessingConfig(), notch_harmonics=2)
    assert _gain_at("notch", 100.0, config) < 1e-3
    assert _gain_at("notch", 75.0, config) > 0.99


@pytest.mark.parametrize("method", ["fir", "butter"])
@pytest.mark.parametrize("freq", [2.0, 10.0, 20.0, 30.0])
def test_envelope_response_matches_filtering(method, freq):
    config = replace(pp.PreprocessingConfig(), envelope_method=method)
    # A positive signal (rectification leaves it unchanged): DC 1 plus a sinusoid.
    x = _sine(freq, amplitude=0.5, offset=1.0)
    y = pp.envelope(x, FS, config.envelope_cutoff, order=config.envelope_order,
                    method=method, numtaps=config.envelope_numtaps)
    expected = 0.5 * _gain_at("envelope", freq, config)
    assert _steady_amplitude(y, freq) == pytest.approx(expected, abs=2e-3)
    assert _gain_at("envelope", 0.0, config) == pytest.approx(1.0, abs=1e-6)


def test_filter_response_rejects_unknown_kind():
    with pytest.raises(ValueError, match="Unknown filter"):
        ppl.filter_response("highpass", FS)
    with pytest.raises(ValueError, match="fs"):
        ppl.filter_response("notch", -1.0)


# --------------------------------------------------------------------------- #
# tonic_share, rowwise_correlation, low_frequency_rms
# --------------------------------------------------------------------------- #
def test_tonic_share_known_answers():
    rng = np.random.default_rng(1)
    phasic = rng.random((3, 50))
    # A constant tonic offset: a share of the area, none of the variance.
    total = phasic + np.array([[1.0], [2.0], [0.0]])
    share = ppl.tonic_share(total, phasic)
    np.testing.assert_allclose(share["variance"], 0.0, atol=1e-12)
    np.testing.assert_allclose(share["area"], (total - phasic).sum(1) / total.sum(1))
    assert share["area_pooled"] == pytest.approx(150.0 / total.sum())
    # Tonic equal to phasic: half of everything.
    share = ppl.tonic_share(2 * phasic, phasic)
    np.testing.assert_allclose(share["area"], 0.5)
    np.testing.assert_allclose(share["variance"], 0.5)
    assert share["variance_pooled"] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="same shape"):
        ppl.tonic_share(total, phasic[:, :10])


def test_rowwise_correlation():
    rng = np.random.default_rng(2)
    a, b = rng.random((4, 30)), rng.random((4, 30))
    expected = [np.corrcoef(x, y)[0, 1] for x, y in zip(a, b)]
    np.testing.assert_allclose(ppl.rowwise_correlation(a, b), expected)
    np.testing.assert_allclose(ppl.rowwise_correlation(a, 3 * a + 2), 1.0)
    np.testing.assert_allclose(ppl.rowwise_correlation(a, -a), -1.0)
    with pytest.raises(ValueError, match="constant"):
        ppl.rowwise_correlation(a, np.ones_like(a))


def test_low_frequency_rms():
    slow = ppl.low_frequency_rms(_sine(2.0, amplitude=3.0), FS)
    fast = ppl.low_frequency_rms(_sine(200.0, amplitude=3.0), FS)
    assert slow == pytest.approx(3.0 / np.sqrt(2), rel=0.02)
    assert fast < 0.02 * slow  # only the filter's edge transients remain
    both = ppl.low_frequency_rms(np.stack([_sine(2.0), _sine(200.0)]), FS)
    assert both.shape == (2,) and both[0] > 50 * both[1]


# --------------------------------------------------------------------------- #
# figures
# --------------------------------------------------------------------------- #
def test_plot_synergy_matrix_draws_the_matrix_and_planes():
    rng = np.random.default_rng(3)
    planes = np.array(["f", "f", "h", "h", "u"])
    matrix = rng.random((3, 5 * 10))
    fig, ax = ppl.plot_synergy_matrix(matrix, ["A", "B", "C"], planes, 10,
                                      plane_names={"f": "frontal", "h": "horizontal"})
    np.testing.assert_array_equal(ax.images[0].get_array(), matrix)
    lines = ax.get_lines()  # one vertical line per movement boundary
    assert [line.get_xdata()[0] for line in lines] == [10, 20, 30, 40]
    thick = [line.get_xdata()[0] for line in lines if line.get_linewidth() > 1]
    assert thick == [20, 40]  # plane boundaries
    top = [a for a in fig.axes[0].child_axes]
    assert [t.get_text() for t in top[0].get_xticklabels()] == ["frontal", "horizontal", "u"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B", "C"]
    with pytest.raises(ValueError, match="does not hold"):
        ppl.plot_synergy_matrix(matrix, ["A", "B", "C"], planes, 9)


def test_plot_muscle_bars_heights_and_ranges():
    values = np.array([[0.5, 0.7, 0.9], [0.6, 0.8, 0.95]])
    _, ax = ppl.plot_muscle_bars(values, ["a", "b", "c"], labels=["one", "two"],
                                 low=values - 0.1, high=values + 0.02, ylim=(0.4, 1.0))
    bars = ax.patches
    assert len(bars) == 6
    tops = np.array([b.get_y() + b.get_height() for b in bars])
    np.testing.assert_allclose(tops, values.ravel())
    np.testing.assert_allclose([b.get_y() for b in bars], 0.4)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["one", "two"]
    with pytest.raises(ValueError, match="one value per muscle"):
        ppl.plot_muscle_bars([1.0, 2.0], ["a", "b", "c"])


def test_plot_tonic_removal_lines_and_windows():
    t = np.arange(200) / 100.0
    env = np.linspace(0, 1, 200)
    tonic, phasic = 0.5 * env, 0.5 * env
    _, ax = ppl.plot_tonic_removal(t, env, tonic, phasic, 0.6, 1.4, (0.2, 0.4), (0.2, 0.4))
    labelled = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(labelled["total envelope"].get_ydata(), env)
    np.testing.assert_allclose(labelled["tonic line"].get_ydata(), tonic)
    np.testing.assert_allclose(labelled["phasic"].get_ydata(), phasic)
    assert len(ax.patches) == 2
    x_ranges = sorted((p.get_x(), p.get_x() + p.get_width()) for p in ax.patches)
    np.testing.assert_allclose(x_ranges, [(0.2, 0.4), (1.6, 1.8)])
    assert "true tonic part" not in labelled
    _, ax = ppl.plot_tonic_removal(t, env, tonic, phasic, 0.6, 1.4, (0.2, 0.4), (0.2, 0.4),
                                   true_tonic=0.4 * env, true_label="truth")
    labelled = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(labelled["truth"].get_ydata(), 0.4 * env)


def test_plot_spectra_draws_psd_and_gain():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((3, 2048))
    f, g = ppl.filter_response("bandpass", FS)
    fig, ax = ppl.plot_spectra({"raw": x, "other": 0.1 * x}, FS, response=(f, g, "gain"),
                               nperseg=256)
    raw, other = ax.get_lines()
    # 0.1 x the signal is 20 dB lower at every frequency
    np.testing.assert_allclose(raw.get_ydata() - other.get_ydata(), 20.0, atol=1e-9)
    assert len(fig.axes) == 2  # the gain's twin axis
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["raw", "other", "gain"]


def test_plot_time_normalisation_and_average():
    env = np.tile(np.arange(100.0), (3, 1))
    normalised = np.tile(np.linspace(0, 1, 10), (3, 1))
    _, axes = ppl.plot_time_normalisation(env, [10, 20, 30], [50, 70, 90], 100.0, normalised)
    assert len(axes) == 2
    assert len(axes[1].get_lines()) == 3
    np.testing.assert_allclose(axes[1].get_lines()[0].get_xdata(), np.linspace(0, 100, 10))
    legend = [t.get_text() for t in axes[0].get_legend().get_texts()]
    assert legend == ["0.40 s", "0.50 s", "0.60 s"]

    train = np.arange(20.0).reshape(4, 5)
    _, ax = ppl.plot_repetition_average(train, test=np.zeros(5))
    labelled = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(labelled["training mean"].get_ydata(), train.mean(0))
    assert "held-out repetition" in labelled
    assert len(ax.get_lines()) == 4 + 2


def test_simple_line_plots():
    t = np.arange(100) / 100.0
    x = np.sin(t)
    fig, ax = ppl.plot_before_after(t, x, 2 * x, onset_s=0.2, offset_s=0.8)
    assert len(ax.get_lines()) == 4  # two signals, two movement markers
    _, ax = ppl.plot_envelopes(t, np.abs(x), {"a": x, "b": x}, truth=x)
    assert [line.get_label() for line in ax.get_lines()] == ["rectified EMG", "a", "b",
                                                             "true envelope"]
    _, ax = ppl.plot_downsampling(t, x, t[::10], x[::10])
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), x[::10])
    with pytest.raises(ValueError, match="same length"):
        ppl.plot_before_after(t, x, x[:50])


@pytest.fixture(scope="module")
def small_participant():
    from synergylib.datasets import make_reaching_participant

    return make_reaching_participant(0, random_state=3, n_repetitions=2)


@pytest.fixture(scope="module")
def realistic_participant():
    from synergylib.datasets import make_participant

    return make_participant(0, random_state=3, n_repetitions=2)


def test_envelope_recovery_on_synthetic_data(small_participant):
    config = replace(pp.PreprocessingConfig(), phasic=False)
    r = ppl.envelope_recovery(small_participant, config)
    assert set(r) == {"train", "test"}
    assert r["train"].shape == (16,) and r["test"].shape == (16,)
    # the chain recovers the generator's envelope closely on every muscle
    assert r["train"].min() > 0.9 and r["test"].min() > 0.9
    # clean and linear: the true envelope is W @ H, time-normalised and averaged
    matrices = pp.preprocess_participant(small_participant, config)
    true = small_participant.synergies @ matrices.true_activations_train
    np.testing.assert_allclose(r["train"], ppl.rowwise_correlation(matrices.train, true),
                               rtol=1e-5)
    # a wrong truth (another muscle's envelope) correlates much less on average
    shuffled = ppl.rowwise_correlation(matrices.train, np.roll(true, 1, axis=0))
    assert shuffled.mean() < r["train"].mean() - 0.2
    no_test = ppl.envelope_recovery(small_participant, replace(config, test_repetition=None))
    assert set(no_test) == {"train"}


def test_envelope_recovery_realistic_phasic_and_electrode(realistic_participant):
    p = realistic_participant
    config = pp.PreprocessingConfig()
    total = ppl.envelope_recovery(p, replace(config, phasic=False), electrode=True)
    assert set(total) == {"train", "test", "train_electrode", "test_electrode"}
    assert np.median(total["train"]) > 0.95
    # the electrode's envelope includes crosstalk: what the chain sees, so at least as close
    assert np.median(total["train_electrode"]) >= np.median(total["train"])
    phasic = ppl.envelope_recovery(p, config)
    assert set(phasic) == {"train", "test"}
    assert np.median(phasic["train"]) > 0.9
    # the phasic truth is the envelope less its true tonic part, processed like the data
    matrices = pp.preprocess_participant(p, config)
    truth, _ = ppl.truth_matrices(p, np.asarray(p.envelopes) - ppl.true_tonic_envelopes(p),
                                  config)
    np.testing.assert_allclose(phasic["train"], ppl.rowwise_correlation(matrices.train, truth))
    with pytest.raises(ValueError, match="phasic=False"):
        ppl.envelope_recovery(p, config, electrode=True)


def test_envelope_recovery_nonlinear_mixing():
    from synergylib.datasets import make_reaching_participant

    q = make_reaching_participant(0, n_repetitions=2, nonlinearity=1.0)
    # the total envelope is the generator's (saturated) envelope: any mixing works
    r = ppl.envelope_recovery(q, replace(pp.PreprocessingConfig(), phasic=False))
    assert r["train"].min() > 0.9
    # the phasic truth needs an additive tonic part: linear mixing only
    with pytest.raises(ValueError, match="linear"):
        ppl.envelope_recovery(q)


def _fake_participant(**fields):
    from types import SimpleNamespace

    return SimpleNamespace(nonlinearity=0.0, **fields)


def test_muscle_gains_and_true_tonic_known_answer():
    W = np.array([[1.0], [0.5], [0.0]])  # three muscles, one synergy
    tonic = np.array([[[[0.2, 0.2, 0.4, 0.4, 0.2]], [[0.1, 0.1, 0.3, 0.1, 0.1]]]])  # (1, 2, 1, 5)
    bursts = np.array([[[[0.0, 1.0, 0.0, 2.0, 0.0]], [[0.0, 0.0, 1.0, 0.0, 0.0]]]])
    activations = tonic + bursts
    gains = np.array([[[1.5, 0.5, 2.0], [0.8, 1.2, 1.0]]])  # (movement, repetition, muscle)
    specific = np.zeros((1, 2, 3, 5))
    specific[..., 2:4] = 0.05  # muscle-specific activity, not at rest (sample 0)
    envelopes = gains[..., None] * np.einsum("mk,jrkt->jrmt", W, activations) + specific
    p = _fake_participant(synergies=W, activations=activations, tonic_activations=tonic,
                          envelopes=envelopes.astype(np.float32))
    g = ppl.muscle_gains(p)
    expected = gains.copy()
    expected[..., 2] = 1.0  # no tonic drive: the gain cannot be read, and does not matter
    np.testing.assert_allclose(g, expected, rtol=1e-6)
    T = ppl.true_tonic_envelopes(p)
    np.testing.assert_allclose(T, gains[..., None] * np.einsum("mk,jrkt->jrmt", W, tonic),
                               rtol=1e-6, atol=1e-7)
    assert T.dtype == np.float32
    # a generator without a tonic part: zeros
    no_tonic = _fake_participant(synergies=W, activations=activations, envelopes=envelopes,
                                 tonic_activations=None)
    assert not ppl.true_tonic_envelopes(no_tonic).any()
    saturated = _fake_participant(synergies=W, activations=activations, envelopes=envelopes)
    saturated.nonlinearity = 1.0
    with pytest.raises(ValueError, match="linear"):
        ppl.muscle_gains(saturated)


def test_true_tonic_on_the_generators(realistic_participant, small_participant):
    p = realistic_participant
    T = ppl.true_tonic_envelopes(p)
    # at rest (first sample) the envelope is all tonic
    np.testing.assert_allclose(T[..., 0], p.envelopes[..., 0], rtol=1e-5, atol=1e-9)
    # the tonic part never exceeds the envelope (muscle-specific activity is >= 0)
    assert np.all(T <= p.envelopes + 1e-6)
    # the realistic generator's muscle gains vary; the clean one has none
    assert ppl.muscle_gains(p).std() > 0.05
    np.testing.assert_allclose(ppl.muscle_gains(small_participant), 1.0, rtol=1e-5)
    # without muscle gains: W @ tonic activations exactly
    from synergylib.datasets import make_participant
    from synergylib.reaching import ideal_parameters

    ideal = make_participant(0, random_state=3, n_repetitions=2, **ideal_parameters())
    np.testing.assert_allclose(
        ppl.true_tonic_envelopes(ideal),
        np.einsum("mk,jrkt->jrmt", ideal.synergies, ideal.tonic_activations.astype(float)),
        rtol=1e-5, atol=1e-8)


def test_electrode_envelopes_known_answer(small_participant):
    C = np.array([[1.0, 0.5], [0.0, 1.0]])
    envelopes = np.array([3.0, 4.0]).reshape(1, 1, 2, 1) * np.ones((1, 1, 2, 3))
    out = ppl.electrode_envelopes(_fake_participant(envelopes=envelopes, crosstalk=C))
    np.testing.assert_allclose(out[0, 0, :, 0], [np.sqrt(9 + 0.25 * 16), 4.0], rtol=1e-6)
    # no crosstalk matrix (the clean generator): the envelopes themselves
    np.testing.assert_array_equal(ppl.electrode_envelopes(small_participant),
                                  small_participant.envelopes)


def test_truth_matrices_match_the_preprocessing(small_participant):
    p = small_participant
    config = pp.PreprocessingConfig()
    matrices = pp.preprocess_participant(p, config)
    train, test = ppl.truth_matrices(p, np.asarray(p.activations) - p.tonic_activations, config)
    np.testing.assert_allclose(train, matrices.true_activations_train)
    np.testing.assert_allclose(test, matrices.true_activations_test)
    train, test = ppl.truth_matrices(p, p.activations, replace(config, test_repetition=None))
    assert test is None and train.shape == (p.n_synergies, 45 * config.n_points)


def test_tonic_comparison_known_answer():
    total = np.array([[4.0, 4.0], [2.0, 6.0]])
    phasic = np.array([[2.0, 1.0], [1.0, 4.0]])  # removed: [[2, 3], [1, 2]]
    true_tonic = np.array([[3.0, 3.0], [1.0, 1.0]])
    c = ppl.tonic_comparison(total, phasic, true_tonic)
    # above the removed part: 1 + 0 (muscle 0) and 0 + 0 (muscle 1); phasic area 8
    assert c["left_in"] == pytest.approx(1 / 8)
    # removed beyond the truth: 0 + 0 and 0 + 1, of 8 removed
    assert c["removed_beyond"] == pytest.approx(1 / 8)
    assert c["removed_area"] == pytest.approx(8 / 16)
    assert c["true_area"] == pytest.approx(8 / 16)
    np.testing.assert_allclose(c["left_in_muscle"], [1 / 3, 0.0])
    values = ppl.tonic_comparison_values(c, ["A", "B"])
    assert values["tonic_left_in"] == pytest.approx(12.5)
    assert values["tonic_left_in_max_muscle"] == "A"
    assert values["tonic_left_in_max"] == pytest.approx(100 / 3)
    with pytest.raises(ValueError, match="same shape"):
        ppl.tonic_comparison(total, phasic, true_tonic[:1])


def test_burst_times_known_answer():
    p = _fake_participant(fs=100.0, onset=np.array([[10, 20]]), hold_onset=np.array([[30, 40]]),
                          return_onset=np.array([[40, 60]]), offset=np.array([[60, 80]]),
                          emg_lead=np.array([[0.01, 0.0]]))
    times = ppl.burst_times(p, 0)
    # repetition 0: reach 0.2 s, return from 0.3 s for 0.2 s, lead 10 ms, movement 0.5 s
    np.testing.assert_allclose(times["seconds"][0], [0.04, 0.14, 0.34, 0.44])
    np.testing.assert_allclose(times["percent"][0], [8.0, 28.0, 68.0, 88.0])
    # repetition 1: reach 0.2 s, hold 0.2 s, return 0.2 s, no lead
    np.testing.assert_allclose(times["seconds"][1], [0.05, 0.15, 0.45, 0.55])
    np.testing.assert_allclose(times["duration"], [0.5, 0.6])
    values = ppl.burst_timing_values(times)
    assert values["first_spread_ms"] == pytest.approx(10.0)
    assert values["last_spread_ms"] == pytest.approx(110.0)
    assert values["last_spread_before"] == pytest.approx(100 * 0.11 / 0.55)
    assert values["last_spread_after"] == pytest.approx(100 * 0.55 / 0.6 - 88.0)
    assert values["first_median"] == pytest.approx((8.0 + 100 * 0.05 / 0.6) / 2)
    with pytest.raises(ValueError, match="realistic"):
        ppl.burst_times(_fake_participant(fs=100.0, onset=p.onset), 0)


def test_burst_times_on_the_generator():
    from synergylib.datasets import make_participant

    p = make_participant(1, random_state=2, n_repetitions=2, timing_jitter=0.0)
    phasic = np.asarray(p.activations, float) - p.tonic_activations
    tuning = p.movement_direction @ p.preferred_directions.T  # (movements, synergies)
    for j in (0, 22, 40):
        times = ppl.burst_times(p, j)
        k = int(np.argmax(tuning[j]))  # a synergy with an acceleration burst in the reach
        for r in range(p.n_repetitions):
            on = p.onset[j, r]
            reach = slice(on - int(0.1 * p.fs), p.hold_onset[j, r])
            peak = reach.start + int(np.argmax(phasic[j, r, k, reach]))
            assert abs((peak - on) / p.fs - times["seconds"][r, 0]) <= 1.5 / p.fs


def test_tonic_trial_values_known_answer():
    fs = 100.0
    line = np.full(300, 0.1)  # mV
    truth = np.full(300, 0.1)
    truth[120:180] = 0.2  # the hold (samples 120-180) needs more tonic activity
    values = ppl.tonic_trial_values(line, truth, fs, 100, 120, 180, 220)
    assert values == {"line_start_uv": pytest.approx(100.0), "line_end_uv": pytest.approx(100.0),
                      "true_rest_uv": pytest.approx(100.0), "true_hold_uv": pytest.approx(200.0),
                      "hold_gap_uv": pytest.approx(100.0), "hold_gap_side": "above"}  # fmt: skip
    below = ppl.tonic_trial_values(line, 0.2 - truth + 0.0, fs, 100, 120, 180, 220)
    assert below["hold_gap_side"] == "below" and below["hold_gap_uv"] == pytest.approx(100.0)
    with pytest.raises(ValueError, match="events"):
        ppl.tonic_trial_values(line, truth, fs, 100, 90, 180, 220)


def test_line_prominence():
    rng = np.random.default_rng(0)
    t = np.arange(20000) / FS
    noise = rng.standard_normal((2, 3, t.size))  # (repetitions, channels, samples)
    flat = ppl.line_prominence(noise, FS, 50.0)
    assert flat.shape == (3,) and np.all(np.abs(flat) < 2.0)
    with_line = noise.copy()
    with_line[:, 1] += 2.0 * np.sin(2 * np.pi * 50.0 * t)
    prominence = ppl.line_prominence(with_line, FS, 50.0)
    assert prominence[1] > 20.0 and np.all(np.abs(prominence[[0, 2]]) < 2.0)
    assert isinstance(ppl.line_prominence(with_line[0, 1], FS, 50.0), float)
    with pytest.raises(ValueError, match="nperseg"):
        ppl.line_prominence(noise[..., :100], FS, 50.0)


def test_correlated_pairs_known_answer():
    base = np.sin(np.linspace(0, 6, 50))
    other = np.cos(np.linspace(0, 17, 50))
    matrix = np.stack([base, base + 0.01 * other, other, -base])
    templates = np.array([[1.0, 0.0], [0.5, 0.0], [0.0, 1.0], [0.0, 1.0]])
    values = ppl.correlated_pairs(matrix, ["a", "b", "c", "d"], templates, n=2)
    assert values["pairs_text"].startswith("a-b (1.00), ")
    assert values["pairs_n"] == 2
    assert values["pairs_shared"] in (1, 2)
    R = np.corrcoef(matrix)
    assert values["pairs_median"] == pytest.approx(np.median(R[np.triu_indices(4, 1)]))
    one = ppl.correlated_pairs(matrix, ["a", "b", "c", "d"], templates, n=1)
    assert one["pairs_shared"] == 1  # a and b share the first template


def test_crosstalk_values_known_answer():
    r = np.array([[0.99, 0.90, 0.98], [0.97, 0.92, 0.99]])
    e = np.array([[0.99, 0.995, 0.985], [0.98, 0.997, 0.99]])
    values = ppl.crosstalk_values(r, e, ["A", "B", "C"])
    assert values == {"xtalk_muscle": "B", "xtalk_muscle_r": pytest.approx(0.91),
                      "xtalk_electrode_r": pytest.approx(0.996),
                      "xtalk_electrode_min": pytest.approx(0.985)}  # fmt: skip
    with pytest.raises(ValueError, match="shape"):
        ppl.crosstalk_values(r, e[:1], ["A", "B", "C"])


def test_plot_filter_gains_draws_each_configuration():
    config = pp.PreprocessingConfig()
    configs = {"fir": config, "butter": replace(config, envelope_method="butter")}
    _, ax = ppl.plot_filter_gains("envelope", FS, configs, fmax=100, mark=20.0)
    lines = ax.get_lines()
    assert len(lines) == 3  # two gains and the cutoff marker
    for line, cfg in zip(lines, configs.values()):
        np.testing.assert_allclose(line.get_ydata(), ppl.filter_response("envelope", FS, cfg)[1])
    assert ax.get_xlim() == (0.0, 100.0)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["fir", "butter"]


def test_plot_tonic_comparison(small_participant):
    config = pp.PreprocessingConfig()
    phasic = pp.preprocess_participant(small_participant, config)
    total = pp.preprocess_participant(small_participant, replace(config, phasic=False))
    share = ppl.tonic_share(total.train * total.amplitude_scale[:, None],
                            phasic.train * phasic.amplitude_scale[:, None])
    fig, axes = ppl.plot_tonic_comparison(total, phasic, share)
    assert len(axes) == 4
    np.testing.assert_array_equal(axes[0].images[0].get_array(), total.train)
    np.testing.assert_array_equal(axes[1].images[0].get_array(), phasic.train)
    heights = [b.get_height() for b in axes[3].patches]
    np.testing.assert_allclose(heights, 100 * share["variance"])


# -- the named values of the text ------------------------------------------------------------


def test_tonic_values_known_answer():
    share = {"area": np.array([0.5, 0.2]), "variance": np.array([0.1, 0.3]),
             "area_pooled": 0.4, "variance_pooled": 0.25}  # fmt: skip
    values = ppl.tonic_values(share, ["A", "B"])
    assert values == {"tonic_area": 40.0, "tonic_variance": 25.0,
                      "tonic_variance_max": pytest.approx(30.0), "tonic_variance_max_muscle": "B",
                      "tonic_variance_min": pytest.approx(10.0),
                      "tonic_variance_min_muscle": "A"}  # fmt: skip


def test_tonic_values_negative_share_and_bad_shape():
    # the variance share is a covariance: a negative one is reported as it is
    share = {"area": np.array([0.5, 0.2, 0.1]), "variance": np.array([0.1, -0.03, 0.3]),
             "area_pooled": 0.4, "variance_pooled": 0.2}  # fmt: skip
    values = ppl.tonic_values(share, ["A", "B", "C"])
    assert values["tonic_variance_min"] == pytest.approx(-3.0)
    assert values["tonic_variance_min_muscle"] == "B"
    assert values["tonic_variance_max_muscle"] == "C"
    with pytest.raises(ValueError, match="shape"):
        ppl.tonic_values(share, ["A", "B"])


def test_recovery_values_known_answer():
    r_train = np.array([[0.99, 0.98], [0.97, 0.995]])
    r_test = np.array([[0.95, 0.90], [0.93, 0.96]])
    values = ppl.recovery_values(r_train, r_test, ["A", "B"])
    assert values == {"n_recovery": 2, "recovery_train_median": pytest.approx(0.985),
                      "recovery_train_min": 0.97, "recovery_test_median": pytest.approx(0.94),
                      "recovery_test_min": 0.90, "recovery_test_min_muscle": "B"}  # fmt: skip
    with pytest.raises(ValueError, match="shape"):
        ppl.recovery_values(r_train, r_test[:1], ["A", "B"])
