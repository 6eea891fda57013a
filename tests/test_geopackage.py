"""ronde.gpkg: the round's wijken and schools for QGIS, EPSG:28992, with default styles."""

from __future__ import annotations

import sqlite3
import xml.dom.minidom

import pyogrio
import pytest

from aandacht import load_config
from aandacht.present.geopackage import score_class, write_round_geopackage
from aandacht.resources import embedded_root
from aandacht.rounds.herijking import run_herijking


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory):
    result = run_herijking(load_config(embedded_root() / "configs" / "leeuwarden.yaml"), 2026)
    path = tmp_path_factory.mktemp("gpkg") / "ronde.gpkg"
    write_round_geopackage(result, path)
    return result, path


def test_layers_in_rd_new(gpkg):
    result, path = gpkg
    layers = dict(pyogrio.list_layers(path))
    assert layers["wijken"] == "MultiPolygon" and layers["scholen"] == "Point"
    wijken = pyogrio.read_dataframe(path, layer="wijken")
    assert wijken.crs.to_epsg() == 28992 and len(wijken) == 22
    row = wijken.set_index("area_code").loc["WK008050"]
    designation = result.designation.areas.loc["WK008050"]
    assert row["rang"] == designation["rank"] and row["aangewezen"] and row["gebied"] == "Heechterp-Skieringen"
    assert row["kans"] == pytest.approx(designation["probability"]) and row["klasse"] == score_class(designation["score"])
    assert set(wijken.columns) >= {"score", "rang", "aangewezen", "kans", "betrouwbaarheid"}
    assert "populatie" not in wijken.columns  # no counts of people
    scholen = pyogrio.read_dataframe(path, layer="scholen")
    located = result.ikc_registry.table.dropna(subset=["x_rd", "y_rd"]).index
    chosen = result.selection.ikcs.loc[result.selection.ikcs["plus_ikc"], "brin_vestiging"]
    assert sorted(scholen.loc[scholen["status"] == "Plus-IKC", "brin_vestiging"]) == sorted(set(chosen) & set(located))
    assert set(chosen) <= set(located)  # the schools of DUO's 2026 list all have their BAG point
    assert set(scholen["status"]) <= {"Plus-IKC", "kandidaat", "overig"}


def test_default_styles_for_qgis(gpkg):
    _, path = gpkg
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT f_table_name, useAsDefault, styleQML FROM layer_styles").fetchall()
    assert sorted(r[0] for r in rows) == ["scholen", "wijken"] and all(r[1] == 1 for r in rows)
    for _, _, qml in rows:
        document = xml.dom.minidom.parseString(qml)
        renderer = document.getElementsByTagName("renderer-v2")[0]
        assert renderer.getAttribute("type") == "categorizedSymbol"
        assert len(document.getElementsByTagName("category")) == len(document.getElementsByTagName("symbol"))


def test_score_classes():
    assert [score_class(v) for v in (0, 20, 20.01, 99.9, 100, float("nan"))] == [
        "0-20", "0-20", "20-40", "80-100", "80-100", "geen score"]
