"""Non-negative matrix factorisation (NMF) of EMG: the synergy baseline.

Protocol section 4 (the group's defaults): multiplicative updates, random
initialisation, 10 restarts keeping the one with the best **centred** :math:`R^2`,
synergy vectors normalised to unit norm with the scale moved into the
activations, and the number of synergies chosen as the smallest :math:`N` whose
:math:`R^2` reaches 0.80.

The factorisation itself is :class:`sklearn.decomposition.NMF`
(Frobenius loss, no regularisation); this module adds the restarts, the
normalisation, the :math:`R^2` bookkeeping and the choice of :math:`N`.

Layout: like every scikit-learn estimator, :class:`SynergyNMF` takes
``X`` of shape ``(n_samples, n_muscles)`` (the transpose of the physiology
layout ``(n_muscles, n_samples)``), so that

.. math::

    X \\approx A\\, W^\\top, \\qquad A = \\texttt{transform}(X) \\in \\mathbb{R}_{\\ge 0}^{n_\\text{samples} \\times N},
    \\quad W = \\texttt{synergies\\_} \\in \\mathbb{R}_{\\ge 0}^{n_\\text{muscles} \\times N}.
"""

from __future__ import annotations

import warnings
from typing import Iterable

import numpy as np
from scipy.optimize import nnls
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from ._validation import (
    SynergyInputError,
    check_emg_matrix,
    check_int,
    check_n_synergies,
    check_real,
)
from .metrics import r2_score, vaf

__all__ = ["SynergyNMF", "nmf_r2_curve", "select_n_synergies"]


class SynergyNMF(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    r"""Muscle synergies by NMF with restarts, keeping the best centred :math:`R^2`.

    Each restart fits :class:`sklearn.decomposition.NMF` (Frobenius loss,
    ``init``, ``solver``, ``max_iter``, ``tol``) from its own seed, minimising

    .. math::

        \lVert X - A C \rVert_F^2, \qquad A \ge 0,\ C \ge 0,

    with :math:`A` the activations ``(n_samples, N)`` and :math:`C` the
    components ``(N, n_muscles)``. The restart with the highest centred
    :math:`R^2` (:func:`synergylib.metrics.r2_score`) is kept (the first one on a
    tie); its synergy
    vectors (rows of :math:`C`) are divided by their norms and the norms are
    moved into the activations, which leaves :math:`AC` unchanged:

    .. math::

        w_i = c_i / \lVert c_i \rVert_2, \qquad a_{ti} \leftarrow a_{ti}\, \lVert c_i \rVert_2.

    Parameters
    ----------
    n_synergies : int, default 4
        Number of synergies :math:`N`, with ``1 <= N <= n_muscles`` and
        ``N <= n_samples``.
    n_restarts : int, default 10
        Number of random restarts (protocol: 10).
    max_iter : int, default 1000
        Maximum number of iterations of each restart.
    tol : float, default 1e-4
        Stopping tolerance of scikit-learn's NMF (relative decrease of the
        reconstruction error between checks made every 10 iterations for
        ``solver="mu"``).
    random_state : int, RandomState, Generator or None
        Seeds of the restarts are drawn from it; an int gives identical results
        on every call.
    solver : {"mu", "cd"}, default "mu"
        Multiplicative updates (protocol) or coordinate descent.
    init : str, default "random"
        Initialisation of scikit-learn's NMF (protocol: random).

    Attributes
    ----------
    synergies_ : ndarray of shape (n_muscles, n_synergies)
        Synergy vectors, unit-norm non-negative columns (physiology layout).
    components_ : ndarray of shape (n_synergies, n_muscles)
        ``synergies_.T`` (scikit-learn convention).
    r2_ : float
        Centred :math:`R^2` of the kept restart on the training data.
    vaf_ : float
        Uncentred VAF of the kept restart on the training data.
    restart_r2_ : ndarray of shape (n_restarts,)
        Training :math:`R^2` of every restart, in the order they were run.
    best_restart_ : int
        Index of the kept restart.
    n_iter_ : int
        Iterations run by the kept restart.
    reconstruction_err_ : float
        Frobenius norm :math:`\lVert X - AC\rVert_F` of the kept restart.
    n_features_in_ : int
        Number of muscles seen in ``fit``.
    n_converged_ : int
        Number of restarts that stopped before ``max_iter`` (the others raised a
        :class:`sklearn.exceptions.ConvergenceWarning`, re-emitted once by ``fit``).

    Notes
    -----
    ``fit_transform(X)`` returns the activations of the kept restart as fitted;
    ``transform(X)`` solves the non-negative least-squares problem
    exactly for the fixed synergies, so ``transform`` of the training data
    reconstructs at least as well as ``fit_transform`` (and is close to it
    when the restart converged).
    """

    def __init__(
        self,
        n_synergies: int = 4,
        *,
        n_restarts: int = 10,
        max_iter: int = 1000,
        tol: float = 1e-4,
        random_state=None,
        solver: str = "mu",
        init: str = "random",
    ):
        self.n_synergies = n_synergies
        self.n_restarts = n_restarts
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.solver = solver
        self.init = init

    # ------------------------------------------------------------------ #
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags

    def _check_params(self) -> None:
        for name in ("n_restarts", "max_iter"):
            check_int(getattr(self, name), name, low=1)
        check_real(self.tol, "tol", low=0)
        if self.solver not in ("mu", "cd"):
            raise SynergyInputError(f"solver must be 'mu' or 'cd', got {self.solver!r}.")

    def _validate_X(self, X, *, reset: bool) -> np.ndarray:
        # validate_data keeps n_features_in_ / feature_names_in_ consistent
        # between fit and transform; check_emg_matrix gives synergylib's messages.
        # Fitting needs 2 samples; transforming a single sample is fine.
        min_samples = 2 if reset else 1
        X = validate_data(self, X, reset=reset, dtype=np.float64, ensure_min_samples=min_samples)
        return check_emg_matrix(X, nonnegative=True, min_samples=min_samples)

    # ------------------------------------------------------------------ #
    def fit(self, X, y=None):
        """Fit the synergies to ``X`` of shape (n_samples, n_muscles); ``y`` is ignored."""
        self._fit(X)
        return self

    def fit_transform(self, X, y=None, **fit_params):
        """Fit and return the kept restart's activations, shape (n_samples, n_synergies)."""
        return self._fit(X)

    def _fit(self, X) -> np.ndarray:
        self._check_params()
        X = self._validate_X(X, reset=True)
        n_samples, n_muscles = X.shape
        n = check_n_synergies(self.n_synergies, n_muscles, n_samples)

        # Integer seeds for sklearn's NMF, drawn as scikit-learn's own estimators draw
        # their n_init seeds (see synergylib._random for why NMF keeps this draw).
        high = np.iinfo(np.int32).max
        rng = self.random_state
        seeds = (rng.integers(0, high, size=self.n_restarts)
                 if isinstance(rng, np.random.Generator)
                 else check_random_state(rng).randint(0, high, size=self.n_restarts))
        restart_r2 = np.empty(self.n_restarts)
        best = None
        n_converged = 0
        for i, seed in enumerate(seeds):
            model = NMF(
                n_components=n,
                init=self.init,
                solver=self.solver,
                beta_loss="frobenius",
                tol=self.tol,
                max_iter=self.max_iter,
                random_state=int(seed),
            )
            with warnings.catch_warnings():
                # counted below and re-emitted once for the whole fit
                warnings.simplefilter("ignore", ConvergenceWarning)
                A = model.fit_transform(X)
            C = model.components_
            if model.n_iter_ < self.max_iter:
                n_converged += 1
            restart_r2[i] = r2_score(X, A @ C)
            if best is None or restart_r2[i] > restart_r2[best[0]]:
                best = (i, A, C, model.n_iter_, model.reconstruction_err_)

        if n_converged < self.n_restarts:
            warnings.warn(
                f"{self.n_restarts - n_converged} of {self.n_restarts} NMF restarts reached "
                f"max_iter={self.max_iter} before tol={self.tol}; increase max_iter.",
                ConvergenceWarning,
                stacklevel=3,
            )

        i, A, C, n_iter, err = best
        norms = np.linalg.norm(C, axis=1)
        if np.any(norms == 0):
            warnings.warn(
                f"{int(np.sum(norms == 0))} synergy(ies) are all zero (the factorisation "
                f"needs fewer than n_synergies={n}); they are left as zero columns.",
                RuntimeWarning,
                stacklevel=3,
            )
        safe = np.where(norms > 0, norms, 1.0)
        self.components_ = C / safe[:, None]
        self.synergies_ = self.components_.T.copy()
        activations = A * safe[None, :]
        X_hat = activations @ self.components_
        self.r2_ = float(restart_r2[i])
        self.vaf_ = vaf(X, X_hat)
        self.restart_r2_ = restart_r2
        self.best_restart_ = int(i)
        self.n_iter_ = int(n_iter)
        self.reconstruction_err_ = float(err)
        self.n_converged_ = int(n_converged)
        self._n_features_out = n
        return activations

    # ------------------------------------------------------------------ #
    def transform(self, X) -> np.ndarray:
        r"""Activations of ``X`` for the fitted synergies.

        Each row :math:`x_t` is solved exactly by non-negative least squares
        (:func:`scipy.optimize.nnls`),

        .. math::

            a_t = \arg\min_{a \ge 0} \lVert x_t - W a \rVert_2 ,

        with :math:`W` = ``synergies_`` (unit norm, so the scale is in :math:`a`).

        Returns
        -------
        ndarray of shape (n_samples, n_synergies)
        """
        check_is_fitted(self)
        return self.nnls_activations(self._validate_X(X, reset=False), self.synergies_)

    @staticmethod
    def nnls_activations(X: np.ndarray, W: np.ndarray) -> np.ndarray:
        r"""Non-negative least-squares activations of the rows of ``X`` for synergies ``W``.

        :math:`a_t = \arg\min_{a \ge 0} \lVert x_t - W a \rVert_2` for every row
        :math:`x_t` of ``X`` (n_samples, n_muscles), with ``W`` (n_muscles, N):
        what :meth:`transform` computes, also used to recompute a stored result's
        held-out activations. Returns an array of shape (n_samples, N).
        """
        A = np.empty((X.shape[0], W.shape[1]))
        for t, x in enumerate(X):
            A[t] = nnls(W, x)[0]
        return A

    def inverse_transform(self, X) -> np.ndarray:
        """Reconstruct EMG (n_samples, n_muscles) from activations (n_samples, n_synergies).

        The argument is called ``X`` as in scikit-learn; it holds activations.
        """
        check_is_fitted(self)
        A = check_emg_matrix(X, name="activations", min_samples=1)
        if A.shape[1] != self.components_.shape[0]:
            raise SynergyInputError(
                f"activations must have {self.components_.shape[0]} columns (one per synergy), "
                f"got {A.shape[1]}."
            )
        return A @ self.components_

    def score(self, X, y=None) -> float:
        """Centred :math:`R^2` of ``X`` against its reconstruction ``inverse_transform(transform(X))``."""
        check_is_fitted(self)
        X_checked = self._validate_X(X, reset=False)
        return r2_score(X_checked, self.inverse_transform(self.transform(X_checked)))


# ---------------------------------------------------------------------- #
# Choosing the number of synergies
# ---------------------------------------------------------------------- #
def nmf_r2_curve(
    X,
    n_range: Iterable[int] = range(1, 11),
    *,
    n_restarts: int = 10,
    random_state=None,
    return_models: bool = False,
    **kwargs,
):
    r"""Training :math:`R^2` of :class:`SynergyNMF` for each number of synergies.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_muscles)
        Non-negative EMG (scikit-learn layout: pass ``M.T`` for a physiology
        matrix ``M`` of shape (n_muscles, n_samples)).
    n_range : iterable of int, default range(1, 11)
        The numbers of synergies to try (sorted and de-duplicated).
    n_restarts : int, default 10
    random_state : int, RandomState, Generator or None
        Passed unchanged to every fit: with an int, every :math:`N` uses the
        same restart seeds (reproducible, and independent of which other
        :math:`N` are tried).
    return_models : bool, default False
        Also return the fitted estimators (so the selected one need not be refitted).
    **kwargs
        Other :class:`SynergyNMF` parameters (``max_iter``, ``tol``, ``solver``, ``init``).

    Returns
    -------
    n_values : ndarray of int
    r2 : ndarray of float
        Best-restart centred :math:`R^2` for each entry of ``n_values``.
    models : list of SynergyNMF
        Only with ``return_models=True``.
    """
    X = check_emg_matrix(X, nonnegative=True)
    try:
        n_values = np.array(sorted({int(n) for n in n_range}), dtype=int)
    except (TypeError, ValueError) as exc:
        raise SynergyInputError(f"n_range must be an iterable of integers: {exc}") from exc
    if n_values.size == 0:
        raise SynergyInputError("n_range is empty.")
    for n in n_values:  # fail before any fitting
        check_n_synergies(int(n), X.shape[1], X.shape[0])
    models = []
    r2 = np.empty(n_values.size)
    for k, n in enumerate(n_values):
        model = SynergyNMF(int(n), n_restarts=n_restarts, random_state=random_state, **kwargs).fit(X)
        r2[k] = model.r2_
        models.append(model)
    if return_models:
        return n_values, r2, models
    return n_values, r2


def select_n_synergies(n_values, r2, threshold: float = 0.80, *, if_none: str = "raise") -> int:
    r"""Smallest number of synergies whose :math:`R^2` reaches ``threshold``.

    .. math::

        N^\ast = \min\{N : R^2(N) \ge \text{threshold}\}.

    Parameters
    ----------
    n_values, r2 : array-like of the same length
        Output of :func:`nmf_r2_curve` (any order).
    threshold : float, default 0.80
        Protocol: 0.80, with 0.85 and 0.90 as sensitivity analyses.
    if_none : {"raise", "largest"}, default "raise"
        What to do when no :math:`N` reaches the threshold: raise a
        :class:`ValueError` saying the best :math:`R^2` reached, or return the
        largest :math:`N` tried (with a :class:`UserWarning`).

    Returns
    -------
    int
    """
    n_values = np.asarray(n_values)
    r2 = np.asarray(r2, dtype=float)
    if n_values.ndim != 1 or r2.ndim != 1 or n_values.size != r2.size or n_values.size == 0:
        raise SynergyInputError(
            f"n_values and r2 must be non-empty 1-D arrays of the same length, got shapes "
            f"{n_values.shape} and {r2.shape}."
        )
    if np.isnan(r2).any():
        raise SynergyInputError("r2 contains NaN.")
    check_real(threshold, "threshold", high=1)
    if if_none not in ("raise", "largest"):
        raise SynergyInputError(f"if_none must be 'raise' or 'largest', got {if_none!r}.")
    order = np.argsort(n_values, kind="stable")
    n_sorted, r2_sorted = n_values[order], r2[order]
    reached = np.nonzero(r2_sorted >= threshold)[0]
    if reached.size:
        return int(n_sorted[reached[0]])
    message = (
        f"no number of synergies reaches R2 >= {threshold}: the best is R2 = {r2.max():.4f} "
        f"at N = {int(n_values[np.argmax(r2)])} (tried N = {n_sorted.tolist()})."
    )
    if if_none == "raise":
        raise SynergyInputError(message)
    warnings.warn(message + f" Returning the largest N tried, {int(n_sorted[-1])}.", UserWarning, stacklevel=2)
    return int(n_sorted[-1])
