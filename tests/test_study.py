"""The study pipeline: results, atomic cache, resumption after a kill, choices table."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from synergylib import SynergyInputError
from synergylib.claims import evaluate_rules
from synergylib.comparison import metrics_table
from synergylib.study import (
    AutoencoderConfig,
    ParticipantResult,
    StudyConfig,
    choices_table,
    run_participant,
    run_study,
)

# A tiny configuration: the pipeline end to end in a few seconds per participant. The same
# source defines it here and in the subprocess of the interruption test.
_CONFIG_SOURCE = """
import torch
from synergylib.study import AutoencoderConfig, StudyConfig
torch.set_num_threads(1)
TINY = StudyConfig(
    n_participants=2,
    generator="clean",  # the pipeline's mechanics, fast: clean data reach R2 >= 0.8 by N = 3
    dataset={"n_repetitions": 3},
    n_max=4,
    nmf_restarts=1,
    nmf_max_iter=400,
    autoencoder=AutoencoderConfig(
        n_restarts=1, max_epochs=40, pairings=(("linear", "linear"), ("relu", "tanh"), ("tanh", "relu"))
    ),
)
"""
_namespace: dict = {}
exec(_CONFIG_SOURCE, _namespace)
TINY: StudyConfig = _namespace["TINY"]
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def tiny_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("tiny-study")


@pytest.fixture(scope="module")
def tiny_results(tiny_cache) -> list[ParticipantResult]:
    return run_study(TINY, cache_dir=tiny_cache, progress=False)


@pytest.fixture(scope="module")
def tiny_result(tiny_results) -> ParticipantResult:
    return tiny_results[0]


def _fields_equal(a: ParticipantResult, b: ParticipantResult) -> None:
    for f in dataclasses.fields(ParticipantResult):
        if f.name == "elapsed_s":
            continue
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, y, err_msg=f.name)
        else:
            assert x == y, f.name


def test_participant_result_is_consistent(tiny_result):
    r = tiny_result
    n_muscles, n_samples = r.train.shape
    assert (n_muscles, n_samples) == (16, 45 * 100)
    N = r.n_synergies
    # N is the threshold rule applied to the stored curve
    above = np.flatnonzero(r.nmf_r2_curve >= TINY.r2_threshold)
    assert N == r.n_values[above[0]]
    assert r.nmf_synergies.shape == (16, N)
    assert r.ae_synergies.shape == (3, 16, N)
    assert r.ae_activations_train.shape == (3, N, n_samples)
    assert r.ae_activations_test.shape == (3, N, n_samples)
    np.testing.assert_allclose(np.linalg.norm(r.ae_synergies, axis=1), 1.0, atol=1e-10)
    np.testing.assert_allclose(np.linalg.norm(r.true_synergies, axis=0), 1.0, atol=1e-10)
    # the NMF R2 stored for the chosen N is the curve's value
    assert r.nmf_r2_train == pytest.approx(r.nmf_r2_curve[N - 1])
    # the linear+linear reconstruction from stored synergies/activations reproduces its R2
    i = r.pairing_index("linear+linear")
    X_hat = (r.ae_synergies[i] @ r.ae_activations_train[i] + r.ae_decoder_bias[i][:, None]).T
    from synergylib.metrics import r2_score

    assert r2_score(r.train.T, X_hat) == pytest.approx(r.ae_r2_train[i], abs=1e-9)


def test_ground_truth_is_expressed_in_the_normalised_muscle_space(tiny_result):
    """Linear data: NMF with as many synergies as the truth finds the *rescaled* truth."""
    from synergylib.datasets import make_reaching_participant
    from synergylib.metrics import match_synergies
    from synergylib.nmf import SynergyNMF

    p = make_reaching_participant(0, n_repetitions=3, noise_level=0.0)
    from synergylib.preprocessing import PreprocessingConfig, preprocess_participant

    M = preprocess_participant(p, PreprocessingConfig(phasic=False))
    W_true = p.synergies / M.amplitude_scale[:, None]
    W_true /= np.linalg.norm(W_true, axis=0)
    nmf = SynergyNMF(p.synergies.shape[1], n_restarts=3, random_state=0).fit(M.train.T)
    rescaled = match_synergies(W_true, nmf.synergies_).mean_cosine
    raw = match_synergies(p.synergies, nmf.synergies_).mean_cosine
    assert rescaled >= 0.95
    assert rescaled > raw


def test_save_load_roundtrip_is_exact(tiny_result, tmp_path):
    path = tmp_path / "p.npz"
    tiny_result.save(path)
    _fields_equal(tiny_result, ParticipantResult.load(path))
    assert [p.name for p in tmp_path.iterdir()] == ["p.npz"]  # no temporary file left


def test_same_seed_gives_bit_identical_results(tiny_result):
    _fields_equal(tiny_result, run_participant(0, TINY))


def test_pairings_split_in_two_tasks_give_the_results_of_one_grid():
    """run_study trains a participant's pairings in two parallel tasks; the result is
    bit for bit the one of run_participant, which trains them all in one batch, with
    one worker or two."""
    from synergylib.study import _pairing_groups

    config = dataclasses.replace(TINY, n_participants=1, autoencoder=dataclasses.replace(
        TINY.autoencoder, pairings=(("linear", "linear"), ("linear", "sigmoid"),
                                    ("relu", "linear"), ("tanh", "sigmoid"), ("sigmoid", "tanh"))))
    groups = _pairing_groups(config.autoencoder.pairings)
    assert groups == [(("linear", "linear"), ("linear", "sigmoid")),
                      (("relu", "linear"), ("tanh", "sigmoid"), ("sigmoid", "tanh"))]
    one_batch = run_participant(0, config)
    for n_jobs in (1, 2):
        _fields_equal(one_batch, run_study(config, n_jobs=n_jobs, progress=False)[0])


def test_pairing_groups_balance_the_decoders():
    from synergylib.autoencoder import PAIRINGS
    from synergylib.study import _pairing_groups

    groups = _pairing_groups(PAIRINGS)
    assert len(groups) == 2 and sorted(groups[0] + groups[1]) == sorted(PAIRINGS)
    for group in groups:
        assert sorted(d for _, d in group) == sorted(["linear", "relu", "sigmoid", "tanh"] * 2)
    assert _pairing_groups((("relu", "tanh"),)) == [(("relu", "tanh"),)]


def test_cache_key_changes_with_every_parameter():
    keys = {
        TINY.participant_key(0),
        TINY.participant_key(1),
        dataclasses.replace(TINY, r2_threshold=0.85).participant_key(0),
        dataclasses.replace(TINY, data_seed=1).participant_key(0),
        dataclasses.replace(TINY, dataset={"n_repetitions": 3, "nonlinearity": 1.0}).participant_key(0),
        dataclasses.replace(
            TINY, autoencoder=dataclasses.replace(TINY.autoencoder, learning_rate=0.02)
        ).participant_key(0),
        dataclasses.replace(
            TINY, autoencoder=dataclasses.replace(TINY.autoencoder, torch_threads=2)
        ).participant_key(0),
    }
    assert len(keys) == 7


def test_run_study_uses_the_cache(tiny_results, tiny_cache, monkeypatch):
    assert len(list(tiny_cache.glob("participant*.npz"))) == 2
    import synergylib.study as study

    def fail(*args, **kwargs):  # pragma: no cover - must not be called
        raise AssertionError("a cached participant was recomputed")

    for name in ("run_participant", "_prepare", "_autoencoder_part", "_nmf_part"):
        monkeypatch.setattr(study, name, fail)
    again = run_study(TINY, cache_dir=tiny_cache, progress=False)
    for a, b in zip(tiny_results, again):
        _fields_equal(a, b)


def test_a_second_study_of_the_same_data_regenerates_nothing(tiny_results, tiny_cache, monkeypatch):
    """Loading a study, the workers regenerate its data and send them back with the
    results; this process keeps them, so another study of the same data (the main
    study at its second N) is read without generating them again."""
    import collections

    import synergylib.study as study

    def fail(*args, **kwargs):  # pragma: no cover - must not be called
        raise AssertionError("this process generated the data again")

    monkeypatch.setattr(study, "_DATA_CACHE", collections.OrderedDict())
    monkeypatch.setattr(study, "_matrices", fail)  # here only: the workers have their own
    in_workers = run_study(TINY, cache_dir=tiny_cache, n_jobs=2, progress=False)
    here = run_study(TINY, cache_dir=tiny_cache, n_jobs=1, progress=False)
    for a, b, c in zip(tiny_results, in_workers, here):
        _fields_equal(a, b)
        _fields_equal(a, c)


def test_bad_configuration_is_refused():
    from synergylib import SynergyInputError

    with pytest.raises(SynergyInputError, match="n_participants"):
        StudyConfig(n_participants=0)
    with pytest.raises(SynergyInputError, match="r2_threshold"):
        StudyConfig(r2_threshold=1.5)
    for threads in (0, True, 1.5, None):
        with pytest.raises(SynergyInputError, match="torch_threads"):
            AutoencoderConfig(torch_threads=threads)


def test_training_runs_under_the_configured_thread_count(monkeypatch):
    """Torch's thread count changes trained weights in their last digits, so run_study
    trains under config.autoencoder.torch_threads whatever the calling process uses
    (n_jobs=1 in a notebook has one thread per core, a loky worker one), and restores the
    caller's setting afterwards."""
    import torch

    import synergylib.study as study

    seen = []
    original = study.fit_autoencoder_grid

    def spy(*args, **kwargs):
        seen.append(torch.get_num_threads())
        return original(*args, **kwargs)

    monkeypatch.setattr(study, "fit_autoencoder_grid", spy)
    config = dataclasses.replace(TINY, n_participants=1)
    caller = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        run_study(config, n_jobs=1, progress=False)
        assert seen == [1] and torch.get_num_threads() == 2
        torch.set_num_threads(1)
        threads3 = dataclasses.replace(config, autoencoder=dataclasses.replace(config.autoencoder, torch_threads=3))
        run_study(threads3, n_jobs=1, progress=False)
        assert seen == [1, 3] and torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(caller)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_nmf_max_iter_is_reported_once_per_run(n_jobs):
    """The NMF restarts that reach max_iter are counted per participant and reported in
    one warning by the calling process, also when the NMF ran in joblib workers (whose
    own warnings would bypass the caller's filters, once per N and participant)."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    config = dataclasses.replace(
        TINY, nmf_max_iter=3, r2_threshold=0.3, autoencoder=dataclasses.replace(TINY.autoencoder, max_epochs=2,
                                                              pairings=(("linear", "linear"),)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = run_study(config, n_jobs=n_jobs, progress=False)
    assert len(results) == 2
    nmf = [w for w in caught if issubclass(w.category, ConvergenceWarning) and "NMF" in str(w.message)]
    assert len(nmf) == 1, [str(w.message) for w in nmf]
    # 2 participants x N = 1..4 x 1 restart, none converges in 3 iterations
    assert str(nmf[0].message).startswith("8 of 8 NMF restarts reached max_iter=3 before tol=0.0001")
    assert "participants (restarts): 0 (4), 1 (4)" in str(nmf[0].message)
    assert nmf[0].filename == __file__  # attributed to the caller of run_study


_SCRIPT = _CONFIG_SOURCE + textwrap.dedent(
    """
    import sys
    from synergylib.study import run_study
    run_study(TINY, cache_dir=sys.argv[1], progress=False)
    """
)


def _run(cache: Path, *, kill_after_first: bool) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _SCRIPT, str(cache)])
    if not kill_after_first:
        assert proc.wait(timeout=300) == 0
        return
    deadline = time.monotonic() + 300
    while not list(cache.glob("participant*.npz")):
        assert proc.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)  # no chance to clean up: the hardest interruption
    proc.wait(timeout=60)


def test_a_killed_run_resumes_to_identical_results(tiny_results, tiny_cache, tmp_path):
    """SIGKILL a run after its first participant; rerunning completes it, identically."""
    interrupted = tmp_path / "interrupted"
    _run(interrupted, kill_after_first=True)
    done_before = {p.name for p in interrupted.glob("participant*.npz")}
    assert len(done_before) == 1

    _run(interrupted, kill_after_first=False)  # resume: computes only what is missing
    names = sorted(p.name for p in interrupted.iterdir())
    reference = sorted(p.name for p in tiny_cache.iterdir())
    assert names == reference  # same files, and no partial or temporary file left
    for name in names:
        _fields_equal(ParticipantResult.load(tiny_cache / name), ParticipantResult.load(interrupted / name))
    # the participant finished before the kill was not recomputed
    (done,) = done_before
    assert (interrupted / done).stat().st_mtime_ns <= min(
        (interrupted / n).stat().st_mtime_ns for n in names if n != done
    )


def test_choices_table_lists_every_configured_parameter():
    table = choices_table(StudyConfig())
    assert set(table["source"]) <= {"paper", "group", "choice"}
    for stage in ("data", "preprocessing", "study", "autoencoder", "comparison"):
        assert (table["stage"] == stage).any()
    study_rows = set(table.loc[table["stage"] == "study", "parameter"])
    documented = {f.name for f in dataclasses.fields(StudyConfig) if "description" in f.metadata}
    assert study_rows == documented
    # a changed parameter shows its new value
    changed = choices_table(dataclasses.replace(StudyConfig(), r2_threshold=0.9))
    value = changed.loc[changed["parameter"] == "r2_threshold", "value"].item()
    assert value == "0.9"


def test_metrics_table_and_the_rules_run_on_study_results(tiny_results):
    results = tiny_results + [run_participant(2, TINY)]  # the claims need 3 participants
    table = metrics_table(results)
    assert len(table) == 3 * 4  # participants x (NMF + 3 pairings)
    nmf = table[table["model"] == "NMF"]
    assert np.allclose(nmf["ref_mean_cosine"], 1.0)
    assert np.allclose(nmf["r2_train"].to_numpy(), [r.nmf_r2_train for r in results])
    # claim 2 needs four pairings for its rank correlation; TINY has three
    claims = evaluate_rules(results, table, n_permutations=99, n_bootstrap=100, claims=(1, 3))
    assert list(claims["claim"]) == [1, 3]
    assert set(claims["verdict"]) <= {"holds", "does not hold"}


def test_fingerprint_ignores_docstrings_and_comments_but_not_code():
    from synergylib._fingerprint import fingerprint as source_fingerprint

    base = '''"""Module doc."""
def f(x):
    """Doc of f."""
    return x + 1  # a comment
'''
    edited_doc = base.replace("Doc of f.", "A better description of f.").replace("Module doc.", "New.")
    edited_comment = base.replace("# a comment", "# another comment")
    changed_code = base.replace("x + 1", "x + 2")
    no_doc = base.replace('    """Doc of f."""\n', "")
    assert source_fingerprint(edited_doc) == source_fingerprint(base)
    assert source_fingerprint(edited_comment) == source_fingerprint(base)
    assert source_fingerprint(no_doc) == source_fingerprint(base)
    assert source_fingerprint(changed_code) != source_fingerprint(base)
    # A string that is not in docstring position is code.
    assert source_fingerprint(base.replace("return x + 1", "return 'x'")) != source_fingerprint(
        base.replace("return x + 1", "return 'y'"))


def test_code_fingerprint_describes_the_code_imported_not_later_edits(tmp_path):
    """A result module edited after import (say, while a long study runs) does not
    change this process's fingerprint; a new process, which runs the edited code,
    gets a new one."""
    import shutil

    import synergylib

    shutil.copytree(Path(synergylib.__file__).parent, tmp_path / "synergylib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        import synergylib.study as study
        before = study.code_fingerprint.__wrapped__()
        path = Path(study.__file__).parent / "metrics.py"
        if sys.argv[1] == "edit":
            path.write_text(path.read_text() + "\\nEDITED = 1\\n")
        print(before, study.code_fingerprint.__wrapped__())
    """)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    def run(arg):
        out = subprocess.run([sys.executable, "-c", script, arg], env=env, cwd=tmp_path,
                             capture_output=True, text=True, check=True)
        return out.stdout.split()

    before, after_edit = run("edit")
    assert after_edit == before
    fresh, _ = run("read")
    assert fresh != before


# --------------------------------------------------------------------------- #
# Result files: compact, complete when read, and a clear error when damaged
# --------------------------------------------------------------------------- #
def test_result_file_stores_parameters_not_what_they_recompute(tiny_results, tiny_cache):
    import zipfile

    (path, *_) = sorted(tiny_cache.glob("participant00-*.npz"))
    names = {n.removesuffix(".npy") for n in zipfile.ZipFile(path).namelist()}
    assert "ae_restart_encoder_weights" in names and "nmf_activations_train" in names
    for recomputed in ("train", "test", "ae_activations_train", "ae_activations_test",
                       "true_activations_train", "ae_synergies", "ae_r2_train"):
        assert recomputed not in names, recomputed
    with np.load(path) as data:  # float32 training: the stored weights are the trained ones
        assert data["ae_restart_decoder_weights"].dtype == np.float32


def test_stored_parameters_rebuild_every_restart(tiny_result):
    r = tiny_result
    for name in r.pairings:
        i = r.pairing_index(name)
        model = r.model(name)
        np.testing.assert_array_equal(model.transform(r.train.T).T, r.ae_activations_train[i])
        np.testing.assert_array_equal(model.synergies_, r.ae_synergies[i])
        assert r.ae_best_restart[i] == np.argmin(r.ae_restart_losses[i])
    assert r.ae_restart_encoder_weights.shape[:2] == r.ae_restart_losses.shape
    with pytest.raises(Exception, match="restart must lie"):
        r.model(r.pairings[0], restart=99)


def test_loss_history_is_kept_at_log_spaced_epochs_up_to_each_end(tiny_result):
    r = tiny_result
    assert r.ae_loss_epochs[0] == 0 and np.all(np.diff(r.ae_loss_epochs) > 0)
    for i in range(len(r.pairings)):
        h = r.ae_loss_history[i]
        last = r.ae_n_epochs[i]
        assert last in r.ae_loss_epochs  # each line ends where its model stopped
        assert np.all(np.isfinite(h[r.ae_loss_epochs <= last]))
        assert np.all(np.isnan(h[r.ae_loss_epochs > last]))


def test_analysed_matrices_keep_their_data_in_the_file(tiny_result, tmp_path):
    """Real data (no generator to regenerate them from): the file stores the matrices."""
    from synergylib.study import _participant_matrices, analyse_matrices

    matrices, _ = _participant_matrices(0, TINY)
    result = analyse_matrices(matrices, TINY, index=0)
    assert result.source == ""
    result.save(tmp_path / "real.npz")
    _fields_equal(result, ParticipantResult.load(tmp_path / "real.npz"))


@pytest.mark.parametrize("damage", ["truncate", "garbage", "old format"])
def test_a_damaged_result_file_is_named_and_left_alone(tiny_results, tiny_cache, tmp_path, damage):
    import shutil

    from synergylib.study import ResultFileError

    cache = tmp_path / "cache"
    shutil.copytree(tiny_cache, cache)
    (path, *_) = sorted(cache.glob("participant01-*.npz"))
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "garbage":
        path.write_bytes(b"not a result file")
    else:
        with np.load(path) as data:
            arrays = {k: data[k] for k in data.files if k != "format"}
        np.savez(path, **arrays)
    before = path.read_bytes()
    with pytest.raises(ResultFileError, match=path.name) as info:
        run_study(TINY, cache_dir=cache, progress=False)
    assert "delete" in str(info.value)
    assert path.read_bytes() == before  # nothing the user has is overwritten


def test_configurations_survive_the_file(tiny_result):
    """A result's source (its configuration as JSON) gives back an equal configuration."""
    import json

    from synergylib.sweeps import vary, with_dataset

    configs = [TINY, StudyConfig(), with_dataset(StudyConfig(), noise_level=2.0, nonlinearity=1.0)]
    configs += [vary(StudyConfig(), r2_threshold=0.9, preprocessing={"phasic": False},
                     autoencoder={"learning_rate": 0.01, "n_restarts": 1})]
    for config in configs:
        back = StudyConfig.from_dict(json.loads(json.dumps(config.to_dict())))
        assert back == config and back.participant_key(3) == config.participant_key(3)
    assert json.loads(tiny_result.source)["index"] == 0
    with pytest.raises(ValueError, match="no parameter"):
        StudyConfig.from_dict({"n_participant": 3})


# ------------------------------------------------------------------ the generator and the N


def test_the_study_runs_on_the_realistic_generator_at_the_true_n():
    """The default generator is the realistic one; ``n_synergies="true"`` trains the
    autoencoders (and keeps the NMF) at the truth's N, and records the rule's N."""
    assert StudyConfig().generator == "realistic" and StudyConfig().n_synergies == "rule"
    config = dataclasses.replace(
        TINY, generator="realistic", n_max=7, n_synergies="true",
        autoencoder=AutoencoderConfig(n_restarts=1, max_epochs=5, pairings=(("relu", "tanh"),)))
    result = run_participant(0, config)
    assert result.true_synergies.shape == (16, 6)
    assert result.n_synergies == 6 and result.nmf_synergies.shape == (16, 6)
    assert result.ae_synergies.shape == (1, 16, 6)
    assert result.n_rule == int(np.argmax(result.nmf_r2_curve >= config.r2_threshold)) + 1
    fixed = run_participant(0, dataclasses.replace(config, n_synergies=4))
    assert fixed.n_synergies == 4 and fixed.ae_synergies.shape == (1, 16, 4)
    assert fixed.n_rule == result.n_rule  # the same data and NMF
    np.testing.assert_array_equal(fixed.nmf_r2_curve, result.nmf_r2_curve)


def test_the_study_n_must_be_possible():
    with pytest.raises(SynergyInputError, match="n_synergies"):
        StudyConfig(n_synergies=11)  # above n_max
    with pytest.raises(SynergyInputError, match="n_synergies"):
        StudyConfig(n_synergies="best")
    with pytest.raises(SynergyInputError, match="Unknown generator 'smooth'"):
        StudyConfig(generator="smooth")
    config = dataclasses.replace(TINY, n_synergies=3)
    assert config.n_synergies == 3
    import synergylib.study as study

    matrices, _ = study._participant_matrices(0, TINY)
    no_truth = dataclasses.replace(TINY, n_synergies="true")
    with pytest.raises(SynergyInputError, match="needs a ground truth"):
        study.analyse_matrices(matrices, no_truth)
