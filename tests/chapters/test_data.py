"""Tests of synergylib.chapters.data: what each figure draws, on small arrays (Agg backend)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # the test module selects the backend, never the library

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest

from synergylib.datasets import (
    PLANE_NAMES,
    PLANES,
    START_POSITION,
    make_reaching_participant,
    movement_directions,
    target_positions,
)
from synergylib._validation import SynergyInputError
from synergylib.chapters.data import (
    PLANE_COLORS,
    calibration_frame,
    calibration_values,
    calibration_verdict,
    mixing_values,
    parameter_table,
    participant_values,
    plot_calibration_curves,
    plot_direction_tuning,
    plot_mixing,
    plot_power_spectrum,
    plot_repetitions,
    plot_rule_histogram,
    plot_targets,
    plot_template_similarity,
    plot_trial_activations,
    repetition_values,
    target_values,
)

PLANE_OF_TARGET = np.repeat(np.array(PLANES), 9)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_targets_draws_every_target_in_its_plane_colour_in_each_view():
    targets = target_positions()
    _fig, axes = plot_targets(targets, START_POSITION, PLANE_OF_TARGET, plane_names=PLANE_NAMES)
    assert len(axes) == 3
    views = [(0, 1), (0, 2), (1, 2)]
    for ax, (i, j) in zip(axes, views):
        assert len(ax.collections) == len(PLANES)
        for p, collection in enumerate(ax.collections):
            offsets = np.asarray(collection.get_offsets())
            expected = targets[p * 9:(p + 1) * 9][:, [i, j]]
            np.testing.assert_allclose(offsets, expected)
            face = collection.get_facecolor()[0]
            np.testing.assert_allclose(face[:3], mcolors.to_rgb(PLANE_COLORS[p]))
            assert collection.get_label() == PLANE_NAMES[p]
        # the star is at the start position, projected on the view's axes
        star = [line for line in ax.lines if line.get_marker() == "*"]
        assert len(star) == 1
        np.testing.assert_allclose(
            [star[0].get_xdata()[0], star[0].get_ydata()[0]],
            [START_POSITION[i], START_POSITION[j]],
        )
        assert "(m)" in ax.get_xlabel() and "(m)" in ax.get_ylabel()
    # 45 faint paths + star + shoulder per view
    assert len(axes[0].lines) == 45 + 2


def test_plot_targets_with_one_start_per_plane_draws_each_path_from_its_plane_start():
    targets = target_positions()
    starts = np.arange(15, dtype=float).reshape(5, 3) / 10.0
    _fig, axes = plot_targets(targets, starts, PLANE_OF_TARGET)
    ax = axes[1]  # x-z view
    stars = [line for line in ax.lines if line.get_marker() == "*"]
    assert len(stars) == 5
    for p, star in enumerate(stars):
        np.testing.assert_allclose([star.get_xdata()[0], star.get_ydata()[0]], starts[p, [0, 2]])
        assert mcolors.to_hex(star.get_color()) == PLANE_COLORS[p].lower()
    paths = ax.lines[:45]
    for m in (0, 17, 44):  # a target of plane 0, 1 and 4: its path starts at its plane's start
        begin = starts[m // 9]
        np.testing.assert_allclose(paths[m].get_xydata(), [begin[[0, 2]], targets[m, [0, 2]]])
    assert [t for t in axes[0].get_legend_handles_labels()[1] if t == "start"] == ["start"]
    with pytest.raises(SynergyInputError, match="4 start positions for 5 planes"):
        plot_targets(targets, starts[:4], PLANE_OF_TARGET)


def test_plot_targets_rejects_mismatched_planes():
    with pytest.raises(SynergyInputError, match="plane codes"):
        plot_targets(target_positions(), START_POSITION, PLANE_OF_TARGET[:10])
    with pytest.raises(SynergyInputError, match="3 columns"):
        plot_targets(np.zeros((4, 2)), START_POSITION, ["f"] * 4)


def test_plot_direction_tuning_shows_the_transposed_matrix_and_plane_groups():
    directions = movement_directions()
    preferred = np.eye(3)
    tuning = directions @ preferred.T
    _fig, ax = plot_direction_tuning(tuning, ["x", "y", "z"], PLANE_OF_TARGET, plane_names=PLANE_NAMES)
    image = ax.images[0]
    np.testing.assert_allclose(image.get_array(), tuning.T)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(PLANE_NAMES)
    np.testing.assert_allclose(ax.get_xticks(), [4, 13, 22, 31, 40])
    # 4 plane boundaries
    assert len(ax.lines) == 4
    with pytest.raises(SynergyInputError, match="synergy names"):
        plot_direction_tuning(tuning, ["x", "y"], PLANE_OF_TARGET)


def test_plot_trial_activations_one_line_per_synergy_and_movement_shaded():
    t = np.arange(200) / 100.0
    H = np.random.default_rng(0).random((2, 3, 200))
    _fig, axes = plot_trial_activations(t, H, ["a", "b", "c"], [0.5, 0.6], [1.5, 1.2],
                                       titles=["one", "two"])  # fmt: skip
    assert len(axes) == 2
    for i, ax in enumerate(axes):
        assert len(ax.lines) == 3
        np.testing.assert_allclose(ax.lines[1].get_ydata(), H[i, 1])
        span = ax.patches[0]  # axvspan: a rectangle in data x, axes y
        assert span.get_x() == pytest.approx([0.5, 0.6][i])
        assert span.get_x() + span.get_width() == pytest.approx([1.5, 1.2][i])
        assert "(a.u.)" in ax.get_ylabel()
    assert axes[-1].get_xlabel() == "Time (s)"  # panels stacked, shared time axis
    with pytest.raises(SynergyInputError, match="samples"):
        plot_trial_activations(t[:10], H, ["a", "b", "c"], [0.5, 0.6], [1.5, 1.2])


def test_plot_trial_activations_splits_phasic_and_tonic_parts():
    t = np.arange(100) / 100.0
    tonic = np.ones((1, 2, 100)) * np.array([0.5, 0.0])[None, :, None]
    H = tonic + np.sin(np.pi * t)[None, None, :]  # phasic part: a half sine
    _fig, axes = plot_trial_activations(t, H, ["a", "b"], [0.2], [0.8], tonic=tonic)
    ax = axes[0]
    assert len(ax.lines) == 4
    for k in range(2):
        np.testing.assert_allclose(ax.lines[k].get_ydata(), np.sin(np.pi * t))  # phasic, solid
        np.testing.assert_allclose(ax.lines[2 + k].get_ydata(), tonic[0, k])  # tonic, dashed
        assert ax.lines[2 + k].get_linestyle() == "--"
        assert ax.lines[2 + k].get_color() == ax.lines[k].get_color()
    with pytest.raises(SynergyInputError, match="tonic has shape"):
        plot_trial_activations(t, H, ["a", "b"], [0.2], [0.8], tonic=tonic[:, :1])


def test_plot_power_spectrum_peaks_at_the_sine_frequency():
    fs = 1000.0
    rng = np.random.default_rng(1)
    time = np.arange(1000) / fs
    segments = 0.01 * rng.standard_normal((20, 1000)) + np.sin(2 * np.pi * 50.0 * time)
    _fig, ax = plot_power_spectrum({"with mains": segments, "noise": 0.01 * rng.standard_normal((5, 1000))},
                                  fs, mark={"mains": 50.0}, band=(20.0, 450.0))  # fmt: skip
    curve = ax.lines[0]
    freqs, psd = curve.get_xdata(), curve.get_ydata()
    assert freqs[np.argmax(psd)] == pytest.approx(50.0)
    # the noise-only curve has no peak: white noise of variance 1e-4 has density 2e-4/fs
    noise = ax.lines[1].get_ydata()[5:-5]
    assert np.median(noise) == pytest.approx(2 * 1e-4 / fs, rel=0.3)
    assert ax.get_yscale() == "log"
    assert "Hz" in ax.get_xlabel() and "mV" in ax.get_ylabel()
    assert ax.get_xlim() == (0.0, 500.0)
    with pytest.raises(SynergyInputError, match="non-empty"):
        plot_power_spectrum({}, fs)
    with pytest.raises(SynergyInputError, match="fs == 0, must be > 0"):
        plot_power_spectrum({"noise": np.zeros(64)}, 0)
    with pytest.raises(SynergyInputError, match="fs must be a finite number"):
        plot_power_spectrum({"noise": np.zeros(64)}, np.inf)
    with pytest.raises(SynergyInputError, match="nperseg must be between 8"):
        plot_power_spectrum({"noise": np.zeros(64)}, fs, nperseg=4)
    with pytest.raises(SynergyInputError, match="nperseg"):
        plot_power_spectrum({"noise": np.zeros(64)}, fs, nperseg=16.5)


def test_plot_repetitions_time_normalises_between_onset_and_offset():
    n = 300
    t = np.arange(n) / 100.0
    onset = np.array([50, 80])
    offset = np.array([150, 280])
    env = np.zeros((2, n))
    for r in range(2):  # a ramp from 0 at onset to 1 at offset
        env[r, onset[r]:offset[r] + 1] = np.linspace(0.0, 1.0, offset[r] - onset[r] + 1)
    _fig, axes = plot_repetitions(t, env, onset, offset, n_points=11)
    normalised = [line.get_ydata() for line in axes[1].lines[:2]]
    for curve in normalised:
        np.testing.assert_allclose(curve, np.linspace(0.0, 1.0, 11), atol=1e-12)
    np.testing.assert_allclose(axes[1].lines[2].get_ydata(), np.linspace(0.0, 1.0, 11), atol=1e-12)
    np.testing.assert_allclose(axes[0].lines[0].get_ydata(), env[0])
    assert "(s)" in axes[0].get_xlabel() and "%" in axes[1].get_xlabel()


def test_plot_mixing_normalises_by_the_largest_drive():
    drive = np.linspace(0.0, 2.0, 101)
    s = 2.0
    saturated = (1.0 - np.exp(-s * drive / 2.0)) / (s / 2.0)
    _fig, ax = plot_mixing({0.0: (drive, drive), s: (drive, saturated)}, n_shown=101)
    x0, y0 = ax.lines[0].get_xdata(), ax.lines[0].get_ydata()
    np.testing.assert_allclose(x0, y0)
    assert x0.max() == pytest.approx(1.0)
    y2 = ax.lines[1].get_ydata()
    assert y2.max() == pytest.approx((1 - np.exp(-s)) / s)
    assert ax.lines[1].get_label() == "s = 2"


def test_plot_template_similarity_draws_every_participant_and_the_medians():
    cos = np.array([[1.0, 0.9], [0.8, 0.95], [0.9, 0.7]])
    _fig, ax = plot_template_similarity(cos, ["a", "b"])
    points = np.asarray(ax.collections[0].get_offsets())
    assert points.shape == (6, 2)
    np.testing.assert_allclose(np.sort(points[:, 1]), np.sort(cos.ravel()))
    # every point sits within the jitter of its synergy's x position
    assert np.all(np.abs(points[:, 0] - np.tile([0, 1], 3)) <= 0.15)
    medians = ax.collections[1].get_segments()
    np.testing.assert_allclose([seg[0][1] for seg in medians], np.median(cos, axis=0))


def test_parameter_table_covers_every_generator_parameter():
    rows = parameter_table(make_reaching_participant)
    names = [row["parameter"] for row in rows]
    assert "index" not in names
    assert names[0] == "random_state"
    assert "nonlinearity" in names and "start_position" in names
    by_name = {row["parameter"]: row for row in rows}
    assert by_name["mains_frequency"]["default"] == 50.0
    assert by_name["fs"]["meaning"] == "Sampling frequency (Hz)"
    assert all(row["meaning"] for row in rows)  # every parameter is documented
    assert "λ" in by_name["noise_level"]["meaning"]
    assert ":math:" not in " ".join(row["meaning"] for row in rows)


def test_parameter_table_of_an_undocumented_function():
    def f(a, b=2, *args, c=3, **kwargs):
        return a

    rows = parameter_table(f, skip=())
    assert [(r["parameter"], r["default"], r["meaning"]) for r in rows] == [
        ("a", None, ""), ("b", 2, ""), ("c", 3, "")
    ]


def test_plot_functions_draw_into_given_axes():
    fig, axes = plt.subplots(1, 3)
    out_fig, out_axes = plot_targets(target_positions(), START_POSITION, PLANE_OF_TARGET, axes=axes)
    assert out_fig is fig and list(out_axes) == list(axes)
    _fig2, ax2 = plt.subplots()
    assert plot_template_similarity(np.ones((2, 2)), ["a", "b"], ax=ax2)[1] is ax2
    with pytest.raises(SynergyInputError, match="Need 3 axes"):
        plot_targets(target_positions(), START_POSITION, PLANE_OF_TARGET, axes=axes[:2])


# -- the named values of the text ------------------------------------------------------------


def test_participant_values_describe_the_participant():
    participant = make_reaching_participant(0, random_state=0, n_repetitions=2)
    values = participant_values(participant)
    assert values["n_true"] == 6 and values["n_muscles"] == 16 and values["n_movements"] == 45
    assert values["n_repetitions"] == 2 and values["n_samples"] == participant.emg.shape[-1]
    assert values["trial_seconds"] == pytest.approx(participant.n_samples / participant.fs)
    assert values["megabytes"] == pytest.approx(45 * 2 * 16 * participant.n_samples * 4 / 2**20)  # float32


def test_target_values_known_answer():
    targets = np.array([[0.0, 0.3, 0.4], [0.0, 0.0, -0.5], [0.3, 0.0, 0.0]])
    start = np.array([0.0, 0.0, -0.5])
    values = target_values(targets, start)
    assert values["max_reach"] == pytest.approx(0.5)
    assert values["min_distance"] == 0.0 and values["max_distance"] == pytest.approx(np.hypot(0.3, 0.9))
    assert values["min_rise"] == 0.0 and values["max_rise"] == pytest.approx(0.9)
    assert values["n_upward"] == 2 and values["n_downward"] == 0  # the second target is the start
    with pytest.raises(SynergyInputError, match="3 values"):
        target_values(targets, start[:2])


def test_target_values_with_one_start_per_plane():
    targets = np.array([[0.0, 0.3, 0.4], [0.0, 0.0, -0.5], [0.3, 0.0, 0.0]])
    starts = np.array([[0.0, 0.0, 0.0], [0.3, 0.0, 0.2]])  # plane a, plane b
    values = target_values(targets, starts, planes=["a", "a", "b"])
    # paths: 0.5 and 0.5 (plane a from the origin), 0.2 (plane b, straight down)
    assert values["min_distance"] == pytest.approx(0.2) and values["max_distance"] == pytest.approx(0.5)
    assert values["n_upward"] == 1 and values["n_downward"] == 2
    assert values["min_rise"] == pytest.approx(-0.5) and values["max_rise"] == pytest.approx(0.4)
    # the same with the single start of the clean generator gives other counts
    assert target_values(targets, starts[0])["n_downward"] == 1
    with pytest.raises(SynergyInputError, match="plane of every target"):
        target_values(targets, starts)
    with pytest.raises(SynergyInputError, match="2 start positions for 3 planes"):
        target_values(targets, starts, planes=["a", "b", "c"])


def test_mixing_values_use_the_largest_strength():
    drive = np.linspace(0.0, 1.0, 11)
    curves = {0.0: (drive, drive), 2.0: (drive, (1 - np.exp(-2 * drive)) / 2), 1.0: (drive, drive)}
    values = mixing_values(curves)
    assert values["largest_s"] == 2.0
    assert values["compression"] == pytest.approx((1 - np.exp(-2.0)) / 2.0)
    with pytest.raises(SynergyInputError, match="non-empty"):
        mixing_values({})


def test_repetition_values_known_answer():
    envelopes = np.array([[0.0, 1.0, 0.0], [0.0, 3.0, 0.0]], dtype=np.float32)
    values = repetition_values(envelopes, [100, 200], [600, 1000], 1000.0)
    assert values["duration_min"] == pytest.approx(0.5) and values["duration_max"] == pytest.approx(0.8)
    assert values["peak_cv"] == pytest.approx(50.0)  # peaks 1 and 3: sd 1, mean 2
    assert values["peak_cv"].dtype == np.float32  # computed in the envelopes' precision
    with pytest.raises(SynergyInputError, match="onset and offset"):
        repetition_values(envelopes, [100], [600], 1000.0)
    with pytest.raises(SynergyInputError, match="fs"):
        repetition_values(envelopes, [100, 200], [600, 1000], -1.0)


# -- calibration ---------------------------------------------------------------------------


def _rows(met):
    keys = ["share_rule_within_1", "r2_at_true_n", "knee_ratio", "cross_participant_cosine",
            "recovery_cosine"]
    return [{"key": k, "measure": f"measure {k}", "target": ">= 0", "source": "s", "value": 0.12345,
             "met": m} for k, m in zip(keys, met)]


def test_plot_calibration_curves_draws_each_participant_the_mean_and_the_references():
    n_values = np.arange(1, 6)
    r2 = np.array([[0.2, 0.5, 0.7, 0.85, 0.9], [0.4, 0.6, 0.8, 0.9, 0.95]])
    _fig, ax = plot_calibration_curves(n_values, r2, 4, threshold=0.8, n_rule=[4, 3])
    np.testing.assert_allclose(ax.lines[0].get_ydata(), r2[0])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), r2[1])
    np.testing.assert_allclose(ax.lines[2].get_ydata(), [0.3, 0.55, 0.75, 0.875, 0.925])  # mean
    np.testing.assert_allclose(ax.collections[0].get_offsets(), [[4, 0.85], [3, 0.8]])
    vertical = [line for line in ax.lines if np.ptp(line.get_xdata()) == 0]
    horizontal = [line for line in ax.lines[3:] if np.ptp(line.get_ydata()) == 0]
    assert vertical[0].get_xdata()[0] == 4 and horizontal[0].get_ydata()[0] == 0.8
    assert "N" in ax.get_xlabel() and "R²" in ax.get_ylabel()
    with pytest.raises(SynergyInputError, match="one N of n_values per curve"):
        plot_calibration_curves(n_values, r2, 4, n_rule=[4, 7])
    with pytest.raises(SynergyInputError, match="4 N values"):
        plot_calibration_curves(n_values[:4], r2, 4)


def test_plot_rule_histogram_counts_participants_per_n():
    _fig, ax = plot_rule_histogram([5, 5, 6, 4, 5, 8], 6, n_values=np.arange(1, 11))
    heights = [bar.get_height() for bar in ax.containers[0]]
    assert heights == [0, 0, 0, 1, 3, 1, 0, 1, 0, 0]
    assert [bar.get_x() + bar.get_width() / 2 for bar in ax.containers[0]] == pytest.approx(range(1, 11))
    band = ax.patches[0]  # the shaded band: true N +- 1, whole bars
    assert band.get_x() == pytest.approx(4.5) and band.get_x() + band.get_width() == pytest.approx(7.5)
    assert ax.lines[0].get_xdata()[0] == 6
    # default axis: one below and one above the observed and true N
    _fig, ax = plot_rule_histogram([3, 3], 6)
    assert [bar.get_height() for bar in ax.containers[0]] == [0, 2, 0, 0, 0, 0]  # N = 2..7
    with pytest.raises(SynergyInputError, match="must be in n_values"):
        plot_rule_histogram([11], 6, n_values=np.arange(1, 11))
    with pytest.raises(SynergyInputError, match="integers"):
        plot_rule_histogram([5.5], 6)


def test_calibration_frame_orders_rounds_and_says_yes_or_no():
    frame = calibration_frame(_rows([True, False, True, True, True]), decimals=2)
    assert list(frame.columns) == ["measure", "target", "value", "met", "source"]
    assert frame.index[1] == "r2_at_true_n"
    assert frame["value"].tolist() == [0.12] * 5
    assert frame["met"].tolist() == ["yes", "no", "yes", "yes", "yes"]
    with pytest.raises(SynergyInputError, match="empty"):
        calibration_frame([])


def test_calibration_verdict_names_what_is_missed():
    assert calibration_verdict(_rows([True] * 5)) == "all 5 targets are met"
    assert calibration_verdict(_rows([False] * 5)) == "none of the 5 targets is met"
    assert calibration_verdict(_rows([True, True, False, True, True])) == (
        "4 of the 5 targets are met; missed: a curve without a knee")
    assert calibration_verdict(_rows([False, True, False, True, False])) == (
        "2 of the 5 targets are met; missed: the rule's N within one of the true N, "
        "a curve without a knee and the recovery of the true synergies")
    assert calibration_verdict([{"key": "other", "met": False}, {"key": "x", "met": True}]) == (
        "1 of the 2 targets is met; missed: other")


def test_calibration_values_of_a_real_table():
    from synergylib.calibration import calibration_table, summarise

    participants = [
        {"n_values": [1, 2, 3, 4], "r2": [0.5, 0.7, 0.85, 0.9], "n_rule": 3, "n_true": 3,
         "recovery_cosine": 0.9},
        {"n_values": [1, 2, 3, 4], "r2": [0.3, 0.5, 0.75, 0.8], "n_rule": 4, "n_true": 3,
         "recovery_cosine": 0.8},
    ]
    W = np.eye(4)[:, :3]
    summary = summarise(participants, [W, W])
    rows = calibration_table(summary)
    values = calibration_values(rows, summary, prefix="clean_")
    assert all(name.startswith("clean_") for name in values)
    assert values["clean_n_participants"] == 2 and values["clean_n_true"] == 3
    assert values["clean_n_rule_within_1"] == 2 and (values["clean_rule_min"], values["clean_rule_max"]) == (3, 4)
    below, equal, above = (values[f"clean_n_rule_{w}"] for w in ("below", "equal", "above"))
    assert (below, equal, above) == (0, 1, 1)
    assert values["clean_r2_at_true_n"] == pytest.approx(0.8)
    assert (values["clean_r2_min"], values["clean_r2_max"]) == (0.75, 0.85)
    assert values["clean_cross_participant_cosine"] == pytest.approx(1.0)  # identical synergies
    assert values["clean_recovery_cosine"] == pytest.approx(0.85) and values["clean_recovery_min"] == 0.8
    # the rule (2 of 2 within one) and recovery are met; R2 0.80 < 0.85, cosine 1 > 0.90 are not;
    # the knee ratio of this 4-point mean curve (increments 0.2, 0.2, 0.05) is 0.2 / 0.05 = 4 > 3
    assert values["clean_knee_ratio"] == pytest.approx(4.0)
    assert values["clean_n_targets"] == 5 and values["clean_n_met"] == 2
    assert values["clean_verdict"] == calibration_verdict(rows)
    assert values["clean_verdict"].startswith("2 of the 5 targets are met")
    assert "clean_specific_share" not in values  # descriptive figures only when measured
    participants[0]["specific_share"], participants[1]["specific_share"] = 0.1, 0.3
    summary = summarise(participants, [W, W])
    assert calibration_values(calibration_table(summary), summary)["specific_share"] == pytest.approx(0.2)

