"""Reading boundaries: the embedded polygons and the real raw downloads (when present)."""

from pathlib import Path

import pytest

from aandacht.errors import DataError
from aandacht.inputs.areas import load_registry, read_geometry

RAW = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw"
needs_raw = pytest.mark.skipif(not RAW.is_dir(), reason="raw public data (../shared/data/raw) not present")


def test_embedded_wijken_are_valid_rd_polygons(default_config):
    registry = load_registry(default_config.areas.registry, default_config.areas.geometry)
    wijken = registry.geometry()
    assert wijken.crs.to_epsg() == 28992
    assert len(wijken) == 22 and wijken.geometry.is_valid.all()
    # Leeuwarden covers about 255 km2
    assert 250e6 < wijken.geometry.area.sum() < 260e6


@needs_raw
@pytest.mark.parametrize("year", [2019, 2020, 2021, 2023, 2024])
def test_generalised_wijk_vintages_reproject(year):
    frame = read_geometry(RAW / f"cbs_gebiedsindelingen_cartomap/wijk_{year}_GM0080.geojson", code_column="statcode")
    assert frame.crs.to_epsg() == 28992 and len(frame) == 22


@needs_raw
def test_whole_nl_wijken_2022():
    frame = read_geometry(RAW / "cbs_kwb_2022_tmap/tmap_NLD_dist_2022_rd.geojson", code_column="code")
    assert len(frame) == 3340 and frame.geometry.is_valid.all()


@needs_raw
def test_invalid_generalised_buurten_are_refused():
    # PROVENANCE.md: 2 of the 134 simplified buurten are invalid; the product refuses them (the
    # build script repairs them with make_valid before shipping).
    with pytest.raises(DataError, match="invalid geometry"):
        read_geometry(RAW / "cbs_gebiedsindelingen_cartomap/buurt_2022_GM0080.geojson", code_column="statcode")


def test_geometry_with_unknown_code(tmp_path, default_config):
    registry = load_registry(default_config.areas.registry)
    path = tmp_path / "w.geojson"
    path.write_text('{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:28992"}},'
                    '"features": [{"type": "Feature", "properties": {"area_code": "WK999999"}, "geometry":'
                    '{"type": "Polygon", "coordinates": [[[182000,579000],[183000,579000],[183000,580000],[182000,579000]]]}}]}',
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"WK999999.*not in the area registry"):
        read_geometry(path, set(registry.table.index))


def test_wrong_crs_is_detected(tmp_path):
    # RD coordinates (metres) declared as WGS84 degrees
    path = tmp_path / "w.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"area_code": "W1"},'
                    '"geometry": {"type": "Polygon", "coordinates": [[[182000,579000],[183000,579000],'
                    '[183000,580000],[182000,579000]]]}}]}', encoding="utf-8")
    with pytest.raises(DataError, match=r"w\.geojson: coordinates fall outside the Netherlands.*EPSG:4326"):
        read_geometry(path)
