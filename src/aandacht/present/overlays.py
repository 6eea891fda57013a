"""Optional results that maps and the report show on top of the scores.

Designation of aandachtsgebieden, Plus-IKC selection and uncertainty are computed by
other parts of aandacht; maps and report take their results as plain tables, so that
they can also be given by hand (CSV or Excel, read with :func:`sources.reading.read_table`):

* ``gebieden``: one row per member area of an aandachtsgebied: ``gebied`` (the name
  used in the bestuurlijk overleg) and ``area_code``; an optional ``reason``.
* ``ikcs``: one row per IKC: ``name``, ``x_rd``, ``y_rd`` (EPSG:28992) and ``status``
  (``plus-ikc``, ``candidate`` or ``other``); optional ``area_code``, ``bestuur``,
  ``need``, ``eligible``, ``continuity`` and ``reason`` are shown in the report.
* ``robustness``: per area ``area_code``, ``p_designated`` (0-1) and optionally
  ``rank_p05``, ``rank_median``, ``rank_p95``.
* ``changes``: per area ``area_code`` and ``change`` (``entered``, ``left``, ``stayed``)
  against the previous round; optional ``previous_rank`` and ``previous_score`` give the
  trend in the report's profiles.

A table with a column ``demonstration`` that is true on any row is demonstration data:
maps and report then say so on the page itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..inputs.reading import fail_at_first, parse_numbers, read_table, require_columns

IKC_STATUSES = ("plus-ikc", "candidate", "other")
CHANGES = ("entered", "left", "stayed")
IKC_LABELS = {"plus-ikc": "Plus-IKC", "candidate": "kandidaat Plus-IKC", "other": "overige IKC / school"}
CHANGE_LABELS = {
    "entered": "nieuw aandachtsgebied",
    "left": "niet langer aandachtsgebied",
    "stayed": "blijft aandachtsgebied",
    "none": "geen aandachtsgebied",
}
TRUE_TEXT = frozenset({"true", "1", "ja", "yes", "waar", "x"})


@dataclass
class Overlays:
    """The optional result tables (``None`` where not given) and what is demonstration data."""

    gebieden: pd.DataFrame | None = None
    ikcs: pd.DataFrame | None = None
    robustness: pd.DataFrame | None = None
    changes: pd.DataFrame | None = None
    demonstration: list[str] = field(default_factory=list)

    def gebied_names(self) -> list[str]:
        """The aandachtsgebieden in the order they were given."""
        return [] if self.gebieden is None else list(dict.fromkeys(self.gebieden["gebied"]))

    def members(self, gebied: str) -> list[str]:
        return list(self.gebieden.loc[self.gebieden["gebied"] == gebied, "area_code"])


def _check_codes(frame: pd.DataFrame, known: set[str], origin: str) -> None:
    fail_at_first(~frame["area_code"].isin(known), frame.index, origin,
                  lambda i: f"area_code {frame['area_code'].iloc[i]!r} is not a scored area")


def _check_values(frame: pd.DataFrame, column: str, allowed: tuple[str, ...], origin: str) -> None:
    fail_at_first(~frame[column].isin(allowed), frame.index, origin,
                  lambda i: f"{frame[column].iloc[i]!r} is not one of {list(allowed)}", column)


def _unique(frame: pd.DataFrame, columns: list[str], origin: str) -> None:
    fail_at_first(frame.duplicated(columns), frame.index, origin,
                  lambda i: f"duplicate {', '.join(columns)} {tuple(frame[columns].iloc[i])}")


def _numbers(frame: pd.DataFrame, columns: tuple[str, ...], origin: str) -> None:
    for column in columns:
        if column in frame.columns:
            frame[column] = parse_numbers(frame[column], origin, column)[0]


def _is_demonstration(frame: pd.DataFrame) -> bool:
    return "demonstration" in frame.columns and frame["demonstration"].astype(str).str.strip().str.lower().isin(TRUE_TEXT).any()


def check_gebieden(frame: pd.DataFrame, known: set[str], origin: str) -> pd.DataFrame:
    """Validate a gebieden table (see module docstring); an area belongs to at most one gebied."""
    frame = frame.copy()
    require_columns(frame, ("gebied", "area_code"), origin, "gebieden table")
    frame["gebied"] = frame["gebied"].astype(str).str.strip()
    frame["area_code"] = frame["area_code"].astype(str).str.strip()
    fail_at_first(frame["gebied"] == "", frame.index, origin, lambda i: "gebied has no name")
    _check_codes(frame, known, origin)
    _unique(frame, ["area_code"], origin)
    return frame


def check_ikcs(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Validate an IKC table: name, x_rd, y_rd (numbers, EPSG:28992) and a known status."""
    frame = frame.copy()
    require_columns(frame, ("name", "x_rd", "y_rd", "status"), origin, "IKC table")
    frame["status"] = frame["status"].astype(str).str.strip().str.lower()
    _check_values(frame, "status", IKC_STATUSES, origin)
    _numbers(frame, ("x_rd", "y_rd", "need"), origin)
    fail_at_first(frame["x_rd"].isna() | frame["y_rd"].isna(), frame.index, origin,
                  lambda i: f"IKC {frame['name'].iloc[i]!r} has no x_rd/y_rd coordinates")
    return frame


def _per_area(frame: pd.DataFrame, columns: tuple[str, ...], known: set[str], origin: str, what: str) -> pd.DataFrame:
    """A copy of a one-row-per-area table: required columns present, area codes stripped, known and unique."""
    frame = frame.copy()
    require_columns(frame, columns, origin, f"{what} table")
    frame["area_code"] = frame["area_code"].astype(str).str.strip()
    _check_codes(frame, known, origin)
    _unique(frame, ["area_code"], origin)
    return frame


def check_robustness(frame: pd.DataFrame, known: set[str], origin: str) -> pd.DataFrame:
    """Validate a robustness table: p_designated within [0, 1]; rank columns optional."""
    frame = _per_area(frame, ("area_code", "p_designated"), known, origin, "robustness")
    _numbers(frame, ("p_designated", "rank_p05", "rank_median", "rank_p95"), origin)
    fail_at_first(~frame["p_designated"].between(0, 1), frame.index, origin,
                  lambda i: f"{frame['p_designated'].iloc[i]} is not within 0-1", "p_designated")
    return frame


def check_changes(frame: pd.DataFrame, known: set[str], origin: str) -> pd.DataFrame:
    """Validate a changes table: change is entered, left or stayed."""
    frame = _per_area(frame, ("area_code", "change"), known, origin, "changes")
    frame["change"] = frame["change"].astype(str).str.strip().str.lower()
    _check_values(frame, "change", CHANGES, origin)
    _numbers(frame, ("previous_rank", "previous_score"), origin)
    return frame


def make_overlays(known: set[str], gebieden=None, ikcs=None, robustness=None, changes=None,
                  demonstration: list[str] | None = None) -> Overlays:
    """Check in-memory tables (for example from the designation step) into :class:`Overlays`."""
    return Overlays(
        gebieden=None if gebieden is None else check_gebieden(gebieden, known, "gebieden"),
        ikcs=None if ikcs is None else check_ikcs(ikcs, "ikcs"),
        robustness=None if robustness is None else check_robustness(robustness, known, "robustness"),
        changes=None if changes is None else check_changes(changes, known, "changes"),
        demonstration=list(demonstration or []),
    )


def read_overlays(known: set[str], gebieden: Path | None = None, ikcs: Path | None = None,
                  robustness: Path | None = None, changes: Path | None = None) -> Overlays:
    """Read the optional tables from files (CSV or Excel); errors name the file and row."""
    tables, demo = {}, []
    checks = {"gebieden": (gebieden, lambda f, o: check_gebieden(f, known, o)),
              "ikcs": (ikcs, check_ikcs),
              "robustness": (robustness, lambda f, o: check_robustness(f, known, o)),
              "changes": (changes, lambda f, o: check_changes(f, known, o))}
    for name, (path, check) in checks.items():
        if path is None:
            tables[name] = None
            continue
        frame = read_table(Path(path), dtype=str)
        tables[name] = check(frame, str(path))
        if _is_demonstration(frame):
            demo.append(name)
    return Overlays(**tables, demonstration=demo)


def schools_as_ikcs(schools: pd.DataFrame) -> pd.DataFrame:
    """The schools as IKC points of status ``other`` (no selection made yet); schools
    without coordinates keep NaN x_rd/y_rd, so maps can say how many are not drawn."""
    return pd.DataFrame({
        "name": schools["name"].to_numpy(),
        "x_rd": schools["x_rd"].to_numpy(dtype="float64"),
        "y_rd": schools["y_rd"].to_numpy(dtype="float64"),
        "status": "other",
        "area_code": schools["wijk_code"].to_numpy(),
    })
