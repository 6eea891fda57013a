"""Maps that work for 5 to 150 areas (issue 21): labels never over another label or marker and close to
their area or with a leader line (a synthetic grid of 100 areas), a city zoom only where it enlarges at
least twice, and every aandachtsgebied named on every kind of map."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from aandacht.config import MapOptions, load_config
from aandacht.present.labels import Label, Labeller, interior_points, overlaps
from aandacht.present.maps import (
    ZOOM_MIN_RATIO,
    city_zoom,
    domain_maps,
    gebied_letter,
    indicator_maps,
    map_frame,
    probability_map,
    score_map,
    zoom_ratio,
)
from aandacht.present.overlays import make_overlays
from aandacht.resources import default_config_path
from aandacht.scoring.run import run_score


def _grid(n: int = 10, size: float = 1000.0):
    cells = [shapely.box(i * size, j * size, (i + 1) * size, (j + 1) * size) for j in range(n) for i in range(n)]
    return gpd.GeoDataFrame({"population": [100.0] * len(cells)}, geometry=cells, crs="EPSG:28992")


def test_a_hundred_area_names_and_markers_never_overlap_and_far_labels_have_a_leader():
    fig = Figure(figsize=(8.27, 11.69), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0.03, 0.35, 0.7, 0.5])  # 5.8 in square: 0.55 in per area
    ax.set_xlim(-200, 10200)
    ax.set_ylim(-200, 10200)
    grid = _grid()
    points = grid.geometry.representative_point()
    marks = points.iloc[::3]  # a marker in every third area, off its centre
    xs, ys = marks.x.to_numpy() + 250, marks.y.to_numpy() + 200
    ax.scatter(xs, ys, s=60)
    labeller = Labeller(fig)
    labeller.block_points(ax, xs, ys, 5)
    names = [("Noordelijke Wijk " if i % 4 == 0 else "Wijk ") + str(i) for i in range(100)]  # some wider than an area
    placed = [labeller.place(Label(ax, name, p.x, p.y, "gebied-label", fontsize=8, weight="bold", centred=True))
              for name, p in zip(names, points)]
    assert all(t is not None for t in placed) and labeller.crowded == []
    assert overlaps(fig, {"gebied-label"}) == []
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in placed]
    r = 5 * fig.dpi / 72
    for cx, cy in ax.transData.transform(np.column_stack([xs, ys])):  # no label over a marker
        assert not any(b.x0 < cx + r and cx - r < b.x1 and b.y0 < cy + r and cy - r < b.y1 for b in boxes)
    leaders = [line for line in ax.lines if line.get_gid() == "leader" and len(line.get_xdata()) == 2]
    for text, box, point in zip(placed, boxes, points):  # a label away from its area has a leader to it
        corner = ax.transData.transform((point.x, point.y))
        distance = np.hypot(max(box.x0 - corner[0], 0, corner[0] - box.x1), max(box.y0 - corner[1], 0, corner[1] - box.y1))
        if distance > 14 * fig.dpi / 72:
            assert any(np.isclose(line.get_xdata()[0], point.x) and np.isclose(line.get_ydata()[0], point.y)
                       for line in leaders), text.get_text()
    assert leaders and all(line.get_linewidth() >= 0.9 or line.get_color() == "white" for line in leaders)


def test_an_optional_label_without_room_is_left_out():
    fig = Figure(figsize=(3, 3), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0, 0, 1, 1])
    labeller = Labeller(fig)
    labeller.block(ax, [ax.get_window_extent(labeller.renderer)])  # every place taken
    assert labeller.place(Label(ax, "Dorp", 0.5, 0.5, "place-label", required=False)) is None
    with pytest.warns(RuntimeWarning, match="geen vrije plek"):
        assert labeller.place(Label(ax, "Wijk", 0.5, 0.5, "gebied-label", centred=True)) is not None
    assert labeller.crowded == ["Wijk"]


def test_a_zoom_is_drawn_only_where_it_enlarges_at_least_twice():
    options = MapOptions()
    # a city of 60 small areas beside a wide countryside of 6 large ones: a zoom, at least twice the scale
    city = _grid(8, 500.0)
    country = gpd.GeoDataFrame({"population": [50.0] * 6}, geometry=[shapely.box(5000 + i * 5000, 0, 10000 + i * 5000, 20000)
                                                                    for i in range(6)], crs="EPSG:28992")
    areas = pd.concat([city, country], ignore_index=True)
    box = city_zoom(areas, options)
    assert box is not None
    assert zoom_ratio(tuple(areas.total_bounds), box, "a4") >= ZOOM_MIN_RATIO
    # five areas of one size (a village gemeente): nothing to enlarge
    assert city_zoom(_grid(3, 3000.0).iloc[:5], options) is None
    # an even grid: its dense half spans the map, so a zoom would be at the main map's scale
    even = _grid(10, 1000.0)
    assert city_zoom(even, options) is None or zoom_ratio(tuple(even.total_bounds), city_zoom(even, options), "a4") >= 2


def test_gebied_letters_run_like_spreadsheet_columns():
    assert [gebied_letter(i) for i in (0, 25, 26, 27, 51, 52)] == ["A", "Z", "AA", "AB", "AZ", "BA"]


GEBIEDEN = pd.DataFrame({"gebied": ["Heechterp-Skieringen", "Vrijheidswijk en Bilgaard", "Vrijheidswijk en Bilgaard",
                                    "Oud-Oost"], "area_code": ["WK008050", "WK008061", "WK008060", "WK008020"]})


@pytest.fixture(scope="module")
def frame():
    run = run_score(load_config(default_config_path()))
    known = set(run.matrix.areas.index)
    robustness = pd.DataFrame({"area_code": sorted(known), "p_designated": np.linspace(0, 1, len(known))})
    return map_frame(run, make_overlays(known, gebieden=GEBIEDEN, robustness=robustness, round_year=2026))


@pytest.mark.parametrize("draw", [score_map, probability_map, domain_maps, indicator_maps])
def test_every_gebied_is_named_on_every_map_kind(frame, draw):
    fig = draw(frame, "a4")
    texts = [t for ax in fig.axes for t in ax.texts] + list(fig.texts)
    gebieden = set(GEBIEDEN["gebied"])
    if draw in (domain_maps, indicator_maps):  # a letter on every panel and the letter's name in the key
        letters = frame.gebied_letters
        rank = frame.run.result.rank
        best = {name: min(rank[c] for c in GEBIEDEN.loc[GEBIEDEN["gebied"] == name, "area_code"]) for name in gebieden}
        assert list(letters) == sorted(gebieden, key=best.get) and list(letters.values()) == ["A", "B", "C"]
        key = {t.get_text() for t in fig.texts if t.get_gid() == "gebied-key"}
        assert {f"{letter} {name}" for name, letter in letters.items()} <= key
        panels = [ax for ax in fig.axes if ax.get_title(loc="left")]
        for ax in panels:
            assert sorted(t.get_text() for t in ax.texts if t.get_gid() == "gebied-letter") == sorted(letters.values())
        assert overlaps(fig, {"gebied-letter"}) == []
    else:
        named = {t.get_text().split(" ")[0] for t in texts if t.get_gid() == "gebied-label"}
        assert {name.split(" ")[0] for name in gebieden} <= named


def test_a_name_whose_label_point_is_taken_moves_inside_its_area_without_a_leader():
    fig = Figure(figsize=(4, 4), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    area = shapely.box(10, 10, 90, 90)
    point = area.representative_point()
    labeller = Labeller(fig)
    labeller.block_points(ax, [point.x], [point.y], 40)  # markers all over the middle of the area
    assert len(interior_points(area)) == 12 and interior_points(shapely.Polygon()) == ()
    text = labeller.place(Label(ax, "Binnenstad", point.x, point.y, "gebied-label", centred=True,
                                inside=interior_points(area)))
    box = text.get_window_extent(labeller.renderer).transformed(ax.transData.inverted())
    assert area.contains(shapely.box(box.x0, box.y0, box.x1, box.y1))
    assert not [line for line in ax.lines if line.get_gid() == "leader"]
