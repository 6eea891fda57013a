"""A round folder as the next round reads it.

A herijking writes ``rounds/<R>/``; the next round (and ``aandacht compare``, the maps and report of
``--round-dir`` and the trend over ``--rounds-dir``) reads back ``ronde.json`` (round year,
continuity rules, the aandachtsgebieden with their areas, the Plus-IKCs with their start year and
need figures) and the tables ``wijken.csv``, ``indicatoren.csv`` and ``ikcs.csv``, in the Dutch
dialect of :func:`aandacht.inputs.reading.read_csv_nl` (:func:`read_round_table`: the columns under their
published Dutch names, or the English ones of rounds written before those, :data:`ROUND_COLUMNS`). A round is trusted only when it proves
itself (:func:`open_round`):

1. every file is as the round wrote it: its SHA-256 equals the one ``manifest.json`` records
   (:func:`require_unchanged`);
2. ``ronde.json`` has the shape aandacht writes (:func:`check_meta`): the year a whole number from
   1990 to 2100, the gemeente a code and a name (text), the level text, every number finite, the
   Plus-IKCs with a BRIN, a name and a start year not after the round. Keys it does not know are
   accepted (a later aandacht may record more);
3. its areas are its gemeente's (:func:`require_own_areas`): every CBS wijk or buurt code in
   ``wijken.csv`` and among the gebieden carries the gemeente's number (WK0080.. for GM0080) and
   the level's prefix, so a round of another gemeente relabelled (hashes rewritten) is refused;
4. where a config reads it, it is of the config's gemeente and level.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..decide.select import PreviousPlus
from ..digest import changed_outputs
from ..dutch import internal_columns
from ..errors import DataError
from ..inputs.boundaries import LEVEL_PREFIX
from ..inputs.reading import read_csv_nl, require_flags

ROUND_JSON = "ronde.json"
ROUND_CSVS = ("wijken.csv", "indicatoren.csv", "ikcs.csv")
# The yes/no columns the next round reads: ja/nee, or True/False in rounds written before (one parser:
# aandacht.inputs.reading.flag); any other value, an empty cell too, stops the run naming file, row and column.
WIJK_FLAGS = ("aangewezen",)
IKC_FLAGS = ("plus_ikc", "verkiesbaar", "monitoren")
MANIFEST = "manifest.json"
# Per table a later run reads back, the internal names of its columns that are published under a Dutch name
# (aandacht.dutch.COLUMNS_NL); read_round_table takes either name.
ROUND_COLUMNS = {
    "wijken.csv": ("area_code", "area_name", "rule_population", "rule_top_k", "rule_min_score", "rule_probability"),
    "indicatoren.csv": ("area_code", "label"),
    "ikcs.csv": ("name", "need", "score_per_pupil", "score_total", "wijk_score", "pupil_share"),
}


@dataclass
class RoundRecord:
    """A round as the next round sees it: its JSON and its machine-readable tables."""

    year: int
    meta: dict
    wijken: pd.DataFrame
    indicatoren: pd.DataFrame
    ikcs: pd.DataFrame
    source: str = ""


# The years a round may carry: as the command line's --round.
ROUND_YEARS = (1990, 2100)
_CBS_AREA = re.compile(r"^(WK|BU)(\d{4})\d{2,4}$")
_CBS_GEMEENTE = re.compile(r"^GM(\d{4})$")


def read_round(path: Path, gemeente: str | None = None, level: str | None = None) -> RoundRecord:
    """Read a round folder written by ``aandacht herijking`` once it has proved itself (module
    docstring); ``gemeente`` and ``level``: the config's, which the round must be of."""
    path = Path(path)
    meta, wijken = open_round(path, gemeente, level, needed=(ROUND_JSON, *ROUND_CSVS, MANIFEST))
    indicatoren, ikcs = (read_round_table(path, name) for name in ROUND_CSVS[1:])
    ikcs = require_flags(ikcs, IKC_FLAGS, path / "ikcs.csv")
    ikcs["brin_vestiging"] = ikcs["brin_vestiging"].astype(str)
    return RoundRecord(meta["round"], meta, wijken, indicatoren, ikcs, str(path))


def open_round(path: Path, gemeente: str | None = None, level: str | None = None,
               needed: tuple[str, ...] = (ROUND_JSON, "wijken.csv", MANIFEST)) -> tuple[dict, pd.DataFrame]:
    """The checked ``ronde.json`` and ``wijken.csv`` of a round folder (module docstring, steps 1-4)."""
    path = Path(path)
    if not path.is_dir():
        raise DataError(f"{path}: round folder not found")
    missing = [name for name in needed if not (path / name).is_file()]
    if missing:
        raise DataError(f"{path}: not a round folder (missing {missing}); it must be written by 'aandacht herijking'")
    require_unchanged(path, recorded_outputs(path))
    meta = read_meta(path / ROUND_JSON)
    wijken = read_round_table(path, "wijken.csv")
    if "area_code" not in wijken.columns:
        raise DataError(f"{path / 'wijken.csv'}: has no gebiedscode column; it must be written by 'aandacht herijking'")
    wijken = require_flags(wijken, WIJK_FLAGS, path / "wijken.csv")
    wijken["area_code"] = wijken["area_code"].astype(str)
    require_own_areas(meta, wijken["area_code"], path)
    origin = path / ROUND_JSON
    if gemeente is not None and meta["gemeente"]["code"] != gemeente:
        raise DataError(f"{origin}: the round is of gemeente {meta['gemeente']['code']} ({meta['gemeente']['name']}), "
                        f"not of the config's {gemeente}")
    if level is not None and meta.get("level", level) != level:
        raise DataError(f"{origin}: the round ranks areas of level {meta['level']!r}, the config {level!r}")
    return meta, wijken


def read_round_table(folder: Path, name: str) -> pd.DataFrame:
    """The table ``name`` of a round folder (:data:`ROUND_COLUMNS`) with its columns under their internal names,
    from the Dutch names it is written with or the English ones of a round written before
    (:func:`aandacht.dutch.internal_columns`); ja/nee and True/False are both read as booleans
    (:func:`aandacht.inputs.reading.read_csv_nl`)."""
    return internal_columns(read_csv_nl(Path(folder) / name), ROUND_COLUMNS[name])


def read_meta(path: Path) -> dict:
    """``ronde.json`` parsed and checked (:func:`check_meta`); ``NaN``/``Infinity`` are not JSON."""
    def no_constant(name: str):
        raise ValueError(f"{name} is not a number JSON allows")

    try:
        meta = json.loads(path.read_text(encoding="utf-8"), parse_constant=no_constant)
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise DataError(f"{path}: unreadable round file ({' '.join(str(error).split())})") from None
    return check_meta(meta, path)


def check_meta(meta, origin) -> dict:
    """``meta`` when it has the shape ``aandacht herijking`` writes (module docstring, step 2), else
    :class:`DataError` naming the key and what it holds. Unknown keys are accepted."""
    def refuse(key: str, value, what: str):
        shown = repr(value)
        raise DataError(f"{origin}: {key} is {shown[:60] + ('...' if len(shown) > 60 else '')}; {what}")

    def year(key: str, value, optional: bool = False):
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int) or not ROUND_YEARS[0] <= value <= ROUND_YEARS[1]:
            refuse(key, value, f"expected a year from {ROUND_YEARS[0]} to {ROUND_YEARS[1]} (a whole number)")

    def text(key: str, value):
        if not isinstance(value, str) or not value.strip():
            refuse(key, value, "expected text")

    if not isinstance(meta, dict):
        refuse("the file", type(meta).__name__, "expected an object with the round's keys")
    year("round", meta.get("round"))
    year("previous_round", meta.get("previous_round"), optional=True)
    if meta.get("previous_round") is not None and meta["previous_round"] >= meta["round"]:
        refuse("previous_round", meta["previous_round"], f"expected a year before the round ({meta['round']})")
    gemeente = meta.get("gemeente")
    if not isinstance(gemeente, dict):
        refuse("gemeente", gemeente, "expected {\"code\": ..., \"name\": ...}")
    text("gemeente.code", gemeente.get("code"))
    text("gemeente.name", gemeente.get("name"))
    if "level" in meta:
        text("level", meta["level"])
    for key in ("aandachtsgebieden", "plus_ikcs"):
        if not isinstance(meta.get(key, []), list):
            refuse(key, meta.get(key), "expected a list")
    for number, entry in enumerate(meta.get("aandachtsgebieden", [])):
        where = f"aandachtsgebieden[{number}]"
        if not isinstance(entry, dict):
            refuse(where, entry, "expected {\"gebied\": ..., \"areas\": [...]}")
        text(f"{where}.gebied", entry.get("gebied"))
        if not isinstance(entry.get("areas"), list) or not all(isinstance(a, str) for a in entry["areas"]):
            refuse(f"{where}.areas", entry.get("areas"), "expected a list of area codes")
    for number, entry in enumerate(meta.get("plus_ikcs", [])):
        where = f"plus_ikcs[{number}]"
        if not isinstance(entry, dict):
            refuse(where, entry, "expected an object with brin_vestiging, name, start_year")
        text(f"{where}.brin_vestiging", entry.get("brin_vestiging"))
        text(f"{where}.name", entry.get("name"))
        year(f"{where}.start_year", entry.get("start_year"))
        if entry["start_year"] > meta["round"]:
            refuse(f"{where}.start_year", entry["start_year"], f"expected a year not after the round ({meta['round']})")
        figures = entry.get("figures", {})
        if not isinstance(figures, dict):
            refuse(f"{where}.figures", figures, "expected an object of numbers")
        for name, value in figures.items():
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or not math.isfinite(value)):
                refuse(f"{where}.figures.{name}", value, "expected a finite number or null")
    _require_finite(meta, origin, "")
    return meta


def _require_finite(value, origin, key: str) -> None:
    """No infinite number anywhere (1e999 is read as infinity), keys it does not know included."""
    if isinstance(value, float) and not math.isfinite(value):
        raise DataError(f"{origin}: {key.lstrip('.') or 'a value'} is {value}; expected a finite number")
    if isinstance(value, dict):
        for name, item in value.items():
            _require_finite(item, origin, f"{key}.{name}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            _require_finite(item, origin, f"{key}[{number}]")


def require_own_areas(meta: dict, codes, folder: Path) -> None:
    """Every CBS wijk or buurt code of the round (``codes``, its ``wijken.csv``, and the gebieden's
    areas) carries the number of the round's gemeente and the prefix of its level (module docstring,
    step 3). Codes of another shape (units that are not CBS areas) are not checked here."""
    own = _CBS_GEMEENTE.match(meta["gemeente"]["code"])
    if own is None:
        return
    prefix = LEVEL_PREFIX.get(meta.get("level", ""))
    listed = [(folder / "wijken.csv", str(code)) for code in codes]
    listed += [(folder / ROUND_JSON, code) for entry in meta.get("aandachtsgebieden", []) for code in entry["areas"]]
    for origin, code in listed:
        shape = _CBS_AREA.match(code)
        if shape is not None and (shape.group(2) != own.group(1) or (prefix and shape.group(1) != prefix)):
            raise DataError(f"{origin}: area {code} is not a {meta.get('level', 'area')} of gemeente "
                            f"{meta['gemeente']['code']}, which the round says it is of; a round of another gemeente "
                            "cannot be read as this one's")


def recorded_outputs(path: Path) -> dict[str, str]:
    """The ``outputs`` of a round folder's manifest: file name -> the SHA-256 recorded when written."""
    manifest_path = Path(path) / MANIFEST
    try:
        outputs = json.loads(manifest_path.read_text(encoding="utf-8")).get("outputs")
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as error:
        raise DataError(f"{manifest_path}: not a manifest written by aandacht ({error})") from None
    if not isinstance(outputs, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in outputs.items()):
        raise DataError(f"{manifest_path}: not a manifest written by aandacht (no 'outputs' with the files' SHA-256)")
    return outputs


def require_unchanged(path: Path, outputs: dict[str, str]) -> None:
    """Refuse a round folder with a file missing or changed since it was written
    (:func:`aandacht.digest.changed_outputs`): a round is a record, and an edited record would pass
    its edits on unseen to the next round's comparison, maps and report."""
    problems = changed_outputs(path, outputs)
    if problems:
        raise DataError(f"{path}/{problems[0]}; a round is read back only as it was recorded: restore the file "
                        f"(see 'aandacht verify {path}')")


def previous_plus(record: RoundRecord) -> list[PreviousPlus]:
    """The Plus-IKCs of a round with their start year and need figures (checked by :func:`check_meta`)."""
    return [PreviousPlus(p["brin_vestiging"], p["name"], p["start_year"], dict(p.get("figures", {})))
            for p in record.meta.get("plus_ikcs", [])]

