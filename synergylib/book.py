"""Small helpers for the book's notebooks (need the ``book`` extra: myst-nb)."""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np

__all__ = ["glue_value", "glue_values", "prepare_chapter"]


def glue_value(name: str, value) -> None:
    """Glue a value for the prose of a chapter, without displaying it.

    NumPy scalars and 0-d arrays become plain Python numbers (myst-nb's
    ``{glue:text}`name:.2f``` formats those, not NumPy types); strings pass through.
    """
    from myst_nb import glue

    glue(name, value if isinstance(value, str) else np.asarray(value).item(), display=False)


def glue_values(values: Mapping[str, object]) -> None:
    """Glue every ``name: value`` of a mapping for the prose (see :func:`glue_value`).

    The chapters compute the named values of one section in one call of their
    chapter module, which returns a dict, and glue it with this function in a hidden
    cell: the prose reads ``{glue:text}`name:.2f```.
    """
    for name, value in values.items():
        glue_value(name, value)


def prepare_chapter(style: Mapping | None = None, *, hide_nmf_max_iter: bool = False) -> None:
    """The set-up shared by the chapters.

    Parameters
    ----------
    style : mapping, optional
        Matplotlib settings for the chapter's figures (``plt.rcParams.update``).
    hide_nmf_max_iter : bool, default False
        Hide :class:`~synergylib.nmf.SynergyNMF`'s warning that some restarts
        reached ``max_iter``. Chapters that fit thousands of NMF models in sweeps
        set it, after saying so in their text; the warning is kept everywhere else.

    Notes
    -----
    ``tqdm.auto`` (the library's progress bars) warns once, when first imported,
    that ipywidgets is missing; the book is built without ipywidgets and its
    bars fall back to text. The import is done here with that warning hidden, so
    that the library's later imports find it done.
    """
    import matplotlib.pyplot as plt
    from tqdm import TqdmWarning

    if style:
        plt.rcParams.update(style)
    if hide_nmf_max_iter:
        warnings.filterwarnings("ignore", message=".*NMF restarts reached max_iter.*")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TqdmWarning)
        import tqdm.auto  # noqa: F401
