"""The tidy indicator table: the spine every loader produces and every step consumes.

One row per (area_code, period, source, indicator). ``value`` is the published or
derived figure; ``numerator`` and ``denominator`` are the counts behind a rate where
known; ``flag`` says why ``value`` is missing (``suppressed``, ``not_applicable``,
``not_collected``, or for a figure per school ``schools_unplaced``: no school was placed in the area while
some of the gemeente's schools with a figure have no place, so the area may well have one) and is empty
otherwise. Area codes are opaque strings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError
from .reading import require_columns

TIDY_COLUMNS: tuple[str, ...] = (
    "area_code",
    "area_name",
    "level",
    "period",
    "source",
    "indicator",
    "value",
    "numerator",
    "denominator",
    "unit",
    "flag",
)
KEY_COLUMNS: tuple[str, ...] = ("area_code", "period", "source", "indicator")
NUMERIC_COLUMNS: tuple[str, ...] = ("value", "numerator", "denominator")
STRING_COLUMNS: tuple[str, ...] = tuple(c for c in TIDY_COLUMNS if c not in NUMERIC_COLUMNS)
TEXT = pd.api.types.pandas_dtype(str)  # the dtype ``astype(str)`` gives
# Whether a column of dtype TEXT holds only text: pandas 3's string dtype does; pandas 2 gives object, which may hold anything
TEXT_HOLDS_ONLY_TEXT = TEXT != np.dtype(object)
MISSING_FLAGS: frozenset[str] = frozenset({"suppressed", "not_applicable", "not_collected", "schools_unplaced"})


def empty_tidy() -> pd.DataFrame:
    """Return an empty tidy table with the right columns and dtypes."""
    return coerce_tidy(pd.DataFrame({c: [] for c in TIDY_COLUMNS}))


def coerce_tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with exactly the tidy columns, numeric columns as float64.

    Missing optional columns (numerator, denominator, unit, flag) are added empty. A column that is
    already what it becomes (float64; a string column without a missing cell) is kept as it is: a loader's table is
    coerced again where tables are joined.
    """
    out = frame.copy()
    for column in TIDY_COLUMNS:
        if column not in out.columns:
            out[column] = np.nan if column in NUMERIC_COLUMNS else ""
    for column in NUMERIC_COLUMNS:
        if out[column].dtype != "float64":
            out[column] = pd.to_numeric(out[column], errors="raise").astype("float64")
    for column in STRING_COLUMNS:
        if not (TEXT_HOLDS_ONLY_TEXT and out[column].dtype == TEXT and not out[column].hasnans):
            out[column] = out[column].fillna("").astype(str)
    return out.loc[:, list(TIDY_COLUMNS)].reset_index(drop=True)


def validate_tidy(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Check the tidy invariants and return the coerced table.

    Raises :class:`DataError` naming ``origin`` (a file or input name) when a column is
    missing, a key is duplicated, an area code is empty, or a missing value carries no
    reason (or a present value carries one).
    """
    require_columns(frame, ("area_code", "period", "source", "indicator", "value"), origin, "tidy table")
    tidy = coerce_tidy(frame)
    if (tidy["area_code"].str.strip() == "").any():
        row = int(np.flatnonzero(tidy["area_code"].str.strip() == "")[0])
        raise DataError(f"{origin}: row {row + 1} has an empty area_code")
    duplicated = tidy.duplicated(list(KEY_COLUMNS), keep=False)
    if duplicated.any():
        first = tidy.loc[duplicated].iloc[0]
        raise DataError(
            f"{origin}: duplicate row for area {first.area_code}, period {first.period}, "
            f"source {first.source}, indicator {first.indicator}"
        )
    bad_flags = sorted(set(tidy["flag"]) - MISSING_FLAGS - {""})
    if bad_flags:
        raise DataError(f"{origin}: unknown flag(s) {bad_flags}; allowed: {sorted(MISSING_FLAGS)}")
    unexplained = tidy["value"].isna() & (tidy["flag"] == "")
    if unexplained.any():
        first = tidy.loc[unexplained].iloc[0]
        raise DataError(
            f"{origin}: missing value without a reason for area {first.area_code}, indicator {first.indicator}"
        )
    return tidy


def concat_tidy(tables: list[pd.DataFrame], origin: str) -> pd.DataFrame:
    """Concatenate tidy tables from several loaders and validate the union."""
    if not tables:
        return empty_tidy()
    return validate_tidy(pd.concat(tables, ignore_index=True), origin)
