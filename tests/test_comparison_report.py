"""Tests of synergylib.comparison_report: the tables, grids and sentences of chapter 5."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # tests only; the library never selects a backend

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from synergylib import comparison_report as report
from synergylib._validation import ACTIVATIONS, SynergyInputError
from synergylib.comparison import metrics_table
from synergylib.stats import friedman_test

PAIRINGS = tuple(f"{e}+{d}" for e in ACTIVATIONS for d in ACTIVATIONS)


# --------------------------------------------------------------------------- #
# fixtures
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def fake_result(make_result):
    """A participant whose NMF reconstructs the data exactly and whose pairing k has
    synergies equal to the truth plus noise growing with k."""

    def build(index: int, *, n_muscles=6, n_synergies=2, n_samples=40, seed=0):
        rng = np.random.default_rng([seed, index])
        W = np.abs(rng.standard_normal((n_muscles, n_synergies)))
        W /= np.linalg.norm(W, axis=0)
        H = np.abs(rng.standard_normal((n_synergies, n_samples)))
        P = len(PAIRINGS)
        ae_W = np.stack([W + 0.05 * k * rng.standard_normal(W.shape) for k in range(P)])
        ae_H = np.stack([H + 0.05 * k * rng.standard_normal(H.shape) for k in range(P)])
        r2 = np.linspace(0.95, 0.5, P)
        return make_result(
            W, H, index=index, pairings=PAIRINGS, ae_synergies=ae_W, ae_activations=ae_H,
            truth=(W, H), n_values=np.arange(1, 4), nmf_r2_curve=np.array([0.5, 1.0, 1.0]),
            nmf_r2_train=1.0, nmf_vaf_train=1.0, nmf_r2_test=1.0, ae_r2_train=r2, ae_vaf_train=r2,
            ae_r2_muscle_train=np.tile(r2[:, None], (1, n_muscles)), ae_r2_test=r2 - 0.01,
            ae_n_epochs=np.full(P, 2),
        )

    return build


@pytest.fixture(scope="module")
def results(fake_result):
    return [fake_result(i) for i in range(4)]


@pytest.fixture(scope="module")
def table(results):
    return metrics_table(results)


def story_table(n_participants=8, models=("NMF", "a+b", "relu+tanh", "c+d"), seed=0):
    """Small tidy table: model j has interpretability 0.2 j and reconstruction 1 - 0.1 j."""
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(n_participants):
        for j, m in enumerate(models):
            rows.append(
                {
                    "participant": p,
                    "model": m,
                    "r2_test": 1 - 0.1 * j + 0.01 * rng.standard_normal(),
                    "r2_train": 1 - 0.1 * j + 0.01 * rng.standard_normal(),
                    "true_mean_cosine": 0.2 * j + 0.01 * rng.standard_normal(),
                }
            )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- #
# summaries
# --------------------------------------------------------------------------- #
def test_mean_sd_table_known_values():
    t = pd.DataFrame(
        {"participant": [0, 1, 0, 1], "model": ["NMF", "NMF", "x+y", "x+y"], "r2_test": [0.8, 1.0, 0.5, 0.5]}
    )
    out = report.mean_sd_table(t, ["r2_test"], digits=2)
    assert list(out.index) == ["NMF", "x+y"]
    assert out.iloc[0, 0] == f"0.90 ± {np.std([0.8, 1.0], ddof=1):.2f}"
    assert out.iloc[1, 0] == "0.50 ± 0.00"
    assert out.columns[0] == "R² (held-out)"
    one = report.mean_sd_table(t[t["participant"] == 0], ["r2_test"], labels=False)
    assert one.loc["NMF", "r2_test"] == "0.800"  # one participant: no sd


def test_pairing_grid_places_each_pairing(table):
    grid = report.pairing_grid(table, "r2_test")
    assert list(grid.index) == list(ACTIVATIONS) and list(grid.columns) == list(ACTIVATIONS)
    expected = table[table["model"] == "relu+tanh"]["r2_test"].mean()
    assert grid.loc["relu", "tanh"] == pytest.approx(expected)
    # the fake results give pairing k the R2 0.95 - 0.45 k / 15 - 0.01
    k = PAIRINGS.index("sigmoid+linear")
    assert grid.loc["sigmoid", "linear"] == pytest.approx(np.linspace(0.95, 0.5, 16)[k] - 0.01)
    with pytest.raises(SynergyInputError, match="statistic"):
        report.pairing_grid(table, "r2_test", statistic="max")


def test_per_muscle_r2_nmf_exact_and_ae_stored(results):
    pm = report.per_muscle_r2_table(results)
    assert set(pm.columns) == {"participant", "model", "muscle", "r2_train"}
    assert len(pm) == len(results) * 17 * 6
    assert np.allclose(pm[pm["model"] == "NMF"]["r2_train"], 1.0)  # X = W H exactly
    ae = pm[(pm["model"] == PAIRINGS[3]) & (pm["participant"] == 0)]["r2_train"]
    assert np.allclose(ae, results[0].ae_r2_muscle_train[3])


def test_mean_pairing_similarity_and_summary(results):
    S = report.mean_pairing_similarity(results)
    assert S.shape == (17, 17)
    assert np.allclose(np.diag(S), 1.0)
    assert np.allclose(S.to_numpy(), S.to_numpy().T)
    # pairing 0 has the true synergies exactly, and NMF has them too
    assert S.loc["NMF", PAIRINGS[0]] == pytest.approx(1.0)
    summary = report.similarity_summary(S)
    assert summary["n_pairs"] == 16 * 15 // 2
    assert summary["min"] <= summary["median"] <= summary["max"] <= 1.0


def test_similarity_summary_known_answer():
    names = ["NMF", "a+a", "b+b", "c+c"]
    S = pd.DataFrame(
        [[1, 0, 0, 0], [0, 1, 0.9, 0.2], [0, 0.9, 1, 0.5], [0, 0.2, 0.5, 1]],
        index=names,
        columns=names,
        dtype=float,
    )
    s = report.similarity_summary(S)
    assert s["most_similar"] == "a+a / b+b" and s["least_similar"] == "a+a / c+c"
    assert s["min"] == pytest.approx(0.2) and s["max"] == pytest.approx(0.9)
    assert s["mean"] == pytest.approx((0.9 + 0.2 + 0.5) / 3)
    assert s["share_below"] == pytest.approx(2 / 3)
    assert report.similarity_summary(S, threshold=0.1)["share_below"] == 0.0


# --------------------------------------------------------------------------- #
# statistics
# --------------------------------------------------------------------------- #
def test_friedman_table_matches_friedman_test_and_excludes_nmf_for_ref(table):
    ft = report.friedman_table(table, ["r2_test", "ref_mean_cosine"])
    models = list(dict.fromkeys(table["model"]))
    wide = table.pivot(index="participant", columns="model", values="r2_test")[models]
    direct = friedman_test(wide.to_numpy(), models)
    row = ft.loc["R² (held-out)"]
    assert row["χ²"] == pytest.approx(direct.statistic) and row["p"] == pytest.approx(direct.pvalue)
    assert row["W"] == pytest.approx(direct.kendall_w)
    assert row["k"] == 17 and row["n"] == 4 and row["best"] == "NMF"
    assert ft.loc["cosine to the participant's NMF synergies", "k"] == 16
    html = report.style_friedman(ft).to_html()
    assert "font-weight: bold" in html and ">significant<" not in html


def test_friedman_table_drops_participants_with_nan():
    t = story_table()
    t.loc[(t["participant"] == 0) & (t["model"] == "c+d"), "true_mean_cosine"] = np.nan
    ft = report.friedman_table(t, ["true_mean_cosine"])
    assert ft.iloc[0]["n"] == 7
    assert ft.iloc[0]["best"] == "c+d" and ft.iloc[0]["worst"] == "NMF"


def test_pairwise_table_sign_and_significance():
    t = story_table()
    pw = report.pairwise_table(t, ["true_mean_cosine"], "NMF")
    label = "cosine to ground-truth synergies"
    diff = pw[(label, "median difference")]
    # model j minus NMF (j = 0) is about 0.2 j: positive, and significant (8 participants, 3 tests)
    assert diff["relu+tanh"] == pytest.approx(0.4, abs=0.03)
    assert pw[(label, "significant")].all()
    assert (pw[(label, "p (Holm)")] <= 0.05).all()
    html = report.style_pairwise(pw).to_html()
    assert "#fdd49e" in html and "significant" not in html
    text = report.pairwise_markdown(pw, "NMF")
    assert "3 of 3 models differ significantly" in text and "higher: a+b, relu+tanh, c+d" in text


def test_pairwise_table_too_few_participants_gives_nan():
    t = story_table(n_participants=2)
    pw = report.pairwise_table(t, ["true_mean_cosine"], "NMF")
    assert pw.iloc[:, 0].isna().all() and not pw.iloc[:, 2].any()
    with pytest.raises(SynergyInputError, match="reference"):
        report.pairwise_table(t, ["true_mean_cosine"], "nope")


# --------------------------------------------------------------------------- #
# trade-off
# --------------------------------------------------------------------------- #
def test_tradeoff_points_and_figure(table):
    pts = report.tradeoff_points(table, "r2_test", "true_mean_cosine")
    assert pts.index[0] == "NMF" and len(pts) == 17
    sub = table[table["model"] == "relu+tanh"]
    assert pts.loc["relu+tanh", "x_mean"] == pytest.approx(sub["r2_test"].mean())
    assert pts.loc["relu+tanh", "y_sd"] == pytest.approx(sub["true_mean_cosine"].std(ddof=1))
    fig, ax, _ = report.plot_model_tradeoff(table, "r2_test", "true_mean_cosine")
    assert ax.get_xlabel().startswith("R² (held-out)")
    # after decluttering, no two point labels overlap
    renderer = fig.canvas.get_renderer()
    texts = [t for t in ax.texts if t.get_text() in PAIRINGS]
    for t in texts:
        t.update_positions(renderer)
    boxes = [Text.get_window_extent(t, renderer) for t in texts]  # the text only, not leader lines
    assert len(boxes) == 16
    overlaps = sum(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert overlaps == 0
    plt.close(fig)


def test_metric_grids_and_matrices(results, table):
    fig, axes = report.plot_metric_grids(table, ["r2_test", "negative_mass_share", "consistency"])
    assert len(axes) == 3 and "NMF: 1.00" in axes[0].get_title()
    assert axes[1].images[0].get_cmap().name == "viridis_r"  # lower is better
    plt.close(fig)
    fig, ax = report.plot_similarity_matrix(report.mean_pairing_similarity(results))
    assert len(ax.get_xticklabels()) == 17
    assert ax.images[0].get_clim()[1] == 1.0
    plt.close(fig)
    fig, ax = report.plot_similarity_matrix(report.mean_pairing_similarity(results), vmin=-1.0)
    assert ax.images[0].get_clim() == (-1.0, 1.0)
    plt.close(fig)
    fig, ax = report.plot_per_muscle_r2(report.per_muscle_r2_table(results))
    assert len(ax.get_yticklabels()) == 17
    plt.close(fig)


def test_metric_grids_share_one_scale_and_one_colour_bar_per_quantity(table):
    metrics = ["r2_test", "r2_train", "negative_mass_share"]
    fig, axes = report.plot_metric_grids(table, metrics)
    assert len(fig.axes) == 3 + 2  # three heat maps, one colour bar for R², one for the share
    clims = [ax.images[0].get_clim() for ax in axes]
    assert clims[0] == clims[1]
    both = np.concatenate([report.pairing_grid(table, m).to_numpy(dtype=float).ravel() for m in metrics[:2]])
    assert clims[0] == pytest.approx((np.nanmin(both), np.nanmax(both)))
    share = report.pairing_grid(table, "negative_mass_share").to_numpy(dtype=float)
    assert clims[2] == pytest.approx((np.nanmin(share), np.nanmax(share)))
    bars = [ax for ax in fig.axes if ax not in list(axes)]
    assert any("R²" in ax.get_ylabel() for ax in bars)
    plt.close(fig)
    fig, axes = report.plot_metric_grids(table, metrics, share_scales=False)
    assert len(fig.axes) == 3 + 3
    plt.close(fig)
    assert report.METRIC_QUANTITIES["true_mean_cosine"] == report.METRIC_QUANTITIES["consistency"]
    from synergylib.comparison import METRICS

    directions = {}  # the metrics of one quantity agree on which end is better
    for metric, quantity in report.METRIC_QUANTITIES.items():
        directions.setdefault(quantity, set()).add(METRICS[metric][1])
    assert all(len(d) == 1 for d in directions.values())


# --------------------------------------------------------------------------- #
# claims
# --------------------------------------------------------------------------- #
def test_claims_markdown_follows_the_verdicts():
    claims = pd.DataFrame({"claim": [1, 2, 3], "statement": ["One.", "Two.", "Three."],
                           "verdict": ["holds", "does not hold", "holds"],
                           "evidence": ["p = 0.01", "rho = 0.1", "p = 0.03"]})
    text = report.claims_markdown(claims)
    lines = text.splitlines()
    assert len(lines) == 3
    for line, verdict in zip(lines, claims["verdict"]):
        assert f"**{verdict}**" in line
        assert f"**{report.VERDICT_AGREEMENT[verdict]}**" in line
    with pytest.raises(SynergyInputError, match="verdict"):
        report.claims_markdown(claims.drop(columns="verdict"))


def test_metric_choices_follow_the_signature():
    choices = report.metric_choices()
    assert list(choices["parameter"]) == ["similarity_threshold", "active_threshold", "active_rule"]
    assert choices.loc[0, "value"] == "0.8"
    assert choices["description"].str.len().gt(0).all()


# --------------------------------------------------------------------------- #
# the named values of the text
# --------------------------------------------------------------------------- #
def test_study_values_describe_the_study(fake_result):
    results = [fake_result(0), fake_result(1, n_synergies=3), fake_result(2)]
    values = report.study_values(results, 0.8)
    assert values == {"n_participants": 3, "n_pairings": 16, "n_models": 17, "n_min": 2,
                      "n_max": 3, "n_true": 2, "n_rule_at_true": 2, "n_rule_within_one": 3,
                      "r2_threshold": 0.8}  # fmt: skip
    results[0].n_rule = 5  # a study at another N than the rule's: the rule's N is counted
    values = report.study_values(results, 0.8)
    assert (values["n_max"], values["n_rule_at_true"], values["n_rule_within_one"]) == (5, 1, 2)
    with pytest.raises(SynergyInputError, match="non-empty"):
        report.study_values([], 0.8)


def test_tradeoff_values_rank_correlations_without_nmf():
    points = pd.DataFrame({"x_mean": [0.99, 0.9, 0.8, 0.7], "y_mean": [0.0, 0.5, 0.6, 0.7]},
                          index=["NMF", "a+b", "c+d", "e+f"])  # fmt: skip
    points_nmf = points.assign(y_mean=[9.0, 0.9, 0.8, 0.7])
    values = report.tradeoff_values(points, points_nmf)
    assert values == {"rho_truth": pytest.approx(-1.0), "rho_nmf": pytest.approx(1.0)}  # NMF left out


# --------------------------------------------------------------------------- #
# Two N, chance levels, the rules
# --------------------------------------------------------------------------- #
def _truth_results(make_result, *, random_pairing: bool, n=4, seed=0):
    from synergylib.similarity import random_synergies

    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        W = rng.random((8, 3)) + 0.01
        W /= np.linalg.norm(W, axis=0)
        H = rng.random((3, 90))
        W_ae = random_synergies(8, 3, random_state=rng) if random_pairing else W
        out.append(make_result(W, H, index=i, ae_synergies=W_ae[None], truth=(W, H)))
    return out


def test_headline_draws_pca_and_one_chance_band_per_kind(make_result):
    import matplotlib.pyplot as plt

    from synergylib.comparison import chance_table

    results = _truth_results(make_result, random_pairing=True)
    table = metrics_table(results, pca=True)
    chance = chance_table(results, columns=("true_mean_cosine",), n_draws=200)
    fig, ax, points = report.plot_headline(table, chance, highlight=("relu+tanh",))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ["NMF, same N", "PCA, same N (centred)"]
    assert sum("chance: random" in t for t in labels) == 2
    assert {"NMF", "PCA", "relu+tanh"} <= set(points.index)
    bands = [p for p in ax.patches if p.get_label().startswith("chance")]
    top = chance[chance["kind"] == "nonnegative"]["q95"].mean()
    assert any(np.isclose(b.get_y() + b.get_height(), top)
               for b in bands)
    plt.close(fig)


def test_two_n_table_puts_each_n_beside_the_other(make_result):
    rule = metrics_table(_truth_results(make_result, random_pairing=False))
    true = rule.assign(r2_test=rule["r2_test"] - 0.5)
    out = report.two_n_table({"rule": rule, "true": true}, ["r2_test"])
    label = report.metric_label("r2_test")
    assert list(out.columns) == [(label, "the rule's N"), (label, "the true N")]
    np.testing.assert_allclose(out[(label, "the rule's N")] - out[(label, "the true N")], 0.5)


def test_chance_markdown_names_the_models_within_chance(make_result):
    from synergylib.comparison import chance_table

    results = _truth_results(make_result, random_pairing=True)
    table = metrics_table(results)
    chance = chance_table(results, columns=("true_mean_cosine",), n_draws=200)
    text = report.chance_markdown(table, chance, "true_mean_cosine")
    assert "score within chance" in text and "relu+tanh" in text and "NMF (" not in text
    exact = metrics_table(_truth_results(make_result, random_pairing=False))
    assert "No model's mean lies within" in report.chance_markdown(exact, chance, "true_mean_cosine")


def test_error_rates_table_says_what_each_rate_measures():
    rates = pd.DataFrame({"claim": [3, 3], "scenario": ["tied_top", "true"], "claim_true": [False, True],
                          "rate_holds": [0.08, 0.7], "mc_se": [0.019, 0.032], "n_simulations": [200, 200],
                          "within_nominal": [False, None]})
    out = report.error_rates_table(rates)
    assert list(out["measures"]) == ["false-positive rate", "power"]
    assert list(out["within α + 2 MC se"]) == ["NO", ""]
    assert out.loc[0, "share saying 'holds'"] == "0.080 ± 0.019"


def test_plot_against_n_draws_one_line_per_model_through_every_n():
    rows = [(p, n, m, 0.1 * n + (0.5 if m == "NMF" else 0.0)) for p in range(2) for n in (2, 4, 6)
            for m in ("NMF", "PCA", "relu+tanh", "linear+linear")]
    table = pd.DataFrame(rows, columns=["participant", "N", "model", "r2_test"])
    fig, axes, means = report.plot_against_n(table, ["r2_test"])
    lines = {line.get_label(): line for line in axes[0].get_lines()}
    assert set(lines) == {"NMF", "PCA", "relu+tanh", "linear+linear"}
    np.testing.assert_allclose(lines["NMF"].get_ydata(), [0.7, 0.9, 1.1])
    np.testing.assert_allclose(lines["relu+tanh"].get_xdata(), [2, 4, 6])
    assert lines["relu+tanh"].get_linewidth() > lines["linear+linear"].get_linewidth()
    assert len(means) == 4 * 3
    plt.close(fig)
    table.loc[table["model"] == "PCA", "r2_test"] = -3.0  # a failed fit: below the floor
    fig, axes, _ = report.plot_against_n(table, ["r2_test"])
    assert axes[0].get_ylim()[0] == -0.5
    assert "1 model(s) fall below -0.5" in axes[0].texts[0].get_text()
    plt.close(fig)


def test_ranking_note_says_which_restarts_each_claim_ranks():
    from synergylib.claims import ClaimRuleResult

    pairings = ["a+a", "b+b", "c+c"]
    r2 = ClaimRuleResult(2, "", 0.0, 1.0, "does not hold", details={"best_interpretability": 1})
    r3 = ClaimRuleResult(3, "", 0.0, 1.0, "holds", details={"means": {"a+a": 0.7, "b+b": 0.6, "c+c": 0.5}})
    rules = pd.DataFrame({"claim": [2, 3], "result": [r2, r3]})
    text = report.ranking_note(rules, pairings)
    assert "put b+b first" in text and "puts a+a first (0.700 against 0.600 for b+b)" in text
    same = pd.DataFrame({"claim": [2, 3], "result": [ClaimRuleResult(
        2, "", 0.0, 1.0, "does not hold", details={"best_interpretability": 0}), r3]})
    assert report.ranking_note(same, pairings).startswith("Both rankings put a+a first")
    with pytest.raises(SynergyInputError, match="claims 2 and 3"):
        report.ranking_note(rules[rules["claim"] == 2], pairings)
