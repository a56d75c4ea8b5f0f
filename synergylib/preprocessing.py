r"""From raw EMG to the matrices that synergies are extracted from.

This module implements section 3 of the replication protocol as small functions
that can be used one at a time, plus one chain that runs all of them on a whole
participant:

1. :func:`bandpass` - zero-phase Butterworth band-pass (default 20-450 Hz);
2. :func:`notch` - optional zero-phase mains notch (default 50 Hz);
3. :func:`rectify` - full-wave rectification;
4. :func:`envelope` - zero-phase low-pass of the rectified signal (default
   20 Hz; 50-tap FIR as in the group's code, or a Butterworth);
5. :func:`downsample` - polyphase resampling of the envelope (default 100 Hz);
6. :func:`remove_tonic` - phasic EMG: subtract a straight-line tonic component
   anchored on the rest before onset and after offset, clip at zero;
7. :func:`time_normalise` - each movement (onset to offset) resampled to a fixed
   number of points (default 100);
8. :func:`average_repetitions` - mean over the training repetitions;
9. :func:`amplitude_normalise` - each muscle divided by its maximum.

:func:`emg_to_envelope` runs steps 1-4 on any EMG array (for instance one real
raw trial), :func:`preprocess_trial` runs steps 1-7 on one movement, and
:func:`preprocess_participant` runs the whole chain on a synthetic
:class:`~synergylib.datasets.ReachingParticipant` and returns a
:class:`SynergyMatrices`. Every parameter of the chain lives in the frozen
:class:`PreprocessingConfig`, whose :meth:`~PreprocessingConfig.as_table` lists
each one with its value, its meaning and where it comes from (paper, group or
our choice).

Conventions
-----------
* Time is always the **last** axis. Leading axes (movements, repetitions,
  muscles) are processed together, so a whole participant is vectorised.
* ``onset`` and ``offset`` are **sample indices** (they may be fractional) at
  the sampling rate of the array they refer to. They are aligned with the
  *leading* axes of the signal: for ``env`` of shape
  ``(n_movements, n_repetitions, n_muscles, n_samples)`` pass ``onset`` of shape
  ``(n_movements, n_repetitions)`` (or a scalar, or anything that broadcasts).
* Matrices are returned in the physiology layout ``(n_muscles, n_samples)``;
  estimators take their transpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, Sequence

import numpy as np
from scipy import signal

from ._config import DocumentedConfig, param
from ._validation import SynergyInputError, check_int, check_real

__all__ = [
    "PreprocessingConfig",
    "SynergyMatrices",
    "amplitude_normalise",
    "average_repetitions",
    "FILTERS",
    "bandpass",
    "design_filters",
    "downsample",
    "emg_to_envelope",
    "envelope",
    "notch",
    "preprocess_participant",
    "preprocess_trial",
    "rectify",
    "remove_tonic",
    "time_normalise",
    "tonic_component",
]

EnvelopeMethod = Literal["fir", "butter"]
_ENVELOPE_METHODS = ("fir", "butter")
_AMPLITUDE_REFERENCES = ("train", "all")


# --------------------------------------------------------------------------- #
# Input checks
# --------------------------------------------------------------------------- #
def _check_signal(x, name: str = "emg", *, min_ndim: int = 1, ndim: int | None = None,
                  min_samples: int = 2) -> np.ndarray:
    """Return ``x`` as a float64 array after checking shape and finiteness."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SynergyInputError(f"{name} must be a numeric array; {exc}") from None
    if ndim is not None and arr.ndim != ndim:
        raise SynergyInputError(
            f"{name} must be {ndim}-D, got an array of shape {arr.shape} ({arr.ndim}-D)."
        )
    if arr.ndim < min_ndim:
        raise SynergyInputError(
            f"{name} must have at least {min_ndim} dimension(s) with time on the last "
            f"axis, got an array of shape {arr.shape}."
        )
    if arr.ndim >= 1 and arr.shape[-1] < min_samples:
        raise SynergyInputError(
            f"{name} has {arr.shape[-1]} sample(s) on its last (time) axis; at least "
            f"{min_samples} are needed."
        )
    if arr.size == 0:
        raise SynergyInputError(f"{name} is empty (shape {arr.shape}).")
    if not np.isfinite(arr).all():
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        raise SynergyInputError(
            f"{name} contains NaN ({n_nan} values) or infinity ({n_inf} values); "
            "remove or interpolate them before filtering."
        )
    return arr


def _time_last(x, axis: int, name: str = "emg", min_samples: int = 2) -> np.ndarray:
    """Validate ``x`` and move its time ``axis`` to the end."""
    arr = _check_signal(x, name, min_samples=1)
    try:
        arr = np.moveaxis(arr, axis, -1)
    except (ValueError, IndexError):  # numpy AxisError
        raise SynergyInputError(
            f"axis={axis} is out of range for {name} of shape {arr.shape}.") from None
    if arr.shape[-1] < min_samples:
        raise SynergyInputError(
            f"{name} has {arr.shape[-1]} sample(s) on its time axis; at least "
            f"{min_samples} are needed.")
    return arr


def _check_below_nyquist(freq: float, fs: float, what: str) -> None:
    if not freq < fs / 2:
        raise SynergyInputError(
            f"fs={fs:g} Hz is too low for {what} at {freq:g} Hz: the sampling rate must "
            f"exceed twice that frequency (2 x {freq:g} = {2 * freq:g} Hz)."
        )


def _check_long_enough(n_samples: int, padlen: int, what: str) -> None:
    if n_samples <= padlen:
        raise SynergyInputError(
            f"The signal has {n_samples} samples on its time axis, too short for the "
            f"zero-phase {what}, which needs more than {padlen} (its edge padding)."
        )


def _trial_values(value, shape: tuple[int, ...], name: str) -> np.ndarray:
    """Broadcast per-trial ``value`` (aligned with the leading axes) to ``shape[:-1]``."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SynergyInputError(f"{name} must be numeric; {exc}") from None
    if not np.isfinite(arr).all():
        raise SynergyInputError(f"{name} contains NaN or infinity.")
    lead = shape[:-1]
    if arr.ndim > len(lead):
        raise SynergyInputError(
            f"{name} has shape {arr.shape} but the signal of shape {shape} has only "
            f"{len(lead)} leading (non-time) axes."
        )
    arr = arr.reshape(arr.shape + (1,) * (len(lead) - arr.ndim))
    try:
        return np.broadcast_to(arr, lead)
    except ValueError:
        raise SynergyInputError(
            f"{name} of shape {np.shape(value)} does not match the leading axes "
            f"{lead} of the signal (it is aligned from the first axis)."
        ) from None


def _check_onset_offset(onset, offset, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    on = _trial_values(onset, shape, "onset")
    off = _trial_values(offset, shape, "offset")
    n = shape[-1]
    if np.any(on >= off):
        raise SynergyInputError(
            "onset must be strictly before offset for every movement; "
            f"{int(np.count_nonzero(on >= off))} trial value(s) have onset >= offset."
        )
    if np.any(on < 0) or np.any(off > n - 1):
        raise SynergyInputError(
            f"onset and offset must lie inside the trial, between sample 0 and {n - 1}; "
            f"got onset down to {on.min():g} and offset up to {off.max():g}."
        )
    return on, off


def _check_window(window, name: str) -> tuple[float, float]:
    try:
        near, far = (float(v) for v in window)
    except (TypeError, ValueError):
        raise SynergyInputError(
            f"{name} must be a pair (near, far) of times in seconds, got {window!r}."
        ) from None
    if not (np.isfinite(near) and np.isfinite(far) and 0 <= near < far):
        raise SynergyInputError(
            f"{name} must satisfy 0 <= near < far (seconds away from the movement), "
            f"got {window!r}."
        )
    return near, far


# --------------------------------------------------------------------------- #
# Filters
# --------------------------------------------------------------------------- #
def bandpass(emg, fs: float, low: float = 20.0, high: float = 450.0, order: int = 4,
             axis: int = -1) -> np.ndarray:
    r"""Zero-phase Butterworth band-pass filter.

    The filter is designed with :func:`scipy.signal.butter` (second-order
    sections) and applied forward and backward with
    :func:`scipy.signal.sosfiltfilt`, so it has no phase shift (bursts are not
    delayed) and its magnitude response is the square of the designed one:

    .. math:: |H_{\mathrm{zero\text{-}phase}}(f)| = |H_{\mathrm{butter}}(f)|^2,

    i.e. -6 dB (not -3 dB) at ``low`` and ``high``, and twice the designed
    stop-band attenuation.

    Parameters
    ----------
    emg : array-like
        Raw EMG, time on ``axis``; any number of other axes.
    fs : float
        Sampling rate in Hz. Must exceed ``2 * high``.
    low, high : float
        Band edges in Hz, ``0 < low < high < fs / 2``.
    order : int
        Order of the Butterworth prototype (the band-pass has ``2 * order``
        poles; the forward-backward pass doubles the attenuation again).
    axis : int
        The time axis.

    Returns
    -------
    ndarray of float64, same shape as ``emg``.
    """
    fs = check_real(fs, "fs", low=0, include_low=False)
    low = check_real(low, "low", low=0, include_low=False)
    high = check_real(high, "high", low=0, include_low=False)
    order = check_int(order, "order", low=1)
    if not low < high:
        raise SynergyInputError(f"The band needs low < high, got low={low:g}, high={high:g} Hz.")
    _check_below_nyquist(high, fs, "a band-pass with upper edge")
    x = _time_last(emg, axis, "emg")
    sos = _bandpass_sos(fs, low, high, order)
    padlen = _sos_padlen(sos)
    _check_long_enough(x.shape[-1], padlen, "band-pass")
    y = signal.sosfiltfilt(sos, x, axis=-1, padlen=padlen)
    return np.moveaxis(y, -1, axis)


def _bandpass_sos(fs: float, low: float, high: float, order: int) -> np.ndarray:
    return signal.butter(order, [low, high], btype="bandpass", fs=fs, output="sos")


def _notch_ba(fs: float, freq: float, quality: float,
              harmonics: int) -> list[tuple[np.ndarray, np.ndarray]]:
    return [signal.iirnotch(k * freq, quality, fs=fs) for k in range(1, harmonics + 1)]


def _envelope_lowpass(fs: float, cutoff: float, method: str, order: int,
                      numtaps: int) -> np.ndarray:
    """Second-order sections (``"butter"``) or FIR taps (``"fir"``)."""
    if method == "butter":
        return signal.butter(order, cutoff, btype="lowpass", fs=fs, output="sos")
    return signal.firwin(numtaps, cutoff, fs=fs)


#: The filters of the chain, in order, as :func:`design_filters` names them.
FILTERS: tuple[str, ...] = ("bandpass", "notch", "envelope")


def design_filters(kind: str, fs: float, config: PreprocessingConfig | None = None
                   ) -> list[tuple[str, np.ndarray | tuple[np.ndarray, np.ndarray]]]:
    """The coefficients of one filter of the chain, designed as the chain designs them.

    :func:`bandpass`, :func:`notch` and :func:`envelope` design their filters with
    the same private functions, so what this returns is what they apply.

    Parameters
    ----------
    kind : {"bandpass", "notch", "envelope"}
        Which filter.
    fs : float
        Sampling rate in Hz.
    config : PreprocessingConfig, optional
        The chain's parameters (defaults if None).

    Returns
    -------
    list of (form, coefficients)
        ``("sos", sos)`` for a Butterworth, ``("ba", (b, a))`` for a notch
        (one per harmonic) or the FIR envelope (``a = [1]``). The chain applies
        each forward and backward.
    """
    config = PreprocessingConfig() if config is None else config
    if kind not in FILTERS:
        raise SynergyInputError(f"Unknown filter {kind!r}; choose one of {', '.join(FILTERS)}.")
    fs = check_real(fs, "fs", low=0, include_low=False)
    if kind == "bandpass":
        return [("sos", _bandpass_sos(fs, config.bandpass_low, config.bandpass_high,
                                      config.bandpass_order))]
    if kind == "notch":
        return [("ba", ba) for ba in _notch_ba(fs, config.notch_freq, config.notch_quality,
                                               config.notch_harmonics)]
    coefficients = _envelope_lowpass(fs, config.envelope_cutoff, config.envelope_method,
                                     config.envelope_order, config.envelope_numtaps)
    if config.envelope_method == "butter":
        return [("sos", coefficients)]
    return [("ba", (coefficients, np.array([1.0])))]


def _sos_padlen(sos: np.ndarray) -> int:
    # Same default as scipy.signal.sosfiltfilt, made explicit so it can be checked.
    ntaps = 2 * len(sos) + 1
    ntaps -= min(int((sos[:, 2] == 0).sum()), int((sos[:, 5] == 0).sum()))
    return 3 * ntaps


def notch(emg, fs: float, freq: float = 50.0, quality: float = 30.0, harmonics: int = 1,
          axis: int = -1) -> np.ndarray:
    r"""Zero-phase notch filter against mains interference.

    For each of the first ``harmonics`` multiples :math:`f_k = k\,f_0` of
    ``freq`` a second-order IIR notch (:func:`scipy.signal.iirnotch`, -3 dB
    bandwidth :math:`f_k / Q`) is applied forward and backward
    (:func:`scipy.signal.filtfilt`).

    Parameters
    ----------
    emg : array-like
        EMG, time on ``axis``.
    fs : float
        Sampling rate in Hz.
    freq : float
        Mains frequency :math:`f_0` in Hz (50 in Europe, 60 in the Americas).
    quality : float
        Quality factor :math:`Q`; larger means narrower.
    harmonics : int
        How many multiples of ``freq`` to remove (1 = the fundamental only).
        Every one of them must lie below the Nyquist frequency.
    axis : int
        The time axis.
    """
    fs = check_real(fs, "fs", low=0, include_low=False)
    freq = check_real(freq, "freq", low=0, include_low=False)
    quality = check_real(quality, "quality", low=0, include_low=False)
    harmonics = check_int(harmonics, "harmonics", low=1)
    _check_below_nyquist(harmonics * freq, fs, f"a notch (harmonic {harmonics} of {freq:g} Hz)")
    y = _time_last(emg, axis, "emg")
    _check_long_enough(y.shape[-1], 9, "notch")
    for b, a in _notch_ba(fs, freq, quality, harmonics):
        y = signal.filtfilt(b, a, y, axis=-1)
    return np.moveaxis(y, -1, axis)


def rectify(emg) -> np.ndarray:
    r"""Full-wave rectification, :math:`y(t) = |x(t)|`."""
    return np.abs(_check_signal(emg, min_samples=1))


def envelope(emg, fs: float, cutoff: float = 20.0, order: int = 4,
             method: EnvelopeMethod = "butter", numtaps: int = 50,
             axis: int = -1) -> np.ndarray:
    r"""Linear envelope: zero-phase low-pass of the full-wave rectified signal.

    .. math:: e(t) = \max\bigl(0,\ (h \star h^{-} \star |x|)(t)\bigr),

    where :math:`h` is the low-pass impulse response and :math:`h^{-}` its time
    reverse (forward-backward filtering, no delay). The input is rectified here,
    so band-passed EMG can be passed directly (rectifying twice changes nothing).

    Two low-pass filters are offered:

    * ``method="butter"``: Butterworth of ``order`` with cutoff ``cutoff``
      (:func:`scipy.signal.butter` + :func:`scipy.signal.sosfiltfilt`); its
      response does not depend on ``fs``.
    * ``method="fir"``: the research group's choice, a ``numtaps``-tap
      Hamming-window FIR (:func:`scipy.signal.firwin`, -6 dB at ``cutoff``)
      applied with :func:`scipy.signal.filtfilt`. With 50 taps at 1 kHz its
      transition band is wide (about :math:`3.3 f_s / N \approx 66` Hz), so it
      smooths more than the Butterworth; at other sampling rates the same
      number of taps spans a different duration (50 ms at 1 kHz).

    The low-pass of a non-negative signal can undershoot zero slightly next to
    sharp bursts (filter ringing); those values are set to zero, because an
    envelope is an amplitude.

    Parameters
    ----------
    emg : array-like
        EMG (raw, band-passed or already rectified), time on ``axis``.
    fs : float
        Sampling rate in Hz.
    cutoff : float
        Low-pass cutoff in Hz, below ``fs / 2``.
    order : int
        Butterworth order (``method="butter"`` only).
    method : {"butter", "fir"}
        Which low-pass filter.
    numtaps : int
        FIR length (``method="fir"`` only).
    axis : int
        The time axis.
    """
    fs = check_real(fs, "fs", low=0, include_low=False)
    cutoff = check_real(cutoff, "cutoff", low=0, include_low=False)
    _check_below_nyquist(cutoff, fs, "an envelope low-pass")
    if method not in _ENVELOPE_METHODS:
        raise SynergyInputError(
            f"Unknown envelope method {method!r}; choose one of {', '.join(_ENVELOPE_METHODS)}."
        )
    x = np.abs(_time_last(emg, axis, "emg"))
    if method == "butter":
        order = check_int(order, "order", low=1)
        sos = _envelope_lowpass(fs, cutoff, "butter", order, numtaps)
        padlen = _sos_padlen(sos)
        _check_long_enough(x.shape[-1], padlen, "envelope low-pass")
        y = signal.sosfiltfilt(sos, x, axis=-1, padlen=padlen)
    else:
        numtaps = check_int(numtaps, "numtaps", low=3)
        taps = _envelope_lowpass(fs, cutoff, "fir", order, numtaps)
        _check_long_enough(x.shape[-1], 3 * numtaps, "envelope FIR low-pass")
        y = signal.filtfilt(taps, [1.0], x, axis=-1)
    np.maximum(y, 0.0, out=y)
    return np.moveaxis(y, -1, axis)


def downsample(env, fs: float, fs_new: float = 100.0, axis: int = -1) -> np.ndarray:
    r"""Resample an envelope to a lower rate with a polyphase filter.

    Uses :func:`scipy.signal.resample_poly` with the rational factor
    :math:`f_{new}/f_s = p/q` (``padtype="line"``, so the ends are not pulled
    towards zero). ``resample_poly`` applies its own anti-alias FIR, which is a
    safety net here: the envelope is already low-passed well below
    :math:`f_{new}/2`. Output sample :math:`k` is at time :math:`k / f_{new}`
    (the first samples are aligned), so a sample index :math:`i` at ``fs``
    becomes :math:`i\, f_{new} / f_s`. The output has
    :math:`\lceil n\,p/q \rceil` samples. If the input is non-negative, the small
    undershoots of the anti-alias filter are set to zero.

    Parameters
    ----------
    env : array-like
        Envelope, time on ``axis``.
    fs : float
        Its sampling rate in Hz.
    fs_new : float
        Target rate, ``0 < fs_new <= fs``; ``fs_new == fs`` returns a copy.
    axis : int
        The time axis.
    """
    fs = check_real(fs, "fs", low=0, include_low=False)
    fs_new = check_real(fs_new, "fs_new", low=0, include_low=False)
    if fs_new > fs:
        raise SynergyInputError(
            f"downsample needs fs_new <= fs, got fs_new={fs_new:g} Hz > fs={fs:g} Hz."
        )
    x = _time_last(env, axis, "env")
    if fs_new == fs:
        return np.moveaxis(x.copy(), -1, axis)
    ratio = Fraction(fs_new / fs).limit_denominator(10_000)
    if abs(float(ratio) - fs_new / fs) > 1e-9 * fs_new / fs:
        raise SynergyInputError(
            f"fs_new / fs = {fs_new:g} / {fs:g} is not close to a ratio of small integers; "
            "choose rates whose ratio is rational (e.g. 100 / 1000)."
        )
    y = signal.resample_poly(x, ratio.numerator, ratio.denominator, axis=-1, padtype="line")
    if x.min() >= 0:
        np.maximum(y, 0.0, out=y)
    return np.moveaxis(y, -1, axis)


# --------------------------------------------------------------------------- #
# Movement-level steps
# --------------------------------------------------------------------------- #
def _window_means(env: np.ndarray, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Mean of ``env[..., start:stop]`` for per-trial integer bounds (vectorised)."""
    csum = np.concatenate([np.zeros(env.shape[:-1] + (1,)), np.cumsum(env, axis=-1)], axis=-1)
    hi = np.take_along_axis(csum, stop[..., None], axis=-1)[..., 0]
    lo = np.take_along_axis(csum, start[..., None], axis=-1)[..., 0]
    return (hi - lo) / (stop - start)


def remove_tonic(env, onset, offset, fs: float, pre: Sequence[float] = (0.2, 0.4),
                 post: Sequence[float] = (0.2, 0.4)) -> np.ndarray:
    r"""Phasic EMG: subtract a straight-line tonic component and clip at zero.

    The tonic level is measured in two rest windows, given as distances
    ``(near, far)`` in seconds from the movement (default: from 400 ms to 200 ms
    before onset, and from 200 ms to 400 ms after offset):

    .. math::

        m_{pre} = \operatorname{mean}\, e\bigl([t_{on} - far_{pre},\ t_{on} - near_{pre})\bigr),
        \qquad
        m_{post} = \operatorname{mean}\,
                   e\bigl([t_{off} + near_{post},\ t_{off} + far_{post})\bigr).

    The tonic component is the straight line from :math:`(t_{on}, m_{pre})` to
    :math:`(t_{off}, m_{post})`, held constant outside the movement,

    .. math::

        \tau(t) = m_{pre} + (m_{post} - m_{pre})\,
        \operatorname{clip}\!\Bigl(\frac{t - t_{on}}{t_{off} - t_{on}}, 0, 1\Bigr),

    and the phasic envelope is :math:`p(t) = \max(0,\ e(t) - \tau(t))`.
    Window bounds are rounded to the nearest sample.

    Parameters
    ----------
    env : array-like of shape (..., n_samples)
        Envelope(s), time last.
    onset, offset : float or array-like
        Movement start and end as sample indices at ``fs`` (may be fractional),
        aligned with the leading axes of ``env`` (see the module docstring).
    fs : float
        Sampling rate of ``env`` in Hz.
    pre, post : (float, float)
        ``(near, far)`` distances in seconds, ``0 <= near < far``, of the rest
        windows before onset and after offset.

    Raises
    ------
    ValueError
        If a rest window falls outside the trial or is shorter than one sample.
    """
    x = _check_signal(env, "env")
    return np.maximum(x - tonic_component(x, onset, offset, fs, pre, post), 0.0)


def tonic_component(env, onset, offset, fs: float, pre: Sequence[float] = (0.2, 0.4),
                    post: Sequence[float] = (0.2, 0.4)) -> np.ndarray:
    r"""The straight-line tonic component :math:`\tau(t)` that :func:`remove_tonic` subtracts.

    ``remove_tonic(env, ...) == np.maximum(env - tonic_component(env, ...), 0)``;
    the parameters, the equations and the errors are those of :func:`remove_tonic`.

    Returns
    -------
    ndarray of float64, same shape as ``env``
    """
    x = _check_signal(env, "env")
    fs = check_real(fs, "fs", low=0, include_low=False)
    pre_near, pre_far = _check_window(pre, "pre")
    post_near, post_far = _check_window(post, "post")
    on, off = _check_onset_offset(onset, offset, x.shape)
    n = x.shape[-1]
    pre_start = np.rint(on - pre_far * fs).astype(np.intp)
    pre_stop = np.rint(on - pre_near * fs).astype(np.intp)
    post_start = np.rint(off + post_near * fs).astype(np.intp)
    post_stop = np.rint(off + post_far * fs).astype(np.intp)
    if np.any(pre_start < 0):
        raise SynergyInputError(
            f"The rest window before onset ({pre_far:g} to {pre_near:g} s before it) starts "
            f"before the trial for some movements (earliest onset at {on.min() / fs:.3f} s); "
            "shorten `pre` or give trials with more rest before the movement."
        )
    if np.any(post_stop > n):
        raise SynergyInputError(
            f"The rest window after offset ({post_near:g} to {post_far:g} s after it) ends "
            f"after the trial ({n / fs:.3f} s) for some movements (latest offset at "
            f"{off.max() / fs:.3f} s); shorten `post` or give trials with more rest after "
            "the movement."
        )
    if np.any(pre_stop <= pre_start) or np.any(post_stop <= post_start):
        raise SynergyInputError(
            f"A rest window is shorter than one sample at fs={fs:g} Hz; widen `pre`/`post`."
        )
    m_pre = _window_means(x, pre_start, pre_stop)
    m_post = _window_means(x, post_start, post_stop)
    t = np.arange(n, dtype=np.float64)
    frac = np.clip((t - on[..., None]) / (off - on)[..., None], 0.0, 1.0)
    return m_pre[..., None] + (m_post - m_pre)[..., None] * frac


def time_normalise(env, onset, offset, n_points: int = 100) -> np.ndarray:
    r"""Resample the onset-to-offset segment of each trial to ``n_points`` samples.

    The output samples sit at equally spaced times that include both ends,

    .. math:: t_k = t_{on} + k\,\frac{t_{off} - t_{on}}{n - 1}, \qquad k = 0, \dots, n - 1,

    and take the linearly interpolated value of the input there (the same as
    :func:`numpy.interp`, vectorised over trials and muscles).

    Parameters
    ----------
    env : array-like of shape (..., n_samples)
        Signal(s), time last.
    onset, offset : float or array-like
        Segment ends as (possibly fractional) sample indices of ``env``,
        ``0 <= onset < offset <= n_samples - 1``, aligned with the leading axes
        of ``env``.
    n_points : int
        Number of output samples, at least 2.

    Returns
    -------
    ndarray of shape (..., n_points)
    """
    n_points = check_int(n_points, "n_points", low=2)
    x = _check_signal(env, "env")
    on, off = _check_onset_offset(onset, offset, x.shape)
    grid = np.linspace(0.0, 1.0, n_points)
    pos = on[..., None] + (off - on)[..., None] * grid
    left = np.clip(np.floor(pos).astype(np.intp), 0, x.shape[-1] - 2)
    weight = pos - left
    x_left = np.take_along_axis(x, left, axis=-1)
    x_right = np.take_along_axis(x, left + 1, axis=-1)
    return x_left + weight * (x_right - x_left)


def average_repetitions(trials, repetitions: Sequence[int] | None = None,
                        axis: int = 1) -> np.ndarray:
    r"""Mean over repetitions, :math:`\bar e = \frac{1}{|R|} \sum_{r \in R} e_r`.

    Parameters
    ----------
    trials : array-like
        Time-normalised trials with repetitions on ``axis`` (for example
        ``(n_movements, n_repetitions, n_muscles, n_points)``, ``axis=1``).
    repetitions : sequence of int, optional
        Which repetitions to average (negative indices allowed); all if None.
    axis : int
        The repetition axis.
    """
    x = _check_signal(trials, "trials", min_ndim=1, min_samples=1)
    if not -x.ndim <= axis < x.ndim:
        raise SynergyInputError(f"axis={axis} is out of range for an array of {x.ndim} dims.")
    n_rep = x.shape[axis]
    if repetitions is None:
        return x.mean(axis=axis)
    idx = np.asarray(repetitions)
    if idx.ndim != 1 or idx.size == 0 or not np.issubdtype(idx.dtype, np.integer):
        raise SynergyInputError(
            f"repetitions must be a non-empty sequence of integers, got {repetitions!r}."
        )
    if np.any(idx < -n_rep) or np.any(idx >= n_rep):
        raise SynergyInputError(
            f"repetitions {list(map(int, idx))} out of range for {n_rep} repetitions."
        )
    idx = np.mod(idx, n_rep)
    if len(np.unique(idx)) != len(idx):
        raise SynergyInputError(f"repetitions {repetitions!r} contains duplicates.")
    return np.take(x, idx, axis=axis).mean(axis=axis)


def amplitude_normalise(matrix, reference=None, muscle_names: Sequence[str] | None = None,
                        ) -> tuple[np.ndarray, np.ndarray]:
    r"""Divide each muscle (row) by its maximum.

    .. math:: \tilde x_{m}(t) = x_{m}(t) / s_m, \qquad
              s_m = \max_t x_m(t) \ \text{(or the given reference)}.

    Pass the maxima of the training matrix as ``reference`` to normalise the
    held-out matrix with the *training* scale (no information from the test
    repetition leaks into the normalisation; its values may then exceed 1).

    Parameters
    ----------
    matrix : array-like of shape (n_muscles, n_samples)
        Non-negative envelopes, one row per muscle.
    reference : array-like of shape (n_muscles,), optional
        Per-muscle divisors; if None, the row maxima of ``matrix``.
    muscle_names : sequence of str, optional
        Used only to name silent muscles in error messages.

    Returns
    -------
    normalised : ndarray of shape (n_muscles, n_samples)
    scale : ndarray of shape (n_muscles,)
        The divisors used (the row maxima when ``reference`` is None).

    Raises
    ------
    ValueError
        If a divisor is not strictly positive: a silent muscle (all zeros)
        cannot be normalised; drop it, or pass a reference.
    """
    x = _check_signal(matrix, "matrix", ndim=2, min_samples=1)
    if reference is None:
        scale = x.max(axis=1)
        what = "maximum"
    else:
        scale = _check_signal(reference, "reference", ndim=1, min_samples=1)
        what = "reference"
        if scale.shape[0] != x.shape[0]:
            raise SynergyInputError(
                f"reference has {scale.shape[0]} values but matrix has {x.shape[0]} muscles."
            )
    bad = np.flatnonzero(scale <= 0)
    if bad.size:
        names = [muscle_names[i] for i in bad] if muscle_names is not None else bad.tolist()
        raise SynergyInputError(
            f"Cannot normalise amplitudes: muscle(s) {names} have a {what} <= 0 (a silent "
            "muscle). Remove them from the matrix or pass a positive reference."
        )
    return x / scale[:, None], scale


# --------------------------------------------------------------------------- #
# Configuration
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class PreprocessingConfig(DocumentedConfig):
    """Every parameter of the preprocessing chain, with the protocol's defaults.

    ``source`` in :meth:`as_table` says where each default comes from:
    ``"paper"`` (Brambilla et al. 2025), ``"group"`` (the same research group's
    public code and earlier papers) or ``"choice"`` (this project).
    """

    bandpass: bool = param(
        True, "apply the zero-phase Butterworth band-pass to the raw EMG", "choice")
    bandpass_low: float = param(20.0, "band-pass lower edge", "choice", "Hz")
    bandpass_high: float = param(450.0, "band-pass upper edge", "choice", "Hz")
    bandpass_order: int = param(
        4, "Butterworth order of the band-pass (applied forward and backward)", "choice")
    notch: bool = param(True, "apply a zero-phase mains notch", "choice")
    notch_freq: float = param(50.0, "mains frequency removed by the notch", "choice", "Hz")
    notch_quality: float = param(30.0, "notch quality factor Q (bandwidth = f / Q)", "choice")
    notch_harmonics: int = param(
        1, "number of mains multiples notched (1 = fundamental only)", "choice")
    envelope_method: str = param(
        "fir", "envelope low-pass: 'fir' (group's FIR) or 'butter'", "group")
    envelope_cutoff: float = param(
        20.0, "envelope low-pass cutoff (zero-phase, after full-wave rectification)",
        "group", "Hz")
    envelope_numtaps: int = param(
        50, "FIR length of the envelope low-pass (group: 50 taps at 1 kHz)", "group")
    envelope_order: int = param(
        4, "Butterworth order of the envelope low-pass (method 'butter' only)", "choice")
    fs_out: float | None = param(
        100.0, "envelope rate after down-sampling (None: keep the raw rate)", "group", "Hz")
    phasic: bool = param(
        True, "subtract the straight-line tonic component (phasic EMG); False: total envelope",
        "group")
    tonic_pre: tuple[float, float] = param(
        (0.2, 0.4), "rest window before onset, (near, far) seconds before it", "group", "s")
    tonic_post: tuple[float, float] = param(
        (0.2, 0.4), "rest window after offset, (near, far) seconds after it", "group", "s")
    n_points: int = param(100, "samples per movement after time normalisation", "group")
    test_repetition: int | None = param(
        -1, "index of the held-out repetition (-1: the last, i.e. the 10th of 10); the "
        "others are averaged for training; None: no held-out matrix", "group")
    normalise_amplitude: bool = param(
        True, "divide each muscle by its maximum over all movements", "group")
    amplitude_reference: str = param(
        "train", "maxima taken from 'train' (test divided by training maxima, no leakage) "
        "or 'all' (train and test)", "choice")

    def __post_init__(self) -> None:
        if self.bandpass:
            check_real(self.bandpass_low, "bandpass_low", low=0, include_low=False)
            check_real(self.bandpass_high, "bandpass_high", low=0, include_low=False)
            if not self.bandpass_low < self.bandpass_high:
                raise SynergyInputError(
                    f"bandpass_low ({self.bandpass_low}) must be below bandpass_high "
                    f"({self.bandpass_high}).")
            check_int(self.bandpass_order, "bandpass_order", low=1)
        if self.notch:
            check_real(self.notch_freq, "notch_freq", low=0, include_low=False)
            check_real(self.notch_quality, "notch_quality", low=0, include_low=False)
            check_int(self.notch_harmonics, "notch_harmonics", low=1)
        if self.envelope_method not in _ENVELOPE_METHODS:
            raise SynergyInputError(
                f"Unknown envelope_method {self.envelope_method!r}; choose one of "
                f"{', '.join(_ENVELOPE_METHODS)}.")
        check_real(self.envelope_cutoff, "envelope_cutoff", low=0, include_low=False)
        check_int(self.envelope_numtaps, "envelope_numtaps", low=3)
        check_int(self.envelope_order, "envelope_order", low=1)
        if self.fs_out is not None:
            check_real(self.fs_out, "fs_out", low=0, include_low=False)
        object.__setattr__(self, "tonic_pre", _check_window(self.tonic_pre, "tonic_pre"))
        object.__setattr__(self, "tonic_post", _check_window(self.tonic_post, "tonic_post"))
        check_int(self.n_points, "n_points", low=2)
        if self.test_repetition is not None:
            check_int(self.test_repetition, "test_repetition")
        if self.amplitude_reference not in _AMPLITUDE_REFERENCES:
            raise SynergyInputError(
                f"Unknown amplitude_reference {self.amplitude_reference!r}; choose one of "
                f"{', '.join(_AMPLITUDE_REFERENCES)}.")


# --------------------------------------------------------------------------- #
# Chains
# --------------------------------------------------------------------------- #
def emg_to_envelope(emg, fs: float, config: PreprocessingConfig | None = None) -> np.ndarray:
    """Band-pass, optional notch, rectification and low-pass: raw EMG to envelope.

    Works on any array with time on the last axis (for instance one real raw
    trial, ``(n_muscles, n_samples)``, at any sampling rate). The envelope stays
    at ``fs``; use :func:`downsample` to change its rate.
    """
    config = PreprocessingConfig() if config is None else config
    x = _check_signal(emg)
    fs = check_real(fs, "fs", low=0, include_low=False)
    if config.bandpass:
        x = bandpass(x, fs, config.bandpass_low, config.bandpass_high, config.bandpass_order)
    if config.notch:
        x = notch(x, fs, config.notch_freq, config.notch_quality, config.notch_harmonics)
    return envelope(x, fs, cutoff=config.envelope_cutoff, order=config.envelope_order,
                    method=config.envelope_method, numtaps=config.envelope_numtaps)


def _movement_envelopes(emg: np.ndarray, fs: float, onset, offset,
                        config: PreprocessingConfig) -> np.ndarray:
    """Steps 1-7 on a batch ``(..., n_muscles, n_samples)``; onset/offset per trial."""
    shape = emg.shape
    if shape[-1] < 2:
        raise SynergyInputError("emg needs at least 2 samples on its time axis.")
    # Check the timing on the raw rate first, so errors refer to the user's indices.
    on, off = _check_onset_offset(onset, offset, shape[:-1] + (shape[-1],))
    on, off = on[..., 0], off[..., 0]  # one value per trial (muscles share it)
    env = emg_to_envelope(emg, fs, config)
    rate = fs
    if config.fs_out is not None and config.fs_out != fs:
        env = downsample(env, fs, config.fs_out)
        on, off = on * config.fs_out / fs, off * config.fs_out / fs
        rate = config.fs_out
        off = np.minimum(off, env.shape[-1] - 1)  # guard against rounding at the very end
    if config.phasic:
        env = remove_tonic(env, on, off, rate, config.tonic_pre, config.tonic_post)
    return time_normalise(env, on, off, config.n_points)


def preprocess_trial(emg, fs: float, onset: float, offset: float,
                     config: PreprocessingConfig | None = None) -> np.ndarray:
    """Run the chain on one movement and return its time-normalised envelope.

    Parameters
    ----------
    emg : array-like of shape (n_muscles, n_samples)
        Raw EMG of one repetition of one movement, with rest before onset and
        after offset (needed when ``config.phasic``).
    fs : float
        Sampling rate in Hz.
    onset, offset : float
        Movement start and end as sample indices at ``fs``.
    config : PreprocessingConfig, optional
        Parameters; the protocol's defaults if None.

    Returns
    -------
    ndarray of shape (n_muscles, config.n_points)
        The (phasic or total) envelope, not yet amplitude-normalised.
    """
    config = PreprocessingConfig() if config is None else config
    x = _check_signal(emg, "emg", ndim=2)
    if np.ndim(onset) != 0 or np.ndim(offset) != 0:
        raise SynergyInputError("onset and offset must be scalars for one trial.")
    fs = check_real(fs, "fs", low=0, include_low=False)
    return _movement_envelopes(x[None], fs, np.array([onset]),
                               np.array([offset]), config)[0]


@dataclass(frozen=True, eq=False)
class SynergyMatrices:
    """The matrices synergies are extracted from, for one participant.

    Attributes
    ----------
    train : ndarray of shape (n_muscles, n_movements * n_points)
        Mean of the training repetitions, movements concatenated in the order
        of ``movement_plane`` / ``movement_target``, amplitude-normalised.
    test : ndarray of shape (n_muscles, n_movements * n_points) or None
        The held-out repetition, divided by the same per-muscle scale.
    true_activations_train, true_activations_test : ndarray or None
        Shape (K, n_movements * n_points).
        The generator's ground-truth activations, time-normalised and averaged
        the same way (no filtering, no amplitude normalisation); None for real
        data. With ``config.phasic`` they are the **phasic** truth,
        ``activations - tonic_activations`` (the generator's own tonic part, which
        follows arm posture), so that they compare with what models fitted to
        phasic EMG can find; the total activations when the generator gives no
        tonic part or ``config.phasic`` is False.
    muscles : tuple of str
    n_points : int
        Samples per movement.
    movement_plane, movement_target : ndarray of shape (n_movements,)
    config : PreprocessingConfig
    amplitude_scale : ndarray of shape (n_muscles,)
        The per-muscle divisors (training maxima by default; ones when
        amplitude normalisation is off). Ground-truth synergies ``W`` map to
        the normalised space as ``diag(1 / amplitude_scale) @ W``.
    """

    train: np.ndarray
    test: np.ndarray | None
    true_activations_train: np.ndarray | None
    true_activations_test: np.ndarray | None
    muscles: tuple[str, ...]
    n_points: int
    movement_plane: np.ndarray
    movement_target: np.ndarray
    config: PreprocessingConfig
    amplitude_scale: np.ndarray

    def __post_init__(self) -> None:
        for name in ("train", "test", "true_activations_train", "true_activations_test",
                     "movement_plane", "movement_target", "amplitude_scale"):
            value = getattr(self, name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False

    @property
    def n_muscles(self) -> int:
        return self.train.shape[0]

    @property
    def n_movements(self) -> int:
        return len(self.movement_plane)

    def movement_slice(self, i: int) -> slice:
        """Columns of movement ``i`` in ``train`` / ``test``."""
        n = self.n_movements
        i = check_int(i, "movement index", low=-n, high=n - 1) % n
        return slice(i * self.n_points, (i + 1) * self.n_points)


def _movement_order(p) -> np.ndarray:
    planes = tuple(getattr(p, "planes", None) or sorted(set(p.movement_plane.tolist())))
    rank = {plane: k for k, plane in enumerate(planes)}
    try:
        plane_rank = np.array([rank[str(v)] for v in p.movement_plane])
    except KeyError as exc:
        raise SynergyInputError(f"movement plane {exc} is not one of {planes}.") from None
    return np.lexsort((np.asarray(p.movement_target), plane_rank))


def _concatenate(movements: np.ndarray) -> np.ndarray:
    """(n_movements, n_rows, n_points) -> (n_rows, n_movements * n_points)."""
    return np.ascontiguousarray(movements.transpose(1, 0, 2).reshape(movements.shape[1], -1))


def preprocess_participant(p, config: PreprocessingConfig | None = None,
                           progress: bool = False) -> SynergyMatrices:
    """Run the whole chain on a participant and build the synergy matrices.

    For each movement (all repetitions and muscles at once): band-pass, notch,
    envelope, down-sampling, optional tonic removal, time normalisation. Then
    the training repetitions (all but ``config.test_repetition``) are averaged
    per movement, the movements are concatenated ordered by plane (in the order
    of ``p.planes``) then target, and each muscle is divided by its maximum
    (by default the training maxima, for both matrices). The ground-truth
    activations ``p.activations`` (less their tonic part ``p.tonic_activations``
    when the EMG is phasic) are time-normalised at ``p.fs`` with the same onsets
    and offsets and averaged the same way (they are already clean and
    non-negative, so no filtering or amplitude normalisation).

    Parameters
    ----------
    p : ReachingParticipant
        See :func:`synergylib.datasets.make_reaching_participant`.
    config : PreprocessingConfig, optional
        The protocol's defaults if None.
    progress : bool
        Show a progress bar over movements (tqdm).

    Returns
    -------
    SynergyMatrices
    """
    config = PreprocessingConfig() if config is None else config
    emg = np.asarray(p.emg)
    if emg.ndim != 4:
        raise SynergyInputError(
            "p.emg must have shape (n_movements, n_repetitions, n_muscles, n_samples), "
            f"got {emg.shape}.")
    n_mov, n_rep = emg.shape[:2]
    fs = check_real(float(p.fs), "p.fs", low=0, include_low=False)
    onset, offset = np.asarray(p.onset, float), np.asarray(p.offset, float)
    if onset.shape != (n_mov, n_rep) or offset.shape != (n_mov, n_rep):
        raise SynergyInputError(
            f"p.onset and p.offset must have shape {(n_mov, n_rep)}, got {onset.shape} "
            f"and {offset.shape}.")
    if config.test_repetition is None:
        test_idx = None
        train_idx = list(range(n_rep))
    else:
        if not -n_rep <= config.test_repetition < n_rep:
            raise SynergyInputError(
                f"test_repetition={config.test_repetition} is out of range for "
                f"{n_rep} repetitions.")
        test_idx = config.test_repetition % n_rep
        train_idx = [r for r in range(n_rep) if r != test_idx]
        if not train_idx:
            raise SynergyInputError(
                "With a single repetition nothing is left for training once one is held "
                "out; set test_repetition=None.")

    order = _movement_order(p)
    iterator = order
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(order, desc=f"participant {getattr(p, 'index', '')}", unit="movement")
    trials = np.stack([
        _movement_envelopes(emg[i], fs, onset[i], offset[i], config) for i in iterator
    ])  # (n_movements, n_repetitions, n_muscles, n_points)

    train = _concatenate(average_repetitions(trials, train_idx, axis=1))
    test = None if test_idx is None else _concatenate(trials[:, test_idx])

    muscles = tuple(getattr(p, "muscles", ()) or (f"m{k}" for k in range(emg.shape[2])))
    if config.normalise_amplitude:
        reference = train.max(axis=1)
        if config.amplitude_reference == "all" and test is not None:
            reference = np.maximum(reference, test.max(axis=1))
        train, scale = amplitude_normalise(train, reference, muscle_names=muscles)
        if test is not None:
            test, _ = amplitude_normalise(test, scale, muscle_names=muscles)
    else:
        scale = np.ones(train.shape[0])

    act_train = act_test = None
    activations = getattr(p, "activations", None)
    tonic = getattr(p, "tonic_activations", None)
    if activations is not None:
        activations = np.asarray(activations)
        if config.phasic and tonic is not None:
            activations = activations - np.asarray(tonic)  # the phasic truth
        acts = time_normalise(activations[order], onset[order], offset[order],
                              config.n_points)
        act_train = _concatenate(average_repetitions(acts, train_idx, axis=1))
        if test_idx is not None:
            act_test = _concatenate(acts[:, test_idx])

    return SynergyMatrices(
        train=train, test=test, true_activations_train=act_train,
        true_activations_test=act_test, muscles=muscles, n_points=config.n_points,
        movement_plane=np.asarray(p.movement_plane)[order].copy(),
        movement_target=np.asarray(p.movement_target)[order].copy(),
        config=config, amplitude_scale=scale,
    )
