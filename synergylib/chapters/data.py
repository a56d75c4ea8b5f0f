r"""Figures (and one table) for the data chapter of synergy-book.

These functions draw what :mod:`synergylib.plotting` does not cover: the
reaching task in space, single trials in seconds, power spectra, repetitions of
one movement, the mixing non-linearity, direction tuning and the
per-participant spread of the synergies. Like :mod:`synergylib.plotting` they
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
from matplotlib.axes import Axes
from scipy import signal

from .._config import parameter_table
from .._validation import SynergyInputError, check_int, check_real
from ..datasets import ground_truth_synergies, movement_directions
from ..plotting import POSITIVE_COLOR

__all__ = [
    "PLANE_COLORS",
    "mixing_values",
    "parameter_table",  # re-exported from synergylib._config
    "participant_values",
    "plot_direction_tuning",
    "plot_mixing",
    "plot_power_spectrum",
    "plot_repetitions",
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
    """Targets (n, 3) and start position (3,), checked."""
    targets = _finite(targets, "targets", 2)
    if targets.shape[1] != 3:
        raise SynergyInputError(f"targets must have 3 columns (x, y, z), got shape {targets.shape}.")
    start = _finite(start, "start", 1)
    if start.shape != (3,):
        raise SynergyInputError(f"start must have 3 values (x, y, z), got shape {start.shape}.")
    return targets, start


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
    """The start position and the targets in three orthographic views.

    Coordinates are shoulder-centred (x right, y forward, z up, metres). The
    three panels look at the participant from above (x-y), from behind (x-z)
    and from the right (y-z). The shoulder is drawn as an open circle at the
    origin, the start position as a black star, each target as a dot coloured by
    its plane.

    Parameters
    ----------
    targets : array-like of shape (n_targets, 3)
        Target positions (m).
    start : array-like of shape (3,)
        Start position of the hand (m).
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
    planes = [str(p) for p in planes]
    if len(planes) != targets.shape[0]:
        raise SynergyInputError(f"Got {len(planes)} plane codes for {targets.shape[0]} targets.")
    codes = list(dict.fromkeys(planes))
    if plane_names is None:
        plane_names = codes
    plane_names = [str(n) for n in plane_names]
    if len(plane_names) != len(codes):
        raise SynergyInputError(f"Got {len(plane_names)} plane names for {len(codes)} planes.")
    fig, axes = _axes_list(axes, 3, (9.5, 3.8), "the three views")
    for ax, ((i, j), title) in zip(axes, _VIEWS):
        if show_paths:
            for target in targets:
                ax.plot([start[i], target[i]], [start[j], target[j]], color="0.8",
                        linewidth=0.5, zorder=1)  # fmt: skip
        for p, (code, name) in enumerate(zip(codes, plane_names)):
            rows = [r for r, c in enumerate(planes) if c == code]
            ax.scatter(targets[rows, i], targets[rows, j], s=30, zorder=3,
                       color=PLANE_COLORS[p % len(PLANE_COLORS)], edgecolor="black",
                       linewidth=0.4, label=name)  # fmt: skip
        ax.plot(start[i], start[j], marker="*", markersize=14, color="black", linestyle="none",
                zorder=4, label="start")  # fmt: skip
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
    titles : sequence of str, optional
        One panel title per trial.
    axes : sequence of Axes, optional
        One per trial (otherwise a new column of panels sharing both axes).

    Returns
    -------
    fig : Figure
    axes : ndarray of Axes, shape (n_trials,)
        Each holds one line per synergy (``ax.lines[:n_synergies]``).
    """
    t, H, onset, offset = _timed_trials(t, activations, "activations", 3, onset, offset)
    n_trials, n_syn, n_samples = H.shape
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
    for i, ax in enumerate(axes):
        for k in range(n_syn):
            ax.plot(t, H[i, k], color=_LINE_COLORS[k % len(_LINE_COLORS)], linewidth=1.3,
                    label=synergy_names[k])  # fmt: skip
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


def target_values(targets, start) -> dict[str, Any]:
    """Distances of the reaching task (metres, shoulder-centred coordinates).

    ``targets`` is ``(n_targets, 3)``, ``start`` the hand's start position. Returns
    the largest distance of a target from the shoulder (``max_reach``), the
    shortest and longest hand path (``min_distance``, ``max_distance``), the
    number of movements that go upward (``n_upward``) and the smallest rise of a
    target above the start (``min_rise``).
    """
    targets, start = _geometry(targets, start)
    reach = np.linalg.norm(targets, axis=1)
    distance = np.linalg.norm(targets - start, axis=1)
    directions = movement_directions(start)
    return {
        "max_reach": reach.max(),
        "min_distance": distance.min(),
        "max_distance": distance.max(),
        "n_upward": int(np.sum(directions[:, 2] > 0)),
        "min_rise": (targets[:, 2] - start[2]).min(),
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
