"""The area registry: codes, names, levels, parents, vintages and (lazily) geometries.

Area codes are opaque strings. The registry is a CSV with columns area_code,
area_name, level, parent_code and vintage; the hierarchy (buurt -> wijk -> gemeente,
or any other units) is given by parent_code and must be a forest: every parent must
exist and there may be no cycle. An optional column name_source says where each name comes
from (``aandacht init`` writes it from the national registry, ``data/nl/gebieden.csv.gz``); a
name_source starting "geen publieke naam" marks a name made from the code because no published
name was found (:func:`code_named`). Geometries (GeoJSON or GeoPackage, any CRS) are
reprojected to EPSG:28992 (RD New), the Dutch national grid used for every overlay. The geometry
file holds a column ``area_code``, or it is a CBS boundary file as published (the Wijk- en
Buurtkaart, ``aandacht fetch boundaries``, the generalised CBS files), read for the config's level
and gemeente by :func:`aandacht.inputs.boundaries.read_boundaries`; its areas that are not in the
registry (another year's division) are left out and noted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataError, require_file
from .reading import fail_at_first, read_table, require_columns

REGISTRY_COLUMNS = ("area_code", "area_name", "level", "parent_code", "vintage")
NAME_SOURCE = "name_source"  # optional registry column (module docstring)
CODE_NAMED = "geen publieke naam"  # how name_source starts for a name made from a code (scripts/build_data.py)
RD_NEW = "EPSG:28992"
# Bounds of the Netherlands in RD New (x from about 7,000 to 300,000 m, y from 289,000 to 629,000 m),
# with a margin: a geometry outside them was declared in the wrong CRS.
RD_BOUNDS = (-10_000.0, 280_000.0, 320_000.0, 640_000.0)


@dataclass
class AreaRegistry:
    """Areas indexed by code, with an optional geometry file read on first use."""

    table: pd.DataFrame
    source: str
    geometry_path: Path | None = None
    geometry_layer: str | None = None
    level: str | None = None  # the level and gemeente a CBS boundary file is read for (module docstring)
    gemeente: str | None = None
    notes: list[str] = field(default_factory=list)  # what reading the geometry left out
    _geometry: object = field(default=None, repr=False)
    _parents: tuple | None = field(default=None, repr=False, compare=False)  # (the table, its parents)

    def name(self, code: str) -> str:
        return str(self.table.at[code, "area_name"]) if code in self.table.index else ""

    @property
    def parents(self) -> dict[str, str]:
        """Area code -> parent code ('' for a root); made once per table (the designation and selection ask
        for the ancestors of every area: a table is replaced, never changed in place)."""
        if self._parents is None or self._parents[0] is not self.table:
            self._parents = (self.table, dict(zip(self.table.index, self.table["parent_code"])))
        return self._parents[1]

    def children_of(self, code: str, level: str) -> list[str]:
        """Codes at ``level`` that descend from ``code`` (in registry order)."""
        parents = self.parents
        wanted = self.table.index[self.table["level"] == level]
        return [c for c in wanted if code in _ancestors(c, parents)]

    def ancestors(self, code: str) -> list[str]:
        """Parent, grandparent, ... of ``code`` (the hierarchy is checked to be acyclic)."""
        return _ancestors(code, self.parents)

    def geometry(self):
        """The areas' geometries as a GeoDataFrame in EPSG:28992, indexed by area_code."""
        if self._geometry is None:
            if self.geometry_path is None:
                raise DataError(f"{self.source}: no geometry file is configured (areas.geometry)")
            self._geometry = read_geometry(self.geometry_path, set(self.table.index), layer=self.geometry_layer,
                                           level=self.level, gemeente=self.gemeente, notes=self.notes)
        return self._geometry


def area_registry(config) -> AreaRegistry:
    """The config's registry with its geometry (``areas``), a CBS boundary file read for its level and gemeente."""
    registry = load_registry(config.areas.registry, config.areas.geometry)
    registry.geometry_layer = config.areas.geometry_layer
    registry.level, registry.gemeente = config.level, config.gemeente.code
    return registry


def code_named(table: pd.DataFrame, level: str) -> list[str]:
    """Codes at ``level`` of a registry table whose name is made from the code, not published (a name_source
    starting "geen publieke naam", module docstring); none where the table has no name_source column."""
    if NAME_SOURCE not in table.columns:
        return []
    mask = (table["level"] == level) & table[NAME_SOURCE].fillna("").str.startswith(CODE_NAMED)
    return table.loc[mask, "area_code"].tolist()


def code_named_note(table: pd.DataFrame, level: str, where: str) -> str:
    """The analyst's note (Dutch, as every note) on the areas of ``level`` named by code (:func:`code_named`): how many, an
    example and how to get their names; "" when every area has a published name."""
    named = code_named(table, level)
    if not named:
        return ""
    total = int((table["level"] == level).sum())
    example = table.loc[table["area_code"] == named[0], "area_name"].iloc[0]
    return (f"{where}: {len(named)} van de {total} {level}en hebben geen gepubliceerde naam en heten naar hun "
            f"code (bijvoorbeeld \"{example}\"; zie name_source); een grenzenbestand met hun namen (de CBS "
            "wijk- en buurtkaart: `aandacht fetch boundaries`, dan `aandacht init --boundaries`) geeft ze")


def area_of_points(x: pd.Series, y: pd.Series, polygons) -> pd.Series:
    """The area_code of the polygon each point (RD coordinates ``x``, ``y``, in the polygons' CRS) lies within,
    point in polygon; the first area where polygons overlap, "" outside every polygon or without coordinates.
    Indexed as ``x``."""
    import geopandas as gpd

    known = x.notna() & y.notna()
    points = gpd.GeoDataFrame(index=x.index[known], geometry=gpd.points_from_xy(x[known], y[known]), crs=polygons.crs)
    # the polygons may be indexed by area_code and hold it as a column too: sjoin needs a plain index
    hits = gpd.sjoin(points, polygons[["area_code", "geometry"]].reset_index(drop=True), how="left", predicate="within")
    return hits.groupby(level=0)["area_code"].first().reindex(x.index).fillna("")


def load_registry(path: Path, geometry: Path | None = None) -> AreaRegistry:
    """Read and check a registry CSV (see the module docstring)."""
    table = read_table(path)
    require_columns(table, REGISTRY_COLUMNS, path, "area registry")
    table = table.loc[:, [*REGISTRY_COLUMNS, *([NAME_SOURCE] if NAME_SOURCE in table.columns else [])]].fillna("")
    table["area_code"] = table["area_code"].str.strip()
    fail_at_first(table["area_code"].duplicated(), table.index, path,
                  lambda i: f"duplicate area_code {table['area_code'].iloc[i]}")
    table = table.set_index("area_code", drop=False)
    _check_hierarchy(table, path)
    return AreaRegistry(table, str(path), geometry)


def _ancestors(code: str, parents: dict[str, str]) -> list[str]:
    chain = []
    parent = parents[code]
    while parent:
        chain.append(parent)
        parent = parents[parent]
    return chain


def _check_hierarchy(table: pd.DataFrame, path: Path) -> None:
    """Every parent exists and following parents never returns to a code already visited."""
    parents = dict(zip(table.index, table["parent_code"]))
    for code, parent in parents.items():
        if parent and parent not in parents:
            raise DataError(f"{path}: area {code} has parent {parent}, which is not in the registry")
    acyclic: set[str] = {""}
    for start in parents:
        seen = [start]
        parent = parents[start]
        while parent not in acyclic:
            if parent in seen:
                raise DataError(f"{path}: the area hierarchy has a cycle: {' -> '.join([*seen, parent])}")
            seen.append(parent)
            parent = parents[parent]
        acyclic.update(seen)


def frame_crs_name(path: Path, frame) -> str:
    """The CRS the file declared (for messages)."""
    import pyogrio

    return str(pyogrio.read_info(path).get("crs") or "an undeclared CRS")


def read_geometry(path: Path, known_codes: set[str] | None = None, code_column: str = "area_code",
                  layer: str | None = None, level: str | None = None, gemeente: str | None = None,
                  notes: list[str] | None = None):
    """Read polygons, reproject to EPSG:28992 and check them.

    ``code_column`` holds the area code (renamed to ``area_code``); with ``known_codes``
    every code must be in the registry. Empty or invalid geometries are errors. A file
    without ``code_column`` is read as a CBS boundary file for ``level`` and ``gemeente``
    (module docstring); its codes outside ``known_codes`` are left out and said in ``notes``.
    """
    import geopandas as gpd
    import pyogrio

    require_file(path, "geometry file")
    try:
        fields = list(pyogrio.read_info(path, layer=layer)["fields"])
    except Exception as error:  # no such layer, or a file GDAL cannot open
        layers = _layers(path)
        raise DataError(f"{path}: no layer {layer!r} (areas.geometry_layer); its layers are {layers}"
                        if layer is not None and layers else
                        f"{path}: not a geometry file GDAL can read ({str(error).splitlines()[0]})") from None
    if code_column not in fields:
        frame = _boundary_file(path, layer, level, gemeente, code_column).reset_index(drop=True)
        unknown = sorted(set(frame["area_code"]) - known_codes) if known_codes is not None else []
        if unknown:
            frame = frame[~frame["area_code"].isin(unknown)]
            if notes is not None:
                notes.append(f"{path}: {len(unknown)} {level}(en) van het grenzenbestand niet in het gebiedenregister, "
                             f"weggelaten (een indeling van een ander jaar?): {', '.join(unknown[:5])}")
        if frame.empty:
            raise DataError(f"{path}: none of its {level}en is in the area registry (another year's division?)")
        known_codes = None
    else:
        frame = gpd.read_file(path, layer=layer).rename(columns={code_column: "area_code"})
    if frame.crs is None:
        raise DataError(f"{path}: geometry file has no CRS; expected EPSG:28992 or another defined CRS")
    empty = frame.geometry.is_empty | frame.geometry.isna()
    if empty.any():
        raise DataError(f"{path}: area {frame.loc[empty, 'area_code'].iloc[0]} has an empty geometry")
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        raise DataError(f"{path}: area {frame.loc[invalid, 'area_code'].iloc[0]} has an invalid geometry (self-intersection?)")
    frame = frame.to_crs(RD_NEW)
    x_min, y_min, x_max, y_max = frame.total_bounds
    if not (x_min >= RD_BOUNDS[0] and y_min >= RD_BOUNDS[1] and x_max <= RD_BOUNDS[2] and y_max <= RD_BOUNDS[3]):
        raise DataError(
            f"{path}: coordinates fall outside the Netherlands after reprojection from {frame_crs_name(path, frame)}; "
            "the file's declared CRS does not match its coordinates"
        )
    unknown = sorted(set(frame["area_code"]) - known_codes) if known_codes is not None else []
    if unknown:
        raise DataError(f"{path}: area code(s) {unknown[:5]} are not in the area registry")
    return frame.set_index("area_code", drop=False)


def _layers(path: Path) -> list[str]:
    import pyogrio

    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception:  # not a file GDAL can open: the caller says so
        return []


def _boundary_file(path: Path, layer: str | None, level: str | None, gemeente: str | None, code_column: str):
    """The ``level`` areas of ``gemeente`` in a CBS boundary file (module docstring), or why the file is neither
    a geometry file nor a boundary file this config can read."""
    import re

    import pyogrio

    from .boundaries import CODE_COLUMNS, boundary_layer, read_boundaries
    from .codes import GEMEENTE

    if level not in CODE_COLUMNS or not re.fullmatch(GEMEENTE, gemeente or ""):
        raise DataError(f"{path}: geometry file lacks the column {code_column} (a CBS boundary file without it is "
                        f"read for the wijken or buurten of a gemeente; this config has level {level!r}, gemeente "
                        f"{gemeente!r})")
    chosen = boundary_layer(path, level, layer)
    columns = {c.lower() for c in pyogrio.read_info(path, layer=chosen)["fields"]}
    if not columns & {c.lower() for c in CODE_COLUMNS[level]}:
        raise DataError(f"{path}: geometry file has neither the column {code_column} nor a CBS {level} code column "
                        f"({', '.join(CODE_COLUMNS[level])}); columns are {', '.join(sorted(columns)[:12])}")
    return read_boundaries(path, level, gemeente, chosen)
