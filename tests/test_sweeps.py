"""Tests of synergylib.sweeps: variants of a configuration, sweeps, summaries, claims per variant.

The figures and tables that one chapter alone shows are tested with that chapter
(tests/chapters/test_nonlinear.py, tests/chapters/test_robustness.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synergylib._validation import SynergyInputError
from synergylib.study import AutoencoderConfig, StudyConfig, quick_config
from synergylib.sweeps import (
    run_sweep,
    sweep_means,
    sweep_summary,
    sweep_table,
    vary,
    verdict_matrix,
    with_dataset,
)

from sweep_tables import COS_A, R2_A, synthetic_table, two_variant_sweep

# ----------------------------------------------------------------------------- variants


def test_with_dataset_drops_generator_defaults():
    cfg = StudyConfig()
    # nonlinearity=0 is the generator's default: same data, same configuration, same cache key
    assert with_dataset(cfg, nonlinearity=0.0) == cfg
    assert with_dataset(cfg, nonlinearity=0.0).participant_key(0) == cfg.participant_key(0)
    strong = with_dataset(cfg, nonlinearity=2.0, noise_level=1.0)
    assert strong.dataset == (("nonlinearity", 2.0),)
    # merging keeps what was there, and going back to the default removes the entry
    both = with_dataset(strong, noise_level=0.5)
    assert dict(both.dataset) == {"nonlinearity": 2.0, "noise_level": 0.5}
    assert with_dataset(both, nonlinearity=0, noise_level=1) == cfg


def test_with_dataset_rejects_unknown_arguments():
    with pytest.raises(SynergyInputError, match="nonlinarity"):
        with_dataset(StudyConfig(), nonlinarity=1.0)
    # the data seed is a StudyConfig field, not a generator entry
    with pytest.raises(SynergyInputError, match="random_state"):
        with_dataset(StudyConfig(), random_state=3)


def test_vary_changes_top_level_and_nested_fields():
    base = quick_config()
    cfg = vary(
        base,
        r2_threshold=0.9,
        data_seed=4,
        preprocessing={"phasic": False},
        autoencoder={"n_restarts": 5},
        dataset={"noise_level": 2.0},
    )
    assert cfg.r2_threshold == 0.9 and cfg.data_seed == 4
    assert cfg.preprocessing.phasic is False and base.preprocessing.phasic is True
    assert cfg.autoencoder.n_restarts == 5
    assert cfg.autoencoder.max_epochs == base.autoencoder.max_epochs == 300
    assert dict(cfg.dataset) == {"n_repetitions": 3, "noise_level": 2.0}
    # the scale parameters of the chapters give back quick_config() exactly
    assert vary(quick_config(), n_participants=3, autoencoder={"n_restarts": 2}) == quick_config()
    # a whole sub-configuration may replace the old one
    ae = AutoencoderConfig(n_restarts=7)
    assert vary(base, autoencoder=ae).autoencoder == ae


def test_vary_rejects_bad_changes():
    with pytest.raises(SynergyInputError, match="StudyConfig"):
        vary(StudyConfig(), n_participant=3)
    with pytest.raises(SynergyInputError, match="autoencoder"):
        vary(StudyConfig(), autoencoder={"restarts": 3})
    with pytest.raises(SynergyInputError, match="preprocessing"):
        vary(StudyConfig(), preprocessing=AutoencoderConfig())
    with pytest.raises(SynergyInputError, match="r2_threshold"):
        vary(StudyConfig(), r2_threshold=1.5)


# ----------------------------------------------------------------------- synthetic tables

@pytest.fixture
def sweep():
    return two_variant_sweep()


def test_sweep_summary_names_the_best_models(sweep):
    summary = sweep_summary(sweep, ["r2_test", "true_mean_cosine", "negative_weight_share"])
    assert list(summary.index) == ["A", "B"]
    assert summary.loc["A", "best_true_mean_cosine"] == "relu+tanh"
    assert summary.loc["A", "best_r2_test"] == "linear+linear"
    assert summary.loc["B", "best_true_mean_cosine"] == "linear+linear"
    # lower is better for the share of negative weights; NMF is not a candidate
    assert summary.loc["A", "best_negative_weight_share"] == "linear+linear"
    assert summary.loc["A", "negative_weight_share"] == pytest.approx(0.1)
    assert summary.loc["A", "true_mean_cosine"] == pytest.approx(0.85, abs=0.002)
    assert summary.loc["A", "NMF_true_mean_cosine"] == pytest.approx(0.9, abs=0.002)
    assert summary.loc["A", "participants"] == 6
    assert summary.loc["A", "mean_n_synergies"] == pytest.approx(2.5)
    # restricting the candidates changes the winner
    only = sweep_summary(sweep, ["true_mean_cosine"], candidates=["linear+linear", "tanh+relu"])
    assert only.loc["A", "best_true_mean_cosine"] == "tanh+relu"


def test_sweep_means_match_a_groupby_and_keep_key_order():
    table = pd.concat(
        [synthetic_table(COS_A, R2_A, key=k, seed=i) for i, k in enumerate([2.0, 0.0, 1.0])],
        ignore_index=True,
    )
    means = sweep_means(table, ["r2_test"], models=["relu+tanh", "NMF"])
    assert list(means["variant"]) == [2.0, 2.0, 0.0, 0.0, 1.0, 1.0]
    assert list(means["model"]) == ["relu+tanh", "NMF"] * 3
    sub = table[(table["variant"] == 0.0) & (table["model"] == "NMF")]["r2_test"]
    row = means[(means["variant"] == 0.0) & (means["model"] == "NMF")].iloc[0]
    assert row["r2_test"] == pytest.approx(sub.mean())
    assert row["r2_test_sd"] == pytest.approx(sub.std(ddof=1))
    assert row["n"] == 6
    with pytest.raises(SynergyInputError, match="models not in the table"):
        sweep_means(table, ["r2_test"], models=["relu+relu"])
    with pytest.raises(SynergyInputError, match="Unknown metric"):
        sweep_means(table, ["r2"])


def test_verdict_matrix_is_the_wide_view_of_the_rules():
    claims = pd.DataFrame({
        "variant": ["B", "B", "B", "A", "A", "A"],
        "claim": [1, 2, 3, 1, 2, 3],
        "verdict": ["holds", "does not hold", "holds", "does not hold", "does not hold", "holds"],
    })
    matrix = verdict_matrix(claims.sample(frac=1.0, random_state=2).sort_values("variant", ascending=False,
                                                                                   kind="stable"))
    assert list(matrix.index) == ["B", "A"]  # the order in which the configurations come
    assert list(matrix.columns) == ["claim 1", "claim 2", "claim 3"]
    assert list(matrix.loc["B"]) == ["holds", "does not hold", "holds"]
    assert list(matrix.loc["A"]) == ["does not hold", "does not hold", "holds"]
    with pytest.raises(SynergyInputError, match="no column 'level'"):
        verdict_matrix(claims, key="level")


# ------------------------------------------------------------------------ a real tiny sweep


def test_run_sweep_runs_equal_configurations_once_and_caches(tmp_path):
    tiny = vary(
        quick_config(),
        n_participants=1,
        generator="clean",
        n_max=3,
        nmf_restarts=1,
        dataset={"n_repetitions": 2},
        autoencoder={"n_restarts": 1, "max_epochs": 20, "pairings": (("linear", "linear"), ("relu", "tanh"))},
    )
    configs = {0.0: tiny, "again": with_dataset(tiny, nonlinearity=0.0), 2.0: with_dataset(tiny, nonlinearity=2.0)}
    results = run_sweep(configs, cache_dir=tmp_path, progress=False)
    assert list(results) == [0.0, "again", 2.0]
    assert results["again"] is results[0.0]  # equal configurations: computed once
    assert len(list(tmp_path.glob("*.npz"))) == 2
    table = sweep_table(results, key="nonlinearity")
    assert list(table.columns[:3]) == ["nonlinearity", "participant", "model"]
    assert len(table) == 3 * 3  # three keys x (NMF + two pairings)
    assert set(table["model"]) == {"NMF", "linear+linear", "relu+tanh"}
    # the saturating mixing changes the data, so the NMF fit changes too
    nmf = table[table["model"] == "NMF"].set_index("nonlinearity")["r2_train"]
    assert nmf[0.0] != nmf[2.0]
    # a second run loads from the cache: identical numbers, no new files
    again = sweep_table(run_sweep(configs, cache_dir=tmp_path, progress=False), key="nonlinearity")
    pd.testing.assert_frame_equal(table, again)
    assert len(list(tmp_path.glob("*.npz"))) == 2


def test_run_sweep_rejects_bad_input():
    with pytest.raises(SynergyInputError, match="non-empty"):
        run_sweep({})
    with pytest.raises(SynergyInputError, match="StudyConfig"):
        run_sweep({"a": {"n_participants": 3}})
    with pytest.raises(SynergyInputError, match="non-empty"):
        sweep_table({})


def test_rules_by_variant_applies_the_rules_to_each_configuration():
    from synergylib.claims import evaluate_rules
    from synergylib.sweeps import rules_by_variant

    tiny = vary(quick_config(), n_participants=3, generator="clean", n_max=4, nmf_restarts=1,
                dataset={"n_repetitions": 3},
                autoencoder={"n_restarts": 2, "max_epochs": 20, "pairings": (
                    ("linear", "linear"), ("relu", "tanh"), ("tanh", "relu"), ("sigmoid", "sigmoid"))})
    results = run_sweep({"base": tiny, "same": tiny}, progress=False)
    table = sweep_table(results)
    options = {"n_bootstrap": 200, "n_permutations": 199}
    rules = rules_by_variant(results, table, **options)
    assert list(rules.columns[:3]) == ["variant", "claim", "statement"]
    assert list(rules["variant"]) == ["base"] * 3 + ["same"] * 3
    direct = evaluate_rules(results["base"], table[table["variant"] == "base"].drop(columns=["variant"]), **options)
    for part in ("base", "same"):
        got = rules[rules["variant"] == part]
        assert list(got["verdict"]) == list(direct["verdict"])
        np.testing.assert_allclose(got["pvalue"].to_numpy(), direct["pvalue"].to_numpy())
    with pytest.raises(SynergyInputError, match="no rows for"):
        rules_by_variant({"other": results["base"]}, table, **options)
