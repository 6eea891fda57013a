"""The generic table loader, driven entirely by a :class:`~aandacht.config.TableLayout`.

An extract with an unforeseen layout needs a config change, not code: the layout names the
sheet, the header row (or finds it by the area column, skipping title rows), the area column
(codes, names or PC4), the level, the period (a column, one column per year, or with
``sheet: "*"`` one sheet per year), the value columns, the decimal mark, extra missing
markers and the unit. Labels are resolved to registry codes by
:class:`aandacht.inputs.harmonise.AreaMatcher` (codes, names, aliases, fuzzy matching above
``fuzzy_threshold``); PC4 labels are allocated to areas with the input's
``pc4_allocation``. Every match that is not exact and every label left unmatched is reported.
With ``other_areas: ignore`` a row whose area label is a CBS region code (``GM0014``, ``WK001401``,
``BU00140101``) that the registry does not hold is dropped while the file is streamed
(:func:`aandacht.inputs.reading.read_table` ``keep_rows``), so a national file or one of other
gemeenten is never held whole; a label that is a name is kept, since a name can be matched (by
alias or fuzzy, against the whole file's labels) only after reading. ``other_areas: error`` keeps
every row, and a code of another gemeente stops the run (:func:`aandacht.inputs.matrix.build_matrix`).
Values are read by :func:`aandacht.inputs.reading.parse_values` (CBS signs, Dutch and English
number formats); a column whose unit is a count (``aantal``, ...) must hold whole numbers.

Preset built on it (:data:`PRESETS`): ``kinderen_in_tel``, the tables an analyst types over
from the Kinderen in Tel databoek (published as PDF only): rows = gemeenten or wijken
(first column ``Gemeente``, ``Wijk``, ``Gebied`` or ``Regio``), columns = indicators, one
sheet per year (the sheet name is the period) or one file per year (the input's period). A
``table`` section under a preset input overrides the keys it sets. The ``jeugdmonitor``
loader (:mod:`aandacht.inputs.sources.jeugdmonitor`) hands its rows to :func:`tidy_from_long`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ...config import InputSpec, TableLayout
from ...errors import ConfigError, DataError
from .. import harmonise  # module import: harmonise itself imports sources.reading
from ..reading import EXCEL_SUFFIXES, apply_filter, parse_values, read_table, sheet_names
from ..tidy import empty_tidy, validate_tidy
from .base import LoadResult

YEAR = re.compile(r"^((?:19|20)\d{2})(?:\.0)?$|^((?:19|20)\d{2}\s*[/-]\s*(?:19|20)?\d{2})$")
LEVEL_WORDS = {"gemeente": "gemeente", "gemeenten": "gemeente", "wijk": "wijk", "wijken": "wijk",
               "buurt": "buurt", "buurten": "buurt", "postcode": "pc4", "pc4": "pc4", "postcode4": "pc4"}

# Kinderen in Tel, typed over from the databoek: one row per gemeente or wijk, one column per
# indicator, one sheet (named by the year) or one file per year.
KINDEREN_IN_TEL = TableLayout(sheet="*", area_column=["Gemeente", "Wijk", "Gebied", "Regio"])
PRESETS = {"kinderen_in_tel": KINDEREN_IN_TEL}


def layout_for(spec: InputSpec) -> TableLayout:
    """The layout of an input: its preset with the keys its ``table`` section sets, or its ``table``."""
    preset = PRESETS.get(spec.loader)
    if preset is None:
        if spec.table is None or spec.table.area_column is None:
            raise ConfigError(f"{spec.path}: the {spec.loader} loader needs a 'table' section with at least area_column")
        return spec.table
    if spec.table is None:
        return preset
    return preset.model_copy(update={key: getattr(spec.table, key) for key in spec.table.model_fields_set})


def load_generic(spec: InputSpec, registry, needed: frozenset[str] | None = None) -> LoadResult:
    """Read ``spec.path`` with its layout into the tidy table (see the module docstring);
    ``needed``: the indicators the config uses (other value columns are not read)."""
    layout = layout_for(spec)
    excel = spec.path.suffix.lower() in EXCEL_SUFFIXES
    sheets = sheet_names(spec.path) if layout.sheet == "*" and excel else [None if layout.sheet == "*" else layout.sheet]
    keep_rows = _known_codes_only(layout, registry) if spec.other_areas == "ignore" and registry is not None else None
    long = pd.concat([_long(spec, layout, sheet, needed, keep_rows) for sheet in sheets], ignore_index=True)
    notes = [f"{spec.path}: rijen met een CBS-gebiedscode die niet in het gebiedenregister staat, als die er waren, zijn "
             "bij het lezen weggelaten (other_areas: ignore)"] if keep_rows is not None else None
    return tidy_from_long(long, spec, layout, registry, notes)


CBS_REGION_CODE = re.compile(r"^(?:GM\d{4}|WK\d{6}|BU\d{8})$")


def _known_codes_only(layout: TableLayout, registry):
    """Row predicate for :func:`read_table` (``other_areas: ignore``): drop the rows whose area
    label, stripped and in upper case, is a CBS region code the registry does not hold."""
    known = {code.upper() for code in registry.table.index}

    def keep(frame: pd.DataFrame) -> pd.Series:
        column = area_column_of(layout, frame.columns)
        if column not in frame.columns:  # reported by _long, naming the columns
            return pd.Series(True, index=frame.index)
        labels = frame[column].fillna("").str.strip().str.upper()
        return ~labels.str.match(CBS_REGION_CODE) | labels.isin(known)
    return keep


def tidy_from_long(long: pd.DataFrame, spec: InputSpec, layout: TableLayout, registry, notes: list[str] | None = None) -> LoadResult:
    """Resolve the labels of ``long`` (label, level_label, period, indicator, value, flag and
    optionally denominator) to areas and return the validated tidy table with the notes."""
    origin = str(spec.path)
    tidy, matches, found = _resolve(long, spec, layout, registry)
    found.insert(0, f"{origin}: {len(long)} waarden gelezen, {len(tidy)} rijen voor {tidy['area_code'].nunique()} gebied(en) "
                    f"en {tidy['indicator'].nunique()} indicator(en)")
    provisional = long.get("provisional", pd.Series(False, index=long.index))
    if provisional.any():
        shown = ", ".join(f"{r.label} {r.indicator} {r.period}" for r in long[provisional].head(5).itertuples())
        found.append(f"{origin}: {int(provisional.sum())} voorlopige cijfer(s) (CBS '*'), gebruikt zoals gepubliceerd: {shown}")
    return LoadResult(validate_tidy(tidy, origin) if len(tidy) else empty_tidy(), [*(notes or []), *found], matches)


def area_column_of(layout: TableLayout, columns) -> str:
    """The area column: ``layout.area_column``, or the first of its alternatives present in ``columns``."""
    options = [layout.area_column] if isinstance(layout.area_column, str) else list(layout.area_column or [])
    return next((c for c in options if c in columns), options[0] if options else "")


def _long(spec: InputSpec, layout: TableLayout, sheet, needed: frozenset[str] | None, keep_rows=None) -> pd.DataFrame:
    """One row per (label, level label, period, indicator) with value and flag; ``keep_rows``
    chooses the rows while reading (:func:`_known_codes_only`)."""
    where = f"{spec.path}" + (f" sheet {sheet!r}" if sheet not in (None, 0) else "")
    options = (layout.area_column,) if isinstance(layout.area_column, str) else tuple(layout.area_column or ())
    frame = read_table(spec.path, sheet=sheet, header_row=layout.header_row, expect=options, keep_rows=keep_rows)
    frame.columns = [_header(c) for c in frame.columns]
    if spec.filter:
        frame = apply_filter(frame, spec.filter, where)
    area_column = area_column_of(layout, frame.columns)
    used = [c for c in (area_column, layout.level_column, layout.period_column, *spec.filter) if c]
    absent = [c for c in used if c not in frame.columns]
    if absent:
        raise DataError(f"{where}: column(s) {absent} not found; columns are {list(frame.columns)[:12]}")
    if layout.wide_periods:
        periods = [c for c in frame.columns if YEAR.match(c)]
        if not periods:
            raise DataError(f"{where}: no year columns (wide_periods); columns are {list(frame.columns)[:12]}")
        indicator = layout.indicator
        if indicator is None and layout.sheet == "*":  # the sheet name, or the file name for a CSV
            indicator = str(sheet).strip() if sheet is not None else spec.path.stem
        if not indicator:
            raise ConfigError(f"{spec.path}: wide_periods needs table.indicator (or sheet: '*')")
        columns = {c: (indicator, period_label(c)) for c in periods if needed is None or indicator in needed}
    else:
        wanted = layout.values if layout.values is not None else [c for c in frame.columns if c not in used]
        mapping = wanted if isinstance(wanted, dict) else {c: c for c in wanted}
        absent = [c for c in mapping if c not in frame.columns]
        if absent:
            raise DataError(f"{where}: value column(s) {absent} not found; columns are {list(frame.columns)[:12]}")
        columns = {c: (name, None) for c, name in mapping.items() if needed is None or name in needed}
    if layout.period_column:
        row_periods = frame[layout.period_column].fillna("").map(lambda p: period_label(str(p)))
    elif layout.sheet == "*" and sheet is not None and not layout.wide_periods:
        row_periods = pd.Series(period_label(str(sheet)), index=frame.index)  # one sheet per year
    else:
        row_periods = pd.Series(spec.period, index=frame.index)
    parts = []
    for column, (indicator, period) in columns.items():
        unit = layout.units.get(indicator, layout.unit)
        parsed = parse_values(frame[column], where, column, layout.decimal, layout.missing,
                              count=unit.strip().lower() in harmonise.COUNT_UNITS)
        parts.append(pd.DataFrame({
            "label": frame[area_column].fillna("").str.strip(),
            "level_label": frame[layout.level_column].fillna("").str.strip() if layout.level_column else "",
            "period": period if period else row_periods, "indicator": indicator, "value": parsed.values,
            "flag": parsed.flags, "provisional": parsed.provisional,
        }))
    if not parts:
        return pd.DataFrame(columns=["label", "level_label", "period", "indicator", "value", "flag", "provisional"])
    long = pd.concat(parts, ignore_index=True)
    return long[long["label"] != ""]


def _header(column) -> str:
    text = str(column).strip()
    return text[:-2] if re.fullmatch(r"(19|20)\d{2}\.0", text) else text


def period_label(text: str) -> str:
    """A period as published, without the '.0' a workbook number cell adds (2023.0 -> 2023)."""
    text = str(text).strip()
    return text[:-2] if re.fullmatch(r"\d+\.0", text) else text


def _level(long: pd.DataFrame, layout: TableLayout, origin: str) -> pd.Series:
    if layout.level_column:
        mapping = {k.strip().lower(): v for k, v in layout.level_values.items()}
        levels = long["level_label"].str.lower().map(lambda x: mapping.get(x, LEVEL_WORDS.get(x)))
        if levels.isna().any():
            unknown = sorted(set(long.loc[levels.isna(), "level_label"]))
            raise DataError(f"{origin}: level label(s) {unknown[:5]} unknown; map them in table.level_values")
        return levels
    return pd.Series(layout.level, index=long.index, dtype=object)


def _resolve(long: pd.DataFrame, spec: InputSpec, layout: TableLayout, registry):
    """Area codes for the labels, PC4 allocation, unmatched labels reported."""
    origin = str(spec.path)
    long = long.assign(level=_level(long, layout, origin))
    pc4 = (long["level"] == "pc4") | (layout.area_kind == "pc4")
    if layout.area_kind == "auto":
        pc4 |= long["label"].str.fullmatch(r"\d{4}") & long["level"].isna()
    known = set(registry.table.index)
    aliases = harmonise.read_aliases(spec.aliases, known) if spec.aliases else {}
    matcher = harmonise.AreaMatcher(registry, aliases, spec.fuzzy_threshold)
    matches, parts = [], []
    for level, group in long[~pc4].groupby(long["level"].fillna(""), sort=False):
        found = _match_codes(group["label"], registry) if layout.area_kind == "code" else matcher.match(group["label"], level or None)
        matches.append(found)
        codes = group["label"].map(found.set_index("label")["area_code"])
        parts.append(_tidy(group.assign(area_code=codes)[codes != ""], spec, layout, registry))
    notes = []
    if pc4.any():
        moved, pc4_matches, pc4_notes = _allocate_pc4(long[pc4], spec, layout, registry)
        parts.append(moved)
        matches.append(pc4_matches)
        notes += pc4_notes
    matched = pd.concat(matches, ignore_index=True) if matches else pd.DataFrame(columns=["label", "area_code", "area_name", "method", "score"])
    matched.insert(0, "source", spec.source)
    notes += harmonise.match_notes(matched, origin)
    if not parts:
        return empty_tidy(), matched, notes
    return pd.concat(parts, ignore_index=True), matched, notes


def _match_codes(labels: pd.Series, registry) -> pd.DataFrame:
    """``area_kind: code``: each distinct label is a registry code (case and surrounding spaces
    ignored) or unmatched; names are not consulted, so a unit whose name equals its code matches."""
    codes = {code.upper(): code for code in registry.table.index}
    distinct = list(dict.fromkeys(str(label) for label in labels))
    found = [codes.get(label.strip().upper(), "") for label in distinct]
    return pd.DataFrame({"label": distinct, "area_code": found, "area_name": [registry.name(c) for c in found],
                         "method": ["code" if c else "unmatched" for c in found],
                         "score": [100.0 if c else 0.0 for c in found]})


def _allocate_pc4(rows: pd.DataFrame, spec: InputSpec, layout: TableLayout, registry):
    """Allocate PC4 rows to areas with the input's pc4_allocation (shares of addresses)."""
    origin = str(spec.path)
    if spec.pc4_allocation is None:
        raise ConfigError(f"{origin}: the file reports postcode areas (PC4); give the input a pc4_allocation table")
    known = set(registry.table.index)
    allocation = harmonise.read_pc4_allocation(spec.pc4_allocation, known)
    labels = sorted(set(rows["label"]))
    matches = pd.DataFrame({"label": labels, "area_code": "", "area_name": "", "score": 100.0,
                            "method": ["pc4" if label in set(allocation["from_code"]) else "unmatched" for label in labels]})
    rows = rows[rows["label"].isin(set(allocation["from_code"]))].assign(area_code=lambda r: r["label"], level="pc4")
    if rows.empty:
        return empty_tidy(), matches, []
    moved, notes = harmonise.redistribute(_tidy(rows, spec, layout, registry), allocation, {c: registry.name(c) for c in known}, origin)
    moved["level"] = moved["area_code"].map(registry.table["level"]).fillna(moved["level"])
    notes.append(f"{origin}: {rows['label'].nunique()} postcodegebied(en) over gebieden verdeeld naar aandeel adressen")
    return moved, matches, notes


def _tidy(rows: pd.DataFrame, spec: InputSpec, layout: TableLayout, registry) -> pd.DataFrame:
    level = rows["area_code"].map(registry.table["level"]).fillna(rows["level"]).fillna("")
    return pd.DataFrame({
        "area_code": rows["area_code"], "area_name": rows["area_code"].map(registry.table["area_name"]).fillna(""),
        "level": level,
        "period": rows["period"], "source": spec.source, "indicator": rows["indicator"], "value": rows["value"],
        "denominator": rows["denominator"] if "denominator" in rows else np.nan,
        "unit": rows["indicator"].map(lambda i: layout.units.get(i, layout.unit)), "flag": rows["flag"],
    })
