"""Tests of the realistic reaching generator (synergylib.reaching)."""

from __future__ import annotations

import numpy as np
import pytest

from synergylib import SynergyInputError
from synergylib.datasets import (
    GROUND_TRUTH_SYNERGIES,
    ReachingDataset,
    MUSCLES,
    ground_truth_synergies,
    make_reaching_participant,
)
from synergylib.preprocessing import preprocess_participant
from synergylib.reaching import (
    CROSSTALK_PAIRS,
    RealisticParticipant,
    crosstalk_matrix,
    generator_parameters,
    ideal_parameters,
    make_realistic_participant,
    parameter_table,
)

N_REPS = 2


def make(index=0, random_state=3, **kwargs):
    return make_realistic_participant(index, random_state=random_state,
                                      n_repetitions=N_REPS, **kwargs)


def ideal(**changes):
    params = ideal_parameters()
    params.update(changes)
    return params


@pytest.fixture(scope="module")
def participant() -> RealisticParticipant:
    return make()


@pytest.fixture(scope="module")
def ideal_participant() -> RealisticParticipant:
    return make(**ideal())


# --------------------------------------------------------------------------- shapes


def test_shapes_match_the_clean_generator(participant):
    clean = make_reaching_participant(0, random_state=3, n_repetitions=N_REPS)
    assert isinstance(participant, RealisticParticipant)
    assert participant.emg.shape[:3] == clean.emg.shape[:3] == (45, N_REPS, 16)
    assert participant.envelopes.shape == participant.emg.shape
    assert participant.activations.shape == (45, N_REPS, 6, participant.n_samples)
    assert participant.tonic_activations.shape == participant.activations.shape
    assert participant.onset.shape == participant.offset.shape == (45, N_REPS)
    assert participant.synergies.shape == clean.synergies.shape == (16, 6)
    assert participant.synergy_names == clean.synergy_names
    assert participant.muscles == clean.muscles
    np.testing.assert_array_equal(participant.movement_plane, clean.movement_plane)
    np.testing.assert_array_equal(participant.movement_target, clean.movement_target)
    np.testing.assert_allclose(np.linalg.norm(participant.synergies, axis=0), 1.0)
    assert np.all(participant.synergies >= 0)
    assert participant.emg.dtype == np.float32
    assert not participant.emg.flags.writeable


def test_rest_around_each_trial_fits_the_tonic_windows(participant):
    fs = participant.fs
    assert participant.onset.min() >= 0.45 * fs
    assert participant.n_samples - participant.offset.max() >= 0.45 * fs
    # activity (bursts and specific bumps) never reaches the rest windows
    phasic = participant.activations - participant.tonic_activations
    for j in (0, 20, 44):
        for r in range(N_REPS):
            on, off = participant.onset[j, r], participant.offset[j, r]
            assert np.all(phasic[j, r, :, : on - int(0.15 * fs)] == 0)
            assert np.all(phasic[j, r, :, off:] == 0)


def test_preprocessing_runs_unchanged(participant):
    m = preprocess_participant(participant)
    assert m.train.shape == (16, 45 * 100)
    assert m.test.shape == (16, 45 * 100)
    assert np.all(np.isfinite(m.train)) and m.train.max() == pytest.approx(1.0)


# --------------------------------------------------------------------------- seeding


def test_same_seed_gives_bit_identical_data(participant):
    again = make()
    for name in ("emg", "envelopes", "activations", "synergies", "onset", "offset",
                 "emg_lead", "crosstalk"):
        np.testing.assert_array_equal(getattr(participant, name), getattr(again, name))


def test_participants_and_seeds_differ(participant):
    other = make(index=1)
    assert not np.allclose(participant.synergies, other.synergies)
    assert not np.array_equal(participant.emg, other.emg)
    reseeded = make(random_state=4)
    assert not np.array_equal(participant.emg, reseeded.emg)


def test_dataset_equals_the_function(participant):
    ds = ReachingDataset(3, random_state=3, n_repetitions=N_REPS)  # realistic by default
    assert len(ds) == 3
    np.testing.assert_array_equal(ds[0].emg, participant.emg)
    with pytest.raises(SynergyInputError, match="out of range"):
        ds[3]
    with pytest.raises(TypeError, match="Unknown generator parameter"):
        ReachingDataset(3, not_a_parameter=1)


# --------------------------------------------------------------------------- the ideal model


def test_everything_off_is_the_noise_free_linear_model(ideal_participant):
    p = ideal_participant
    drive = np.einsum("mk,jrkt->jrmt", p.synergies, p.activations.astype(np.float64))
    np.testing.assert_allclose(p.envelopes, drive, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(p.synergies, ground_truth_synergies(), rtol=1e-12)
    np.testing.assert_array_equal(p.crosstalk, np.eye(16))
    assert np.all(p.emg_lead == 0)
    # no additive noise: the raw signal vanishes wherever the envelope does
    silent = p.envelopes == 0
    assert silent.any()
    assert np.all(p.emg[silent] == 0)


def test_participant_specific_synergies():
    p = make(**ideal(weight_jitter=0.5))
    W0 = ground_truth_synergies()
    assert np.array_equal(p.synergies > 0, W0 > 0)  # same support, other weights
    assert not np.allclose(p.synergies, W0)
    q = make(**ideal(extra_muscle_probability=1.0, extra_muscle_weight=0.2))
    off = W0 == 0
    assert np.all(q.synergies[off] > 0)
    # an extra weight is at most 0.2 before normalisation and the norm is at least 1
    assert np.all(q.synergies[off] <= 0.2)


# --------------------------------------------------------------------------- mechanisms


def test_crosstalk_matrix_known_answer():
    C = crosstalk_matrix(0.1)
    np.testing.assert_array_equal(np.diag(C), 1.0)
    a, b = MUSCLES.index("DeltA"), MUSCLES.index("DeltM")
    assert C[a, b] == C[b, a] == 0.1
    assert np.count_nonzero(C - np.eye(16)) == 2 * len(CROSSTALK_PAIRS)
    np.testing.assert_array_equal(crosstalk_matrix(0.0), np.eye(16))
    with pytest.raises(SynergyInputError, match="factors"):
        crosstalk_matrix(0.1, np.ones(3))


def test_crosstalk_adds_c_times_the_neighbours_raw_signal():
    c = 0.15
    base = make(**ideal())
    mixed = make(**ideal(crosstalk=c, crosstalk_jitter=0.0))
    C = crosstalk_matrix(c)
    expected = np.einsum("mn,jrnt->jrmt", C, base.emg.astype(np.float64))
    np.testing.assert_allclose(mixed.emg, expected, rtol=1e-5, atol=1e-6)
    a, b = MUSCLES.index("TriLong"), MUSCLES.index("TriLat")
    np.testing.assert_allclose(mixed.emg[:, :, a], base.emg[:, :, a] + c * base.emg[:, :, b],
                               rtol=1e-5, atol=1e-6)
    # an unrelated channel is untouched
    es, brach = MUSCLES.index("ES"), MUSCLES.index("Brach")
    assert C[es, brach] == 0
    # the envelopes (the muscles' own activity) do not change
    np.testing.assert_array_equal(mixed.envelopes, base.envelopes)


def test_emg_leads_the_movement_by_the_lead():
    lead = 0.08
    shift = int(round(lead * 1000))
    on_time = make(**ideal())
    early = make(**ideal(emg_lead=(lead, lead)))
    np.testing.assert_allclose(early.emg_lead, lead)
    # h(t) = h_mech(t + lead): the whole activation is shifted earlier by the lead
    np.testing.assert_array_equal(early.activations[..., :-shift],
                                  on_time.activations[..., shift:])
    phasic = early.activations - early.tonic_activations
    for j in (0, 13, 40):
        for r in range(N_REPS):
            active = np.flatnonzero(phasic[j, r].max(axis=0) > 0)
            onset = early.onset[j, r]
            assert active[0] < onset  # activity starts before the kinematic onset
            assert onset - shift <= active[0] <= onset - shift + 0.05 * 800


def test_return_mirrors_the_reach():
    p = make(**ideal())
    gains = np.array([[t.accel_gain, t.decel_gain] for t in GROUND_TRUTH_SYNERGIES])
    amps = p.burst_amplitudes  # reach accel, reach decel, return accel, return decel
    np.testing.assert_allclose(amps[..., 2] * gains[:, 1], amps[..., 1] * gains[:, 0])
    np.testing.assert_allclose(amps[..., 3] * gains[:, 0], amps[..., 0] * gains[:, 1])
    phasic = p.activations - p.tonic_activations
    along = p.movement_direction @ p.preferred_directions.T > 0.3
    for j, k in zip(*np.nonzero(along)):
        for r in range(N_REPS):
            on, hold = p.onset[j, r], p.hold_onset[j, r]
            back, off = p.return_onset[j, r], p.offset[j, r]
            h = phasic[j, r, k]
            # along the preferred direction: accelerates the reach, brakes the return
            assert abs(on + np.argmax(h[on:hold]) - (on + 0.25 * (hold - on))) <= 2
            assert abs(back + np.argmax(h[back:off]) - (back + 0.75 * (off - back))) <= 2
    # the hand comes back: the tonic (posture) level after offset equals that before onset
    T = p.tonic_activations
    np.testing.assert_allclose(T[:, :, :, 0], T[:, :, :, -1], rtol=1e-6, atol=1e-7)


def test_muscle_specific_activity_is_added_within_the_movement():
    p = make(**ideal(specific_level=0.1, specific_trial_level=0.1))
    drive = np.einsum("mk,jrkt->jrmt", p.synergies, p.activations.astype(np.float64))
    extra = p.envelopes - drive
    assert np.all(extra >= -1e-6)
    assert extra.max() > 0.01 * drive.max()
    for j in (0, 30):
        for r in range(N_REPS):
            assert np.allclose(extra[j, r, :, : p.onset[j, r] - 1], 0, atol=1e-6)
            assert np.allclose(extra[j, r, :, p.offset[j, r] + 1:], 0, atol=1e-6)
    # the per-movement part repeats across repetitions, the per-trial part does not
    fixed = make(**ideal(specific_level=0.1))
    fixed_extra = fixed.envelopes - np.einsum("mk,jrkt->jrmt", fixed.synergies,
                                              fixed.activations.astype(np.float64))
    peak = fixed_extra.max(axis=-1)  # (45, reps, 16)
    assert np.corrcoef(peak[:, 0].ravel(), peak[:, 1].ravel())[0, 1] > 0.9


def test_muscle_specific_noise_levels():
    flat = make(**ideal(noise_level=1.0, noise_jitter=0.0))
    np.testing.assert_allclose(flat.baseline_noise, flat.baseline_noise[0])
    varied = make(**ideal(noise_level=1.0, noise_jitter=0.5))
    assert varied.baseline_noise.std() > 0


def test_reach_directions_cover_the_workspace(participant):
    # centre-out and return from a posture per plane: reaches go every way
    d = participant.movement_direction
    assert d[:, 0].min() < -0.5 and d[:, 0].max() > 0.5   # left and right
    assert d[:, 2].min() < -0.3 and d[:, 2].max() > 0.5   # down and up
    assert d[:, 1].max() > 0.5                             # forward (returns: backward)


# --------------------------------------------------------------------------- parameters


def test_parameters_are_listed_and_documented():
    params = generator_parameters()
    assert "index" not in params and "random_state" not in params
    table = parameter_table()
    assert [row["parameter"] for row in table] == list(params)
    assert all(row["description"] and row["source"] for row in table)
    assert set(ideal_parameters()) <= set(params)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight_jitter": -0.1}, "weight_jitter"),
        ({"extra_muscle_probability": 1.5}, "extra_muscle_probability"),
        ({"emg_lead": (0.05, 0.3)}, "emg_lead must be at most 0.15"),
        ({"emg_lead": (0.1, 0.05)}, "emg_lead must satisfy"),
        ({"reach_duration": (0.0, 0.5)}, "reach_duration"),
        ({"burst_width": 0.5, "timing_jitter": 0.05}, "inside their segment"),
        ({"rest_duration": 0.3}, "rest_duration must be at least"),
        ({"start_postures": ((0.0, 0.0, 0.0),)}, "start_postures must have shape"),
        ({"start_postures": ((0.05, 0.45, 0.0),) + ((0.05, 0.35, -0.35),) * 4},
         "every movement needs a direction"),
        ({"specific_bumps": 1.5}, "specific_bumps"),
        ({"carrier_band": (20.0, 600.0)}, "carrier_band"),
        ({"n_repetitions": 1}, "n_repetitions"),
    ],
)
def test_bad_input_raises(changes, message):
    with pytest.raises(SynergyInputError, match=message):
        make_realistic_participant(0, **changes)


def test_bad_index_and_seed_raise():
    with pytest.raises(SynergyInputError, match="index"):
        make_realistic_participant(-1)
    with pytest.raises(SynergyInputError, match="random_state"):
        make_realistic_participant(0, random_state=-2)
