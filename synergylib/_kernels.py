r"""Compiled CPU kernel for the autoencoder trainer's backward pass (numba).

On CPU, the decoder half of the backward pass of :func:`synergylib.autoencoder._loss_and_gradients`
is one sweep over the decoder output instead of six PyTorch operations (residual,
loss, activation derivative and three gradients), each of which swept the
``(models, M, S)`` arrays once. For model :math:`i`, with decoder output
:math:`Y = f_\mathrm{dec}(W_d A + b_d)`, encoder output :math:`A` and data :math:`X`:

.. math::

    R = Y - X, \qquad L_i = \sum_{j,s} R_{js}^2, \qquad
    D = R \odot f_\mathrm{dec}'(Y), \qquad
    \frac{\partial L}{\partial W_d} \propto D A^\top, \quad
    \frac{\partial L}{\partial b_d} \propto D \mathbf{1}, \quad
    G = c\, W_d^\top D,

where :math:`f'` is written through the output :math:`y = f(z)` (1, :math:`[y > 0]`,
:math:`y(1-y)`, :math:`1-y^2`), so the sweep needs no transcendental function and
is exact up to float rounding (it is checked against autograd and against the
PyTorch pass in the tests). For a linear or ReLU decoder (:data:`IN_SWEEP`) the
sweep also computes :math:`Y = f_\mathrm{dec}(W_d A + b_d)` itself, so that the
decoder output is never written to memory; tanh and sigmoid decoders read
:math:`Y` computed before by PyTorch and NumPy (their exact functions). The
samples are swept in blocks of :data:`BLOCK`, so that a block of :math:`A` and
:math:`G` stays in the L1 cache while the ``M`` decoder rows pass over it.

The kernel is generated for each number of synergies :math:`N` with the
:math:`N` products written out (numba's vectoriser does not vectorise loops over
a run-time :math:`N` well) and compiled on first use, about one second per
:math:`N` and dtype per process. ``error_model="numpy"`` removes Python's
division-by-zero branch, and ``fastmath`` allows the block reductions to be
vectorised; both are deterministic, so the same inputs give the same bits.
``benchmarks/fused_kernel.py`` measures the sweep against the PyTorch pass.
"""

from __future__ import annotations

import functools

import numba
import numpy as np

from ._validation import ACTIVATIONS

__all__ = ["BLOCK", "IN_SWEEP", "activation_codes", "decoder_backward_kernel"]

#: Samples per block of the sweep (a block of A and G: 2 N x 512 floats, in L1).
BLOCK = 512

_OPTIONS = {"fastmath": {"reassoc", "contract", "nsz", "arcp"}, "boundscheck": False,
            "error_model": "numpy", "nogil": True}

#: dL/dz from the residual ``r`` and the activation's output ``y``.
_DERIVATIVE = {
    "linear": "dz = r",
    "relu": "dz = r if y > ZERO else ZERO",
    "sigmoid": "dz = r * y * (ONE - y)",
    "tanh": "dz = r * (ONE - y * y)",
}


def activation_codes(runs, n_models: int) -> np.ndarray:
    """Per-model activation codes (indices into ``ACTIVATIONS``) from (start, stop, name) runs."""
    codes = np.empty(n_models, dtype=np.int64)
    for start, stop, name in runs:
        codes[start:stop] = ACTIVATIONS.index(name)
    return codes


#: Decoder activations computed inside the sweep (exactly); the others are read from Y.
IN_SWEEP = ("linear", "relu")

#: y = f(z) inside the sweep, for the activations of IN_SWEEP.
_FORWARD = {"linear": "", "relu": "y = np.maximum(y, ZERO); "}


def _source(n: int) -> str:
    """Source of the sweep for ``n`` synergies."""
    ks = range(n)
    product = "bj" + "".join(f" + w{k} * a{k}[s]" for k in ks)
    lines = [
        "def decoder_backward(Y, A, W, b, XT, codes, scale, losses, gW, gb, G):",
        "    m, M, _ = W.shape",
        "    S = A.shape[2]",
        "    for i in range(m):",
        "        code = codes[i]",
        "        total = 0.0",
        "        G[i] = ZERO",
        "        gW[i] = ZERO",
        "        gb[i] = ZERO",
        "        for s0 in range(0, S, BLOCK):",
        "            s1 = min(s0 + BLOCK, S)",
    ]
    lines += [f"            a{k} = A[i, {k}, s0:s1]; g{k} = G[i, {k}, s0:s1]" for k in ks]
    lines += [
        "            for j in range(M):",
        "                x = XT[j, s0:s1]; yj = Y[i, j, s0:s1]; bj = b[i, j]",
        "                loss = ZERO; cb = ZERO",
    ]
    lines += [f"                w{k} = W[i, j, {k}]; v{k} = w{k} * scale; c{k} = ZERO" for k in ks]
    for code, name in enumerate(ACTIVATIONS):
        output = f"y = {product}; {_FORWARD[name]}" if name in IN_SWEEP else "y = yj[s]; "
        lines += [
            f"                {'if' if code == 0 else 'elif'} code == {code}:",
            "                    for s in range(s1 - s0):",
            f"                        {output}r = y - x[s]",
            "                        loss += r * r",
            f"                        {_DERIVATIVE[name]}",
            "                        cb += dz",
        ]
        lines += [f"                        c{k} += dz * a{k}[s]; g{k}[s] += v{k} * dz" for k in ks]
    lines += ["                total += loss", "                gb[i, j] += cb"]
    lines += [f"                gW[i, j, {k}] += c{k}" for k in ks]
    lines += ["        losses[i] = total"]
    return "\n".join(lines)


@functools.cache
def decoder_backward_kernel(n_synergies: int):
    """The compiled sweep for ``n_synergies`` (compiled on first call, per dtype).

    ``kernel(Y, A, W, b, XT, codes, scale, losses, gW, gb, G)`` with ``Y`` (m, M, S),
    ``A`` (m, N, S), ``W`` (m, M, N), ``b`` (m, M), ``XT`` (M, S), ``codes`` (m,)
    int64 and ``scale`` a float of the arrays' dtype writes, for every model ``i``:
    ``losses[i]`` (float64) the sum of squared residuals, ``gW[i]`` = D A^T,
    ``gb[i]`` = D 1 and ``G[i]`` = ``scale`` W^T D (overwritten). ``Y[i]`` is read
    only for decoders outside :data:`IN_SWEEP`, and must then hold f(W A + b).
    """
    # float32 constants; numba promotes them in the float64 specialisation.
    namespace = {"np": np, "ZERO": np.float32(0), "ONE": np.float32(1), "BLOCK": BLOCK}
    exec(_source(n_synergies), namespace)  # noqa: S102 - source generated above, no user input
    return numba.njit(**_OPTIONS)(namespace["decoder_backward"])

