#!/usr/bin/env python
"""Execute the chapters of synergy-book with papermill.

The chapters are jupytext percent-format scripts ``notebooks/NN_name.py`` (the
source of truth). For each one, in order, this script

1. regenerates the paired ``notebooks/NN_name.ipynb`` from the ``.py``
   (``jupytext --to ipynb --update``);
2. executes it with papermill, injecting the parameters of the chosen profile
   from ``notebooks/parameters.yml`` (``defaults`` first, then the chapter's own);
   the working directory is the repository root;
3. writes the executed notebook to the output folder (``book/`` for the full
   profile, ``build/quick/book/`` for the quick one), with papermill's
   injected-parameters cell tagged ``remove-cell`` so the site does not show it.

A chapter is executed again only when something that can change its outputs
changed: the executed notebook records an execution key (a hash of its code cells,
its parameters and the source of the library modules it imports, directly or not) and the result files it read or wrote
(``results/``, with their SHA-256). When the key of the new source is the same and
every one of those files is there, unchanged, the new notebook's text cells are
combined with the outputs already computed (``reused`` in the log). A change to
text only therefore rebuilds in seconds; ``--force`` executes every chapter
regardless. The versions of the main packages are recorded in each executed
notebook and listed on the book's "Software versions" page; a different version
alone does not execute a chapter again (hours at the paper's scale) unless
``--rerun-on-new-versions`` is given. ``--check`` lists the chapters that would be
executed, executes nothing, and exits with status 1 if there are any. Executed
notebooks are written to a temporary file and renamed, so an interrupted run
never leaves a half-written chapter in ``book/``; a failed chapter's partly
executed notebook is kept in ``build/failed/`` for inspection.

Chapters run one after the other because later chapters reuse what earlier ones
cached. The first failure stops the run with a non-zero exit status, naming the
chapter, the cell and the error.

When the output folder is not ``book/`` (the quick build), the rest of the book
(``_config.yml``, ``_toc.yml``, ``book/*.md``, ``book/*.bib``, ...) is copied
next to it so that ``jupyter-book build <out>/..`` builds a complete book without
touching ``book/``.

Examples
--------
    python scripts/run_notebooks.py --profile full
    python scripts/run_notebooks.py --profile quick
    python scripts/run_notebooks.py --profile full --only 03_nmf --set n_restarts=3
    python scripts/run_notebooks.py --profile full --force
    python scripts/run_notebooks.py --profile full --check
    python scripts/run_notebooks.py --profile full --unused-results
    python scripts/run_notebooks.py --profile full --keep-pending
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO / "notebooks"
BOOK_DIR = REPO / "book"
PARAMETERS_FILE = NOTEBOOK_DIR / "parameters.yml"
DEFAULT_OUT = {"full": REPO / "book", "quick": REPO / "build" / "quick" / "book",
               "classroom": REPO / "build" / "classroom" / "book"}
#: Files outside book/ that the book's pages are built from (book/benchmarks.md
#: includes the benchmarks' README), copied next to a quick build's book/.
ROOT_BOOK_FILES = ("_config.yml", "_toc.yml", "benchmarks/README.md")
FAILED_DIR = REPO / "build" / "failed"
LIBRARY_DIR = REPO / "synergylib"
INJECTED_TAG = "injected-parameters"
HIDE_TAG = "remove-cell"
METADATA_KEY = "synergy_book"
#: Temporary notebooks are ``.<chapter><PARTIAL_INFIX><random>.ipynb`` in the output folder.
PARTIAL_INFIX = "-partial-"
#: Packages whose version can change what a chapter computes or draws.
KEY_PACKAGES = ("numpy", "scipy", "torch", "scikit-learn", "numba", "pandas", "matplotlib", "joblib",
                "myst-nb")
#: The folder of the published book's results (committed with it).
RESULTS_DIR = REPO / "results"
#: Result files computed for chapters not yet executed with them (one path per line),
#: so that a long recompute can be committed in pieces (``--keep-pending``).
PENDING_FILE = RESULTS_DIR / "PENDING"
#: Variable naming the file where the library logs the result files a chapter uses.
RESULTS_LOG_VARIABLE = "SYNERGYLIB_RESULTS_LOG"
#: The page listing the package versions every chapter was executed with.
VERSIONS_PAGE = "versions.md"
#: Cell metadata that only changes how the site shows a cell's outputs (myst-nb's
#: ``mystnb: figure: caption``): taken from the source when outputs are reused.
DISPLAY_METADATA = ("mystnb",)
#: Cell tags that change how a cell is executed (other tags only change display).
EXECUTION_TAGS = ("parameters", "raises-exception", "skip-execution")


class ChapterFailed(RuntimeError):
    """A chapter raised an error while it was executed."""


def chapter_sources(only: list[str] | None = None) -> list[Path]:
    """Chapter scripts ``notebooks/NN_*.py`` in book order (optionally a subset)."""
    sources = sorted(p for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.py"))
    if not sources:
        raise SystemExit(f"error: no chapter sources notebooks/NN_*.py in {NOTEBOOK_DIR}")
    if only:
        wanted = [name.removesuffix(".py").removesuffix(".ipynb") for name in only]
        by_stem = {p.stem: p for p in sources}
        missing = [w for w in wanted if w not in by_stem]
        if missing:
            raise SystemExit(
                f"error: unknown chapter(s) {', '.join(missing)}; "
                f"known: {', '.join(by_stem)}"
            )
        sources = [by_stem[w] for w in by_stem if w in wanted]
    return sources


def load_parameters(path: Path, profile: str) -> dict[str, dict[str, Any]]:
    """Read ``{profile: {defaults: {...}, chapter: {...}}}`` and return that profile."""
    import yaml

    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if profile not in data:
        raise SystemExit(f"error: profile {profile!r} not in {path} (has: {', '.join(data)})")
    table = data[profile] or {}
    for key, value in table.items():
        if value is not None and not isinstance(value, dict):
            raise SystemExit(f"error: {path}: {profile}.{key} must be a mapping, got {value!r}")
    return {key: dict(value or {}) for key, value in table.items()}


def chapter_parameters(
    table: dict[str, dict[str, Any]], stem: str, overrides: dict[str, Any]
) -> dict[str, Any]:
    """Parameters of one chapter: profile defaults, then the chapter's, then ``--set``."""
    parameters = dict(table.get("defaults", {}))
    parameters.update(table.get(stem, {}))
    parameters.update(overrides)
    return parameters


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """``name=value`` pairs; values are read as YAML (``3`` -> int, ``true`` -> bool)."""
    import yaml

    overrides: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.isidentifier():
            raise SystemExit(f"error: --set expects name=value, got {item!r}")
        overrides[name] = yaml.safe_load(value)
    return overrides


def sync_ipynb(source: Path) -> Path:
    """Regenerate ``notebooks/X.ipynb`` from ``notebooks/X.py`` with jupytext."""
    target = source.with_suffix(".ipynb")
    command = [sys.executable, "-m", "jupytext", "--quiet", "--to", "ipynb", "--update", str(source)]
    if not target.exists():
        command.remove("--update")
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if result.returncode != 0:
        raise SystemExit(
            f"error: jupytext could not convert {source.relative_to(REPO)}:\n"
            f"{result.stdout}{result.stderr}"
        )
    return target


def check_parameters_cell(notebook_path: Path) -> None:
    """Papermill needs exactly one cell tagged ``parameters``; say so plainly if not."""
    import nbformat

    nb = nbformat.read(notebook_path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise SystemExit(
            f"error: {notebook_path.relative_to(REPO)} has {len(tagged)} cells tagged "
            "'parameters' (needs exactly one: `# %% tags=[\"parameters\"]` in the .py)"
        )


def private_kernel_dir() -> Path:
    """A kernelspec ``python3`` that runs THIS interpreter, first on JUPYTER_PATH.

    Without it, a ``python3`` kernelspec in the user's home directory could run
    the notebooks with another Python than the one that has the library.
    """
    from ipykernel.kernelspec import write_kernel_spec

    root = Path(tempfile.mkdtemp(prefix="synergy-book-kernels-"))
    spec_dir = Path(write_kernel_spec(path=str(root / "kernels" / "python3")))
    spec_file = spec_dir / "kernel.json"
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    # The kernel's own log (a notice that local TCP is unencrypted, an interrupt
    # at shutdown) is noise here; errors in the notebook reach us through papermill.
    spec["argv"] = list(spec["argv"]) + ["--IPKernelApp.log_level=CRITICAL"]
    spec_file.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return root


def library_fingerprint(modules: set[str] | None = None) -> str:
    """The code fingerprint of library modules, docstrings included, comments and layout not.

    :func:`synergylib._fingerprint.fingerprint` of the given modules (paths relative
    to ``synergylib/``; every module if None): an edit to a comment keeps the
    chapters, any other change (docstrings too: chapters show tables read from
    them) executes them again.
    """
    from synergylib._fingerprint import fingerprint

    paths = sorted(LIBRARY_DIR.rglob("*.py"))
    sources = {path.relative_to(LIBRARY_DIR).as_posix(): path for path in paths}
    if modules is not None:
        sources = {name: path for name, path in sources.items() if name in modules}
    return fingerprint({name: path.read_text(encoding="utf-8") for name, path in sources.items()},
                       keep_docstrings=True)


def _module_file(name: str) -> str | None:
    """``synergylib.a.b`` -> ``a/b.py`` or ``a/b/__init__.py`` (relative to LIBRARY_DIR)."""
    parts = name.split(".")[1:]
    for candidate in ("/".join(parts) + ".py", "/".join(parts + ["__init__.py"])):
        if candidate != ".py" and (LIBRARY_DIR / candidate).is_file():
            return candidate
    return None


def imported_library_modules(source: str, module: str = "") -> set[str]:
    """Names of the ``synergylib`` modules a piece of code imports, anywhere in it.

    ``module`` is the code's own module name (for relative imports);
    ``from synergylib.chapters import nmf`` gives ``synergylib.chapters`` and
    ``synergylib.chapters.nmf``. IPython magics and shell lines are skipped.
    """
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    package = module if module.endswith("__init__") else module.rpartition(".")[0]
    package = package.removesuffix(".__init__")
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.split(".")[0] == "synergylib")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base_name = ".".join(base + ([node.module] if node.module else []))
            else:
                base_name = node.module or ""
            if base_name.split(".")[0] == "synergylib":
                names.add(base_name)
                names.update(f"{base_name}.{a.name}" for a in node.names)
    return names


def library_modules_used(code: str) -> set[str]:
    """The library files (relative to ``synergylib/``) that running ``code`` imports.

    The closure of :func:`imported_library_modules` over the library, packages'
    ``__init__.py`` included: what a chapter's outputs can depend on. A module no
    chapter imports (a new one, say) does not execute the chapters again.
    """
    seen: set[str] = set()
    todo = list(imported_library_modules(code))
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # importing a.b.c imports a, a.b
            path = _module_file(".".join(parts[:i]))
            if path is None or path in seen:
                continue
            seen.add(path)
            module = "synergylib." + path.removesuffix(".py").replace("/", ".")
            todo.extend(imported_library_modules((LIBRARY_DIR / path).read_text(encoding="utf-8"),
                                                 module))
    return seen


def chapter_library_fingerprint(notebook) -> str:
    """:func:`library_fingerprint` of the modules the chapter's code cells import."""
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    return library_fingerprint(library_modules_used(code))


def package_versions() -> dict[str, str]:
    """Installed versions of :data:`KEY_PACKAGES` (and Python's)."""
    from importlib import metadata

    versions = {"python": sys.version.split()[0]}
    for name in KEY_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def execution_key(notebook, parameters: dict[str, Any], *, library: str) -> str:
    """Hash of the code that computes a chapter's outputs.

    That is the code cells in order (with their execution-relevant tags), the
    injected parameters and the library's source. Text cells and display-only tags
    are left out on purpose: changing them does not need a new execution. The
    result files a chapter reads are checked separately (:func:`stale_reason`), and
    package versions only with ``--rerun-on-new-versions``.
    """
    code = [
        [cell.source, sorted(set(cell.metadata.get("tags", [])) & set(EXECUTION_TAGS))]
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]
    payload = {"code": code, "parameters": parameters, "library": library}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _repo_relative(path: Path) -> str:
    path = Path(path).resolve()
    try:
        return path.relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def results_manifest(log: Path) -> dict[str, str]:
    """``{path: sha256}`` of the result files the library logged (paths from the repository root)."""
    if not log.exists():
        return {}
    paths = sorted({line.strip() for line in log.read_text(encoding="utf-8").splitlines() if line.strip()})
    return {_repo_relative(Path(p)): file_sha256(Path(p)) for p in paths if Path(p).exists()}


def stale_reason(executed, key: str, versions: dict[str, str], *,
                 rerun_on_new_versions: bool = False) -> str | None:
    """Why an executed chapter must be executed again, or None if it is up to date."""
    meta = executed.metadata.get(METADATA_KEY, {})
    if meta.get("execution_key") != key:
        return "its code, its parameters or the library changed"
    for name, digest in meta.get("results", {}).items():
        path = Path(name) if Path(name).is_absolute() else REPO / name
        if not path.exists():
            return f"the result file {name} it used is missing"
        if file_sha256(path) != digest:
            return f"the result file {name} it used changed"
    if rerun_on_new_versions and meta.get("versions") != versions:
        return "package versions changed"
    return None


def reusable(source_nb, output: Path, key: str, versions: dict[str, str], *,
             rerun_on_new_versions: bool = False):
    """Whether the executed chapter ``output`` can be reused for ``source_nb``.

    Returns ``(merged, None)``, the new text around the outputs already computed
    (:func:`reuse_outputs`), or ``(None, reason)`` when the chapter must be executed.
    """
    import nbformat

    if not output.exists():
        return None, "it was never executed"
    executed = nbformat.read(output, as_version=4)
    reason = stale_reason(executed, key, versions, rerun_on_new_versions=rerun_on_new_versions)
    if reason is not None:
        return None, reason
    merged = reuse_outputs(source_nb, executed)
    if merged is None:
        return None, "its code cells changed"
    return merged, None


def results_in_use(book_dir: Path = BOOK_DIR) -> dict[str, str]:
    """Every result file the executed chapters in ``book_dir`` used, with its SHA-256."""
    import nbformat

    used: dict[str, str] = {}
    for path in sorted(book_dir.glob("[0-9][0-9]_*.ipynb")):
        meta = nbformat.read(path, as_version=4).metadata.get(METADATA_KEY, {})
        used.update(meta.get("results", {}))
    return used


def pending_results(pending_file: Path | None = None) -> list[str]:
    """The paths listed in ``results/PENDING`` (computed, their chapter not yet executed)."""
    pending_file = PENDING_FILE if pending_file is None else pending_file
    if not pending_file.exists():
        return []
    lines = (line.split("#", 1)[0].strip() for line in pending_file.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def write_pending(paths: list[str], pending_file: Path | None = None) -> None:
    """Write ``results/PENDING`` (removed when nothing is pending)."""
    pending_file = PENDING_FILE if pending_file is None else pending_file
    paths = sorted(dict.fromkeys(paths))
    if not paths:
        pending_file.unlink(missing_ok=True)
        return
    header = ("# Result files computed for chapters that have not yet been executed with them\n"
              "# (a recompute committed in pieces; scripts/run_notebooks.py --keep-pending wrote\n"
              "# this list, and removes each file from it once a chapter has used it).\n")
    pending_file.write_text(header + "".join(f"{p}\n" for p in paths), encoding="utf-8")


def unused_results(results_dir: Path = RESULTS_DIR, book_dir: Path = BOOK_DIR,
                   pending_file: Path | None = None) -> list[str]:
    """Result files in ``results_dir`` that no executed chapter of ``book_dir`` uses
    and that are not pending (``results/PENDING``)."""
    keep = set(results_in_use(book_dir)) | set(pending_results(pending_file))
    present = sorted(_repo_relative(p) for p in results_dir.rglob("*.npz"))
    return [p for p in present if p not in keep]


def write_versions_page(out_dir: Path) -> Path:
    """``versions.md``: the package versions each executed chapter in ``out_dir`` recorded."""
    import nbformat

    rows = []
    for path in sorted(out_dir.glob("[0-9][0-9]_*.ipynb")):
        meta = nbformat.read(path, as_version=4).metadata.get(METADATA_KEY, {})
        rows.append((path.stem, meta.get("versions", {})))
    names = list(dict.fromkeys(n for _, v in rows for n in v))
    lines = [
        "# Software versions",
        "",
        "The package versions each chapter was executed with, as recorded in its executed",
        "notebook by `scripts/run_notebooks.py` (this page is written by that script).",
        "Chapters are executed again when their code, their parameters, the library or the",
        "results they read change; a newer package alone does not re-execute them",
        "(`--rerun-on-new-versions` does). `environment.yml` pins the versions that Binder",
        "installs. A dash: the chapter recorded no version (it was executed before",
        "versions were recorded).",
        "",
        "| chapter | " + " | ".join(names) + " |",
        "| --- | " + " | ".join("---" for _ in names) + " |",
    ]
    for stem, versions in rows:
        lines.append(f"| {{doc}}`{stem}` | " + " | ".join(versions.get(n, "–") for n in names) + " |")
    page = out_dir / VERSIONS_PAGE
    text = "\n".join(lines) + "\n"
    if not page.exists() or page.read_text(encoding="utf-8") != text:
        page.write_text(text, encoding="utf-8")
    return page


def reuse_outputs(source_nb, executed_nb):
    """The new notebook ``source_nb`` with the outputs of ``executed_nb``, or None.

    Possible only when both have the same code cells in the same order (the
    injected-parameters cell of ``executed_nb`` aside). Text cells, cell tags and the
    display metadata of ``DISPLAY_METADATA`` (a figure's caption) come from
    ``source_nb``; code cells keep their outputs, execution counts and
    papermill metadata from ``executed_nb``; the injected cell is put back right
    after the cell tagged ``parameters``.
    """
    import copy

    def tags(cell):
        return cell.get("metadata", {}).get("tags", [])

    injected = [c for c in executed_nb.cells if INJECTED_TAG in tags(c)]
    executed_code = [
        c for c in executed_nb.cells if c.cell_type == "code" and INJECTED_TAG not in tags(c)
    ]
    source_code = [c for c in source_nb.cells if c.cell_type == "code"]
    if [c.source for c in source_code] != [c.source for c in executed_code]:
        return None
    # Text cells whose source did not change are kept as executed (with papermill's
    # metadata and cell id), so that reusing an unchanged chapter changes nothing.
    executed_text = [c for c in executed_nb.cells if c.cell_type != "code"]
    merged = copy.deepcopy(executed_nb)
    merged.cells = []
    outputs = iter(executed_code)
    for cell in source_nb.cells:
        if cell.cell_type != "code":
            match = next((i for i, c in enumerate(executed_text)
                          if c.cell_type == cell.cell_type and c.source == cell.source), None)
            if match is None:
                merged.cells.append(copy.deepcopy(cell))
            else:
                merged.cells.append(copy.deepcopy(executed_text[match]))
                del executed_text[: match + 1]
            continue
        old = copy.deepcopy(next(outputs))
        if set(tags(old)) != set(tags(cell)):
            old.metadata["tags"] = list(tags(cell))
        for key in DISPLAY_METADATA:
            if key in cell.metadata:
                old.metadata[key] = copy.deepcopy(cell.metadata[key])
            else:
                old.metadata.pop(key, None)
        merged.cells.append(old)
        if "parameters" in tags(cell):
            merged.cells.extend(copy.deepcopy(injected))
    return merged


def partial_path(folder: Path, stem: str) -> Path:
    """A new empty temporary notebook ``.<stem>-partial-<random>.ipynb`` in ``folder``.

    It ends in ``.ipynb`` (papermill warns otherwise); a run killed before renaming it
    leaves it behind, and the next run removes it.
    """
    handle, name = tempfile.mkstemp(prefix=f".{stem}{PARTIAL_INFIX}", suffix=".ipynb", dir=folder)
    os.close(handle)
    return Path(name)


def write_atomically(notebook, path: Path) -> None:
    """Write a notebook to ``path`` through a temporary file in the same folder."""
    import nbformat

    temporary = partial_path(path.parent, path.stem)
    try:
        nbformat.write(notebook, temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def tidy_output(path: Path, key: str | None = None, *, versions: dict[str, str] | None = None,
                results: dict[str, str] | None = None) -> None:
    """Hide papermill's injected cell, drop jupytext pairing, record the key, versions, results."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    if key is not None:
        nb.metadata[METADATA_KEY] = {"execution_key": key, "versions": versions or {},
                                     "results": results or {}}
    for cell in nb.cells:
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if INJECTED_TAG in tags and HIDE_TAG not in tags:
            tags.append(HIDE_TAG)
    # The executed copy is a plain notebook: opening it in Binder must not create
    # a paired book/X.py.
    nb.metadata.pop("jupytext", None)
    nbformat.write(nb, path)


def describe_failure(stem: str, error: Exception) -> str:
    """Readable summary of a papermill execution error."""
    lines = [f"chapter {stem} FAILED"]
    cell_index = getattr(error, "exec_count", None)
    if cell_index is not None:
        lines.append(f"  in the cell with execution count {cell_index}")
    source = getattr(error, "source", None)
    if source:
        snippet = "\n".join("    | " + line for line in str(source).splitlines()[:15])
        lines.append("  cell source:\n" + snippet)
    ename, evalue = getattr(error, "ename", None), getattr(error, "evalue", None)
    if ename:
        lines.append(f"  error: {ename}: {evalue}")
        traceback = getattr(error, "traceback", None) or []
        if traceback:
            import re

            plain = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(traceback))
            lines.append("  traceback:\n" + "\n".join("    " + t for t in plain.splitlines()))
    else:
        lines.append(f"  error: {type(error).__name__}: {error}")
    return "\n".join(lines)


def stage_book(out_dir: Path) -> None:
    """Copy the non-notebook parts of the book next to an output folder that is not book/."""
    book_root = out_dir.parent
    book_root.mkdir(parents=True, exist_ok=True)
    for name in ROOT_BOOK_FILES:
        (book_root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, book_root / name)
    for item in BOOK_DIR.iterdir():
        if item.suffix == ".ipynb" or item.name.startswith((".", "_build")):
            continue
        target = out_dir / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True)
        else:
            shutil.copy2(item, target)


def run(
    profile: str,
    out_dir: Path,
    only: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
    parameters_file: Path = PARAMETERS_FILE,
    timings_file: Path | None = None,
    force: bool = False,
    check: bool = False,
    rerun_on_new_versions: bool = False,
) -> list[dict[str, Any]]:
    """Execute the chapters; return one record per chapter (name, seconds, status).

    ``status`` is ``ok`` (executed), ``reused`` (code, parameters, library and the
    results it read unchanged: outputs kept, text updated), ``failed``, or, with
    ``check``, ``stale`` (would be executed; nothing is executed or written).
    """
    import nbformat
    import papermill

    table = load_parameters(parameters_file, profile)
    sources = chapter_sources(only)
    known = {p.stem for p in chapter_sources()} | {"defaults"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise SystemExit(f"error: {parameters_file}: {profile} names unknown chapter(s) {unknown}")

    out_dir = out_dir.resolve()
    versions = package_versions()
    if check:
        return check_chapters(table, sources, out_dir, overrides or {}, versions,
                              rerun_on_new_versions=rerun_on_new_versions)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(f".*{PARTIAL_INFIX}*.ipynb"):  # left by a killed run
        stale.unlink(missing_ok=True)
    if out_dir != BOOK_DIR.resolve():
        stage_book(out_dir)

    # Figures must be rendered by the inline backend: a stray MPLBACKEND=Agg in
    # the environment would make every plt.show() silently produce nothing.
    os.environ.pop("MPLBACKEND", None)
    kernel_dir = private_kernel_dir()
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(kernel_dir)] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    )
    # The kernel can import the library from the checkout even when it is not installed.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(REPO)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    )

    print(
        f"run_notebooks: profile={profile} chapters={len(sources)} "
        f"out={os.path.relpath(out_dir, REPO)} python={sys.executable}",
        flush=True,
    )
    records: list[dict[str, Any]] = []
    total_start = time.perf_counter()
    try:
        for number, source in enumerate(sources, start=1):
            stem = source.stem
            parameters = chapter_parameters(table, stem, overrides or {})
            notebook = sync_ipynb(source)
            check_parameters_cell(notebook)
            output = out_dir / notebook.name
            source_nb = nbformat.read(notebook, as_version=4)
            key = execution_key(source_nb, parameters, library=chapter_library_fingerprint(source_nb))
            merged, reason = None, "--force"
            if not force:
                merged, reason = reusable(source_nb, output, key, versions,
                                          rerun_on_new_versions=rerun_on_new_versions)
            if merged is not None:
                if merged != nbformat.read(output, as_version=4):
                    write_atomically(merged, output)
                records.append({"chapter": stem, "seconds": 0.0, "status": "reused"})
                print(f"[{number}/{len(sources)}] {stem} reused (code, parameters, "
                      "library and results unchanged)", flush=True)
                continue
            shown = ", ".join(f"{k}={v!r}" for k, v in parameters.items()) or "none"
            print(f"[{number}/{len(sources)}] {stem} ({shown}) ... executed because {reason}",
                  flush=True)
            partial = partial_path(out_dir, stem)
            log = partial.with_suffix(".results")
            log.unlink(missing_ok=True)
            os.environ[RESULTS_LOG_VARIABLE] = str(log)
            start = time.perf_counter()
            try:
                papermill.execute_notebook(
                    str(notebook),
                    str(partial),
                    parameters=parameters,
                    kernel_name="python3",
                    language="python",
                    cwd=str(REPO),
                    progress_bar=False,
                    log_output=False,
                    request_save_on_cell_execute=False,
                )
            except Exception as error:  # papermill raises PapermillExecutionError and friends
                seconds = time.perf_counter() - start
                records.append({"chapter": stem, "seconds": round(seconds, 2), "status": "failed"})
                _write_timings(timings_file, profile, records)
                message = describe_failure(stem, error)
                print(f"[{number}/{len(sources)}] {message}", file=sys.stderr, flush=True)
                FAILED_DIR.mkdir(parents=True, exist_ok=True)
                kept = FAILED_DIR / notebook.name
                if partial.exists():
                    shutil.move(partial, kept)
                print(
                    f"run_notebooks: the partly executed notebook is {os.path.relpath(kept, REPO)} "
                    f"({os.path.relpath(output, REPO)} was left as it was)",
                    file=sys.stderr,
                )
                raise ChapterFailed(stem) from error
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            finally:
                os.environ.pop(RESULTS_LOG_VARIABLE, None)
            seconds = time.perf_counter() - start
            used = results_manifest(log)
            log.unlink(missing_ok=True)
            tidy_output(partial, key, versions=versions, results=used)
            pending = pending_results()
            if pending and out_dir == BOOK_DIR.resolve():
                write_pending([p for p in pending if p not in used])
            os.replace(partial, output)
            records.append({"chapter": stem, "seconds": round(seconds, 2), "status": "ok"})
            print(f"[{number}/{len(sources)}] {stem} ok in {seconds:.1f} s", flush=True)
    finally:
        shutil.rmtree(kernel_dir, ignore_errors=True)
    write_versions_page(out_dir)
    total = time.perf_counter() - total_start
    _write_timings(timings_file, profile, records)
    reused = sum(r["status"] == "reused" for r in records)
    print(f"run_notebooks: {len(records)} chapter(s) ok ({reused} reused) in {total:.1f} s",
          flush=True)
    return records


def check_chapters(table, sources, out_dir: Path, overrides: dict[str, Any],
                   versions: dict[str, str], *, rerun_on_new_versions: bool = False
                   ) -> list[dict[str, Any]]:
    """``--check``: which chapters would be executed, and why; nothing is executed or written."""
    import jupytext

    records = []
    for source in sources:
        stem = source.stem
        parameters = chapter_parameters(table, stem, overrides)
        source_nb = jupytext.read(source)
        key = execution_key(source_nb, parameters, library=chapter_library_fingerprint(source_nb))
        _, reason = reusable(source_nb, out_dir / f"{stem}.ipynb", key, versions,
                             rerun_on_new_versions=rerun_on_new_versions)
        status = "reused" if reason is None else "stale"
        records.append({"chapter": stem, "seconds": 0.0, "status": status, "reason": reason})
        print(f"{stem}: " + ("up to date" if reason is None else f"would be executed: {reason}"),
              flush=True)
    stale = [r["chapter"] for r in records if r["status"] == "stale"]
    print(f"run_notebooks --check: {len(stale)} chapter(s) would be executed"
          + (f": {', '.join(stale)}" if stale else ""), flush=True)
    return records


def _write_timings(path: Path | None, profile: str, records: list[dict[str, Any]]) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"profile": profile, "chapters": records}
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Execute the book's chapters with papermill (see the module docstring)."
    )
    parser.add_argument("--profile", choices=tuple(DEFAULT_OUT), required=True,
                        help="parameter profile from notebooks/parameters.yml")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="run only this chapter (stem, e.g. 03_nmf); repeatable")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the executed notebooks "
                             "(default: book/ for full, build/quick/book/ for quick)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a parameter in every chapter run (value read as YAML)")
    parser.add_argument("--parameters", type=Path, default=PARAMETERS_FILE,
                        help="parameters file (default: notebooks/parameters.yml)")
    parser.add_argument("--force", action="store_true",
                        help="execute every chapter even when its code, parameters and "
                             "the library are unchanged")
    parser.add_argument("--check", action="store_true",
                        help="list the chapters that would be executed and why; execute "
                             "nothing; exit with status 1 if there are any")
    parser.add_argument("--rerun-on-new-versions", action="store_true",
                        help="also execute chapters whose recorded package versions differ "
                             "from the installed ones")
    parser.add_argument("--unused-results", action="store_true",
                        help="list the files in results/ that no executed chapter in book/ "
                             "uses (exit status 1 if any) and exit")
    parser.add_argument("--keep-pending", action="store_true",
                        help="add the result files no executed chapter uses to results/PENDING "
                             "(a long recompute committed in pieces) and exit")
    parser.add_argument("--timings", type=Path, default=None,
                        help="write per-chapter wall times as JSON here "
                             "(default: build/timings-<profile>.json)")
    args = parser.parse_args(argv)

    out_dir = args.out if args.out is not None else DEFAULT_OUT[args.profile]
    if args.keep_pending:
        unused = unused_results(RESULTS_DIR, out_dir)
        write_pending(pending_results() + unused)
        print(f"run_notebooks: {len(unused)} result file(s) added to "
              f"{_repo_relative(PENDING_FILE)}", file=sys.stderr)
        return 0
    if args.unused_results:
        unused = unused_results(RESULTS_DIR, out_dir)
        for name in unused:
            print(name)
        print(f"run_notebooks: {len(unused)} result file(s) no chapter uses", file=sys.stderr)
        return 1 if unused else 0
    timings = args.timings if args.timings is not None else REPO / "build" / f"timings-{args.profile}.json"
    try:
        records = run(
            args.profile,
            out_dir,
            only=args.only,
            overrides=parse_overrides(args.set),
            parameters_file=args.parameters,
            timings_file=None if args.check else timings,
            force=args.force,
            check=args.check,
            rerun_on_new_versions=args.rerun_on_new_versions,
        )
    except ChapterFailed as failed:
        print(f"run_notebooks: FAILED at chapter {failed}", file=sys.stderr)
        return 1
    if args.check and any(r["status"] == "stale" for r in records):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
