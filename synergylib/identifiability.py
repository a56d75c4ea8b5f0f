r"""Are autoencoder synergies identifiable? Mixings that leave the network unchanged.

A trained autoencoder
:math:`\hat x = f_\mathrm{dec}(W_d\, f_\mathrm{enc}(W_e x + b_e) + b_d)` gives its
synergies as the columns of :math:`W_d`. If another set of weights computes the same
function on the data, the data cannot tell the two apart, and "the synergies of a
pairing" are one pick among many. For an invertible :math:`N \times N` matrix
:math:`A`, the mixed network

.. math::

   W_e' = A W_e, \qquad b_e' = A b_e, \qquad W_d' = W_d A^{-1}

computes :math:`f_\mathrm{dec}\bigl(W_d A^{-1} f_\mathrm{enc}(A z) + b_d\bigr)` with
:math:`z = W_e x + b_e`. It is the same network whenever
:math:`f_\mathrm{enc}(A z) = A f_\mathrm{enc}(z)` on the data:

* **linear encoder**: for every invertible :math:`A` (with a linear decoder only the
  span of the synergies is identified);
* **ReLU encoder**: for non-negative :math:`A` acting only among units that are on
  (:math:`z_k > 0`) on every sample, where ReLU is the identity; permutations and
  positive scalings of any units;
* **tanh and sigmoid encoders**: a sign flip of one unit exactly (tanh is odd;
  :math:`\sigma(-z) = 1 - \sigma(z)`, the difference absorbed by the decoder bias),
  and mixings only approximately, in the near-linear range of small :math:`z`.

:func:`mixed_network` applies a mixing, :func:`sign_preserving_mixing` draws one
that a ReLU encoder cannot see, and :func:`mixing_effect` measures what changes:
the reconstruction (nothing, when the mixing is an invariance) and the synergies
(matched cosine to the original ones).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import SynergyInputError, check_emg_matrix, check_real
from .autoencoder import SynergyAutoencoder, activation_function
from .metrics import match_synergies, r2_score
from .similarity import match_abs

__all__ = [
    "MixingEffect",
    "always_on_units",
    "mixed_network",
    "mixing_effect",
    "network_weights",
    "sign_preserving_mixing",
]


def network_weights(model: SynergyAutoencoder) -> tuple[np.ndarray, ...]:
    """The raw parameters ``(W_e, b_e, W_d, b_d)`` of a fitted autoencoder.

    ``W_d`` is ``synergies_`` with each column multiplied back by ``synergy_scale_``.
    """
    if not isinstance(model, SynergyAutoencoder) or not hasattr(model, "synergies_"):
        raise SynergyInputError("model must be a fitted SynergyAutoencoder.")
    W_d = model.synergies_ * model.synergy_scale_
    return model.encoder_weights_, model.encoder_bias_, W_d, model.decoder_bias_


def mixed_network(model: SynergyAutoencoder, A, *, centred: bool = False) -> SynergyAutoencoder:
    r"""The network with weights :math:`(A W_e, A b_e, W_d A^{-1}, b_d')`.

    :math:`b_d' = b_d`, or with ``centred=True``, where the encoder's rest level
    :math:`c = f_\mathrm{enc}(0)` (:math:`\tfrac12` for the sigmoid, 0 for the others)
    is moved into the decoder bias,

    .. math::

        b_d' = b_d + c\, W_d \left(\mathbf 1 - A^{-1} \mathbf 1\right),

    so that the decoder receives :math:`W_d A^{-1} g(A z) + c\, W_d \mathbf 1 + b_d`
    with :math:`g = f_\mathrm{enc} - c`: the mixings :math:`g` admits are then
    invariances of the network (for the sigmoid, :math:`g(u) = \tfrac12\tanh(u/2)` is
    odd, so a sign flip is exact). For an encoder with :math:`c = 0` both are the same.

    Examples
    --------
    >>> ae = SynergyAutoencoder.from_weights(np.eye(2, 3), np.zeros(2), np.eye(3, 2),
    ...                                      np.zeros(3), encoder="linear", decoder="linear")
    >>> mixed = mixed_network(ae, [[1.0, 2.0], [0.0, 1.0]])
    >>> x = np.array([[0.3, 0.5, 0.1]])
    >>> bool(np.allclose(mixed.reconstruct(x), ae.reconstruct(x)))
    True
    >>> sig = SynergyAutoencoder.from_weights(np.eye(2), np.zeros(2), np.eye(2), np.zeros(2),
    ...                                       encoder="sigmoid", decoder="linear")
    >>> flip = np.diag([-1.0, 1.0])
    >>> bool(np.allclose(mixed_network(sig, flip, centred=True).reconstruct(x[:, :2]),
    ...                  sig.reconstruct(x[:, :2])))
    True
    """
    W_e, b_e, W_d, b_d = network_weights(model)
    A = np.asarray(A, dtype=float)
    n = W_e.shape[0]
    if A.shape != (n, n):
        raise SynergyInputError(f"A must be {n} x {n} (one row per synergy), got shape {A.shape}.")
    if not np.all(np.isfinite(A)) or np.linalg.cond(A) > 1e12:
        raise SynergyInputError("A must be a finite, invertible matrix.")
    A_inv = np.linalg.inv(A)
    rest = float(activation_function(model.encoder)(np.zeros(1))[0]) if centred else 0.0
    if rest != 0.0:
        ones = np.ones(n)
        b_d = b_d + rest * W_d @ (ones - np.linalg.solve(A, ones))
    return SynergyAutoencoder.from_weights(A @ W_e, A @ b_e, W_d @ A_inv, b_d,
                                           encoder=model.encoder, decoder=model.decoder)


def always_on_units(model: SynergyAutoencoder, X) -> np.ndarray:
    r"""Units whose encoder input :math:`z_k = (W_e x + b_e)_k` is positive on every sample of ``X``."""
    W_e, b_e, _, _ = network_weights(model)
    X = check_emg_matrix(X, min_samples=1)
    return np.all(X @ W_e.T + b_e > 0, axis=0)


def sign_preserving_mixing(model: SynergyAutoencoder, X, *, strength: float = 0.5,
                           random_state: int = 0) -> np.ndarray:
    r"""A mixing a ReLU (or linear) encoder cannot see on ``X``: :math:`A = I + s P`.

    :math:`P` has non-negative random entries (uniform on :math:`[0, 1)`) between
    distinct units that are both on for every sample (:func:`always_on_units`),
    zeros elsewhere. Then :math:`A z > 0` wherever :math:`z > 0` on those units, so
    :math:`\mathrm{ReLU}(A z) = A\,\mathrm{ReLU}(z)` and the network is unchanged
    on ``X``. With fewer than two such units the result is the identity.
    """
    strength = check_real(strength, "strength", low=0.0)
    on = always_on_units(model, X)
    n = on.size
    rng = np.random.default_rng(random_state)
    P = rng.random((n, n)) * np.outer(on, on)
    np.fill_diagonal(P, 0.0)
    return np.eye(n) + strength * P


@dataclass(frozen=True)
class MixingEffect:
    r"""What a mixing changes.

    Attributes
    ----------
    r2_before, r2_after : float
        Centred :math:`R^2` of the reconstruction of the data before and after.
    max_output_change : float
        Largest absolute change of a reconstructed value.
    loss_change : float
        Relative change of the mean squared error, :math:`L_\mathrm{after} /
        L_\mathrm{before} - 1` (``nan`` when the network reconstructs exactly).
    synergy_cosine : float
        Mean matched cosine between the original and the mixed synergies
        (1: the same synergies; less: other synergies for the same network).
    abs_synergy_cosine : float
        The same on :math:`|\cos|` (:func:`synergylib.similarity.match_abs`): a
        sign flip alone leaves it at 1.
    n_always_on : int
        Units on for every sample (the ones a ReLU mixing may combine).
    """

    r2_before: float
    r2_after: float
    max_output_change: float
    loss_change: float
    synergy_cosine: float
    abs_synergy_cosine: float
    n_always_on: int


def mixing_effect(model: SynergyAutoencoder, X, A, *, centred: bool = False) -> MixingEffect:
    """Apply ``A`` (:func:`mixed_network`, with ``centred``) and measure the
    reconstruction and the synergies on ``X``."""
    X = check_emg_matrix(X)
    mixed = mixed_network(model, A, centred=centred)
    before, after = model.reconstruct(X), mixed.reconstruct(X)
    loss_before, loss_after = float(np.mean((X - before) ** 2)), float(np.mean((X - after) ** 2))
    return MixingEffect(
        r2_before=float(r2_score(X, before)),
        r2_after=float(r2_score(X, after)),
        max_output_change=float(np.max(np.abs(after - before))),
        loss_change=loss_after / loss_before - 1.0 if loss_before > 0 else float("nan"),
        synergy_cosine=float(match_synergies(model.synergies_, mixed.synergies_).mean_cosine),
        abs_synergy_cosine=float(match_abs(model.synergies_, mixed.synergies_).mean_cosine),
        n_always_on=int(always_on_units(model, X).sum()),
    )
