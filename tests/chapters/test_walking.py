"""Tests of synergylib.chapters.walking (tables, text and named values of the walking chapter)."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from synergylib.chapters import walking as chapter
from synergylib.preprocessing import PreprocessingConfig, emg_to_envelope
from synergylib.santuz import SANTUZ_MUSCLES
from synergylib.study import StudyConfig
from synergylib.walking import compare_with_package, preprocess_walking_trial, santuz_preprocessing_config




# -- 1. from raw EMG to gait cycles -----------------------------------------------------


def test_filter_settings_table():
    table = chapter.filter_settings_table({"walk": santuz_preprocessing_config(), "reach": PreprocessingConfig()})
    assert list(table.columns) == ["musclesyneRgies", "walk", "reach"]
    assert list(table.index) == list(chapter.MUSCLESYNERGIES_FILTERS)
    assert "50 Hz" in table.loc["high-pass", "walk"] and "20 Hz" in table.loc["high-pass", "reach"]
    assert table.loc["mains notch", "walk"] == "none" and "50 Hz" in table.loc["mains notch", "reach"]
    assert "Butterworth" in table.loc["envelope low-pass", "walk"]
    assert "50-tap FIR" in table.loc["envelope low-pass", "reach"]
    assert table.loc["down-sampling", "reach"] == "to 100 Hz"


def test_compare_trials():
    rng = np.random.default_rng(0)
    a = rng.random((3, 50))
    t = chapter.compare_trials(a, a, ["x", "y", "z"])
    np.testing.assert_allclose(t["correlation"], 1.0)
    np.testing.assert_allclose(t["max_abs_difference"], 0.0)
    t2 = chapter.compare_trials(a, a + 0.1, ["x", "y", "z"])
    np.testing.assert_allclose(t2["rmse"], 0.1)
    with pytest.raises(ValueError, match="one shape"):
        chapter.compare_trials(a, a[:, :10], ["x", "y", "z"])
    with pytest.raises(ValueError, match="muscle names"):
        chapter.compare_trials(a, a, ["x"])


def test_agreement_values_name_the_worst_muscles():
    agreement = pd.DataFrame({
        "muscle": ["x", "y", "z"],
        "correlation": [0.999, 0.998, 0.9995],
        "max_abs_difference": [0.01, 0.03, 0.02],
        "rmse": [0.004, 0.002, 0.003],
        "correlation, reaching chain": [0.95, 0.97, 0.93],
        "max. difference, reaching chain": [0.2, 0.5, 0.4],
    })
    rng = np.random.default_rng(1)
    raw = SimpleNamespace(emg=rng.standard_normal((3, 4000)), fs=1000.0)
    config = santuz_preprocessing_config()
    values = chapter.agreement_values(agreement, raw, config)
    assert values["corr_min"] == 0.998 and values["corr_min_muscle"] == "y"
    assert values["diff_max"] == 0.03 and values["rmse_max"] == 0.004
    assert values["reach_corr_min"] == 0.93 and values["reach_corr_min_muscle"] == "z"
    assert values["reach_diff_max"] == 0.5
    envelope = emg_to_envelope(raw.emg, raw.fs, config)
    assert values["envelope_floor"] == pytest.approx((envelope.min(axis=1) / envelope.max(axis=1)).max())
    assert 0 <= values["envelope_floor"] < 1


def test_agreement_values_on_the_package_trial(santuz_raw, santuz_filtered):
    """The chapter's numbers on the real trial: the chain set as the package reproduces FILT_EMG."""
    raw, filtered = santuz_raw, santuz_filtered
    config_walk = santuz_preprocessing_config()
    config_reach = PreprocessingConfig(fs_out=None, phasic=False, test_repetition=None)
    ours = np.concatenate(list(preprocess_walking_trial(raw, config_walk)), axis=1)
    reach = np.concatenate(list(preprocess_walking_trial(raw, config_reach)), axis=1)
    agreement = chapter.compare_trials(ours, filtered.emg, SANTUZ_MUSCLES)
    assert list(agreement["muscle"]) == list(SANTUZ_MUSCLES)
    reach_table = chapter.compare_trials(reach, filtered.emg, SANTUZ_MUSCLES)
    agreement["correlation, reaching chain"] = reach_table["correlation"]
    agreement["max. difference, reaching chain"] = reach_table["max_abs_difference"]
    values = chapter.agreement_values(agreement, raw, config_walk)
    assert values["corr_min"] > 0.999 and values["diff_max"] < 0.05
    assert values["reach_corr_min"] < values["corr_min"]
    assert values["corr_min_muscle"] in SANTUZ_MUSCLES
    assert 0 <= values["envelope_floor"] < 0.01


# -- 2. synergylib's NMF against musclesyneRgies' ---------------------------------------


def _package_table() -> pd.DataFrame:
    return pd.DataFrame({
        "participant": ["P1", "P2", "P3", "P4"],
        "n_package": [4, 5, 4, 6],
        "n_threshold": [3, 5, 4, 4],
        "n_threshold_grand_mean": [3, 4, 3, 4],
        "cosine_threshold": [0.9, 0.95, 0.97, 0.85],
        "cosine_at_package_n": [0.99, 0.98, 0.8, 0.97],
        "min_cosine_at_package_n": [0.97, 0.95, 0.5, 0.9],
        "r2_at_package_n": [0.9, 0.91, 0.85, 0.93],
        "package_r2_centred": [0.9, 0.912, 0.88, 0.93],
    })


def test_package_values_count_the_choices_of_n():
    values = chapter.package_values(_package_table(), StudyConfig())
    assert values["cos_pkg_mean"] == pytest.approx(0.935)
    assert values["cos_pkg_median"] == pytest.approx(0.975)
    assert values["cos_thr_mean"] == pytest.approx(0.9175)
    assert (values["n_fewer"], values["n_same"], values["n_more"]) == (2, 2, 0)
    assert values["n_gm_differs"] == 2
    assert (values["n_thr_min"], values["n_thr_max"]) == (3, 5)
    assert (values["n_pkg_min"], values["n_pkg_max"]) == (4, 6)
    assert values["nmf_restarts"] == StudyConfig().nmf_restarts
    assert values["r2_threshold"] == StudyConfig().r2_threshold


def test_nmf_disagreement_markdown_tells_a_local_minimum_from_an_equal_fit():
    table = _package_table()
    text = chapter.nmf_disagreement_markdown(table, 10)
    # P3 has the lowest cosine; the package fits it better by 0.03: a worse local minimum
    assert text.startswith("The participant with the lowest matched cosine at the package's $N$, P3 "
                           "(mean 0.800, worst pair 0.50)")
    assert "higher than our best of 10 restarts by 0.030" in text
    assert "for 1 of them" in text and "the package's 4 synergies (grey)" in text
    table.loc[2, "package_r2_centred"] = 0.85  # an equally good fit
    text = chapter.nmf_disagreement_markdown(table, 10)
    assert "fits at least as well as the package's factorisation (centred $R^2$ 0.850 against 0.850)" in text
    assert "for 0 of them" in text


def test_package_comparison_table(santuz_participants):
    p = santuz_participants[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = compare_with_package(p, n_max=3, n_restarts=3, random_state=0)
    table = chapter.package_comparison_table([c])
    assert table.shape[0] == 1 and table.loc[0, "participant"] == p.id
    assert table.loc[0, "n_package"] == p.n_synergies
    assert table.loc[0, "cosine_at_package_n"] == pytest.approx(c.cosine_at_package_n.mean())
    with pytest.raises(ValueError, match="at least one"):
        chapter.package_comparison_table([])


# -- 3. the sixteen pairings on walking -------------------------------------------------


def test_study_values():
    results = [
        SimpleNamespace(n_synergies=3, elapsed_s=30.0, ae_converged=np.array([True, True])),
        SimpleNamespace(n_synergies=5, elapsed_s=90.0, ae_converged=np.array([True, False])),
    ]
    values = chapter.study_values(results, 4.5)
    assert values == {
        "n_study": 2, "n_study_min": 3, "n_study_max": 5, "study_seconds": 4.5,
        "study_compute_minutes": 2.0, "share_converged": 0.75,
    }
    with pytest.raises(ValueError, match="at least one"):
        chapter.study_values([], 1.0)


def test_tradeoff_values():
    points = pd.DataFrame(
        {"x_mean": [0.84, 0.95, 0.90, 0.80, 0.70], "y_mean": [1.0, 0.6, 0.7, 0.9, 0.8]},
        index=["NMF", "linear+linear", "tanh+relu", "relu+tanh", "sigmoid+sigmoid"],
    )
    values = chapter.tradeoff_values(points, "relu+tanh", "tanh+relu")
    assert values["rho_walk"] == pytest.approx(-0.8)  # ranks 4,3,2,1 against 1,2,4,3
    assert values["nmf_r2_walk"] == 0.84 and values["n_above_nmf"] == 2
    assert values["best_recon_walk"] == "linear+linear" and values["best_interp_walk"] == "relu+tanh"
    assert (values["claimed_rank_walk"], values["reverse_rank_walk"]) == (1, 3)
    assert values["n_pairings"] == 4


def test_centre_of_activity_is_a_circular_mean():
    H = np.zeros((3, 200))
    H[0, 37] = 1.0
    H[1, [195, 5]] = 1.0  # across touchdown: centred at the cycle's start, not at 100
    H[2, [50, 150]] = [1.0, 3.0]
    coa = chapter.centre_of_activity(H)
    assert coa[0] == pytest.approx(37.0)
    assert min(coa[1], 200 - coa[1]) == pytest.approx(0.0, abs=1e-9)
    assert coa[2] == pytest.approx(150.0)


def test_gait_function_names_follow_the_phase_and_number_repeats():
    H = np.zeros((4, 200))
    H[0, 20] = H[1, 120] = H[2, 130] = 1.0
    H[3, [198, 2, 60]] = [1.0, 1.0, 0.1]  # active around touchdown: weight acceptance
    assert chapter.gait_function_names(H) == ["weight acceptance 1", "early swing 1", "early swing 2",
                                              "weight acceptance 2"]
    assert chapter.gait_function_names(H[:1, :100], n_stance=50, n_swing=50) == ["weight acceptance"]
    assert chapter.gait_function_names(np.zeros((1, 200))) == ["inactive"]
    with pytest.raises(Exception, match="one gait cycle"):
        chapter.gait_function_names(H[:, :150])
    with pytest.raises(Exception, match="non-negative"):
        chapter.gait_function_names(-H)


def test_plot_gait_synergies_titles_each_row_by_function():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(0)
    W = rng.random((13, 2))
    H = np.zeros((2, 200))
    H[0, 75] = H[1, 180] = 1.0
    fig, axes = chapter.plot_gait_synergies(W, H, SANTUZ_MUSCLES)
    assert axes.shape == (2, 2)
    assert [ax.get_title(loc="left") for ax in axes[:, 1]] == ["propulsion", "late swing"]
    assert "Gait cycle" in axes[-1, 1].get_xlabel()
    plt.close(fig)
    with pytest.raises(Exception, match="same synergies"):
        chapter.plot_gait_synergies(W[:, :1], H, SANTUZ_MUSCLES)


def test_gait_function_counts_count_walkers_and_synergies():
    H = np.zeros((4, 200))
    H[0, 20] = H[1, 30] = H[2, 80] = H[3, 120] = 1.0  # two in weight acceptance, none in late swing
    every = np.zeros((4, 200))
    every[0, 20] = every[1, 80] = every[2, 120] = every[3, 180] = 1.0
    counts, values = chapter.gait_function_counts({"a": H, "b": every})
    assert list(counts.index) == list(chapter.GAIT_FUNCTIONS)
    assert counts.loc["weight acceptance"].tolist() == [2, 3]
    assert counts.loc["late swing"].tolist() == [1, 1]
    assert values == {"n_walkers_all_four": 1, "least_function": "late swing", "n_least_function": 1}
    assert chapter.gait_functions(H) == ["weight acceptance", "weight acceptance", "propulsion", "early swing"]
    with pytest.raises(Exception, match="non-empty mapping"):
        chapter.gait_function_counts({})
