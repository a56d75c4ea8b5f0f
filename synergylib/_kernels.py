r"""Compiled CPU kernel for the autoencoder trainer's pass (numba).

On CPU, :func:`synergylib.autoencoder._loss_and_gradients` computes the encoder
output :math:`A = f_\mathrm{enc}(W_e X + b_e)` of every model with PyTorch (one
matrix product), then the rest of the pass in ONE sweep over the samples instead
of about fourteen PyTorch operations, each of which swept the ``(models, M, S)``
arrays once. For model :math:`i`, with decoder output
:math:`Y = f_\mathrm{dec}(W_d A + b_d)` and data :math:`X`:

.. math::

    R = Y - X, \qquad L_i = \sum_{j,s} R_{js}^2, \qquad
    D = R \odot f_\mathrm{dec}'(Y), \qquad
    \frac{\partial L}{\partial W_d} \propto D A^\top, \quad
    \frac{\partial L}{\partial b_d} \propto D \mathbf{1},

    E = c\, (W_d^\top D) \odot f_\mathrm{enc}'(A), \qquad
    \frac{\partial L}{\partial W_e} = E X^\top, \quad
    \frac{\partial L}{\partial b_e} = E \mathbf{1},

with :math:`c = 2/(SM)`. The decoder output :math:`Y` is computed inside the sweep
and never written to memory. Each :math:`f'` is written through the activation's
output :math:`y = f(z)` (1, :math:`[y > 0]`, :math:`y(1-y)`, :math:`1-y^2`).

**Sigmoid and tanh inside the sweep.** numba cannot vectorise ``np.exp`` or
``np.tanh`` (its LLVM has no vector maths library), so in float32, the training
dtype, the sweep uses two approximations that vectorise:

* :func:`sigmoid`: :math:`1 / (1 + e^{-z})` with :math:`e^{x}` by Cody and
  Waite's range reduction, :math:`e^{x} = 2^{n} e^{r}`, :math:`n =
  \lfloor x \log_2 e + 1/2 \rfloor`, :math:`|r| \le \ln 2 / 2`, :math:`e^{r}` by
  Cephes' degree-7 polynomial of ``expf``, and :math:`2^{n}` from its exponent bits;
* :func:`tanh`: Eigen's clamped rational approximation
  :math:`z\,P(z^2)/Q(z^2)` (``generic_fast_tanh_float``).

Both are within a few float32 rounding units of the exact functions (float32's
machine epsilon is 1.2e-7): the sigmoid's largest relative error is 1.4e-7 down to
:math:`z = -87`, where it reaches the smallest normal float32 (below, it stays
under 2e-38), and tanh's largest absolute error is 2.5e-7; ``tests/test_kernels.py``
checks both over the whole float32 range against the exact functions. In float64 the sweep calls the exact
``np.exp`` and ``np.tanh`` (not vectorised, slower; the tests use it to compare
with autograd to 1e-10).

The samples are swept in blocks of :data:`BLOCK`: for each block, the ``M``
decoder rows pass over the block of :math:`A` and of :math:`W_d^\top D` (in the L1
cache), then the encoder's gradients are taken from that block.

The kernel is generated for each number of synergies :math:`N` with the
:math:`N` products written out (numba's vectoriser does not vectorise loops over
a run-time :math:`N` well) and compiled on first use, a few seconds per
:math:`N` and dtype per process. ``error_model="numpy"`` removes Python's
division-by-zero branch, and ``fastmath`` allows the block reductions to be
vectorised; both are deterministic, so the same inputs give the same bits.
``benchmarks/fused_kernel.py`` measures the sweep against the PyTorch pass.
"""

from __future__ import annotations

import functools

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic, overload

from ._validation import ACTIVATIONS

__all__ = ["BLOCK", "activation_codes", "sigmoid", "sweep_kernel", "tanh"]

#: Samples per block of the sweep (a block of A and of W_d^T D: 2 N x 512 floats, in L1).
BLOCK = 512

_OPTIONS = {"fastmath": {"reassoc", "contract", "nsz", "arcp"}, "boundscheck": False,
            "error_model": "numpy", "nogil": True}
# The approximations keep their operations in the order written (no reassociation:
# it would undo the range reduction's exact split of ln 2).
_EXACT_ORDER = {**_OPTIONS, "fastmath": {"contract", "nsz", "arcp"}}

_F32 = np.float32
_ONE, _HALF = _F32(1), _F32(0.5)


# --------------------------------------------------------------------------- #
# float32 sigmoid and tanh that vectorise
# --------------------------------------------------------------------------- #
@intrinsic
def _exp2_integer(typingctx, n):
    """2^n for a float32 ``n`` holding an integer in [-126, 127], from its exponent bits."""
    if n != types.float32:
        return None

    def codegen(context, builder, signature, args):
        i32 = ir.IntType(32)
        biased = builder.add(builder.fptosi(args[0], i32), ir.Constant(i32, 127))
        return builder.bitcast(builder.shl(biased, ir.Constant(i32, 23)), ir.FloatType())

    return types.float32(types.float32), codegen


# Cephes expf: ln 2 split in two (C1 exact in float32), polynomial for e^r on |r| <= ln2/2.
_LOG2E = _F32(1.44269504088896341)
_LN2_HI, _LN2_LO = _F32(0.693359375), _F32(-2.12194440e-4)
_EXP_P = tuple(_F32(v) for v in (1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3,
                                  4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1))
_EXP_MIN, _EXP_MAX = _F32(-87.3365478515625), _F32(88.3762626647949)


@numba.njit(**_EXACT_ORDER)
def _exp32(x):
    """e^x in float32 (Cephes ``expf``), for x clamped to [-87.34, 88.38]."""
    x = min(max(x, _EXP_MIN), _EXP_MAX)
    n = np.floor(x * _LOG2E + _HALF)
    r = x - n * _LN2_HI - n * _LN2_LO
    p0, p1, p2, p3, p4, p5 = _EXP_P
    p = ((((p0 * r + p1) * r + p2) * r + p3) * r + p4) * r + p5
    return (p * r * r + r + _ONE) * _exp2_integer(n)


# Eigen's generic_fast_tanh_float: tanh(x) = x P(x^2) / Q(x^2) on |x| <= 7.9988.
_TANH_CLAMP = _F32(7.99881172180175781)
_TANH_P = tuple(_F32(v) for v in (-2.76076847742355e-16, 2.00018790482477e-13,
                                   -8.60467152213735e-11, 5.12229709037114e-08,
                                   1.48572235717979e-05, 6.37261928875436e-04,
                                   4.89352455891786e-03))
_TANH_Q = tuple(_F32(v) for v in (1.19825839466702e-06, 1.18534705686654e-04,
                                   2.26843463243900e-03, 4.89352518554385e-03))


@numba.njit(**_EXACT_ORDER)
def _tanh32(x):
    """tanh(x) in float32 (Eigen's rational approximation)."""
    x = min(max(x, -_TANH_CLAMP), _TANH_CLAMP)
    x2 = x * x
    a0, a1, a2, a3, a4, a5, a6 = _TANH_P
    b0, b1, b2, b3 = _TANH_Q
    p = (((((a0 * x2 + a1) * x2 + a2) * x2 + a3) * x2 + a4) * x2 + a5) * x2 + a6
    q = ((b0 * x2 + b1) * x2 + b2) * x2 + b3
    return x * p / q


def sigmoid(z):
    """Logistic function in numba-compiled code: vectorisable in float32, exact in float64."""
    raise NotImplementedError("sigmoid is for numba-compiled code; use scipy.special.expit")


def tanh(z):
    """tanh in numba-compiled code: vectorisable in float32, exact in float64."""
    raise NotImplementedError("tanh is for numba-compiled code; use numpy.tanh")


@overload(sigmoid, jit_options=_EXACT_ORDER)
def _sigmoid_overload(z):
    if z == types.float32:
        return lambda z: _ONE / (_ONE + _exp32(-z))
    if z == types.float64:
        return lambda z: 1.0 / (1.0 + np.exp(-z))
    return None


@overload(tanh, jit_options=_EXACT_ORDER)
def _tanh_overload(z):
    if z == types.float32:
        return lambda z: _tanh32(z)
    if z == types.float64:
        return lambda z: np.tanh(z)
    return None


# --------------------------------------------------------------------------- #
# The sweep
# --------------------------------------------------------------------------- #
def activation_codes(runs, n_models: int) -> np.ndarray:
    """Per-model activation codes (indices into ``ACTIVATIONS``) from (start, stop, name) runs."""
    codes = np.empty(n_models, dtype=np.int64)
    for start, stop, name in runs:
        codes[start:stop] = ACTIVATIONS.index(name)
    return codes


#: y = f(z) inside the sweep.
_FORWARD = {"linear": "y = z", "relu": "y = max(z, ZERO)", "sigmoid": "y = sigmoid(z)",
            "tanh": "y = tanh(z)"}

#: dL/dz from the residual ``r`` and the activation's output ``y``.
_DERIVATIVE = {
    "linear": "dz = r",
    "relu": "dz = r if y > ZERO else ZERO",
    "sigmoid": "dz = r * y * (ONE - y)",
    "tanh": "dz = r * (ONE - y * y)",
}

#: ``g *= f'(z)`` through the output ``a = f(z)``, for the encoder (in place on a block).
_ENCODER_DERIVATIVE = {
    "relu": "{g}[s] = {g}[s] if {a}[s] > ZERO else ZERO",
    "sigmoid": "{g}[s] = {g}[s] * {a}[s] * (ONE - {a}[s])",
    "tanh": "{g}[s] = {g}[s] * (ONE - {a}[s] * {a}[s])",
}


def _branches(names, variable: str, indent: str):
    """(header, name) for an if/elif chain over activation codes."""
    for position, name in enumerate(names):
        keyword = "if" if position == 0 else "elif"
        yield f"{indent}{keyword} {variable} == {ACTIVATIONS.index(name)}:", name


def _source(n: int) -> str:
    """Source of the sweep for ``n`` synergies."""
    ks = range(n)
    product = "bj" + "".join(f" + w{k} * a{k}[s]" for k in ks)
    lines = [
        "def sweep(A, W, b, XT, codes, encoder_codes, scale, losses, gW, gb, gWe, gbe, G):",
        "    m, M, _ = W.shape",
        "    S = A.shape[2]",
        "    for i in range(m):",
        "        code = codes[i]; encoder_code = encoder_codes[i]",
        "        total = 0.0",
        "        gW[i] = ZERO",
        "        gb[i] = ZERO",
        "        gWe[i] = ZERO",
        "        gbe[i] = ZERO",
        "        for s0 in range(0, S, BLOCK):",
        "            s1 = min(s0 + BLOCK, S)",
        "            G[:, : s1 - s0] = ZERO",
    ]
    lines += [f"            a{k} = A[i, {k}, s0:s1]; g{k} = G[{k}, : s1 - s0]" for k in ks]
    lines += [
        "            for j in range(M):",
        "                x = XT[j, s0:s1]; bj = b[i, j]",
        "                loss = ZERO; cb = ZERO",
    ]
    lines += [f"                w{k} = W[i, j, {k}]; v{k} = w{k} * scale; c{k} = ZERO" for k in ks]
    for header, name in _branches(ACTIVATIONS, "code", " " * 16):
        lines += [
            header,
            "                    for s in range(s1 - s0):",
            f"                        z = {product}; {_FORWARD[name]}; r = y - x[s]",
            "                        loss += r * r",
            f"                        {_DERIVATIVE[name]}",
            "                        cb += dz",
        ]
        lines += [f"                        c{k} += dz * a{k}[s]; g{k}[s] += v{k} * dz" for k in ks]
    lines += ["                total += loss", "                gb[i, j] += cb"]
    lines += [f"                gW[i, j, {k}] += c{k}" for k in ks]
    # Encoder half, on the block just finished: E = G * f_enc'(A) in place, then its gradients.
    for header, name in _branches(_ENCODER_DERIVATIVE, "encoder_code", " " * 12):
        lines += [header]
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

    ``kernel(A, W, b, XT, codes, encoder_codes, scale, losses, gW, gb, gWe, gbe, G)``
    with ``A`` (m, N, S) the encoder outputs, ``W`` (m, M, N), ``b`` (m, M), ``XT``
    (M, S), ``codes`` and ``encoder_codes`` (m,) int64 (see :func:`activation_codes`)
    and ``scale`` = c, a float of the arrays' dtype, writes for every model ``i``:
    ``losses[i]`` (float64) the sum of squared residuals, ``gW[i]`` = D A^T,
    ``gb[i]`` = D 1, ``gWe[i]`` = E X^T and ``gbe[i]`` = E 1 (all overwritten;
    ``G`` (N, BLOCK) is scratch).
    """
    # float32 constants; numba promotes them in the float64 specialisation.
    namespace = {"np": np, "ZERO": _F32(0), "ONE": _ONE, "BLOCK": BLOCK,
                 "sigmoid": sigmoid, "tanh": tanh}
    exec(_source(n_synergies), namespace)  # noqa: S102 - source generated above, no user input
    return numba.njit(**_OPTIONS)(namespace["sweep"])
