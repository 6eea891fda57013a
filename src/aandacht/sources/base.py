"""What a loader returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class LoadResult:
    """A tidy table plus notes for the analyst (things read, matched or left out)."""

    table: pd.DataFrame
    notes: list[str] = field(default_factory=list)
