r"""Held-out reconstruction by leaving one repetition out.

The synthetic study holds out one repetition of every movement: the models learn
from the mean of the other repetitions and are scored on the one they never saw
(:class:`synergylib.preprocessing.SynergyMatrices`). Real data sets often give
fewer repetitions, and the walking data of Santuz et al. (2020) give one matrix per
walker and a single raw trial with three usable gait cycles. This module applies
the study's design to any such set of repetitions, one fold per repetition:

.. math::

   X^{(k)}_\mathrm{train} = \frac{1}{R - 1} \sum_{r \ne k} X_r,
   \qquad X^{(k)}_\mathrm{test} = X_k, \qquad k = 1, \dots, R,

with :math:`X_r` the ``(n_muscles, n_points)`` matrix of repetition :math:`r`.
Each fold runs :func:`synergylib.study.analyse_matrices`: NMF chooses :math:`N`
on the training matrix with the study's rule, then NMF and every autoencoder
pairing are fitted there and scored on the held-out repetition (centred
:math:`R^2`, :func:`synergylib.metrics.r2_score`; NMF's held-out activations by
non-negative least squares on its fixed synergies, an autoencoder's by its
encoder). :func:`cross_validation_table` gathers the scores and
:func:`cross_validation_summary` asks the question a reconstruction ranking must
answer: does the pairing that reconstructs its training data best also
reconstruct new data best?

Each fold is cached as one :meth:`synergylib.study.ParticipantResult.save` file,
``<name>-fold<k>-<key>.npz``, whose key (:func:`fold_cache_key`) covers the study's
parameters, the data themselves (a SHA-256 of the repetitions in single precision)
and the code of this module.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sp_stats

from ._fingerprint import fingerprint
from ._validation import SynergyInputError, check_int
from .preprocessing import PreprocessingConfig, SynergyMatrices

__all__ = [
    "cross_validate",
    "cross_validation_summary",
    "cross_validation_table",
    "fold_cache_key",
    "leave_one_out",
]

#: The source of this module as it was imported (see ``synergylib.study._SOURCES_AT_IMPORT``).
_SOURCES_AT_IMPORT = {"crossvalidation.py": (Path(__file__).parent / "crossvalidation.py").read_text(encoding="utf-8")}


def _check_repetitions(repetitions) -> np.ndarray:
    try:
        X = np.asarray(repetitions, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise SynergyInputError(f"repetitions must be numeric: {error}") from None
    if X.ndim != 3:
        raise SynergyInputError(
            f"repetitions must have shape (n_repetitions, n_muscles, n_points), got shape {X.shape}."
        )
    if X.shape[0] < 2:
        raise SynergyInputError(f"leaving one repetition out needs at least 2, got {X.shape[0]}.")
    if not np.all(np.isfinite(X)):
        raise SynergyInputError("repetitions contain NaN or infinite values.")
    if (X < 0).any():
        raise SynergyInputError("repetitions must be non-negative envelopes (NMF needs them).")
    return X


def leave_one_out(repetitions, *, muscles: Sequence[str], config: PreprocessingConfig,
                  movement: str = "walking") -> list[SynergyMatrices]:
    """One :class:`~synergylib.preprocessing.SynergyMatrices` per held-out repetition.

    Parameters
    ----------
    repetitions : array-like of shape (n_repetitions, n_muscles, n_points)
        Preprocessed envelopes, e.g. the gait cycles of
        :func:`synergylib.walking.preprocess_walking_trial`.
    muscles : sequence of str
    config : PreprocessingConfig
        How the repetitions were made (recorded, not applied).
    movement : str
        The one movement's name.

    Returns
    -------
    list of SynergyMatrices
        Fold ``k``: ``train`` the mean of the other repetitions, ``test`` repetition
        ``k``; no ground truth; amplitude scale ones (the repetitions are used as given).
    """
    X = _check_repetitions(repetitions)
    if len(muscles) != X.shape[1]:
        raise SynergyInputError(f"{len(muscles)} muscle names for {X.shape[1]} muscles.")
    folds = []
    for k in range(X.shape[0]):
        train = np.delete(X, k, axis=0).mean(axis=0)
        folds.append(SynergyMatrices(
            train=train, test=X[k].copy(), true_activations_train=None, true_activations_test=None,
            muscles=tuple(muscles), n_points=X.shape[2], movement_plane=np.array([movement]),
            movement_target=np.array([0]), config=config, amplitude_scale=np.ones(X.shape[1]),
        ))
    return folds


def fold_cache_key(config, fold: int, repetitions) -> str:
    """Cache key of one fold: the study's key for index ``fold``
    (:meth:`synergylib.study.StudyConfig.participant_key`), a SHA-256 of the
    repetitions' values in single precision and the fingerprint of this module's code.

    Single precision (7 significant digits): the filters that make the repetitions
    give float64 values whose last bits differ between processors, and a key on
    those bits would make every other machine recompute the folds.
    """
    X = np.ascontiguousarray(_check_repetitions(repetitions), dtype=np.float32)
    payload = json.dumps({
        "study": config.participant_key(int(fold)),
        "data": hashlib.sha256(X.tobytes() + str(X.shape).encode()).hexdigest(),
        "crossvalidation": fingerprint(_SOURCES_AT_IMPORT),
    }, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def _fold(matrices, config, k: int, path: Path | None):
    from .study import ParticipantResult, analyse_matrices

    if path is not None and path.exists():
        return ParticipantResult.load(path)
    result = analyse_matrices(matrices, config, index=k)
    if path is not None:
        result.save(path)
    return result


def cross_validate(repetitions, config, *, muscles: Sequence[str], preprocessing: PreprocessingConfig,
                   name: str = "cycles", cache_dir: str | os.PathLike | None = None, n_jobs: int = 1,
                   progress: bool = True) -> list:
    """NMF and the autoencoder grid on every fold of :func:`leave_one_out`.

    Parameters
    ----------
    repetitions : array-like of shape (n_repetitions, n_muscles, n_points)
    config : synergylib.study.StudyConfig
        Only its NMF and autoencoder parts matter; fold ``k`` is analysed with
        ``index=k`` (its seeds).
    muscles : sequence of str
    preprocessing : PreprocessingConfig
        How the repetitions were made (recorded with each result).
    name : str
        Prefix of the cached files (letters, digits, ``-`` and ``_``).
    cache_dir : path, optional
        Folder of the fold files; a fold whose file exists is loaded, not recomputed.
    n_jobs : int
        Folds in parallel (:class:`joblib.Parallel`).
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    list of synergylib.study.ParticipantResult
        One per fold, ``index`` the held-out repetition.
    """
    from joblib import Parallel, delayed
    from tqdm.auto import tqdm

    from .study import cache_folder, record_result_use

    name = str(name)
    if not name or not all(c.isalnum() or c in "-_" for c in name):
        raise SynergyInputError(f"name must be letters, digits, '-' or '_', got {name!r}.")
    n_jobs = check_int(n_jobs, "n_jobs")
    folds = leave_one_out(repetitions, muscles=muscles, config=preprocessing)
    cache = cache_folder(cache_dir, f"{name}-fold")
    paths = [None if cache is None else cache / f"{name}-fold{k}-{fold_cache_key(config, k, repetitions)}.npz"
             for k in range(len(folds))]
    jobs = (delayed(_fold)(m, config, k, p) for k, (m, p) in enumerate(zip(folds, paths)))
    parallel = Parallel(n_jobs=n_jobs, return_as="generator")
    results = list(tqdm(parallel(jobs), total=len(folds), desc="folds", disable=not progress))
    if cache is not None:
        record_result_use(paths)
    return results


def cross_validation_table(results: Sequence) -> pd.DataFrame:
    """Training and held-out :math:`R^2` of every model in every fold.

    Returns
    -------
    DataFrame
        One row per fold and model (``"NMF"`` and each pairing): ``fold``,
        ``model``, ``n_synergies``, ``r2_train``, ``r2_test``.
    """
    rows = []
    for res in results:
        if res.test is None or res.ae_r2_test is None:
            raise SynergyInputError(f"result {res.index} has no held-out repetition.")
        rows.append({"fold": int(res.index), "model": "NMF", "n_synergies": int(res.n_synergies),
                     "r2_train": float(res.nmf_r2_train), "r2_test": float(res.nmf_r2_test)})
        for i, pairing in enumerate(res.pairings):
            rows.append({"fold": int(res.index), "model": pairing, "n_synergies": int(res.n_synergies),
                         "r2_train": float(res.ae_r2_train[i]), "r2_test": float(res.ae_r2_test[i])})
    if not rows:
        raise SynergyInputError("no results to tabulate.")
    return pd.DataFrame(rows)


def cross_validation_summary(table: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    r"""Per model, the mean training and held-out :math:`R^2` over folds, and how
    far the training ranking of the pairings carries to new data.

    Returns
    -------
    summary : DataFrame
        Indexed by model, sorted by held-out :math:`R^2`: ``r2_train``, ``r2_test``
        (means over folds), ``gap`` (train minus held-out), ``rank_train`` and
        ``rank_test`` among the pairings (1: best; NMF unranked).
    values : dict
        ``spearman_rho`` and ``spearman_p`` (:func:`scipy.stats.spearmanr` across
        pairings between mean training and mean held-out :math:`R^2`),
        ``best_train`` and ``best_test`` (pairings), ``best_train_test_rank`` (the
        held-out rank of the best training pairing), ``n_folds``, ``n_pairings``,
        ``n_above_nmf_test`` (pairings above NMF on held-out data).
    """
    needed = {"fold", "model", "r2_train", "r2_test"}
    if not needed <= set(table.columns):
        raise SynergyInputError(f"table needs the columns {sorted(needed)}.")
    means = table.groupby("model", sort=False)[["r2_train", "r2_test"]].mean()
    means["gap"] = means["r2_train"] - means["r2_test"]
    pairs = means.drop(index="NMF", errors="ignore")
    if len(pairs) < 3:
        raise SynergyInputError("the ranking needs at least 3 pairings.")
    means["rank_train"] = pairs["r2_train"].rank(ascending=False, method="min")
    means["rank_test"] = pairs["r2_test"].rank(ascending=False, method="min")
    rho, p = sp_stats.spearmanr(pairs["r2_train"], pairs["r2_test"])
    best_train = str(pairs["r2_train"].idxmax())
    values = {
        "spearman_rho": float(rho), "spearman_p": float(p), "best_train": best_train,
        "best_test": str(pairs["r2_test"].idxmax()),
        "best_train_test_rank": int(means.loc[best_train, "rank_test"]),
        "n_folds": int(table["fold"].nunique()), "n_pairings": int(len(pairs)),
        "n_above_nmf_test": int((pairs["r2_test"] > means.loc["NMF", "r2_test"]).sum())
        if "NMF" in means.index else 0,
    }
    return means.sort_values("r2_test", ascending=False), values
