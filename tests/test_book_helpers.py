"""The notebooks' glue helpers hand myst-nb plain Python values, and the chapters use them
the same way: one ``glue_values`` call per section, in a hidden cell."""

import ast
import re
from pathlib import Path

import numpy as np
import pytest

import synergylib.book as book


def test_glue_value_converts_numpy_scalars_and_keeps_strings(monkeypatch):
    captured = []
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display: captured.append((name, value, display)))
    book.glue_value("r2", np.float64(0.8125))
    book.glue_value("n", np.array(3))
    book.glue_value("best", "relu+tanh")
    assert captured == [("r2", 0.8125, False), ("n", 3, False), ("best", "relu+tanh", False)]
    assert type(captured[0][1]) is float and type(captured[1][1]) is int


def _warn_like_nmf():
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    warnings.warn("3 of 10 NMF restarts reached max_iter=5 before tol=1e-4; increase max_iter.",
                  ConvergenceWarning)


def test_prepare_chapter_sets_style_and_hides_only_the_nmf_max_iter_warning():
    import warnings

    import matplotlib.pyplot as plt

    with warnings.catch_warnings(record=True) as caught, plt.rc_context():
        warnings.simplefilter("always")
        book.prepare_chapter({"font.size": 7.5})
        assert plt.rcParams["font.size"] == 7.5
        _warn_like_nmf()
        assert len(caught) == 1  # not hidden unless asked
        book.prepare_chapter(hide_nmf_max_iter=True)
        _warn_like_nmf()
        warnings.warn("another warning")
        assert [str(w.message) for w in caught[1:]] == ["another warning"]


def test_glue_values_glues_every_name(monkeypatch):
    captured = []
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display: captured.append((name, value, display)))
    book.glue_values({"r2": np.float64(0.5), "best": "relu+tanh", "n": np.int64(4)})
    assert captured == [("r2", 0.5, False), ("best", "relu+tanh", False), ("n", 4, False)]
    assert type(captured[2][1]) is int


# -- the chapters glue their named values the same way ---------------------------------------

REPO = Path(__file__).resolve().parents[1]
#: The chapters whose named values follow the rule below (issue 17): all of them.
GLUE_RULE_CHAPTERS = ["00_introduction", "01_data", "02_preprocessing", "03_nmf", "04_autoencoders",
                      "05_comparison", "06_walking", "07_nonlinear", "08_robustness",
                      "09_identifiability", "10_glossary"]  # fmt: skip
HIDDEN_TAGS = {"remove-cell", "remove-input"}
#: One alias per module across the chapters.
ALIASES = {"synergylib.comparison_report": "report"}


def _import_aliases(source: str) -> list[tuple[str, str]]:
    """(module, alias) of every ``from synergylib[.chapters] import x as y`` and ``import a.b as y``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: no imports to check
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in {"synergylib", "synergylib.chapters"}:
            found += [(f"{node.module}.{a.name}", a.asname or a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, a.asname or a.name) for a in node.names if a.name.startswith("synergylib.")]
    return found


def glue_problems(notebook) -> list[str]:
    """What breaks the chapters' glue rule: the named values of the text are glued by one
    ``glue_values`` call per section (``##`` or ``###`` heading; each exercise's solution,
    from its ``{solution-start}``, is a section of its own), in a hidden cell, never with
    ``myst_nb.glue`` or one ``glue_value`` at a time; chapter modules are imported as
    ``chapter`` and the other modules under one alias in every chapter."""
    problems, calls, section = [], {}, "(before the first section)"
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            headings = re.findall(r"^###? +(.+)$|\{solution-start\} *(\S+)", cell.source,
                                  flags=re.MULTILINE)
            if headings:
                heading, solution = headings[-1]
                section = heading or f"the solution of {solution}"
            continue
        if cell.cell_type != "code":
            continue
        source = cell.source
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "myst_nb" in source:
            problems.append(f"code cell {i} uses myst_nb directly; use synergylib.book.glue_values")
        if re.search(r"\bglue_value\(", source):
            problems.append(f"code cell {i} glues one value at a time; use glue_values")
        n_calls = len(re.findall(r"\bglue_values\(", source))
        if n_calls and not tags & HIDDEN_TAGS:
            problems.append(f"code cell {i} glues in a visible cell (tag it remove-cell)")
        calls[section] = calls.get(section, 0) + n_calls
        for module, alias in _import_aliases(source):
            expected = "chapter" if module.startswith("synergylib.chapters.") else ALIASES.get(module)
            if expected and alias != expected:
                problems.append(f"code cell {i} imports {module} as {alias!r}, not {expected!r}")
    problems += [f"section {name!r} calls glue_values {n} times" for name, n in calls.items() if n > 1]
    return problems


@pytest.mark.parametrize("stem", GLUE_RULE_CHAPTERS)
def test_chapter_glues_once_per_section_in_hidden_cells(stem):
    jupytext = pytest.importorskip("jupytext")
    assert glue_problems(jupytext.read(REPO / "notebooks" / f"{stem}.py")) == []


def test_glue_problems_catches_each_break():
    nbformat = pytest.importorskip("nbformat")
    v4 = nbformat.v4
    notebook = v4.new_notebook(cells=[
        v4.new_markdown_cell("## One"),
        v4.new_code_cell("from myst_nb import glue\nglue('a', 1, display=False)"),
        v4.new_code_cell("glue_value('b', 2)"),
        v4.new_code_cell("glue_values({'c': 3})"),
        v4.new_code_cell("glue_values({'d': 4})", metadata={"tags": ["remove-cell"]}),
        v4.new_code_cell("from synergylib.chapters import nmf as helpers\n"
                         "from synergylib import comparison_report as cmp"),
    ])  # fmt: skip
    problems = "\n".join(glue_problems(notebook))
    for expected in ("uses myst_nb", "one value at a time", "visible cell", "2 times",
                     "as 'helpers', not 'chapter'", "as 'cmp', not 'report'"):
        assert expected in problems
    good = v4.new_notebook(cells=[
        v4.new_markdown_cell("## One"),
        v4.new_code_cell("import synergylib.chapters.nmf as chapter"),
        v4.new_code_cell("glue_values({'c': 3})", metadata={"tags": ["remove-cell"]}),
        v4.new_markdown_cell("## Two"),
        v4.new_code_cell("glue_values({'d': 4})", metadata={"tags": ["remove-cell"]}),
        v4.new_markdown_cell("## Exercises\n```{exercise} a\n:label: ex-a\n```"),
        v4.new_markdown_cell("```{solution-start} ex-a\n:class: dropdown\n```"),
        v4.new_code_cell("print(5)"),
        v4.new_code_cell("glue_values({'ex_a': 5})", metadata={"tags": ["remove-cell"]}),
        v4.new_markdown_cell("```{solution-end}\n```\n```{solution-start} ex-b\n```"),
        v4.new_code_cell("glue_values({'ex_b': 6})", metadata={"tags": ["remove-cell"]}),
    ])  # fmt: skip
    assert glue_problems(good) == []
    good.cells.append(v4.new_code_cell("glue_values({'ex_b2': 7})", metadata={"tags": ["remove-cell"]}))
    assert "section 'the solution of ex-b' calls glue_values 2 times" in glue_problems(good)
