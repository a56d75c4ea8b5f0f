"""Tests of the synthetic reaching data set (synergylib.datasets)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy import signal

from synergylib import SynergyInputError
from synergylib.datasets import (
    GROUND_TRUTH_SYNERGIES,
    MUSCLE_NAMES,
    MUSCLES,
    N_TARGETS,
    PLANE_NAMES,
    PLANES,
    START_POSITION,
    ReachingDataset,
    ReachingParticipant,
    generator_parameters,
    ground_truth_synergies,
    ground_truth_table,
    make_participant,
    make_reaching_participant,
    movement_directions,
    target_positions,
)

N_REPS = 2


@pytest.fixture(scope="module")
def participant() -> ReachingParticipant:
    return make_reaching_participant(3, random_state=7, n_repetitions=N_REPS)


@pytest.fixture(scope="module")
def clean() -> ReachingParticipant:
    """No additive noise, no trial-to-trial amplitude jitter."""
    return make_reaching_participant(
        3, random_state=7, n_repetitions=N_REPS, noise_level=0.0, amplitude_jitter=0.0
    )


def hoyer_sparseness(w: np.ndarray) -> float:
    n = w.size
    return (np.sqrt(n) - np.abs(w).sum() / np.linalg.norm(w)) / (np.sqrt(n) - 1)


# --------------------------------------------------------------------------- constants


def test_montage_and_planes():
    assert len(MUSCLES) == len(set(MUSCLES)) == 16
    assert len(MUSCLE_NAMES) == 16
    assert MUSCLE_NAMES[0] == "erector spinae"
    assert MUSCLE_NAMES[1] == "teres major"
    assert MUSCLE_NAMES[5] == "upper trapezius"
    assert MUSCLE_NAMES[9] == "pectoralis major"
    assert MUSCLE_NAMES[-1] == "brachioradialis"
    assert PLANES == ("f", "h", "l", "r", "u")
    assert len(PLANE_NAMES) == 5
    assert N_TARGETS == 9


def test_targets_are_distinct_and_reachable():
    targets = target_positions()
    assert targets.shape == (45, 3)
    distances_to_shoulder = np.linalg.norm(targets, axis=1)
    assert distances_to_shoulder.max() <= 0.65
    pairwise = np.linalg.norm(targets[:, None] - targets[None], axis=-1)
    assert pairwise[~np.eye(45, dtype=bool)].min() > 0.05
    directions = movement_directions()
    np.testing.assert_allclose(np.linalg.norm(directions, axis=1), 1.0)
    # direction points from the start to the target
    delta = targets - np.asarray(START_POSITION)
    np.testing.assert_allclose(np.sum(directions * delta, axis=1), np.linalg.norm(delta, axis=1))


# --------------------------------------------------------------------------- ground truth


def test_ground_truth_template_nonnegative_unit_norm_sparse():
    W = ground_truth_synergies()
    assert W.shape == (16, len(GROUND_TRUTH_SYNERGIES))
    assert np.all(W >= 0)
    np.testing.assert_allclose(np.linalg.norm(W, axis=0), 1.0)
    for k in range(W.shape[1]):
        assert np.count_nonzero(W[:, k]) <= 5
        assert hoyer_sparseness(W[:, k]) > 0.5
    # every muscle belongs to at least one synergy with a clear weight
    assert W.max(axis=1).min() > 0.2


def test_ground_truth_table_matches_templates():
    rows = ground_truth_table()
    W = ground_truth_synergies()
    assert [row["synergy"] for row in rows] == [t.name for t in GROUND_TRUTH_SYNERGIES]
    for k, row in enumerate(rows):
        assert row["n_muscles"] == np.count_nonzero(W[:, k])
        first_muscle, first_weight = row["muscles"].split(", ")[0].split(" ")
        assert first_muscle == MUSCLES[int(np.argmax(W[:, k]))]
        assert float(first_weight) == pytest.approx(W[:, k].max(), abs=0.005)
        assert np.linalg.norm(row["preferred_direction"]) == pytest.approx(1.0, abs=0.02)


def test_participant_synergies_are_perturbed_templates(participant):
    W = participant.synergies
    template = ground_truth_synergies()
    assert W.dtype == np.float64
    assert np.all(W >= 0)
    np.testing.assert_allclose(np.linalg.norm(W, axis=0), 1.0)
    np.testing.assert_array_equal(W == 0, template == 0)  # jitter keeps the zeros
    assert not np.allclose(W, template)
    cosines = np.sum(W * template, axis=0)
    assert np.all(cosines > 0.9)
    assert participant.synergy_names == tuple(t.name for t in GROUND_TRUTH_SYNERGIES)


# --------------------------------------------------------------------------- shapes


def test_shapes_and_dtypes(participant):
    p = participant
    K = len(GROUND_TRUTH_SYNERGIES)
    n = p.n_samples
    assert (p.n_movements, p.n_repetitions, p.n_muscles) == (45, N_REPS, 16)
    assert n == 2100  # (0.5 + 0.1 + 1.0 + 0.5) s at 1 kHz
    assert p.emg.shape == p.envelopes.shape == (45, N_REPS, 16, n)
    assert p.activations.shape == (45, N_REPS, K, n)
    assert p.emg.dtype == p.envelopes.dtype == p.activations.dtype == np.float32
    assert p.onset.shape == p.offset.shape == (45, N_REPS)
    assert p.synergies.shape == (16, K)
    assert p.muscles == MUSCLES and p.planes == PLANES
    assert p.fs == 1000.0 and p.nonlinearity == 0.0
    assert list(p.movement_plane) == [plane for plane in PLANES for _ in range(N_TARGETS)]
    assert list(p.movement_target) == list(range(N_TARGETS)) * len(PLANES)
    assert p.time.shape == (n,) and p.time[1] == pytest.approx(1e-3)
    assert "n_repetitions=2" in repr(p)


def test_timing_respects_rest_and_duration(participant):
    p = participant
    assert p.onset.min() >= 500 and p.onset.max() <= 600
    assert (p.n_samples - p.offset).min() >= 500
    durations = p.offset - p.onset
    assert durations.min() >= 600 and durations.max() <= 1000
    assert np.unique(durations).size > 10  # trial-to-trial timing variability


def test_participant_is_frozen_and_read_only(participant):
    with pytest.raises(dataclasses.FrozenInstanceError):
        participant.fs = 2000.0
    with pytest.raises(ValueError):
        participant.emg[0, 0, 0, 0] = 1.0


# --------------------------------------------------------------------------- seeding


def test_same_seed_is_bit_identical(participant):
    again = make_reaching_participant(3, random_state=7, n_repetitions=N_REPS)
    for name in ("emg", "envelopes", "activations", "synergies", "onset", "offset"):
        assert np.array_equal(getattr(again, name), getattr(participant, name)), name


def test_dataset_item_equals_make_reaching_participant():
    ds = ReachingDataset(n_participants=4, random_state=11, generator="clean", n_repetitions=N_REPS)
    assert len(ds) == 4
    direct = make_reaching_participant(2, random_state=11, n_repetitions=N_REPS)
    item = ds[2]
    assert item.index == 2
    assert np.array_equal(item.emg, direct.emg)
    assert np.array_equal(item.activations, direct.activations)
    assert np.array_equal(ds[-1].emg, ds[3].emg)


def test_seed_is_seedsequence_spawn():
    """Participant i uses SeedSequence(r).spawn(n)[i], whatever n."""
    from_spawn = np.random.SeedSequence(5).spawn(3)[2]
    direct = np.random.SeedSequence(5, spawn_key=(2,))
    assert np.array_equal(from_spawn.generate_state(8), direct.generate_state(8))
    p_int = make_reaching_participant(2, random_state=5, n_repetitions=N_REPS, noise_level=0.0)
    p_seq = make_reaching_participant(
        2, random_state=np.random.SeedSequence(5), n_repetitions=N_REPS, noise_level=0.0
    )
    assert np.array_equal(p_int.emg, p_seq.emg)  # a root SeedSequence == its integer


def test_different_seeds_and_participants_differ(participant):
    other_seed = make_reaching_participant(3, random_state=8, n_repetitions=N_REPS)
    other_index = make_reaching_participant(4, random_state=7, n_repetitions=N_REPS)
    for other in (other_seed, other_index):
        assert not np.allclose(other.synergies, participant.synergies)
        assert not np.array_equal(other.onset, participant.onset)


def test_noise_level_does_not_change_the_ground_truth(participant):
    quiet = make_reaching_participant(3, random_state=7, n_repetitions=N_REPS, noise_level=0.0)
    assert np.array_equal(quiet.envelopes, participant.envelopes)
    assert np.array_equal(quiet.activations, participant.activations)
    assert not np.array_equal(quiet.emg, participant.emg)


# --------------------------------------------------------------------------- activations


def _rest_masks(p: ReachingParticipant):
    samples = np.arange(p.n_samples)
    before = samples[None, None, :] < p.onset[..., None]
    after = samples[None, None, :] >= p.offset[..., None]
    return before, after


def test_rest_windows_hold_only_the_tonic_level(participant):
    p = participant
    before, after = _rest_masks(p)
    tonic = np.array([t.tonic is not None for t in GROUND_TRUTH_SYNERGIES])
    for window in (before, after):
        mask = np.broadcast_to(window[:, :, None, :], p.activations.shape)
        values = np.where(mask, p.activations, np.nan)
        # phasic synergies are exactly zero at rest
        assert np.nanmax(np.abs(values[:, :, ~tonic])) == 0.0
        # tonic synergies are constant in time within each rest window, and positive
        spread = np.nanmax(values[:, :, tonic], axis=-1) - np.nanmin(values[:, :, tonic], axis=-1)
        assert spread.max() == 0.0
        assert np.nanmin(values[:, :, tonic]) > 0.0
    # the held level after the movement differs from the one before (elevation changed)
    j, r = 0, 0
    k = int(np.flatnonzero(tonic)[0])
    assert p.activations[j, r, k, 0] != p.activations[j, r, k, -1]


def test_activations_nonnegative_with_bursts_during_movement(clean):
    p = clean
    assert p.activations.min() >= 0.0
    # the largest activation of each synergy falls inside the movement
    peak_sample = p.activations.max(axis=1).max(axis=0).argmax(axis=-1)
    assert np.all(peak_sample >= p.onset.min()) and np.all(peak_sample < p.offset.max())
    assert p.activations.max() > 0.2  # bursts of the documented size (gains ~0.5)


def test_direction_tuning(clean):
    """Acceleration-burst amplitude = gain x rectified cosine to the preferred direction."""
    p = clean
    directions = p.movement_direction
    tonic = [t.tonic is not None for t in GROUND_TRUTH_SYNERGIES]
    durations = p.offset - p.onset
    for k, has_tonic in enumerate(tonic):
        cosine = directions @ p.preferred_directions[k]
        accel = p.burst_amplitudes[:, :, k, 0]
        decel = p.burst_amplitudes[:, :, k, 1]
        positive = cosine > 0
        assert np.all(accel[~positive] == 0) and np.all(decel[positive] == 0)
        ratio = accel[positive] / cosine[positive, None]
        np.testing.assert_allclose(ratio, ratio.flat[0], rtol=1e-10)  # pure cosine tuning
        assert np.argmax(accel[:, 0]) == np.argmax(cosine)
        if has_tonic:
            continue
        # the same from the activations: peak in the first half of the movement
        peaks = np.empty((45, N_REPS))
        for j in range(45):
            for r in range(N_REPS):
                on = p.onset[j, r]
                peaks[j, r] = p.activations[j, r, k, on:on + durations[j, r] // 2].max()
        np.testing.assert_allclose(peaks, accel, rtol=1e-3, atol=1e-4)
        assert np.argmax(peaks[:, 0]) == np.argmax(cosine)


def test_amplitude_jitter_varies_repetitions(participant, clean):
    assert np.array_equal(clean.burst_amplitudes[:, 0], clean.burst_amplitudes[:, 1])
    active = participant.burst_amplitudes[:, 0] > 0
    assert not np.allclose(participant.burst_amplitudes[:, 0][active],
                           participant.burst_amplitudes[:, 1][active])


# --------------------------------------------------------------------------- mixing


def test_linear_mixing_is_exactly_w_h(participant):
    p = participant
    product = np.einsum("mk,jrkt->jrmt", p.synergies, p.activations.astype(np.float64))
    np.testing.assert_allclose(p.envelopes, product, rtol=1e-6, atol=1e-7)


def test_nonlinear_mixing_saturates():
    s = 1.5
    p = make_reaching_participant(0, random_state=1, n_repetitions=N_REPS, nonlinearity=s)
    assert p.nonlinearity == s
    drive = np.einsum("mk,jrkt->jrmt", p.synergies, p.activations.astype(np.float64))
    rate = (s * p.mixing_gains)[None, None, :, None]
    expected = (1 - np.exp(-rate * drive)) / rate
    np.testing.assert_allclose(p.envelopes, expected, rtol=1e-5, atol=1e-7)
    assert np.all(p.envelopes <= drive + 1e-6)
    # at each muscle's largest drive the compression is (1 - e^-s) / s
    for m in range(16):
        peak = np.unravel_index(np.argmax(drive[:, :, m]), drive[:, :, m].shape)
        ratio = p.envelopes[:, :, m][peak] / drive[:, :, m][peak]
        assert ratio == pytest.approx((1 - np.exp(-s)) / s, rel=1e-4)
    assert not np.allclose(p.envelopes, drive, rtol=0.05)


# --------------------------------------------------------------------------- raw EMG


def test_noise_free_emg_is_the_modulated_carrier(clean):
    p = clean
    emg = p.emg.astype(np.float64)
    env = p.envelopes.astype(np.float64)
    # zero envelope -> exactly zero signal when noise_level=0
    assert np.all(emg[env == 0] == 0)
    # carrier has unit RMS: sum(x^2) / sum(e^2) ~ 1; Gaussian: mean|x| / mean(e) ~ sqrt(2/pi)
    active = env > 0.05
    assert np.sum(emg[active] ** 2) / np.sum(env[active] ** 2) == pytest.approx(1.0, rel=0.03)
    assert np.mean(np.abs(emg[active])) / np.mean(env[active]) == pytest.approx(
        np.sqrt(2 / np.pi), rel=0.03
    )


def test_rectified_smoothed_emg_recovers_the_envelope(participant):
    p = participant
    band = signal.butter(4, [20, 450], btype="bandpass", fs=p.fs, output="sos")
    low = signal.butter(4, 20, btype="lowpass", fs=p.fs, output="sos")
    recovered = signal.sosfiltfilt(low, np.abs(signal.sosfiltfilt(band, p.emg, axis=-1)), axis=-1)
    for m in range(16):
        r = np.corrcoef(recovered[:, :, m].ravel(), p.envelopes[:, :, m].ravel())[0, 1]
        assert r >= 0.9, (MUSCLES[m], r)


def _rest_spectrum(p: ReachingParticipant):
    rest = p.emg[:, :, :, :400].astype(np.float64)  # every trial rests for 500 samples
    return signal.welch(rest, fs=p.fs, nperseg=400, axis=-1)


@pytest.mark.parametrize("mains_frequency", [50.0, 60.0])
def test_mains_peak(mains_frequency):
    p = make_reaching_participant(
        0, random_state=2, n_repetitions=N_REPS, mains_frequency=mains_frequency
    )
    freqs, psd = _rest_spectrum(p)
    mean_psd = psd.mean(axis=(0, 1, 2))
    peak = np.argmin(np.abs(freqs - mains_frequency))
    band = (freqs > 30) & (freqs < 100)
    assert freqs[band][np.argmax(mean_psd[band])] == pytest.approx(mains_frequency)
    neighbours = np.r_[mean_psd[peak - 6:peak - 2], mean_psd[peak + 3:peak + 7]]
    assert mean_psd[peak] > 5 * neighbours.mean()


def test_no_mains_peak_when_off():
    p = make_reaching_participant(0, random_state=2, n_repetitions=N_REPS, mains_amplitude=0.0)
    freqs, psd = _rest_spectrum(p)
    mean_psd = psd.mean(axis=(0, 1, 2))
    peak = np.argmin(np.abs(freqs - 50.0))
    neighbours = np.r_[mean_psd[peak - 6:peak - 2], mean_psd[peak + 3:peak + 7]]
    assert mean_psd[peak] < 2 * neighbours.mean()


def test_motion_artifacts_are_slow_and_within_the_movement():
    common = {"random_state": 4, "n_repetitions": N_REPS, "baseline_noise_rms": 0.0,
                  "mains_amplitude": 0.0}
    with_art = make_reaching_participant(0, motion_artifact_probability=1.0, **common)
    without = make_reaching_participant(0, motion_artifact_probability=0.0, **common)
    artefact = with_art.emg.astype(np.float64) - without.emg.astype(np.float64)
    before, after = _rest_masks(with_art)
    rest = np.broadcast_to((before | after)[:, :, None, :], artefact.shape)
    assert np.all(artefact[rest] == 0)
    assert np.abs(artefact).max() > 0.01
    freqs, psd = signal.welch(artefact, fs=with_art.fs, nperseg=1024, axis=-1)
    mean_psd = psd.mean(axis=(0, 1, 2))
    assert mean_psd[freqs < 10].sum() > 0.99 * mean_psd.sum()  # cut-off 5 Hz
    assert mean_psd[freqs > 20].sum() < 1e-3 * mean_psd.sum()


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"noise_level": -0.1}, "noise_level"),
        ({"nonlinearity": -1.0}, "nonlinearity"),
        ({"nonlinearity": float("nan")}, "nonlinearity"),
        ({"n_repetitions": 1}, "n_repetitions"),
        ({"n_repetitions": 2.5}, "n_repetitions"),
        ({"index": -1}, "index"),
        ({"fs": 0.0}, "fs"),
        ({"fs": 800.0}, "carrier_band"),
        ({"duration_range": (1.0, 0.5)}, "duration_range"),
        ({"duration_range": 0.8}, "duration_range"),
        ({"mains_frequency": 600.0}, "mains_frequency"),
        ({"motion_artifact_probability": 1.5}, "motion_artifact_probability"),
        ({"burst_width": 0.5, "timing_jitter": 0.05}, "burst_width"),
        ({"baseline_noise_rms": -1e-3}, "baseline_noise_rms"),
        ({"random_state": "seed"}, "random_state"),
        ({"random_state": -3}, "random_state"),
        ({"start_position": (-0.2, 0.45, -0.25)}, "coincides with target"),
        ({"start_position": (0.1, 0.2)}, "start_position"),
    ],
)
def test_bad_arguments_raise(kwargs, message):
    kwargs = dict(kwargs)
    index = kwargs.pop("index", 0)
    with pytest.raises(ValueError, match=message):
        make_reaching_participant(index, **kwargs)


def test_dataset_validation():
    with pytest.raises(ValueError, match="noise_level"):
        ReachingDataset(noise_level=-1.0)  # checked at construction
    with pytest.raises(ValueError, match="n_participants"):
        ReachingDataset(n_participants=0)
    with pytest.raises(TypeError, match="Unknown generator parameter"):
        ReachingDataset(n_muscles=12)
    ds = ReachingDataset(n_participants=3, random_state=0, n_repetitions=N_REPS)
    for bad in (3, -4):
        with pytest.raises(IndexError, match="out of range"):
            ds[bad]
        with pytest.raises(ValueError, match="out of range"):
            ds[bad]
    with pytest.raises(TypeError):
        ds["a"]
    assert "n_repetitions=2" in repr(ds)
    with pytest.raises(ValueError, match="Unknown generator 'noisy'; the generators are 'realistic', 'clean'"):
        ReachingDataset(generator="noisy")
    with pytest.raises(TypeError, match="duration_range for the 'realistic' generator"):
        ReachingDataset(duration_range=(0.5, 1.0))  # a parameter of the clean generator only


def test_make_participant_dispatches_by_name(participant):
    clean = make_participant(3, generator="clean", random_state=7, n_repetitions=N_REPS)
    np.testing.assert_array_equal(clean.emg, participant.emg)
    realistic = make_participant(3, random_state=7, n_repetitions=N_REPS)
    assert type(realistic).__name__ == "RealisticParticipant"
    assert not np.array_equal(realistic.emg, clean.emg)
    with pytest.raises(TypeError, match="tuning_jitter for the 'clean' generator"):
        make_participant(0, generator="clean", tuning_jitter=0.1)


def test_clean_tonic_part_is_the_activation_outside_the_bursts(participant):
    """The tonic part is what the activations hold before onset and after offset, and
    nothing of a synergy without a tonic template."""
    T, H = participant.tonic_activations, participant.activations
    assert T.shape == H.shape and T.dtype == np.float32
    assert (T >= 0).all() and (T <= H + 1e-6).all()
    j, r = 0, 0
    before = slice(0, participant.onset[j, r])
    np.testing.assert_array_equal(T[j, r, :, before], H[j, r, :, before])
    untoned = [k for k, t in enumerate(GROUND_TRUTH_SYNERGIES) if t.tonic is None]
    assert untoned and not T[:, :, untoned].any()
    toned = [k for k, t in enumerate(GROUND_TRUTH_SYNERGIES) if t.tonic is not None]
    assert (H[:, :, toned] - T[:, :, toned]).max() > 0.1  # the bursts are phasic


def test_dataset_none_seed_is_fixed_at_construction():
    ds = ReachingDataset(n_participants=2, random_state=None, n_repetitions=N_REPS,
                         noise_level=0.0)
    assert isinstance(ds.random_state, int)
    first, second = ds[1], ds[1]  # generated twice, identical
    assert np.array_equal(first.emg, second.emg)


def test_generator_parameters_lists_defaults():
    params = generator_parameters()
    assert params["n_repetitions"] == 10 and params["fs"] == 1000.0
    assert params["nonlinearity"] == 0.0 and params["mains_frequency"] == 50.0
    assert "index" not in params


def test_default_participant_memory_budget(participant):
    """With the default 10 repetitions a participant's big arrays stay under 150 MB."""
    per_repetition = sum(
        getattr(participant, name).nbytes for name in ("emg", "envelopes", "activations")
    ) / participant.n_repetitions
    assert per_repetition * 10 < 150e6


def test_invalid_participant_construction():
    p = make_reaching_participant(0, random_state=0, n_repetitions=N_REPS, noise_level=0.0)
    fields = {f.name: getattr(p, f.name) for f in dataclasses.fields(p)}
    with pytest.raises(SynergyInputError, match="emg"):
        ReachingParticipant(**{**fields, "emg": p.emg[0]})
    with pytest.raises(SynergyInputError, match="onset"):
        ReachingParticipant(**{**fields, "onset": p.onset[:, :1]})
