"""The environment files and the book's configuration agree with each other.

* ``environment.yml`` (Binder, conda; its ``pip`` section for what conda-forge
  lacks) names exactly the packages of ``pyproject.toml`` (runtime dependencies plus the
  ``book``, ``test`` and ``cluster`` extras), pins each one with ``==`` to a version that
  satisfies pyproject's bound and is the version the executed book recorded (the
  versions the published book was executed with), and installs the library from the
  repository.
* ``_toc.yml``, ``notebooks/*.py``, ``notebooks/parameters.yml`` and
  ``book/references.bib`` are consistent: every chapter in the table of contents
  has a source, every chapter source is in the table of contents, every injected
  parameter is declared in the chapter's ``parameters`` cell, every citation key
  exists in the bibliography.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

REPO = Path(__file__).resolve().parents[1]

# conda-forge names that are not the PyPI name of the same distribution.
CONDA_TO_PYPI = {
    "pytorch": "torch",
    "pytorch-cpu": "torch",
    "matplotlib-base": "matplotlib",
}
# Packages of the environment that are tooling, not dependencies of the library.
CONDA_TOOLING = {"python", "pip"}
PYPROJECT_EXTRAS = ("book", "test", "cluster")


def _pyproject() -> dict:
    with open(REPO / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)


def _environment() -> dict:
    with open(REPO / "environment.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _conda_requirement(spec: str) -> tuple[str, SpecifierSet]:
    """``name>=1,<2`` (conda match spec, no build string) -> (PyPI name, specifiers).

    Conda's ``name=1.2`` is a prefix match (any 1.2.x): it reads as ``==1.2.*``.
    """
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", spec)
    assert match, f"cannot read conda spec {spec!r}"
    name, version = match.groups()
    name = canonicalize_name(CONDA_TO_PYPI.get(name.lower(), name))
    version = version.replace(" ", "")
    if re.fullmatch(r"=[^=,|]+", version):
        version = f"={version}" if version.endswith("*") else f"={version}.*"
    return name, SpecifierSet(version)


def pyproject_requirements(pyproject: dict | None = None) -> dict[str, SpecifierSet]:
    project = (pyproject or _pyproject())["project"]
    lines = list(project["dependencies"])
    for extra in PYPROJECT_EXTRAS:
        lines += project["optional-dependencies"][extra]
    requirements = {}
    for line in lines:
        requirement = Requirement(line)
        requirements[canonicalize_name(requirement.name)] = requirement.specifier
    return requirements


def conda_requirements(environment: dict | None = None) -> dict[str, SpecifierSet]:
    requirements = {}
    for dependency in (environment or _environment())["dependencies"]:
        if isinstance(dependency, dict):  # the pip section: packages conda-forge lacks
            for line in dependency.get("pip", []):
                if line.strip() in ("-e .", "."):
                    continue
                requirement = Requirement(line)
                name = canonicalize_name(requirement.name)
                assert name not in requirements, f"{name} listed twice in environment.yml"
                requirements[name] = requirement.specifier
            continue
        if re.match(r"\s*([A-Za-z0-9_.\-]+)", dependency).group(1) in CONDA_TOOLING:
            continue
        name, specifier = _conda_requirement(dependency)
        assert name not in requirements, f"{name} listed twice in environment.yml"
        requirements[name] = specifier
    return requirements


def test_conda_spec_reader_normalises_names():
    assert _conda_requirement("pytorch-cpu>=2.1") == ("torch", SpecifierSet(">=2.1"))
    assert _conda_requirement("matplotlib-base") == ("matplotlib", SpecifierSet(""))
    assert _conda_requirement("jupyter-book>=1.0,<2")[1] == SpecifierSet(">=1.0,<2")
    assert _conda_requirement("numpy==2.4.6")[1] == SpecifierSet("==2.4.6")
    assert _conda_requirement("numpy=2.4")[1] == SpecifierSet("==2.4.*")


def test_environment_uses_conda_forge_only():
    assert _environment()["channels"] == ["conda-forge"]


def test_environment_and_pyproject_name_the_same_packages():
    conda, pypi = conda_requirements(), pyproject_requirements()
    only_conda = sorted(set(conda) - set(pypi))
    only_pypi = sorted(set(pypi) - set(conda))
    assert not only_conda and not only_pypi, (
        f"environment.yml only: {only_conda}; pyproject.toml only: {only_pypi}"
    )


def pin_problems(
    environment: dict | None = None,
    pyproject: dict | None = None,
    installed=importlib.metadata.version,
) -> dict[str, list[str]]:
    """What is wrong with environment.yml's pins, by kind (empty lists: nothing).

    ``unpinned``: a dependency not pinned to one exact version with ``==`` (conda's
    ``=`` is a prefix match, ``numpy=2.4`` takes any 2.4.x, so this file uses ``==``);
    ``outside_bounds``: a pin that pyproject.toml's requirement excludes; ``stale``: a
    pin that is not the version ``installed(name)`` returns (a local label such as
    ``+cpu`` ignored), for the packages installed (PackageNotFoundError: skipped).
    """
    conda, pypi = conda_requirements(environment), pyproject_requirements(pyproject)
    problems: dict[str, list[str]] = {"unpinned": [], "outside_bounds": [], "stale": []}
    for name, specifier in sorted(conda.items()):
        specs = list(specifier)
        pinned = len(specs) == 1 and specs[0].operator == "==" and "*" not in specs[0].version
        try:
            version = Version(specs[0].version) if pinned else None
        except InvalidVersion:
            version = None
        if version is None or version.local is not None:
            problems["unpinned"].append(f"{name}{specifier or ' (no version)'}")
            continue
        if name in pypi and not pypi[name].contains(version, prereleases=True):
            problems["outside_bounds"].append(f"{name}=={version} (pyproject.toml: {pypi[name]})")
        try:
            have = Version(installed(name))
        except importlib.metadata.PackageNotFoundError:
            continue
        if Version(have.public) != version:
            problems["stale"].append(f"{name}: pinned {version}, installed {have.public}")
    return problems


def test_environment_pins_every_dependency_with_double_equals():
    unpinned = pin_problems()["unpinned"]
    assert not unpinned, f"environment.yml: not pinned with == to one version: {unpinned}"


def test_environment_pins_satisfy_pyproject_requirements():
    outside = pin_problems()["outside_bounds"]
    assert not outside, f"environment.yml pins that pyproject.toml excludes: {outside}"


def executed_versions() -> dict[str, str]:
    """The package versions the executed chapters in book/ recorded (scripts/run_notebooks.py).

    Chapters that recorded none (executed before versions were recorded) are skipped;
    two chapters that recorded different versions of a package are an error.
    """
    import nbformat

    seen: dict[str, set[str]] = {}
    for path in sorted((REPO / "book").glob("[0-9][0-9]_*.ipynb")):
        meta = nbformat.read(path, as_version=4).metadata.get("synergy_book", {})
        for name, version in meta.get("versions", {}).items():
            seen.setdefault(name, set()).add(version)
    mixed = {n: sorted(v) for n, v in seen.items() if len(v) > 1}
    assert not mixed, f"the executed chapters recorded different versions: {mixed}"
    return {n: v.pop() for n, v in seen.items()}


def test_environment_pins_are_the_versions_the_book_was_executed_with():
    """Binder reruns a chapter with the libraries that computed it: each package whose
    version the executed chapters recorded is pinned to that version."""
    recorded = executed_versions()
    assert recorded, "no executed chapter in book/ recorded its package versions"

    def executed_with(name: str) -> str:
        if name not in recorded:
            raise importlib.metadata.PackageNotFoundError(name)
        return recorded[name]

    checked = [n for n in conda_requirements() if n in recorded]
    assert {"numpy", "torch", "matplotlib"} <= set(checked), checked
    stale = pin_problems(installed=executed_with)["stale"]
    assert not stale, (
        f"environment.yml pins differ from the versions book/ was executed with: {stale}"
    )


def test_pin_checks_catch_each_kind_of_problem():
    """The pin checks are not vacuous: a loose, an excluded and a stale pin are caught
    (conda section and pip section), a local label (``+cpu``) is not a difference, and
    packages that are not installed are skipped, not failed."""
    pyproject = {"project": {
        "dependencies": ["numpy>=1.24", "torch>=2.1"],
        "optional-dependencies": {"book": ["sphinx-mathjax-offline>=0.0.2"], "test": [], "cluster": []},
    }}

    def environment(numpy="numpy==2.4.6", mathjax="sphinx-mathjax-offline==0.0.2"):
        return {"dependencies": ["python=3.11", numpy, "pytorch-cpu==2.13.0", "pip",
                                 {"pip": [mathjax, "-e ."]}]}

    installed = {"numpy": "2.4.6", "torch": "2.13.0+cpu", "sphinx-mathjax-offline": "0.0.2"}
    clean = pin_problems(environment(), pyproject, installed.__getitem__)
    assert clean == {"unpinned": [], "outside_bounds": [], "stale": []}

    for loose, read in [("numpy>=1.24", ">=1.24"), ("numpy=2.4.6", "==2.4.6.*"),
                        ("numpy", " (no version)"), ("numpy==2.*", "==2.*")]:
        problems = pin_problems(environment(numpy=loose), pyproject, installed.__getitem__)
        assert problems["unpinned"] == [f"numpy{read}"], loose
    problems = pin_problems(environment(mathjax="sphinx-mathjax-offline>=0.0.2"), pyproject,
                            installed.__getitem__)
    assert problems["unpinned"] == ["sphinx-mathjax-offline>=0.0.2"]

    old = dict(installed, numpy="1.20.0")
    problems = pin_problems(environment(numpy="numpy==1.20.0"), pyproject, old.__getitem__)
    assert problems == {"unpinned": [], "outside_bounds": ["numpy==1.20.0 (pyproject.toml: >=1.24)"],
                        "stale": []}

    upgraded = dict(installed, numpy="2.4.7", torch="2.14.0+cpu")
    assert pin_problems(environment(), pyproject, upgraded.__getitem__)["stale"] == [
        "numpy: pinned 2.4.6, installed 2.4.7", "torch: pinned 2.13.0, installed 2.14.0"
    ]

    def not_installed(name):
        raise importlib.metadata.PackageNotFoundError(name)

    assert pin_problems(environment(), pyproject, not_installed) == clean


def test_environment_python_satisfies_requires_python():
    python = [d for d in _environment()["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert len(python) == 1
    version = python[0].split("=", 1)[1]
    requires = SpecifierSet(_pyproject()["project"]["requires-python"])
    assert version in requires


def test_environment_installs_the_library_from_the_repository():
    pip_sections = [d["pip"] for d in _environment()["dependencies"] if isinstance(d, dict)]
    assert len(pip_sections) == 1
    assert any(line.strip() in ("-e .", ".") for line in pip_sections[0])


def test_comparison_catches_a_dependency_added_on_one_side():
    """The comparison is not vacuous: one more package on either side is caught."""
    pyproject = _pyproject()
    pyproject["project"]["dependencies"] = [*pyproject["project"]["dependencies"], "xarray>=2024"]
    assert set(pyproject_requirements(pyproject)) - set(conda_requirements()) == {"xarray"}

    environment = _environment()
    environment["dependencies"] = [*environment["dependencies"], "pytorch-lightning"]
    assert set(conda_requirements(environment)) - set(pyproject_requirements()) == {"pytorch-lightning"}


# --------------------------------------------------------------------------- the book


def _toc_files() -> list[str]:
    with open(REPO / "_toc.yml", encoding="utf-8") as handle:
        toc = yaml.safe_load(handle)
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    walk(toc.get("chapters"))
    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    return files


def _chapter_stems() -> list[str]:
    return sorted(p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]_*.py"))


def test_every_toc_entry_has_a_source():
    for entry in _toc_files():
        assert entry.startswith("book/"), entry
        stem = entry.removeprefix("book/")
        sources = [REPO / "notebooks" / f"{stem}.py", REPO / "book" / f"{stem}.md"]
        assert any(s.exists() for s in sources), f"{entry}: no notebooks/{stem}.py or book/{stem}.md"


def test_every_chapter_source_is_in_the_toc():
    in_toc = {entry.removeprefix("book/") for entry in _toc_files()}
    missing = [stem for stem in _chapter_stems() if stem not in in_toc]
    assert not missing, f"chapters not in _toc.yml: {missing}"


def _parameters_cell_names(source: Path) -> set[str]:
    import jupytext

    notebook = jupytext.read(source)
    cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{source.name}: {len(cells)} cells tagged 'parameters' (needs 1)"
    tree = ast.parse(cells[0].source)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _parameter_profiles() -> dict:
    with open(REPO / "notebooks" / "parameters.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.mark.parametrize("stem", _chapter_stems())
def test_injected_parameters_are_declared_in_the_chapter(stem):
    declared = _parameters_cell_names(REPO / "notebooks" / f"{stem}.py")
    for profile, table in _parameter_profiles().items():
        injected = set((table.get("defaults") or {})) | set((table.get(stem) or {}))
        undeclared = sorted(injected - declared)
        assert not undeclared, (
            f"{stem}: profile {profile} injects {undeclared}, not in its parameters cell"
        )


@pytest.mark.parametrize("stem", _chapter_stems())
def test_chapter_has_a_python3_kernelspec(stem):
    import jupytext

    notebook = jupytext.read(REPO / "notebooks" / f"{stem}.py")
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"


def test_parameter_profiles_name_existing_chapters():
    stems = set(_chapter_stems()) | {"defaults"}
    profiles = _parameter_profiles()
    assert {"quick", "full"} <= set(profiles)
    for profile, table in profiles.items():
        unknown = sorted(set(table) - stems)
        assert not unknown, f"parameters.yml {profile}: unknown chapters {unknown}"


def test_cited_keys_exist_in_the_bibliography():
    bib = (REPO / "book" / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", bib))
    assert len(keys) == len(re.findall(r"@\w+\s*\{", bib)), "duplicate or unreadable bib keys"
    sources = list((REPO / "notebooks").glob("*.py")) + list((REPO / "book").glob("*.md"))
    cited = set()
    for source in sources:
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", source.read_text(encoding="utf-8")):
            cited |= {key.strip() for key in group.split(",")}
    unknown = sorted(cited - keys)
    assert cited, "no chapter cites anything: the bibliography page would be empty"
    assert not unknown, f"cited but not in book/references.bib: {unknown}"


def test_config_points_at_the_bibliography_and_a_repository():
    with open(REPO / "_config.yml", encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    for bibfile in config["bibtex_bibfiles"]:
        assert (REPO / bibfile).exists(), bibfile
    assert config["repository"]["url"].startswith("https://github.com/")
    assert config["execute"]["execute_notebooks"] == "off"
    assert config["only_build_toc_files"] is True


def test_the_protocol_page_is_the_shared_protocol():
    """book/protocol.md is ../shared/PROTOCOL.md with a note after its title (issue 20)."""
    shared = REPO.parent / "shared" / "PROTOCOL.md"
    if not shared.exists():
        pytest.skip("../shared/PROTOCOL.md is not beside the repository")
    page = (REPO / "book" / "protocol.md").read_text(encoding="utf-8")
    without_note = re.sub(r"\n```\{note\}\n.*?\n```\n", "", page, count=1, flags=re.S)
    assert without_note != page, "book/protocol.md lost its note"
    assert without_note == shared.read_text(encoding="utf-8"), (
        "book/protocol.md differs from ../shared/PROTOCOL.md: copy the protocol again, "
        "keeping the note after the title")
