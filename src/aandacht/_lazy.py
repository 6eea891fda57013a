"""Lazy exports for package ``__init__`` modules (PEP 562).

A package lists the names it exports with the module that defines each; a name is imported
on first use, so ``import aandacht`` (and the command line's ``--help``) stays fast while a
notebook can still write ``from aandacht import run_score``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable


def lazy_exports(package: str, exports: dict[str, str]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``exports`` maps a name to the module
    (relative to ``package``) that defines it."""

    def __getattr__(name: str) -> object:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(exports[name], package), name)

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
