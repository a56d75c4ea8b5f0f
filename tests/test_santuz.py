"""Tests of synergylib.santuz on the offline copy of the musclesyneRgies data.

The tests point SYNERGYLIB_DATA_DIR at the read-only copy in ../shared/data/santuz2020
and forbid any network access: pooch's downloader and socket connections raise.
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import numpy as np
import pooch
import pytest
from scipy import signal

from synergylib import santuz
from synergylib._validation import SynergyInputError
from synergylib.santuz import (
    SANTUZ_FILES,
    SANTUZ_MUSCLE_NAMES,
    SANTUZ_MUSCLES,
    DataIntegrityError,
    SantuzFilteredTrial,
    SantuzParticipant,
    SantuzRawTrial,
    fetch_santuz2020,
    load_santuz2020,
    load_santuz2020_filtered,
    load_santuz2020_raw,
    load_santuz2020_synergies,
    read_rdata,
)

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "santuz2020"


class NetworkUsed(AssertionError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any download attempt or socket connection fails loudly."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise NetworkUsed("the network must not be used in tests")

    monkeypatch.setattr(pooch.HTTPDownloader, "__call__", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return calls


@pytest.fixture
def santuz_dir(monkeypatch):
    if not all((SHARED_DATA / name).is_file() for name in SANTUZ_FILES):
        pytest.skip(f"offline copy of the Santuz 2020 data not found in {SHARED_DATA}")
    monkeypatch.setenv("SYNERGYLIB_DATA_DIR", str(SHARED_DATA))
    return SHARED_DATA


@pytest.fixture(scope="module")
def participants():
    if not (SHARED_DATA / "SYNS.RData").is_file():
        pytest.skip(f"offline copy of the Santuz 2020 data not found in {SHARED_DATA}")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SYNERGYLIB_DATA_DIR", str(SHARED_DATA))
        mp.setattr(pooch.HTTPDownloader, "__call__", _refuse)
        return load_santuz2020_synergies()


def _refuse(*args, **kwargs):
    raise NetworkUsed("the network must not be used in tests")


def grand_mean_r2(V, V_hat):
    return 1.0 - np.sum((V - V_hat) ** 2) / np.sum((V - V.mean()) ** 2)


def per_muscle_centred_r2(V, V_hat):
    return 1.0 - np.sum((V - V_hat) ** 2) / np.sum((V - V.mean(axis=1, keepdims=True)) ** 2)


# -- constants -------------------------------------------------------------------------


def test_muscle_constants():
    assert len(SANTUZ_MUSCLES) == 13 == len(set(SANTUZ_MUSCLES))
    assert len(SANTUZ_MUSCLE_NAMES) == 13
    assert SANTUZ_MUSCLES[0] == "ME" and SANTUZ_MUSCLE_NAMES[0] == "gluteus medius"
    assert SANTUZ_MUSCLES[-1] == "SO" and SANTUZ_MUSCLE_NAMES[-1] == "soleus"
    assert all(v.startswith("sha256:") and len(v) == 7 + 64 for v in SANTUZ_FILES.values())


def test_default_data_dir_is_pooch_cache(monkeypatch):
    monkeypatch.delenv("SYNERGYLIB_DATA_DIR", raising=False)
    path = santuz.santuz2020_data_dir()
    assert path == Path(pooch.os_cache("synergylib")) / "santuz2020"
    monkeypatch.setenv("SYNERGYLIB_DATA_DIR", "/some/where")
    assert santuz.santuz2020_data_dir() == Path("/some/where")


# -- SYNS ------------------------------------------------------------------------------


def test_synergies_shapes_and_names(participants):
    assert len(participants) == 15
    assert [p.id for p in participants] == [f"ID{i:04d}_TW_01" for i in range(1, 16)]
    for p in participants:
        assert isinstance(p, SantuzParticipant)
        assert p.muscles == SANTUZ_MUSCLES
        k = p.n_synergies
        assert 4 <= k <= 6
        assert p.emg.shape == (13, 200) and p.n_points == 200
        assert p.synergies.shape == (13, k)
        assert p.activations.shape == (k, 200)
        assert p.reconstruction.shape == (13, 200)
        assert p.synergy_names == tuple(f"Syn{i}" for i in range(1, k + 1))
        for a in (p.emg, p.synergies, p.activations, p.reconstruction):
            assert type(a) is np.ndarray and a.dtype == np.float64
            assert np.all(np.isfinite(a))
        # amplitude-normalised, strictly positive (the package replaces values <= 0)
        assert p.emg.min() > 0 and p.emg.max() <= 1.0 + 1e-12
        assert p.synergies.min() >= 0 and p.activations.min() >= 0
        # unit-norm synergy columns, as the package normalises them
        np.testing.assert_allclose(np.linalg.norm(p.synergies, axis=0), 1.0, atol=1e-10)
        assert p.classification == "none" and p.iterations > 0
    assert [p.n_synergies for p in participants].count(5) == 13


def test_synergies_reproduce_stored_r2(participants):
    """Known answer: M @ P reproduces V with exactly the R² the package stored."""
    first = participants[0]
    assert first.r2_grand_mean == pytest.approx(0.8991153185815461, abs=1e-12)
    for p in participants:
        V_hat = p.synergies @ p.activations
        np.testing.assert_allclose(V_hat, p.reconstruction, atol=1e-12)
        assert grand_mean_r2(p.emg, V_hat) == pytest.approx(p.r2_grand_mean, abs=1e-10)
        # synergylib's R² (centred per muscle) is a different, smaller number
        centred = per_muscle_centred_r2(p.emg, V_hat)
        assert 0.75 < centred < p.r2_grand_mean
    assert all(0.8 < p.r2_grand_mean < 0.95 for p in participants)


def test_synergies_rows_are_the_muscles(participants):
    """Rows are muscles: plantar flexors are silent in late swing, active in stance."""
    V = np.mean([p.emg for p in participants], axis=0)
    soleus = V[SANTUZ_MUSCLES.index("SO")]
    assert soleus[40:90].mean() > 2 * soleus[150:200].mean()
    tibialis = V[SANTUZ_MUSCLES.index("TA")]
    assert tibialis[100:200].mean() > tibialis[40:90].mean()


# -- RAW_DATA and FILT_EMG -------------------------------------------------------------


def test_raw_trial(santuz_dir):
    raw = load_santuz2020_raw()
    assert isinstance(raw, SantuzRawTrial)
    assert raw.id == "ID0012_TW_01" and raw.muscles == SANTUZ_MUSCLES
    assert raw.fs == 1000.0
    assert raw.emg.shape == (13, 7618) == (13, raw.n_samples)
    assert raw.time.shape == (7618,)
    assert raw.time[0] == pytest.approx(0.014) and raw.time[-1] == pytest.approx(7.631)
    np.testing.assert_allclose(np.diff(raw.time), 1e-3, atol=1e-9)
    assert np.all(np.isfinite(raw.emg)) and np.abs(raw.emg).max() > 100
    # raw EMG oscillates around zero
    assert np.all(np.abs(raw.emg.mean(axis=1)) < 0.1 * raw.emg.std(axis=1))
    assert raw.cycles.shape == (6, 2)
    td, lo = raw.touchdowns, raw.lift_offs
    assert np.all(td < lo) and np.all(lo[:-1] < td[1:])
    assert raw.time[0] <= td[0] and lo[-1] <= raw.time[-1]
    stance_fraction = (lo[:-1] - td[:-1]) / np.diff(td)
    assert np.all((stance_fraction > 0.55) & (stance_fraction < 0.7))


def test_filtered_trial(santuz_dir):
    filt = load_santuz2020_filtered()
    assert isinstance(filt, SantuzFilteredTrial)
    assert filt.id == "ID0012_TW_01" and filt.muscles == SANTUZ_MUSCLES
    assert filt.emg.shape == (13, 600) and filt.n_cycles == 3
    assert filt.time.shape == (600,) and filt.time[0] == 0 and filt.time[-1] == pytest.approx(2.995)
    assert np.all(np.diff(filt.time) > 0)
    np.testing.assert_array_equal(filt.point_in_cycle, np.tile(np.arange(1, 201), 3))
    assert filt.emg.min() >= 0 and filt.emg.max() <= 1
    assert filt.cycle_matrices.shape == (3, 13, 200)
    np.testing.assert_array_equal(filt.cycle_matrices[1], filt.emg[:, 200:400])


def test_filtered_trial_is_the_raw_trial_processed(santuz_dir):
    """Known answer: musclesyneRgies' filtEMG + normEMG chain, redone with scipy on the
    raw trial (cycles 2-4, stance from touchdown to lift-off), gives FILT_EMG."""
    raw, filt = load_santuz2020_raw(), load_santuz2020_filtered()
    x = raw.emg - raw.emg.mean(axis=1, keepdims=True)
    x = np.abs(signal.filtfilt(*signal.butter(4, 50 / (raw.fs / 2), "high"), x, axis=1))
    x = signal.filtfilt(*signal.butter(4, 20 / (raw.fs / 2), "low"), x, axis=1)
    x[x <= 0] = x[x > 0].min()
    x = x - x.min(axis=1, keepdims=True)
    x = x / x.max(axis=1, keepdims=True)
    segments = []
    cycles = raw.cycles[1:-1]
    for j in range(3):
        for start, stop in ((cycles[j, 0], cycles[j, 1]), (cycles[j, 1], cycles[j + 1, 0])):
            i1 = np.flatnonzero(raw.time >= start)[0]  # R: which(time >= t1)[1]
            i2 = np.flatnonzero(raw.time >= stop)[0] - 1
            seg = x[:, i1 : i2 + 1]
            grid = np.linspace(0, seg.shape[1] - 1, 100)
            segments.append(np.array([np.interp(grid, np.arange(seg.shape[1]), r) for r in seg]))
    redone = np.concatenate(segments, axis=1)
    assert np.abs(redone - filt.emg).max() < 0.02
    assert np.corrcoef(redone.ravel(), filt.emg.ravel())[0, 1] > 0.999


def test_dispatcher(santuz_dir):
    assert isinstance(load_santuz2020("raw"), SantuzRawTrial)
    assert isinstance(load_santuz2020("filtered"), SantuzFilteredTrial)
    synergies = load_santuz2020()
    assert len(synergies) == 15 and isinstance(synergies[0], SantuzParticipant)
    with pytest.raises(SynergyInputError, match="Unknown kind 'walking'"):
        load_santuz2020("walking")


# -- fetching and integrity ------------------------------------------------------------


def test_fetch_returns_the_cached_file_without_network(santuz_dir, no_network):
    for name in SANTUZ_FILES:
        assert fetch_santuz2020(name) == santuz_dir / name
    assert no_network == []


def test_fetch_unknown_name():
    with pytest.raises(SynergyInputError, match="Unknown Santuz 2020 file"):
        fetch_santuz2020("OTHER.RData")


def test_corrupt_file_raises_and_is_kept(santuz_dir, tmp_path, monkeypatch, no_network):
    name = "FILT_EMG.RData"
    corrupt = tmp_path / name
    shutil.copyfile(santuz_dir / name, corrupt)
    data = bytearray(corrupt.read_bytes())
    data[1000] ^= 0xFF
    corrupt.write_bytes(bytes(data))
    monkeypatch.setenv("SYNERGYLIB_DATA_DIR", str(tmp_path))
    expected = SANTUZ_FILES[name].split(":")[1]
    actual = pooch.file_hash(str(corrupt))
    with pytest.raises(DataIntegrityError) as info:
        load_santuz2020_filtered()
    message = str(info.value)
    assert "sha256" in message and expected in message and actual in message
    assert str(corrupt) in message and "delete it" in message
    assert isinstance(info.value, ValueError)
    assert info.value.expected == expected and info.value.actual == actual
    assert corrupt.read_bytes() == bytes(data)  # not overwritten
    assert no_network == []


def test_missing_file_without_network_gives_clear_error(tmp_path, monkeypatch, no_network):
    monkeypatch.setenv("SYNERGYLIB_DATA_DIR", str(tmp_path))
    with pytest.raises(OSError, match="could not be downloaded from https://github.com/"):
        fetch_santuz2020("SYNS.RData")
    assert len(no_network) == 1  # one attempt, refused by the stub
    assert not (tmp_path / "SYNS.RData").exists()


def test_reader_rejects_non_rdata_files(tmp_path):
    text = tmp_path / "notes.RData"
    text.write_text("this is not an R data file\n")
    with pytest.raises(SynergyInputError, match="not a valid R data"):
        read_rdata(text)
    empty = tmp_path / "empty.RData"
    empty.write_bytes(b"")
    with pytest.raises(SynergyInputError, match="not a valid R data"):
        read_rdata(empty)


def test_reader_rejects_truncated_rdata(santuz_dir, tmp_path):
    truncated = tmp_path / "SYNS.RData"
    truncated.write_bytes((santuz_dir / "SYNS.RData").read_bytes()[:5000])
    with pytest.raises(SynergyInputError, match="not a valid R data"):
        read_rdata(truncated)
