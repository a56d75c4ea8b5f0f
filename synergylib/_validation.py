"""Input checks shared by every module of synergylib.

Every public function validates what it is given and raises a :class:`ValueError`
(or a subclass) whose message names the problem, so that a user never sees a
traceback from deep inside NumPy or PyTorch, and never a silently wrong result.

Array checks delegate to :func:`sklearn.utils.check_array`, whose messages are the
ones scikit-learn users already know ("Input X contains NaN", "Expected 2D array,
got 1D array instead", "Found array with 1 sample(s) ... while a minimum of 2 is
required"); this module only adds the checks that are specific to synergies.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_array, check_scalar
from sklearn.utils.validation import check_non_negative

__all__ = [
    "ACTIVATIONS",
    "SynergyInputError",
    "check_activation",
    "check_activation_matrix",
    "check_emg_matrix",
    "check_int",
    "check_n_synergies",
    "check_real",
]

#: The four activation functions the paper pairs in encoder and decoder.
ACTIVATIONS: tuple[str, ...] = ("linear", "relu", "sigmoid", "tanh")


class SynergyInputError(ValueError):
    """Raised when an argument given to synergylib is invalid.

    A subclass of :class:`ValueError`, so ``except ValueError`` catches it.
    """


def check_emg_matrix(
    X,
    *,
    name: str = "X",
    nonnegative: bool = False,
    min_samples: int = 2,
    min_features: int = 1,
    dtype=np.float64,
) -> np.ndarray:
    """Validate a 2-D EMG matrix and return it as a C-contiguous float array.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_muscles)
        The matrix to check. Rows are time samples, columns are muscles, the
        scikit-learn convention used by every estimator in synergylib.
    name : str
        How the matrix is called in error messages.
    nonnegative : bool
        If True, negative entries raise an error (needed by NMF).
    min_samples, min_features : int
        The smallest accepted numbers of rows and columns.
    dtype : numpy dtype
        The dtype of the returned array.

    Raises
    ------
    ValueError
        If ``X`` is not 2-D, contains NaN or infinity, is too small, or (with
        ``nonnegative=True``) contains negative values.
    """
    X = check_array(
        X,
        dtype=dtype,
        ensure_2d=True,
        ensure_all_finite=True,
        ensure_min_samples=min_samples,
        ensure_min_features=min_features,
        input_name=name,
    )
    if nonnegative:
        check_non_negative(X, f"{name} (muscle activity must be non-negative)")
    return np.ascontiguousarray(X)



def check_activation_matrix(H, n_synergies: int) -> np.ndarray:
    """Validate activations ``H`` (n_samples, n_synergies) given to a fitted model's
    ``inverse_transform``: finite, 2-D, with one column per synergy."""
    H = check_emg_matrix(H, name="H", min_samples=1)
    if H.shape[1] != n_synergies:
        raise SynergyInputError(
            f"H has {H.shape[1]} columns but the model has {n_synergies} synergies."
        )
    return H

def check_n_synergies(n_synergies, n_muscles: int, n_samples: int | None = None) -> int:
    """Check that ``n_synergies`` is a possible number of synergies.

    A factorisation of an ``n_samples x n_muscles`` matrix into ``N`` synergies
    needs ``1 <= N <= n_muscles`` (more synergies than muscles cannot be
    identified) and ``N <= n_samples``.

    Raises
    ------
    SynergyInputError
        If ``n_synergies`` is not an integer or is out of range.
    """
    if isinstance(n_synergies, bool) or not isinstance(n_synergies, Integral):
        raise SynergyInputError(
            f"n_synergies must be an integer, got {n_synergies!r} "
            f"({type(n_synergies).__name__})."
        )
    n_synergies = int(n_synergies)
    if n_synergies < 1:
        raise SynergyInputError(f"n_synergies must be at least 1, got {n_synergies}.")
    if n_synergies > n_muscles:
        raise SynergyInputError(
            f"n_synergies={n_synergies} is impossible with {n_muscles} muscles: "
            f"there can be at most as many synergies as muscles."
        )
    if n_samples is not None and n_synergies > n_samples:
        raise SynergyInputError(
            f"n_synergies={n_synergies} needs at least {n_synergies} samples, "
            f"got {n_samples}: fewer samples than synergies."
        )
    return n_synergies


def check_activation(name, *, role: str = "activation") -> str:
    """Return the canonical name of an activation function, or raise.

    Accepted names (case-insensitive): ``"linear"``, ``"relu"``, ``"sigmoid"``,
    ``"tanh"``. ``role`` ("encoder" or "decoder") is used in the message.
    """
    if not isinstance(name, str) or name.lower() not in ACTIVATIONS:
        raise SynergyInputError(
            f"Unknown {role} activation {name!r}; choose one of {', '.join(ACTIVATIONS)}."
        )
    return name.lower()


def _check_scalar(value, name: str, target_type, low, high, include_low: bool,
                  include_high: bool):
    """:func:`sklearn.utils.check_scalar` with bools refused and its errors re-raised
    as :class:`SynergyInputError`."""
    if isinstance(value, (bool, np.bool_)):
        raise SynergyInputError(f"{name} must be a number, got the bool {value!r}.")
    include_low = include_low and low is not None    # scikit-learn wants an open side
    include_high = include_high and high is not None  # marked as not included
    bounds = {(True, True): "both", (True, False): "left", (False, True): "right",
              (False, False): "neither"}[(include_low, include_high)]
    try:
        return check_scalar(value, name, target_type, min_val=low, max_val=high,
                            include_boundaries=bounds)
    except (TypeError, ValueError) as error:
        raise SynergyInputError(str(error)) from None


def check_int(value, name: str, *, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an ``int`` after checking that it is an integer in ``[low, high]``.

    Parameters
    ----------
    value : int
        The value to check; NumPy integers are accepted, bools and floats are not.
    name : str
        How the value is called in the error message.
    low, high : int, optional
        Inclusive bounds; ``None`` leaves that side open.

    Raises
    ------
    SynergyInputError
        If ``value`` is not an integer or lies outside the bounds.

    Examples
    --------
    >>> check_int(3, "n_restarts", low=1)
    3
    >>> check_int(0, "n_restarts", low=1)
    Traceback (most recent call last):
    ...
    synergylib._validation.SynergyInputError: n_restarts == 0, must be >= 1.
    """
    return int(_check_scalar(value, name, Integral, low, high, True, True))


def check_real(value, name: str, *, low: float | None = None, high: float | None = None,
               include_low: bool = True, include_high: bool = True) -> float:
    """Return ``value`` as a ``float`` after checking that it is a finite number within bounds.

    Parameters
    ----------
    value : float
        The value to check; integers are accepted, bools, NaN and infinities are not.
    name : str
        How the value is called in the error message.
    low, high : float, optional
        The bounds; ``None`` leaves that side open.
    include_low, include_high : bool
        Whether each bound is itself allowed (``include_low=False`` asks for
        ``value > low``).

    Raises
    ------
    SynergyInputError
        If ``value`` is not a finite real number or lies outside the bounds.

    Examples
    --------
    >>> check_real(0.5, "learning_rate", low=0, include_low=False)
    0.5
    >>> check_real(0, "learning_rate", low=0, include_low=False)
    Traceback (most recent call last):
    ...
    synergylib._validation.SynergyInputError: learning_rate == 0, must be > 0.
    """
    value = _check_scalar(value, name, Real, low, high, include_low, include_high)
    if not math.isfinite(float(value)):
        raise SynergyInputError(f"{name} must be a finite number, got {value!r}.")
    return float(value)
