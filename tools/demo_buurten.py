"""Write a DEMONSTRATION buurt file for a gemeente that has no public buurt polygons here.

Run by hand, to look at buurt-level maps and reports of a large city offline (issue 21: "Render and
view ... Rotterdam at buurt level with a fixture boundary file")::

    python tools/demo_buurten.py GM0599 rotterdam-buurten-demo.geojson
    aandacht init GM0599 rd --level buurt --boundaries rotterdam-buurten-demo.geojson

The polygons are NOT the CBS buurten. Each shipped 2022 wijk polygon (``data/nl/wijken-2022``) is cut
into as many cells as the national registry (``data/nl/gebieden.csv.gz``) lists buurten under that wijk:
the Voronoi cells of seeded random points inside the wijk, clipped to it, in the order of the buurt
codes. Codes and names are the real ones; the shapes, and therefore which buurten touch and where the
schools fall, are made up. The file is in the generalised CBS layout (``statcode``, ``statnaam``) with a
property ``demonstratie`` on every feature, so it is never mistaken for a boundary file. Never ship or
decide on it: for real polygons use ``aandacht fetch boundaries GEMEENTE --level buurt``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import MultiPoint, Point
from shapely.ops import voronoi_diagram

from aandacht.inputs.national import gemeente_data

SEED = 20261207


def cells(polygon, count: int, rng: np.random.Generator) -> list:
    """``count`` Voronoi cells of seeded random points inside ``polygon``, clipped to it (one cell: the polygon)."""
    if count == 1:
        return [polygon]
    low_x, low_y, high_x, high_y = polygon.bounds
    points: list[Point] = []
    while len(points) < count:
        point = Point(rng.uniform(low_x, high_x), rng.uniform(low_y, high_y))
        if polygon.contains(point):
            points.append(point)
    diagram = voronoi_diagram(MultiPoint(points), envelope=polygon.envelope.buffer(1000))
    by_point = {}
    for cell in diagram.geoms:
        owner = next(i for i, point in enumerate(points) if cell.contains(point))
        by_point[owner] = cell.intersection(polygon)
    return [by_point[i] for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gemeente", help="CBS code, e.g. GM0599")
    parser.add_argument("out", type=Path, help="the GeoJSON to write")
    args = parser.parse_args()
    data = gemeente_data(args.gemeente)
    registry = data.registry
    buurten = registry[registry["level"] == "buurt"]
    rng = np.random.default_rng(SEED)
    rows = []
    for wijk in data.wijken.itertuples():
        mine = buurten[buurten["parent_code"] == wijk.area_code].sort_values("area_code")
        for (code, name), shape in zip(zip(mine["area_code"], mine["area_name"]), cells(wijk.geometry, len(mine), rng)):
            rows.append({"statcode": code, "statnaam": name, "gmCode": args.gemeente, "demonstratie":
                         "verzonnen vlakken (tools/demo_buurten.py), niet de CBS-buurten", "geometry": shape})
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:28992").to_crs("EPSG:4326")
    frame.to_file(args.out, driver="GeoJSON")
    print(f"written: {args.out} ({len(frame)} demonstration buurten of {data.name}; not the CBS buurten)")


if __name__ == "__main__":
    main()
