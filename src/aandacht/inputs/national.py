"""The national embedded data (``data/nl/``) and what one gemeente's project takes from it.

``scripts/build_data.py`` writes the national extracts from the public downloads (sources, years,
licences: ``data/README.md``); every file is gzip-compressed CSV, the wijk polygons gzip-compressed
GeoJSON (EPSG:28992):

* ``gebieden.csv.gz``: every gemeente, wijk and buurt of KWB 2023 (area_code, area_name, level,
  parent_code, vintage, name_source);
* ``kwb-2023.csv.gz``: Kerncijfers Wijken en Buurten 2023, every row (Nederland, gemeenten, wijken,
  buurten), the shipped columns, values as published; ``kwb-2022.csv.gz``: KWB 2022 per wijk and
  gemeente (tmap);
* ``wijken-2022.geojson.gz``: the precise 2022 polygons of the KWB 2023 wijk codes that have one;
* ``scholen-2019.csv.gz``: every vestiging with a CBS achterstandsscore 2019, with its point (BAG
  2024, else OSM 2020), gemeente and 2023 wijk; ``vestigingen.csv.gz``: the current vestigingen
  (DUO 2026, BAG points of November 2024), placed alike; ``besturen.csv.gz``: DUO's board names;
* ``schoolweging-*.csv.gz`` and ``leerresultaten.csv.gz``: the Inspectie's sheets, every row.

A gemeente is named by its CBS code (``GM0014``, or the bare number ``14`` / ``0014`` as GGD and
Swing files write it) or by its name, Dutch or Frisian, matched as wijk
names are (:class:`aandacht.inputs.harmonise.AreaMatcher`: exact, normalised, alias from
``configs/aliases_gemeenten.csv``, then fuzzy), then as the first word(s) of exactly one name
("Bergen" names both "Bergen (NH.)" and "Bergen (L.)": an error listing both); a name that matches
nothing or several gemeenten is an error naming the closest candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from ..errors import ConfigError, DataError
from ..resources import embedded_root
from .areas import AreaRegistry, area_of_points
from .harmonise import AreaMatcher, normalise_name, read_aliases

REGISTRY_COLUMNS = ["area_code", "area_name", "level", "parent_code", "vintage", "name_source"]
SCHOOLWEGING_SHEETS = ("2023-2024", "2022-2023", "2021-2022", "driejaarsgemiddelde")
GEMEENTE_CODE = re.compile(r"^\s*(?:GM\s*)?(\d{1,4})\s*$", re.IGNORECASE)


def national_dir() -> Path:
    """The folder of the national extracts in this installation."""
    return embedded_root() / "data" / "nl"


@cache
def read_national(name: str) -> pd.DataFrame:
    """One national extract (``data/nl/<name>``), every cell as text (empty cells as "")."""
    return pd.read_csv(national_dir() / name, dtype=str, keep_default_na=False, compression="gzip")


@cache
def national_wijken():
    """The 2022 wijk polygons of every gemeente (``wijken-2022.geojson.gz``), read once per process: reading
    all 3,214 and taking a gemeente's is faster than GDAL's filtered read of the same file (0.13 s against
    0.21 s), and a second gemeente in the process takes its own at no cost."""
    import geopandas as gpd

    return gpd.read_file(f"/vsigzip/{national_dir() / 'wijken-2022.geojson.gz'}")


def gemeenten() -> pd.DataFrame:
    """The 342 gemeenten of 2023: area_code, area_name."""
    registry = read_national("gebieden.csv.gz")
    return registry.loc[registry["level"] == "gemeente", ["area_code", "area_name"]].reset_index(drop=True)


def find_gemeente(label: str) -> tuple[str, str]:
    """(code, name) of the gemeente ``label`` names (module docstring); an error names the closest candidates."""
    if not str(label).strip():
        raise ConfigError("no gemeente given: name one (Leeuwarden, Súdwest-Fryslân) or give its CBS code (GM0080)")
    table = gemeenten().assign(level="gemeente", parent_code="", vintage="2023").set_index("area_code", drop=False)
    names = table["area_name"]
    code = GEMEENTE_CODE.match(str(label))
    if code:
        key = f"GM{int(code.group(1)):04d}"
        if key not in names.index:
            raise ConfigError(f"gemeente code {label!r} is not a gemeente of 2023 (342 codes, GM0003 to GM1992)")
        return key, names[key]
    registry = AreaRegistry(table, "gemeenten 2023")
    aliases = read_aliases(embedded_root() / "configs" / "aliases_gemeenten.csv", set(names.index))
    found = AreaMatcher(registry, aliases).match([label]).iloc[0]
    if found["method"] in ("code", "name", "alias", "fuzzy") and found["area_code"]:
        return found["area_code"], names[found["area_code"]]
    key = normalise_name(label)
    starting = [code for code, name in names.items() if normalise_name(name).startswith(key + " ")] if key else []
    if len(starting) == 1:
        return starting[0], names[starting[0]]
    if len(starting) > 1:
        shown = ", ".join(f"{names[code]} ({code})" for code in starting)
        raise ConfigError(f"gemeente {label!r} matches several gemeenten: {shown}; give the full name or the CBS code")
    from rapidfuzz import fuzz, process

    choices = {code: normalise_name(name) for code, name in names.items()}
    choices |= {f"{code}|{alias}": alias for alias, code in aliases.items()}
    closest = process.extract(key, choices, scorer=fuzz.WRatio, limit=8)
    shown = list(dict.fromkeys(f"{names[key.split('|')[0]]} ({key.split('|')[0]})" for _, _, key in closest))[:3]
    what = "matches several gemeenten" if found["method"] == "ambiguous" else "matches no gemeente"
    raise ConfigError(f"gemeente {label!r} {what}; closest: {', '.join(shown)} (or give the CBS code, e.g. GM0080)")


@dataclass
class GemeenteData:
    """One gemeente's share of the national extracts (module docstring)."""

    code: str
    name: str
    registry: pd.DataFrame  # the gemeente, its wijken and buurten (REGISTRY_COLUMNS)
    kwb2023: pd.DataFrame  # Nederland, the gemeente, its wijken and buurten
    kwb2022: pd.DataFrame  # the gemeente and those of its 2022 wijken whose code exists in 2023
    wijken: object  # GeoDataFrame: area_code, area_name, geometry (EPSG:28992)
    schools: pd.DataFrame  # scored in 2019, in the gemeente (the IKC registry)
    vestigingen: pd.DataFrame  # current vestigingen in the gemeente
    schoolweging: dict[str, pd.DataFrame]  # sheet -> rows of the gemeente's objecten van toezicht
    leerresultaten: pd.DataFrame
    besturen: pd.DataFrame  # bevoegd_gezag_nummer, naam of the boards of its schools
    notes: list[str] = field(default_factory=list)
    buurten: object = None  # GeoDataFrame of its buurten from a boundary file (:func:`with_boundaries`), else None
    boundary_source: str = ""  # the boundary file the polygons and names of the ranked level come from

    @property
    def wijken_without_polygon(self) -> list[str]:
        """Wijk codes of 2023 without a public 2022 polygon (a new wijk division)."""
        codes = self.registry.loc[self.registry["level"] == "wijk", "area_code"]
        return sorted(set(codes) - set(self.wijken["area_code"]))


@cache
def _instellingscodes(name: str, column: str) -> pd.Series:
    """Per row of the national extract ``name`` the instellingscode of its ``column`` (the first four characters,
    upper case), computed once per process (a sweep cuts every gemeente from the same table)."""
    return read_national(name)[column].str.strip().str.upper().str[:4]


@cache
def _gemeente_numbers() -> pd.Series:
    """Per row of ``gebieden.csv.gz`` the gemeente number of a wijk or buurt code (``WK001400`` and
    ``BU00140000``: ``0014``; empty for a gemeente), computed once per process."""
    codes = read_national("gebieden.csv.gz")["area_code"]
    return codes.str[2:6].where(codes.str[:2].isin(["WK", "BU"]), "")


def _ovt_rows(name: str, column: str, vestigingen: pd.DataFrame) -> pd.DataFrame:
    """The objecten van toezicht of the national extract ``name`` whose instellingscode (``column``) is that of
    one of the gemeente's vestigingen."""
    codes = set(vestigingen["brin_vestiging"].str[:4])
    return read_national(name)[_instellingscodes(name, column).isin(codes)].reset_index(drop=True)


def gemeente_data(code: str) -> GemeenteData:
    """Cut one gemeente's tables from the national extracts."""
    registry = read_national("gebieden.csv.gz")
    number = code[2:]
    mine = registry[(registry["area_code"] == code) | (_gemeente_numbers() == number)]
    name = mine.loc[mine["area_code"] == code, "area_name"].item()
    kwb = read_national("kwb-2023.csv.gz")
    kwb2023 = kwb[kwb["gwb_code_10"].isin({"NL00", *mine["area_code"]})].reset_index(drop=True)
    kwb22 = read_national("kwb-2022.csv.gz")
    kwb2022 = kwb22[kwb22["gwb_code"].isin(set(mine["area_code"]))].reset_index(drop=True)
    national = national_wijken()
    polygons = national[national["area_code"].str.startswith(f"WK{number}")].reset_index(drop=True)
    names = mine.set_index("area_code")["area_name"]
    polygons.insert(1, "area_name", polygons["area_code"].map(names))
    schools = read_national("scholen-2019.csv.gz")
    schools = schools[schools["gemeente_code"] == code].drop(columns="gemeente_code").reset_index(drop=True)
    vestigingen = read_national("vestigingen.csv.gz")
    vestigingen = vestigingen[vestigingen["gemeente_code"] == code].drop(columns="gemeente_code").reset_index(drop=True)
    sheets = {sheet: _ovt_rows(f"schoolweging-{sheet}.csv.gz", "OVT", vestigingen) for sheet in SCHOOLWEGING_SHEETS}
    leerresultaten = _ovt_rows("leerresultaten.csv.gz", "ovt", vestigingen)
    boards = read_national("besturen.csv.gz")
    numbers = set(schools["bevoegd_gezag_nummer"]) | set(vestigingen["bevoegd_gezag_nummer"])
    besturen = boards.loc[boards["bevoegd_gezag_nummer"].isin(numbers), ["bevoegd_gezag_nummer", "naam"]]
    return GemeenteData(code, name, mine[REGISTRY_COLUMNS].reset_index(drop=True), kwb2023, kwb2022, polygons,
                        schools, vestigingen, sheets, leerresultaten, besturen.reset_index(drop=True))


def with_boundaries(data: GemeenteData, level: str, path, layer: str | None = None) -> GemeenteData:
    """``data`` with the ``level`` polygons and names of a boundary file (:func:`aandacht.inputs.boundaries.
    read_boundaries`): the registry takes the file's names for those areas (``name_source`` the file), and the
    schools and vestigingen are placed in those areas by point in polygon (their ``wijk_code`` then holds the
    area of that level; a point in no area is unplaced). Codes of the file that are not in the registry of
    KWB 2023 (another vintage of the division) are left out and noted."""
    import dataclasses

    from .boundaries import read_boundaries

    polygons = read_boundaries(Path(path), level, data.code, layer)
    known = set(data.registry.loc[data.registry["level"] == level, "area_code"])
    other = sorted(set(polygons["area_code"]) - known)
    polygons = polygons[polygons["area_code"].isin(known)]
    if polygons.empty:
        raise DataError(f"{path}: none of its {level}en is a {level} of {data.code} in KWB 2023 (another division?)")
    notes = [f"{path}: {len(polygons)} {level}en met polygoon en naam"]
    if other:
        notes.append(f"{path}: {len(other)} {level}(en) niet in KWB 2023, weggelaten: {', '.join(other[:5])}")
    registry = data.registry.copy()
    names = polygons.set_index("area_code")["area_name"]
    mine = registry["area_code"].isin(names.index)
    registry.loc[mine, "area_name"] = registry.loc[mine, "area_code"].map(names)
    registry.loc[mine, "name_source"] = f"boundary file {Path(path).name}"

    def placed(table: pd.DataFrame) -> pd.DataFrame:
        code = area_of_points(pd.to_numeric(table["x_rd"], errors="coerce"), pd.to_numeric(table["y_rd"], errors="coerce"),
                              polygons)
        return table.assign(wijk_code=code.to_numpy(),
                            placement=["point_in_polygon" if c else "unplaced" for c in code])

    update = {"registry": registry, "schools": placed(data.schools), "vestigingen": placed(data.vestigingen),
              "notes": [*data.notes, *notes], "boundary_source": Path(path).name}
    if level == "wijk":
        update["wijken"] = polygons[["area_code", "area_name", "geometry"]].reset_index(drop=True)
    else:
        update["buurten"] = polygons[["area_code", "area_name", "parent_code", "geometry"]].reset_index(drop=True)
    return dataclasses.replace(data, **update)
