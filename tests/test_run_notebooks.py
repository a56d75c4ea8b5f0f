"""The book runner's reuse of executed chapters (scripts/run_notebooks.py)."""

import importlib.util
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "run_notebooks.py"
spec = importlib.util.spec_from_file_location("run_notebooks", SCRIPT)
run_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_notebooks)

VERSIONS = {"numpy": "2.0"}


def source_notebook(text="Intro", code="x = compute(n)", tags=("hide-input",)):
    return new_notebook(cells=[
        new_markdown_cell(f"# {text}"),
        new_code_cell("n = 3", metadata={"tags": ["parameters"]}),
        new_code_cell(code, metadata={"tags": list(tags)}),
        new_markdown_cell("The end."),
    ])


def executed_version(nb):
    """What papermill makes of ``nb``: an injected cell and outputs on every code cell."""
    executed = nbformat.from_dict(nbformat.reads(nbformat.writes(nb), as_version=4))
    cells = []
    for count, cell in enumerate(executed.cells, start=1):
        cells.append(cell)
        cell.id = f"executed-{count}"
        cell.metadata.setdefault("tags", [])
        cell.metadata["papermill"] = {"status": "completed"}
        if cell.cell_type == "code":
            cell.execution_count = count
            cell.outputs = [new_output("stream", name="stdout", text=f"output {count}\n")]
            if "parameters" in cell.metadata.get("tags", []):
                cells.append(new_code_cell("n = 10", metadata={"tags": ["injected-parameters"]}))
    executed.cells = cells
    return executed


def key(nb, parameters=None, library="lib"):
    return run_notebooks.execution_key(nb, parameters or {"n": 10}, library=library)


def test_key_ignores_text_and_display_tags_but_not_code_parameters_or_library():
    base = key(source_notebook())
    assert key(source_notebook(text="A new introduction")) == base
    assert key(source_notebook(tags=())) == base
    assert key(source_notebook(code="x = compute(n + 1)")) != base
    assert key(source_notebook(tags=("raises-exception",))) != base
    assert key(source_notebook(), parameters={"n": 11}) != base
    assert key(source_notebook(), library="changed") != base


def executed_with(results: dict, versions=VERSIONS):
    nb = executed_version(source_notebook())
    nb.metadata[run_notebooks.METADATA_KEY] = {
        "execution_key": key(source_notebook()), "versions": dict(versions), "results": results}
    return nb


def test_a_chapter_is_stale_when_a_result_it_used_changes_or_vanishes(tmp_path):
    result = tmp_path / "participant00-abc.npz"
    result.write_bytes(b"weights")
    nb = executed_with({str(result): run_notebooks.file_sha256(result)})
    k = key(source_notebook())
    assert run_notebooks.stale_reason(nb, k, VERSIONS) is None
    assert "code" in run_notebooks.stale_reason(nb, key(source_notebook(code="y = 1")), VERSIONS)
    result.write_bytes(b"other weights")
    assert "changed" in run_notebooks.stale_reason(nb, k, VERSIONS)
    result.unlink()
    assert "missing" in run_notebooks.stale_reason(nb, k, VERSIONS)


def test_new_package_versions_alone_execute_nothing_unless_asked():
    nb = executed_with({})
    k, newer = key(source_notebook()), {"numpy": "2.1"}
    assert run_notebooks.stale_reason(nb, k, newer) is None
    assert "versions" in run_notebooks.stale_reason(nb, k, newer, rerun_on_new_versions=True)
    assert run_notebooks.stale_reason(nb, k, VERSIONS, rerun_on_new_versions=True) is None


def test_results_manifest_and_unused_results(tmp_path, monkeypatch):
    monkeypatch.setattr(run_notebooks, "REPO", tmp_path)
    results, book = tmp_path / "results", tmp_path / "book"
    results.mkdir()
    book.mkdir()
    used, spare = results / "participant00-a.npz", results / "participant00-b.npz"
    used.write_bytes(b"a")
    spare.write_bytes(b"b")
    log = tmp_path / "log"
    log.write_text(f"{used}\n{used}\n")  # logged twice: listed once
    manifest = run_notebooks.results_manifest(log)
    assert manifest == {"results/participant00-a.npz": run_notebooks.file_sha256(used)}
    nb = executed_with(manifest)
    nbformat.write(nb, book / "01_chapter.ipynb")
    assert run_notebooks.unused_results(results, book) == ["results/participant00-b.npz"]
    spare.unlink()
    assert run_notebooks.unused_results(results, book) == []


def test_versions_page_lists_what_each_chapter_recorded(tmp_path):
    nbformat.write(executed_with({}, {"numpy": "2.0", "torch": "2.13.0"}), tmp_path / "01_a.ipynb")
    nbformat.write(executed_with({}, {"numpy": "2.1"}), tmp_path / "02_b.ipynb")
    text = run_notebooks.write_versions_page(tmp_path).read_text()
    assert "| {doc}`01_a` | 2.0 | 2.13.0 |" in text
    assert "| {doc}`02_b` | 2.1 | – |" in text


def test_reuse_takes_text_from_source_and_outputs_from_executed():
    executed = executed_version(source_notebook())
    edited = source_notebook(text="A new introduction", tags=())
    merged = run_notebooks.reuse_outputs(edited, executed)
    assert merged is not None
    assert [c.cell_type for c in merged.cells] == ["markdown", "code", "code", "code", "markdown"]
    assert merged.cells[0].source == "# A new introduction"
    # The injected cell follows the parameters cell, with its outputs.
    assert merged.cells[2].source == "n = 10"
    assert "injected-parameters" in merged.cells[2].metadata["tags"]
    assert merged.cells[3].outputs[0]["text"] == executed.cells[3].outputs[0]["text"]
    assert merged.cells[3].execution_count == executed.cells[3].execution_count
    assert merged.cells[3].metadata["tags"] == []  # display tag removed in the source
    assert merged.cells[0].id != executed.cells[0].id  # the edited text cell is the new one
    assert merged.cells[4].id == executed.cells[4].id  # the unchanged one is kept as executed
    nbformat.validate(merged)


def test_reuse_takes_figure_captions_from_the_source():
    executed = executed_version(source_notebook())
    captioned = source_notebook()
    captioned.cells[2].metadata["mystnb"] = {"figure": {"caption": "Raw EMG against time (s)."}}
    assert key(captioned) == key(source_notebook())  # a caption alone executes nothing again
    merged = run_notebooks.reuse_outputs(captioned, executed)
    assert merged.cells[3].metadata["mystnb"] == {"figure": {"caption": "Raw EMG against time (s)."}}
    assert merged.cells[3].outputs == executed.cells[3].outputs
    # and a caption removed from the source goes from the page too
    again = run_notebooks.reuse_outputs(source_notebook(), merged)
    assert "mystnb" not in again.cells[3].metadata


def test_reusing_an_unchanged_chapter_changes_nothing():
    executed = executed_version(source_notebook())
    assert run_notebooks.reuse_outputs(source_notebook(), executed) == executed


def test_reuse_refuses_when_code_differs():
    executed = executed_version(source_notebook())
    assert run_notebooks.reuse_outputs(source_notebook(code="x = other(n)"), executed) is None
    more = source_notebook()
    more.cells.append(new_code_cell("print(x)"))
    assert run_notebooks.reuse_outputs(more, executed) is None


def test_write_atomically_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "chapter.ipynb"
    path.write_text("previous contents")
    run_notebooks.write_atomically(source_notebook(), path)
    assert nbformat.read(path, as_version=4).cells[0].source == "# Intro"
    assert [p.name for p in tmp_path.iterdir()] == ["chapter.ipynb"]


def test_write_atomically_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "chapter.ipynb"
    path.write_text("previous contents")

    def write_half_then_fail(nb, fp):
        Path(fp).write_text('{"cells": [')
        raise OSError("disk full")

    monkeypatch.setattr(nbformat, "write", write_half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        run_notebooks.write_atomically(source_notebook(), path)
    assert path.read_text() == "previous contents"
    assert [p.name for p in tmp_path.iterdir()] == ["chapter.ipynb"]


def test_library_fingerprint_ignores_comments_but_not_docstrings_or_code(tmp_path, monkeypatch):
    monkeypatch.setattr(run_notebooks, "LIBRARY_DIR", tmp_path)
    module = tmp_path / "module.py"
    source = 'def f():\n    """Meaning of f."""\n    return 1  # one\n'
    module.write_text(source)
    base = run_notebooks.library_fingerprint()
    module.write_text(source.replace("# one", "# the number one"))
    assert run_notebooks.library_fingerprint() == base
    module.write_text(source.replace("Meaning of f.", "Another meaning."))
    assert run_notebooks.library_fingerprint() != base
    module.write_text(source.replace("return 1", "return 2"))
    assert run_notebooks.library_fingerprint() != base


def test_pending_results_are_kept_until_a_chapter_uses_them(tmp_path, monkeypatch):
    """A recompute committed in pieces: files listed in results/PENDING are not unused."""
    monkeypatch.setattr(run_notebooks, "REPO", tmp_path)
    results, book = tmp_path / "results", tmp_path / "book"
    results.mkdir()
    book.mkdir()
    pending_file = results / "PENDING"
    for name in ("a", "b", "c"):
        (results / f"participant00-{name}.npz").write_bytes(name.encode())
    nbformat.write(executed_with({"results/participant00-a.npz": "x"}), book / "01_chapter.ipynb")
    assert run_notebooks.unused_results(results, book, pending_file) == [
        "results/participant00-b.npz", "results/participant00-c.npz"]
    run_notebooks.write_pending(["results/participant00-b.npz"], pending_file)
    assert run_notebooks.pending_results(pending_file) == ["results/participant00-b.npz"]
    assert run_notebooks.unused_results(results, book, pending_file) == ["results/participant00-c.npz"]
    run_notebooks.write_pending([], pending_file)
    assert not pending_file.exists()


def test_reusable_says_why_a_chapter_must_run_or_gives_the_merged_notebook(tmp_path):
    output = tmp_path / "01_chapter.ipynb"
    k = key(source_notebook())
    assert run_notebooks.reusable(source_notebook(), output, k, VERSIONS) == (None, "it was never executed")
    nbformat.write(executed_with({}), output)
    merged, reason = run_notebooks.reusable(source_notebook(text="New"), output, k, VERSIONS)
    assert reason is None and merged.cells[0].source == "# New"
    more = source_notebook()
    more.cells.append(new_code_cell("print(x)"))
    assert run_notebooks.reusable(more, output, k, VERSIONS) == (None, "its code cells changed")


def test_a_chapter_depends_on_the_library_modules_it_imports_only(tmp_path, monkeypatch):
    """The execution key follows the modules a chapter imports, directly or not (relative
    imports and packages' __init__ included); a module it never imports does not count."""
    library = tmp_path / "synergylib"
    (library / "chapters").mkdir(parents=True)
    (library / "__init__.py").write_text("from .core import f\n")
    (library / "core.py").write_text("def f():\n    from ._helper import g\n    return g()\n")
    (library / "_helper.py").write_text("def g():\n    return 1\n")
    (library / "chapters" / "__init__.py").write_text("")
    (library / "chapters" / "one.py").write_text("from ..plots import draw\n")
    (library / "plots.py").write_text("def draw():\n    pass\n")
    (library / "unused.py").write_text("X = 1\n")
    monkeypatch.setattr(run_notebooks, "LIBRARY_DIR", library)
    code = "%matplotlib inline\nimport numpy as np\nfrom synergylib.chapters import one as chapter\n"
    assert run_notebooks.library_modules_used(code) == {
        "__init__.py", "core.py", "_helper.py", "chapters/__init__.py", "chapters/one.py", "plots.py"}
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    base = run_notebooks.chapter_library_fingerprint(notebook)
    (library / "unused.py").write_text("X = 2\n")
    (library / "new.py").write_text("Y = 1\n")
    assert run_notebooks.chapter_library_fingerprint(notebook) == base
    (library / "_helper.py").write_text("def g():\n    return 2\n")
    assert run_notebooks.chapter_library_fingerprint(notebook) != base
