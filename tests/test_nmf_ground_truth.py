"""NMF recovers the generator's ground-truth synergies (issue: library, "must show").

The reaching generator mixes K = 6 known synergies. On its noise-free, linearly mixed
envelopes (total envelope, no tonic removal) NMF with K synergies must find them again,
in the amplitude-normalised muscle space where the analysis happens; with the default,
realistic noise it must degrade gracefully, not collapse.
"""

from __future__ import annotations

import pytest

from synergylib.datasets import make_reaching_participant
from synergylib.metrics import match_synergies
from synergylib.nmf import SynergyNMF
from synergylib.preprocessing import PreprocessingConfig, preprocess_participant

TOTAL_ENVELOPE = PreprocessingConfig(phasic=False)


def _recovery(index: int, noise_level: float) -> float:
    p = make_reaching_participant(index, random_state=0, n_repetitions=3, noise_level=noise_level)
    M = preprocess_participant(p, TOTAL_ENVELOPE)
    W_true = p.synergies / M.amplitude_scale[:, None]
    nmf = SynergyNMF(p.synergies.shape[1], n_restarts=3, random_state=0).fit(M.train.T)
    return match_synergies(W_true, nmf.synergies_).mean_cosine


@pytest.mark.parametrize("index", [0, 1, 2])
def test_noise_free_linear_data_give_back_the_ground_truth(index):
    assert _recovery(index, noise_level=0.0) >= 0.95


@pytest.mark.parametrize("index", [0, 1])
def test_realistic_noise_degrades_recovery_gracefully(index):
    """Default noise (baseline, mains, motion artefacts at noise_level=1): still >= 0.90."""
    clean, noisy = _recovery(index, 0.0), _recovery(index, 1.0)
    assert noisy >= 0.90
    assert noisy <= clean + 0.02  # noise does not help
