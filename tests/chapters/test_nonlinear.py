"""Tests of synergylib.chapters.nonlinear (the lead over the runner-up, the metric-sweep figure,
the named values of the non-linear mixing chapter)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # the test module selects the backend, never the library

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from synergylib._validation import SynergyInputError
from synergylib.chapters import nonlinear as chapter
from synergylib.sweeps import sweep_means, sweep_summary

from sweep_tables import COS_A, PAIRINGS, R2_A, synthetic_table, two_variant_sweep


@pytest.fixture
def sweep():
    return two_variant_sweep()


def test_sweep_margins_gives_the_lead_over_the_runner_up_and_its_paired_test(sweep):
    margins = chapter.sweep_margins(sweep, "true_mean_cosine")
    assert list(margins.index) == ["A", "B"]
    # A: NMF 0.90 ahead of relu+tanh 0.85 for all 6 participants: the exact two-sided
    # Wilcoxon p-value of 6 differences of one sign is 2 / 2**6
    assert margins.loc["A", ["best", "runner_up"]].tolist() == ["NMF", "relu+tanh"]
    assert margins.loc["A", "lead"] == pytest.approx(0.05, abs=0.002)
    assert margins.loc["A", "pvalue"] == pytest.approx(2 / 2**6)
    assert margins.loc["A", "participants"] == 6
    # B without NMF: linear+linear 0.72 ahead of tanh+relu 0.71
    b = chapter.sweep_margins(sweep, "true_mean_cosine", candidates=PAIRINGS).loc["B"]
    assert (b["best"], b["runner_up"]) == ("linear+linear", "tanh+relu")
    assert b["lead"] == pytest.approx(0.01, abs=0.002)
    # lower is better: the lead is still positive for the best model
    neg = chapter.sweep_margins(sweep, "negative_weight_share", candidates=PAIRINGS).loc["A"]
    assert (neg["best"], neg["runner_up"]) == ("linear+linear", "relu+tanh")
    assert neg["lead"] == pytest.approx(0.1)


def test_sweep_margins_finds_no_difference_in_a_coin_flip_lead():
    rows = []
    for p in range(8):  # a leads by 0.01 on average, but b is ahead for half the participants
        d = 0.05 if p % 2 == 0 else -0.03
        rows += [{"variant": "A", "participant": p, "model": "a", "true_mean_cosine": 0.8 + d},
                 {"variant": "A", "participant": p, "model": "b", "true_mean_cosine": 0.8}]
    margins = chapter.sweep_margins(pd.DataFrame(rows), "true_mean_cosine").loc["A"]
    assert (margins["best"], margins["runner_up"]) == ("a", "b")
    assert margins["lead"] == pytest.approx(0.01)
    assert margins["pvalue"] > 0.2  # far from significant (T+ = 26, T- = 10 of 36)
    with pytest.raises(SynergyInputError, match="at least two"):
        chapter.sweep_margins(pd.DataFrame(rows), "true_mean_cosine", candidates=["a"])
    with pytest.raises(SynergyInputError, match="Unknown metric"):
        chapter.sweep_margins(pd.DataFrame(rows), "r2")


def test_plot_metric_sweep_draws_one_line_per_model():
    table = pd.concat(
        [synthetic_table(COS_A, R2_A, key=k, seed=i) for i, k in enumerate([0.0, 1.0, 4.0])],
        ignore_index=True,
    )
    means = sweep_means(table, ["true_mean_cosine"])
    ax = chapter.plot_metric_sweep(
        means, "true_mean_cosine", models=["NMF", "relu+tanh"], labels={"relu+tanh": "ReLU+tanh"},
        xlabel="non-linearity s",
    )
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == ["NMF", "ReLU+tanh"]
    np.testing.assert_allclose(lines[0].get_xdata(), [0.0, 1.0, 4.0])
    assert lines[0].get_linestyle() == "--"
    assert ax.get_xlabel() == "non-linearity s"
    assert ax.get_ylabel() == "cosine to ground-truth synergies"
    with pytest.raises(SynergyInputError, match="Unknown metric"):
        chapter.plot_metric_sweep(means, "r2_test")
    plt.close("all")


def test_strong_mixing_values_read_the_summary():
    table = pd.concat(
        [synthetic_table(COS_A, R2_A, key=k, seed=i) for i, k in enumerate([0.0, 1.0, 4.0])],
        ignore_index=True,
    ).rename(columns={"variant": "nonlinearity"})
    # fewer synergies at the strongest level: every participant loses one
    strong = table["nonlinearity"] == 4.0
    table.loc[strong, "n_synergies"] -= 1
    summary = sweep_summary(table, ["r2_test", "true_mean_cosine"], key="nonlinearity")
    values = chapter.strong_mixing_values(summary, 4.0)
    assert list(values) == ["nmf_cos_strong", "best_ae_cos_strong", "best_ae_strong",
                            "mean_n_linear", "mean_n_strong"]
    assert values["best_ae_strong"] == "relu+tanh"
    assert values["best_ae_cos_strong"] == pytest.approx(0.85, abs=0.002)
    assert values["nmf_cos_strong"] == pytest.approx(0.9, abs=0.002)
    assert values["mean_n_linear"] == pytest.approx(2.5)
    assert values["mean_n_strong"] == pytest.approx(1.5)
