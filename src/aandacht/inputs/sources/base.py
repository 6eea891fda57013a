"""What a loader returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class LoadResult:
    """A tidy table plus notes for the analyst (things read, matched or left out) and, for
    loaders that match labels to areas, the matches (source, label, area_code, area_name,
    method, score; method is code, name, alias, fuzzy, pc4, ambiguous or unmatched) and, for
    loaders that read figures per school, the schools with a figure that could not be placed in
    an area (``unplaced``: brin_vestiging, name, figure, reason)."""

    table: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    matches: pd.DataFrame | None = None
    unplaced: pd.DataFrame | None = None
