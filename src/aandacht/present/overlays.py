"""Optional results that maps and the report show on top of the scores.

Designation of aandachtsgebieden, Plus-IKC selection, uncertainty and the comparison with
the previous round are computed by other parts of aandacht; maps and report take their
results as plain tables, so that they can also be given by hand (CSV or Excel, read with
:func:`aandacht.inputs.reading.read_table`). Each table is accepted in two layouts: the
short layout below, for tables made by hand or by another tool, and the layout of the file
``aandacht herijking`` writes into the round folder (named in brackets, its columns under their
published Dutch names or, in a round written before those, the English ones:
:func:`aandacht.dutch.internal_columns`), so that a round's own files go back in as written:

* ``gebieden``: one row per member area: ``gebied`` (the name used in the bestuurlijk
  overleg) and ``area_code`` [``aandachtsgebieden.csv``: ``gebied`` and ``aangewezen_leden``,
  the designated scored areas joined by ";"].
* ``ikcs``: one row per IKC: ``name``, ``x_rd``, ``y_rd`` (EPSG:28992) and ``status``
  (``plus-ikc``, ``candidate``: eligible but not chosen, or ``other``); optional ``area_code``,
  ``bestuur``, ``need``, ``eligible``, ``continuity``, ``reason``, ``gebied`` and ``brin``
  [``ikcs.csv``: ``naam``, ``plus_ikc``, ``verkiesbaar``, ``status`` (the continuity status), ``wijk_code``,
  ``bevoegd_gezag``, ``behoefte``, ``toelichting``, ``x_rd``, ``y_rd``; an IKC without coordinates is kept and
  listed, not drawn].
* ``robustness``: per area ``area_code``, ``p_designated`` (0-1) and optionally
  ``rank_p05``, ``rank_median``, ``rank_p95`` [``robuustheid.csv``: ``gebiedscode``, ``kans_aanwijzing``,
  ``rang_p05``, ``rang_mediaan``, ``rang_p95``].
* ``changes``: per area ``area_code`` and ``change`` (``entered``, ``left``, ``stayed``)
  against the previous round; optional ``previous_rank`` and ``previous_score``
  [``wijzigingen_wijken.csv``: ``gebiedscode``, ``wijziging`` (``erbij``, ``eraf``, ``gebleven``), ``rang_oud``,
  ``score_oud``].

A table with a column ``demonstration`` that is true on any row is demonstration data:
maps and report then say so on the page itself.

Besides the tables, :class:`Overlays` carries what a round knows about itself: its year and
the previous round's year (named on the change map and in the report's title) and the
history (rank and score of every area in this and earlier rounds, for the trend).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..dutch import internal_columns
from ..inputs.reading import FLAG_WORDS, fail_at_first, parse_numbers, read_csv_nl, read_table, require_columns

IKC_STATUSES = ("plus-ikc", "candidate", "other")
CHANGES = ("entered", "left", "stayed")
IKC_LABELS = {"plus-ikc": "Plus-IKC", "candidate": "komt in aanmerking, niet gekozen", "other": "overig IKC of school"}
CHANGE_LABELS = {
    "entered": "nieuw aandachtsgebied",
    "left": "niet langer aandachtsgebied",
    "stayed": "blijft aandachtsgebied",
    "none": "geen aandachtsgebied",
}
# The wording of the round files (rounds.compare) for the changes.
CHANGE_CODES = {"erbij": "entered", "eraf": "left", "gebleven": "stayed"}
# Per table, the internal names of its columns that a round file holds under their Dutch names (aandacht.dutch.COLUMNS_NL)
GEBIED_COLUMNS = ("area_code", "designated_members")
IKC_COLUMNS = ("name", "need", "area_code")
ROBUSTNESS_COLUMNS = ("area_code", "p_designated", "rank_p05", "rank_median", "rank_p95", "hard_core")
CHANGE_COLUMNS = ("area_code", "area_name")
# yes in a hand-made table: the words of aandacht's own files (FLAG_WORDS: ja, true) and what people type
TRUE_TEXT = frozenset({word for word, yes in FLAG_WORDS.items() if yes} | {"1", "yes", "waar", "x"})


@dataclass
class Overlays:
    """The optional result tables (``None`` where not given), what is demonstration data, and
    the round's year, the previous round's year and the history (year, area_code, rank, score)."""

    gebieden: pd.DataFrame | None = None
    ikcs: pd.DataFrame | None = None
    robustness: pd.DataFrame | None = None
    changes: pd.DataFrame | None = None
    demonstration: list[str] = field(default_factory=list)
    round_year: int | None = None
    previous_year: int | None = None
    history: pd.DataFrame | None = None
    facts: dict[str, list[str]] = field(default_factory=dict)  # the round's facts for page 1 (ronde.json toelichting)

    def gebied_names(self) -> list[str]:
        """The aandachtsgebieden in the order they were given."""
        return [] if self.gebieden is None else list(dict.fromkeys(self.gebieden["gebied"]))

    def members(self, gebied: str) -> list[str]:
        return list(self.gebieden.loc[self.gebieden["gebied"] == gebied, "area_code"])

    def gebied_of(self) -> dict[str, str]:
        """area_code -> gebied for the member areas."""
        return {} if self.gebieden is None else dict(zip(self.gebieden["area_code"], self.gebieden["gebied"]))


def text_column(table: pd.DataFrame, name: str) -> pd.Series:
    """``table[name]``, or empty text in every row where the table has no such column (an IKC table of a
    round written before that column existed, or in the short layout)."""
    return table[name] if name in table.columns else pd.Series("", index=table.index)


def is_true(values: pd.Series) -> pd.Series:
    """True where a text or boolean column says yes (true, 1, ja, x, ...)."""
    return values.map(lambda v: v if isinstance(v, (bool, np.bool_)) else str(v).strip().lower() in TRUE_TEXT)


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
        if column in frame.columns and not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = parse_numbers(frame[column], origin, column)[0]


def _is_demonstration(frame: pd.DataFrame) -> bool:
    return "demonstration" in frame.columns and bool(is_true(frame["demonstration"]).any())


def _explode_members(frame: pd.DataFrame) -> pd.DataFrame:
    """The round layout of gebieden (one row per gebied, members joined by ';') as one row per member."""
    members = frame["designated_members"].fillna("").astype(str).str.split(";")
    long = frame.assign(area_code=members).explode("area_code")
    return long[long["area_code"].str.strip() != ""].drop(columns="designated_members").reset_index(drop=True)


def check_gebieden(frame: pd.DataFrame, known: set[str], origin: str) -> pd.DataFrame:
    """Validate a gebieden table (see module docstring); an area belongs to at most one gebied."""
    frame = internal_columns(frame, GEBIED_COLUMNS)
    if "area_code" not in frame.columns and "designated_members" in frame.columns:
        frame = _explode_members(frame)
    require_columns(frame, ("gebied", "area_code"), origin, "gebieden table")
    frame["gebied"] = frame["gebied"].astype(str).str.strip()
    frame["area_code"] = frame["area_code"].astype(str).str.strip()
    fail_at_first(frame["gebied"] == "", frame.index, origin, lambda i: "gebied has no name")
    _check_codes(frame, known, origin)
    _unique(frame, ["area_code"], origin)
    return frame


def _round_ikcs(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """The round layout of the IKC table (``ikcs.csv``) in the short layout; coordinates may be empty."""
    require_columns(frame, ("name", "plus_ikc", "verkiesbaar", "status", "x_rd", "y_rd"), origin, "IKC table (round layout)")
    plus, eligible = is_true(frame["plus_ikc"]), is_true(frame["verkiesbaar"])
    return pd.DataFrame({
        "name": frame["name"], "x_rd": frame["x_rd"], "y_rd": frame["y_rd"],
        "status": np.where(plus, "plus-ikc", np.where(eligible, "candidate", "other")),
        "area_code": text_column(frame, "wijk_code").fillna(""), "bestuur": text_column(frame, "bevoegd_gezag"),
        "need": text_column(frame, "need"),
        "eligible": eligible, "continuity": frame["status"], "reason": text_column(frame, "toelichting").fillna(""),
        "gebied": text_column(frame, "gebied").fillna(""), "brin": text_column(frame, "brin_vestiging"),
        "ook_gebied": text_column(frame, "ook_gebied").fillna("").astype(str),
    }, index=frame.index)


def check_ikcs(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Validate an IKC table: name, x_rd, y_rd (numbers, EPSG:28992) and a known status; in the
    round layout an IKC without coordinates is kept (it is listed, not drawn)."""
    frame = internal_columns(frame, IKC_COLUMNS)
    round_layout = {"plus_ikc", "verkiesbaar"} <= set(frame.columns)
    frame = _round_ikcs(frame, origin) if round_layout else frame.copy()
    require_columns(frame, ("name", "x_rd", "y_rd", "status"), origin, "IKC table")
    frame["status"] = frame["status"].astype(str).str.strip().str.lower()
    _check_values(frame, "status", IKC_STATUSES, origin)
    _numbers(frame, ("x_rd", "y_rd", "need"), origin)
    if not round_layout:
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
    """Validate a robustness table: p_designated within [0, 1]; rank columns optional (the round's Dutch
    column names are accepted too)."""
    frame = internal_columns(frame, ROBUSTNESS_COLUMNS)
    frame = _per_area(frame, ("area_code", "p_designated"), known, origin, "robustness")
    _numbers(frame, ("p_designated", "rank_p05", "rank_median", "rank_p95"), origin)
    fail_at_first(~frame["p_designated"].between(0, 1), frame.index, origin,
                  lambda i: f"{frame['p_designated'].iloc[i]} is not within 0-1", "p_designated")
    return frame


def check_changes(frame: pd.DataFrame, known: set[str], origin: str) -> pd.DataFrame:
    """Validate a changes table: change is entered, left or stayed (or, in the round layout,
    wijziging is erbij, eraf or gebleven)."""
    frame = internal_columns(frame, CHANGE_COLUMNS)
    if "change" not in frame.columns and "wijziging" in frame.columns:
        frame = frame.rename(columns={"wijziging": "change", "rang_oud": "previous_rank", "score_oud": "previous_score"})
        frame["change"] = frame["change"].astype(str).str.strip().map(lambda v: CHANGE_CODES.get(v, v))
    frame = _per_area(frame, ("area_code", "change"), known, origin, "changes")
    frame["change"] = frame["change"].astype(str).str.strip().str.lower()
    _check_values(frame, "change", CHANGES, origin)
    _numbers(frame, ("previous_rank", "previous_score"), origin)
    return frame


CHECKS = {
    "gebieden": lambda frame, known, origin: check_gebieden(frame, known, origin),
    "ikcs": lambda frame, known, origin: check_ikcs(frame, origin),
    "robustness": lambda frame, known, origin: check_robustness(frame, known, origin),
    "changes": lambda frame, known, origin: check_changes(frame, known, origin),
}


def make_overlays(known: set[str], gebieden=None, ikcs=None, robustness=None, changes=None,
                  demonstration: list[str] | None = None, **round_info) -> Overlays:
    """Check in-memory tables (for example from the designation step) into :class:`Overlays`;
    ``round_info``: ``round_year``, ``previous_year``, ``history``."""
    given = {"gebieden": gebieden, "ikcs": ikcs, "robustness": robustness, "changes": changes}
    tables = {name: None if frame is None else CHECKS[name](frame, known, name) for name, frame in given.items()}
    return Overlays(**tables, demonstration=list(demonstration or []), **round_info)


def read_overlays(known: set[str], gebieden: Path | None = None, ikcs: Path | None = None,
                  robustness: Path | None = None, changes: Path | None = None, **round_info) -> Overlays:
    """Read the optional tables from files (CSV or Excel, either layout); errors name the file and row."""
    tables, demo = {}, []
    for name, path in {"gebieden": gebieden, "ikcs": ikcs, "robustness": robustness, "changes": changes}.items():
        if path is None:
            tables[name] = None
            continue
        frame = _read(Path(path))
        tables[name] = CHECKS[name](frame, known, str(path))
        if _is_demonstration(frame):
            demo.append(name)
    return Overlays(**tables, demonstration=demo, **round_info)


def _read(path: Path) -> pd.DataFrame:
    """A result table: a CSV in the Dutch dialect (';' separated, so a decimal comma, as the round's own
    files) with its numbers read, else any table as text (:func:`aandacht.inputs.reading.read_table`)."""
    if path.suffix.lower() == ".csv" and path.is_file():
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
        if ";" in header:
            return read_csv_nl(path)
    return read_table(path)


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
