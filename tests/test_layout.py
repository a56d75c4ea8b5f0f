"""The layout rule of the library (see ``synergylib/chapters/__init__.py``).

Code one chapter uses lives in that chapter's module, ``synergylib/chapters/<chapter>.py``;
code the pipeline or two chapters use lives in a method module, ``synergylib/*.py``; method
modules never import chapter modules.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("run_notebooks", REPO_ROOT / "scripts" / "run_notebooks.py")
run_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_notebooks)
LIBRARY = REPO_ROOT / "synergylib"
CHAPTER_PACKAGE = "synergylib.chapters"


def method_modules() -> list[Path]:
    return sorted(LIBRARY.glob("*.py"))


def imported_modules(path: Path) -> set[str]:
    """Absolute names of the synergylib modules a method module imports: the resolver the
    chapters' execution keys use (``scripts/run_notebooks.py``), relative imports resolved.

    ``from . import chapters`` and ``from .chapters import nmf`` both give names under
    ``synergylib.chapters``; so do ``import synergylib.chapters.nmf`` and
    ``from synergylib.chapters import nmf``.
    """
    return run_notebooks.imported_library_modules(path.read_text(encoding="utf-8"),
                                                  f"synergylib.{path.stem}")


def chapter_imports(path: Path) -> list[str]:
    return sorted(
        name
        for name in imported_modules(path)
        if name == CHAPTER_PACKAGE or name.startswith(CHAPTER_PACKAGE + ".")
    )


def test_the_method_modules_are_found():
    names = {p.stem for p in method_modules()}
    assert {"study", "nmf", "autoencoder", "metrics"} <= names


@pytest.mark.parametrize("path", method_modules(), ids=lambda p: p.name)
def test_no_method_module_imports_a_chapter_module(path):
    offending = chapter_imports(path)
    assert not offending, (
        f"synergylib/{path.name} is a method module and imports {offending}: move the code "
        "it needs into a method module (method modules never import chapter modules)."
    )


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from .chapters import nmf\n", True),
        ("from .chapters.nmf import plot_n_choice\n", True),
        ("from . import chapters\n", True),
        ("from synergylib.chapters import nmf\n", True),
        ("import synergylib.chapters.nmf\n", True),
        ("from .nmf import SynergyNMF\n", False),
        ("from synergylib import nmf\n", False),
    ],
)
def test_the_check_sees_both_import_forms(tmp_path, source, expected):
    module = tmp_path / "module.py"
    module.write_text(source)
    assert bool(chapter_imports(module)) is expected


def test_every_chapter_module_has_a_chapter():
    chapters = {p.stem.split("_", 1)[1] for p in (REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.py")}
    modules = {p.stem for p in (LIBRARY / "chapters").glob("*.py") if p.stem != "__init__"}
    assert modules, "synergylib/chapters/ holds no chapter module"
    orphans = sorted(modules - chapters)
    assert not orphans, (
        f"synergylib/chapters/{{{', '.join(orphans)}}}.py match no notebooks/NN_<name>.py "
        f"(chapters: {sorted(chapters)})"
    )


def raised_builtin_errors(path: Path) -> list[str]:
    """``raise ValueError(...)`` (or bare ``ValueError``) statements of a module, as 'line: name'."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "ValueError":
                found.append(f"{node.lineno}: {exc.id}")
    return found


def test_the_library_raises_its_own_error_for_bad_input():
    """Bad input raises SynergyInputError (a ValueError subclass) everywhere, plotting
    included: ``except SynergyInputError`` catches every input error of synergylib."""
    offenders = {
        path.relative_to(LIBRARY).as_posix(): raised_builtin_errors(path)
        for path in sorted(LIBRARY.rglob("*.py"))
    }
    assert {name: lines for name, lines in offenders.items() if lines} == {}


def test_the_raise_finder_finds_a_bare_value_error(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f(x):\n    if x:\n        raise ValueError('bad')\n    raise KeyError(x)\n")
    assert raised_builtin_errors(module) == ["3: ValueError"]
