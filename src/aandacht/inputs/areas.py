"""The area registry: codes, names, levels, parents, vintages and (lazily) geometries.

Area codes are opaque strings. The registry is a CSV with columns area_code,
area_name, level, parent_code and vintage; the hierarchy (buurt -> wijk -> gemeente,
or any other units) is given by parent_code and must be a forest: every parent must
exist and there may be no cycle. An optional column name_source says where each name comes
from (``aandacht init`` writes it from the national registry, ``data/nl/gebieden.csv.gz``); a
name_source starting "geen publieke naam" marks a name made from the code because no published
name was found (:func:`code_named`). Geometries (GeoJSON or GeoPackage, any CRS) are
reprojected to EPSG:28992 (RD New), the Dutch national grid used for every overlay.
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
    _geometry: object = field(default=None, repr=False)

    def name(self, code: str) -> str:
        return str(self.table.at[code, "area_name"]) if code in self.table.index else ""

    @property
    def parents(self) -> dict[str, str]:
        """Area code -> parent code ('' for a root)."""
        return dict(zip(self.table.index, self.table["parent_code"]))

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
            self._geometry = read_geometry(self.geometry_path, set(self.table.index))
        return self._geometry


def code_named(table: pd.DataFrame, level: str) -> list[str]:
    """Codes at ``level`` of a registry table whose name is made from the code, not published (a name_source
    starting "geen publieke naam", module docstring); none where the table has no name_source column."""
    if NAME_SOURCE not in table.columns:
        return []
    mask = (table["level"] == level) & table[NAME_SOURCE].fillna("").str.startswith(CODE_NAMED)
    return table.loc[mask, "area_code"].tolist()


def code_named_note(table: pd.DataFrame, level: str, where: str) -> str:
    """The analyst's note (English) on the areas of ``level`` named by code (:func:`code_named`): how many, an
    example and how to get their names; "" when every area has a published name."""
    named = code_named(table, level)
    if not named:
        return ""
    total = int((table["level"] == level).sum())
    example = table.loc[table["area_code"] == named[0], "area_name"].iloc[0]
    return (f"{where}: {len(named)} of {total} {level}en have no published name and are named by code (e.g. "
            f"\"{example}\"; see name_source); a boundary file with their names (the CBS wijk- en buurtkaart, "
            "`aandacht init --boundaries`) gives them")


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


def read_geometry(path: Path, known_codes: set[str] | None = None, code_column: str = "area_code"):
    """Read polygons, reproject to EPSG:28992 and check them.

    ``code_column`` holds the area code (renamed to ``area_code``); with ``known_codes``
    every code must be in the registry. Empty or invalid geometries are errors.
    """
    import geopandas as gpd

    require_file(path, "geometry file")
    frame = gpd.read_file(path)
    if code_column not in frame.columns:
        raise DataError(f"{path}: geometry file lacks the column {code_column}")
    frame = frame.rename(columns={code_column: "area_code"})
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
