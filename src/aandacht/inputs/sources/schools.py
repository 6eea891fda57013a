"""School achterstandsscores aggregated to the areas the schools stand in.

Input: a school registry table, one row per vestiging, with at least brin_vestiging,
name, leerlingen (bekostigde leerlingen) and the CBS achterstandsscore columns
(CBS, "Achterstandsscores basisscholen", the school score behind the OAB allocation
since 2019), plus either ``wijk_code`` or coordinates (``x_rd``/``y_rd`` in EPSG:28992)
for placing the school by point in polygon on the registry's geometry.

Per area and score column s the indicator is the pupil-weighted score per 100 pupils:

    s_per_100_leerlingen(area) = 100 * sum(s_i) / sum(leerlingen_i),  i = schools in the area

with numerator sum(s_i) and denominator sum(leerlingen_i), so the reliability rule
(min_denominator) works on the number of pupils. Areas without a school get no value
(flag not_applicable), or, when some schools with a score could not be placed, flag
``schools_unplaced``: the area may hold one of them. Schools that cannot be placed are listed in
the notes, never dropped silently.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...config import InputSpec
from ...errors import DataError
from ...text import first_of
from ..areas import area_of_points
from ..codes import check_codes
from ..reading import fail_at_first, parse_numbers, read_table, require_columns
from ..tidy import validate_tidy
from .base import LoadResult

SCORE_COLUMNS = ("achterstandsscore", "achterstandsscore_zonder_drempel")
REQUIRED = ("brin_vestiging", "name", "leerlingen", *SCORE_COLUMNS)


def read_schools(spec: InputSpec) -> pd.DataFrame:
    """Read the school registry, parse its numbers and check BRIN codes are unique."""
    origin = str(spec.path)
    frame = read_table(spec.path)
    require_columns(frame, REQUIRED, origin, "school table")
    frame["brin_vestiging"] = frame["brin_vestiging"].fillna("").str.strip().str.upper()
    _unique_brin(frame, origin)
    for column in ("leerlingen", *SCORE_COLUMNS, "x_rd", "y_rd"):
        if column in frame.columns:
            frame[column] = parse_numbers(frame[column], origin, column, count=column == "leerlingen")[0]
    fail_at_first(frame["leerlingen"] < 0, frame.index, origin, lambda i: "negative number of pupils", "leerlingen")
    frame["wijk_code"] = frame.get("wijk_code", pd.Series("", index=frame.index)).fillna("").str.strip()
    return frame


def placed_level(codes: pd.Series, registry, origin: str, what: str) -> tuple[str, pd.Index]:
    """The one level of the areas that ``codes`` place units in ('' = not placed; 'wijk' when none is
    placed) and every area of that level; units placed in areas of two levels are an error naming
    ``what`` ("schools", "vestigingen", "objecten van toezicht")."""
    placed = pd.unique(codes[codes != ""])
    levels = sorted(set(registry.table.loc[placed, "level"])) if len(placed) else ["wijk"]
    if len(levels) > 1:
        raise DataError(f"{origin}: {what} are placed in areas of different levels {levels}")
    return levels[0], registry.table.index[registry.table["level"] == levels[0]]


def read_locations(path) -> pd.Series:
    """The analyst's location table (brin_vestiging, wijk_code, reason) as a Series by BRIN."""
    table = read_table(path, allow_empty=True).fillna("")
    require_columns(table, ("brin_vestiging", "wijk_code", "reason"), path, "location table")
    table["brin_vestiging"] = table["brin_vestiging"].str.strip().str.upper()
    _unique_brin(table, path)
    return table.set_index("brin_vestiging")["wijk_code"].str.strip()


def _unique_brin(frame: pd.DataFrame, origin) -> None:
    """Every brin_vestiging of the published shape (:mod:`aandacht.inputs.codes`) and none twice."""
    check_codes(frame["brin_vestiging"], frame.index, origin, "brin_vestiging")
    fail_at_first(frame["brin_vestiging"].duplicated(), frame.index, origin,
                  lambda i: f"duplicate brin_vestiging {frame['brin_vestiging'].iloc[i]}")


GEOCODED_COLUMNS = ("brin_vestiging", "x_rd", "y_rd", "wijk_code", "buurt_code")
UNPLACED_COLUMNS = ["brin_vestiging", "name", "figure", "reason"]


def read_geocoded(path) -> tuple[pd.DataFrame | None, list[str]]:
    """The table of ``aandacht fetch locations`` (GEOCODED_COLUMNS; the PDOK Locatieserver's BAG point and
    CBS codes per school), indexed by BRIN; a file that does not exist (yet) gives None and a note."""
    if path is None:
        return None, []
    if not path.is_file():
        return None, [f"{path}: nog geen gegeocodeerde schoollocaties (`aandacht fetch locations` plaatst ongeplaatste "
                      "scholen naar hun adres)"]
    table = read_table(path, allow_empty=True).fillna("")
    require_columns(table, GEOCODED_COLUMNS, path, "geocoded location table")
    table["brin_vestiging"] = table["brin_vestiging"].str.strip().str.upper()
    _unique_brin(table, path)
    for column in ("x_rd", "y_rd"):
        table[column] = parse_numbers(table[column], str(path), column)[0]
    return table.set_index("brin_vestiging"), [f"{path}: {len(table)} school(en) gegeocodeerd met de PDOK Locatieserver"]


def place_schools(schools: pd.DataFrame, registry, origin: str, locations: pd.Series | None = None,
                  geocoded: pd.DataFrame | None = None) -> pd.Series:
    """Area code per school ("" = unplaced), by precedence:

    1. the analyst's location table (``locations``);
    2. the geocoded table of ``aandacht fetch locations`` (``geocoded``): its BAG point by point in
       polygon on the registry geometry; without a geometry, or outside every polygon, the
       Locatieserver's own buurt code, else its wijk code, when that code is in the registry;
    3. the school table's own ``wijk_code``;
    4. the school table's ``x_rd``/``y_rd`` by point in polygon on the registry geometry.

    Without a registry geometry, points are not placed (the school stays unplaced and is reported)."""
    codes = schools["wijk_code"].copy()
    x = schools.get("x_rd", pd.Series(np.nan, index=schools.index)).astype("float64")
    y = schools.get("y_rd", pd.Series(np.nan, index=schools.index)).astype("float64")
    fixed = pd.Series(False, index=schools.index)
    if geocoded is not None:
        found = schools["brin_vestiging"].isin(geocoded.index)
        rows = geocoded.reindex(schools.loc[found, "brin_vestiging"])
        rows.index = schools.index[found]
        x, y = x.where(~found, rows["x_rd"]), y.where(~found, rows["y_rd"])
        codes = codes.where(~found, "")
        known = registry.table.index
        own = rows["buurt_code"].where(rows["buurt_code"].isin(known), rows["wijk_code"].where(rows["wijk_code"].isin(known), ""))
        fallback = pd.Series("", index=schools.index)
        fallback[found] = own
    if locations is not None:
        from_table = schools["brin_vestiging"].map(locations)
        fixed = from_table.notna() & (from_table != "")
        codes = from_table.where(fixed, codes)
    unknown = sorted(set(codes[codes != ""]) - set(registry.table.index))
    if unknown:
        raise DataError(f"{origin}: wijk_code(s) {unknown} are not in the area registry")
    to_place = (codes == "") & x.notna() & y.notna()
    if to_place.any() and registry.geometry_path is not None:
        codes.loc[to_place] = area_of_points(x[to_place], y[to_place], registry.geometry())
    if geocoded is not None:
        codes = codes.where((codes != "") | fixed, fallback)
    return codes


def school_placing(spec: InputSpec) -> tuple[pd.Series | None, pd.DataFrame | None, list[str]]:
    """The analyst's location table and the geocoded table of an input, with their notes."""
    locations = read_locations(spec.locations) if spec.locations else None
    geocoded, notes = read_geocoded(spec.geocoded)
    return locations, geocoded, notes


def load_school_scores(spec: InputSpec, registry, needed: frozenset[str] | None = None) -> LoadResult:
    """Aggregate school scores to areas (see the module docstring); ``needed`` is not used (few indicators)."""
    origin = str(spec.path)
    schools = read_schools(spec)
    locations, geocoded, notes = school_placing(spec)
    schools["area_code"] = place_schools(schools, registry, origin, locations, geocoded)
    result = aggregate_scores(schools, spec, registry, origin, SCORE_COLUMNS)
    result.notes[1:1] = notes
    return result


def aggregate_scores(schools: pd.DataFrame, spec: InputSpec, registry, origin: str, score_columns) -> LoadResult:
    """Per-area pupil-weighted scores of placed schools (``area_code`` set, "" = unplaced),
    by the formula of the module docstring, plus the number of schools and pupils."""
    notes = [f"{origin}: {len(schools)} scholen"]
    unplaced = schools.loc[schools["area_code"] == "", ["brin_vestiging", "name", *score_columns]]
    scored = unplaced[list(score_columns)].notna().any(axis=1)
    missing = pd.DataFrame({
        "brin_vestiging": unplaced["brin_vestiging"], "name": unplaced["name"],
        "figure": [f"{score_columns[-1]} {value:g}" if value == value else "" for value in unplaced[score_columns[-1]]],
        "reason": "geen gebied: geen coördinaten binnen een gebied, geen wijk_code, geen rij in de locatietabel",
    })[scored.to_numpy()]
    if len(unplaced):
        listing = first_of((f"{b} {n}" for b, n in unplaced[["brin_vestiging", "name"]].itertuples(index=False)),
                           whole="unplaced_schools.csv van check en niet_geplaatst.csv van de ronde")
        notes.append(f"{origin}: {len(unplaced)} school(en) niet in een gebied te plaatsen en niet meegeteld: {listing}")
    placed = schools[schools["area_code"] != ""]
    level, areas = placed_level(placed["area_code"], registry, origin, "schools")
    rows = []
    for score in score_columns:
        with_score = placed[placed[score].notna() & placed["leerlingen"].notna()]
        total = with_score.groupby("area_code")[score].sum().reindex(areas)
        pupils = with_score.groupby("area_code")["leerlingen"].sum().reindex(areas)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(pupils > 0, 100 * total / pupils, np.nan)
        rows.append(area_rows(spec, registry, areas, level, f"{score}_per_100_leerlingen", value,
                              total.to_numpy(), pupils.to_numpy(), "per 100 leerlingen", unplaced=len(missing) > 0))
    count = placed.groupby("area_code").size().reindex(areas).fillna(0).to_numpy(dtype="float64")
    pupils_all = placed.groupby("area_code")["leerlingen"].sum().reindex(areas).fillna(0).to_numpy()
    rows.append(area_rows(spec, registry, areas, level, "scholen", count, None, None, "aantal"))
    rows.append(area_rows(spec, registry, areas, level, "leerlingen", pupils_all, None, None, "aantal"))
    return LoadResult(validate_tidy(pd.concat(rows, ignore_index=True), origin), notes,
                      unplaced=missing.reset_index(drop=True)[UNPLACED_COLUMNS])


def area_rows(spec, registry, areas, level, indicator, value, numerator, denominator, unit,
              unplaced: bool = False) -> pd.DataFrame:
    """Tidy rows of one indicator per area; a missing value is ``not_applicable`` (no school in the area), or
    ``schools_unplaced`` when ``unplaced`` (schools with a figure have no place: the area may hold one)."""
    value = np.asarray(value, dtype="float64")
    return pd.DataFrame({
        "area_code": areas, "area_name": [registry.name(a) for a in areas], "level": level,
        "period": spec.period, "source": spec.source, "indicator": indicator, "value": value,
        "numerator": numerator if numerator is not None else np.nan,
        "denominator": denominator if denominator is not None else np.nan,
        "unit": unit, "flag": np.where(np.isnan(value), "schools_unplaced" if unplaced else "not_applicable", ""),
    })
