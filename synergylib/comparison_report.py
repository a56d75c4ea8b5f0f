"""Tables, grids and sentences for the book's comparisons (chapters 5 and 6).

Two chapters use this module (5, comparison; 6, walking), so it is a method module,
not a chapter module (see :mod:`synergylib.chapters`). :mod:`synergylib.comparison`
computes the metrics, the statistics and the verdicts on the paper's claims. This module turns them into what a reader sees: "mean ± sd"
tables, encoder x decoder grids for heat maps, Friedman and Wilcoxon-Holm tables
with the significant results marked, the points of the trade-off figure, the
verdicts under alternative definitions of "physiological", and Markdown sentences
generated from the verdicts, so that no verdict in the book's prose is typed by hand.

Every function takes the tidy table of :func:`synergylib.comparison.metrics_table`
(one row per participant and model) or a list of
:class:`synergylib.study.ParticipantResult`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ._validation import ACTIVATIONS, SynergyInputError
from .claims import evaluate_rules
from .comparison import (
    METRICS,
    NMF_LABEL,
    PCA_LABEL,
    chance_flags,
    is_pairing,
    metrics_table,
    model_statistics,
    pairing_similarity,
)
from .metrics import r2_per_muscle
from .plotting import pairing_line_style, plot_pairing_matrices, plot_pairing_matrix, plot_tradeoff
from .similarity import SIMILARITY_COLUMNS
from .stats import MIN_SUBJECTS, friedman_test

__all__ = [
    "FAMILIES",
    "METRIC_QUANTITIES",
    "N_LABELS",
    "SIMILARITY_READINGS",
    "VERDICT_AGREEMENT",
    "chance_markdown",
    "claims_markdown",
    "error_rates_table",
    "format_mean_sd",
    "friedman_table",
    "mean_pairing_similarity",
    "mean_sd_table",
    "metric_choices",
    "metric_label",
    "pairing_grid",
    "pairwise_markdown",
    "pairwise_table",
    "per_muscle_r2_table",
    "plot_against_n",
    "plot_headline",
    "plot_metric_grids",
    "plot_model_tradeoff",
    "plot_per_muscle_r2",
    "plot_restart_scores",
    "ranking_note",
    "rules_by_reading",
    "plot_similarity_matrix",
    "similarity_summary",
    "style_friedman",
    "style_pairwise",
    "style_verdicts",
    "study_values",
    "tradeoff_points",
    "tradeoff_values",
    "two_n_table",
]

#: How the book names the two N of every analysis (protocol section 5).
N_LABELS: dict[str, str] = {"rule": "the rule's N", "true": "the true N"}

#: The metrics of :func:`~synergylib.comparison.metrics_table`, grouped as in protocol section 6.
FAMILIES: dict[str, tuple[str, ...]] = {
    "reconstruction": ("r2_train", "r2_test", "vaf_train"),
    "similarity to the participant's NMF": (
        "ref_mean_cosine",
        "ref_share_above",
        "ref_mean_activation_correlation",
    ),
    "sign and sparseness": (
        "negative_weight_share",
        "negative_mass_share",
        "mean_sparseness",
        "mean_active_muscles",
    ),
    "ground truth and consistency": (
        "true_mean_cosine",
        "true_share_above",
        "true_mean_activation_correlation",
        "consistency",
    ),
}

#: The quantity each metric measures: in one figure of :func:`plot_metric_grids`,
#: the panels of metrics of the same quantity share one colour scale and one colour
#: bar. A metric not listed is a quantity of its own.
METRIC_QUANTITIES: dict[str, str] = {
    "r2_train": "R²",
    "r2_test": "R²",
    "true_mean_cosine": "mean matched cosine",
    "ref_mean_cosine": "mean matched cosine",
    "consistency": "mean matched cosine",
    "true_mean_abs_cosine": "mean matched |cosine|",
    "ref_mean_abs_cosine": "mean matched |cosine|",
    "true_subspace": "subspace similarity",
    "ref_subspace": "subspace similarity",
    "true_share_above": "share of matched pairs above the threshold",
    "ref_share_above": "share of matched pairs above the threshold",
    "true_mean_activation_correlation": "activation correlation",
    "ref_mean_activation_correlation": "activation correlation",
}

#: The readings of "physiologically meaningful" of :func:`rules_by_reading`: the three
#: similarities to the truth and the same three to the participant's NMF synergies.
SIMILARITY_READINGS: tuple[str, ...] = ("true_mean_cosine", "true_mean_abs_cosine", "true_subspace",
                                        "ref_mean_cosine", "ref_mean_abs_cosine", "ref_subspace")

#: What a verdict of :func:`~synergylib.claims.evaluate_rules` means for the replication.
VERDICT_AGREEMENT: dict[str, str] = {
    "holds": "agrees",
    "partly": "agrees only in part",
    "does not hold": "disagrees",
    "n/a": "cannot say",
}

_CELL_PADDING = [{"selector": "td, th", "props": "padding: 0.1em 0.6em;"}]

_VERDICT_COLOURS = {  # light backgrounds, readable with black text
    "holds": "#c7e9c0",
    "partly": "#fee6ce",
    "does not hold": "#fcbba1",
    "n/a": "#e0e0e0",
}


def metric_label(metric: str) -> str:
    """Readable label of a metric (its column name if it has none)."""
    return METRICS.get(metric, (metric,))[0]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _higher_is_better(metric: str) -> bool:
    return METRICS.get(metric, (metric, True))[1]


def _check_table(table: pd.DataFrame, metrics: Sequence[str] = ()) -> None:
    if not isinstance(table, pd.DataFrame):
        raise SynergyInputError(f"table must be a pandas DataFrame, got {type(table).__name__}.")
    needed = ["participant", "model", *metrics]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise SynergyInputError(f"the table lacks the column(s) {missing}; it has {list(table.columns)}.")


def _model_order(table: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(table["model"]))


def _pairings(table: pd.DataFrame) -> list[str]:
    return [m for m in _model_order(table) if is_pairing(m)]


# --------------------------------------------------------------------------- #
# Summaries
# --------------------------------------------------------------------------- #
_METRIC_PARAMETER_DESCRIPTIONS = {
    "similarity_threshold": "a matched pair counts as similar at cosine >= this (the share-above metrics)",
    "active_threshold": "tau of the active-muscle rule (None: 0.3 with rule 'max', 1/sqrt(M) with 'unit')",
    "active_rule": "a muscle is active if |w_m| >= tau max_k |w_k| ('max') or >= tau ||w|| ('unit')",
}


def metric_choices() -> pd.DataFrame:
    """The keyword defaults of :func:`~synergylib.comparison.metrics_table`, described.

    Values are read from the function's signature, so the table follows the code.

    Returns
    -------
    DataFrame
        Columns ``parameter``, ``value``, ``description``.
    """
    import inspect

    rows = []
    for name, p in inspect.signature(metrics_table).parameters.items():
        if p.default is inspect.Parameter.empty or name == "pca":  # pca: which models, not a metric
            continue
        rows.append(
            {
                "parameter": name,
                "value": str(p.default),
                "description": _METRIC_PARAMETER_DESCRIPTIONS.get(name, ""),
            }
        )
    return pd.DataFrame(rows)


def format_mean_sd(
    table: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    by: str = "model",
    digits: int = 3,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Format "mean ± sd" across participants of some columns, one row per ``by`` value.

    Parameters
    ----------
    table : DataFrame
        A tidy table (for instance :func:`synergylib.chapters.autoencoders.reconstruction_table`).
    columns : mapping
        ``{column: label}``: which columns, and their headers in the result.
    by : str
        The grouping column (rows of the result, in order of first appearance).
    digits : int
        Decimals of the mean and the sd.
    order : sequence of str, optional
        Row order (default: order of first appearance in ``table``).

    Returns
    -------
    DataFrame of str
        ``"0.912 ± 0.013"``; the sd is left out with a single participant and
        "n/a" is written where every value is NaN.
    """
    missing = [c for c in [by, *columns] if c not in table.columns]
    if missing:
        raise SynergyInputError(f"Columns {missing} are not in the table ({list(table.columns)}).")
    rows = list(order) if order is not None else list(dict.fromkeys(table[by]))
    groups = table.groupby(by, sort=False)
    out = {}
    for column, label in columns.items():
        mean = groups[column].mean()
        sd = groups[column].std(ddof=1)
        count = groups[column].count()
        cells = []
        for key in rows:
            if key not in mean.index or count[key] == 0:
                cells.append("n/a")
            elif count[key] == 1:
                cells.append(f"{mean[key]:.{digits}f}")
            else:
                cells.append(f"{mean[key]:.{digits}f} ± {sd[key]:.{digits}f}")
        out[label] = cells
    result = pd.DataFrame(out, index=pd.Index(rows, name=by))
    return result


def mean_sd_table(
    table: pd.DataFrame,
    metrics: Sequence[str] | None = None,
    *,
    digits: int = 3,
    labels: bool = True,
) -> pd.DataFrame:
    """One row per model, one ``"mean ± sd"`` string per metric (across participants).

    Models keep their order in ``table`` (NMF first, then the pairings). The standard
    deviation uses :math:`n - 1`; it is blank with one participant.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`~synergylib.comparison.metrics_table`.
    metrics : sequence of str, optional
        Columns to summarise (default: every metric of :data:`~synergylib.comparison.METRICS`
        present in the table).
    digits : int
        Decimals of both numbers.
    labels : bool
        Use readable labels (:func:`metric_label`) as column names.
    """
    metrics = [m for m in (metrics or METRICS) if m in table.columns]
    _check_table(table, metrics)
    if not metrics:
        raise SynergyInputError("none of the requested metrics is in the table.")
    columns = {m: (metric_label(m) if labels else m) for m in metrics}
    return format_mean_sd(table, columns, by="model", digits=digits, order=_model_order(table))


def pairing_grid(
    table: pd.DataFrame,
    metric: str,
    *,
    statistic: str = "mean",
    encoders: Sequence[str] = ACTIVATIONS,
    decoders: Sequence[str] = ACTIVATIONS,
) -> pd.DataFrame:
    """A metric of every pairing as an encoder (rows) x decoder (columns) grid.

    The value of a cell is the ``statistic`` (``"mean"``, ``"median"`` or ``"std"``)
    across participants of pairing ``encoder+decoder``; pairings absent from the
    table are NaN. Feed ``grid.to_numpy()`` to
    :func:`synergylib.plotting.plot_pairing_matrix`.
    """
    _check_table(table, [metric])
    if statistic not in ("mean", "median", "std"):
        raise SynergyInputError(f"statistic must be 'mean', 'median' or 'std', got {statistic!r}.")
    values = getattr(table.groupby("model")[metric], statistic)()
    grid = pd.DataFrame(
        [[values.get(f"{e}+{d}", np.nan) for d in decoders] for e in encoders],
        index=pd.Index(list(encoders), name="encoder"),
        columns=pd.Index(list(decoders), name="decoder"),
        dtype=float,
    )
    if grid.isna().all().all():
        raise SynergyInputError(f"no encoder+decoder pairing of the table has a value of {metric!r}.")
    return grid


def per_muscle_r2_table(results: Sequence) -> pd.DataFrame:
    r"""Centred :math:`R^2` of every muscle, model and participant (training repetitions).

    For muscle :math:`m`,

    .. math::

        R^2_m = 1 - \frac{\sum_t (x_{mt} - \hat x_{mt})^2}{\sum_t (x_{mt} - \bar x_m)^2}.

    NMF's reconstruction is :math:`W H` of the stored synergies and activations; the
    autoencoders' values are the ones stored by the study (``ae_r2_muscle_train``).

    Returns
    -------
    DataFrame
        Long format: ``participant``, ``model``, ``muscle``, ``r2_train``.
    """
    if len(results) == 0:
        raise SynergyInputError("per_muscle_r2_table needs at least one participant's result.")
    rows = []
    for res in results:
        X = np.asarray(res.train, dtype=float)
        X_hat = np.asarray(res.nmf_synergies) @ np.asarray(res.nmf_activations_train)
        per_model = [(NMF_LABEL, r2_per_muscle(X.T, X_hat.T))]
        per_model += [(name, np.asarray(res.ae_r2_muscle_train)[i]) for i, name in enumerate(res.pairings)]
        for model, r2 in per_model:
            for muscle, value in zip(res.muscles, r2):
                rows.append(
                    {
                        "participant": int(res.index),
                        "model": model,
                        "muscle": muscle,
                        "r2_train": float(value),
                    }
                )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- #
# How different are the pairings' synergies? (claim 1)
# --------------------------------------------------------------------------- #
def mean_pairing_similarity(results: Sequence) -> pd.DataFrame:
    """:func:`~synergylib.comparison.pairing_similarity` averaged over participants.

    Entry :math:`(a, b)` is the mean over participants of the mean matched cosine
    between the synergies of models :math:`a` and :math:`b` (NMF and the pairings).
    """
    if len(results) == 0:
        raise SynergyInputError("mean_pairing_similarity needs at least one participant's result.")
    mats = [pairing_similarity(r) for r in results]
    names = list(mats[0].index)
    if any(list(m.index) != names for m in mats):
        raise SynergyInputError("every participant must have the same models, in the same order.")
    return pd.DataFrame(np.mean([m.to_numpy() for m in mats], axis=0), index=names, columns=names)


def similarity_summary(similarity: pd.DataFrame, *, threshold: float = 0.8) -> dict:
    """Numbers that summarise a model x model similarity table among the pairings.

    NMF is left out; only distinct pairs of pairings count (the upper triangle).

    Returns
    -------
    dict
        ``mean``, ``median``, ``min``, ``max`` of the off-diagonal similarities,
        ``share_below`` (share of pairs whose mean matched cosine is below ``threshold``),
        ``most_similar`` and ``least_similar`` (pairs ``"a / b"``), ``n_pairs``.
    """
    names = [n for n in similarity.index if is_pairing(n)]
    if len(names) < 2:
        raise SynergyInputError("need at least two pairings to compare.")
    S = similarity.loc[names, names].to_numpy(dtype=float)
    iu = np.triu_indices(len(names), k=1)
    values = S[iu]
    i_max, i_min = int(np.argmax(values)), int(np.argmin(values))
    return {
        "mean": float(values.mean()),
        "median": float(np.median(values)),
        "min": float(values.min()),
        "max": float(values.max()),
        "share_below": float(np.mean(values < threshold)),
        "most_similar": f"{names[iu[0][i_max]]} / {names[iu[1][i_max]]}",
        "least_similar": f"{names[iu[0][i_min]]} / {names[iu[1][i_min]]}",
        "n_pairs": int(values.size),
    }


# --------------------------------------------------------------------------- #
# Statistics
# --------------------------------------------------------------------------- #
def _complete_participants(table: pd.DataFrame, metric: str, models: Sequence[str]) -> pd.DataFrame:
    """Rows of the participants that have a finite value of ``metric`` for every model."""
    sub = table[table["model"].isin(models)]
    wide = sub.pivot(index="participant", columns="model", values=metric)
    keep = wide.index[np.isfinite(wide.reindex(columns=list(models)).to_numpy(dtype=float)).all(axis=1)]
    return sub[sub["participant"].isin(keep)]


def _best_worst(sub: pd.DataFrame, metric: str, models: Sequence[str]) -> tuple[str, str]:
    means = sub.groupby("model")[metric].mean().reindex(models)
    if not _higher_is_better(metric):
        means = -means
    return str(means.idxmax()), str(means.idxmin())


def friedman_table(
    table: pd.DataFrame,
    metrics: Sequence[str],
    *,
    models: Sequence[str] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    r"""Friedman test across models, one row per metric.

    For the ``ref_*`` metrics (similarity to the participant's own NMF) NMF is left
    out: it is its own reference, so its value is 1 by definition. Participants with
    a missing value (``NaN``) for one of the models are left out of that metric's
    test; the ``participants`` column says how many remain.

    Returns
    -------
    DataFrame
        Index: metric label. Columns ``k`` (models compared), ``n`` (participants),
        ``χ²``, ``p``, ``W`` (Kendall's W), ``best`` and ``worst`` (by mean, "better"
        in the metric's own direction) and ``significant`` (:math:`p < \alpha`).
    """
    _check_table(table, metrics)
    base = list(models or _model_order(table))
    rows = []
    for metric in metrics:
        use = [m for m in base if not (metric.startswith("ref_") and m == NMF_LABEL)]
        sub = _complete_participants(table, metric, use)
        n = sub["participant"].nunique()
        row = {
            "metric": metric_label(metric),
            "k": len(use),
            "n": n,
            "χ²": np.nan,
            "p": np.nan,
            "W": np.nan,
            "best": "",
            "worst": "",
            "significant": False,
        }
        if n >= MIN_SUBJECTS and len(use) >= 3:
            wide = sub.pivot(index="participant", columns="model", values=metric)[use]
            fr = friedman_test(wide.to_numpy(dtype=float), use)
            best, worst = _best_worst(sub, metric, use)
            row.update(
                {
                    "χ²": fr.statistic,
                    "p": fr.pvalue,
                    "W": fr.kendall_w,
                    "best": best,
                    "worst": worst,
                    "significant": bool(fr.pvalue < alpha),
                }
            )
        rows.append(row)
    return pd.DataFrame(rows).set_index("metric")


def style_friedman(friedman: pd.DataFrame):
    """A pandas Styler of :func:`friedman_table`: significant rows bold (the ``significant`` column hidden)."""
    if "significant" not in friedman.columns:
        raise SynergyInputError("friedman must be the output of friedman_table (no 'significant' column).")

    def bold(row):
        style = "font-weight: bold" if bool(row["significant"]) else ""
        return [style] * len(row)

    fmt = {"χ²": "{:.1f}", "p": "{:.2g}", "W": "{:.2f}"}
    return (
        friedman.style.apply(bold, axis=1)
        .format(fmt, na_rep="n/a")
        .set_table_styles(_CELL_PADDING)
        .hide(subset=["significant"], axis="columns")
        .set_caption(
            "k: models compared; n: participants; W: Kendall's W; best, worst: by mean; bold: significant"
        )
    )


def pairwise_table(
    table: pd.DataFrame,
    metrics: Sequence[str],
    reference: str,
    *,
    models: Sequence[str] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Wilcoxon signed-rank tests of every model against ``reference``, Holm-corrected per metric.

    For each metric the :math:`k - 1` tests (every other model against the
    reference) form one family whose p-values are adjusted together
    (:func:`synergylib.stats.holm_adjust`). Differences are *model minus reference*.

    Returns
    -------
    DataFrame
        Index: the other models. Columns: a two-level index (metric label,
        ``"median difference"`` / ``"p (Holm)"`` / ``"significant"``).
    """
    _check_table(table, metrics)
    use = list(models or _model_order(table))
    if reference not in use:
        raise SynergyInputError(f"reference {reference!r} is not among the models {use}.")
    others = [m for m in use if m != reference]
    blocks = {}
    for metric in metrics:
        sub = _complete_participants(table, metric, use)
        block = pd.DataFrame(
            {"median difference": np.nan, "p (Holm)": np.nan, "significant": False}, index=others
        )
        if sub["participant"].nunique() >= MIN_SUBJECTS:
            _, pw = model_statistics(sub, metric, models=use, reference=reference, alpha=alpha)
            pw = pw.set_index("method_b").reindex(others)
            block["median difference"] = -pw["median_difference"].to_numpy(dtype=float)
            block["p (Holm)"] = pw["pvalue_adjusted"].to_numpy(dtype=float)
            block["significant"] = pw["reject"].to_numpy(dtype=bool)
        blocks[metric_label(metric)] = block
    out = pd.concat(blocks, axis=1)
    out.index.name = f"model (vs {reference})"
    return out


def style_pairwise(pairwise: pd.DataFrame, *, digits: int = 3):
    """A pandas Styler of :func:`pairwise_table`: significant cells bold on a coloured background.

    The ``significant`` columns are hidden; their information is the highlight.
    """
    metrics = list(dict.fromkeys(pairwise.columns.get_level_values(0)))
    shown = pairwise.drop(columns=[(m, "significant") for m in metrics])

    def highlight(frame):
        styles = pd.DataFrame("", index=frame.index, columns=frame.columns)
        for m in metrics:
            sig = pairwise[(m, "significant")].to_numpy(dtype=bool)
            for sub in ("median difference", "p (Holm)"):
                styles.loc[sig, (m, sub)] = "font-weight: bold; background-color: #fdd49e"
        return styles

    fmt = {c: (f"{{:.{digits}f}}" if c[1] == "median difference" else "{:.3g}") for c in shown.columns}
    return shown.style.apply(highlight, axis=None).format(fmt, na_rep="n/a").set_table_styles(_CELL_PADDING)


def pairwise_markdown(pairwise: pd.DataFrame, reference: str) -> str:
    """One Markdown sentence per metric: which models differ significantly from ``reference``.

    Built from the ``significant`` and ``median difference`` columns of
    :func:`pairwise_table`.
    """
    metrics = list(dict.fromkeys(pairwise.columns.get_level_values(0)))
    if not metrics or (metrics[0], "significant") not in pairwise.columns:
        raise SynergyInputError("pairwise must be the output of pairwise_table.")
    lines = []
    for m in metrics:
        sig = pairwise[(m, "significant")].to_numpy(dtype=bool)
        diff = pairwise[(m, "median difference")].to_numpy(dtype=float)
        names = list(pairwise.index)
        higher = [n for n, s, d in zip(names, sig, diff) if s and d > 0]
        lower = [n for n, s, d in zip(names, sig, diff) if s and d < 0]
        text = f"- {m}, against {reference}: {int(sig.sum())} of {len(names)} models differ significantly"
        if higher:
            text += f"; higher: {', '.join(higher)}"
        if lower:
            text += f"; lower: {', '.join(lower)}"
        lines.append(text + ".")
    return "\n".join(lines)


# --------------------------------------------------------------------------- #
# The trade-off figure
# --------------------------------------------------------------------------- #
def tradeoff_points(table: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """Mean and standard deviation across participants of two metrics, per model.

    Returns
    -------
    DataFrame
        Index: models (NMF first if present); columns ``x_mean``, ``x_sd``,
        ``y_mean``, ``y_sd`` (``ddof=1``; 0 with a single participant).
    """
    _check_table(table, [x, y])
    g = table.groupby("model", sort=False)
    out = pd.DataFrame(
        {
            "x_mean": g[x].mean(),
            "x_sd": g[x].std(ddof=1),
            "y_mean": g[y].mean(),
            "y_sd": g[y].std(ddof=1),
        }
    ).reindex(_model_order(table))
    return out.fillna({"x_sd": 0.0, "y_sd": 0.0})


def plot_model_tradeoff(
    table: pd.DataFrame,
    x: str = "r2_test",
    y: str = "true_mean_cosine",
    *,
    highlight: Sequence[str] = ("relu+tanh", "tanh+relu"),
    nmf_reference: bool = True,
    ax=None,
    title: str | None = None,
    figsize: tuple[float, float] = (7.5, 6.0),
):
    """The headline figure from a metrics table: :func:`synergylib.plotting.plot_tradeoff`
    of the pairings' means with one standard deviation across participants as error bars.

    Parameters
    ----------
    x, y : str
        Reconstruction and interpretability metrics (columns of ``table``).
    highlight : sequence of str
        Pairings drawn larger.
    nmf_reference : bool
        Draw NMF as the reference: its x and, unless ``y`` is a similarity to NMF
        itself (``ref_*``, where NMF is 1 by definition), its y.

    Returns
    -------
    fig, ax, points
        ``points`` is :func:`tradeoff_points` (NMF included when present).
    """
    import matplotlib.pyplot as plt

    points = tradeoff_points(table, x, y)
    pairs = points[[is_pairing(m) for m in points.index]]
    reference = None
    if nmf_reference and NMF_LABEL in points.index:
        nmf = points.loc[NMF_LABEL]
        reference = (float(nmf["x_mean"]), None if y.startswith("ref_") else float(nmf["y_mean"]))
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    fig, ax = plot_tradeoff(
        pairs["x_mean"].to_numpy(),
        pairs["y_mean"].to_numpy(),
        list(pairs.index),
        reference=reference,
        xerr=pairs["x_sd"].to_numpy(),
        yerr=pairs["y_sd"].to_numpy(),
        highlight=highlight,
        xlabel=f"{_capitalised(metric_label(x))} (mean ± sd across participants)",
        ylabel=f"{_capitalised(metric_label(y))} (mean ± sd)",
        ax=ax,
        title=title,
    )
    _declutter_labels(ax)
    return fig, ax, points


def _declutter_labels(ax, *, step: float = 7.0, max_steps: int = 24) -> None:
    """Move overlapping point labels (annotations in offset points) so that none overlap.

    Labels are placed from the highest point down; each takes the first place, among
    vertical offsets alternately below and above its default place, first to the
    right of its point and then to the left, where it overlaps no label placed before
    (or, failing that, the place with the least overlap). A label moved away from its
    point gets a thin leader line.
    """
    from matplotlib.text import Annotation, Text

    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()

    def text_box(annotation):  # the text alone, without a leader line
        annotation.update_positions(renderer)
        return Text.get_window_extent(annotation, renderer)

    labels = [t for t in ax.texts if isinstance(t, Annotation) and t.get_text()]
    labels.sort(key=lambda a: -ax.transData.transform(a.xy)[1])
    placed = []

    def overlap(box) -> float:
        total = 0.0
        for other in placed:
            w = min(box.x1, other.x1) - max(box.x0, other.x0)
            h = min(box.y1, other.y1) - max(box.y0, other.y0)
            if w > 0 and h > 0:
                total += w * h
        return total

    for label in labels:
        x0, y0 = label.xyann
        candidates = []
        for side, ha in ((x0, label.get_ha()), (-abs(x0), "right")):
            candidates.append((side, y0, ha))
            for k in range(1, max_steps + 1):
                candidates += [(side, y0 - k * step, ha), (side, y0 + k * step, ha)]
        best, best_cost = candidates[0], np.inf
        for dx, dy, ha in candidates:
            label.xyann = (dx, dy)
            label.set_ha(ha)
            cost = overlap(text_box(label))
            if cost < best_cost:
                best, best_cost = (dx, dy, ha), cost
            if cost == 0:
                break
        dx, dy, ha = best
        label.xyann = (dx, dy)
        label.set_ha(ha)
        if abs(dy - y0) > step / 2 or dx != x0:
            label.remove()
            label = ax.annotate(
                label.get_text(),
                label.xy,
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                fontsize=label.get_fontsize(),
                fontweight=label.get_fontweight(),
                color=label.get_color(),
                arrowprops={"arrowstyle": "-", "color": "0.55", "linewidth": 0.5, "shrinkA": 0, "shrinkB": 3},
            )
        placed.append(text_box(label))


# --------------------------------------------------------------------------- #
# Claims
# --------------------------------------------------------------------------- #
def rules_by_reading(results: Sequence, table: pd.DataFrame, readings: Sequence[str] = SIMILARITY_READINGS,
                     *, reconstruction: str = "r2_test", n_bootstrap: int = 1999, n_permutations: int = 9999,
                     random_state: int = 0) -> pd.DataFrame:
    """Claims 2 and 3 under each reading of "physiologically meaningful".

    :func:`synergylib.claims.evaluate_rules` with each similarity column of
    ``readings`` as the interpretability (claim 1 compares synergies with each other
    and does not depend on it), and the pairing with the highest mean of that column.

    Parameters
    ----------
    results : sequence of ParticipantResult
        The study the table was computed from (claim 3 scores every equal-loss restart).
    table : DataFrame
        Its :func:`synergylib.comparison.metrics_table`.
    readings : sequence of str
        Columns of :data:`synergylib.similarity.SIMILARITY_COLUMNS`.
    reconstruction, n_bootstrap, n_permutations, random_state
        Passed to :func:`~synergylib.claims.evaluate_rules`.

    Returns
    -------
    DataFrame
        One row per reading: ``interpretability`` (its label), ``column``, ``claim 2``,
        ``claim 3`` (verdicts) and ``most interpretable`` (the highest mean over
        participants of the kept restarts).
    """
    unknown = [c for c in readings if c not in SIMILARITY_COLUMNS]
    if unknown:
        raise SynergyInputError(f"{unknown} are not similarity columns; known: {', '.join(SIMILARITY_COLUMNS)}.")
    pairings = _pairings(table)
    rows = []
    for column in readings:
        v = evaluate_rules(results, table, interpretability=column, reconstruction=reconstruction,
                           n_bootstrap=n_bootstrap, n_permutations=n_permutations,
                           random_state=random_state, claims=(2, 3)).set_index("claim")
        means = table[table["model"].isin(pairings)].groupby("model")[column].mean()
        rows.append({"interpretability": metric_label(column), "column": column,
                     "claim 2": v.loc[2, "verdict"], "claim 3": v.loc[3, "verdict"],
                     "most interpretable": means.idxmax()})
    return pd.DataFrame(rows)


def style_verdicts(frame: pd.DataFrame, columns: Sequence[str] | None = None):
    """A pandas Styler that colours verdict cells (holds / partly / does not hold / n/a)."""
    columns = list(columns or [c for c in frame.columns if c == "verdict" or str(c).startswith("claim ")])
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SynergyInputError(f"columns {missing} are not in the table.")

    def colour(value):
        bg = _VERDICT_COLOURS.get(str(value))
        return f"background-color: {bg}; color: black" if bg else ""

    return frame.style.map(colour, subset=columns).set_table_styles(_CELL_PADDING)


def claims_markdown(claims: pd.DataFrame) -> str:
    """Markdown sentences, one per claim, saying where this replication agrees with the paper.

    Built from the ``claim``, ``statement``, ``verdict`` and ``evidence`` columns of
    :func:`~synergylib.claims.evaluate_rules`, so that the prose cannot
    contradict the table.
    """
    _needed = ["claim", "statement", "verdict", "evidence"]
    missing = [c for c in _needed if c not in claims.columns]
    if missing:
        raise SynergyInputError(f"claims lacks the column(s) {missing}.")
    lines = []
    for row in claims.itertuples(index=False):
        agreement = VERDICT_AGREEMENT.get(row.verdict, row.verdict)
        lines.append(
            f"- **Claim {row.claim}**, *{row.statement}* The rule says it **{row.verdict}**: "
            f"this replication **{agreement}** with the paper. Evidence: {row.evidence}."
        )
    return "\n".join(lines)


def plot_metric_grids(
    table: pd.DataFrame,
    metrics: Sequence[str],
    *,
    ncols: int = 2,
    statistic: str = "mean",
    panel_size: tuple[float, float] = (4.3, 3.5),
    title: str | None = None,
    share_scales: bool = True,
):
    """One encoder x decoder heat map per metric (:func:`pairing_grid`), NMF's value in each title.

    For metrics where lower is better the colour map is reversed, so that in every
    panel the better end of the scale has the same colour (yellow). With
    ``share_scales``, the panels of metrics that measure the same quantity
    (:data:`METRIC_QUANTITIES`, e.g. training and held-out :math:`R^2`) share one
    colour scale, from the smallest to the largest value of any of them, and one
    colour bar, placed beside the panels it serves (put them next to each other);
    every other panel has a scale and a colour bar of its own.

    Returns
    -------
    fig : Figure
    axes : ndarray of Axes (the heat maps; unused panels are removed)
    """
    import matplotlib.pyplot as plt

    metrics = list(metrics)
    if not metrics:
        raise SynergyInputError("give at least one metric.")
    _check_table(table, metrics)
    ncols = max(1, min(int(ncols), len(metrics)))
    nrows = int(np.ceil(len(metrics) / ncols))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(panel_size[0] * ncols, panel_size[1] * nrows),
        layout="constrained",
        squeeze=False,
    )
    axes = axes.ravel()
    nmf = table[table["model"] == NMF_LABEL]
    grids = {metric: pairing_grid(table, metric, statistic=statistic) for metric in metrics}
    groups: dict[str, list[str]] = {}  # quantity -> its metrics, in panel order
    for metric in metrics:
        groups.setdefault(METRIC_QUANTITIES.get(metric, metric) if share_scales else metric, []).append(metric)
    panel = dict(zip(metrics, axes))
    for quantity, members in groups.items():
        titles = []
        for metric in members:
            label = metric_label(metric)
            titles.append(label[0].upper() + label[1:])
            if len(nmf) and np.isfinite(nmf[metric]).any():
                titles[-1] += f"\n(NMF: {getattr(nmf[metric], statistic)():.2f})"
        values = [grids[m].to_numpy(dtype=float) for m in members]
        grid = grids[members[0]]
        cmap = "viridis" if _higher_is_better(members[0]) else "viridis_r"
        if len(members) > 1 and any(np.isfinite(v).any() for v in values):
            # one colour scale and one colour bar for the panels of one quantity
            plot_pairing_matrices(values, list(grid.index), list(grid.columns), titles=titles,
                                  axes=[panel[m] for m in members], cmap=cmap,
                                  colorbar_label=f"{quantity}, {statistic} across participants")
        else:
            for metric, title_, v in zip(members, titles, values):
                plot_pairing_matrix(v, list(grid.index), list(grid.columns), ax=panel[metric], cmap=cmap,
                                    colorbar_label=f"{statistic} across participants", title=title_)
        for metric in members:
            panel[metric].title.set_fontsize(9)
    for ax in axes[len(metrics) :]:
        ax.remove()
    if title:
        fig.suptitle(title)
    return fig, axes[: len(metrics)]


def plot_similarity_matrix(
    similarity: pd.DataFrame, *, ax=None, title: str | None = None, figsize=(10.5, 8.5),
    vmin: float | None = None,
):
    """Heat map of a model x model similarity table (:func:`~synergylib.comparison.pairing_similarity`).

    The colour scale runs from ``vmin`` to 1; by default ``vmin`` is the smaller of 0
    and the table's lowest value. Give two tables the same ``vmin`` to draw them on
    one scale.

    Returns
    -------
    fig : Figure
    ax : Axes
    """
    import matplotlib.pyplot as plt

    if not isinstance(similarity, pd.DataFrame) or similarity.shape[0] != similarity.shape[1]:
        raise SynergyInputError("similarity must be a square DataFrame (models x models).")
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    fig, ax = plot_pairing_matrix(
        similarity.to_numpy(dtype=float),
        [str(n) for n in similarity.index],
        [str(n) for n in similarity.columns],
        ax=ax,
        vmin=min(0.0, float(np.nanmin(similarity.to_numpy(dtype=float)))) if vmin is None else float(vmin),
        vmax=1.0,
        colorbar_label="mean matched cosine similarity",
        xlabel="Model (encoder+decoder)",
        ylabel="Model (encoder+decoder)",
        title=title,
    )
    ax.tick_params(axis="x", labelrotation=90)
    return fig, ax


def plot_per_muscle_r2(per_muscle: pd.DataFrame, *, ax=None, title: str | None = None, figsize=(11.0, 7.5)):
    """Heat map of the mean per-muscle :math:`R^2` (:func:`per_muscle_r2_table`), models x muscles.

    Colours are clipped to [0, 1]; the annotations show the actual means (a
    negative :math:`R^2` means the muscle is reconstructed worse than by its mean).
    """
    import matplotlib.pyplot as plt

    _check_table(per_muscle, ["muscle", "r2_train"])
    models = _model_order(per_muscle)
    muscles = list(dict.fromkeys(per_muscle["muscle"]))
    means = per_muscle.groupby(["model", "muscle"])["r2_train"].mean()
    wide = means.unstack("muscle").reindex(index=models, columns=muscles)
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    fig, ax = plot_pairing_matrix(
        wide.to_numpy(dtype=float),
        models,
        muscles,
        ax=ax,
        vmin=0.0,
        vmax=1.0,
        colorbar_label="R² of the muscle (training, mean across participants)",
        xlabel="Muscle",
        ylabel="Model (encoder+decoder)",
        title=title,
    )
    ax.tick_params(axis="x", labelrotation=90)
    return fig, ax


# --------------------------------------------------------------------------- #
# the named values of the comparison chapter's text
# --------------------------------------------------------------------------- #
def study_values(results: Sequence, r2_threshold: float) -> dict:
    """The size of the study, as the comparison chapter's text quotes it.

    ``results`` are the participants' :class:`~synergylib.study.ParticipantResult`
    (with a ground truth), ``r2_threshold`` the :math:`R^2` rule that chose each
    participant's :math:`N`. Returns the numbers of participants, pairings and
    models (the pairings and NMF), the range of the rule's :math:`N`
    (``n_min``, ``n_max``), the number of true synergies, how many participants'
    rule gives it exactly (``n_rule_at_true``) or within one
    (``n_rule_within_one``), and ``r2_threshold``.
    """
    if isinstance(results, Mapping) or not isinstance(results, Sequence) or len(results) == 0:
        raise SynergyInputError("results must be a non-empty list of ParticipantResult.")
    if results[0].true_synergies is None:
        raise SynergyInputError("the results have no ground truth (true_synergies is None).")
    n_pairings = len(results[0].pairings)
    n_chosen = np.array([r.n_rule if r.n_rule is not None else r.n_synergies for r in results])
    n_true = results[0].true_synergies.shape[1]
    return {
        "n_participants": len(results),
        "n_pairings": n_pairings,
        "n_models": n_pairings + 1,
        "n_min": n_chosen.min(),
        "n_max": n_chosen.max(),
        "n_true": n_true,
        "n_rule_at_true": int(np.sum(n_chosen == n_true)),
        "n_rule_within_one": int(np.sum(np.abs(n_chosen - n_true) <= 1)),
        "r2_threshold": r2_threshold,
    }


def tradeoff_values(points: pd.DataFrame, points_nmf: pd.DataFrame) -> dict:
    """Spearman correlation, across the pairings, of the two axes of the trade-off figures.

    ``points`` and ``points_nmf`` are :func:`tradeoff_points` (or the points
    :func:`plot_model_tradeoff` returns) with the similarity to the ground truth and
    to NMF on the y axis; NMF's own point is left out. Returns ``rho_truth`` and
    ``rho_nmf``: negative would be a trade-off.
    """
    pairs = points[[is_pairing(m) for m in points.index]]
    pairs_nmf = points_nmf[[is_pairing(m) for m in points_nmf.index]]
    return {
        "rho_truth": pairs["x_mean"].corr(pairs["y_mean"], method="spearman"),
        "rho_nmf": pairs_nmf["x_mean"].corr(pairs_nmf["y_mean"], method="spearman"),
    }


# --------------------------------------------------------------------------- #
# Two N, chance levels, the rules (protocol v2)
# --------------------------------------------------------------------------- #
#: Colours of the chance bands of :func:`plot_headline`, by kind of random synergies.
_CHANCE_COLOURS = {"nonnegative": "#e08214", "signed": "#8073ac"}


def plot_headline(
    table: pd.DataFrame,
    chance: pd.DataFrame | None = None,
    *,
    x: str = "r2_test",
    y: str = "true_mean_cosine",
    highlight: Sequence[str] = ("relu+tanh", "tanh+relu"),
    ax=None,
    title: str | None = None,
    figsize: tuple[float, float] = (7.5, 6.0),
):
    """The headline figure with its references: :func:`plot_model_tradeoff` of the
    pairings, NMF (star, dashed lines), PCA with the same N (a diamond, when the
    table has it) and, when ``chance`` is given and ``y`` has a chance level, one
    shaded band per kind of random synergies, from their mean to their 95th
    percentile (each averaged over participants).

    Returns
    -------
    fig, ax, points
        ``points``: :func:`tradeoff_points` of every model of the table.
    """
    fig, ax, points = plot_model_tradeoff(table[table["model"] != PCA_LABEL], x, y, highlight=highlight,
                                          ax=ax, title=title, figsize=figsize)
    points = tradeoff_points(table, x, y)
    handles = []
    if NMF_LABEL in points.index:
        (star,) = ax.plot([], [], marker="*", markersize=12, color="black", linestyle="--",
                          label="NMF, same N" + (" (R² only)" if y.startswith("ref_") else ""))
        handles.append(star)
    if PCA_LABEL in points.index:
        pca = points.loc[PCA_LABEL]
        handles.append(ax.errorbar(pca["x_mean"], pca["y_mean"], xerr=pca["x_sd"], yerr=pca["y_sd"],
                                   marker="D", markersize=8, color="0.25", linestyle="none", capsize=2,
                                   label="PCA, same N (centred)"))
    if chance is not None and y in SIMILARITY_COLUMNS:
        sub = chance[chance["column"] == y]
        for kind, group in sub.groupby("kind", sort=False):
            handles.append(ax.axhspan(group["mean"].mean(), group["q95"].mean(),
                                      color=_CHANCE_COLOURS.get(kind, "0.6"), alpha=0.18, linewidth=0,
                                      label=f"chance: random {kind} synergies (mean to 95th pct.)"))
    if handles:
        ax.legend(handles=handles, loc="lower left", fontsize=8, framealpha=0.9)
    return fig, ax, points


def two_n_table(tables: Mapping[str, pd.DataFrame], metrics: Sequence[str]) -> pd.DataFrame:
    """The means across participants of ``metrics``, per model, at each N side by side.

    Parameters
    ----------
    tables : mapping
        ``{"rule": table, "true": table}`` (:func:`~synergylib.comparison.metrics_table`).
    metrics : sequence of str

    Returns
    -------
    DataFrame
        Index: models (in the first table's order); columns: (metric label, N label).
    """
    if not tables:
        raise SynergyInputError("two_n_table needs at least one table.")
    parts = {}
    for key, table in tables.items():
        _check_table(table, metrics)
        means = table.groupby("model", sort=False)[list(metrics)].mean()
        for metric in metrics:
            parts[(metric_label(metric), N_LABELS.get(key, str(key)))] = means[metric]
    first = next(iter(tables.values()))
    out = pd.DataFrame(parts).reindex(_model_order(first))
    out.index.name = "model"
    return out


def chance_markdown(table: pd.DataFrame, chance: pd.DataFrame, column: str, *, where: str = "") -> str:
    """A sentence naming the models whose mean ``column`` lies within a chance band.

    Generated from :func:`~synergylib.comparison.chance_flags`, so that the text
    cannot contradict the figures.
    """
    flags = chance_flags(table, chance, column)
    kinds = [c.removeprefix("q95_") for c in flags.columns if c.startswith("q95_")]
    bands = "; ".join(f"random {k} synergies score {flags[f'chance_{k}'].iloc[0]:.2f} on average, "
                      f"95th percentile {flags[f'q95_{k}'].iloc[0]:.2f}" for k in kinds)
    inside = [m for m in flags.index if flags.loc[m, "within_chance"]]
    label = metric_label(column)
    text = f"On the {label}{where}, {bands} (means over participants)."
    if inside:
        named = ", ".join(f"{m} ({flags.loc[m, 'score']:.2f}: {flags.loc[m, 'within_chance']})" for m in inside)
        text += (f" **{len(inside)} model(s) score within chance** (their mean is at or below the band's "
                 f"top): {named}.")
    else:
        text += " No model's mean lies within either chance band."
    return text


def error_rates_table(rates: pd.DataFrame) -> pd.DataFrame:
    """:func:`synergylib.claims.rule_error_rates` rows (any claims) as the book shows them:
    one row per claim and scenario, the share of simulated tables on which the rule
    says "holds" with its Monte Carlo standard error, and whether that is a
    false-positive rate (claim false) or the power (claim true)."""
    needed = ["claim", "scenario", "claim_true", "rate_holds", "mc_se", "n_simulations"]
    missing = [c for c in needed if c not in rates.columns]
    if missing:
        raise SynergyInputError(f"rates lacks the column(s) {missing}.")
    out = pd.DataFrame({
        "claim": rates["claim"].to_numpy(),
        "simulated tables": [("claim true" if t else f"claim false: {s}") for s, t in
                             zip(rates["scenario"], rates["claim_true"])],
        "measures": ["power" if t else "false-positive rate" for t in rates["claim_true"]],
        "share saying 'holds'": [f"{r:.3f} ± {se:.3f}" for r, se in zip(rates["rate_holds"], rates["mc_se"])],
        "simulations": rates["n_simulations"].to_numpy(),
    })
    if "within_nominal" in rates.columns:
        out["within α + 2 MC se"] = ["" if t else ("yes" if w else "NO") for t, w in
                                      zip(rates["claim_true"], rates["within_nominal"])]
    return out


def plot_restart_scores(scores, pairings: Sequence[str], *, chance: tuple[float, float] | None = None,
                        chance_label: str = "chance (random synergies: mean to 95th pct.)",
                        ylabel: str = "cosine to ground-truth synergies", ax=None, title: str | None = None,
                        figsize: tuple[float, float] = (11.0, 4.5)):
    """Every equal-loss restart's score, one box per pairing, the kept restarts marked.

    Parameters
    ----------
    scores : array-like of shape (n_participants, n_pairings, n_restarts)
        :func:`synergylib.claims.restart_scores` (NaN outside a pairing's equal-loss
        set; the kept, lowest-loss restart first).
    pairings : sequence of str
    chance : (mean, q95), optional
        A chance band drawn behind the boxes, labelled ``chance_label``.
    """
    import matplotlib.pyplot as plt

    S = np.asarray(scores, dtype=float)
    if S.ndim != 3 or S.shape[1] != len(pairings):
        raise SynergyInputError(f"scores must have shape (participants, {len(pairings)}, restarts), got {S.shape}.")
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    data = [S[:, p][np.isfinite(S[:, p])] for p in range(len(pairings))]
    positions = np.arange(1, len(pairings) + 1)
    if chance is not None:
        ax.axhspan(chance[0], chance[1], color="0.6", alpha=0.2, linewidth=0, label=chance_label)
    ax.boxplot(data, positions=positions, widths=0.6, showfliers=True,
               flierprops={"markersize": 3, "alpha": 0.5})
    kept = np.nanmean(S[:, :, 0], axis=0)
    ax.plot(positions, kept, "D", color="#d6604d", markersize=6, label="kept restart (mean over participants)")
    counts = np.sum(np.isfinite(S), axis=2).mean(axis=0)
    ax.set_xticks(positions, [f"{p}\n({c:.1f})" for p, c in zip(pairings, counts)], rotation=60, ha="right",
                  fontsize=8)
    ax.set_xlabel("Pairing (encoder+decoder), mean number of equal-loss restarts per participant")
    ax.set_ylabel(ylabel[0].upper() + ylabel[1:])
    ax.legend(loc="lower left", fontsize=8)
    if title:
        ax.set_title(title)
    return ax.figure, ax




def plot_against_n(table: pd.DataFrame, metrics: Sequence[str], *, key: str = "N",
                   highlight: Sequence[str] = ("relu+tanh",), floor: float | None = -0.5,
                   axes=None, figsize=None):
    """Each model's mean of ``metrics`` against the number of synergies, one panel per metric.

    ``table`` is a :func:`synergylib.sweeps.sweep_table` whose ``key`` column holds
    :math:`N`. Pairings are lines coloured by decoder and dashed by encoder; NMF
    and PCA (when present) are black (solid and dotted, with markers); the pairings
    in ``highlight`` are drawn thicker. The y axis of an :math:`R^2` panel stops at
    ``floor`` (None: no limit), and the panel says how many models fall below it, so
    that a few failed fits do not squash the others.

    Returns
    -------
    fig, axes, means
        ``means``: the means, one row per model and :math:`N`.
    """
    import matplotlib.pyplot as plt

    _check_table(table, list(metrics) + [key])
    means = table.groupby(["model", key], sort=False)[list(metrics)].mean().reset_index()
    if axes is None:
        width = 5.2 * len(metrics)
        _, axes = plt.subplots(1, len(metrics), figsize=figsize or (width, 4.6), layout="constrained",
                               squeeze=False)
        axes = axes[0]
    for ax, metric in zip(axes, metrics):
        for model in _model_order(table):
            sub = means[means["model"] == model].sort_values(key)
            if is_pairing(model):
                # colour by decoder, dash pattern by encoder, as in chapter 4's loss figure
                style = {**(pairing_line_style(model) or {"color": "0.5", "linestyle": "-"}),
                         "linewidth": 2.6 if model in highlight else 1.1, "alpha": 1.0 if model in highlight else 0.75}
            else:
                style = {"color": "black", "linestyle": "-" if model == NMF_LABEL else ":", "marker": "o",
                         "linewidth": 1.8, "markersize": 4}
            ax.plot(sub[key], sub[metric], label=model, **style)
        ax.set_xlabel("Number of synergies N")
        ax.set_ylabel(_capitalised(metric_label(metric).split(" (")[0]))
        ax.set_xticks(sorted(means[key].unique()))
        ax.grid(alpha=0.3)
        if floor is not None and metric.startswith("r2") and means[metric].min() < floor:
            below = means.groupby("model")[metric].min()
            top = max(float(means[metric].max()), floor) + 0.05
            ax.set_ylim(floor, top)
            ax.text(0.02, 0.02, f"{int((below < floor).sum())} model(s) fall below {floor:g}, off the axis",
                    transform=ax.transAxes, fontsize=7, color="0.3")
    axes[-1].legend(fontsize=7, ncol=2, loc="center left", bbox_to_anchor=(1.01, 0.5),
                    title="colour: decoder, dashes: encoder", title_fontsize=7)
    return axes[0].figure, axes, means


def ranking_note(rules: pd.DataFrame, pairings: Sequence[str]) -> str:
    """A sentence saying which pairing each of claims 2 and 3 finds most interpretable, and why
    they may differ: claim 2 ranks the kept restarts (the table's means), claim 3 the mean
    over each pairing's equal-loss restarts.

    ``rules`` is :func:`synergylib.claims.evaluate_rules`'s output (with its ``result``
    column) for claims 2 and 3; ``pairings`` the table's pairings in the rules' order.
    """
    if "result" not in rules.columns or not {2, 3} <= set(rules["claim"]):
        raise SynergyInputError("ranking_note needs evaluate_rules' rows of claims 2 and 3 (with 'result').")
    by_claim = dict(zip(rules["claim"], rules["result"]))
    kept = list(pairings)[by_claim[2].details["best_interpretability"]]
    means = by_claim[3].details["means"]
    first = max(means, key=means.get)
    if kept == first:
        return (f"Both rankings put {kept} first: the kept restarts (claim 2's table) and the mean over "
                "each pairing's equal-loss restarts (claim 3).")
    return (f"The kept restarts (the table's means, which claim 2 uses) put {kept} first; the mean over each "
            f"pairing's equal-loss restarts, which claim 3 uses so that the arbitrary pick of the kept restart "
            f"does not decide, puts {first} first ({means[first]:.3f} against {means[kept]:.3f} for {kept}).")
