"""``aandacht fetch boundaries``: the wijken or buurten of one gemeente from PDOK's CBS Wijken en Buurten WFS.

PDOK serves the CBS Wijk- en Buurtkaart of each year as a WFS (free, no key)::

    GET https://service.pdok.nl/cbs/wijkenbuurten/<year>/wfs/v1_0?service=WFS&version=2.0.0&request=GetFeature
        &typeNames=wijkenbuurten:buurten&outputFormat=application/json&srsName=EPSG:28992
        &count=1000&startIndex=0&filter=<Filter><PropertyIsEqualTo><PropertyName>gemeentecode</PropertyName>
        <Literal>GM0080</Literal></PropertyIsEqualTo></Filter>

* **Years and feature types.** 2022, 2023 and 2024: ``wijkenbuurten:wijken`` and ``wijkenbuurten:buurten``;
  2021: ``wijkenbuurten:cbs_wijken_2021`` and ``wijkenbuurten:cbs_buurten_2021`` (the layer names of that
  year's GeoPackage). PDOK's OGC API Features (``https://api.pdok.nl/cbs/wijken-en-buurten-<year>/ogc/v1``,
  collections ``wijken``/``buurten``, cursor paging through ``next`` links) exists for 2023 onwards only
  (pdok.nl, "(OGC) API's - CBS Wijken en Buurten"), so the WFS, which serves all four years, is used.
* **Properties** (the GeoPackage's column names): ``buurtcode``/``buurtnaam``, ``wijkcode``/``wijknaam``,
  ``gemeentecode``/``gemeentenaam``, ``water`` (``JA`` for a water area, ``NEE`` otherwise), then the key
  figures, whose codes for missing values (-99995 and -99997 in the services of 2023-2024, read by a public
  client as "no information available" and "sample too small"; -99999999 "onbekend, onvoldoende betrouwbaar
  of geheim" in the files up to 2021, CBS Toelichting Wijk- en Buurtkaart 2021 ch. 3) are not read: the
  figures come from ``fetch kwb``.
* **Filter.** The gemeente is selected with an OGC (FES) XML ``filter`` on ``gemeentecode``; public clients
  report that PDOK's MapServer WFS ignores ``CQL_FILTER`` and then returns the whole country capped at the
  page size, so every feature's ``gemeentecode`` is checked and a foreign one is an error.
* **Paging.** ``count`` features from ``startIndex`` (WFS 2.0.0); a page with fewer than ``count`` features
  is the last. A page that brings no new code (a server ignoring ``startIndex``) is an error, not a loop.
* **CRS.** ``srsName=EPSG:28992`` (RD New, PDOK's native CRS; easting-northing axis order, so no axis swap).

Sources: pdok.nl dataset pages "CBS Wijken en Buurten" (WFS and OGC API endpoints); the public clients
that query these endpoints with these parameters (e.g. GitHub code using
``service.pdok.nl/cbs/wijkenbuurten/2023/wfs/v1_0`` with ``typeName=wijkenbuurten:buurten``, XML ``FILTER``
on ``gemeentecode`` and ``startIndex``/``count`` paging; ``cbs_buurten_2021`` for 2021); PDOK/gokoala
(the OGC API server: cursor paging, ``crs`` parameter, unknown query parameters refused).

The features are written, unchanged but for the columns above, as a GeoPackage in EPSG:28992 with one layer
(``wijken`` or ``buurten``) at ``<cache>/pdok/wijkenbuurten-<year>/<gemeente>-<wijken|buurten>.gpkg``: the
file :func:`aandacht.inputs.boundaries.read_boundaries` reads (``init --boundaries``, ``areas.geometry``),
which leaves out the water areas. An existing file is used again (offline) unless ``refresh``; the file is
written only when every page arrived, through a temporary file, so a failed download leaves nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import AandachtError, DataError
from .codes import check_gemeente
from .download import get_json

WFS = "https://service.pdok.nl/cbs/wijkenbuurten/{year}/wfs/v1_0"
FEATURE_TYPES = {2021: {"wijk": "wijkenbuurten:cbs_wijken_2021", "buurt": "wijkenbuurten:cbs_buurten_2021"},
                 **{year: {"wijk": "wijkenbuurten:wijken", "buurt": "wijkenbuurten:buurten"} for year in (2022, 2023, 2024)}}
DEFAULT_YEAR = 2023  # the year of the codes of the national data `aandacht init` uses (KWB 2023)
PAGE_SIZE = 1000
MAX_PAGES = 100  # a gemeente has at most a few hundred buurten: more pages mean a server that does not page
TIMEOUT = 120
COLUMNS = {"wijk": ["wijkcode", "wijknaam", "gemeentecode", "gemeentenaam", "water"],
           "buurt": ["buurtcode", "buurtnaam", "wijkcode", "wijknaam", "gemeentecode", "gemeentenaam", "water"]}
REQUIRED = {"wijk": ("wijkcode", "wijknaam", "gemeentecode", "water"),
            "buurt": ("buurtcode", "buurtnaam", "gemeentecode", "water")}


@dataclass
class FetchedBoundaries:
    """What ``fetch boundaries`` did: the file, its areas (and how many are water), and the requests made."""

    path: Path
    level: str
    year: int
    areas: int
    water: int
    requests: int  # 0: the file came from the cache


def request_params(gemeente: str, year: int, level: str, start: int) -> dict:
    """The GetFeature query of one page (module docstring)."""
    gemeente_filter = ("<Filter><PropertyIsEqualTo><PropertyName>gemeentecode</PropertyName>"
                       f"<Literal>{gemeente}</Literal></PropertyIsEqualTo></Filter>")
    return {"service": "WFS", "version": "2.0.0", "request": "GetFeature", "typeNames": FEATURE_TYPES[year][level],
            "outputFormat": "application/json", "srsName": "EPSG:28992", "count": PAGE_SIZE, "startIndex": start,
            "filter": gemeente_filter}


def cached_file(cache: Path, gemeente: str, year: int, level: str) -> Path:
    """Where :func:`fetch_boundaries` keeps the ``level`` areas of ``gemeente`` of ``year`` in ``cache``."""
    return cache / "pdok" / f"wijkenbuurten-{year}" / f"{gemeente}-{level}en.gpkg"


def fetch_boundaries(gemeente: str, year: int, level: str, cache: Path, refresh: bool = False,
                     session=None) -> FetchedBoundaries:
    """Download the ``level`` areas of ``gemeente`` (GM0080) in ``year`` into the cache (module docstring)."""
    if year not in FEATURE_TYPES:
        raise AandachtError(f"--year {year}: PDOK serves the Wijk- en Buurtkaart as WFS for "
                            f"{', '.join(map(str, FEATURE_TYPES))}; choose one of those years")
    if level not in COLUMNS:
        raise AandachtError(f"--level {level}: boundaries are fetched for wijk or buurt")
    check_gemeente(gemeente)
    target = cached_file(cache, gemeente, year, level)
    if target.is_file() and not refresh:
        return _summary(target, level, year, 0)
    import requests

    session = session or requests.Session()
    url = WFS.format(year=year)
    features, seen, pages = [], set(), 0
    while True:
        answer = get_json(session, url, request_params(gemeente, year, level, len(features)), TIMEOUT)
        pages += 1
        page = _page_features(answer, url, gemeente, level, pages)
        codes = {f["properties"][REQUIRED[level][0]] for f in page}
        if page and codes <= seen:
            raise DataError(f"{url}: page {pages} repeats areas already received ({sorted(codes)[0]}); the service "
                            "does not page with startIndex. Nothing was written")
        seen |= codes
        features += page
        if len(page) < PAGE_SIZE:
            break
        if pages >= MAX_PAGES:
            raise DataError(f"{url}: more than {MAX_PAGES * PAGE_SIZE} {level}en for {gemeente}; the gemeente filter "
                            "was not applied. Nothing was written")
    if not features:
        raise DataError(f"{url}: no {level}en with gemeentecode {gemeente} in the Wijk- en Buurtkaart {year} "
                        f"(a gemeente of another year?). Nothing was written")
    _write(features, level, target)
    return _summary(target, level, year, pages)


def _page_features(answer, url: str, gemeente: str, level: str, page: int) -> list[dict]:
    """The features of one answer, checked: a GeoJSON FeatureCollection in EPSG:28992 whose features have
    the level's code, name, gemeente and water properties and belong to ``gemeente``."""
    if not isinstance(answer, dict) or not isinstance(answer.get("features"), list):
        raise DataError(f"{url}: page {page} is not a GeoJSON FeatureCollection (no 'features'). Nothing was written")
    crs = str(((answer.get("crs") or {}).get("properties") or {}).get("name", "EPSG:28992"))
    if not crs.endswith("28992"):
        raise DataError(f"{url}: page {page} is in {crs}, not EPSG:28992 (RD New). Nothing was written")
    features = answer["features"]
    for feature in features:
        properties = feature.get("properties") or {}
        missing = [name for name in REQUIRED[level] if name not in properties]
        if missing or not feature.get("geometry"):
            what = f"no {', '.join(missing)}" if missing else "no geometry"
            raise DataError(f"{url}: page {page}: a feature has {what} (properties: {', '.join(list(properties)[:12])}). "
                            "Nothing was written")
        if str(properties["gemeentecode"]).strip() != gemeente:
            raise DataError(f"{url}: page {page}: {properties[REQUIRED[level][0]]} belongs to {properties['gemeentecode']}, "
                            f"not {gemeente}; the service ignored the gemeente filter. Nothing was written")
    return features


def _write(features: list[dict], level: str, target: Path) -> None:
    """The features as a one-layer GeoPackage in EPSG:28992, written through a temporary file."""
    import geopandas as gpd

    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:28992")
    frame = frame[[c for c in COLUMNS[level] if c in frame.columns] + ["geometry"]]
    for column in frame.columns.drop("geometry"):
        frame[column] = frame[column].astype(str).str.strip()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.stem}.part.gpkg")
    try:
        frame.to_file(staging, driver="GPKG", layer=f"{level}en", engine="pyogrio", promote_to_multi=True)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)


def _summary(path: Path, level: str, year: int, requests: int) -> FetchedBoundaries:
    import pyogrio

    water = pyogrio.read_dataframe(path, columns=["water"], read_geometry=False)["water"]
    return FetchedBoundaries(path, level, year, len(water), int((water.str.upper() == "JA").sum()), requests)
