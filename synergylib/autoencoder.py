r"""Autoencoders with one bottleneck layer as muscle-synergy extractors.

The network maps a sample of muscle activity :math:`x \in \mathbb{R}^{M}`
(``M`` muscles) to a bottleneck of :math:`N` units and back:

.. math::

    \hat x = f_\mathrm{dec}\!\left(W_d\, f_\mathrm{enc}(W_e x + b_e) + b_d\right),

with :math:`W_e \in \mathbb{R}^{N \times M}`, :math:`W_d \in \mathbb{R}^{M \times N}`
and :math:`f_\mathrm{enc}, f_\mathrm{dec} \in \{\text{linear}, \text{ReLU},
\text{sigmoid}, \tanh\}`: the 16 *pairings* of Brambilla et al. (2025). A pairing
is written ``"relu+tanh"`` (encoder ReLU, decoder tanh).

**Synergies and activations.** The synergies are the decoder weights
:math:`W_d` with unit-norm columns, and the activations are the encoder outputs
carrying the column norms :math:`s_k = \lVert W_{d,:k} \rVert_2`:

.. math::

    W = W_d\,\mathrm{diag}(s)^{-1}, \qquad
    h = \mathrm{diag}(s)\, f_\mathrm{enc}(W_e x + b_e), \qquad
    W h = W_d\, f_\mathrm{enc}(W_e x + b_e),

so :math:`\hat x = f_\mathrm{dec}(W h + b_d)` exactly. The decoder bias
:math:`b_d` is kept (``decoder_bias_``); no sign constraint is imposed on any
weight (the study asks what the activation choice alone does).

**Training.** Mean squared error, Adam, full batch (every epoch is one gradient
step on the whole matrix: the matrices are small, 4500 x 16, and full-batch
gradients make training deterministic and the convergence criterion clean), a
per-model step-decay learning-rate schedule and a plateau stopping rule
(see :class:`SynergyAutoencoder`), several random restarts of which the one with
the lowest final training loss is kept.

**Batched training.** All models of one participant (pairings x restarts) are
trained *together* as stacked tensors: the encoder pre-activations of all models
are one matrix product, the decoder is a batched matrix product, and the loss is
the *sum* of the models' mean squared errors, so every model receives exactly
the gradient it would receive alone; Adam being element-wise, batched training
equals separate training up to floating-point rounding (about 1e-7 relative in
float32: a matrix product may be blocked differently for different batch
sizes). Models are ordered by (encoder, decoder) so that each activation acts on
contiguous slices of the batch. Models that have converged are removed from the
batch (with their optimiser state), so their parameters stop changing and no
model's result depends on which other models it was trained with. Forward and
backward passes are written out by hand (:func:`_loss_and_gradients`, checked
against autograd in the tests): with per-slice activations autograd's slicing and
allocation made an epoch 2 to 4 times slower.

The cost of an epoch is the number of sweeps over the ``(models, M, S)`` arrays
(one per PyTorch operation), not cache misses. On CPU, everything after the
encoder's output (the decoder, the residual, the loss, both activation
derivatives and the four gradients) is therefore one compiled sweep over the whole
batch (:mod:`synergylib._kernels`, numba; checked against autograd and against
PyTorch's operations), in which the decoder's output is never written to memory.
In float32 that sweep computes sigmoid and tanh decoders with approximations
within a few rounding units of the exact functions (see :mod:`synergylib._kernels`).
``benchmarks/fused_kernel.py`` measures it. CUDA keeps PyTorch's operations. On
CPU the encoder's tanh is computed by NumPy (see :func:`_activate_`). Each model's
parameters are one row of a flat tensor, and Adam is written out on it (the update
of ``torch.optim.Adam``, same defaults), because each model needs its own learning
rate for the schedule.
:func:`train_plain_reference` is the plain one-model-at-a-time PyTorch loop
(``nn.Sequential`` + ``torch.optim.Adam``), the slow reference used by the tests
and the benchmark.

Training uses float32 by default (``dtype``), twice as fast as float64; its
rounding is far below the stopping tolerance. Fitted attributes are float64 and
inference (``transform``, ``inverse_transform``) runs in NumPy float64. The
library never changes torch's global state (thread count, default dtype, seeds):
initial weights come from NumPy generators.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from scipy.special import expit
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ._kernels import BLOCK, activation_codes, sweep_kernel
from ._random import restart_seeds
from ._validation import (
    ACTIVATIONS,
    SynergyInputError,
    check_activation,
    check_activation_matrix,
    check_emg_matrix,
    check_int,
    check_n_synergies,
    check_real,
)
from .metrics import r2_score

__all__ = [
    "PAIRINGS",
    "AutoencoderGrid",
    "SynergyAutoencoder",
    "activation_function",
    "decode",
    "fit_autoencoder_grid",
    "initial_parameters",
    "pairing_name",
    "parse_pairing",
    "train_plain",
    "train_plain_reference",
]

#: The 16 (encoder, decoder) pairings, encoder-major: ("linear", "linear"),
#: ("linear", "relu"), ..., ("tanh", "tanh").
PAIRINGS: tuple[tuple[str, str], ...] = tuple((e, d) for e in ACTIVATIONS for d in ACTIVATIONS)

#: Default training parameters (see :class:`SynergyAutoencoder` for their meaning).
DEFAULT_TRAINING: dict[str, Any] = {
    "max_epochs": 50000,
    "learning_rate": 1e-3,
    "lr_decay": 0.1,
    "n_lr_decays": 2,
    "tol": 1e-4,
    "patience": 100,
    "dtype": "float32",
}

_ADAM_BETAS = (0.9, 0.999)
_ADAM_EPS = 1e-8
_DTYPES = {"float32": torch.float32, "float64": torch.float64}


# --------------------------------------------------------------------------- #
# Names and validation
# --------------------------------------------------------------------------- #
def pairing_name(encoder: str, decoder: str) -> str:
    """Name of a pairing: ``pairing_name("relu", "tanh") == "relu+tanh"``."""
    return f"{check_activation(encoder, role='encoder')}+{check_activation(decoder, role='decoder')}"


def parse_pairing(pairing) -> tuple[str, str]:
    """Return ``(encoder, decoder)`` from ``("relu", "tanh")`` or ``"relu+tanh"``.

    Raises
    ------
    SynergyInputError
        If the pairing is malformed or names an unknown activation.
    """
    if isinstance(pairing, str):
        parts = pairing.split("+")
        if len(parts) != 2:
            raise SynergyInputError(
                f"A pairing name must look like 'relu+tanh' (encoder+decoder), got {pairing!r}."
            )
    elif isinstance(pairing, Sequence) and len(pairing) == 2:
        parts = list(pairing)
    else:
        raise SynergyInputError(
            f"A pairing must be an (encoder, decoder) pair or a name like 'relu+tanh', got {pairing!r}."
        )
    return check_activation(parts[0], role="encoder"), check_activation(parts[1], role="decoder")


def _check_pairings(pairings) -> tuple[tuple[str, str], ...]:
    if isinstance(pairings, (str, bytes)) or not isinstance(pairings, Sequence):
        raise SynergyInputError(
            f"pairings must be a sequence of (encoder, decoder) pairs, got {pairings!r}."
        )
    parsed = tuple(parse_pairing(p) for p in pairings)
    if not parsed:
        raise SynergyInputError("pairings is empty: give at least one (encoder, decoder) pair.")
    if len(set(parsed)) != len(parsed):
        raise SynergyInputError(f"pairings contains duplicates: {parsed!r}.")
    return parsed


def _check_training_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Fill defaults and validate the training parameters (``None`` = default)."""
    unknown = set(params) - set(DEFAULT_TRAINING)
    if unknown:
        raise SynergyInputError(
            f"Unknown training parameter(s) {sorted(unknown)}; accepted: {sorted(DEFAULT_TRAINING)}."
        )
    p = {k: (DEFAULT_TRAINING[k] if params.get(k) is None else params[k]) for k in DEFAULT_TRAINING}
    p["max_epochs"] = check_int(p["max_epochs"], "max_epochs", low=1)
    p["learning_rate"] = check_real(p["learning_rate"], "learning_rate", low=0.0, include_low=False)
    p["lr_decay"] = check_real(p["lr_decay"], "lr_decay", low=0.0, high=1.0, include_low=False)
    p["n_lr_decays"] = check_int(p["n_lr_decays"], "n_lr_decays", low=0)
    p["tol"] = check_real(p["tol"], "tol", low=0.0, high=1.0, include_high=False)
    p["patience"] = check_int(p["patience"], "patience", low=1)
    if p["dtype"] not in _DTYPES:
        raise SynergyInputError(f"dtype must be 'float32' or 'float64', got {p['dtype']!r}.")
    return p


#: Accepted range of max|X| for training, inclusive (see "Input scale" in
#: :class:`SynergyAutoencoder`).
_TRAINING_SCALE_RANGE: tuple[float, float] = (0.1, 3.0)


def _check_training_scale(X: np.ndarray, name: str = "X") -> None:
    """Refuse a training matrix far from unit scale, before any torch work.

    Used by :meth:`SynergyAutoencoder.fit` and :func:`fit_autoencoder_grid`.
    """
    peak = float(np.max(np.abs(X)))
    low, high = _TRAINING_SCALE_RANGE
    if peak == 0.0:
        raise SynergyInputError(
            f"{name} is all zeros: there is no muscle activity to factorise."
        )
    if not low <= peak <= high:
        raise SynergyInputError(
            f"{name} has a largest absolute value of {peak:.3g}, outside [{low:g}, {high:g}], "
            "the range the autoencoders are built for: max-normalised envelopes, with values "
            "in about [0, 1] (sigmoid and tanh decoders cannot output more than 1, and the "
            "learning rate and initial weights assume unit scale). Normalise the amplitudes "
            "first, dividing each muscle by its maximum, e.g. with "
            "synergylib.preprocessing.amplitude_normalise (it takes muscles x samples: "
            "X = amplitude_normalise(X.T)[0].T)."
        )


def _resolve_device(device) -> torch.device:
    """``"cpu"``, ``"cuda"`` (or ``"cuda:k"``), ``"auto"`` (CUDA if available) -> torch.device."""
    if isinstance(device, torch.device):
        device = str(device)
    if not isinstance(device, str):
        raise SynergyInputError(f"device must be 'cpu', 'cuda' or 'auto', got {device!r}.")
    name = device.lower()
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name == "cuda" or (name.startswith("cuda:") and name[5:].isdigit()):
        if not torch.cuda.is_available():
            raise SynergyInputError(
                f"device={device!r} was requested but CUDA is not available; use 'cpu' or 'auto'."
            )
        return torch.device(name)
    raise SynergyInputError(f"Unknown device {device!r}; choose 'cpu', 'cuda' or 'auto'.")


def _initial_parameters(seed: np.random.SeedSequence, n_muscles: int, n_synergies: int):
    """PyTorch's default ``nn.Linear`` initialisation, drawn from a numpy Generator.

    ``nn.Linear`` draws weights with Kaiming-uniform (a = sqrt(5)) and biases
    uniformly, both in :math:`[-1/\\sqrt{\\text{fan\\_in}}, 1/\\sqrt{\\text{fan\\_in}}]`.
    """
    rng = np.random.default_rng(seed)
    be_ = 1.0 / math.sqrt(n_muscles)
    bd_ = 1.0 / math.sqrt(n_synergies)
    W_e = rng.uniform(-be_, be_, size=(n_synergies, n_muscles))
    b_e = rng.uniform(-be_, be_, size=n_synergies)
    W_d = rng.uniform(-bd_, bd_, size=(n_muscles, n_synergies))
    b_d = rng.uniform(-bd_, bd_, size=n_muscles)
    return W_e, b_e, W_d, b_d


# --------------------------------------------------------------------------- #
# Activation functions (numpy for inference, torch in-place for training)
# --------------------------------------------------------------------------- #
_NUMPY_ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "sigmoid": expit,
    "tanh": np.tanh,
}


def activation_function(name: str):
    r"""The activation function ``name`` as a NumPy function.

    .. math::

        \mathrm{linear}(z) = z, \quad \mathrm{ReLU}(z) = \max(z, 0), \quad
        \sigma(z) = \frac{1}{1 + e^{-z}}, \quad \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}.

    Raises
    ------
    SynergyInputError
        If ``name`` is not one of ``linear``, ``relu``, ``sigmoid``, ``tanh``.

    Examples
    --------
    >>> activation_function("relu")(np.array([-1.0, 2.0]))
    array([0., 2.])
    """
    return _NUMPY_ACTIVATIONS[check_activation(name)]


def decode(activations, synergies, decoder_bias, decoder: str) -> np.ndarray:
    r"""The decoder's output: :math:`\hat X = f_\mathrm{dec}(H W^\top + \mathbf 1 b_d^\top)`.

    The one decoding function: :meth:`SynergyAutoencoder.inverse_transform` and
    the reconstructions rebuilt from stored results both call it.

    Parameters
    ----------
    activations : ndarray of shape (n_samples, N)
        :math:`H`, the synergy activations (encoder outputs scaled by the
        decoder column norms).
    synergies : ndarray of shape (n_muscles, N)
        :math:`W`, the unit-norm synergies (columns).
    decoder_bias : ndarray of shape (n_muscles,)
        :math:`b_d`.
    decoder : {"linear", "relu", "sigmoid", "tanh"}
        :math:`f_\mathrm{dec}`.

    Returns
    -------
    ndarray of shape (n_samples, n_muscles)
    """
    return activation_function(decoder)(activations @ np.asarray(synergies).T
                                        + np.asarray(decoder_bias))


def _activate_(z: torch.Tensor, name: str) -> None:
    """Apply an activation in place.

    On CPU, tanh goes through NumPy on the same memory (no copy): NumPy's SIMD
    ``tanh`` is several times faster than ``torch.tanh_`` on CPU (figures in
    ``benchmarks/README.md``) and just as accurate (a few ulp). In training ``z`` is a
    contiguous slice of a workspace buffer; CUDA tensors and strided views use
    ``torch.tanh_``.
    """
    if name == "relu":
        z.clamp_(min=0)
    elif name == "sigmoid":
        z.sigmoid_()
    elif name == "tanh":
        if z.device.type == "cpu" and z.is_contiguous():
            values = z.numpy()
            np.tanh(values, out=values)
        else:
            z.tanh_()


def _times_derivative_(g: torch.Tensor, y: torch.Tensor, name: str) -> None:
    """``g *= f'(z)`` in place, with the derivative written through ``y = f(z)``."""
    if name == "relu":
        torch.ops.aten.threshold_backward.grad_input(g, y, 0, grad_input=g)
    elif name == "sigmoid":
        torch.ops.aten.sigmoid_backward.grad_input(g, y, grad_input=g)
    elif name == "tanh":
        torch.ops.aten.tanh_backward.grad_input(g, y, grad_input=g)


def _runs(codes: np.ndarray) -> list[tuple[int, int, str]]:
    """Contiguous runs of equal activation codes -> (start, stop, name)."""
    out: list[tuple[int, int, str]] = []
    start = 0
    for i in range(1, len(codes) + 1):
        if i == len(codes) or codes[i] != codes[start]:
            out.append((start, i, ACTIVATIONS[int(codes[start])]))
            start = i
    return out


def _loss_and_gradients(XT, X, W_e, b_e, W_d, b_d, enc_runs, dec_runs, *,
                        gradients: bool = True, workspace: dict | None = None,
                        grad_out: Sequence[torch.Tensor] | None = None):
    r"""Per-model losses and their gradients for a batch of ``m`` autoencoders.

    Everything is computed in the *muscles x samples* layout, so that the long
    sample axis is the contiguous one of every matrix product.

    Parameters
    ----------
    XT, X : tensors (M, S) and (S, M)
        The data (both layouts, contiguous), shared by every model.
    W_e, b_e, W_d, b_d : tensors (m, N, M), (m, N), (m, M, N), (m, M)
        Stacked parameters.
    enc_runs, dec_runs : list of (start, stop, name)
        Contiguous slices of the batch that share an encoder / decoder activation.
    workspace : dict of tensors, optional
        Preallocated buffers (see :func:`_workspace`); reusing them avoids page
        faults on every epoch.
    grad_out : 4 tensors, optional
        Where to write the gradients (shaped like the parameters, possibly strided
        views); they are then the tensors returned.

    Returns
    -------
    losses : tensor (m,)
        :math:`L_i = \frac{1}{SM} \sum_{t,j} (\hat x^{(i)}_{tj} - x_{tj})^2`.
    grads : tuple of 4 tensors or None
        :math:`\partial L_i / \partial \theta_i` for the four parameter tensors
        (each model's own gradient; the models do not interact).
    """
    M, S = XT.shape
    m, N = b_e.shape
    use_kernel = XT.device.type == "cpu" and _USE_KERNEL
    if workspace is None:
        workspace = _workspace(m, N, M, S, XT.dtype, XT.device, use_kernel=use_kernel)
    A = workspace["A"][:m]
    # Encoder: ONE matrix product for every model, (m*N, M) @ (M, S).
    torch.addmm(b_e.reshape(m * N, 1), W_e.reshape(m * N, M), XT, out=A.view(m * N, S))
    for a, b, name in enc_runs:
        _activate_(A[a:b], name)
    scale = 2.0 / (S * M)
    if use_kernel:
        # The rest of the pass, decoder included, is one compiled sweep
        # (synergylib._kernels), which computes the losses too, so that every
        # evaluation computes the loss the same way.
        An = A.detach().numpy()
        sums = np.empty(m)
        if grad_out is None:
            grad_out = [torch.empty(t.shape, dtype=A.dtype) for t in (W_e, b_e, W_d, b_d)]
        g_W_e, g_b_e, g_W_d, g_b_d = grad_out
        sweep_kernel(N)(An, W_d.detach().numpy(), b_d.detach().numpy(), XT.detach().numpy(),
                        _codes(tuple(dec_runs), m), _codes(tuple(enc_runs), m),
                        An.dtype.type(scale), sums,
                        *(g.numpy() for g in (g_W_d, g_b_d, g_W_e, g_b_e)),
                        workspace["G"].numpy())
        losses = torch.from_numpy(sums / (S * M))
        if not gradients:
            return losses, None
        return losses, (g_W_e, g_b_e, g_W_d.mul_(scale), g_b_d.mul_(scale))
    # Decoder: batched product, (m, M, N) @ (m, N, S) -> (m, M, S).
    Y, R, G = workspace["Y"][:m], workspace["R"][:m], workspace["G"][:m]
    torch.baddbmm(b_d.unsqueeze(2), W_d, A, out=Y)
    for a, b, name in dec_runs:
        _activate_(Y[a:b], name)
    torch.sub(Y, XT, out=R)
    flat = R.view(m, 1, M * S)
    losses = torch.bmm(flat, flat.transpose(1, 2)).view(m) / (S * M)
    if not gradients:
        return losses, None
    # Backward: dL_i/dP = (2 / SM) (Y - X) f_dec'(P), written into R (scale applied later).
    for a, b, name in dec_runs:
        _times_derivative_(R[a:b], Y[a:b], name)
    # (A R^T)^T rather than R A^T: the same product, with the long sample axis as the
    # contiguous reduction axis of both operands (1.6 times faster on CPU).
    g_W_d = torch.bmm(A, R.transpose(1, 2)).transpose(1, 2).mul_(scale)
    g_b_d = R.sum(dim=2).mul_(scale)
    torch.bmm((W_d * scale).transpose(1, 2), R, out=G)  # dL/dA, (m, N, S)
    for a, b, name in enc_runs:
        _times_derivative_(G[a:b], A[a:b], name)
    g_W_e = torch.mm(G.view(m * N, S), X).view(m, N, M)
    g_b_e = G.sum(dim=2)
    grads = (g_W_e, g_b_e, g_W_d, g_b_d)
    if grad_out is None:
        return losses, grads
    for out, g in zip(grad_out, grads):
        out.copy_(g)
    return losses, tuple(grad_out)


#: activation_codes, remembered for the few batch compositions of a training run.
_codes = functools.lru_cache(maxsize=256)(activation_codes)


def _workspace(m: int, N: int, M: int, S: int, dtype, device, *, use_kernel: bool) -> dict:
    """Buffers reused by :func:`_loss_and_gradients` for batches of up to ``m`` models.

    The compiled sweep needs the encoder outputs ``A`` and one block of scratch
    ``G``; PyTorch's operations need ``A``, ``G``, ``Y`` and ``R`` for every model.
    """
    if use_kernel:
        return {"A": torch.empty((m, N, S), dtype=dtype, device=device),
                "G": torch.empty((N, BLOCK), dtype=dtype, device=device)}
    return {
        "A": torch.empty((m, N, S), dtype=dtype, device=device),
        "G": torch.empty((m, N, S), dtype=dtype, device=device),
        "Y": torch.empty((m, M, S), dtype=dtype, device=device),
        "R": torch.empty((m, M, S), dtype=dtype, device=device),
    }


def _chunks(enc_code: np.ndarray, dec_code: np.ndarray, size: int):
    """Split the batch into chunks of ``size`` models with their activation runs."""
    out = []
    for a in range(0, len(enc_code), size):
        b = min(a + size, len(enc_code))
        out.append((a, b, tuple(_runs(enc_code[a:b])), tuple(_runs(dec_code[a:b]))))
    return out


def _unflatten(flat, N: int, M: int):
    """Views ``W_e`` (m, N, M), ``b_e`` (m, N), ``W_d`` (m, M, N), ``b_d`` (m, M) of the
    rows of a flat (m, 2NM + N + M) parameter array or tensor."""
    m = flat.shape[0]
    a, b, c = N * M, N * M + N, 2 * N * M + N
    return (flat[:, :a].reshape(m, N, M), flat[:, a:b], flat[:, b:c].reshape(m, M, N),
            flat[:, c:])


def _batch_loss_and_gradients(XT, X, views, grad_views, chunks, workspace, *,
                              gradients: bool):
    """:func:`_loss_and_gradients` over the chunks of a batch: the losses (m,), with
    the gradients written into ``grad_views`` (the four parameter views of the
    batch's flat gradient) when ``gradients``. ``views``: the parameters' views."""
    losses = []
    for a, b, er, dr in chunks:
        whole = a == 0 and b == views[1].shape[0]
        loss, _ = _loss_and_gradients(
            XT, X, *(views if whole else (v[a:b] for v in views)), er, dr,
            gradients=gradients, workspace=workspace,
            grad_out=grad_views if whole else tuple(g[a:b] for g in grad_views))
        losses.append(loss)
    return losses[0] if len(losses) == 1 else torch.cat(losses)


#: On CPU, everything after the encoder's output is the compiled sweep of
#: :mod:`synergylib._kernels`, over the whole batch in one call (False:
#: PyTorch's operations, as on CUDA; the tests compare the two).
_USE_KERNEL = True

#: Models per chunk for PyTorch's operations on CPU: a chunk's buffers (about
#: 16 x 16 x 4500 floats) stay in cache, which makes an epoch about 1.5 times
#: faster than the whole batch at once. The compiled sweep and CUDA take the
#: whole batch as one chunk. Results do not depend on it.
_CPU_CHUNK = 16


# --------------------------------------------------------------------------- #
# The batched trainer
# --------------------------------------------------------------------------- #
@dataclass
class _TrainingResult:
    """Everything the batched trainer returns, indexed by model (pairing-major)."""

    encoder_weights: np.ndarray  # (n_models, N, M)
    encoder_bias: np.ndarray  # (n_models, N)
    decoder_weights: np.ndarray  # (n_models, M, N)
    decoder_bias: np.ndarray  # (n_models, M)
    final_loss: np.ndarray  # (n_models,)
    history: np.ndarray  # (n_models, n_evaluations), NaN after a model froze
    n_epochs: np.ndarray  # (n_models,) parameter updates made
    converged: np.ndarray  # (n_models,) bool


def _train_batched(
    X: np.ndarray,
    n_synergies: int,
    pairings: Sequence[tuple[str, str]],
    n_restarts: int,
    *,
    random_state,
    device: torch.device,
    params: Mapping[str, Any],
    progress: bool = False,
) -> _TrainingResult:
    """Train ``len(pairings) * n_restarts`` autoencoders together (see module doc).

    Model ``k = p * n_restarts + r`` is pairing ``p``, restart ``r``. Inputs are
    assumed validated.
    """
    dtype = _DTYPES[params["dtype"]]
    S, M = X.shape
    N = n_synergies
    P, R = len(pairings), n_restarts
    n_models = P * R
    seeds = restart_seeds(random_state, R)
    inits = [_initial_parameters(seed, M, N) for seed in seeds]
    code = {name: i for i, name in enumerate(ACTIVATIONS)}
    enc_code = np.repeat([code[e] for e, _ in pairings], R)
    dec_code = np.repeat([code[d] for _, d in pairings], R)
    # Batch order: sorted by (encoder, decoder) so that activations act on slices.
    order = np.lexsort((np.arange(n_models), dec_code, enc_code))

    # All parameters of a model in one row (W_e, b_e, W_d, b_d flattened), so that
    # Adam and the bookkeeping are a few operations per epoch on one tensor.
    flat = np.stack([np.concatenate([p.ravel() for p in inits[k % R]]) for k in order])
    theta = torch.as_tensor(flat, dtype=dtype, device=device)  # rows: the active models
    best = theta.clone()
    exp_avg = torch.zeros_like(theta)
    exp_avg_sq = torch.zeros_like(theta)
    Xt = torch.as_tensor(X, dtype=dtype, device=device)
    XT = Xt.T.contiguous()
    use_kernel = device.type == "cpu" and _USE_KERNEL
    chunk = _CPU_CHUNK if device.type == "cpu" and not use_kernel else n_models
    workspace = _workspace(min(chunk, n_models), N, M, S, dtype, device, use_kernel=use_kernel)

    lr0, decay = params["learning_rate"], params["lr_decay"]
    tol, patience, max_epochs = params["tol"], params["patience"], params["max_epochs"]
    n_decays = params["n_lr_decays"]
    beta1, beta2 = _ADAM_BETAS

    active = order.copy()  # model index of each batch row
    lr = np.full(n_models, lr0)
    decays_done = np.zeros(n_models, dtype=int)
    ref_loss = np.full(n_models, np.inf)  # last loss counted as an improvement
    wait = np.zeros(n_models, dtype=int)  # evaluations since that improvement
    best_loss = np.full(n_models, np.inf)
    history = np.full((n_models, max_epochs + 1), np.nan)
    n_epochs = np.zeros(n_models, dtype=int)
    converged = np.zeros(n_models, dtype=bool)
    out = np.zeros(theta.shape, dtype=np.float64)
    lr_t = torch.as_tensor(lr[active], dtype=dtype, device=device)
    chunks = _chunks(enc_code[active], dec_code[active], chunk)
    grads = torch.empty_like(theta)  # written by each pass, then read by Adam
    views, grad_views = _unflatten(theta, N, M), _unflatten(grads, N, M)

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=max_epochs, desc="autoencoders", unit="epoch")
    last_evaluation = 0
    with torch.no_grad():
        for t in range(max_epochs + 1):
            last_evaluation = t
            losses_t = _batch_loss_and_gradients(XT, Xt, views, grad_views, chunks, workspace,
                                                 gradients=t < max_epochs)
            losses = losses_t.double().cpu().numpy()
            history[active, t] = losses
            # Keep the parameters of each model's lowest loss so far.
            improved_best = losses < best_loss[active]
            if improved_best.any():
                best_loss[active] = np.where(improved_best, losses, best_loss[active])
                mask = torch.as_tensor(improved_best, device=device).view(-1, 1)
                best = torch.where(mask, theta, best)
            # Plateau rule: decay the learning rate, then freeze.
            significant = losses < ref_loss[active] * (1.0 - tol)
            ref_loss[active] = np.where(significant, losses, ref_loss[active])
            wait[active] = np.where(significant, 0, wait[active] + 1)
            stalled = wait[active] >= patience
            lr_changed = False
            done = np.zeros(len(active), dtype=bool)
            for row in np.flatnonzero(stalled):
                k = active[row]
                if decays_done[k] < n_decays:
                    decays_done[k] += 1
                    lr[k] *= decay
                    wait[k] = 0
                    lr_changed = True
                else:
                    converged[k] = True
                    done[row] = True
            if t == max_epochs:
                done[:] = True
            if done.any():  # freeze: store best parameters, drop from the batch
                rows = np.flatnonzero(done)
                n_epochs[active[rows]] = t
                rows_t = torch.as_tensor(rows, device=device)
                out[active[rows]] = best.index_select(0, rows_t).double().cpu().numpy()
                keep = np.flatnonzero(~done)
                if keep.size == 0:
                    break
                keep_t = torch.as_tensor(keep, device=device)
                theta, best, exp_avg, exp_avg_sq, grads = (
                    x.index_select(0, keep_t) for x in (theta, best, exp_avg, exp_avg_sq, grads))
                views, grad_views = _unflatten(theta, N, M), _unflatten(grads, N, M)
                active = active[keep]
                chunks = _chunks(enc_code[active], dec_code[active], chunk)
                lr_changed = True
            if lr_changed:
                lr_t = torch.as_tensor(lr[active], dtype=dtype, device=device)
            # Adam (the update of torch.optim.Adam, with one learning rate per model).
            # Every active model has made exactly t updates, so the bias
            # corrections are shared.
            step = t + 1
            bias1 = 1.0 - beta1**step
            bias2_sqrt = math.sqrt(1.0 - beta2**step)
            step_size = -(lr_t / bias1).view(-1, 1)
            exp_avg.lerp_(grads, 1.0 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(grads, grads, value=1.0 - beta2)
            denom = (exp_avg_sq.sqrt() / bias2_sqrt).add_(_ADAM_EPS)
            theta.add_(exp_avg * step_size / denom)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(active=len(active), refresh=False)
    if bar is not None:
        bar.close()
    W_e, b_e, W_d, b_d = _unflatten(out, N, M)
    return _TrainingResult(
        encoder_weights=W_e.copy(),
        encoder_bias=b_e.copy(),
        decoder_weights=W_d.copy(),
        decoder_bias=b_d.copy(),
        final_loss=best_loss,
        history=history[:, : last_evaluation + 1],
        n_epochs=n_epochs,
        converged=converged,
    )


def train_plain_reference(
    X,
    n_synergies: int,
    encoder: str = "relu",
    decoder: str = "tanh",
    *,
    n_epochs: int = 1000,
    learning_rate: float = 1e-3,
    restart: int = 0,
    random_state: int = 0,
    dtype: str = "float32",
):
    """The slow reference: one ``nn.Sequential`` trained with ``torch.optim.Adam``.

    Same initialisation as restart ``restart`` of :func:`fit_autoencoder_grid`
    with the same ``random_state``, constant learning rate, ``n_epochs`` full-batch
    steps, no stopping rule. Used by the tests (batched training must agree with
    it) and by the speed benchmark; not meant for analyses.

    Returns
    -------
    model : torch.nn.Sequential
        The trained network (``Linear, act, Linear, act``; identity for linear).
    losses : numpy.ndarray of shape (n_epochs + 1,)
        The loss before each step and after the last one.
    """
    X = check_emg_matrix(X, min_samples=2)
    n_synergies = check_n_synergies(n_synergies, X.shape[1], X.shape[0])
    encoder = check_activation(encoder, role="encoder")
    decoder = check_activation(decoder, role="decoder")
    if dtype not in _DTYPES:
        raise SynergyInputError(f"dtype must be 'float32' or 'float64', got {dtype!r}.")
    tdtype = _DTYPES[dtype]
    layers = {"linear": torch.nn.Identity, "relu": torch.nn.ReLU,
              "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh}
    M = X.shape[1]
    enc_lin = torch.nn.Linear(M, n_synergies, dtype=tdtype)
    dec_lin = torch.nn.Linear(n_synergies, M, dtype=tdtype)
    W_e, b_e, W_d, b_d = initial_parameters(M, n_synergies, random_state=random_state,
                                            restart=restart)
    with torch.no_grad():
        for p, v in ((enc_lin.weight, W_e), (enc_lin.bias, b_e), (dec_lin.weight, W_d), (dec_lin.bias, b_d)):
            p.copy_(torch.as_tensor(v, dtype=tdtype))
    model = torch.nn.Sequential(enc_lin, layers[encoder](), dec_lin, layers[decoder]())
    losses = train_plain(model, X, n_epochs=n_epochs, learning_rate=learning_rate)
    return model, losses


def initial_parameters(n_muscles: int, n_synergies: int, *, random_state=0,
                       restart: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""The initial weights of restart ``restart``: ``(W_e, b_e, W_d, b_d)``.

    What :func:`fit_autoencoder_grid` and :class:`SynergyAutoencoder` start restart
    ``restart`` from with this ``random_state`` (PyTorch's default ``nn.Linear``
    initialisation, drawn from NumPy): copy them into a network of your own to
    train it from the same point.

    Returns
    -------
    W_e : ndarray of shape (n_synergies, n_muscles)
    b_e : ndarray of shape (n_synergies,)
    W_d : ndarray of shape (n_muscles, n_synergies)
    b_d : ndarray of shape (n_muscles,)
    """
    n_muscles = check_int(n_muscles, "n_muscles", low=1)
    n_synergies = check_n_synergies(n_synergies, n_muscles)
    restart = check_int(restart, "restart", low=0)
    return _initial_parameters(restart_seeds(random_state, restart + 1)[restart],
                               n_muscles, n_synergies)


def train_plain(model: torch.nn.Module, X, *, n_epochs: int = 1000,
                learning_rate: float = 1e-3) -> np.ndarray:
    r"""Train any PyTorch network to reproduce ``X``: the textbook loop.

    Full-batch :class:`torch.optim.Adam` at a constant ``learning_rate`` on
    :math:`L = \frac{1}{SM}\lVert \mathrm{model}(X) - X\rVert_F^2`, ``n_epochs``
    steps, no stopping rule: what the batched trainer does for many networks at
    once, written for one (:func:`train_plain_reference` uses it, and the tests
    check that the batched trainer agrees).

    Parameters
    ----------
    model : torch.nn.Module
        Maps a ``(n_samples, n_muscles)`` tensor to one of the same shape; its
        parameters are trained in place, in their own dtype.
    X : array-like of shape (n_samples, n_muscles)
    n_epochs : int, default 1000
    learning_rate : float, default 1e-3

    Returns
    -------
    losses : ndarray of shape (n_epochs + 1,)
        The loss before each step and after the last one.
    """
    if not isinstance(model, torch.nn.Module):
        raise SynergyInputError(f"model must be a torch.nn.Module, got {type(model).__name__}.")
    X = check_emg_matrix(X, min_samples=2)
    n_epochs = check_int(n_epochs, "n_epochs", low=0)
    learning_rate = check_real(learning_rate, "learning_rate", low=0, include_low=False)
    parameters = list(model.parameters())
    if not parameters:
        raise SynergyInputError("model has no parameters to train.")
    Xt = torch.as_tensor(X, dtype=parameters[0].dtype)
    opt = torch.optim.Adam(parameters, lr=learning_rate)
    losses = np.empty(n_epochs + 1)
    for epoch in range(n_epochs + 1):
        opt.zero_grad()
        output = model(Xt)
        if output.shape != Xt.shape:
            raise SynergyInputError(
                f"model maps X of shape {tuple(Xt.shape)} to shape {tuple(output.shape)}; "
                "an autoencoder must return the shape it is given.")
        loss = torch.nn.functional.mse_loss(output, Xt)
        losses[epoch] = loss.item()
        if epoch == n_epochs:
            break
        loss.backward()
        opt.step()
    return losses


# --------------------------------------------------------------------------- #
# The estimator
# --------------------------------------------------------------------------- #
class SynergyAutoencoder(TransformerMixin, BaseEstimator):
    r"""Muscle synergies from a one-bottleneck-layer autoencoder.

    .. math::

        \hat x = f_\mathrm{dec}\!\left(W_d\, f_\mathrm{enc}(W_e x + b_e) + b_d\right)

    Parameters
    ----------
    n_synergies : int, default 4
        Bottleneck size :math:`N` (``1 <= N <= n_muscles``).
    encoder, decoder : {"linear", "relu", "sigmoid", "tanh"}
        Activation functions :math:`f_\mathrm{enc}` and :math:`f_\mathrm{dec}`.
    n_restarts : int, default 10
        Random initialisations; the one with the lowest final training loss is kept.
    max_epochs : int, default 50000
        Upper bound on full-batch Adam steps per restart.
    learning_rate : float, default 1e-3
        Initial Adam learning rate :math:`\eta_0` (betas 0.9, 0.999, eps 1e-8),
        multiplied by ``lr_decay`` at each plateau. The default lets the stopping
        rule end where long training at a constant rate ends; a larger rate needs
        fewer epochs but changes which minimum the kept restart ends in (pairings
        with a ReLU decoder). Measurements: ``benchmarks/README.md``.
    lr_decay : float, default 0.1
        Factor applied to a model's learning rate when its loss stalls.
    n_lr_decays : int, default 2
        How many times the learning rate is decayed before a stall means
        convergence (defaults: 1e-3, 1e-4, 1e-5).
    tol : float, default 1e-4
        Relative improvement that counts as progress.
    patience : int, default 100
        Epochs without progress that make a stall.
    dtype : {"float32", "float64"}, default "float32"
        Floating-point type of training (float32 is twice as fast and its
        rounding, about 1e-7 relative, is far below ``tol``). Fitted attributes
        are always float64.
    random_state : int, numpy Generator/RandomState or None
        Seed of the initialisations. Restart ``r`` is seeded from
        ``(random_state, r)`` only, so it starts from the same weights whatever
        the pairing (and in :func:`fit_autoencoder_grid`).
    device : {"cpu", "cuda", "auto"}, default "cpu"
        Where to train (``"auto"``: CUDA if available).

    Notes
    -----
    **Loss and optimiser.** :math:`L(\theta) = \frac{1}{SM}\lVert \hat X - X\rVert_F^2`
    on the whole training matrix (full batch: one Adam step per epoch).

    **Stopping rule.** Let :math:`L_t` be the loss after :math:`t` updates and
    :math:`L^\star` the last loss that counted as progress, i.e. satisfied

    .. math::

        L_t < (1 - \mathrm{tol})\, L^\star .

    When ``patience`` consecutive epochs bring no progress, the learning rate is
    multiplied by ``lr_decay`` (and :math:`L^\star` kept); once it has been
    decayed ``n_lr_decays`` times, the next such stall means *converged*: the
    model is frozen with the parameters of its lowest loss
    :math:`\min_t L_t` and removed from training. A model that reaches
    ``max_epochs`` first is kept as it is, with ``converged_ = False``.

    **Input scale.** The networks are built for max-normalised envelopes (each
    muscle divided by its maximum,
    :func:`synergylib.preprocessing.amplitude_normalise`): sigmoid and tanh
    decoders cannot output more than 1, and the learning rate and initial weights
    assume unit scale. ``fit`` and :func:`fit_autoencoder_grid` therefore refuse,
    before any training, a matrix that is all zeros or whose largest absolute
    value is outside [0.1, 3]: beyond it the training :math:`R^2` of a rescaled
    participant falls or training stops converging within ``max_epochs``, while
    the project's matrices lie well inside (measurements:
    ``benchmarks/README.md``). ``transform`` and ``score`` do
    not check the scale: held-out data divided by the training maxima has no
    natural bound (a muscle nearly silent in training), inference is float64
    NumPy, and a wrong scale there shows as a low score, not a wrongly trained
    model.

    Attributes
    ----------
    synergies_ : ndarray (n_muscles, n_synergies)
        :math:`W`, the decoder weights with unit-norm columns.
    synergy_scale_ : ndarray (n_synergies,)
        Column norms :math:`s` of the decoder weights (moved into the activations).
    encoder_weights_ : ndarray (n_synergies, n_muscles)
    encoder_bias_ : ndarray (n_synergies,)
    decoder_bias_ : ndarray (n_muscles,)
    loss_history_ : ndarray (n_epochs_ + 1,)
        Training loss of the kept restart after 0, 1, ... updates.
    restart_losses_ : ndarray (n_restarts,)
        Final (lowest) training loss of every restart.
    best_restart_ : int
    n_epochs_ : int
        Updates made by the kept restart.
    converged_ : bool
        Whether the kept restart met the stopping rule before ``max_epochs``.
    r2_ : float
        Centred :math:`R^2` of the training reconstruction.
    n_features_in_ : int
    """

    def __init__(
        self,
        n_synergies: int = 4,
        *,
        encoder: str = "relu",
        decoder: str = "tanh",
        n_restarts: int = 10,
        max_epochs: int = DEFAULT_TRAINING["max_epochs"],
        learning_rate: float = DEFAULT_TRAINING["learning_rate"],
        lr_decay: float = DEFAULT_TRAINING["lr_decay"],
        n_lr_decays: int = DEFAULT_TRAINING["n_lr_decays"],
        tol: float = DEFAULT_TRAINING["tol"],
        patience: int = DEFAULT_TRAINING["patience"],
        dtype: str = DEFAULT_TRAINING["dtype"],
        random_state=None,
        device: str = "cpu",
    ):
        self.n_synergies = n_synergies
        self.encoder = encoder
        self.decoder = decoder
        self.n_restarts = n_restarts
        self.max_epochs = max_epochs
        self.learning_rate = learning_rate
        self.lr_decay = lr_decay
        self.n_lr_decays = n_lr_decays
        self.tol = tol
        self.patience = patience
        self.dtype = dtype
        self.random_state = random_state
        self.device = device

    # -- helpers ----------------------------------------------------------- #
    def _training_params(self) -> dict[str, Any]:
        return _check_training_params({k: getattr(self, k) for k in DEFAULT_TRAINING})

    def _check_X(self, X, *, reset: bool) -> np.ndarray:
        X_checked = check_emg_matrix(X, name="X", min_samples=1 if not reset else 2)
        # Feature-count and feature-name bookkeeping the scikit-learn way.
        validate_data(self, X, reset=reset, skip_check_array=True)
        return X_checked

    def _set_fitted(self, result: _TrainingResult, rows: np.ndarray, X: np.ndarray) -> None:
        """Set the fitted attributes from the restarts ``rows`` of a training result."""
        losses = result.final_loss[rows]
        best = int(np.argmin(losses))
        k = int(rows[best])
        self._set_weights(result.encoder_weights[k], result.encoder_bias[k],
                          result.decoder_weights[k], result.decoder_bias[k])
        self.n_epochs_ = int(result.n_epochs[k])
        self.loss_history_ = result.history[k, : self.n_epochs_ + 1].copy()
        self.restart_losses_ = losses.copy()
        self.best_restart_ = best
        self.converged_ = bool(result.converged[k])
        self.n_features_in_ = X.shape[1]
        self.r2_ = float(r2_score(X, self._decode(self._encode(X))))

    def _set_weights(self, W_e, b_e, W_d, b_d) -> None:
        """The network's parameters as fitted attributes (float64; synergies with unit norm)."""
        W_d = np.array(W_d, dtype=np.float64)
        scale = np.linalg.norm(W_d, axis=0)
        safe = np.where(scale > 0, scale, 1.0)
        self.synergies_ = W_d / safe
        self.synergy_scale_ = scale
        self.encoder_weights_ = np.array(W_e, dtype=np.float64)
        self.encoder_bias_ = np.array(b_e, dtype=np.float64)
        self.decoder_bias_ = np.array(b_d, dtype=np.float64)

    @classmethod
    def from_weights(cls, encoder_weights, encoder_bias, decoder_weights, decoder_bias, *,
                     encoder: str, decoder: str, **params) -> SynergyAutoencoder:
        r"""A fitted model from stored parameters :math:`W_e, b_e, W_d, b_d`.

        Used to rebuild the models of a stored result
        (:class:`synergylib.study.ParticipantResult`): ``transform`` and
        ``reconstruct`` then give exactly what the model gave after training. The
        training attributes (``loss_history_``, ``restart_losses_``, ``r2_``, ...)
        are not set.

        Parameters
        ----------
        encoder_weights : array-like (N, n_muscles)
        encoder_bias : array-like (N,)
        decoder_weights : array-like (n_muscles, N)
            Raw decoder weights (column norms :math:`s` not yet moved into the
            activations).
        decoder_bias : array-like (n_muscles,)
        encoder, decoder : str
            The activations.
        **params
            Other constructor parameters, recorded as they are.

        Examples
        --------
        >>> import numpy as np
        >>> ae = SynergyAutoencoder.from_weights(np.eye(2), np.zeros(2), 2 * np.eye(2), np.zeros(2),
        ...                                      encoder="linear", decoder="linear")
        >>> ae.transform(np.array([[1.0, 0.5]]))
        array([[2., 1.]])
        """
        W_e = np.asarray(encoder_weights)
        W_d = np.asarray(decoder_weights)
        if W_e.ndim != 2 or W_d.shape != W_e.shape[::-1]:
            raise SynergyInputError(
                f"encoder_weights must be (N, n_muscles) and decoder_weights (n_muscles, N); "
                f"got {W_e.shape} and {W_d.shape}."
            )
        model = cls(W_e.shape[0], encoder=encoder, decoder=decoder, **params)
        check_activation(encoder, role="encoder")
        check_activation(decoder, role="decoder")
        model._set_weights(W_e, encoder_bias, W_d, decoder_bias)
        model.n_features_in_ = W_e.shape[1]
        return model

    def _encode(self, X: np.ndarray) -> np.ndarray:
        f = _NUMPY_ACTIVATIONS[check_activation(self.encoder, role="encoder")]
        return f(X @ self.encoder_weights_.T + self.encoder_bias_) * self.synergy_scale_

    def _decode(self, H: np.ndarray) -> np.ndarray:
        check_activation(self.decoder, role="decoder")
        return decode(H, self.synergies_, self.decoder_bias_, self.decoder)

    # -- API --------------------------------------------------------------- #
    def fit(self, X, y=None):
        """Train ``n_restarts`` autoencoders on ``X`` (n_samples, n_muscles); keep the best.

        ``X`` must be max-normalised envelopes: its largest absolute value must lie
        in [0.1, 3] (see "Input scale" in the class Notes).

        Raises
        ------
        SynergyInputError
            If ``X`` is all zeros or its largest absolute value is outside
            [0.1, 3] (for example envelopes in microvolts); divide each muscle by
            its maximum (:func:`synergylib.preprocessing.amplitude_normalise`).
        """
        X = self._check_X(X, reset=True)
        n_syn = check_n_synergies(self.n_synergies, X.shape[1], X.shape[0])
        pairing = (check_activation(self.encoder, role="encoder"),
                   check_activation(self.decoder, role="decoder"))
        n_restarts = check_int(self.n_restarts, "n_restarts", low=1)
        params = self._training_params()
        device = _resolve_device(self.device)
        _check_training_scale(X)  # fit only: held-out data may exceed the training range
        result = _train_batched(X, n_syn, [pairing], n_restarts, random_state=self.random_state,
                                device=device, params=params)
        self._set_fitted(result, np.arange(n_restarts), X)
        return self

    def transform(self, X) -> np.ndarray:
        r"""Activations :math:`h = \mathrm{diag}(s) f_\mathrm{enc}(W_e x + b_e)`, (n_samples, N)."""
        check_is_fitted(self)
        return self._encode(self._check_X(X, reset=False))

    def inverse_transform(self, H) -> np.ndarray:
        r"""Reconstruction :math:`f_\mathrm{dec}(H W^\top + b_d)`, (n_samples, n_muscles)."""
        check_is_fitted(self)
        H = check_activation_matrix(H, self.synergies_.shape[1])
        return self._decode(H)

    def reconstruct(self, X) -> np.ndarray:
        """``inverse_transform(transform(X))``: the network's output."""
        return self._decode(self.transform(X))

    def score(self, X, y=None) -> float:
        """Centred :math:`R^2` of the reconstruction of ``X`` (see :func:`synergylib.metrics.r2_score`)."""
        X = self._check_X(X, reset=False) if hasattr(self, "synergies_") else X
        return float(r2_score(X, self.reconstruct(X)))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags


# --------------------------------------------------------------------------- #
# All pairings of one participant, trained together
# --------------------------------------------------------------------------- #
class AutoencoderGrid(Mapping):
    """Fitted autoencoders of every pairing for one data matrix.

    A read-only mapping: ``grid[("relu", "tanh")]`` or ``grid["relu+tanh"]`` is a
    fitted :class:`SynergyAutoencoder` (the best restart of that pairing).

    Attributes
    ----------
    pairings : tuple of (encoder, decoder)
        In the order given to :func:`fit_autoencoder_grid`; rows of the arrays below.
    names : tuple of str
        ``"encoder+decoder"`` names, same order.
    restart_losses : ndarray (n_pairings, n_restarts)
        Final (lowest) training loss of every restart.
    loss_histories : ndarray (n_pairings, n_restarts, n_evaluations)
        Loss after 0, 1, ... updates; NaN once a model has been frozen.
    n_epochs : ndarray (n_pairings, n_restarts) of int
    converged : ndarray (n_pairings, n_restarts) of bool
    best_restart : ndarray (n_pairings,) of int
    encoder_weights : ndarray (n_pairings, n_restarts, N, n_muscles)
    encoder_bias : ndarray (n_pairings, n_restarts, N)
    decoder_weights : ndarray (n_pairings, n_restarts, n_muscles, N)
    decoder_bias : ndarray (n_pairings, n_restarts, n_muscles)
        The trained parameters of every restart (in the training ``dtype``), from
        which :meth:`SynergyAutoencoder.from_weights` rebuilds any of them.
    """

    def __init__(self, models, *, restart_losses, loss_histories, n_epochs, converged,
                 encoder_weights=None, encoder_bias=None, decoder_weights=None, decoder_bias=None):
        self._models = dict(models)
        self.pairings = tuple(self._models)
        self.names = tuple(pairing_name(e, d) for e, d in self.pairings)
        self.restart_losses = restart_losses
        self.loss_histories = loss_histories
        self.n_epochs = n_epochs
        self.converged = converged
        self.best_restart = np.argmin(restart_losses, axis=1)
        self.encoder_weights = encoder_weights
        self.encoder_bias = encoder_bias
        self.decoder_weights = decoder_weights
        self.decoder_bias = decoder_bias

    def __getitem__(self, key) -> SynergyAutoencoder:
        pairing = parse_pairing(key)
        if pairing not in self._models:
            raise KeyError(f"Pairing {pairing_name(*pairing)!r} was not trained in this grid.")
        return self._models[pairing]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.pairings)

    def __len__(self) -> int:
        return len(self.pairings)

    def __contains__(self, key) -> bool:
        try:
            return parse_pairing(key) in self._models
        except SynergyInputError:
            return False

    def __repr__(self) -> str:
        return f"AutoencoderGrid({len(self)} pairings x {self.restart_losses.shape[1]} restarts)"


def fit_autoencoder_grid(
    X,
    n_synergies: int,
    *,
    pairings=PAIRINGS,
    n_restarts: int = 10,
    random_state=None,
    device: str = "cpu",
    progress: bool = False,
    **training_params,
) -> AutoencoderGrid:
    """Train every pairing x restart on ``X`` together; keep each pairing's best restart.

    Parameters
    ----------
    X : array-like (n_samples, n_muscles)
        Training matrix (max-normalised envelopes; no scaling is applied here).
        Its largest absolute value must lie in [0.1, 3], as in
        :meth:`SynergyAutoencoder.fit` (see "Input scale" there).
    n_synergies : int
    pairings : sequence of (encoder, decoder) or "encoder+decoder", default all 16
    n_restarts : int, default 10
    random_state : int, Generator, RandomState or None
        Restart ``r`` of every pairing starts from the same weights, seeded by
        ``(random_state, r)``; a pairing fitted here equals
        ``SynergyAutoencoder(..., random_state=random_state).fit(X)`` up to float
        rounding.
    device : {"cpu", "cuda", "auto"}
    progress : bool
        Show a tqdm progress bar over epochs.
    **training_params
        ``max_epochs``, ``learning_rate``, ``lr_decay``, ``n_lr_decays``, ``tol``,
        ``patience``, ``dtype`` (see :class:`SynergyAutoencoder`); ``None`` means
        the default.

    Returns
    -------
    AutoencoderGrid

    Raises
    ------
    SynergyInputError
        If ``X`` is all zeros or out of scale (see :meth:`SynergyAutoencoder.fit`),
        among other invalid arguments.

    Notes
    -----
    The same ``random_state`` gives the same weights, bit for bit, at the same torch
    thread count (``torch.get_num_threads()``). A different count changes the
    order of torch's parallel reductions and, late in training, the last digits of
    some restarts' losses. :func:`synergylib.study.run_study` therefore trains under
    a fixed count, ``AutoencoderConfig.torch_threads``.
    """
    X = check_emg_matrix(X, name="X", min_samples=2)
    n_syn = check_n_synergies(n_synergies, X.shape[1], X.shape[0])
    pairings = _check_pairings(pairings)
    n_restarts = check_int(n_restarts, "n_restarts", low=1)
    params = _check_training_params(training_params)
    torch_device = _resolve_device(device)
    _check_training_scale(X)
    result = _train_batched(X, n_syn, pairings, n_restarts, random_state=random_state,
                            device=torch_device, params=params, progress=progress)
    models = {}
    for p, (enc, dec) in enumerate(pairings):
        model = SynergyAutoencoder(n_syn, encoder=enc, decoder=dec, n_restarts=n_restarts,
                                   random_state=random_state, device=device, **params)
        model._set_fitted(result, np.arange(p * n_restarts, (p + 1) * n_restarts), X)
        models[(enc, dec)] = model
    shape = (len(pairings), n_restarts)
    weights = {
        name: getattr(result, name).astype(params["dtype"]).reshape(shape + getattr(result, name).shape[1:])
        for name in ("encoder_weights", "encoder_bias", "decoder_weights", "decoder_bias")
    }
    return AutoencoderGrid(
        models,
        restart_losses=result.final_loss.reshape(shape),
        loss_histories=result.history.reshape(shape + (-1,)),
        n_epochs=result.n_epochs.reshape(shape),
        converged=result.converged.reshape(shape),
        **weights,
    )
