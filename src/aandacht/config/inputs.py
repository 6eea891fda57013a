"""Config sections for what is scored and where it comes from: the gemeente, the area
registry, the input files with their loaders and table layouts, precedence between inputs,
and the population gate."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from .base import Count, Strict
from .choices import LoaderName

MissingFlag = Literal["suppressed", "not_applicable", "not_collected"]


class Gemeente(Strict):
    """The unit whose areas are scored: its code in the area registry (a CBS gemeente code such as
    GM0080, NL00 for a national run, or any other registry code, e.g. a group of countries) and its name."""

    code: Annotated[str, Field(min_length=1, pattern=r"^\S(.*\S)?$",
                               description="area_code in the registry of the unit whose areas are scored")]
    name: str


class Areas(Strict):
    """The area registry (codes, names, levels, parents) and the polygons of its areas, used for maps and for
    placing points: ``geometry`` names a file with a column ``area_code`` (GeoJSON, GeoPackage), or a CBS
    Wijk- en Buurtkaart or generalised CBS file as published (``aandacht fetch boundaries`` writes one), read
    for the config's level and gemeente (:mod:`aandacht.inputs.boundaries`); ``geometry_layer`` names its
    layer when the file has several and none is named for the level."""

    registry: Path
    geometry: Path | None = None
    geometry_layer: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _layer_of_a_file(self) -> Areas:
        if self.geometry_layer is not None and self.geometry is None:
            raise ValueError("'geometry_layer' names a layer of 'geometry'; give 'geometry' too")
        return self


class TableLayout(Strict):
    """The layout of a table for the ``generic`` loader (and its presets), so that an
    extract with an unforeseen layout needs a config change, not code.

    Long layout: one row per area (and period), one column per indicator (``values``).
    Wide layout (``wide_periods: true``): one row per area, one column per period (the
    headers holding a four-digit year), the indicator named by ``indicator`` or, with
    ``sheet: "*"``, by each sheet's name.
    """

    sheet: str | int | None = Field(
        default=None, description='sheet name, or 0-based number among the visible sheets; "*" = every visible sheet '
        "(with wide_periods each sheet is an indicator, otherwise each sheet is a period)")
    header_row: Count(1, 1_048_576) | None = Field(default=None, description="1-based (at most Excel's last row); default: found by area_column")
    area_column: str | list[str] | None = Field(
        default=None, description="required for the generic loader; presets set it; a list = the first of these headers present")
    area_kind: Literal["auto", "code", "name", "pc4"] = "auto"
    level: str | None = Field(default=None, description="level of every row; default: from level_column or the registry")
    level_column: str | None = None
    level_values: dict[str, str] = Field(default_factory=dict, description="labels in level_column -> registry level")
    period_column: str | None = None
    wide_periods: bool = False
    indicator: str | None = None
    values: list[str] | dict[str, str] | None = Field(
        default=None, description="value columns (list) or column -> indicator name; default: every other column"
    )
    decimal: Literal["auto", ",", "."] = "auto"
    missing: dict[str, MissingFlag] = Field(default_factory=dict, description="extra missing markers -> flag")
    unit: str = ""
    units: dict[str, str] = Field(default_factory=dict, description="indicator -> unit")

    @model_validator(mode="after")
    def _layout(self) -> TableLayout:
        if self.wide_periods and self.period_column:
            raise ValueError("give either 'period_column' or 'wide_periods: true', not both")
        if self.wide_periods and self.values is not None:
            raise ValueError("with 'wide_periods: true' the value columns are the period columns; drop 'values'")
        return self


class Precedence(Strict):
    """Several inputs report the same indicator: per area take the first input in
    ``inputs`` that has a value for ``variable``; the choice is reported."""

    variable: str
    inputs: Annotated[list[str], Field(min_length=2)]
    period: str | None = Field(default=None, description="period of the combined rows; default: the config period")


YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def period_year(period: str) -> int | None:
    """The year a period label stands for in time: the last year it names ("2023" -> 2023, a school
    year "2023-2024" -> 2024, a window "2023-2025" -> 2025, a list date "2026-08-01" -> 2026); None when
    it names no year."""
    years = [int(match.group(0)) for match in YEAR.finditer(period)]
    return max(years) if years else None


class Vintage(Strict):
    """One edition of an input: the period its figures describe and the file (and sheet) holding it.

    A round takes, per input, the newest vintage of its time (:mod:`aandacht.inputs.vintages`): the
    newest whose year (``available``, else the last year ``period`` names) is not after the round's
    peildatum."""

    period: Annotated[str, Field(min_length=1, description="what the figures describe: a year (2023), a school year "
                                                            "(2023-2024), a window (2023-2025) or a list date (2026)")]
    path: Path
    sheet: str | None = Field(default=None, description="workbook sheet of this vintage (e.g. the school-year sheet)")
    available: Annotated[int, Field(ge=1900, le=2200, strict=True)] | None = Field(
        default=None, description="year from which the figures could be used (publication); default: the last year "
        "named in period")
    label: str | None = Field(default=None, description="the name the report gives this vintage; default by loader")

    @model_validator(mode="after")
    def _has_year(self) -> Vintage:
        if self.available is None and period_year(self.period) is None:
            raise ValueError(f"period {self.period!r} names no year; give 'available' (the year it can be used from)")
        return self

    @property
    def year(self) -> int:
        """The year that decides which rounds may use this vintage."""
        return self.available if self.available is not None else period_year(self.period)


class InputSpec(Strict):
    """One input file and the loader that reads it into the tidy table.

    Either one file (``path`` and ``period``) or its editions (``vintages``): then ``path``,
    ``period`` and ``sheet`` are those of the newest vintage unless given, and a herijking takes
    the newest vintage of its round's time (:func:`aandacht.inputs.vintages.resolve_round`)."""

    loader: LoaderName
    path: Path
    period: str
    vintages: list[Vintage] = Field(default_factory=list, description="the editions of this input, each with its "
                                    "period and file; a round takes the newest of its time")
    source: str | None = Field(default=None, description="source label in the tidy table; defaults to the input name")
    sheet: str | None = Field(default=None, description="workbook sheet to read; default: the first visible sheet "
                              "(oab schoolweging: the newest school-year sheet)")
    locations: Path | None = Field(
        default=None, description="school_scores only: CSV brin_vestiging,wijk_code,reason that places schools by hand"
    )
    geocoded: Path | None = Field(
        default=None, description="school tables: CSV brin_vestiging,x_rd,y_rd,wijk_code,buurt_code written by `aandacht "
        "fetch locations` (PDOK Locatieserver); places schools before the table's own place; a missing file is noted")
    other_areas: Literal["error", "ignore"] = Field(
        default="error",
        description="areas at the scored level that are not in the registry: an error (a typo or a wrong vintage), "
        "or ignored with a note (for files that cover more gemeenten, such as a national KWB download)",
    )
    out_of_range: Literal["error", "missing"] = Field(
        default="error",
        description="a value outside the valid range of its indicator's unit (a percentage under 0 or over 100, a "
        "negative count or rate, a schoolweging outside 10-50): an error naming the file and area, or left out as "
        "missing with a note",
    )
    table: TableLayout | None = Field(default=None, description="generic loader (and presets): the table layout")
    layout: Literal["auto", "school_file", "schoolweging", "leerresultaten", "dashboard"] = Field(
        default="auto", description="oab only: which OAB layout the file has"
    )
    ovt_locations: Path | None = Field(
        default=None, description="oab schoolweging/leerresultaten: CSV ovt,brin_vestiging or ovt,wijk_code placing the "
        "Inspectie's objecten van toezicht that the instellingscode does not place")
    filter: dict[str, str | list[str]] = Field(
        default_factory=dict, description="dimension column -> code(s) to keep, e.g. {VormenVanJeugdzorg: T001203}: "
        "tables with a row per area per form, age group or year feed several indicators")
    max_file_mb: Annotated[float, Field(gt=0)] = Field(
        default=200, description="size guard: a larger input file is refused before it is read (raise it for a big "
        "national file; only the columns the config needs are kept)")
    attribution: str | None = Field(default=None, description="source line for maps and report; default by loader")
    schools: Path | None = Field(default=None, description="oab: school table placing vestigingen (schools.csv or DUO list)")
    pupil_origin: Path | None = Field(default=None, description="oab: CSV brin_vestiging,area_code,leerlingen (where pupils live)")
    aliases: Path | None = Field(default=None, description="CSV alias,area_code,note: other names of areas (e.g. Frisian)")
    pc4_allocation: Path | None = Field(default=None, description="CSV pc4,area_code,share: postcode areas to areas")
    crosswalk: Path | None = Field(
        default=None, description="CSV from_year,to_year,from_code,to_code,weight: converts this input's boundary vintage"
    )
    vintage: str | None = Field(default=None, description="boundary year of this input's areas (with crosswalk)")
    crosswalk_to: str | None = Field(default=None, description="target boundary year; default: the registry's vintage")
    fuzzy_threshold: Annotated[float, Field(ge=0, le=100)] = Field(
        default=90, description="rapidfuzz score (0-100) above which a name is matched fuzzily (always reported)"
    )
    family: str | None = Field(
        default=None, description="source family (monitor) for the consensus check; defaults to the input name"
    )

    @model_validator(mode="before")
    @classmethod
    def _newest_vintage(cls, raw):
        """With ``vintages``: the newest vintage's path, period and sheet where they are not given."""
        if not isinstance(raw, dict) or not raw.get("vintages") or ("path" in raw and "period" in raw):
            return raw
        if not isinstance(raw["vintages"], list):
            return raw  # the field's own validation names the key path
        vintages = []
        for position, vintage in enumerate(raw["vintages"]):
            try:
                vintages.append(Vintage.model_validate(vintage))
            except ValidationError as error:
                first = error.errors()[0]
                where = ".".join(str(part) for part in first["loc"])
                raise ValueError(f"vintages[{position}]{'.' + where if where else ''}: {first['msg']}") from None
        newest = max(vintages, key=lambda v: v.year)
        filled = {"path": raw.get("path", newest.path), "period": raw.get("period", newest.period)}
        if newest.sheet is not None and "sheet" not in raw and "path" not in raw:
            filled["sheet"] = newest.sheet
        return {**raw, **filled}

    @model_validator(mode="after")
    def _distinct_vintages(self) -> InputSpec:
        periods = [v.period for v in self.vintages]
        twice = sorted({p for p in periods if periods.count(p) > 1})
        if twice:
            raise ValueError(f"vintages: period(s) {twice} appear more than once")
        return self


class PopulationGate(Strict):
    """Areas with fewer than ``minimum`` of the counted population get no score; with
    ``relative_to_median`` the gate is max(minimum, relative_to_median x the median population of
    the gemeente's areas at the level), so it scales with the gemeente's areas.

    The programme is about children, so the gate counts children (or households with
    children), not residents: a wijk of students or elderly is not ranked on adult
    poverty alone.
    """

    input: str
    variable: str
    minimum: Annotated[float, Field(ge=0)]
    label: str
    relative_to_median: Annotated[float, Field(ge=0, le=1)] | None = Field(
        default=None, description="the gate scales with the data: an area also needs at least this share of the "
                                  "median population of the gemeente's areas at the level (gate = max(minimum, share x median))")
