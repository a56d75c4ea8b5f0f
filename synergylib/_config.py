"""Documented parameters: every choice of the replication carries its description and source.

A configuration is a frozen dataclass whose fields are declared with :func:`param`;
:class:`DocumentedConfig` turns them into the rows of the book's "What we had to
choose" table, so that the table is generated from the code and cannot drift from it.
``source`` says where a default comes from: ``"paper"`` (Brambilla et al. 2025),
``"group"`` (the same research group's public code and earlier papers) or
``"choice"`` (this project).
"""

from __future__ import annotations

from dataclasses import field, fields
from typing import Any

SOURCES = ("paper", "group", "choice")


def param(default, description: str, source: str, unit: str = "", *, factory=None) -> Any:
    """A dataclass field with a description, a source and a unit."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
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

    def to_markdown(self) -> str:
        """The :meth:`as_table` rows as a Markdown table."""
        lines = ["| parameter | value | description | source |", "|---|---|---|---|"]
        lines += [f"| `{p}` | {v} | {d} | {s} |" for p, v, d, s in self.as_table()]
        return "\n".join(lines)
