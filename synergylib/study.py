"""The replication pipeline: one participant at a time, cached on disk, resumable.

For every participant the pipeline runs

1. a synthetic generator (:mod:`synergylib.datasets`; the realistic one by
   default) or takes given matrices,
2. preprocessing (:func:`synergylib.preprocessing.preprocess_participant`),
3. NMF for :math:`N = 1, \\dots, N_{max}` with restarts, and the threshold rule for
   :math:`N` (:mod:`synergylib.nmf`),
4. the 16 autoencoder pairings with :math:`N` synergies, trained together
   (:func:`synergylib.autoencoder.fit_autoencoder_grid`), where :math:`N` is the
   rule's (the paper's procedure) or, for synthetic data, the true number of
   synergies (``StudyConfig(n_synergies="true")``; protocol section 5),

and stores everything the book needs (synergies, activations, reconstruction
scores, training histories) in a :class:`ParticipantResult`.

Results are cached as one ``.npz`` file per participant, named by a hash of every
parameter that affects them and of the library version. Files are written to a
temporary name and atomically renamed, so an interrupted run never leaves a
partial result, and rerunning an interrupted study computes only what is missing.
Participants are independent and their work runs as parallel :mod:`joblib` tasks
(data and NMF, then the pairings; the last ones in two halves), so any joblib
backend (processes, Dask, Ray) speeds it up without code changes; the results do not
depend on how the work is split.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import tempfile
import threading
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from . import __version__
from ._config import DocumentedConfig, param
from ._fingerprint import fingerprint
from ._validation import ACTIVATIONS, SynergyInputError, check_int
from .autoencoder import DEFAULT_TRAINING, PAIRINGS, fit_autoencoder_grid, pairing_name
from .datasets import GENERATORS, make_participant
from .metrics import r2_per_muscle, r2_score, vaf
from .nmf import SynergyNMF, select_n_synergies
from .preprocessing import PreprocessingConfig, SynergyMatrices, preprocess_participant

__all__ = [
    "AutoencoderConfig",
    "ParticipantResult",
    "StudyConfig",
    "analyse_matrices",
    "choices_table",
    "quick_config",
    "run_participant",
    "run_study",
]


@dataclass(frozen=True)
class AutoencoderConfig(DocumentedConfig):
    """Training parameters shared by every autoencoder pairing (protocol section 5)."""

    n_restarts: int = param(10, "random restarts per pairing; the lowest final training loss is kept", "group")
    max_epochs: int = param(
        DEFAULT_TRAINING["max_epochs"], "upper bound on full-batch epochs (training stops at convergence)", "choice"
    )
    learning_rate: float = param(DEFAULT_TRAINING["learning_rate"], "initial Adam learning rate", "choice")
    lr_decay: float = param(
        DEFAULT_TRAINING["lr_decay"], "factor applied to a model's learning rate when its loss plateaus", "choice"
    )
    n_lr_decays: int = param(
        DEFAULT_TRAINING["n_lr_decays"], "plateaus answered by a decay before the model is declared converged", "choice"
    )
    tol: float = param(
        DEFAULT_TRAINING["tol"],
        "an epoch makes progress if its loss is below (1 - tol) times the best loss so far",
        "choice",
    )
    patience: int = param(
        DEFAULT_TRAINING["patience"],
        "consecutive epochs without progress that make a plateau (learning-rate decay, then stop)",
        "choice",
    )
    dtype: str = param(DEFAULT_TRAINING["dtype"], "floating-point precision of training", "choice")
    pairings: tuple[tuple[str, str], ...] = param(
        PAIRINGS, "encoder x decoder activation pairings (linear, ReLU, sigmoid, tanh)", "paper"
    )
    device: str = param("cpu", "torch device ('cpu', 'cuda', 'auto'); results are cached per device", "choice")
    torch_threads: int = param(
        1,
        "torch threads while the autoencoders train (then restored); the count changes results in the "
        "last digits, so it keys the cache; parallelise with n_jobs instead",
        "choice",
    )

    def __post_init__(self):
        object.__setattr__(self, "pairings", tuple(tuple(p) for p in self.pairings))
        object.__setattr__(self, "torch_threads",
                           check_int(self.torch_threads, "torch_threads", low=1))

    def training_params(self) -> dict[str, Any]:
        """The keyword arguments passed to the trainer."""
        return {k: getattr(self, k) for k in DEFAULT_TRAINING}

    def as_table(self):
        rows = super().as_table()
        return [
            (p, f"{len(self.pairings)} pairings", d, s) if p == "pairings" else (p, v, d, s)
            for p, v, d, s in rows
        ]


@dataclass(frozen=True)
class StudyConfig(DocumentedConfig):
    """Every parameter of one run of the replication.

    The preprocessing chain and the autoencoder training have their own
    configurations (:class:`~synergylib.preprocessing.PreprocessingConfig`,
    :class:`AutoencoderConfig`); ``generator`` names the synthetic generator
    (:data:`synergylib.datasets.GENERATORS`) and ``dataset`` holds its keyword
    arguments that differ from its defaults (for instance
    ``{"noise_level": 2.0, "nonlinearity": 1.0}``), stored as a sorted tuple of
    pairs so that the configuration stays hashable. ``n_synergies`` says which
    :math:`N` the autoencoders get: ``"rule"`` (the NMF threshold rule, the paper's
    procedure), ``"true"`` (the generator's number of synergies) or a number.
    """

    n_participants: int = param(15, "participants analysed", "paper")
    data_seed: int = param(0, "seed of the synthetic data set", "choice")
    generator: str = param(
        "realistic", "synthetic data generator: 'realistic' (protocol v2, calibrated) or 'clean' (v1)",
        "choice")
    dataset: tuple[tuple[str, Any], ...] = param((), "generator arguments that differ from its defaults", "choice")
    preprocessing: PreprocessingConfig = field(default_factory=PreprocessingConfig)
    n_max: int = param(10, "largest number of synergies tried by NMF", "group")
    r2_threshold: float = param(
        0.80, "N = smallest number of synergies with NMF R2 >= this (centred R2)", "group"
    )
    nmf_restarts: int = param(10, "NMF restarts per N; the best R2 is kept", "group")
    nmf_max_iter: int = param(1000, "NMF multiplicative-update iterations per restart (at most)", "choice")
    nmf_tol: float = param(1e-4, "NMF stopping tolerance (scikit-learn's relative criterion)", "choice")
    n_synergies: int | str = param(
        "rule", "N of the autoencoders and of the NMF they are compared with: 'rule' (the "
        "threshold rule, the paper's procedure), 'true' (the synthetic truth's) or a number",
        "choice")
    autoencoder: AutoencoderConfig = field(default_factory=AutoencoderConfig)
    random_state: int = param(0, "seed of the NMF and autoencoder initialisations", "choice")

    def __post_init__(self):
        if isinstance(self.dataset, dict):
            object.__setattr__(self, "dataset", tuple(sorted(self.dataset.items())))
        if self.n_participants < 1:
            raise SynergyInputError(
                f"n_participants must be at least 1, got {self.n_participants}."
            )
        if not 0.0 < self.r2_threshold < 1.0:
            raise SynergyInputError(
                f"r2_threshold must lie in (0, 1), got {self.r2_threshold}."
            )
        if self.n_max < 1:
            raise SynergyInputError(f"n_max must be at least 1, got {self.n_max}.")
        if self.generator not in GENERATORS:
            raise SynergyInputError(
                f"Unknown generator {self.generator!r}; the generators are "
                f"{', '.join(map(repr, GENERATORS))}."
            )
        if self.n_synergies not in ("rule", "true"):
            object.__setattr__(self, "n_synergies", check_int(
                self.n_synergies, "n_synergies ('rule', 'true' or a number)", low=1,
                high=self.n_max))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable view of every parameter."""
        return _jsonable(dataclasses.asdict(self))

    def participant_key(self, index: int) -> str:
        """The cache key of one participant.

        A hash of every parameter, the library version and a fingerprint of the
        library's source code, so that a change to the code invalidates the cache even
        when the version number was not bumped.
        """
        payload = json.dumps(
            {
                "config": self.to_dict(),
                "participant": int(index),
                "version": __version__,
                "code": code_fingerprint(),
            },
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:20]


#: The modules whose code can change a cached :class:`ParticipantResult`.
_RESULT_MODULES = (
    "_config.py",
    "_kernels.py",
    "_random.py",
    "_validation.py",
    "autoencoder.py",
    "datasets.py",
    "metrics.py",
    "nmf.py",
    "preprocessing.py",
    "reaching.py",
    "study.py",
)

#: The source of those modules as it was when this module was imported, together
#: with them: the fingerprint describes the code this process runs, even if the
#: files are edited afterwards (by a developer, while a long study runs).
_SOURCES_AT_IMPORT = {
    name: (Path(__file__).parent / name).read_text(encoding="utf-8") for name in _RESULT_MODULES
}


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Fingerprint (shortened) of the code of the modules that compute a participant's result.

    :func:`synergylib._fingerprint.fingerprint` of the modules of ``_RESULT_MODULES``
    (docstrings left out): a change to
    what these modules compute invalidates the cache, an edit of their
    documentation does not. Reports, plots and comparisons only read cached
    results, so editing them keeps the cache too.
    """
    return fingerprint(_SOURCES_AT_IMPORT)[:16]


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


#: Version of the result file format written by :meth:`ParticipantResult.save`.
RESULT_FORMAT = "synergylib.ParticipantResult/3"

#: Fields a result file stores; every other field is recomputed when it is read.
_STORED = (
    "index",
    "muscles",
    "n_synergies",
    "n_rule",
    "n_values",
    "nmf_r2_curve",
    "nmf_synergies",
    "nmf_activations_train",
    "nmf_r2_train",
    "nmf_vaf_train",
    "pairings",
    "ae_restart_encoder_weights",
    "ae_restart_encoder_bias",
    "ae_restart_decoder_weights",
    "ae_restart_decoder_bias",
    "ae_restart_losses",
    "ae_restart_n_epochs",
    "ae_restart_converged",
    "ae_loss_epochs",
    "ae_loss_history",
    "ae_hyperparameters",
    "elapsed_s",
    "source",
)
#: Data fields stored only when the result has no ``source`` to regenerate them from.
_DATA = ("train", "test", "true_synergies", "true_activations_train", "true_activations_test")
#: Stored in float32: approximations are enough here, and they are most of a file's size.
_FLOAT32 = ("nmf_activations_train", "ae_loss_history")
#: Stored in float32 only when that is exact (the weights of float32 training are).
_FLOAT32_IF_EXACT = (
    "ae_restart_encoder_weights",
    "ae_restart_encoder_bias",
    "ae_restart_decoder_weights",
    "ae_restart_decoder_bias",
)
#: Points of a stored loss history: about this many, spaced evenly in log(epoch).
_LOSS_POINTS = 200


#: Environment variable naming a file to which every result file used is appended
#: (one path per line): how ``scripts/run_notebooks.py`` learns which results a
#: chapter read or wrote.
RESULTS_LOG_VARIABLE = "SYNERGYLIB_RESULTS_LOG"


def record_result_use(paths: Iterable[str | os.PathLike]) -> None:
    """Append ``paths`` to the file named by ``$SYNERGYLIB_RESULTS_LOG``, if it is set."""
    log = os.environ.get(RESULTS_LOG_VARIABLE)
    if not log:
        return
    with open(log, "a", encoding="utf-8") as handle:
        handle.writelines(f"{Path(p).resolve()}\n" for p in paths)


class ResultFileError(SynergyInputError):
    """A result file cannot be read: damaged, truncated, or of another format.

    The file is named and left as it is; move or delete it to compute the result
    again.
    """


def loss_epochs(ends: Iterable[int], n_points: int = _LOSS_POINTS) -> np.ndarray:
    r"""The epochs at which stored loss histories are kept.

    Epoch 0, about ``n_points`` epochs spaced evenly in :math:`\log t` up to the
    largest end, and every history's last epoch (so each line ends where its model
    stopped). A figure on a logarithmic epoch axis looks the same as with every
    epoch; a file holds a few hundred values per history instead of up to 50,000.

    Examples
    --------
    >>> loss_epochs([10, 3], n_points=4).tolist()
    [0, 1, 2, 3, 10]
    """
    ends = np.asarray(list(ends), dtype=np.int64)
    top = int(ends.max()) if ends.size else 0
    grid = np.rint(np.geomspace(1, max(top, 1), n_points)).astype(np.int64)
    return np.unique(np.concatenate([[0], grid, ends]))


@dataclass
class ParticipantResult:
    """Everything the book needs from one participant.

    Matrices use the physiology layout: synergies ``(n_muscles, N)``, activations
    ``(N, n_samples)``, EMG ``(n_muscles, n_samples)``. Arrays prefixed ``ae_`` have a
    leading axis over ``pairings`` (names such as ``"relu+tanh"``: encoder + decoder);
    ``ae_restart_`` arrays a second one over restarts. Fields for the held-out
    repetition or the ground truth are ``None`` when the data have none (real data).

    A result holds the trained parameters of every restart, and everything else is
    computed from them and from the data: the kept (lowest-loss) restart's synergies
    ``ae_synergies``, activations and scores. :meth:`save` therefore writes only what
    is costly to compute (the parameters, NMF factors, losses, epochs, timings) and
    :meth:`load` recomputes the rest, regenerating a synthetic participant's data
    from ``source`` (its configuration and index), so that a file is about 0.1 MB.
    A result just computed and the same result read back are equal, field by field.

    ``ae_loss_history`` holds the kept restart's training loss at the epochs
    ``ae_loss_epochs`` (:func:`loss_epochs`; NaN after a model's last epoch).

    ``n_synergies`` is the :math:`N` of the autoencoders and of ``nmf_synergies``;
    ``n_rule`` the one the threshold rule picks (equal to ``n_synergies`` unless
    the study chose another, ``StudyConfig.n_synergies``).
    """

    index: int
    muscles: tuple[str, ...]
    n_synergies: int
    n_values: np.ndarray
    nmf_r2_curve: np.ndarray
    train: np.ndarray
    nmf_synergies: np.ndarray
    nmf_activations_train: np.ndarray
    nmf_r2_train: float
    nmf_vaf_train: float
    pairings: tuple[str, ...]
    ae_synergies: np.ndarray
    ae_activations_train: np.ndarray
    ae_decoder_bias: np.ndarray
    ae_r2_train: np.ndarray
    ae_vaf_train: np.ndarray
    ae_r2_muscle_train: np.ndarray
    ae_restart_losses: np.ndarray
    ae_loss_history: np.ndarray
    ae_converged: np.ndarray
    ae_n_epochs: np.ndarray
    elapsed_s: float = float("nan")
    test: np.ndarray | None = None
    true_synergies: np.ndarray | None = None
    true_activations_train: np.ndarray | None = None
    true_activations_test: np.ndarray | None = None
    nmf_activations_test: np.ndarray | None = None
    nmf_r2_test: float | None = None
    ae_activations_test: np.ndarray | None = None
    ae_r2_test: np.ndarray | None = None
    ae_best_restart: np.ndarray | None = None
    ae_restart_encoder_weights: np.ndarray | None = None
    ae_restart_encoder_bias: np.ndarray | None = None
    ae_restart_decoder_weights: np.ndarray | None = None
    ae_restart_decoder_bias: np.ndarray | None = None
    ae_restart_n_epochs: np.ndarray | None = None
    ae_restart_converged: np.ndarray | None = None
    ae_loss_epochs: np.ndarray | None = None
    ae_hyperparameters: str = ""
    source: str = ""
    n_rule: int | None = None

    def pairing_index(self, name: str) -> int:
        """Position of a pairing (``"relu+tanh"``) along the ``ae_`` arrays."""
        try:
            return self.pairings.index(name)
        except ValueError:
            raise SynergyInputError(
                f"Unknown pairing {name!r}; this result has {', '.join(self.pairings)}."
            ) from None

    def model(self, name: str, restart: int | None = None):
        """A pairing's fitted :class:`~synergylib.autoencoder.SynergyAutoencoder`.

        Built from the stored parameters of ``restart`` (default: the kept one), so
        that ``transform`` and ``reconstruct`` give what the trained network gave.
        """
        if self.ae_restart_encoder_weights is None:
            raise SynergyInputError("This result holds no trained parameters (it was built by hand).")
        i = self.pairing_index(name)
        r = int(self.ae_best_restart[i]) if restart is None else int(restart)
        n_restarts = self.ae_restart_losses.shape[1]
        if not 0 <= r < n_restarts:
            raise SynergyInputError(f"restart must lie in 0..{n_restarts - 1}, got {restart!r}.")
        return _stored_model(vars(self), i, r)

    def save(self, path: str | os.PathLike) -> None:
        """Write the result's stored fields to ``path`` (compressed ``.npz``) atomically.

        The file is first written under a temporary name in the same folder and then
        renamed with :func:`os.replace`, which is atomic: a reader (or a rerun after an
        interruption) sees either the whole file or none.
        """
        if self.ae_restart_encoder_weights is None:
            raise SynergyInputError(
                "Only results computed by the pipeline can be saved: this one holds no trained "
                "parameters (it was built by hand)."
            )
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {"format": np.array(RESULT_FORMAT)}
        names = _STORED + (() if self.source else _DATA)
        for name in names:
            value = getattr(self, name)
            if value is None:
                continue
            arrays[name] = _stored_array(name, value)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez_compressed(fh, **arrays)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike) -> ParticipantResult:
        """Read a result written by :meth:`save`, recomputing what it does not store.

        Raises
        ------
        ResultFileError
            If the file is damaged, truncated or of another format (it is named, and
            left as it is).
        """
        stored = _read_stored(path)
        matrices = W_true = None
        if stored.get("source"):
            try:
                source = json.loads(stored["source"])
                config = StudyConfig.from_dict(source["config"])
                index = int(source["index"])
            except (ValueError, KeyError, TypeError) as error:
                raise ResultFileError(f"{path}: its data source cannot be read ({error}).") from None
            matrices, W_true = _participant_matrices(index, config)
        return _complete(stored, matrices, W_true)


def _stored_array(name: str, value) -> np.ndarray:
    """``value`` as it is written to a result file (float32 where that is the rule)."""
    array = np.asarray(value)
    if name in _FLOAT32:
        return array.astype(np.float32)
    if name in _FLOAT32_IF_EXACT and array.dtype != np.float32:
        as32 = array.astype(np.float32)
        if np.array_equal(as32, array):
            return as32
    return array


def _read_stored(path: str | os.PathLike) -> dict[str, Any]:
    """The stored fields of a result file, checked; a clear error if it is damaged."""
    import zipfile
    import zlib

    required = set(_STORED)
    try:
        with np.load(path, allow_pickle=False) as data:
            files = set(data.files)
            fmt = str(data["format"]) if "format" in files else "an older format"
            if fmt != RESULT_FORMAT:
                raise ResultFileError(
                    f"{path} is a result file of {fmt}, not {RESULT_FORMAT}: it was written by "
                    "another version of synergylib. Move or delete it to compute the result again."
                )
            missing = sorted(required - files)
            if missing:
                raise ResultFileError(f"{path} lacks the fields {', '.join(missing)}.")
            stored = {name: data[name] for name in files - {"format"}}
    except ResultFileError:
        raise
    except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile, zlib.error) as error:
        raise ResultFileError(
            f"The result file {path} is damaged or truncated ({type(error).__name__}: {error}). "
            "It was left as it is: move or delete it to compute this result again."
        ) from None
    out: dict[str, Any] = {}
    for name, value in stored.items():
        if name in ("muscles", "pairings"):
            out[name] = tuple(str(v) for v in value)
        elif value.ndim == 0:
            out[name] = value.item()
        else:
            out[name] = value
    return out


def _complete(stored: dict[str, Any], matrices: SynergyMatrices | None,
              true_synergies: np.ndarray | None) -> ParticipantResult:
    """The whole :class:`ParticipantResult` from its stored fields and its data.

    ``matrices`` and ``true_synergies`` are the participant's data (for a result with a
    ``source``); otherwise the data are among the stored fields. Everything else, the
    kept restart of every pairing, its activations and its scores, is computed here,
    the same way for a result just computed and for one read from a file.
    """
    values = {k: v for k, v in stored.items() if k in _STORED or k in _DATA}
    values["nmf_activations_train"] = np.asarray(values["nmf_activations_train"], dtype=np.float32)
    values["ae_loss_history"] = np.asarray(values["ae_loss_history"], dtype=np.float32)
    for name in _FLOAT32_IF_EXACT:
        values[name] = _stored_array(name, values[name])
    if matrices is not None:
        values["train"] = np.array(matrices.train, dtype=np.float64)
        values["test"] = None if matrices.test is None else np.array(matrices.test, dtype=np.float64)
        values["true_activations_train"] = _copy(matrices.true_activations_train)
        values["true_activations_test"] = _copy(matrices.true_activations_test)
        values["true_synergies"] = _copy(true_synergies)
    X = np.asarray(values["train"], dtype=np.float64).T
    X_test = None if values.get("test") is None else np.asarray(values["test"], dtype=np.float64).T

    losses = np.asarray(values["ae_restart_losses"])
    best = np.argmin(losses, axis=1)
    models = [_stored_model(values, i, int(best[i])) for i in range(len(values["pairings"]))]
    recon = [m.reconstruct(X) for m in models]
    values.update(
        ae_best_restart=best,
        ae_synergies=np.stack([m.synergies_ for m in models]),
        ae_decoder_bias=np.stack([m.decoder_bias_ for m in models]),
        ae_activations_train=np.stack([m.transform(X).T for m in models]),
        ae_r2_train=np.array([r2_score(X, R) for R in recon]),
        ae_vaf_train=np.array([vaf(X, R) for R in recon]),
        ae_r2_muscle_train=np.stack([r2_per_muscle(X, R) for R in recon]),
        ae_n_epochs=np.take_along_axis(np.asarray(values["ae_restart_n_epochs"]), best[:, None], 1)[:, 0],
        ae_converged=np.take_along_axis(np.asarray(values["ae_restart_converged"]), best[:, None], 1)[:, 0],
    )
    if X_test is not None:
        from .nmf import SynergyNMF

        W = np.asarray(values["nmf_synergies"], dtype=np.float64)
        A_test = SynergyNMF.nnls_activations(X_test, W)  # what SynergyNMF.transform gives
        values["nmf_activations_test"] = A_test.T
        # inverse_transform's product, A @ components_ (C-contiguous), for the same digits
        values["nmf_r2_test"] = float(r2_score(X_test, A_test @ np.ascontiguousarray(W.T)))
        values["ae_activations_test"] = np.stack([m.transform(X_test).T for m in models])
        values["ae_r2_test"] = np.array([r2_score(X_test, m.reconstruct(X_test)) for m in models])
    return ParticipantResult(**values)


def _stored_model(fields: dict[str, Any], i: int, r: int):
    """The network of restart ``r`` of pairing ``i``, from a result's stored fields."""
    from .autoencoder import SynergyAutoencoder, parse_pairing

    encoder, decoder = parse_pairing(fields["pairings"][i])
    params = json.loads(fields["ae_hyperparameters"]) if fields["ae_hyperparameters"] else {}
    return SynergyAutoencoder.from_weights(
        fields["ae_restart_encoder_weights"][i, r], fields["ae_restart_encoder_bias"][i, r],
        fields["ae_restart_decoder_weights"][i, r], fields["ae_restart_decoder_bias"][i, r],
        encoder=encoder, decoder=decoder, **params,
    )


def _copy(array):
    return None if array is None else np.array(array)


def _seeds(random_state: int, index: int) -> tuple[int, int]:
    """Independent seeds for NMF and the autoencoders of participant ``index``."""
    ss = np.random.SeedSequence([int(random_state), int(index)])
    nmf_seed, ae_seed = ss.generate_state(2)
    return int(nmf_seed), int(ae_seed)


@dataclass
class _NMFPart:
    """Step 3 of the pipeline for one participant: NMF for every N and the chosen N."""

    X: np.ndarray  # (n_samples, n_muscles), float64
    X_test: np.ndarray | None
    n_values: np.ndarray
    r2_curve: np.ndarray
    n_synergies: int
    nmf: SynergyNMF  # the fit with the chosen N
    n_rule: int  # the threshold rule's N
    H: np.ndarray  # its activations on X, (n_samples, N)
    elapsed_s: float
    n_unconverged: int  # restarts, over every N, that reached max_iter before tol
    n_fits: int  # restarts run, over every N


def _chosen_n(config: StudyConfig, n_rule: int, n_true: int | None, n_max: int) -> int:
    """The study's N: the rule's, the truth's or a number (``config.n_synergies``)."""
    choice = config.n_synergies
    if choice == "rule":
        return n_rule
    if choice == "true":
        if n_true is None:
            raise SynergyInputError(
                'n_synergies="true" needs a ground truth: these data have none (real data); '
                'use "rule" or a number.'
            )
        choice = n_true
    if not 1 <= choice <= n_max:
        raise SynergyInputError(
            f"The study's N = {choice} is outside the N = 1..{n_max} that NMF was fitted for; "
            "raise n_max."
        )
    return int(choice)


def _nmf_part(matrices: SynergyMatrices, config: StudyConfig, index: int,
              n_true: int | None = None) -> _NMFPart:
    """NMF for N = 1..n_max, best of the restarts each; the threshold rule picks N,
    unless ``config.n_synergies`` chooses another (``n_true``: the truth's N)."""
    start = time.perf_counter()
    nmf_seed, _ = _seeds(config.random_state, index)
    X = np.asarray(matrices.train, dtype=np.float64).T  # (n_samples, n_muscles)
    X_test = None if matrices.test is None else np.asarray(matrices.test, dtype=np.float64).T
    n_values = np.arange(1, min(config.n_max, X.shape[1]) + 1)
    models = [
        SynergyNMF(
            int(n),
            n_restarts=config.nmf_restarts,
            max_iter=config.nmf_max_iter,
            tol=config.nmf_tol,
            random_state=nmf_seed,
        )
        for n in n_values
    ]
    with warnings.catch_warnings():
        # SynergyNMF warns once per N; the caller warns once for all (_warn_nmf_max_iter)
        warnings.filterwarnings("ignore", message=".*NMF restarts reached max_iter", category=ConvergenceWarning)
        activations = [m.fit_transform(X) for m in models]  # each restart-best fit's own H
    r2_curve = np.array([m.r2_ for m in models])
    n_rule = int(select_n_synergies(n_values, r2_curve, threshold=config.r2_threshold))
    n_syn = _chosen_n(config, n_rule, n_true, int(n_values[-1]))
    n_unconverged = sum(m.n_restarts - m.n_converged_ for m in models)
    return _NMFPart(X, X_test, n_values, r2_curve, n_syn, models[n_syn - 1], n_rule,
                    activations[n_syn - 1], time.perf_counter() - start,
                    int(n_unconverged), len(models) * config.nmf_restarts)


def _warn_nmf_max_iter(parts: dict[int, _NMFPart], config: StudyConfig) -> None:
    """One :class:`~sklearn.exceptions.ConvergenceWarning` for the NMF fits of ``parts``.

    The NMF of a participant may run in a joblib worker, whose warnings neither reach
    the caller's filters nor are counted; they are therefore counted in
    :func:`_nmf_part` and reported here, once, in the calling process.
    """
    late = {i: part.n_unconverged for i, part in parts.items() if part.n_unconverged}
    if not late:
        return
    total = sum(part.n_fits for part in parts.values())
    who = ", ".join(f"{i} ({n})" for i, n in sorted(late.items()))
    warnings.warn(
        f"{sum(late.values())} of {total} NMF restarts reached max_iter={config.nmf_max_iter} "
        f"before tol={config.nmf_tol}; participants (restarts): {who}. Increase nmf_max_iter.",
        ConvergenceWarning,
        stacklevel=3,
    )


@contextlib.contextmanager
def _torch_threads(n: int):
    """Run the block with ``n`` torch (intra-op) threads, then restore the setting.

    The order of torch's parallel reductions depends on the thread count, so a
    different count changes trained weights in their last digits (at the paper's
    scale, 11 of 160 restarts of a participant differed by up to 2e-4 in loss between
    one and two threads). Fixing it makes a result independent of the calling
    process: a joblib worker (one thread under loky) and ``n_jobs=1`` in a notebook
    (torch's default, one thread per core) train alike.
    """
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def _pairing_groups(pairings) -> list[tuple[tuple[str, str], ...]]:
    """The pairings in two groups of similar training cost, for two parallel tasks.

    Pairings whose encoder and decoder positions in ``ACTIVATIONS`` have an even sum
    form one group, the others the second: each group holds two pairings of every
    decoder, and the decoder sets the cost (sigmoid decoders need the most epochs).
    Empty groups are dropped. Each pairing's models are trained the same way in
    either group (models do not interact in the batched trainer).
    """
    parity = [(ACTIVATIONS.index(e) + ACTIVATIONS.index(d)) % 2 for e, d in pairings]
    groups = [tuple(p for p, q in zip(pairings, parity) if q == r) for r in (0, 1)]
    return [g for g in groups if g]


def _autoencoder_part(X: np.ndarray, n_synergies: int, config: StudyConfig, index: int,
                      pairings) -> tuple[dict, float]:
    """The autoencoder ``pairings`` with ``n_synergies`` (name -> fitted model, seconds)."""
    start = time.perf_counter()
    _, ae_seed = _seeds(config.random_state, index)
    ae = config.autoencoder
    with _torch_threads(ae.torch_threads):
        grid = fit_autoencoder_grid(
            X,
            n_synergies,
            pairings=pairings,
            n_restarts=ae.n_restarts,
            random_state=ae_seed,
            device=ae.device,
            **ae.training_params(),
        )
    parts = {}
    for p, key in enumerate(grid.pairings):
        model = grid[key]
        parts[pairing_name(*key)] = {
            "encoder_weights": grid.encoder_weights[p],
            "encoder_bias": grid.encoder_bias[p],
            "decoder_weights": grid.decoder_weights[p],
            "decoder_bias": grid.decoder_bias[p],
            "losses": np.asarray(grid.restart_losses[p]),
            "n_epochs": np.asarray(grid.n_epochs[p]),
            "converged": np.asarray(grid.converged[p]),
            "history": model.loss_history_,
        }
    return parts, time.perf_counter() - start


def _assemble(matrices: SynergyMatrices, config: StudyConfig, index: int, nmf: _NMFPart,
              fitted_by_name: dict, elapsed_s: float,
              true_synergies: np.ndarray | None = None, *, source: str = "") -> ParticipantResult:
    """The :class:`ParticipantResult` from the NMF part and the trained autoencoders.

    The stored fields are collected (rounded as a file stores them) and the rest is
    computed by :func:`_complete`, exactly as when the result is read from a file.
    """
    start = time.perf_counter()
    X = nmf.X
    names = tuple(pairing_name(e, d) for e, d in config.autoencoder.pairings)
    fitted = [fitted_by_name[name] for name in names]
    epochs = loss_epochs(len(f["history"]) - 1 for f in fitted)
    history = np.full((len(fitted), epochs.size), np.nan)
    for i, f in enumerate(fitted):
        h = np.asarray(f["history"])
        inside = epochs < h.size
        history[i, inside] = h[epochs[inside]]
    hyper = dict(config.autoencoder.training_params(), n_restarts=config.autoencoder.n_restarts)
    stored = {
        "index": int(index),
        "muscles": tuple(matrices.muscles),
        "n_synergies": nmf.n_synergies,
        "n_rule": nmf.n_rule,
        "n_values": nmf.n_values,
        "nmf_r2_curve": nmf.r2_curve,
        "nmf_synergies": nmf.nmf.synergies_,
        "nmf_activations_train": nmf.H.T,
        "nmf_r2_train": float(nmf.nmf.r2_),
        "nmf_vaf_train": float(vaf(X, nmf.nmf.inverse_transform(nmf.H))),
        "pairings": names,
        "ae_loss_epochs": epochs,
        "ae_loss_history": history,
        "ae_hyperparameters": json.dumps(hyper, sort_keys=True),
        "source": source,
    }
    for key in ("encoder_weights", "encoder_bias", "decoder_weights", "decoder_bias"):
        stored[f"ae_restart_{key}"] = np.stack([f[key] for f in fitted])
    stored["ae_restart_losses"] = np.stack([f["losses"] for f in fitted])
    stored["ae_restart_n_epochs"] = np.stack([f["n_epochs"] for f in fitted]).astype(np.int64)
    stored["ae_restart_converged"] = np.stack([f["converged"] for f in fitted]).astype(bool)
    if source:
        data = matrices
    else:  # given matrices (real data): the file keeps them
        data = None
        stored.update(
            train=np.asarray(matrices.train, dtype=np.float64),
            test=None if matrices.test is None else np.asarray(matrices.test, dtype=np.float64),
            true_synergies=true_synergies,
            true_activations_train=matrices.true_activations_train,
            true_activations_test=matrices.true_activations_test,
        )
    result = _complete(stored, data, true_synergies)
    result.elapsed_s = float(elapsed_s + time.perf_counter() - start)
    return result


def analyse_matrices(
    matrices: SynergyMatrices,
    config: StudyConfig,
    *,
    index: int = 0,
    true_synergies: np.ndarray | None = None,
) -> ParticipantResult:
    """Run NMF (N selection) and the autoencoder grid on one participant's matrices.

    Parameters
    ----------
    matrices : SynergyMatrices
        Output of :func:`synergylib.preprocessing.preprocess_participant` (or built
        from real data): ``train`` and optionally ``test`` in ``(n_muscles, n_samples)``.
    config : StudyConfig
        The parameters; only the NMF and autoencoder parts are used here.
    index : int
        The participant's index, used to derive its seeds.
    true_synergies : ndarray of shape (n_muscles, K), optional
        Ground truth, stored with the result for later comparison.
    """
    n_true = None if true_synergies is None else np.shape(true_synergies)[1]
    nmf = _nmf_part(matrices, config, index, n_true)
    _warn_nmf_max_iter({index: nmf}, config)
    fitted, seconds = _autoencoder_part(nmf.X, nmf.n_synergies, config, index,
                                        config.autoencoder.pairings)
    return _assemble(matrices, config, index, nmf, fitted, nmf.elapsed_s + seconds,
                     true_synergies)


def _data_key(index: int, config: StudyConfig) -> tuple:
    """What defines a synthetic participant's data: its index, the data seed, the
    generator with its arguments and the preprocessing."""
    return (int(index), config.data_seed, config.generator, config.dataset, config.preprocessing)


#: The data of the last participants this process generated or was sent by a worker
#: (:func:`run_study`), by :func:`_data_key`: several studies of one book share their
#: data (the main study at two N, chapter 8's training variants), and regenerating a
#: participant costs seconds.
_DATA_CACHE: collections.OrderedDict = collections.OrderedDict()
_DATA_CACHE_SIZE = 32
_DATA_CACHE_LOCK = threading.Lock()


def _remember(key: tuple, data: tuple) -> None:
    with _DATA_CACHE_LOCK:
        _DATA_CACHE[key] = data
        _DATA_CACHE.move_to_end(key)
        while len(_DATA_CACHE) > _DATA_CACHE_SIZE:
            _DATA_CACHE.popitem(last=False)


def _known(key: tuple) -> tuple | None:
    with _DATA_CACHE_LOCK:
        if key not in _DATA_CACHE:
            return None
        _DATA_CACHE.move_to_end(key)
        return _DATA_CACHE[key]


def _participant_matrices(index: int, config: StudyConfig):
    """Synthetic participant ``index``, preprocessed, and its true synergies.

    Remembered for the last few participants (:data:`_DATA_CACHE`), since several studies
    of one book share their data.
    """
    key = _data_key(index, config)
    data = _known(key)
    if data is None:
        data = _matrices(*key)
        _remember(key, data)
    return data


def _source(index: int, config: StudyConfig) -> str:
    """What regenerates a synthetic participant's data: its configuration and index."""
    return json.dumps({"config": config.to_dict(), "index": int(index)}, sort_keys=True)


def _matrices(index: int, data_seed: int, generator: str, dataset: tuple,
              preprocessing: PreprocessingConfig):
    participant = make_participant(index, generator=generator, random_state=data_seed,
                                   **dict(dataset))
    matrices = preprocess_participant(participant, preprocessing)
    # The analysed matrices are amplitude-normalised (muscle m divided by c_m), so the
    # synergies that generated them are diag(1/c) W, with unit-norm columns again.
    W_true = participant.synergies / np.asarray(matrices.amplitude_scale)[:, None]
    W_true = W_true / np.linalg.norm(W_true, axis=0, keepdims=True)
    return matrices, W_true


def run_participant(index: int, config: StudyConfig) -> ParticipantResult:
    """Generate, preprocess and analyse synthetic participant ``index``."""
    matrices, W_true = _participant_matrices(index, config)
    nmf = _nmf_part(matrices, config, index, W_true.shape[1])
    _warn_nmf_max_iter({index: nmf}, config)
    fitted, seconds = _autoencoder_part(nmf.X, nmf.n_synergies, config, index,
                                        config.autoencoder.pairings)
    return _assemble(matrices, config, index, nmf, fitted, nmf.elapsed_s + seconds, W_true,
                     source=_source(index, config))


def _load(stored: dict[str, Any], index: int, config: StudyConfig):
    """A cached result of :func:`run_study` (its stored fields), data regenerated from
    ``config``; returned with those data, which the calling process keeps."""
    data = _participant_matrices(index, config)
    return _complete(stored, *data), data


def _prepare(index: int, config: StudyConfig):
    """First task of a participant in :func:`run_study`: data, preprocessing, NMF."""
    matrices, W_true = _participant_matrices(index, config)
    return matrices, W_true, _nmf_part(matrices, config, index, W_true.shape[1])


def cache_folder(cache_dir: str | os.PathLike | None, prefix: str) -> Path | None:
    """The cache folder ``cache_dir`` (None: no cache), created if missing, with the
    temporary files that interrupted writes of ``prefix*`` results left removed."""
    if cache_dir is None:
        return None
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    for stale in cache.glob(f".{prefix}*.tmp"):
        stale.unlink(missing_ok=True)
    return cache


def run_study(
    config: StudyConfig = StudyConfig(),
    *,
    cache_dir: str | os.PathLike | None = None,
    participants: Iterable[int] | None = None,
    n_jobs: int = 1,
    progress: bool = True,
) -> list[ParticipantResult]:
    """Run (or load from the cache) the pipeline for every participant.

    The work runs as independent tasks with :class:`joblib.Parallel`: first, for
    every participant not in the cache, the data, preprocessing and NMF; then its
    autoencoder pairings, in one task, or, for the last ``n_jobs`` participants,
    in two tasks of similar cost (see :func:`_pairing_groups`), so that the last
    tasks of a run are short and the workers finish together. A participant's
    result is assembled and saved as soon as its autoencoder tasks are done. The
    results are those of :func:`run_participant`, whatever ``n_jobs`` is and however
    many torch threads the calling process uses: training runs under
    ``config.autoencoder.torch_threads`` threads (tested). NMF restarts that reach
    ``nmf_max_iter`` are reported in one warning, counted per participant.

    Parameters
    ----------
    config : StudyConfig
        Every parameter of the run; it and the library version key the cache.
    cache_dir : path, optional
        Folder of the per-participant ``.npz`` results. A participant whose file
        exists is loaded, not recomputed, so an interrupted run resumes where it
        stopped: its data are regenerated from the seed (by the workers), unless this
        process already holds them from another study of the same data. Leftover
        temporary files of an interrupted write are removed.
    participants : iterable of int, optional
        Which participants (default: all ``config.n_participants``).
    n_jobs : int
        Tasks run in parallel with :class:`joblib.Parallel` (``-1``: all cores).
        Use ``joblib.parallel_config(backend=...)`` to run on Dask or Ray.
    progress : bool
        Show a progress bar (tqdm), advanced as participants are done.
    """
    from joblib import Parallel, delayed, effective_n_jobs
    from tqdm.auto import tqdm

    indices = list(range(config.n_participants)) if participants is None else list(participants)
    cache = cache_folder(cache_dir, "participant")

    def path(index: int) -> Path | None:
        if cache is None:
            return None
        return cache / f"participant{index:02d}-{config.participant_key(index)}.npz"

    results: dict[int, ParticipantResult] = {}
    todo, cached = [], []
    for index in dict.fromkeys(indices):
        p = path(index)
        (cached if p is not None and p.exists() else todo).append(index)
    bar = tqdm(total=len(indices), desc="participants", disable=not progress)
    if cached:  # files are read here; regenerating data this process lacks is worth the workers
        here = [i for i in cached if _known(_data_key(i, config)) is not None]
        there = [i for i in cached if i not in here]
        for index in here:
            results[index], _ = _load(_read_stored(path(index)), index, config)
            bar.update(1)
        loads = Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_load)(_read_stored(path(i)), i, config) for i in there)
        for index, (result, data) in zip(there, loads):
            _remember(_data_key(index, config), data)
            results[index] = result
            bar.update(1)
    if todo:
        parallel = Parallel(n_jobs=n_jobs)
        prepared = dict(zip(todo, parallel(delayed(_prepare)(i, config) for i in todo)))
        for i, (matrices, W_true, _) in prepared.items():
            _remember(_data_key(i, config), (matrices, W_true))
        _warn_nmf_max_iter({i: nmf for i, (_, _, nmf) in prepared.items()}, config)
        # The last participants' pairings are split in two tasks each, so that the
        # workers finish together (a split costs its epochs' fixed overhead twice, so
        # only the tail is split).
        workers = effective_n_jobs(n_jobs)
        split = set(todo[-workers:]) if workers > 1 else set()
        pairings = config.autoencoder.pairings
        groups = {i: _pairing_groups(pairings) if i in split else [pairings] for i in todo}
        tasks = [(i, group) for i in todo for group in groups[i]]
        parts: dict[int, list] = {i: [] for i in todo}
        jobs = (delayed(_autoencoder_part)(prepared[i][2].X, prepared[i][2].n_synergies,
                                           config, i, group) for i, group in tasks)
        for (index, _), part in zip(tasks, Parallel(n_jobs=n_jobs, return_as="generator")(jobs)):
            parts[index].append(part)
            if len(parts[index]) < len(groups[index]):
                continue
            matrices, W_true, nmf = prepared.pop(index)
            done = parts.pop(index)
            fitted = {name: model for models, _ in done for name, model in models.items()}
            seconds = nmf.elapsed_s + sum(s for _, s in done)
            result = _assemble(matrices, config, index, nmf, fitted, seconds, W_true,
                               source=_source(index, config))
            if cache is not None:
                result.save(path(index))
            results[index] = result
            bar.update(1)
    bar.close()
    if cache is not None:
        record_result_use(path(i) for i in dict.fromkeys(indices))
    return [results[i] for i in indices]


def choices_table(config: StudyConfig | None = None, criteria=None):
    """Every choice of a run, one row per parameter: the book's "What we had to choose".

    Rows come from the code itself (the documented fields of each configuration and
    the generator's signature and docstring), so the table cannot drift from what
    the pipeline does.

    Returns
    -------
    pandas.DataFrame
        Columns ``stage``, ``parameter``, ``value``, ``description``, ``source``.
    """
    import pandas as pd

    from .comparison import ClaimCriteria
    from .datasets import generator_table

    config = StudyConfig() if config is None else config
    criteria = ClaimCriteria() if criteria is None else criteria
    overrides = dict(config.dataset)
    rows = []
    for r in generator_table(config.generator):
        name = r["parameter"]
        value = overrides.get(name, r["default"])
        # every generator value is our choice; where it comes from goes with its description
        source = r["source"]
        if source.startswith("choice (") and source.endswith(")"):
            source = source[len("choice ("):-1]
        detail = "" if source == "choice" else f" [{source}]"
        rows.append(("data", name, str(value), r["description"] + detail, "choice"))
    stages = (
        ("preprocessing", config.preprocessing),
        ("study", config),
        ("autoencoder", config.autoencoder),
        ("comparison", criteria),
    )
    for stage, cfg in stages:
        for p, v, d, s in cfg.as_table():
            rows.append((stage, p, v, d, s))
    return pd.DataFrame(rows, columns=["stage", "parameter", "value", "description", "source"])


def quick_config(**changes) -> StudyConfig:
    """A small configuration for smoke runs (CI, first contact with a chapter).

    Three participants with three repetitions per target, NMF for N <= 8 with two restarts,
    autoencoders with two restarts and at most 300 epochs: it runs in about a minute on
    two cores and shows that the pipeline works, not what its numbers are (the models
    are not trained to convergence). Keyword arguments replace fields of the result.
    """
    base = StudyConfig(
        n_participants=3,
        dataset={"n_repetitions": 3},
        n_max=8,
        nmf_restarts=2,
        autoencoder=AutoencoderConfig(n_restarts=2, max_epochs=300),
    )
    return dataclasses.replace(base, **changes)
