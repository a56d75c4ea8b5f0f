"""Documented parameters: every choice of the replication carries its description and source.

A configuration is a frozen dataclass whose fields are declared with :func:`param`;
:class:`DocumentedConfig` turns them into the rows of the book's "What we had to
choose" table, so that the table is generated from the code and cannot drift from it.
``source`` says where a default comes from: ``"paper"`` (Brambilla et al. 2025),
``"group"`` (the same research group's public code and earlier papers) or
``"choice"`` (this project).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from dataclasses import MISSING, field, fields
from typing import Any

from ._validation import SynergyInputError

SOURCES = ("paper", "group", "choice")


def param(default, description: str, source: str, unit: str = "", *, factory=None) -> Any:
    """A dataclass field with a description, a source and a unit."""
    if source not in SOURCES:
        raise SynergyInputError(f"source must be one of {SOURCES}, got {source!r}")
    metadata = {"description": description, "source": source, "unit": unit}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def _format(value, unit: str) -> str:
    if isinstance(value, tuple) and all(isinstance(v, (int, float)) for v in value):
        text = "-".join(f"{v:g}" for v in value)
    elif isinstance(value, float):
        text = f"{value:g}"
    else:
        text = str(value)
    if unit and value is not None:
        text = f"{text} {unit}"
    return text


class DocumentedConfig:
    """Mixin for frozen dataclasses whose fields were declared with :func:`param`."""

    def as_table(self) -> list[tuple[str, str, str, str]]:
        """Rows ``(parameter, value, description, source)``, one per documented parameter."""
        rows = []
        for f in fields(self):
            if "description" not in f.metadata:
                continue
            value = getattr(self, f.name)
            rows.append(
                (f.name, _format(value, f.metadata["unit"]), f.metadata["description"], f.metadata["source"])
            )
        return rows

    @classmethod
    def from_dict(cls, values: dict[str, Any]):
        """The configuration whose ``dataclasses.asdict`` (JSON) view is ``values``.

        Nested configurations are rebuilt from their own dictionaries and lists
        become tuples again, so that ``from_dict(json.loads(json.dumps(asdict(c))))
        == c``. An unknown name is an error.
        """
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise SynergyInputError(f"{cls.__name__} has no parameter(s) {', '.join(unknown)}.")
        kwargs = {}
        for f in fields(cls):
            if f.name not in values:
                continue
            value = values[f.name]
            default = f.default_factory() if f.default_factory is not MISSING else f.default
            if isinstance(default, DocumentedConfig) and isinstance(value, dict):
                kwargs[f.name] = type(default).from_dict(value)
            else:
                kwargs[f.name] = _as_tuples(value)
        return cls(**kwargs)

    def to_markdown(self) -> str:
        """The :meth:`as_table` rows as a Markdown table."""
        lines = ["| parameter | value | description | source |", "|---|---|---|---|"]
        lines += [f"| `{p}` | {v} | {d} | {s} |" for p, v, d, s in self.as_table()]
        return "\n".join(lines)


def _as_tuples(value):
    """Lists (from JSON) as tuples, recursively: the form frozen configurations hold."""
    if isinstance(value, (list, tuple)):
        return tuple(_as_tuples(v) for v in value)
    return value


# --------------------------------------------------------------------------- #
# Parameters of a plain function, read from its NumPy-style docstring
# --------------------------------------------------------------------------- #
_PLAIN_SYMBOLS = {r"\lambda": "λ", r"\sigma": "σ", r"\ge": "≥", r"\le": "≤", r"\kappa": "κ"}


def _plain_math(tex: str) -> str:
    """A few LaTeX symbols as Unicode, so that table cells read as plain text."""
    for command, symbol in _PLAIN_SYMBOLS.items():
        tex = re.sub(re.escape(command) + r"(?![A-Za-z])\s*", symbol + " ", tex)
    return re.sub(r"\s+", " ", tex).strip()


def _docstring_parameters(func: Callable) -> dict[str, str]:
    """First sentence of each entry of a NumPy-style ``Parameters`` section."""
    doc = inspect.getdoc(func) or ""
    match = re.search(r"^Parameters\n-+\n(.*?)(?:\n\n[A-Z][a-z]+\n-+\n|\Z)", doc, re.DOTALL | re.MULTILINE)
    if not match:
        return {}
    descriptions: dict[str, list[str]] = {}
    current: str | None = None
    for line in match.group(1).splitlines():
        if line and not line.startswith(" "):
            current = line.split(":")[0].strip()
            descriptions[current] = []
        elif current is not None and line.strip():
            descriptions[current].append(line.strip())
    out = {}
    for name, lines in descriptions.items():
        text = " ".join(lines)
        text = re.sub(r":math:`([^`]*)`", lambda m: _plain_math(m.group(1)), text)
        text = re.sub(r"``([^`]*)``", r"\1", text)
        text = re.sub(r":\w+:`~?([^`]*)`", r"\1", text)
        sentence = re.split(r"(?<=[a-z0-9)])\.\s", text, maxsplit=1)[0].rstrip(".")
        out[name] = sentence
    return out


def parameter_table(func: Callable, *, skip: Sequence[str] = ("index",)) -> list[dict[str, Any]]:
    """Every keyword parameter of ``func`` with its default and documented meaning.

    Parameters
    ----------
    func : callable
        A function with a NumPy-style docstring (e.g.
        :func:`synergylib.datasets.make_reaching_participant`).
    skip : sequence of str
        Parameters left out.

    Returns
    -------
    list of dict
        One row per parameter, keys ``"parameter"``, ``"default"`` and
        ``"meaning"`` (the first sentence of its docstring entry, or ``""``).
    """
    described = _docstring_parameters(func)
    rows = []
    for name, parameter in inspect.signature(func).parameters.items():
        if name in skip or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        default = None if parameter.default is parameter.empty else parameter.default
        rows.append({"parameter": name, "default": default, "meaning": described.get(name, "")})
    return rows
