"""Compare NMF and the autoencoder pairings across participants, and test the paper's claims.

The functions here turn the per-participant results of :mod:`synergylib.study` into
tidy tables (one row per participant and model), summarise them, run the
statistics of protocol section 6.7. The metrics the claims are judged on are named
in :class:`ClaimCriteria`; the decision rules themselves, with their error rates on
simulated tables, are in :mod:`synergylib.claims`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from ._config import DocumentedConfig, param
from ._validation import SynergyInputError, check_int
from .metrics import cross_participant_consistency, match_synergies, r2_score, synergy_metrics, vaf
from .pca import SynergyPCA
from .similarity import CHANCE_KINDS, SIMILARITY_COLUMNS, chance_level, reference_synergies, similarity
from .stats import friedman_test, pairwise_wilcoxon

__all__ = [
    "METRICS",
    "NMF_LABEL",
    "PCA_LABEL",
    "ClaimCriteria",
    "chance_flags",
    "chance_table",
    "is_pairing",
    "metrics_table",
    "pairing_similarity",
    "pairings_of",
    "summary_table",
    "model_statistics",
    "typical_participant",
]

#: Every per-model metric of :func:`metrics_table`: (label, True if higher is better).
METRICS: dict[str, tuple[str, bool]] = {
    "r2_train": ("R² (training)", True),
    "r2_test": ("R² (held-out)", True),
    "vaf_train": ("VAF (training)", True),
    "true_mean_cosine": ("cosine to ground-truth synergies", True),
    "true_mean_abs_cosine": ("|cosine| to ground-truth synergies (sign-free matching)", True),
    "true_subspace": ("subspace similarity to the ground truth (principal angles)", True),
    # share of the model's N matched pairs, not of the true synergies (there can be more)
    "true_share_above": ("share of the N matched pairs with cosine to the truth ≥ threshold", True),
    "true_mean_activation_correlation": ("correlation with ground-truth activations", True),
    "ref_mean_cosine": ("cosine to the participant's NMF synergies", True),
    "ref_mean_abs_cosine": ("|cosine| to the participant's NMF synergies (sign-free matching)", True),
    "ref_subspace": ("subspace similarity to the participant's NMF synergies", True),
    "ref_share_above": ("share of the N matched pairs with cosine to NMF ≥ threshold", True),
    "ref_mean_activation_correlation": ("correlation with NMF activations", True),
    "negative_weight_share": ("share of negative weights", False),
    "negative_mass_share": ("share of negative weight mass", False),
    "mean_sparseness": ("Hoyer sparseness", True),
    "mean_active_muscles": ("active muscles per synergy", False),
    "consistency": ("consistency across participants (cosine)", True),
}

NMF_LABEL = "NMF"
#: The reference model of what any affine model of N units reconstructs (centred PCA).
PCA_LABEL = "PCA"

def typical_participant(results: Sequence) -> int:
    """The index of a typical participant, for the figures that show one in detail.

    The first participant (in the order of ``results``) whose number of synergies
    :math:`N` is the most common among the participants (the smallest such
    :math:`N` on a tie): an example whose :math:`N` most participants share.

    Parameters
    ----------
    results : sequence of ParticipantResult
        The results of :func:`synergylib.study.run_study` (anything with
        ``index`` and ``n_synergies``).

    Returns
    -------
    int
        That participant's ``index`` (as in the data, from 0).

    Examples
    --------
    >>> from types import SimpleNamespace as R
    >>> typical_participant([R(index=0, n_synergies=6), R(index=1, n_synergies=5),
    ...                      R(index=2, n_synergies=5)])
    1
    """
    if len(results) == 0:
        raise SynergyInputError("typical_participant needs at least one participant's result.")
    counts = pd.Series([int(r.n_synergies) for r in results]).value_counts()
    common = int(counts[counts == counts.max()].index.min())
    return next(int(r.index) for r in results if int(r.n_synergies) == common)


def is_pairing(model: str) -> bool:
    """Whether a model name is an autoencoder pairing (``"encoder+decoder"``), not a reference."""
    return "+" in str(model)


def pairings_of(table: pd.DataFrame) -> list[str]:
    """The autoencoder pairings of a :func:`metrics_table`, in their order (references left out)."""
    return [m for m in dict.fromkeys(table["model"]) if is_pairing(m)]


def _models(result) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray | None]]:
    """(name, W, H_train, H_test) for NMF and every pairing of one result."""
    out = [(NMF_LABEL, result.nmf_synergies, result.nmf_activations_train, result.nmf_activations_test)]
    for i, name in enumerate(result.pairings):
        H_test = None if result.ae_activations_test is None else result.ae_activations_test[i]
        out.append((name, result.ae_synergies[i], result.ae_activations_train[i], H_test))
    return out


def _pca_row(result) -> tuple[dict[str, float], np.ndarray, np.ndarray]:
    """Scores, synergies (unit principal axes) and activations of centred PCA with the
    result's N, fitted to its training matrix."""
    X = np.asarray(result.train, dtype=np.float64).T
    pca = SynergyPCA(int(result.n_synergies)).fit(X)
    R = pca.reconstruct(X)
    scores = {"r2_train": float(pca.r2_), "vaf_train": float(vaf(X, R)), "r2_test": np.nan}
    if result.test is not None:
        X_test = np.asarray(result.test, dtype=np.float64).T
        scores["r2_test"] = float(r2_score(X_test, pca.reconstruct(X_test)))
    return scores, pca.synergies_, pca.transform(X).T


def _similarity_columns(W, W_ref, W_true) -> dict[str, float]:
    """The sign-free and basis-free similarities to the NMF reference and to the truth."""
    out = {}
    for prefix, other in (("ref", W_ref), ("true", W_true)):
        if other is not None:
            out[f"{prefix}_mean_abs_cosine"] = similarity(other, W, "abs_cosine")
            out[f"{prefix}_subspace"] = similarity(other, W, "subspace")
    return out


def metrics_table(
    results: Sequence,
    *,
    similarity_threshold: float = 0.8,
    active_threshold: float | None = None,
    active_rule: str = "max",
    pca: bool = False,
) -> pd.DataFrame:
    r"""One row per participant and model (NMF and every pairing), every metric a column.

    Reconstruction: ``r2_train``, ``r2_test`` (centred :math:`R^2`), ``vaf_train``.
    Synergies (see :func:`synergylib.metrics.synergy_metrics`): similarity to the
    participant's NMF synergies and activations (``ref_*``), to the ground truth
    when known (``true_*``), sign (``negative_*``), sparseness, active muscles, and
    ``consistency``: for each model, the mean matched cosine of a participant's
    synergies to the other participants' (:func:`~synergylib.metrics.cross_participant_consistency`).
    Beside the signed matched cosine, two similarities that do not hold a model's
    symmetries against it (:mod:`synergylib.similarity`): ``*_mean_abs_cosine``
    (matching on :math:`|\cos|`, blind to a sign flip of a synergy) and
    ``*_subspace`` (mean squared cosine of the principal angles between the two
    spans, blind to any mixing of the synergies).

    With ``pca=True`` a row ``"PCA"`` per participant follows NMF: centred PCA with
    the same :math:`N` (:class:`synergylib.pca.SynergyPCA`), the most any affine
    model of :math:`N` units reconstructs in the least-squares sense (its synergies
    are the unit principal axes).

    Parameters
    ----------
    results : sequence of :class:`synergylib.study.ParticipantResult`
    similarity_threshold : float
        Threshold of the ``*_share_above`` columns.
    active_threshold, active_rule
        Passed to :func:`synergylib.metrics.active_muscles`.
    """
    if len(results) == 0:
        raise SynergyInputError("metrics_table needs at least one participant's result.")
    rows = []
    for res in results:
        W_nmf, H_nmf = res.nmf_synergies, res.nmf_activations_train
        models = [(name, W, H, None) for name, W, H, _ in _models(res)]
        if pca:
            pca_scores, W_pca, H_pca = _pca_row(res)
            models.insert(1, (PCA_LABEL, W_pca, H_pca, pca_scores))
        k = 0  # position among the pairings
        for name, W, H, scores in models:
            is_nmf = name == NMF_LABEL
            enc, dec = name.split("+") if is_pairing(name) else (None, None)
            if scores is None and is_nmf:
                scores = {"r2_train": float(res.nmf_r2_train), "vaf_train": float(res.nmf_vaf_train),
                          "r2_test": float(res.nmf_r2_test) if res.test is not None else np.nan}
            elif scores is None:
                scores = {"r2_train": float(res.ae_r2_train[k]), "vaf_train": float(res.ae_vaf_train[k]),
                          "r2_test": float(res.ae_r2_test[k]) if res.test is not None else np.nan}
                k += 1
            row = {"participant": int(res.index), "model": name, "encoder": enc, "decoder": dec,
                   **scores}
            m = synergy_metrics(
                W,
                H,
                W_ref=None if is_nmf else W_nmf,
                H_ref=None if is_nmf else H_nmf,
                W_true=res.true_synergies,
                H_true=None if res.true_synergies is None else res.true_activations_train,
                similarity_threshold=similarity_threshold,
                active_threshold=active_threshold,
                active_rule=active_rule,
            )
            m.update(_similarity_columns(W, None if is_nmf else W_nmf, res.true_synergies))
            if is_nmf:  # NMF is its own reference
                m.update(ref_mean_cosine=1.0, ref_share_above=1.0, ref_mean_activation_correlation=1.0,
                         ref_mean_abs_cosine=1.0, ref_subspace=1.0)
            row.update(m)
            rows.append(row)
    table = pd.DataFrame(rows)
    table["consistency"] = np.nan
    if len(results) >= 2:
        for name, group in table.groupby("model", sort=False):
            if name == PCA_LABEL:
                Ws = [_pca_row(r)[1] for r in results]
            else:
                Ws = [dict((n, W) for n, W, _, _ in _models(r))[name] for r in results]
            table.loc[group.index, "consistency"] = cross_participant_consistency(Ws)
    return table


def chance_table(results: Sequence, *, columns: Sequence[str] = ("true_mean_cosine", "true_mean_abs_cosine",
                                                                   "true_subspace"),
                 kinds: Sequence[str] = CHANCE_KINDS, n_draws: int = 1000,
                 random_state: int = 0) -> pd.DataFrame:
    """The chance level of every similarity column, per participant (protocol section 6, item 7).

    For each participant, column of :data:`synergylib.similarity.SIMILARITY_COLUMNS`
    and kind of random
    synergies (non-negative, signed), :func:`synergylib.similarity.chance_level`
    scores ``n_draws`` random sets of the participant's :math:`N` synergies against
    the same reference (the truth for ``true_*``, the participant's NMF synergies
    for ``ref_*``) with the same metric and matching.

    Returns
    -------
    DataFrame
        One row per participant, column and kind: ``participant``, ``column``,
        ``kind``, ``n_synergies``, ``mean``, ``q05``, ``q95``.
    """
    unknown = [c for c in columns if c not in SIMILARITY_COLUMNS]
    if unknown:
        raise SynergyInputError(f"No chance level for {unknown}; known: {', '.join(SIMILARITY_COLUMNS)}.")
    n_draws = check_int(n_draws, "n_draws", low=2)
    rows = []
    for res in results:
        for column in columns:
            reference = reference_synergies(res, column)
            for kind in kinds:
                level = chance_level(reference, int(res.n_synergies), metric=SIMILARITY_COLUMNS[column][1],
                                     kind=kind, n_draws=n_draws, random_state=random_state)
                rows.append({"participant": int(res.index), "column": column, "kind": kind,
                             "n_synergies": int(res.n_synergies), "mean": level.mean,
                             "q05": level.q05, "q95": level.q95})
    return pd.DataFrame(rows)


def chance_flags(table: pd.DataFrame, chance: pd.DataFrame, column: str) -> pd.DataFrame:
    """Which models score no better than random synergies on ``column``.

    Per model: the mean score across participants; for each kind of random
    synergies the mean chance level and the mean of the participants' 95th
    percentiles (the chance band's top, averaged like the score); the share of
    participants whose score lies within their own band (at or below its 95th
    percentile); and ``within_chance``, the kinds whose band holds the model's mean
    score (``""`` when none does).

    Parameters
    ----------
    table : DataFrame
        :func:`metrics_table`'s output.
    chance : DataFrame
        :func:`chance_table`'s output for the same results.
    column : str
        A similarity column of :data:`synergylib.similarity.SIMILARITY_COLUMNS`.
    """
    sub = chance[chance["column"] == column]
    if sub.empty:
        raise SynergyInputError(f"the chance table has no level for {column!r}.")
    kinds = list(dict.fromkeys(sub["kind"]))
    q95 = sub.pivot(index="participant", columns="kind", values="q95")
    means = sub.pivot(index="participant", columns="kind", values="mean")
    rows = []
    for model, group in table.groupby("model", sort=False):
        scores = group.set_index("participant")[column]
        row = {"model": model, "score": float(scores.mean())}
        inside = []
        for kind in kinds:
            top = q95.loc[scores.index, kind]
            row[f"chance_{kind}"] = float(means.loc[scores.index, kind].mean())
            row[f"q95_{kind}"] = float(top.mean())
            row[f"share_within_{kind}"] = float(np.mean(scores.to_numpy() <= top.to_numpy()))
            if row["score"] <= row[f"q95_{kind}"]:
                inside.append(kind)
        row["within_chance"] = ", ".join(inside)
        rows.append(row)
    return pd.DataFrame(rows).set_index("model")


def pairing_similarity(result) -> pd.DataFrame:
    """Mean matched cosine between the synergies of every two models of one participant.

    A 17 x 17 table (NMF and the 16 pairings): how much the extracted synergies
    change with the architecture (claim 1).
    """
    models = _models(result)
    names = [m[0] for m in models]
    S = np.array([[match_synergies(a[1], b[1]).mean_cosine for b in models] for a in models])
    return pd.DataFrame(S, index=names, columns=names)


def summary_table(table: pd.DataFrame, metrics: Sequence[str] | None = None) -> pd.DataFrame:
    """Mean and standard deviation across participants of each metric, per model.

    Models keep the order in which they first appear (NMF first, then the pairings).
    """
    metrics = [m for m in (metrics or METRICS) if m in table.columns]
    order = list(dict.fromkeys(table["model"]))
    g = table.groupby("model", sort=False)[metrics]
    out = pd.concat({"mean": g.mean(), "sd": g.std(ddof=1)}, axis=1)
    out = out.swaplevel(axis=1).sort_index(axis=1, level=0, sort_remaining=False)
    return out.reindex(order)[metrics]


def _score_matrix(table: pd.DataFrame, metric: str, models: Sequence[str]) -> np.ndarray:
    if metric not in table.columns:
        raise SynergyInputError(f"Unknown metric {metric!r}; the table has {list(table.columns)}.")
    wide = table.pivot(index="participant", columns="model", values=metric)
    missing = [m for m in models if m not in wide.columns]
    if missing:
        raise SynergyInputError(f"models not in the table: {missing}.")
    return wide[list(models)].to_numpy(dtype=float)


def model_statistics(
    table: pd.DataFrame,
    metric: str,
    *,
    models: Sequence[str] | None = None,
    reference: str | None = None,
    alpha: float = 0.05,
) -> tuple[dict, pd.DataFrame]:
    """Friedman test across models, then Wilcoxon signed-rank tests with Holm correction.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`metrics_table`.
    metric : str
        Column to test.
    models : sequence of str, optional
        Which models (default: all, NMF included).
    reference : str, optional
        Compare every model with this one only (``k - 1`` tests) instead of all pairs.

    Returns
    -------
    friedman : dict
        Statistic, p-value, Kendall's W, mean ranks.
    pairwise : DataFrame
        One row per test, Holm-adjusted p-values.
    """
    models = list(models or dict.fromkeys(table["model"]))
    scores = _score_matrix(table, metric, models)
    fr = friedman_test(scores, models).as_dict()
    pw = pd.DataFrame(pairwise_wilcoxon(scores, models, reference=reference, alpha=alpha))
    return fr, pw


@dataclass(frozen=True)
class ClaimCriteria(DocumentedConfig):
    """What the claims are judged on: the metrics, the level and the claimed pairing.

    The rules (:func:`synergylib.claims.evaluate_rules`) take these as arguments.

    Parameters
    ----------
    reconstruction : str
        Metric of reconstruction quality (default: held-out centred :math:`R^2`).
    interpretability : str
        Metric of physiological meaning. On synthetic data the default is the
        similarity to the ground-truth synergies, the one measure that needs no
        assumption; on real data use ``"ref_mean_cosine"`` (similarity to NMF).
    alpha : float
        Significance level of every test.
    similarity_threshold : float
        Threshold of the ``*_share_above`` metrics (used by :func:`metrics_table`).
    claimed_best : str
        The pairing claim 3 names ("relu+tanh": encoder ReLU, decoder tanh).
    """

    reconstruction: str = param("r2_test", "reconstruction metric of the claims (held-out centred R2)", "choice")
    interpretability: str = param(
        "true_mean_cosine",
        "interpretability metric of the claims (synthetic: cosine to the ground truth; real data: to NMF)",
        "choice",
    )
    alpha: float = param(0.05, "significance level of every test", "choice")
    similarity_threshold: float = param(0.8, "a matched synergy pair counts as similar at cosine >= this", "group")
    claimed_best: str = param("relu+tanh", "the pairing claim 3 names (encoder + decoder)", "paper")

    def as_dict(self) -> dict:
        return asdict(self)


