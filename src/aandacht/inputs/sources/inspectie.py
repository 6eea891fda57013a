"""The Inspectie van het Onderwijs's open data per school: the schoolweging and the leerresultaten.

Verified on the real files as published (``schoolweging.ods``, "Schoolweging 2021/2022 -
2022/2023 - 2023/2024", peildatum 1 February 2024, and ``leerresultaten.ods``,
"leerresultaten primair onderwijs 2023-2024-2025"), read as downloaded (ODS; xlsx and a CSV
of one sheet in the same columns are read alike).

**Schoolweging** (``oab`` with ``layout: schoolweging``). The workbook holds two text sheets
(``Toelichting``, changes), the three-year sheet ``Driejaarsgemiddelde`` (OVT | Naam | BGNR |
schoolweging 2021-2022, 2022-2023, 2023-2024; clamped by the Inspectie to [20, 40]) and one
sheet per school year (OVT | Naam | BGNR | schoolweging | aantal_leerlingen | spreiding; not
clamped). The sheet is the input's ``sheet``, by default the newest school-year sheet, because
it carries the pupil counts. Higher = more expected disadvantage (nationally about 20 to 40).
Per area:

    schoolweging(area) = sum_i w_i n_i / sum_i n_i,   i = placed schools with a schoolweging

with n_i the school's ``aantal_leerlingen`` (for the three-year sheet: those of the newest
year sheet of the same workbook); numerator sum w_i n_i, denominator sum n_i (the pupils
counted, so ``min_denominator`` judges reliability). Also ``leerlingen`` (pupils counted) and
``scholen`` (schools counted).

**Leerresultaten** (``layout: leerresultaten``, sheet ``Data``): per school the % of pupils
reaching reference level 1F and 1S/2F at the end of primary school, per year and as the
Inspectie's weighted three-year average ("Gewogen driejaarsgemiddelde", with "Totaal aantal
leerlingen 3 jaar"). Percentages are text with a decimal comma beside a schoolweging number
in the same file. Per area the three-year figures of its schools are combined weighted by
their pupils, which is the share of all tested pupils of those schools reaching the level:

    pct_1f(area) = sum_i p_i N_i / sum_i N_i   (and pct_1s2f alike; N_i = pupils over 3 years)

with numerator sum p_i N_i / 100 (pupils reaching it) and denominator sum N_i. The file's own
signs: ``*`` = fewer than 5 pupils (``suppressed``), an empty cell = too little data
(``not_collected``).

**Placing schools.** The key is the Inspectie's *object van toezicht* (OVT, ``03VL|C1``): the
4-character instellingscode plus C1..Cn. It is not a DUO vestiging: one vestiging can hold
several OVTs (C2, C3 ... are other teaching locations) and several vestigingen can form one
OVT (Toelichting of the workbook); there is no official mapping. An OVT is placed, in order:

1. by the analyst's table ``ovt_locations`` (CSV ``ovt`` with ``brin_vestiging`` or
   ``wijk_code``, optional ``reason``);
2. by its instellingscode, when that code has exactly one vestiging in the gemeente's
   school table (``schools``) and the OVT is C1, the hoofdvestiging in the Inspectie's
   numbering; it then stands where that vestiging stands (C2, C3, ... are further teaching
   locations, which may stand elsewhere);
3. by its instellingscode when that code has several vestigingen that all stand in one area: the OVT
   is in that area whichever of them it is;
4. by its name when its instellingscode has several vestigingen in different areas and its name shares
   a distinctive word (not a word for the kind, denomination or part of a school: :data:`GENERIC_SCHOOL_WORDS`)
   with the DUO name of exactly one of them (``04KI|C2`` "EBS De Parel" is vestiging 04KI01 "Evangelische
   Basisschool De Parel"; :func:`named_vestiging`);
5. otherwise it is *ambiguous* when its vestigingen stand in several areas (the note names them and their
   areas), or *unplaced*: a further teaching location (C2, C3, ...) of a single vestiging, whose address is
   not published and need not be the vestiging's, or an instellingscode with a vestiging without area.
   Neither is counted.

Every OVT of the gemeente (instellingscode among its schools, or named in the table) is
reported with how it was placed, or why not. No OVT placed at all is an error.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ...config import InputSpec
from ...errors import DataError
from ..codes import OBJECT_VAN_TOEZICHT, check_codes
from ..reading import EXCEL_SUFFIXES, fail_at_first, parse_values, read_table, require_columns, sheet_names
from ..tidy import validate_tidy
from .base import LoadResult
from .placing import read_school_places
from .schools import area_rows, placed_level

YEAR_SHEET = re.compile(r"^(19|20)\d{2}-(19|20)\d{2}$")
LEERRESULTATEN = {"pct_1f": "Gewogen driejaarsgemiddelde %1F", "pct_1s2f": "Gewogen driejaarsgemiddelde %1S/2F"}
LEERRESULTATEN_PUPILS = "Totaal aantal leerlingen 3 jaar"
# Toelichting of the leerresultaten: '*' = fewer than 5 pupils; an empty cell = too little data.
LEERRESULTATEN_SIGNS = {"*": "suppressed", "": "not_collected"}


def load_schoolweging(spec: InputSpec, registry) -> LoadResult:
    """Pupil-weighted schoolweging per area (module docstring)."""
    origin = str(spec.path)
    schools, notes = read_schoolweging(spec)
    placed, placement_notes, matches = place_ovts(schools, spec, registry)
    notes += placement_notes
    unplaced = _unplaced(schools, matches, "schoolweging")
    used = placed[placed["schoolweging"].notna() & (placed["leerlingen"] > 0)]
    level, areas = placed_level(used["area_code"], registry, origin, "objecten van toezicht")
    weighted = (used["schoolweging"] * used["leerlingen"]).groupby(used["area_code"]).sum().reindex(areas)
    pupils = used.groupby("area_code")["leerlingen"].sum().reindex(areas)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(pupils > 0, weighted / pupils, np.nan)
    count = used.groupby("area_code").size().reindex(areas).fillna(0).to_numpy(dtype="float64")
    rows = [area_rows(spec, registry, areas, level, "schoolweging", value, weighted.to_numpy(), pupils.to_numpy(), "schoolweging",
                      unplaced=len(unplaced) > 0),
            area_rows(spec, registry, areas, level, "leerlingen", pupils.fillna(0).to_numpy(), None, None, "aantal"),
            area_rows(spec, registry, areas, level, "scholen", count, None, None, "aantal")]
    return LoadResult(validate_tidy(pd.concat(rows, ignore_index=True), origin), notes, matches.drop(columns="reason"),
                      unplaced)


def read_schoolweging(spec: InputSpec) -> tuple[pd.DataFrame, list[str]]:
    """The schoolweging sheet of ``spec`` per object van toezicht: ovt, naam, schoolweging, leerlingen
    (module docstring), and a note saying what was read."""
    sheet = _schoolweging_sheet(spec)
    where = str(spec.path) + (f" sheet {sheet!r}" if sheet else "")
    frame = read_table(spec.path, sheet=sheet, expect=("OVT",))
    columns = _columns(frame, where)
    weging = next((c for key, c in columns.items() if key.startswith("schoolweging")), None)
    if weging is None:
        raise DataError(f"{where}: no schoolweging column; columns are {list(frame.columns)}")
    schools = pd.DataFrame({"ovt": _ovt_codes(frame, columns["ovt"], where),
                            "naam": frame[columns["naam"]].str.strip() if "naam" in columns else "",
                            "schoolweging": parse_values(frame[weging], where, weging).values}, index=frame.index)
    label = str(spec.path) + (f" blad {sheet!r}" if sheet else "")  # for the notes, in Dutch
    notes = [f"{label}: {len(schools)} objecten van toezicht, {int(schools['schoolweging'].notna().sum())} met een schoolweging"]
    if "aantal_leerlingen" in columns:
        schools["leerlingen"] = parse_values(frame[columns["aantal_leerlingen"]], where, "aantal_leerlingen", count=True).values
    else:
        schools["leerlingen"], note = _pupils_of_newest_year(spec, schools["ovt"], sheet)
        notes.append(f"{label}: {note}")
    return schools, notes


# Words that say what kind of school, which denomination or which part of a school, not which school: the
# Inspectie's and DUO's names of one school differ in these ("rkbs St. Jozef" and "St Jozef", "EBS De Parel"
# and "Evangelische Basisschool De Parel"), compared after :func:`aandacht.inputs.harmonise.normalise_name`.
GENERIC_SCHOOL_WORDS = frozenset("""
    basisschool basisscholen school scholen bs obs cbs pcbs rkbs gbs ebs rk pc ikc kindcentrum kindcentra integraal
    brede samenwerkingsschool openbare openbaar christelijke christelijk protestants protestantse rooms katholieke
    katholiek gereformeerde evangelische reformatorische speciale speciaal sbo sbao de het t s een en van der den
    in op bij voor locatie loc afd afdeling dependance nevenvestiging st sint ds dr
""".split())


def school_words(name: str) -> set[str]:
    """The distinctive words of a school's name (:data:`GENERIC_SCHOOL_WORDS` left out)."""
    from ..harmonise import normalise_name

    return {word for word in normalise_name(name).split() if word not in GENERIC_SCHOOL_WORDS and len(word) > 1}


def named_vestiging(name: str, vestigingen: dict[str, str]) -> str:
    """The one vestiging (of ``vestigingen``: brin_vestiging -> DUO name) whose name shares a distinctive word
    with an object van toezicht's ``name``; '' when none or several do."""
    words = school_words(name)
    found = [brin for brin, other in vestigingen.items() if words & school_words(other)]
    return found[0] if len(found) == 1 else ""


def ovt_vestiging(ovt: str, vestigingen: list[str], listed: dict[str, str], name: str = "",
                  names: dict[str, str] | None = None) -> tuple[str, str]:
    """The vestiging whose figures an object van toezicht counts in ('' = none) and how: the analyst's
    ``ovt_locations`` (``listed``: ovt -> brin_vestiging), else the only vestiging of its instellingscode
    (``vestigingen``), C1 or a further teaching location (C2, C3, ...) of the same school, which may stand
    elsewhere (for the place of an OVT see :func:`place_ovts`) but is part of that school; else, of several
    vestigingen, the one its ``name`` names (:func:`named_vestiging`; ``names``: brin_vestiging -> DUO name)."""
    if listed.get(ovt):
        return listed[ovt], "ovt_locations"
    if len(vestigingen) == 1:
        return vestigingen[0], "instellingscode" + ("" if ovt.endswith("|C1") else f" ({ovt[5:]}, een onderwijslocatie)")
    named = named_vestiging(name, {v: (names or {}).get(v, "") for v in vestigingen}) if vestigingen else ""
    if named:
        return named, f"naam (vestiging {named} {(names or {}).get(named, '')})"
    if vestigingen:
        return "", (f"instellingscode {ovt[:4]} heeft {len(vestigingen)} vestigingen ({', '.join(vestigingen)}) en de "
                    "naam noemt er niet één")
    return "", "geen vestiging van de instellingscode in de scholenlijst"


def _unplaced(schools: pd.DataFrame, matches: pd.DataFrame, figure: str) -> pd.DataFrame:
    """The objecten van toezicht of the gemeente with a figure that were not placed (ambiguous or unplaced)."""
    left = matches.assign(ovt=matches["label"].str.split(" ").str[0])
    values = schools.drop_duplicates("ovt").set_index("ovt")[figure]
    value = left["ovt"].map(values)
    table = pd.DataFrame({"brin_vestiging": left["ovt"], "name": left["label"].str.split(" ", n=1).str[1].fillna(""),
                          "figure": [f"{figure} {v:g}" for v in value.fillna(np.nan)],
                          "reason": "object van toezicht " + left["reason"].str.replace(
                              "^ambiguous: ", "niet eenduidig: ", regex=True).str.replace(
                              "^unplaced: ", "zonder gebied: ", regex=True)})
    return table[value.notna().to_numpy()].reset_index(drop=True)


def load_leerresultaten(spec: InputSpec, registry) -> LoadResult:
    """Pupil-weighted % reaching 1F and 1S/2F per area (module docstring)."""
    origin = str(spec.path)
    sheet = spec.sheet
    if sheet is None and spec.path.suffix.lower() in EXCEL_SUFFIXES and "Data" in sheet_names(spec.path, hidden=True):
        sheet = "Data"
    where = origin + (f" sheet {sheet!r}" if sheet else "")
    frame = read_table(spec.path, sheet=sheet, expect=("ovt",))
    require_columns(frame, (*LEERRESULTATEN.values(), LEERRESULTATEN_PUPILS), where, "leerresultaten table")
    columns = _columns(frame, where)
    schools = pd.DataFrame({"ovt": _ovt_codes(frame, columns["ovt"], where), "naam": ""}, index=frame.index)
    schools["leerlingen"] = parse_values(frame[LEERRESULTATEN_PUPILS], where, LEERRESULTATEN_PUPILS,
                                         missing=LEERRESULTATEN_SIGNS, count=True).values
    for name, column in LEERRESULTATEN.items():
        schools[name] = parse_values(frame[column], where, column, missing=LEERRESULTATEN_SIGNS).values
        fail_at_first((schools[name] < 0) | (schools[name] > 100), frame.index, where,
                      lambda i, n=name: f"{schools[n].iloc[i]:g} is not a percentage", column)
    label = origin + (f" blad {sheet!r}" if sheet else "")  # for the notes, in Dutch
    notes = [f"{label}: {len(schools)} objecten van toezicht, {int(schools['leerlingen'].gt(0).sum())} met leerlingen getoetst "
             "over drie jaar"]
    placed, placement_notes, matches = place_ovts(schools, spec, registry)
    notes += placement_notes
    unplaced = _unplaced(schools, matches, "pct_1s2f")
    level, areas = placed_level(placed.loc[placed["leerlingen"] > 0, "area_code"], registry, origin, "objecten van toezicht")
    rows = []
    for name in LEERRESULTATEN:
        used = placed[placed[name].notna() & (placed["leerlingen"] > 0)]
        reached = (used[name] * used["leerlingen"] / 100).groupby(used["area_code"]).sum().reindex(areas)
        pupils = used.groupby("area_code")["leerlingen"].sum().reindex(areas)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(pupils > 0, 100 * reached / pupils, np.nan)
        rows.append(area_rows(spec, registry, areas, level, name, value, reached.to_numpy(), pupils.to_numpy(), "%",
                              unplaced=len(unplaced) > 0))
    pupils_all = placed[placed["leerlingen"] > 0].groupby("area_code")["leerlingen"].sum().reindex(areas).fillna(0)
    rows.append(area_rows(spec, registry, areas, level, "leerlingen_3_jaar", pupils_all.to_numpy(), None, None, "aantal"))
    return LoadResult(validate_tidy(pd.concat(rows, ignore_index=True), origin), notes, matches.drop(columns="reason"),
                      unplaced)


def _schoolweging_sheet(spec: InputSpec) -> str | None:
    """The input's sheet, or the newest school-year sheet of a workbook (None for a CSV)."""
    if spec.sheet is not None or spec.path.suffix.lower() not in EXCEL_SUFFIXES:
        return spec.sheet
    years = sorted(s for s in sheet_names(spec.path) if YEAR_SHEET.match(s.strip()))
    if not years:
        raise DataError(f"{spec.path}: no school-year sheet (like '2023-2024'); the sheets are {sheet_names(spec.path)}; "
                        "name one with the input's sheet")
    return years[-1]


def _pupils_of_newest_year(spec: InputSpec, ovts: pd.Series, sheet: str | None) -> tuple[pd.Series, str]:
    """Pupils per OVT from the newest year sheet of the same workbook, for a sheet without them."""
    years = sorted(s for s in sheet_names(spec.path) if YEAR_SHEET.match(s.strip())) \
        if spec.path.suffix.lower() in EXCEL_SUFFIXES else []
    if not years:
        return pd.Series(1.0, index=ovts.index), "geen leerlingaantallen: elke school telt één keer (ongewogen gemiddelde)"
    frame = read_table(spec.path, sheet=years[-1], expect=("OVT",))
    columns = _columns(frame, f"{spec.path} sheet {years[-1]!r}")
    require_columns(frame, (columns.get("aantal_leerlingen", "aantal_leerlingen"),), f"{spec.path} sheet {years[-1]!r}",
                    "year sheet")
    pupils = parse_values(frame[columns["aantal_leerlingen"]], f"{spec.path} sheet {years[-1]!r}", "aantal_leerlingen",
                          count=True).values
    by_ovt = pd.Series(pupils, index=frame[columns["ovt"]].str.strip().str.upper())
    return ovts.map(by_ovt).fillna(0.0), f"blad {sheet!r} heeft geen leerlingaantallen: gewogen met die van blad {years[-1]!r}"


def _columns(frame: pd.DataFrame, where: str) -> dict[str, str]:
    """Normalised header (lower case, letters only) -> header; the OVT column is required."""
    columns = {re.sub(r"[^a-z_]", "", str(c).lower()): c for c in frame.columns}
    if "ovt" not in columns:
        raise DataError(f"{where}: no OVT column (the Inspectie's object van toezicht); columns are {list(frame.columns)}")
    return columns


def _ovt_codes(frame: pd.DataFrame, column: str, where: str) -> pd.Series:
    codes = frame[column].str.strip().str.upper()
    check_codes(codes, frame.index, where, column, OBJECT_VAN_TOEZICHT)
    fail_at_first(codes.duplicated(), frame.index, where, lambda i: f"object van toezicht {codes.iloc[i]} appears twice", column)
    return codes


def place_ovts(schools: pd.DataFrame, spec: InputSpec, registry) -> tuple[pd.DataFrame, list[str], pd.DataFrame]:
    """The OVTs of the gemeente with ``area_code`` (placed ones only), the notes reporting
    every OVT, and the ambiguous and unplaced ones as label matches with the ``reason`` (module docstring)."""
    origin = str(spec.path)
    if spec.schools is None:
        raise DataError(f"{origin}: the schoolweging and leerresultaten name objecten van toezicht, not places; give the "
                        "input 'schools' (the gemeente's school table or DUO list) to place them")
    places = read_school_places(spec, registry)
    places = places.assign(instelling=places["brin_vestiging"].str[:4])
    by_instelling = places.groupby("instelling")["brin_vestiging"].apply(list)
    table = read_ovt_locations(spec, places, registry)
    schools = schools.assign(instelling=schools["ovt"].str[:4])
    ours = schools["instelling"].isin(by_instelling.index) | schools["ovt"].isin(table.index)
    gemeente = schools[ours].copy()
    if gemeente.empty:
        raise DataError(f"{origin}: no object van toezicht of the schools in {spec.schools} (matched on the 4-character "
                        "instellingscode); is 'schools' the school list of this gemeente?")
    area, how = [], []
    vestiging_area = places.set_index("brin_vestiging")["area_code"]
    names = places.set_index("brin_vestiging")["name"].to_dict()
    for row in gemeente.itertuples():
        vestigingen = by_instelling.get(row.instelling, [])
        if row.ovt in table.index:
            entry = table.loc[row.ovt]
            code = entry["wijk_code"] or vestiging_area.get(entry["brin_vestiging"], "")
            area.append(code)
            how.append("ovt_locations" if code else f"unplaced: vestiging {entry['brin_vestiging']} uit ovt_locations heeft geen gebied")
        elif len(vestigingen) == 1 and row.ovt.endswith("|C1"):
            code = vestiging_area.get(vestigingen[0], "")
            area.append(code)
            how.append(f"instellingscode (vestiging {vestigingen[0]})" if code
                       else f"unplaced: de vestiging {vestigingen[0]} heeft geen gebied in {spec.schools.name}")
        elif len(vestigingen) == 1:
            area.append("")
            how.append(f"unplaced: {row.ovt[5:]} is een nevenlocatie van vestiging {vestigingen[0]}, waarvan het "
                       "adres niet gepubliceerd is en niet dat van de vestiging hoeft te zijn")
        else:
            code, text = _place_by_vestigingen(row, vestigingen, vestiging_area, names)
            area.append(code)
            how.append(text)
    gemeente["area_code"], gemeente["placement"] = area, how
    notes = [*places.attrs.get("notes", []), *_placement_notes(gemeente, origin)]
    placed = gemeente[gemeente["area_code"] != ""]
    if placed.empty:
        raise DataError(f"{origin}: none of the {len(gemeente)} objecten van toezicht of the gemeente could be placed in "
                        "an area; place them with the input's ovt_locations (ovt,brin_vestiging or ovt,wijk_code)")
    left = gemeente[gemeente["area_code"] == ""]
    matches = pd.DataFrame({"source": spec.source, "label": left["ovt"] + " " + left["naam"].fillna(""),
                            "area_code": "", "area_name": "",
                            "method": ["ambiguous" if p.startswith("ambiguous") else "unmatched" for p in left["placement"]],
                            "score": 0.0, "reason": left["placement"]})
    return placed, notes, matches.reset_index(drop=True)


def _place_by_vestigingen(row, vestigingen: list[str], vestiging_area: pd.Series, names: dict[str, str]
                          ) -> tuple[str, str]:
    """(area, how) of an OVT whose instellingscode has several vestigingen (module docstring, rules 3 to 5)."""
    areas = {v: vestiging_area.get(v, "") for v in vestigingen}
    where = sorted(set(areas.values()) - {""})
    lacking = [v for v, code in areas.items() if not code]
    if len(where) == 1 and not lacking:  # wherever it teaches, it is in that one area
        return where[0], f"instellingscode (de {len(vestigingen)} vestigingen alle in {where[0]})"
    named = named_vestiging(row.naam, {v: names.get(v, "") for v in vestigingen})
    if named and areas[named]:
        return areas[named], f"naam (vestiging {named} {names.get(named, '')})"
    if len(where) > 1:
        return "", (f"ambiguous: de {len(vestigingen)} vestigingen van instellingscode {row.instelling} staan in "
                    f"{len(where)} gebieden (" + "; ".join(f"{v} in {code}" for v, code in areas.items() if code)
                    + ") en de naam noemt er niet één")
    return "", f"unplaced: vestiging(en) {', '.join(lacking)} van instellingscode {row.instelling} zonder gebied"


def _placement_notes(gemeente: pd.DataFrame, origin: str) -> list[str]:
    """One note listing every placed OVT with its area (and how, when not by instellingscode), one
    per kind of OVT left out, with the reason."""
    placed = gemeente[gemeente["area_code"] != ""]
    by_table = placed["placement"].str.startswith("ovt_locations")
    by_name = placed["placement"].str.startswith("naam")
    shown = [f"{r.ovt} {r.area_code}" + (" (ovt_locations)" if table else " (naam)" if name else "")
             for r, table, name in zip(placed.itertuples(), by_table, by_name)]
    notes = [f"{origin}: {len(placed)} van {len(gemeente)} objecten van toezicht van de gemeente geplaatst "
             f"({int((~by_table & ~by_name).sum())} via instellingscode, "
             + (f"{int(by_name.sum())} via de naam, " if by_name.any() else "")
             + f"{int(by_table.sum())} via ovt_locations): {', '.join(shown)}"]
    for kind, word in (("ambiguous", "niet eenduidig"), ("unplaced", "zonder gebied")):
        left = gemeente[gemeente["placement"].str.startswith(kind)]
        if len(left):
            notes.append(f"{origin}: {len(left)} object(en) van toezicht {word}, niet meegeteld (plaats ze in ovt_locations): "
                         + "; ".join(f"{r.ovt} {r.naam} ({r.placement.split(': ', 1)[1]})".replace(" ()", "").replace("  ", " ")
                                     for r in left.itertuples()))
    return notes


def read_ovt_locations(spec: InputSpec, places: pd.DataFrame, registry) -> pd.DataFrame:
    """The analyst's OVT table (``ovt_locations``) indexed by ovt: brin_vestiging, wijk_code, reason ("" where
    not given), checked against the vestigingen ``places``; empty without a table."""
    empty = pd.DataFrame(columns=["brin_vestiging", "wijk_code", "reason"], index=pd.Index([], name="ovt"), dtype=str)
    if spec.ovt_locations is None:
        return empty
    path = spec.ovt_locations
    table = read_table(path, allow_empty=True)
    require_columns(table, ("ovt",), path, "OVT location table")
    if "brin_vestiging" not in table.columns and "wijk_code" not in table.columns:
        raise DataError(f"{path}: OVT location table needs a column brin_vestiging or wijk_code besides ovt")
    for column in ("brin_vestiging", "wijk_code", "reason"):
        table[column] = table[column].str.strip() if column in table.columns else ""
    table["ovt"] = table["ovt"].str.strip().str.upper()
    table["brin_vestiging"] = table["brin_vestiging"].str.upper()
    check_codes(table["ovt"], table.index, path, "ovt", OBJECT_VAN_TOEZICHT)
    given = table["brin_vestiging"] != ""
    check_codes(table.loc[given, "brin_vestiging"], table.index[given.to_numpy()], path, "brin_vestiging")
    fail_at_first(table["ovt"].duplicated(), table.index, path, lambda i: f"ovt {table['ovt'].iloc[i]} appears twice", "ovt")
    fail_at_first((table["brin_vestiging"] == "") & (table["wijk_code"] == ""), table.index, path,
                  lambda i: f"ovt {table['ovt'].iloc[i]} has neither brin_vestiging nor wijk_code")
    fail_at_first((table["wijk_code"] != "") & ~table["wijk_code"].isin(registry.table.index), table.index, path,
                  lambda i: f"wijk_code {table['wijk_code'].iloc[i]} is not in the area registry", "wijk_code")
    fail_at_first((table["brin_vestiging"] != "") & ~table["brin_vestiging"].isin(places["brin_vestiging"]), table.index, path,
                  lambda i: f"brin_vestiging {table['brin_vestiging'].iloc[i]} is not in {spec.schools}", "brin_vestiging")
    return table.set_index("ovt")[["brin_vestiging", "wijk_code", "reason"]]


