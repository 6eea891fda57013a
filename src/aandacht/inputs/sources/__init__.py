"""Loaders: one module per source family, each returning the tidy indicator table.

Every loader has the signature ``load(spec, registry, needed=None) -> LoadResult``, where
``needed`` names the variables the config uses (a loader of a wide table reads only those;
``None`` = all); :data:`LOADERS` maps the ``loader`` names of the config's registry
(:data:`aandacht.config.choices.INPUT_LOADERS`) to them.
"""

from __future__ import annotations

from collections.abc import Callable

from ...config.choices import INPUT_LOADERS, check_implemented
from .base import LoadResult
from .duo import load_duo
from .generic import load_generic
from .jeugdmonitor import load_jeugdmonitor
from .kwb import load_kwb
from .oab import load_oab
from .schools import load_school_scores

LOADERS: dict[str, Callable[..., LoadResult]] = {
    "kwb": load_kwb,
    "school_scores": load_school_scores,
    "oab": load_oab,
    "kinderen_in_tel": load_generic,
    "jeugdmonitor": load_jeugdmonitor,
    "duo": load_duo,
    "generic": load_generic,
}
check_implemented("loaders", INPUT_LOADERS, LOADERS)

__all__ = ["LOADERS", "LoadResult"]
