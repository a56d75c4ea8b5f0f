"""The chapters' exercises have solutions that run, and every chapter opens with its set-up cell.

* Every exercise is a sphinx-exercise ``{exercise}`` directive with a label and a title,
  followed by a gated solution: a Markdown cell opening ``{solution-start} <label>``
  (``:class: dropdown``), at least one code cell, and a Markdown cell closing it with
  ``{solution-end}``. A solution is code the chapter executes, not a ```python block
  in Markdown that nothing ever runs.
* A solution too costly to run with the book is tagged ``skip-execution`` and says why
  on its first line: ``# skip-execution: <reason>``.
* Every chapter's first code cell is the hidden set-up cell (tagged ``remove-cell``)
  that makes the Binder and Colab launch buttons work; it is the same in every chapter
  and clones the repository named in ``_config.yml``.

The checks are functions returning a list of problems, so that the tests at the end can
show that each one catches what it is meant to catch.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

jupytext = pytest.importorskip("jupytext")

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((REPO / "notebooks").glob("0*.py"))
SETUP_TAG = "remove-cell"
SKIP_TAG = "skip-execution"

EXERCISE = re.compile(r"^(`{3,}|:{3,})\{exercise\}[ \t]*(.*)$")
SOLUTION_START = re.compile(r"^(`{3,}|:{3,})\{solution-start\}[ \t]*(\S*)")
SOLUTION_END = re.compile(r"^(`{3,}|:{3,})\{solution-end\}")
OPTION = re.compile(r"^:([\w-]+):[ \t]*(.*)$")
PYTHON_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*\{?(python|ipython3?|py)\}?\s*$")
SKIP_REASON = re.compile(r"^# skip-execution: \S.{4,}")


def read_chapter(path: Path):
    return jupytext.read(path)


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _options(lines: list[str], start: int) -> dict[str, str]:
    """The ``:name: value`` options right after a directive's opening line."""
    options = {}
    for line in lines[start + 1:]:
        match = OPTION.match(line.strip())
        if not match:
            break
        options[match.group(1)] = match.group(2).strip()
    return options


def exercise_problems(notebook) -> list[str]:
    """Exercises without a label, a title or a gated solution with code; solutions in Markdown."""
    problems: list[str] = []
    exercises: list[str] = []
    solved: dict[str, int] = {}
    open_label: str | None = None
    code_cells = 0
    for index, cell in enumerate(notebook.cells):
        where = f"cell {index}"
        if cell.cell_type == "code":
            if open_label is not None:
                code_cells += 1
            continue
        lines = cell.source.splitlines()
        for number, line in enumerate(lines):
            if "{admonition} Solution" in line:
                problems.append(f"{where}: an old-style Markdown solution ({line.strip()!r})")
            if match := EXERCISE.match(line.strip()):
                label = _options(lines, number).get("label", "")
                if not match.group(2).strip():
                    problems.append(f"{where}: an exercise without a title")
                if not label:
                    problems.append(f"{where}: an exercise without a :label:")
                elif label in exercises:
                    problems.append(f"{where}: exercise label {label!r} used twice")
                if open_label is not None:
                    problems.append(f"{where}: exercise {label!r} inside the solution of {open_label!r}")
                exercises.append(label)
            elif match := SOLUTION_START.match(line.strip()):
                label = match.group(2)
                if open_label is not None:
                    problems.append(f"{where}: solution of {label!r} opens inside that of {open_label!r}")
                if label not in exercises:
                    problems.append(f"{where}: solution of {label!r}, which is no exercise above it")
                if label in solved:
                    problems.append(f"{where}: a second solution of {label!r}")
                if _options(lines, number).get("class") != "dropdown":
                    problems.append(f"{where}: solution of {label!r} is not a dropdown")
                open_label, code_cells = label, 0
            elif SOLUTION_END.match(line.strip()):
                if open_label is None:
                    problems.append(f"{where}: a solution-end without a solution-start")
                    continue
                if code_cells == 0:
                    problems.append(f"{where}: the solution of {open_label!r} has no code cell")
                solved[open_label] = code_cells
                open_label = None
            elif open_label is not None and PYTHON_FENCE.match(line):
                problems.append(
                    f"{where}: a ```python block in the solution of {open_label!r} "
                    "(make it a code cell)"
                )
    if open_label is not None:
        problems.append(f"the solution of {open_label!r} is never closed (solution-end)")
    for label in exercises:
        if label not in solved:
            problems.append(f"exercise {label!r} has no gated solution")
    return problems


def skip_problems(notebook) -> list[str]:
    """Cells tagged skip-execution whose first line does not say why."""
    problems = []
    for index, cell in enumerate(notebook.cells):
        if SKIP_TAG not in tags(cell):
            continue
        first = cell.source.splitlines()[0] if cell.source else ""
        if cell.cell_type != "code" or not SKIP_REASON.match(first):
            problems.append(
                f"cell {index}: tagged {SKIP_TAG} but its first line is {first!r}, "
                "not '# skip-execution: <reason>'"
            )
    return problems


def setup_cell(notebook):
    """The first code cell, or None."""
    return next((c for c in notebook.cells if c.cell_type == "code"), None)


def repository_url() -> str:
    with open(REPO / "_config.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["repository"]["url"]


def setup_problems(notebook) -> list[str]:
    """The first code cell is not the hidden set-up cell for Binder and Colab."""
    cell = setup_cell(notebook)
    if cell is None:
        return ["no code cell at all"]
    problems = []
    if SETUP_TAG not in tags(cell):
        problems.append(f"the first code cell is not tagged {SETUP_TAG!r}")
    if "parameters" in tags(cell):
        problems.append("the first code cell is the parameters cell, not the set-up cell")
    for needed in ("_toc.yml", "os.chdir", "git", "--depth", repository_url(),
                   "pip", "sys.executable", "sys.path"):
        if needed not in cell.source:
            problems.append(f"the set-up cell does not contain {needed!r}")
    return problems


# --- the chapters --------------------------------------------------------------------


def test_there_are_chapters():
    assert len(CHAPTERS) >= 8, CHAPTERS


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_exercise_has_a_gated_solution_that_runs(path):
    problems = exercise_problems(read_chapter(path))
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_skipped_cells_say_why(path):
    problems = skip_problems(read_chapter(path))
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_opens_with_the_setup_cell(path):
    problems = setup_problems(read_chapter(path))
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_setup_cell_is_the_same_in_every_chapter():
    sources = {path.stem: setup_cell(read_chapter(path)).source for path in CHAPTERS}
    first = sources[CHAPTERS[0].stem]
    different = sorted(stem for stem, source in sources.items() if source != first)
    assert not different, f"set-up cell differs from {CHAPTERS[0].name} in {different}"


def test_exercise_labels_are_unique_across_the_book():
    seen: dict[str, str] = {}
    for path in CHAPTERS:
        for cell in read_chapter(path).cells:
            if cell.cell_type != "markdown":
                continue
            lines = cell.source.splitlines()
            for number, line in enumerate(lines):
                if EXERCISE.match(line.strip()):
                    label = _options(lines, number).get("label")
                    assert label not in seen, f"{label!r} in {path.name} and {seen[label]}"
                    seen[label] = path.name
    assert seen, "no exercise in the book"


def test_sphinx_exercise_is_enabled():
    with open(REPO / "_config.yml", encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    assert "sphinx_exercise" in config["sphinx"]["extra_extensions"]


# --- each check catches what it should ---------------------------------------------------

HEADER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---
"""

GOOD = HEADER + '''
# %% [markdown]
# ```{exercise} a title
# :label: ex-a
# Do something.
# ```

# %% [markdown]
# ```{solution-start} ex-a
# :class: dropdown
# ```

# %%
x = 1

# %% [markdown]
# Why it works.
#
# ```{solution-end}
# ```
'''


def _notebook(text: str):
    return jupytext.reads(text, fmt="py:percent")


def test_a_good_exercise_passes():
    assert exercise_problems(_notebook(GOOD)) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (("# %%\nx = 1\n\n", ""), "has no code cell"),
        (("# Why it works.\n", "# ```python\n# x = 1\n# ```\n"), "```python block"),
        (("# :class: dropdown\n", ""), "not a dropdown"),
        (("# ```{solution-end}\n# ```\n", ""), "never closed"),
        (("# ```{solution-start} ex-a\n", "# ```{solution-start} ex-b\n"), "no exercise above"),
        (("# :label: ex-a\n", ""), "without a :label:"),
        (("# ```{exercise} a title\n", "# ```{exercise}\n"), "without a title"),
        (("# %% [markdown]\n# ```{solution-start}", "# %% [markdown]\n# ```{note}"), "no gated solution"),
    ],
)
def test_exercise_check_catches(change, expected):
    old, new = change
    assert old in GOOD
    problems = exercise_problems(_notebook(GOOD.replace(old, new, 1)))
    assert any(expected in p for p in problems), problems


def test_exercise_check_catches_an_old_style_solution():
    text = HEADER + """
# %% [markdown]
# ````{admonition} Solution
# :class: dropdown
# ```python
# x = 1
# ```
# ````
"""
    problems = exercise_problems(_notebook(text))
    assert any("old-style" in p for p in problems), problems


def test_skip_check_catches_a_missing_reason():
    good = HEADER + '\n# %% tags=["skip-execution"]\n# skip-execution: trains 16 models, minutes\nx = 1\n'
    assert skip_problems(_notebook(good)) == []
    for first in ("x = 1", "# skip-execution:", "# slow"):
        bad = HEADER + f'\n# %% tags=["skip-execution"]\n{first}\nx = 1\n'
        assert skip_problems(_notebook(bad)), first


def test_setup_check_catches_a_missing_or_misplaced_cell():
    chapter = read_chapter(CHAPTERS[1])
    assert setup_problems(chapter) == []
    setup = setup_cell(chapter)
    without = HEADER + '\n# %% tags=["parameters"]\nquick = False\n'
    assert any("not tagged" in p for p in setup_problems(_notebook(without)))
    untagged = _notebook(without)
    untagged.cells.insert(0, jupytext.reads(HEADER + "\n# %%\n" + setup.source + "\n",
                                            fmt="py:percent").cells[0])
    assert any("not tagged" in p for p in setup_problems(untagged))
    no_clone = _notebook(HEADER + '\n# %% tags=["remove-cell"]\nimport os\n')
    assert any("git" in p for p in setup_problems(no_clone))
