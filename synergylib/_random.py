"""How synergylib turns a ``random_state`` into seeds: one way for every module.

Two functions:

* :func:`seed_entropy` reads a ``random_state`` (None, a non-negative int, a root
  :class:`numpy.random.SeedSequence`, a :class:`numpy.random.Generator` or a legacy
  :class:`numpy.random.RandomState`) as the entropy of a
  :class:`~numpy.random.SeedSequence`;
* :func:`restart_seeds` gives restart ``r`` the child sequence ``(entropy, r)``, so
  that restart ``r`` depends only on ``random_state`` and ``r``: whatever else is
  trained in the same batch, restart ``r`` of every autoencoder pairing starts from
  the same draw, and a participant's data do not depend on the other participants.

:class:`~synergylib.nmf.SynergyNMF` is the one exception: its restarts draw integer
seeds for :class:`sklearn.decomposition.NMF` the way scikit-learn's own estimators
draw ``n_init`` seeds (:func:`sklearn.utils.check_random_state`), as it has since the
first published results.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np

from ._validation import SynergyInputError

__all__ = ["restart_seeds", "seed_entropy"]


def seed_entropy(random_state) -> int:
    """The :class:`~numpy.random.SeedSequence` entropy that ``random_state`` stands for.

    Parameters
    ----------
    random_state : None, int, SeedSequence, Generator or RandomState
        ``None`` draws fresh entropy from the operating system; a non-negative
        int is the entropy itself; a root SeedSequence (empty ``spawn_key``)
        gives its entropy; a Generator or RandomState draws one integer (and so
        advances its state).

    Raises
    ------
    SynergyInputError
        For a negative int, a bool, a spawned SeedSequence or any other type.

    Examples
    --------
    >>> seed_entropy(7)
    7
    """
    if random_state is None:
        return np.random.SeedSequence().entropy
    if isinstance(random_state, np.random.SeedSequence):
        if random_state.spawn_key:
            raise SynergyInputError(
                "random_state must be a root SeedSequence (empty spawn_key) or an integer."
            )
        return random_state.entropy
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2**63))
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2**31 - 1))
    if isinstance(random_state, (bool, np.bool_)) or not isinstance(random_state, Integral):
        raise SynergyInputError(
            "random_state must be None, a non-negative integer, a numpy SeedSequence, "
            f"Generator or RandomState, got {random_state!r} ({type(random_state).__name__})."
        )
    if random_state < 0:
        raise SynergyInputError(f"random_state must be non-negative, got {random_state}.")
    return int(random_state)


def restart_seeds(random_state, n_restarts: int) -> list[np.random.SeedSequence]:
    """One :class:`~numpy.random.SeedSequence` per restart: ``(entropy, spawn_key=(r,))``.

    Examples
    --------
    >>> [s.spawn_key for s in restart_seeds(0, 3)]
    [(0,), (1,), (2,)]
    """
    entropy = seed_entropy(random_state)
    return [np.random.SeedSequence(entropy, spawn_key=(r,)) for r in range(n_restarts)]
