"""The results committed with the book: used, unchanged, small, and read by the current code."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "results"
BUDGET_BYTES = 25 * 1024 * 1024

spec = importlib.util.spec_from_file_location("run_notebooks", REPO / "scripts" / "run_notebooks.py")
run_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_notebooks)


def committed_results() -> list[str]:
    """Result files in git (``results/...``); every file there outside a git checkout."""
    try:
        out = subprocess.run(["git", "ls-files", "results"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return sorted(p.relative_to(REPO).as_posix() for p in RESULTS.rglob("*.npz"))
    return sorted(line for line in out.splitlines() if line.endswith(".npz"))


def test_every_committed_result_is_used_by_an_executed_chapter():
    """A recompute replaces files instead of adding: no file that no chapter uses."""
    used = set(run_notebooks.results_in_use(REPO / "book"))
    pending = set(run_notebooks.pending_results())
    orphans = [name for name in committed_results() if name not in used | pending]
    assert not orphans, (
        f"{len(orphans)} committed result file(s) no executed chapter uses (list them with "
        f"`scripts/run_notebooks.py --profile full --unused-results` and git rm them): {orphans[:5]}"
    )
    missing = sorted(pending - set(committed_results()))
    assert not missing, f"results/PENDING lists files that are not committed: {missing[:5]}"


def test_every_result_a_chapter_used_is_committed_unchanged():
    """The committed book is what the committed results give."""
    committed = set(committed_results())
    for name, digest in run_notebooks.results_in_use(REPO / "book").items():
        assert name in committed, f"an executed chapter used {name}, which is not committed"
        assert run_notebooks.file_sha256(REPO / name) == digest, f"{name} changed since its chapter ran"


def test_results_stay_within_their_budget():
    total = sum((REPO / name).stat().st_size for name in committed_results())
    assert total <= BUDGET_BYTES, f"results/ holds {total / 2**20:.1f} MiB, over 25 MiB"


def test_the_main_study_is_read_from_the_committed_results_without_training(monkeypatch):
    """The published parameters find their results: the current code's keys name committed files.

    One participant of the main study (chapters 3-5) is read with every training step
    replaced by a failure, so the test fails when a change to the code would make a
    reader's rerun recompute the book instead of reading it.
    """
    import synergylib.study as study
    from synergylib.study import StudyConfig, run_study

    config = StudyConfig()
    name = f"results/participant00-{config.participant_key(0)}.npz"
    assert name in committed_results(), (
        f"{name} is not committed: the code changed what the main study computes, so the book's "
        "results must be recomputed (make book) and committed"
    )

    def fail(*args, **kwargs):  # pragma: no cover - must not be called
        raise AssertionError("a committed result was recomputed")

    for attribute in ("_prepare", "_autoencoder_part", "_nmf_part"):
        monkeypatch.setattr(study, attribute, fail)
    (result,) = run_study(config, cache_dir=RESULTS, participants=[0], progress=False)
    assert result.ae_synergies.shape == (16, 16, result.n_synergies)
    assert result.train.shape == (16, 4500)
