"""``ronde.gpkg``: the round as a GeoPackage for QGIS (OGC GeoPackage 1.2, EPSG:28992).

Three layers, drawn in QGIS as the report's score map draws them (the same
:class:`aandacht.present.maps.MapFrame`, so the same classes, colours, gebieden and IKC statuses):

* ``wijken``: per area of the scored level its polygon with gebiedscode (the CBS code), naam, score, rang, klasse
  (the score map's class label, e.g. "31 – 45", from ``maps.classes`` and ``maps.k``, or why it has
  no score: "niet gescoord: te weinig ..." / "geen gegevens"), klasse_nr (1 = lowest, 0 = none),
  aangewezen, gebied, kans (chance of designation, 0-1), harde_kern and betrouwbaarheid (``I`` when
  any indicator of the area rests on a small denominator, else ``B``; ``?`` when a denominator is unknown);
* ``aandachtsgebieden``: per aandachtsgebied the union of its drawn areas, with gebied and wijken
  (the names of its areas);
* ``scholen``: per IKC with coordinates its point with brin_vestiging, naam, bestuur, wijk_code,
  gebied, behoefte, status (``Plus-IKC``, ``kandidaat``: eligible and not chosen, ``overig``; as
  the report's maps), nr (the number of a Plus-IKC or candidate in the report's map key), plus_ikc,
  verkiesbaar, continuiteit and toelichting.

No count of people is in the file (it goes to the overleg's GIS users): no population, pupil numbers
or value of an indicator, only the scores, ranks, classes and the schools' need (a weighted mix of
scaled components, not a count); ``tests/test_geopackage.py`` pins the attributes of every layer.

Each layer gets a default style in the ``layer_styles`` table (the GDAL/QGIS convention) that QGIS
applies when the layer is opened. QGIS looks the row up by ``f_table_catalog = ''``,
``f_table_schema = ''``, ``f_table_name`` and ``f_geometry_column``: a NULL catalog or schema is
not found and the layer opens plain grey. The styles (QML) copy the report's maps: the score classes
in the map palette with the unscored areas hatched grey; the aandachtsgebieden as a dark line on a
white casing, named in bold; Plus-IKCs as white stars with a dark edge, candidates as white
diamonds (both numbered as in the map key), other schools as small grey dots; sizes in points as
on the printed map.

The file is written as GeoPackage 1.2 (GDAL creation option ``VERSION=1.2``): GDAL from 3.9 writes
1.4 by default, which the GDAL 3.6 of QGIS 3.22 opens with the warning "partially supported".
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd

from ..rounds.herijking import Herijking
from .maps import IKC_STYLE, NO_SCORE, MapFrame, score_classes, unscored_text

GPKG_VERSION = "1.2"
SCHOOL_COLUMNS = ["brin_vestiging", "naam", "bestuur", "wijk_code", "gebied", "behoefte", "status", "nr", "plus_ikc",
                  "verkiesbaar", "continuiteit", "toelichting"]
STATUS_NAMES = {"plus-ikc": "Plus-IKC", "candidate": "kandidaat", "other": "overig"}
QGIS_MARKERS = {"*": "star", "D": "diamond", "o": "circle"}  # matplotlib marker -> QGIS SimpleMarker shape
QGIS_HATCH = {"\\\\\\\\": "b_diagonal", "////": "f_diagonal"}  # the maps' hatches of NO_SCORE
GEBIED_LINE = ("26,26,26", 1.7)  # the maps' gebied outline (colour, points) ...
GEBIED_CASING = ("255,255,255", 3.2)  # ... on a white casing


def _rgb(colour) -> str:
    """'r,g,b' (0-255) from a colour of the maps' styles: '#rrggbb' or an RGB(A) tuple of 0-1 floats (a
    palette's). (Without matplotlib's colour parser: this process does not import matplotlib.)"""
    if isinstance(colour, str):
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            raise ValueError(f"not a '#rrggbb' colour: {colour!r}")
        return ",".join(str(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    return ",".join(str(round(255 * c)) for c in colour[:3])


def area_layer(result: Herijking, frame: MapFrame):
    """The ``wijken`` layer (module docstring) as a GeoDataFrame in EPSG:28992."""
    import geopandas as gpd

    areas = result.designation.areas
    codes = list(frame.areas.index)
    table = areas.loc[codes]
    classed = score_classes(frame)
    kinds = frame.unscored().to_numpy()
    klasse = [classed.labels[c] if c >= 0 and kind == "" else unscored_text(frame, kind or "nodata")
              for c, kind in zip(classed.classes, kinds)]
    frame_table = pd.DataFrame({
        "gebiedscode": codes, "naam": table["area_name"].to_numpy(), "score": table["score"].to_numpy(dtype="float64"),
        "rang": table["rank"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan),
        "klasse": klasse, "klasse_nr": np.where(kinds == "", classed.classes + 1, 0),
        "aangewezen": table["designated"].to_numpy(dtype=bool), "gebied": table["gebied"].to_numpy(),
        "kans": table["probability"].to_numpy(dtype="float64"), "harde_kern": table["hard_core"].to_numpy(dtype=bool),
        "betrouwbaarheid": result.run.area_reliability().loc[codes].to_numpy(),
    })
    return gpd.GeoDataFrame(frame_table, geometry=frame.areas.geometry.to_numpy(), crs="EPSG:28992")


def gebied_layer(frame: MapFrame):
    """The ``aandachtsgebieden`` layer: the outline of every aandachtsgebied with drawn areas."""
    import geopandas as gpd

    outlines = frame.gebied_outlines
    names = frame.areas["area_name"]
    members = ["; ".join(names[c] for c in frame.overlays.members(g) if c in names.index) for g in outlines]
    return gpd.GeoDataFrame({"gebied": list(outlines), "wijken": members}, geometry=list(outlines.values()),
                            crs="EPSG:28992")


def school_layer(result: Herijking, frame: MapFrame):
    """The ``scholen`` layer (module docstring) as a GeoDataFrame in EPSG:28992."""
    import geopandas as gpd

    if frame.ikcs is None:  # a config without schools
        return gpd.GeoDataFrame({name: [] for name in SCHOOL_COLUMNS}, geometry=[], crs="EPSG:28992")
    drawn = frame.ikcs.dropna(subset=["x_rd", "y_rd"])
    ikcs = result.selection.ikcs.set_index("brin_vestiging").loc[drawn["brin"]]
    numbers = frame.keyed["nr"].reindex(drawn.index)
    table = pd.DataFrame({
        "brin_vestiging": ikcs.index, "naam": ikcs["name"].to_numpy(), "bestuur": ikcs["bevoegd_gezag"].to_numpy(),
        "wijk_code": ikcs["wijk_code"].to_numpy(), "gebied": ikcs["gebied"].to_numpy(),
        "behoefte": ikcs["need"].to_numpy(dtype="float64"), "status": drawn["status"].map(STATUS_NAMES).to_numpy(),
        "nr": numbers.astype("Int64").to_numpy(),
        "plus_ikc": ikcs["plus_ikc"].to_numpy(dtype=bool), "verkiesbaar": ikcs["verkiesbaar"].to_numpy(dtype=bool),
        "continuiteit": ikcs["status"].fillna("").to_numpy(), "toelichting": ikcs["toelichting"].fillna("").to_numpy(),
    })
    points = gpd.points_from_xy(drawn["x_rd"].astype(float), drawn["y_rd"].astype(float))
    return gpd.GeoDataFrame(table, geometry=points, crs="EPSG:28992")


# --- QGIS styles (QML) ------------------------------------------------------------------

def _options(**values) -> str:
    return '<Option type="Map">' + "".join(
        f'<Option type="QString" name="{k}" value={quoteattr(str(v))}/>' for k, v in values.items()) + "</Option>"


def _layer(kind: str, **values) -> str:
    return f'<layer class="{kind}" enabled="1" pass="0" locked="0">{_options(**values)}</layer>'


def _fill(colour: str, style: str = "solid", outline: str = "255,255,255", width: float = 0.6) -> str:
    """A SimpleFill layer; colours 'r,g,b', widths in points."""
    return _layer("SimpleFill", color=f"{colour},255", style=style, outline_color=f"{outline},255",
                  outline_style="solid", outline_width=width, outline_width_unit="Point", joinstyle="round")


def _symbol(name: str, kind: str, layers: list[str]) -> str:
    return (f'<symbol type="{kind}" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
            f'{"".join(layers)}</symbol>')


def _marker(style: dict) -> str:
    """A SimpleMarker layer with the shape, fill, edge and size (points, as matplotlib's ``s`` is the
    squared size in points) of a marker of the maps' ``IKC_STYLE``."""
    return _layer("SimpleMarker", name=QGIS_MARKERS[style["marker"]], color=f"{_rgb(style['facecolor'])},255",
                  outline_color=f"{_rgb(style['edgecolor'])},255", outline_style="solid",
                  outline_width=style["linewidths"], outline_width_unit="Point",
                  size=round(float(np.sqrt(style["s"])), 2), size_unit="Point")


def _categorised(attribute: str, categories: list[tuple[str, str, str]], kind: str) -> str:
    """A categorised renderer: (value, legend label, symbol layers) per category."""
    cats = "".join(f'<category value={quoteattr(value)} symbol="{n}" label={quoteattr(label)} render="true"/>'
                   for n, (value, label, _) in enumerate(categories))
    symbols = "".join(_symbol(str(n), kind, [layers]) for n, (_, _, layers) in enumerate(categories))
    return (f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(attribute)} symbollevels="0" enableorderby="0" '
            f'forceraster="0"><categories>{cats}</categories><symbols>{symbols}</symbols></renderer-v2>')


def _labels(field: str, size: float, bold: bool, offset: float = 0.0, always: bool = False) -> str:
    """Simple labels of ``field`` in points on a white buffer (around the point when ``offset``);
    ``always``: shown even where they collide (else QGIS leaves out a label that has no room), and the
    layer's features then no obstacle to other labels (a gebied's area would keep every school number out)."""
    placement = ('<placement placement="6" dist="{}" distUnits="Point" quadOffset="2"/>'.format(offset) if offset
                 else '<placement placement="1" fitInPolygonOnly="0"/>')
    return ('<labeling type="simple"><settings calloutType="simple">'
            f'<text-style fieldName={quoteattr(field)} isExpression="0" fontFamily="DejaVu Sans" fontSize="{size}" '
            f'fontSizeUnit="Point" fontWeight="{75 if bold else 50}" textColor="26,26,26,255" textOpacity="1">'
            '<text-buffer bufferDraw="1" bufferSize="1" bufferSizeUnits="Point" bufferColor="255,255,255,255" '
            'bufferOpacity="1"/></text-style>'
            f'{placement}<rendering obstacle="{int(not always)}" displayAll="{int(always)}" upsidedownLabels="0"/></settings></labeling>')


def _qml(renderer: str, labels: str = "") -> str:
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
            f'<qgis version="3.22.0" styleCategories="Symbology|Labeling" labelsEnabled="{1 if labels else 0}">'
            f"{renderer}{labels}</qgis>")


def area_style(frame: MapFrame) -> str:
    """The score classes in the map palette (white edges), the unscored areas hatched as on the map."""
    classed = score_classes(frame)
    categories = [(label, label, _fill(_rgb(colour))) for colour, label in zip(classed.colours, classed.labels)]
    for kind, style in NO_SCORE.items():
        text = unscored_text(frame, kind)
        hatch = _layer("SimpleFill", color=f"{_rgb(style['edgecolor'])},255", style=QGIS_HATCH[style["hatch"]],
                       outline_style="no")
        categories.append((text, text, _fill(_rgb(style["facecolor"]), outline=_rgb(style["edgecolor"]), width=0.5)
                           + hatch))
    return _qml(_categorised("klasse", categories, "fill"))


def gebied_style() -> str:
    """No fill; the outline dark on a white casing; the name in bold."""
    line = lambda colour, width: _fill("0,0,0", style="no", outline=colour, width=width)  # noqa: E731
    symbol = _symbol("0", "fill", [line(*GEBIED_CASING), line(*GEBIED_LINE)])
    return _qml(f'<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">'
                f"<symbols>{symbol}</symbols></renderer-v2>", _labels("gebied", 8, bold=True, always=True))


def school_style() -> str:
    """Plus-IKC, kandidaat and overig with the maps' markers; the map-key number beside them."""
    headings = {"plus-ikc": "Plus-IKC", "candidate": "kandidaat: komt in aanmerking, niet gekozen",
                "other": "overig IKC of school"}
    categories = [(STATUS_NAMES[key], headings[key], _marker(style)) for key, style in IKC_STYLE.items()]
    return _qml(_categorised("status", categories, "marker"), _labels("nr", 8, bold=True, offset=4))


LAYER_STYLES = """CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256),
f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT,
styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME)"""


def write_round_geopackage(result: Herijking, frame: MapFrame, path: Path) -> None:
    """Write ``ronde.gpkg`` (module docstring) from the round and the frame its maps are drawn from."""
    layers = {"wijken": (area_layer(result, frame), area_style(frame), "Aandachtsscore in de klassen van het rapport"),
              "aandachtsgebieden": (gebied_layer(frame), gebied_style(), "Aandachtsgebieden met naam"),
              "scholen": (school_layer(result, frame), school_style(), "Plus-IKC's, kandidaten en overige scholen")}
    for name, (layer, _, _) in layers.items():
        kind = "Point" if name == "scholen" else "MultiPolygon"
        layer.to_file(path, layer=name, driver="GPKG", engine="pyogrio", geometry_type=kind,
                      promote_to_multi=kind == "MultiPolygon", dataset_options={"VERSION": GPKG_VERSION})
    with sqlite3.connect(path) as connection:
        connection.execute(LAYER_STYLES)
        connection.executemany(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
            "styleQML, styleSLD, useAsDefault, description, update_time) VALUES ('', '', ?, 'geom', ?, ?, '', 1, ?, ?)",
            [(name, f"aandacht {name}", qml, text, f"{result.year}-01-01T00:00:00.000Z")
             for name, (_, qml, text) in layers.items()])
    connection.close()
