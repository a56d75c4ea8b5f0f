"""Small helpers for the book's notebooks (need the ``book`` extra: myst-nb)."""

from __future__ import annotations

import numpy as np

__all__ = ["glue_value"]


def glue_value(name: str, value) -> None:
    """Glue a value for the prose of a chapter, without displaying it.

    NumPy scalars and 0-d arrays become plain Python numbers (myst-nb's
    ``{glue:text}`name:.2f``` formats those, not NumPy types); strings pass through.
    """
    from myst_nb import glue

    glue(name, value if isinstance(value, str) else np.asarray(value).item(), display=False)
