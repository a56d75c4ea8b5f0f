"""Would a fused CPU kernel make the autoencoder pass faster? A measured prototype.

Issue 4 asks whether the trainer's forward and backward pass can go faster than
eager PyTorch allows. The library's pass (``synergylib.autoencoder._loss_and_gradients``)
makes about fourteen sweeps over ``(models, muscles, samples)`` arrays, one per
PyTorch operation. This script measures two numba kernels that do the decoder's
work in fewer sweeps, on one chunk of 16 models of participant 0, and checks that
they compute the same losses and gradients as the library's pass:

``sweep``
    The forward pass as in the library (matrix products, NumPy's tanh), then ONE
    numba sweep over the decoder output that computes the residual, the loss, the
    derivative of the decoder activation (from its output, so no transcendental
    function) and the decoder gradients :math:`\\partial L/\\partial W_d`,
    :math:`\\partial L/\\partial b_d`, :math:`\\partial L/\\partial A`, for every
    activation. It replaces six PyTorch operations.
``fused``
    Decoder forward pass, activation and the same backward sweep in one kernel,
    in blocks of samples that stay in the L1 cache. Linear, ReLU and tanh only:
    tanh is Eigen's clamped rational approximation (error below 3e-7); numba has no
    vectorised ``exp`` without Intel's SVML, so a sigmoid decoder would be scalar.

The encoder side stays in PyTorch in both. Kernels are generated for each number
of synergies N, with the N products unrolled (numba does not vectorise loops over
a run-time N well). This is a prototype for a decision, not library code: it is
not tested and not used by the book. Needs ``pip install numba``.

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
from benchmark import load, participant_matrix  # noqa: E402

from synergylib import autoencoder as ae  # noqa: E402

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

# dL/dz from the residual r and the output y of the decoder activation.
_DERIVATIVE = {
    "linear": "dz = r",
    "relu": "dz = r if y > ZERO else ZERO",
    "sigmoid": "dz = r * y * (ONE - y)",
    "tanh": "dz = r * (ONE - y * y)",
}
# y = f(z) inside the fused kernel.
_FORWARD = {"linear": "y = z", "relu": "y = np.maximum(z, ZERO)", "tanh": "y = rational_tanh(z)"}


def _compile(source: str, name: str):
    namespace = {"np": np, "ZERO": F32(0), "ONE": F32(1), "CLAMP": _TANH_CLAMP}
    namespace.update({f"P{i}": c for i, c in enumerate(_TANH_P)})
    namespace.update({f"Q{i}": c for i, c in enumerate(_TANH_Q)})
    exec(_TANH_SOURCE, namespace)
    namespace["rational_tanh"] = numba.njit(inline="always", **KERNEL_OPTIONS)(
        namespace["rational_tanh"])
    exec(source, namespace)
    return numba.njit(**KERNEL_OPTIONS)(namespace[name])


def _sweep_body(n: int, derivative: str, indent: str) -> list[str]:
    """Inner loop over a block: loss, dL/dz and the decoder gradients (caller inserts y, r)."""
    lines = [f"{indent}for s in range(s1 - s0):",
             f"{indent}    loss += r * r", f"{indent}    {derivative}", f"{indent}    cb += dz"]
    lines += [f"{indent}    c{k} += dz * a{k}[s]; g{k}[s] += w{k} * dz" for k in range(n)]
    return lines


def make_sweep_kernel(n: int):
    """Decoder backward sweep for N = ``n``: reads Y = f(W_d A + b_d), writes G = W_d^T dL/dZ."""
    lines = ["def sweep(Y, A, W, XT, codes, losses, gW, gb, G, block):",
             "    m, M, _ = W.shape; S = A.shape[2]",
             "    for i in range(m):",
             "        total = 0.0; code = codes[i]",
             "        G[i] = ZERO; gW[i] = ZERO; gb[i] = ZERO",
             "        for s0 in range(0, S, block):",
             "            s1 = min(s0 + block, S)"]
    lines += [f"            a{k} = A[i, {k}, s0:s1]; g{k} = G[i, {k}, s0:s1]" for k in range(n)]
    lines += ["            for j in range(M):",
              "                x = XT[j, s0:s1]; yj = Y[i, j, s0:s1]; loss = ZERO; cb = ZERO"]
    lines += [f"                w{k} = W[i, j, {k}]; c{k} = ZERO" for k in range(n)]
    for name, code in ACTIVATION_CODES.items():
        lines.append(f"                {'if' if code == 0 else 'elif'} code == {code}:")
        body = _sweep_body(n, _DERIVATIVE[name], "                    ")
        body.insert(1, "                        y = yj[s]; r = y - x[s]")
        lines += body
    lines += ["                total += loss; gb[i, j] += cb"]
    lines += [f"                gW[i, j, {k}] += c{k}" for k in range(n)]
    lines += ["        losses[i] = total"]
    return _compile("\n".join(lines), "sweep")


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
    body = _sweep_body(n, _DERIVATIVE[activation], "                ")
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
    parser.add_argument("--block", type=int, default=512, help="samples per block")
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
          f"blocks of {args.block} samples, numba {numba.__version__}, 1 thread")
    t = time.perf_counter()
    sweep = make_sweep_kernel(n)
    A.zero_(); Y.zero_(); sweep(arrays["Y"], arrays["A"], arrays["W"], arrays["XT"],
                                np.zeros(m, np.int64), losses, gW, gb, arrays["G"], args.block)
    print(f"sweep kernel compiled in {time.perf_counter() - t:.2f} s")
    for dec in ACTIVATION_CODES:
        runs_e, runs_d = [(0, m, enc)], [(0, m, dec)]
        codes = np.full(m, ACTIVATION_CODES[dec], np.int64)

        def library():
            return ae._loss_and_gradients(XT, X, W_e, b_e, W_d, b_d, runs_e, runs_d, workspace=ws)

        def with_sweep():
            encoder_forward()
            torch.baddbmm(b_d.unsqueeze(2), W_d, A, out=Y)
            ae._activate_(Y, dec)
            sweep(arrays["Y"], arrays["A"], arrays["W"], arrays["XT"], codes, losses, gW, gb,
                  arrays["G"], args.block)
            return losses, gW, gb, *encoder_backward(G, A, X, scale, enc, m, n, S, M)

        variants = {"sweep": with_sweep}
        if dec in _FORWARD:
            t = time.perf_counter()
            fused = make_fused_kernel(n, dec)
            fused(arrays["A"], arrays["W"], arrays["b"], arrays["XT"], losses, gW, gb, arrays["G"],
                  args.block)
            compile_s = time.perf_counter() - t

            def with_fused(fused=fused):
                encoder_forward()
                fused(arrays["A"], arrays["W"], arrays["b"], arrays["XT"], losses, gW, gb,
                      arrays["G"], args.block)
                return losses, gW, gb, *encoder_backward(G, A, X, scale, enc, m, n, S, M)

            variants["fused"] = with_fused
        ref_loss, ref_grads = library()
        ref = [ref_loss.numpy().copy()] + [g.numpy().copy() for g in (ref_grads[2], ref_grads[3],
                                                                       ref_grads[0], ref_grads[1])]
        base = per_model_epoch_us(library, m, args.repeats)
        parts = [f"library {base:6.1f}"]
        for name, f in variants.items():
            out = f()
            got = [out[0] / (S * M), out[1] * scale, out[2] * scale, out[3].numpy(), out[4].numpy()]
            diff = max(float(np.max(np.abs(g - r)) / np.max(np.abs(r))) for g, r in zip(got, ref))
            us = per_model_epoch_us(f, m, args.repeats)
            parts.append(f"{name} {us:6.1f} ({base / us:.2f}x, largest relative difference {diff:.1e})")
        extra = f"; fused kernel compiled in {compile_s:.2f} s" if dec in _FORWARD else ""
        print(f"{enc}+{dec:8s} us per model-epoch: " + "; ".join(parts) + extra)


if __name__ == "__main__":
    main()
