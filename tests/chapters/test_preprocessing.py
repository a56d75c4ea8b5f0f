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


def test_envelope_recovery_on_synthetic_data(small_participant):
    config = replace(pp.PreprocessingConfig(), phasic=False)
    r = ppl.envelope_recovery(small_participant, config)
    assert set(r) == {"train", "test"}
    assert r["train"].shape == (16,) and r["test"].shape == (16,)
    # the chain recovers the generator's envelope closely on every muscle
    assert r["train"].min() > 0.9 and r["test"].min() > 0.9
    # a wrong truth (another muscle's envelope) correlates much less on average
    matrices = pp.preprocess_participant(small_participant, config)
    true = small_participant.synergies @ matrices.true_activations_train
    shuffled = ppl.rowwise_correlation(matrices.train, np.roll(true, 1, axis=0))
    assert shuffled.mean() < r["train"].mean() - 0.2
    np.testing.assert_allclose(r["train"], ppl.rowwise_correlation(matrices.train, true))
    no_test = ppl.envelope_recovery(small_participant, replace(config, test_repetition=None))
    assert set(no_test) == {"train"}


def test_envelope_recovery_refuses_nonlinear_mixing():
    from synergylib.datasets import make_reaching_participant

    q = make_reaching_participant(0, n_repetitions=2, nonlinearity=1.0)
    with pytest.raises(ValueError, match="linear"):
        ppl.envelope_recovery(q)


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
                      "tonic_variance_max": pytest.approx(30.0), "tonic_variance_max_muscle": "B"}  # fmt: skip


def test_recovery_values_known_answer():
    r_train = np.array([[0.99, 0.98], [0.97, 0.995]])
    r_test = np.array([[0.95, 0.90], [0.93, 0.96]])
    values = ppl.recovery_values(r_train, r_test, ["A", "B"])
    assert values == {"n_recovery": 2, "recovery_train_median": pytest.approx(0.985),
                      "recovery_train_min": 0.97, "recovery_test_median": pytest.approx(0.94),
                      "recovery_test_min": 0.90, "recovery_test_min_muscle": "B"}  # fmt: skip
    with pytest.raises(ValueError, match="shape"):
        ppl.recovery_values(r_train, r_test[:1], ["A", "B"])
