"""Tests of synergylib.chapters.robustness (what each variant changes, the figure of dots per
variant, the named values of the robustness table)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # the test module selects the backend, never the library

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from synergylib._validation import SynergyInputError
from synergylib.chapters import robustness as chapter
from synergylib.study import StudyConfig
from synergylib.sweeps import sweep_means, sweep_summary, vary, with_dataset

from sweep_tables import two_variant_sweep


@pytest.fixture
def sweep():
    return two_variant_sweep()


def test_describe_changes_reads_the_configurations():
    base = StudyConfig()
    variants = {
        "baseline": base,
        "same data": with_dataset(base, nonlinearity=0.0),
        "N 0.9": vary(base, r2_threshold=0.9),
        "total": vary(base, preprocessing={"phasic": False}),
        "noisy": vary(base, dataset={"noise_level": 2.0}),
        "seed": vary(base, data_seed=1, random_state=1),
        "restarts": vary(base, autoencoder={"n_restarts": 3}),
        "clean": with_dataset(base, generator="clean"),
        "clean, noisy": with_dataset(base, generator="clean", noise_level=2.0),
    }
    changes = chapter.describe_changes(base, variants)
    assert list(changes.index) == list(variants)
    assert changes["baseline"] == "none"
    assert changes["same data"] == "none"
    assert changes["N 0.9"] == "r2_threshold: 0.8 → 0.9"
    assert changes["total"] == "preprocessing.phasic: True → False"
    assert changes["noisy"] == "dataset.noise_level: 1 → 2"
    assert changes["seed"] == "data_seed: 0 → 1; random_state: 0 → 1"
    assert changes["restarts"] == "autoencoder.n_restarts: 10 → 3"
    assert changes["clean"] == "generator: realistic → clean"
    assert changes["clean, noisy"] == "dataset.noise_level: 1 → 2; generator: realistic → clean"


def test_plot_variant_dots_marks_the_highlighted_models(sweep):
    means = sweep_means(sweep, ["true_mean_cosine"])
    best = sweep_summary(sweep, ["r2_test"])["best_r2_test"].to_dict()
    ax = chapter.plot_variant_dots(means, "true_mean_cosine", highlight={"relu+tanh": "tab:red"},
                                   best_by=best)
    labels = [c.get_label() for c in ax.collections]
    assert labels[:4] == ["other pairings", "NMF", "relu+tanh", "best reconstruction"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B"]
    # the relu+tanh dot of variant A sits at its mean cosine, on the first row
    x, y = ax.collections[2].get_offsets()[0]
    assert x == pytest.approx(0.85, abs=0.002) and y == 0
    plt.close("all")


def test_stability_values_count_the_verdicts_no_variant_changes():
    matrix = pd.DataFrame(
        {
            "claim 1": ["holds", "holds", "holds"],
            "claim 2": ["holds", "partly", "holds"],
            "claim 3": ["does not hold", "does not hold", "does not hold"],
        },
        index=["baseline", "R² ≥ 0.85 for N", "seed 1"],
    )
    assert chapter.stability_values(matrix) == {"n_stable": 2, "n_claims": 3,
                                                "stable_claims": "claim 1 and claim 3"}
    assert chapter.stability_values(matrix.loc[["baseline"]]) == {
        "n_stable": 3, "n_claims": 3, "stable_claims": "claim 1, claim 2 and claim 3"}
    flipped = matrix.copy()
    flipped.loc["seed 1"] = ["does not hold", "partly", "holds"]
    assert chapter.stability_values(flipped)["stable_claims"] == "none"
    with pytest.raises(SynergyInputError, match="no row 'base'"):
        chapter.stability_values(matrix, baseline="base")
