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
  model by each metric, NMF's value for reference) or to means per configuration and
  model (:func:`sweep_means`);
* apply the claims' rules to every configuration
  (:func:`rules_by_variant`, :func:`verdict_matrix`).

The figures and tables that only one chapter shows live in that chapter's module:
:mod:`synergylib.chapters.nonlinear` (the lead of the best model over the runner-up,
the metric against a numeric sweep key) and :mod:`synergylib.chapters.robustness`
(what each variant changes, one row of dots per variant).

"Best" always means the largest mean across participants after orienting the metric
so that larger is better (the ``higher is better`` flag of
:data:`synergylib.comparison.METRICS`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._validation import SynergyInputError
from .comparison import (
    METRICS,
    NMF_LABEL,
    metrics_table,
)
from .datasets import generator_defaults
from .study import StudyConfig, run_study

__all__ = [
    "rules_by_variant",
    "run_sweep",
    "sweep_means",
    "sweep_summary",
    "sweep_table",
    "vary",
    "verdict_matrix",
    "with_dataset",
]

def with_dataset(config: StudyConfig, *, generator: str | None = None, **changes: Any) -> StudyConfig:
    """``config`` with generator arguments changed (merged into ``config.dataset``).

    Entries equal to the generator's own default are dropped, so that, for instance,
    ``with_dataset(cfg, nonlinearity=0.0)`` *equals* ``cfg`` when ``cfg`` does not set
    the non-linearity: the two configurations mean the same data, have the same cache
    key, and the second run is loaded from the cache.

    Parameters
    ----------
    config : StudyConfig
    generator : str, optional
        Another generator (:data:`synergylib.datasets.GENERATORS`); the entries of
        ``config.dataset`` it does not have are dropped, the others kept (such as
        the quick profile's ``n_repetitions``).
    **changes
        Keyword arguments of the generator (see
        :func:`synergylib.datasets.generator_defaults`).

    Raises
    ------
    SynergyInputError
        If a name is not an argument of the generator.
    """
    if generator is not None:
        kept = {k: v for k, v in config.dataset if k in generator_defaults(generator)}
        config = dataclasses.replace(config, generator=generator, dataset=tuple(sorted(kept.items())))
    defaults = generator_defaults(config.generator)
    unknown = sorted(set(changes) - set(defaults))
    if unknown:
        raise SynergyInputError(
            f"Unknown argument(s) {unknown} of the {config.generator!r} generator; "
            f"accepted: {sorted(defaults)}."
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


def rules_by_variant(
    results: Mapping[Hashable, Sequence],
    table: pd.DataFrame,
    *,
    key: str = "variant",
    interpretability: str = "true_mean_cosine",
    reconstruction: str = "r2_test",
    **rule_options: Any,
) -> pd.DataFrame:
    """The three claims' rules (:func:`synergylib.claims.evaluate_rules`) for every configuration.

    Parameters
    ----------
    results : mapping {key: list of ParticipantResult}
        Output of :func:`run_sweep`.
    table : DataFrame
        :func:`sweep_table` of the same results (same ``key`` column).
    interpretability, reconstruction
        The columns the rules use (see :func:`~synergylib.claims.evaluate_rules`).
    **rule_options
        Passed to :func:`~synergylib.claims.evaluate_rules` (``n_bootstrap``,
        ``n_permutations``, ``alpha``, ``claims``, ...).

    Returns
    -------
    DataFrame
        Long format: ``key``, ``claim``, ``statement``, ``rule``, ``evidence``,
        ``verdict``, ``statistic``, ``pvalue``; one row per configuration and claim.
    """
    from .claims import evaluate_rules

    if not isinstance(results, Mapping) or len(results) == 0:
        raise SynergyInputError("rules_by_variant needs a non-empty mapping {key: results}.")
    missing = [k for k in results if k not in set(table[key])] if key in table.columns else list(results)
    if missing:
        raise SynergyInputError(f"the table has no rows for {missing} (column {key!r}).")
    frames = []
    for k, res in results.items():
        sub = table[table[key] == k].drop(columns=[key])
        rules = evaluate_rules(res, sub, interpretability=interpretability, reconstruction=reconstruction,
                               **rule_options)
        rules = rules[["claim", "statement", "rule", "evidence", "verdict", "statistic", "pvalue"]]
        rules.insert(0, key, [k] * len(rules))
        frames.append(rules)
    return pd.concat(frames, ignore_index=True)


def verdict_matrix(claims: pd.DataFrame, *, key: str = "variant") -> pd.DataFrame:
    """Configurations x claims, each cell the verdict (a wide view of :func:`rules_by_variant`).

    Columns are named ``"claim 1"``, ``"claim 2"``, ...; rows keep the order of the
    configurations.
    """
    keys = _keys(claims, key)
    wide = claims.pivot(index=key, columns="claim", values="verdict").reindex(keys)
    wide.columns = [f"claim {c}" for c in wide.columns]
    wide.columns.name = None
    return wide
