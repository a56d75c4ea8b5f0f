"""Run the study for several configurations and compare what each one concludes.

A *sweep* is a mapping from a key (a variant's name, or the value of the parameter
being varied) to a :class:`~synergylib.study.StudyConfig`. The functions here

* build variants of a configuration (:func:`vary`, :func:`with_dataset`) so that
  configurations that mean the same thing are equal, and so share their cache;
* run every configuration through :func:`synergylib.study.run_study` (cached per
  participant, so a rerun loads instead of recomputing) and stack the per-participant
  metrics of :func:`synergylib.comparison.metrics_table` into one tidy table with a
  column for the key (:func:`run_sweep`, :func:`sweep_table`);
* reduce that table to one row per configuration (:func:`sweep_summary`: the best
  model by each metric, NMF's value for reference; :func:`sweep_margins`: how far the
  best model is ahead of the runner-up, and whether that lead is more than chance) or
  to means per configuration and model (:func:`sweep_means`);
* evaluate the paper's claims for every configuration
  (:func:`claims_by_variant`, :func:`verdict_matrix`);
* describe, from the configurations themselves, what each variant changes
  (:func:`describe_changes`), so that no table of the book is typed by hand.

"Best" always means the largest mean across participants after orienting the metric
so that larger is better (the ``higher is better`` flag of
:data:`synergylib.comparison.METRICS`).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._validation import SynergyInputError
from .comparison import (
    METRICS,
    NMF_LABEL,
    ClaimCriteria,
    evaluate_claims,
    metrics_table,
)
from .datasets import make_reaching_participant
from .stats import pairwise_wilcoxon
from .study import StudyConfig, run_study

__all__ = [
    "claims_by_variant",
    "describe_changes",
    "plot_metric_sweep",
    "plot_variant_dots",
    "run_sweep",
    "sweep_margins",
    "sweep_means",
    "sweep_summary",
    "sweep_table",
    "vary",
    "verdict_matrix",
    "with_dataset",
]

#: Verdicts of :func:`synergylib.comparison.evaluate_claims`, from strongest to weakest.
VERDICTS = ("holds", "partly", "does not hold")


def _generator_defaults() -> dict[str, Any]:
    sig = inspect.signature(make_reaching_participant)
    return {
        name: p.default
        for name, p in sig.parameters.items()
        # the seed is StudyConfig.data_seed, not a dataset entry
        if p.default is not inspect.Parameter.empty and name != "random_state"
    }


def with_dataset(config: StudyConfig, **changes: Any) -> StudyConfig:
    """``config`` with generator arguments changed (merged into ``config.dataset``).

    Entries equal to the generator's own default are dropped, so that, for instance,
    ``with_dataset(cfg, nonlinearity=0.0)`` *equals* ``cfg`` when ``cfg`` does not set
    the non-linearity: the two configurations mean the same data, have the same cache
    key, and the second run is loaded from the cache.

    Parameters
    ----------
    config : StudyConfig
    **changes
        Keyword arguments of :func:`synergylib.datasets.make_reaching_participant`.

    Raises
    ------
    SynergyInputError
        If a name is not an argument of the generator.
    """
    defaults = _generator_defaults()
    unknown = sorted(set(changes) - set(defaults))
    if unknown:
        raise SynergyInputError(
            f"Unknown generator argument(s) {unknown}; accepted: {sorted(defaults)}."
        )
    merged = dict(config.dataset)
    merged.update(changes)
    kept = {k: v for k, v in merged.items() if not (k in defaults and _equal(v, defaults[k]))}
    return dataclasses.replace(config, dataset=tuple(sorted(kept.items())))


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(np.all(np.asarray(a) == np.asarray(b))) and np.shape(a) == np.shape(b)
    except (TypeError, ValueError):  # pragma: no cover - exotic values
        return a == b


def _replace_part(part, changes, name: str):
    if changes is None:
        return part
    if isinstance(changes, Mapping):
        try:
            return dataclasses.replace(part, **changes)
        except TypeError as err:
            raise SynergyInputError(f"Invalid {name} change {dict(changes)}: {err}") from None
    if type(changes) is not type(part):
        raise SynergyInputError(
            f"{name} must be a mapping of changes or a {type(part).__name__}, got {type(changes).__name__}."
        )
    return changes


def vary(
    config: StudyConfig,
    *,
    dataset: Mapping[str, Any] | None = None,
    preprocessing=None,
    autoencoder=None,
    **fields: Any,
) -> StudyConfig:
    """A variant of ``config``: change top-level fields and parts of the nested ones.

    Parameters
    ----------
    config : StudyConfig
        The configuration the variant departs from.
    dataset : mapping, optional
        Generator arguments, merged with :func:`with_dataset` (defaults dropped).
    preprocessing, autoencoder : mapping or config, optional
        Either a mapping of field changes applied to ``config.preprocessing`` /
        ``config.autoencoder`` (``autoencoder={"n_restarts": 3}``) or a whole
        replacement configuration.
    **fields
        Top-level fields of :class:`~synergylib.study.StudyConfig`
        (``r2_threshold=0.9``, ``data_seed=1``, ...).

    Examples
    --------
    >>> from synergylib.study import StudyConfig
    >>> cfg = vary(StudyConfig(), n_participants=6, autoencoder={"n_restarts": 3})
    >>> cfg.n_participants, cfg.autoencoder.n_restarts
    (6, 3)
    >>> vary(cfg, dataset={"nonlinearity": 0.0}) == cfg
    True
    """
    try:
        out = dataclasses.replace(config, **fields)
    except TypeError as err:
        raise SynergyInputError(f"Invalid StudyConfig change {fields}: {err}") from None
    out = dataclasses.replace(
        out,
        preprocessing=_replace_part(out.preprocessing, preprocessing, "preprocessing"),
        autoencoder=_replace_part(out.autoencoder, autoencoder, "autoencoder"),
    )
    if dataset:
        out = with_dataset(out, **dict(dataset))
    return out


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
    dataset = _generator_defaults()
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
        or ``"none"`` for a variant equal to ``base``.
    """
    base_items = _config_items(base)
    out = {}
    for key, cfg in variants.items():
        items = _config_items(cfg)
        changes = [
            f"{name}: {_fmt(base_items.get(name))} → {_fmt(items.get(name))}"
            for name in sorted(base_items.keys() | items.keys())
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


def _check_sweep(configs: Mapping[Hashable, StudyConfig]) -> None:
    if not isinstance(configs, Mapping) or len(configs) == 0:
        raise SynergyInputError("A sweep needs a non-empty mapping {key: StudyConfig}.")
    bad = [k for k, c in configs.items() if not isinstance(c, StudyConfig)]
    if bad:
        raise SynergyInputError(f"Sweep entries {bad} are not StudyConfig objects.")


def run_sweep(
    configs: Mapping[Hashable, StudyConfig],
    *,
    cache_dir=None,
    n_jobs: int = 1,
    progress: bool = True,
) -> dict[Hashable, list]:
    """Run (or load from the cache) :func:`~synergylib.study.run_study` for every configuration.

    Configurations that are equal are run once (the cache would make the second run
    free anyway; without a cache this avoids computing it twice).

    Parameters
    ----------
    configs : mapping {key: StudyConfig}
        Keys name the variants (strings) or give the value of the varied parameter.
    cache_dir, n_jobs, progress
        Passed to :func:`~synergylib.study.run_study`.

    Returns
    -------
    dict {key: list of ParticipantResult}
        In the order of ``configs``.
    """
    _check_sweep(configs)
    done: dict[StudyConfig, list] = {}
    out = {}
    for key, cfg in configs.items():
        if cfg not in done:
            done[cfg] = run_study(cfg, cache_dir=cache_dir, n_jobs=n_jobs, progress=progress)
        out[key] = done[cfg]
    return out


def sweep_table(results: Mapping[Hashable, Sequence], *, key: str = "variant", **kwargs) -> pd.DataFrame:
    """Stack :func:`~synergylib.comparison.metrics_table` of every configuration.

    Parameters
    ----------
    results : mapping {key: list of ParticipantResult}
        Output of :func:`run_sweep`.
    key : str
        Name of the column that holds the configuration's key (first column).
    **kwargs
        Passed to :func:`~synergylib.comparison.metrics_table`.
    """
    if not isinstance(results, Mapping) or len(results) == 0:
        raise SynergyInputError("sweep_table needs a non-empty mapping {key: results}.")
    frames = []
    for k, res in results.items():
        t = metrics_table(res, **kwargs)
        t.insert(0, key, [k] * len(t))
        frames.append(t)
    return pd.concat(frames, ignore_index=True)


def _keys(table: pd.DataFrame, key: str) -> list:
    if key not in table.columns:
        raise SynergyInputError(f"The table has no column {key!r}; columns: {list(table.columns)}.")
    return list(dict.fromkeys(table[key]))


def _check_metrics(table: pd.DataFrame, metrics: Sequence[str]) -> list[str]:
    metrics = list(metrics)
    missing = [m for m in metrics if m not in table.columns]
    if missing:
        raise SynergyInputError(f"Unknown metric(s) {missing}; the table has {list(table.columns)}.")
    return metrics


def sweep_means(
    table: pd.DataFrame,
    metrics: Sequence[str],
    *,
    key: str = "variant",
    models: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Mean, standard deviation and count across participants per configuration and model.

    Returns
    -------
    DataFrame
        Columns ``key``, ``model``, then ``<metric>``, ``<metric>_sd`` and ``n``
        (participants); rows in the order of the keys, then of the models.
    """
    metrics = _check_metrics(table, metrics)
    keys = _keys(table, key)
    order = list(dict.fromkeys(table["model"])) if models is None else list(models)
    unknown = [m for m in order if m not in set(table["model"])]
    if unknown:
        raise SynergyInputError(f"models not in the table: {unknown}.")
    sub = table[table["model"].isin(order)]
    g = sub.groupby([key, "model"], sort=False)[metrics]
    mean = g.mean()
    sd = g.std(ddof=1).add_suffix("_sd")
    n = g.size().rename("n")
    out = pd.concat([mean, sd, n], axis=1).reset_index()
    out["_k"] = out[key].map({k: i for i, k in enumerate(keys)})
    out["_m"] = out["model"].map({m: i for i, m in enumerate(order)})
    out = out.sort_values(["_k", "_m"]).drop(columns=["_k", "_m"]).reset_index(drop=True)
    return out[[key, "model"] + [c for m in metrics for c in (m, f"{m}_sd")] + ["n"]]


def _higher_is_better(metric: str) -> bool:
    return METRICS.get(metric, (metric, True))[1]


def sweep_summary(
    table: pd.DataFrame,
    metrics: Sequence[str] = ("r2_test", "true_mean_cosine"),
    *,
    key: str = "variant",
    candidates: Sequence[str] | None = None,
    reference: str | None = NMF_LABEL,
) -> pd.DataFrame:
    """One row per configuration: the best model by each metric and its mean.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`sweep_table`.
    metrics : sequence of str
        Columns of the table; "best" follows each metric's direction in
        :data:`~synergylib.comparison.METRICS` (higher is better if not listed).
    key : str
        Column naming the configuration.
    candidates : sequence of str, optional
        Models that compete (default: every autoencoder pairing, NMF excluded).
    reference : str or None
        A model whose mean is reported beside the winner (default NMF).

    Returns
    -------
    DataFrame
        Indexed by the keys, with columns ``participants``, ``mean_n_synergies``
        (when the table has ``n_synergies``), and for each metric
        ``best_<metric>`` (the model), ``<metric>`` (its mean) and, with a
        reference, ``<reference>_<metric>``.
    """
    metrics = _check_metrics(table, metrics)
    keys = _keys(table, key)
    if candidates is None:
        candidates = [m for m in dict.fromkeys(table["model"]) if m != NMF_LABEL]
    candidates = list(candidates)
    if not candidates:
        raise SynergyInputError("sweep_summary needs at least one candidate model.")
    rows = []
    for k in keys:
        sub = table[table[key] == k]
        row: dict[str, Any] = {key: k, "participants": int(sub["participant"].nunique())}
        if "n_synergies" in sub.columns:
            row["mean_n_synergies"] = float(sub.groupby("participant")["n_synergies"].first().mean())
        means = sub.groupby("model")
        for metric in metrics:
            m = means[metric].mean()
            cand = m.reindex(candidates).dropna()
            if cand.empty:
                row[f"best_{metric}"], row[metric] = None, np.nan
            else:
                best = cand.idxmax() if _higher_is_better(metric) else cand.idxmin()
                row[f"best_{metric}"], row[metric] = best, float(cand[best])
            if reference is not None:
                row[f"{reference}_{metric}"] = float(m.get(reference, np.nan))
        rows.append(row)
    return pd.DataFrame(rows).set_index(key)


def sweep_margins(
    table: pd.DataFrame,
    metric: str,
    *,
    key: str = "variant",
    candidates: Sequence[str] | None = None,
) -> pd.DataFrame:
    r"""Per configuration: the best model, the runner-up, the lead and its paired test.

    For each configuration the candidates are ranked by their mean across
    participants (oriented so that larger is better, as in :func:`sweep_summary`).
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
        Output of :func:`sweep_table`.
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


def claims_by_variant(
    table: pd.DataFrame,
    criteria: ClaimCriteria | None = None,
    *,
    key: str = "variant",
) -> pd.DataFrame:
    """:func:`~synergylib.comparison.evaluate_claims` for every configuration of a sweep.

    Returns
    -------
    DataFrame
        Long format: ``key``, ``claim``, ``statement``, ``rule``, ``evidence``,
        ``verdict``; one row per configuration and claim.
    """
    criteria = ClaimCriteria() if criteria is None else criteria
    frames = []
    for k in _keys(table, key):
        claims = evaluate_claims(table[table[key] == k].drop(columns=[key]), criteria)
        claims.insert(0, key, [k] * len(claims))
        frames.append(claims)
    return pd.concat(frames, ignore_index=True)


def verdict_matrix(claims: pd.DataFrame, *, key: str = "variant") -> pd.DataFrame:
    """Configurations x claims, each cell the verdict (a wide view of :func:`claims_by_variant`).

    Columns are named ``"claim 1"``, ``"claim 2"``, ...; rows keep the order of the
    configurations.
    """
    keys = _keys(claims, key)
    wide = claims.pivot(index=key, columns="claim", values="verdict").reindex(keys)
    wide.columns = [f"claim {c}" for c in wide.columns]
    wide.columns.name = None
    return wide


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
        Output of :func:`sweep_means` whose ``key`` column is numeric.
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
    import matplotlib.pyplot as plt

    if metric not in means.columns:
        raise SynergyInputError(f"{metric!r} is not a column of the means table.")
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
        Output of :func:`sweep_means`.
    metric : str
    highlight : mapping {model: colour}, optional
    best_by : mapping {key: model}, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    Axes
    """
    import matplotlib.pyplot as plt

    if metric not in means.columns:
        raise SynergyInputError(f"{metric!r} is not a column of the means table.")
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
