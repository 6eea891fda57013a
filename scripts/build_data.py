"""Build the small derived data extracts shipped in ``data/<gemeente>/``.

Run from the repository root::

    python scripts/build_data.py --raw PATH/TO/raw [--names-raw PATH/TO/names]

The raw directory holds the public source files described in its PROVENANCE.md; the names directory
(default: the raw directory) holds the table of published wijk and buurt names (scripts/build_names.py,
its PROVENANCE.md beside it). Every output is
rewritten from scratch. The output is deterministic: a rerun gives the same bytes. Values that are
published figures are copied as strings, so nothing is recomputed or invented; the per-wijk school
extracts are computed by aandacht's own loaders from the per-school extracts next to them (the same
computation every run makes). See data/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Point

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_names import NAME_SOURCE, NAMES_FILE, VINTAGE, published_names  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
RD_CRS = "EPSG:28992"

RAW_FILES = {
    "kwb_2023": "cbs_kwb_2023_inmindaen/kwb2023_GM0080_GM0546_GM1916_gm_wk_bu_43cols.csv",
    "kwb_2022": "cbs_kwb_2022_tmap/tmap_NLD_dist_2022_attributes.csv",
    "tmap_wijken": "cbs_kwb_2022_tmap/tmap_NLD_dist_2022_rd.geojson",
    "buurt_2022_GM0080": "cbs_gebiedsindelingen_cartomap/buurt_2022_GM0080.geojson",
    "wijk_2024_GM0080": "cbs_gebiedsindelingen_cartomap/wijk_2024_GM0080.geojson",
    "wijk_2024_GM0546": "cbs_gebiedsindelingen_cartomap/wijk_2024_GM0546.geojson",
    "wijk_2024_GM1916": "cbs_gebiedsindelingen_cartomap/wijk_2024_GM1916.geojson",
    "scores": ("cbs_achterstandsscores_basisscholen_2019/"
               "achterstandsscores-scholen-2019_tabel1_tabel2.csv"),
    "duo_2020": "duo_po_vestigingen/alle-vestigingen-bo_2020.csv",
    "duo_2020_geocoded": "duo_po_vestigingen/alle-vestigingen-bo_2020_geocoded_osm.csv",
    "duo_2017": "duo_po_vestigingen/03.-alle-vestigingen-basisonderwijs_2017.csv",
    "eindtoets": "duo_po_vestigingen/gemiddelde-eindscores-bo-sbo-2018-2019.csv",
    "duo_2026": "duo_po_vestigingen/02.-alle-schoolvestigingen-basisonderwijs_2026.csv",
    "bag_2024": "duo_scholen_2024_bag/scholen20241122.geo.zip",
    "schoolweging": "inspectie_schoolweging/schoolweging.ods",
    "leerresultaten": "inspectie_schoolweging/leerresultaten.ods",
    "kwb_2023_nl": "cbs_kwb_2023_inmindaen/kwb-2023-transformed.xlsx",
    "tmap_gemeenten": "cbs_kwb_2022_tmap/tmap_NLD_muni_2022_attributes.csv",
    "besturen": "duo_besturen/duo_besturen_bo_besturenlijst_excerpt.csv",
}

KWB_2023_COLUMNS = [
    "gwb_code_10", "gm_naam", "a_inw", "a_hh", "a_hh_m_k", "a_nl_all", "a_eur_al", "a_neu_al",
    "g_wozbag", "g_ink_pi", "p_ink_li", "p_hh_li", "a_soz_wb", "a_jz_tn", "p_jz_tn", "a_wmo_t",
]
KWB_2022_RENAME = {
    "code": "gwb_code",
    "name": "regio_naam",
    "population": "a_inw",
    "pop_0_14": "p_00_14_jr",
    "dwelling_ownership": "p_koopw",
    "income_low": "p_ink_laag",
    "dwelling_value": "g_wozbag",
}
SCORE_COLUMNS = {
    "aantal_bekostigde_leerlingen": "leerlingen",
    "achterstandsscore": "achterstandsscore",
    "voetnoot": "voetnoot",
    "achterstandsscore_zonder_drempel": "achterstandsscore_zonder_drempel",
    "achterstandsscore_zonder_drempel_onderbouw": "achterstandsscore_zonder_drempel_onderbouw",
    "achterstandsscore_zonder_drempel_bovenbouw": "achterstandsscore_zonder_drempel_bovenbouw",
    "voetnoot_t2": "voetnoot_t2",
}
SCHOOL_COLUMNS = [
    "brin_vestiging", "brin", "vestigingsnummer", "name", "bevoegd_gezag_nummer", "denominatie",
    "soort_po", "street", "house_number", "postcode", "plaats", "in_duo_2020", "source_list",
    "lat", "lon", "x_rd", "y_rd", *SCORE_COLUMNS.values(), "wijk_code", "placement",
]
OVERRIDE_COLUMNS = ["brin_vestiging", "wijk_code", "reason"]
VESTIGING_COLUMNS = [
    "brin_vestiging", "name", "soort", "bevoegd_gezag_nummer", "denominatie", "street", "house_number",
    "postcode", "plaats", "in_duo_2024", "in_duo_2026", "lat", "lon", "x_rd", "y_rd", "wijk_code", "placement",
]
# The Inspectie's sheets copied per gemeente (sheet -> output file), the newest school year first.
SCHOOLWEGING_SHEETS = {"2023-2024": "schoolweging-2023-2024.csv", "2022-2023": "schoolweging-2022-2023.csv",
                       "2021-2022": "schoolweging-2021-2022.csv", "Driejaarsgemiddelde": "schoolweging-driejaarsgemiddelde.csv"}


@dataclass(frozen=True)
class Gemeente:
    """One gemeente the product ships data for."""

    slug: str  # output folder under data/
    gm_code: str  # CBS code, e.g. GM0080
    overrides: str  # school location override file, relative to the repo root
    legacy_numbers: tuple[str, ...]  # GEMEENTENUMMERs in the 2017 DUO list that belong to it today
    with_buurten: bool
    ovt_locations: str | None = None  # the analyst's table placing objecten van toezicht, relative to the repo root

    @property
    def number(self) -> str:
        """The four-digit gemeentenummer used by DUO."""
        return self.gm_code[2:]


GEMEENTEN = (
    # Leeuwarderadeel (0081) merged entirely into Leeuwarden on 2018-01-01.
    Gemeente("leeuwarden", "GM0080", "configs/school_locations.csv", ("0080", "0081"), True, "configs/ovt_locations.csv"),
    Gemeente("leiden", "GM0546", "configs/school_locations_leiden.csv", ("0546",), False),
    Gemeente("leidschendam-voorburg", "GM1916",
             "configs/school_locations_leidschendam-voorburg.csv", ("1916",), False),
)


def parse_args() -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True,
                        help="directory with the raw source files (the public downloads described in data/README.md)")
    parser.add_argument("--names-raw", type=Path, default=None,
                        help=f"directory holding {NAMES_FILE} (the published wijk and buurt names); default: --raw")
    return parser.parse_args()


def raw_paths(raw: Path, names_raw: Path | None = None) -> dict[str, Path]:
    """Return the path of every raw input (the names table under ``names_raw``, default ``raw``); exit with a
    clear message if any is missing."""
    paths = {key: raw / rel for key, rel in RAW_FILES.items()}
    paths["names"] = (names_raw or raw) / NAMES_FILE
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        sys.exit("error: raw file(s) missing:\n  " + "\n  ".join(missing))
    return paths


def read_str_csv(path: Path, **kwargs) -> pd.DataFrame:
    """Read a CSV with every cell as a verbatim string (empty cells stay empty strings)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kwargs)


def write_csv(df: pd.DataFrame, path: Path) -> int:
    """Write a UTF-8, comma-separated CSV without index and return its row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return len(df)


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> int:
    """Write a GeoJSON in EPSG:28992, check the CRS round-trips, and return the feature count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    gdf.to_file(path, driver="GeoJSON", engine="pyogrio")
    if gpd.read_file(path).crs != RD_CRS:
        sys.exit(f"error: {path} does not read back as {RD_CRS}")
    return len(gdf)


def in_gemeente(codes: pd.Series, gm: Gemeente) -> pd.Series:
    """Mask for CBS area codes (GM/WK/BU) that belong to the gemeente."""
    return (codes == gm.gm_code) | codes.str.match(f"(WK|BU){gm.number}")


def build_kwb_2023(paths: dict[str, Path], gm: Gemeente, out: Path) -> int:
    """Write kwb-2023.csv: the Nederland row (the national reference value of every indicator), then the
    gemeente, wijk and buurt rows in the CBS kwb-2023 layout, verbatim."""
    kwb = read_str_csv(paths["kwb_2023"])
    nl = national_kwb_2023(paths)
    rows = pd.concat([nl.loc[nl["gwb_code_10"] == "NL00", KWB_2023_COLUMNS],
                      kwb.loc[in_gemeente(kwb["gwb_code_10"], gm), KWB_2023_COLUMNS]], ignore_index=True)
    return write_csv(rows, out / "kwb-2023.csv")


def build_kwb_2022_wijk(paths: dict[str, Path], gm: Gemeente, out: Path) -> int:
    """Write kwb-2022-wijk.csv: the tmap KWB 2022 wijk figures, renamed, NA as empty cell."""
    kwb = read_str_csv(paths["kwb_2022"])
    rows = kwb.loc[kwb["code"].str.startswith(f"WK{gm.number}"), list(KWB_2022_RENAME)]
    rows = rows.rename(columns=KWB_2022_RENAME).replace("NA", "")
    return write_csv(rows, out / "kwb-2022-wijk.csv")


def area_rows(path: Path, level: str, vintage: str, parent) -> pd.DataFrame:
    """Registry rows for the features of one cartomap boundary file; parent maps code -> parent."""
    features = gpd.read_file(path)
    return pd.DataFrame({
        "area_code": features["statcode"],
        "area_name": features["statnaam"],
        "level": level,
        "parent_code": features["statcode"].map(parent),
        "vintage": vintage,
    })


def build_areas(paths: dict[str, Path], gm: Gemeente, out: Path) -> pd.DataFrame:
    """Write areas.csv (gemeente, wijk and for Leeuwarden buurt rows) and return the registry.

    Exits if a KWB 2023 wijk or buurt code of the gemeente is missing from the registry.
    """
    kwb = read_str_csv(paths["kwb_2023"])
    gm_name = kwb.loc[kwb["gwb_code_10"] == gm.gm_code, "gm_naam"].item()
    parts = [
        pd.DataFrame([{"area_code": gm.gm_code, "area_name": gm_name, "level": "gemeente",
                       "parent_code": "", "vintage": "2023"}]),
        area_rows(paths[f"wijk_2024_{gm.gm_code}"], "wijk", "2024", lambda code: gm.gm_code),
    ]
    if gm.with_buurten:
        parts.append(area_rows(paths[f"buurt_2022_{gm.gm_code}"], "buurt", "2022",
                               lambda code: "WK" + code[2:8]))
    registry = pd.concat(parts, ignore_index=True)
    registry = registry.sort_values("area_code", kind="stable", ignore_index=True)

    codes = kwb.loc[in_gemeente(kwb["gwb_code_10"], gm), "gwb_code_10"]
    if not gm.with_buurten:
        codes = codes[~codes.str.startswith("BU")]
    missing = sorted(set(codes) - set(registry["area_code"]))
    if missing:
        sys.exit(f"error: KWB 2023 codes of {gm.gm_code} missing from the area registry: {missing}")
    write_csv(registry, out / "areas.csv")
    return registry


def polygonal(geom) -> MultiPolygon:
    """Make a geometry valid on a 1 m grid and keep only its polygonal parts."""
    geom = shapely.set_precision(shapely.make_valid(geom), 1.0)
    polygons = []
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon":
            polygons.append(part)
        elif part.geom_type == "MultiPolygon":
            polygons.extend(part.geoms)
    return MultiPolygon(polygons)


def names_of(registry: pd.DataFrame, level: str) -> pd.Series:
    """Map area_code -> area_name for one registry level."""
    rows = registry[registry["level"] == level]
    return rows.set_index("area_code")["area_name"]


def build_wijken(paths: dict[str, Path], gm: Gemeente, registry: pd.DataFrame,
                 out: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Write wijken.geojson: precise tmap 2022 polygons (cartomap 2024 where a code is absent).

    Returns the wijk polygons and the codes that had to fall back to the generalised cartomap shape.
    """
    names = names_of(registry, "wijk")
    tmap = gpd.read_file(paths["tmap_wijken"])
    precise = tmap[tmap["code"].isin(names.index)].rename(columns={"code": "area_code"})
    if not precise.is_valid.all():
        sys.exit("error: invalid tmap 2022 wijk polygons")
    fallback_codes = sorted(set(names.index) - set(precise["area_code"]))
    parts = [precise[["area_code", "geometry"]]]
    if fallback_codes:
        cartomap = gpd.read_file(paths[f"wijk_2024_{gm.gm_code}"]).to_crs(RD_CRS)
        cartomap = cartomap[cartomap["statcode"].isin(fallback_codes)]
        cartomap = cartomap.rename(columns={"statcode": "area_code"})[["area_code", "geometry"]]
        parts.append(cartomap.set_geometry(cartomap.geometry.map(polygonal)))
    wijken = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=RD_CRS)
    wijken = wijken.sort_values("area_code", ignore_index=True)
    wijken.insert(1, "area_name", wijken["area_code"].map(names))
    write_geojson(wijken, out / "wijken.geojson")
    return wijken, fallback_codes


def build_buurten(paths: dict[str, Path], gm: Gemeente, registry: pd.DataFrame, out: Path) -> int:
    """Write buurten.geojson: generalised cartomap 2022 buurten in EPSG:28992, made valid."""
    buurten = gpd.read_file(paths[f"buurt_2022_{gm.gm_code}"]).to_crs(RD_CRS)
    buurten = buurten.rename(columns={"statcode": "area_code"}).sort_values("area_code",
                                                                           ignore_index=True)
    rows = registry.set_index("area_code")
    result = gpd.GeoDataFrame({
        "area_code": buurten["area_code"],
        "area_name": buurten["area_code"].map(rows["area_name"]),
        "parent_code": buurten["area_code"].map(rows["parent_code"]),
    }, geometry=buurten.geometry.map(polygonal), crs=RD_CRS)
    return write_geojson(result, out / "buurten.geojson")


def format_postcode(postcode: str) -> str:
    """Return a Dutch postcode as '1234 AB' (input with or without the space)."""
    compact = postcode.replace(" ", "").upper()
    return f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else postcode.strip()


def load_school_lists(paths: dict[str, Path]) -> dict[str, pd.DataFrame]:
    """Read the DUO lists and the CBS scores, with uniform columns (all strings).

    Each DUO list gets: brin_vestiging, gemeentenummer (4 digits), brin, name,
    bevoegd_gezag_nummer, denominatie, street, house_number, postcode, plaats.
    """
    def duo_list(key: str) -> pd.DataFrame:
        df = read_str_csv(paths[key], sep=";", encoding="latin-1")
        return pd.DataFrame({
            "brin_vestiging": df["VESTIGINGSNUMMER"], "gemeentenummer": df["GEMEENTENUMMER"],
            "brin": df["BRIN NUMMER"], "name": df["VESTIGINGSNAAM"],
            "bevoegd_gezag_nummer": df["BEVOEGD GEZAG NUMMER"], "denominatie": df["DENOMINATIE"],
            "street": df["STRAATNAAM"], "house_number": df["HUISNUMMER-TOEVOEGING"],
            "postcode": df["POSTCODE"], "plaats": df["PLAATSNAAM"],
        })

    eind = read_str_csv(paths["eindtoets"], sep=";", encoding="latin-1")
    eindtoets = pd.DataFrame({
        "brin_vestiging": eind["BRIN_NUMMER"] + eind["VESTIGINGSNUMMER"],
        "gemeentenummer": eind["GEMEENTENUMMER"], "brin": eind["BRIN_NUMMER"],
        "name": eind["INSTELLINGSNAAM_VESTIGING"],
        "bevoegd_gezag_nummer": eind["BEVOEGD_GEZAG_NUMMER"],
        "denominatie": eind["DENOMINATIE_VESTIGING"], "street": "", "house_number": "",
        "postcode": eind["POSTCODE_VESTIGING"], "plaats": eind["PLAATSNAAM"],
        "soort_po": eind["SOORT_PO"].str.lower(),
    })
    lists = {"duo_2020": duo_list("duo_2020"), "eindtoets_2018_2019": eindtoets,
             "duo_2017": duo_list("duo_2017")}
    for df in lists.values():
        df["gemeentenummer"] = df["gemeentenummer"].str.strip().str.zfill(4)
        df["postcode"] = df["postcode"].map(format_postcode)
    geo = read_str_csv(paths["duo_2020_geocoded"])
    lists["geocoded"] = geo.loc[geo["lat"] != "", ["VESTIGINGSNUMMER", "lat", "long"]].rename(
        columns={"VESTIGINGSNUMMER": "brin_vestiging", "long": "lon"})
    lists["scores"] = read_str_csv(paths["scores"])
    return lists


def select_schools(lists: dict[str, pd.DataFrame], gm: Gemeente) -> pd.DataFrame:
    """Return one attribute row per scored vestiging that lies in the gemeente.

    Membership: DUO 2020 list, else the eindtoets 2018-2019 list, else the 2017 list (with the
    pre-2018 gemeenten in ``gm.legacy_numbers``); source_list names the first list that matched.
    Attributes come from the newest DUO vestigingen list holding the school (2020, then 2017),
    else from the eindtoets list (which has no street or house number).
    """
    members = {
        "duo_2020": lists["duo_2020"]["gemeentenummer"] == gm.number,
        "eindtoets_2018_2019": lists["eindtoets_2018_2019"]["gemeentenummer"] == gm.number,
        "duo_2017": lists["duo_2017"]["gemeentenummer"].isin(gm.legacy_numbers),
    }
    source = {}
    for name, mask in members.items():
        for code in lists[name].loc[mask, "brin_vestiging"]:
            source.setdefault(code, name)
    scored = lists["scores"][lists["scores"]["brin_vestiging"].isin(source)]

    attributes = pd.concat([lists["duo_2020"], lists["duo_2017"], lists["eindtoets_2018_2019"]])
    attributes = attributes.drop_duplicates("brin_vestiging").drop(columns=["soort_po"])
    eind = lists["eindtoets_2018_2019"].set_index("brin_vestiging")

    schools = scored[["brin_vestiging"]].merge(attributes, on="brin_vestiging", how="left")
    schools["vestigingsnummer"] = schools["brin_vestiging"].str[4:]
    schools["soort_po"] = schools["brin_vestiging"].map(eind["soort_po"]).fillna("bo")
    schools["in_duo_2020"] = schools["brin_vestiging"].isin(lists["duo_2020"]["brin_vestiging"])
    schools["in_duo_2020"] = schools["in_duo_2020"].map({True: "true", False: "false"})
    schools["source_list"] = schools["brin_vestiging"].map(source)
    schools = schools.merge(lists["geocoded"], on="brin_vestiging", how="left")
    schools = schools.merge(scored.rename(columns=SCORE_COLUMNS), on="brin_vestiging")
    return schools.sort_values("brin_vestiging", ignore_index=True)


def read_overrides(path: Path, schools: pd.DataFrame, wijken: gpd.GeoDataFrame) -> pd.Series:
    """Read a school location override file (brin_vestiging -> wijk_code) and validate it."""
    if not path.is_file():
        sys.exit(f"error: override file missing: {path.relative_to(REPO_ROOT)}")
    overrides = read_str_csv(path)
    if list(overrides.columns) != OVERRIDE_COLUMNS:
        sys.exit(f"error: {path.name} must have the columns {OVERRIDE_COLUMNS}")
    problems = []
    if overrides["brin_vestiging"].duplicated().any():
        problems.append("duplicate brin_vestiging")
    problems += [f"unknown school {c}" for c in overrides["brin_vestiging"]
                 if c not in set(schools["brin_vestiging"])]
    problems += [f"unknown wijk {c}" for c in overrides["wijk_code"]
                 if c not in set(wijken["area_code"])]
    problems += [f"no reason for {c}" for c in overrides.loc[overrides["reason"].str.strip() == "",
                                                              "brin_vestiging"]]
    if problems:
        sys.exit(f"error: {path.name}: " + "; ".join(problems))
    return overrides.set_index("brin_vestiging")["wijk_code"]


def place_schools(schools: pd.DataFrame, wijken: gpd.GeoDataFrame,
                  overrides: pd.Series) -> pd.DataFrame:
    """Add x_rd/y_rd, wijk_code and placement (point_in_polygon | override | unplaced).

    A school is placed by point in polygon on the precise wijk polygons; a school without
    coordinates (or with a point outside every wijk) takes its wijk from the override file.
    """
    to_rd = Transformer.from_crs("EPSG:4326", RD_CRS, always_xy=True)
    x_rd, y_rd, wijk_code, placement = [], [], [], []
    for row in schools.itertuples():
        code, how, x, y = "", "unplaced", "", ""
        if isinstance(row.lat, str):
            east, north = to_rd.transform(float(row.lon), float(row.lat))
            x, y = f"{east:.1f}", f"{north:.1f}"
            hits = wijken.loc[wijken.covers(Point(east, north)), "area_code"].tolist()
            if hits:
                code, how = hits[0], "point_in_polygon"
        if how == "unplaced" and row.brin_vestiging in overrides.index:
            code, how = overrides[row.brin_vestiging], "override"
        x_rd.append(x)
        y_rd.append(y)
        wijk_code.append(code)
        placement.append(how)
    return schools.assign(x_rd=x_rd, y_rd=y_rd, wijk_code=wijk_code, placement=placement)


def build_schools(lists: dict[str, pd.DataFrame], gm: Gemeente, wijken: gpd.GeoDataFrame,
                  out: Path) -> pd.DataFrame:
    """Write schools.csv: the scored primary schools of the gemeente, placed in a wijk."""
    schools = select_schools(lists, gm)
    overrides = read_overrides(REPO_ROOT / gm.overrides, schools, wijken)
    schools = place_schools(schools, wijken, overrides)[SCHOOL_COLUMNS].fillna("")
    write_csv(schools, out / "schools.csv")
    return schools


def cell_text(value) -> str:
    """A workbook cell as the text it shows: whole numbers without '.0', other numbers as Python prints them."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def read_sheet(path: Path, sheet: str) -> pd.DataFrame:
    """One sheet of an ODS workbook with every cell as text, header on row 1."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    header = [cell_text(c) for c in rows[0]]
    return pd.DataFrame([[cell_text(c) for c in row] for row in rows[1:]], columns=header)


def load_current_lists(paths: dict[str, Path]) -> dict[str, pd.DataFrame]:
    """The DUO 2026 list (GEMEENTENUMMER 4 digits) and the BAG-geocoded school points of November 2024."""
    duo = read_str_csv(paths["duo_2026"], sep=";", encoding="cp1252")
    duo["GEMEENTENUMMER"] = duo["GEMEENTENUMMER"].str.strip().str.zfill(4)
    with zipfile.ZipFile(paths["bag_2024"]) as archive:
        features = json.loads(archive.read("scholen.geo.json"))["features"]
    bag = pd.DataFrame([{**f["properties"], "lon": f["geometry"]["coordinates"][0], "lat": f["geometry"]["coordinates"][1]}
                        for f in features if f.get("geometry")])
    bag = bag[bag["type"].isin(["basisschool", "SBAO"])]
    return {"duo_2026": duo, "bag_2024": bag}


def house_number(row) -> str:
    """BAG house number with letter and addition, as one text ('3-A')."""
    parts = [str(int(row.huisnummer))] if pd.notna(row.huisnummer) else []
    extra = "".join(str(x) for x in (row.huisletter, row.huisnummertoevoeging) if isinstance(x, str) and x.strip())
    return "-".join(parts + ([extra] if extra else []))


def build_vestigingen(current: dict[str, pd.DataFrame], gm: Gemeente, wijken: gpd.GeoDataFrame, out: Path) -> pd.DataFrame:
    """Write vestigingen.csv: the current primary-school locations of the gemeente (BAG points of
    November 2024, DUO 2026 attributes), placed in a wijk by point in polygon.

    Membership: a vestiging of the DUO 2026 list with the gemeente's GEMEENTENUMMER, or a BAG point whose
    gemeente (DUO spelling) is the gemeente's name (schools that closed between 2024 and 2026).
    ``in_duo_2024``: the vestiging is in the BAG-geocoded DUO list of November 2024 (every vestiging of that
    list has a BAG point); ``in_duo_2026``: it is in the DUO list of 2026. A round takes its IKCs from the list
    of its time by these columns (README, "Rounds and peildata").
    """
    duo = current["duo_2026"]
    duo = duo[duo["GEMEENTENUMMER"] == gm.number]
    name = duo["GEMEENTENAAM"].iloc[0].strip().upper() if len(duo) else ""
    bag = current["bag_2024"]
    bag = bag[bag["vestigingscode"].isin(duo["VESTIGINGSCODE"]) | (bag["gemeente"].str.upper() == name)]
    by_code = duo.set_index("VESTIGINGSCODE")
    to_rd = Transformer.from_crs("EPSG:4326", RD_CRS, always_xy=True)
    rows = []
    for row in bag.sort_values("vestigingscode").itertuples():
        east, north = to_rd.transform(row.lon, row.lat)
        hits = wijken.loc[wijken.covers(Point(east, north)), "area_code"].tolist()
        listed = row.vestigingscode in by_code.index
        rows.append({
            "brin_vestiging": row.vestigingscode, "name": row.naam, "soort": row.type,
            "bevoegd_gezag_nummer": by_code.at[row.vestigingscode, "BEVOEGD GEZAG NUMMER"] if listed else "",
            "denominatie": row.denominatie or "", "street": row.straat, "house_number": house_number(row),
            "postcode": format_postcode(row.postcode), "plaats": str(row.plaats).upper(),
            "in_duo_2024": "true", "in_duo_2026": "true" if listed else "false",
            "lat": f"{row.lat:.7f}", "lon": f"{row.lon:.7f}",
            "x_rd": f"{east:.1f}", "y_rd": f"{north:.1f}", "wijk_code": hits[0] if hits else "",
            "placement": "point_in_polygon" if hits else "unplaced",
        })
    missing = sorted(set(duo["VESTIGINGSCODE"]) - set(bag["vestigingscode"]))
    for code in missing:  # in the DUO list but without a BAG point: listed, not placed
        entry = by_code.loc[code]
        rows.append({"brin_vestiging": code, "name": entry["VESTIGINGSNAAM"], "soort": "basisschool",
                     "bevoegd_gezag_nummer": entry["BEVOEGD GEZAG NUMMER"], "denominatie": entry["DENOMINATIE"],
                     "street": entry["STRAATNAAM"], "house_number": entry["HUISNUMMER-TOEVOEGING"],
                     "postcode": format_postcode(entry["POSTCODE"]), "plaats": entry["PLAATSNAAM"],
                     "in_duo_2024": "false", "in_duo_2026": "true", "lat": "", "lon": "", "x_rd": "", "y_rd": "", "wijk_code": "",
                     "placement": "unplaced"})
    table = pd.DataFrame(rows, columns=VESTIGING_COLUMNS).sort_values("brin_vestiging", ignore_index=True)
    write_csv(table, out / "vestigingen.csv")
    return table


def gemeente_ovts(codes: pd.Series, vestigingen: pd.DataFrame, gm: Gemeente) -> pd.Series:
    """Mask of the objecten van toezicht of the gemeente: instellingscode of one of its vestigingen,
    or named in its OVT location table."""
    named = set()
    if gm.ovt_locations:
        named = set(read_str_csv(REPO_ROOT / gm.ovt_locations)["ovt"].str.strip().str.upper())
    return codes.str[:4].isin(set(vestigingen["brin_vestiging"].str[:4])) | codes.isin(named)


def build_inspectie(paths: dict[str, Path], gm: Gemeente, vestigingen: pd.DataFrame, out: Path) -> dict[str, int]:
    """Write the gemeente's rows of the Inspectie's schoolweging sheets and leerresultaten, columns as published."""
    counts = {}
    for sheet, name in SCHOOLWEGING_SHEETS.items():
        table = read_sheet(paths["schoolweging"], sheet)
        counts[name] = write_csv(table[gemeente_ovts(table["OVT"], vestigingen, gm)], out / name)
    table = read_sheet(paths["leerresultaten"], "Data")
    counts["leerresultaten.csv"] = write_csv(table[gemeente_ovts(table["ovt"], vestigingen, gm)], out / "leerresultaten.csv")
    return counts


def build_wijk_extracts(gm: Gemeente, out: Path) -> tuple[dict[str, int], list[str]]:
    """Write schoolweging-wijk.csv and leerresultaten-wijk.csv: the per-wijk figures aandacht's own
    loader computes from the per-school extracts (pupil-weighted; see aandacht.inputs.sources.inspectie)."""
    from aandacht.config import InputSpec
    from aandacht.inputs.areas import load_registry
    from aandacht.inputs.sources.oab import load_oab

    registry = load_registry(out / "areas.csv", out / "wijken.geojson")
    common = {"loader": "oab", "schools": out / "vestigingen.csv",
              "ovt_locations": REPO_ROOT / gm.ovt_locations if gm.ovt_locations else None}
    rows, notes = [], []
    for sheet, name in list(SCHOOLWEGING_SHEETS.items())[:3]:  # the year sheets: they carry the pupil counts
        loaded = load_oab(InputSpec(**common, layout="schoolweging", path=out / name, period=sheet), registry)
        rows.append(loaded.table.assign(schooljaar=sheet))
        notes += loaded.notes[1:]
    loaded = load_oab(InputSpec(**common, layout="leerresultaten", path=out / "leerresultaten.csv", period="2023-2025"),
                      registry)
    notes += loaded.notes[1:]
    counts = {"schoolweging-wijk.csv": _write_wijk_table(pd.concat(rows), ["schooljaar"], out / "schoolweging-wijk.csv"),
              "leerresultaten-wijk.csv": _write_wijk_table(loaded.table.assign(schooljaren="2022-2023 t/m 2024-2025"),
                                                           ["schooljaren"], out / "leerresultaten-wijk.csv")}
    return counts, notes


def _write_wijk_table(tidy: pd.DataFrame, keys: list[str], path: Path) -> int:
    """One row per wijk (and key), one column per indicator, numbers rounded to 2 decimals."""
    wijk = tidy[tidy["level"] == "wijk"]
    wide = wijk.set_index(["area_code", "area_name", *keys, "indicator"])["value"].unstack("indicator").reset_index()
    wide.columns.name = None
    for column in wide.columns[2 + len(keys):]:
        wide[column] = wide[column].map(lambda v: "" if pd.isna(v) else f"{v:.2f}".rstrip("0").rstrip("."))
    wide = wide.rename(columns={"area_code": "wijk_code", "area_name": "wijk_naam"})
    return write_csv(wide.sort_values(["wijk_code", *keys], ignore_index=True), path)


def build_gemeente(paths: dict[str, Path], lists: dict[str, pd.DataFrame], current: dict[str, pd.DataFrame],
                   gm: Gemeente) -> None:
    """Build every output of one gemeente and print its summary."""
    out = REPO_ROOT / "data" / gm.slug
    counts = {
        "kwb-2023.csv": build_kwb_2023(paths, gm, out),
        "kwb-2022-wijk.csv": build_kwb_2022_wijk(paths, gm, out),
    }
    registry = build_areas(paths, gm, out)
    counts["areas.csv"] = len(registry)
    wijken, fallback = build_wijken(paths, gm, registry, out)
    counts["wijken.geojson"] = len(wijken)
    if gm.with_buurten:
        counts["buurten.geojson"] = build_buurten(paths, gm, registry, out)
    schools = build_schools(lists, gm, wijken, out)
    counts["schools.csv"] = len(schools)
    vestigingen = build_vestigingen(current, gm, wijken, out)
    counts["vestigingen.csv"] = len(vestigingen)
    counts.update(build_inspectie(paths, gm, vestigingen, out))
    wijk_counts, placement_notes = build_wijk_extracts(gm, out)
    counts.update(wijk_counts)
    numbers = set(schools["bevoegd_gezag_nummer"]) | set(vestigingen["bevoegd_gezag_nummer"])
    boards = national_besturen(paths)
    counts["besturen.csv"] = write_csv(boards.loc[boards["bevoegd_gezag_nummer"].isin(numbers),
                                                  ["bevoegd_gezag_nummer", "naam"]], out / "besturen.csv")

    print(f"{gm.gm_code} -> data/{gm.slug}/")
    for name, rows in counts.items():
        print(f"  {name:<36} {rows:>4} rows")
    if fallback:
        print("  wijken not in tmap 2022, generalised cartomap 2024 shape used: "
              + ", ".join(fallback))
    placement = schools["placement"].value_counts()
    print("  schools placed: " + ", ".join(
        f"{how} {placement.get(how, 0)}" for how in ("point_in_polygon", "override", "unplaced")))
    for row in schools[schools["placement"] == "unplaced"].itertuples():
        print(f"  UNPLACED {row.brin_vestiging} {row.name}, {row.street} {row.house_number}, "
              f"{row.postcode} {row.plaats}")
    for row in vestigingen[vestigingen["placement"] == "unplaced"].itertuples():
        print(f"  UNPLACED vestiging {row.brin_vestiging} {row.name}, {row.street} {row.house_number}, {row.postcode}")
    for note in dict.fromkeys(n.split(": ", 1)[1] for n in placement_notes):
        print(f"  {note.split(': ', 1)[0] if ' placed: ' in note else note}")


# --- national extracts (data/nl/): what `aandacht init` cuts a gemeente's project from -------------------

NATIONAL_DIR = REPO_ROOT / "data" / "nl"
# Gemeenten of 2022 (tmap polygons) that are part of a 2023 gemeente: Weesp joined Amsterdam on
# 24 March 2022; Brielle, Hellevoetsluis and Westvoorne formed Voorne aan Zee on 1 January 2023
# (CBS, Gemeentelijke indeling op 1 januari 2023).
MERGED_INTO_2023 = {"GM0457": "GM0363", "GM0501": "GM1992", "GM0530": "GM1992", "GM0614": "GM1992"}
NATIONAL_SCHOOL_COLUMNS = ["gemeente_code", *SCHOOL_COLUMNS[:13], "coordinates", *SCHOOL_COLUMNS[13:]]
NATIONAL_VESTIGING_COLUMNS = ["gemeente_code", *VESTIGING_COLUMNS]


def write_gz_csv(df: pd.DataFrame, path: Path) -> int:
    """Write a UTF-8, comma-separated CSV, gzip-compressed without a time stamp (a rerun gives the
    same bytes), and return its row count."""
    import gzip

    path.parent.mkdir(parents=True, exist_ok=True)
    text = df.to_csv(index=False, lineterminator="\n").encode("utf-8")
    path.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))
    return len(df)


def national_kwb_2023(paths: dict[str, Path]) -> pd.DataFrame:
    """Every row of KWB 2023 (Nederland, 342 gemeenten, every wijk and buurt), the shipped columns, verbatim."""
    kwb = pd.read_excel(paths["kwb_2023_nl"], engine="calamine", dtype=str).fillna("")
    kwb["gwb_code_10"] = kwb["gwb_code_10"].str.strip()
    return kwb[KWB_2023_COLUMNS].sort_values("gwb_code_10", kind="stable", ignore_index=True)


def national_kwb_2022(paths: dict[str, Path]) -> pd.DataFrame:
    """KWB 2022 per wijk and per gemeente (tmap), renamed as kwb-2022-wijk.csv, NA as empty cell."""
    parts = [read_str_csv(paths["kwb_2022"]), read_str_csv(paths["tmap_gemeenten"])]
    rows = pd.concat([p[list(KWB_2022_RENAME)] for p in parts], ignore_index=True)
    rows = rows.rename(columns=KWB_2022_RENAME).replace("NA", "")
    return rows.sort_values("gwb_code", ignore_index=True)


def shipped_names() -> pd.Series:
    """area_code -> area_name from the shipped registries (cartomap names with their diacritics)."""
    tables = [read_str_csv(REPO_ROOT / "data" / gm.slug / "areas.csv") for gm in GEMEENTEN]
    names = pd.concat(tables, ignore_index=True)
    return names[names["level"] != "gemeente"].set_index("area_code")["area_name"]


def national_registry(kwb: pd.DataFrame, paths: dict[str, Path]) -> pd.DataFrame:
    """Every gemeente, wijk and buurt of KWB 2023 with a name, parent and the source of the name.

    Names, the first that has one: gemeenten from KWB 2023 ``gm_naam``; wijken and buurten of the
    shipped gemeenten from their registries (CBS wijk 2024 / buurt 2022 via cartomap); the CBS
    wijk- en buurtkaart 2024 where the area is that of 2023 (the rules of scripts/build_names.py);
    other wijken from the tmap 2022 attributes (ASCII-folded by tmap: "Nijlan" for "Nijlân"). A wijk
    or buurt none of them names is labelled by code ("wijk TD (WK0363TD)", "<wijk>, buurt 08"), with
    a ``name_source`` starting "geen publieke naam".
    """
    codes = kwb["gwb_code_10"]
    gm = kwb.loc[codes.str.startswith("GM"), ["gwb_code_10", "gm_naam"]]
    shipped = shipped_names()
    tmap = read_str_csv(paths["kwb_2022"]).set_index("code")["name"]
    published, changed = published_names(paths["names"], codes, tmap)
    print(f"  published names ({NAME_SOURCE}): {len(published)} wijken and buurten; gemeenten whose 2023 "
          f"division differs from 2024 (only unrenamed wijken named): {len(changed)}: {', '.join(changed)}")
    rows = [{"area_code": c, "area_name": n, "level": "gemeente", "parent_code": "", "vintage": "2023",
             "name_source": "KWB 2023"} for c, n in gm.itertuples(index=False)]
    wijk_names = {}
    for code in codes[codes.str.startswith("WK")]:
        if code in shipped.index:
            name, source, vintage = shipped[code], "CBS wijken 2024 (cartomap)", "2024"
        elif code in published.index:
            name, source, vintage = published[code], NAME_SOURCE, VINTAGE
        elif code in tmap.index:
            name, source, vintage = tmap[code], "CBS wijken 2022 (tmap, zonder diakritische tekens)", "2022"
        else:
            name, source, vintage = f"wijk {code[-2:]} ({code})", "geen publieke naam: code", "2023"
        wijk_names[code] = name
        rows.append({"area_code": code, "area_name": name, "level": "wijk", "parent_code": "GM" + code[2:6],
                     "vintage": vintage, "name_source": source})
    for code in codes[codes.str.startswith("BU")]:
        wijk = "WK" + code[2:8]
        if code in shipped.index:
            name, source, vintage = shipped[code], "CBS buurten 2022 (cartomap)", "2022"
        elif code in published.index:
            name, source, vintage = published[code], NAME_SOURCE, VINTAGE
        else:
            name, source, vintage = f"{wijk_names[wijk]}, buurt {code[-2:]}", "geen publieke naam: wijknaam en code", "2023"
        rows.append({"area_code": code, "area_name": name, "level": "buurt", "parent_code": wijk,
                     "vintage": vintage, "name_source": source})
    return pd.DataFrame(rows).sort_values("area_code", ignore_index=True)


def national_wijken(paths: dict[str, Path], registry: pd.DataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The precise 2022 wijk polygons (tmap) of every KWB 2023 wijk code that has one, and all 2022
    polygons with the 2023 gemeente they lie in (for placing schools in a gemeente)."""
    tmap = gpd.read_file(paths["tmap_wijken"])[["code", "geometry"]]
    if not tmap.is_valid.all():
        sys.exit("error: invalid tmap 2022 wijk polygons")
    gemeente = ("GM" + tmap["code"].str[2:6]).replace(MERGED_INTO_2023)
    all_2022 = gpd.GeoDataFrame({"gemeente_code": gemeente}, geometry=tmap.geometry, crs=RD_CRS)
    wijken = registry.loc[registry["level"] == "wijk", "area_code"]
    kept = tmap[tmap["code"].isin(set(wijken))].rename(columns={"code": "area_code"})
    return kept.sort_values("area_code", ignore_index=True), all_2022


def write_gz_geojson(gdf: gpd.GeoDataFrame, path: Path) -> int:
    """Write polygons as gzip-compressed GeoJSON in EPSG:28992 (deterministic bytes) and check it reads back."""
    import gzip
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "x.geojson"
        gdf.to_file(plain, driver="GeoJSON", engine="pyogrio")
        path.write_bytes(gzip.compress(plain.read_bytes(), compresslevel=9, mtime=0))
    if gpd.read_file(f"/vsigzip/{path}").crs != RD_CRS:
        sys.exit(f"error: {path} does not read back as {RD_CRS}")
    return len(gdf)


def point_in(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, column: str) -> pd.Series:
    """Per point the ``column`` of the polygon it lies in ("" outside every polygon; the first when several)."""
    joined = gpd.sjoin(points, polygons[[column, "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated()]
    return joined[column].reindex(points.index).fillna("")


def rd_points(x: pd.Series, y: pd.Series) -> gpd.GeoDataFrame:
    """Points from text columns of RD coordinates (empty text = no point, placed nowhere)."""
    xs, ys = pd.to_numeric(x, errors="coerce"), pd.to_numeric(y, errors="coerce")
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys), index=x.index, crs=RD_CRS)


def place_nationally(table: pd.DataFrame, wijken: gpd.GeoDataFrame, all_2022: gpd.GeoDataFrame,
                     duo_gemeente: pd.Series, gemeenten: set[str]) -> pd.DataFrame:
    """Add gemeente_code and the 2023 wijk by point in polygon (the gemeente from a 2022 polygon, mapped
    to its 2023 gemeente; without a point, the DUO gemeentenummer when it is a gemeente of 2023)."""
    points = rd_points(table["x_rd"], table["y_rd"])
    by_point = point_in(points, all_2022, "gemeente_code")
    by_number = duo_gemeente.where(duo_gemeente.isin(gemeenten), "")
    table = table.assign(gemeente_code=by_point.where(by_point != "", by_number))
    wijk = point_in(points, wijken, "area_code")
    placed = (wijk != "") & (wijk.str[2:6] == table["gemeente_code"].str[2:])
    return table.assign(wijk_code=wijk.where(placed, ""), placement=np.where(placed, "point_in_polygon", "unplaced"))


def bag_points(current: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The BAG point (November 2024) of every primary-school vestiging, in WGS84 and RD (0.1 m)."""
    bag = current["bag_2024"].drop_duplicates("vestigingscode").set_index("vestigingscode")
    to_rd = Transformer.from_crs("EPSG:4326", RD_CRS, always_xy=True)
    east, north = to_rd.transform(bag["lon"].to_numpy(), bag["lat"].to_numpy())
    return pd.DataFrame({"lat": bag["lat"].map(lambda v: f"{v:.7f}"), "lon": bag["lon"].map(lambda v: f"{v:.7f}"),
                         "x_rd": [f"{v:.1f}" for v in east], "y_rd": [f"{v:.1f}" for v in north]}, index=bag.index)


def national_schools(lists: dict[str, pd.DataFrame], current: dict[str, pd.DataFrame], wijken, all_2022,
                     gemeenten: set[str]) -> pd.DataFrame:
    """Every vestiging with a CBS achterstandsscore 2019: attributes as :func:`select_schools`, the BAG point of
    November 2024 where the vestiging still exists, else the OSM geocode of the DUO 2020 address; placed in a
    gemeente and a 2023 wijk; the analysts' location tables of the shipped gemeenten applied."""
    scored = lists["scores"]
    attributes = pd.concat([lists["duo_2020"], lists["duo_2017"], lists["eindtoets_2018_2019"]])
    attributes = attributes.drop_duplicates("brin_vestiging").drop(columns=["soort_po"])
    eind = lists["eindtoets_2018_2019"].set_index("brin_vestiging")
    schools = scored[["brin_vestiging"]].merge(attributes, on="brin_vestiging", how="left").fillna("")
    schools["vestigingsnummer"] = schools["brin_vestiging"].str[4:]
    schools["soort_po"] = schools["brin_vestiging"].map(eind["soort_po"]).fillna("bo")
    schools["in_duo_2020"] = schools["brin_vestiging"].isin(lists["duo_2020"]["brin_vestiging"]).map({True: "true", False: "false"})
    source = pd.Series("", index=schools.index)
    for name in ("duo_2017", "eindtoets_2018_2019", "duo_2020"):
        source = source.where(~schools["brin_vestiging"].isin(lists[name]["brin_vestiging"]), name)
    schools["source_list"] = source
    bag = bag_points(current)
    osm = lists["geocoded"].drop_duplicates("brin_vestiging").set_index("brin_vestiging")
    to_rd = Transformer.from_crs("EPSG:4326", RD_CRS, always_xy=True)
    rows = []
    for code in schools["brin_vestiging"]:
        if code in bag.index:
            rows.append({**bag.loc[code].to_dict(), "coordinates": "BAG 2024-11-22"})
        elif code in osm.index:
            east, north = to_rd.transform(float(osm.at[code, "lon"]), float(osm.at[code, "lat"]))
            rows.append({"lat": osm.at[code, "lat"], "lon": osm.at[code, "lon"], "x_rd": f"{east:.1f}",
                         "y_rd": f"{north:.1f}", "coordinates": "OSM Nominatim (DUO-adres 2020)"})
        else:
            rows.append({"lat": "", "lon": "", "x_rd": "", "y_rd": "", "coordinates": ""})
    schools = pd.concat([schools, pd.DataFrame(rows, index=schools.index)], axis=1)
    schools = schools.merge(scored.rename(columns=SCORE_COLUMNS), on="brin_vestiging")
    duo_gemeente = "GM" + schools["gemeentenummer"].str.zfill(4)
    schools = place_nationally(schools, wijken, all_2022, duo_gemeente, gemeenten)
    for gm in GEMEENTEN:  # the analysts' evidence for schools without a usable point
        overrides = read_str_csv(REPO_ROOT / gm.overrides).set_index("brin_vestiging")
        hit = schools["brin_vestiging"].isin(overrides.index) & (schools["placement"] != "point_in_polygon")
        schools.loc[hit, "wijk_code"] = schools.loc[hit, "brin_vestiging"].map(overrides["wijk_code"])
        schools.loc[hit, "gemeente_code"] = gm.gm_code
        schools.loc[hit, "placement"] = "override"
    return schools[NATIONAL_SCHOOL_COLUMNS].sort_values("brin_vestiging", ignore_index=True)


def national_vestigingen(current: dict[str, pd.DataFrame], wijken, all_2022, gemeenten: set[str]) -> pd.DataFrame:
    """Every current primary-school vestiging: the DUO 2026 list (board, address) with its BAG point of
    November 2024, plus the BAG points of vestigingen that left the list between 2024 and 2026; placed in a
    gemeente (DUO 2026 GEMEENTENUMMER, else by point) and a 2023 wijk by point in polygon."""
    duo = current["duo_2026"].set_index("VESTIGINGSCODE")
    bag = current["bag_2024"].drop_duplicates("vestigingscode").set_index("vestigingscode")
    points = bag_points(current)
    rows = []
    for code in sorted(set(duo.index) | set(bag.index)):
        listed, located = code in duo.index, code in bag.index
        entry = duo.loc[code] if listed else None
        place = bag.loc[code] if located else None
        rows.append({
            "brin_vestiging": code,
            "name": place["naam"] if located else entry["VESTIGINGSNAAM"],
            "soort": place["type"] if located else "basisschool",
            "bevoegd_gezag_nummer": entry["BEVOEGD GEZAG NUMMER"] if listed else "",
            "denominatie": (place["denominatie"] or "") if located else entry["DENOMINATIE"],
            "street": place["straat"] if located else entry["STRAATNAAM"],
            "house_number": house_number(place) if located else entry["HUISNUMMER-TOEVOEGING"],
            "postcode": format_postcode(place["postcode"] if located else entry["POSTCODE"]),
            "plaats": str(place["plaats"]).upper() if located else entry["PLAATSNAAM"],
            "in_duo_2024": "true" if located else "false",
            "in_duo_2026": "true" if listed else "false",
            **(points.loc[code].to_dict() if located else {"lat": "", "lon": "", "x_rd": "", "y_rd": ""}),
            "duo_gemeente": "GM" + entry["GEMEENTENUMMER"] if listed else "",
        })
    table = pd.DataFrame(rows)
    # DUO's own gemeente first (the school's address as DUO registers it), then the point
    placed = place_nationally(table, wijken, all_2022, table["duo_gemeente"], gemeenten)
    listed_gemeente = table["duo_gemeente"].where(table["duo_gemeente"].isin(gemeenten), "")
    placed["gemeente_code"] = listed_gemeente.where(listed_gemeente != "", placed["gemeente_code"])
    inside = placed["wijk_code"].str[2:6] == placed["gemeente_code"].str[2:]
    placed["wijk_code"] = placed["wijk_code"].where(inside, "")
    placed["placement"] = np.where(placed["wijk_code"] != "", "point_in_polygon", "unplaced")
    return placed[NATIONAL_VESTIGING_COLUMNS]


def national_besturen(paths: dict[str, Path]) -> pd.DataFrame:
    """DUO's bevoegde gezagen of primary schools: number and current name (besturenlijst)."""
    boards = read_str_csv(paths["besturen"])
    boards = boards[boards["herkomst"] == "besturenlijst"]
    table = pd.DataFrame({"bevoegd_gezag_nummer": boards["bevoegd_gezag"].str.strip(), "naam": boards["naam"].str.strip(),
                          "kvk_nummer": boards["kvk"].str.strip()})
    if table["bevoegd_gezag_nummer"].duplicated().any():
        sys.exit("error: duplicate bevoegd gezag number in the board list")
    return table.sort_values("bevoegd_gezag_nummer", key=lambda s: s.astype(int), ignore_index=True)


def build_national(paths: dict[str, Path], lists: dict[str, pd.DataFrame], current: dict[str, pd.DataFrame]) -> None:
    """Write data/nl/: the national extracts `aandacht init` cuts a gemeente's project from (data/README.md)."""
    out = NATIONAL_DIR
    kwb = national_kwb_2023(paths)
    registry = national_registry(kwb, paths)
    wijken, all_2022 = national_wijken(paths, registry)
    gemeenten = set(registry.loc[registry["level"] == "gemeente", "area_code"])
    schools = national_schools(lists, current, wijken, all_2022, gemeenten)
    vestigingen = national_vestigingen(current, wijken, all_2022, gemeenten)
    counts = {
        "gebieden.csv.gz": write_gz_csv(registry, out / "gebieden.csv.gz"),
        "kwb-2023.csv.gz": write_gz_csv(kwb, out / "kwb-2023.csv.gz"),
        "kwb-2022.csv.gz": write_gz_csv(national_kwb_2022(paths), out / "kwb-2022.csv.gz"),
        "wijken-2022.geojson.gz": write_gz_geojson(wijken, out / "wijken-2022.geojson.gz"),
        "scholen-2019.csv.gz": write_gz_csv(schools, out / "scholen-2019.csv.gz"),
        "vestigingen.csv.gz": write_gz_csv(vestigingen, out / "vestigingen.csv.gz"),
        "besturen.csv.gz": write_gz_csv(national_besturen(paths), out / "besturen.csv.gz"),
    }
    for sheet, name in SCHOOLWEGING_SHEETS.items():
        counts[name + ".gz"] = write_gz_csv(read_sheet(paths["schoolweging"], sheet), out / (name + ".gz"))
    counts["leerresultaten.csv.gz"] = write_gz_csv(read_sheet(paths["leerresultaten"], "Data"), out / "leerresultaten.csv.gz")
    print("NL -> data/nl/")
    for name, rows in counts.items():
        print(f"  {name:<44} {rows:>6} rows  {(out / name).stat().st_size:>9,} bytes")
    lacking = sorted(set(registry.loc[registry["level"] == "wijk", "area_code"]) - set(wijken["area_code"]))
    print(f"  wijken of KWB 2023 without a 2022 polygon: {len(lacking)} in "
          + ", ".join(f"{g} ({n})" for g, n in pd.Series([c[:6].replace('WK', 'GM') for c in lacking]).value_counts().items()))
    for what, table in (("scored schools", schools), ("current vestigingen", vestigingen)):
        unplaced = table[table["placement"] == "unplaced"]
        print(f"  {what}: {len(table)}, placed {len(table) - len(unplaced)}, unplaced {len(unplaced)} "
              f"(no gemeente {int((unplaced['gemeente_code'] == '').sum())})")


def main() -> None:
    """Build all outputs for all gemeenten."""
    args = parse_args()
    paths = raw_paths(args.raw, args.names_raw)
    lists = load_school_lists(paths)
    current = load_current_lists(paths)
    for gm in GEMEENTEN:
        build_gemeente(paths, lists, current, gm)
    build_national(paths, lists, current)


if __name__ == "__main__":
    main()
