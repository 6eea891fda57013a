"""Onderwijsachterstanden (OAB): four layouts (``layout`` in the input, or detected).

* ``school_file``: the CBS workbook "Achterstandsscores basisscholen" (verified on the real
  2019 file): sheet "Tabel 1" (School (BRIN vestiging), Aantal bekostigde leerlingen,
  Achterstandsscore, footnote a = at most 40 pupils, unreliable) and "Tabel 2" (score
  without threshold, onderbouw, bovenbouw, footnotes b, c), title rows above the header and
  footnote rows below the data. Schools are placed through ``schools`` (an aandacht school
  table with wijk_code or x_rd/y_rd, or a DUO list placed by postcode) and aggregated as in
  :mod:`aandacht.inputs.sources.schools` (pupil-weighted score per 100 pupils). With
  ``pupil_origin`` (CSV brin_vestiging, area_code, leerlingen: where a school's pupils live)
  a school's score is spread over its pupils' home areas instead:
  numerator_j = sum_i p_ij x s_i / n_i, denominator_j = sum_i p_ij, value = 100 x num / den.
* ``schoolweging`` and ``leerresultaten``: the Inspectie van het Onderwijs's workbooks per
  object van toezicht (verified on the real files; :mod:`aandacht.inputs.sources.inspectie`).
* ``dashboard``: a per-wijk export (area, period, share or number of children with an
  expected disadvantage), read by the generic loader with a preset layout (Regio, Periode),
  overridable with ``table``. Only written from the documented format.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ...config import InputSpec, TableLayout
from ...errors import ConfigError
from ..reading import EXCEL_SUFFIXES, parse_numbers, read_table, require_columns, sheet_names
from ..tidy import validate_tidy
from .base import LoadResult
from .generic import load_generic
from .inspectie import load_leerresultaten, load_schoolweging
from .placing import read_school_places
from .schools import aggregate_scores, area_rows

BRIN_HEADER = "School (BRIN vestiging)"
TABLE1 = {BRIN_HEADER: "brin_vestiging", "Aantal bekostigde leerlingen": "leerlingen",
          "Achterstandsscore": "achterstandsscore"}
TABLE2 = {BRIN_HEADER: "brin_vestiging", "Achterstandsscore zonder drempel": "achterstandsscore_zonder_drempel",
          "Achterstandsscore zonder drempel (onderbouw)": "achterstandsscore_zonder_drempel_onderbouw",
          "Achterstandsscore zonder drempel (bovenbouw)": "achterstandsscore_zonder_drempel_bovenbouw"}
SCORES = ("achterstandsscore", "achterstandsscore_zonder_drempel")
BRIN = re.compile(r"^[0-9A-Z]{4}\d{2}$")
DASHBOARD = TableLayout(area_column="Regio", period_column="Periode")


def load_oab(spec: InputSpec, registry, needed: frozenset[str] | None = None) -> LoadResult:
    """Read one of the OAB layouts (module docstring); ``needed`` is not used (few indicators)."""
    layout = spec.layout if spec.layout != "auto" else detect_layout(spec.path)
    if layout == "dashboard":
        table = DASHBOARD if spec.table is None else DASHBOARD.model_copy(
            update={k: getattr(spec.table, k) for k in spec.table.model_fields_set})
        return load_generic(spec.model_copy(update={"loader": "generic", "table": table}), registry, needed)
    if spec.schools is None:
        raise ConfigError(f"{spec.path}: the oab {layout} layout needs 'schools' (a school table or DUO list placing the schools)")
    if layout == "school_file":
        return _school_file(spec, registry)
    if layout == "leerresultaten":
        return load_leerresultaten(spec, registry)
    return load_schoolweging(spec, registry)


def detect_layout(path) -> str:
    """The OAB layout of a file: by its sheets (workbook) or its header (text)."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        names = set(sheet_names(path, hidden=True))
        if {"Tabel 1", "Tabel 2"} <= names:
            return "school_file"
        if "Data" in names:
            return "leerresultaten"
        return "schoolweging"
    header = {str(c).strip().lower() for c in read_table(path, allow_empty=True).columns}
    if "ovt" in header:
        return "leerresultaten" if any("%1f" in c for c in header) else "schoolweging"
    return "dashboard"


def _sheet(path, sheet: str, columns: dict[str, str]) -> pd.DataFrame:
    frame = read_table(path, sheet=sheet, expect=(BRIN_HEADER,))
    frame.columns = [" ".join(str(c).split()) for c in frame.columns]
    require_columns(frame, tuple(columns), f"{path} sheet {sheet!r}", "the sheet")
    notes = [c for c in frame.columns if c.startswith("unnamed_")]
    out = frame.rename(columns=columns)[list(columns.values())]
    out["voetnoot"] = frame[notes[0]].fillna("").str.strip() if notes else ""
    out["brin_vestiging"] = out["brin_vestiging"].fillna("").str.strip().str.upper()
    out = out[out["brin_vestiging"].str.match(BRIN)].copy()  # drops the footnote rows under the table
    for column in columns.values():
        if column != "brin_vestiging":
            out[column] = parse_numbers(out[column], f"{path} sheet {sheet!r}", column, count=column == "leerlingen")[0]
    return out


def read_school_file(path) -> pd.DataFrame:
    """Tabel 1 and Tabel 2 joined on BRIN vestiging, numbers parsed, footnotes kept."""
    first, second = _sheet(path, "Tabel 1", TABLE1), _sheet(path, "Tabel 2", TABLE2)
    return first.merge(second, on="brin_vestiging", how="outer", suffixes=("", "_t2"))


def _school_file(spec: InputSpec, registry) -> LoadResult:
    origin = str(spec.path)
    scores = read_school_file(spec.path)
    places = read_school_places(spec, registry)
    if spec.pupil_origin:
        return _by_pupil_origin(spec, registry, scores, places)
    schools = places.merge(scores, on="brin_vestiging", how="inner")
    result = aggregate_scores(schools, spec, registry, origin, SCORES)
    result.notes[1:1] = places.attrs.get("notes", [])
    lacking = sorted(set(places["brin_vestiging"]) - set(scores["brin_vestiging"]))
    if lacking:
        result.notes.append(f"{origin}: {len(lacking)} school(en) uit {spec.schools} zonder score in dit bestand: {', '.join(lacking)}")
    flagged = schools.loc[schools["voetnoot"].str.contains("a"), "brin_vestiging"]
    if len(flagged):
        result.notes.append(f"{origin}: {len(flagged)} schoolscore(s) met voetnoot a (hoogstens 40 leerlingen, onbetrouwbaar): "
                            + ", ".join(flagged))
    return result


def _by_pupil_origin(spec: InputSpec, registry, scores: pd.DataFrame, places: pd.DataFrame) -> LoadResult:
    """Spread each school's score over the home areas of its pupils (module docstring)."""
    path = spec.pupil_origin
    origin_table = read_table(path)
    require_columns(origin_table, ("brin_vestiging", "area_code", "leerlingen"), path, "pupil-origin table")
    origin_table["brin_vestiging"] = origin_table["brin_vestiging"].str.strip().str.upper()
    origin_table["area_code"] = origin_table["area_code"].str.strip()
    origin_table["leerlingen"] = parse_numbers(origin_table["leerlingen"], str(path), "leerlingen", count=True)[0]
    unknown = sorted(set(origin_table["area_code"]) - set(registry.table.index))
    notes = [f"{spec.path}: scores verdeeld over de woongebieden van de leerlingen met {path}"]
    if unknown:
        notes.append(f"{path}: {len(unknown)} woongebiedcode(s) niet in het register; hun leerlingen tellen niet mee: {unknown[:10]}")
    merged = origin_table[~origin_table["area_code"].isin(unknown)].merge(scores, on="brin_vestiging", how="left")
    no_score = sorted(set(merged.loc[merged["leerlingen_y"].isna(), "brin_vestiging"]))
    if no_score:
        notes.append(f"{path}: {len(no_score)} school(en) zonder score in {spec.path}: {', '.join(no_score)}")
    merged = merged[merged["leerlingen_y"] > 0]
    level = registry.table.loc[merged["area_code"].iloc[0], "level"] if len(merged) else "wijk"
    areas = registry.table.index[registry.table["level"] == level]
    rows = []
    for score in SCORES:
        share = merged["leerlingen_x"] * merged[score] / merged["leerlingen_y"]
        numerator = share.groupby(merged["area_code"]).sum(min_count=1).reindex(areas)
        pupils = merged.loc[merged[score].notna()].groupby("area_code")["leerlingen_x"].sum().reindex(areas)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(pupils > 0, 100 * numerator / pupils, np.nan)
        rows.append(area_rows(spec, registry, areas, level, f"{score}_per_100_leerlingen", value,
                              numerator.to_numpy(), pupils.to_numpy(), "per 100 leerlingen"))
    return LoadResult(validate_tidy(pd.concat(rows, ignore_index=True), str(spec.path)), notes)
