"""CBS onderwijsachterstanden (OAB): three layouts (``layout`` in the input, or detected).

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
* ``schoolweging``: the Inspectie workbook, one sheet per school year plus a three-year
  average sheet; a BRIN (4 characters) + vestigingsnummer or a six-character code, and the
  schoolweging (about 20 to 40). Per area and sheet: the mean schoolweging of the schools
  in it, weighted by pupils where the sheet or the school table gives them (period = sheet
  name). Only written from the documented format (no real file was available).
* ``dashboard``: a per-wijk export (area, period, share or number of children with an
  expected disadvantage), read by the generic loader with a preset layout (Regio, Periode),
  overridable with ``table``. Only written from the documented format.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ...config import InputSpec, TableLayout
from ...errors import ConfigError, DataError
from ..reading import parse_numbers, read_table, require_columns, sheet_names
from ..tidy import validate_tidy
from .base import LoadResult
from .generic import load_generic
from .schools import aggregate_scores, area_rows, place_schools, read_locations

BRIN_HEADER = "School (BRIN vestiging)"
TABLE1 = {BRIN_HEADER: "brin_vestiging", "Aantal bekostigde leerlingen": "leerlingen",
          "Achterstandsscore": "achterstandsscore"}
TABLE2 = {BRIN_HEADER: "brin_vestiging", "Achterstandsscore zonder drempel": "achterstandsscore_zonder_drempel",
          "Achterstandsscore zonder drempel (onderbouw)": "achterstandsscore_zonder_drempel_onderbouw",
          "Achterstandsscore zonder drempel (bovenbouw)": "achterstandsscore_zonder_drempel_bovenbouw"}
SCORES = ("achterstandsscore", "achterstandsscore_zonder_drempel")
BRIN = re.compile(r"^[0-9A-Z]{4}\d{2}$")
DASHBOARD = TableLayout(area_column="Regio", period_column="Periode")


def load_oab(spec: InputSpec, registry) -> LoadResult:
    layout = spec.layout
    if layout == "auto":
        names = sheet_names(spec.path) if spec.path.suffix.lower() in (".xlsx", ".xlsm", ".ods", ".xls") else []
        layout = "school_file" if {"Tabel 1", "Tabel 2"} <= set(names) else "schoolweging" if names else "dashboard"
    if layout == "dashboard":
        table = DASHBOARD if spec.table is None else DASHBOARD.model_copy(
            update={k: getattr(spec.table, k) for k in spec.table.model_fields_set})
        return load_generic(spec.model_copy(update={"loader": "generic", "table": table}), registry)
    if spec.schools is None:
        raise ConfigError(f"{spec.path}: the oab {layout} layout needs 'schools' (a school table or DUO list placing the schools)")
    if layout == "school_file":
        return _school_file(spec, registry)
    return _schoolweging(spec, registry)


def _sheet(path, sheet: str, columns: dict[str, str]) -> pd.DataFrame:
    frame = read_table(path, dtype=str, sheet=sheet, expect=(BRIN_HEADER,))
    frame.columns = [" ".join(str(c).split()) for c in frame.columns]
    require_columns(frame, tuple(columns), f"{path} sheet {sheet!r}", "the sheet")
    notes = [c for c in frame.columns if c.startswith("unnamed_")]
    out = frame.rename(columns=columns)[list(columns.values())]
    out["voetnoot"] = frame[notes[0]].fillna("").str.strip() if notes else ""
    out["brin_vestiging"] = out["brin_vestiging"].fillna("").str.strip().str.upper()
    out = out[out["brin_vestiging"].str.match(BRIN)].copy()  # drops the footnote rows under the table
    for column in columns.values():
        if column != "brin_vestiging":
            out[column] = parse_numbers(out[column], f"{path} sheet {sheet!r}", column)[0]
    return out


def read_school_file(path) -> pd.DataFrame:
    """Tabel 1 and Tabel 2 joined on BRIN vestiging, numbers parsed, footnotes kept."""
    first, second = _sheet(path, "Tabel 1", TABLE1), _sheet(path, "Tabel 2", TABLE2)
    return first.merge(second, on="brin_vestiging", how="outer", suffixes=("", "_t2"))


def read_school_places(spec: InputSpec, registry) -> pd.DataFrame:
    """brin_vestiging, name, area_code ("" = unplaced) from ``spec.schools``."""
    from ..harmonise import read_pc4_allocation
    from .duo import place_by_postcode, read_duo

    origin = str(spec.schools)
    header = read_table(spec.schools, dtype=str, allow_empty=True).columns
    locations = read_locations(spec.locations) if spec.locations else None
    if "BRIN NUMMER" in {str(c).strip().upper() for c in header}:
        schools = read_duo(spec.schools)
        schools["wijk_code"] = ""
        codes = place_schools(schools, registry, origin, locations)
        if spec.pc4_allocation:
            by_postcode = place_by_postcode(schools, read_pc4_allocation(spec.pc4_allocation, set(registry.table.index)))
            codes = codes.where(codes != "", by_postcode)
    else:
        schools = read_table(spec.schools, dtype=str).fillna("")
        require_columns(schools, ("brin_vestiging", "name"), origin, "school table")
        schools["brin_vestiging"] = schools["brin_vestiging"].str.strip().str.upper()
        schools["wijk_code"] = schools.get("wijk_code", pd.Series("", index=schools.index)).str.strip()
        for column in ("x_rd", "y_rd", "leerlingen"):
            if column in schools.columns:
                schools[column] = parse_numbers(schools[column], origin, column)[0]
        codes = place_schools(schools, registry, origin, locations)
    keep = ["brin_vestiging", "name"] + (["leerlingen"] if "leerlingen" in schools.columns else [])
    return schools[keep].assign(area_code=codes.to_numpy()).rename(columns={"leerlingen": "leerlingen_registry"})


def _school_file(spec: InputSpec, registry) -> LoadResult:
    origin = str(spec.path)
    scores = read_school_file(spec.path)
    places = read_school_places(spec, registry)
    if spec.pupil_origin:
        return _by_pupil_origin(spec, registry, scores, places)
    schools = places.merge(scores, on="brin_vestiging", how="inner")
    result = aggregate_scores(schools, spec, registry, origin, SCORES)
    lacking = sorted(set(places["brin_vestiging"]) - set(scores["brin_vestiging"]))
    if lacking:
        result.notes.append(f"{origin}: {len(lacking)} school(s) of {spec.schools} have no score in this file: {', '.join(lacking)}")
    flagged = schools.loc[schools["voetnoot"].str.contains("a"), "brin_vestiging"]
    if len(flagged):
        result.notes.append(f"{origin}: {len(flagged)} school score(s) with footnote a (at most 40 pupils, unreliable): "
                            + ", ".join(flagged))
    return result


def _by_pupil_origin(spec: InputSpec, registry, scores: pd.DataFrame, places: pd.DataFrame) -> LoadResult:
    """Spread each school's score over the home areas of its pupils (module docstring)."""
    path = spec.pupil_origin
    origin_table = read_table(path, dtype=str)
    require_columns(origin_table, ("brin_vestiging", "area_code", "leerlingen"), path, "pupil-origin table")
    origin_table["brin_vestiging"] = origin_table["brin_vestiging"].str.strip().str.upper()
    origin_table["area_code"] = origin_table["area_code"].str.strip()
    origin_table["leerlingen"] = parse_numbers(origin_table["leerlingen"], str(path), "leerlingen")[0]
    unknown = sorted(set(origin_table["area_code"]) - set(registry.table.index))
    notes = [f"{spec.path}: scores spread over pupils' home areas with {path}"]
    if unknown:
        notes.append(f"{path}: {len(unknown)} home area code(s) not in the registry, their pupils are not counted: {unknown[:10]}")
    merged = origin_table[~origin_table["area_code"].isin(unknown)].merge(scores, on="brin_vestiging", how="left")
    no_score = sorted(set(merged.loc[merged["leerlingen_y"].isna(), "brin_vestiging"]))
    if no_score:
        notes.append(f"{path}: {len(no_score)} school(s) without a score in {spec.path}: {', '.join(no_score)}")
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


def _schoolweging(spec: InputSpec, registry) -> LoadResult:
    origin = str(spec.path)
    places = read_school_places(spec, registry)
    rows, notes = [], []
    for sheet in sheet_names(spec.path):
        frame = read_table(spec.path, dtype=str, sheet=sheet, expect=("BRIN", "brin_vestiging", "BRIN_NUMMER"))
        columns = {re.sub(r"[^a-z]", "", str(c).lower()): c for c in frame.columns}
        weging = next((columns[k] for k in columns if k.startswith("schoolweging")), None)
        if weging is None:
            raise DataError(f"{origin} sheet {sheet!r}: no schoolweging column; columns are {list(frame.columns)[:10]}")
        brin = frame[columns.get("brin", columns.get("brinnummer", columns.get("brinvestiging")))].fillna("").str.strip().str.upper()
        number = columns.get("vestigingsnummer", columns.get("vestiging"))
        if number is not None:
            brin = brin.str[:4] + frame[number].fillna("").str.strip().str.zfill(2)
        table = pd.DataFrame({"brin_vestiging": brin,
                              "schoolweging": parse_numbers(frame[weging], f"{origin} sheet {sheet!r}", weging)[0]})
        pupils_column = next((columns[k] for k in columns if "leerling" in k), None)
        if pupils_column:
            table["leerlingen"] = parse_numbers(frame[pupils_column], origin, pupils_column)[0]
        table = table.merge(places, on="brin_vestiging", how="inner")
        if "leerlingen" not in table:
            table["leerlingen"] = table["leerlingen_registry"] if "leerlingen_registry" in table else 1.0
            notes.append(f"{origin} sheet {sheet!r}: no pupil numbers; weighted by "
                         + ("the school table's leerlingen" if "leerlingen_registry" in places else "school (unweighted)"))
        placed = table[(table["area_code"] != "") & table["schoolweging"].notna() & table["leerlingen"].notna()]
        level = registry.table.loc[placed["area_code"].iloc[0], "level"] if len(placed) else "wijk"
        areas = registry.table.index[registry.table["level"] == level]
        weighted = (placed["schoolweging"] * placed["leerlingen"]).groupby(placed["area_code"]).sum().reindex(areas)
        pupils = placed.groupby("area_code")["leerlingen"].sum().reindex(areas)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(pupils > 0, weighted / pupils, np.nan)
        part = area_rows(spec, registry, areas, level, "schoolweging", value, None, pupils.to_numpy(), "schoolweging")
        rows.append(part.assign(period=str(sheet).strip()))
        notes.append(f"{origin} sheet {sheet!r}: {len(placed)} placed school(s) with a schoolweging")
    return LoadResult(validate_tidy(pd.concat(rows, ignore_index=True), origin), notes)
