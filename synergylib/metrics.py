"""Metrics that compare EMG reconstructions and muscle synergies.

This module implements section 6 of the replication protocol: reconstruction
quality (centred :math:`R^2`, VAF, per-muscle :math:`R^2`), similarity between two
sets of synergies after optimal one-to-one matching, correlation of matched
activations, the sign and sparseness of synergy vectors, the consistency of
synergies across participants and, for synthetic data, the similarity to the
ground truth.

Layouts
-------
Reconstruction metrics (:func:`r2_score`, :func:`vaf`, :func:`r2_per_muscle`)
take two arrays of the same shape; which axis holds the muscles is given by
``muscle_axis`` (default ``-1``: columns, the scikit-learn layout
``(n_samples, n_muscles)`` used by the estimators).

Every synergy metric uses the **physiology layout** :math:`X \\approx W H`:

* synergies ``W`` of shape ``(n_muscles, n_synergies)``, one synergy per column
  (this is the estimators' ``synergies_`` attribute as is);
* activations ``H`` of shape ``(n_synergies, n_samples)``, one activation per
  row (this is the **transpose** of what ``transform`` returns).

Sign convention
---------------
Cosine similarities are **signed**. A synergy that is the negative of another
(for instance an autoencoder synergy with negative weights against a
non-negative NMF synergy) has cosine :math:`-1`, not :math:`+1`: it is not the
same muscle pattern, and the matching never flips signs to make it look like one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from ._validation import SynergyInputError, check_int, check_real

__all__ = [
    "SynergyMatch",
    "activation_correlation",
    "active_muscles",
    "cross_participant_consistency",
    "ground_truth_similarity",
    "hoyer_sparseness",
    "match_synergies",
    "negative_mass_share",
    "negative_weight_share",
    "r2_per_muscle",
    "r2_score",
    "share_above",
    "synergy_metrics",
    "vaf",
]


# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #
def _as_finite_array(a, name: str, *, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """Return ``a`` as a float64 array, raising if it is not finite or of the wrong rank."""
    try:
        arr = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SynergyInputError(f"{name} must be a numeric array: {exc}") from exc
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            wanted = " or ".join(f"{d}-D" for d in allowed)
            raise SynergyInputError(f"{name} must be a {wanted} array, got {arr.ndim}-D (shape {arr.shape}).")
    if arr.size == 0:
        raise SynergyInputError(f"{name} is empty (shape {arr.shape}).")
    if np.isnan(arr).any():
        raise SynergyInputError(f"{name} contains NaN.")
    if not np.isfinite(arr).all():
        raise SynergyInputError(f"{name} contains infinity.")
    return arr


def _check_pair(X, X_hat) -> tuple[np.ndarray, np.ndarray]:
    X = _as_finite_array(X, "X")
    X_hat = _as_finite_array(X_hat, "X_hat")
    if X.shape != X_hat.shape:
        raise SynergyInputError(
            f"X and X_hat must have the same shape, got {X.shape} and {X_hat.shape}."
        )
    return X, X_hat


def _check_synergies(W, name: str = "W") -> np.ndarray:
    """Validate a synergy matrix of shape (n_muscles, n_synergies)."""
    W = _as_finite_array(W, name, ndim=(1, 2))
    if W.ndim == 1:  # a single synergy
        W = W[:, None]
    return W



def _check_synergy_pair(W_ref, W) -> tuple[np.ndarray, np.ndarray]:
    """Two synergy matrices, checked, with the same number of muscles (rows)."""
    W_ref = _check_synergies(W_ref, "W_ref")
    W = _check_synergies(W, "W")
    if W_ref.shape[0] != W.shape[0]:
        raise SynergyInputError(
            f"W_ref and W must have the same number of muscles (rows), got "
            f"{W_ref.shape[0]} and {W.shape[0]}."
        )
    return W_ref, W

def _check_activations(H, n_synergies: int, name: str = "H") -> np.ndarray:
    """Validate activations of shape (n_synergies, n_samples)."""
    H = _as_finite_array(H, name, ndim=(1, 2))
    if H.ndim == 1:
        H = H[None, :]
    if H.shape[0] != n_synergies:
        raise SynergyInputError(
            f"{name} must have shape (n_synergies, n_samples) = ({n_synergies}, ...) in the "
            f"physiology layout, got {H.shape}. Activations returned by an estimator's "
            f"transform() are (n_samples, n_synergies): pass their transpose."
        )
    return H


def _unit_columns(W: np.ndarray) -> np.ndarray:
    """Divide each column by its Euclidean norm; all-zero columns stay zero."""
    norms = np.linalg.norm(W, axis=0)
    safe = np.where(norms > 0, norms, 1.0)
    return W / safe


# --------------------------------------------------------------------------- #
# Reconstruction
# --------------------------------------------------------------------------- #
def r2_score(X, X_hat, *, muscle_axis: int = -1) -> float:
    r"""Centred coefficient of determination, pooled over muscles.

    .. math::

        R^2 = 1 - \frac{\mathrm{SSE}}{\mathrm{SST}}, \qquad
        \mathrm{SSE} = \sum_{m,t} (x_{mt} - \hat x_{mt})^2, \qquad
        \mathrm{SST} = \sum_{m,t} (x_{mt} - \bar x_m)^2,

    where :math:`\bar x_m` is the mean of muscle :math:`m` over all samples. The
    sums run over every muscle and sample together (one number per matrix, not
    an average of per-muscle values). This is the :math:`R^2` of the protocol;
    the uncentred :func:`vaf` is a different quantity.

    Parameters
    ----------
    X, X_hat : array-like of the same shape
        Data and reconstruction (at least 1-D; typically ``(n_samples, n_muscles)``).
    muscle_axis : int, default -1
        The axis that indexes muscles. Means are taken over all other axes.

    Returns
    -------
    float
        :math:`R^2` (at most 1; can be negative for a reconstruction worse than
        each muscle's mean).

    Raises
    ------
    SynergyInputError
        If shapes differ, the arrays contain NaN/inf, or every muscle is constant
        (SST = 0, so :math:`R^2` is undefined).
    """
    X, X_hat = _check_pair(X, X_hat)
    axis = _normalise_axis(muscle_axis, X.ndim)
    other = tuple(a for a in range(X.ndim) if a != axis)
    centred = X - X.mean(axis=other, keepdims=True) if other else np.zeros_like(X)
    sst = float(np.sum(centred**2))
    if sst == 0.0:
        raise SynergyInputError(
            "R2 is undefined: every muscle of X is constant (total sum of squares around "
            "the muscle means is zero)."
        )
    sse = float(np.sum((X - X_hat) ** 2))
    return 1.0 - sse / sst


def vaf(X, X_hat) -> float:
    r"""Variance accounted for (uncentred), pooled over all entries.

    .. math::

        \mathrm{VAF} = 1 - \frac{\sum_{m,t} (x_{mt} - \hat x_{mt})^2}{\sum_{m,t} x_{mt}^2}.

    Unlike :func:`r2_score` the denominator is taken around zero, so VAF is
    larger than :math:`R^2` for non-negative EMG (the mean level counts as
    "explained").

    Raises
    ------
    SynergyInputError
        If shapes differ, the arrays contain NaN/inf, or ``X`` is all zeros.
    """
    X, X_hat = _check_pair(X, X_hat)
    total = float(np.sum(X**2))
    if total == 0.0:
        raise SynergyInputError("VAF is undefined: X is all zeros.")
    return 1.0 - float(np.sum((X - X_hat) ** 2)) / total


def r2_per_muscle(X, X_hat, muscle_axis: int = -1) -> np.ndarray:
    r"""Centred :math:`R^2` of each muscle separately.

    .. math::

        R^2_m = 1 - \frac{\sum_t (x_{mt} - \hat x_{mt})^2}{\sum_t (x_{mt} - \bar x_m)^2}.

    Returns
    -------
    ndarray of shape (n_muscles,)
        One value per muscle, ``NaN`` for a muscle that is constant in ``X``
        (its :math:`R^2` is undefined).
    """
    X, X_hat = _check_pair(X, X_hat)
    axis = _normalise_axis(muscle_axis, X.ndim)
    Xm = np.moveaxis(X, axis, -1).reshape(-1, X.shape[axis])
    Xh = np.moveaxis(X_hat, axis, -1).reshape(-1, X.shape[axis])
    sst = np.sum((Xm - Xm.mean(axis=0)) ** 2, axis=0)
    sse = np.sum((Xm - Xh) ** 2, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1.0 - sse / sst
    out[sst == 0] = np.nan
    return out


def _normalise_axis(axis: int, ndim: int) -> int:
    return check_int(axis, "muscle_axis", low=-ndim, high=ndim - 1) % ndim


# --------------------------------------------------------------------------- #
# Matching
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class SynergyMatch:
    """Optimal one-to-one matching between reference synergies and other synergies.

    Attributes
    ----------
    ref_index : ndarray of int, shape (n_matched,)
        Columns of the reference ``W_ref`` that were matched (sorted).
    index : ndarray of int, shape (n_matched,)
        For each entry of ``ref_index``, the matched column of ``W``.
    cosine : ndarray of float, shape (n_matched,)
        Signed cosine similarity of each matched pair.
    mean_cosine : float
        Mean of ``cosine``: the objective maximised by the matching.
    permutation : ndarray of int, shape (n_ref,)
        ``permutation[i]`` is the column of ``W`` matched to reference column
        ``i``, or ``-1`` if reference column ``i`` is unmatched (``W`` has fewer
        synergies). When ``W`` has at least as many synergies as ``W_ref``,
        ``W[:, permutation]`` puts ``W`` in the reference order.
    similarity : ndarray of float, shape (n_ref, n_other)
        The full matrix of signed cosine similarities.
    """

    ref_index: np.ndarray
    index: np.ndarray
    cosine: np.ndarray
    mean_cosine: float
    permutation: np.ndarray
    similarity: np.ndarray

    @property
    def n_matched(self) -> int:
        """Number of matched pairs, ``min(n_ref, n_other)``."""
        return int(self.cosine.size)


def match_synergies(W_ref, W, *, normalise: bool = True) -> SynergyMatch:
    r"""Match two sets of synergies one to one, maximising the mean cosine similarity.

    With unit-norm columns :math:`\tilde w`, the similarity of reference synergy
    :math:`i` and synergy :math:`j` is the signed cosine

    .. math::

        S_{ij} = \frac{w^{\mathrm{ref}\,\top}_i w_j}{\lVert w^{\mathrm{ref}}_i\rVert\,\lVert w_j\rVert},

    and the matching is the assignment :math:`\pi` maximising
    :math:`\sum_i S_{i\pi(i)}`, solved exactly by the Hungarian algorithm
    (:func:`scipy.optimize.linear_sum_assignment`). With different numbers of
    synergies :math:`N_1 \ne N_2`, :math:`\min(N_1, N_2)` pairs are matched.

    The result is invariant to permuting the columns of either matrix and to
    rescaling any column by a **positive** factor. A negative factor flips the
    sign of the cosine: signs are never ignored (see the module docstring).
    An all-zero column has cosine 0 with everything.

    Parameters
    ----------
    W_ref : array-like of shape (n_muscles, n_ref)
        Reference synergies (for instance NMF or the ground truth).
    W : array-like of shape (n_muscles, n_other)
        Synergies to match to the reference.
    normalise : bool, default True
        Divide columns by their norm first (cosine similarity). With ``False``
        the raw inner products are used, which is only meaningful if the
        columns already have unit norm.

    Returns
    -------
    SynergyMatch
    """
    W_ref, W = _check_synergy_pair(W_ref, W)
    if normalise:
        W_ref, W = _unit_columns(W_ref), _unit_columns(W)
    S = W_ref.T @ W
    rows, cols = linear_sum_assignment(S, maximize=True)
    cos = S[rows, cols]
    perm = np.full(W_ref.shape[1], -1, dtype=int)
    perm[rows] = cols
    return SynergyMatch(
        ref_index=rows.astype(int),
        index=cols.astype(int),
        cosine=cos,
        mean_cosine=float(cos.mean()),
        permutation=perm,
        similarity=S,
    )


def share_above(match: SynergyMatch, threshold: float = 0.8) -> float:
    r"""Share of matched pairs whose cosine similarity is at least ``threshold``.

    .. math::

        \frac{1}{\min(N_1, N_2)} \#\{i : S_{i\pi(i)} \ge \text{threshold}\}.

    The denominator is the number of matched pairs, not the number of
    reference synergies.
    """
    if not isinstance(match, SynergyMatch):
        raise SynergyInputError(
            f"match must be a SynergyMatch from match_synergies, got {type(match).__name__}."
        )
    check_real(threshold, "threshold", low=-1.0, high=1.0)
    return float(np.mean(match.cosine >= threshold))


def activation_correlation(H_ref, H, match: SynergyMatch) -> np.ndarray:
    r"""Pearson correlation of the activations of matched synergy pairs.

    .. math::

        r_i = \frac{\sum_t (h^{\mathrm{ref}}_{it} - \bar h^{\mathrm{ref}}_i)(h_{\pi(i)t} - \bar h_{\pi(i)})}
        {\sqrt{\sum_t (h^{\mathrm{ref}}_{it} - \bar h^{\mathrm{ref}}_i)^2}\sqrt{\sum_t (h_{\pi(i)t} - \bar h_{\pi(i)})^2}}.

    Parameters
    ----------
    H_ref : array-like of shape (n_ref, n_samples)
        Activations of the reference synergies (physiology layout).
    H : array-like of shape (n_other, n_samples)
        Activations of the other synergies, same samples.
    match : SynergyMatch
        Result of ``match_synergies(W_ref, W)``.

    Returns
    -------
    ndarray of shape (n_matched,)
        One correlation per matched pair, in the order of ``match.ref_index``;
        ``NaN`` where an activation is constant.
    """
    if not isinstance(match, SynergyMatch):
        raise SynergyInputError(
            f"match must be a SynergyMatch from match_synergies, got {type(match).__name__}."
        )
    n_ref, n_other = match.similarity.shape
    H_ref = _check_activations(H_ref, n_ref, "H_ref")
    H = _check_activations(H, n_other, "H")
    if H_ref.shape[1] != H.shape[1]:
        raise SynergyInputError(
            f"H_ref and H must have the same number of samples, got {H_ref.shape[1]} and {H.shape[1]}."
        )
    A = H_ref[match.ref_index]
    B = H[match.index]
    A = A - A.mean(axis=1, keepdims=True)
    B = B - B.mean(axis=1, keepdims=True)
    denom = np.sqrt(np.sum(A**2, axis=1) * np.sum(B**2, axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.sum(A * B, axis=1) / denom
    r[denom == 0] = np.nan
    return np.clip(r, -1.0, 1.0)


# --------------------------------------------------------------------------- #
# Sign and sparseness
# --------------------------------------------------------------------------- #
def _axis_arg(axis):
    if axis not in (None, 0):
        raise SynergyInputError(f"axis must be None (whole matrix) or 0 (per synergy), got {axis!r}.")
    return axis


def negative_weight_share(W, *, axis: int | None = None):
    r"""Share of synergy weights that are negative.

    .. math::

        \frac{\#\{(m, i) : w_{mi} < 0\}}{n_\text{muscles} \, N}.

    Parameters
    ----------
    W : array-like of shape (n_muscles, n_synergies)
    axis : None or 0
        ``None``: one number for the whole matrix; ``0``: one per synergy.
    """
    W = _check_synergies(W)
    return _reduce(np.mean(W < 0, axis=_axis_arg(axis)))


def negative_mass_share(W, *, axis: int | None = None):
    r"""Share of the total absolute weight that is carried by negative weights.

    .. math::

        \frac{\sum_{m,i} \max(-w_{mi}, 0)}{\sum_{m,i} \lvert w_{mi} \rvert}.

    0 for non-negative synergies, 1 for non-positive ones. ``NaN`` for an
    all-zero matrix (or column, with ``axis=0``).
    """
    W = _check_synergies(W)
    axis = _axis_arg(axis)
    neg = np.sum(np.clip(-W, 0, None), axis=axis)
    tot = np.sum(np.abs(W), axis=axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(tot > 0, neg / np.where(tot > 0, tot, 1.0), np.nan)
    return _reduce(out)


def _reduce(x):
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


def hoyer_sparseness(w):
    r"""Hoyer (2004) sparseness of a synergy vector, or of each column of a matrix.

    .. math::

        s(w) = \frac{\sqrt{n} - \lVert w\rVert_1 / \lVert w\rVert_2}{\sqrt{n} - 1},

    with :math:`n` the number of muscles. :math:`s = 1` when a single muscle is
    active (one-hot), :math:`s = 0` when all muscles have the same weight.
    The norms are taken of **absolute values**, so a negative weight counts as
    activity of its muscle exactly as a positive one does (sparseness says how
    many muscles are involved, not in which direction).

    Hoyer P. O. (2004). Non-negative matrix factorization with sparseness
    constraints. *J. Mach. Learn. Res.* 5, 1457-1469.

    Parameters
    ----------
    w : array-like of shape (n_muscles,) or (n_muscles, n_synergies)

    Returns
    -------
    float or ndarray of shape (n_synergies,)
        ``NaN`` for an all-zero vector.
    """
    w = _as_finite_array(w, "w", ndim=(1, 2))
    n = w.shape[0]
    if n < 2:
        raise SynergyInputError("Hoyer sparseness needs at least 2 muscles (sqrt(n) - 1 = 0 for n = 1).")
    a = np.abs(w)
    l1 = a.sum(axis=0)
    l2 = np.sqrt((a**2).sum(axis=0))
    sqn = np.sqrt(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = (sqn - l1 / l2) / (sqn - 1.0)
    s = np.where(l2 > 0, np.clip(s, 0.0, 1.0), np.nan)
    return _reduce(s)


def active_muscles(W, threshold: float | None = None, *, rule: str = "max"):
    r"""Number of active muscles in each synergy.

    A muscle :math:`m` is active in synergy :math:`i` when

    * ``rule="max"`` (default): :math:`\lvert w_{mi}\rvert \ge \tau \max_k \lvert w_{ki}\rvert`,
      with default :math:`\tau = 0.3` (a weight at least 30 % of the synergy's
      largest weight);
    * ``rule="unit"``: :math:`\lvert w_{mi}\rvert / \lVert w_i\rVert_2 \ge \tau`, with default
      :math:`\tau = 1/\sqrt{n}`, the weight every muscle would have if all
      contributed equally to a unit-norm synergy.

    Absolute values are used, so a strongly negative weight counts as active.

    Parameters
    ----------
    W : array-like of shape (n_muscles, n_synergies) or (n_muscles,)
    threshold : float, optional
        :math:`\tau`; the default depends on ``rule`` (see above).
    rule : {"max", "unit"}

    Returns
    -------
    ndarray of int, shape (n_synergies,)
        0 for an all-zero synergy.
    """
    W = _check_synergies(W)
    n = W.shape[0]
    A = np.abs(W)
    if rule == "max":
        tau = 0.3 if threshold is None else threshold
        ref = A.max(axis=0)
    elif rule == "unit":
        tau = 1.0 / np.sqrt(n) if threshold is None else threshold
        ref = np.linalg.norm(W, axis=0)
    else:
        raise SynergyInputError(f"rule must be 'max' or 'unit', got {rule!r}.")
    tau = check_real(tau, "threshold", low=0.0, include_low=False, high=1.0)
    active = (A >= tau * ref) & (ref > 0)
    return active.sum(axis=0).astype(int)


# --------------------------------------------------------------------------- #
# Across participants and against the ground truth
# --------------------------------------------------------------------------- #
def cross_participant_consistency(W_list: Sequence, *, normalise: bool = True) -> np.ndarray:
    r"""How well each participant's synergies match those of the other participants.

    For participant :math:`p` among :math:`P`,

    .. math::

        c_p = \frac{1}{P - 1} \sum_{q \ne p} \overline{S}(W_p, W_q),

    where :math:`\overline{S}(W_p, W_q)` is the mean matched cosine of
    :func:`match_synergies` with :math:`W_p` as reference. The mean matched cosine
    is symmetric in its two arguments, so the order does not matter. Participants
    may have different numbers of synergies (then :math:`\min` pairs are matched).

    Parameters
    ----------
    W_list : sequence of array-like, each (n_muscles, n_synergies_p)
        At least two participants, all with the same muscles.

    Returns
    -------
    ndarray of shape (n_participants,)
    """
    mats = [_check_synergies(W, f"W_list[{i}]") for i, W in enumerate(W_list)]
    P = len(mats)
    if P < 2:
        raise SynergyInputError(f"cross_participant_consistency needs at least 2 participants, got {P}.")
    n_muscles = {W.shape[0] for W in mats}
    if len(n_muscles) > 1:
        raise SynergyInputError(
            f"every participant must have the same number of muscles, got {sorted(n_muscles)}."
        )
    M = np.zeros((P, P))
    for p in range(P):
        for q in range(p + 1, P):
            M[p, q] = M[q, p] = match_synergies(mats[p], mats[q], normalise=normalise).mean_cosine
    return M.sum(axis=1) / (P - 1)


def ground_truth_similarity(W_true, W, H_true=None, H=None, *, threshold: float = 0.8) -> dict:
    r"""Similarity of extracted synergies (and activations) to the ground truth.

    Synergies are matched to the true ones with :func:`match_synergies` (true
    synergies as reference); if both ``H_true`` and ``H`` are given, the matched
    activations are compared with :func:`activation_correlation`.

    Parameters
    ----------
    W_true : array-like of shape (n_muscles, K)
    W : array-like of shape (n_muscles, N)
    H_true : array-like of shape (K, n_samples), optional
    H : array-like of shape (N, n_samples), optional
    threshold : float, default 0.8
        Threshold of :func:`share_above`.

    Returns
    -------
    dict
        ``match`` (:class:`SynergyMatch`), ``cosine`` (per matched pair),
        ``mean_cosine``, ``share_above``, ``activation_correlation`` (per pair
        or ``None``) and ``mean_activation_correlation`` (``NaN`` when no
        activations are given).
    """
    match = match_synergies(W_true, W)
    out = {
        "match": match,
        "cosine": match.cosine,
        "mean_cosine": match.mean_cosine,
        "share_above": share_above(match, threshold),
        "activation_correlation": None,
        "mean_activation_correlation": float("nan"),
    }
    if (H_true is None) != (H is None):
        raise SynergyInputError("give both H_true and H, or neither.")
    if H is not None:
        r = activation_correlation(H_true, H, match)
        out["activation_correlation"] = r
        out["mean_activation_correlation"] = float(np.nanmean(r)) if np.isfinite(r).any() else float("nan")
    return out


def synergy_metrics(
    W,
    H=None,
    *,
    W_ref=None,
    H_ref=None,
    W_true=None,
    H_true=None,
    similarity_threshold: float = 0.8,
    active_threshold: float | None = None,
    active_rule: str = "max",
) -> dict[str, float]:
    r"""All synergy metrics of one model, as a flat dict of numbers (one table row).

    Parameters
    ----------
    W : array-like of shape (n_muscles, N)
        The model's synergies.
    H : array-like of shape (N, n_samples), optional
        The model's activations (physiology layout: transpose ``transform``'s output).
    W_ref, H_ref : optional
        Reference synergies (for instance the participant's NMF) and activations.
    W_true, H_true : optional
        Ground-truth synergies and activations (synthetic data only).
    similarity_threshold : float, default 0.8
        Threshold for the ``*_share_above`` entries.
    active_threshold, active_rule
        Passed to :func:`active_muscles`.

    Returns
    -------
    dict
        Always: ``n_synergies``, ``negative_weight_share``, ``negative_mass_share``,
        ``mean_sparseness`` (mean Hoyer sparseness over synergies),
        ``mean_active_muscles``. With ``W_ref``: ``ref_mean_cosine``,
        ``ref_share_above`` and, with ``H`` and ``H_ref``,
        ``ref_mean_activation_correlation``. With ``W_true``: the same three with
        the prefix ``true_``. Entries whose inputs are missing are absent.
    """
    W = _check_synergies(W)
    out: dict[str, float] = {
        "n_synergies": int(W.shape[1]),
        "negative_weight_share": negative_weight_share(W),
        "negative_mass_share": negative_mass_share(W),
        "mean_sparseness": float(np.nanmean(hoyer_sparseness(W))),
        "mean_active_muscles": float(np.mean(active_muscles(W, active_threshold, rule=active_rule))),
    }
    for prefix, W_other, H_other, h_name in (
        ("ref", W_ref, H_ref, "H_ref"),
        ("true", W_true, H_true, "H_true"),
    ):
        if W_other is None:
            if H_other is not None:
                raise SynergyInputError(f"{h_name} is given without the matching synergies.")
            continue
        both = H is not None and H_other is not None
        res = ground_truth_similarity(
            W_other,
            W,
            H_other if both else None,
            H if both else None,
            threshold=similarity_threshold,
        )
        out[f"{prefix}_mean_cosine"] = res["mean_cosine"]
        out[f"{prefix}_share_above"] = res["share_above"]
        if both:
            out[f"{prefix}_mean_activation_correlation"] = res["mean_activation_correlation"]
    return out
