"""How much faster is the autoencoder pass with compiled kernels? Measured.

The library's pass (``synergylib.autoencoder._loss_and_gradients``) was fourteen
PyTorch operations, each a sweep over ``(models, muscles, samples)`` arrays. On CPU
it now computes the encoder output with PyTorch and everything after it in one
compiled numba sweep (``synergylib._kernels``). This script measures, on one chunk
of 16 models of participant 0 and one core, with the same losses and gradients:

``torch-ops``
    the pass with PyTorch's operations only (CUDA's path; ``_USE_KERNEL = False``);
``library``
    the library's CPU pass: the sweep, which also computes linear and ReLU decoders
    itself, while tanh and sigmoid decoders are computed before it by NumPy/PyTorch;
``fused``
    a prototype that is not in the library: the decoder's product and activation
    inside the sweep for tanh too, with Eigen's clamped rational approximation of
    tanh (error below 3e-7), so that a tanh decoder's output is never written to
    memory either; its encoder gradients use PyTorch. numba has no vectorised
    ``exp`` without Intel's SVML, so a sigmoid decoder cannot be fused this way.

Run from the repository root::

    .venv/bin/python benchmarks/fused_kernel.py            # N = 3
    .venv/bin/python benchmarks/fused_kernel.py --n-synergies 5
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import load, participant_matrix

from synergylib import autoencoder as ae
from synergylib._kernels import _DERIVATIVE

try:
    import numba
except ImportError:  # pragma: no cover - the prototype's only extra dependency
    sys.exit("This prototype needs numba: pip install numba")

F32 = np.float32
# error_model="numpy": no ZeroDivisionError branch, without which no float division vectorises.
KERNEL_OPTIONS = {"fastmath": {"reassoc", "contract", "nsz", "arcp"}, "boundscheck": False,
                  "error_model": "numpy"}
ACTIVATION_CODES = {"linear": 0, "relu": 1, "sigmoid": 2, "tanh": 3}

# Eigen's generic_fast_tanh_float: tanh(x) = x P(x^2) / Q(x^2) on |x| <= 7.9988.
_TANH_CLAMP = F32(7.99881172180175781)
_TANH_P = [F32(v) for v in (-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11,
                            5.12229709037114e-08, 1.48572235717979e-05, 6.37261928875436e-04,
                            4.89352455891786e-03)]
_TANH_Q = [F32(v) for v in (1.19825839466702e-06, 1.18534705686654e-04, 2.26843463243900e-03,
                            4.89352518554385e-03)]


def _horner(name: str, degree: int, var: str) -> str:
    """Horner form of sum_i name{i} var^(degree - i), with float32 constants name0, name1, ..."""
    expr = f"{name}0"
    for i in range(1, degree + 1):
        expr = f"({expr}) * {var} + {name}{i}"
    return expr


_TANH_SOURCE = (
    "def rational_tanh(x):\n"
    "    x = np.minimum(np.maximum(x, -CLAMP), CLAMP)\n"
    "    x2 = x * x\n"
    f"    return x * ({_horner('P', len(_TANH_P) - 1, 'x2')}) / ({_horner('Q', len(_TANH_Q) - 1, 'x2')})\n"
)

# y = f(z) inside the fused kernel.
_FORWARD = {"linear": "y = z", "relu": "y = np.maximum(z, ZERO)", "tanh": "y = rational_tanh(z)"}


def _compile(source: str, name: str):
    namespace = {"np": np, "ZERO": F32(0), "ONE": F32(1), "CLAMP": _TANH_CLAMP}
    namespace.update({f"P{i}": c for i, c in enumerate(_TANH_P)})
    namespace.update({f"Q{i}": c for i, c in enumerate(_TANH_Q)})
    exec(_TANH_SOURCE, namespace)  # noqa: S102 - generated here, no user input
    namespace["rational_tanh"] = numba.njit(inline="always", **KERNEL_OPTIONS)(
        namespace["rational_tanh"])
    exec(source, namespace)  # noqa: S102 - generated here, no user input
    return numba.njit(**KERNEL_OPTIONS)(namespace[name])


def _sweep_body(n: int, derivative: str) -> list[str]:
    """Inner loop over a block: loss, dL/dz and the decoder gradients (as in synergylib._kernels)."""
    indent = " " * 16
    lines = [f"{indent}for s in range(s1 - s0):",
             f"{indent}    loss += r * r", f"{indent}    {derivative}", f"{indent}    cb += dz"]
    lines += [f"{indent}    c{k} += dz * a{k}[s]; g{k}[s] += w{k} * dz" for k in range(n)]
    return lines


def make_fused_kernel(n: int, activation: str):
    """Decoder forward + activation + backward sweep in one kernel (blocks of samples)."""
    z = "bj" + "".join(f" + w{k} * a{k}[s]" for k in range(n))
    lines = ["def fused(A, W, b, XT, losses, gW, gb, G, block):",
             "    m, M, _ = W.shape; S = A.shape[2]",
             "    for i in range(m):",
             "        total = 0.0",
             "        G[i] = ZERO; gW[i] = ZERO; gb[i] = ZERO",
             "        for s0 in range(0, S, block):",
             "            s1 = min(s0 + block, S)"]
    lines += [f"            a{k} = A[i, {k}, s0:s1]; g{k} = G[i, {k}, s0:s1]" for k in range(n)]
    lines += ["            for j in range(M):",
              "                x = XT[j, s0:s1]; bj = b[i, j]; loss = ZERO; cb = ZERO"]
    lines += [f"                w{k} = W[i, j, {k}]; c{k} = ZERO" for k in range(n)]
    body = _sweep_body(n, _DERIVATIVE[activation])
    body.insert(1, f"                    z = {z}; {_FORWARD[activation]}; r = y - x[s]")
    lines += body
    lines += ["                total += loss; gb[i, j] += cb"]
    lines += [f"                gW[i, j, {k}] += c{k}" for k in range(n)]
    lines += ["        losses[i] = total"]
    return _compile("\n".join(lines), "fused")


def encoder_backward(G, A, X, scale, encoder, m, n, S, M):
    """The library's encoder-side backward pass (PyTorch), from G = W_d^T dL/dZ."""
    G.mul_(scale)
    ae._times_derivative_(G, A, encoder)
    return torch.mm(G.view(m * n, S), X).view(m, n, M), G.sum(dim=2)


def per_model_epoch_us(f, n_models: int, repeats: int) -> float:
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
    parser.add_argument("--encoder", default="relu", choices=list(ACTIVATION_CODES))
    parser.add_argument("--block", type=int, default=512, help="samples per block of the fused kernel")
    parser.add_argument("--repeats", type=int, default=100)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    n, m, enc = args.n_synergies, ae._CPU_CHUNK, args.encoder
    X = torch.tensor(participant_matrix(0), dtype=torch.float32)
    S, M = X.shape
    XT = X.T.contiguous()
    W_e, b_e, W_d, b_d = (torch.as_tensor(np.stack(t), dtype=torch.float32) for t in zip(
        *(ae._initial_parameters(np.random.SeedSequence([0, i]), M, n) for i in range(m))))
    ws = ae._workspace(m, n, M, S, torch.float32, "cpu")
    A, Y, G = ws["A"], ws["Y"], ws["G"]
    scale = 2.0 / (S * M)
    losses = np.zeros(m)
    gW, gb = np.zeros((m, M, n), np.float32), np.zeros((m, M), np.float32)
    arrays = {k: v.numpy() for k, v in (("A", A), ("Y", Y), ("G", G), ("W", W_d), ("b", b_d), ("XT", XT))}

    def encoder_forward():
        torch.addmm(b_e.reshape(m * n, 1), W_e.reshape(m * n, M), XT, out=A.view(m * n, S))
        ae._activate_(A, enc)

    print(load())
    print(f"== one chunk of {m} models, participant 0, X ({S}, {M}), N = {n}, encoder {enc}, "
          f"numba {numba.__version__}, 1 thread; microseconds per model-epoch (times faster "
          f"than torch-ops, largest relative difference of losses and gradients to torch-ops)")
    for dec in ACTIVATION_CODES:
        runs_e, runs_d = [(0, m, enc)], [(0, m, dec)]

        def pass_with(use_kernel: bool, runs_e=runs_e, runs_d=runs_d):
            def run():
                ae._USE_KERNEL = use_kernel
                loss, grads = ae._loss_and_gradients(XT, X, W_e, b_e, W_d, b_d, runs_e, runs_d,
                                                     workspace=ws)
                return [loss.numpy()] + [g.numpy() for g in (grads[2], grads[3], grads[0], grads[1])]
            return run

        variants = {"library": pass_with(True)}
        compiled = ""
        if dec in _FORWARD:
            t = time.perf_counter()
            fused = make_fused_kernel(n, dec)
            encoder_forward()
            fused(arrays["A"], arrays["W"], arrays["b"], arrays["XT"], losses, gW, gb, arrays["G"],
                  args.block)
            compiled = f"; fused kernel compiled in {time.perf_counter() - t:.2f} s"

            def with_fused(fused=fused):
                encoder_forward()
                fused(arrays["A"], arrays["W"], arrays["b"], arrays["XT"], losses, gW, gb,
                      arrays["G"], args.block)
                g_W_e, g_b_e = encoder_backward(G, A, X, scale, enc, m, n, S, M)
                return [losses / (S * M), gW * scale, gb * scale, g_W_e.numpy(), g_b_e.numpy()]

            variants["fused"] = with_fused
        reference = [r.copy() for r in pass_with(False)()]
        base = per_model_epoch_us(pass_with(False), m, args.repeats)
        parts = [f"torch-ops {base:5.1f}"]
        for name, f in variants.items():
            got = f()
            diff = max(float(np.max(np.abs(g - r)) / np.max(np.abs(r))) for g, r in zip(got, reference))
            us = per_model_epoch_us(f, m, args.repeats)
            parts.append(f"{name} {us:5.1f} ({base / us:.2f}x, {diff:.0e})")
        print(f"{enc}+{dec:8s} " + "; ".join(parts) + compiled)
    ae._USE_KERNEL = True


if __name__ == "__main__":
    main()
