"""Maps for the bestuurlijk overleg (matplotlib, EPSG:28992), entirely in Dutch.

Every map is a fixed-size figure (A4 portrait 8.27 x 11.69 in, or a 16:9 slide 13.33 x 7.5 in)
with a title naming the round, a legend, a scale bar, a north arrow and a footer with every
source and its year, the date and, when demonstration data are shown, a mark saying so.

* :func:`score_map`: the Aandachtsscore in classes (quantiles, Fisher-Jenks natural breaks or
  fixed upper bounds from the config). Areas without a score are hatched and say why: "niet
  gescoord: te weinig huishoudens met kinderen" (the population gate) or "geen gegevens",
  never coloured as a low value.
* :func:`domain_maps`: one panel per domain on one classed scale (equal intervals over all
  domain scores), :func:`indicator_maps`: one panel per indicator, each in its own quantile
  classes and units; darker always means more attention needed (the palette is reversed for
  direction -1). Both outline the aandachtsgebieden.
* :func:`probability_map`: the chance of designation in four classes (< 5%, 5-50%, 50-95%,
  >= 95%), with the percentage printed for the areas between 5% and 95%: those near the
  threshold, where the method choice decides.
* :func:`change_map`: entered / stayed / left against the previous round (both rounds named),
  and the Plus-IKCs: new, continued and ended.

What every map with the areas carries: the aandachtsgebieden outlined (dark line on a white
casing, readable on every class colour) and named; Plus-IKCs as white stars with a dark edge,
IKCs that are eligible but not chosen as white diamonds, other schools as small grey dots,
each Plus-IKC and candidate numbered with a key beside the map; the neighbouring gemeenten in
grey with their names, the large enclosed waters in pale blue and the names of the largest kernen
(``present/orientation.py``).
The small multiples (domains, indicators) mark each aandachtsgebied with its letter (A, B, ...,
in the order of rank) and name them in a key under the panels. Labels never overlap, and a label
away from its area has a leader line (``present/labels.py``).

City zoom ("Uitsnede"), drawn only where it enlarges the main map at least :data:`ZOOM_MIN_RATIO`
times (a zoom at almost the main map's scale, as Tilburg's was, only takes room): when the densest
half of the areas (households with children per km2 from the population gate, or 1 / area without
one) fits in a box covering at most ``maps.inset_max_share`` of the whole map (or at most
``maps.inset_crowded_share`` when those areas are crowded: under about 2 cm across on the map) and
that box enlarges enough, it is drawn again enlarged; else, when the dense areas are crowded, the
zoom is a window at two to four times the main map's scale placed over as many of them as it holds
(at least :data:`ZOOM_MIN_AREAS`; :func:`crowded_window`); else there is no zoom and the main map takes the whole width and more
height. On the main map the markers inside the box are left out (they are in the zoom).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache, partial

import numpy as np
import pandas as pd

from ..config import Config, MapOptions
from ..config.choices import CLASSIFICATIONS, check_implemented
from ..dutch import dutch_date, dutch_number, number_nl
from ..errors import DataError
from ..inputs.plausible import is_count_unit
from ..inputs.reading import column_letters
from ..scoring.run import ScoreRun
from .cartography import (
    add_legend,
    boundary_lines,
    draw_paths,
    map_axes,
    map_canvas,
    north_arrow,
    outline,
    paths_of,
    scalebar,
    set_extent,
)
from .labels import Label, Labeller, interior_points
from .orientation import ATTRIBUTION_GEMEENTEN, ATTRIBUTION_PLAATSEN, orientation
from .overlays import CHANGE_LABELS, IKC_LABELS, Overlays, schools_as_ikcs, text_column
from .palettes import palette
from .phrases import area_words, lower_first

SIZES = {"slide": (13.333, 7.5), "a4": (8.27, 11.69)}
NO_SCORE = {
    "gate": {"facecolor": "#f4f4f4", "hatch": "\\\\\\\\", "edgecolor": "#8c8c8c"},
    "nodata": {"facecolor": "#e3e3e3", "hatch": "////", "edgecolor": "#8c8c8c"},
}
# The neighbouring gemeenten white with grey borders and names: a grey fill (#ececec, luma 236)
# printed in greyscale as the lightest score class (YlOrRd, luma 235); white stays apart from the
# lightest class of every palette (tests/test_colour_vision.py).
NEIGHBOUR = {"facecolor": "#ffffff", "edgecolor": "#9a9a9a"}
WATER = "#d5e6f3"  # pale blue, apart from the white of the neighbours
# Okabe-Ito colours (Okabe & Ito 2008, safe for the common colour-vision deficiencies); "left" is also hatched.
CHANGE_COLOURS = {"entered": "#E69F00", "stayed": "#0072B2", "left": "#56B4E9", "none": "#f7f7f7"}
# Per input loader: the publication as named on a map, and its licence and publisher.
PUBLICATIONS = {
    "kwb": ("CBS Kerncijfers wijken en buurten", "CBS/Kadaster, CC BY 4.0"),
    "school_scores": ("CBS achterstandsscores basisscholen", "CBS, CC BY 4.0; scholenlijst DUO"),
    "oab": ("onderwijsachterstanden", "Inspectie/CBS, geen licentie vermeld: openbare overheidsinformatie"),
    "duo": ("DUO scholenlijst", "DUO, CC BY 4.0"),
    "jeugdmonitor": ("Jeugdmonitor", "gemeente/GGD"),
    "kinderen_in_tel": ("Kinderen in Tel", "Verwey-Jonker Instituut"),
}
OSM = "coördinaten scholen © OpenStreetMap-bijdragers (ODbL)"
DEMONSTRATION_PARTS = {"gebieden": "aandachtsgebieden", "ikcs": "IKC-status", "robustness": "kansen",
                       "changes": "veranderingen"}
LABEL_GIDS = {"gebied-label", "ikc-label", "rank-label", "place-label", "neighbour-label", "chance-label", "gebied-letter"}
# Font sizes in points on the figure. The report places an A4 map at 95% (present/report.py
# MAP_SCALE), so that every A4 text but the source line is at least 7.5 pt here (7 pt on paper;
# the IKC key may step down half a point from the legend's 8) and the source line 6.5 (6 on paper).
FONTS = {"a4": {"title": 15, "subtitle": 9, "label": 8, "small": 7.5, "legend": 8, "footer": 6.5, "panel": 8},
         "slide": {"title": 18, "subtitle": 11, "label": 9, "small": 8, "legend": 8.5, "footer": 7.5, "panel": 9}}
PLACES_SHOWN = 12  # at most this many place names on a map, the largest kernen first


def sources(config: Config) -> list[dict]:
    """The publications the config's inputs come from, with their years (newest first) and
    licence, one entry per publication: [{"name", "years", "licence", "named"}]. The years are the periods
    of the vintages the run read. An input's own ``attribution`` is its name (``named``: it names the year
    itself, so a source line does not repeat it); its licence is its loader's (``PUBLICATIONS``)."""
    found: dict[str, dict] = {}
    for name, spec in config.inputs.items():
        publication, licence = PUBLICATIONS.get(spec.loader, (spec.source or name, ""))
        publication = spec.attribution or publication
        entry = found.setdefault(publication, {"name": publication, "years": [], "licence": licence,
                                               "named": bool(spec.attribution) and spec.period in spec.attribution})
        if spec.period not in entry["years"]:
            entry["years"].append(spec.period)
    for entry in found.values():
        entry["years"] = sorted(entry["years"], reverse=True)
    return list(found.values())


def years_text(years: list[str]) -> str:
    """'2023 en 2022', '2023, 2022 en 2019' ('' for none)."""
    return "" if not years else years[0] if len(years) == 1 else ", ".join(years[:-1]) + " en " + years[-1]


def source_line(config: Config, with_schools: bool) -> str:
    """'Bron: ...' with every publication and its year, the orientation layers and, when school
    points are drawn, the OpenStreetMap attribution (or ``maps.source_line`` from the config)."""
    if config.maps.source_line:
        return config.maps.source_line
    parts = [" ".join(filter(None, [s["name"], "" if s["named"] else years_text(s["years"])]))
             + (f" ({s['licence']})" if s["licence"] else "") for s in sources(config)]
    if with_schools:
        parts.append(OSM)
    parts += [ATTRIBUTION_GEMEENTEN, ATTRIBUTION_PLAATSEN]
    return "Bron: " + "; ".join(parts) + "; bewerking: aandacht"


@dataclass
class MapFrame:
    """The geometry of the scored level joined with everything the maps show. ``undrawn``: the areas
    whose polygon the geometry file lacks (a wijk of a new division, like two of Gemert-Bakel's of
    2023 in the public polygons of 2022), with name and rank: every map names them in its legend."""

    areas: object  # GeoDataFrame indexed by area_code
    run: ScoreRun
    overlays: Overlays
    options: MapOptions
    undrawn: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["area_name", "rank"]))

    @property
    def config(self) -> Config:
        return self.run.config

    @cached_property
    def paths(self) -> list:
        return paths_of(self.areas.geometry.values)

    @cached_property
    def extent(self) -> tuple[float, float, float, float]:
        return tuple(float(v) for v in self.areas.total_bounds)

    @cached_property
    def inset(self) -> tuple[float, float, float, float] | None:
        if self.options.inset != "auto":
            return None
        return city_zoom(self.areas, self.options, bool(self.overlays.demonstration))

    @cached_property
    def gebied_outlines(self) -> dict:
        """Per aandachtsgebied (in the given order) the union of its drawn areas; a gebied whose
        areas are all undrawn is left out (they are named in the legend)."""
        outlines = {}
        for name in self.overlays.gebied_names():
            members = [c for c in self.overlays.members(name) if c in self.areas.index]
            if members:
                outlines[name] = self.areas.loc[members].geometry.union_all()
        return outlines

    @cached_property
    def gebied_letters(self) -> dict[str, str]:
        """Per drawn aandachtsgebied its letter on the small multiples (A, B, ..., Z, AA, AB, ...), in the
        order of its best-ranked member."""
        rank = self.run.result.rank
        ordered = sorted(self.gebied_outlines, key=lambda name: min(
            (rank.get(c, np.inf) for c in self.overlays.members(name)), default=np.inf))
        return {name: gebied_letter(i) for i, name in enumerate(ordered)}

    @cached_property
    def gebied_lines(self) -> list:
        """The boundary lines of every aandachtsgebied's outline (in the given order), made once for every
        panel of every map."""
        return [line for shape in self.gebied_outlines.values() for line in boundary_lines(shape)]

    @cached_property
    def boundary(self):
        """The gemeente's outline (union of its areas)."""
        import shapely

        return shapely.union_all(self.areas.geometry.values)

    @cached_property
    def boundary_lines(self) -> list:
        """The lines of :attr:`boundary`, made once for every panel of every map."""
        return boundary_lines(self.boundary)

    @cached_property
    def ikcs(self) -> pd.DataFrame | None:
        """The IKC points: the overlay table, else the schools of the school input (status other)."""
        if self.overlays.ikcs is not None:
            return self.overlays.ikcs
        return default_ikcs(self.config)

    @cached_property
    def keyed(self) -> pd.DataFrame:
        """Plus-IKCs and eligible candidates with their map number (``nr``), Plus-IKCs first, in the
        order of their gebied's rank; IKCs without coordinates keep no number."""
        ikcs = self.ikcs
        if ikcs is None:
            return pd.DataFrame(columns=["name", "x_rd", "y_rd", "status", "nr"])
        chosen = ikcs[ikcs["status"].isin(["plus-ikc", "candidate"])].copy()
        chosen = chosen.dropna(subset=["x_rd", "y_rd"])
        rank = self.run.result.rank.astype("float64")  # every area, drawn or not
        area = text_column(chosen, "area_code")
        chosen["_rank"] = area.map(rank).fillna(np.inf)
        chosen["_status"] = (chosen["status"] != "plus-ikc").astype(int)
        chosen = chosen.sort_values(["_status", "_rank", "name"]).drop(columns=["_rank", "_status"])
        chosen["nr"] = np.arange(1, len(chosen) + 1)
        return chosen

    def unscored(self) -> pd.Series:
        """Per area: '' (scored), 'gate' (not scored: too few of the population) or 'nodata'."""
        if "_unscored" not in self.__dict__:
            self.__dict__["_unscored"] = self._unscored()
        return self.__dict__["_unscored"]

    def _unscored(self) -> pd.Series:
        gate = ~self.areas["scored"].astype(bool)
        nodata = self.areas["score"].isna() & ~gate
        return pd.Series(np.where(gate, "gate", np.where(nodata, "nodata", "")), index=self.areas.index)

    def round_text(self) -> str:
        """'herijking 2026' (and 'ten opzichte van 2024'), or the data round of the config."""
        ov = self.overlays
        if ov.round_year is None:
            return f"gegevens {years_text(sorted({s.period for s in self.config.inputs.values()}, reverse=True))}"
        return f"herijking {ov.round_year}" + (f" (ten opzichte van {ov.previous_year})" if ov.previous_year else "")


def gebied_letter(position: int) -> str:
    """'A' for 0, ..., 'Z' for 25, 'AA' for 26, 'AB', ...: spreadsheet column letters."""
    return column_letters(position + 1)


def map_frame(run: ScoreRun, overlays: Overlays | None = None, options: MapOptions | None = None) -> MapFrame:
    """Join geometry (registry, EPSG:28992), scores, ranks, domain scores and indicator values."""
    geometry = run.registry.geometry()
    every = list(run.matrix.areas.index)
    codes = [c for c in every if c in geometry.index]
    if not codes:
        raise DataError(f"{run.registry.geometry_path}: no geometry for any of the {len(every)} {run.config.level} "
                        f"area(s), for example {every[:3]}; give a geometry file of level '{run.config.level}' in "
                        "areas.geometry")
    matrix = run.matrix.areas
    lacking = [c for c in every if c not in geometry.index]
    undrawn = pd.DataFrame({"area_name": matrix.loc[lacking, "area_name"], "rank": run.result.rank.reindex(lacking)},
                           index=pd.Index(lacking, name="area_code"))
    areas = geometry.loc[codes, ["geometry"]].copy()
    areas["area_name"] = matrix.loc[codes, "area_name"]
    areas["population"] = matrix.loc[codes, "population"]
    areas["scored"] = matrix.loc[codes, "scored"].astype(bool)
    areas["score"] = run.result.index.reindex(codes)
    areas["rank"] = run.result.rank.reindex(codes)
    for column in run.result.nodes.columns:
        areas[f"node:{column}"] = run.result.nodes[column].reindex(codes)
    for column in run.result.normalised.columns:  # an indicator directly under the index is a domain too
        areas[f"node:{column}"] = run.result.normalised[column].reindex(codes)
    for column in run.matrix.values.columns:
        areas[f"value:{column}"] = run.matrix.values[column].reindex(codes)
    return MapFrame(areas, run, overlays or Overlays(), options or run.config.maps, undrawn)


def default_ikcs(config: Config) -> pd.DataFrame | None:
    """The schools of the config's school input as IKC points (status ``other``), if any."""
    from ..inputs.sources.schools import read_schools

    specs = [spec for spec in config.inputs.values() if spec.loader == "school_scores"]
    return schools_as_ikcs(read_schools(specs[0])) if specs else None


# --- classification --------------------------------------------------------------

def _bin(values: np.ndarray, bins: np.ndarray) -> np.ndarray:
    """Class per value: the first upper bound it does not exceed (mapclassify ``bin1d``)."""
    return np.minimum(np.searchsorted(bins, values, side="left"), len(bins) - 1)


def _quantiles(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds at the k-quantiles (linear interpolation), repeated bounds merged, as
    mapclassify ``Quantiles``."""
    return np.unique(np.percentile(values, np.linspace(100 / k, 100, k)))


def _fisher_jenks(values: np.ndarray, k: int) -> np.ndarray:
    import warnings

    import mapclassify

    with warnings.catch_warnings():  # Fisher-Jenks warns that the optional numba speed-up is absent
        warnings.filterwarnings("ignore", message="Numba not installed")
        return np.asarray(mapclassify.FisherJenks(values, k=k).bins, dtype="float64")


def _fixed(values: np.ndarray, breaks: list[float]) -> np.ndarray:
    bins = np.asarray(breaks, dtype="float64")
    return bins if bins[-1] >= values.max() else np.append(bins, values.max())


# The classifications of the registry (aandacht.config.choices.CLASSIFICATIONS): class upper bounds
# from the values, the number of classes k and the fixed breaks; mapclassify semantics, which is
# imported only for Fisher-Jenks (its import takes a second).
CLASSIFIERS = {
    "quantiles": lambda values, k, breaks: _quantiles(values, k),
    "fisher_jenks": lambda values, k, breaks: _fisher_jenks(values, k),
    "fixed": lambda values, k, breaks: _fixed(values, breaks),
}
check_implemented("map classification", CLASSIFICATIONS, CLASSIFIERS)


def classify(values: pd.Series, options: MapOptions) -> tuple[np.ndarray, np.ndarray]:
    """Class upper bounds and class index per value (-1 = no value)."""
    present = values.dropna().to_numpy(dtype="float64")
    classes = np.full(len(values), -1)
    k = min(options.k, len(np.unique(present)))
    bins = CLASSIFIERS[options.classes](present, k, list(options.breaks))
    classes[values.notna().to_numpy()] = _bin(present, bins)
    return bins, classes


def equal_intervals(values: np.ndarray, k: int) -> np.ndarray:
    """k classes of equal width from the minimum to the maximum."""
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    return np.linspace(lo, hi, k + 1)[1:] if hi > lo else np.array([hi])


def class_labels(bins: np.ndarray, minimum: float, decimals: int = 1, below: int = 0) -> list[str]:
    """'12,7 – 20,3' per class: from the previous upper bound (or the minimum) to the bound. ``below``:
    the bounds are counts of people (an indicator whose unit counts them), and a bound under
    ``report.suppress_below`` is never printed: a class wholly under it reads '<10', one that starts
    under it '<10 – 25'."""
    lower = [minimum, *bins[:-1]]

    def label(lo: float, hi: float) -> str:
        if hi < below:
            return f"<{below}"
        start = f"<{below}" if lo < below else dutch_number(lo, decimals)
        return f"{start} \u2013 {dutch_number(hi, decimals)}"

    return [label(lo, hi) for lo, hi in zip(lower, bins)]


def decimals_for(bins: np.ndarray, minimum: float) -> int:
    """Decimals that keep class bounds apart: 0 from a span of 50 up, else 1 (2 under 1)."""
    span = float(np.max(bins) - minimum) if len(bins) else 0.0
    return 0 if span >= 50 else (1 if span >= 1 else 2)


@dataclass(frozen=True)
class ScoreClasses:
    """The score map's classes: upper bounds, the class of every area of the frame (-1 = no score),
    and per class its colour (RGBA 0-1) and its legend label."""

    bins: np.ndarray
    classes: np.ndarray
    colours: list
    labels: list[str]


def score_classes(frame: MapFrame) -> ScoreClasses:
    """The classes of :func:`score_map` (``maps.classes``, ``maps.k``, ``maps.palette``), also used
    by the round's GeoPackage so that QGIS shows the report's classes and colours."""
    values = frame.areas["score"]
    bins, classes = classify(values, frame.options)
    minimum = float(values.min())
    return ScoreClasses(bins, classes, palette(frame.options.palette, len(bins)),
                        class_labels(bins, minimum, decimals_for(bins, minimum)))


def unscored_text(frame: MapFrame, kind: str) -> str:
    """The legend text of an unscored area: 'gate' (too few of the population) or 'nodata'."""
    if kind == "gate":
        return (f"niet gescoord: te weinig {frame.config.population.label}" if frame.config.population
                else "niet gescoord: te weinig gegevens")
    return "geen gegevens"


# --- layout -----------------------------------------------------------------------

CROWDED_WIDTH_IN = 0.8  # dense areas narrower than this on the main map (about 2 cm) are crowded
ZOOM_MIN_RATIO = 2.0  # a zoom is drawn only where it enlarges the main map at least this many times
ZOOM_MIN_AREAS = 4  # ... and holds at least this many of the dense areas
ZOOM_RATIOS = (4.0, 3.0, 2.5, ZOOM_MIN_RATIO)  # the enlargements a window over the crowded areas tries, largest first
ZOOM_KEEP = 0.75  # ... taking the largest that holds this share of the dense areas the window at twice holds


def _density(areas) -> pd.Series:
    """Households with children (the population gate's figure) per m2, or 1 / area without it."""
    surface = areas.geometry.area
    population = areas["population"]
    return population / surface if population.notna().all() else 1.0 / surface


def _crowded(dense, scale: float) -> bool:
    """Whether the median width (square root of the area) of ``dense`` is under :data:`CROWDED_WIDTH_IN`
    at ``scale`` (inches per metre)."""
    return float(np.sqrt(dense.geometry.area).median()) * scale < CROWDED_WIDTH_IN


def dense_extent(areas, max_share: float, crowded_share: float = 0.0,
                 map_inches: float = 7.8) -> tuple[float, float, float, float] | None:
    """Bounding box (padded 6%, within the map) of the densest half of the areas, if it covers at most ``max_share``
    of the whole bounding box, or at most ``crowded_share`` when those areas are crowded: their median
    width (square root of the area), drawn on a main map ``map_inches`` wide, is under
    :data:`CROWDED_WIDTH_IN`. Else ``None`` (see module docstring)."""
    density = _density(areas)
    dense = areas[density >= density.median()]
    x0, y0, x1, y1 = dense.total_bounds
    pad_x, pad_y = 0.06 * (x1 - x0), 0.06 * (y1 - y0)
    fx0, fy0, fx1, fy1 = areas.total_bounds
    box = (max(x0 - pad_x, fx0), max(y0 - pad_y, fy0), min(x1 + pad_x, fx1), min(y1 + pad_y, fy1))
    share = (box[2] - box[0]) * (box[3] - box[1]) / ((fx1 - fx0) * (fy1 - fy0))
    limit = max(max_share, crowded_share) if _crowded(dense, map_inches / max(fx1 - fx0, fy1 - fy0)) else max_share
    return box if share <= limit else None


def map_scale(extent, rect: list[float], size: str, pad: float) -> float:
    """Inches on paper per metre of an axes at figure fraction ``rect`` showing ``extent`` with the margin
    ``pad`` (as :func:`aandacht.present.cartography.set_extent` draws it: the extent fills one side)."""
    x0, y0, x1, y1 = extent
    margin = pad * max(x1 - x0, y1 - y0)
    width, height = SIZES[size]
    return min(rect[2] * width / (x1 - x0 + 2 * margin), rect[3] * height / (y1 - y0 + 2 * margin))


def zoom_ratio(extent, box, size: str, demonstration: bool = False) -> float:
    """How many times the zoom of ``box`` enlarges the main map of ``extent`` (the scales of both axes
    of the layout with a zoom)."""
    rects = _rects(size, True, demonstration)
    return map_scale(box, rects["inset"], size, 0.0) / map_scale(extent, rects["main"], size, 0.02)


def crowded_window(areas, size: str, demonstration: bool = False) -> tuple[float, float, float, float] | None:
    """The zoom over the crowded dense areas: a window at the largest of :data:`ZOOM_RATIOS` times the main
    map's scale whose best place (over the most dense areas' label points) holds at least
    :data:`ZOOM_KEEP` of what the window at :data:`ZOOM_MIN_RATIO` holds, shrunk to their padded bounds
    when they fit in less; None when fewer than :data:`ZOOM_MIN_AREAS` fit or they are not crowded on the
    main map (module docstring)."""
    rects = _rects(size, True, demonstration)
    extent = tuple(float(v) for v in areas.total_bounds)
    main = map_scale(extent, rects["main"], size, 0.02)
    density = _density(areas)
    dense = areas[density >= density.median()]
    points = dense.geometry.representative_point()
    xs, ys = points.x.to_numpy(), points.y.to_numpy()
    width, height = SIZES[size]
    windows = []
    for ratio in ZOOM_RATIOS:
        w = rects["inset"][2] * width / (ratio * 1.001 * main)
        h = rects["inset"][3] * height / (ratio * 1.001 * main)
        held = (np.abs(xs[:, None] - xs[None, :]) <= w / 2) & (np.abs(ys[:, None] - ys[None, :]) <= h / 2)
        windows.append((w, h, held[int(np.argmax(held.sum(axis=1)))]))
    most = int(windows[-1][2].sum())
    w, h, chosen = next(window for window in windows if window[2].sum() >= ZOOM_KEEP * most)
    members = dense[chosen]
    if len(members) < ZOOM_MIN_AREAS or not _crowded(members, main):
        return None
    x0, y0, x1, y1 = members.total_bounds
    pad = 0.06 * max(x1 - x0, y1 - y0)
    if x1 - x0 + 2 * pad <= w and y1 - y0 + 2 * pad <= h:
        return (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    points = points[chosen]
    cx, cy = (points.x.min() + points.x.max()) / 2, (points.y.min() + points.y.max()) / 2
    cx = min(max(cx, extent[0] + w / 2), extent[2] - w / 2) if extent[2] - extent[0] > w else (extent[0] + extent[2]) / 2
    cy = min(max(cy, extent[1] + h / 2), extent[3] - h / 2) if extent[3] - extent[1] > h else (extent[1] + extent[3]) / 2
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def city_zoom(areas, options: MapOptions, demonstration: bool = False) -> tuple[float, float, float, float] | None:
    """The zoom box of a map (module docstring): the densest half's box when it enlarges at least
    :data:`ZOOM_MIN_RATIO` times, else :func:`crowded_window`."""
    size = options.size
    main = _rects(size, False, demonstration)["main"]
    box = dense_extent(areas, options.inset_max_share, options.inset_crowded_share, main[2] * SIZES[size][0])
    extent = tuple(float(v) for v in areas.total_bounds)
    if box is not None and zoom_ratio(extent, box, size, demonstration) >= ZOOM_MIN_RATIO:
        return box
    return crowded_window(areas, size, demonstration)


# Figure fractions [left, bottom, width, height] of the main map, the zoom and the legend column.
LAYOUTS = {
    ("a4", True): {"main": [0.03, 0.475, 0.94, 0.44], "inset": [0.03, 0.075, 0.585, 0.375], "side": [0.64, 0.45, 0.34, 0.38]},
    ("a4", False): {"main": [0.03, 0.31, 0.94, 0.605], "side": [0.04, 0.29, 0.93, 0.21]},
    ("slide", True): {"main": [0.012, 0.09, 0.37, 0.78], "inset": [0.39, 0.09, 0.37, 0.78], "side": [0.775, 0.87, 0.22, 0.78]},
    ("slide", False): {"main": [0.02, 0.09, 0.60, 0.78], "side": [0.64, 0.87, 0.35, 0.78]},
}
DEMO_SPACE = {"a4": 0.03, "slide": 0.06}


def _figure(size: str, title: str, subtitle: str, footer: str, demonstration: list[str]):
    """A fixed-size figure with title, subtitle, footer (sources and date) and demo mark.

    The figure is not registered with pyplot (no global state to close, nothing shown twice
    in a notebook); it renders through the Agg canvas (:func:`aandacht.present.cartography.map_canvas`)."""
    from matplotlib.figure import Figure

    fonts = FONTS[size]
    fig = Figure(figsize=SIZES[size])
    map_canvas()(fig)
    top = 0.975 if size == "a4" else 0.965
    fig.text(0.03, top, title, fontsize=fonts["title"], weight="bold", va="top", gid="title")
    fig.text(0.03, top - (0.024 if size == "a4" else 0.055),
             textwrap.fill(subtitle, 118 if size == "a4" else 170, break_on_hyphens=False), fontsize=fonts["subtitle"],
             va="top", color="#333333", gid="subtitle")
    fig.text(0.03, 0.01, textwrap.fill(footer, 148 if size == "a4" else 200, break_on_hyphens=False),
             fontsize=fonts["footer"], color="#444444", va="bottom", gid="source")
    if demonstration:
        parts = ", ".join(DEMONSTRATION_PARTS.get(d, d) for d in demonstration)
        fig.text(0.5, top - (0.05 if size == "a4" else 0.1),
                 f"DEMONSTRATIEGEGEVENS – {parts}: fictief, niet voor besluitvorming",
                 fontsize=8.5, color="#b00000", weight="bold", ha="center", va="top", gid="demonstration",
                 bbox={"facecolor": "white", "edgecolor": "#b00000", "boxstyle": "round,pad=0.3"})
    return fig


def _rects(size: str, inset: bool, demonstration: bool) -> dict[str, list[float]]:
    """Axes rectangles for main map, zoom and legend column; lowered at the top to leave room
    for the demonstration banner when there is one."""
    rects = {k: list(v) for k, v in LAYOUTS[(size, inset)].items()}
    if demonstration:
        rects["main"][3] -= DEMO_SPACE[size]
        if size == "slide" and inset:
            rects["inset"][3] -= DEMO_SPACE[size]
    return rects


def _axes(fig, rect, framed: bool = False):
    ax = fig.add_axes(rect, axes_class=map_axes())
    ax.set_aspect("equal", adjustable="datalim")
    if framed:
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor("#555555")
            spine.set_linewidth(0.8)
    else:
        ax.set_axis_off()
    return ax


def _footer(frame: MapFrame, with_schools: bool) -> str:
    return (f"{source_line(frame.config, with_schools)}. Kaart gemaakt op {dutch_date(date.today())} met aandacht; "
            f"{frame.config.gemeente.name}, {frame.round_text()}.")


def _draw_areas(ax, frame: MapFrame, colours: list, edge: str = "white", hatch_left: list | None = None) -> None:
    """Neighbouring gemeenten, the areas in their colours (unscored ones hatched with their reason's
    style) and the gemeente's outline."""
    kinds = frame.unscored().to_numpy().copy()
    kinds[(kinds == "") & np.array([c is None for c in colours])] = "nodata"  # a scored area without this value
    scored = [c if k == "" else None for c, k in zip(colours, kinds)]
    draw_paths(ax, frame.paths, scored, edgecolor=edge, linewidth=0.6, zorder=2)
    for kind, style in NO_SCORE.items():
        mask = kinds == kind
        if mask.any():
            draw_paths(ax, [p if m else None for p, m in zip(frame.paths, mask)], style["facecolor"],
                       edgecolor=style["edgecolor"], linewidth=0.5, zorder=2, hatch=style["hatch"])
    if hatch_left:
        draw_paths(ax, [p if m else None for p, m in zip(frame.paths, hatch_left)], "none",
                   edgecolor="#1a1a1a", linewidth=0.0, zorder=2.5, hatch="....")
    outline(ax, frame.boundary_lines, colour="#4d4d4d", width=0.9, zorder=3)


_GEMEENTE_PATHS: dict = {}  # gm_code -> matplotlib Path, made once per process


def _draw_neighbours(ax, frame: MapFrame) -> None:
    """The neighbouring gemeenten in grey and the large enclosed waters in pale blue, under the areas
    (the waters under the land too, so that the simplified borders never cover a wijk)."""
    from .cartography import polygon_path

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    layers = orientation((x0, y0, x1, y1), frame.config.gemeente.code)
    if layers.water:
        draw_paths(ax, [polygon_path(w) for w in layers.water], WATER, edgecolor="none", linewidth=0.0, zorder=0.4,
                   gid="water")
    if layers.gemeenten:
        for code, _, geometry in layers.gemeenten:
            if code not in _GEMEENTE_PATHS:
                _GEMEENTE_PATHS[code] = polygon_path(geometry)
        paths = [_GEMEENTE_PATHS[code] for code, _, _ in layers.gemeenten]
        draw_paths(ax, paths, NEIGHBOUR["facecolor"], edgecolor=NEIGHBOUR["edgecolor"], linewidth=0.7, zorder=0.5)


def _name_neighbours(ax, frame: MapFrame, labeller: Labeller, fonts: dict) -> None:
    """The names of the neighbouring gemeenten (optional labels) on the part of them in view."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    for name, x, y in _neighbour_points((x0, y0, x1, y1), frame.config.gemeente.code):
        labeller.place(Label(ax, name, x, y, "neighbour-label", fontsize=fonts["small"] + 0.5, colour="#6b6b6b",
                             centred=True, required=False))


@lru_cache(maxsize=16)
def _neighbour_points(extent: tuple[float, float, float, float], own_code: str) -> tuple[tuple[str, float, float], ...]:
    """(name, x, y) per neighbouring gemeente with at least 1% of the view (``extent`` less a margin of 4% of its
    width): the label point of its part in there. Kept per view, as :func:`orientation` (the maps of a round share it)."""
    import shapely

    x0, y0, x1, y1 = extent
    box = shapely.box(x0, y0, x1, y1).buffer(-0.04 * (x1 - x0))
    points = []
    for _, name, geometry in orientation(extent, own_code).gemeenten:
        visible = shapely.intersection(geometry, box)
        if not visible.is_empty and visible.area >= 0.01 * box.area:
            point = visible.representative_point()
            points.append((name, point.x, point.y))
    return tuple(points)


def _draw_places(ax, frame: MapFrame, labeller: Labeller, fonts: dict, skip_box=None) -> None:
    """The names of the largest kernen in view (optional labels: left out where there is no room)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    places = orientation((x0, y0, x1, y1), frame.config.gemeente.code).places
    if skip_box is not None:
        inside = places["x_rd"].between(skip_box[0], skip_box[2]) & places["y_rd"].between(skip_box[1], skip_box[3])
        places = places[~inside]
    largest = places[places["leerlingen"] >= 0.1 * places["leerlingen"].max()] if len(places) else places
    shown = largest.head(PLACES_SHOWN)
    if len(shown):  # one artist for the markers
        ax.plot(shown["x_rd"], shown["y_rd"], linestyle="none", marker="s", markersize=2.6, color="#4d4d4d", zorder=6,
                gid="place")
    for row in shown.itertuples():
        labeller.place(Label(ax, row.naam, row.x_rd, row.y_rd, "place-label", fontsize=fonts["small"] + 0.5,
                             style="italic", colour="#333333", gap=3.5, required=False))


def _inside(box, xs, ys) -> np.ndarray:
    xs, ys = np.asarray(xs, dtype="float64"), np.asarray(ys, dtype="float64")
    if box is None:
        return np.zeros(len(xs), dtype=bool)
    return (xs >= box[0]) & (xs <= box[2]) & (ys >= box[1]) & (ys <= box[3])


IKC_STYLE = {
    "plus-ikc": {"marker": "*", "s": 190, "facecolor": "#ffffff", "edgecolor": "#1a1a1a", "linewidths": 1.0, "zorder": 12},
    "candidate": {"marker": "D", "s": 42, "facecolor": "#ffffff", "edgecolor": "#1a1a1a", "linewidths": 1.0, "zorder": 11},
    "other": {"marker": "o", "s": 13, "facecolor": "#4d4d4d", "edgecolor": "#ffffff", "linewidths": 0.5, "zorder": 10},
}
# The change map: Plus-IKCs by what changed since the previous round.
PLUS_CHANGE_STYLE = {  # shapes, not colours alone, tell the groups apart; all white-filled with a dark edge
    "nieuw": ("nieuw Plus-IKC", [{"marker": "o", "s": 330, "facecolor": "white", "edgecolor": "#1a1a1a", "linewidths": 1.0},
                                 {"marker": "*", "s": 120, "facecolor": "#1a1a1a", "edgecolor": "#1a1a1a", "linewidths": 0.5}]),
    "blijft": ("blijft Plus-IKC", [IKC_STYLE["plus-ikc"]]),
    "eraf": ("geen Plus-IKC meer", [{"marker": "X", "s": 90, "facecolor": "white", "edgecolor": "#1a1a1a", "linewidths": 1.0}]),
}


def plus_change(continuity: str) -> str | None:
    """'nieuw', 'blijft' or 'eraf' from an IKC's continuity status (decide.select), else None."""
    text = str(continuity or "").strip().lower()
    if text in ("nieuw",):
        return "nieuw"
    if text in ("voortgezet", "opnieuw aangewezen"):
        return "blijft"
    if text.startswith("beëindigd"):
        return "eraf"
    return None


@dataclass
class Panels:
    """The axes of one map (main and optional zoom), the zoom box, and the label placer."""

    fig: object
    main: object
    inset: object | None
    box: tuple | None
    rects: dict
    labeller: Labeller
    size: str

    @property
    def all(self) -> list:
        return [self.main] + ([self.inset] if self.inset is not None else [])


def _base(frame: MapFrame, colours: list, title: str, subtitle: str, size: str, edge: str = "white",
          hatch_left: list | None = None) -> Panels:
    """Figure with main map (and city zoom) in ``colours``, neighbours, scale bars and north arrow."""
    from matplotlib.patches import Rectangle

    box = frame.inset
    with_schools = frame.ikcs is not None and frame.overlays.ikcs is None
    fig = _figure(size, title, subtitle, _footer(frame, with_schools or frame.overlays.ikcs is not None),
                  frame.overlays.demonstration)
    rects = _rects(size, box is not None, bool(frame.overlays.demonstration))
    main = _axes(fig, rects["main"])
    set_extent(main, frame.extent)
    inset = None
    if box is not None:
        inset = _axes(fig, rects["inset"], framed=True)
        set_extent(inset, box, pad=0.0)
    labeller = Labeller(fig)
    fonts = FONTS[size]
    for ax in [main] + ([inset] if inset is not None else []):
        _draw_areas(ax, frame, colours, edge, hatch_left)
        _draw_neighbours(ax, frame)
        labeller.block_artists(ax, scalebar(ax, fonts["small"]) + north_arrow(ax))
    if inset is not None:
        main.add_patch(Rectangle((box[0], box[1]), box[2] - box[0], box[3] - box[1], fill=False, edgecolor="#1a1a1a",
                                 lw=1.0, linestyle="--", zorder=15))
        inset.set_title(_inset_title(frame, box), fontsize=fonts["panel"] + 1, loc="left", weight="bold", y=1.0)
    return Panels(fig, main, inset, box, rects, labeller, size)


def _inset_title(frame: MapFrame, box) -> str:
    """'Uitsnede Leeuwarden': the largest kern in the zoom box, else 'Uitsnede stad'."""
    places = orientation(box, frame.config.gemeente.code).places
    return f"Uitsnede {places['naam'].iloc[0]}" if len(places) else "Uitsnede stad"


def _overlay(frame: MapFrame, panels: Panels, extra: dict[str, str] | None = None, ikc_style: str = "status") -> list:
    """Outline and label the aandachtsgebieden (or the top-ranked areas), draw the IKCs, the
    neighbours' names and the place names; return legend handles. ``extra``: text added to an
    area's label (the chance on the probability map); ``ikc_style``: 'status' or 'change'."""
    from matplotlib.lines import Line2D

    fonts, labeller, overlays = FONTS[panels.size], panels.labeller, frame.overlays
    handles = []
    ikc_handles = _draw_ikcs(frame, panels, ikc_style)
    labels = []  # (shape, text, gid, weight)
    if overlays.gebieden is not None:
        if frame.gebied_lines:
            for ax in panels.all:
                outline(ax, frame.gebied_lines, width=1.7, zorder=5, gid="gebied-outline")
        for name, shape in frame.gebied_outlines.items():
            members = overlays.members(name)  # a gebied of one wijk carries that wijk's chance
            text = name + (f" {extra[members[0]]}" if extra and len(members) == 1 and members[0] in extra else "")
            labels.append((shape, text, "gebied-label", "bold"))
        handles.append(Line2D([], [], color="#1a1a1a", lw=1.7, label="aandachtsgebied"))
        named = {members[0] for members in map(overlays.members, overlays.gebied_names()) if len(members) == 1}
    else:
        top = frame.areas[frame.areas["rank"].notna()].sort_values("rank").head(frame.options.label_top)
        for code, row in top.iterrows():
            text = f"{int(row['rank'])}. {row['area_name']}" + (f" {extra[code]}" if extra and code in extra else "")
            labels.append((row.geometry, text, "rank-label", "normal"))
        named = set(top.index)
    for code, text in (extra or {}).items():
        if code not in named and code in frame.areas.index:
            labels.append((frame.areas.geometry[code], f"{frame.areas.at[code, 'area_name']} {text}", "chance-label",
                           "normal"))
    for shape, text, gid, weight in labels:
        for ax, point, part in _label_points(panels, shape):
            labeller.place(Label(ax, text, point.x, point.y, gid, fontsize=fonts["label"], weight=weight, centred=True,
                                 inside=interior_points(part)))
    _name_neighbours(panels.main, frame, labeller, fonts)
    _draw_places(panels.main, frame, labeller, fonts, skip_box=panels.box)
    return handles + ikc_handles


def _label_points(panels: Panels, shape) -> list:
    """Where an area's name goes, as (axes, label point, the part of the area shown there): in the zoom at
    the part of the area inside it (when a fair part is), and on the main map when the area's own label point
    lies outside the zoom box."""
    import shapely

    point = shape.representative_point()
    if panels.inset is None:
        return [(panels.main, point, shape)]
    places = []
    visible = shapely.intersection(shape, shapely.box(*panels.box))
    outside = not _inside(panels.box, [point.x], [point.y])[0]
    if not visible.is_empty and (not outside or visible.area >= 0.15 * shape.area):
        places.append((panels.inset, point if not outside else visible.representative_point(), visible))
    if outside:
        places.append((panels.main, point, shape))
    return places


def _draw_ikcs(frame: MapFrame, panels: Panels, style: str) -> list:
    """IKC markers on every panel (on the main map not inside the zoom box), numbered Plus-IKCs and
    candidates (numbers placed first, beside their marker); return legend handles."""
    from matplotlib.lines import Line2D

    ikcs = frame.ikcs
    if ikcs is None or not len(ikcs):
        return []
    handles, fonts, keyed = [], FONTS[panels.size], frame.keyed
    groups = _ikc_groups(ikcs, style)
    for key, (label, layers, subset) in groups.items():
        placed = subset.dropna(subset=["x_rd", "y_rd"])
        for ax in panels.all:
            shown = placed
            if ax is panels.main and panels.inset is not None:
                shown = placed[~_inside(panels.box, placed["x_rd"], placed["y_rd"])]
            for layer, marker in enumerate(layers):
                ax.scatter(shown["x_rd"], shown["y_rd"], **{"zorder": 12 + 0.1 * layer, **marker}, gid=f"ikc-{key}")
            panels.labeller.block_points(ax, shown["x_rd"].to_numpy(), shown["y_rd"].to_numpy(),
                                         np.sqrt(max(m["s"] for m in layers)) / 2 + 0.5)
        unplaced = len(subset) - len(placed)
        scale = min(1.0, 13 / max(np.sqrt(m["s"]) for m in layers))  # legend markers at most 13 pt
        parts = tuple(Line2D([], [], linestyle="", marker=m["marker"], markersize=np.sqrt(m["s"]) * scale,
                             markerfacecolor=m["facecolor"], markeredgecolor=m["edgecolor"],
                             markeredgewidth=m["linewidths"]) for m in layers)
        handle = parts[0] if len(parts) == 1 else parts
        text = f"{label} ({len(placed)})" + (f"; {unplaced} zonder locatie niet getoond" if unplaced else "")
        handles.append(_Labelled(handle, text))
    if style == "change":
        keyed = _change_keyed(frame)
    for row in keyed.itertuples():
        ax = panels.inset if panels.inset is not None and _inside(panels.box, [row.x_rd], [row.y_rd])[0] else panels.main
        panels.labeller.place(Label(ax, str(row.nr), row.x_rd, row.y_rd, "ikc-label", fontsize=fonts["label"],
                                    weight="bold", gap=6.5))
    return handles


def _ikc_groups(ikcs: pd.DataFrame, style: str) -> dict:
    """Marker groups: by status, or (change map) Plus-IKCs by what changed and the others as dots."""
    if style == "status":
        return {s: (IKC_LABELS[s], [IKC_STYLE[s]], ikcs[ikcs["status"] == s])
                for s in ("other", "candidate", "plus-ikc") if (ikcs["status"] == s).any()}
    change = text_column(ikcs, "continuity").map(plus_change)
    change = change.where((ikcs["status"] == "plus-ikc") | (change == "eraf"))
    groups = {"other": (IKC_LABELS["other"], [IKC_STYLE["other"]], ikcs[change.isna()])}
    for key, (label, marker) in PLUS_CHANGE_STYLE.items():
        if (change == key).any():
            groups[key] = (label, marker, ikcs[change == key])
    return groups


def _change_keyed(frame: MapFrame) -> pd.DataFrame:
    """The numbered IKCs of the change map: Plus-IKCs of this round and those that ended."""
    ikcs = frame.ikcs
    change = text_column(ikcs, "continuity").map(plus_change)
    chosen = ikcs[((ikcs["status"] == "plus-ikc") | (change == "eraf"))].dropna(subset=["x_rd", "y_rd"]).copy()
    chosen["change"] = change[chosen.index]
    order = {"nieuw": 0, "blijft": 1, "eraf": 2}
    chosen = chosen.sort_values(["change", "name"], key=lambda s: s.map(order) if s.name == "change" else s)
    chosen["nr"] = np.arange(1, len(chosen) + 1)
    return chosen


KEY_HEADINGS = {"plus-ikc": "Plus-IKC's", "candidate": "In aanmerking, niet gekozen", "nieuw": "Nieuw Plus-IKC",
                "blijft": "Blijft Plus-IKC", "eraf": "Geen Plus-IKC meer"}
SHORT_HEADINGS = {"In aanmerking, niet gekozen": "Niet gekozen"}  # in a key of two columns
SCHOOL_WORDS = (("Openbare Basisschool", "OBS"), ("Basisschool", "bs"), ("Katholieke", "kath."),
                ("Christelijke", "chr."), ("Gereformeerde", "geref."), ("Protestants", "prot."))
"""The abbreviations schools use themselves (OBS, bs), applied to the names in a key of two columns."""


def short_ikc_name(name: str) -> str:
    """``name`` with the school-type words of :data:`SCHOOL_WORDS` abbreviated (any case), for a key
    whose columns are too narrow for the full name: 'Katholieke Basisschool de Wegwijzer' ->
    'kath. bs de Wegwijzer'."""
    import re

    for word, short in SCHOOL_WORDS:
        name = re.sub(rf"\b{word}\b", short, name, flags=re.IGNORECASE)
    return name


def _key_lines(frame: MapFrame, keyed: pd.DataFrame, change: bool = False) -> list[tuple[str, str, bool]]:
    """The numbered IKCs as (text, short text, is_heading): a heading per group, then
    '1 obs Eestroom Brandemeer (Vrijheidswijk)' per IKC (the gebied, else the area, it stands in);
    the short text, for a key in two columns, leaves out where it stands, abbreviates the school-type
    words (:func:`short_ikc_name`) and shortens the headings (:data:`SHORT_HEADINGS`)."""
    names = frame.run.matrix.areas["area_name"]  # every area, drawn or not
    gebied = frame.overlays.gebied_of()
    lines, heading = [], None
    for row in keyed.itertuples():
        group = KEY_HEADINGS[row.change if change else row.status]
        if group != heading:
            lines.append((group, SHORT_HEADINGS.get(group, group), True))
            heading = group
        area = getattr(row, "area_code", "")
        area = area if isinstance(area, str) else ""
        where = gebied.get(area) or names.get(area, "")
        lines.append((f"{row.nr} {row.name}" + (f" ({where})" if where else ""),
                      f"{row.nr} {short_ikc_name(row.name)}", False))
    return lines


@dataclass
class _Labelled:
    """A legend entry whose handle is a tuple of markers drawn on top of each other."""

    handle: object
    label: str


def key_layout(lines: int, start: float, size: str, fontsize: float) -> tuple[float, int, int]:
    """(font size, rows per column, columns) of an IKC key of ``lines`` lines that starts at figure
    height ``start`` and may run down to 0.055: one column at the legend's font size if it fits, else
    one column half a point smaller, else two columns at that size (whose names are shortened)."""
    def rows_at(points: float) -> int:
        return int((start - 0.055) / (points * 1.4 / 72 / SIZES[size][1]))

    if lines <= rows_at(fontsize):
        return fontsize, rows_at(fontsize), 1
    fontsize -= 0.5
    return fontsize, rows_at(fontsize), 1 if lines <= rows_at(fontsize) else 2


def _legend(panels: Panels, handles: list, title: str, key: list[tuple[str, str, bool]]) -> None:
    """The legend and, below or beside it, the key to the numbered IKCs (in two columns when long)."""
    fig, size, fonts = panels.fig, panels.size, FONTS[panels.size]
    x, top = panels.rects["side"][0], panels.rects["side"][1]
    inset = panels.inset is not None
    room = (panels.rects["side"][2] if inset or size == "slide" else 0.45) * SIZES[size][0] * 72
    chars = int((room - 30) / (fonts["legend"] * 0.56))
    from matplotlib.legend_handler import HandlerTuple

    labels = [textwrap.fill(h.label if isinstance(h, _Labelled) else h.get_label(), chars, break_on_hyphens=False)
              for h in handles]
    handles = [h.handle if isinstance(h, _Labelled) else h for h in handles]
    legend = add_legend(fig, handles, labels, title=title, loc="upper left", bbox_to_anchor=(x, top), frameon=False,
                        handler_map={tuple: HandlerTuple(ndivide=None, pad=0)},
                        fontsize=fonts["legend"], title_fontsize=fonts["legend"] + 0.5, alignment="left",
                        borderaxespad=0.0, handlelength=1.6, labelspacing=0.45)
    legend.get_title().set_weight("bold")
    if not key:
        return
    box = legend.get_window_extent(fig.canvas.get_renderer()).transformed(fig.transFigure.inverted())
    if inset or size == "slide":
        left, start, right = x, box.y0 - 0.015, 0.985
    else:
        left, start, right = max(box.x1 + 0.03, 0.5), top, 0.985
    fontsize, rows, columns = key_layout(len(key), start, size, fonts["legend"])
    step = fontsize * 1.4 / 72 / SIZES[size][1]
    width = (right - left) / columns
    chars = int(width * SIZES[size][0] * 72 / (fontsize * 0.55))
    printed = key_rows(key, chars, rows, columns)
    if len(printed) > rows * columns:  # the last row says how many more (only in two columns: a row per entry)
        left_out = sum(not heading for _, _, heading in key[rows * columns - 1:])
        printed = printed[:rows * columns - 1] + [(f"… en nog {left_out}, zie rapport", False)]
    for position, (text, heading) in enumerate(printed):
        column, row = divmod(position, rows)
        fig.text(left + column * width, start - row * step, text,
                 fontsize=fontsize, weight="bold" if heading else "normal", va="top", ha="left", gid="ikc-key")


def key_rows(key: list[tuple[str, str, bool]], chars: int, rows: int, columns: int) -> list[tuple[str, bool]]:
    """The printed rows of an IKC key (:func:`_key_lines`) as (text, is_heading), at most ``chars``
    characters each. In one column a long entry runs on to indented lines as long as the ``rows``
    leave room (the entries in key order); an entry without room, and every entry of a key in two
    columns (which use the short texts), is one row, cut with '…'."""
    if columns == 2:
        return [(textwrap.shorten(short, chars, placeholder="…"), heading) for _, short, heading in key]
    spare, out = rows - len(key), []
    for text, _, heading in key:
        lines = textwrap.wrap(text, chars, subsequent_indent="    ", break_on_hyphens=False) or [""]
        if len(lines) - 1 <= spare:
            spare -= len(lines) - 1
            out += [(line, heading) for line in lines]
        else:
            out.append((textwrap.shorten(text, chars, placeholder="…"), heading))
    return out


def _class_handles(colours: list, labels: list[str], frame: MapFrame, hatch_first: bool = False) -> list:
    """Legend patches per class, then the hatched 'niet gescoord' / 'geen gegevens' patches with their
    counts when any area lacks a score."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=c, edgecolor="#777777", lw=0.4, label=label) for c, label in zip(colours, labels)]
    kinds = frame.unscored()
    one, many, _ = area_words(frame.config.level)
    for kind, style in NO_SCORE.items():
        count = int((kinds == kind).sum())
        if not count:
            continue
        handles.append(Patch(label=f"{unscored_text(frame, kind)} ({count} {one if count == 1 else many})", lw=0.4, **style))
    if len(frame.undrawn):
        handles.append(Patch(facecolor="none", edgecolor="none", label=undrawn_label(frame)))
    return handles


UNDRAWN_SHOWN = 4  # at most this many undrawn areas named in a legend, the best ranked first


def undrawn_label(frame: MapFrame) -> str:
    """'niet op de kaart, geen grens in het kaartbestand: Wijk A (rang 2, aandachtsgebied), Wijk B (niet
    gescoord)', wrapped for the legend; more than :data:`UNDRAWN_SHOWN` are counted."""
    rows = frame.undrawn.sort_values("rank", na_position="last")
    designated = frame.overlays.gebied_of()

    def status(code, rank) -> str:
        text = f"rang {int(rank)}" if pd.notna(rank) else "niet gescoord"
        return text + (", aandachtsgebied" if code in designated else "")

    names = [f"{row.area_name} ({status(row.Index, row.rank)})" for row in rows.head(UNDRAWN_SHOWN).itertuples()]
    if len(rows) > UNDRAWN_SHOWN:
        names.append(f"en {len(rows) - UNDRAWN_SHOWN} andere")
    text = f"niet op de kaart, geen grens in het kaartbestand: {', '.join(names)}"
    return textwrap.fill(text, 52, break_on_hyphens=False)


def score_map(frame: MapFrame, size: str | None = None):
    """The Aandachtsscore in classes (see module docstring)."""
    size = size or frame.options.size
    classed = score_classes(frame)
    colours = [classed.colours[c] if c >= 0 else None for c in classed.classes]
    level = frame.config.level
    subtitle = (f"{frame.config.gemeente.name}, {frame.round_text()} · per {level}: 0 = minste, 100 = meeste aandacht "
                f"nodig · klassen: {CLASSIFICATIONS[frame.options.classes]}")
    name = frame.config.framework.index.label
    panels = _base(frame, colours, f"{name} per {level}", subtitle, size)
    handles = _class_handles(classed.colours, classed.labels, frame)
    handles += _overlay(frame, panels)
    _legend(panels, handles, f"{name}\n(hoger = meer aandacht nodig)", _key_lines(frame, frame.keyed))
    return panels.fig


PROBABILITY_CLASSES = ((0.05, "(vrijwel) nooit: minder dan 5%"), (0.5, "soms: 5 tot 50%"), (0.95, "vaak: 50 tot 95%"),
                       (np.inf, "(vrijwel) altijd: 95% of meer"))


def probability_map(frame: MapFrame, size: str | None = None):
    """Chance of designation per area in four classes; percentages printed between 5% and 95%."""
    size = size or frame.options.size
    table = frame.overlays.robustness
    if table is None:
        raise ValueError("probability_map needs overlays.robustness")
    p = table.set_index("area_code")["p_designated"].reindex(frame.areas.index)
    bounds = np.array([b for b, _ in PROBABILITY_CLASSES])
    classes = np.where(p.isna(), -1, np.searchsorted(bounds, p.fillna(0).to_numpy(), side="right"))
    colours_by_class = palette(frame.options.palette, len(PROBABILITY_CLASSES))
    colours = [colours_by_class[int(c)] if c >= 0 else None for c in classes]
    near = p[(p >= 0.05) & (p < 0.95)]
    extra = {code: f"{100 * value:.0f}%" for code, value in near.items()}
    subtitle = (f"{frame.config.gemeente.name}, {frame.round_text()} · in hoeveel van de verdedigbare methodekeuzes "
                f"een {frame.config.level} aandachtsgebied wordt; percentage bij de twijfelgevallen")
    panels = _base(frame, colours, "Kans op aanwijzing als aandachtsgebied", subtitle, size)
    handles = _class_handles(colours_by_class, [label for _, label in PROBABILITY_CLASSES], frame)
    handles += _overlay(frame, panels, extra)
    _legend(panels, handles, "Kans op aanwijzing", _key_lines(frame, frame.keyed))
    return panels.fig


def change_map(frame: MapFrame, size: str | None = None):
    """Entered / stayed / left per area against the previous round, and the Plus-IKC changes."""
    from matplotlib.patches import Patch

    size = size or frame.options.size
    table = frame.overlays.changes
    if table is None:
        raise ValueError("change_map needs overlays.changes")
    change = table.set_index("area_code")["change"].reindex(frame.areas.index).fillna("none")
    colours = [CHANGE_COLOURS[c] for c in change]
    ov = frame.overlays
    old, new = ov.previous_year or "vorige ronde", ov.round_year or "deze ronde"
    subtitle = (f"{frame.config.gemeente.name}: aandachtsgebieden en Plus-IKC's van herijking {new} vergeleken met "
                f"herijking {old}")
    panels = _base(frame, colours, f"Wat veranderde: {old} \u2192 {new}", subtitle, size, edge="#b5b5b5",
                   hatch_left=list((change == "left").to_numpy()))
    counts = change.value_counts()
    handles = [Patch(facecolor=CHANGE_COLOURS[c], edgecolor="#777777", lw=0.4, hatch="...." if c == "left" else None,
                     label=f"{CHANGE_LABELS[c]} ({int(counts.get(c, 0))})") for c in ("entered", "stayed", "left", "none")
               if counts.get(c, 0) or c == "none"]
    handles += _class_handles([], [], frame)  # the hatched areas without a score, as on the score map
    handles += _overlay(frame, panels, ikc_style="change")
    keyed = _change_keyed(frame) if frame.ikcs is not None and "continuity" in frame.ikcs.columns else frame.keyed.iloc[0:0]
    _legend(panels, handles, f"Aandachtsgebied {old} \u2192 {new}", _key_lines(frame, keyed, change=True))
    return panels.fig


def _multiples(frame: MapFrame, panels_spec: list[dict], title: str, subtitle: str, size: str, shared=None):
    """Small multiples, one panel per spec {column, title, colours, bins, minimum, unit, direction};
    with ``shared`` (bins, minimum, colours, title) one legend for all panels, else a legend per panel."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fonts = FONTS[size]
    fig = _figure(size, title, subtitle, _footer(frame, False), frame.overlays.demonstration)
    outlines = frame.gebied_outlines
    handles = []
    if shared:
        handles = [Patch(facecolor=c, edgecolor="#777777", lw=0.4, label=label)
                   for c, label in zip(shared["palette"], shared["labels"])]
    handles += _class_handles([], [], frame)
    scored = (frame.unscored() == "").to_numpy()
    if any(c is None and s for spec in panels_spec for c, s in zip(spec["colours"], scored)):
        one, _, article = area_words(frame.config.level)
        handles.append(Patch(label=f"geen cijfer (bijvoorbeeld geen school in {article} {one})",
                             lw=0.4, **NO_SCORE["nodata"]))
    if outlines:
        handles.append(Line2D([], [], color="#1a1a1a", lw=1.1, label="aandachtsgebied (letter: zie de lijst)"))
    legend_top = _above_source(fig)
    if handles:
        legend = add_legend(fig, handles, title=shared["title"] if shared else None, loc="lower left",
                            bbox_to_anchor=(0.03, legend_top), ncol=2 if size == "a4" else 4, frameon=False,
                            fontsize=fonts["legend"], title_fontsize=fonts["legend"], alignment="left")
        legend_top = legend.get_window_extent(fig.canvas.get_renderer()).transformed(fig.transFigure.inverted()).y1
    raised = _gebied_key(fig, frame, size, legend_top)
    count = len(panels_spec)
    ncols = (2 if count <= 4 else 3) if size == "a4" else min(count, 4 if count <= 8 else 5)
    nrows = int(np.ceil(count / ncols))
    top = (0.885 if size == "a4" else 0.8) - (DEMO_SPACE[size] if frame.overlays.demonstration else 0)
    bottom = (0.14 if shared else 0.17) + raised
    grid = fig.add_gridspec(nrows, ncols, left=0.02, right=0.98, top=top, bottom=bottom,
                            hspace=0.3 if shared else 0.62, wspace=0.05)
    labeller = Labeller(fig)
    inside = {name: interior_points(outlines[name]) for name in frame.gebied_letters}
    for position, spec in enumerate(panels_spec):
        ax = fig.add_subplot(grid[position // ncols, position % ncols], axes_class=map_axes())
        ax.set_axis_off()
        ax.set_aspect("equal", adjustable="datalim")
        set_extent(ax, frame.extent)
        _draw_areas(ax, frame, spec["colours"])
        if frame.gebied_lines:
            outline(ax, frame.gebied_lines, width=1.1, zorder=5, gid="gebied-outline")
        for name, letter in frame.gebied_letters.items():
            point = outlines[name].representative_point()
            labeller.place(Label(ax, letter, point.x, point.y, "gebied-letter", fontsize=fonts["label"], weight="bold",
                                 centred=True, inside=inside[name]))
        ax.set_title(textwrap.fill(spec["title"], 40), fontsize=fonts["panel"], loc="left", y=1.0)
        if not shared:
            patches = [Patch(facecolor=c, edgecolor="#777777", lw=0.4, label=label)
                       for c, label in zip(spec["palette"], spec["labels"])]
            add_legend(ax, patches, loc="upper left", bbox_to_anchor=(0.0, -0.01), ncol=2, frameon=False,
                       fontsize=fonts["small"], title=spec["unit"], title_fontsize=fonts["small"],
                       alignment="left", handlelength=1.2, columnspacing=0.8, borderaxespad=0.0)
    return fig


def _above_source(fig, gap_points: float = 4.0) -> float:
    """The figure height just above the source line (its wrapped lines grow with the number of sources), with
    ``gap_points`` between: where the legend of the small multiples starts, so that it never touches it."""
    source = next(text for text in fig.texts if text.get_gid() == "source")
    top = source.get_window_extent(fig.canvas.get_renderer()).transformed(fig.transFigure.inverted()).y1
    return top + gap_points / 72 / fig.get_figheight()


def _gebied_key(fig, frame: MapFrame, size: str, bottom: float) -> float:
    """The key to the letters of the aandachtsgebieden on the small multiples ('A Wandelbos Noord'), in
    columns from figure height ``bottom`` up; returns the height it takes (0 without gebieden)."""
    letters = frame.gebied_letters
    if not letters:
        return 0.0
    fonts = FONTS[size]
    columns = min(len(letters), 3 if size == "a4" else 5)
    rows = int(np.ceil(len(letters) / columns))
    step = fonts["legend"] * 1.35 / 72 / SIZES[size][1]
    width = 0.94 / columns
    chars = int(width * SIZES[size][0] * 72 / (fonts["legend"] * 0.56))
    top = bottom + 0.008 + (rows + 1) * step
    fig.text(0.03, top, "Aandachtsgebieden", fontsize=fonts["legend"], weight="bold", va="top", gid="gebied-key")
    for position, (name, letter) in enumerate(letters.items()):
        column, row = divmod(position, rows)
        fig.text(0.03 + column * width, top - (row + 1) * step, textwrap.shorten(f"{letter} {name}", chars, placeholder="…"),
                 fontsize=fonts["legend"], va="top", gid="gebied-key")
    return top - bottom


def domain_maps(frame: MapFrame, size: str | None = None):
    """One panel per domain (child of the index), all in the same classes: ``maps.k`` equal
    intervals from the lowest to the highest domain score."""
    size = size or frame.options.size
    tree = frame.run.result.tree
    domains = list(tree.groups[-1].children)
    nominal = tree.nominal_effective_weights()
    values = frame.areas[[f"node:{d}" for d in domains]].to_numpy(dtype="float64")
    bins = equal_intervals(values, frame.options.k)
    minimum = float(np.nanmin(values))
    colours_by_class = palette(frame.options.palette, len(bins))
    specs = []
    for domain in domains:
        column = frame.areas[f"node:{domain}"]
        classes = np.where(column.isna(), -1, _bin(column.fillna(minimum).to_numpy(), bins))
        weight = sum(w for leaf, w in nominal.items() if domain in tree.path(leaf))
        specs.append({"title": f"{tree.labels[domain]} (weegt {dutch_number(100 * weight, 0)}%)",
                      "colours": [colours_by_class[c] if c >= 0 else None for c in classes]})
    shared = {"palette": colours_by_class, "labels": class_labels(bins, minimum, decimals_for(bins, minimum)),
              "title": "Domeinscore (hoger = meer aandacht nodig)"}
    subtitle = (f"{frame.config.gemeente.name}, {frame.round_text()} · de onderdelen van de {lower_first(frame.config.framework.index.label)}; "
                "één kleurschaal voor alle domeinen")
    return _multiples(frame, specs, f"{frame.config.framework.index.label} per domein", subtitle, size, shared)


def reference_label(label: str, year: str, gemeente: float, nederland: float, below: int = 0) -> str:
    """'Jongeren met jeugdzorg (2023; gemeente 13,2; NL 10,9)': a panel title with the year and the reference
    values the inputs hold. ``below``: the values count people (an indicator whose unit counts them), and
    one under ``report.suppress_below`` reads '<10', as in every other output for the overleg."""
    parts = [year] if year else []
    parts += [f"{name} {f'<{below}' if value < below else number_nl(value)}"
              for name, value in (("gemeente", gemeente), ("NL", nederland)) if not np.isnan(value)]
    return f"{label} ({'; '.join(parts)})" if parts else label


def indicator_maps(frame: MapFrame, size: str | None = None):
    """One panel per indicator, in its own quantile classes and units; darker = more attention needed. Each
    title gives the year and, where the inputs hold them, the gemeente and Nederland values."""
    from ..decide.designate import gemeente_values, national_values

    size = size or frame.options.size
    options = frame.options.model_copy(update={"classes": "quantiles", "k": min(frame.options.k, 4)})
    gemeente, nederland = gemeente_values(frame.run), national_values(frame.run)
    specs = []
    for indicator in frame.config.framework.indicators:
        values = frame.areas[f"value:{indicator.id}"]
        bins, classes = classify(values, options)
        colours_by_class = palette(frame.options.palette, len(bins))
        if indicator.direction < 0:
            colours_by_class = colours_by_class[::-1]
        minimum = float(values.min())
        year = frame.config.inputs[indicator.input].period if indicator.input in frame.config.inputs else ""
        below = frame.config.report.suppress_below if is_count_unit(indicator.unit) else 0
        specs.append({"title": reference_label(indicator.label, year, gemeente[indicator.id], nederland[indicator.id], below),
                      "colours": [colours_by_class[c] if c >= 0 else None for c in classes],
                      "palette": colours_by_class, "labels": class_labels(bins, minimum, decimals_for(bins, minimum), below),
                      "unit": indicator.unit + ("" if indicator.direction > 0 else " (lager = meer aandacht nodig)")})
    subtitle = (f"{frame.config.gemeente.name}, {frame.round_text()} · de indicatoren zoals gepubliceerd; "
                "donkerder = meer aandacht nodig")
    return _multiples(frame, specs, "Indicatoren", subtitle, size)


def map_builders(frame: MapFrame, size: str | None = None) -> dict[str, Callable[[], object]]:
    """Every map the inputs allow: file name -> function that builds its figure. (The orientation
    layers are read when first needed; ``draw_all(..., prepare=load_layers)`` reads them before a fork,
    once for both processes.)"""
    builders = {"kaart-score": score_map, "kaart-domeinen": domain_maps, "kaart-indicatoren": indicator_maps}
    if frame.overlays.robustness is not None:
        builders["kaart-kans"] = probability_map
    if frame.overlays.changes is not None:
        builders["kaart-verandering"] = change_map
    return {name: partial(_plain_text, build, frame, size) for name, build in builders.items()}


# The fonts of an A4 map's labels, legend titles and zoom title: (size in FONTS plus points, weight, style).
WARM_FONTS = ((("small", 0), "normal", "normal"), (("label", 0), "normal", "normal"), (("label", 0), "bold", "normal"),
              (("label", 0), "normal", "italic"), (("legend", 0.5), "bold", "normal"), (("panel", 1), "bold", "normal"))


def warm_up(dpi: int = 200) -> None:
    """Pay now what a process's first map pays once, in a process that has time before its maps can be
    built (the second process of a herijking, :func:`aandacht.present.drawing.start_drawer`, while the
    first loads the config and computes the round; it reads the orientation layers, :func:`load_layers`,
    first): matplotlib's first use: the font lookup and font files of each weight, a text laid out and drawn,
    as pixels and as a path with a white halo, a legend, a hatched collection and a marker (a first map
    costs 0.05 to 0.08 s more than a later one without)."""
    import matplotlib
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.path import Path

    with matplotlib.rc_context({"figure.dpi": dpi, "text.parse_math": False}):
        fig = _figure("a4", "Kaart", "Ondertitel", "Bron", [])
        ax = _axes(fig, [0.1, 0.3, 0.8, 0.6])
        set_extent(ax, (0.0, 0.0, 1.0, 1.0))
        draw_paths(ax, [Path([(0.1, 0.1), (0.9, 0.1), (0.5, 0.9), (0.1, 0.1)], closed=True)], "#e3e3e3",
                   hatch=NO_SCORE["nodata"]["hatch"])
        ax.plot([0.5], [0.5], marker="*", markersize=9, color="white", markeredgecolor="#1a1a1a")
        fonts = FONTS["a4"]  # the fonts of the maps' texts not in the figure's own (the footer, subtitle, title)
        for fontsize, weight, style in WARM_FONTS:
            Labeller(fig).place(Label(ax, "Aa", 0.5, 0.5, "gebied-label", fontsize=fonts[fontsize[0]] + fontsize[1],
                                      weight=weight, style=style, centred=True))
        add_legend(fig, [Patch(facecolor="#777777", label="klasse"), Line2D([], [], color="#1a1a1a", label="lijn")],
                   title="Legenda", fontsize=FONTS["a4"]["legend"])
        fig.canvas.draw()


def _plain_text(build: Callable, frame: MapFrame, size: str | None):
    """The figure of ``build``, every text of it taken as plain text: matplotlib reads text between
    two ``$`` as mathtext (a TeX subset), so a wijk or school name such as ``Ring $\\foo$`` would be
    drawn as a formula or stop the drawing with a parse error. ``text.parse_math`` is fixed on each
    text when it is made, so building the figure under it covers titles, labels, legends and keys."""
    import matplotlib

    with matplotlib.rc_context({"text.parse_math": False}):
        return build(frame, size)


def render_maps(frame: MapFrame, size: str | None = None) -> dict[str, object]:
    """All maps the inputs allow: name -> figure."""
    return {name: build() for name, build in map_builders(frame, size).items()}
