"""Boundary files as analysts get them (aandacht.inputs.boundaries) and `init --boundaries`: the real
generalised CBS buurten of Leeuwarden 2022 (../shared/data/raw/cbs_gebiedsindelingen_cartomap, via cartomap/nl)
and a Wijk- en Buurtkaart GeoPackage in the publisher's layout (demonstration data, built here)."""

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from shapely.geometry import box

from aandacht.cli import main
from aandacht.errors import DataError
from aandacht.inputs.boundaries import read_boundaries
from aandacht.inputs.reading import read_csv_nl

RAW = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw" / "cbs_gebiedsindelingen_cartomap"
BUURTEN_2022 = RAW / "buurt_2022_GM0080.geojson"
needs_shared = pytest.mark.skipif(not BUURTEN_2022.is_file(), reason="../shared/data/raw is not beside the checkout")


@needs_shared
def test_the_generalised_cbs_buurten_are_read_with_names_and_wijken():
    buurten = read_boundaries(BUURTEN_2022, "buurt", "GM0080")
    assert len(buurten) == 134 and buurten.crs.to_epsg() == 28992
    assert buurten.at["BU00801001", "area_name"] == "De Waag" and buurten.at["BU00801001", "parent_code"] == "WK008010"
    assert buurten.at["BU00805001", "area_name"] == "Heechterp"
    assert buurten.geometry.is_valid.all()  # 2 of the 134 generalised shapes are invalid as published
    assert set(buurten.geometry.geom_type) <= {"Polygon", "MultiPolygon"}


@needs_shared
def test_a_file_without_the_gemeente_is_one_line(tmp_path):
    with pytest.raises(DataError, match="no buurten of GM0363"):
        read_boundaries(BUURTEN_2022, "buurt", "GM0363")


def wijk_en_buurtkaart(path: Path) -> Path:
    """A GeoPackage in the layout of the CBS Wijk- en Buurtkaart 2023 (layers gemeenten, wijken, buurten;
    columns buurtcode, buurtnaam, wijkcode, gemeentecode, water JA/NEE): demonstration data."""
    rd = "EPSG:28992"
    buurten = gpd.GeoDataFrame({
        "buurtcode": ["BU00801001", "BU00801002", "BU00801099", "BU00140000"],
        "buurtnaam": ["De Waag", "Nieuwestad", "Water", "Binnenstad-Zuid"],
        "wijkcode": ["WK008010", "WK008010", "WK008010", "WK001400"],
        "gemeentecode": ["GM0080", "GM0080", "GM0080", "GM0014"],
        "water": ["NEE", "NEE", "JA", "NEE"],
        "aantal_inwoners": [1200, 900, -99997, 4000],
    }, geometry=[box(182000, 579000, 182500, 579500), box(182500, 579000, 183000, 579500),
                 box(183000, 579000, 183500, 579500), box(233000, 581000, 233500, 581500)], crs=rd)
    wijken = gpd.GeoDataFrame({"wijkcode": ["WK008010"], "wijknaam": ["Binnenstad"], "gemeentecode": ["GM0080"],
                               "water": ["NEE"]}, geometry=[box(182000, 579000, 183500, 579500)], crs=rd)
    gemeenten = gpd.GeoDataFrame({"gemeentecode": ["GM0080"], "gemeentenaam": ["Leeuwarden"], "water": ["NEE"]},
                                 geometry=[box(170000, 560000, 200000, 600000)], crs=rd)
    for name, layer in (("gemeenten", gemeenten), ("wijken", wijken), ("buurten", buurten)):
        layer.to_file(path, layer=name, driver="GPKG", engine="pyogrio")
    return path


def test_the_wijk_en_buurtkaart_layers_are_found_and_water_and_other_gemeenten_left_out(tmp_path):
    path = wijk_en_buurtkaart(tmp_path / "WijkBuurtkaart_2023_v1.gpkg")
    buurten = read_boundaries(path, "buurt", "GM0080")
    assert list(buurten.index) == ["BU00801001", "BU00801002"]  # the water buurt and Groningen's left out
    assert list(buurten["area_name"]) == ["De Waag", "Nieuwestad"]
    wijken = read_boundaries(path, "wijk", "GM0080")
    assert list(wijken["area_name"]) == ["Binnenstad"] and wijken.at["WK008010", "parent_code"] == "GM0080"
    with pytest.raises(DataError, match="no layer 'wijk_2023'"):
        read_boundaries(path, "buurt", "GM0080", layer="wijk_2023")


def test_a_file_that_is_not_a_boundary_file_is_one_line(tmp_path):
    path = tmp_path / "buurten.geojson"
    path.write_text("dit is geen kaart", encoding="utf-8")
    with pytest.raises(DataError, match="not a boundary file GDAL can read"):
        read_boundaries(path, "buurt", "GM0080")
    table = gpd.GeoDataFrame({"naam": ["x"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:28992")
    table.to_file(tmp_path / "other.gpkg", driver="GPKG", engine="pyogrio")
    with pytest.raises(DataError, match="no buurt code column"):
        read_boundaries(tmp_path / "other.gpkg", "buurt", "GM0080")


@needs_shared
def test_init_at_buurt_level_with_boundaries_places_the_schools_and_chooses_plus_ikcs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    made = runner.invoke(main, ["init", "leeuwarden", "lwb", "--level", "buurt", "--boundaries", str(BUURTEN_2022)])
    assert made.exit_code == 0, made.output
    assert "buurtgrenzen en -namen uit buurt_2022_GM0080.geojson" in made.output
    areas = pd.read_csv(tmp_path / "lwb" / "data" / "leeuwarden" / "areas.csv", dtype=str).set_index("area_code")
    assert areas.at["BU00805001", "area_name"] == "Heechterp"  # the published name, not "Heechterp & Schieringen, buurt 01"
    assert (tmp_path / "lwb" / "data" / "leeuwarden" / "buurten.geojson").is_file()
    monkeypatch.chdir(tmp_path / "lwb")
    result = runner.invoke(main, ["herijking", "--round", "2026", "--no-maps"])
    assert result.exit_code == 0, result.output
    ikcs = read_csv_nl(tmp_path / "lwb" / "rounds" / "2026" / "ikcs.csv")
    assert ikcs["plus_ikc"].sum() > 0 and ikcs["wijk_code"].fillna("").str.startswith("BU0080").sum() > 40
    # offline, every IKC of the round with BAG coordinates is placed in its buurt (issue 21 item 4)
    placed = ikcs.loc[ikcs["x_rd"].notna(), "wijk_code"].fillna("")
    assert len(placed) > 40 and placed.str.startswith("BU0080").all()
    # a buurt without a placed school, while some teaching locations have no place, says so; never "niet van toepassing"
    ranking = read_csv_nl(tmp_path / "lwb" / "rounds" / "2026" / "ranking.csv").set_index("gebiedscode")
    assert "leerresultaten: geen school geplaatst, en er zijn scholen zonder plaats" in ranking.at["BU00805001", "opmerking"]
    assert not ranking["opmerking"].fillna("").str.contains("leerresultaten: niet van toepassing").any()


def test_a_village_at_buurt_level_places_its_schools_and_chooses_plus_ikcs_offline(tmp_path, monkeypatch):
    """Issue 21 item 4: Urk (one wijk, ranked on its buurten) with its real generalised buurten of 2022
    (tests/fixtures/buurt_2022_GM0184.geojson, copied from cartomap/nl: see tests/fixtures/README.md):
    every school placed by point in polygon, the published names, Plus-IKCs chosen, no network."""
    urk = Path(__file__).parent / "fixtures" / "buurt_2022_GM0184.geojson"
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    made = runner.invoke(main, ["init", "urk", "urk", "--boundaries", str(urk)])
    assert made.exit_code == 0, made.output
    assert "scholen met een score van 2019: 12, waarvan in een buurt geplaatst: 12" in made.output
    monkeypatch.chdir(tmp_path / "urk")
    result = runner.invoke(main, ["herijking", "--round", "2026", "--no-maps"])
    assert result.exit_code == 0, result.output
    ikcs = read_csv_nl(tmp_path / "urk" / "rounds" / "2026" / "ikcs.csv")
    assert ikcs["plus_ikc"].sum() >= 1 and ikcs["wijk_code"].fillna("").str.startswith("BU0184").all()
    gebieden = read_csv_nl(tmp_path / "urk" / "rounds" / "2026" / "aandachtsgebieden.csv")
    assert "De Top" in " ".join(gebieden["gebiedsnamen"].fillna("")) + " ".join(gebieden["gebied"])


def test_the_shapefile_and_2021_layouts_are_read_too(tmp_path):
    """Shapefile DBF names (BU_CODE, BU_NAAM, H2O) and the 2021 GeoPackage layer cbs_buurten_2021:
    demonstration data in the layouts CBS published."""
    rd = "EPSG:28992"
    shp = gpd.GeoDataFrame({"BU_CODE": ["BU00801001", "BU00801002"], "BU_NAAM": ["De Waag", "Meer"],
                            "GM_CODE": ["GM0080", "GM0080"], "H2O": ["NEE", "JA"], "AANT_INW": [1200, -99999999]},
                           geometry=[box(182000, 579000, 182500, 579500), box(182500, 579000, 183000, 579500)], crs=rd)
    shp.to_file(tmp_path / "buurt_2023_v1.shp", engine="pyogrio")
    buurten = read_boundaries(tmp_path / "buurt_2023_v1.shp", "buurt", "GM0080")
    assert list(buurten["area_name"]) == ["De Waag"]  # H2O = JA left out
    layers = {"gemeenten2021": shp.rename(columns={"BU_CODE": "gemeentecode"}), "cbs_buurten_2021":
              shp.rename(columns={"BU_CODE": "buurtcode", "BU_NAAM": "buurtnaam", "H2O": "water"})}
    for name, layer in layers.items():
        layer.to_file(tmp_path / "WijkBuurtkaart_2021_v1.gpkg", layer=name, driver="GPKG", engine="pyogrio")
    assert list(read_boundaries(tmp_path / "WijkBuurtkaart_2021_v1.gpkg", "buurt", "GM0080").index) == ["BU00801001"]
