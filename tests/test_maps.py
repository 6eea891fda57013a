"""Maps: artists (title, legend, source line, labels), file size and content, classes,
city zoom, optional overlays, and the ``aandacht map`` command."""

from __future__ import annotations

import subprocess
import sys

import matplotlib
import matplotlib.image
import matplotlib.text

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from aandacht.cli import main
from aandacht.config import MapOptions, load_config
from aandacht.errors import ConfigError, DataError
from aandacht.present.maps import (
    SIZES,
    change_map,
    class_labels,
    classify,
    dense_extent,
    domain_maps,
    map_frame,
    probability_map,
    save_figure,
    score_map,
)
from aandacht.present.overlays import make_overlays, read_overlays
from aandacht.resources import default_config_path
from aandacht.scoring.run import run_score

GEBIEDEN = pd.DataFrame({
    "gebied": ["Heechterp-Skieringen", "Vrijheidswijk en Bilgaard", "Vrijheidswijk en Bilgaard", "Oud-Oost"],
    "area_code": ["WK008050", "WK008061", "WK008060", "WK008020"],
})
IKCS = pd.DataFrame({
    "name": ["IKC A", "IKC B", "IKC C", "IKC D"],
    "x_rd": [184100.0, 183300.0, 183600.0, 183000.0],
    "y_rd": [580300.0, 581900.0, 580700.0, 577000.0],
    "status": ["plus-ikc", "plus-ikc", "candidate", "other"],
})


@pytest.fixture(scope="module")
def run():
    return run_score(load_config(default_config_path()))


@pytest.fixture(scope="module")
def overlays(run):
    known = set(run.matrix.areas.index)
    robustness = pd.DataFrame({"area_code": list(known), "p_designated": np.linspace(0, 1, len(known))})
    changes = pd.DataFrame({"area_code": ["WK008050", "WK008060", "WK008011"], "change": ["stayed", "entered", "left"]})
    return make_overlays(known, gebieden=GEBIEDEN, ikcs=IKCS, robustness=robustness, changes=changes,
                         demonstration=["gebieden", "ikcs"])


def _texts(fig, gid):
    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_gid() == gid]


def _legend_labels(fig):
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


def test_score_map_holds_title_legend_source_and_one_label_per_gebied(run, overlays):
    fig = score_map(map_frame(run, overlays), "a4")
    assert [t.get_text() for t in _texts(fig, "title")] == ["Kansenindex kinderen"]
    source = " ".join(_texts(fig, "source")[0].get_text().split())
    assert source.startswith("Bron: CBS/Kadaster (CC BY 4.0)") and "OpenStreetMap-bijdragers (ODbL)" in source
    assert "Kaart gemaakt op" in source
    labels = sorted(t.get_text() for t in _texts(fig, "gebied-label"))
    assert labels == sorted(set(GEBIEDEN["gebied"]))
    legend = _legend_labels(fig)
    assert len([label for label in legend if "\u2013" in label]) == 5  # five classes
    assert "geen gegevens (1 wijk)" in legend  # Middelsee is not scored
    assert {"aandachtsgebied", "Plus-IKC (2)", "kandidaat Plus-IKC (1)", "overige IKC / school (1)"} <= set(legend)
    assert "DEMONSTRATIEGEGEVENS" in _texts(fig, "demonstration")[0].get_text()
    assert [t.get_text() for t in _texts(fig, "ikc-label")] == ["IKC A", "IKC B"]
    hatched = [c for ax in fig.axes for c in ax.collections if c.get_hatch()]
    assert hatched, "the area without a score is drawn hatched, not in a class colour"


def test_without_overlays_labels_top_ranked_and_draws_schools(run):
    frame = map_frame(run)
    fig = score_map(frame, "slide")
    labels = [t.get_text() for t in _texts(fig, "rank-label")]
    assert len(labels) == frame.options.label_top
    assert labels[0].startswith("1. ")
    assert not _texts(fig, "demonstration")
    schools = [label for label in _legend_labels(fig) if label.startswith("overige IKC / school")]
    assert schools == ["overige IKC / school (45)\n5 zonder coördinaten niet getoond"]  # 50 schools, 45 with coordinates


@pytest.mark.parametrize("size", ["a4", "slide"])
def test_png_has_expected_pixel_size_and_is_not_blank(run, tmp_path, size):
    fig = score_map(map_frame(run), size)
    png, pdf = tmp_path / "kaart.png", tmp_path / "kaart.pdf"
    save_figure(fig, png, 40)
    save_figure(fig, pdf, 40)
    image = matplotlib.image.imread(png)
    width, height = SIZES[size]
    assert image.shape[:2] == (int(height * 40), int(width * 40))  # matplotlib truncates
    assert image[..., :3].std() > 0.1
    assert pdf.read_bytes().startswith(b"%PDF")


def test_city_zoom_is_computed_from_the_dense_areas(run):
    frame = map_frame(run)
    box = dense_extent(frame.areas, 0.25)
    assert box is not None
    centre = frame.areas.geometry.centroid
    inside = (centre.x.between(box[0], box[2])) & (centre.y.between(box[1], box[3]))
    assert inside["WK008010"]  # Binnenstad
    assert not inside["WK008082"] and not inside["WK008081"]  # Grou e.o., Dorpen Zuid-West
    assert dense_extent(frame.areas, 0.01) is None  # a zoom covering more than the limit is not drawn


def test_classes_quantiles_fisher_jenks_and_fixed():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 10.0, 11.0, np.nan, 12.0, 30.0, 31.0])
    bins, classes = classify(values, MapOptions(classes="quantiles", k=3))
    assert classes[6] == -1 and len(bins) == 3 and bins[-1] == 31.0
    bins, classes = classify(values, MapOptions(classes="fisher_jenks", k=3))
    assert list(bins) == [4.0, 12.0, 31.0]
    bins, classes = classify(values, MapOptions(classes="fixed", breaks=[5, 20, 40]))
    assert list(classes) == [0, 0, 0, 0, 1, 1, -1, 1, 2, 2]
    assert class_labels(np.array([5.0, 20.0]), 1.0) == ["1,0 \u2013 5,0", "5,0 \u2013 20,0"]


def test_fixed_classes_need_increasing_breaks():
    with pytest.raises(ValueError, match="needs 'breaks'"):
        MapOptions(classes="fixed")
    with pytest.raises(ValueError, match="strictly increasing"):
        MapOptions(classes="fixed", breaks=[10, 5])


def test_probability_change_and_domain_maps(run, overlays):
    frame = map_frame(run, overlays)
    fig = probability_map(frame, "a4")
    assert [t.get_text() for t in _texts(fig, "title")] == ["Kans op aanwijzing als aandachtsgebied"]
    assert {"0\u201320%", "80\u2013100%"} <= set(_legend_labels(fig))
    fig = change_map(frame, "a4")
    legend = _legend_labels(fig)
    assert {"nieuw aandachtsgebied (1)", "blijft aandachtsgebied (1)", "niet langer aandachtsgebied (1)",
            "geen aandachtsgebied (19)"} <= set(legend)
    fig = domain_maps(frame, "a4")
    panel_titles = {ax.get_title(loc="left") for ax in fig.axes}
    assert {"Onderwijsachterstanden", "Armoede en inkomen", "Jeugdhulp", "Gezinssituatie en wonen"} <= panel_titles


def test_overlay_tables_are_checked(run, tmp_path):
    known = set(run.matrix.areas.index)
    path = tmp_path / "gebieden.csv"
    path.write_text("gebied,area_code\nNoord,WK008050\nZuid,WK999999\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"gebieden.csv: row 3: area_code 'WK999999' is not a scored area"):
        read_overlays(known, gebieden=path)
    path.write_text("name,x_rd,y_rd,status\nA,1,2,plus\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 2, column status: 'plus' is not one of"):
        read_overlays(known, ikcs=path)
    path.write_text("area_code,p_designated,demonstration\nWK008050,0.5,true\n", encoding="utf-8")
    assert read_overlays(known, robustness=path).demonstration == ["robustness"]


def test_map_command_writes_files(tmp_path):
    out = tmp_path / "kaarten"
    result = CliRunner().invoke(main, ["map", "--out", str(out), "--format", "png", "--size", "slide", "--dpi", "30"])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {"kaart-score.png", "kaart-domeinen.png", "kaart-indicatoren.png", "manifest.json"} == names
    image = matplotlib.image.imread(out / "kaart-score.png")
    assert image.shape[:2] == (int(7.5 * 30), int(13.333 * 30))


def test_map_command_bad_input_is_one_line_error(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["map", "--out", str(tmp_path / "a"), "--format", "gif"])
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "--format" in result.output
    bad = tmp_path / "ikcs.csv"
    bad.write_text("name,x_rd,y_rd\nA,1,2\n", encoding="utf-8")
    result = runner.invoke(main, ["map", "--out", str(tmp_path / "b"), "--ikcs", str(bad)])
    assert result.exit_code == 2 and "lacks column(s) ['status']" in result.output
    result = runner.invoke(main, ["map", "--out", str(tmp_path / "c"), "--classes", "fixed"])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "maps (with the command-line options): classes 'fixed' needs 'breaks'" in result.output
    assert not any((tmp_path / name).exists() for name in ("a", "b", "c"))


def test_cli_import_does_not_load_plotting_libraries():
    code = ("import sys, aandacht.cli; "
            "print(sorted(m for m in ('matplotlib', 'mapclassify', 'adjustText', 'jinja2', 'weasyprint', 'geopandas') "
            "if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_areas_without_geometry_are_an_error(run):
    import dataclasses

    from aandacht.inputs.areas import AreaRegistry

    geometry = run.registry.geometry().drop(index="WK008050")
    registry = AreaRegistry(run.registry.table, run.registry.source, run.registry.geometry_path, geometry)
    with pytest.raises(DataError, match=r"no geometry for 1 wijk area\(s\), for example \['WK008050'\]"):
        map_frame(dataclasses.replace(run, registry=registry))


def test_maps_config_section_is_validated(tmp_path):
    import yaml

    from aandacht.config import parse_config

    raw = yaml.safe_load(default_config_path().read_text(encoding="utf-8"))
    raw["maps"] = {"classes": "fixed", "breaks": [20, 40, 60, 80, 100], "palette": "cividis"}
    config = parse_config(raw, default_config_path())
    assert config.maps.breaks == [20, 40, 60, 80, 100] and config.report.suppress_below == 10
    raw["maps"] = {"colours": "red"}
    with pytest.raises(ConfigError, match=r"leeuwarden.yaml: maps.colours: unknown key"):
        parse_config(raw, default_config_path())
