"""The chapters' exercises have solutions that run, and every chapter opens with its set-up cell.

* Every exercise is a sphinx-exercise ``{exercise}`` directive with a label and a title,
  followed by a gated solution: a Markdown cell opening ``{solution-start} <label>``
  (``:class: dropdown``), at least one code cell, and a Markdown cell closing it with
  ``{solution-end}``. A solution is code the chapter executes, not a ```python block
  in Markdown that nothing ever runs.
* A solution too costly to run with the book is tagged ``skip-execution`` and says why
  on its first line: ``# skip-execution: <reason>``.
* Every executed solution states the numbers it should print, and they are what it
  prints: its text cites values glued by its own code (``{glue:text}`name:.3f```),
  and each one, formatted as the page shows it, appears in what the solution's code
  printed (issue 20). The check reads the executed chapters of ``book/``; ``make test``
  runs it again on its quick build (``SYNERGY_EXECUTED_BOOK=build/quick/book``).
* Every chapter's first code cell is the hidden set-up cell (tagged ``remove-cell``)
  that makes the Binder and Colab launch buttons work; it is the same in every chapter
  and clones the repository named in ``_config.yml``.

The checks are functions returning a list of problems, so that the tests at the end can
show that each one catches what it is meant to catch.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

jupytext = pytest.importorskip("jupytext")
nbformat = pytest.importorskip("nbformat")

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
GLUE_TEXT = re.compile(r"\{glue:text\}`([^`]+)`")
#: The folder of executed chapters whose solutions are checked: the published book,
#: or the one named by $SYNERGY_EXECUTED_BOOK (`make test` checks its quick build so).
EXECUTED_DIRS = [Path(os.environ.get("SYNERGY_EXECUTED_BOOK", REPO / "book")).resolve()]


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


def _glued(cell) -> dict[str, str]:
    """``{name: text/plain}`` of the values a code cell glued."""
    glued = {}
    for output in cell.get("outputs", []):
        name = output.get("metadata", {}).get("scrapbook", {}).get("name")
        if name is not None:
            glued[name] = output.get("data", {}).get("application/papermill.record/text/plain", "")
    return glued


def _printed(cell) -> str:
    """What a code cell printed (its stdout)."""
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def solution_number_problems(executed) -> list[str]:
    """Executed solutions that state no number, or one their code did not glue and print.

    A solution's Markdown (between ``{solution-start}`` and ``{solution-end}``) must
    cite at least one value glued by the solution's own code cells, and each cited
    value, formatted as ``{glue:text}`` formats it, must appear in what those cells
    printed. A solution whose every code cell is tagged ``skip-execution`` (too
    costly to run with the book) is left out; one with a classroom-sized variant that
    runs beside the skipped full version is checked on the variant.
    """
    from myst_nb.core.variables import format_plain_text

    problems: list[str] = []
    label = None
    cited: list[str] = []
    glued: dict[str, str] = {}
    printed = ""
    runs = 0

    def close() -> None:
        if runs == 0:
            return
        if not cited:
            problems.append(f"the solution of {label!r} states no expected number "
                            "(glue what its code prints and cite it in its text)")
        for reference in cited:
            key, _, fmt = reference.rpartition(":") if ":" in reference else ("", "", "")
            key, fmt = (key, fmt) if key else (reference, "s")
            if key not in glued:
                problems.append(f"the solution of {label!r} cites {key!r}, which its code "
                                "does not glue")
                continue
            shown = format_plain_text(glued[key], fmt)
            if shown not in printed:
                problems.append(f"the solution of {label!r} states {shown!r} ({key}) but its "
                                f"code printed: {printed.strip()[:300]!r}")

    for cell in executed.cells:
        if cell.cell_type == "code":
            if label is not None and SKIP_TAG not in tags(cell):
                glued.update(_glued(cell))
                printed += _printed(cell)
                runs += 1
            continue
        for line in cell.source.splitlines():
            if match := SOLUTION_START.match(line.strip()):
                label, cited, glued, printed, runs = match.group(2), [], {}, "", 0
            elif SOLUTION_END.match(line.strip()):
                if label is not None:
                    close()
                label = None
            elif label is not None:
                cited += GLUE_TEXT.findall(line)
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


def _executed_chapters() -> list[Path]:
    return [folder / f"{path.stem}.ipynb" for folder in EXECUTED_DIRS for path in CHAPTERS
            if (folder / f"{path.stem}.ipynb").exists()]


@pytest.mark.parametrize("path", _executed_chapters(),
                         ids=lambda p: p.stem)
def test_executed_solutions_print_the_numbers_they_state(path):
    problems = solution_number_problems(nbformat.read(path, as_version=4))
    assert not problems, f"{path}:\n" + "\n".join(problems)


def summary_problems(notebook) -> list[str]:
    """A chapter with exercises whose main text does not end with a ``## Summary`` section."""
    headings = [line.strip() for cell in notebook.cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if re.match(r"^## \S", line.strip())]
    if "## Exercises" not in headings:
        return []
    before = headings[:headings.index("## Exercises")]
    if not before or before[-1] != "## Summary":
        return [f"the section before '## Exercises' is {before[-1] if before else None!r}, "
                "not '## Summary'"]
    return []


@pytest.mark.parametrize("path", [p for p in CHAPTERS if p.stem != "00_introduction"],
                         ids=lambda p: p.stem)
def test_chapter_ends_with_a_summary_before_its_exercises(path):
    notebook = read_chapter(path)
    assert "## Exercises" in "\n".join(c.source for c in notebook.cells), "no exercises"
    problems = summary_problems(notebook)
    assert not problems, f"{path.name}: " + "; ".join(problems)


def test_summary_check_catches_a_missing_summary():
    good = _notebook(HEADER + "\n# %% [markdown]\n# ## Results\n#\n# ## Summary\n#\n# ## Exercises\n")
    assert summary_problems(good) == []
    bad = _notebook(HEADER + "\n# %% [markdown]\n# ## Summary\n#\n# ## Results\n#\n# ## Exercises\n")
    assert any("'## Results'" in p for p in summary_problems(bad))


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


def _executed(prints: str, glues: dict[str, str], text: str, tags_=()):
    """A one-exercise executed notebook: the solution's code printed and glued these."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    code = new_code_cell("...", metadata={"tags": list(tags_)})
    code.outputs = [new_output("stream", name="stdout", text=prints)] + [
        new_output("display_data", data={"application/papermill.record/text/plain": value},
                   metadata={"scrapbook": {"name": name,
                                           "mime_prefix": "application/papermill.record/"}})
        for name, value in glues.items()]
    return new_notebook(cells=[
        new_markdown_cell("```{exercise} a title\n:label: ex-a\nDo it.\n```"),
        new_markdown_cell("```{solution-start} ex-a\n:class: dropdown\n```"),
        code,
        new_markdown_cell(text + "\n\n```{solution-end}\n```"),
    ])


def test_solution_numbers_check_passes_a_solution_that_prints_what_it_states():
    good = _executed("R2 = 0.817 with N = 5\n", {"ex_r2": "0.81734", "ex_n": "5", "ex_best": "'relu+tanh'"},
                     "It prints $R^2$ = {glue:text}`ex_r2:.3f` at $N$ = {glue:text}`ex_n` "
                     "({glue:text}`ex_n:d` synergies).")
    assert solution_number_problems(good) == []


@pytest.mark.parametrize(
    "prints, glues, text, tags_, expected",
    [
        ("R2 = 0.817\n", {"ex_r2": "0.81734"}, "It prints a good fit.", (), "states no expected number"),
        ("R2 = 0.817\n", {"ex_r2": "0.81734"}, "It prints {glue:text}`ex_other:.3f`.", (), "does not glue"),
        ("R2 = 0.82\n", {"ex_r2": "0.81734"}, "It prints {glue:text}`ex_r2:.3f`.", (), "states '0.817'"),
        ("R2 = 0.547\n", {"ex_r2": "0.54700"}, "It prints {glue:text}`ex_r2:.3f`; "
         "the cache has {glue:text}`ex_r2:.2f`.", (), "states '0.55'"),
    ],
)
def test_solution_numbers_check_catches(prints, glues, text, tags_, expected):
    problems = solution_number_problems(_executed(prints, glues, text, tags_))
    assert any(expected in p for p in problems), problems


def test_solution_numbers_check_leaves_skipped_solutions_out():
    skipped = _executed("", {}, "Trains for an hour.", tags_=("skip-execution",))
    assert solution_number_problems(skipped) == []


def test_solution_numbers_check_reads_the_classroom_variant_beside_a_skipped_cell():
    from nbformat.v4 import new_code_cell

    def with_full_version(notebook):
        full = new_code_cell("# skip-execution: trains for an hour", metadata={"tags": ["skip-execution"]})
        notebook.cells.insert(3, full)
        return notebook

    good = with_full_version(_executed("R2 = 0.817\n", {"ex_r2": "0.81734"},
                                       "The variant prints {glue:text}`ex_r2:.3f`."))
    assert solution_number_problems(good) == []
    silent = with_full_version(_executed("R2 = 0.817\n", {"ex_r2": "0.81734"}, "The variant runs."))
    assert any("states no expected number" in p for p in solution_number_problems(silent))


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
