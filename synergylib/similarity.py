r"""Synergy similarity that respects the models' symmetries, and its chance level.

Three questions the signed matched cosine of :func:`synergylib.metrics.match_synergies`
does not answer on its own (protocol v2, section 6, items 6-7):

* **A sign the model cannot fix.** Linear and tanh encoders are odd functions, and a
  sigmoid encoder is odd up to a bias: flipping the sign of one bottleneck unit's
  encoder row, encoder bias and decoder column gives the same network. A synergy
  and its mirror image are then the same solution, and the signed cosine holds the
  arbitrary sign against the model. :func:`match_abs` matches on
  :math:`|\cos|` instead.
* **A basis the model cannot fix.** With a linear decoder only the subspace the
  synergies span is identified: :math:`W h = (W A)(A^{-1} h)` for any invertible
  :math:`A`. :func:`subspace_similarity` compares the spans, whatever their basis,
  through the principal angles :math:`\theta_k` between them (Björck and Golub 1973):
  with :math:`Q_1, Q_2` orthonormal bases of the two column spaces,
  :math:`\cos\theta_k` are the singular values of :math:`Q_1^\top Q_2`, and

  .. math::

     \mathrm{sim}(W_1, W_2) = \frac{1}{k} \sum_{i=1}^{k} \cos^2\theta_i
                            = \frac{\lVert Q_1^\top Q_2 \rVert_F^2}{k},
     \qquad k = \min(N_1, N_2),

  which is 1 when one span contains the other and 0 when they are orthogonal.
* **What chance gives.** Any matching of :math:`N` synergies to :math:`N` others
  finds some similarity, the more so with few muscles and non-negative vectors.
  :func:`chance_level` draws random synergies of the same size and kind, scores them
  against the same reference with the same metric, and returns the distribution;
  a model whose score lies within its upper 95 % bound (:func:`within_chance`) has
  synergies no more like the reference than random vectors are.

Random synergies are drawn with independent entries: uniform on :math:`[0, 1)` for
``kind="nonnegative"`` (the sign of NMF's synergies) and standard normal for
``kind="signed"`` (the sign of an unconstrained autoencoder's), then scaled to unit
norm. Only the direction matters to every metric here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from ._validation import SynergyInputError, check_int
from .metrics import SynergyMatch, _check_synergies, _check_synergy_pair, _unit_columns

__all__ = [
    "CHANCE_KINDS",
    "SIMILARITY_COLUMNS",
    "SIMILARITY_METRICS",
    "ChanceLevel",
    "chance_level",
    "match_abs",
    "random_synergies",
    "reference_synergies",
    "similarity",
    "subspace_similarity",
    "within_chance",
]

#: The kinds of random synergies :func:`chance_level` draws.
CHANCE_KINDS: tuple[str, ...] = ("nonnegative", "signed")

#: The metrics :func:`similarity` computes.
SIMILARITY_METRICS: tuple[str, ...] = ("cosine", "abs_cosine", "subspace")

#: The similarity columns of a study's tables (:func:`synergylib.comparison.metrics_table`):
#: column -> (reference, metric of :func:`similarity`), with reference ``"true"`` for the
#: ground truth and ``"ref"`` for the participant's NMF synergies. The one mapping that
#: the chance levels (:func:`synergylib.comparison.chance_table`) and the restarts'
#: scores (:func:`synergylib.claims.restart_score`) both read.
SIMILARITY_COLUMNS: dict[str, tuple[str, str]] = {
    "true_mean_cosine": ("true", "cosine"),
    "true_mean_abs_cosine": ("true", "abs_cosine"),
    "true_subspace": ("true", "subspace"),
    "ref_mean_cosine": ("ref", "cosine"),
    "ref_mean_abs_cosine": ("ref", "abs_cosine"),
    "ref_subspace": ("ref", "subspace"),
}


def reference_synergies(result, column: str) -> np.ndarray:
    """The synergies a similarity ``column`` of :data:`SIMILARITY_COLUMNS` compares with.

    The ground truth (``true_*``) or the participant's NMF synergies (``ref_*``) of
    one :class:`synergylib.study.ParticipantResult`.

    Raises
    ------
    SynergyInputError
        When ``column`` is not a similarity column, or the participant has no ground
        truth (real data) for a ``true_*`` column.
    """
    if column not in SIMILARITY_COLUMNS:
        raise SynergyInputError(
            f"{column!r} is not a similarity column; known: {', '.join(SIMILARITY_COLUMNS)}."
        )
    reference = result.true_synergies if SIMILARITY_COLUMNS[column][0] == "true" else result.nmf_synergies
    if reference is None:
        raise SynergyInputError(f"participant {result.index} has no ground truth for {column!r}.")
    return reference


def _pair(W_ref, W) -> tuple[np.ndarray, np.ndarray]:
    W_ref, W = _check_synergy_pair(W_ref, W)
    return _unit_columns(W_ref), _unit_columns(W)


def match_abs(W_ref, W) -> SynergyMatch:
    r"""One-to-one matching on :math:`|\cos|`: a synergy and its mirror image count alike.

    The Hungarian assignment maximising :math:`\sum_i |S_{i\pi(i)}|`, with
    :math:`S` the signed cosines of :func:`synergylib.metrics.match_synergies`;
    ``cosine`` and ``mean_cosine`` of the result are absolute values,
    ``similarity`` keeps the signs.

    Examples
    --------
    >>> W = np.eye(4)[:, :2]
    >>> round(match_abs(W, -W).mean_cosine, 6)
    1.0
    """
    W_ref, W = _pair(W_ref, W)
    S = W_ref.T @ W
    rows, cols = linear_sum_assignment(np.abs(S), maximize=True)
    cosine = np.abs(S[rows, cols])
    permutation = np.full(W_ref.shape[1], -1, dtype=int)
    permutation[rows] = cols
    return SynergyMatch(rows, cols, cosine, float(cosine.mean()), permutation, S)


def subspace_similarity(W_ref, W) -> float:
    r"""Mean squared cosine of the principal angles between the two synergy subspaces.

    :math:`\lVert Q_1^\top Q_2 \rVert_F^2 / \min(N_1, N_2)` (module docstring):
    invariant to any invertible mixing of either set's columns, so it measures
    what a linear decoder identifies. All-zero columns add nothing to a span.

    Examples
    --------
    >>> W = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    >>> subspace_similarity(W, W @ np.array([[2.0, 1.0], [-1.0, 3.0]]))
    1.0
    >>> subspace_similarity(W, np.array([[0.0], [0.0], [1.0]]))
    0.0
    """
    W_ref, W = _pair(W_ref, W)
    bases = []
    for A in (W_ref, W):
        U, s, _ = np.linalg.svd(A, full_matrices=False)
        rank = int((s > s.max(initial=0.0) * max(A.shape) * np.finfo(float).eps).sum())
        bases.append(U[:, :rank])
    k = min(bases[0].shape[1], bases[1].shape[1])
    if k == 0:
        return 0.0
    cosines = np.clip(np.linalg.svd(bases[0].T @ bases[1], compute_uv=False)[:k], 0.0, 1.0)
    return float(np.round(np.mean(cosines**2), 12))


def similarity(W_ref, W, metric: str = "cosine") -> float:
    """One similarity of two synergy sets: ``"cosine"`` (signed matched mean,
    :func:`synergylib.metrics.match_synergies`), ``"abs_cosine"`` (:func:`match_abs`)
    or ``"subspace"`` (:func:`subspace_similarity`)."""
    from .metrics import match_synergies

    if metric == "cosine":
        return match_synergies(W_ref, W).mean_cosine
    if metric == "abs_cosine":
        return match_abs(W_ref, W).mean_cosine
    if metric == "subspace":
        return subspace_similarity(W_ref, W)
    raise SynergyInputError(
        f"Unknown similarity metric {metric!r}; choose one of {', '.join(SIMILARITY_METRICS)}."
    )


def _check_kind(kind: str) -> str:
    if kind not in CHANCE_KINDS:
        raise SynergyInputError(
            f"Unknown kind of random synergies {kind!r}; choose one of {', '.join(CHANCE_KINDS)}."
        )
    return kind


def random_synergies(n_muscles: int, n_synergies: int, *, kind: str = "nonnegative",
                     random_state=0) -> np.ndarray:
    """Random unit-norm synergies, ``(n_muscles, n_synergies)`` (module docstring).

    ``random_state`` is an int or a :class:`numpy.random.Generator` (which is advanced).
    """
    n_muscles = check_int(n_muscles, "n_muscles", low=1)
    n_synergies = check_int(n_synergies, "n_synergies", low=1)
    rng = random_state if isinstance(random_state, np.random.Generator) \
        else np.random.default_rng(check_int(random_state, "random_state", low=0))
    if _check_kind(kind) == "nonnegative":
        W = rng.random((n_muscles, n_synergies))
    else:
        W = rng.standard_normal((n_muscles, n_synergies))
    return _unit_columns(W)


@dataclass(frozen=True)
class ChanceLevel:
    """The distribution of a similarity between a reference and random synergies.

    Attributes
    ----------
    metric, kind : str
        What was measured (:data:`SIMILARITY_METRICS`) and against what random
        synergies (:data:`CHANCE_KINDS`).
    n_synergies : int
        Columns of each random set.
    mean, sd : float
        Mean and standard deviation over the draws.
    q05, q95 : float
        5th and 95th percentiles: the chance band. A score at or below ``q95``
        is within chance.
    draws : ndarray of shape (n_draws,)
    """

    metric: str
    kind: str
    n_synergies: int
    mean: float
    sd: float
    q05: float
    q95: float
    draws: np.ndarray


def chance_level(W_ref, n_synergies: int | None = None, *, metric: str = "cosine",
                 kind: str = "nonnegative", n_draws: int = 1000,
                 random_state: int = 0) -> ChanceLevel:
    r"""What random synergies score against ``W_ref``, with the same metric and matching.

    Each of ``n_draws`` random sets of ``n_synergies`` synergies
    (:func:`random_synergies`; default: as many as ``W_ref`` has) is scored against
    ``W_ref`` with :func:`similarity`; the same seed gives the same draws.

    Parameters
    ----------
    W_ref : array-like of shape (n_muscles, n_ref)
        The reference (ground truth, or a participant's NMF synergies).
    n_synergies : int, optional
        Synergies per random set: the number the scored model has.
    metric : {"cosine", "abs_cosine", "subspace"}
    kind : {"nonnegative", "signed"}
    n_draws : int, default 1000
    random_state : int, default 0

    Returns
    -------
    ChanceLevel

    Examples
    --------
    >>> W = random_synergies(16, 3, random_state=1)
    >>> signed = chance_level(W, kind="signed", n_draws=200)
    >>> nonnegative = chance_level(W, kind="nonnegative", n_draws=200)
    >>> bool(nonnegative.mean > signed.mean)
    True
    """
    W_ref = _check_synergies(W_ref, "W_ref")
    n = W_ref.shape[1] if n_synergies is None else check_int(n_synergies, "n_synergies", low=1)
    n_draws = check_int(n_draws, "n_draws", low=2)
    _check_kind(kind)
    if metric not in SIMILARITY_METRICS:
        raise SynergyInputError(
            f"Unknown similarity metric {metric!r}; choose one of {', '.join(SIMILARITY_METRICS)}."
        )
    rng = np.random.default_rng(check_int(random_state, "random_state", low=0))
    draws = np.array([
        similarity(W_ref, random_synergies(W_ref.shape[0], n, kind=kind, random_state=rng), metric)
        for _ in range(n_draws)
    ])
    q05, q95 = np.quantile(draws, [0.05, 0.95])
    return ChanceLevel(metric, kind, n, float(draws.mean()), float(draws.std(ddof=1)),
                       float(q05), float(q95), draws)


def within_chance(score: float, chance: ChanceLevel) -> bool:
    """Whether ``score`` lies within the chance band (at or below its 95th percentile)."""
    if not isinstance(chance, ChanceLevel):
        raise SynergyInputError(f"chance must be a ChanceLevel, got {type(chance).__name__}.")
    return bool(score <= chance.q95)
