r"""Glue between the Santuz et al. (2020) walking data and the synergylib pipeline.

The replication is built on a synthetic upper-limb data set; the authors suggest
lower-limb data as future work. This module lets the book run the same pipeline on
the real walking EMG that ships with the musclesyneRgies R package
(:mod:`synergylib.santuz`):

* :func:`preprocess_walking_trial` runs synergylib's own chain
  (:func:`synergylib.preprocessing.emg_to_envelope`) on the raw trial and
  time-normalises every gait cycle to a fixed number of points per phase
  (stance, then swing), so that it can be compared with the package's
  ``FILT_EMG``;
  :func:`santuz_preprocessing_config` is the configuration closest to the
  package's ``filtEMG`` defaults that the library's chain can express;
* :func:`compare_with_package` extracts NMF synergies with
  :class:`synergylib.nmf.SynergyNMF` from the package's 13 x 200 matrices and
  matches them with the synergies musclesyneRgies computed from the same matrices;
* :func:`walking_matrices` wraps one participant's matrix as a
  :class:`synergylib.preprocessing.SynergyMatrices`, and :func:`run_walking_study`
  runs :func:`synergylib.study.analyse_matrices` (NMF and the 16 autoencoder
  pairings) on every participant, one cached ``.npz`` file per participant.

The tables, text and named values the walking chapter builds from these results
live in :mod:`synergylib.chapters.walking`.

Two coefficients of determination appear here and must not be confused:
synergylib's centred :math:`R^2` (total sum of squares around each muscle's own
mean, :func:`synergylib.metrics.r2_score`) and the one musclesyneRgies stores,
centred on the grand mean of the whole matrix (:func:`r2_grand_mean`), which is
always the larger of the two.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ._fingerprint import fingerprint
from ._validation import SynergyInputError, check_int
from .metrics import match_synergies, r2_score
from .nmf import nmf_r2_curve, select_n_synergies
from .preprocessing import (
    PreprocessingConfig,
    SynergyMatrices,
    amplitude_normalise,
    emg_to_envelope,
    time_normalise,
)
from .santuz import (
    SANTUZ_FILES,
    SANTUZ_N_POINTS_STANCE,
    SANTUZ_N_POINTS_SWING,
    SantuzParticipant,
    SantuzRawTrial,
)

__all__ = [
    "PackageComparison",
    "compare_with_package",
    "gait_phase_bounds",
    "preprocess_walking_trial",
    "r2_grand_mean",
    "run_walking_study",
    "santuz_preprocessing_config",
    "time_normalise_gait_cycles",
    "walking_cache_key",
    "walking_matrices",
]


# ----------------------------------------------------------------------------
# Preprocessing the raw trial
# ----------------------------------------------------------------------------


def santuz_preprocessing_config(**changes) -> PreprocessingConfig:
    """The library chain set as close as it gets to musclesyneRgies' ``filtEMG``.

    musclesyneRgies (defaults of ``filtEMG``) demeans the raw EMG, high-passes it
    (4th-order zero-phase Butterworth, 50 Hz), rectifies it, low-passes it
    (4th-order zero-phase Butterworth, 20 Hz), subtracts each muscle's minimum and
    divides by its maximum over the trial. The library's chain has a band-pass, not
    a high-pass, so the returned configuration uses

    ===================  ==========  ==============================================
    parameter            value       why
    ===================  ==========  ==============================================
    ``bandpass_low``     50 Hz       the package's high-pass cutoff
    ``bandpass_high``    450 Hz      the library's upper edge; the package has none
    ``notch``            False       the package applies no notch
    ``envelope_method``  "butter"    the package's low-pass is a Butterworth
    ``envelope_order``   4           as the package
    ``envelope_cutoff``  20 Hz       as the package
    ``fs_out``           None        the package does not down-sample
    ``phasic``           False       walking has no rest to anchor a tonic line
    ===================  ==========  ==============================================

    The other differences are not parameters of the chain: the library applies
    :func:`scipy.signal.sosfiltfilt` (second-order sections) where the package
    applies ``filtfilt`` to transfer-function coefficients (different edge
    padding), and it clips the envelope at zero where the package subtracts each
    muscle's minimum.

    Parameters
    ----------
    **changes
        Fields of :class:`~synergylib.preprocessing.PreprocessingConfig` to
        override.
    """
    values = dict(
        bandpass=True,
        bandpass_low=50.0,
        bandpass_high=450.0,
        bandpass_order=4,
        notch=False,
        envelope_method="butter",
        envelope_cutoff=20.0,
        envelope_order=4,
        fs_out=None,
        phasic=False,
        test_repetition=None,
        normalise_amplitude=True,
    )
    values.update(changes)
    return PreprocessingConfig(**values)


def gait_phase_bounds(raw: SantuzRawTrial, *, drop_first: int = 1, drop_last: int = 1) -> np.ndarray:
    """Sample indices of touchdown, lift-off and next touchdown of each kept gait cycle.

    A gait cycle runs from one touchdown (``raw.cycles[i, 0]``) to the next; its
    stance ends at the lift-off ``raw.cycles[i, 1]``. With ``n`` rows in
    ``raw.cycles`` there are ``n - 1`` complete cycles; musclesyneRgies drops the
    first and the last (``drop_first = drop_last = 1``), which leaves the cycles
    starting at the 2nd, 3rd, ... touchdown.

    Event times (seconds) become fractional sample indices
    :math:`(t - t_0) f_s`, with :math:`t_0` the time of the first sample.

    Returns
    -------
    ndarray of shape (n_cycles, 3)
        Columns: touchdown, lift-off, next touchdown (fractional sample indices).
    """
    drop_first = check_int(drop_first, "drop_first", low=0)
    drop_last = check_int(drop_last, "drop_last", low=0)
    cycles = np.asarray(raw.cycles, dtype=np.float64)
    idx = (cycles - raw.time[0]) * raw.fs
    bounds = np.column_stack([idx[:-1, 0], idx[:-1, 1], idx[1:, 0]])
    n_complete = bounds.shape[0]
    bounds = bounds[drop_first : n_complete - drop_last]
    if bounds.shape[0] == 0:
        raise SynergyInputError(
            f"No gait cycle left: the trial has {n_complete} complete cycles and "
            f"drop_first={drop_first}, drop_last={drop_last} remove them all."
        )
    if not (np.all(np.diff(bounds, axis=1) > 0) and bounds.min() >= 0
            and bounds.max() <= raw.n_samples - 1):
        raise SynergyInputError("Gait events are not ordered or fall outside the recording.")
    return bounds


def time_normalise_gait_cycles(
    env,
    bounds,
    *,
    n_stance: int = SANTUZ_N_POINTS_STANCE,
    n_swing: int = SANTUZ_N_POINTS_SWING,
) -> np.ndarray:
    r"""Resample stance and swing of every gait cycle to a fixed number of points.

    Each phase is resampled on its own with
    :func:`synergylib.preprocessing.time_normalise` (linear interpolation at
    equally spaced times that include both ends), so that the stance-to-swing
    transition always falls at point ``n_stance``:

    .. math::

        \tilde e_c(k) = e\Bigl(t^{TD}_c + k\,\tfrac{t^{LO}_c - t^{TD}_c}{n_{st} - 1}\Bigr),
        \quad k < n_{st}; \qquad
        \tilde e_c(n_{st} + k) = e\Bigl(t^{LO}_c + k\,\tfrac{t^{TD}_{c+1} - t^{LO}_c}{n_{sw} - 1}\Bigr).

    Parameters
    ----------
    env : array-like of shape (n_muscles, n_samples)
        Envelope at the rate of ``bounds``.
    bounds : array-like of shape (n_cycles, 3)
        Output of :func:`gait_phase_bounds`.
    n_stance, n_swing : int
        Points per phase (musclesyneRgies: 100 and 100).

    Returns
    -------
    ndarray of shape (n_cycles, n_muscles, n_stance + n_swing)
    """
    env = np.asarray(env, dtype=np.float64)
    if env.ndim != 2:
        raise SynergyInputError(f"env must be (n_muscles, n_samples), got shape {env.shape}.")
    bounds = np.asarray(bounds, dtype=np.float64)
    if bounds.ndim != 2 or bounds.shape[1] != 3:
        raise SynergyInputError(f"bounds must have shape (n_cycles, 3), got {bounds.shape}.")
    cycles = []
    for touchdown, lift_off, next_touchdown in bounds:
        stance = time_normalise(env, touchdown, lift_off, n_stance)
        swing = time_normalise(env, lift_off, next_touchdown, n_swing)
        cycles.append(np.concatenate([stance, swing], axis=1))
    return np.stack(cycles)


def preprocess_walking_trial(
    raw: SantuzRawTrial,
    config: PreprocessingConfig | None = None,
    *,
    n_stance: int = SANTUZ_N_POINTS_STANCE,
    n_swing: int = SANTUZ_N_POINTS_SWING,
    drop_first: int = 1,
    drop_last: int = 1,
) -> np.ndarray:
    """Raw walking trial to amplitude- and time-normalised gait cycles.

    1. :func:`~synergylib.preprocessing.emg_to_envelope` on the whole trial
       (band-pass, optional notch, rectification, low-pass) with ``config``;
    2. if ``config.normalise_amplitude``, each muscle divided by its maximum over
       the whole trial (:func:`~synergylib.preprocessing.amplitude_normalise`), as
       musclesyneRgies does;
    3. each kept gait cycle (:func:`gait_phase_bounds`) resampled to ``n_stance``
       points of stance and ``n_swing`` of swing
       (:func:`time_normalise_gait_cycles`).

    ``config.fs_out`` (down-sampling) and ``config.phasic`` (tonic removal around a
    movement) have no meaning for continuous walking and must be off.

    Parameters
    ----------
    raw : SantuzRawTrial
    config : PreprocessingConfig, optional
        Default: :func:`santuz_preprocessing_config`.

    Returns
    -------
    ndarray of shape (n_cycles, n_muscles, n_stance + n_swing)
    """
    config = santuz_preprocessing_config() if config is None else config
    if config.fs_out is not None and config.fs_out != raw.fs:
        raise SynergyInputError(
            "preprocess_walking_trial keeps the envelope at the raw rate: set fs_out=None."
        )
    if config.phasic:
        raise SynergyInputError(
            "Tonic removal needs rest before and after a movement; walking has none: set phasic=False."
        )
    env = emg_to_envelope(raw.emg, raw.fs, config)
    if config.normalise_amplitude:
        env, _ = amplitude_normalise(env, muscle_names=raw.muscles)
    bounds = gait_phase_bounds(raw, drop_first=drop_first, drop_last=drop_last)
    return time_normalise_gait_cycles(env, bounds, n_stance=n_stance, n_swing=n_swing)


# ----------------------------------------------------------------------------
# NMF against musclesyneRgies
# ----------------------------------------------------------------------------


def r2_grand_mean(X, X_hat) -> float:
    r"""The :math:`R^2` musclesyneRgies stores: sum of squares around the grand mean.

    .. math::

        R^2_{gm} = 1 - \frac{\sum_{m,t} (x_{mt} - \hat x_{mt})^2}{\sum_{m,t} (x_{mt} - \bar x)^2},
        \qquad \bar x = \text{mean of all entries}.

    Not synergylib's :func:`~synergylib.metrics.r2_score` (each muscle centred on
    its own mean): the grand mean leaves the differences between the muscles'
    mean levels in the denominator, so :math:`R^2_{gm}` is always at least as
    large. Layout does not matter (every entry counts once).
    """
    X = np.asarray(X, dtype=np.float64)
    X_hat = np.asarray(X_hat, dtype=np.float64)
    if X.shape != X_hat.shape:
        raise SynergyInputError(f"X and X_hat must have the same shape, got {X.shape} and {X_hat.shape}.")
    sst = np.sum((X - X.mean()) ** 2)
    if sst == 0:
        raise SynergyInputError("X is constant: R2 is undefined.")
    return float(1.0 - np.sum((X - X_hat) ** 2) / sst)


@dataclass(frozen=True, eq=False)
class PackageComparison:
    """synergylib's NMF and musclesyneRgies' NMF of one participant's matrix.

    Attributes
    ----------
    id : str
        The participant's trial identifier.
    n_values : ndarray of int
        Numbers of synergies tried.
    r2_curve : ndarray
        synergylib's centred :math:`R^2` of the best restart for each ``n_values``.
    r2_grand_mean_curve : ndarray
        The same fits scored with :func:`r2_grand_mean` (the package's definition).
    n_threshold : int
        Smallest N with centred :math:`R^2` at least ``r2_threshold`` (synergylib's rule).
    n_threshold_grand_mean : int
        The same threshold applied to the grand-mean :math:`R^2` curve.
    n_package : int
        The N musclesyneRgies chose (its own criterion, see :mod:`synergylib.santuz`).
    synergies_threshold, synergies_at_package_n : ndarray of shape (n_muscles, N)
        synergylib's NMF synergies at ``n_threshold`` and at ``n_package``.
    package_synergies : ndarray of shape (n_muscles, n_package)
    cosine_threshold, cosine_at_package_n : ndarray
        Matched cosines (Hungarian matching, package synergies as reference) at the
        two N; at ``n_threshold`` only ``min(n_threshold, n_package)`` pairs match.
    permutation_at_package_n : ndarray of int
        Column of ``synergies_at_package_n`` matched to each package synergy.
    package_r2_grand_mean, package_r2_centred : float
        The package's reconstruction scored both ways.
    r2_threshold : float
    """

    id: str
    n_values: np.ndarray
    r2_curve: np.ndarray
    r2_grand_mean_curve: np.ndarray
    n_threshold: int
    n_threshold_grand_mean: int
    n_package: int
    synergies_threshold: np.ndarray
    synergies_at_package_n: np.ndarray
    package_synergies: np.ndarray
    cosine_threshold: np.ndarray
    cosine_at_package_n: np.ndarray
    permutation_at_package_n: np.ndarray
    package_r2_grand_mean: float
    package_r2_centred: float
    r2_threshold: float

    def row(self) -> dict:
        """The comparison in one row of numbers (the walking chapter shows one per participant)."""
        k_thr = self.n_threshold - 1
        k_pkg = self.n_package - 1
        return {
            "participant": self.id,
            "n_package": self.n_package,
            "n_threshold": self.n_threshold,
            "n_threshold_grand_mean": self.n_threshold_grand_mean,
            "cosine_threshold": float(self.cosine_threshold.mean()),
            "cosine_at_package_n": float(self.cosine_at_package_n.mean()),
            "min_cosine_at_package_n": float(self.cosine_at_package_n.min()),
            "r2_threshold": float(self.r2_curve[k_thr]),
            "r2_at_package_n": float(self.r2_curve[k_pkg]),
            "r2_grand_mean_at_package_n": float(self.r2_grand_mean_curve[k_pkg]),
            "package_r2_grand_mean": self.package_r2_grand_mean,
            "package_r2_centred": self.package_r2_centred,
        }


def compare_with_package(
    participant: SantuzParticipant,
    *,
    r2_threshold: float = 0.80,
    n_max: int = 10,
    n_restarts: int = 10,
    max_iter: int = 1000,
    tol: float = 1e-4,
    random_state: int | None = 0,
) -> PackageComparison:
    """Extract NMF synergies from the package's matrix and match them with its synergies.

    :func:`synergylib.nmf.nmf_r2_curve` fits :class:`~synergylib.nmf.SynergyNMF` for
    :math:`N = 1, \\dots, n_{max}` (with ``n_max`` at least the package's N) on the
    participant's 13 x 200 matrix :math:`V`; synergylib's rule picks the smallest N
    with centred :math:`R^2 \\ge` ``r2_threshold``; the synergies at that N and at the
    package's own N are matched one to one with the package's
    (:func:`synergylib.metrics.match_synergies`).
    """
    X = participant.emg.T
    n_max = max(int(n_max), participant.n_synergies)
    if n_max > X.shape[1]:
        raise SynergyInputError(f"n_max={n_max} exceeds the {X.shape[1]} muscles.")
    n_values, r2, models = nmf_r2_curve(
        X,
        range(1, n_max + 1),
        n_restarts=n_restarts,
        random_state=random_state,
        return_models=True,
        max_iter=max_iter,
        tol=tol,
    )
    r2_gm = np.array([r2_grand_mean(X, m.inverse_transform(m.transform(X))) for m in models])
    n_thr = select_n_synergies(n_values, r2, threshold=r2_threshold, if_none="largest")
    n_thr_gm = select_n_synergies(n_values, r2_gm, threshold=r2_threshold, if_none="largest")
    n_pkg = participant.n_synergies
    W_thr = models[n_thr - 1].synergies_
    W_pkg_n = models[n_pkg - 1].synergies_
    W_ref = participant.synergies
    match_thr = match_synergies(W_ref, W_thr)
    match_pkg = match_synergies(W_ref, W_pkg_n)
    recon = participant.synergies @ participant.activations
    return PackageComparison(
        id=participant.id,
        n_values=n_values,
        r2_curve=r2,
        r2_grand_mean_curve=r2_gm,
        n_threshold=int(n_thr),
        n_threshold_grand_mean=int(n_thr_gm),
        n_package=int(n_pkg),
        synergies_threshold=W_thr,
        synergies_at_package_n=W_pkg_n,
        package_synergies=W_ref,
        cosine_threshold=match_thr.cosine,
        cosine_at_package_n=match_pkg.cosine,
        permutation_at_package_n=match_pkg.permutation,
        package_r2_grand_mean=r2_grand_mean(participant.emg, recon),
        package_r2_centred=float(r2_score(participant.emg.T, recon.T)),
        r2_threshold=float(r2_threshold),
    )


# ----------------------------------------------------------------------------
# The autoencoder study on the walking matrices
# ----------------------------------------------------------------------------


def walking_matrices(participant: SantuzParticipant) -> SynergyMatrices:
    """One participant's 13 x 200 gait-cycle matrix as :class:`SynergyMatrices`.

    ``train`` is the package's :math:`V` (already filtered, amplitude- and
    time-normalised by musclesyneRgies); there is no held-out repetition and no
    ground truth (``test`` and the ``true_*`` fields are None). The one "movement"
    is the gait cycle (``movement_plane = ["walking"]``), ``n_points`` is 200
    (100 stance + 100 swing), ``amplitude_scale`` is ones (already normalised), and
    ``config`` records :func:`santuz_preprocessing_config`, the library's closest
    equivalent of the package's filtering (not re-applied here).
    """
    emg = np.array(participant.emg, dtype=np.float64)
    return SynergyMatrices(
        train=emg,
        test=None,
        true_activations_train=None,
        true_activations_test=None,
        muscles=tuple(participant.muscles),
        n_points=emg.shape[1],
        movement_plane=np.array(["walking"]),
        movement_target=np.array([0]),
        config=santuz_preprocessing_config(),
        amplitude_scale=np.ones(emg.shape[0]),
    )


#: The source of this module and of :mod:`synergylib.santuz` (which reads the data)
#: as they were imported (see ``synergylib.study._SOURCES_AT_IMPORT``).
_SOURCES_AT_IMPORT = {
    name: (Path(__file__).parent / name).read_text(encoding="utf-8")
    for name in ("walking.py", "santuz.py")
}


def walking_cache_key(config, index: int, participant_id: str) -> str:
    """Cache key of one walking participant.

    The study's own key (:meth:`synergylib.study.StudyConfig.participant_key`: every
    parameter, the library version and a fingerprint of the modules that compute a
    result) combined with the participant's identifier, the SHA-256 of
    ``SYNS.RData`` and the fingerprint of the code of this module and of
    :mod:`synergylib.santuz` (:func:`synergylib._fingerprint.fingerprint`: they read
    the data and build the matrices), so that editing either invalidates the cache.
    """
    payload = json.dumps(
        {
            "study": config.participant_key(index),
            "participant": str(participant_id),
            "data": SANTUZ_FILES["SYNS.RData"],
            "walking": fingerprint(_SOURCES_AT_IMPORT),
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def _walking_path(cache: Path, config, index: int, participant: SantuzParticipant) -> Path:
    return cache / f"walking-{participant.id}-{walking_cache_key(config, index, participant.id)}.npz"


def _analyse_cached(participant: SantuzParticipant, index: int, config, cache: Path | None):
    from .study import ParticipantResult, analyse_matrices

    path = None
    if cache is not None:
        path = _walking_path(cache, config, index, participant)
        if path.exists():
            return ParticipantResult.load(path)
    result = analyse_matrices(walking_matrices(participant), config, index=index)
    if path is not None:
        result.save(path)
    return result


def run_walking_study(
    config,
    participants: Sequence[SantuzParticipant],
    *,
    cache_dir: str | os.PathLike | None = None,
    n_jobs: int = 1,
    progress: bool = True,
) -> list:
    """NMF and the autoencoder grid on the first ``config.n_participants`` walkers.

    Each participant's matrix (:func:`walking_matrices`) goes through
    :func:`synergylib.study.analyse_matrices` with ``config`` (only its NMF and
    autoencoder parts matter; the data and preprocessing fields are ignored). Result
    ``i`` has ``index = i``, the position of the participant in ``participants``,
    which also seeds its NMF and autoencoder initialisations. The autoencoders train
    under ``config.autoencoder.torch_threads`` torch threads (one by default): the
    walking matrices are tiny (13 x 200), so more threads only add synchronisation
    (figures in ``benchmarks/README.md``); parallelise over participants with
    ``n_jobs`` instead.

    Parameters
    ----------
    config : synergylib.study.StudyConfig
    participants : sequence of SantuzParticipant
        Usually :func:`synergylib.santuz.load_santuz2020_synergies`.
    cache_dir : path, optional
        Folder of the per-participant ``.npz`` files (``walking-<id>-<key>.npz``,
        :func:`walking_cache_key`), written atomically by
        :meth:`~synergylib.study.ParticipantResult.save`. A participant whose file
        exists is loaded, not recomputed.
    n_jobs : int
        Participants in parallel with :class:`joblib.Parallel`.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    list of synergylib.study.ParticipantResult
    """
    from joblib import Parallel, delayed
    from tqdm.auto import tqdm

    from .study import cache_folder

    n = int(config.n_participants)
    if n > len(participants):
        raise SynergyInputError(
            f"config.n_participants={n} but only {len(participants)} walking participants are available."
        )
    cache = cache_folder(cache_dir, "walking-")
    jobs = (delayed(_analyse_cached)(participants[i], i, config, cache) for i in range(n))
    parallel = Parallel(n_jobs=n_jobs, return_as="generator")
    results = list(tqdm(parallel(jobs), total=n, desc="walkers", disable=not progress))
    if cache is not None:
        from .study import record_result_use

        record_result_use(_walking_path(cache, config, i, participants[i]) for i in range(n))
    return results
