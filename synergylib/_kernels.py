r"""Compiled CPU kernel for the autoencoder trainer's backward pass (numba).

On CPU, :func:`synergylib.autoencoder._loss_and_gradients` computes the encoder
output :math:`A = f_\mathrm{enc}(W_e X + b_e)` with PyTorch, then the rest of the
pass in ONE sweep over the samples instead of about ten PyTorch operations, each
of which swept the ``(models, M, S)`` arrays once. For model :math:`i`, with
decoder output :math:`Y = f_\mathrm{dec}(W_d A + b_d)` and data :math:`X`:

.. math::

    R = Y - X, \qquad L_i = \sum_{j,s} R_{js}^2, \qquad
    D = R \odot f_\mathrm{dec}'(Y), \qquad
    \frac{\partial L}{\partial W_d} \propto D A^\top, \quad
    \frac{\partial L}{\partial b_d} \propto D \mathbf{1},

    E = c\, (W_d^\top D) \odot f_\mathrm{enc}'(A), \qquad
    \frac{\partial L}{\partial W_e} = E X^\top, \quad
    \frac{\partial L}{\partial b_e} = E \mathbf{1},

with :math:`c = 2/(SM)`. Each :math:`f'` is written through the activation's
output :math:`y = f(z)` (1, :math:`[y > 0]`, :math:`y(1-y)`, :math:`1-y^2`), so the
sweep needs no transcendental function and is exact up to float rounding (it is
checked against autograd and against the PyTorch pass in the tests). For a linear
or ReLU decoder (:data:`IN_SWEEP`) the sweep also computes :math:`Y` itself, so
that the decoder output is never written to memory; tanh and sigmoid decoders read
:math:`Y` computed before by PyTorch and NumPy (their exact functions).

The samples are swept in blocks of :data:`BLOCK`: for each block, the ``M``
decoder rows pass over the block of :math:`A` and of :math:`W_d^\top D` (in the L1
cache), then the encoder's gradients are taken from that block.

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

__all__ = ["BLOCK", "IN_SWEEP", "activation_codes", "sweep_kernel"]

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


#: ``g *= f'(z)`` through the output ``a = f(z)``, for the encoder (in place on a block).
_ENCODER_DERIVATIVE = {
    "relu": "{g}[s] = {g}[s] if {a}[s] > ZERO else ZERO",
    "sigmoid": "{g}[s] = {g}[s] * {a}[s] * (ONE - {a}[s])",
    "tanh": "{g}[s] = {g}[s] * (ONE - {a}[s] * {a}[s])",
}

#: Decoder activations computed inside the sweep (exactly); the others are read from Y.
IN_SWEEP = ("linear", "relu")

#: y = f(z) inside the sweep, for the activations of IN_SWEEP.
_FORWARD = {"linear": "", "relu": "y = np.maximum(y, ZERO); "}


def _source(n: int) -> str:
    """Source of the sweep for ``n`` synergies."""
    ks = range(n)
    product = "bj" + "".join(f" + w{k} * a{k}[s]" for k in ks)
    lines = [
        "def sweep(Y, A, W, b, XT, codes, encoder_codes, scale, losses, gW, gb, gWe, gbe, G):",
        "    m, M, _ = W.shape",
        "    S = A.shape[2]",
        "    for i in range(m):",
        "        code = codes[i]; encoder_code = encoder_codes[i]",
        "        total = 0.0",
        "        G[i] = ZERO",
        "        gW[i] = ZERO",
        "        gb[i] = ZERO",
        "        gWe[i] = ZERO",
        "        gbe[i] = ZERO",
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
    # Encoder half, on the block just finished: E = G * f_enc'(A) in place, then its gradients.
    for code, name in enumerate(ACTIVATIONS):
        if name == "linear":
            continue
        lines += [f"            {'if' if code == 1 else 'elif'} encoder_code == {code}:"]
        for k in ks:
            lines += ["                for s in range(s1 - s0):",
                      f"                    {_ENCODER_DERIVATIVE[name].format(g=f'g{k}', a=f'a{k}')}"]
    for k in ks:
        lines += [f"            gbe[i, {k}] += np.sum(g{k})"]
    lines += ["            for j in range(M):",
              "                x = XT[j, s0:s1]"]
    lines += [f"                e{k} = ZERO" for k in ks]
    lines += ["                for s in range(s1 - s0):"]
    lines += [f"                    e{k} += g{k}[s] * x[s]" for k in ks]
    lines += [f"                gWe[i, {k}, j] += e{k}" for k in ks]
    lines += ["        losses[i] = total"]
    return "\n".join(lines)


@functools.cache
def sweep_kernel(n_synergies: int):
    """The compiled sweep for ``n_synergies`` (compiled on first call, per dtype).

    ``kernel(Y, A, W, b, XT, codes, encoder_codes, scale, losses, gW, gb, gWe, gbe, G)``
    with ``Y`` (m, M, S), ``A`` (m, N, S), ``W`` (m, M, N), ``b`` (m, M), ``XT``
    (M, S), ``codes`` and ``encoder_codes`` (m,) int64 (see :func:`activation_codes`)
    and ``scale`` = c, a float of the arrays' dtype, writes for every model ``i``:
    ``losses[i]`` (float64) the sum of squared residuals, ``gW[i]`` = D A^T,
    ``gb[i]`` = D 1, ``gWe[i]`` = E X^T and ``gbe[i]`` = E 1 (all overwritten;
    ``G`` (m, N, S) is scratch). ``Y[i]`` is read only for decoders outside
    :data:`IN_SWEEP`, and must then hold f(W A + b).
    """
    # float32 constants; numba promotes them in the float64 specialisation.
    namespace = {"np": np, "ZERO": np.float32(0), "ONE": np.float32(1), "BLOCK": BLOCK}
    exec(_source(n_synergies), namespace)  # noqa: S102 - source generated above, no user input
    return numba.njit(**_OPTIONS)(namespace["sweep"])

