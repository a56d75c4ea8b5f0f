"""Statistics across participants: Friedman test, Wilcoxon signed-rank tests, Holm.

Protocol section 6.7: one score per participant and method (for instance the
held-out :math:`R^2` of NMF and of each autoencoder pairing), an omnibus
Friedman test over methods, then pairwise Wilcoxon signed-rank tests whose
p-values are adjusted with the Holm-Bonferroni procedure.

Scores are given either as a ``dict`` mapping method name to an array of one
value per participant (every array in the same participant order), or as a 2-D
array of shape ``(n_subjects, n_methods)`` together with the method names.

Results are small frozen dataclasses or lists of plain dicts, so that a notebook
can write ``pandas.DataFrame(pairwise_wilcoxon(...))``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Mapping, Sequence

import numpy as np
from scipy import stats

from ._validation import SynergyInputError, check_int

__all__ = [
    "MIN_SUBJECTS",
    "FriedmanResult",
    "friedman_test",
    "holm_adjust",
    "min_wilcoxon_pvalue",
    "pairwise_wilcoxon",
]

#: Fewest participants accepted by the tests. With 2 subjects the smallest
#: possible two-sided Wilcoxon p-value is 0.5 and the Friedman chi-square
#: approximation is meaningless; 3 is a floor, not a recommendation.
MIN_SUBJECTS: int = 3


def _score_table(scores, names: Sequence[str] | None) -> tuple[np.ndarray, list[str]]:
    """Return scores as an (n_subjects, n_methods) float array and the method names."""
    if isinstance(scores, Mapping):
        if names is None:
            names = list(scores.keys())
        else:
            missing = [n for n in names if n not in scores]
            if missing:
                raise SynergyInputError(f"names not found in scores: {missing}.")
        columns = []
        for n in names:
            col = np.asarray(scores[n], dtype=float)
            if col.ndim != 1:
                raise SynergyInputError(
                    f"scores[{n!r}] must be 1-D (one value per subject), got shape {col.shape}."
                )
            columns.append(col)
        lengths = {c.size for c in columns}
        if len(lengths) > 1:
            raise SynergyInputError(
                "every method must have one score per subject (the same number of subjects), "
                f"got lengths {[c.size for c in columns]}."
            )
        table = np.column_stack(columns) if columns else np.empty((0, 0))
    else:
        table = np.asarray(scores, dtype=float)
        if table.ndim != 2:
            raise SynergyInputError(
                f"scores must be a dict or a 2-D array (n_subjects, n_methods), got {table.ndim}-D."
            )
        if names is None:
            names = [f"method{j}" for j in range(table.shape[1])]
        if len(names) != table.shape[1]:
            raise SynergyInputError(
                f"{len(names)} names for {table.shape[1]} methods (columns of scores)."
            )
    names = [str(n) for n in names]
    if len(set(names)) != len(names):
        raise SynergyInputError(f"method names must be unique, got {names}.")
    if table.shape[1] < 2:
        raise SynergyInputError(f"need at least 2 methods to compare, got {table.shape[1]}.")
    if table.shape[0] < MIN_SUBJECTS:
        raise SynergyInputError(
            f"too few subjects: got {table.shape[0]}, need at least {MIN_SUBJECTS} "
            "(one score per subject and method)."
        )
    if np.isnan(table).any():
        bad = sorted({names[j] for j in np.where(np.isnan(table).any(axis=0))[0]})
        raise SynergyInputError(
            f"scores contain NaN (methods {bad}); drop or impute failed fits explicitly first."
        )
    if not np.isfinite(table).all():
        raise SynergyInputError("scores contain infinity.")
    return table, names


# --------------------------------------------------------------------------- #
# Holm
# --------------------------------------------------------------------------- #
def holm_adjust(p) -> np.ndarray:
    r"""Holm-Bonferroni adjusted p-values (Holm 1979), in the input order.

    With the :math:`m` p-values sorted increasingly, :math:`p_{(1)} \le \dots \le p_{(m)}`,

    .. math::

        \tilde p_{(i)} = \min\Bigl(1,\ \max_{j \le i} (m - j + 1)\, p_{(j)}\Bigr).

    Rejecting every hypothesis with :math:`\tilde p \le \alpha` controls the
    family-wise error rate at :math:`\alpha`, like Bonferroni but uniformly more
    powerful.

    Parameters
    ----------
    p : array-like of shape (m,)
        Unadjusted p-values in [0, 1].

    Returns
    -------
    ndarray of shape (m,)
    """
    p = np.asarray(p, dtype=float)
    if p.ndim != 1:
        raise SynergyInputError(f"p must be 1-D, got shape {p.shape}.")
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise SynergyInputError("p-values must be numbers in [0, 1] (no NaN).")
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    scaled = (m - np.arange(m)) * p[order]
    adjusted_sorted = np.minimum(1.0, np.maximum.accumulate(scaled))
    out = np.empty(m)
    out[order] = adjusted_sorted
    return out


def _adjust(p: np.ndarray, correction: str) -> np.ndarray:
    if correction == "holm":
        return holm_adjust(p)
    if correction == "bonferroni":
        return np.minimum(1.0, p * p.size)
    if correction == "none":
        return p.copy()
    raise SynergyInputError(f"correction must be 'holm', 'bonferroni' or 'none', got {correction!r}.")


# --------------------------------------------------------------------------- #
# Friedman
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class FriedmanResult:
    r"""Result of :func:`friedman_test`.

    Attributes
    ----------
    statistic : float
        Friedman :math:`\chi^2_F` (tie-corrected, as computed by SciPy).
    pvalue : float
        From the :math:`\chi^2_{k-1}` approximation.
    kendall_w : float
        Kendall's coefficient of concordance :math:`W = \chi^2_F / (n (k - 1))`,
        in [0, 1]: 0 no agreement among subjects on the ranking of methods,
        1 every subject ranks the methods the same way.
    n_subjects, n_methods : int
    names : tuple of str
    mean_ranks : dict
        Mean within-subject rank of each method (1 = lowest score, ties get the
        average rank).
    """

    statistic: float
    pvalue: float
    kendall_w: float
    n_subjects: int
    n_methods: int
    names: tuple[str, ...]
    mean_ranks: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The scalar fields as a dict (one table row)."""
        return {
            "statistic": self.statistic,
            "pvalue": self.pvalue,
            "kendall_w": self.kendall_w,
            "n_subjects": self.n_subjects,
            "n_methods": self.n_methods,
        }


def friedman_test(scores, names: Sequence[str] | None = None) -> FriedmanResult:
    r"""Friedman test that all methods have the same distribution of scores.

    Each subject's scores are ranked across the :math:`k` methods
    (:math:`r_{ij}`, average ranks for ties) and, with :math:`R_j = \sum_i r_{ij}`,

    .. math::

        \chi^2_F = \frac{12}{n k (k+1)} \sum_j R_j^2 - 3 n (k+1)

    (divided by SciPy's tie correction), compared with :math:`\chi^2_{k-1}`
    (:func:`scipy.stats.friedmanchisquare`). The effect size is Kendall's
    :math:`W = \chi^2_F / (n(k-1))`.

    If every subject gives every method the same score (complete ties) the
    statistic is 0/0; the result is then reported as ``statistic=0``,
    ``pvalue=1``, ``kendall_w=0`` (no evidence of any difference).

    Parameters
    ----------
    scores : dict[str, array-like] or array-like of shape (n_subjects, n_methods)
        At least 3 methods (the Friedman test needs :math:`k \ge 3`; use
        :func:`pairwise_wilcoxon` for two) and :data:`MIN_SUBJECTS` subjects.
    names : sequence of str, optional
        Method names (and, for a dict, which methods to use, in which order).

    Returns
    -------
    FriedmanResult
    """
    table, names = _score_table(scores, names)
    n, k = table.shape
    if k < 3:
        raise SynergyInputError(
            f"the Friedman test needs at least 3 methods, got {k}; use pairwise_wilcoxon for 2."
        )
    ranks = np.apply_along_axis(stats.rankdata, 1, table)
    mean_ranks = {name: float(r) for name, r in zip(names, ranks.mean(axis=0))}
    if np.all(table == table[:, :1]):
        return FriedmanResult(0.0, 1.0, 0.0, n, k, tuple(names), mean_ranks)
    res = stats.friedmanchisquare(*table.T)
    chi2 = float(res.statistic)
    return FriedmanResult(
        statistic=chi2,
        pvalue=float(res.pvalue),
        kendall_w=chi2 / (n * (k - 1)),
        n_subjects=n,
        n_methods=k,
        names=tuple(names),
        mean_ranks=mean_ranks,
    )


# --------------------------------------------------------------------------- #
# Wilcoxon
# --------------------------------------------------------------------------- #
def _rank_biserial(d: np.ndarray, zero_method: str) -> float:
    r"""Matched-pairs rank-biserial correlation :math:`(T^+ - T^-)/(T^+ + T^-)`.

    Zero differences follow ``zero_method``: dropped before ranking
    (``"wilcox"``), ranked then dropped (``"pratt"``), or ranked and split
    equally between :math:`T^+` and :math:`T^-` (``"zsplit"``).
    """
    if zero_method == "wilcox":
        d = d[d != 0]
    if d.size == 0 or np.all(d == 0):
        return 0.0
    r = stats.rankdata(np.abs(d))
    t_plus, t_minus = r[d > 0].sum(), r[d < 0].sum()
    if zero_method == "zsplit":
        t_zero = r[d == 0].sum()
        t_plus, t_minus = t_plus + t_zero / 2, t_minus + t_zero / 2
    return float((t_plus - t_minus) / (t_plus + t_minus))


def min_wilcoxon_pvalue(n_subjects: int, *, alternative: str = "two-sided", n_tests: int = 1) -> float:
    r"""The smallest p-value a Wilcoxon signed-rank test of ``n_subjects`` differences can give.

    Without ties or zero differences, :func:`scipy.stats.wilcoxon` uses the exact
    null distribution for up to 50 subjects: each of the :math:`2^n` sign patterns of
    the ranks is equally likely, and the most extreme one (every difference of one
    sign) has probability :math:`2^{-n}`. The smallest p-value is therefore

    .. math::

        p_\min = 2^{-n} \ \text{(one-sided)}, \qquad p_\min = 2^{1-n} \ \text{(two-sided)},

    reached whenever all :math:`n` differences have the same sign, however large
    they are. (With ties, SciPy uses the normal approximation, whose p-values are
    larger than this at the same :math:`n \le 50`; a zero difference dropped lowers
    :math:`n`.) In a family of ``n_tests`` tests, Holm's procedure
    (:func:`holm_adjust`) multiplies the smallest p-value by ``n_tests``, so no
    adjusted p-value of :func:`pairwise_wilcoxon` can be below
    :math:`\min(1, m\, p_\min)` with :math:`m` = ``n_tests``: a table of them shows
    this floor wherever every participant agrees on the direction of a difference.

    Parameters
    ----------
    n_subjects : int
        Number of paired differences (at least 1, at most 50: above that SciPy uses
        the normal approximation).
    alternative : {"two-sided", "greater", "less"}
    n_tests : int, default 1
        Size of the family the p-values are adjusted in (Holm or Bonferroni).

    Returns
    -------
    float

    Examples
    --------
    >>> min_wilcoxon_pvalue(15)
    6.103515625e-05
    >>> round(min_wilcoxon_pvalue(15, n_tests=17), 6)
    0.001038
    """
    n_subjects = check_int(n_subjects, "n_subjects", low=1, high=50)
    n_tests = check_int(n_tests, "n_tests", low=1)
    if alternative not in ("two-sided", "greater", "less"):
        raise SynergyInputError(f"alternative must be 'two-sided', 'greater' or 'less', got {alternative!r}.")
    p = 2.0 ** (-n_subjects) * (2.0 if alternative == "two-sided" else 1.0)
    return float(min(1.0, n_tests * p))


def pairwise_wilcoxon(
    scores,
    names: Sequence[str] | None = None,
    *,
    reference: str | None = None,
    correction: str = "holm",
    zero_method: str = "wilcox",
    alternative: str = "two-sided",
    alpha: float = 0.05,
) -> list[dict]:
    r"""Wilcoxon signed-rank tests between methods, with multiple-comparison correction.

    For each pair :math:`(a, b)` the paired differences :math:`d_i = s_{ia} - s_{ib}`
    over subjects are tested for a median of zero with
    :func:`scipy.stats.wilcoxon`. All the p-values of the call form one family
    and are adjusted together (Holm by default, see :func:`holm_adjust`).

    Parameters
    ----------
    scores : dict[str, array-like] or array-like of shape (n_subjects, n_methods)
    names : sequence of str, optional
    reference : str, optional
        If given, compare only every other method with this one
        (:math:`k - 1` tests, ``method_a`` is always the reference); otherwise
        every pair (:math:`k(k-1)/2` tests).
    correction : {"holm", "bonferroni", "none"}, default "holm"
    zero_method : {"wilcox", "pratt", "zsplit"}, default "wilcox"
        How zero differences (ties between two methods for a subject) are
        handled, passed to SciPy: ``"wilcox"`` drops them. If **all**
        differences of a pair are zero the two methods are identical on these
        data: the row gets ``statistic=NaN``, ``pvalue=1`` and a ``note``.
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: ``method_a`` scores higher than ``method_b``.
    alpha : float, default 0.05
        Level for the ``reject`` column (adjusted p-value <= alpha).

    Returns
    -------
    list of dict
        One dict per test with keys ``method_a``, ``method_b``, ``n_subjects``,
        ``median_a``, ``median_b``, ``median_difference`` (median of
        :math:`d`), ``statistic`` (SciPy's), ``rank_biserial`` (matched-pairs
        rank-biserial correlation :math:`(T^+ - T^-)/(T^+ + T^-)`, in [-1, 1],
        positive when ``method_a`` tends to score higher), ``pvalue``,
        ``pvalue_adjusted``, ``reject`` and ``note``.
    """
    table, names = _score_table(scores, names)
    if zero_method not in ("wilcox", "pratt", "zsplit"):
        raise SynergyInputError(f"zero_method must be 'wilcox', 'pratt' or 'zsplit', got {zero_method!r}.")
    if alternative not in ("two-sided", "greater", "less"):
        raise SynergyInputError(f"alternative must be 'two-sided', 'greater' or 'less', got {alternative!r}.")
    if not 0 < alpha < 1:
        raise SynergyInputError(f"alpha must be in (0, 1), got {alpha!r}.")
    _adjust(np.zeros(1), correction)  # validates `correction` before any work
    col = {n: j for j, n in enumerate(names)}
    if reference is not None:
        if reference not in col:
            raise SynergyInputError(f"reference {reference!r} is not one of the methods {names}.")
        pairs = [(reference, n) for n in names if n != reference]
    else:
        pairs = list(combinations(names, 2))

    rows: list[dict] = []
    for a, b in pairs:
        xa, xb = table[:, col[a]], table[:, col[b]]
        d = xa - xb
        row = {
            "method_a": a,
            "method_b": b,
            "n_subjects": int(d.size),
            "median_a": float(np.median(xa)),
            "median_b": float(np.median(xb)),
            "median_difference": float(np.median(d)),
            "note": "",
        }
        if np.all(d == 0):
            row.update(statistic=float("nan"), rank_biserial=0.0, pvalue=1.0,
                       note="all differences are zero")
        else:
            res = stats.wilcoxon(xa, xb, zero_method=zero_method, alternative=alternative)
            row.update(
                statistic=float(res.statistic),
                rank_biserial=_rank_biserial(d, zero_method),
                pvalue=float(res.pvalue),
            )
            if zero_method == "wilcox" and np.any(d == 0):
                row["note"] = f"{int(np.sum(d == 0))} zero difference(s) dropped"
        rows.append(row)

    adjusted = _adjust(np.array([r["pvalue"] for r in rows]), correction)
    for r, p_adj in zip(rows, adjusted):
        r["pvalue_adjusted"] = float(p_adj)
        r["reject"] = bool(p_adj <= alpha)
    return rows
