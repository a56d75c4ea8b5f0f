r"""Figures and small computations for the preprocessing chapter.

The chapter "Preprocessing" of the book shows what each step of
:mod:`synergylib.preprocessing` does to one movement of a synthetic participant.
This module holds the figure code it needs, and the few computations behind
those figures that :mod:`synergylib.preprocessing` does not expose:

* :func:`filter_response` - the zero-phase gain of the chain's band-pass, notch
  and envelope low-pass, whose coefficients
  :func:`~synergylib.preprocessing.design_filters` gives as the chain designs them;
* :func:`tonic_share` - how much of a total-envelope matrix is tonic;
* :func:`rowwise_correlation` - Pearson correlation muscle by muscle;
* :func:`low_frequency_rms` - RMS below a few hertz (to find motion artefacts).

Every plotting function draws into axes it is given (or creates a figure) and
returns ``(fig, axes)``; it never selects a backend nor calls ``show``. Colours
come from :data:`synergylib.plotting.OKABE_ITO`.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from scipy import signal

from .._validation import SynergyInputError, check_int
from ..plotting import _single_axes
from ..preprocessing import PreprocessingConfig, design_filters

__all__ = [
    "envelope_recovery",
    "filter_response",
    "low_frequency_rms",
    "plot_before_after",
    "plot_downsampling",
    "plot_envelopes",
    "plot_filter_gains",
    "plot_muscle_bars",
    "plot_repetition_average",
    "plot_spectra",
    "plot_synergy_matrix",
    "plot_tonic_comparison",
    "plot_time_normalisation",
    "plot_tonic_removal",
    "rowwise_correlation",
    "tonic_share",
]

# Okabe-Ito colours (same palette as synergylib.plotting).
_BLACK, _ORANGE, _SKY, _GREEN, _BLUE, _VERMILLION, _PURPLE = (
    "#000000", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7")
_GREY = "#999999"
_REST_COLOR = "#E8E8E8"



# --------------------------------------------------------------------------- #
# Computations
# --------------------------------------------------------------------------- #
def filter_response(kind: str, fs: float, config: PreprocessingConfig | None = None,
                    n_freqs: int = 8192) -> tuple[np.ndarray, np.ndarray]:
    r"""Zero-phase gain of one filter of the preprocessing chain.

    The coefficients are those :func:`~synergylib.preprocessing.design_filters`
    gives, which :func:`~synergylib.preprocessing.bandpass`,
    :func:`~synergylib.preprocessing.notch` and
    :func:`~synergylib.preprocessing.envelope` apply, and their frequency
    response :math:`H(f)` is evaluated with :func:`scipy.signal.sosfreqz` (or
    :func:`scipy.signal.freqz`). Because the chain filters forward and
    backward, the gain it applies is

    .. math:: G(f) = |H(f)|^2

    (per notch harmonic, multiplied together).

    Parameters
    ----------
    kind, fs, config
        The filter, the sampling rate (Hz) and the chain's parameters, as for
        :func:`~synergylib.preprocessing.design_filters`.
    n_freqs : int
        Number of frequencies between 0 and ``fs / 2``.

    Returns
    -------
    freqs : ndarray of shape (n_freqs,)
        Frequencies in Hz.
    gain : ndarray of shape (n_freqs,)
        Linear amplitude gain of the zero-phase filter, between 0 and about 1.
    """
    n_freqs = check_int(n_freqs, "n_freqs", low=2)
    filters = design_filters(kind, fs, config)
    freqs = np.linspace(0.0, fs / 2, n_freqs, endpoint=False)
    h = np.ones(n_freqs, dtype=complex)
    for form, coefficients in filters:
        if form == "sos":
            h = h * signal.sosfreqz(coefficients, worN=n_freqs, fs=fs)[1]
        else:
            h = h * signal.freqz(*coefficients, worN=n_freqs, fs=fs)[1]
    return np.asarray(freqs, dtype=float), np.abs(h) ** 2


def tonic_share(total, phasic) -> dict[str, np.ndarray | float]:
    r"""How much of a total-envelope matrix is tonic.

    The tonic part is what tonic removal took away, :math:`\tau = x - p`
    (total minus phasic; both matrices must be on the same scale, i.e. built
    without amplitude normalisation). Two shares are returned, per muscle
    (row) and pooled over muscles:

    * **area**: :math:`\sum_t \tau_m(t) / \sum_t x_m(t)`, the share of the
      envelope's integral that is tonic;
    * **variance**: the additive variance decomposition
      :math:`\operatorname{Var} x = \operatorname{Cov}(\tau, x) + \operatorname{Cov}(p, x)`,
      tonic share :math:`\operatorname{Cov}(\tau_m, x_m) / \operatorname{Var} x_m`.
      Pooled, the covariances and variances are summed over muscles (each
      centred on its own mean, as in the centred :math:`R^2`). It is the share
      of the variation around each muscle's mean, the part that synergy
      extraction models, that comes from the tonic part. It can be negative
      when the tonic part is anti-correlated with the total.

    Parameters
    ----------
    total, phasic : array-like of shape (n_muscles, n_samples)

    Returns
    -------
    dict with keys ``"area"``, ``"variance"`` (ndarrays of shape (n_muscles,)),
    ``"area_pooled"``, ``"variance_pooled"`` (floats).
    """
    x = np.asarray(total, dtype=float)
    p = np.asarray(phasic, dtype=float)
    if x.ndim != 2 or x.shape != p.shape:
        raise SynergyInputError(
            f"total and phasic must be 2-D arrays of the same shape, got {x.shape} and {p.shape}.")
    if not (np.isfinite(x).all() and np.isfinite(p).all()):
        raise SynergyInputError("total and phasic must be finite.")
    tau = x - p
    xc = x - x.mean(axis=1, keepdims=True)
    tc = tau - tau.mean(axis=1, keepdims=True)
    var = (xc ** 2).sum(axis=1)
    cov = (tc * xc).sum(axis=1)
    area = tau.sum(axis=1)
    if np.any(x.sum(axis=1) <= 0) or np.any(var <= 0):
        raise SynergyInputError("Every muscle of total needs a positive area and variance.")
    return {
        "area": area / x.sum(axis=1),
        "variance": cov / var,
        "area_pooled": float(area.sum() / x.sum()),
        "variance_pooled": float(cov.sum() / var.sum()),
    }


def rowwise_correlation(a, b) -> np.ndarray:
    r"""Pearson correlation between matching rows of two matrices.

    .. math:: r_m = \frac{\sum_t (a_{mt} - \bar a_m)(b_{mt} - \bar b_m)}
                         {\sqrt{\sum_t (a_{mt} - \bar a_m)^2 \sum_t (b_{mt} - \bar b_m)^2}}

    Parameters
    ----------
    a, b : array-like of shape (n_rows, n_samples)

    Returns
    -------
    ndarray of shape (n_rows,)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.ndim != 2 or a.shape != b.shape or a.shape[1] < 2:
        raise SynergyInputError(
            f"a and b must be 2-D arrays of the same shape with >= 2 columns, got {a.shape} "
            f"and {b.shape}.")
    ac = a - a.mean(axis=1, keepdims=True)
    bc = b - b.mean(axis=1, keepdims=True)
    denom = np.sqrt((ac ** 2).sum(axis=1) * (bc ** 2).sum(axis=1))
    if np.any(denom == 0):
        raise SynergyInputError("A row is constant; its correlation is undefined.")
    return (ac * bc).sum(axis=1) / denom


def low_frequency_rms(emg, fs: float, cutoff: float = 10.0) -> np.ndarray:
    """RMS of the part of ``emg`` below ``cutoff`` Hz (time last).

    Surface EMG has almost no power below 10-20 Hz, so a large value flags a
    motion artefact or a baseline drift. Uses a zero-phase 2nd-order
    Butterworth low-pass.

    Returns
    -------
    ndarray of shape ``emg.shape[:-1]``
    """
    x = np.asarray(emg, dtype=float)
    sos = signal.butter(2, cutoff, btype="lowpass", fs=fs, output="sos")
    low = signal.sosfiltfilt(sos, x, axis=-1)
    return np.sqrt(np.mean(low ** 2, axis=-1))


def envelope_recovery(participant, config: PreprocessingConfig | None = None
                      ) -> dict[str, np.ndarray]:
    r"""Correlation, muscle by muscle, between the preprocessed and the true envelope matrix.

    Runs :func:`~synergylib.preprocessing.preprocess_participant` and builds the
    true envelope matrix from the generator's ground truth,
    :math:`E = W \bar H`, where :math:`\bar H` (``true_activations_train`` /
    ``true_activations_test``) is time-normalised and averaged exactly like the
    EMG. This equals the generator's noise-free envelopes processed the same way
    only when the mixing is linear (``participant.nonlinearity == 0``), because
    time normalisation and averaging are linear. Pearson's correlation ignores
    the amplitude normalisation and the factor :math:`\sqrt{2/\pi}` between the
    mean rectified EMG and its RMS envelope.

    The true envelope keeps its tonic part, so pass a configuration with
    ``phasic=False`` for a like-for-like comparison.

    Parameters
    ----------
    participant : ReachingParticipant
        A synthetic participant (with ground truth).
    config : PreprocessingConfig, optional
        Defaults if None.

    Returns
    -------
    dict with keys ``"train"`` and ``"test"`` (the latter only when the
    configuration holds out a repetition), each an ndarray of shape
    (n_muscles,).
    """
    config = PreprocessingConfig() if config is None else config
    if getattr(participant, "activations", None) is None or \
            getattr(participant, "synergies", None) is None:
        raise SynergyInputError("envelope_recovery needs a participant with ground truth.")
    if getattr(participant, "nonlinearity", 0.0) != 0:
        raise SynergyInputError(
            "envelope_recovery builds the true envelope as W @ H, which holds only for "
            f"linear mixing; this participant has nonlinearity={participant.nonlinearity}.")
    from ..preprocessing import preprocess_participant

    matrices = preprocess_participant(participant, config)
    W = np.asarray(participant.synergies, dtype=float)
    result = {"train": rowwise_correlation(matrices.train,
                                           W @ matrices.true_activations_train)}
    if matrices.test is not None:
        result["test"] = rowwise_correlation(matrices.test, W @ matrices.true_activations_test)
    return result


# --------------------------------------------------------------------------- #
# Plot helpers
# --------------------------------------------------------------------------- #


def _vector(x, name: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if a.ndim != 1 or a.size < 2 or not np.isfinite(a).all():
        raise SynergyInputError(f"{name} must be a finite 1-D array, got shape {a.shape}.")
    return a


def _mark_movement(ax, onset_s, offset_s) -> None:
    if onset_s is None or offset_s is None:
        return
    ax.axvline(onset_s, color=_GREY, linestyle=":", linewidth=1.2, label="onset / offset")
    ax.axvline(offset_s, color=_GREY, linestyle=":", linewidth=1.2)


def plot_before_after(t, before, after, *, labels=("raw", "filtered"), units: str = "mV",
                      title: str | None = None, onset_s=None, offset_s=None, ax=None):
    """Two signals of one muscle on a shared time axis (a step's input and output).

    Parameters
    ----------
    t : array-like of shape (n_samples,)
        Time in seconds.
    before, after : array-like of shape (n_samples,)
    labels : (str, str)
        Legend entries.
    units : str
        Amplitude unit.
    onset_s, offset_s : float, optional
        Movement start and end (s), drawn as dotted lines.
    """
    t = _vector(t, "t")
    before, after = _vector(before, "before"), _vector(after, "after")
    if not before.size == after.size == t.size:
        raise SynergyInputError("t, before and after must have the same length.")
    fig, ax = _single_axes(ax, (8, 3))
    ax.plot(t, before, color=_GREY, linewidth=0.6, label=labels[0])
    ax.plot(t, after, color=_BLUE, linewidth=0.6, label=labels[1])
    _mark_movement(ax, onset_s, offset_s)
    ax.set_xlim(t[0], t[-1])
    ax.set_xlabel("Time (s)")
    ax.set_ylabel(f"EMG ({units})")
    if title:
        ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    return fig, ax


def plot_spectra(signals: dict, fs: float, *, response=None, fmin: float = 0.0,
                 fmax: float | None = None, nperseg: int = 1024, units: str = "mV",
                 title: str | None = None, ax=None):
    """Welch power spectral densities (dB), optionally with a filter's gain.

    Parameters
    ----------
    signals : dict of str to array-like
        Label -> signal with time last; the PSD is averaged over all leading
        axes (e.g. the repetitions of a movement).
    fs : float
        Sampling rate (Hz).
    response : (freqs, gain) or (freqs, gain, label), optional
        A filter gain (linear, as from :func:`filter_response`) drawn in dB on
        a second y axis.
    fmin, fmax : float
        Frequency range shown (Hz); ``fmax`` defaults to ``fs / 2``.
    nperseg : int
        Welch segment length (samples).
    """
    if not signals:
        raise SynergyInputError("signals is empty.")
    fig, ax = _single_axes(ax, (8, 3.2))
    fmax = fs / 2 if fmax is None else fmax
    colors = (_GREY, _BLUE, _ORANGE, _GREEN, _PURPLE)
    for i, (label, x) in enumerate(signals.items()):
        x = np.asarray(x, dtype=float)
        f, psd = signal.welch(x, fs=fs, nperseg=min(nperseg, x.shape[-1]), axis=-1)
        psd = psd.reshape(-1, f.size).mean(axis=0)
        keep = (f >= fmin) & (f <= fmax)
        ax.plot(f[keep], 10 * np.log10(np.maximum(psd[keep], 1e-20)),
                color=colors[i % len(colors)], linewidth=1.0, label=label)
    ax.set_xlim(fmin, fmax)
    ax.set_xlabel("Frequency (Hz)")
    ax.set_ylabel(f"PSD (dB re 1 {units}²/Hz)")
    handles, labels = ax.get_legend_handles_labels()
    if response is not None:
        freqs, gain = np.asarray(response[0]), np.asarray(response[1])
        rlabel = response[2] if len(response) > 2 else "filter gain"
        twin = ax.twinx()
        keep = (freqs >= fmin) & (freqs <= fmax)
        twin.plot(freqs[keep], 20 * np.log10(np.maximum(gain[keep], 1e-6)), color=_VERMILLION,
                  linestyle="--", linewidth=1.2, label=rlabel)
        twin.set_ylabel("Filter gain (dB)", color=_VERMILLION)
        twin.set_ylim(-60, 5)
        twin.tick_params(axis="y", colors=_VERMILLION)
        h2, l2 = twin.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    ax.legend(handles, labels, fontsize=8, loc="lower left")
    if title:
        ax.set_title(title)
    return fig, ax


def plot_filter_gains(kind: str, fs: float, configs: dict, *, fmax: float | None = None,
                      mark: float | None = None, title: str | None = None, ax=None):
    """Zero-phase gains (linear) of one filter of the chain under several configurations.

    Parameters
    ----------
    kind : {"bandpass", "notch", "envelope"}
        Which filter (see :func:`filter_response`).
    fs : float
        Sampling rate (Hz).
    configs : dict of str to PreprocessingConfig
        Legend label -> configuration.
    fmax : float, optional
        Upper end of the frequency axis (default ``fs / 2``).
    mark : float, optional
        A frequency marked by a dotted vertical line (e.g. the cutoff).
    """
    if not configs:
        raise SynergyInputError("configs is empty.")
    fig, ax = _single_axes(ax, (8, 3))
    styles = ("-", "--", ":", "-.")
    colors = (_BLUE, _ORANGE, _GREEN, _PURPLE)
    for i, (label, config) in enumerate(configs.items()):
        freqs, gain = filter_response(kind, fs, config)
        ax.plot(freqs, gain, styles[i % len(styles)], color=colors[i % len(colors)],
                linewidth=1.5, label=label)
    if mark is not None:
        ax.axvline(mark, color=_GREY, linestyle=":", linewidth=1.0)
    ax.set_xlim(0, fs / 2 if fmax is None else fmax)
    ax.set_xlabel("Frequency (Hz)")
    ax.set_ylabel("Zero-phase gain")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return fig, ax


def plot_envelopes(t, rectified, envelopes: dict, *, truth=None, truth_label: str = "true envelope",
                   units: str = "mV", onset_s=None, offset_s=None, title: str | None = None,
                   ax=None):
    """Rectified EMG with one or more envelopes and, optionally, the true one.

    Parameters
    ----------
    t : array-like of shape (n_samples,)
        Time (s).
    rectified : array-like of shape (n_samples,) or None
        Full-wave rectified EMG, drawn in light grey.
    envelopes : dict of str to array-like
        Label -> envelope of shape (n_samples,).
    truth : array-like of shape (n_samples,), optional
        The generator's envelope, drawn as a thick black dashed line.
    """
    t = _vector(t, "t")
    fig, ax = _single_axes(ax, (8, 3))
    if rectified is not None:
        ax.plot(t, _vector(rectified, "rectified"), color="#CCCCCC", linewidth=0.5,
                label="rectified EMG")
    colors = (_BLUE, _ORANGE, _GREEN, _PURPLE, _VERMILLION)
    for i, (label, env) in enumerate(envelopes.items()):
        ax.plot(t, _vector(env, label), color=colors[i % len(colors)], linewidth=1.4, label=label)
    if truth is not None:
        ax.plot(t, _vector(truth, "truth"), color=_BLACK, linestyle="--", linewidth=1.4,
                label=truth_label)
    _mark_movement(ax, onset_s, offset_s)
    ax.set_xlim(t[0], t[-1])
    ax.set_xlabel("Time (s)")
    ax.set_ylabel(f"Amplitude ({units})")
    ax.legend(fontsize=8, loc="upper right")
    if title:
        ax.set_title(title)
    return fig, ax


def plot_downsampling(t_fast, env_fast, t_slow, env_slow, *, units: str = "mV",
                      labels=("1000 Hz", "100 Hz"), title: str | None = None, ax=None):
    """An envelope before (line) and after (dots) down-sampling."""
    t_fast, env_fast = _vector(t_fast, "t_fast"), _vector(env_fast, "env_fast")
    t_slow, env_slow = _vector(t_slow, "t_slow"), _vector(env_slow, "env_slow")
    fig, ax = _single_axes(ax, (8, 3))
    ax.plot(t_fast, env_fast, color=_GREY, linewidth=1.5, label=labels[0])
    ax.plot(t_slow, env_slow, "o", color=_BLUE, markersize=3, label=labels[1])
    ax.set_xlim(t_fast[0], t_fast[-1])
    ax.set_xlabel("Time (s)")
    ax.set_ylabel(f"Envelope ({units})")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return fig, ax


def plot_tonic_removal(t, env, tonic, phasic, onset_s: float, offset_s: float,
                       pre: Sequence[float], post: Sequence[float], *, units: str = "mV",
                       title: str | None = None, ax=None):
    """Total envelope, the straight tonic line, the phasic result; rest windows shaded.

    Parameters
    ----------
    t : array-like of shape (n_samples,)
        Time (s).
    env, tonic, phasic : array-like of shape (n_samples,)
        Total envelope, tonic line (:func:`~synergylib.preprocessing.tonic_component`) and phasic envelope.
    onset_s, offset_s : float
        Movement start and end (s).
    pre, post : (near, far)
        Rest windows in seconds from the movement, shaded.
    """
    t = _vector(t, "t")
    fig, ax = _single_axes(ax, (8, 3))
    ax.axvspan(onset_s - pre[1], onset_s - pre[0], color=_REST_COLOR, label="rest windows")
    ax.axvspan(offset_s + post[0], offset_s + post[1], color=_REST_COLOR)
    ax.plot(t, _vector(env, "env"), color=_GREY, linewidth=1.5, label="total envelope")
    ax.plot(t, _vector(tonic, "tonic"), color=_VERMILLION, linestyle="--", linewidth=1.4,
            label="tonic line")
    ax.plot(t, _vector(phasic, "phasic"), color=_BLUE, linewidth=1.5, label="phasic")
    _mark_movement(ax, onset_s, offset_s)
    ax.set_xlim(t[0], t[-1])
    ax.set_xlabel("Time (s)")
    ax.set_ylabel(f"Envelope ({units})")
    ax.legend(fontsize=8, loc="upper right")
    if title:
        ax.set_title(title)
    return fig, ax


def plot_time_normalisation(env, onset, offset, fs: float, normalised, *, units: str = "mV",
                            labels: Sequence[str] | None = None, axes=None):
    """Repetitions in real time (aligned at onset) and after time normalisation.

    Parameters
    ----------
    env : array-like of shape (n_repetitions, n_samples)
        One muscle's envelope in several repetitions, at ``fs``.
    onset, offset : array-like of shape (n_repetitions,)
        Sample indices at ``fs``.
    fs : float
        Sampling rate of ``env`` (Hz).
    normalised : array-like of shape (n_repetitions, n_points)
        The same repetitions after :func:`~synergylib.preprocessing.time_normalise`.
    labels : sequence of str, optional
        One legend entry per repetition (default: the movement durations).
    axes : two Axes, optional
    """
    env = np.asarray(env, dtype=float)
    normalised = np.asarray(normalised, dtype=float)
    onset, offset = np.asarray(onset, dtype=float), np.asarray(offset, dtype=float)
    if env.ndim != 2 or normalised.ndim != 2 or env.shape[0] != normalised.shape[0] \
            or onset.shape != (env.shape[0],) or offset.shape != (env.shape[0],):
        raise SynergyInputError("env (n_reps, n_samples), normalised (n_reps, n_points), onset "
                                "and offset (n_reps,) must agree.")
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.4), layout="constrained",
                                 sharey=True)
    fig = axes[0].figure
    if labels is None:
        labels = [f"{(off - on) / fs:.2f} s" for on, off in zip(onset, offset)]
    colors = (_BLUE, _ORANGE, _GREEN, _PURPLE, _VERMILLION, _SKY, _BLACK)
    grid = np.linspace(0.0, 100.0, normalised.shape[1])
    for i in range(env.shape[0]):
        c = colors[i % len(colors)]
        t = (np.arange(env.shape[1]) - onset[i]) / fs
        inside = (t >= 0) & (t <= (offset[i] - onset[i]) / fs)
        axes[0].plot(t, env[i], color=c, linewidth=0.6, alpha=0.35)
        axes[0].plot(t[inside], env[i][inside], color=c, linewidth=1.4, label=labels[i])
        axes[0].axvline((offset[i] - onset[i]) / fs, color=c, linestyle=":", linewidth=1.0)
        axes[1].plot(grid, normalised[i], color=c, linewidth=1.4, label=labels[i])
    axes[0].axvline(0.0, color=_GREY, linestyle=":", linewidth=1.0)
    axes[0].set_xlabel("Time from onset (s)")
    axes[0].set_ylabel(f"Envelope ({units})")
    axes[0].set_title("Before: real time (dotted lines: offsets)")
    axes[0].legend(fontsize=8, title="duration", title_fontsize=8)
    axes[1].set_xlabel("Movement (% of onset to offset)")
    axes[1].set_title(f"After: {normalised.shape[1]} points per movement")
    axes[1].set_xlim(0, 100)
    return fig, np.asarray(axes, dtype=object)


def plot_repetition_average(train, test=None, *, units: str = "normalised",
                            title: str | None = None, ax=None):
    """Training repetitions (thin), their mean (thick) and the held-out one (dashed).

    Parameters
    ----------
    train : array-like of shape (n_train, n_points)
        Time-normalised training repetitions of one muscle and movement.
    test : array-like of shape (n_points,), optional
        The held-out repetition.
    """
    train = np.asarray(train, dtype=float)
    if train.ndim != 2:
        raise SynergyInputError(f"train must be 2-D (n_train, n_points), got {train.shape}.")
    fig, ax = _single_axes(ax, (6, 3.2))
    grid = np.linspace(0.0, 100.0, train.shape[1])
    for i, rep in enumerate(train):
        ax.plot(grid, rep, color=_GREY, linewidth=0.7,
                label=f"{train.shape[0]} training repetitions" if i == 0 else None)
    ax.plot(grid, train.mean(axis=0), color=_BLUE, linewidth=2.2, label="training mean")
    if test is not None:
        ax.plot(grid, _vector(test, "test"), color=_VERMILLION, linestyle="--", linewidth=1.6,
                label="held-out repetition")
    ax.set_xlim(0, 100)
    ax.set_xlabel("Movement (% of onset to offset)")
    ax.set_ylabel(f"Envelope ({units})")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return fig, ax


def plot_synergy_matrix(matrix, muscles: Sequence[str], movement_plane, n_points: int, *,
                        plane_names: dict | None = None, title: str | None = None,
                        colorbar_label: str = "Envelope (normalised)", ax=None):
    """A muscles x time matrix as an image, with the movements' planes marked.

    Parameters
    ----------
    matrix : array-like of shape (n_muscles, n_movements * n_points)
    muscles : sequence of str
        Row labels.
    movement_plane : array-like of shape (n_movements,)
        Plane code of each movement (consecutive movements of a plane are
        grouped under one label; white lines separate planes, thin lines
        separate movements).
    n_points : int
        Samples per movement.
    plane_names : dict, optional
        Plane code -> label shown above the image.
    """
    m = np.asarray(matrix, dtype=float)
    planes = np.asarray(movement_plane).astype(str)
    if m.ndim != 2 or m.shape[1] != planes.size * n_points:
        raise SynergyInputError(
            f"matrix of shape {m.shape} does not hold {planes.size} movements of {n_points} points.")
    if len(muscles) != m.shape[0]:
        raise SynergyInputError(f"{len(muscles)} muscle names for {m.shape[0]} rows.")
    fig, ax = _single_axes(ax, (8.5, 4.0))
    image = ax.imshow(m, aspect="auto", interpolation="nearest", cmap="viridis",
                      extent=(0, m.shape[1], m.shape[0] - 0.5, -0.5))
    for j in range(1, planes.size):
        new_plane = planes[j] != planes[j - 1]
        ax.axvline(j * n_points, color="white", linewidth=1.6 if new_plane else 0.3,
                   alpha=1.0 if new_plane else 0.5)
    starts = [0] + [j for j in range(1, planes.size) if planes[j] != planes[j - 1]]
    ends = starts[1:] + [planes.size]
    top = ax.secondary_xaxis("top")
    top.set_xticks([(s + e) / 2 * n_points for s, e in zip(starts, ends)])
    top.set_xticklabels([(plane_names or {}).get(planes[s], planes[s]) for s in starts],
                        fontsize=8)
    top.tick_params(length=0)
    ax.set_yticks(range(m.shape[0]))
    ax.set_yticklabels(muscles, fontsize=7)
    ax.set_xlabel(f"Sample (movements concatenated, {n_points} samples each)")
    ax.set_ylabel("Muscle")
    fig.colorbar(image, ax=ax, label=colorbar_label, pad=0.01)
    if title:
        ax.set_title(title)
    return fig, ax


def plot_muscle_bars(values, muscles: Sequence[str], *, labels: Sequence[str] | None = None,
                     low=None, high=None, ylabel: str = "", title: str | None = None,
                     ylim=None, reference: float | None = None, ax=None):
    """Bars per muscle, one or several series side by side, optionally with ranges.

    Parameters
    ----------
    values : array-like of shape (n_muscles,) or (n_series, n_muscles)
        Bar heights (e.g. a median over participants).
    muscles : sequence of str
        Tick labels.
    labels : sequence of str, optional
        Legend entry of each series (needed for a legend).
    low, high : array-like, same shape as ``values``, optional
        Ends of a range drawn as a whisker on each bar (e.g. min and max over
        participants).
    ylim : (float, float), optional
        y-axis limits. When the lower limit is above 0 the bars start at it.
    reference : float, optional
        A horizontal dotted line (e.g. 1 for a correlation, 0 for a share).
    """
    v = np.atleast_2d(np.asarray(values, dtype=float))
    if v.ndim != 2 or v.shape[1] != len(muscles):
        raise SynergyInputError(
            f"values must hold one value per muscle ({len(muscles)}), got shape {np.shape(values)}.")
    if labels is not None and len(labels) != v.shape[0]:
        raise SynergyInputError(f"{len(labels)} labels for {v.shape[0]} series.")
    fig, ax = _single_axes(ax, (8, 3))
    n_series = v.shape[0]
    width = 0.8 / n_series
    bottom = ylim[0] if ylim is not None and ylim[0] > 0 else 0.0
    colors = (_BLUE, _ORANGE, _GREEN, _PURPLE)
    x = np.arange(v.shape[1])
    lo = None if low is None else np.atleast_2d(np.asarray(low, dtype=float))
    hi = None if high is None else np.atleast_2d(np.asarray(high, dtype=float))
    for i in range(n_series):
        xi = x + (i - (n_series - 1) / 2) * width
        ax.bar(xi, v[i] - bottom, bottom=bottom, width=width * 0.95,
               color=colors[i % len(colors)], label=None if labels is None else labels[i])
        if lo is not None and hi is not None:
            ax.errorbar(xi, v[i], yerr=np.vstack([v[i] - lo[i], hi[i] - v[i]]), fmt="none",
                        ecolor=_BLACK, capsize=2, linewidth=0.9)
    if reference is not None:
        ax.axhline(reference, color=_GREY, linestyle=":", linewidth=1.0)
    ax.set_xticks(x)
    ax.set_xticklabels(muscles, rotation=60, ha="right", fontsize=8)
    ax.set_xlim(-0.6, v.shape[1] - 0.4)
    ax.set_xlabel("Muscle")
    ax.set_ylabel(ylabel)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if labels is not None:
        ax.legend(fontsize=8, loc="lower right")
    if title:
        ax.set_title(title)
    return fig, ax


def plot_tonic_comparison(total, phasic, share: dict, *, plane_names: dict | None = None):
    """Total and phasic training matrices, and the tonic share of each muscle.

    Parameters
    ----------
    total, phasic : SynergyMatrices
        The same participant preprocessed with ``phasic=False`` and ``phasic=True``.
    share : dict
        The output of :func:`tonic_share` (keys ``"area"`` and ``"variance"``).
    plane_names : dict, optional
        Plane code -> label for the matrix images.

    Returns
    -------
    fig : Figure
    axes : ndarray of 4 Axes (total image, phasic image, area bars, variance bars)
    """
    fig = plt.figure(figsize=(8.5, 10), layout="constrained")
    top, middle, bottom = fig.subfigures(3, 1, height_ratios=[1, 1, 0.9])
    axes = []
    for subfig, m, name in ((top, total, "Total"), (middle, phasic, "Phasic")):
        _, ax = plot_synergy_matrix(m.train, m.muscles, m.movement_plane, m.n_points,
                                    plane_names=plane_names, title=f"{name} envelope",
                                    ax=subfig.subplots())
        axes.append(ax)
    ax_area, ax_var = bottom.subplots(1, 2)
    plot_muscle_bars(100 * np.asarray(share["area"]), phasic.muscles,
                     ylabel="Tonic share (%)", title="Share of the area that is tonic",
                     ax=ax_area)
    plot_muscle_bars(100 * np.asarray(share["variance"]), phasic.muscles,
                     ylabel="Tonic share (%)", title="Share of the variance that is tonic",
                     reference=0.0, ax=ax_var)
    return fig, np.array(axes + [ax_area, ax_var], dtype=object)


# --------------------------------------------------------------------------- #
# The named values of the chapter's text
# --------------------------------------------------------------------------- #
__all__ += ["recovery_values", "tonic_values"]


def tonic_values(share: dict, muscles: Sequence[str]) -> dict:
    """How much of the envelope is tonic, in % (section "Phasic or total envelope?").

    ``share`` is :func:`tonic_share`'s result and ``muscles`` the names of its
    muscles. Returns the pooled shares of the area and of the variance
    (``tonic_area``, ``tonic_variance``), the largest variance share of one muscle
    (``tonic_variance_max``) and that muscle's name.
    """
    most = int(np.argmax(share["variance"]))
    return {
        "tonic_area": 100 * share["area_pooled"],
        "tonic_variance": 100 * share["variance_pooled"],
        "tonic_variance_max": float(100 * share["variance"][most]),
        "tonic_variance_max_muscle": muscles[most],
    }


def recovery_values(r_train, r_test, muscles: Sequence[str]) -> dict:
    """How well the chain recovers the true envelope (section "How well does the chain ...").

    ``r_train`` and ``r_test`` are the correlations of :func:`envelope_recovery`
    stacked over participants, shape ``(n_participants, n_muscles)``. Returns the
    number of participants (``n_recovery``), the median and the lowest correlation
    of the training and of the held-out matrices, and the muscle of the lowest
    held-out correlation (``recovery_test_min_muscle``).
    """
    r_train, r_test = np.asarray(r_train, dtype=float), np.asarray(r_test, dtype=float)
    if r_train.ndim != 2 or r_test.shape != r_train.shape or r_train.shape[1] != len(muscles):
        raise SynergyInputError(
            f"r_train and r_test must both have shape (n_participants, {len(muscles)}), "
            f"got {r_train.shape} and {r_test.shape}."
        )
    worst = int(np.argmin(r_test.min(axis=0)))
    return {
        "n_recovery": r_train.shape[0],
        "recovery_train_median": float(np.median(r_train)),
        "recovery_train_min": float(r_train.min()),
        "recovery_test_median": float(np.median(r_test)),
        "recovery_test_min": float(r_test.min()),
        "recovery_test_min_muscle": muscles[worst],
    }
