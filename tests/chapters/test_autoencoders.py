"""Tests of synergylib.chapters.autoencoders on hand-built results with known answers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # the test module selects the backend, never the library

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from synergylib.chapters import autoencoders as rep
from synergylib.autoencoder import SynergyAutoencoder, activation_function
from synergylib.metrics import r2_score
from synergylib.plotting import NEGATIVE_COLOR
from synergylib._validation import SynergyInputError

MUSCLES = ("A", "B", "C", "D")
PAIRINGS = ("relu+relu", "linear+tanh", "sigmoid+linear")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def example_result(make_result):
    """A result with 4 muscles, 2 synergies, 3 pairings and 3 restarts.

    * pairing 0 (relu+relu): synergy 1's activation is zero everywhere (dead unit)
      and muscle D has non-positive weights and a negative bias (silent muscle);
    * pairing 1 (linear+tanh): the NMF synergies in swapped order;
    * pairing 2 (sigmoid+linear): NMF synergy 0 and NMF synergy 1 minus half of
      synergy 0 (negative weights on muscles A and B).
    """

    def build(index: int = 0, *, seed: int = 0, with_test: bool = True):
        rng = np.random.default_rng(seed)
        n_samples = 30
        W_nmf = np.array([[0.8, 0.0], [0.6, 0.0], [0.0, 0.6], [0.0, 0.8]])
        H_nmf = rng.uniform(0.0, 1.0, size=(2, n_samples))
        W0 = np.array([[0.6, 0.5], [0.8, 0.5], [0.0, 0.5], [0.0, -0.5]])
        H0 = np.vstack([rng.uniform(0.1, 1.0, n_samples), np.zeros(n_samples)])
        W2 = np.column_stack([W_nmf[:, 0], W_nmf[:, 1] - 0.5 * W_nmf[:, 0]])
        W2 /= np.linalg.norm(W2, axis=0)
        test = dict(nmf_r2_test=0.99, ae_r2_test=np.array([0.4, 0.6, 0.8])) if with_test else {}
        return make_result(
            W_nmf, H_nmf, index=index, muscles=MUSCLES, pairings=PAIRINGS, with_test=with_test,
            ae_synergies=np.stack([W0, W_nmf[:, ::-1], W2]),
            ae_activations=np.stack([H0, H_nmf[::-1], H_nmf]),
            ae_decoder_bias=np.stack([[0.0, 0.0, 0.0, -1.0], np.zeros(4), np.zeros(4)]),
            n_values=np.arange(1, 4), nmf_r2_curve=np.array([0.5, 1.0, 1.0]),
            nmf_r2_train=1.0, nmf_vaf_train=1.0,
            ae_r2_train=np.array([0.5, 0.7, 0.9]) + 0.01 * index,
            ae_vaf_train=np.array([0.6, 0.8, 0.95]), ae_r2_muscle_train=np.zeros((3, 4)),
            ae_restart_losses=np.array([[0.02, 0.01, 0.04], [0.01, 0.01, 0.01], [0.03, 0.015, 0.015]]),
            ae_loss_history=np.array([[1.0, 0.5, np.nan], [1.0, 0.4, 0.3], [1.0, np.nan, np.nan]]),
            ae_converged=np.array([True, False, True]), ae_n_epochs=np.array([1, 2, 0]),
            **test,
        )

    return build


# -- activation functions and reconstructions --------------------------------------------


def test_reconstruct_applies_the_decoder_to_W_H_plus_bias(example_result):
    res = example_result()
    W, H, b = res.ae_synergies[0], res.ae_activations_train[0], res.ae_decoder_bias[0]
    assert np.allclose(rep.reconstruct(res, "relu+relu"), np.maximum(W @ H + b[:, None], 0))
    # by position too, and tanh for pairing 1
    assert np.allclose(rep.reconstruct(res, 1), np.tanh(res.ae_synergies[1] @ res.ae_activations_train[1]))
    with pytest.raises(ValueError, match="split"):
        rep.reconstruct(res, 0, split="validation")
    with pytest.raises(ValueError, match="held-out"):
        rep.reconstruct(example_result(with_test=False), 0, split="test")
    with pytest.raises(ValueError, match="Unknown pairing"):
        rep.reconstruct(res, "tanh+tanh")


def test_reconstruct_equals_the_fitted_network(example_result):
    """Rebuilt from (W, H, b_d), the output is the network's own reconstruction."""
    rng = np.random.default_rng(1)
    X = rng.uniform(0.0, 1.0, size=(60, 5))  # (n_samples, n_muscles)
    ae = SynergyAutoencoder(2, encoder="relu", decoder="sigmoid", n_restarts=1, max_epochs=30,
                            random_state=0).fit(X)  # fmt: skip
    res = example_result()
    res.pairings = ("relu+sigmoid",)
    res.ae_synergies = ae.synergies_[None]
    res.ae_activations_train = ae.transform(X).T[None]
    res.ae_decoder_bias = ae.decoder_bias_[None]
    X_hat = rep.reconstruct(res, "relu+sigmoid")
    assert X_hat.shape == (5, 60)
    assert np.allclose(X_hat, ae.reconstruct(X).T)
    assert np.isclose(r2_score(X, X_hat.T), ae.r2_)
    assert np.all((X_hat > 0) & (X_hat < 1))  # sigmoid decoder output lies in (0, 1)


def test_dead_units_known_answer(example_result):
    res = example_result()
    assert rep.dead_units(res, "relu+relu") == {
        "dead_synergies": 1,
        # C and D weigh only on the dead unit (bias 0 and -1): the ReLU decoder gives 0
        "silent_muscles": 2,
        "zero_output_share": pytest.approx(0.5),
    }
    clean = rep.dead_units(res, "linear+tanh")
    assert clean["dead_synergies"] == 0 and clean["silent_muscles"] == 0
    with pytest.raises(ValueError, match="atol"):
        rep.dead_units(res, 0, atol=-1.0)


# -- tables ------------------------------------------------------------------------------


def test_pairing_table_rows_and_values(example_result):
    results = [example_result(0), example_result(1, seed=1)]
    table = rep.pairing_table(results)
    assert len(table) == 2 * len(PAIRINGS)
    assert list(table["pairing"][:3]) == list(PAIRINGS)
    row = table.iloc[0]
    assert (row["encoder"], row["decoder"]) == ("relu", "relu")
    assert row["final_loss"] == pytest.approx(0.01)
    assert row["restart_spread"] == pytest.approx((0.04 - 0.01) / 0.01)
    assert table.iloc[1]["restart_spread"] == pytest.approx(0.0)
    assert list(table["converged"][:3]) == [True, False, True]
    assert list(table["n_epochs"][:3]) == [1, 2, 0]
    assert table.iloc[3]["r2_train"] == pytest.approx(0.51)
    assert table.iloc[0]["dead_synergies"] == 1 and table.iloc[0]["silent_muscles"] == 2
    # pairing 1 holds the NMF synergies: no negative weight; pairing 2 has 2 of 8 negative
    assert table.iloc[1]["negative_weight_share"] == 0.0
    assert table.iloc[2]["negative_weight_share"] == pytest.approx(2 / 8)
    col = np.array([-0.4, -0.3, 0.6, 0.8]) / np.sqrt(1.25)
    assert table.iloc[2]["negative_mass_share"] == pytest.approx(0.7 / np.sqrt(1.25) / (1.4 + np.abs(col).sum()))
    assert table.iloc[1]["nmf_mean_cosine"] == pytest.approx(1.0)
    assert table.iloc[2]["nmf_mean_cosine"] == pytest.approx((1 + 1 / np.sqrt(1.25)) / 2)
    with pytest.raises(ValueError, match="non-empty"):
        rep.pairing_table([])


def test_pairing_table_without_held_out_data_has_nan(example_result):
    table = rep.pairing_table([example_result(with_test=False)])
    assert table["r2_test"].isna().all()


def test_reconstruction_table_puts_nmf_first(example_result):
    table = rep.reconstruction_table([example_result(0), example_result(1)])
    assert len(table) == 2 * (1 + len(PAIRINGS))
    first = table[table["participant"] == 0]
    assert list(first["model"]) == ["NMF", *PAIRINGS]
    assert first.iloc[0]["r2_test"] == pytest.approx(0.99)
    assert first.iloc[2]["r2_test"] == pytest.approx(0.6)


def test_restart_table_relative_losses(example_result):
    table = rep.restart_table([example_result()])
    assert len(table) == 3 * 3
    relu = table[table["pairing"] == "relu+relu"]
    assert list(relu["relative_loss"]) == pytest.approx([2.0, 1.0, 4.0])
    assert list(relu["kept"]) == [False, True, False]
    # ties: the first restart with the lowest loss is the kept one
    assert table.groupby(["participant", "pairing"])["kept"].sum().eq(1).all()


def test_mean_sd_table_formats_mean_and_sd():
    table = pd.DataFrame(
        {"model": ["NMF", "NMF", "a+b", "a+b", "c"], "x": [1.0, 3.0, 0.5, 0.5, np.nan], "y": [0, 0, 1, 1, 2.0]}
    )
    out = rep.mean_sd_table(table, {"x": "X", "y": "Y"}, digits=2)
    assert list(out.index) == ["NMF", "a+b", "c"]
    assert out.loc["NMF", "X"] == f"2.00 ± {np.std([1.0, 3.0], ddof=1):.2f}"
    assert out.loc["a+b", "X"] == "0.50 ± 0.00"
    assert out.loc["c", "X"] == "n/a"
    assert out.loc["c", "Y"] == "2.00"  # one value: no sd
    reordered = rep.mean_sd_table(table, {"x": "X"}, order=["c", "NMF"])
    assert list(reordered.index) == ["c", "NMF"]
    with pytest.raises(ValueError, match="not in the table"):
        rep.mean_sd_table(table, {"z": "Z"})


def test_pairing_matrix_places_values():
    values = pd.Series({"relu+tanh": 1.0, "linear+linear": 2.0, "tanh+sigmoid": 3.0})
    M = rep.pairing_matrix(values)
    assert M.shape == (4, 4)
    assert M[1, 3] == 1.0 and M[0, 0] == 2.0 and M[3, 2] == 3.0
    assert np.isnan(M).sum() == 13
    M2 = rep.pairing_matrix([1.0, 2.0], ["relu+tanh", "tanh+relu"], encoders=("relu", "tanh"),
                            decoders=("relu", "tanh"))  # fmt: skip
    assert np.array_equal(M2, [[np.nan, 1.0], [2.0, np.nan]], equal_nan=True)
    with pytest.raises(ValueError, match="pairing name"):
        rep.pairing_matrix([1.0, 2.0])
    with pytest.raises(ValueError):
        rep.pairing_matrix({"relu-tanh": 1.0})


# -- figures -----------------------------------------------------------------------------


def test_plot_activation_functions_draws_each_function():
    _fig, axes = rep.plot_activation_functions()
    assert len(axes) == 4
    for ax, name in zip(axes, ("linear", "relu", "sigmoid", "tanh")):
        x, y = ax.lines[-1].get_data()
        assert np.allclose(y, activation_function(name)(x))
        assert ax.get_xlabel() and ax.get_title()
    assert axes[0].get_ylabel()
    assert np.isclose(axes[2].lines[-1].get_ydata().max(), expit(3.0))
    with pytest.raises(ValueError, match="z_range"):
        rep.plot_activation_functions(z_range=(1.0, -1.0))


def test_plot_epochs_per_pairing_marks_converged_and_not(example_result):
    table = rep.pairing_table([example_result(0), example_result(1)])
    _fig, ax = rep.plot_epochs_per_pairing(table, max_epochs=5)
    conv, not_conv = ax.collections[0], ax.collections[1]
    assert len(conv.get_offsets()) == 4 and len(not_conv.get_offsets()) == 2
    assert [t.get_text() for t in ax.get_xticklabels()] == list(PAIRINGS)
    assert ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(ValueError, match="pairing_table"):
        rep.plot_epochs_per_pairing(table.drop(columns="converged"))


def test_plot_restart_spread_median_of_worst_restart(example_result):
    table = rep.restart_table([example_result(0), example_result(1)])
    _fig, ax = rep.plot_restart_spread(table)
    assert len(ax.collections[0].get_offsets()) == len(table)
    bars = [line.get_ydata()[0] for line in ax.lines]
    assert bars == pytest.approx([4.0, 1.0, 2.0])  # worst ratio per pairing (same in both)
    assert ax.get_yscale() == "log" and ax.get_ylabel()


def test_plot_pairing_synergies_matches_to_nmf(example_result):
    res = example_result()
    fig, matches = rep.plot_pairing_synergies(res, ncols=2)
    assert set(matches) == set(PAIRINGS)
    # swapped copy of NMF: matched perfectly, back in NMF's order
    assert matches["linear+tanh"].mean_cosine == pytest.approx(1.0)
    assert list(matches["linear+tanh"].permutation) == [1, 0]
    assert list(matches["sigmoid+linear"].cosine) == pytest.approx([1.0, 1 / np.sqrt(1.25)])
    titles = [ax.get_title() for ax in fig.get_axes()]
    assert len(titles) == 2 * len(PAIRINGS)
    assert any("dead unit" in t for t in titles)
    assert "S2: cos +0.89" in titles
    # the matched AE bars (first container) of linear+tanh equal the NMF bars (second)
    swapped = [ax for ax in fig.get_axes() if ax.get_subplotspec() is not None][2:4]
    for k, ax in enumerate(swapped):
        ae = [b.get_height() for b in ax.containers[0]]
        ref = [b.get_height() for b in ax.containers[1]]
        assert ae == pytest.approx(ref)
        assert ref == pytest.approx(res.nmf_synergies[:, k])
    # negative weights are drawn in the negative colour, hatched
    mixed = fig.get_axes()[5]
    colours = [b.get_facecolor() for b in mixed.containers[0] if b.get_height() < 0]
    assert len(colours) == 2 and all(np.allclose(c, matplotlib.colors.to_rgba(NEGATIVE_COLOR)) for c in colours)
    # every panel shares one weight axis
    assert len({ax.get_ylim() for ax in fig.get_axes()}) == 1


# -- the named values of the text ------------------------------------------------------------


def test_training_values_quote_the_config():
    from synergylib.study import AutoencoderConfig

    config = AutoencoderConfig(learning_rate=0.01, lr_decay=0.5, n_lr_decays=2, tol=1e-4,
                               patience=7, max_epochs=300, n_restarts=4)  # fmt: skip
    values = rep.training_values(config)
    assert values == {"ae_tol": 1e-4, "ae_patience": 7, "ae_lr": 0.01, "ae_lr_final": 0.0025,
                      "ae_n_decays": 2, "ae_max_epochs": 300, "ae_restarts": 4}  # fmt: skip
    assert isinstance(values["ae_patience"], int) and isinstance(values["ae_lr"], float)


def test_convergence_values_known_answer(example_result):
    results = [example_result(0), example_result(1, seed=1)]
    values = rep.convergence_values(results, rep.pairing_table(results))
    # converged: [True, False, True] per participant; epochs [1, 2, 0]
    assert values == {"share_converged": pytest.approx(4 / 6), "n_models": 6, "n_participants": 2,
                      "n_pairings_all_converged": 2, "median_epochs": 1.0}  # fmt: skip


def test_reconstruction_values_known_answer(example_result):
    results = [example_result(0), example_result(1, seed=1)]
    for res in results:
        res.ae_r2_test = np.array([0.4, 0.3, 0.8])  # linear+tanh: the worst and the largest drop
    values = rep.reconstruction_values(rep.reconstruction_table(results))
    assert values["nmf_r2_train"] == 1.0 and values["nmf_r2_test"] == pytest.approx(0.99)
    assert values["best_test_pairing"] == "sigmoid+linear" and values["best_test_r2"] == pytest.approx(0.8)
    assert values["worst_test_pairing"] == "linear+tanh" and values["worst_test_r2"] == pytest.approx(0.3)
    assert values["n_above_nmf_test"] == 0
    assert values["max_gap_pairing"] == "linear+tanh"
    assert values["max_gap"] == pytest.approx(0.705 - 0.3)  # r2_train 0.7 and 0.71
    assert values["nmf_gap"] == pytest.approx(0.01)


def test_restart_values_known_answer(example_result):
    values = rep.restart_values(rep.restart_table([example_result(0), example_result(1, seed=1)]))
    # relative losses of the restarts not kept: relu+relu 2, 4; linear+tanh 1, 1; sigmoid+linear 2, 1
    assert values == {"share_within_1pct": 0.5, "most_spread_pairing": "relu+relu",
                      "most_spread_ratio": 4.0, "least_spread_pairing": "linear+tanh"}  # fmt: skip


def test_synergy_values_known_answer(example_result):
    results = [example_result(0), example_result(1, seed=1)]
    for res in results:
        res.true_synergies = np.eye(4)[:, :3]
    table = rep.pairing_table(results)
    values = rep.synergy_values(results, table)
    # negative weights: relu+relu 1 of 8, linear+tanh none, sigmoid+linear 2 of 8
    assert values["most_negative_pairing"] == "sigmoid+linear"
    assert values["most_negative_share"] == pytest.approx(0.25)
    assert values["least_negative_pairing"] == "linear+tanh" and values["least_negative_share"] == 0.0
    assert values["n_pairings_negative"] == 2
    # relu+relu: a dead synergy and a silent muscle in every participant, nowhere else
    assert values["share_relu_enc_dead"] == 1.0 and values["share_other_enc_dead"] == 0.0
    assert values["share_relu_dec_silent"] == 1.0 and values["share_other_dec_silent"] == 0.0
    relu = table[table["pairing"] == "relu+relu"]
    assert values["relu_dec_zero_share"] == pytest.approx(relu["zero_output_share"].mean())
    assert values["closest_pairing"] == "linear+tanh" and values["closest_cosine"] == pytest.approx(1.0)
    cosines = table.groupby("pairing")["nmf_mean_cosine"].mean()
    assert values["farthest_pairing"] == cosines.idxmin()
    assert values["farthest_cosine"] == pytest.approx(cosines.min())
    assert np.isnan(values["linlin_cosine"])  # linear+linear was not trained here
    assert (values["n_syn_min"], values["n_syn_max"], values["n_true"]) == (2, 2, 3)
    assert values["n_below_true"] == 2
    results[1].true_synergies = np.eye(4)[:, :2]  # N = 2 = K for the second participant
    assert rep.synergy_values(results, table)["n_below_true"] == 1


def test_pca_limit_values_compare_linear_decoders_with_pca():
    import pandas as pd

    rows = [(p, m, r) for p in range(2) for m, r in
            [("NMF", 0.80), ("PCA", 0.90), ("linear+linear", 0.8995), ("relu+linear", 0.85),
             ("sigmoid+linear", 0.8999), ("tanh+linear", 0.70), ("relu+tanh", 0.95)]]
    table = pd.DataFrame(rows, columns=["participant", "model", "r2_train"])
    values = rep.pca_limit_values(table)
    assert values == {"pca_r2_train": 0.90, "linear_decoder_r2_min": 0.70,
                      "linear_decoder_r2_max": 0.8999, "n_at_pca_limit": 2}
    with pytest.raises(SynergyInputError, match="no PCA rows"):
        rep.pca_limit_values(table[table["model"] != "PCA"])
