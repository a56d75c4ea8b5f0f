"""Tests of synergylib.chapters.identifiability on hand-built networks and results with known answers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # the test module selects the backend, never the library

from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from synergylib._validation import SynergyInputError
from synergylib.autoencoder import SynergyAutoencoder
from synergylib.chapters import identifiability as chapter
from synergylib.claims import synergy_set_dissimilarity
from synergylib.identifiability import mixed_network, mixing_effect, network_weights, sign_preserving_mixing
from synergylib.metrics import match_synergies


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def X():
    rng = np.random.default_rng(2)
    return rng.random((200, 3)) @ rng.random((3, 8)) / 2.0


def _network(encoder, decoder="linear", *, bias=0.5, seed=0, n=3, m=8, scale=1.0):
    rng = np.random.default_rng(seed)
    return SynergyAutoencoder.from_weights(
        scale * rng.normal(size=(n, m)), np.full(n, bias), rng.normal(size=(m, n)), rng.normal(size=m) * 0.1,
        encoder=encoder, decoder=decoder)


# -- mixings -------------------------------------------------------------------------------------

def test_random_mixing_is_seeded_and_well_conditioned():
    A = chapter.random_mixing(4, random_state=3, max_condition=20.0)
    np.testing.assert_array_equal(A, chapter.random_mixing(4, random_state=3, max_condition=20.0))
    assert np.linalg.cond(A) <= 20.0
    assert not np.allclose(A, chapter.random_mixing(4, random_state=4, max_condition=20.0))


def test_a_shear_turns_synergy_j_into_itself_minus_synergy_i():
    # W_d = [e1, e2, e3] (raw columns of unit norm): after the shear A = I + 2 e_1 e_3^T,
    # column 3 is e3 - 2 e1 (normalised), columns 1 and 2 are unchanged
    ae = SynergyAutoencoder.from_weights(np.eye(3, 4), np.zeros(3), np.eye(4, 3), np.zeros(4),
                                         encoder="linear", decoder="linear")
    A = chapter.shear_mixing(3, 0, 2, 2.0)
    np.testing.assert_allclose(np.linalg.inv(A), np.eye(3) - 2.0 * np.outer(np.eye(3)[0], np.eye(3)[2]))
    W = mixed_network(ae, A).synergies_
    np.testing.assert_allclose(W[:, :2], np.eye(4, 3)[:, :2])
    np.testing.assert_allclose(W[:, 2], np.array([-2.0, 0.0, 1.0, 0.0]) / np.sqrt(5.0))
    x = np.array([[0.3, 0.5, 0.2, 0.9]])
    np.testing.assert_allclose(mixed_network(ae, A).transform(x)[0, 0], 0.3 + 2.0 * 0.2)  # h_1 + a h_3


def test_sign_flip_and_nonnegative_mixing_are_what_they_say():
    np.testing.assert_array_equal(chapter.sign_flip(3, 2), np.diag([1.0, 1.0, -1.0]))
    mask = np.array([True, False, True, True])
    A = chapter.nonnegative_mixing(4, strength=0.7, units=mask, random_state=5)
    assert (A >= 0).all() and np.all(np.diag(A) == 1.0)
    assert np.all(A[1, [0, 2, 3]] == 0) and np.all(A[[0, 2, 3], 1] == 0)
    assert A[0, 2] > 0 and A[3, 0] > 0
    full = chapter.nonnegative_mixing(4, strength=0.7, random_state=5)
    assert full[1, 0] > 0  # the same draws, now between every pair


def test_nonnegative_mixing_among_always_on_units_is_sign_preserving_mixing(X):
    ae = _network("relu", "tanh", bias=50.0)
    ae.encoder_bias_[1] = -50.0  # unit 2 off everywhere: not mixed
    on = ae.encoder_weights_ @ X.T + ae.encoder_bias_[:, None] > 0
    mask = on.all(axis=1)
    assert mask.tolist() == [True, False, True]
    np.testing.assert_array_equal(
        chapter.nonnegative_mixing(3, strength=0.8, units=mask, random_state=1),
        sign_preserving_mixing(ae, X, strength=0.8, random_state=1))


def test_bad_mixing_arguments_are_refused():
    with pytest.raises(SynergyInputError, match="two different units"):
        chapter.shear_mixing(3, 1, 1)
    with pytest.raises(SynergyInputError, match="boolean mask of length 3"):
        chapter.nonnegative_mixing(3, strength=1.0, units=[1, 0, 1])
    with pytest.raises(SynergyInputError, match="strength"):
        chapter.nonnegative_mixing(3, strength=-1.0)
    with pytest.raises(SynergyInputError, match="k"):
        chapter.sign_flip(3, 3)


# -- the rest level of a sigmoid encoder -----------------------------------------------------------

def test_a_sigmoid_flip_is_exact_once_the_decoder_bias_takes_the_column(X):
    ae = _network("sigmoid", "tanh")
    flip = chapter.sign_flip(3, 1)
    plain = mixed_network(ae, flip)
    assert np.abs(plain.reconstruct(X) - ae.reconstruct(X)).max() > 0.05
    centred = chapter.centred_mixed_network(ae, flip)
    np.testing.assert_allclose(centred.reconstruct(X), ae.reconstruct(X), atol=1e-12)
    _, _, W_d, b_d = network_weights(ae)
    np.testing.assert_allclose(network_weights(centred)[3], b_d + W_d[:, 1])  # b_d' = b_d + w_k


def test_centred_mixing_is_plain_mixing_for_encoders_at_rest_at_zero(X):
    A = chapter.random_mixing(3, random_state=0)
    for encoder in ("linear", "relu", "tanh"):
        ae = _network(encoder)
        np.testing.assert_array_equal(chapter.centred_mixed_network(ae, A).reconstruct(X),
                                      mixed_network(ae, A).reconstruct(X))


def test_a_small_centred_mixing_is_nearly_invisible_in_the_sigmoids_linear_range(X):
    ae = _network("sigmoid", scale=0.01, bias=0.0)  # inputs near 0: sigmoid nearly linear
    A = chapter.nonnegative_mixing(3, strength=0.5)
    change = lambda net: np.abs(net.reconstruct(X) - ae.reconstruct(X)).max()  # noqa: E731
    assert change(chapter.centred_mixed_network(ae, A)) < 1e-4 < change(mixed_network(ae, A))


# -- what a mixing changes --------------------------------------------------------------------------

def test_mixing_table_on_a_linear_network(X):
    ae = _network("linear", "tanh")
    mixings = {"random": chapter.random_mixing(3), "identity": np.eye(3)}
    table = chapter.mixing_table(ae, X, mixings, W_true=ae.synergies_)
    assert list(table.index) == ["random", "identity"]
    assert table["max_output_change"].max() < 1e-10
    assert np.abs(table["loss_change"]).max() < 1e-10
    assert table.loc["identity", "abs_cos_original"] == pytest.approx(1.0)
    assert table.loc["random", "abs_cos_original"] < 0.95
    assert table["abs_cos_true_before"].tolist() == pytest.approx([1.0, 1.0])
    assert table.loc["random", "abs_cos_true_after"] == pytest.approx(table.loc["random", "abs_cos_original"])
    effect = mixing_effect(ae, X, mixings["random"])  # the same numbers as the library's summary
    assert table.loc["random", "r2_after"] == pytest.approx(effect.r2_after)
    assert table.loc["random", "cos_original"] == pytest.approx(effect.synergy_cosine)
    assert "abs_cos_true_before" not in chapter.mixing_table(ae, X, mixings).columns


def test_mixing_table_sees_a_sign_flip_only_in_the_signed_cosine(X):
    table = chapter.mixing_table(_network("tanh"), X, {"flip": chapter.sign_flip(3, 0)})
    assert table.loc["flip", "max_output_change"] < 1e-12
    assert table.loc["flip", "abs_cos_original"] == pytest.approx(1.0)
    assert table.loc["flip", "cos_original"] == pytest.approx(1.0 / 3.0)  # (-1 + 1 + 1) / 3


def test_style_mixing_table_writes_tiny_changes_in_scientific_notation(X):
    table = chapter.mixing_table(_network("linear"), X, {"random": chapter.random_mixing(3)})
    html = chapter.style_mixing_table(table).to_html()
    assert "largest output change" in html and "e-1" in html
    with pytest.raises(SynergyInputError, match="mixing_table"):
        chapter.style_mixing_table(pd.DataFrame({"other": [1.0]}))


def test_mixing_path_known_answers(X):
    lin, tanh = _network("linear"), _network("tanh", scale=2.0)
    D = chapter.nonnegative_mixing(3, strength=1.0) - np.eye(3)
    s = [0.0, 0.1, 0.5, 1.0]
    p = chapter.mixing_path(lin, X, D, s)
    assert list(p.columns) == ["strength", "loss_change", "r2_after", "max_output_change", "synergy_distance"]
    assert np.abs(p["loss_change"]).max() < 1e-10
    assert p["synergy_distance"].iloc[0] == pytest.approx(0.0, abs=1e-12)
    expected = synergy_set_dissimilarity(lin.synergies_, mixed_network(lin, np.eye(3) + 0.5 * D).synergies_)
    assert p["synergy_distance"].iloc[2] == pytest.approx(expected)
    q = chapter.mixing_path(tanh, X, D, s)
    assert q["loss_change"].iloc[0] == pytest.approx(0.0, abs=1e-12)
    assert q["loss_change"].iloc[-1] > 1e-3  # tanh sees a large mixing
    with pytest.raises(SynergyInputError, match="3 x 3"):
        chapter.mixing_path(lin, X, np.eye(2), s)
    with pytest.raises(SynergyInputError, match="non-negative"):
        chapter.mixing_path(lin, X, D, [-0.1])


def test_unit_states_of_a_hand_built_relu_encoder():
    # z_1 = x_1 + 1 > 0 always; z_2 = x_2 - 0.5 on for one sample; z_3 = -1 never
    ae = SynergyAutoencoder.from_weights(np.eye(3, 2), np.array([1.0, -0.5, -1.0]), np.ones((2, 3)),
                                         np.zeros(2), encoder="relu", decoder="linear")
    states = chapter.unit_states(ae, np.array([[0.1, 0.2], [0.2, 0.9]]))
    assert states["state"].tolist() == ["always on", "sometimes on", "never on"]
    assert states["share_on"].tolist() == [1.0, 0.5, 0.0]
    assert list(states.index) == ["S1", "S2", "S3"]
    with pytest.raises(SynergyInputError, match="fitted SynergyAutoencoder"):
        chapter.unit_states(SynergyAutoencoder(2), np.ones((2, 2)))


# -- equal-loss restarts of a hand-built result ----------------------------------------------------

@pytest.fixture(scope="module")
def study_result(make_result):
    """4 muscles, N = 2, pairings linear+linear and relu+tanh, 3 restarts each.

    linear+linear: restarts 0 and 1 are within 1 % (1.0, 1.005) and restart 1 is restart 0
    mixed by a shear (same span, other synergies); restart 2 is not (1.5).
    relu+tanh: only restart 0 is within 1 %.
    """
    W0 = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    A = chapter.shear_mixing(2, 0, 1, 1.0)
    W_e0 = W0.T.copy()
    b_e0 = np.zeros(2)
    enc = np.stack([
        np.stack([W_e0, A @ W_e0, W_e0]),
        np.stack([W_e0, W_e0, W_e0]),
    ])
    dec = np.stack([
        np.stack([W0, W0 @ np.linalg.inv(A), W0[:, ::-1]]),
        np.stack([W0, W0, W0]),
    ])
    H = np.random.default_rng(0).random((2, 10))
    unit = W0 / np.linalg.norm(W0, axis=0)
    return make_result(
        unit, H, pairings=("linear+linear", "relu+tanh"), truth=(unit, H),
        ae_restart_losses=np.array([[1.0, 1.005, 1.5], [1.0, 2.0, 3.0]]),
        ae_restart_encoder_weights=enc, ae_restart_encoder_bias=np.zeros((2, 3, 2)),
        ae_restart_decoder_weights=dec, ae_restart_decoder_bias=np.zeros((2, 3, 4)),
        ae_best_restart=np.array([0, 0]), ae_hyperparameters="",
    ), unit, A


def test_equal_loss_table_measures_the_sets(study_result):
    result, W0, A = study_result
    table = chapter.equal_loss_table([result])
    assert list(table["pairing"]) == ["linear+linear", "relu+tanh"]
    lin = table.iloc[0]
    assert lin["set_size"] == 2 and lin["n_restarts"] == 3
    W1 = W0 @ np.linalg.inv(A)
    assert lin["within_distance"] == pytest.approx(synergy_set_dissimilarity(W0, W1))
    assert lin["within_distance"] > 0.1
    assert lin["within_subspace"] == pytest.approx(1.0)  # a mixing keeps the span
    assert lin["score_kept"] == pytest.approx(1.0)  # restart 0 is the truth
    assert lin["score_min"] == pytest.approx(match_synergies(W0, W1).mean_cosine)
    relu = table.iloc[1]
    assert relu["set_size"] == 1 and np.isnan(relu["within_distance"])

    summary = chapter.equal_loss_summary(table)
    assert summary.loc["linear+linear", "n_sets"] == 1 and summary.loc["relu+tanh", "n_sets"] == 0
    assert summary.loc["linear+linear", "mean_set_size"] == 2.0
    assert np.isnan(summary.loc["relu+tanh", "within_distance"])

    values = chapter.equal_loss_values({"rule": table}, chance=0.6)
    assert values["share_multi_rule"] == 0.5
    assert values["most_spread_pairing_rule"] == "linear+linear"
    assert "nearly the same space" in values["sets_sentence_rule"]
    assert "50% of the 2 participant-pairing cells" in values["sets_sentence_rule"]

    fig, ax = chapter.plot_within_set_distance({"rule": table, "true": table}, chance=0.6)
    assert ax.get_ylabel().startswith("Synergy distance") and ax.get_xlabel().startswith("Pairing")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["linear+linear", "relu+tanh"]


def test_equal_loss_values_without_any_set(study_result):
    result, _, _ = study_result
    table = chapter.equal_loss_table([result], tolerance=0.0)  # 1.005 is no longer equal
    assert (table["set_size"] == 1).all()
    values = chapter.equal_loss_values({"true": table}, chance=0.6)
    assert "No pairing has such a set" in values["sets_sentence_true"]
    assert values["most_spread_pairing_true"] == "none"


def test_equal_loss_helpers_refuse_bad_input(make_result):
    hand_built = make_result(np.eye(3, 2), np.random.default_rng(0).random((2, 5)))
    with pytest.raises(SynergyInputError, match="no restarts' parameters"):
        chapter.equal_loss_table([hand_built])
    with pytest.raises(SynergyInputError, match="non-empty sequence"):
        chapter.equal_loss_table([])
    with pytest.raises(SynergyInputError, match="lacks the columns"):
        chapter.equal_loss_summary(pd.DataFrame({"pairing": ["a"]}))
    with pytest.raises(SynergyInputError, match="non-empty mapping"):
        chapter.plot_within_set_distance({})


def test_chance_distance_known_answers():
    # one muscle, one synergy: every random signed "synergy" is +-1, so |cos| = 1 and d = 0
    assert chance_distance_of(1, 1) == pytest.approx(0.0)
    d = chance_distance_of(16, 6)
    assert 0.4 < d < 0.9 and d == chance_distance_of(16, 6)


def chance_distance_of(n_muscles, n_synergies):
    result = SimpleNamespace(muscles=tuple(f"m{i}" for i in range(n_muscles)), n_synergies=n_synergies)
    return chapter.chance_distance([result, result], n_draws=50)


# -- claim 3 -------------------------------------------------------------------------------------

def _scores():
    nan = np.nan
    S = np.array([
        [[0.5, nan, nan], [0.4, 0.9, 0.1], [0.3, nan, nan]],
        [[0.5, nan, nan], [0.4, 0.8, 0.2], [0.3, nan, nan]],
    ])
    return S, ["a", "relu+tanh", "c"]


def test_claimed_ranks_and_claim3_values_known_answers():
    S, pairings = _scores()
    ranks = chapter.claimed_ranks({"rule": S}, pairings)
    assert list(ranks.index) == list(chapter.RANK_ROWS)
    assert ranks[("rule", "mean score")].tolist() == pytest.approx([0.4, 0.85, 0.15])
    assert ranks[("rule", "rank")].tolist() == [2, 1, 3]
    values = chapter.claim3_values({"rule": S}, pairings)
    assert (values["kept_rank_rule"], values["best_rank_rule"], values["worst_rank_rule"]) == ("2nd", "1st", "3rd")
    assert values["leader_rule"] == "a" and values["leader_mean_rule"] == pytest.approx(0.5)
    assert values["n_sets_rule"] == 2 and values["share_typical_rule"] == 1.0
    assert values["mean_range_rule"] == pytest.approx(0.7)
    assert values["sentence_rule"].startswith("For 2 participants, relu+tanh has two or more")
    single = S[:, :, :1]  # no set of two
    assert chapter.claim3_values({"true": single}, pairings)["sentence_true"].startswith("No participant")
    with pytest.raises(SynergyInputError, match="not among the pairings"):
        chapter.claimed_ranks({"rule": S}, ["a", "b", "c"])
    with pytest.raises(SynergyInputError, match="must be"):
        chapter.claim3_values({"rule": S[:, :2]}, pairings)


# -- the named values of the other sections ----------------------------------------------------------

def test_relu_values_generate_each_branch_from_the_numbers():
    states = {
        "relu+tanh": pd.DataFrame({"share_on": [1.0, 1.0, 0.9],
                                   "state": ["always on", "always on", "sometimes on"]}),
        "relu+linear": pd.DataFrame({"share_on": [1.0, 0.0, 0.5],
                                     "state": ["always on", "never on", "sometimes on"]}),
    }
    row = dict(r2_before=0.8, r2_after=0.8, max_output_change=1e-15, loss_change=0.0, abs_cos_original=0.7,
               cos_original=0.6)
    worse = dict(row, r2_after=0.5, max_output_change=0.3, loss_change=0.4, abs_cos_original=0.5)
    slight = dict(worse, r2_after=0.7999, loss_change=0.004)
    tables = {
        "relu+tanh": pd.DataFrame({"on": row, "all": slight}).T,
        "relu+linear": pd.DataFrame({"on": row, "all": worse}).T,
    }
    v = chapter.relu_values(states, tables, on_row="on", all_row="all")
    assert v["relu_tanh_n_on"] == 2 and v["relu_linear_n_on"] == 1 and v["relu_linear_n_dead"] == 1
    assert "2 of the 3 units are on for every training sample" in v["relu_tanh_sentence"]
    assert "One unit is on for only part of the samples (90.0%)" in v["relu_tanh_sentence"]
    assert "within the 1% of an equal-loss restart" in v["relu_tanh_sentence"]
    assert "only one of the 3 units is on" in v["relu_linear_sentence"]
    assert "more than the 1%" in v["relu_linear_sentence"]
    assert "One unit never turns on" in v["relu_linear_sentence"]
    with pytest.raises(SynergyInputError, match="no row 'missing'"):
        chapter.relu_values(states, tables, on_row="missing", all_row="all")


def test_linear_saturating_and_path_values_read_the_right_rows(X):
    lin = chapter.mixing_table(_network("linear"), X, {"r": chapter.random_mixing(3),
                                                      "s": chapter.shear_mixing(3, 0, 1)}, W_true=np.eye(8, 3))
    v = chapter.linear_values(lin, random="r", shear="s")
    assert v["lin_random_cos"] == lin.loc["r", "abs_cos_original"] and v["lin_shear_cos"] < 1.0
    assert v["lin_max_change"] < 1e-10
    mix = {"flip": chapter.sign_flip(3, 0), "small": chapter.nonnegative_mixing(3, strength=0.05)}
    sig = _network("sigmoid")
    table = pd.concat({"t": chapter.mixing_table(_network("tanh"), X, mix),
                       "s": chapter.mixing_table(sig, X, mix),
                       "sc": chapter.mixing_table(sig, X, mix, centred=True)})
    w = chapter.saturating_values(table, tanh="t", sigmoid="s", sigmoid_centred="sc", flip="flip", small="small")
    assert w["tanh_flip_change"] < 1e-12 and w["sigmoid_flip_change_centred"] < 1e-12
    assert w["sigmoid_flip_r2_plain"] == table.loc[("s", "flip"), "r2_after"]
    assert abs(w["sigmoid_flip_r2_plain"] - w["sigmoid_flip_r2_before"]) > 0.1  # the plain flip is another network
    assert w["tanh_flip_cos"] == pytest.approx(1.0 / 3.0)
    paths = {"exact": pd.DataFrame({"loss_change": [0.0, 1e-16], "synergy_distance": [0.0, 0.4]}),
             "costly": pd.DataFrame({"loss_change": [0.001, 0.02], "synergy_distance": [0.05, 0.3]})}
    p = chapter.path_values(paths, tolerance=0.01)
    assert p["paths_sentence"] == "exact: 0.4; costly: 0.05"
    assert p["path_max_label"] == "exact" and p["path_max_distance"] == 0.4


# -- figures --------------------------------------------------------------------------------------

def test_plot_mixed_synergies_aligns_order_and_sign():
    W = np.abs(np.random.default_rng(1).normal(size=(5, 3)))
    W /= np.linalg.norm(W, axis=0)
    W_mixed = -W[:, [2, 0, 1]]  # the same synergies, permuted and flipped
    fig, axes, match = chapter.plot_mixed_synergies(W, W_mixed, list("ABCDE"), ncols=2)
    assert len(axes) == 3 and match.mean_cosine == pytest.approx(1.0)
    for k, ax in enumerate(axes):
        mixed = [bar.get_height() for bar in ax.containers[0]]
        original = [bar.get_height() for bar in ax.containers[1]]
        np.testing.assert_allclose(mixed, original)
        np.testing.assert_allclose(original, W[:, k])
        assert ax.get_xlabel() == "Muscle"
    assert axes[0].get_ylabel() == "Weight" and axes[1].get_ylabel() == ""
    assert axes[0].get_title() == "S1: |cos| 1.00"
    with pytest.raises(SynergyInputError, match="same 2-D shape"):
        chapter.plot_mixed_synergies(W, W[:, :2], list("ABCDE"))


def test_plot_mixing_paths_draws_one_line_per_path_and_the_tolerance():
    paths = {"a": pd.DataFrame({"loss_change": [0.0, 1e-3], "synergy_distance": [0.0, 0.2]}),
             "b": pd.DataFrame({"loss_change": [-1e-4, 0.5], "synergy_distance": [0.0, 0.3]})}
    fig, ax = chapter.plot_mixing_paths(paths, floor=1e-9)
    lines = ax.get_lines()
    assert len(lines) == 3  # two paths and the tolerance
    np.testing.assert_allclose(lines[0].get_xdata(), [1e-9, 1e-3])  # an exact invariance at the floor
    np.testing.assert_allclose(lines[1].get_xdata(), [1e-4, 0.5])  # |loss change|
    assert ax.get_xscale() == "log" and "loss" in ax.get_xlabel() and "Synergy" in ax.get_ylabel()
    with pytest.raises(SynergyInputError, match="not a mixing_path table"):
        chapter.plot_mixing_paths({"x": pd.DataFrame({"a": [1]})})
    _, given = plt.subplots()
    assert chapter.plot_mixing_paths(paths, ax=given)[1] is given


def test_relu_values_never_round_a_part_to_the_whole():
    states = {"relu+linear": pd.DataFrame({"share_on": [1.0, 1.0, 0.99991, 0.99995],
                                           "state": ["always on", "always on", "sometimes on", "sometimes on"]})}
    row = dict(r2_before=0.8, r2_after=0.8, max_output_change=1e-15, loss_change=0.0, abs_cos_original=0.7,
               cos_original=0.6)
    tables = {"relu+linear": pd.DataFrame({"on": row, "all": dict(row, loss_change=-2e-6)}).T}
    text = chapter.relu_values(states, tables, on_row="on", all_row="all")["relu_linear_sentence"]
    assert "are on for only part of the samples (more than 99.9%)" in text and "100.0%" not in text
    assert "the loss changes by less than 0.01%" in text and "-0.00%" not in text
