"""Maps: what an alderman reads on them (title with the round, legend, sources with years, every
gebied and Plus-IKC labelled without overlap, readable sizes, orientation, the reason an area has no
score), the classes, the city zoom, the probability and change maps, and the ``aandacht map`` command
(from a config, from result tables, and from a round folder)."""

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
from aandacht.inputs.reading import read_csv_nl
from aandacht.present.cartography import add_legend, halo, map_axes, map_canvas
from aandacht.present.drawing import Rendered, save_figure
from aandacht.present.labels import overlaps
from aandacht.present.maps import (
    LABEL_GIDS,
    SIZES,
    change_map,
    class_labels,
    classify,
    dense_extent,
    domain_maps,
    indicator_maps,
    key_layout,
    key_rows,
    map_frame,
    probability_map,
    reference_label,
    score_map,
    short_ikc_name,
    warm_up,
)
from aandacht.present.overlays import make_overlays, read_overlays
from aandacht.present.round_folder import read_round_overlays
from aandacht.resources import default_config_path
from aandacht.scoring.run import run_score

GEBIEDEN = pd.DataFrame({
    "gebied": ["Heechterp-Skieringen", "Vrijheidswijk en Bilgaard", "Vrijheidswijk en Bilgaard", "Oud-Oost",
               "Nijlân & De Zwette"],
    "area_code": ["WK008050", "WK008061", "WK008060", "WK008020", "WK008041"],
})
IKCS = pd.DataFrame({
    "name": ["IKC A", "IKC B", "IKC C", "IKC D"],
    "x_rd": [184100.0, 183300.0, 183600.0, 183000.0],
    "y_rd": [580300.0, 581900.0, 580700.0, 577000.0],
    "status": ["plus-ikc", "plus-ikc", "candidate", "other"],
    "area_code": ["WK008050", "WK008060", "WK008020", "WK008040"],
})


@pytest.fixture(scope="module")
def run():
    return run_score(load_config(default_config_path()))


@pytest.fixture(scope="module")
def overlays(run):
    known = set(run.matrix.areas.index)
    robustness = pd.DataFrame({"area_code": sorted(known), "p_designated": np.linspace(0, 1, len(known))})
    changes = pd.DataFrame({"area_code": ["WK008050", "WK008060", "WK008011"], "change": ["stayed", "entered", "left"]})
    return make_overlays(known, gebieden=GEBIEDEN, ikcs=IKCS, robustness=robustness, changes=changes,
                         demonstration=["gebieden", "ikcs"], round_year=2026, previous_year=2024)


@pytest.fixture(scope="module")
def round_frame(run, round_folders):
    overlays, _ = read_round_overlays(round_folders / "2026", set(run.matrix.areas.index))
    return map_frame(run, overlays)


def _texts(fig, gid):
    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_gid() == gid]


def _legend_labels(fig):
    return [" ".join(t.get_text().split()) for legend in fig.legends for t in legend.get_texts()]


def test_score_map_names_the_round_the_index_and_every_source_with_its_year(run, overlays):
    fig = score_map(map_frame(run, overlays), "a4")
    assert [t.get_text() for t in _texts(fig, "title")] == ["Aandachtsscore per wijk"]
    assert "herijking 2026 (ten opzichte van 2024)" in _texts(fig, "subtitle")[0].get_text()
    assert "100 = meeste aandacht nodig" in _texts(fig, "subtitle")[0].get_text()
    source = " ".join(_texts(fig, "source")[0].get_text().split())
    assert "CBS Kerncijfers wijken en buurten 2023 en 2022" in source
    assert "CBS achterstandsscores basisscholen 2019" in source  # the school figures are from 2019, not 2023
    assert "OpenStreetMap-bijdragers (ODbL)" in source and "Kaart gemaakt op" in source
    assert "gemeentegrenzen CBS/Kadaster 2022" in source and "plaatsnamen Kadaster BAG" in source
    assert "DEMONSTRATIEGEGEVENS" in _texts(fig, "demonstration")[0].get_text()


def test_score_map_labels_every_gebied_and_numbers_every_plus_ikc_without_overlap(run, overlays):
    fig = score_map(map_frame(run, overlays), "a4")
    labels = {t.get_text() for t in _texts(fig, "gebied-label")}
    assert labels == set(GEBIEDEN["gebied"])
    assert sorted(t.get_text() for t in _texts(fig, "ikc-label")) == ["1", "2", "3"]  # two Plus-IKC's, one candidate
    key = [t.get_text() for t in _texts(fig, "ikc-key")]
    assert "Plus-IKC's" in key and "1 IKC A (Heechterp-Skieringen)" in key
    assert "3 IKC C (Oud-Oost)" in key
    assert overlaps(fig, LABEL_GIDS) == []
    assert min(t.get_fontsize() for gid in LABEL_GIDS for t in _texts(fig, gid)) >= 7  # readable at A4


def test_gebied_reaching_into_the_zoom_is_named_there_too(run, overlays):
    fig = score_map(map_frame(run, overlays), "a4")
    inset = next(ax for ax in fig.axes if ax.get_title(loc="left").startswith("Uitsnede"))
    assert inset.get_title(loc="left") == "Uitsnede Leeuwarden"  # named after the largest kern in the box
    named_in_zoom = {t.get_text() for t in inset.texts if t.get_gid() == "gebied-label"}
    assert "Nijlân & De Zwette" in named_in_zoom and "Heechterp-Skieringen" in named_in_zoom


def test_legend_says_why_an_area_has_no_score_and_markers_contrast(run, overlays):
    fig = score_map(map_frame(run, overlays), "a4")
    legend = _legend_labels(fig)
    assert len([label for label in legend if "\u2013" in label]) == 5  # five classes
    assert "niet gescoord: te weinig huishoudens met kinderen (1 wijk)" in legend  # Middelsee, not "geen gegevens"
    assert {"aandachtsgebied", "Plus-IKC (2)", "komt in aanmerking, niet gekozen (1)", "overig IKC of school (1)"} <= set(legend)
    stars = [c for ax in fig.axes for c in ax.collections if c.get_gid() == "ikc-plus-ikc"]
    assert stars and all(np.allclose(c.get_facecolor()[0][:3], 1.0) for c in stars)  # white stars with a dark edge
    assert all(np.all(c.get_edgecolor()[0][:3] < 0.2) for c in stars)
    hatched = [c for ax in fig.axes for c in ax.collections if c.get_hatch()]
    assert hatched, "the area without a score is drawn hatched, not in a class colour"


def test_warming_up_finds_the_fonts_of_the_maps_texts():
    """What a herijking's second process does while it waits for its maps (present/drawing.py start_drawer):
    afterwards a map's texts find their fonts in matplotlib's cache."""
    from matplotlib.font_manager import FontManager, fontManager

    warm_up(dpi=50)
    misses = FontManager._findfont_cached.cache_info().misses
    for size, weight, style in [(15, "bold", "normal"), (8, "bold", "normal"), (8, "normal", "italic"), (7.5, "normal", "normal")]:
        fontManager._find_fonts_by_props(matplotlib.text.Text(text="x", fontsize=size, weight=weight, style=style).get_fontproperties())
    assert FontManager._findfont_cached.cache_info().misses == misses


def test_the_map_canvas_draws_the_same_pixels_as_matplotlibs_from_texts_laid_out_once():
    """Texts (plain, bold, rotated, with a halo, a formula) drawn twice on the map canvas (the second time from
    the layouts kept) are the pixels matplotlib's own Agg canvas draws, and measure the same."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def drawn(canvas) -> tuple:
        fig = Figure(figsize=(2, 1), dpi=100)
        canvas(fig)
        fig.text(0.05, 0.7, "Aandachtsgebied Heechterp", fontsize=8, weight="bold")
        fig.text(0.05, 0.4, "Schieringen-Noord", fontsize=7.5, rotation=30)
        fig.text(0.5, 0.2, "A", fontsize=8, weight="bold", path_effects=halo())
        fig.text(0.6, 0.5, r"$x^2$", fontsize=9)
        fig.canvas.draw()
        extent = fig.texts[0].get_window_extent()
        return np.asarray(fig.canvas.buffer_rgba()).copy(), extent.bounds

    own = drawn(FigureCanvasAgg)
    for _ in range(2):
        pixels, extent = drawn(map_canvas())
        assert np.array_equal(pixels, own[0]) and extent == own[1]


def test_a_map_legend_is_matplotlibs_legend_measured_once_per_drawing():
    """A figure's and an axes' legend made by add_legend: the pixels and extents of Figure.legend and Axes.legend,
    attached as theirs (found, removed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    def drawn(ours: bool) -> tuple:
        fig = Figure(figsize=(3, 2), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_axes([0.1, 0.5, 0.8, 0.4])
        handles = [Patch(facecolor="#fdae61", label="0,5 - 1,0"), Line2D([], [], color="#1a1a1a", label="gebied")]
        options = {"ncol": 2, "title": "Aandachtsscore", "loc": "lower left", "bbox_to_anchor": (0.02, 0.02)}
        figure_legend = add_legend(fig, handles, **options) if ours else fig.legend(handles=handles, **options)
        axes_legend = add_legend(ax, handles[:1], title="%") if ours else ax.legend(handles=handles[:1], title="%")
        extent = figure_legend.get_window_extent(fig.canvas.get_renderer()).bounds
        fig.canvas.draw()
        assert fig.legends == [figure_legend] and ax.get_legend() is axes_legend
        pixels = np.asarray(fig.canvas.buffer_rgba()).copy()
        figure_legend.remove()
        axes_legend.remove()
        assert fig.legends == [] and ax.get_legend() is None
        return pixels, extent

    own, ours = drawn(False), drawn(True)
    assert np.array_equal(own[0], ours[0]) and own[1] == ours[1]


def test_orientation_neighbours_and_place_names(run):
    fig = score_map(map_frame(run), "a4")
    neighbours = {t.get_text() for t in _texts(fig, "neighbour-label")}
    assert {"Tytsjerksteradiel", "Súdwest-Fryslân"} <= neighbours  # official spelling, not ASCII
    places = {t.get_text() for t in _texts(fig, "place-label")}
    assert {"Stiens", "Grou"} <= places  # the large kernen of the gemeente outside the city zoom
    assert overlaps(fig, LABEL_GIDS) == []


def test_without_overlays_labels_top_ranked_and_draws_schools(run):
    frame = map_frame(run)
    fig = score_map(frame, "slide")
    labels = [t.get_text() for t in _texts(fig, "rank-label")]
    assert len(labels) == frame.options.label_top and labels[0].startswith("1. ")
    assert not _texts(fig, "demonstration")
    schools = [label for label in _legend_labels(fig) if label.startswith("overig IKC of school")]
    assert schools == ["overig IKC of school (45); 5 zonder locatie niet getoond"]  # 50 schools, 45 with coordinates
    assert overlaps(fig, LABEL_GIDS) == []


@pytest.mark.parametrize("size", ["a4", "slide"])
def test_png_has_expected_pixel_size_and_is_not_blank(run, tmp_path, size):
    fig = score_map(map_frame(run), size)
    png, pdf = tmp_path / "kaart.png", tmp_path / "kaart.pdf"
    Rendered(fig, 40).write(png)
    save_figure(fig, pdf, 40)
    image = matplotlib.image.imread(png)
    width, height = SIZES[size]
    assert abs(image.shape[0] - height * 40) <= 1 and abs(image.shape[1] - width * 40) <= 1
    assert image[..., :3].std() > 0.1
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("draw", [score_map, domain_maps, indicator_maps])
def test_legend_fits_on_the_page(run, overlays, draw):
    for size in ("a4", "slide"):
        fig = draw(map_frame(run, overlays), size)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        items = [*fig.legends, *[ax.get_legend() for ax in fig.axes if ax.get_legend()]]
        for item in [*items, *_texts(fig, "ikc-key"), *_texts(fig, "subtitle"), *_texts(fig, "source")]:
            box = item.get_window_extent(renderer)
            assert box.x1 <= fig.bbox.x1 + 1 and box.y0 >= fig.bbox.y0 - 1, (size, item)


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
    mapclassify = pytest.importorskip("mapclassify")
    present = values.dropna().to_numpy()
    reference = mapclassify.Quantiles(present, k=3)
    assert np.allclose(bins, reference.bins) and list(classes[values.notna()]) == list(reference.yb)
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


def test_probability_map_has_classes_and_prints_the_doubtful_percentages(run, overlays):
    frame = map_frame(run, overlays)
    fig = probability_map(frame, "a4")
    assert [t.get_text() for t in _texts(fig, "title")] == ["Kans op aanwijzing als aandachtsgebied"]
    legend = set(_legend_labels(fig))
    assert {"(vrijwel) nooit: minder dan 5%", "soms: 5 tot 50%", "vaak: 50 tot 95%", "(vrijwel) altijd: 95% of meer"} <= legend
    p = overlays.robustness.set_index("area_code")["p_designated"]
    doubtful = p[(p >= 0.05) & (p < 0.95)]
    printed = " ".join(t.get_text() for gid in ("gebied-label", "chance-label", "rank-label") for t in _texts(fig, gid))
    for code, value in doubtful.items():
        assert f"{100 * value:.0f}%" in printed, code
    assert overlaps(fig, LABEL_GIDS) == []


def test_change_map_names_both_rounds_and_the_plus_ikc_changes(round_frame):
    fig = change_map(round_frame, "a4")
    assert [t.get_text() for t in _texts(fig, "title")] == ["Wat veranderde: 2024 \u2192 2026"]
    legend = _legend_labels(fig)
    assert any(label.startswith("nieuw aandachtsgebied (") for label in legend)
    assert any(label.startswith("blijft Plus-IKC (") for label in legend)  # the 2024 Plus-IKC's continue
    key = [t.get_text() for t in _texts(fig, "ikc-key")]
    assert "Blijft Plus-IKC" in key
    assert overlaps(fig, LABEL_GIDS) == []
    assert any(label.startswith("niet gescoord: te weinig") for label in legend)  # the hatched wijk, as on the score map


def test_domain_maps_share_one_classed_scale_and_outline_the_gebieden(run, overlays):
    frame = map_frame(run, overlays)
    fig = domain_maps(frame, "a4")
    titles = {ax.get_title(loc="left") for ax in fig.axes}
    assert {"Onderwijsachterstanden (weegt 25%)", "Jeugdhulp (weegt 25%)"} <= titles
    assert len(fig.legends) == 1  # one legend for all panels
    legend = _legend_labels(fig)
    assert legend[:5] == ["0 \u2013 20", "20 \u2013 40", "40 \u2013 60", "60 \u2013 80", "80 \u2013 100"]
    assert "geen cijfer (bijvoorbeeld geen school in de wijk)" in legend  # wijken without a school
    outlines = [c for ax in fig.axes for c in ax.collections if c.get_gid() == "gebied-outline"]
    assert len(outlines) == 2 * 4  # casing and line on every panel, ...
    assert all(len(c.get_segments()) >= len(set(GEBIEDEN["gebied"])) for c in outlines)  # ... of every gebied
    fig = indicator_maps(frame, "a4")
    assert len([ax for ax in fig.axes if ax.get_legend() is not None]) == len(frame.config.framework.indicators)


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


def test_the_round_files_go_back_in_as_written(run, round_folders):
    folder = round_folders / "2026"
    known = set(run.matrix.areas.index)
    overlays = read_overlays(known, gebieden=folder / "aandachtsgebieden.csv", ikcs=folder / "ikcs.csv",
                             robustness=folder / "robuustheid.csv", changes=folder / "wijzigingen_wijken.csv")
    wijken = read_csv_nl(folder / "wijken.csv")
    assert set(overlays.gebieden["area_code"]) == set(wijken.loc[wijken["aangewezen"], "gebiedscode"])
    ikcs = read_csv_nl(folder / "ikcs.csv")
    assert (overlays.ikcs["status"] == "plus-ikc").sum() == ikcs["plus_ikc"].sum() == 9
    assert overlays.ikcs["x_rd"].notna().all()  # every school of DUO's 2026 list has its BAG point
    assert set(overlays.changes["change"]) <= {"entered", "left", "stayed"}
    from_folder, constraints = read_round_overlays(folder, known)
    assert (from_folder.round_year, from_folder.previous_year) == (2026, 2024)
    assert sorted(from_folder.history["year"].unique()) == [2024, 2026] and constraints is not None


def test_map_command_writes_files(tmp_path):
    out = tmp_path / "kaarten"
    result = CliRunner().invoke(main, ["map", "--out", str(out), "--format", "png", "--size", "slide", "--dpi", "30"])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {"kaart-score.png", "kaart-domeinen.png", "kaart-indicatoren.png", "manifest.json"} == names
    image = matplotlib.image.imread(out / "kaart-score.png")
    assert abs(image.shape[0] - 7.5 * 30) <= 1 and abs(image.shape[1] - 13.333 * 30) <= 1


def test_map_command_draws_a_round_folder(tmp_path, round_folders):
    folder = round_folders / "2026"
    out = tmp_path / "uit-ronde"
    result = CliRunner().invoke(main, ["map", "--round-dir", str(folder), "--out", str(out), "--format", "png",
                                       "--dpi", "30"])
    assert result.exit_code == 0, result.output
    assert {"kaart-score.png", "kaart-kans.png", "kaart-verandering.png"} <= {p.name for p in out.iterdir()}
    result = CliRunner().invoke(main, ["map", "--gebieden", str(folder / "aandachtsgebieden.csv"), "--ikcs",
                                       str(folder / "ikcs.csv"), "--out", str(tmp_path / "tabellen"), "--format", "png",
                                       "--dpi", "30"])
    assert result.exit_code == 0, result.output  # the round's own files are accepted as written
    result = CliRunner().invoke(main, ["map", "--round-dir", str(folder), "--gebieden", str(folder / "aandachtsgebieden.csv"),
                                       "--out", str(tmp_path / "c")])
    assert result.exit_code == 2 and "leave out --gebieden" in result.output and not (tmp_path / "c").exists()
    result = CliRunner().invoke(main, ["map", "--round-dir", str(tmp_path), "--out", str(tmp_path / "d")])
    assert result.exit_code == 2 and "no manifest" in result.output


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
            "print(sorted(m for m in ('matplotlib', 'mapclassify', 'jinja2', 'typst', 'geopandas') "
            "if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def _without_geometry(run, codes):
    import dataclasses

    from aandacht.inputs.areas import AreaRegistry

    geometry = run.registry.geometry().drop(index=codes)
    registry = AreaRegistry(run.registry.table, run.registry.source, run.registry.geometry_path, _geometry=geometry)
    return dataclasses.replace(run, registry=registry)


def test_areas_without_geometry_are_named_in_every_legend(run, overlays):
    # a wijk of a new division (Gemert-Bakel 2023) has no public polygon: the maps are drawn without it
    # and every legend names it with its rank; a gebied of only such wijken is not outlined
    gebieden = pd.DataFrame({"gebied": ["Heechterp-Skieringen", "Oud-Oost"], "area_code": ["WK008050", "WK008020"]})
    known = set(run.matrix.areas.index)
    frame = map_frame(_without_geometry(run, ["WK008050", "WK008074"]),
                      make_overlays(known, gebieden=gebieden, robustness=overlays.robustness))
    assert "WK008050" not in frame.areas.index and list(frame.undrawn.index) == ["WK008050", "WK008074"]
    rank = int(run.result.rank["WK008050"])
    expected = (f"niet op de kaart, geen grens in het kaartbestand: Heechterp & Schieringen (rang {rank}, "
                "aandachtsgebied), Middelsee (niet gescoord)")
    for fig in (score_map(frame), probability_map(frame), domain_maps(frame)):
        labels = [" ".join(label.split()) for label in _legend_labels(fig)]
        assert expected in labels
        assert len([t for t in _texts(fig, "gebied-label")]) <= 1  # Oud-Oost only
    assert [t.get_text() for t in _texts(score_map(frame), "gebied-label")] == ["Oud-Oost"]


def test_a_geometry_file_without_any_of_the_areas_is_an_error(run):
    codes = list(run.registry.geometry().index)
    with pytest.raises(DataError, match=r"no geometry for any of the 22 wijk area\(s\), for example \['WK008010'"):
        map_frame(_without_geometry(run, codes))


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


def test_a_key_that_fits_in_one_column_at_a_smaller_font_is_not_split_and_shortened():
    """Groningen 2026: 22 key lines did not fit at 7.5 pt, fitted at 7 pt, yet were laid out for two
    columns, so that 'In aanmerking, niet gekozen' read 'In aanmerking, niet…'."""
    full = key_layout(1, 0.31, "a4", 7.5)
    assert full[0] == 7.5 and full[2] == 1
    rows_at_7 = key_layout(10**6, 0.31, "a4", 7.5)[1]
    assert full[1] < rows_at_7 <= full[1] + 2  # half a point less gains a line or two, not more
    assert key_layout(full[1], 0.31, "a4", 7.5) == (7.5, full[1], 1)  # exactly full: still whole
    assert key_layout(full[1] + 1, 0.31, "a4", 7.5) == (7.0, rows_at_7, 1)
    assert key_layout(rows_at_7 + 1, 0.31, "a4", 7.5) == (7.0, rows_at_7, 2)


def test_a_key_in_two_columns_abbreviates_school_words_not_names():
    assert short_ikc_name("Katholieke Basisschool de Wegwijzer") == "kath. bs de Wegwijzer"
    assert short_ikc_name("openbare basisschool De Triangel") == "OBS De Triangel"
    assert short_ikc_name("Basisschoolweg") == "Basisschoolweg"  # a whole word only
    assert short_ikc_name("De Kleine Wereld") == "De Kleine Wereld"


def test_a_long_key_entry_runs_on_to_a_second_line_when_there_is_room():
    key = [("Blijft Plus-IKC", "Blijft Plus-IKC", True),
           ("1 Gereformeerde Basisschool De Princenhof (Huizum-West)", "1 Gereformeerde bs De Princenhof", False),
           ("2 IKC Aventurijn (Oud-Oost)", "2 IKC Aventurijn", False)]
    assert key_rows(key, 40, 10, 1) == [("Blijft Plus-IKC", True), ("1 Gereformeerde Basisschool De", False),
                                        ("    Princenhof (Huizum-West)", False), ("2 IKC Aventurijn (Oud-Oost)", False)]
    assert key_rows(key, 40, 3, 1) == [("Blijft Plus-IKC", True), ("1 Gereformeerde Basisschool De…", False),
                                       ("2 IKC Aventurijn (Oud-Oost)", False)]  # no room: one row each, cut
    longer = key + [("3 Openbare Basisschool De Kleine Wereld (Oud-Oost)", "3 OBS De Kleine Wereld", False)]
    assert key_rows(longer, 40, 5, 1) == [("Blijft Plus-IKC", True), ("1 Gereformeerde Basisschool De", False),
                                          ("    Princenhof (Huizum-West)", False), ("2 IKC Aventurijn (Oud-Oost)", False),
                                          ("3 Openbare Basisschool De Kleine Wereld…", False)]  # room for one run-on only
    assert key_rows(key, 40, 2, 2)[1] == ("1 Gereformeerde bs De Princenhof", False)  # two columns: short texts


def test_the_large_enclosed_waters_are_shipped_and_drawn_under_the_land():
    """IJsselmeer, Markermeer and the Zeeland waters are holes in the land-clipped CBS polygons; the
    orientation layer ships them (data/nl/water-2022.geojson.gz) and the maps draw them pale blue
    under the neighbours and areas, where a map's view reaches them (Lelystad; not Leeuwarden)."""
    import matplotlib.pyplot as plt
    import shapely

    from aandacht.present.maps import WATER, _draw_neighbours
    from aandacht.present.orientation import orientation

    lelystad = orientation((140_000, 480_000, 180_000, 520_000), "GM0995")
    ijsselmeer, markermeer = shapely.Point(153_853, 534_912), shapely.Point(146_000, 502_000)
    assert any(w.contains(markermeer) for w in lelystad.water)
    assert orientation((175_000, 570_000, 190_000, 585_000), "GM0080").water == []  # Leeuwarden's city: none
    big = orientation((100_000, 480_000, 200_000, 600_000), "GM0995").water
    assert max(w.area for w in big) > 1.1e9 and any(w.contains(ijsselmeer) for w in big)

    fig, ax = plt.subplots()
    ax.set_xlim(140_000, 180_000)
    ax.set_ylim(480_000, 520_000)
    frame = type("Frame", (), {"config": type("Config", (), {"gemeente": type("G", (), {"code": "GM0995"})()})()})()
    _draw_neighbours(ax, frame)
    water = [c for c in ax.collections if c.get_gid() == "water"]
    assert len(water) == 1 and matplotlib.colors.to_hex(water[0].get_facecolor()[0]) == WATER
    assert all(c.get_zorder() > water[0].get_zorder() for c in ax.collections if c.get_gid() != "water")
    plt.close(fig)


def test_an_undrawn_member_keeps_its_gebied_label_plain_and_its_ikc_in_rank_order(run, overlays):
    # gebied Vrijheidswijk en Bilgaard has two wijken; WK008060 (Bilgaard) has no polygon here
    known = set(run.matrix.areas.index)
    robustness = pd.DataFrame({"area_code": sorted(known), "p_designated": 0.5})
    frame = map_frame(_without_geometry(run, ["WK008060"]),
                      make_overlays(known, gebieden=GEBIEDEN, ikcs=IKCS, robustness=robustness))
    labels = [t.get_text() for t in _texts(probability_map(frame), "gebied-label")]
    assert "Vrijheidswijk en Bilgaard" in labels and not any("Vrijheidswijk en Bilgaard 5" in t for t in labels)
    # IKC A stands in WK008050 (rank 1), IKC B in WK008060 (rank 3); with WK008050 undrawn, A keeps number 1
    assert run.result.rank["WK008050"] < run.result.rank["WK008060"]
    frame = map_frame(_without_geometry(run, ["WK008050"]), make_overlays(known, gebieden=GEBIEDEN, ikcs=IKCS))
    assert list(frame.keyed.loc[frame.keyed["status"] == "plus-ikc", "name"]) == ["IKC A", "IKC B"]


def test_a_name_with_dollar_signs_is_drawn_as_text_not_mathtext(run):
    """``$\\foo$`` in a name was a mathtext parse error that stopped ``map`` and ``herijking``;
    ``$x^2$`` would silently be drawn as a formula."""
    from aandacht.present.maps import map_builders

    known = set(run.matrix.areas.index)
    gebieden = GEBIEDEN.replace({"Oud-Oost": r"Oud $\foo$ Oost"})
    ikcs = IKCS.replace({"IKC A": r"IKC $x^2$"})
    robustness = pd.DataFrame({"area_code": sorted(known), "p_designated": np.linspace(0, 1, len(known))})
    changes = pd.DataFrame({"area_code": ["WK008050", "WK008020"], "change": ["stayed", "entered"]})
    overlays = make_overlays(known, gebieden=gebieden, ikcs=ikcs, robustness=robustness, changes=changes,
                             demonstration=["gebieden", "ikcs"], round_year=2026, previous_year=2024)
    shown = set()
    for name, build in map_builders(map_frame(run, overlays), "a4").items():
        fig = build()
        Rendered(fig, 20)  # draws: a mathtext parse error would be raised here
        texts = [t for t in fig.findobj(matplotlib.text.Text) if "$" in t.get_text()]
        assert not any(t.get_parse_math() for t in texts), name
        shown |= {t.get_text() for t in texts}
    assert any(r"Oud $\foo$ Oost" in text for text in shown), shown
    assert any(r"IKC $x^2$" in text for text in shown), shown


def test_class_bounds_of_an_indicator_that_counts_people_never_show_a_small_count():
    bins = np.array([4.0, 9.0, 25.0, 80.0])
    assert class_labels(bins, 1.0, 0, below=10) == ["<10", "<10", "<10 \u2013 25", "25 \u2013 80"]
    assert class_labels(bins, 1.0, 0) == ["1 \u2013 4", "4 \u2013 9", "9 \u2013 25", "25 \u2013 80"]


def test_the_indicator_maps_legend_of_a_count_indicator_is_suppressed(run):
    import dataclasses

    counted = run.config.framework.indicators[0].model_copy(update={"unit": "aantal"})
    framework = run.config.framework.model_copy(update={"indicators": [counted, *run.config.framework.indicators[1:]]})
    report = run.config.report.model_copy(update={"suppress_below": 1000})
    config = run.config.model_copy(update={"framework": framework, "report": report})
    frame = map_frame(dataclasses.replace(run, config=config))
    labels = [" ".join(t.get_text().split()) for t in indicator_maps(frame, "a4").findobj(matplotlib.text.Text)]
    assert any(label == "<1000" or label.startswith("<1000 \u2013") for label in labels)


def test_the_reference_values_in_a_count_indicators_map_title_are_suppressed(run):
    """The gemeente and Nederland values in the panel title of an indicator that counts people read
    '<N' under report.suppress_below (bijstand: gemeente 42,2, NL 22,5); other indicators' stay."""
    import dataclasses

    assert reference_label("Bijstand", "2023", 42.18, 22.47, below=30) == "Bijstand (2023; gemeente 42,2; NL <30)"
    assert reference_label("Bijstand", "2023", 42.18, np.nan, below=50) == "Bijstand (2023; gemeente <50)"
    indicators = run.config.framework.indicators
    counted = [i.model_copy(update={"unit": "aantal"}) if i.id == "bijstand" else i for i in indicators]
    config = run.config.model_copy(update={
        "framework": run.config.framework.model_copy(update={"indicators": counted}),
        "report": run.config.report.model_copy(update={"suppress_below": 30})})
    figure = indicator_maps(map_frame(dataclasses.replace(run, config=config)), "a4")
    titles = [" ".join(t.get_text().split()) for t in figure.findobj(matplotlib.text.Text)]
    assert any("(2023; gemeente 42,2; NL <30)" in t for t in titles), titles
    assert not any("22,5" in t for t in titles)
    assert any("gemeente 13,2; NL 10,9" in t for t in titles)  # jeugdzorg, a percentage: as published


def test_map_axes_make_no_ticks_until_one_is_asked_for():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_axes([0.1, 0.1, 0.8, 0.8], axes_class=map_axes())
    assert not {"majorTicks", "minorTicks"} & (vars(ax.xaxis).keys() | vars(ax.yaxis).keys())  # none made
    assert ax.get_xlim() == (0.0, 1.0) and ax.xaxis.get_clip_box() is not None  # an axes as any other ...
    assert len(ax.xaxis.get_major_ticks(3)) == 3  # ... whose ticks are made when asked for
