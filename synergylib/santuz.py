"""Real walking EMG: the example data of the musclesyneRgies R package.

Santuz et al. (2020) recorded surface EMG from 13 muscles of the right lower
limb of people walking on a treadmill; the MIT-licensed R package
`musclesyneRgies <https://github.com/alesantuz/musclesyneRgies>`_ (Santuz, JOSS
2022) ships part of those recordings as three R data files. This module
downloads them from the package's public repository at a pinned commit, checks
their SHA-256 hashes, caches them with :mod:`pooch`, reads them with the
:mod:`rdata` package and returns plain NumPy arrays (never R objects).

Three files, three loaders:

``SYNS.RData`` -> :func:`load_santuz2020_synergies`
    15 participants, each with the 13 x 200 filtered, time-normalised EMG
    matrix :math:`V` (one gait cycle: 100 points of stance, then 100 points of
    swing) and the NMF result of musclesyneRgies, :math:`V \\approx M P`.
``RAW_DATA.RData`` -> :func:`load_santuz2020_raw`
    One raw trial (participant ``ID0012_TW_01``) at 1 kHz with touchdown and
    lift-off times.
``FILT_EMG.RData`` -> :func:`load_santuz2020_filtered`
    The same trial filtered and time-normalised: three consecutive gait cycles
    of 200 points each.

:func:`load_santuz2020` dispatches to the three loaders.

Where the files live
--------------------
The cache folder is the environment variable ``SYNERGYLIB_DATA_DIR`` if set,
otherwise ``pooch.os_cache("synergylib") / "santuz2020"``. A file already in
that folder is hash-checked and used as is, without any network access, so the
folder may be read-only (the offline tests and the book build point it at a
read-only copy). A file whose hash does not match is never overwritten: the
loader raises :class:`DataIntegrityError` and leaves it to the user to delete
it.

What the numbers are (read from the R data and the package's source)
--------------------------------------------------------------------
* Raw EMG: as recorded (amplitudes up to about +-760; the package does not
  state the unit, the magnitudes are those of microvolts), sampled at
  1000 Hz (derived from the time column, which runs from 0.014 s to 7.631 s
  in steps of 1 ms).
* Filtered EMG (``filtEMG`` defaults of musclesyneRgies): demeaned, 4th-order
  zero-phase Butterworth high-pass at 50 Hz, full-wave rectified, 4th-order
  zero-phase Butterworth low-pass at 20 Hz, minimum subtracted, each muscle
  divided by its maximum over the trial (so values lie in [0, 1], unitless),
  then each stance and each swing linearly interpolated to 100 points
  (``normEMG``). First and last recorded cycles are trimmed: the three
  cycles are those starting at the 2nd, 3rd and 4th touchdown of the raw
  trial. Redoing this chain on the raw trial with :func:`scipy.signal.butter`
  and :func:`scipy.signal.filtfilt` reproduces ``FILT_EMG`` to within 0.013
  (correlation 0.9998; the difference is filtfilt's edge padding), which
  confirms what the ``cycles`` columns mean.
* ``SYNS`` NMF (``synsNMF``): multiplicative updates, values
  :math:`\\le 0` in :math:`V` replaced by the smallest positive value,
  synergy columns :math:`M` of unit Euclidean norm, rank chosen by a
  linear-fit criterion on the :math:`R^2`-vs-rank curve (not by an
  :math:`R^2` threshold). Its stored :math:`R^2` is centred on the *grand*
  mean of :math:`V`,

  .. math::

      R^2_{\\text{musclesyneRgies}} = 1 - \\frac{\\sum_{m,t}(V_{mt} - \\hat V_{mt})^2}
                                      {\\sum_{m,t}(V_{mt} - \\bar V)^2},
      \\qquad \\bar V = \\frac{1}{13 \\cdot 200}\\sum_{m,t} V_{mt},

  which is *not* synergylib's centred :math:`R^2` (SST around each muscle's
  own mean, :func:`synergylib.metrics.r2_score`); the grand-mean version is
  always the larger of the two. It is exposed here as
  :attr:`SantuzParticipant.r2_grand_mean` so that the two are never confused.
* The ``V`` of participant ``ID0012_TW_01`` in ``SYNS`` is not any of the three
  cycles of ``FILT_EMG`` nor their mean (largest point-wise difference 0.19 or
  more): the package's example files were not produced from one another.

References
----------
Santuz A. (2022). musclesyneRgies: factorization of electromyographic data in
R with sensible defaults. *Journal of Open Source Software* 7(74), 4439.
doi:10.21105/joss.04439

Santuz A. et al. (2020). Neuromotor dynamics of human locomotion in
challenging settings. *iScience* 23(1), 100796. doi:10.1016/j.isci.2019.100796
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ._validation import SynergyInputError

__all__ = [
    "SANTUZ_BASE_URL",
    "SANTUZ_COMMIT",
    "SANTUZ_FILES",
    "SANTUZ_MUSCLES",
    "SANTUZ_MUSCLE_NAMES",
    "SANTUZ_N_POINTS_STANCE",
    "SANTUZ_N_POINTS_SWING",
    "DataIntegrityError",
    "SantuzFilteredTrial",
    "SantuzParticipant",
    "SantuzRawTrial",
    "fetch_santuz2020",
    "load_santuz2020",
    "load_santuz2020_filtered",
    "load_santuz2020_raw",
    "load_santuz2020_synergies",
    "read_rdata",
    "santuz2020_data_dir",
]

#: Commit of alesantuz/musclesyneRgies the files are pinned to.
SANTUZ_COMMIT = "0fbf53b01d9386fe489cb9e864c43a242dee70ce"

#: Where the files are downloaded from (the file name is appended).
SANTUZ_BASE_URL = f"https://github.com/alesantuz/musclesyneRgies/raw/{SANTUZ_COMMIT}/data/"

#: The three files and their SHA-256 hashes (pooch registry).
SANTUZ_FILES: dict[str, str] = {
    "SYNS.RData": "sha256:1c2d6388ebc37bf2032beef54041442502f8027527fc9bb6a95f21bdaca0e5e9",
    "RAW_DATA.RData": "sha256:1b861c987a9a6d5e10733d80f509f58e4b1499ccbd3f26034c424f28321afac8",
    "FILT_EMG.RData": "sha256:748f29eaf327a60a38ee97fe8f600a8f930024619cb445c0bf23beff8edc0edd",
}

#: Muscle abbreviations, in the order of the R data (right lower limb).
SANTUZ_MUSCLES: tuple[str, ...] = (
    "ME", "MA", "FL", "RF", "VM", "VL", "ST", "BF", "TA", "PL", "GM", "GL", "SO",
)  # fmt: skip

#: Full muscle names, in the order of :data:`SANTUZ_MUSCLES`.
SANTUZ_MUSCLE_NAMES: tuple[str, ...] = (
    "gluteus medius",
    "gluteus maximus",
    "tensor fasciae latae",
    "rectus femoris",
    "vastus medialis",
    "vastus lateralis",
    "semitendinosus",
    "biceps femoris",
    "tibialis anterior",
    "peroneus longus",
    "gastrocnemius medialis",
    "gastrocnemius lateralis",
    "soleus",
)

#: Points per stance and per swing phase in the time-normalised data.
SANTUZ_N_POINTS_STANCE = 100
SANTUZ_N_POINTS_SWING = 100
_N_POINTS_CYCLE = SANTUZ_N_POINTS_STANCE + SANTUZ_N_POINTS_SWING
_ENV_VAR = "SYNERGYLIB_DATA_DIR"


class DataIntegrityError(ValueError):
    """A cached data file does not have the expected SHA-256 hash.

    Attributes
    ----------
    path : pathlib.Path
        The offending file.
    expected, actual : str
        The expected and the actual SHA-256 hex digests.
    """

    def __init__(self, path: Path, expected: str, actual: str):
        self.path = Path(path)
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"The cached file {self.path} is corrupt or was modified: its sha256 hash is "
            f"{actual}, expected {expected} (musclesyneRgies commit {SANTUZ_COMMIT[:12]}). "
            f"It was left untouched; delete it to download a fresh copy."
        )


# ----------------------------------------------------------------------------
# Containers
# ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SantuzParticipant:
    """One participant of ``SYNS.RData``: EMG matrix and musclesyneRgies' NMF.

    All matrices follow the physiology layout of synergylib (muscles in rows),
    with :math:`V \\approx M P`.

    Attributes
    ----------
    id : str
        Trial identifier, e.g. ``"ID0001_TW_01"`` (TW: treadmill walking).
    muscles : tuple of str
        The 13 abbreviations, :data:`SANTUZ_MUSCLES`.
    emg : ndarray of shape (13, 200)
        :math:`V`: filtered, amplitude-normalised (unitless, at most 1),
        time-normalised EMG of one gait cycle; points 0-99 are stance
        (touchdown to lift-off), 100-199 swing. Entries :math:`\\le 0` were
        replaced by the smallest positive entry by the package, so all are
        positive.
    synergies : ndarray of shape (13, n_synergies)
        :math:`M`, the motor modules, unit Euclidean norm per column.
    activations : ndarray of shape (n_synergies, 200)
        :math:`P`, the motor primitives (the package's time column dropped).
    reconstruction : ndarray of shape (13, 200)
        :math:`V_r = M P` as stored by the package.
    r2_grand_mean : float
        The package's :math:`R^2`, with the total sum of squares taken around
        the grand mean of :math:`V` (see the module docstring). Not
        synergylib's per-muscle centred :math:`R^2`.
    iterations : int
        Multiplicative-update iterations until the package's stopping rule.
    classification : str
        The package's classification label (``"none"`` in this file).
    synergy_names : tuple of str
        The package's column names, ``"Syn1"``, ``"Syn2"``, ...
    """

    id: str
    muscles: tuple[str, ...]
    emg: np.ndarray
    synergies: np.ndarray
    activations: np.ndarray
    reconstruction: np.ndarray
    r2_grand_mean: float
    iterations: int
    classification: str
    synergy_names: tuple[str, ...]

    @property
    def n_synergies(self) -> int:
        """Number of synergies the package selected."""
        return self.synergies.shape[1]

    @property
    def n_points(self) -> int:
        """Time points of the gait cycle (200)."""
        return self.emg.shape[1]


@dataclass(frozen=True, eq=False)
class SantuzRawTrial:
    """The raw walking trial of ``RAW_DATA.RData``.

    Attributes
    ----------
    id : str
        ``"ID0012_TW_01"``.
    muscles : tuple of str
        :data:`SANTUZ_MUSCLES`.
    fs : float
        Sampling frequency in Hz, derived from the time column
        (:math:`1 / \\overline{\\Delta t}`, rounded as the package does): 1000 Hz.
    time : ndarray of shape (n_samples,)
        Time in seconds as stored (starts at 0.014 s, not at 0).
    emg : ndarray of shape (13, n_samples)
        Raw EMG, muscles in rows. The unit is not stated by the package; the
        magnitudes (up to a few hundred) are those of microvolts.
    cycles : ndarray of shape (n_cycles, 2)
        Gait-cycle events in seconds, one row per cycle: column 0 is the
        touchdown (start of stance), column 1 the lift-off (start of swing).
        A cycle runs from one touchdown to the next.
    """

    id: str
    muscles: tuple[str, ...]
    fs: float
    time: np.ndarray
    emg: np.ndarray
    cycles: np.ndarray

    @property
    def touchdowns(self) -> np.ndarray:
        """Touchdown times in seconds, ``cycles[:, 0]``."""
        return self.cycles[:, 0]

    @property
    def lift_offs(self) -> np.ndarray:
        """Lift-off times in seconds, ``cycles[:, 1]``."""
        return self.cycles[:, 1]

    @property
    def n_samples(self) -> int:
        """Number of samples."""
        return self.emg.shape[1]


@dataclass(frozen=True, eq=False)
class SantuzFilteredTrial:
    """The filtered, time-normalised trial of ``FILT_EMG.RData``.

    Attributes
    ----------
    id : str
        ``"ID0012_TW_01"``.
    muscles : tuple of str
        :data:`SANTUZ_MUSCLES`.
    emg : ndarray of shape (13, 600)
        Filtered EMG normalised to its maximum over the whole trial (unitless,
        in [0, 1]), three consecutive gait cycles of 200 points each
        (100 stance + 100 swing).
    time : ndarray of shape (600,)
        Normalised time in gait cycles: ``cycle + (point - 1) / 200``, from 0
        to 2.995.
    point_in_cycle : ndarray of shape (600,)
        The stored time column: the point within its cycle, 1 to 200.
    n_cycles : int
        Number of gait cycles (3).
    """

    id: str
    muscles: tuple[str, ...]
    emg: np.ndarray
    time: np.ndarray
    point_in_cycle: np.ndarray
    n_cycles: int

    @property
    def cycle_matrices(self) -> np.ndarray:
        """The EMG cut into cycles, shape (n_cycles, 13, 200)."""
        n_muscles = self.emg.shape[0]
        return self.emg.reshape(n_muscles, self.n_cycles, _N_POINTS_CYCLE).transpose(1, 0, 2)


# ----------------------------------------------------------------------------
# Fetching
# ----------------------------------------------------------------------------


def santuz2020_data_dir() -> Path:
    """The cache folder: ``$SYNERGYLIB_DATA_DIR`` or pooch's user cache.

    Returns ``Path(os.environ["SYNERGYLIB_DATA_DIR"])`` when that variable is
    set and not empty, else ``pooch.os_cache("synergylib") / "santuz2020"``.
    """
    env = os.environ.get(_ENV_VAR)
    if env:
        return Path(env).expanduser()
    import pooch

    return Path(pooch.os_cache("synergylib")) / "santuz2020"


def _make_pooch():
    import pooch

    return pooch.create(
        path=santuz2020_data_dir(),
        base_url=SANTUZ_BASE_URL,
        registry=dict(SANTUZ_FILES),
        # Never replace a file already in the cache (it is checked below).
        allow_updates=False,
    )


def fetch_santuz2020(name: str) -> Path:
    """Return the local path of one data file, downloading it if needed.

    A file already in :func:`santuz2020_data_dir` is hash-checked and returned
    without any network access. A missing file is downloaded from
    :data:`SANTUZ_BASE_URL` with :mod:`pooch`, which verifies the hash.

    Parameters
    ----------
    name : {"SYNS.RData", "RAW_DATA.RData", "FILT_EMG.RData"}
        The file.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    SynergyInputError
        If ``name`` is not one of the three files.
    DataIntegrityError
        If the cached file's SHA-256 hash is not the expected one. The file is
        left as it is.
    OSError
        If the file is missing and cannot be downloaded (no network, read-only
        folder).
    """
    import pooch

    if name not in SANTUZ_FILES:
        raise SynergyInputError(
            f"Unknown Santuz 2020 file {name!r}; choose one of {', '.join(SANTUZ_FILES)}."
        )
    expected = SANTUZ_FILES[name].split(":", 1)[1]
    path = santuz2020_data_dir() / name
    if path.is_file():
        actual = pooch.file_hash(str(path), alg="sha256")
        if actual != expected:
            raise DataIntegrityError(path, expected, actual)
        return path
    url = SANTUZ_BASE_URL + name
    try:
        fetched = _make_pooch().fetch(name)
    except ValueError:  # pooch's own hash check after download
        raise
    except Exception as exc:  # network, permissions, HTTP errors
        raise OSError(
            f"{name} is not in {path.parent} and could not be downloaded from {url} "
            f"({type(exc).__name__}: {exc}). Check the network connection, or set the "
            f"environment variable {_ENV_VAR} to a folder that holds the file."
        ) from exc
    return Path(fetched)


# ----------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------


def _identity_constructor(obj: Any, attrs: Any) -> Any:
    return obj


def read_rdata(path: str | os.PathLike) -> dict[str, Any]:
    """Read an ``.RData`` file with :func:`rdata.read_rda`.

    The R classes ``musclesyneRgies`` and ``EMG`` (plain lists with a class
    attribute) are returned as dictionaries.

    Raises
    ------
    SynergyInputError
        If the file is not a readable R data file.
    """
    import rdata

    constructors = dict(rdata.conversion.DEFAULT_CLASS_MAP)
    constructors["musclesyneRgies"] = _identity_constructor
    constructors["EMG"] = _identity_constructor
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = rdata.read_rda(path, constructor_dict=constructors)
    except Exception as exc:
        raise SynergyInputError(
            f"{path} is not a valid R data (.RData) file ({type(exc).__name__}: {exc})."
        ) from exc
    if not isinstance(data, dict):
        raise SynergyInputError(f"{path} did not contain named R objects.")
    return data


def _get(mapping: Any, key: str, where: str) -> Any:
    if not isinstance(mapping, dict) or key not in mapping:
        found = list(mapping) if isinstance(mapping, dict) else type(mapping).__name__
        raise SynergyInputError(f"Unexpected content in {where}: no {key!r} (found {found}).")
    return mapping[key]


def _muscle_rows(values: np.ndarray, names, where: str) -> np.ndarray:
    """Reorder rows (muscles) to SANTUZ_MUSCLES, checking the names."""
    names = [str(n) for n in names]
    if sorted(names) != sorted(SANTUZ_MUSCLES):
        raise SynergyInputError(
            f"Unexpected muscles in {where}: {names}; expected {list(SANTUZ_MUSCLES)}."
        )
    order = [names.index(m) for m in SANTUZ_MUSCLES]
    return np.ascontiguousarray(values[order], dtype=np.float64)


def _dataarray_rows(obj: Any, where: str) -> np.ndarray:
    """A (muscles x something) R matrix read as an xarray DataArray."""
    values = np.asarray(obj, dtype=np.float64)
    if values.ndim != 2:
        raise SynergyInputError(f"{where} should be a matrix, got shape {values.shape}.")
    coords = getattr(obj, "coords", None)
    dims = getattr(obj, "dims", None)
    if coords is None or not dims or dims[0] not in coords:
        raise SynergyInputError(f"{where} has no muscle names (row dimnames).")
    return _muscle_rows(values, coords[dims[0]].values, where)


def _frame_columns(frame: Any, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Split an R data frame (first column time) into time and (muscles, n)."""
    columns = [str(c) for c in getattr(frame, "columns", [])]
    if not columns or columns[0] != "time":
        raise SynergyInputError(f"{where} should be a data frame whose first column is 'time'.")
    time = frame.iloc[:, 0].to_numpy(dtype=np.float64)
    values = frame.iloc[:, 1:].to_numpy(dtype=np.float64).T
    return time, _muscle_rows(values, columns[1:], where)


def _check_finite(array: np.ndarray, where: str) -> np.ndarray:
    if not np.all(np.isfinite(array)):
        raise SynergyInputError(f"{where} contains NaN or infinite values.")
    return array


def _scalar(obj: Any) -> Any:
    return np.asarray(obj).reshape(-1)[0]


def load_santuz2020_synergies() -> list[SantuzParticipant]:
    """Load the 15 participants of ``SYNS.RData``.

    Returns
    -------
    list of SantuzParticipant
        In the order of the file (``ID0001_TW_01`` to ``ID0015_TW_01``). For
        each, ``emg`` (13 x 200), ``synergies`` (13 x N), ``activations``
        (N x 200), with N = 4, 5 or 6 as chosen by the package.

    Examples
    --------
    >>> participants = load_santuz2020_synergies()  # doctest: +SKIP
    >>> p = participants[0]                          # doctest: +SKIP
    >>> p.emg.shape, p.synergies.shape               # doctest: +SKIP
    ((13, 200), (13, 5))
    """
    path = fetch_santuz2020("SYNS.RData")
    syns = _get(read_rdata(path), "SYNS", path.name)
    if not isinstance(syns, dict) or not syns:
        raise SynergyInputError(f"SYNS in {path.name} should be a named list of participants.")
    participants = []
    for pid, item in syns.items():
        where = f"{path.name}:{pid}"
        emg = _check_finite(_dataarray_rows(_get(item, "V", where), f"{where}:V"), where)
        recon = _dataarray_rows(_get(item, "Vr", where), f"{where}:Vr")
        synergies = _dataarray_rows(_get(item, "M", where), f"{where}:M")
        frame = _get(item, "P", where)
        columns = [str(c) for c in frame.columns]
        if columns[0] != "time":
            raise SynergyInputError(f"{where}:P should start with a 'time' column, got {columns}.")
        points = frame.iloc[:, 0].to_numpy(dtype=np.float64)
        if not np.array_equal(points, np.arange(1, emg.shape[1] + 1)):
            raise SynergyInputError(f"{where}:P time column is not 1..{emg.shape[1]}.")
        activations = np.ascontiguousarray(frame.iloc[:, 1:].to_numpy(dtype=np.float64).T)
        synergy_names = tuple(columns[1:])
        m_obj = item["M"]
        m_names = synergy_names  # M's column dimnames, when present, must match P's
        if len(m_obj.dims) > 1 and m_obj.dims[1] in m_obj.coords:
            m_names = tuple(str(c) for c in m_obj.coords[m_obj.dims[1]].values)
        if m_names != synergy_names or synergies.shape[1] != activations.shape[0]:
            raise SynergyInputError(f"{where}: synergies M and activations P do not match.")
        participants.append(
            SantuzParticipant(
                id=str(pid),
                muscles=SANTUZ_MUSCLES,
                emg=emg,
                synergies=_check_finite(synergies, where),
                activations=_check_finite(activations, where),
                reconstruction=_check_finite(recon, where),
                r2_grand_mean=float(_scalar(_get(item, "R2", where))),
                iterations=int(_scalar(_get(item, "iterations", where))),
                classification=str(_scalar(_get(item, "classification", where))),
                synergy_names=synergy_names,
            )
        )
    return participants


def load_santuz2020_raw() -> SantuzRawTrial:
    """Load the raw trial of ``RAW_DATA.RData`` (participant ``ID0012_TW_01``).

    Returns
    -------
    SantuzRawTrial
        ``emg`` of shape (13, 7618) at ``fs`` = 1000 Hz, ``time`` in seconds,
        ``cycles`` (6, 2): touchdown and lift-off times in seconds.
    """
    path = fetch_santuz2020("RAW_DATA.RData")
    raw = _get(read_rdata(path), "RAW_DATA", path.name)
    if not isinstance(raw, dict) or len(raw) != 1:
        raise SynergyInputError(f"RAW_DATA in {path.name} should hold exactly one trial.")
    (pid, trial), = raw.items()
    where = f"{path.name}:{pid}"
    time, emg = _frame_columns(_get(trial, "emg", where), f"{where}:emg")
    _check_finite(time, where)
    _check_finite(emg, where)
    step = np.diff(time)
    if time.size < 2 or np.any(step <= 0):
        raise SynergyInputError(f"{where}: the time column is not strictly increasing.")
    fs = float(np.round(1.0 / step.mean()))
    cycles = _get(trial, "cycles", where).to_numpy(dtype=np.float64)
    if cycles.ndim != 2 or cycles.shape[1] != 2:
        raise SynergyInputError(f"{where}:cycles should have two columns, got {cycles.shape}.")
    return SantuzRawTrial(
        id=str(pid),
        muscles=SANTUZ_MUSCLES,
        fs=fs,
        time=time,
        emg=emg,
        cycles=_check_finite(np.ascontiguousarray(cycles), where),
    )


def load_santuz2020_filtered() -> SantuzFilteredTrial:
    """Load the filtered, time-normalised trial of ``FILT_EMG.RData``.

    Returns
    -------
    SantuzFilteredTrial
        ``emg`` of shape (13, 600): three gait cycles of 200 points.
    """
    path = fetch_santuz2020("FILT_EMG.RData")
    filt = _get(read_rdata(path), "FILT_EMG", path.name)
    if not isinstance(filt, dict) or len(filt) != 1:
        raise SynergyInputError(f"FILT_EMG in {path.name} should hold exactly one trial.")
    (pid, frame), = filt.items()
    if isinstance(frame, dict):  # an `EMG` object rather than a bare data frame
        frame = _get(frame, "emg", f"{path.name}:{pid}")
    where = f"{path.name}:{pid}"
    point, emg = _frame_columns(frame, where)
    _check_finite(emg, where)
    if emg.shape[1] % _N_POINTS_CYCLE:
        raise SynergyInputError(f"{where}: {emg.shape[1]} points is not a whole number of cycles.")
    n_cycles = emg.shape[1] // _N_POINTS_CYCLE
    expected = np.tile(np.arange(1, _N_POINTS_CYCLE + 1), n_cycles)
    if not np.array_equal(point, expected):
        raise SynergyInputError(f"{where}: the time column is not 1..200 repeated per cycle.")
    time = np.repeat(np.arange(n_cycles), _N_POINTS_CYCLE) + (point - 1) / _N_POINTS_CYCLE
    return SantuzFilteredTrial(
        id=str(pid),
        muscles=SANTUZ_MUSCLES,
        emg=emg,
        time=time,
        point_in_cycle=point.astype(np.int64),
        n_cycles=n_cycles,
    )


def load_santuz2020(kind: str = "synergies"):
    """Load the Santuz et al. 2020 walking data.

    Parameters
    ----------
    kind : {"synergies", "raw", "filtered"}
        ``"synergies"``: :func:`load_santuz2020_synergies` (list of 15
        :class:`SantuzParticipant`); ``"raw"``: :func:`load_santuz2020_raw`;
        ``"filtered"``: :func:`load_santuz2020_filtered`.

    Raises
    ------
    SynergyInputError
        If ``kind`` is not one of the three.
    """
    loaders = {
        "synergies": load_santuz2020_synergies,
        "raw": load_santuz2020_raw,
        "filtered": load_santuz2020_filtered,
    }
    if kind not in loaders:
        raise SynergyInputError(f"Unknown kind {kind!r}; choose one of {', '.join(loaders)}.")
    return loaders[kind]()
