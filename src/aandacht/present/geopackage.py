"""``ronde.gpkg``: the round as a GeoPackage for QGIS (OGC GeoPackage 1.2, EPSG:28992).

Two layers:

* ``wijken``: per area of the scored level its polygon with area_code, naam, score, rang, klasse
  (the score class as a label: five equal classes of 20 points on the 0-100 scale, or "geen score"),
  aangewezen, gebied, kans (chance of designation, 0-1), harde_kern and betrouwbaarheid (``I`` when
  any indicator of the area rests on a small denominator, else ``B``; ``?`` when a denominator is unknown);
* ``scholen``: per IKC with coordinates its point with brin_vestiging, naam, bestuur, wijk_code,
  gebied, behoefte, status (``Plus-IKC``, ``kandidaat``: in an aandachtsgebied or with its pupils
  there, ``overig``), plus_ikc, verkiesbaar, continuiteit and toelichting.

Counts of people are left out (the file goes to the overleg's GIS users; ``report.suppress_below``).
Each layer gets a default style in the ``layer_styles`` table that QGIS reads when the layer is
opened (QML: categories of ``klasse`` in the YlOrRd palette of the maps with names as labels; the
schools as coloured points by ``status``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd

from ..rounds.herijking import Herijking

CLASSES = [(0, 20), (20, 40), (40, 60), (60, 80), (80, 100)]
CLASS_COLOURS = ["255,255,178", "254,204,92", "253,141,60", "240,59,32", "189,0,38"]  # ColorBrewer YlOrRd, 5 classes
NO_SCORE = ("geen score", "210,210,210")
SCHOOL_COLOURS = {"Plus-IKC": "0,90,50", "kandidaat": "49,130,189", "overig": "150,150,150"}


def score_class(score: float) -> str:
    """'0-20', ..., '80-100' (upper bound included in the class below it, 100 in the top class), or 'geen score'."""
    if score is None or np.isnan(score):
        return NO_SCORE[0]
    for low, high in CLASSES:
        if score <= high:
            return f"{low}-{high}"
    return f"{CLASSES[-1][0]}-{CLASSES[-1][1]}"


def area_layer(result: Herijking):
    """The ``wijken`` layer (module docstring) as a GeoDataFrame in EPSG:28992."""
    import geopandas as gpd

    areas = result.designation.areas
    geometry = result.run.registry.geometry()
    codes = [c for c in areas.index if c in geometry.index]
    table = areas.loc[codes]
    frame = pd.DataFrame({
        "area_code": codes, "naam": table["area_name"].to_numpy(), "score": table["score"].to_numpy(dtype="float64"),
        "rang": table["rank"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan),
        "klasse": [score_class(s) for s in table["score"].to_numpy(dtype="float64")],
        "aangewezen": table["designated"].to_numpy(dtype=bool), "gebied": table["gebied"].to_numpy(),
        "kans": table["probability"].to_numpy(dtype="float64"), "harde_kern": table["hard_core"].to_numpy(dtype=bool),
        "betrouwbaarheid": result.run.area_reliability().loc[codes].to_numpy(),
    })
    return gpd.GeoDataFrame(frame, geometry=geometry.loc[codes, "geometry"].to_numpy(), crs=geometry.crs)


def school_layer(result: Herijking):
    """The ``scholen`` layer (module docstring) as a GeoDataFrame in EPSG:28992."""
    import geopandas as gpd

    located = result.ikc_registry.table.dropna(subset=["x_rd", "y_rd"])
    ikcs = result.selection.ikcs.set_index("brin_vestiging")
    ikcs = ikcs.loc[ikcs.index.intersection(located.index)]
    status = np.where(ikcs["plus_ikc"].astype(bool), "Plus-IKC",
                      np.where(ikcs["in_gebied_of_leerlingen"].astype(bool), "kandidaat", "overig"))
    frame = pd.DataFrame({
        "brin_vestiging": ikcs.index, "naam": ikcs["name"].to_numpy(), "bestuur": ikcs["bevoegd_gezag"].to_numpy(),
        "wijk_code": ikcs["wijk_code"].to_numpy(), "gebied": ikcs["gebied"].to_numpy(),
        "behoefte": ikcs["need"].to_numpy(dtype="float64"), "status": status,
        "plus_ikc": ikcs["plus_ikc"].to_numpy(dtype=bool), "verkiesbaar": ikcs["verkiesbaar"].to_numpy(dtype=bool),
        "continuiteit": ikcs["status"].fillna("").to_numpy(), "toelichting": ikcs["toelichting"].fillna("").to_numpy(),
    })
    points = gpd.points_from_xy(located.loc[ikcs.index, "x_rd"], located.loc[ikcs.index, "y_rd"])
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:28992")


def _symbol(name: str, kind: str, colour: str) -> str:
    if kind == "fill":
        layer = ('<layer class="SimpleFill" enabled="1" pass="0" locked="0"><Option type="Map">'
                 f'<Option type="QString" name="color" value="{colour},255"/>'
                 '<Option type="QString" name="outline_color" value="90,90,90,255"/>'
                 '<Option type="QString" name="outline_width" value="0.26"/>'
                 '<Option type="QString" name="style" value="solid"/></Option></layer>')
    else:
        layer = ('<layer class="SimpleMarker" enabled="1" pass="0" locked="0"><Option type="Map">'
                 f'<Option type="QString" name="color" value="{colour},255"/>'
                 '<Option type="QString" name="name" value="circle"/>'
                 '<Option type="QString" name="outline_color" value="255,255,255,255"/>'
                 '<Option type="QString" name="size" value="3"/></Option></layer>')
    return f'<symbol type="{kind}" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">{layer}</symbol>'


def style_qml(attribute: str, categories: list[tuple[str, str]], kind: str, label_field: str | None) -> str:
    """A QGIS style (QML) with a categorised renderer on ``attribute`` and, optionally, labels."""
    cats = "".join(f'<category value={quoteattr(value)} symbol="{n}" label={quoteattr(value)} render="true"/>'
                   for n, (value, _) in enumerate(categories))
    symbols = "".join(_symbol(str(n), kind, colour) for n, (_, colour) in enumerate(categories))
    labels = "" if label_field is None else (
        '<labeling type="simple"><settings calloutType="simple">'
        f'<text-style fieldName={quoteattr(label_field)} fontSize="8" textColor="30,30,30,255" isExpression="0">'
        '<text-buffer bufferDraw="1" bufferSize="0.8" bufferColor="255,255,255,255"/></text-style>'
        '<placement placement="1"/></settings></labeling>')
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
            '<qgis version="3.28.0" styleCategories="Symbology|Labeling">'
            f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(attribute)} symbollevels="0" enableorderby="0" '
            f'forceraster="0"><categories>{cats}</categories><symbols>{symbols}</symbols></renderer-v2>'
            f'{labels}</qgis>')


LAYER_STYLES = """CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256),
f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT,
styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME)"""


def write_round_geopackage(result: Herijking, path: Path) -> None:
    """Write ``ronde.gpkg`` (module docstring)."""
    areas, schools = area_layer(result), school_layer(result)
    areas.to_file(path, layer="wijken", driver="GPKG", engine="pyogrio")
    schools.to_file(path, layer="scholen", driver="GPKG", engine="pyogrio")
    classes = [(f"{low}-{high}", colour) for (low, high), colour in zip(CLASSES, CLASS_COLOURS)] + [NO_SCORE]
    styles = [("wijken", style_qml("klasse", classes, "fill", "naam"), "Score per klasse, namen als label"),
              ("scholen", style_qml("status", list(SCHOOL_COLOURS.items()), "marker", None), "IKC's naar status")]
    with sqlite3.connect(path) as connection:
        connection.execute(LAYER_STYLES)
        connection.executemany(
            "INSERT INTO layer_styles (f_table_name, f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, "
            "description, update_time) VALUES (?, 'geom', ?, ?, '', 1, ?, ?)",
            [(layer, f"aandacht {layer}", qml, text, f"{result.year}-01-01T00:00:00.000Z") for layer, qml, text in styles])
    connection.close()
