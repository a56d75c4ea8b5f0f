r"""Tables and figures of the autoencoder chapter: the 16 pairings side by side.

Everything here reads the per-participant results of :mod:`synergylib.study`
(:class:`~synergylib.study.ParticipantResult`) and never trains a model. It turns
them into

* tidy tables, one row per participant and pairing (:func:`pairing_table`), or
  per participant and model with NMF as the reference (:func:`reconstruction_table`),
  and a "mean ± sd" summary of them (:func:`mean_sd_table`);
* a 4 x 4 encoder x decoder matrix of any per-pairing number
  (:func:`pairing_matrix`, drawn by :func:`synergylib.plotting.plot_pairing_matrix`);
* the diagnostics of what an activation function does to a trained network:
  encoder units that never fire (*dead synergies*) and muscles that a ReLU
  decoder switches off (:func:`dead_units`), from the reconstruction

  .. math::

      \hat X = f_\mathrm{dec}\!\left(W H + b_d \mathbf 1^\top\right),

  rebuilt from the stored synergies :math:`W`, activations :math:`H` and decoder
  bias :math:`b_d` (:func:`reconstruct`);
* the chapter's figures: the four activation functions
  (:func:`plot_activation_functions`), epochs to convergence per pairing
  (:func:`plot_epochs_per_pairing`), the spread of the final losses of the
  restarts (:func:`plot_restart_spread`) and the synergies of every pairing
  matched to NMF's (:func:`plot_pairing_synergies`).

Layouts follow the physiology convention of the library: synergies ``W`` are
``(n_muscles, N)``, activations ``H`` are ``(N, n_samples)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from .._validation import ACTIVATIONS, SynergyInputError, check_activation
from ..autoencoder import activation_function, decode
from ..comparison_report import format_mean_sd as mean_sd_table
from ..metrics import match_synergies, negative_mass_share, negative_weight_share
from ..plotting import (
    NEGATIVE_COLOR,
    NEGATIVE_HATCH,
    POSITIVE_COLOR,
    REFERENCE_COLOR,
    _single_axes,
    plot_synergies,
)

__all__ = [
    "ACTIVATION_LABELS",
    "dead_units",
    "mean_sd_table",
    "pairing_matrix",
    "pairing_table",
    "plot_activation_functions",
    "plot_epochs_per_pairing",
    "plot_pairing_synergies",
    "plot_restart_spread",
    "reconstruct",
    "reconstruction_table",
    "restart_table",
]

#: Display names of the activation functions.
ACTIVATION_LABELS: dict[str, str] = {
    "linear": "linear",
    "relu": "ReLU",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
}

#: Range of each activation function's output, as written in the figure.
_RANGES: dict[str, str] = {
    "linear": r"$(-\infty, \infty)$",
    "relu": r"$[0, \infty)$",
    "sigmoid": r"$(0, 1)$",
    "tanh": r"$(-1, 1)$",
}

NMF_LABEL = "NMF"


# ----------------------------------------------------------------------------
# activation functions and reconstructions
# ----------------------------------------------------------------------------


def _split_pairing(name: str) -> tuple[str, str]:
    parts = str(name).split("+")
    if len(parts) != 2:
        raise SynergyInputError(f"A pairing name must look like 'relu+tanh', got {name!r}.")
    return check_activation(parts[0], role="encoder"), check_activation(parts[1], role="decoder")


def _pairing_index(result, pairing) -> int:
    if isinstance(pairing, (int, np.integer)) and not isinstance(pairing, bool):
        if not 0 <= int(pairing) < len(result.pairings):
            raise SynergyInputError(
                f"pairing index {pairing} out of range for {len(result.pairings)} pairings."
            )
        return int(pairing)
    return result.pairing_index(str(pairing))


def reconstruct(result, pairing, *, split: str = "train") -> np.ndarray:
    r"""The autoencoder's reconstruction of the data, rebuilt from the stored result.

    .. math::

        \hat X = f_\mathrm{dec}\!\left(W H + b_d \mathbf 1^\top\right),

    with :math:`W` the unit-norm synergies, :math:`H` the activations (encoder
    outputs times the decoder column norms) and :math:`b_d` the decoder bias, so
    that :math:`W H` equals the decoder's :math:`W_d f_\mathrm{enc}(W_e X + b_e)`.

    Parameters
    ----------
    result : ParticipantResult
    pairing : str or int
        Pairing name (``"relu+tanh"``) or its position in ``result.pairings``.
    split : {"train", "test"}
        Training repetitions or the held-out one.

    Returns
    -------
    ndarray of shape (n_muscles, n_samples)
    """
    i = _pairing_index(result, pairing)
    if split == "train":
        H = result.ae_activations_train
    elif split == "test":
        H = result.ae_activations_test
        if H is None:
            raise SynergyInputError("This result has no held-out repetition (ae_activations_test is None).")
    else:
        raise SynergyInputError(f"split must be 'train' or 'test', got {split!r}.")
    _, decoder = _split_pairing(result.pairings[i])
    W = np.asarray(result.ae_synergies[i], dtype=float)
    b_d = np.asarray(result.ae_decoder_bias[i], dtype=float)
    return decode(np.asarray(H[i], dtype=float).T, W, b_d, decoder).T


def dead_units(result, pairing, *, split: str = "train", atol: float = 0.0) -> dict[str, float]:
    r"""Synergies that never activate and muscles the decoder switches off.

    * a **dead synergy** is a bottleneck unit whose activation is zero on every
      sample, :math:`\max_t |h_{kt}| \le \mathrm{atol}` (a ReLU encoder unit whose
      pre-activation is negative everywhere; it contributes nothing, so the model
      effectively has fewer synergies);
    * a **silent muscle** is a muscle whose reconstruction is zero on every
      sample, :math:`\max_t |\hat x_{mt}| \le \mathrm{atol}` (a ReLU decoder unit
      switched off: its :math:`R^2` for that muscle is at most 0);
    * ``zero_output_share`` is the share of reconstructed entries
      :math:`\hat x_{mt}` that are zero (only a ReLU decoder produces exact zeros).

    Parameters
    ----------
    result : ParticipantResult
    pairing : str or int
    split : {"train", "test"}
    atol : float, default 0
        Tolerance for "zero".

    Returns
    -------
    dict
        ``dead_synergies`` (int), ``silent_muscles`` (int), ``zero_output_share`` (float).
    """
    if not np.isfinite(atol) or atol < 0:
        raise SynergyInputError(f"atol must be a non-negative number, got {atol!r}.")
    i = _pairing_index(result, pairing)
    H = result.ae_activations_train if split == "train" else result.ae_activations_test
    X_hat = reconstruct(result, i, split=split)
    H = np.asarray(H[i], dtype=float)
    return {
        "dead_synergies": int(np.sum(np.max(np.abs(H), axis=1) <= atol)),
        "silent_muscles": int(np.sum(np.max(np.abs(X_hat), axis=1) <= atol)),
        "zero_output_share": float(np.mean(np.abs(X_hat) <= atol)),
    }


# ----------------------------------------------------------------------------
# tables
# ----------------------------------------------------------------------------


def _check_results(results) -> list:
    if isinstance(results, Mapping) or not isinstance(results, Sequence) or len(results) == 0:
        raise SynergyInputError("results must be a non-empty list of ParticipantResult.")
    return list(results)


def _final_losses(result) -> np.ndarray:
    return np.asarray(result.ae_restart_losses, dtype=float)


def pairing_table(results: Sequence) -> pd.DataFrame:
    r"""One row per participant and pairing: training, reconstruction and sign diagnostics.

    Columns
    -------
    participant, pairing, encoder, decoder, n_synergies
    converged : bool
        The kept restart met the stopping rule before ``max_epochs``.
    n_epochs : int
        Parameter updates made by the kept restart.
    final_loss : float
        Lowest final training loss (MSE) over the restarts, the kept one.
    restart_spread : float
        :math:`(\max_r L_r - \min_r L_r) / \min_r L_r` over the restarts' final
        losses: 0 when every restart ends at the same loss.
    r2_train, r2_test : float
        Centred :math:`R^2` on the training repetitions and the held-out one
        (NaN without one).
    negative_weight_share, negative_mass_share : float
        See :func:`synergylib.metrics.negative_weight_share`.
    nmf_mean_cosine : float
        Mean signed cosine between the pairing's synergies and the participant's
        NMF synergies after optimal one-to-one matching
        (:func:`synergylib.metrics.match_synergies`).
    dead_synergies, silent_muscles, zero_output_share
        See :func:`dead_units` (training data).
    """
    rows = []
    for res in _check_results(results):
        losses = _final_losses(res)
        for i, name in enumerate(res.pairings):
            enc, dec = _split_pairing(name)
            best = float(np.min(losses[i]))
            spread = float((np.max(losses[i]) - best) / best) if best > 0 else np.nan
            W = np.asarray(res.ae_synergies[i], dtype=float)
            rows.append(
                {
                    "participant": int(res.index),
                    "pairing": name,
                    "encoder": enc,
                    "decoder": dec,
                    "n_synergies": int(res.n_synergies),
                    "converged": bool(res.ae_converged[i]),
                    "n_epochs": int(res.ae_n_epochs[i]),
                    "final_loss": best,
                    "restart_spread": spread,
                    "r2_train": float(res.ae_r2_train[i]),
                    "r2_test": np.nan if res.ae_r2_test is None else float(res.ae_r2_test[i]),
                    "negative_weight_share": float(negative_weight_share(W)),
                    "negative_mass_share": float(negative_mass_share(W)),
                    "nmf_mean_cosine": float(match_synergies(res.nmf_synergies, W).mean_cosine),
                    **dead_units(res, i),
                }
            )
    return pd.DataFrame(rows)


def reconstruction_table(results: Sequence) -> pd.DataFrame:
    """One row per participant and model (NMF first, then the pairings): ``r2_train``, ``r2_test``.

    Centred :math:`R^2` on the training repetitions and on the held-out one
    (NaN when the data have none); ``model`` is ``"NMF"`` or the pairing name.
    """
    rows = []
    for res in _check_results(results):
        has_test = res.ae_r2_test is not None
        rows.append(
            {
                "participant": int(res.index),
                "model": NMF_LABEL,
                "r2_train": float(res.nmf_r2_train),
                "r2_test": float(res.nmf_r2_test) if has_test and res.nmf_r2_test is not None else np.nan,
            }
        )
        for i, name in enumerate(res.pairings):
            rows.append(
                {
                    "participant": int(res.index),
                    "model": name,
                    "r2_train": float(res.ae_r2_train[i]),
                    "r2_test": float(res.ae_r2_test[i]) if has_test else np.nan,
                }
            )
    return pd.DataFrame(rows)


def restart_table(results: Sequence) -> pd.DataFrame:
    r"""One row per participant, pairing and restart: its final training loss.

    ``relative_loss`` is :math:`L_r / \min_{r'} L_{r'}` (1 for the kept restart);
    ``kept`` marks the restart with the lowest loss.
    """
    rows = []
    for res in _check_results(results):
        losses = _final_losses(res)
        for i, name in enumerate(res.pairings):
            best = int(np.argmin(losses[i]))
            for r, loss in enumerate(losses[i]):
                rows.append(
                    {
                        "participant": int(res.index),
                        "pairing": name,
                        "restart": r,
                        "final_loss": float(loss),
                        "relative_loss": float(loss / losses[i, best]) if losses[i, best] > 0 else np.nan,
                        "kept": r == best,
                    }
                )
    return pd.DataFrame(rows)


def pairing_matrix(
    values,
    pairings: Sequence[str] | None = None,
    *,
    encoders: Sequence[str] = ACTIVATIONS,
    decoders: Sequence[str] = ACTIVATIONS,
) -> np.ndarray:
    """Arrange one number per pairing in an encoder (rows) x decoder (columns) matrix.

    Parameters
    ----------
    values : mapping or pandas Series ``{pairing name: value}``, or a sequence
        With a sequence, ``pairings`` names its entries.
    pairings : sequence of str, optional
        Names of the entries of a sequence ``values``.
    encoders, decoders : sequence of str
        Row and column order (default linear, relu, sigmoid, tanh).

    Returns
    -------
    ndarray of shape (len(encoders), len(decoders))
        NaN where a pairing has no value.
    """
    if isinstance(values, (Mapping, pd.Series)):
        items = dict(values.items())
    else:
        values = np.asarray(values, dtype=float)
        if pairings is None or len(pairings) != values.size:
            raise SynergyInputError("With a sequence of values, give one pairing name per value.")
        items = dict(zip(pairings, values.ravel()))
    encoders = [check_activation(e, role="encoder") for e in encoders]
    decoders = [check_activation(d, role="decoder") for d in decoders]
    out = np.full((len(encoders), len(decoders)), np.nan)
    for name, value in items.items():
        enc, dec = _split_pairing(name)
        if enc in encoders and dec in decoders:
            out[encoders.index(enc), decoders.index(dec)] = float(value)
    return out


# ----------------------------------------------------------------------------
# figures
# ----------------------------------------------------------------------------


def plot_activation_functions(
    names: Sequence[str] = ACTIVATIONS,
    *,
    z_range: tuple[float, float] = (-3.0, 3.0),
    axes=None,
):
    """The activation functions on ``z_range``, one panel each, their output range marked.

    Dotted lines mark the bounds of each function's output (0 and 1 for the
    sigmoid, -1 and 1 for tanh, 0 for ReLU).

    Returns
    -------
    fig : Figure
    axes : ndarray of Axes, one per function
    """
    names = [check_activation(n) for n in names]
    lo, hi = float(z_range[0]), float(z_range[1])
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise SynergyInputError(f"z_range must be two finite numbers (low, high) with low < high, got {z_range!r}.")
    if axes is None:
        fig, axes = plt.subplots(1, len(names), figsize=(2.3 * len(names), 2.6), sharey=True,
                                 layout="constrained", squeeze=False)  # fmt: skip
        axes = axes.ravel()
    else:
        axes = np.ravel(np.asarray(axes, dtype=object))
        if len(axes) != len(names):
            raise SynergyInputError(f"Need {len(names)} axes, got {len(axes)}.")
        fig = axes[0].figure
    z = np.linspace(lo, hi, 601)
    bounds = {"relu": (0.0,), "sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "linear": ()}
    for ax, name in zip(axes, names):
        ax.axhline(0, color="0.6", linewidth=0.6)
        ax.axvline(0, color="0.6", linewidth=0.6)
        for b in bounds[name]:
            ax.axhline(b, color=NEGATIVE_COLOR, linestyle=":", linewidth=1.0)
        ax.plot(z, activation_function(name)(z), color=POSITIVE_COLOR, linewidth=2.0)
        ax.set_title(f"{ACTIVATION_LABELS[name]}: output in {_RANGES[name]}", fontsize=9)
        ax.set_xlabel("input $z$")
        ax.set_xlim(lo, hi)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("output $f(z)$")
    return fig, axes


def _pairing_positions(pairings: Sequence[str]) -> dict[str, int]:
    return {name: k for k, name in enumerate(pairings)}


def plot_epochs_per_pairing(
    table: pd.DataFrame,
    *,
    max_epochs: int | None = None,
    ax=None,
    log: bool = False,
    title: str | None = None,
):
    """Epochs of the kept restart per pairing, one point per participant.

    Filled circles: the model converged (met the stopping rule); open squares:
    it stopped at ``max_epochs`` without converging.

    Parameters
    ----------
    table : DataFrame
        :func:`pairing_table` (columns ``pairing``, ``n_epochs``, ``converged``).
    max_epochs : int, optional
        Drawn as a dashed line.
    log : bool
        Logarithmic y axis.

    Returns
    -------
    fig, ax
    """
    fig, ax, pairings, pos = _pairing_axes(table, ("pairing", "n_epochs", "converged"),
                                           "pairing_table", ax)
    rng = np.random.default_rng(0)  # jitter only: fixed so that figures are reproducible
    x = table["pairing"].map(pos).to_numpy(dtype=float) + rng.uniform(-0.18, 0.18, len(table))
    y = table["n_epochs"].to_numpy(dtype=float)
    conv = table["converged"].to_numpy(dtype=bool)
    ax.scatter(x[conv], y[conv], s=18, color=POSITIVE_COLOR, edgecolor="black", linewidth=0.3,
               label="converged", zorder=3)  # fmt: skip
    ax.scatter(x[~conv], y[~conv], s=22, marker="s", facecolor="none", edgecolor=NEGATIVE_COLOR,
               linewidth=1.0, label="stopped at max_epochs", zorder=3)  # fmt: skip
    if max_epochs is not None:
        ax.axhline(max_epochs, color="black", linestyle="--", linewidth=0.8, label="max_epochs")
    ax.set_xticks(range(len(pairings)), pairings, rotation=60, ha="right", fontsize=8)
    ax.set_xlim(-0.6, len(pairings) - 0.4)
    ax.set_xlabel("Pairing (encoder+decoder)")
    ax.set_ylabel("Epochs of the kept restart")
    top = max(float(np.max(y)) if y.size else 1.0, float(max_epochs or 0))
    if log:
        ax.set_yscale("log")
        bottom = max(1.0, float(np.min(y)) / 2.0) if y.size else 1.0
        ax.set_ylim(min(bottom, top / 2.0), top * 2.0)
        ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(NullFormatter())
    else:
        ax.set_ylim(0, top * 1.1 if top > 0 else 1.0)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8, loc="best")
    if title:
        ax.set_title(title)
    return fig, ax


def _pairing_axes(table: pd.DataFrame, columns: Sequence[str], maker: str, ax):
    """Check a per-pairing table's columns; the axes, the pairings and their x positions."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise SynergyInputError(f"table lacks the columns {missing}; use {maker}(results).")
    pairings = list(dict.fromkeys(table["pairing"]))
    fig, ax = _single_axes(ax, (9.0, 3.6))
    return fig, ax, pairings, _pairing_positions(pairings)


def plot_restart_spread(table: pd.DataFrame, *, ax=None, title: str | None = None):
    r"""Final loss of every restart relative to the kept one, per pairing (log scale).

    One grey point per participant and restart at :math:`L_r / \min_{r'} L_{r'}`
    (1 is the kept restart); the black bar is the median over participants of the
    worst restart's ratio.

    Parameters
    ----------
    table : DataFrame
        :func:`restart_table`.

    Returns
    -------
    fig, ax
    """
    fig, ax, pairings, pos = _pairing_axes(table, ("pairing", "participant", "relative_loss"),
                                           "restart_table", ax)
    rng = np.random.default_rng(0)
    x = table["pairing"].map(pos).to_numpy(dtype=float) + rng.uniform(-0.2, 0.2, len(table))
    y = table["relative_loss"].to_numpy(dtype=float)
    ax.scatter(x, y, s=10, color="0.45", alpha=0.6, linewidth=0, label="one restart", zorder=2)
    worst = table.groupby(["pairing", "participant"], sort=False)["relative_loss"].max()
    median_worst = worst.groupby(level="pairing", sort=False).median()
    for name, value in median_worst.items():
        k = pos[name]
        ax.plot([k - 0.3, k + 0.3], [value, value], color="black", linewidth=2.0, zorder=3,
                label="median worst restart" if k == 0 else None)  # fmt: skip
    ax.set_yscale("log")
    finite = y[np.isfinite(y) & (y > 0)]
    decades = float(np.log10(finite.max() / finite.min())) if finite.size else 1.0
    subs = (1.0, 1.2, 1.5, 2.0, 3.0, 5.0, 7.0) if decades <= 1.2 else (1.0, 2.0, 5.0) if decades <= 3 else (1.0,)
    ax.yaxis.set_major_locator(LogLocator(subs=subs))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xticks(range(len(pairings)), pairings, rotation=60, ha="right", fontsize=8)
    ax.set_xlim(-0.6, len(pairings) - 0.4)
    ax.set_xlabel("Pairing (encoder+decoder)")
    ax.set_ylabel("Final loss / kept restart's loss")
    ax.grid(alpha=0.3, axis="y", which="both")
    ax.legend(fontsize=8, loc="upper left")
    if title:
        ax.set_title(title)
    return fig, ax


def plot_pairing_synergies(
    result,
    pairings: Sequence[str] | None = None,
    *,
    ncols: int = 4,
    muscles: Sequence[str] | None = None,
    panel_width: float = 3.4,
    synergy_height: float = 1.1,
    title: str | None = None,
):
    """Synergies of every pairing of one participant, each matched to NMF's and drawn beside it.

    One panel per pairing (encoder rows, decoder columns with the default order);
    inside it one bar chart per synergy: the autoencoder weights (blue, negative
    ones vermillion and hatched) next to the NMF synergy they were matched to
    (grey), with the signed cosine of the pair; a synergy whose activation is
    zero on every training sample is marked "dead unit". Matching is the optimal one-to-one
    assignment of :func:`synergylib.metrics.match_synergies` (signs are never
    flipped). Every panel shares the same weight axis.

    Parameters
    ----------
    result : ParticipantResult
    pairings : sequence of str, optional
        Which pairings, in panel order (default: all of ``result.pairings``).
    ncols : int
        Panels per row.
    muscles : sequence of str, optional
        Muscle labels (default ``result.muscles``).
    panel_width, synergy_height : float
        Size in inches of a panel's width and of one synergy's bar chart.
    title : str, optional
        Figure title (the legend goes below the panels).

    Returns
    -------
    fig : Figure
    matches : dict
        ``{pairing: SynergyMatch}``, the matching used in each panel.
    """
    pairings = list(result.pairings if pairings is None else pairings)
    if not pairings:
        raise SynergyInputError("pairings is empty.")
    muscles = list(result.muscles if muscles is None else muscles)
    W_ref = np.asarray(result.nmf_synergies, dtype=float)
    n_syn = W_ref.shape[1]
    ncols = max(1, min(int(ncols), len(pairings)))
    nrows = -(-len(pairings) // ncols)
    matched, matches = {}, {}
    for name in pairings:
        W = np.asarray(result.ae_synergies[_pairing_index(result, name)], dtype=float)
        match = match_synergies(W_ref, W)
        if np.any(match.permutation < 0):  # pragma: no cover - AE and NMF share N
            raise SynergyInputError(f"{name}: fewer autoencoder synergies than NMF synergies.")
        matched[name] = W[:, match.permutation]
        matches[name] = match
    lo = min(0.0, W_ref.min(), *(W.min() for W in matched.values()))
    hi = max(0.0, W_ref.max(), *(W.max() for W in matched.values()))
    pad = 0.05 * (hi - lo)

    fig = plt.figure(figsize=(panel_width * ncols + 0.6, (synergy_height * n_syn + 1.0) * nrows + 0.9),
                     layout="constrained")  # fmt: skip
    subfigs = np.atleast_1d(fig.subfigures(nrows, ncols, squeeze=False).ravel())
    for k, sub in enumerate(subfigs):
        if k >= len(pairings):
            sub.set_visible(False)
            continue
        name = pairings[k]
        col = k % ncols
        axes = sub.subplots(n_syn, 1, sharex=True, squeeze=False).ravel()
        match = matches[name]
        cosines = match.similarity[np.arange(n_syn), match.permutation]
        H = np.asarray(result.ae_activations_train[_pairing_index(result, name)], dtype=float)
        dead = np.max(np.abs(H), axis=1)[match.permutation] == 0
        titles = [f"S{i + 1}: cos {c:+.2f}" + (" (dead unit)" if d else "")
                  for i, (c, d) in enumerate(zip(cosines, dead))]
        plot_synergies(matched[name], muscles, W_ref=W_ref, axes=axes, orientation="vertical",
                       names=titles, xlabel="Weight", ylabel="Muscle")  # fmt: skip
        for i, ax in enumerate(axes):
            legend = ax.get_legend()
            if legend is not None:
                legend.remove()
            ax.set_ylim(lo - pad, hi + pad)
            ax.set_title(titles[i], fontsize=8, pad=2)
            ax.tick_params(labelsize=7)
            ax.set_xlabel("")
            ax.set_ylabel("Weight" if col == 0 else "", fontsize=8)
            if col != 0:
                ax.tick_params(labelleft=False)
            if i != n_syn - 1:
                ax.tick_params(labelbottom=False)
        sub.suptitle(f"{name} (mean cos {match.mean_cosine:+.2f})", fontsize=10, fontweight="bold")
    handles = [
        plt.Rectangle((0, 0), 1, 1, facecolor=POSITIVE_COLOR, edgecolor="black", label="autoencoder"),
        plt.Rectangle((0, 0), 1, 1, facecolor=REFERENCE_COLOR, edgecolor="black", label="NMF (matched)"),
        plt.Rectangle((0, 0), 1, 1, facecolor=NEGATIVE_COLOR, edgecolor="black",
                      hatch=NEGATIVE_HATCH, label="negative weight"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=9, frameon=False)
    if title:
        fig.suptitle(title, fontsize=11)
    return fig, matches



# ----------------------------------------------------------------------------
# the named values of the chapter's text, one function per section
# ----------------------------------------------------------------------------

__all__ += [
    "convergence_values",
    "reconstruction_values",
    "restart_values",
    "synergy_values",
    "training_values",
]


def training_values(ae_config) -> dict[str, float | int]:
    """The training settings the text quotes (section "Training").

    ``ae_config`` is a :class:`~synergylib.study.AutoencoderConfig`; ``ae_lr_final``
    is the learning rate after all its decays,
    ``learning_rate * lr_decay ** n_lr_decays``.
    """
    return {
        "ae_tol": float(ae_config.tol),
        "ae_patience": int(ae_config.patience),
        "ae_lr": float(ae_config.learning_rate),
        "ae_lr_final": float(ae_config.learning_rate * ae_config.lr_decay**ae_config.n_lr_decays),
        "ae_n_decays": int(ae_config.n_lr_decays),
        "ae_max_epochs": int(ae_config.max_epochs),
        "ae_restarts": int(ae_config.n_restarts),
    }


def convergence_values(results: Sequence, table: pd.DataFrame) -> dict[str, float | int]:
    """How many kept models converged (section "Did training converge?").

    ``table`` is :func:`pairing_table` of ``results``. Returns the share of
    converged models (``share_converged``), their number (``n_models``), the
    number of participants, of pairings converged for every participant
    (``n_pairings_all_converged``) and the median number of epochs.
    """
    results = _check_results(results)
    converged_by_pairing = table.groupby("pairing", sort=False)["converged"].mean()
    return {
        "share_converged": float(np.mean(np.concatenate([r.ae_converged for r in results]))),
        "n_models": int(sum(r.ae_converged.size for r in results)),
        "n_participants": len(results),
        "n_pairings_all_converged": int((converged_by_pairing == 1).sum()),
        "median_epochs": float(table["n_epochs"].median()),
    }


def reconstruction_values(recon: pd.DataFrame) -> dict[str, float | int | str]:
    """The pairings' reconstruction against NMF's (section "Reconstruction").

    ``recon`` is :func:`reconstruction_table`. The values are means over
    participants: NMF's training and held-out :math:`R^2`, the best and the worst
    pairing on held-out data, how many pairings reach NMF's held-out mean, and the
    largest drop from training to held-out data (with NMF's drop for reference).
    """
    means = recon.groupby("model", sort=False)[["r2_train", "r2_test"]].mean()
    nmf_means = means.loc[NMF_LABEL]
    pairing_means = means.drop(index=NMF_LABEL)
    best_test = pairing_means["r2_test"].idxmax()
    worst_test = pairing_means["r2_test"].idxmin()
    gap = pairing_means["r2_train"] - pairing_means["r2_test"]
    return {
        "nmf_r2_train": float(nmf_means["r2_train"]),
        "nmf_r2_test": float(nmf_means["r2_test"]),
        "best_test_pairing": best_test,
        "best_test_r2": float(pairing_means.loc[best_test, "r2_test"]),
        "worst_test_pairing": worst_test,
        "worst_test_r2": float(pairing_means.loc[worst_test, "r2_test"]),
        "n_above_nmf_test": int((pairing_means["r2_test"] >= nmf_means["r2_test"]).sum()),
        "max_gap": float(gap.max()),
        "max_gap_pairing": gap.idxmax(),
        "nmf_gap": float(nmf_means["r2_train"] - nmf_means["r2_test"]),
    }


def restart_values(restarts: pd.DataFrame) -> dict[str, float | str]:
    """How much the restarts matter (section "Restarts").

    ``restarts`` is :func:`restart_table`. ``share_within_1pct`` is the share of
    the restarts not kept that ended within 1 % of the kept one's loss; the
    spread of a pairing is the median, over participants, of its worst restart's
    relative loss, and the pairings with the largest and the smallest spread are
    named.
    """
    others = restarts[~restarts["kept"]]
    worst_by_pairing = restarts.groupby(["pairing", "participant"], sort=False)["relative_loss"].max()
    median_worst = worst_by_pairing.groupby(level="pairing", sort=False).median()
    return {
        "share_within_1pct": float(np.mean(others["relative_loss"] <= 1.01)),
        "most_spread_pairing": median_worst.idxmax(),
        "most_spread_ratio": float(median_worst.max()),
        "least_spread_pairing": median_worst.idxmin(),
    }


def synergy_values(results: Sequence, table: pd.DataFrame) -> dict[str, float | int | str]:
    """Signs, dead units and silent muscles of the pairings (section "The synergies ...").

    ``table`` is :func:`pairing_table` of ``results``. The values are the pairings
    with the most and the fewest negative weights (means over participants), how
    many pairings have negative weights for some participant, the shares of models
    with a dead synergy (ReLU encoder or not) and with a silent muscle (ReLU
    decoder or not), the share of exact zeros a ReLU decoder outputs, the closest
    and farthest pairing to NMF by mean cosine and that of ``linear+linear``, the
    range of the numbers of synergies, the number of true synergies and the
    number of participants with fewer synergies than that (``n_below_true``)
    (``linlin_cosine`` is NaN when ``linear+linear`` was not trained).
    """
    results = _check_results(results)
    signs = table.groupby("pairing", sort=False)[["negative_weight_share", "nmf_mean_cosine"]].mean()
    neg = signs["negative_weight_share"]
    cos = signs["nmf_mean_cosine"]
    relu_enc = table[table["encoder"] == "relu"]
    relu_dec = table[table["decoder"] == "relu"]
    other_dec = table[table["decoder"] != "relu"]
    n_chosen = np.array([r.n_synergies for r in results])
    return {
        "most_negative_pairing": neg.idxmax(),
        "most_negative_share": float(neg.max()),
        "least_negative_pairing": neg.idxmin(),
        "least_negative_share": float(neg.min()),
        "n_pairings_negative": int((table.groupby("pairing")["negative_weight_share"].max() > 0).sum()),
        "share_relu_enc_dead": float(np.mean(relu_enc["dead_synergies"] > 0)),
        "share_other_enc_dead": float(np.mean(table[table["encoder"] != "relu"]["dead_synergies"] > 0)),
        "share_relu_dec_silent": float(np.mean(relu_dec["silent_muscles"] > 0)),
        "relu_dec_zero_share": float(relu_dec["zero_output_share"].mean()),
        "share_other_dec_silent": float(np.mean(other_dec["silent_muscles"] > 0)),
        "closest_pairing": cos.idxmax(),
        "closest_cosine": float(cos.max()),
        "farthest_pairing": cos.idxmin(),
        "farthest_cosine": float(cos.min()),
        "linlin_cosine": float(cos.get("linear+linear", np.nan)),
        "n_syn_min": int(n_chosen.min()),
        "n_syn_max": int(n_chosen.max()),
        "n_true": int(results[0].true_synergies.shape[1]),
        "n_below_true": int(sum(r.n_synergies < r.true_synergies.shape[1] for r in results)),
    }


__all__ += ["pca_limit_values"]


def pca_limit_values(table: pd.DataFrame, *, tolerance: float = 0.002) -> dict[str, float | int]:
    """How close the linear-decoder pairings come to PCA's training :math:`R^2`.

    ``table`` is :func:`synergylib.comparison.metrics_table` with ``pca=True``. A
    model with a linear decoder reconstructs :math:`\\hat x = W h + b`, an affine map
    of :math:`N` numbers, so no such model beats centred PCA with :math:`N`
    components on the training data (the Eckart-Young theorem); a pairing within
    ``tolerance`` of PCA's mean is at that limit.

    Returns
    -------
    dict
        ``pca_r2_train`` (PCA's mean), ``linear_decoder_r2_min`` / ``_max`` (the four
        linear-decoder pairings' means), ``n_at_pca_limit`` (of those four).
    """
    if "PCA" not in set(table["model"]):
        raise SynergyInputError("the table has no PCA rows: use metrics_table(results, pca=True).")
    means = table.groupby("model", sort=False)["r2_train"].mean()
    linear = means[[m for m in means.index if m.endswith("+linear")]]
    if linear.empty:
        raise SynergyInputError("the table has no pairing with a linear decoder.")
    pca = float(means["PCA"])
    return {
        "pca_r2_train": pca,
        "linear_decoder_r2_min": float(linear.min()),
        "linear_decoder_r2_max": float(linear.max()),
        "n_at_pca_limit": int((linear >= pca - tolerance).sum()),
    }
