"""Tests of synergylib.pca.SynergyPCA: the affine ceiling of N units."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.decomposition import PCA

from synergylib._validation import SynergyInputError
from synergylib.autoencoder import SynergyAutoencoder
from synergylib.metrics import r2_score
from synergylib.pca import SynergyPCA
from synergylib.similarity import subspace_similarity


@pytest.fixture(scope="module")
def X():
    rng = np.random.default_rng(4)
    return rng.random((300, 3)) @ rng.random((3, 8)) + 0.05 * rng.random((300, 8))


def test_pca_agrees_with_scikit_learn(X):
    ours = SynergyPCA(3).fit(X)
    theirs = PCA(3).fit(X)
    np.testing.assert_allclose(np.abs(ours.synergies_), np.abs(theirs.components_.T), atol=1e-10)
    np.testing.assert_allclose(ours.explained_variance_ratio_, theirs.explained_variance_ratio_)
    assert ours.r2_ == pytest.approx(ours.explained_variance_ratio_.sum())
    assert ours.score(X) == pytest.approx(ours.r2_)


def test_pca_is_the_ceiling_of_a_linear_autoencoder(X):
    """linear+linear trained long reaches PCA's R2 and its span, never more."""
    pca = SynergyPCA(2).fit(X)
    ae = SynergyAutoencoder(2, encoder="linear", decoder="linear", n_restarts=2, random_state=0,
                            max_epochs=20000, learning_rate=1e-2).fit(X)
    assert ae.r2_ <= pca.r2_ + 1e-6
    assert ae.r2_ == pytest.approx(pca.r2_, abs=2e-3)
    assert subspace_similarity(pca.synergies_, ae.synergies_) > 0.99
    assert r2_score(X, pca.reconstruct(X)) == pytest.approx(pca.r2_)


def test_pca_refuses_bad_input(X):
    with pytest.raises(SynergyInputError, match="n_synergies"):
        SynergyPCA(9).fit(X)
    model = SynergyPCA(2).fit(X)
    with pytest.raises(ValueError, match="5 features"):
        model.transform(X[:, :5])
    with pytest.raises(SynergyInputError, match="columns"):
        model.inverse_transform(np.zeros((4, 3)))


from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402


@parametrize_with_checks(
    [SynergyPCA(n_synergies=1), SynergyPCA(n_synergies=2)],
    expected_failed_checks=lambda est: (
        {"check_fit2d_1feature": "more synergies than muscles is refused with our own message"}
        if est.n_synergies > 1 else {}),
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
