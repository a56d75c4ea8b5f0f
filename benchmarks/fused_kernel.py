"""How much faster is the autoencoder pass with the compiled sweep? Measured.

The library's pass (``synergylib.autoencoder._loss_and_gradients``) was fourteen
PyTorch operations, each a sweep over ``(models, muscles, samples)`` arrays. On CPU
it now computes the encoder output with PyTorch (one matrix product and the
activation) and everything after it, the decoder included, in one compiled numba
sweep (``synergylib._kernels``). This script measures, on one batch of 16 models of
participant 0 and one core, per decoder activation:

``torch-ops``
    the pass with PyTorch's operations only (CUDA's path; ``_USE_KERNEL = False``);
``library``
    the library's CPU pass (the sweep; float32 sigmoid and tanh by the vectorisable
    approximations of ``synergylib._kernels``);

with the largest relative difference of the losses and gradients between the two.

Run from the repository root::

    .venv/bin/python benchmarks/fused_kernel.py            # N = 3
    .venv/bin/python benchmarks/fused_kernel.py --n-synergies 5 --encoder tanh
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path
from unittest import mock

import numba
import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import load, participant_matrix

from synergylib import autoencoder as ae

#: Models in the measured batch (the library's CPU chunk for PyTorch's operations).
N_MODELS = ae._CPU_CHUNK


def per_model_epoch_us(f, n_models: int, repeats: int) -> float:
    """Best of 5 timings of ``repeats`` calls, per model."""
    f()
    best = np.inf
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(repeats):
            f()
        best = min(best, (time.perf_counter() - t) / repeats)
    return best / n_models * 1e6


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-synergies", type=int, default=3)
    parser.add_argument("--encoder", default="relu", choices=list(ae.ACTIVATIONS))
    parser.add_argument("--repeats", type=int, default=100)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    n, m, enc = args.n_synergies, N_MODELS, args.encoder
    X = torch.tensor(participant_matrix(0), dtype=torch.float32)
    S, M = X.shape
    XT = X.T.contiguous()
    W_e, b_e, W_d, b_d = (torch.as_tensor(np.stack(t), dtype=torch.float32) for t in zip(
        *(ae._initial_parameters(np.random.SeedSequence([0, i]), M, n) for i in range(m))))
    workspaces = {use: ae._workspace(m, n, M, S, torch.float32, "cpu", use_kernel=use)
                  for use in (True, False)}

    print(load())
    print(f"== {m} models, participant 0, X ({S}, {M}), N = {n}, encoder {enc}, "
          f"numba {numba.__version__}, 1 thread; microseconds per model-epoch (times faster "
          f"than torch-ops, largest relative difference of losses and gradients to torch-ops)")
    for dec in ae.ACTIVATIONS:
        runs_e, runs_d = [(0, m, enc)], [(0, m, dec)]
        results = {}
        for name, use_kernel in (("torch-ops", False), ("library", True)):
            def run(runs_e=runs_e, runs_d=runs_d, ws=workspaces[use_kernel]):
                loss, grads = ae._loss_and_gradients(XT, X, W_e, b_e, W_d, b_d, runs_e, runs_d,
                                                     workspace=ws)
                return [loss.numpy().copy()] + [g.numpy().copy() for g in grads]

            with contextlib.ExitStack() as stack:
                stack.enter_context(mock.patch.object(ae, "_USE_KERNEL", use_kernel))
                results[name] = (run(), per_model_epoch_us(run, m, args.repeats))
        (reference, base), (got, us) = results["torch-ops"], results["library"]
        diff = max(float(np.max(np.abs(g - r)) / np.max(np.abs(r))) for g, r in zip(got, reference))
        print(f"{enc}+{dec:8s} torch-ops {base:5.1f}; library {us:5.1f} ({base / us:.2f}x, {diff:.0e})")


if __name__ == "__main__":
    main()
