"""Shared test configuration.

* The real-data tests read the Santuz et al. (2020) files from ``../shared/data/santuz2020``
  (beside the repository) through the library's own fetcher, so the suite never needs the
  network: ``SYNERGYLIB_DATA_DIR`` points the cache there unless the caller set it already.
* Torch uses at most two threads, the size of the CI machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_SANTUZ = REPO_ROOT.parent / "shared" / "data" / "santuz2020"

if SHARED_SANTUZ.is_dir():
    os.environ.setdefault("SYNERGYLIB_DATA_DIR", str(SHARED_SANTUZ))

try:
    import torch

    torch.set_num_threads(min(2, os.cpu_count() or 1))
except ImportError:  # pragma: no cover
    pass


def _hand_built_result(W_nmf, H_nmf, *, index: int = 0, X=None, pairings=("relu+tanh",),
                       ae_synergies=None, ae_activations=None, with_test: bool = True,
                       truth=None, **fields):
    """A :class:`~synergylib.study.ParticipantResult` built by hand, for tests of what reads one.

    ``W_nmf`` (muscles x N) and ``H_nmf`` (N x samples) are NMF's factors; the data are
    ``X = W_nmf @ H_nmf`` unless given. Each pairing's synergies and activations default
    to NMF's (``ae_synergies`` (P, muscles, N), ``ae_activations`` (P, N, samples)); the
    scores default to those the factors give; ``truth = (W, H)`` adds a ground truth.
    Any other field is set from ``fields`` (so a test states only what it is about).
    """
    from synergylib.metrics import r2_per_muscle, r2_score, vaf
    from synergylib.study import ParticipantResult

    W_nmf, H_nmf = np.asarray(W_nmf, dtype=float), np.asarray(H_nmf, dtype=float)
    X = W_nmf @ H_nmf if X is None else np.asarray(X, dtype=float)
    n_muscles, n = W_nmf.shape
    P = len(pairings)
    ae_W = np.stack([W_nmf] * P) if ae_synergies is None else np.asarray(ae_synergies, dtype=float)
    ae_H = np.stack([H_nmf] * P) if ae_activations is None else np.asarray(ae_activations, dtype=float)
    bias = fields.pop("ae_decoder_bias", np.zeros((P, n_muscles)))
    recon = [W @ H + b[:, None] for W, H, b in zip(ae_W, ae_H, bias)]
    r2 = np.array([r2_score(X, R, muscle_axis=0) for R in recon])
    values = dict(
        index=index,
        muscles=tuple(f"m{i}" for i in range(n_muscles)),
        n_synergies=n,
        n_values=np.arange(1, n + 2),
        nmf_r2_curve=np.linspace(0.5, 1.0, n + 1),
        train=X,
        nmf_synergies=W_nmf,
        nmf_activations_train=H_nmf,
        nmf_r2_train=r2_score(X, W_nmf @ H_nmf, muscle_axis=0),
        nmf_vaf_train=vaf(X, W_nmf @ H_nmf),
        pairings=tuple(pairings),
        ae_synergies=ae_W,
        ae_activations_train=ae_H,
        ae_decoder_bias=np.asarray(bias, dtype=float),
        ae_r2_train=r2,
        ae_vaf_train=np.array([vaf(X, R) for R in recon]),
        ae_r2_muscle_train=np.stack([r2_per_muscle(X, R, muscle_axis=0) for R in recon]),
        ae_restart_losses=np.zeros((P, 1)),
        ae_loss_history=np.zeros((P, 2)),
        ae_converged=np.ones(P, dtype=bool),
        ae_n_epochs=np.full(P, 1),
    )
    if with_test:
        values.update(test=X, nmf_activations_test=H_nmf, nmf_r2_test=values["nmf_r2_train"],
                      ae_activations_test=ae_H, ae_r2_test=r2)
    if truth is not None:
        values.update(true_synergies=truth[0], true_activations_train=truth[1],
                      true_activations_test=truth[1] if with_test else None)
    values.update(fields)
    return ParticipantResult(**values)


@pytest.fixture(scope="session")
def make_result():
    """The one way the tests build a :class:`~synergylib.study.ParticipantResult` by hand
    (see :func:`_hand_built_result`); results computed by the library come from
    ``run_study`` in tests/test_study.py."""
    return _hand_built_result


def _santuz(loader: str):
    """Load one of the Santuz et al. (2020) files, or skip the test when they are not here."""
    from synergylib import santuz

    try:
        folder = Path(santuz.santuz2020_data_dir())
    except Exception:  # pragma: no cover - no cache folder at all
        pytest.skip("offline Santuz 2020 data not found")
    if not all((folder / name).is_file() for name in santuz.SANTUZ_FILES):
        pytest.skip("offline Santuz 2020 data not found")
    return getattr(santuz, loader)()


@pytest.fixture(scope="session")
def santuz_raw():
    """The raw walking trial (``RAW_DATA.RData``)."""
    return _santuz("load_santuz2020_raw")


@pytest.fixture(scope="session")
def santuz_filtered():
    """The same trial filtered and time-normalised by the package (``FILT_EMG.RData``)."""
    return _santuz("load_santuz2020_filtered")


@pytest.fixture(scope="session")
def santuz_participants():
    """The 15 walkers of ``SYNS.RData``."""
    return _santuz("load_santuz2020_synergies")
