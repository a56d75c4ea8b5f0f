r"""PCA as the reference for what any affine model of :math:`N` units can reconstruct.

An autoencoder with linear encoder and decoder computes
:math:`\hat x = W_d (W_e x + b_e) + b_d`, an affine map of rank at most :math:`N`.
The best such map in squared error is centred PCA (Eckart and Young 1936): with
:math:`\bar x` the mean of the training samples and :math:`V_N` the first :math:`N`
right singular vectors of the centred matrix,

.. math::

   \hat x = \bar x + V_N V_N^\top (x - \bar x),

so its training :math:`R^2` (centred, :func:`synergylib.metrics.r2_score`) is the
ceiling of every linear-decoder pairing on the training data: what
``linear+linear`` reaches when trained to convergence, and the limit the book names
when linear-decoder pairings stop at the same value. The principal axes are signed
and only their span is defined (any rotation within it reconstructs alike): they are
a reference for reconstruction, not physiological synergies.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ._validation import check_activation_matrix, check_emg_matrix, check_n_synergies
from .metrics import r2_score

__all__ = ["SynergyPCA"]


class SynergyPCA(TransformerMixin, BaseEstimator):
    r"""Centred PCA with :math:`N` components, in the layout of the other estimators.

    Parameters
    ----------
    n_synergies : int, default 4
        Number of principal axes :math:`N`.

    Attributes
    ----------
    synergies_ : ndarray of shape (n_muscles, n_synergies)
        The principal axes :math:`V_N` (unit-norm columns, signed), by decreasing
        variance explained.
    mean_ : ndarray of shape (n_muscles,)
        :math:`\bar x`.
    explained_variance_ratio_ : ndarray of shape (n_synergies,)
        Share of the total (centred) variance along each axis; their sum is the
        training :math:`R^2`.
    r2_ : float
        Centred :math:`R^2` of the reconstruction of the training data.
    n_features_in_ : int

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((200, 2)) @ rng.random((2, 6))   # rank 2, not centred
    >>> round(SynergyPCA(2).fit(X).r2_, 10)
    1.0
    """

    def __init__(self, n_synergies: int = 4):
        self.n_synergies = n_synergies

    def fit(self, X, y=None):
        """Principal axes of ``X`` (n_samples, n_muscles)."""
        X = self._validate_X(X, reset=True)
        n = check_n_synergies(self.n_synergies, X.shape[1], X.shape[0])
        self.mean_ = X.mean(axis=0)
        _, s, Vt = np.linalg.svd(X - self.mean_, full_matrices=False)
        self.synergies_ = Vt[:n].T.copy()
        total = float(np.sum(s**2))
        self.explained_variance_ratio_ = s[:n] ** 2 / total if total > 0 else np.zeros(n)
        self.r2_ = r2_score(X, self.reconstruct(X))
        return self

    def _validate_X(self, X, *, reset: bool) -> np.ndarray:
        # validate_data keeps n_features_in_ consistent between fit and transform (as
        # SynergyNMF does); check_emg_matrix gives synergylib's messages.
        min_samples = 2 if reset else 1
        X = validate_data(self, X, reset=reset, dtype=np.float64, ensure_min_samples=min_samples)
        return check_emg_matrix(X, min_samples=min_samples)

    def _check(self, X) -> np.ndarray:
        check_is_fitted(self)
        return self._validate_X(X, reset=False)

    def transform(self, X) -> np.ndarray:
        r"""Scores :math:`V_N^\top (x - \bar x)`, shape (n_samples, n_synergies)."""
        return (self._check(X) - self.mean_) @ self.synergies_

    def inverse_transform(self, H) -> np.ndarray:
        r""":math:`\bar x + V_N h`, shape (n_samples, n_muscles)."""
        check_is_fitted(self)
        H = check_activation_matrix(H, self.synergies_.shape[1])
        return self.mean_ + H @ self.synergies_.T

    def reconstruct(self, X) -> np.ndarray:
        """``inverse_transform(transform(X))``."""
        return self.inverse_transform(self.transform(X))

    def score(self, X, y=None) -> float:
        """Centred :math:`R^2` of the reconstruction of ``X``."""
        X = self._check(X)
        return r2_score(X, self.reconstruct(X))
