"""synergylib: muscle synergies from EMG with NMF and autoencoders.

The library behind *synergy-book*, an executable replication of Brambilla et al.
(2025), "The trade-off between maximizing reconstruction and physiological
interpretation of muscle synergies with autoencoders".

Modules
-------
datasets        seeded synthetic reaching EMG with a known ground truth
santuz          real walking EMG (Santuz et al. 2020), downloaded and hash-checked
preprocessing   band-pass, notch, envelope, tonic removal, time/amplitude normalisation
nmf             the NMF baseline (restarts, R2 curve, threshold rule for N)
autoencoder     one-bottleneck autoencoders, 16 activation pairings, batched training
metrics         R2, VAF, matched cosine, sparseness, sign, consistency, ground truth
stats           Friedman, Wilcoxon signed-rank, Holm
study           the cached, resumable per-participant pipeline
walking         the same pipeline on the walking data
sweeps          the study rerun over a parameter (non-linearity, robustness variants)
comparison      tables across participants and the verdicts on the paper's claims
plotting        figures
book            glue and set-up helpers of the executed chapters
chapters        one module per chapter: code that only that chapter uses (method modules never import it)

Estimators follow scikit-learn: ``fit(X)`` with ``X`` of shape ``(n_samples, n_muscles)``;
``synergies_`` is ``(n_muscles, n_synergies)`` with unit-norm columns.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("synergylib")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

from ._validation import ACTIVATIONS, SynergyInputError
from .autoencoder import PAIRINGS, SynergyAutoencoder, fit_autoencoder_grid
from .datasets import ReachingDataset, make_reaching_participant
from .metrics import match_synergies, r2_score, vaf
from .nmf import SynergyNMF
from .preprocessing import PreprocessingConfig, preprocess_participant
from .santuz import load_santuz2020
from .study import ParticipantResult, StudyConfig, run_study

__all__ = [
    "ACTIVATIONS",
    "PAIRINGS",
    "ParticipantResult",
    "PreprocessingConfig",
    "ReachingDataset",
    "SynergyAutoencoder",
    "SynergyInputError",
    "StudyConfig",
    "SynergyNMF",
    "__version__",
    "fit_autoencoder_grid",
    "load_santuz2020",
    "make_reaching_participant",
    "match_synergies",
    "preprocess_participant",
    "r2_score",
    "run_study",
    "vaf",
]
