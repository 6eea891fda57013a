"""Orientation layers for the maps: the neighbouring gemeenten and the names of the kernen.

Both are shipped in ``data/nl/`` and rebuilt by ``scripts/build_orientation.py`` (see
``data/README.md``):

* ``gemeenten-2022.geojson.gz``: the 345 gemeenten of 2022 (dissolved CBS/Kadaster wijk
  polygons, simplified to 100 m as one coverage), EPSG:28992, with ``gm_code`` and ``gm_naam``;
* ``plaatsen.csv``: woonplaatsen with a primary school (BAG woonplaatsnaam ``plaats``, its map
  name ``naam``, a point at the median of its schools' BAG addresses, ``scholen`` and
  ``leerlingen``: the pupils of its primary schools, a measure of the size of the kern).

* ``water-2022.geojson.gz``: the large enclosed waters (IJsselmeer, Markermeer, the Randmeren,
  the Zeeland waters, Lauwersmeer ...): the holes of at least 1 km2 in the union of the same
  land-clipped CBS/Kadaster polygons, simplified to 50 m.

Open sea (Noordzee, Waddenzee, Eems-Dollard), rivers and the lakes inside a gemeente's polygons
are not in the water layer: the land-clipped polygons do not tell the sea from foreign land, and no
public, compact and licence-clear extract of the Dutch rivers, canals and small lakes was found
(see data/README.md). The sea shows as the blank page around the coast.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ..resources import embedded_root

ATTRIBUTION_GEMEENTEN = "gemeentegrenzen CBS/Kadaster 2022 (CC BY 4.0)"
ATTRIBUTION_PLAATSEN = "plaatsnamen Kadaster BAG (CC0) en DUO (CC BY 4.0)"


@dataclass(frozen=True)
class Orientation:
    """The layers inside a map's view: neighbouring gemeenten (code, name, shapely geometry), the
    places (name, x, y, pupils), largest first, and the enclosed waters (shapely geometries)."""

    gemeenten: list[tuple[str, str, object]]
    places: pd.DataFrame
    water: list[object]


@lru_cache(maxsize=1)
def _gemeenten() -> tuple[list[str], list[str], object]:
    import shapely

    path = embedded_root() / "data" / "nl" / "gemeenten-2022.geojson.gz"
    collection = json.loads(gzip.decompress(path.read_bytes()))
    codes = [f["properties"]["gm_code"] for f in collection["features"]]
    names = [f["properties"]["gm_naam"] for f in collection["features"]]
    geometries = shapely.from_geojson([json.dumps(f["geometry"]) for f in collection["features"]])
    return codes, names, geometries


@lru_cache(maxsize=1)
def _water() -> object:
    import shapely

    path = embedded_root() / "data" / "nl" / "water-2022.geojson.gz"
    collection = json.loads(gzip.decompress(path.read_bytes()))
    return shapely.from_geojson([json.dumps(f["geometry"]) for f in collection["features"]])


@lru_cache(maxsize=1)
def _places() -> pd.DataFrame:
    return pd.read_csv(embedded_root() / "data" / "nl" / "plaatsen.csv", dtype={"plaats": str, "naam": str})


def load_layers() -> None:
    """Read the three shipped layers now (each is read once per process): before the maps are
    built, so that both processes of :func:`aandacht.present.drawing.draw_all` share them."""
    _gemeenten(), _water(), _places()


@lru_cache(maxsize=16)
def orientation(extent: tuple[float, float, float, float], own_code: str) -> Orientation:
    """The gemeenten other than ``own_code`` that reach into ``extent`` (x0, y0, x1, y1 in
    EPSG:28992), the places inside it and the enclosed waters that reach into it. Kept per view (a
    map asks for the layers of a view up to five times, and the maps of a round share their views),
    so the caller must not change what it gets."""
    import shapely

    codes, names, geometries = _gemeenten()
    box = shapely.box(*extent)
    hits = np.flatnonzero(shapely.intersects(geometries, box))
    neighbours = [(codes[i], names[i], geometries[i]) for i in hits if codes[i] != own_code]
    places = _places()
    inside = places["x_rd"].between(extent[0], extent[2]) & places["y_rd"].between(extent[1], extent[3])
    waters = _water()
    return Orientation(neighbours, places[inside].reset_index(drop=True),
                       list(waters[shapely.intersects(waters, box)]))
