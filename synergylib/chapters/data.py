r"""Figures, tables and the named values of the data chapter of synergy-book.

These functions draw what :mod:`synergylib.plotting` does not cover: the
reaching task in space, single trials in seconds, power spectra, repetitions of
one movement, the mixing non-linearity, direction tuning, the
per-participant spread of the synergies and the generator's calibration (the
participants' R² curves, the rule's N, the table of targets and a sentence
generated from it). Like :mod:`synergylib.plotting` they
never select a backend or call ``show``, draw into axes they are given (or a new
figure) and return ``(fig, axes)``. Colours come from the Okabe-Ito palette.

Layouts follow the physiology convention of the library: signals are
``(..., n_samples)`` with time last, synergies ``(n_muscles, n_synergies)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from scipy import signal

from .._config import parameter_table
from .._validation import SynergyInputError, check_int, check_real
from ..datasets import ground_truth_synergies
from ..plotting import POSITIVE_COLOR

__all__ = [
    "CALIBRATION_SHORT_NAMES",
    "PLANE_COLORS",
    "calibration_frame",
    "calibration_values",
    "calibration_verdict",
    "mixing_values",
    "parameter_table",  # re-exported from synergylib._config
    "participant_values",
    "plot_calibration_curves",
    "plot_direction_tuning",
    "plot_mixing",
    "plot_power_spectrum",
    "plot_repetitions",
    "plot_rule_histogram",
    "plot_targets",
    "plot_template_similarity",
    "plot_trial_activations",
    "repetition_values",
    "target_values",
]

#: One Okabe-Ito colour per workspace plane (f, h, l, r, u), no yellow or black.
PLANE_COLORS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00")
_LINE_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")

# (axis index, label) of the three orthographic views of plot_targets.
_AXIS_LABELS = ("x, right (m)", "y, forward (m)", "z, up (m)")
_VIEWS = (
    ((0, 1), "from above (x-y)"),
    ((0, 2), "from behind (x-z)"),
    ((1, 2), "from the right (y-z)"),
)


def _timed_trials(t, values, name: str, ndim: int, onset, offset):
    """Time axis, trials (trials first, samples last), onsets and offsets, checked together."""
    t = _finite(t, "t", 1)
    x = _finite(values, name, ndim)
    n_trials, n_samples = x.shape[0], x.shape[-1]
    if t.size != n_samples:
        raise SynergyInputError(f"t has {t.size} values, {name} have {n_samples} samples.")
    onset = _finite(onset, "onset", 1)
    offset = _finite(offset, "offset", 1)
    if onset.size != n_trials or offset.size != n_trials:
        raise SynergyInputError(f"onset and offset need {n_trials} values each.")
    return t, x, onset, offset


def _geometry(targets, start) -> tuple[np.ndarray, np.ndarray]:
    """Targets (n, 3) and start positions (3,) or (n_starts, 3), checked."""
    targets = _finite(targets, "targets", 2)
    if targets.shape[1] != 3:
        raise SynergyInputError(f"targets must have 3 columns (x, y, z), got shape {targets.shape}.")
    start = _finite(start, "start", (1, 2))
    if start.shape[-1] != 3:
        raise SynergyInputError(
            f"start must have 3 values (x, y, z), or one row of 3 per plane, got shape {start.shape}.")
    return targets, start


def _plane_codes(planes: Sequence[str], n_targets: int) -> tuple[list[str], list[str]]:
    """Plane code of every target, and the distinct codes in order of first appearance."""
    planes = [str(p) for p in planes]
    if len(planes) != n_targets:
        raise SynergyInputError(f"Got {len(planes)} plane codes for {n_targets} targets.")
    return planes, list(dict.fromkeys(planes))


def _start_of_each_target(start: np.ndarray, planes: list[str], codes: list[str]) -> np.ndarray:
    """(n_targets, 3): the single start, or the start of each target's plane."""
    if start.ndim == 1:
        return np.broadcast_to(start, (len(planes), 3))
    if start.shape[0] != len(codes):
        raise SynergyInputError(f"Got {start.shape[0]} start positions for {len(codes)} planes.")
    return start[[codes.index(p) for p in planes]]


def _finite(x, name: str, ndim: int | tuple[int, ...]) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64)
    ndims = (ndim,) if isinstance(ndim, int) else ndim
    if a.ndim not in ndims:
        raise SynergyInputError(f"{name} must be {' or '.join(f'{d}-D' for d in ndims)}, got shape {a.shape}.")
    if a.size == 0:
        raise SynergyInputError(f"{name} is empty.")
    if not np.all(np.isfinite(a)):
        raise SynergyInputError(f"{name} contains NaN or infinite values.")
    return a


def _axes_list(axes, n: int, figsize, what: str, **subplot_kw):
    if axes is None:
        fig, grid = plt.subplots(1, n, figsize=figsize, squeeze=False, layout="constrained",
                                 **subplot_kw)  # fmt: skip
        return fig, np.array(list(grid.ravel()), dtype=object)
    flat = [axes] if isinstance(axes, Axes) else list(np.ravel(np.asarray(axes, dtype=object)))
    if len(flat) != n:
        raise SynergyInputError(f"Need {n} axes for {what}, got {len(flat)}.")
    return flat[0].figure, np.array(flat, dtype=object)


def _single(ax, figsize):
    if ax is None:
        return plt.subplots(figsize=figsize, layout="constrained")
    if not isinstance(ax, Axes):
        raise SynergyInputError(f"ax must be a matplotlib Axes, got {type(ax).__name__}.")
    return ax.figure, ax


# ----------------------------------------------------------------------------
# task geometry
# ----------------------------------------------------------------------------


def plot_targets(
    targets,
    start,
    planes: Sequence[str],
    *,
    plane_names: Sequence[str] | None = None,
    axes=None,
    show_paths: bool = True,
):
    """The start position(s) and the targets in three orthographic views.

    Coordinates are shoulder-centred (x right, y forward, z up, metres). The
    three panels look at the participant from above (x-y), from behind (x-z)
    and from the right (y-z). The shoulder is drawn as an open circle at the
    origin, each start position as a star, each target as a dot coloured by
    its plane.

    Parameters
    ----------
    targets : array-like of shape (n_targets, 3)
        Target positions (m).
    start : array-like of shape (3,) or (n_planes, 3)
        Start position of the hand (m): one for every movement (a black star), or
        one per plane, in the order of the planes' first appearance in ``planes``
        (a star in the plane's colour; the realistic generator's
        ``start_position``).
    planes : sequence of str, length n_targets
        Plane code of every target (e.g. ``ReachingParticipant.movement_plane``).
    plane_names : sequence of str, optional
        Legend names of the distinct planes, in order of first appearance.
    axes : sequence of 3 Axes, optional
        The x-y, x-z and y-z views.
    show_paths : bool
        Draw a faint straight line from the start to every target.

    Returns
    -------
    fig : Figure
    axes : ndarray of 3 Axes
        In each, ``ax.collections[i]`` holds the targets of the ``i``-th plane.
    """
    targets, start = _geometry(targets, start)
    planes, codes = _plane_codes(planes, targets.shape[0])
    starts = _start_of_each_target(start, planes, codes)
    if plane_names is None:
        plane_names = codes
    plane_names = [str(n) for n in plane_names]
    if len(plane_names) != len(codes):
        raise SynergyInputError(f"Got {len(plane_names)} plane names for {len(codes)} planes.")
    fig, axes = _axes_list(axes, 3, (9.5, 3.8), "the three views")
    for ax, ((i, j), title) in zip(axes, _VIEWS):
        if show_paths:
            for begin, target in zip(starts, targets):
                ax.plot([begin[i], target[i]], [begin[j], target[j]], color="0.8",
                        linewidth=0.5, zorder=1)  # fmt: skip
        for p, (code, name) in enumerate(zip(codes, plane_names)):
            rows = [r for r, c in enumerate(planes) if c == code]
            ax.scatter(targets[rows, i], targets[rows, j], s=30, zorder=3,
                       color=PLANE_COLORS[p % len(PLANE_COLORS)], edgecolor="black",
                       linewidth=0.4, label=name)  # fmt: skip
        for p, begin in enumerate(np.atleast_2d(start)):
            color = "black" if start.ndim == 1 else PLANE_COLORS[p % len(PLANE_COLORS)]
            ax.plot(begin[i], begin[j], marker="*", markersize=14, color=color,
                    markeredgecolor="black", markeredgewidth=0.6, linestyle="none", zorder=4,
                    label="start" if p == 0 else None)  # fmt: skip
        ax.plot(0.0, 0.0, marker="o", markersize=9, markerfacecolor="white", color="black",
                linestyle="none", zorder=4, label="shoulder")  # fmt: skip
        ax.set_xlabel(_AXIS_LABELS[i])
        ax.set_ylabel(_AXIS_LABELS[j])
        ax.set_title(title)
        ax.set_aspect("equal", adjustable="datalim")
        ax.grid(True, linewidth=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels), frameon=False,
               fontsize=9)  # fmt: skip
    return fig, axes


def plot_direction_tuning(
    tuning,
    synergy_names: Sequence[str],
    movement_planes: Sequence[str],
    *,
    plane_names: Sequence[str] | None = None,
    ax=None,
    colorbar_label: str = r"$\mathbf{d}_j \cdot \mathbf{u}_k$",
):
    """Heat map of a (n_movements, n_synergies) tuning matrix, movements grouped by plane.

    Parameters
    ----------
    tuning : array-like of shape (n_movements, n_synergies)
        For instance the cosine between each movement direction and each
        synergy's preferred direction (values in [-1, 1]).
    synergy_names : sequence of str
    movement_planes : sequence of str, length n_movements
        Plane code of every movement (consecutive movements of a plane are
        grouped and separated by a line).
    plane_names : sequence of str, optional
        Tick labels of the plane groups.
    ax : Axes, optional

    Returns
    -------
    fig : Figure
    ax : Axes
    """
    tuning = _finite(tuning, "tuning", 2)
    n_mov, n_syn = tuning.shape
    synergy_names = [str(s) for s in synergy_names]
    if len(synergy_names) != n_syn:
        raise SynergyInputError(f"Got {len(synergy_names)} synergy names for {n_syn} synergies.")
    movement_planes = [str(p) for p in movement_planes]
    if len(movement_planes) != n_mov:
        raise SynergyInputError(f"Got {len(movement_planes)} plane codes for {n_mov} movements.")
    fig, ax = _single(ax, (8.0, 3.2))
    limit = max(1e-12, float(np.abs(tuning).max()))
    image = ax.imshow(tuning.T, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto",
                      interpolation="nearest")  # fmt: skip
    fig.colorbar(image, ax=ax, label=colorbar_label)
    bounds = [0] + [m for m in range(1, n_mov) if movement_planes[m] != movement_planes[m - 1]]
    bounds.append(n_mov)
    codes = [movement_planes[b] for b in bounds[:-1]]
    if plane_names is None:
        plane_names = codes
    if len(plane_names) != len(codes):
        raise SynergyInputError(f"Got {len(plane_names)} plane names for {len(codes)} plane groups.")
    for b in bounds[1:-1]:
        ax.axvline(b - 0.5, color="black", linewidth=0.8)
    centres = [(lo + hi - 1) / 2 for lo, hi in pairwise(bounds)]
    ax.set_xticks(centres, [str(n) for n in plane_names])
    ax.set_yticks(np.arange(n_syn), synergy_names)
    ax.set_xlabel("Movement (9 targets per plane)")
    return fig, ax


# ----------------------------------------------------------------------------
# single trials
# ----------------------------------------------------------------------------


def plot_trial_activations(
    t,
    activations,
    synergy_names: Sequence[str],
    onset,
    offset,
    *,
    tonic=None,
    titles: Sequence[str] | None = None,
    axes=None,
    ylabel: str = "Activation (a.u.)",
):
    """Activations of a few single trials in seconds, the movement shaded.

    Parameters
    ----------
    t : array-like of shape (n_samples,)
        Time (s).
    activations : array-like of shape (n_trials, n_synergies, n_samples)
    synergy_names : sequence of str, length n_synergies
    onset, offset : array-like of shape (n_trials,)
        Movement start and end of every trial (s).
    tonic : array-like of the shape of ``activations``, optional
        The tonic part of the activations. If given, each synergy is drawn as
        its phasic part ``activations - tonic`` (solid) and its tonic part
        (dashed, same colour).
    titles : sequence of str, optional
        One panel title per trial.
    axes : sequence of Axes, optional
        One per trial (otherwise a new column of panels sharing both axes).

    Returns
    -------
    fig : Figure
    axes : ndarray of Axes, shape (n_trials,)
        Each holds one line per synergy (``ax.lines[:n_synergies]``: the
        activations, or their phasic parts if ``tonic`` is given), then, with
        ``tonic``, the tonic parts (``ax.lines[n_synergies:2 * n_synergies]``).
    """
    t, H, onset, offset = _timed_trials(t, activations, "activations", 3, onset, offset)
    n_trials, n_syn, n_samples = H.shape
    if tonic is not None:
        tonic = _finite(tonic, "tonic", 3)
        if tonic.shape != H.shape:
            raise SynergyInputError(f"tonic has shape {tonic.shape}, activations {H.shape}.")
    synergy_names = [str(s) for s in synergy_names]
    if len(synergy_names) != n_syn:
        raise SynergyInputError(f"Got {len(synergy_names)} synergy names for {n_syn} synergies.")
    if titles is not None and len(titles) != n_trials:
        raise SynergyInputError(f"Got {len(titles)} titles for {n_trials} trials.")
    if axes is None:
        fig, grid = plt.subplots(n_trials, 1, figsize=(7.5, 1.9 * n_trials + 1.0), squeeze=False,
                                 sharex=True, sharey=True, layout="constrained")  # fmt: skip
        axes = np.array(list(grid.ravel()), dtype=object)
    else:
        fig, axes = _axes_list(axes, n_trials, None, "the trials")
    solid = H if tonic is None else H - tonic
    for i, ax in enumerate(axes):
        for k in range(n_syn):
            ax.plot(t, solid[i, k], color=_LINE_COLORS[k % len(_LINE_COLORS)], linewidth=1.3,
                    label=synergy_names[k])  # fmt: skip
        if tonic is not None:
            for k in range(n_syn):
                ax.plot(t, tonic[i, k], color=_LINE_COLORS[k % len(_LINE_COLORS)], linewidth=1.1,
                        linestyle="--", label="tonic part (dashed)" if k == 0 else None)  # fmt: skip
        ax.axvspan(onset[i], offset[i], color="0.92", zorder=0,
                   label="movement" if i == 0 else None)  # fmt: skip
        ax.set_xlim(t[0], t[-1])
        ax.set_ylabel(ylabel)
        if titles is not None:
            ax.set_title(titles[i], fontsize=10)
    axes[-1].set_xlabel("Time (s)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right center", frameon=False, fontsize=8)
    return fig, axes


def plot_power_spectrum(
    segments: Mapping[str, Any],
    fs: float,
    *,
    mark: Mapping[str, float] | None = None,
    band: tuple[float, float] | None = None,
    nperseg: int | None = None,
    ax=None,
    units: str = "mV",
):
    r"""Welch power spectral density, averaged over segments, one curve per group.

    For each group of equally long segments :math:`x_i` the curve is
    :math:`\bar P(f) = \frac1n \sum_i P_{x_i}(f)` with :math:`P` the one-sided
    Welch estimate (:func:`scipy.signal.welch`, Hann window, 50 % overlap).

    Parameters
    ----------
    segments : mapping of str to array-like of shape (n_segments, n_samples) or (n_samples,)
        Legend label -> segments (e.g. ``{"rest": ..., "movement": ...}``).
    fs : float
        Sampling frequency (Hz).
    mark : mapping of str to float, optional
        Frequencies (Hz) marked with labelled dotted vertical lines, e.g.
        ``{"mains": 50.0}``.
    band : (float, float), optional
        A frequency band shaded in grey (e.g. the carrier band of the EMG).
    nperseg : int, optional
        Welch segment length (default: the whole segment, at most 1024 samples).
    ax : Axes, optional
    units : str
        Signal unit; the y axis is in ``units²/Hz``.

    Returns
    -------
    fig : Figure
    ax : Axes
        ``ax.lines[i]`` is the curve of the ``i``-th group (x: Hz, y: PSD).
    """
    if not isinstance(segments, Mapping) or not segments:
        raise SynergyInputError("segments must be a non-empty mapping of label -> array.")
    fs = check_real(fs, "fs", low=0.0, include_low=False)
    fig, ax = _single(ax, (7.0, 3.6))
    for g, (label, x) in enumerate(segments.items()):
        x = _finite(x, f"segments[{label!r}]", (1, 2))
        x = np.atleast_2d(x)
        n = x.shape[-1]
        length = min(n, 1024) if nperseg is None else check_int(nperseg, "nperseg")
        if not 8 <= length <= n:
            raise SynergyInputError(f"nperseg must be between 8 and the segment length {n}, got {length}.")
        freqs, psd = signal.welch(x, fs=fs, nperseg=length, axis=-1)
        ax.semilogy(freqs, psd.mean(axis=0), color=_LINE_COLORS[g % len(_LINE_COLORS)],
                    linewidth=1.1, label=str(label))  # fmt: skip
    if band is not None:
        ax.axvspan(band[0], band[1], color="0.93", zorder=0, label=f"{band[0]:g}-{band[1]:g} Hz")
    for name, freq in (mark or {}).items():
        ax.axvline(freq, color="black", linestyle=":", linewidth=1.0)
        ax.annotate(f"{name} ({freq:g} Hz)", xy=(freq, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(3, -12), textcoords="offset points", fontsize=8)  # fmt: skip
    ax.set_xlim(0, fs / 2)
    ax.set_xlabel("Frequency (Hz)")
    ax.set_ylabel(f"Power spectral density ({units}²/Hz)")
    ax.legend(fontsize=8, loc="upper right")
    return fig, ax


def plot_repetitions(
    t,
    envelopes,
    onset,
    offset,
    *,
    n_points: int = 100,
    axes=None,
    units: str = "mV",
    label: str = "Envelope",
):
    """Repetitions of one movement for one muscle: in seconds and in normalised time.

    The left panel shows every repetition against time since the start of the
    trial, with each repetition's onset and offset as short ticks; the right one
    the same curves cut from onset to offset and resampled to ``n_points``
    samples (:func:`synergylib.preprocessing.time_normalise`), with their mean.

    Parameters
    ----------
    t : array-like of shape (n_samples,)
        Time (s), uniformly sampled from 0.
    envelopes : array-like of shape (n_repetitions, n_samples)
    onset, offset : array-like of shape (n_repetitions,)
        Sample indices of the movement start and end of every repetition.
    n_points : int
        Samples of the normalised movement.
    axes : sequence of 2 Axes, optional
    units : str
        Unit of ``envelopes``.

    Returns
    -------
    fig : Figure
    axes : ndarray of 2 Axes
        ``axes[0].lines[:n_repetitions]`` and ``axes[1].lines[:n_repetitions]``
        are the repetitions; ``axes[1].lines[n_repetitions]`` is their mean.
    """
    from ..preprocessing import time_normalise

    t, env, onset, offset = _timed_trials(t, envelopes, "envelopes", 2, onset, offset)
    n_rep, n_samples = env.shape
    normalised = time_normalise(env, onset, np.minimum(offset, n_samples - 1), n_points)
    fig, axes = _axes_list(axes, 2, (8.5, 3.3), "the two views", sharey=True)
    dt = t[1] - t[0] if t.size > 1 else 1.0
    grid = np.linspace(0.0, 100.0, n_points)
    top = float(env.max())
    colors = plt.get_cmap("viridis")(np.linspace(0.0, 0.85, n_rep))  # no pale yellow
    for r, color in enumerate(colors):
        axes[0].plot(t, env[r], color=color, linewidth=0.9)
        axes[1].plot(grid, normalised[r], color=color, linewidth=0.9)
    for r, color in enumerate(colors):
        for index in (onset[r], offset[r]):
            axes[0].plot([t[0] + index * dt] * 2, [1.02 * top, 1.08 * top], color=color,
                         linewidth=1.0)  # fmt: skip
    axes[1].plot(grid, normalised.mean(axis=0), color="black", linewidth=2.0, linestyle="--",
                 label=f"mean of {n_rep}")  # fmt: skip
    axes[0].set_xlim(t[0], t[-1])
    axes[0].set_xlabel("Time since trial start (s)")
    axes[0].set_ylabel(f"{label} ({units})")
    axes[0].set_title("In seconds (ticks: onset and offset)", fontsize=10)
    axes[1].set_xlim(0, 100)
    axes[1].set_xlabel("Movement time (% from onset to offset)")
    axes[1].set_title(f"Time-normalised ({n_points} points)", fontsize=10)
    axes[1].legend(fontsize=8, loc="upper right")
    return fig, axes


# ----------------------------------------------------------------------------
# mixing and participants
# ----------------------------------------------------------------------------


def plot_mixing(curves: Mapping[float, tuple[Any, Any]], *, ax=None, n_shown: int = 400):
    r"""Envelope against linear drive for several mixing strengths.

    Each curve is drawn after dividing both axes by the largest drive, so that
    the saturating mixing :math:`g_s` of :mod:`synergylib.datasets` appears as
    :math:`y = (1 - e^{-s x}) / s` on :math:`x \in [0, 1]`, and the linear mixing
    as the diagonal.

    Parameters
    ----------
    curves : mapping of float to (drive, envelope)
        Strength :math:`s` -> paired samples of the linear drive
        :math:`u = (W\mathbf h)_m` and the envelope :math:`e_m` of one muscle.
    ax : Axes, optional
    n_shown : int
        Points drawn per curve (evenly spread over the sorted drive).

    Returns
    -------
    fig : Figure
    ax : Axes
        ``ax.lines[i]`` is the ``i``-th curve (normalised), the last line the
        diagonal.
    """
    if not isinstance(curves, Mapping) or not curves:
        raise SynergyInputError("curves must be a non-empty mapping of strength -> (drive, envelope).")
    fig, ax = _single(ax, (4.2, 3.8))
    for i, (strength, (drive, env)) in enumerate(curves.items()):
        drive = _finite(drive, "drive", 1)
        env = _finite(env, "envelope", 1)
        if drive.shape != env.shape:
            raise SynergyInputError(f"drive and envelope differ in shape: {drive.shape} vs {env.shape}.")
        scale = float(drive.max())
        if scale <= 0:
            raise SynergyInputError("the drive must have a positive maximum.")
        order = np.argsort(drive, kind="stable")
        keep = order[np.unique(np.linspace(0, order.size - 1, n_shown).round().astype(int))]
        ax.plot(drive[keep] / scale, env[keep] / scale, color=_LINE_COLORS[i % len(_LINE_COLORS)],
                linewidth=1.6, linestyle=("-", "--", "-.", ":")[i % 4], label=f"s = {strength:g}")  # fmt: skip
    ax.plot([0, 1], [0, 1], color="0.6", linewidth=0.8, zorder=0)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel(r"Linear drive $\kappa_m u_m$")
    ax.set_ylabel(r"Envelope $\kappa_m e_m$")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(True, linewidth=0.3)
    return fig, ax


def plot_template_similarity(cosines, synergy_names: Sequence[str], *, ax=None,
                             threshold: float | None = None, seed: int = 0):
    """Matched cosine of each participant's synergies to the templates, as a strip plot.

    Parameters
    ----------
    cosines : array-like of shape (n_participants, n_synergies)
        Cosine of participant ``p``'s synergy matched to template ``k``.
    synergy_names : sequence of str
    ax : Axes, optional
    threshold : float, optional
        A dashed horizontal reference line (e.g. 0.8).
    seed : int
        Seed of the horizontal jitter of the points (drawing only).

    Returns
    -------
    fig : Figure
    ax : Axes
        ``ax.collections[0]`` holds the ``n_participants * n_synergies`` points.
    """
    cos = _finite(cosines, "cosines", 2)
    n_par, n_syn = cos.shape
    names = [str(s) for s in synergy_names]
    if len(names) != n_syn:
        raise SynergyInputError(f"Got {len(names)} synergy names for {n_syn} synergies.")
    fig, ax = _single(ax, (7.5, 3.4))
    jitter = np.random.default_rng(seed).uniform(-0.15, 0.15, size=cos.shape)
    x = np.arange(n_syn)[None, :] + jitter
    ax.scatter(x.ravel(), cos.ravel(), s=18, color=POSITIVE_COLOR, alpha=0.8,
               edgecolor="black", linewidth=0.3, label="participant")  # fmt: skip
    ax.hlines(np.median(cos, axis=0), np.arange(n_syn) - 0.3, np.arange(n_syn) + 0.3,
              color="black", linewidth=2.0, label="median")  # fmt: skip
    if threshold is not None:
        ax.axhline(threshold, color="0.5", linestyle="--", linewidth=0.8, label=f"{threshold:g}")
    ax.set_xticks(np.arange(n_syn), names, rotation=20, ha="right")
    ax.set_xlim(-0.6, n_syn - 0.4)
    ax.set_ylabel("Cosine to the template")
    ax.set_title(f"{n_par} participant(s)", fontsize=10)
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(True, axis="y", linewidth=0.3)
    return fig, ax


# ----------------------------------------------------------------------------
# calibration
# ----------------------------------------------------------------------------

#: Short names of the calibration targets (keys of
#: :data:`synergylib.calibration.CALIBRATION_TARGETS`), for the sentences of the text.
CALIBRATION_SHORT_NAMES: dict[str, str] = {
    "share_rule_within_1": "the rule's N within one of the true N",
    "r2_at_true_n": "the R² at the true N",
    "knee_ratio": "a curve without a knee",
    "cross_participant_cosine": "the similarity across participants",
    "recovery_cosine": "the recovery of the true synergies",
}


def _curves(n_values, r2) -> tuple[np.ndarray, np.ndarray]:
    """N values (n,) and R² curves (n_curves, n), checked together."""
    n_values = _finite(n_values, "n_values", 1)
    r2 = np.atleast_2d(_finite(r2, "r2", (1, 2)))
    if r2.shape[1] != n_values.size:
        raise SynergyInputError(f"r2 has {r2.shape[1]} values per curve for {n_values.size} N values.")
    return n_values, r2


def plot_calibration_curves(
    n_values,
    r2,
    n_true: int,
    *,
    threshold: float | None = 0.8,
    n_rule: Sequence[int] | None = None,
    ax=None,
):
    """The R² curve of every participant, their mean, the true N and the threshold.

    Parameters
    ----------
    n_values : array-like of int, shape (n,)
        Numbers of synergies :math:`N`.
    r2 : array-like of shape (n_participants, n)
        One :math:`R^2(N)` curve per participant.
    n_true : int
        The true number of synergies (a dotted vertical line).
    threshold : float or None
        The rule's threshold (a dashed horizontal line).
    n_rule : sequence of int, optional
        Each participant's chosen :math:`N`, marked with a dot on its curve.
    ax : Axes, optional

    Returns
    -------
    fig : Figure
    ax : Axes
        ``ax.lines[:n_participants]`` are the participants' curves,
        ``ax.lines[n_participants]`` their mean; with ``n_rule``,
        ``ax.collections[0]`` holds the chosen points.
    """
    n_values, curves = _curves(n_values, r2)
    n_true = check_int(n_true, "n_true", low=1)
    fig, ax = _single(ax, (6.0, 3.8))
    for i, curve in enumerate(curves):
        ax.plot(n_values, curve, color=POSITIVE_COLOR, alpha=0.45, linewidth=0.9,
                label="participant" if i == 0 else None)  # fmt: skip
    ax.plot(n_values, curves.mean(axis=0), color="black", linewidth=2.0, marker="o", markersize=4,
            label=f"mean of {curves.shape[0]}")  # fmt: skip
    if n_rule is not None:
        rule = np.asarray(n_rule)
        if rule.shape != (curves.shape[0],) or not np.all(np.isin(rule, n_values)):
            raise SynergyInputError(f"n_rule needs one N of n_values per curve, got {n_rule!r}.")
        points = [curves[i, int(np.flatnonzero(n_values == n)[0])] for i, n in enumerate(rule)]
        ax.scatter(rule, points, s=22, color=POSITIVE_COLOR, edgecolor="black", linewidth=0.4,
                   zorder=3, label="rule's N")  # fmt: skip
    ax.axvline(n_true, color="black", linestyle=":", linewidth=1.2, label=f"true N = {n_true}")
    if threshold is not None:
        ax.axhline(threshold, color="black", linestyle="--", linewidth=0.9,
                   label=f"threshold R² = {threshold:.2f}")  # fmt: skip
    ax.set_xticks(n_values)
    ax.set_xlabel("Number of synergies N")
    ax.set_ylabel("Reconstruction R² (centred)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    return fig, ax


def plot_rule_histogram(n_rule: Sequence[int], n_true: int, n_values=None, *, ax=None):
    """How many participants the rule gives each number of synergies.

    Parameters
    ----------
    n_rule : sequence of int
        The rule's :math:`N` of every participant.
    n_true : int
        The true number of synergies: a dashed line, and the band from one
        below to one above it shaded.
    n_values : array-like of int, optional
        The :math:`N` on the axis (default: from one below the smallest to one
        above the largest of ``n_rule`` and ``n_true``).
    ax : Axes, optional

    Returns
    -------
    fig : Figure
    ax : Axes
        ``ax.containers[0]`` holds one bar per :math:`N` of ``n_values``.
    """
    rule = np.asarray(n_rule)
    if rule.ndim != 1 or rule.size == 0 or not np.issubdtype(rule.dtype, np.integer):
        raise SynergyInputError(f"n_rule must be a non-empty sequence of integers, got {n_rule!r}.")
    n_true = check_int(n_true, "n_true", low=1)
    if n_values is None:
        low, high = min(rule.min(), n_true) - 1, max(rule.max(), n_true) + 1
        n_values = np.arange(max(low, 1), high + 1)
    n_values = np.asarray(n_values)
    if not np.all(np.isin(rule, n_values)):
        raise SynergyInputError(f"every N of n_rule must be in n_values {n_values.tolist()}.")
    fig, ax = _single(ax, (5.0, 3.2))
    counts = [int(np.sum(rule == n)) for n in n_values]
    ax.axvspan(n_true - 1.5, n_true + 1.5, color="0.92", zorder=0, label="within one of the true N")
    ax.bar(n_values, counts, width=0.7, color=POSITIVE_COLOR, edgecolor="black", linewidth=0.4,
           label="participants")  # fmt: skip
    ax.axvline(n_true, color="black", linestyle="--", linewidth=1.2, label=f"true N = {n_true}")
    ax.set_xticks(n_values)
    ax.set_xlim(n_values.min() - 0.6, n_values.max() + 0.6)
    ax.set_xlabel("Number of synergies N chosen by the rule")
    ax.set_ylabel("Participants")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8, loc="upper left")
    return fig, ax


def calibration_frame(rows: Sequence[Mapping[str, Any]], *, decimals: int = 3) -> pd.DataFrame:
    """The calibration table for display: one row per target.

    Parameters
    ----------
    rows : sequence of dict
        :func:`synergylib.calibration.calibration_table`'s output.
    decimals : int
        The values are rounded to this many decimals.

    Returns
    -------
    DataFrame
        Columns ``measure``, ``target``, ``value``, ``met`` (``"yes"`` or ``"no"``)
        and ``source``, indexed by the target's key.
    """
    if not rows:
        raise SynergyInputError("rows is empty: give calibration_table's output.")
    frame = pd.DataFrame(list(rows)).set_index("key")
    frame["value"] = frame["value"].astype(float).round(check_int(decimals, "decimals", low=0))
    frame["met"] = frame["met"].map({True: "yes", False: "no"})
    return frame[["measure", "target", "value", "met", "source"]]


def _join(names: Sequence[str]) -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def calibration_verdict(rows: Sequence[Mapping[str, Any]]) -> str:
    """How many targets a calibration table meets, and which it misses, as a clause.

    For example ``"all 5 targets are met"``, ``"none of the 5 targets is met"`` or
    ``"4 of the 5 targets are met; missed: a curve without a knee"`` (the short
    names of :data:`CALIBRATION_SHORT_NAMES`, the key for any other target).
    """
    if not rows:
        raise SynergyInputError("rows is empty: give calibration_table's output.")
    n = len(rows)
    missed = [CALIBRATION_SHORT_NAMES.get(r["key"], r["key"]) for r in rows if not r["met"]]
    if not missed:
        return f"all {n} targets are met" if n > 1 else "the target is met"
    if len(missed) == n:
        return f"none of the {n} targets is met" if n > 1 else "the target is missed"
    verb = "is" if n - len(missed) == 1 else "are"
    return f"{n - len(missed)} of the {n} targets {verb} met; missed: {_join(missed)}"


# ----------------------------------------------------------------------------
# the named values of the chapter's text, one function per section
# ----------------------------------------------------------------------------


def participant_values(participant) -> dict[str, Any]:
    """The size of one generated participant, as the text quotes it.

    ``participant`` is a :class:`~synergylib.datasets.ReachingParticipant`. Returns
    the number of ground-truth synergies (``n_true``), of muscles, movements,
    samples per trial and repetitions, the trial length in seconds
    (``trial_seconds``), the sampling rate ``fs`` and the size of the raw EMG in
    MiB (``megabytes``).
    """
    return {
        "n_true": ground_truth_synergies().shape[1],
        "n_muscles": participant.n_muscles,
        "n_movements": participant.n_movements,
        "n_samples": participant.n_samples,
        "trial_seconds": participant.n_samples / participant.fs,
        "fs": participant.fs,
        "n_repetitions": participant.n_repetitions,
        "megabytes": participant.emg.nbytes / 2**20,
    }


def target_values(targets, start, planes: Sequence[str] | None = None) -> dict[str, Any]:
    """Distances of the reaching task (metres, shoulder-centred coordinates).

    Parameters
    ----------
    targets : array-like of shape (n_targets, 3)
    start : array-like of shape (3,) or (n_planes, 3)
        The hand's start position, or one per plane (then ``planes`` is needed).
    planes : sequence of str, length n_targets, optional
        Plane code of every target; the rows of a 2-D ``start`` follow the planes'
        order of first appearance.

    Returns
    -------
    dict
        The largest distance of a target from the shoulder (``max_reach``), the
        shortest and longest hand path (``min_distance``, ``max_distance``), the
        number of reaches that end higher than they start (``n_upward``) and lower
        (``n_downward``), and the smallest and largest rise of a target above its
        start (``min_rise``, ``max_rise``; negative: below).
    """
    targets, start = _geometry(targets, start)
    if planes is None:
        if start.ndim == 2:
            raise SynergyInputError("one start position per plane needs the plane of every target.")
        planes = ["all"] * targets.shape[0]
    planes, codes = _plane_codes(planes, targets.shape[0])
    starts = _start_of_each_target(start, planes, codes)
    distance = np.linalg.norm(targets - starts, axis=1)
    rise = targets[:, 2] - starts[:, 2]
    return {
        "max_reach": np.linalg.norm(targets, axis=1).max(),
        "min_distance": distance.min(),
        "max_distance": distance.max(),
        "n_upward": int(np.sum(rise > 0)),
        "n_downward": int(np.sum(rise < 0)),
        "min_rise": rise.min(),
        "max_rise": rise.max(),
    }


def mixing_values(curves: Mapping[float, tuple[Any, Any]]) -> dict[str, Any]:
    """How much the strongest mixing compresses a muscle's largest drive.

    ``curves`` maps a mixing strength ``s`` to ``(drive, envelope)``, as given to
    :func:`plot_mixing`. Returns the largest ``s`` (``largest_s``) and, for it,
    the envelope's maximum over the drive's maximum (``compression``), which
    the mixing formula predicts to be :math:`(1 - e^{-s})/s`.
    """
    if not isinstance(curves, Mapping) or not curves:
        raise SynergyInputError("curves must be a non-empty mapping of strength -> (drive, envelope).")
    largest = max(curves)
    drive, env = curves[largest]
    return {"largest_s": largest, "compression": np.max(env) / np.max(drive)}


def repetition_values(envelopes, onset, offset, fs: float) -> dict[str, Any]:
    """Trial-to-trial variability of one muscle in one movement.

    ``envelopes`` is ``(n_repetitions, n_samples)``, ``onset`` and ``offset`` are
    sample indices per repetition, ``fs`` the sampling rate (Hz). Returns the
    shortest and the longest movement in seconds (``duration_min``,
    ``duration_max``) and the coefficient of variation of the peak envelope, in
    % (``peak_cv``), computed in the envelopes' own precision.
    """
    _finite(envelopes, "envelopes", 2)  # checked, but used in their own dtype below
    n_rep = np.shape(envelopes)[0]
    if _finite(onset, "onset", 1).size != n_rep or _finite(offset, "offset", 1).size != n_rep:
        raise SynergyInputError(f"onset and offset need {n_rep} values each.")
    fs = check_real(fs, "fs", low=0.0, include_low=False)
    durations = (np.asarray(offset) - np.asarray(onset)) / fs
    peaks = np.asarray(envelopes).max(axis=-1)
    return {
        "duration_min": durations.min(),
        "duration_max": durations.max(),
        "peak_cv": 100 * peaks.std() / peaks.mean(),
    }


def calibration_values(rows: Sequence[Mapping[str, Any]], summary: Mapping[str, Any],
                       prefix: str = "") -> dict[str, Any]:
    """The calibration as the text quotes it.

    Parameters
    ----------
    rows : sequence of dict
        :func:`synergylib.calibration.calibration_table` of ``summary``.
    summary : dict
        :func:`synergylib.calibration.summarise`'s output.
    prefix : str
        Put before every name (e.g. ``"clean_"`` for a second generator).

    Returns
    -------
    dict
        ``n_targets``, ``n_met``, ``verdict`` (:func:`calibration_verdict`),
        ``n_participants``, ``n_true``, ``n_rule_within_1``, ``n_rule_below``,
        ``n_rule_equal`` and ``n_rule_above`` (participants whose rule's N is below,
        at or above the true N), ``rule_min`` and ``rule_max`` (the rule's smallest
        and largest N), ``r2_at_true_n`` (mean
        curve) with ``r2_min`` and ``r2_max`` (over participants), ``knee_ratio``,
        ``cross_participant_cosine``, ``recovery_cosine`` and ``recovery_min``;
        and the means of the descriptive figures that ``summary`` holds:
        ``specific_share`` (muscle-specific share of the envelopes),
        ``true_model_r2`` (R² of the true synergies) and
        ``max_activation_correlation`` (largest correlation of two true activations).
    """
    values = {
        "n_targets": len(rows),
        "n_met": int(sum(bool(r["met"]) for r in rows)),
        "verdict": calibration_verdict(rows),
        "n_participants": int(summary["n_participants"]),
        "n_true": int(summary["n_true"]),
        "n_rule_within_1": int(summary["n_rule_within_1"]),
        "n_rule_below": int(sum(n < summary["n_true"] for n in summary["n_rule"])),
        "n_rule_equal": int(sum(n == summary["n_true"] for n in summary["n_rule"])),
        "n_rule_above": int(sum(n > summary["n_true"] for n in summary["n_rule"])),
        "rule_min": int(min(summary["n_rule"])),
        "rule_max": int(max(summary["n_rule"])),
        "r2_at_true_n": float(summary["r2_at_true_n"]),
        "r2_min": float(summary["r2_at_true_n_range"][0]),
        "r2_max": float(summary["r2_at_true_n_range"][1]),
        "knee_ratio": float(summary["knee_ratio"]),
        "cross_participant_cosine": float(summary["cross_participant_cosine"]),
        "recovery_cosine": float(summary["recovery_cosine"]),
        "recovery_min": float(summary["recovery_cosine_min"]),
    }
    for name in ("specific_share", "true_model_r2", "max_activation_correlation"):
        if name in summary:
            values[name] = float(summary[name])
    return {prefix + name: value for name, value in values.items()}

