"""Tables, figures and named values of the robustness chapter (``notebooks/08_robustness.py``).

The chapter runs the study for a baseline configuration and variants that each change
one choice, with :mod:`synergylib.sweeps` (:func:`~synergylib.sweeps.vary`,
:func:`~synergylib.sweeps.run_sweep`, :func:`~synergylib.sweeps.rules_by_variant`,
:func:`~synergylib.sweeps.verdict_matrix`). This module adds what only this chapter
shows:

* :func:`describe_changes`: what each variant changes, read from the configurations,
  so that no table of the chapter is typed by hand;
* :func:`plot_variant_dots`: one row per variant, one dot per model at its mean;
* :func:`stability_values`: the named values of the robustness table (how many and
  which verdicts no variant changes), for
  :func:`synergylib.book.glue_values`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .._validation import SynergyInputError
from ..comparison import METRICS, NMF_LABEL
from ..study import StudyConfig
from ..datasets import generator_defaults
from ..sweeps import _check_metrics, _equal, _keys

__all__ = ["describe_changes", "plot_variant_dots", "stability_values"]


def _flat(d: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.update(_flat(v, key + "."))
        else:
            out[key] = v
    return out


def _config_items(config: StudyConfig) -> dict[str, Any]:
    """Every parameter of ``config`` as ``{dotted name: value}``; generator arguments
    appear as ``dataset.<name>`` with their defaults filled in."""
    items = {k: v for k, v in _flat(config.to_dict()).items() if k != "dataset"}
    dataset = generator_defaults(config.generator)
    dataset.update(dict(config.dataset))
    items.update({f"dataset.{k}": v for k, v in dataset.items()})
    return items


def describe_changes(base: StudyConfig, variants: Mapping[Hashable, StudyConfig]) -> pd.Series:
    """What each variant changes with respect to ``base``, read from the configurations.

    Returns
    -------
    Series
        Indexed by the variant keys; values such as ``"r2_threshold: 0.8 → 0.9"``
        (nested fields are dotted: ``autoencoder.n_restarts``, ``dataset.noise_level``)
        or ``"none"`` for a variant equal to ``base``. A variant with another
        generator shows ``generator: realistic → clean`` and only the generator
        arguments it sets itself, not the differences between the two generators'
        defaults.
    """
    base_items = _config_items(base)
    out = {}
    for key, cfg in variants.items():
        items = _config_items(cfg)
        names = sorted(base_items.keys() | items.keys())
        if cfg.generator != base.generator:  # another generator: its own defaults, not changes
            names = [n for n in names if not n.startswith("dataset.") or n[8:] in dict(cfg.dataset)]
        changes = [
            f"{name}: {_fmt(base_items.get(name))} → {_fmt(items.get(name))}"
            for name in names
            if not _equal(base_items.get(name), items.get(name))
        ]
        out[key] = "; ".join(changes) if changes else "none"
    return pd.Series(out, name="changes")


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)) and len(value) > 4:
        return f"{len(value)} items"
    return str(value)



def plot_variant_dots(
    means: pd.DataFrame,
    metric: str,
    *,
    key: str = "variant",
    highlight: Mapping[str, str] | None = None,
    best_by: Mapping[Hashable, str] | None = None,
    best_label: str = "best reconstruction",
    reference: str | None = NMF_LABEL,
    ax=None,
    xlabel: str | None = None,
    title: str | None = None,
):
    """One row per configuration, one dot per model at its mean ``metric``.

    Every autoencoder pairing is a small grey dot; the models in ``highlight``
    (``{model: colour}``) are drawn large in their colour, ``reference`` (NMF) as a
    black square, and ``best_by`` (``{key: model}``, for instance each
    configuration's best-reconstructing pairing) as an open circle, so that one
    glance shows where the claimed pairing and the best reconstructor rank in each
    configuration.

    Parameters
    ----------
    means : DataFrame
        Output of :func:`~synergylib.sweeps.sweep_means`.
    metric : str
    highlight : mapping {model: colour}, optional
    best_by : mapping {key: model}, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    Axes
    """
    _check_metrics(means, [metric])
    keys = _keys(means, key)
    highlight = dict(highlight or {})
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.45 * len(keys) + 1.2), layout="constrained")
    y_of = {k: i for i, k in enumerate(keys)}
    labelled: set[str] = set()

    def _label(name):
        if name in labelled:
            return None
        labelled.add(name)
        return name

    for k in keys:
        sub = means[means[key] == k].set_index("model")[metric]
        y = y_of[k]
        others = [m for m in sub.index if m != reference and m not in highlight]
        ax.scatter(sub[others], np.full(len(others), y), s=14, color="0.65", zorder=2,
                   label=_label("other pairings"))
        if reference is not None and reference in sub.index:
            ax.scatter([sub[reference]], [y], marker="s", s=40, color="black", zorder=3,
                       label=_label(reference))
        for model, colour in highlight.items():
            if model in sub.index:
                ax.scatter([sub[model]], [y], s=55, color=colour, zorder=4, label=_label(model))
        if best_by is not None and k in best_by and best_by[k] in sub.index:
            ax.scatter([sub[best_by[k]]], [y], s=140, facecolors="none", edgecolors="tab:blue",
                       linewidths=1.5, zorder=5, label=_label(best_label))
    ax.set_yticks(range(len(keys)), [str(k) for k in keys])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel if xlabel is not None else METRICS.get(metric, (metric,))[0])
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize="small")
    if title:
        ax.set_title(title)
    return ax


def stability_values(matrix: pd.DataFrame, *, baseline: Hashable = "baseline") -> dict[str, int | str]:
    """Named values of the robustness table: which verdicts no variant changes.

    Parameters
    ----------
    matrix : DataFrame
        :func:`synergylib.sweeps.verdict_matrix`: one row per variant, one column per
        claim.
    baseline : hashable
        The row of the baseline.

    Returns
    -------
    dict
        ``n_stable``: the claims whose verdict is the baseline's in every variant;
        ``n_claims``: the number of claims; ``stable_claims``: those claims in words
        ("claim 1 and claim 3", "none").

    Examples
    --------
    >>> m = pd.DataFrame({"claim 1": ["holds", "holds"], "claim 2": ["holds", "does not hold"]},
    ...                  index=["baseline", "seed 1"])
    >>> stability_values(m)
    {'n_stable': 1, 'n_claims': 2, 'stable_claims': 'claim 1'}
    """
    if baseline not in matrix.index:
        raise SynergyInputError(f"The verdict matrix has no row {baseline!r}; rows: {list(matrix.index)}.")
    stable = [str(c) for c in matrix.columns if (matrix[c] == matrix.loc[baseline, c]).all()]
    words = ", ".join(stable[:-1]) + " and " + stable[-1] if len(stable) > 1 else (stable or ["none"])[0]
    return {"n_stable": len(stable), "n_claims": matrix.shape[1], "stable_claims": words}
