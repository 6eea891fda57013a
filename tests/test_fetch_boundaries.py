"""`aandacht fetch boundaries` (PDOK's CBS Wijken en Buurten WFS) and a config naming a CBS boundary file as
areas.geometry, without network.

The WFS answers here are **demonstration data** in the documented layout (a GeoJSON FeatureCollection per
page with the properties buurtcode, buurtnaam, wijkcode, wijknaam, gemeentecode, gemeentenaam, water and
key figures with PDOK's -99995/-99997 codes; see aandacht.inputs.pdok_boundaries): no recorded PDOK WFS
answer was found in public repositories. Their polygons are the Leeuwarden wijken and buurten shipped in
data/leeuwarden (generalised CBS shapes), so the file read back lies where Leeuwarden lies.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from aandacht.cli import main
from aandacht.errors import AandachtError, DataError
from aandacht.inputs import pdok_boundaries
from aandacht.inputs.boundaries import read_boundaries
from aandacht.inputs.download import DownloadError
from aandacht.inputs.pdok_boundaries import fetch_boundaries, request_params

ROOT = Path(__file__).resolve().parents[1]
WATER = "BU00801001"  # marked as a water area in the demonstration answer


def demonstration_features(level: str) -> list[dict]:
    """WFS features (demonstration data, module docstring) built from the shipped Leeuwarden polygons."""
    source = json.loads((ROOT / "data" / "leeuwarden" / f"{level}en.geojson").read_text(encoding="utf-8"))
    features = []
    for feature in source["features"]:
        p = feature["properties"]
        code_name = ({"buurtcode": p["area_code"], "buurtnaam": p["area_name"], "wijkcode": p["parent_code"],
                      "wijknaam": ""} if level == "buurt" else {"wijkcode": p["area_code"], "wijknaam": p["area_name"]})
        features.append({"type": "Feature", "id": f"{level}en.{len(features) + 1}", "geometry": feature["geometry"],
                         "properties": {**code_name, "gemeentecode": "GM0080", "gemeentenaam": "Leeuwarden",
                                        "water": "JA" if p["area_code"] == WATER else "NEE",
                                        "aantal_inwoners": -99997, "percentage_personen_0_tot_15_jaar": -99995}})
    return features


class Reply:
    def __init__(self, answer, status=200):
        self.answer, self.status_code = answer, status

    def raise_for_status(self):
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code} Server Error", response=self)

    def json(self):
        return self.answer


class DemoWFS:
    """Serves the demonstration features page by page (startIndex, count) for the filtered gemeente."""

    def __init__(self, level: str = "buurt", features=None, ignore_start=False):
        self.features = demonstration_features(level) if features is None else features
        self.asked: list[tuple[str, dict]] = []
        self.ignore_start = ignore_start

    def get(self, url, params, timeout):
        self.asked.append((url, dict(params)))
        start = 0 if self.ignore_start else params["startIndex"]
        wanted = [f for f in self.features if f"<Literal>{f['properties']['gemeentecode']}</Literal>" in params["filter"]]
        page = wanted[start:start + params["count"]]
        return Reply({"type": "FeatureCollection", "name": params["typeNames"].split(":")[1],
                      "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}, "features": page})


class Failing:
    def __init__(self, error=None, reply=None):
        self.error, self.reply = error, reply

    def get(self, url, params, timeout):
        if self.error:
            raise self.error
        return self.reply


@pytest.fixture
def pages(monkeypatch):
    monkeypatch.setattr(pdok_boundaries, "PAGE_SIZE", 50)  # 134 Leeuwarden buurten: three pages


def test_paging_writes_a_file_that_reads_back_with_codes_names_and_no_water(tmp_path, pages):
    wfs = DemoWFS()
    got = fetch_boundaries("GM0080", 2023, "buurt", tmp_path, session=wfs)
    assert got.path == tmp_path / "pdok" / "wijkenbuurten-2023" / "GM0080-buurten.gpkg"
    assert (got.areas, got.water, got.requests) == (134, 1, 3)
    assert [params["startIndex"] for _, params in wfs.asked] == [0, 50, 100]
    url, params = wfs.asked[0]
    assert url == "https://service.pdok.nl/cbs/wijkenbuurten/2023/wfs/v1_0"
    assert params["typeNames"] == "wijkenbuurten:buurten" and params["srsName"] == "EPSG:28992"
    assert "<PropertyName>gemeentecode</PropertyName><Literal>GM0080</Literal>" in params["filter"]
    areas = read_boundaries(got.path, "buurt", "GM0080")
    assert len(areas) == 133 and WATER not in areas.index  # the water area is left out when read
    assert areas.at["BU00801002", "area_name"] == "Nieuwestad" and areas.at["BU00801002", "parent_code"] == "WK008010"
    assert str(areas.crs) == "EPSG:28992"
    assert not list(got.path.parent.glob(".*part*"))


def test_the_2021_service_has_its_own_feature_types():
    assert request_params("GM0080", 2021, "wijk", 0)["typeNames"] == "wijkenbuurten:cbs_wijken_2021"
    assert request_params("GM0080", 2024, "wijk", 1000)["typeNames"] == "wijkenbuurten:wijken"


def test_the_cache_is_used_offline_and_a_failed_refresh_keeps_it(tmp_path):
    first = fetch_boundaries("GM0080", 2023, "wijk", tmp_path, session=DemoWFS("wijk"))
    before = first.path.read_bytes()
    again = fetch_boundaries("GM0080", 2023, "wijk", tmp_path, session=Failing(requests.ConnectionError("offline")))
    assert (again.path, again.areas, again.requests) == (first.path, 22, 0)
    with pytest.raises(DownloadError, match=r"wijkenbuurten/2023/wfs/v1_0 \(ConnectionError\)"):
        fetch_boundaries("GM0080", 2023, "wijk", tmp_path, refresh=True, session=Failing(requests.ConnectionError("x")))
    assert first.path.read_bytes() == before


class NotJson(Reply):
    def json(self):
        raise ValueError("Expecting value: line 1 column 1 (char 0)")  # an HTML error page


@pytest.mark.parametrize("session, reason", [
    (Failing(reply=Reply({}, status=503)), "HTTP 503"),
    (Failing(requests.Timeout("slow")), "no answer within 120 s"),
    (Failing(reply=NotJson(None)), "the answer is not JSON"),
])
def test_a_failed_download_writes_nothing(tmp_path, session, reason):
    with pytest.raises(DownloadError, match=reason) as error:
        fetch_boundaries("GM0080", 2024, "buurt", tmp_path, session=session)
    assert "https://service.pdok.nl/cbs/wijkenbuurten/2024/wfs/v1_0" in str(error.value)
    assert not list(tmp_path.rglob("*"))


def test_unusable_answers_are_refused(tmp_path, pages):
    with pytest.raises(DataError, match="no buurten with gemeentecode GM0081"):
        fetch_boundaries("GM0081", 2023, "buurt", tmp_path, session=DemoWFS())
    foreign = demonstration_features("buurt")[:3]
    foreign[1]["properties"]["gemeentecode"] = "GM0363"
    with pytest.raises(DataError, match="ignored the gemeente filter"):
        fetch_boundaries("GM0080", 2023, "buurt", tmp_path,
                         session=Failing(reply=Reply({"type": "FeatureCollection", "features": foreign})))
    with pytest.raises(DataError, match="does not page with startIndex"):
        fetch_boundaries("GM0080", 2023, "buurt", tmp_path, session=DemoWFS(ignore_start=True))
    nameless = demonstration_features("wijk")[:2]
    del nameless[0]["properties"]["wijknaam"]
    with pytest.raises(DataError, match="a feature has no wijknaam"):
        fetch_boundaries("GM0080", 2023, "wijk", tmp_path,
                         session=Failing(reply=Reply({"type": "FeatureCollection", "features": nameless})))
    with pytest.raises(AandachtError, match="2021, 2022, 2023, 2024"):
        fetch_boundaries("GM0080", 2025, "wijk", tmp_path)
    assert not list(tmp_path.rglob("*.gpkg"))


def test_fetch_boundaries_command_says_the_next_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    wfs = DemoWFS("wijk")
    monkeypatch.setattr("requests.Session", lambda: wfs)
    runner = CliRunner()
    result = runner.invoke(main, ["fetch", "boundaries", "Leeuwarden", "--level", "wijk"])
    assert result.exit_code == 0, result.output
    path = Path("aandacht-cache") / "pdok" / "wijkenbuurten-2023" / "GM0080-wijken.gpkg"
    assert f"geschreven: {path} (22 wijken van Leeuwarden, waarvan 0 water" in result.output
    assert result.output.strip().splitlines()[-1] == f"volgende stap: aandacht init GM0080 --level wijk --boundaries {path}"
    offline = runner.invoke(main, ["fetch", "boundaries", "GM0080", "--level", "wijk"])
    assert offline.exit_code == 0 and "uit de cache" in offline.output and len(wfs.asked) == 1
    project = tmp_path / "project"
    (project / "configs").mkdir(parents=True)
    (project / "configs" / "x.yaml").write_text("name: x\n", encoding="utf-8")
    monkeypatch.chdir(project)
    inside = runner.invoke(main, ["fetch", "boundaries", "GM0080", "--level", "wijk"])
    assert inside.exit_code == 0, inside.output
    assert inside.output.strip().splitlines()[-1] == (
        f"volgende stap: zet in {project / 'configs' / 'x.yaml'} onder `areas:` de regel `geometry: "
        "../aandacht-cache/pdok/wijkenbuurten-2023/GM0080-wijken.gpkg` (voor een config op wijkniveau)")
    for args, message in [(["--year", "2019"], "error: --year 2019: PDOK serves the Wijk- en Buurtkaart as WFS for "
                                                "2021, 2022, 2023, 2024"),
                          (["--refresh"], "error: cannot download https://service.pdok.nl/cbs/wijkenbuurten/2023/wfs/v1_0")]:
        monkeypatch.setattr("requests.Session", lambda: Failing(requests.ConnectionError("offline")))
        failed = runner.invoke(main, ["fetch", "boundaries", "GM0080", *args])
        assert failed.exit_code == 2 and failed.output.startswith(message) and len(failed.output.splitlines()) == 1


# --- a config naming the fetched file (or any CBS boundary file) as areas.geometry ----------------------

@pytest.fixture(scope="module")
def fetched_wijken(tmp_path_factory):
    return fetch_boundaries("GM0080", 2023, "wijk", tmp_path_factory.mktemp("cache"), session=DemoWFS("wijk")).path


def with_geometry(config, path, layer=None):
    areas = config.areas.model_copy(update={"geometry": path, "geometry_layer": layer})
    return config.model_copy(update={"areas": areas})


def test_a_config_reads_the_fetched_file_as_its_geometry(default_config, fetched_wijken):
    from aandacht.inputs.areas import area_registry

    registry = area_registry(with_geometry(default_config, fetched_wijken))
    polygons = registry.geometry()
    shipped = area_registry(default_config).geometry()
    assert sorted(polygons.index) == sorted(shipped.index)
    assert polygons.at["WK008010", "area_name"] == "Binnenstad" and str(polygons.crs) == "EPSG:28992"
    assert polygons.geometry.area.sum() == pytest.approx(shipped.geometry.area.sum(), rel=1e-6)
    assert registry.notes == []


def test_codes_of_another_division_are_left_out_and_noted(default_config, tmp_path):
    features = demonstration_features("wijk")
    features[0]["properties"]["wijkcode"] = "WK008099"
    path = fetch_boundaries("GM0080", 2024, "wijk", tmp_path, session=DemoWFS("wijk", features)).path
    from aandacht.inputs.areas import area_registry

    registry = area_registry(with_geometry(default_config, path))
    assert "WK008099" not in registry.geometry().index and len(registry.geometry()) == 21
    assert registry.notes == [f"{path}: 1 wijk(en) van het grenzenbestand niet in het gebiedenregister, weggelaten "
                              "(een indeling van een ander jaar?): WK008099"]


def test_bad_geometry_settings_name_the_file_and_the_key(default_config, fetched_wijken, tmp_path):
    from aandacht.config import parse_config
    from aandacht.config.yaml_file import read_yaml
    from aandacht.errors import ConfigError
    from aandacht.inputs.areas import area_registry

    raw = read_yaml(default_config.source_file)
    raw["areas"] = {"registry": "areas.csv", "geometry_layer": "wijken"}
    with pytest.raises(ConfigError, match=r"x.yaml: areas: 'geometry_layer' names a layer of 'geometry'; give 'geometry'"):
        parse_config(raw, tmp_path / "x.yaml")
    with pytest.raises(DataError, match=r"no layer 'wijk' \(areas.geometry_layer\); its layers are \['wijken'\]"):
        area_registry(with_geometry(default_config, fetched_wijken, "wijk")).geometry()
    buurt_level = with_geometry(default_config.model_copy(update={"level": "buurt"}), fetched_wijken)
    with pytest.raises(DataError, match="neither the column area_code nor a CBS buurt code column"):
        area_registry(buurt_level).geometry()
    national = with_geometry(default_config.model_copy(update={"gemeente": default_config.gemeente.model_copy(
        update={"code": "NL00"})}), fetched_wijken)
    with pytest.raises(DataError, match="lacks the column area_code .* gemeente 'NL00'"):
        area_registry(national).geometry()
