"""ronde.gpkg: the round's wijken and schools for QGIS, EPSG:28992, with default styles."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import xml.dom.minidom
from pathlib import Path

import pyogrio
import pytest

from aandacht import load_config
from aandacht.present.geopackage import SCHOOL_COLUMNS, write_round_geopackage
from aandacht.present.maps import map_frame, score_classes
from aandacht.present.round_folder import round_overlays
from aandacht.resources import embedded_root
from aandacht.rounds.herijking import run_herijking


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory):
    result = run_herijking(load_config(embedded_root() / "configs" / "leeuwarden.yaml"), 2026)
    path = tmp_path_factory.mktemp("gpkg") / "ronde.gpkg"
    frame = map_frame(result.run, round_overlays(result))
    write_round_geopackage(result, frame, path)
    return result, path, frame


def test_layers_in_rd_new(gpkg):
    result, path, frame = gpkg
    layers = dict(pyogrio.list_layers(path))
    assert layers == {"wijken": "MultiPolygon", "aandachtsgebieden": "MultiPolygon", "scholen": "Point",
                      "layer_styles": None}
    wijken = pyogrio.read_dataframe(path, layer="wijken")
    assert wijken.crs.to_epsg() == 28992 and len(wijken) == 22
    row = wijken.set_index("gebiedscode").loc["WK008050"]
    designation = result.designation.areas.loc["WK008050"]
    assert row["rang"] == designation["rank"] and row["aangewezen"] and row["gebied"] == "Heechterp-Skieringen"
    assert row["kans"] == pytest.approx(designation["probability"]) and row["klasse"] == "61 \u2013 97"  # the top class of the report's score map
    assert set(wijken.columns) >= {"score", "rang", "aangewezen", "kans", "betrouwbaarheid"}
    assert "populatie" not in wijken.columns  # no counts of people
    scholen = pyogrio.read_dataframe(path, layer="scholen")
    located = result.ikc_registry.table.dropna(subset=["x_rd", "y_rd"]).index
    chosen = result.selection.ikcs.loc[result.selection.ikcs["plus_ikc"], "brin_vestiging"]
    assert sorted(scholen.loc[scholen["status"] == "Plus-IKC", "brin_vestiging"]) == sorted(set(chosen) & set(located))
    assert set(chosen) <= set(located)  # the schools of DUO's 2026 list all have their BAG point
    assert set(scholen["status"]) == {"Plus-IKC", "kandidaat", "overig"}
    # the numbers of the report's map key, for Plus-IKCs and candidates only
    keyed = frame.keyed.set_index("brin")["nr"]
    numbered = scholen.dropna(subset=["nr"]).set_index("brin_vestiging")["nr"]
    assert numbered.astype(int).to_dict() == keyed.loc[numbered.index].to_dict() and len(numbered) == len(keyed)
    assert scholen.loc[scholen["status"] == "overig", "nr"].isna().all()
    gebieden = pyogrio.read_dataframe(path, layer="aandachtsgebieden").set_index("gebied")
    assert list(gebieden.index) == frame.overlays.gebied_names()
    assert gebieden.at["Heechterp-Skieringen", "wijken"] == "Heechterp & Schieringen"


def test_the_score_classes_are_the_reports(gpkg):
    _, path, frame = gpkg
    wijken = pyogrio.read_dataframe(path, layer="wijken").set_index("gebiedscode")
    classed = score_classes(frame)
    assert len(classed.labels) == frame.options.k == 5
    expected = [classed.labels[c] if c >= 0 else None for c in classed.classes]
    scored = wijken.loc[frame.areas.index, "klasse_nr"] > 0
    assert list(wijken.loc[frame.areas.index, "klasse"][scored]) == [e for e, s in zip(expected, scored) if s]
    assert wijken["klasse"][~scored.reindex(wijken.index)].str.startswith("niet gescoord").all()
    assert wijken["klasse"].value_counts().max() <= 5  # quantile classes of 21 scored wijken, not 10 in one


def test_default_styles_for_qgis(gpkg):
    _, path, frame = gpkg
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT f_table_catalog, f_table_schema, f_table_name, useAsDefault, styleQML "
                                  "FROM layer_styles").fetchall()
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    assert version == 10200  # GeoPackage 1.2: GDAL 3.6 (QGIS 3.22) warns on 1.4
    # QGIS finds a default style only with '' (not NULL) as catalog and schema
    assert all(r[0] == "" and r[1] == "" and r[3] == 1 for r in rows)
    assert sorted(r[2] for r in rows) == ["aandachtsgebieden", "scholen", "wijken"]
    styles = {r[2]: r[4] for r in rows}
    colours = {c.getAttribute("value") for c in xml.dom.minidom.parseString(styles["wijken"]).getElementsByTagName("Option")
               if c.getAttribute("name") == "color"}
    from matplotlib.colors import to_rgb
    assert {",".join(str(round(255 * v)) for v in to_rgb(c)) + ",255" for c in score_classes(frame).colours} <= colours
    shapes = [o.getAttribute("value") for o in xml.dom.minidom.parseString(styles["scholen"]).getElementsByTagName("Option")
              if o.getAttribute("name") == "name"]
    assert shapes == ["star", "diamond", "circle"]
    for qml in (styles["wijken"], styles["scholen"]):
        document = xml.dom.minidom.parseString(qml)
        renderer = document.getElementsByTagName("renderer-v2")[0]
        assert renderer.getAttribute("type") == "categorizedSymbol"
        assert len(document.getElementsByTagName("category")) == len(document.getElementsByTagName("symbol"))



QGIS_PYTHON = os.environ.get("QGIS_PYTHON", "/usr/bin/python3")


def _qgis_missing() -> str | None:
    """Why QGIS cannot be run here, or None."""
    if shutil.which("xvfb-run") is None:
        return "xvfb-run is not installed (apt-get install xvfb)"
    probe = subprocess.run([QGIS_PYTHON, "-c", "import qgis.core, osgeo.gdal"], capture_output=True)
    return None if probe.returncode == 0 else f"{QGIS_PYTHON} has no PyQGIS (apt-get install qgis python3-qgis)"


def test_qgis_opens_the_file_styled_as_the_report(gpkg, tmp_path):
    """QGIS itself (tools/qgis_render.py under xvfb-run): every layer's default style applies, GDAL
    opens the file without a warning, and the rendered map shows every class colour of the report."""
    reason = _qgis_missing()
    if reason:
        pytest.skip(reason)
    from PIL import Image

    _, path, frame = gpkg
    png = tmp_path / "qgis.png"
    script = Path(__file__).parents[1] / "tools" / "qgis_render.py"
    run = subprocess.run(["xvfb-run", "-a", QGIS_PYTHON, str(script), str(path), str(png)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["gdal_warnings"] == []  # no "partially supported" GeoPackage version
    assert report["zoom_png"]["written"] and (tmp_path / "qgis-zoom.png").is_file()
    layers = report["layers"]
    assert all(layers[name]["default_style"] and layers[name]["valid"] for name in layers)
    assert [c[1] for c in layers["wijken"]["categories"][:5]] == score_classes(frame).labels
    assert [c[0] for c in layers["scholen"]["categories"]] == ["Plus-IKC", "kandidaat", "overig"]
    assert layers["aandachtsgebieden"]["features"] == 7 and layers["aandachtsgebieden"]["labels"]
    colours = {tuple(int(c[1 + 2 * i:3 + 2 * i], 16) for i in range(3)) for _, _, c in layers["wijken"]["categories"][:5]}
    image = Image.open(png).convert("RGB")
    pixels = {image.getpixel((x, y)) for x in range(0, image.width, 2) for y in range(0, image.height, 2)}
    assert colours <= pixels


def test_no_count_of_people_in_any_layer(gpkg):
    """ronde.gpkg goes to the overleg's GIS users: no layer holds a count of people (no population,
    pupils or value of an indicator that counts people; the pupil numbers behind behoefte stay out)
    and every attribute is one the module docstring names, so a new column is a decision, not a slip."""
    from aandacht.present.tables import COUNT_COLUMNS

    result, path, _ = gpkg
    expected = {"wijken": {"gebiedscode", "naam", "score", "rang", "klasse", "klasse_nr", "aangewezen", "gebied", "kans",
                           "harde_kern", "betrouwbaarheid"},
                "aandachtsgebieden": {"gebied", "wijken"}, "scholen": set(SCHOOL_COLUMNS)}
    indicators = {i.id for i in result.run.config.framework.indicators}
    for layer, columns in expected.items():
        table = pyogrio.read_dataframe(path, layer=layer)
        assert set(table.columns) - {"geometry"} == columns, layer
        assert not columns & (COUNT_COLUMNS | indicators | {"leerlingen", "aantal_leerlingen", "per_100_leerlingen"})
    population = result.designation.areas["population"]
    wijken = pyogrio.read_dataframe(path, layer="wijken").set_index("gebiedscode")
    assert population.notna().sum() > 20  # no numeric attribute of an area repeats its population
    assert not wijken.select_dtypes("number").eq(population.reindex(wijken.index), axis=0).any().any()
