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
* :func:`low_frequency_rms` - RMS below a few hertz (to find motion artefacts);
* :func:`line_prominence` - how far the mains line stands above the EMG spectrum;
* the generator's truth on the data's scale: :func:`muscle_gains`,
  :func:`true_tonic_envelopes` (the true tonic part of each envelope),
  :func:`electrode_envelopes` (each electrode's envelope, crosstalk included) and
  :func:`truth_matrices` (any of them cut, time-normalised and averaged like the
  data); with them :func:`envelope_recovery` scores the chain against the true
  envelopes and :func:`tonic_comparison` the straight tonic line against the true
  tonic part;
* :func:`burst_times` - when the realistic generator centres each burst of a movement;
* :func:`correlated_pairs` - the most correlated rows of a matrix.

The ``*_values`` functions at the end turn these results into the named values
the chapter's text quotes.

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
    "BURST_CENTRES",
    "burst_times",
    "correlated_pairs",
    "electrode_envelopes",
    "envelope_recovery",
    "filter_response",
    "line_prominence",
    "low_frequency_rms",
    "muscle_gains",
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
    "tonic_comparison",
    "tonic_share",
    "true_tonic_envelopes",
    "truth_matrices",
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


def _check_linear(participant, what: str) -> None:
    nonlinearity = getattr(participant, "nonlinearity", 0.0)
    if nonlinearity != 0:
        raise SynergyInputError(
            f"{what} splits the envelope into additive parts, which holds only for linear "
            f"mixing; this participant has nonlinearity={nonlinearity}.")


def muscle_gains(participant) -> np.ndarray:
    r"""The generator's per-trial muscle gains :math:`g_{mjr}`, read from the rest before onset.

    The realistic generator (:mod:`synergylib.reaching`) multiplies each muscle's
    synergy drive by a trial gain, :math:`e_m = g_{mjr}(W\mathbf h)_m + \text{specific}`,
    and does not return :math:`g`. At the first sample of a trial the arm is at rest:
    no burst and no muscle-specific activity has started (both begin at most
    ``emg_lead`` before onset, long after the first sample), so the envelope is the
    gain times the tonic drive and

    .. math:: g_{mjr} = e_m(0) / (W\mathbf h(0))_m .

    A muscle with no tonic drive (no weight in any synergy with a tonic part) has no
    tonic part for its gain to scale; its gain is returned as 1. The clean generator
    has no muscle gains: every value is 1 (up to float32 rounding).

    Parameters
    ----------
    participant : ReachingParticipant
        A synthetic participant with linear mixing.

    Returns
    -------
    ndarray of shape (n_movements, n_repetitions, n_muscles)
    """
    _check_linear(participant, "muscle_gains")
    W = np.asarray(participant.synergies, dtype=float)
    drive = np.einsum("mk,jrk->jrm", W, np.asarray(participant.activations[..., 0], float))
    envelope = np.asarray(participant.envelopes[..., 0], dtype=float)
    # below this drive the float32 envelope cannot give the gain (the drive is 0 or ~1e-9)
    tiny = 1e-6 * max(float(drive.max()), np.finfo(float).tiny)
    gains = np.ones_like(drive)
    np.divide(envelope, drive, out=gains, where=drive > tiny)
    return gains


def true_tonic_envelopes(participant) -> np.ndarray:
    r"""The tonic part of the generator's noise-free envelopes, trial by trial.

    :math:`g_{mjr}\,(W\mathbf h^\text{tonic}(t))_m`, with the true tonic activations
    ``participant.tonic_activations`` and the gains of :func:`muscle_gains`: the
    activity that holds the arm against gravity, in the envelope's units (mV RMS).
    ``participant.envelopes`` minus it is the true phasic envelope (synergy bursts and
    muscle-specific activity).

    Returns
    -------
    ndarray of shape (n_movements, n_repetitions, n_muscles, n_samples), float32
        Zeros for a participant whose generator gives no tonic part.
    """
    envelopes = np.asarray(participant.envelopes)
    tonic = getattr(participant, "tonic_activations", None)
    if tonic is None:
        return np.zeros(envelopes.shape, dtype=np.float32)
    gains = muscle_gains(participant)
    W = np.asarray(participant.synergies, dtype=float)
    out = np.empty(envelopes.shape, dtype=np.float32)
    for j in range(envelopes.shape[0]):  # one movement at a time (memory)
        out[j] = gains[j][..., None] * np.einsum("mk,rkt->rmt", W,
                                                  np.asarray(tonic[j], dtype=float))
    return out


def electrode_envelopes(participant) -> np.ndarray:
    r"""The envelope each electrode records, crosstalk included (noise excluded).

    Channel :math:`m` records :math:`\sum_n C_{mn} e_n c_n` with independent unit-RMS
    carriers :math:`c_n` (:mod:`synergylib.reaching`, step 6), whose RMS amplitude is

    .. math:: \tilde e_m(t) = \sqrt{\textstyle\sum_n C_{mn}^2\, e_n(t)^2}.

    A participant without a crosstalk matrix (the clean generator) gives its
    envelopes unchanged.

    Returns
    -------
    ndarray of shape (n_movements, n_repetitions, n_muscles, n_samples), float32
    """
    envelopes = np.asarray(participant.envelopes)
    C = getattr(participant, "crosstalk", None)
    if C is None:
        return envelopes.astype(np.float32)
    C2 = np.asarray(C, dtype=float) ** 2
    out = np.empty(envelopes.shape, dtype=np.float32)
    for j in range(envelopes.shape[0]):
        out[j] = np.sqrt(np.einsum("mn,rnt->rmt", C2, np.asarray(envelopes[j], float) ** 2))
    return out


def truth_matrices(participant, trials, config: PreprocessingConfig | None = None
                   ) -> tuple[np.ndarray, np.ndarray | None]:
    """A part of the truth, time-normalised and averaged exactly like the data.

    ``trials`` (movements, repetitions, rows, samples at ``participant.fs``) is cut at
    each trial's onset and offset, resampled to ``config.n_points``, averaged over the
    training repetitions and concatenated in the preprocessing's movement order: what
    :func:`~synergylib.preprocessing.preprocess_participant` does to the true
    activations, with no filtering and no amplitude normalisation.

    Returns
    -------
    train : ndarray of shape (n_rows, n_movements * n_points)
    test : ndarray of the same shape, or None when no repetition is held out
    """
    from ..preprocessing import _concatenate, _movement_order, average_repetitions, time_normalise

    config = PreprocessingConfig() if config is None else config
    trials = np.asarray(trials)
    n_rep = trials.shape[1]
    order = _movement_order(participant)
    normalised = time_normalise(trials[order], np.asarray(participant.onset, float)[order],
                                np.asarray(participant.offset, float)[order], config.n_points)
    test = None if config.test_repetition is None else config.test_repetition % n_rep
    train_idx = [r for r in range(n_rep) if r != test]
    train = _concatenate(average_repetitions(normalised, train_idx, axis=1))
    return train, None if test is None else _concatenate(normalised[:, test])


def line_prominence(emg, fs: float, freq: float, *, nperseg: int = 2048,
                    exclude: float = 1.5, width: float = 5.0) -> np.ndarray:
    r"""How far a spectral line stands above the spectrum around it, in dB.

    Welch's power spectral density :math:`P(f)` (``nperseg`` samples per segment) at
    the bin nearest ``freq``, against the median of the bins with
    :math:`\text{exclude} < |f - \text{freq}| < \text{width}`:

    .. math:: 10 \log_{10} \frac{P(f_0)}{\operatorname{median}_{\text{near}} P(f)} .

    Parameters
    ----------
    emg : array-like of shape (..., n_channels, n_samples) or (n_samples,)
        The PSD is averaged over every axis before the channel axis (repetitions).
    fs, freq : float
        Sampling rate and line frequency (Hz).

    Returns
    -------
    ndarray of shape (n_channels,), or a float for a 1-D signal
    """
    x = np.asarray(emg, dtype=float)
    if x.ndim == 0 or x.shape[-1] < nperseg or not np.isfinite(x).all():
        raise SynergyInputError(
            f"emg must be finite with at least nperseg={nperseg} samples, got shape {x.shape}.")
    if not 0 < exclude < width or not 0 < freq + width < fs / 2 or freq - width <= 0:
        raise SynergyInputError("Need 0 < exclude < width and the band freq +- width inside "
                                "(0, fs/2).")
    f, P = signal.welch(x, fs, nperseg=nperseg, axis=-1)
    if P.ndim > 2:
        P = P.reshape(-1, *P.shape[-2:]).mean(axis=0)
    near = (np.abs(f - freq) > exclude) & (np.abs(f - freq) < width)
    line = P[..., int(np.argmin(np.abs(f - freq)))]
    result = 10 * np.log10(line / np.median(P[..., near], axis=-1))
    return float(result) if np.ndim(result) == 0 else result


def correlated_pairs(matrix, muscles: Sequence[str], templates, n: int = 5) -> dict:
    """The most correlated pairs of rows of a matrix, and whether they share a synergy.

    Parameters
    ----------
    matrix : array-like of shape (n_muscles, n_samples)
    muscles : sequence of str
    templates : array-like of shape (n_muscles, n_synergies)
        Synergy weights (e.g. :func:`synergylib.datasets.ground_truth_synergies`);
        two muscles share a synergy when both have a positive weight in one column.
    n : int
        How many pairs.

    Returns
    -------
    dict
        ``pairs_text`` ("A-B (0.70), ..."), ``pairs_shared`` (how many of the ``n``
        share a synergy), ``pairs_n`` (``n``) and ``pairs_median`` (median
        correlation over every pair of rows).
    """
    X = np.asarray(matrix, dtype=float)
    W = np.asarray(templates, dtype=float)
    n = check_int(n, "n", low=1)
    if X.ndim != 2 or X.shape[0] != len(muscles) or W.ndim != 2 or W.shape[0] != len(muscles):
        raise SynergyInputError("matrix and templates need one row per muscle.")
    R = np.corrcoef(X)
    rows, cols = np.triu_indices(len(muscles), 1)
    values = R[rows, cols]
    best = np.argsort(values, kind="stable")[::-1][:n]
    shared = [bool(np.any((W[rows[b]] > 0) & (W[cols[b]] > 0))) for b in best]
    return {
        "pairs_text": ", ".join(f"{muscles[rows[b]]}-{muscles[cols[b]]} ({values[b]:.2f})"
                                for b in best),
        "pairs_shared": int(sum(shared)),
        "pairs_n": int(len(best)),
        "pairs_median": float(np.median(values)),
    }


def envelope_recovery(participant, config: PreprocessingConfig | None = None, *,
                      electrode: bool = False) -> dict[str, np.ndarray]:
    r"""Correlation, muscle by muscle, between the preprocessed and the true envelope matrix.

    Runs :func:`~synergylib.preprocessing.preprocess_participant` and builds the
    true matrix from the generator's noise-free envelopes ``participant.envelopes``
    (after the mixing; for the realistic generator the synergy drive times the
    muscle gains, plus the muscle-specific activity), cut, time-normalised and
    averaged exactly like the EMG (:func:`truth_matrices`). With ``config.phasic``
    the truth is the true **phasic** envelope, the envelopes less their true tonic
    part (:func:`true_tonic_envelopes`); otherwise the total envelope. Pearson's
    correlation ignores the amplitude normalisation and the factor
    :math:`\sqrt{2/\pi}` between the mean rectified EMG and its RMS envelope.

    Parameters
    ----------
    participant : ReachingParticipant
        A synthetic participant (with ground truth).
    config : PreprocessingConfig, optional
        Defaults (phasic) if None.
    electrode : bool
        Also compare with what each electrode records, crosstalk included
        (:func:`electrode_envelopes`): keys ``"train_electrode"`` and
        ``"test_electrode"``. Total envelopes only (``config.phasic`` False).

    Returns
    -------
    dict with keys ``"train"`` and ``"test"`` (the latter only when the
    configuration holds out a repetition), each an ndarray of shape
    (n_muscles,), and their ``_electrode`` twins when asked for.
    """
    config = PreprocessingConfig() if config is None else config
    if getattr(participant, "envelopes", None) is None:
        raise SynergyInputError("envelope_recovery needs a participant with ground truth.")
    if electrode and config.phasic:
        raise SynergyInputError(
            "electrode=True compares total envelopes: pass a configuration with phasic=False.")
    from ..preprocessing import preprocess_participant

    truths = {"": participant.envelopes}
    if config.phasic:
        _check_linear(participant, "the phasic truth")
        truths[""] = np.asarray(participant.envelopes) - true_tonic_envelopes(participant)
    if electrode:
        truths["_electrode"] = electrode_envelopes(participant)
    matrices = preprocess_participant(participant, config)
    result = {}
    for suffix, truth in truths.items():
        true_train, true_test = truth_matrices(participant, truth, config)
        result["train" + suffix] = rowwise_correlation(matrices.train, true_train)
        if matrices.test is not None:
            result["test" + suffix] = rowwise_correlation(matrices.test, true_test)
    return result


def tonic_comparison(total, phasic, true_tonic) -> dict[str, np.ndarray | float]:
    r"""The straight-line tonic estimate against the true tonic part, over a matrix.

    ``total`` and ``phasic`` are the chain's matrices without amplitude
    normalisation; what tonic removal took away is :math:`\hat\tau = x - p`.
    ``true_tonic`` is the generator's tonic envelope processed the same way,
    :math:`T` (scale it by :math:`\sqrt{2/\pi}` to compare with rectified EMG). The
    difference splits into two non-negative parts,
    :math:`T - \hat\tau = (T - \hat\tau)_+ - (\hat\tau - T)_+`:

    * ``left_in``: :math:`\sum (T - \hat\tau)_+ / \sum p`, true tonic activity the line
      did not remove, as a share of the phasic matrix's area;
    * ``removed_beyond``: :math:`\sum (\hat\tau - T)_+ / \sum \hat\tau`, what the line
      removed beyond the true tonic part (noise floor, crosstalk, and phasic activity
      under the line), as a share of what it removed;
    * ``removed_area`` and ``true_area``: :math:`\sum\hat\tau / \sum x` and
      :math:`\sum T / \sum x`, each a share of the total matrix's area;
    * ``left_in_muscle``: ``left_in`` per muscle (row),
      :math:`\sum_t (T_m - \hat\tau_m)_+ / \sum_t p_m`.

    Parameters
    ----------
    total, phasic, true_tonic : array-like of shape (n_muscles, n_samples)

    Returns
    -------
    dict
    """
    x, p, T = (np.asarray(a, dtype=float) for a in (total, phasic, true_tonic))
    if x.ndim != 2 or x.shape != p.shape or x.shape != T.shape:
        raise SynergyInputError(
            f"total, phasic and true_tonic must be 2-D arrays of the same shape, got "
            f"{x.shape}, {p.shape} and {T.shape}.")
    if not (np.isfinite(x).all() and np.isfinite(p).all() and np.isfinite(T).all()):
        raise SynergyInputError("total, phasic and true_tonic must be finite.")
    if np.any(p.sum(axis=1) <= 0) or x.sum() <= 0:
        raise SynergyInputError("Every muscle of phasic needs a positive area.")
    removed = x - p
    above = np.clip(T - removed, 0.0, None)
    below = np.clip(removed - T, 0.0, None)
    return {
        "left_in": float(above.sum() / p.sum()),
        "removed_beyond": float(below.sum() / removed.sum()) if removed.sum() > 0 else 0.0,
        "removed_area": float(removed.sum() / x.sum()),
        "true_area": float(T.sum() / x.sum()),
        "left_in_muscle": above.sum(axis=1) / p.sum(axis=1),
    }


#: Where the realistic generator centres the bursts of each segment (share of the
#: segment's duration, before the timing jitter): acceleration 0.25, deceleration 0.75
#: (:mod:`synergylib.reaching`, step 3).
BURST_CENTRES: tuple[float, float] = (0.25, 0.75)


def burst_times(participant, movement: int) -> dict[str, np.ndarray]:
    r"""When the generator centres each burst of one movement, repetition by repetition.

    A realistic trial is a reach of duration :math:`T_1` from onset, a hold, and a
    return of duration :math:`T_2` from ``return_onset``; each segment has an
    acceleration burst centred at :math:`0.25` and a deceleration burst at
    :math:`0.75` of its duration (:data:`BURST_CENTRES`, before the generator's
    timing jitter), all led by the EMG lead :math:`\Delta`:

    .. math::

       t_1 = 0.25\,T_1 - \Delta,\; t_2 = 0.75\,T_1 - \Delta,\;
       t_3 = t_\text{ret} + 0.25\,T_2 - \Delta,\; t_4 = t_\text{ret} + 0.75\,T_2 - \Delta

    (seconds after onset, :math:`t_\text{ret}` the return's start after onset).

    Parameters
    ----------
    participant : RealisticParticipant
        Needs ``hold_onset``, ``return_onset`` and ``emg_lead``.
    movement : int

    Returns
    -------
    dict
        ``"seconds"``: (n_repetitions, 4) times after onset; ``"percent"``: the
        same as a percentage of the movement (onset to offset), the time axis after
        time normalisation; ``"duration"``: (n_repetitions,) movement durations (s).
    """
    for name in ("hold_onset", "return_onset", "emg_lead"):
        if getattr(participant, name, None) is None:
            raise SynergyInputError(
                f"burst_times needs a participant of the realistic generator (no {name}).")
    fs = float(participant.fs)
    j = check_int(movement, "movement", low=0, high=np.shape(participant.onset)[0] - 1)
    onset = np.asarray(participant.onset[j], dtype=float)
    reach = (np.asarray(participant.hold_onset[j], dtype=float) - onset) / fs
    start_return = (np.asarray(participant.return_onset[j], dtype=float) - onset) / fs
    duration = (np.asarray(participant.offset[j], dtype=float) - onset) / fs
    back = duration - start_return
    lead = np.asarray(participant.emg_lead[j], dtype=float)
    a, d = BURST_CENTRES
    seconds = np.stack([a * reach, d * reach, start_return + a * back,
                        start_return + d * back], axis=1) - lead[:, None]
    return {"seconds": seconds, "percent": 100 * seconds / duration[:, None],
            "duration": duration}


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
                       true_tonic=None, true_label: str = "true tonic part",
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
    true_tonic : array-like of shape (n_samples,), optional
        The generator's true tonic part on the same scale, drawn dotted
        (legend ``true_label``).
    """
    t = _vector(t, "t")
    fig, ax = _single_axes(ax, (8, 3))
    ax.axvspan(onset_s - pre[1], onset_s - pre[0], color=_REST_COLOR, label="rest windows")
    ax.axvspan(offset_s + post[0], offset_s + post[1], color=_REST_COLOR)
    ax.plot(t, _vector(env, "env"), color=_GREY, linewidth=1.5, label="total envelope")
    ax.plot(t, _vector(tonic, "tonic"), color=_VERMILLION, linestyle="--", linewidth=1.4,
            label="tonic line")
    if true_tonic is not None:
        ax.plot(t, _vector(true_tonic, "true_tonic"), color=_BLACK, linestyle=":",
                linewidth=1.6, label=true_label)
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
__all__ += ["burst_timing_values", "crosstalk_values", "recovery_values",
            "tonic_comparison_values", "tonic_trial_values", "tonic_values"]


def tonic_values(share: dict, muscles: Sequence[str]) -> dict:
    """How much of the envelope is tonic, in % (section "Phasic or total envelope?").

    ``share`` is :func:`tonic_share`'s result and ``muscles`` the names of its
    muscles. Returns the pooled shares of the area and of the variance
    (``tonic_area``, ``tonic_variance``), the largest variance share of one muscle
    (``tonic_variance_max``) and that muscle's name, and the smallest one
    (``tonic_variance_min``, which can be negative: the variance share is a
    covariance) with its muscle's name.
    """
    variance = np.asarray(share["variance"], dtype=float)
    if variance.shape != (len(muscles),):
        raise SynergyInputError(
            f"share['variance'] has shape {variance.shape} for {len(muscles)} muscles.")
    most, least = int(np.argmax(variance)), int(np.argmin(variance))
    return {
        "tonic_area": 100 * share["area_pooled"],
        "tonic_variance": 100 * share["variance_pooled"],
        "tonic_variance_max": float(100 * variance[most]),
        "tonic_variance_max_muscle": muscles[most],
        "tonic_variance_min": float(100 * variance[least]),
        "tonic_variance_min_muscle": muscles[least],
    }


def tonic_trial_values(line, true_tonic, fs: float, onset: float, hold_onset: float,
                       return_onset: float, offset: float,
                       pre: Sequence[float] = (0.2, 0.4)) -> dict:
    """The straight tonic line against the true tonic part in one trial, in µV (step 6).

    ``line`` and ``true_tonic`` are one muscle's tonic line
    (:func:`~synergylib.preprocessing.tonic_component`) and true tonic part on the same
    scale, in mV, sampled at ``fs``; the four events are sample indices at ``fs``
    (fractions allowed) and ``pre`` the rest window before onset, (near, far) in
    seconds. Returns the line at onset and at offset (``line_start_uv``,
    ``line_end_uv``), the mean true tonic part in the rest window (``true_rest_uv``)
    and during the hold (``true_hold_uv``), and, in the middle of the hold, the
    distance between the truth and the line (``hold_gap_uv``, >= 0) with its side
    (``hold_gap_side``: ``"above"`` when the truth is above the line, else
    ``"below"``).
    """
    line, true_tonic = _vector(line, "line"), _vector(true_tonic, "true_tonic")
    if line.size != true_tonic.size:
        raise SynergyInputError("line and true_tonic must have the same length.")
    if not 0 <= onset <= hold_onset <= return_onset <= offset < line.size:
        raise SynergyInputError(
            "The events must satisfy 0 <= onset <= hold_onset <= return_onset <= offset "
            f"< {line.size} samples.")
    n = line.size

    def at(sample: float) -> int:
        return int(min(max(round(sample), 0), n - 1))

    rest = slice(at(onset - pre[1] * fs), at(onset - pre[0] * fs) + 1)
    hold = slice(at(hold_onset), max(at(return_onset), at(hold_onset) + 1))
    middle = at((hold_onset + return_onset) / 2)
    gap = 1000 * float(true_tonic[middle] - line[middle])
    return {
        "line_start_uv": 1000 * float(line[at(onset)]),
        "line_end_uv": 1000 * float(line[at(offset)]),
        "true_rest_uv": 1000 * float(true_tonic[rest].mean()),
        "true_hold_uv": 1000 * float(true_tonic[hold].mean()),
        "hold_gap_uv": abs(gap),
        "hold_gap_side": "above" if gap >= 0 else "below",
    }


def burst_timing_values(times: dict) -> dict:
    """Where the first and the last burst of one movement sit, before and after time
    normalisation (step 7).

    ``times`` is :func:`burst_times`'s result. For the first burst (the reach's
    acceleration burst) and the last (the return's deceleration burst): the spread
    (max - min over repetitions) of its time after onset, in ms (``*_spread_ms``) and
    as a percentage of the mean movement duration (``*_spread_before``); its spread
    and median on the normalised axis, in % of the movement (``*_spread_after``,
    ``*_median``).
    """
    seconds = np.asarray(times["seconds"], dtype=float)
    percent = np.asarray(times["percent"], dtype=float)
    duration = np.asarray(times["duration"], dtype=float)
    if seconds.ndim != 2 or seconds.shape[1] != 4 or percent.shape != seconds.shape \
            or duration.shape != (seconds.shape[0],):
        raise SynergyInputError("times must hold 'seconds' and 'percent' of shape (n, 4) and "
                                "'duration' of shape (n,).")
    values = {}
    for name, column in (("first", 0), ("last", 3)):
        spread = float(np.ptp(seconds[:, column]))
        values.update({
            f"{name}_spread_ms": 1000 * spread,
            f"{name}_spread_before": 100 * spread / float(duration.mean()),
            f"{name}_spread_after": float(np.ptp(percent[:, column])),
            f"{name}_median": float(np.median(percent[:, column])),
        })
    return values


def tonic_comparison_values(comparison: dict, muscles: Sequence[str]) -> dict:
    """The straight line against the true tonic part, in % (section "Phasic or total").

    ``comparison`` is :func:`tonic_comparison`'s result. Returns its four shares in %
    (``tonic_left_in``, ``tonic_removed_beyond``, ``tonic_removed_area``,
    ``tonic_true_area``), the muscle with the largest share of true tonic activity left
    in its phasic envelope (``tonic_left_in_max_muscle``) and that share
    (``tonic_left_in_max``).
    """
    per_muscle = np.asarray(comparison["left_in_muscle"], dtype=float)
    if per_muscle.shape != (len(muscles),):
        raise SynergyInputError(
            f"left_in_muscle must hold one value per muscle ({len(muscles)}), got shape "
            f"{per_muscle.shape}.")
    most = int(np.argmax(per_muscle))
    return {
        "tonic_left_in": 100 * comparison["left_in"],
        "tonic_removed_beyond": 100 * comparison["removed_beyond"],
        "tonic_removed_area": 100 * comparison["removed_area"],
        "tonic_true_area": 100 * comparison["true_area"],
        "tonic_left_in_max": float(100 * per_muscle[most]),
        "tonic_left_in_max_muscle": muscles[most],
    }


def crosstalk_values(r_train, r_train_electrode, muscles: Sequence[str]) -> dict:
    """What crosstalk costs the recovery of the true envelope (section "How well ...").

    ``r_train`` and ``r_train_electrode`` are :func:`envelope_recovery`'s ``"train"``
    and ``"train_electrode"`` stacked over participants, shape
    ``(n_participants, n_muscles)``. Returns the muscle with the lowest median
    correlation with its own envelope (``xtalk_muscle``), that median
    (``xtalk_muscle_r``), its median correlation with the envelope its electrode
    records (``xtalk_electrode_r``), and the lowest median over muscles of the latter
    (``xtalk_electrode_min``).
    """
    r = np.asarray(r_train, dtype=float)
    e = np.asarray(r_train_electrode, dtype=float)
    if r.ndim != 2 or e.shape != r.shape or r.shape[1] != len(muscles):
        raise SynergyInputError(
            f"r_train and r_train_electrode must both have shape (n_participants, "
            f"{len(muscles)}), got {r.shape} and {e.shape}.")
    median, median_e = np.median(r, axis=0), np.median(e, axis=0)
    worst = int(np.argmin(median))
    return {
        "xtalk_muscle": muscles[worst],
        "xtalk_muscle_r": float(median[worst]),
        "xtalk_electrode_r": float(median_e[worst]),
        "xtalk_electrode_min": float(median_e.min()),
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
