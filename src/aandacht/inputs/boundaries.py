"""Boundaries as analysts get them: the CBS Wijk- en Buurtkaart and the generalised CBS files.

:func:`read_boundaries` reads the wijken or buurten of one gemeente from

* the **Wijk- en Buurtkaart** as CBS and PDOK publish it: the GeoPackage (``wijkenbuurten_<year>_v<n>.gpkg``,
  layers ``gemeenten``, ``wijken``, ``buurten``; in 2021 ``cbs_wijken_2021``, ``cbs_buurten_2021``) with
  ``wijkcode``/``wijknaam``, ``buurtcode``/``buurtnaam``, ``gemeentecode`` and ``water``, or the shapefiles
  (``wijk_<year>_v<n>.shp``, ``buurt_<year>_v<n>.shp``, ``CBS_buurten<year>.shp``) with the DBF names
  ``WK_CODE``/``WK_NAAM``, ``BU_CODE``/``BU_NAAM``, ``GM_CODE`` and ``H2O`` or ``WATER``. A water flag ``JA``
  (a water area, where nobody lives) is left out (CBS, Toelichting Wijk- en Buurtkaart 2021, ch. 5; ``B``
  marks Belgian territory around Baarle-Nassau, in gemeente GM0998 Buitenland). The key figures the file
  carries (with -99999999 for "onbekend, onvoldoende betrouwbaar of geheim", Toelichting 2021 ch. 3, and
  -99995/-99997 in the PDOK services of 2023-2024) are not read here: aandacht's figures come from KWB;
* the **generalised CBS files** (``cbsgebiedsindelingen``: ``wijk_gegeneraliseerd``,
  ``buurt_gegeneraliseerd``, and their copies such as cartomap/nl) as GeoJSON or TopoJSON: ``statcode``
  and ``statnaam``, the gemeente in ``gmCode`` or, where absent, in the code itself (``WK008010``,
  ``BU00801001``: digits 3-6 are the gemeente's number).

Only the gemeente's areas are kept, selected while reading where the file allows it; a national file
is never held whole. The result has ``area_code``, ``area_name``, ``parent_code`` (the wijk of a
buurt, the gemeente of a wijk) and the geometry in EPSG:28992.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import DataError
from .reading import require_file

RD_NEW = "EPSG:28992"
LEVEL_PREFIX = {"wijk": "WK", "buurt": "BU"}
# candidate columns per role and level, newest layout first (module docstring)
CODE_COLUMNS = {"wijk": ("wijkcode", "WK_CODE", "statcode"), "buurt": ("buurtcode", "BU_CODE", "statcode")}
NAME_COLUMNS = {"wijk": ("wijknaam", "WK_NAAM", "statnaam"), "buurt": ("buurtnaam", "BU_NAAM", "statnaam")}
GEMEENTE_COLUMNS = ("gemeentecode", "GM_CODE", "gmCode")
WATER_COLUMNS = ("water", "WATER", "H2O")
LAYER_NAMES = {"wijk": ("wijken", "wijk", "cbs_wijken"), "buurt": ("buurten", "buurt", "cbs_buurten")}


def _first(columns, candidates) -> str | None:
    present = {c.lower(): c for c in columns}
    return next((present[c.lower()] for c in candidates if c.lower() in present), None)


def boundary_layer(path: Path, level: str, layer: str | None = None) -> str | None:
    """The layer of ``path`` holding the ``level``'s areas: ``layer`` when given, the file's only layer, or
    the layer named for the level (``wijken``, ``buurten``); None for a single-layer file."""
    import pyogrio

    layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    if layer is not None:
        if layer not in layers:
            raise DataError(f"{path}: no layer {layer!r}; layers are {layers}")
        return layer
    if len(layers) == 1:
        return None
    found = [name for name in layers if name.lower() in LAYER_NAMES[level]]
    if not found:  # cbs_buurten_2021 (Wijk- en Buurtkaart 2021), buurt_gegeneraliseerd_2021 (gebiedsindelingen)
        found = [name for name in layers if level in name.lower()]
    if len(found) != 1:
        raise DataError(f"{path}: cannot tell which layer holds the {level}en (layers {layers}); name it "
                        f"(init --boundaries-layer, or areas.geometry_layer)")
    return found[0]


def read_boundaries(path: Path, level: str, gemeente: str, layer: str | None = None):
    """The ``level`` areas of gemeente ``gemeente`` (``GM0080``) in ``path`` (module docstring)."""
    import pyogrio

    if level not in LEVEL_PREFIX:
        raise DataError(f"{path}: boundaries are read for wijken or buurten, not {level!r}")
    require_file(path, "boundary file")
    try:
        layer = boundary_layer(path, level, layer)
        info = pyogrio.read_info(path, layer=layer)
    except DataError:
        raise
    except Exception as error:  # a file GDAL cannot open at all
        raise DataError(f"{path}: not a boundary file GDAL can read ({str(error).splitlines()[0]})") from None
    columns = list(info["fields"])
    code, name = _first(columns, CODE_COLUMNS[level]), _first(columns, NAME_COLUMNS[level])
    if code is None:
        raise DataError(f"{path}: no {level} code column (one of {', '.join(CODE_COLUMNS[level])}); columns are "
                        f"{columns[:12]}")
    number = gemeente[2:]
    prefix = f"{LEVEL_PREFIX[level]}{number}"
    where = f"\"{code}\" LIKE '{prefix}%'" if prefix.isalnum() else None  # filtered while reading; else below
    frame = pyogrio.read_dataframe(path, layer=layer, where=where)
    frame = frame[frame[code].astype(str).str.strip().str.startswith(prefix)].copy()
    water = _first(frame.columns, WATER_COLUMNS)
    if water is not None:
        frame = frame[frame[water].astype(str).str.strip().str.upper() != "JA"]
    if frame.empty:
        raise DataError(f"{path}: no {level}en of {gemeente} (codes starting with {prefix}) in "
                        f"{'layer ' + repr(layer) if layer else 'the file'}")
    if frame.crs is None:
        raise DataError(f"{path}: the boundary file has no CRS")
    codes = frame[code].astype(str).str.strip()
    if codes.duplicated().any():
        raise DataError(f"{path}: {level} {codes[codes.duplicated()].iloc[0]} appears more than once")
    out = frame.assign(area_code=codes.to_numpy(),
                       area_name=(frame[name].astype(str).str.strip() if name else codes).to_numpy(),
                       parent_code=[_parent(c, level) for c in codes])
    out = out[["area_code", "area_name", "parent_code", out.geometry.name]].set_geometry(out.geometry.name)
    out = out.to_crs(RD_NEW)
    out = out.set_geometry([_polygonal(g) for g in out.geometry.make_valid()], crs=RD_NEW)
    return out.set_index("area_code", drop=False)


def _polygonal(geometry):
    """The polygonal part of a geometry made valid (a generalised file's bow-ties become polygons and lines)."""
    from shapely.geometry import MultiPolygon

    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    polygons = [p for g in parts for p in (g.geoms if g.geom_type == "MultiPolygon" else [g])]
    return MultiPolygon(polygons)


def _parent(code: str, level: str) -> str:
    """The wijk of a buurt (BU00801001 -> WK008010), the gemeente of a wijk (WK008010 -> GM0080)."""
    return f"WK{code[2:8]}" if level == "buurt" else f"GM{code[2:6]}"


def boundaries_missing(config) -> str:
    """The one Dutch sentence, for the report and the terminal, on a project (``config``) without polygons of its
    areas (``areas.geometry``): what is lacking (maps, and schools placed by point in polygon) and the way to add
    it, ``aandacht fetch boundaries`` (the CBS Wijk- en Buurtkaart from PDOK, :mod:`aandacht.inputs.pdok_boundaries`),
    which names the ``areas.geometry`` line for the config. Kept in one place so that the report, ``aandacht
    check``, ``aandacht herijking`` and ``aandacht map`` say the same."""
    level, gemeente = config.level, config.gemeente
    return (f"Er is geen bestand met de grenzen van de {level}en van {gemeente.name}: daarom zijn er geen kaarten en "
            f"kunnen de scholen niet met hun coördinaten in een {level} worden geplaatst. Haal de grenzen op met "
            f"`aandacht fetch boundaries {gemeente.code} --level {level}` in de projectmap en zet het bestand dat het "
            "noemt in de config onder `areas:` als `geometry:`.")
