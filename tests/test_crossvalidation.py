"""Tests of synergylib.crossvalidation: leaving one repetition out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synergylib._validation import SynergyInputError
from synergylib.crossvalidation import (
    cross_validate,
    cross_validation_summary,
    cross_validation_table,
    fold_cache_key,
    leave_one_out,
)
from synergylib.metrics import r2_score
from synergylib.preprocessing import PreprocessingConfig
from synergylib.study import AutoencoderConfig, StudyConfig

MUSCLES = tuple(f"m{i}" for i in range(6))


def _repetitions(n=3, seed=0):
    rng = np.random.default_rng(seed)
    W = rng.random((6, 2))
    t = np.linspace(0, 1, 50)
    H = np.stack([np.sin(np.pi * t) ** 2, np.sin(2 * np.pi * t) ** 2])
    return np.stack([W @ H + 0.05 * rng.random((6, 50)) for _ in range(n)])


def test_leave_one_out_holds_out_each_repetition():
    X = _repetitions(4)
    folds = leave_one_out(X, muscles=MUSCLES, config=PreprocessingConfig())
    assert len(folds) == 4
    for k, fold in enumerate(folds):
        np.testing.assert_array_equal(fold.test, X[k])
        np.testing.assert_allclose(fold.train, (X.sum(axis=0) - X[k]) / 3, rtol=1e-12)
        assert fold.n_points == 50 and fold.true_activations_train is None


@pytest.mark.parametrize("bad, match", [
    (np.ones((6, 50)), "shape"),
    (np.ones((1, 6, 50)), "at least 2"),
    (np.full((2, 6, 50), np.nan), "NaN"),
    (-np.ones((2, 6, 50)), "non-negative"),
])
def test_leave_one_out_names_bad_repetitions(bad, match):
    with pytest.raises(SynergyInputError, match=match):
        leave_one_out(bad, muscles=MUSCLES, config=PreprocessingConfig())


def test_leave_one_out_checks_the_muscle_names():
    with pytest.raises(SynergyInputError, match="5 muscle names for 6 muscles"):
        leave_one_out(_repetitions(), muscles=MUSCLES[:5], config=PreprocessingConfig())


@pytest.fixture(scope="module")
def small_config():
    return StudyConfig(n_max=3, nmf_restarts=1, nmf_max_iter=300, autoencoder=AutoencoderConfig(
        n_restarts=1, max_epochs=40, pairings=(("linear", "linear"), ("relu", "tanh"), ("tanh", "relu"))))


def test_cross_validate_scores_each_fold_on_its_held_out_repetition(tmp_path, small_config):
    X = _repetitions()
    kwargs = dict(muscles=MUSCLES, preprocessing=PreprocessingConfig(), cache_dir=tmp_path, progress=False)
    results = cross_validate(X, small_config, **kwargs)
    assert [r.index for r in results] == [0, 1, 2]
    table = cross_validation_table(results)
    assert len(table) == 3 * 4 and set(table["model"]) == {"NMF", "linear+linear", "relu+tanh", "tanh+relu"}
    for res in results:
        model = res.model("relu+tanh")
        row = table[(table["fold"] == res.index) & (table["model"] == "relu+tanh")].iloc[0]
        assert row["r2_test"] == pytest.approx(r2_score(X[res.index].T, model.reconstruct(X[res.index].T)))
    # a second call loads the three cached folds, identical
    files = sorted(tmp_path.glob("cycles-fold*.npz"))
    assert len(files) == 3
    again = cross_validation_table(cross_validate(X, small_config, **kwargs))
    pd.testing.assert_frame_equal(table, again)
    assert sorted(tmp_path.glob("cycles-fold*.npz")) == files
    # the key follows the data and the study's parameters
    assert fold_cache_key(small_config, 0, X) != fold_cache_key(small_config, 0, X * 1.01)
    assert fold_cache_key(small_config, 0, X) != fold_cache_key(small_config, 1, X)
    # but not the last bits of float64 values, which differ between processors
    assert fold_cache_key(small_config, 0, X) == fold_cache_key(small_config, 0, np.nextafter(X, 2 * X))
    with pytest.raises(SynergyInputError, match="name must be"):
        cross_validate(X, small_config, name="../x", **kwargs)


def _table(train, test):
    rows = [{"fold": f, "model": m, "r2_train": tr, "r2_test": te}
            for f in range(2) for m, tr, te in zip(["NMF", "a+a", "b+b", "c+c", "d+d"], train, test)]
    return pd.DataFrame(rows)


def test_summary_says_whether_the_training_ranking_carries_over():
    same, values = cross_validation_summary(_table([0.8, 0.9, 0.8, 0.7, 0.6], [0.7, 0.8, 0.7, 0.6, 0.5]))
    assert values["spearman_rho"] == pytest.approx(1.0)
    assert values["best_train"] == values["best_test"] == "a+a" and values["best_train_test_rank"] == 1
    assert values["n_above_nmf_test"] == 1 and values["n_pairings"] == 4 and values["n_folds"] == 2
    assert same.loc["a+a", "gap"] == pytest.approx(0.1) and np.isnan(same.loc["NMF", "rank_train"])
    # overfitting: the best on training data is the worst on new data
    _, reversed_ = cross_validation_summary(_table([0.8, 0.9, 0.8, 0.7, 0.6], [0.7, 0.4, 0.5, 0.6, 0.65]))
    assert reversed_["spearman_rho"] == pytest.approx(-1.0)
    assert reversed_["best_train"] == "a+a" and reversed_["best_test"] == "d+d"
    assert reversed_["best_train_test_rank"] == 4
    with pytest.raises(SynergyInputError, match="at least 3 pairings"):
        cross_validation_summary(_table([0.8, 0.9, 0.8], [0.7, 0.8, 0.7]))
