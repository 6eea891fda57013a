"""Jeugdmonitor figures from Swing ("incijfers") sites and from GGD's Gezondheidsmonitor Jeugd.

Three published layouts (../shared/docs/real-formats.md; no real file could be obtained, the
tests use fixtures that copy these layouts):

* **selection table as JSON** (``<site>/jive/selectiontableasjson.ashx?...``):
  ``{"headers": [{"name": ..., "type": ...}, ...], "rows": [[geo, period, "value"], ...]}``,
  read by position: area, period, then one column per variable;
* **table export** (CSV or xlsx from a dashboard): ``Geo | Perioden | <variable label> ...``,
  title lines above the header allowed;
* **wide table export**, as real Swing exports have it (Eindhoven, ../shared/data/raw/swing_eindhoven):
  ``Buurten;"<variable label>|<year>";...``, one row per area *by name*, one column per variable and
  year; the first header cell names the level (``Buurten``, ``Wijken``, ``Gemeenten``; ``table.level``
  otherwise). Exports with more dimensions carry them in the header too,
  ``<label>|<age>|<year>|<sex>``: the part that is a year (``2022``, ``2021-2022``) is the period, the
  first the variable, and the others are dimension values, of which the input's ``filter`` chooses one
  each (``filter: {leeftijd: "12-17 jaar", geslacht: "Totaal"}``; the keys only describe, the file names
  no dimension); a variable and year left with more than one column is refused, naming the parts that
  vary;
* **GGD upload workbook** (sheet ``Data``, or a CSV of it): ``Jaar | Geolevel | Geoitem |
  [dimension columns] | <var>_gem | n_ongewogen``. ``Geolevel`` is ``gemeente`` (``Geoitem`` the
  gemeente number, ``80`` for GM0080) or ``ggd`` (the region, not an area of the registry: left
  out with a note). ``<var>_gem`` is the figure, ``n_ongewogen`` the number of respondents,
  kept as its denominator. Dimension columns (sex, age group, ...) must be narrowed to one
  value with the input's ``filter``, or the rows would repeat per area.

Missing values follow Swing: an empty cell is "no value" (``not_collected``); -99996,
Swing's "default special value for missing" (fewer than 5 respondents; the GGD upload workbook
writes it too), is ``suppressed`` (:data:`aandacht.inputs.reading.SWING_SENTINELS`, the only numeric
code of these layouts); -99999, -99998, -99997 and -99995 are refused until the input's
``table.missing`` says what they mean (their meaning is documented nowhere), and the Wijk- en
Buurtkaart's codes (-99999999) are no Swing code: a percentage of -99999999 is out of its range. Geo items are the site's own names or codes:
they are matched to the registry by code, name, alias and fuzzy name
(:mod:`aandacht.inputs.harmonise`); a number of up to four digits that is the number of a
gemeente in the registry is that gemeente (``80`` -> ``GM0080``).

Areas are matched by name only within their level, and a name that several areas of that level share
(``Binnenstad`` in two gemeenten of a national registry) is given to the one in the gemeente holding the
file's other areas (:meth:`aandacht.inputs.harmonise.AreaMatcher.match`).

A ``table`` section may set ``sheet``, ``level`` (the level of every geo item of an export),
``missing``, ``decimal``, ``unit``, ``units`` and ``values`` (the variables to read).
"""

from __future__ import annotations

import re

import pandas as pd

from ...config import InputSpec, TableLayout
from ...errors import ConfigError, DataError
from ..reading import EXCEL_SUFFIXES, SWING_SENTINELS, apply_filter, fail_at_first, parse_values, read_table, sheet_names
from .base import LoadResult
from .generic import LEVEL_WORDS, period_label, tidy_from_long

GGD_KEYS = ("Jaar", "Geolevel", "Geoitem")
# the first header cell of a wide table export names the level of its rows
LEVEL_HEADERS = ("Buurten", "Wijken", "Gemeenten", "Buurt", "Wijk", "Gemeente")
PERIOD_PART = re.compile(r"(19|20)\d{2}(?:\s*[-/]\s*(?:19|20)?\d{2})?")
RESPONDENTS = "n_ongewogen"
SWING_MISSING = {"": "not_collected"}
TABLE_KEYS = frozenset({"sheet", "level", "missing", "decimal", "unit", "units", "values"})


def load_jeugdmonitor(spec: InputSpec, registry, needed: frozenset[str] | None = None) -> LoadResult:
    """Read a Swing selection table (JSON), a Swing table export or a GGD upload workbook
    (see the module docstring); ``needed``: the variables the config uses."""
    layout = _layout(spec)
    frame, notes = _read(spec, layout), []
    ggd = {"Geoitem", "Geolevel"} <= set(frame.columns) and any(c.endswith("_gem") for c in frame.columns)
    wide = not ggd and any("|" in str(c) for c in frame.columns[1:])
    if ggd:
        long = _ggd_rows(spec, layout, frame, notes)
    elif wide:
        long = _wide_rows(spec, layout, frame)
        layout = layout.model_copy(update={"level": layout.level or LEVEL_WORDS.get(str(frame.columns[0]).strip().lower())})
    else:
        long = _export_rows(spec, layout, frame)
    if needed is not None:
        long = long[long["indicator"].isin(needed)]
    long = long.assign(label=long["label"].map(lambda label: _gemeente_number(label, registry)))
    resolve = layout.model_copy(update={"level_column": "Geolevel" if ggd else None, "area_kind": "auto"})
    return tidy_from_long(long, spec, resolve, registry, notes)


def _layout(spec: InputSpec) -> TableLayout:
    if spec.table is None:
        return TableLayout(missing=SWING_MISSING)
    unknown = sorted(set(spec.table.model_fields_set) - TABLE_KEYS)
    if unknown:
        raise ConfigError(f"{spec.path}: the jeugdmonitor loader reads its columns itself; table keys {unknown} do not "
                          f"apply (allowed: {sorted(TABLE_KEYS)})")
    return spec.table.model_copy(update={"missing": SWING_MISSING | spec.table.missing})


def _read(spec: InputSpec, layout: TableLayout) -> pd.DataFrame:
    """The table of the file: the ``Data`` sheet of a GGD workbook, the export's header found by ``Geo``
    (or, in a wide export, by its level: ``Buurten``, ``Wijken``, ...)."""
    suffix = spec.path.suffix.lower()
    if suffix == ".json":
        return read_table(spec.path)
    sheet = layout.sheet
    if suffix in EXCEL_SUFFIXES and sheet is None and "Data" in sheet_names(spec.path, hidden=True):
        sheet = "Data"
    return read_table(spec.path, sheet=sheet, expect=("Geoitem", "Geo", *LEVEL_HEADERS))


def _export_rows(spec: InputSpec, layout: TableLayout, frame: pd.DataFrame) -> pd.DataFrame:
    """Selection table or table export: area, period, then one column per variable."""
    origin = str(spec.path)
    if len(frame.columns) < 3:
        raise DataError(f"{origin}: a Swing table has an area column, a period column and at least one variable; "
                        f"columns are {list(frame.columns)}")
    area = "Geo" if "Geo" in frame.columns else frame.columns[0]
    period = "Perioden" if "Perioden" in frame.columns else frame.columns[1]
    variables = [c for c in frame.columns if c not in (area, period)]
    if layout.values is not None:
        wanted = list(layout.values)
        absent = [c for c in wanted if c not in variables]
        if absent:
            raise DataError(f"{origin}: variable(s) {absent} not found; the file has {variables}")
        variables = wanted
    names = layout.values if isinstance(layout.values, dict) else {v: v for v in variables}
    parts = []
    for column in variables:
        parsed = parse_values(frame[column], origin, column, layout.decimal, layout.missing, count=_is_count(layout, column),
                              sentinels=SWING_SENTINELS)
        parts.append(pd.DataFrame({
            "label": frame[area].str.strip(), "level_label": "", "period": frame[period].map(period_label),
            "indicator": names[column], "value": parsed.values, "flag": parsed.flags, "provisional": parsed.provisional,
        }))
    long = pd.concat(parts, ignore_index=True)
    return long[long["label"] != ""]


def _wide_rows(spec: InputSpec, layout: TableLayout, frame: pd.DataFrame) -> pd.DataFrame:
    """Wide table export (module docstring): one column per ``<label>|...|<year>|...``."""
    origin = str(spec.path)
    area = frame.columns[0]
    parsed_columns = {}
    for column in frame.columns[1:]:
        parts = [part.strip() for part in str(column).split("|")]
        periods = [i for i, part in enumerate(parts) if PERIOD_PART.fullmatch(part)]
        if len(parts) < 2 or len(periods) != 1 or periods[0] == 0 or not parts[0]:
            raise DataError(f"{origin}: column {str(column)[:80]!r} is not '<variable>|<year>' (or with more dimensions "
                            "'<variable>|<dimension>|<year>|<dimension>'), as the other columns of a Swing table export are")
        dimensions = tuple(part for i, part in enumerate(parts[1:], 1) if i != periods[0])
        parsed_columns[column] = (parts[0], parts[periods[0]], dimensions)
    chosen = {str(v).strip() for values in spec.filter.values() for v in ([values] if isinstance(values, str) else values)}
    present = {d for _, _, dimensions in parsed_columns.values() for d in dimensions}
    absent = sorted(chosen - present)
    if absent:
        raise DataError(f"{origin}: filter value(s) {absent} occur in no column header; the header's dimension values "
                        f"are {sorted(present)[:12]}")
    if chosen:
        parsed_columns = {c: v for c, v in parsed_columns.items() if set(v[2]) <= chosen}
    if layout.values is not None:
        wanted = list(layout.values)
        labels = {label for label, _, _ in parsed_columns.values()}
        missing = [w for w in wanted if w not in labels]
        if missing:
            raise DataError(f"{origin}: variable(s) {missing} not found; the file has {sorted(labels)[:12]}")
        parsed_columns = {c: v for c, v in parsed_columns.items() if v[0] in wanted}
    if not parsed_columns:
        raise DataError(f"{origin}: no column left whose dimension values are all among the filter's {sorted(chosen)}")
    seen: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for label, period, dimensions in parsed_columns.values():
        seen.setdefault((label, period), []).append(dimensions)
    repeated = next(((key, dims) for key, dims in seen.items() if len(dims) > 1), None)
    if repeated is not None:
        (label, period), dims = repeated
        varying = sorted({d for combination in dims for d in combination} - set.intersection(*map(set, dims)))
        if not varying:
            raise DataError(f"{origin}: {label!r} {period} is the header of {len(dims)} columns; every variable and year "
                            "needs its own column")
        raise DataError(f"{origin}: {label!r} {period} has {len(dims)} columns, over the header values {varying[:8]}; "
                        "choose one value of each dimension with the input's filter, e.g. filter: {dimensie: "
                        f"{varying[0]!r}}}")
    names = layout.values if isinstance(layout.values, dict) else {}
    parts = []
    for column, (label, period, _) in parsed_columns.items():
        parsed = parse_values(frame[column], origin, str(column), layout.decimal, layout.missing,
                              count=_is_count(layout, label), sentinels=SWING_SENTINELS)
        parts.append(pd.DataFrame({
            "label": frame[area].fillna("").str.strip(), "level_label": "", "period": period,
            "indicator": names.get(label, label), "value": parsed.values, "flag": parsed.flags,
            "provisional": parsed.provisional,
        }))
    long = pd.concat(parts, ignore_index=True)
    return long[long["label"] != ""]


def _ggd_rows(spec: InputSpec, layout: TableLayout, frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """GGD upload workbook: one figure column per variable (``<var>_gem``) with its respondents."""
    origin = str(spec.path)
    absent = [c for c in GGD_KEYS if c not in frame.columns]
    if absent:
        raise DataError(f"{origin}: GGD upload table lacks column(s) {absent}; expected Jaar | Geolevel | Geoitem | "
                        "[dimensions] | <var>_gem | n_ongewogen")
    if spec.filter:
        frame = apply_filter(frame, spec.filter, origin)
    figures = [c for c in frame.columns if c.endswith("_gem")]
    if layout.values is not None:
        figures = [c for c in figures if c[:-4] in set(layout.values)]
    dimensions = [c for c in frame.columns if c not in (*GGD_KEYS, RESPONDENTS, *figures) and not c.endswith("_gem")]
    repeated = frame.duplicated(list(GGD_KEYS), keep=False)
    if repeated.any() and not dimensions:
        fail_at_first(frame.duplicated(list(GGD_KEYS)), frame.index, origin, lambda i: (
            f"a second row for Geoitem {frame['Geoitem'].iloc[i].strip()} ({frame['Geolevel'].iloc[i].strip()}), "
            f"Jaar {frame['Jaar'].iloc[i].strip()}; each area and year has one row"))
    if repeated.any():
        varying = [c for c in dimensions if frame.loc[repeated, c].nunique() > 1] or dimensions
        shown = {c: sorted(frame[c].str.strip().unique())[:6] for c in varying}
        raise DataError(f"{origin}: rows repeat per area and year over dimension column(s) {varying} ({shown}); "
                        "choose one value each with the input's filter, e.g. filter: {" + f"{varying[0]}: ..." + "}")
    levels = frame["Geolevel"].str.strip().str.lower()
    region = levels == "ggd"
    if region.any():
        notes.append(f"{origin}: {int(region.sum())} rij(en) van de GGD-regio (Geolevel ggd) zijn geen gebied van het "
                     "register en worden niet gebruikt")
    frame = frame[~region]
    respondents = None
    if RESPONDENTS in frame.columns:
        respondents = parse_values(frame[RESPONDENTS], origin, RESPONDENTS, missing=layout.missing, count=True,
                                   sentinels=SWING_SENTINELS).values
    parts = []
    for column in figures:
        parsed = parse_values(frame[column], origin, column, layout.decimal, layout.missing, sentinels=SWING_SENTINELS)
        indicator = column[:-4]
        parts.append(pd.DataFrame({
            "label": frame["Geoitem"].str.strip(), "level_label": frame["Geolevel"].str.strip(),
            "period": frame["Jaar"].map(period_label), "indicator": indicator, "value": parsed.values,
            "flag": parsed.flags, "provisional": parsed.provisional,
            "denominator": respondents if respondents is not None else float("nan"),
        }))
    if not parts:
        raise DataError(f"{origin}: no figure column (<var>_gem) to read")
    long = pd.concat(parts, ignore_index=True)
    return long[long["label"] != ""]


def _is_count(layout: TableLayout, column: str) -> bool:
    from ..harmonise import COUNT_UNITS

    return layout.units.get(column, layout.unit).strip().lower() in COUNT_UNITS


def _gemeente_number(label: str, registry) -> str:
    """``80`` -> ``GM0080`` when that gemeente is in the registry; other labels unchanged."""
    text = re.sub(r"\.0$", "", str(label).strip())
    if re.fullmatch(r"\d{1,4}", text):
        code = f"GM{int(text):04d}"
        if code in registry.table.index:
            return code
    return label
