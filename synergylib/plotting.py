"""Figures for synergy-book, in plain matplotlib.

Every function draws into axes it is given (``ax=`` or ``axes=``) or creates a
new figure, and returns ``(fig, axes)``. Axes carry labels with units and the
colours come from the Okabe-Ito palette, which stays distinguishable for the
common forms of colour blindness; negative synergy weights are drawn in a
different colour *and* hatched, so that they remain visible in grey-scale
print. The module never selects a backend and never calls pyplot's ``show``.

Layouts follow synergylib's physiology convention: synergies ``W`` are
``(n_muscles, n_synergies)``, activations ``H`` are ``(n_synergies, n_samples)``,
EMG matrices ``(n_muscles, n_samples)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._validation import SynergyInputError, check_int, check_real

__all__ = [
    "NEGATIVE_COLOR",
    "DECODER_COLORS",
    "ENCODER_LINESTYLES",
    "OKABE_ITO",
    "POSITIVE_COLOR",
    "REFERENCE_COLOR",
    "plot_activations",
    "plot_autoencoder_diagram",
    "plot_convergence",
    "pairing_line_style",
    "plot_pairing_matrices",
    "plot_pairing_matrix",
    "plot_r2_curve",
    "plot_raw_emg",
    "plot_reconstruction",
    "plot_synergies",
    "plot_tradeoff",
]

#: Okabe & Ito (2008) colour-blind-safe palette (black first).
OKABE_ITO: tuple[str, ...] = (
    "#000000",  # black
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
)
#: Colour of positive weights of the synergies being shown.
POSITIVE_COLOR = "#0072B2"
#: Colour of positive weights of the reference synergies (e.g. NMF).
REFERENCE_COLOR = "#999999"
#: Colour of negative weights (always hatched as well).
NEGATIVE_COLOR = "#D55E00"
NEGATIVE_HATCH = "////"

# Line colours for several curves: the palette without yellow (poor on white).
_LINE_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
_LINE_STYLES = ("-", "--", ":", "-.")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

#: Line colour of an encoder+decoder pairing, by its decoder (Okabe-Ito).
DECODER_COLORS: dict[str, str] = {"linear": "#0072B2", "relu": "#009E73", "sigmoid": "#CC79A7", "tanh": "#D55E00"}
#: Line style of an encoder+decoder pairing, by its encoder.
ENCODER_LINESTYLES: dict[str, str] = {"linear": "-", "relu": "--", "sigmoid": ":", "tanh": "-."}


# ----------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------


def _array(x, name: str, ndim: int | tuple[int, ...], *, allow_nan: bool = False) -> np.ndarray:
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SynergyInputError(f"{name} must be numeric: {exc}") from exc
    ndims = (ndim,) if isinstance(ndim, int) else ndim
    if a.ndim not in ndims:
        raise SynergyInputError(f"{name} must be {' or '.join(f'{d}-D' for d in ndims)}, got shape {a.shape}.")
    if a.size == 0:
        raise SynergyInputError(f"{name} is empty.")
    bad = np.isinf(a) if allow_nan else ~np.isfinite(a)
    if np.any(bad):
        raise SynergyInputError(f"{name} contains {'infinite' if allow_nan else 'NaN or infinite'} values.")
    return a


def _names(names, n: int, what: str, default_prefix: str | None = None) -> list[str]:
    if names is None:
        if default_prefix is None:
            raise SynergyInputError(f"{what} names are required.")
        return [f"{default_prefix}{i + 1}" for i in range(n)]
    if isinstance(names, str):
        raise SynergyInputError(f"{what} names must be a sequence of strings, not one string.")
    names = [str(s) for s in names]
    if len(names) != n:
        raise SynergyInputError(f"Got {len(names)} {what} names for {n} {what}s.")
    return names


def _grid(n: int, ncols: int | None, *, width: float, height: float, sharex=False, sharey=False):
    ncols = n if ncols is None else max(1, min(int(ncols), n))
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False,
        sharex=sharex, sharey=sharey, layout="constrained",
    )  # fmt: skip
    flat = list(axes.ravel())
    for ax in flat[n:]:
        fig.delaxes(ax)
    return fig, np.array(flat[:n], dtype=object)


def _given_axes(axes, n: int, what: str) -> tuple[Figure, np.ndarray]:
    flat = [axes] if isinstance(axes, Axes) else list(np.ravel(np.asarray(axes, dtype=object)))
    if len(flat) != n:
        raise SynergyInputError(f"Need {n} axes for {n} {what}, got {len(flat)}.")
    return flat[0].figure, np.array(flat, dtype=object)


def _single_axes(ax, figsize) -> tuple[Figure, Axes]:
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
        return fig, ax
    if not isinstance(ax, Axes):
        raise SynergyInputError(f"ax must be a matplotlib Axes, got {type(ax).__name__}.")
    return ax.figure, ax


def _line_style(i: int) -> dict:
    return {
        "color": _LINE_COLORS[i % len(_LINE_COLORS)],
        "linestyle": _LINE_STYLES[(i // len(_LINE_COLORS)) % len(_LINE_STYLES)],
    }


def pairing_line_style(name: str) -> dict[str, str] | None:
    """Colour and line style of a pairing's line: colour by decoder, style by encoder.

    The 16 pairings of the four activation functions get 16 different
    combinations (:data:`DECODER_COLORS` x :data:`ENCODER_LINESTYLES`), the same
    in every figure of the book that draws one line per pairing.

    Parameters
    ----------
    name : str
        ``"encoder+decoder"``, e.g. ``"relu+tanh"``.

    Returns
    -------
    dict or None
        ``{"color": ..., "linestyle": ...}``, or None when ``name`` is not a pairing
        of known activation functions.

    Examples
    --------
    >>> pairing_line_style("relu+tanh")
    {'color': '#D55E00', 'linestyle': '--'}
    >>> pairing_line_style("NMF") is None
    True
    """
    parts = str(name).split("+")
    if len(parts) != 2 or parts[0] not in ENCODER_LINESTYLES or parts[1] not in DECODER_COLORS:
        return None
    return {"color": DECODER_COLORS[parts[1]], "linestyle": ENCODER_LINESTYLES[parts[0]]}


def _pairing_legend_handles(names: Sequence[str]) -> list:
    """Legend entries of :func:`pairing_line_style`: one per decoder colour, one per encoder style."""
    from matplotlib.lines import Line2D

    encoders = list(dict.fromkeys(n.split("+")[0] for n in names))
    decoders = list(dict.fromkeys(n.split("+")[1] for n in names))
    return ([Line2D([], [], color=DECODER_COLORS[d], linewidth=2.0, label=f"{d} decoder") for d in decoders]
            + [Line2D([], [], color="black", linestyle=ENCODER_LINESTYLES[e], linewidth=1.2,
                      label=f"{e} encoder") for e in encoders])


def _bar_style(values: np.ndarray, color: str) -> tuple[list[str], list[str | None]]:
    colors = [NEGATIVE_COLOR if v < 0 else color for v in values]
    hatches = [NEGATIVE_HATCH if v < 0 else None for v in values]
    return colors, hatches


# ----------------------------------------------------------------------------
# synergies and activations
# ----------------------------------------------------------------------------


def plot_synergies(
    W,
    muscles: Sequence[str],
    *,
    names: Sequence[str] | None = None,
    W_ref=None,
    ref_label: str = "NMF",
    label: str = "AE",
    axes=None,
    orientation: str = "horizontal",
    ncols: int | None = None,
    xlabel: str = "Weight (a.u.)",
    ylabel: str = "Muscle",
):
    """Bar chart of each synergy's muscle weights, one panel per synergy.

    Parameters
    ----------
    W : array-like of shape (n_muscles, n_synergies)
        Synergies, one column each. Negative weights are drawn in
        :data:`NEGATIVE_COLOR`, hatched.
    muscles : sequence of str, length n_muscles
        Muscle names, first muscle at the top (horizontal bars) or left.
    names : sequence of str, optional
        Panel titles, default ``"S1"``, ``"S2"``, ...
    W_ref : array-like of shape (n_muscles, n_synergies), optional
        Reference synergies (e.g. the NMF synergies matched to ``W``), drawn
        next to each bar in :data:`REFERENCE_COLOR`.
    ref_label, label : str
        Legend entries of ``W_ref`` and ``W``.
    axes : sequence of Axes, optional
        One per synergy. A new figure is created when omitted.
    orientation : {"horizontal", "vertical"}
        Horizontal bars (muscle names on the y axis) read best with many muscles.
    ncols : int, optional
        Panels per row of a new figure (default: all in one row).
    xlabel, ylabel : str
        Axis labels of the value and muscle axes (for ``orientation="vertical"``
        the value label goes on the y axis).

    Returns
    -------
    fig : Figure
    axes : ndarray of Axes, shape (n_synergies,)
        In each, ``ax.containers[0]`` holds the bars of ``W``, and
        ``ax.containers[1]`` those of ``W_ref`` when given.

    Raises
    ------
    SynergyInputError
        If shapes or the numbers of names do not match.
    """
    W = _array(W, "W", 2)
    n_muscles, n_syn = W.shape
    muscles = _names(muscles, n_muscles, "muscle")
    names = _names(names, n_syn, "synergy", default_prefix="S")
    if W_ref is not None:
        W_ref = _array(W_ref, "W_ref", 2)
        if W_ref.shape != W.shape:
            raise SynergyInputError(f"W_ref has shape {W_ref.shape}, W has shape {W.shape}.")
    if orientation not in ("horizontal", "vertical"):
        raise SynergyInputError(f"orientation must be 'horizontal' or 'vertical', got {orientation!r}.")
    horizontal = orientation == "horizontal"
    created = axes is None
    if axes is None:
        size = (2.4, 0.28 * n_muscles + 1.2) if horizontal else (0.35 * n_muscles + 1.2, 2.6)
        fig, axes = _grid(n_syn, ncols, width=size[0], height=size[1])
    else:
        fig, axes = _given_axes(axes, n_syn, "synergies")

    positions = np.arange(n_muscles)
    thickness = 0.8 if W_ref is None else 0.4
    offset = 0.0 if W_ref is None else 0.2
    lo = min(0.0, W.min(), 0.0 if W_ref is None else W_ref.min())
    hi = max(0.0, W.max(), 0.0 if W_ref is None else W_ref.max())
    pad = 0.05 * (hi - lo if hi > lo else 1.0)
    for k, ax in enumerate(axes):
        series = [(W[:, k], POSITIVE_COLOR, label, -offset)]
        if W_ref is not None:
            series.append((W_ref[:, k], REFERENCE_COLOR, ref_label, offset))
        for values, color, lab, shift in series:
            colors, hatches = _bar_style(values, color)
            draw = ax.barh if horizontal else ax.bar
            bars = draw(positions + shift, values, thickness, color=colors,
                        edgecolor="black", linewidth=0.4, label=lab)  # fmt: skip
            for bar, hatch in zip(bars, hatches):
                if hatch:
                    bar.set_hatch(hatch)
        if horizontal:
            ax.set_yticks(positions, muscles)
            ax.set_ylim(n_muscles - 0.5, -0.5)  # first muscle on top
            ax.set_xlim(lo - pad, hi + pad)
            ax.axvline(0, color="black", linewidth=0.6)
            ax.set_xlabel(xlabel)
            ax.set_ylabel(ylabel)
        else:
            ax.set_xticks(positions, muscles, rotation=90)
            ax.set_xlim(-0.5, n_muscles - 0.5)
            ax.set_ylim(lo - pad, hi + pad)
            ax.axhline(0, color="black", linewidth=0.6)
            ax.set_xlabel(ylabel)
            ax.set_ylabel(xlabel)
        ax.set_title(names[k])
        ax.tick_params(labelsize=8)
    handles = [plt.Rectangle((0, 0), 1, 1, facecolor=POSITIVE_COLOR, edgecolor="black", label=label)]
    if W_ref is not None:
        handles.append(plt.Rectangle((0, 0), 1, 1, facecolor=REFERENCE_COLOR, edgecolor="black",
                                     label=ref_label))  # fmt: skip
    if np.any(W < 0) or (W_ref is not None and np.any(W_ref < 0)):
        handles.append(plt.Rectangle((0, 0), 1, 1, facecolor=NEGATIVE_COLOR, edgecolor="black",
                                     hatch=NEGATIVE_HATCH, label="negative weight"))  # fmt: skip
    if len(handles) > 1:
        if created:  # a legend above the panels, where it hides no bar
            fig.legend(handles=handles, fontsize=8, loc="outside upper center",
                       ncols=len(handles), frameon=False)  # fmt: skip
        else:
            axes[-1].legend(handles=handles, fontsize=7, loc="best")
    return fig, axes


def plot_activations(
    H,
    *,
    n_points: int = 100,
    movement_labels: Sequence[str] | None = None,
    names: Sequence[str] | None = None,
    H_ref=None,
    label: str = "AE",
    ref_label: str = "NMF",
    phase_fractions: Sequence[float] = (),
    axes=None,
    xlabel: str | None = None,
    ylabel: str = "Activation (a.u.)",
):
    """Activation curves over normalised time, one panel per synergy.

    Parameters
    ----------
    H : array-like of shape (n_synergies, n_samples)
        Activations; ``n_samples`` must be a multiple of ``n_points``.
    n_points : int
        Samples per movement (or gait cycle) after time normalisation. Solid
        grey vertical lines mark the boundaries between movements.
    movement_labels : sequence of str, optional
        One label per movement, shown at the middle of each movement.
    names : sequence of str, optional
        Panel titles, default ``"S1"``, ``"S2"``, ...
    H_ref : array-like of the same shape as ``H``, optional
        Reference activations drawn dashed (e.g. NMF's, matched).
    label, ref_label : str
        Legend entries.
    phase_fractions : sequence of float in (0, 1)
        Dotted lines inside every movement, e.g. ``(0.5,)`` for the
        stance-to-swing transition of the Santuz gait cycles.
    axes : sequence of Axes, optional
        One per synergy; a new figure (panels stacked, shared x) otherwise.
    xlabel, ylabel : str
        Axis labels; the x axis is in movements (``sample / n_points``).

    Returns
    -------
    fig : Figure
    axes : ndarray of Axes, shape (n_synergies,)
    """
    H = _array(H, "H", 2)
    n_syn, n_samples = H.shape
    n_points = check_int(n_points, "n_points", low=1)
    if n_samples % n_points:
        raise SynergyInputError(
            f"H has {n_samples} samples, not a whole number of movements of {n_points} points."
        )
    n_mov = n_samples // n_points
    names = _names(names, n_syn, "synergy", default_prefix="S")
    if movement_labels is not None:
        movement_labels = _names(movement_labels, n_mov, "movement")
    if H_ref is not None:
        H_ref = _array(H_ref, "H_ref", 2)
        if H_ref.shape != H.shape:
            raise SynergyInputError(f"H_ref has shape {H_ref.shape}, H has shape {H.shape}.")
    fractions = [check_real(f, f"phase_fractions[{i}]", low=0.0, high=1.0, include_low=False,
                            include_high=False) for i, f in enumerate(phase_fractions)]  # fmt: skip
    if xlabel is None:
        xlabel = f"Normalised time (movements of {n_points} points)"
    if axes is None:
        fig, axes = _grid(n_syn, 1, width=max(6.0, min(2 + 0.9 * n_mov, 12)), height=1.5, sharex=True)
    else:
        fig, axes = _given_axes(axes, n_syn, "synergies")
    t = np.arange(n_samples) / n_points
    for k, ax in enumerate(axes):
        ax.plot(t, H[k], color=POSITIVE_COLOR, linewidth=1.2, label=label)
        if H_ref is not None:
            ax.plot(t, H_ref[k], color="black", linestyle="--", linewidth=1.0, label=ref_label)
        for b in range(1, n_mov):
            ax.axvline(b, color="0.6", linewidth=0.8)
        for m in range(n_mov):
            for f in fractions:
                ax.axvline(m + f, color="0.6", linewidth=0.6, linestyle=":")
        ax.axhline(0, color="black", linewidth=0.4)
        ax.set_xlim(0, n_samples / n_points)
        ax.set_ylabel(ylabel)
        ax.set_title(names[k], fontsize=9, loc="left")
        if movement_labels is not None:
            ax.set_xticks(np.arange(n_mov) + 0.5, movement_labels, fontsize=7)
    axes[-1].set_xlabel(xlabel)
    if H_ref is not None:
        axes[0].legend(fontsize=7, loc="upper right")
    return fig, axes


# ----------------------------------------------------------------------------
# model selection and fits
# ----------------------------------------------------------------------------


def plot_r2_curve(
    n_values,
    r2,
    threshold: float | None = 0.8,
    chosen=None,
    *,
    sd=None,
    labels: Sequence[str] | None = None,
    ax=None,
    xlabel: str = "Number of synergies N",
    ylabel: str = "Reconstruction R² (centred)",
    title: str | None = None,
):
    """R² against the number of synergies, with the threshold and the chosen N.

    Parameters
    ----------
    n_values : array-like of int, shape (n,)
        Numbers of synergies.
    r2 : array-like of shape (n,) or (n_curves, n)
        One curve, or several (e.g. one per pairing, or means across
        participants).
    threshold : float or None
        Horizontal dashed line (the selection criterion, e.g. 0.8).
    chosen : int or sequence of int (one per curve), optional
        The selected N, marked with a large open marker on its curve.
    sd : array-like of the same shape as ``r2``, optional
        Shaded band ``r2 ± sd`` (e.g. standard deviation across participants).
    labels : sequence of str, optional
        Legend entries, one per curve.
    ax : Axes, optional

    Returns
    -------
    fig : Figure
    ax : Axes
    """
    n_values = _array(n_values, "n_values", 1)
    r2 = _array(r2, "r2", (1, 2))
    curves = np.atleast_2d(r2)
    if curves.shape[1] != n_values.size:
        raise SynergyInputError(f"r2 has {curves.shape[1]} values per curve for {n_values.size} n_values.")
    n_curves = curves.shape[0]
    if sd is not None:
        sd = np.atleast_2d(_array(sd, "sd", (1, 2)))
        if sd.shape != curves.shape:
            raise SynergyInputError(f"sd has shape {sd.shape}, r2 has shape {curves.shape}.")
        if np.any(sd < 0):
            raise SynergyInputError("sd must be non-negative.")
    if labels is not None:
        labels = _names(labels, n_curves, "curve")
    if chosen is not None:
        chosen_list = [chosen] * n_curves if np.ndim(chosen) == 0 else list(chosen)
        if len(chosen_list) != n_curves:
            raise SynergyInputError(f"Got {len(chosen_list)} chosen values for {n_curves} curves.")
        for c in chosen_list:
            if c is not None and not np.any(n_values == c):
                raise SynergyInputError(f"chosen N={c} is not among n_values {n_values.tolist()}.")
    fig, ax = _single_axes(ax, (4.5, 3.2))
    first_chosen = None
    if chosen is not None:
        first_chosen = next((i for i, c in enumerate(chosen_list) if c is not None), None)
    for i in range(n_curves):
        style = _line_style(i)
        lab = labels[i] if labels is not None else None
        ax.plot(n_values, curves[i], marker=_MARKERS[i % len(_MARKERS)], markersize=4,
                label=lab, **style)  # fmt: skip
        if sd is not None:
            ax.fill_between(n_values, curves[i] - sd[i], curves[i] + sd[i],
                            color=style["color"], alpha=0.2, linewidth=0)  # fmt: skip
        if chosen is not None and chosen_list[i] is not None:
            j = int(np.flatnonzero(n_values == chosen_list[i])[0])
            ax.plot(n_values[j], curves[i, j], marker="o", markersize=11, markerfacecolor="none",
                    markeredgecolor=style["color"], markeredgewidth=1.8, linestyle="none",
                    label=(f"chosen N = {int(n_values[j])}" if n_curves == 1
                           else "chosen N" if i == first_chosen else None))  # fmt: skip
    if threshold is not None:
        ax.axhline(threshold, color="black", linestyle="--", linewidth=0.9,
                   label=f"threshold R² = {threshold:.2f}")  # fmt: skip
    ax.set_xticks(n_values)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[1]:
        ax.legend(fontsize=7, loc="lower right")
    return fig, ax


def plot_reconstruction(
    X,
    X_hat,
    muscles: Sequence[str],
    *,
    time=None,
    axes=None,
    ncols: int = 4,
    label: str = "EMG",
    hat_label: str = "reconstruction",
    xlabel: str = "Time (samples)",
    ylabel: str = "EMG (normalised)",
    show_r2: bool = True,
):
    """Original and reconstructed EMG, one panel per muscle.

    Parameters
    ----------
    X, X_hat : array-like of shape (n_muscles, n_samples)
        Original and reconstruction.
    muscles : sequence of str, length n_muscles
    time : array-like of shape (n_samples,), optional
        x values (default: sample index; change ``xlabel`` accordingly).
    axes : sequence of Axes, optional
        One per muscle.
    ncols : int
        Panels per row of a new figure.
    show_r2 : bool
        Write each muscle's centred :math:`R^2_m = 1 - \\sum_t (x_{mt} -
        \\hat x_{mt})^2 / \\sum_t (x_{mt} - \\bar x_m)^2`
        (:func:`sklearn.metrics.r2_score`, one output per muscle) in its title.

    Returns
    -------
    fig : Figure
    axes : ndarray of Axes, shape (n_muscles,)
    """
    X = _array(X, "X", 2)
    X_hat = _array(X_hat, "X_hat", 2)
    if X.shape != X_hat.shape:
        raise SynergyInputError(f"X has shape {X.shape}, X_hat has shape {X_hat.shape}.")
    n_muscles, n_samples = X.shape
    muscles = _names(muscles, n_muscles, "muscle")
    t = np.arange(n_samples) if time is None else _array(time, "time", 1)
    if t.size != n_samples:
        raise SynergyInputError(f"time has {t.size} values for {n_samples} samples.")
    if axes is None:
        fig, axes = _grid(n_muscles, ncols, width=2.6, height=1.8)
    else:
        fig, axes = _given_axes(axes, n_muscles, "muscles")
    r2 = None
    if show_r2 and n_samples > 1:
        from sklearn.metrics import r2_score

        r2 = r2_score(X.T, X_hat.T, multioutput="raw_values")
    for m, ax in enumerate(axes):
        ax.plot(t, X[m], color="black", linewidth=1.0, label=label)
        ax.plot(t, X_hat[m], color=NEGATIVE_COLOR, linewidth=1.2, linestyle="--", label=hat_label)
        title = muscles[m] if r2 is None else f"{muscles[m]}  (R² = {r2[m]:.2f})"
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.set_ylabel(ylabel, fontsize=8)
        ax.tick_params(labelsize=7)
    axes[0].legend(fontsize=7, loc="best")
    return fig, axes


def plot_tradeoff(
    recon,
    interp,
    labels: Sequence[str],
    *,
    reference: tuple[float, float | None] | None = None,
    reference_label: str = "NMF",
    xerr=None,
    yerr=None,
    xlabel: str = "Reconstruction R²",
    ylabel: str = "Interpretability (cosine similarity to NMF)",
    highlight: Sequence[str] = ("relu+tanh",),
    ax=None,
    title: str | None = None,
):
    """The headline figure: reconstruction (x) against interpretability (y).

    Parameters
    ----------
    recon, interp : array-like of shape (n_pairings,)
        One point per encoder/decoder pairing (e.g. medians across
        participants).
    labels : sequence of str
        Pairing names, written next to the points (e.g. ``"relu+tanh"``:
        encoder + decoder).
    reference : (x, y) or (x, None), optional
        The NMF reference: a star and dashed lines at its x (and y, unless
        None, e.g. when y is a similarity to NMF itself).
    xerr, yerr : array-like of shape (n_pairings,) or (2, n_pairings), optional
        Error bars (e.g. interquartile half-ranges or ``[lower, upper]``).
    highlight : sequence of str
        Labels drawn larger in :data:`NEGATIVE_COLOR` (case-insensitive).
    ax : Axes, optional

    Returns
    -------
    fig : Figure
    ax : Axes
    """
    recon = _array(recon, "recon", 1)
    interp = _array(interp, "interp", 1)
    if recon.size != interp.size:
        raise SynergyInputError(f"recon has {recon.size} values, interp has {interp.size}.")
    labels = _names(labels, recon.size, "pairing")
    errs = {}
    for name, err in (("xerr", xerr), ("yerr", yerr)):
        if err is not None:
            e = _array(err, name, (1, 2))
            if e.shape[-1] != recon.size or (e.ndim == 2 and e.shape[0] != 2):
                raise SynergyInputError(f"{name} must have shape ({recon.size},) or (2, {recon.size}).")
            if np.any(e < 0):
                raise SynergyInputError(f"{name} must be non-negative.")
            errs[name] = e
    if reference is not None:
        if len(reference) != 2:
            raise SynergyInputError("reference must be a pair (x, y); y may be None.")
        ref_x, ref_y = reference
    highlighted = {str(h).lower() for h in highlight}
    fig, ax = _single_axes(ax, (5.5, 4.2))
    is_hl = np.array([lab.lower() in highlighted for lab in labels])
    if errs:
        ax.errorbar(recon, interp, xerr=errs.get("xerr"), yerr=errs.get("yerr"), fmt="none",
                    ecolor="0.6", elinewidth=0.8, capsize=2, zorder=1)  # fmt: skip
    ax.scatter(recon[~is_hl], interp[~is_hl], s=30, color=POSITIVE_COLOR, edgecolor="black",
               linewidth=0.5, zorder=3, label="AE pairing")  # fmt: skip
    if is_hl.any():
        ax.scatter(recon[is_hl], interp[is_hl], s=80, marker="D", color=NEGATIVE_COLOR,
                   edgecolor="black", linewidth=0.6, zorder=4,
                   label=", ".join(lab for lab, h in zip(labels, is_hl) if h))  # fmt: skip
    for x, y, lab, h in zip(recon, interp, labels, is_hl):
        ax.annotate(lab, (x, y), xytext=(4, 3), textcoords="offset points",
                    fontsize=8 if h else 7, fontweight="bold" if h else "normal",
                    color=NEGATIVE_COLOR if h else "black")  # fmt: skip
    if reference is not None:
        ax.axvline(float(ref_x), color="black", linestyle="--", linewidth=0.9)
        if ref_y is not None:
            ax.axhline(float(ref_y), color="black", linestyle="--", linewidth=0.9)
            ax.scatter([float(ref_x)], [float(ref_y)], s=160, marker="*", color="black",
                       zorder=5, label=reference_label)  # fmt: skip
        else:
            ax.plot([], [], color="black", linestyle="--", label=reference_label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    return fig, ax


def plot_convergence(
    histories: Sequence,
    labels: Sequence[str] | None = None,
    *,
    ax=None,
    epochs=None,
    xlabel: str = "Epoch",
    ylabel: str = "Training loss (MSE)",
    title: str | None = None,
    legend: str | None = "upper right",
):
    """Loss against epoch on a logarithmic y axis, one line per history.

    Parameters
    ----------
    histories : sequence of 1-D array-like
        Loss per epoch; lengths may differ (early stopping). Values must be
        positive (log scale); NaN values (after a model stopped) are left out.
    epochs : 1-D array-like or sequence of them, optional
        The epoch of each value (one array for all histories, or one per history),
        e.g. a stored result's ``ae_loss_epochs``; default: 1, 2, ...
    labels : sequence of str, optional
        One per history. When every label is an encoder+decoder pairing
        (``"relu+tanh"``), each line is coloured by its decoder and styled by its
        encoder (:func:`pairing_line_style`), so that the 16 pairings are 16
        different lines, and the legend has one entry per decoder colour and one
        per encoder style. Otherwise seven colours cycle, with a new line style
        after each seven histories (28 different lines), and the legend names
        every history.
    ax : Axes, optional
    legend : str or None, default "upper right"
        Where the legend goes: a location of ``Axes.legend``, or one starting with
        ``"outside"`` (e.g. ``"outside right center"``) for a legend of the figure
        beside the axes (the figure must use the constrained layout, as the
        figures created here do); None: no legend. Each line keeps its label
        either way (``ax.get_legend_handles_labels()``).

    Returns
    -------
    fig : Figure
    ax : Axes
    """
    if isinstance(histories, np.ndarray) and histories.ndim == 1:
        histories = [histories]
    histories = [_array(h, f"histories[{i}]", 1, allow_nan=True) for i, h in enumerate(histories)]
    if not histories:
        raise SynergyInputError("histories is empty.")
    if epochs is None:
        xs = [np.arange(1, h.size + 1) for h in histories]
    else:
        shared = (isinstance(epochs, np.ndarray) and epochs.ndim == 1) or (
            isinstance(epochs, (list, tuple)) and len(epochs) > 0 and np.isscalar(epochs[0]))
        xs = [np.asarray(epochs, dtype=float)] * len(histories) if shared else \
            [np.asarray(e, dtype=float) for e in epochs]
        if len(xs) != len(histories) or any(x.shape != h.shape for x, h in zip(xs, histories)):
            raise SynergyInputError("epochs must match the histories: one value per loss value.")
    for i, h in enumerate(histories):
        if np.any(h[~np.isnan(h)] <= 0):
            raise SynergyInputError(f"histories[{i}] has values <= 0, impossible on a log scale.")
    if labels is not None:
        labels = _names(labels, len(histories), "history")
    pairings = labels is not None and all(pairing_line_style(lab) is not None for lab in labels)
    fig, ax = _single_axes(ax, (5.0, 3.4))
    for i, (x, h) in enumerate(zip(xs, histories)):
        keep = ~np.isnan(h)
        style = pairing_line_style(labels[i]) if pairings else _line_style(i)
        ax.plot(x[keep], h[keep], linewidth=1.1,
                label=None if labels is None else labels[i], **style)  # fmt: skip
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3, which="both")
    if labels is not None and legend is not None:
        if pairings:
            handles = _pairing_legend_handles(labels)
            options = {"handles": handles, "fontsize": 7, "title": "colour: decoder\nline: encoder",
                       "title_fontsize": 7}
        else:
            options = {"fontsize": 6, "ncols": 2 if len(histories) > 8 else 1}
        if str(legend).startswith("outside"):
            fig.legend(loc=legend, **options)
        else:
            ax.legend(loc=legend, **options)
    return fig, ax


def plot_pairing_matrix(
    values,
    encoders: Sequence[str],
    decoders: Sequence[str],
    *,
    ax=None,
    fmt: str = "{:.2f}",
    cmap: str = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar_label: str = "",
    title: str | None = None,
    xlabel: str = "Decoder activation",
    ylabel: str = "Encoder activation",
    colorbar: bool = True,
):
    """Heat map of a metric per encoder (rows) x decoder (columns), annotated.

    Parameters
    ----------
    values : array-like of shape (n_encoders, n_decoders)
        The metric; NaN cells are left blank and annotated "n/a".
    encoders, decoders : sequence of str
    fmt : str
        Format of the annotations.
    cmap : str
        A perceptually uniform, colour-blind-safe map (default viridis).
    colorbar_label : str
        What the colours mean (with units).
    ax : Axes, optional
        The colour bar is added next to it.
    colorbar : bool, default True
        False: no colour bar, e.g. for a panel that shares the colour scale and the
        colour bar of other panels (:func:`plot_pairing_matrices`); the image is
        ``ax.images[0]``.

    Returns
    -------
    fig : Figure
    ax : Axes
        The heat map (``fig.axes`` also holds the colour bar).
    """
    values = _array(values, "values", 2, allow_nan=True)
    encoders = _names(encoders, values.shape[0], "encoder")
    decoders = _names(decoders, values.shape[1], "decoder")
    if np.all(np.isnan(values)):
        raise SynergyInputError("values contains only NaN.")
    fig, ax = _single_axes(ax, (1.1 * values.shape[1] + 1.8, 0.9 * values.shape[0] + 1.2))
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    if colorbar:
        cbar = fig.colorbar(image, ax=ax)
        cbar.set_label(colorbar_label)
    norm, colormap = image.norm, image.get_cmap()
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            if np.isnan(v):
                ax.text(j, i, "n/a", ha="center", va="center", fontsize=8, color="black")
                continue
            r, g, b, _ = colormap(norm(v))
            luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=8,
                    color="black" if luminance > 0.5 else "white")  # fmt: skip
    ax.set_xticks(np.arange(values.shape[1]), decoders)
    ax.set_yticks(np.arange(values.shape[0]), encoders)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return fig, ax


def plot_pairing_matrices(
    matrices,
    encoders: Sequence[str],
    decoders: Sequence[str],
    *,
    titles: Sequence[str] | None = None,
    axes=None,
    ncols: int | None = None,
    panel_size: tuple[float, float] = (4.0, 3.4),
    fmt: str = "{:.2f}",
    cmap: str = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar_label: str = "",
    xlabel: str = "Decoder activation",
    ylabel: str = "Encoder activation",
):
    """Several heat maps of one quantity (:func:`plot_pairing_matrix`) on one colour scale.

    Every panel uses the same ``vmin`` and ``vmax`` (by default the smallest and the
    largest finite value of all the matrices) and the panels share one colour bar,
    so that one colour means one value in every panel.

    Parameters
    ----------
    matrices : sequence of array-like of shape (n_encoders, n_decoders)
        One per panel, all of the same quantity (e.g. training and held-out
        :math:`R^2`).
    encoders, decoders : sequence of str
    titles : sequence of str, optional
        One per panel.
    axes : sequence of Axes, optional
        One per matrix; a new figure (constrained layout) otherwise.
    ncols : int, optional
        Panels per row of a new figure (default: all in one row).
    panel_size : (width, height)
        Inches per panel of a new figure.
    fmt, cmap, colorbar_label, xlabel, ylabel
        As in :func:`plot_pairing_matrix`.
    vmin, vmax : float, optional
        The shared colour scale.

    Returns
    -------
    fig : Figure
    axes : ndarray of Axes, one per matrix
        ``fig.axes`` also holds the one colour bar.
    """
    matrices = [_array(m, f"matrices[{i}]", 2, allow_nan=True) for i, m in enumerate(matrices)]
    if not matrices:
        raise SynergyInputError("matrices is empty.")
    if any(m.shape != matrices[0].shape for m in matrices):
        raise SynergyInputError(f"matrices must share one shape, got {[m.shape for m in matrices]}.")
    if titles is not None:
        titles = _names(titles, len(matrices), "title")
    finite = np.concatenate([m[np.isfinite(m)] for m in matrices])
    if finite.size == 0:
        raise SynergyInputError("matrices contain only NaN.")
    vmin = float(finite.min()) if vmin is None else float(vmin)
    vmax = float(finite.max()) if vmax is None else float(vmax)
    if axes is None:
        n = len(matrices)
        ncols = n if ncols is None else max(1, min(int(ncols), n))
        nrows = -(-n // ncols)
        fig, grid = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols + 0.8, panel_size[1] * nrows),
                                 squeeze=False, layout="constrained")  # fmt: skip
        flat = list(grid.ravel())
        for ax in flat[n:]:
            fig.delaxes(ax)
        axes = np.array(flat[:n], dtype=object)
    else:
        fig, axes = _given_axes(axes, len(matrices), "matrices")
    for k, (ax, values) in enumerate(zip(axes, matrices)):
        plot_pairing_matrix(values, encoders, decoders, ax=ax, fmt=fmt, cmap=cmap, vmin=vmin, vmax=vmax,
                            title=None if titles is None else titles[k], xlabel=xlabel, ylabel=ylabel,
                            colorbar=False)  # fmt: skip
    cbar = fig.colorbar(axes[0].images[0], ax=list(axes))
    cbar.set_label(colorbar_label)
    return fig, axes


# ----------------------------------------------------------------------------
# raw data
# ----------------------------------------------------------------------------


def plot_raw_emg(
    t,
    emg,
    muscles: Sequence[str],
    *,
    units: str = "a.u.",
    events=None,
    event_label: str = "touchdown",
    axes=None,
    xlabel: str = "Time (s)",
    color: str = "black",
):
    """Raw EMG traces, one panel per muscle, stacked with a shared time axis.

    Parameters
    ----------
    t : array-like of shape (n_samples,)
        Time in seconds.
    emg : array-like of shape (n_muscles, n_samples)
    muscles : sequence of str, length n_muscles
        Written as each panel's y label, with ``units``.
    units : str
        Amplitude unit (e.g. ``"µV"``, or ``"a.u."`` when unknown).
    events : array-like of float, optional
        Times (s) marked by vertical lines in every panel (e.g. touchdowns).
    axes : sequence of Axes, optional
        One per muscle.

    Returns
    -------
    fig : Figure
    axes : ndarray of Axes, shape (n_muscles,)
    """
    t = _array(t, "t", 1)
    emg = _array(emg, "emg", 2)
    n_muscles, n_samples = emg.shape
    if t.size != n_samples:
        raise SynergyInputError(f"t has {t.size} values, emg has {n_samples} samples.")
    muscles = _names(muscles, n_muscles, "muscle")
    ev = None if events is None else _array(events, "events", 1)
    if axes is None:
        fig, axes = _grid(n_muscles, 1, width=8.0, height=0.7, sharex=True)
    else:
        fig, axes = _given_axes(axes, n_muscles, "muscles")
    for m, ax in enumerate(axes):
        ax.plot(t, emg[m], color=color, linewidth=0.4)
        if ev is not None:
            for k, e in enumerate(ev):
                ax.axvline(e, color=POSITIVE_COLOR, linewidth=0.8, linestyle="--",
                           label=event_label if (m == 0 and k == 0) else None)  # fmt: skip
        ax.set_ylabel(f"{muscles[m]}\n({units})", rotation=0, ha="right", va="center", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.set_xlim(t[0], t[-1])
    axes[-1].set_xlabel(xlabel)
    if ev is not None and ev.size:
        axes[0].legend(fontsize=7, loc="upper right")
    return fig, axes


def plot_autoencoder_diagram(
    n_muscles: int = 16,
    n_synergies: int = 5,
    *,
    encoder: str = "relu",
    decoder: str = "tanh",
    highlight: int = 0,
    ax=None,
):
    r"""The one-layer autoencoder as a diagram: :math:`M` muscles, :math:`N` units, :math:`M` muscles.

    .. math::

        h = f_\mathrm{enc}(W_e x + b_e), \qquad \hat x = f_\mathrm{dec}(W_d h + b_d).

    Every connection is drawn; the decoder connections leaving unit ``highlight``
    are coloured: they are the column :math:`W_{d,:k}` of the decoder, the synergy
    :math:`k` (once scaled to unit norm). The encoder's outputs :math:`h_k` are the
    activations.

    Parameters
    ----------
    n_muscles, n_synergies : int
        :math:`M` and :math:`N` (:math:`1 \le N \le M`).
    encoder, decoder : str
        Activation functions, written in the boxes.
    highlight : int
        The unit whose synergy is coloured.
    ax : Axes, optional

    Returns
    -------
    (Figure, Axes)
    """
    n_muscles = check_int(n_muscles, "n_muscles", low=1, high=64)
    n_synergies = check_int(n_synergies, "n_synergies", low=1, high=n_muscles)
    highlight = check_int(highlight, "highlight", low=0, high=n_synergies - 1)
    fig, ax = _single_axes(ax, (7.0, 4.2))
    layers = {0.0: n_muscles, 1.0: n_synergies, 2.0: n_muscles}
    y = {x: np.linspace(0.95, 0.05, n) if n > 1 else np.array([0.5]) for x, n in layers.items()}
    y[1.0] = 0.5 + (y[1.0] - 0.5) * min(1.0, 0.45 * n_synergies / 5 + 0.2)
    for (x0, x1) in ((0.0, 1.0), (1.0, 2.0)):
        for j, yb in enumerate(y[x0]):
            for k, ye in enumerate(y[x1]):
                synergy = x0 == 1.0 and j == highlight
                ax.plot([x0, x1], [yb, ye], color=POSITIVE_COLOR if synergy else "0.82",
                        linewidth=1.1 if synergy else 0.4, zorder=2 if synergy else 1)
    for x, ys in y.items():
        size = 40 if x != 1.0 else 160
        colors = ["white"] * len(ys)
        if x == 1.0:
            colors = [POSITIVE_COLOR if k == highlight else "0.85" for k in range(len(ys))]
        ax.scatter(np.full(len(ys), x), ys, s=size, c=colors, edgecolors="black", linewidths=0.8, zorder=3)
    ax.text(0.0, 1.02, f"EMG $x$\n{n_muscles} muscles", ha="center", va="bottom", fontsize=9)
    ax.text(1.0, 1.02, f"activations $h$\n{n_synergies} units", ha="center", va="bottom", fontsize=9)
    ax.text(2.0, 1.02, f"reconstruction $\\hat x$\n{n_muscles} muscles", ha="center", va="bottom", fontsize=9)
    box = dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="0.4")
    ax.text(0.5, -0.08, f"encoder: $f_\\mathrm{{enc}}$ = {encoder}\n$h = f_\\mathrm{{enc}}(W_e x + b_e)$",
            ha="center", va="top", fontsize=9, bbox=box)
    ax.text(1.5, -0.08, f"decoder: $f_\\mathrm{{dec}}$ = {decoder}\n$\\hat x = f_\\mathrm{{dec}}(W_d h + b_d)$",
            ha="center", va="top", fontsize=9, bbox=box)
    ax.annotate(f"synergy {highlight + 1}: column {highlight + 1} of $W_d$",
                xy=(1.5, float(np.mean([y[1.0][highlight], 0.5]))), xytext=(1.5, 1.24),
                ha="center", fontsize=9, color=POSITIVE_COLOR,
                arrowprops=dict(arrowstyle="->", color=POSITIVE_COLOR, linewidth=0.8))
    ax.set_xlim(-0.35, 2.35)
    ax.set_ylim(-0.32, 1.32)
    ax.axis("off")
    return fig, ax
