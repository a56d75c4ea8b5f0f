"""Tests of synergylib.identifiability: mixings that leave an autoencoder unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from synergylib._validation import SynergyInputError
from synergylib.autoencoder import SynergyAutoencoder
from synergylib.identifiability import (
    always_on_units,
    mixed_network,
    mixing_effect,
    network_weights,
    sign_preserving_mixing,
)


@pytest.fixture(scope="module")
def X():
    rng = np.random.default_rng(2)
    return rng.random((200, 3)) @ rng.random((3, 8)) / 2.0


def _network(encoder, decoder, *, bias=0.5, seed=0, n=3, m=8):
    rng = np.random.default_rng(seed)
    return SynergyAutoencoder.from_weights(
        rng.normal(size=(n, m)), np.full(n, bias), rng.normal(size=(m, n)), rng.normal(size=m) * 0.1,
        encoder=encoder, decoder=decoder)


def test_network_weights_round_trip(X):
    ae = _network("tanh", "relu")
    again = SynergyAutoencoder.from_weights(*network_weights(ae), encoder="tanh", decoder="relu")
    np.testing.assert_allclose(again.reconstruct(X), ae.reconstruct(X))


def test_any_invertible_mixing_is_invisible_to_a_linear_encoder(X):
    ae = _network("linear", "tanh")
    A = np.array([[1.0, 0.7, -0.3], [0.2, 1.0, 0.5], [-0.4, 0.1, 1.0]])
    effect = mixing_effect(ae, X, A)
    assert effect.max_output_change < 1e-10
    assert effect.r2_after == pytest.approx(effect.r2_before)
    assert effect.synergy_cosine < 0.95  # other synergies, same network


def test_a_relu_encoder_ignores_mixings_among_always_on_units_only(X):
    ae = _network("relu", "tanh", bias=50.0)  # every unit on for every sample
    assert always_on_units(ae, X).all()
    A = sign_preserving_mixing(ae, X, strength=0.8, random_state=1)
    assert (A >= 0).all() and not np.allclose(A, np.eye(3))
    effect = mixing_effect(ae, X, A)
    assert effect.max_output_change < 1e-8
    assert effect.synergy_cosine < 0.99
    # the same kind of mixing touching a unit that switches off changes the network
    off = _network("relu", "tanh", bias=0.0, seed=3)
    assert not always_on_units(off, X).all()
    assert mixing_effect(off, X, np.eye(3) + 0.8 * (1 - np.eye(3))).max_output_change > 1e-3
    # with no unit always on, the drawn mixing is the identity
    np.testing.assert_array_equal(
        sign_preserving_mixing(_network("relu", "tanh", bias=-50.0), X), np.eye(3))


def test_tanh_admits_a_sign_flip_exactly_but_not_a_mixing(X):
    ae = _network("tanh", "linear")
    flip = np.diag([1.0, -1.0, 1.0])
    effect = mixing_effect(ae, X, flip)
    assert effect.max_output_change < 1e-12 and abs(effect.loss_change) < 1e-10
    # a flip is another signed synergy, the same one up to sign
    assert effect.synergy_cosine == pytest.approx(1 / 3) and effect.abs_synergy_cosine == pytest.approx(1.0)
    mixed = mixing_effect(ae, X, np.eye(3) + 0.5 * (1 - np.eye(3)))
    assert mixed.max_output_change > 1e-2 and mixed.loss_change > 1e-3


def test_a_sigmoid_flip_needs_the_rest_level_in_the_decoder_bias(X):
    ae = _network("sigmoid", "linear")
    flip = np.diag([1.0, -1.0, 1.0])
    assert mixing_effect(ae, X, flip).max_output_change > 1e-2
    centred = mixing_effect(ae, X, flip, centred=True)
    assert centred.max_output_change < 1e-12 and centred.abs_synergy_cosine == pytest.approx(1.0)


def test_bad_mixings_are_refused():
    ae = _network("linear", "linear")
    with pytest.raises(SynergyInputError, match="3 x 3"):
        mixed_network(ae, np.eye(2))
    with pytest.raises(SynergyInputError, match="invertible"):
        mixed_network(ae, np.zeros((3, 3)))
    with pytest.raises(SynergyInputError, match="fitted SynergyAutoencoder"):
        network_weights(SynergyAutoencoder(2))
