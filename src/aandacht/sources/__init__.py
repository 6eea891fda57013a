"""Loaders: one module per source family, each returning the tidy indicator table.

Every loader has the signature ``load(spec, registry) -> LoadResult``; :data:`LOADERS`
maps the ``loader`` names allowed in the config to them.
"""

from __future__ import annotations

from collections.abc import Callable

from .base import LoadResult
from .kwb import load_kwb
from .schools import load_school_scores

LOADERS: dict[str, Callable[..., LoadResult]] = {
    "kwb": load_kwb,
    "school_scores": load_school_scores,
}

__all__ = ["LOADERS", "LoadResult"]
