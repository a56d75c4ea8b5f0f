"""Synthetic sweep tables for the tests of synergylib.sweeps and of the chapters that use it.

A look-alike of :func:`synergylib.sweeps.sweep_table`: one row per variant, participant and
model, each model at a fixed mean plus small participant noise, so that the best model of
every variant is known.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PAIRINGS = ["linear+linear", "relu+tanh", "tanh+relu", "sigmoid+sigmoid"]

# variant A: the paper's picture (linear decoder reconstructs best, relu+tanh is most physiological)
COS_A = {"NMF": 0.9, "linear+linear": 0.5, "relu+tanh": 0.85, "tanh+relu": 0.6, "sigmoid+sigmoid": 0.4}
R2_A = {"NMF": 0.8, "linear+linear": 0.95, "relu+tanh": 0.7, "tanh+relu": 0.75, "sigmoid+sigmoid": 0.6}
# variant B: linear+linear best at both, relu+tanh worst, all pairings within 0.03
COS_B = {"NMF": 0.9, "linear+linear": 0.72, "relu+tanh": 0.69, "tanh+relu": 0.71, "sigmoid+sigmoid": 0.70}
R2_B = {"NMF": 0.8, "linear+linear": 0.95, "relu+tanh": 0.7, "tanh+relu": 0.75, "sigmoid+sigmoid": 0.6}


def synthetic_table(cosines: dict[str, float], r2: dict[str, float], n_participants=6, seed=0, key="A"):
    """A metrics-table look-alike: per model a fixed mean plus small participant noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(n_participants):
        n_syn = 2 + p % 2
        for model in ["NMF"] + PAIRINGS:
            rows.append(
                {
                    "variant": key,
                    "participant": p,
                    "model": model,
                    "n_synergies": n_syn,
                    "r2_test": r2[model] + 0.001 * rng.standard_normal(),
                    "true_mean_cosine": cosines[model] + 0.001 * rng.standard_normal(),
                    "negative_weight_share": 0.0 if model == "NMF" else 0.1 * (1 + PAIRINGS.index(model)),
                }
            )
    return pd.DataFrame(rows)


def two_variant_sweep() -> pd.DataFrame:
    """Variants A and B (see the constants above), six participants each."""
    return pd.concat(
        [synthetic_table(COS_A, R2_A, key="A", seed=1), synthetic_table(COS_B, R2_B, key="B", seed=2)],
        ignore_index=True,
    )
