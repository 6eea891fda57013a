"""Build the orientation layers the maps draw around a gemeente, shipped in ``data/nl/``.

Run from the repository root::

    python scripts/build_orientation.py --raw PATH/TO/raw

Three outputs, all deterministic (a rerun gives the same bytes):

* ``data/nl/gemeenten-2022.geojson.gz``: the 345 gemeenten of 2022, made by dissolving the
  precise 2022 wijk polygons of the whole country (CBS/PDOK via the R package tmap,
  ``cbs_kwb_2022_tmap/tmap_NLD_dist_2022_rd.geojson``) by the gemeente code in the wijk code
  (``WKggggww`` -> ``GMgggg``), simplified as one coverage (shared borders stay shared, no
  slivers; tolerance 100 m, enough for context around a gemeente map) and rounded to 1 m,
  EPSG:28992, with ``gm_code`` and ``gm_naam`` (from ``tmap_NLD_muni_2022_attributes.csv``).
  Bron: CBS/Kadaster, CC BY 4.0.
* ``data/nl/water-2022.geojson.gz``: the lakes and enclosed waters of the country (IJsselmeer,
  Markermeer, the Randmeren, the Zeeland waters, Lauwersmeer, the Frisian lakes ...): the holes of
  at least 1 km2 in the union of the same precise 2022 wijk polygons, which CBS/Kadaster clip to
  the land. Simplified to 50 m and rounded to 1 m, EPSG:28992, with ``oppervlakte_km2``. Open sea
  (Noordzee, Waddenzee, Eems-Dollard) is not a hole, and cannot be told from foreign land from
  these polygons alone, so it is not in the layer. Bron: CBS/Kadaster, CC BY 4.0.
* ``data/nl/plaatsen.csv``: woonplaatsen with a primary school, as place names for the maps:
  ``plaats`` (the BAG woonplaatsnaam; one row per name and gemeente), ``naam`` (the name as printed
  on a map: without the province mark BAG adds to tell same-named places apart, "Haren Gn" -> "Haren"), ``x_rd``, ``y_rd`` (the median of the BAG addresses of its
  primary schools, a point in the built-up kern), ``scholen`` and ``leerlingen`` (pupils of its
  primary schools, DUO; a measure of the size of the kern). From ``duo_scholen_2024_bag/
  scholen20241122.geo.zip`` (DUO school list joined to the BAG by edugis-repo, November 2024).
  Bron: DUO (CC BY 4.0) en Kadaster BAG (CC0).

Needs shapely >= 2.1 (``coverage_simplify``).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT = REPO_ROOT / "data" / "nl"
RAW_FILES = {
    "wijken": "cbs_kwb_2022_tmap/tmap_NLD_dist_2022_rd.geojson",
    "gemeenten": "cbs_kwb_2022_tmap/tmap_NLD_muni_2022_attributes.csv",
    "namen": "cbs_kwb_2023_inmindaen/kwb2023_nl_gm_wk_43cols.csv",
    "scholen": "duo_scholen_2024_bag/scholen20241122.geo.zip",
}
TOLERANCE_M = 100.0
WATER_MIN_KM2 = 1.0
WATER_TOLERANCE_M = 50.0
PRIMARY = {"basisschool", "SBAO"}
# The marks BAG appends to a woonplaatsnaam that occurs in more than one province ("Haren Gn", "Bergen (NH)").
PROVINCE_MARK = r"\s+\(?(?:Gn|Gr|Dr|Fr|Ov|Gld|Gd|NB|NH|ZH|Z|U|Ut|L|Lb|Fl|Zl)\)?$"


def dissolved_gemeenten(paths: dict[str, Path]) -> gpd.GeoDataFrame:
    """The precise 2022 wijk polygons dissolved per gemeente, sorted by code."""
    wijken = gpd.read_file(paths["wijken"])
    if wijken.crs != "EPSG:28992":
        sys.exit(f"error: {paths['wijken']} is not in EPSG:28992")
    wijken["gm_code"] = "GM" + wijken["code"].str[2:6]
    return wijken.dissolve("gm_code")[["geometry"]].sort_index()


def water(dissolved: gpd.GeoDataFrame) -> bytes:
    """The gzipped GeoJSON of the enclosed waters (module docstring): the interior rings of at least
    ``WATER_MIN_KM2`` of the union of the land polygons, largest first."""
    land = shapely.union_all(dissolved.geometry.values)
    holes = [shapely.Polygon(ring) for part in shapely.get_parts(land) for ring in part.interiors]
    holes = [h for h in holes if h.area >= WATER_MIN_KM2 * 1e6]
    holes.sort(key=lambda h: (-round(h.area), h.bounds))
    simple = shapely.set_precision(shapely.simplify(holes, WATER_TOLERANCE_M), 1.0)
    features = [{"type": "Feature", "properties": {"oppervlakte_km2": round(hole.area / 1e6, 1)},
                 "geometry": _integers(json.loads(shapely.to_geojson(geometry)))}
                for hole, geometry in zip(holes, simple) if not geometry.is_empty]
    return _gzipped_collection("water-2022", features)


def _gzipped_collection(name: str, features: list[dict]) -> bytes:
    collection = {"type": "FeatureCollection", "name": name,
                  "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
                  "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as handle:
        handle.write(text)
    return buffer.getvalue()


def gemeenten(paths: dict[str, Path], dissolved: gpd.GeoDataFrame) -> bytes:
    """The gzipped GeoJSON of the gemeenten (module docstring)."""
    # tmap spells names in ASCII ("Noardeast-Fryslan"); the KWB 2023 rows keep the official spelling
    # ("Noardeast-Fryslân"). Gemeenten of 2022 that merged before 2023 keep the tmap name.
    kwb = pd.read_csv(paths["namen"], dtype=str, usecols=["gwb_code_10", "gm_naam"])
    official = kwb[kwb["gwb_code_10"].str.startswith("GM")].set_index("gwb_code_10")["gm_naam"]
    names = pd.read_csv(paths["gemeenten"], dtype=str).set_index("code")["name"]
    names = official.reindex(names.index).fillna(names)
    missing = sorted(set(dissolved.index) - set(names.index))
    if missing:
        sys.exit(f"error: gemeenten without a name in {paths['gemeenten']}: {missing}")
    simple = shapely.set_precision(shapely.coverage_simplify(dissolved.geometry.values, TOLERANCE_M), 1.0)
    features = [{"type": "Feature", "properties": {"gm_code": code, "gm_naam": names[code]},
                 "geometry": _integers(json.loads(shapely.to_geojson(geometry)))}
                for code, geometry in zip(dissolved.index, simple)]
    return _gzipped_collection("gemeenten-2022", features)


def _integers(value):
    """Coordinates on the 1 m grid written as integers (half the text of '123456.0')."""
    if isinstance(value, list):
        return [_integers(v) for v in value]
    if isinstance(value, dict):
        return {k: _integers(v) for k, v in value.items()}
    return int(value) if isinstance(value, float) and value.is_integer() else value


def plaatsen(paths: dict[str, Path]) -> pd.DataFrame:
    """One row per woonplaats with a primary school (module docstring)."""
    with zipfile.ZipFile(paths["scholen"]) as archive:
        collection = json.loads(archive.read("scholen.geo.json"))
    rows = [{**f["properties"], "lon": f["geometry"]["coordinates"][0], "lat": f["geometry"]["coordinates"][1]}
            for f in collection["features"] if f.get("geometry") and f["properties"].get("type") in PRIMARY]
    schools = pd.DataFrame(rows)
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True).transform(
        schools["lon"].to_numpy(), schools["lat"].to_numpy())
    schools = schools.assign(x_rd=x, y_rd=y, leerlingen=pd.to_numeric(schools["leerlingen"]).fillna(0))
    grouped = schools.groupby(["plaats", "gemeente"], sort=True)  # a name can recur in other gemeenten
    table = pd.DataFrame({
        "x_rd": grouped["x_rd"].median().round(0).astype("int64"),
        "y_rd": grouped["y_rd"].median().round(0).astype("int64"),
        "scholen": grouped.size(),
        "leerlingen": grouped["leerlingen"].sum().astype("int64"),
    }).reset_index().drop(columns="gemeente")
    table.insert(1, "naam", table["plaats"].str.replace(PROVINCE_MARK, "", regex=True))
    return table.sort_values(["leerlingen", "plaats"], ascending=[False, True], ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True, help="directory with the raw source files")
    raw = parser.parse_args().raw
    paths = {key: raw / rel for key, rel in RAW_FILES.items()}
    missing = [rel for key, rel in RAW_FILES.items() if not paths[key].is_file()]
    if missing:
        sys.exit("error: raw file(s) missing under {}: {}".format(raw, ", ".join(missing)))
    OUT.mkdir(parents=True, exist_ok=True)
    dissolved = dissolved_gemeenten(paths)
    data = gemeenten(paths, dissolved)
    (OUT / "gemeenten-2022.geojson.gz").write_bytes(data)
    waters = water(dissolved)
    (OUT / "water-2022.geojson.gz").write_bytes(waters)
    places = plaatsen(paths)
    places.to_csv(OUT / "plaatsen.csv", index=False, encoding="utf-8", lineterminator="\n")
    print(f"data/nl/gemeenten-2022.geojson.gz: {len(data):,} bytes; data/nl/water-2022.geojson.gz: {len(waters):,} bytes; "
          f"data/nl/plaatsen.csv: {len(places)} plaatsen, "
          f"{int(np.sum(places['scholen']))} scholen")


if __name__ == "__main__":
    main()
