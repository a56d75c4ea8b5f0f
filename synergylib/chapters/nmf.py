"""Tables and figures of the NMF baseline chapter (protocol section 4).

The study (:func:`synergylib.study.run_study`) stores, for every participant, the
NMF :math:`R^2` curve, the chosen number of synergies :math:`N` and the fitted
synergies and activations. This module turns a list of those results into the
tables the NMF chapter of the book shows:

* :func:`n_synergies_by_threshold`: the :math:`N` each threshold rule would pick,
  recomputed from the stored curves with :func:`synergylib.nmf.select_n_synergies`;
* :func:`nmf_summary`: one row per participant with reconstruction (centred
  :math:`R^2` on the training and held-out repetitions, uncentred VAF) and, for
  synthetic data, the similarity of the NMF synergies and activations to the
  ground truth;
* :func:`ground_truth_r2`: how well the *true* synergies reconstruct the data,
  the ceiling set by the noise;
* :func:`correlation_spectrum`: how many independent directions the true
  activations really span;

and three small figures (:func:`label_planes`, :func:`plot_n_choice`,
:func:`plot_train_test`). Layouts follow the physiology convention of the
library: synergies ``(n_muscles, N)``, activations ``(N, n_samples)``, EMG
``(n_muscles, n_samples)``.

Results are duck-typed: any object with the attributes of
:class:`synergylib.study.ParticipantResult` that a function reads will do.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.optimize import nnls

from .._validation import SynergyInputError
from ..calibration import knee_ratio
from ..datasets import N_TARGETS, PLANE_NAMES
from ..metrics import ground_truth_similarity, match_synergies, r2_score, vaf
from ..nmf import select_n_synergies

__all__ = [
    "choice_values",
    "correlation_spectrum",
    "correlation_sentence",
    "correlation_values",
    "curve_shape_sentence",
    "ground_truth_r2",
    "label_planes",
    "matched_cosine_matrix",
    "max_offdiagonal_correlation",
    "n_synergies_by_threshold",
    "nmf_summary",
    "participant_values",
    "plot_n_choice",
    "plot_train_test",
    "reconstruction_values",
    "threshold_values",
    "truth_values",
    "unmatched_sentence",
]

_BAR_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")


def _check_results(results) -> list:
    results = list(results)
    if not results:
        raise SynergyInputError("results is empty: give at least one participant's result.")
    return results


# --------------------------------------------------------------------------- #
# Tables
# --------------------------------------------------------------------------- #
def n_synergies_by_threshold(results, thresholds: Sequence[float] = (0.80, 0.85, 0.90)) -> pd.DataFrame:
    r"""The number of synergies each threshold rule picks, per participant.

    For every participant's stored curve :math:`R^2(N)` and every threshold
    :math:`\tau`,

    .. math::

        N^\ast(\tau) = \min\{N : R^2(N) \ge \tau\}

    (:func:`synergylib.nmf.select_n_synergies`). No NMF is refitted: the curve is
    the one the study computed, so only thresholds reachable within the
    :math:`N` tried give a number; the others give ``<NA>``.

    Parameters
    ----------
    results : sequence of ParticipantResult
        Each needs ``index``, ``n_values`` and ``nmf_r2_curve``.
    thresholds : sequence of float
        Thresholds in (0, 1).

    Returns
    -------
    pandas.DataFrame
        Index ``participant``; one nullable-integer column per threshold, named
        by the threshold (a float).
    """
    results = _check_results(results)
    thresholds = [float(t) for t in thresholds]
    if not thresholds:
        raise SynergyInputError("thresholds is empty.")
    if any(not 0.0 < t < 1.0 for t in thresholds):
        raise SynergyInputError(f"every threshold must lie in (0, 1), got {thresholds}.")
    rows = {}
    for res in results:
        n_values = np.asarray(res.n_values)
        curve = np.asarray(res.nmf_r2_curve, dtype=float)
        row = []
        for t in thresholds:
            if np.nanmax(curve) >= t:
                row.append(select_n_synergies(n_values, curve, threshold=t))
            else:
                row.append(pd.NA)
        rows[int(res.index)] = row
    table = pd.DataFrame.from_dict(rows, orient="index", columns=thresholds).astype("Int64")
    table.index.name = "participant"
    table.columns.name = "R² threshold"
    return table


def ground_truth_r2(result, *, split: str = "train") -> float:
    r"""Centred :math:`R^2` of the data reconstructed from the *true* synergies.

    The true synergies :math:`W^\star` (``result.true_synergies``, in the
    normalised muscle space of the analysed matrix) are held fixed and the
    activations are fitted sample by sample by non-negative least squares,

    .. math::

        h_t = \arg\min_{h \ge 0} \lVert x_t - W^\star h \rVert_2, \qquad
        R^2 = 1 - \frac{\sum_{m,t}(x_{mt} - (W^\star h_t)_m)^2}{\sum_{m,t}(x_{mt} - \bar x_m)^2}.

    This is what the generating model itself reaches on the preprocessed data:
    the part it misses is noise, preprocessing and (with a non-linear mixing) the
    non-linearity, not a shortage of synergies.

    Parameters
    ----------
    result : ParticipantResult
        Needs ``true_synergies`` and ``train`` (and ``test`` for ``split="test"``).
    split : {"train", "test"}
        Which matrix to reconstruct.

    Returns
    -------
    float
    """
    if split not in ("train", "test"):
        raise SynergyInputError(f"split must be 'train' or 'test', got {split!r}.")
    W = getattr(result, "true_synergies", None)
    X = getattr(result, split, None)
    if W is None:
        raise SynergyInputError("this result has no ground truth (true_synergies is None).")
    if X is None:
        raise SynergyInputError(f"this result has no {split!r} matrix.")
    W = np.asarray(W, dtype=float)
    X = np.asarray(X, dtype=float)  # (n_muscles, n_samples)
    if W.ndim != 2 or X.ndim != 2 or W.shape[0] != X.shape[0]:
        raise SynergyInputError(
            f"true_synergies {W.shape} and the {split} matrix {X.shape} must share their "
            "first (muscle) axis."
        )
    H = np.column_stack([nnls(W, x)[0] for x in X.T])  # (K, n_samples)
    return r2_score(X, W @ H, muscle_axis=0)


def max_offdiagonal_correlation(H) -> float:
    r"""Largest Pearson correlation between two different rows of ``H``.

    .. math::

        \max_{i \ne j} \operatorname{corr}(h_i, h_j).

    Parameters
    ----------
    H : array-like of shape (K, n_samples)
        Activations (physiology layout), ``K >= 2``, no constant row.
    """
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or H.shape[0] < 2:
        raise SynergyInputError(f"H must have shape (K, n_samples) with K >= 2, got {H.shape}.")
    if np.any(np.ptp(H, axis=1) == 0):
        raise SynergyInputError("H has a constant row: its correlations are undefined.")
    C = np.corrcoef(H)
    return float(C[~np.eye(C.shape[0], dtype=bool)].max())


def correlation_spectrum(H) -> np.ndarray:
    r"""Cumulative share of the variance of the standardised activations, by component.

    With :math:`C` the correlation matrix of the :math:`K` rows of ``H`` and
    :math:`\lambda_1 \ge \dots \ge \lambda_K` its eigenvalues (the variances of
    the principal components of the standardised activations),

    .. math::

        s_k = \frac{\sum_{i \le k} \lambda_i}{\sum_{i \le K} \lambda_i}
            = \frac{1}{K}\sum_{i \le k} \lambda_i .

    Uncorrelated activations give :math:`s_k = k / K`; the more they correlate,
    the faster :math:`s_k` approaches 1, i.e. the fewer directions the
    activations really span.

    Parameters
    ----------
    H : array-like of shape (K, n_samples)

    Returns
    -------
    ndarray of shape (K,)
        :math:`s_1, \dots, s_K` (non-decreasing, :math:`s_K = 1`).
    """
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or H.shape[0] < 1 or H.shape[1] < 2:
        raise SynergyInputError(f"H must have shape (K, n_samples) with n_samples >= 2, got {H.shape}.")
    if not np.all(np.isfinite(H)):
        raise SynergyInputError("H contains NaN or infinity.")
    if np.any(np.ptp(H, axis=1) == 0):
        raise SynergyInputError("H has a constant row: its correlations are undefined.")
    C = np.atleast_2d(np.corrcoef(H))
    eig = np.clip(np.linalg.eigvalsh(C)[::-1], 0.0, None)
    share = np.cumsum(eig) / eig.sum()
    share[-1] = 1.0
    return share


def nmf_summary(results, *, similarity_threshold: float = 0.8) -> pd.DataFrame:
    r"""One row per participant: the NMF baseline's reconstruction and ground-truth similarity.

    Columns

    * ``participant``, ``n_synergies`` (the chosen :math:`N`);
    * ``r2_train``, ``r2_test``: centred :math:`R^2` on the mean of the training
      repetitions and on the held-out repetition (``NaN`` without one);
      ``r2_gap`` = ``r2_train - r2_test``;
    * ``vaf_train``: uncentred VAF, and ``vaf_minus_r2`` = ``vaf_train - r2_train``.
      Both share the error :math:`\mathrm{SSE}`, so
      :math:`(1 - R^2)/(1 - \mathrm{VAF}) = \sum x^2 / \sum (x - \bar x_m)^2`,
      a property of the data alone;
    * with a ground truth (synthetic data): ``n_true`` (:math:`K`), ``true_r2_train``
      (:func:`ground_truth_r2`), ``true_mean_cosine`` and ``true_share_above``
      (NMF synergies matched one to one to the true ones,
      :func:`synergylib.metrics.ground_truth_similarity`, at most :math:`\min(N, K)`
      pairs), ``true_mean_activation_correlation`` (of the matched activations) and
      ``true_max_activation_correlation`` (:func:`max_offdiagonal_correlation` of
      the true activations). Without one these are ``NaN``.

    Parameters
    ----------
    results : sequence of ParticipantResult
    similarity_threshold : float
        Cosine threshold of ``true_share_above``.
    """
    results = _check_results(results)
    rows = []
    for res in results:
        row = {
            "participant": int(res.index),
            "n_synergies": int(res.n_synergies),
            "r2_train": float(res.nmf_r2_train),
            "r2_test": np.nan if res.nmf_r2_test is None else float(res.nmf_r2_test),
            "vaf_train": float(res.nmf_vaf_train),
        }
        row["r2_gap"] = row["r2_train"] - row["r2_test"]
        row["vaf_minus_r2"] = row["vaf_train"] - row["r2_train"]
        truth = {
            "n_true": np.nan,
            "true_r2_train": np.nan,
            "true_mean_cosine": np.nan,
            "true_share_above": np.nan,
            "true_mean_activation_correlation": np.nan,
            "true_max_activation_correlation": np.nan,
        }
        W_true = getattr(res, "true_synergies", None)
        if W_true is not None:
            H_true = getattr(res, "true_activations_train", None)
            sim = ground_truth_similarity(
                W_true,
                res.nmf_synergies,
                H_true,
                None if H_true is None else res.nmf_activations_train,
                threshold=similarity_threshold,
            )
            truth.update(
                n_true=int(np.shape(W_true)[1]),
                true_r2_train=ground_truth_r2(res),
                true_mean_cosine=sim["mean_cosine"],
                true_share_above=sim["share_above"],
                true_mean_activation_correlation=sim["mean_activation_correlation"],
            )
            if H_true is not None and np.shape(H_true)[0] >= 2:
                truth["true_max_activation_correlation"] = max_offdiagonal_correlation(H_true)
        row.update(truth)
        rows.append(row)
    return pd.DataFrame(rows)


def matched_cosine_matrix(results, synergy_names: Sequence[str] | None = None) -> pd.DataFrame:
    r"""Cosine of the NMF synergy matched to each true synergy, per participant.

    For each participant the NMF synergies are matched one to one to the true
    ones (:func:`synergylib.metrics.match_synergies`, true synergies as
    reference). With :math:`N < K` NMF synergies, :math:`K - N` true synergies stay
    unmatched: their cell is ``NaN``. The row mean over matched cells is the
    ``true_mean_cosine`` of :func:`nmf_summary`.

    Parameters
    ----------
    results : sequence of ParticipantResult
        Each needs ``index``, ``true_synergies`` and ``nmf_synergies``; every
        participant must have the same number :math:`K` of true synergies.
    synergy_names : sequence of str, optional
        Column names (default ``"S1"``, ...).

    Returns
    -------
    pandas.DataFrame
        Index ``participant``, one column per true synergy.
    """
    results = _check_results(results)
    rows = {}
    n_true = None
    for res in results:
        W_true = getattr(res, "true_synergies", None)
        if W_true is None:
            raise SynergyInputError(f"participant {res.index} has no ground truth (true_synergies is None).")
        k = int(np.shape(W_true)[1])
        if n_true is None:
            n_true = k
        elif k != n_true:
            raise SynergyInputError(f"participants have different numbers of true synergies ({n_true} and {k}).")
        match = match_synergies(W_true, res.nmf_synergies)
        row = np.full(k, np.nan)
        row[match.ref_index] = match.cosine
        rows[int(res.index)] = row
    names = [f"S{i + 1}" for i in range(n_true)] if synergy_names is None else [str(s) for s in synergy_names]
    if len(names) != n_true:
        raise SynergyInputError(f"got {len(names)} synergy names for {n_true} true synergies.")
    table = pd.DataFrame.from_dict(rows, orient="index", columns=names)
    table.index.name = "participant"
    return table


# --------------------------------------------------------------------------- #
# The named values of the chapter's text, one function per section
# --------------------------------------------------------------------------- #
def choice_values(n_values, mean_curve, chosen, typical_n: int, n_true: int) -> dict:
    r"""What the :math:`R^2` rule chose (section "How many synergies?").

    ``mean_curve`` is the mean :math:`R^2(N)` over participants at ``n_values``,
    ``chosen`` the :math:`N` chosen for each participant and ``typical_n`` the most
    frequent choice. Returns the range of the choices as text (``chosen_range``),
    ``typical_n`` and the share of participants with it, the numbers of
    participants whose choice is below, equal to and above the true number
    ``n_true`` (``n_rule_below``, ``n_rule_equal``, ``n_rule_above``), and the mean
    :math:`R^2` at ``typical_n``, at the true number (``r2_at_true``) and at
    :math:`N = 1`. The shape of the curve: ``knee_ratio``
    (:func:`synergylib.calibration.knee_ratio`, NaN unless ``n_values`` is
    :math:`1, \dots, n` with :math:`n \ge 4`), ``n_knee`` (the :math:`N` whose gain
    is that many times the next one's), ``gains_shrink`` (every gain from
    :math:`N = 2` on at most the one before) and ``gain_after_true``, the gain
    :math:`R^2(K+1) - R^2(K)` one synergy beyond the truth, with ``n_after_true``
    :math:`= K + 1` (NaN when :math:`K` or :math:`K + 1` was not tried).
    """
    n_values, mean_curve, chosen = np.asarray(n_values), np.asarray(mean_curve), np.asarray(chosen)
    if chosen.min() == chosen.max():
        chosen_range = f"{chosen.min()}"
    else:
        chosen_range = f"{chosen.min()} to {chosen.max()}"
    at = {int(n): float(r) for n, r in zip(n_values, mean_curve)}
    consecutive = len(n_values) >= 4 and np.array_equal(n_values, np.arange(1, len(n_values) + 1))
    if consecutive:
        kappa = knee_ratio(mean_curve)
        delta = np.diff(mean_curve)  # delta[i]: the gain at N = i + 2
        ratios = delta[1:-1] / np.maximum(delta[2:], 1e-3)  # N = 3 .. n - 1
        n_knee = int(np.argmax(ratios)) + 3
        gains_shrink = bool(np.all(np.diff(delta) <= 0))
    else:
        kappa, n_knee, gains_shrink = np.nan, -1, False
    return {
        "chosen_range": chosen_range,
        "typical_n": typical_n,
        "n_typical_share": np.mean(chosen == typical_n),
        "n_rule_below": int(np.sum(chosen < n_true)),
        "n_rule_equal": int(np.sum(chosen == n_true)),
        "n_rule_above": int(np.sum(chosen > n_true)),
        "r2_at_typical": at[int(typical_n)],
        "r2_at_true": at.get(int(n_true), np.nan),
        "r2_one": mean_curve[0],
        "knee_ratio": kappa,
        "n_knee": n_knee,
        "gains_shrink": gains_shrink,
        "n_after_true": int(n_true) + 1,
        "gain_after_true": (at[n_true + 1] - at[n_true]
                            if n_true in at and n_true + 1 in at else np.nan),
    }


def curve_shape_sentence(values: dict, *, n_true: int, max_knee: float = 3.0) -> str:
    r"""The sentences on the shape of the mean :math:`R^2` curve, by case.

    ``values`` is :func:`choice_values`. A curve whose knee ratio is at most
    ``max_knee`` (the calibration's criterion, chapter 1) rises smoothly, and the
    text says that its gain never collapses, also one synergy beyond the true
    number ``n_true`` (that clause is left out when :math:`K + 1` was not tried);
    a larger ratio is a knee, and the text says where it is with respect to the
    truth. Without a knee ratio (fewer than four :math:`N` tried) it says so.
    Numbers are formatted here, from ``values``: the caller types none.
    """
    kappa = float(values["knee_ratio"])
    if not np.isfinite(kappa):
        return ("Too few numbers of synergies were tried to judge the shape of the curve "
                "(the knee ratio needs $N = 1, \\dots, 4$ at least).")
    criterion = (f"knee ratio {kappa:.1f}: from $N = 3$ on, the largest ratio of one gain to "
                 f"the next; the calibration of {{doc}}`01_data` calls a curve with a ratio "
                 f"above {max_knee:g} a knee")
    gain = float(values["gain_after_true"])
    if kappa <= max_knee:
        each = ("each added synergy bringing a little less" if values["gains_shrink"]
                else "its gains shrinking unevenly but without a collapse")
        text = (f"The curve rises smoothly, {each} ({criterion}). The gain shrinks slowly "
                "and never collapses")
        if np.isfinite(gain):
            text += (f", also beyond the true $N$ ({gain:.3f} at $N$ = "
                     f"{int(values['n_after_true'])}), where further NMF synergies fit the "
                     "muscle-specific activity, muscle gains and crosstalk of {doc}`01_data`, "
                     "which no synergy generated")
        return text + ": the curve's shape does not reveal the true $N$."
    n_knee = int(values["n_knee"])
    if n_knee == n_true:
        where = "at the true $N$: here the shape of the curve points at the truth"
    else:
        side = "below" if n_knee < n_true else "above"
        where = (f"{side} the true $N$ of {n_true}: a knee is no more a measurement of "
                 "the number of synergies than a threshold is")
    return (f"The curve has a knee: the gain at $N$ = {n_knee} is {kappa:.1f} times the "
            f"next one ({criterion}). The knee lies {where}.")


def threshold_values(n_table: pd.DataFrame, thresholds: Sequence[float], n_true: int,
                     n_max: int | None = None) -> dict:
    """How the choice moves from the lowest to the highest threshold.

    ``n_table`` is :func:`n_synergies_by_threshold` for ``thresholds``. Returns the
    lowest and the highest threshold (``t_low``, ``t_high``), the median :math:`N`
    each picks and the shares of participants for whom the highest picks
    ``n_true`` (``share_true_high``) and more than ``n_true``
    (``share_above_true_high``). A participant whose curve never reaches the
    highest threshold needs more than the largest :math:`N` tried, ``n_max``: it
    counts as above the truth when ``n_max >= n_true`` is given, and as not above
    otherwise.
    """
    n_low = n_table[thresholds[0]].astype(float)
    n_high = n_table[thresholds[-1]].astype(float)
    above = (n_high > n_true).to_numpy()
    if n_max is not None and n_max >= n_true:
        above = above | n_high.isna().to_numpy()
    return {
        "t_low": thresholds[0],
        "t_high": thresholds[-1],
        "median_n_low": np.nanmedian(n_low),
        "median_n_high": np.nanmedian(n_high),
        "share_true_high": np.mean(n_high == n_true),
        "share_above_true_high": float(np.mean(above)),
    }


def correlation_values(corr, true_names: Sequence[str], spectrum, summary: pd.DataFrame, *,
                       r2_at_true: float) -> dict:
    r"""Why the rule's :math:`N` can differ from the true one (section "Why can the rule's N ...").

    Parameters
    ----------
    corr : ndarray of shape (K, K)
        Correlation matrix of one participant's true activations.
    true_names : sequence of str
        The names of the :math:`K` true synergies.
    spectrum : ndarray of shape (n_participants, K)
        :func:`correlation_spectrum` of every participant's true activations.
    summary : DataFrame
        :func:`nmf_summary`.
    r2_at_true : float
        The mean NMF :math:`R^2` at the true number of synergies.

    Returns
    -------
    dict
        The most correlated pair of true synergies (``corr_max``, ``corr_max_a``,
        ``corr_max_b``) and the number of pairs above 0.5; the mean share of
        variance of the first :math:`K - 1` components (``spectrum_at_fewer``, with
        ``n_fewer`` :math:`= K - 1`) and the share for uncorrelated activations,
        :math:`(K - 1)/K`; the mean :math:`R^2` of the true model and how far NMF at
        the true :math:`N` lies above it (``nmf_over_truth``); the range over
        participants of the strongest correlation (``corr_max_min``,
        ``corr_max_all``).
    """
    corr = np.asarray(corr)
    n_true = len(true_names)
    if corr.shape != (n_true, n_true):
        raise SynergyInputError(f"corr has shape {corr.shape} for {n_true} true synergies.")
    if n_true < 2:
        raise SynergyInputError("correlations need at least 2 true synergies.")
    diagonal = np.eye(n_true, dtype=bool)
    off_diagonal = corr[~diagonal]
    i_max, j_max = np.unravel_index(np.argmax(np.where(diagonal, -np.inf, corr)), corr.shape)
    spectrum = np.asarray(spectrum)
    true_r2_mean = summary["true_r2_train"].mean()
    return {
        "corr_max": off_diagonal.max(),
        "corr_max_a": true_names[i_max],
        "corr_max_b": true_names[j_max],
        "n_corr_above_half": int(np.sum(off_diagonal > 0.5) // 2),
        "n_fewer": n_true - 1,
        "spectrum_at_fewer": spectrum[:, n_true - 2].mean(),
        "spectrum_uncorrelated_fewer": (n_true - 1) / n_true,
        "true_r2_mean": true_r2_mean,
        "nmf_over_truth": r2_at_true - true_r2_mean,
        "corr_max_all": summary["true_max_activation_correlation"].max(),
        "corr_max_min": summary["true_max_activation_correlation"].min(),
    }


def correlation_sentence(values: dict) -> str:
    """The paragraph on how strongly the true activations go together, by case.

    ``values`` is :func:`correlation_values`. The qualifier follows the strongest
    correlation over all participants (``corr_max_all``): below 0.5 the
    correlations are moderate, far from "always together"; from 0.5 to 0.8 some
    pairs are strongly correlated, still not always together; from 0.8 on some
    pairs nearly always go together. Numbers are formatted here, from ``values``.
    """
    strongest = float(values["corr_max_all"])
    n_half = int(values["n_corr_above_half"])
    pairs = {0: "no pair exceeds", 1: "1 pair exceeds"}.get(n_half, f"{n_half} pairs exceed")
    text = (f"The strongest pair, *{values['corr_max_a']}* and *{values['corr_max_b']}*, "
            f"correlates at $r$ = {float(values['corr_max']):.2f}, and {pairs} 0.5 (across "
            f"participants the strongest pair lies between {float(values['corr_max_min']):.2f} "
            f"and {strongest:.2f}): ")
    if strongest < 0.5:
        text += "moderate correlations, far from \"always together\"."
    elif strongest < 0.8:
        text += ("strong for some pairs, but far from \"always together\": a synergy fewer "
                 "cannot stand for such a pair without loss.")
    else:
        text += ("some pairs nearly always go together, and a single synergy can stand for "
                 "such a pair at little loss.")
    return text + " Two numbers make the argument quantitative:"


def participant_values(result, match, true_names: Sequence[str]) -> dict:
    """One participant's NMF against the truth (section "The synergies of one participant").

    ``match`` is :func:`synergylib.metrics.match_synergies` of ``result``'s true
    synergies (the reference) and NMF synergies. Returns the participant's index
    (``participant_shown``), the unmatched true synergies as text (``"none"``
    when every one is matched) and their number, the mean cosine of the matched
    pairs, and the range of the correlations of the matched activations
    (``act_corr_min``, ``act_corr_max``), and the participant's number of NMF
    synergies (``n_synergies_shown``) and of true ones (``n_true_shown``).
    """
    matched = set(match.ref_index)
    unmatched = [true_names[i] for i in range(len(true_names)) if i not in matched]
    H_nmf = result.nmf_activations_train[match.index]
    H_ref = result.true_activations_train[match.ref_index]
    act_corr = [np.corrcoef(a, b)[0, 1] for a, b in zip(H_nmf, H_ref)]
    return {
        "participant_shown": result.index,
        "unmatched": ", ".join(unmatched) if unmatched else "none",
        "n_unmatched": len(unmatched),
        "shown_mean_cosine": match.mean_cosine,
        "act_corr_min": min(act_corr),
        "act_corr_max": max(act_corr),
        "n_synergies_shown": int(result.n_synergies),
        "n_true_shown": len(true_names),
    }


def unmatched_sentence(values: dict) -> str:
    """What the matching leaves unmatched for the participant shown, by case.

    ``values`` is :func:`participant_values`. With fewer NMF synergies than true
    ones (:math:`N < K`) the text names the true synergies without a partner; with
    :math:`N = K` every true synergy has one; with :math:`N > K` the extra NMF
    synergies match none.
    """
    n, k = int(values["n_synergies_shown"]), int(values["n_true_shown"])
    head = f"Matched pairs have a mean cosine of {float(values['shown_mean_cosine']):.2f}. "
    if n < k:
        n_unmatched = int(values["n_unmatched"])
        who = "true synergy finds" if n_unmatched == 1 else "true synergies find"
        return head + (
            f"With fewer NMF synergies than true ones ({n} against {k}), {n_unmatched} {who} "
            f"no partner ({values['unmatched']}). They did not vanish from the data: the full "
            "matrix of cosines shows them absorbed into NMF synergies that mix several true ones.")
    if n == k:
        return head + (
            f"NMF has as many synergies as the truth ({k}), and every true synergy has a "
            "partner; the full matrix of cosines shows how cleanly each pair stands apart "
            "from the other synergies.")
    extra = n - k
    return head + (
        f"NMF has {extra} {'synergy' if extra == 1 else 'synergies'} more than the truth "
        f"({n} against {k}): every true synergy has a partner, and the "
        f"{'extra one matches' if extra == 1 else f'{extra} extra ones match'} none. The full "
        "matrix of cosines shows what they resemble: a part of a true synergy split off, or "
        "muscle-specific activity that no synergy generated.")





def reconstruction_values(summary: pd.DataFrame, threshold: float, X, X_hat) -> dict:
    r"""Training against held-out reconstruction, and :math:`R^2` against VAF.

    ``summary`` is :func:`nmf_summary`, ``threshold`` the :math:`R^2` rule's. ``X``
    (``n_muscles x n_samples``) and its reconstruction ``X_hat`` illustrate the
    identity between the two measures on one participant: ``ratio_data`` is
    :math:`\sum x^2 / \mathrm{SST}`, ``ratio_fit`` is
    :math:`(1 - R^2)/(1 - \mathrm{VAF})`, and they are equal. Also returned: the
    means over participants of :math:`R^2` (training, held-out, their gap), of the
    VAF and of VAF - :math:`R^2`, and the number of participants whose held-out
    :math:`R^2` is below ``threshold``.
    """
    X, X_hat = np.asarray(X), np.asarray(X_hat)
    ratio_data = np.sum(X**2) / np.sum((X - X.mean(axis=1, keepdims=True)) ** 2)
    r2_shown = r2_score(X, X_hat, muscle_axis=0)
    return {
        "r2_train_mean": summary["r2_train"].mean(),
        "r2_test_mean": summary["r2_test"].mean(),
        "r2_gap_mean": summary["r2_gap"].mean(),
        "n_test_below": int(np.sum(summary["r2_test"] < threshold)),
        "vaf_mean": summary["vaf_train"].mean(),
        "vaf_minus_r2_mean": summary["vaf_minus_r2"].mean(),
        "ratio_data": ratio_data,
        "ratio_fit": (1 - r2_shown) / (1 - vaf(X, X_hat)),
    }


def truth_values(summary: pd.DataFrame, cos_matrix: pd.DataFrame, *, threshold: float = 0.8) -> dict:
    """How close NMF is to the ground truth (section "How close is NMF to the ground truth?").

    ``summary`` is :func:`nmf_summary`, ``cos_matrix`` :func:`matched_cosine_matrix`.
    Returns the means over participants of the matched cosine, of the share of
    pairs at or above ``threshold`` and of the activation correlation; the mean
    share of the *true* synergies with a partner at or above ``threshold``
    (``recovered_share``: an unmatched true synergy counts as not recovered); the true
    synergy most often recovered (cosine at or above ``threshold``) with its
    share of participants; and the number of true synergies matched in no
    participant (``n_never_matched``).
    """
    recovered = (cos_matrix >= threshold).mean(axis=0)
    return {
        "true_cos_mean": summary["true_mean_cosine"].mean(),
        "true_share_mean": summary["true_share_above"].mean(),
        "true_act_mean": summary["true_mean_activation_correlation"].mean(),
        "recovered_share": float((cos_matrix >= threshold).mean(axis=1).mean()),
        "best_recovered": recovered.idxmax(),
        "best_recovered_share": recovered.max(),
        "n_never_matched": int((cos_matrix.isna().all(axis=0)).sum()),
    }


# --------------------------------------------------------------------------- #
# Figures
# --------------------------------------------------------------------------- #
def label_planes(
    axes,
    plane_names: Sequence[str] = PLANE_NAMES,
    n_targets: int = N_TARGETS,
    *,
    movement_width: float = 1.0,
):
    """Mark the workspace planes on activation panels whose x axis counts movements.

    The synthetic matrices hold the movements ordered by plane, then target
    (:func:`synergylib.preprocessing.preprocess_participant`), so plane ``p``
    covers movements ``p * n_targets`` to ``(p + 1) * n_targets``. This draws a
    thick black line at every plane boundary and puts the plane names as x tick
    labels at the plane centres (on every panel; they show on the bottom one when
    the x axis is shared).

    Parameters
    ----------
    axes : Axes or sequence of Axes
        E.g. those returned by :func:`synergylib.plotting.plot_activations`, whose
        x unit is one movement.
    plane_names : sequence of str
        In matrix order (default: the synthetic data set's planes).
    n_targets : int
        Movements per plane.
    movement_width : float
        Width of one movement in x units (1 for ``plot_activations``; ``n_points``
        for an axis in samples).

    Returns
    -------
    list of Axes
    """
    axes = list(np.atleast_1d(axes).ravel())
    if isinstance(n_targets, bool) or int(n_targets) != n_targets or n_targets < 1:
        raise SynergyInputError(f"n_targets must be a positive integer, got {n_targets!r}.")
    if not movement_width > 0:
        raise SynergyInputError(f"movement_width must be positive, got {movement_width!r}.")
    names = [str(p) for p in plane_names]
    width = n_targets * movement_width
    centres = (np.arange(len(names)) + 0.5) * width
    for ax in axes:
        for b in range(1, len(names)):
            ax.axvline(b * width, color="black", linewidth=1.4)
        ax.set_xticks(centres, names)
        ax.tick_params(axis="x", length=0)
    return axes


def plot_n_choice(n_table: pd.DataFrame, n_true: int | None = None, *, ax=None):
    """How many participants each threshold rule gives each number of synergies.

    Parameters
    ----------
    n_table : DataFrame
        Output of :func:`n_synergies_by_threshold` (one column per threshold).
        Participants for which a threshold is never reached are counted in the
        legend, not drawn.
    n_true : int, optional
        The number of synergies that generated the data, drawn as a vertical line.
    ax : Axes, optional

    Returns
    -------
    fig : Figure
    ax : Axes
        ``ax.containers[j]`` holds the bars of threshold ``j``.
    """
    if not isinstance(n_table, pd.DataFrame) or n_table.shape[1] == 0 or n_table.shape[0] == 0:
        raise SynergyInputError("n_table must be a non-empty DataFrame from n_synergies_by_threshold.")
    values = n_table.dropna(how="all")
    observed = pd.to_numeric(values.stack(), errors="coerce").dropna().astype(int)
    low = int(observed.min()) if len(observed) else 1
    high = int(observed.max()) if len(observed) else 1
    if n_true is not None:
        low, high = min(low, int(n_true)), max(high, int(n_true))
    n_axis = np.arange(max(1, low - 1), high + 2)
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.0, 3.3), layout="constrained")
    else:
        fig = ax.figure
    n_cols = n_table.shape[1]
    width = 0.8 / n_cols
    for j, column in enumerate(n_table.columns):
        col = n_table[column]
        counts = np.array([int((col == n).sum()) for n in n_axis])
        missing = int(col.isna().sum())
        label = f"R² ≥ {float(column):.2f}" if isinstance(column, (int, float)) else str(column)
        if missing:
            label += f" (not reached: {missing})"
        ax.bar(n_axis + (j - (n_cols - 1) / 2) * width, counts, width,
               color=_BAR_COLORS[j % len(_BAR_COLORS)], edgecolor="black", linewidth=0.4,
               label=label)  # fmt: skip
    if n_true is not None:
        ax.axvline(int(n_true), color="black", linestyle="--", linewidth=1.2,
                   label=f"ground truth: {int(n_true)} synergies")  # fmt: skip
    ax.set_xticks(n_axis)
    ax.set_xlabel("Number of synergies N")
    ax.set_ylabel("Participants")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.grid(alpha=0.3, axis="y")
    return fig, ax


def plot_train_test(summary: pd.DataFrame, *, ax=None, threshold: float | None = None):
    """Training against held-out :math:`R^2` of every participant, paired.

    Parameters
    ----------
    summary : DataFrame
        With columns ``participant``, ``r2_train``, ``r2_test`` (e.g. :func:`nmf_summary`).
    ax : Axes, optional
    threshold : float, optional
        The selection threshold, drawn as a dashed horizontal line.

    Returns
    -------
    fig : Figure
    ax : Axes
        ``ax.lines[i]`` joins participant ``i``'s two values.
    """
    missing = {"participant", "r2_train", "r2_test"} - set(getattr(summary, "columns", ()))
    if missing:
        raise SynergyInputError(f"summary lacks the column(s) {sorted(missing)}.")
    if len(summary) == 0:
        raise SynergyInputError("summary is empty.")
    if ax is None:
        fig, ax = plt.subplots(figsize=(max(4.0, 0.45 * len(summary) + 2.0), 3.3), layout="constrained")
    else:
        fig = ax.figure
    x = np.arange(len(summary))
    train = summary["r2_train"].to_numpy(float)
    test = summary["r2_test"].to_numpy(float)
    for i in x:
        ax.plot([i, i], [train[i], test[i]], color="0.6", linewidth=1.0, zorder=1)
    ax.scatter(x, train, marker="o", s=30, color="#0072B2", edgecolor="black", linewidth=0.4,
               zorder=2, label="training (mean of repetitions)")  # fmt: skip
    ax.scatter(x, test, marker="s", s=30, color="#E69F00", edgecolor="black", linewidth=0.4,
               zorder=2, label="held-out repetition")  # fmt: skip
    if threshold is not None:
        ax.axhline(threshold, color="black", linestyle="--", linewidth=0.9, label=f"threshold {threshold:.2f}")
    ax.set_xticks(x, [str(p) for p in summary["participant"]])
    ax.set_xlabel("Participant")
    ax.set_ylabel("Reconstruction R² (centred)")
    ax.set_xlim(-0.6, len(summary) - 0.4)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8, loc="best")
    return fig, ax
