r"""Tables, figures and named values of the non-linear mixing chapter (``notebooks/07_nonlinear.py``).

The chapter runs the study at several strengths :math:`s` of the generator's saturating
mixing with :mod:`synergylib.sweeps` (:func:`~synergylib.sweeps.run_sweep`,
:func:`~synergylib.sweeps.sweep_table`, :func:`~synergylib.sweeps.sweep_summary`,
:func:`~synergylib.sweeps.sweep_means`). This module adds what only this chapter shows:

* :func:`sweep_margins`: per level, the best model, the runner-up, the lead of the one
  over the other and its paired test;
* :func:`plot_metric_sweep`: a metric against the numeric sweep key, one line per model;
* :func:`strong_mixing_values`: the named values of the chapter's conclusion, for
  :func:`synergylib.book.glue_values`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .._validation import SynergyInputError
from ..comparison import METRICS, NMF_LABEL
from ..stats import pairwise_wilcoxon
from ..sweeps import _check_metrics, _higher_is_better, _keys

__all__ = ["plot_metric_sweep", "strong_mixing_values", "sweep_margins"]


def sweep_margins(
    table: pd.DataFrame,
    metric: str,
    *,
    key: str = "variant",
    candidates: Sequence[str] | None = None,
) -> pd.DataFrame:
    r"""Per configuration: the best model, the runner-up, the lead and its paired test.

    For each configuration the candidates are ranked by their mean across
    participants (oriented so that larger is better, as in
    :func:`~synergylib.sweeps.sweep_summary`).
    The lead of the best model :math:`a` over the runner-up :math:`b` is the mean of
    the paired differences over participants,

    .. math:: \Delta = \frac{1}{P} \sum_{i=1}^{P} (s_{ia} - s_{ib}),

    signed so that a positive lead means :math:`a` is better, and the two are
    compared with a two-sided Wilcoxon signed-rank test over the participants
    (:func:`synergylib.stats.pairwise_wilcoxon`, one test, so no correction). A
    small lead with a large p-value says the ranking could be reversed by another
    sample of participants.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`~synergylib.sweeps.sweep_table`.
    metric : str
        A column of the table.
    key : str
        Column naming the configuration.
    candidates : sequence of str, optional
        Models that compete (default: every model of the table, NMF included).

    Returns
    -------
    DataFrame
        Indexed by the keys, with columns ``best``, ``runner_up``, ``lead``,
        ``pvalue`` and ``participants`` (those with a value for both models).
    """
    (metric,) = _check_metrics(table, [metric])
    keys = _keys(table, key)
    if candidates is None:
        candidates = list(dict.fromkeys(table["model"]))
    candidates = list(candidates)
    if len(candidates) < 2:
        raise SynergyInputError(f"sweep_margins needs at least two candidate models, got {candidates}.")
    sign = 1.0 if _higher_is_better(metric) else -1.0
    rows = []
    for k in keys:
        sub = table[(table[key] == k) & table["model"].isin(candidates)]
        wide = sub.pivot(index="participant", columns="model", values=metric)
        ranked = (sign * wide.mean()).dropna().sort_values(ascending=False, kind="stable")
        if len(ranked) < 2:
            raise SynergyInputError(f"Configuration {k!r} has fewer than two of the candidate models.")
        best, runner_up = ranked.index[0], ranked.index[1]
        pair = wide[[best, runner_up]].dropna()
        test = pairwise_wilcoxon(pair.to_numpy(dtype=float), [best, runner_up], correction="none")[0]
        rows.append({
            key: k,
            "best": best,
            "runner_up": runner_up,
            "lead": float(sign * (pair[best] - pair[runner_up]).mean()),
            "pvalue": float(test["pvalue"]),
            "participants": len(pair),
        })
    return pd.DataFrame(rows).set_index(key)


def plot_metric_sweep(
    means: pd.DataFrame,
    metric: str,
    *,
    key: str = "variant",
    models: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    reference: str | None = NMF_LABEL,
    ax=None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
):
    """Mean of ``metric`` against a numeric sweep key, one line per model, ±1 SD band.

    Parameters
    ----------
    means : DataFrame
        Output of :func:`~synergylib.sweeps.sweep_means` whose ``key`` column is numeric.
    metric : str
    models : sequence of str, optional
        Lines to draw (default: every model in ``means``).
    labels : mapping, optional
        Legend label of a model (default: its name).
    reference : str or None
        Model drawn as a black dashed line (default NMF).
    ax : matplotlib Axes, optional

    Returns
    -------
    Axes
    """
    _check_metrics(means, [metric])
    models = list(dict.fromkeys(means["model"])) if models is None else list(models)
    labels = dict(labels or {})
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5), layout="constrained")
    colours = iter(plt.rcParams["axes.prop_cycle"].by_key()["color"] * 4)
    markers = iter("osD^v<>ph*" * 4)
    for model in models:
        sub = means[means["model"] == model]
        if sub.empty:
            raise SynergyInputError(f"model {model!r} is not in the means table.")
        x = sub[key].to_numpy(dtype=float)
        y = sub[metric].to_numpy(dtype=float)
        sd = sub[f"{metric}_sd"].to_numpy(dtype=float) if f"{metric}_sd" in sub else None
        if model == reference:
            style = {"color": "black", "linestyle": "--", "marker": "s"}
        else:
            style = {"color": next(colours), "marker": next(markers)}
        ax.plot(x, y, label=labels.get(model, model), linewidth=1.8, markersize=5, **style)
        if sd is not None and np.isfinite(sd).any():
            ax.fill_between(x, y - sd, y + sd, color=style["color"], alpha=0.12, linewidth=0)
    ax.set_xlabel(xlabel if xlabel is not None else key)
    ax.set_ylabel(ylabel if ylabel is not None else METRICS.get(metric, (metric,))[0])
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    return ax


def strong_mixing_values(summary: pd.DataFrame, s_max: float) -> dict[str, object]:
    """Named values of the chapter's conclusion, read from the sweep's summary.

    Parameters
    ----------
    summary : DataFrame
        :func:`synergylib.sweeps.sweep_summary` of the sweep with key ``nonlinearity``
        and ``true_mean_cosine`` among its metrics (NMF as the reference), one row per
        level in increasing order.
    s_max : float
        The strongest level.

    Returns
    -------
    dict
        At the strongest level: NMF's mean synergy cosine (``nmf_cos_strong``), the best
        autoencoder pairing's (``best_ae_cos_strong``) and its name (``best_ae_strong``);
        and the mean number of synergies the threshold picked at the first level
        (``mean_n_linear``) and at the strongest (``mean_n_strong``).
    """
    return {
        "nmf_cos_strong": summary.loc[s_max, f"{NMF_LABEL}_true_mean_cosine"],
        "best_ae_cos_strong": summary.loc[s_max, "true_mean_cosine"],
        "best_ae_strong": summary.loc[s_max, "best_true_mean_cosine"],
        "mean_n_linear": summary["mean_n_synergies"].iloc[0],
        "mean_n_strong": summary.loc[s_max, "mean_n_synergies"],
    }
