"""The one code fingerprint of synergylib: a hash of what source code does.

Three things ask whether code changed: the study's result cache
(:meth:`synergylib.study.StudyConfig.participant_key`), the walking study's cache
(:func:`synergylib.walking.walking_cache_key`) and the book's execution keys
(``scripts/run_notebooks.py``). All three call :func:`fingerprint`.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Mapping

__all__ = ["fingerprint"]


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return tree


def fingerprint(sources: str | Mapping[str, str], *, keep_docstrings: bool = False) -> str:
    """SHA-256 (hex) of Python source code, by its syntax tree.

    Each source is parsed and its tree dumped without line numbers, so comments
    and layout never change the fingerprint while any change to the code does.
    Docstrings (module, class, function) are left out unless ``keep_docstrings``:
    a result does not depend on documentation, a chapter that prints a docstring
    does.

    Parameters
    ----------
    sources : str or mapping of str to str
        One module's source, or ``{name: source}`` for several (the names are
        part of the fingerprint, in sorted order).
    keep_docstrings : bool, default False
        Whether docstrings count.

    Examples
    --------
    >>> a = fingerprint("def f():\\n    '''Doc.'''\\n    return 1  # one\\n")
    >>> a == fingerprint("def f():\\n    return 1\\n")
    True
    >>> a == fingerprint("def f():\\n    return 2\\n")
    False
    """
    if isinstance(sources, str):
        sources = {"": sources}
    digest = hashlib.sha256()
    for name in sorted(sources):
        tree = ast.parse(sources[name])
        if not keep_docstrings:
            tree = _without_docstrings(tree)
        digest.update(name.encode())
        digest.update(ast.dump(tree, include_attributes=False).encode())
    return digest.hexdigest()
