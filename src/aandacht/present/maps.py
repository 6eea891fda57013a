"""Maps for the bestuurlijk overleg (matplotlib, EPSG:28992), labelled in Dutch.

Every map is a fixed-size figure (A4 portrait 8.27 x 11.69 in, or a 16:9 slide
13.33 x 7.5 in) with a title, a legend, a scale bar, the date, the source line and,
when demonstration data are shown, a mark saying so on the map itself.

* :func:`score_map`: choropleth of the composite score. Classes come from mapclassify
  (quantiles, Fisher-Jenks natural breaks, or fixed upper bounds from the config);
  areas without a score are hatched grey ("geen gegevens"), never coloured as low.
  Aandachtsgebieden are outlined and labelled, IKCs drawn as markers.
* :func:`domain_maps` / :func:`indicator_maps`: small multiples, one panel per domain or
  indicator; darker always means more risk (the palette is reversed for direction -1).
* :func:`probability_map`: probability of designation in classes of 20 percentage points.
* :func:`change_map`: entered / left / stayed against the previous round.

City zoom: when the densest half of the areas (households with children per km2 from
the population gate, or 1 / area without one) fits in a box covering at most
``maps.inset_max_share`` of the whole map, that box is drawn again enlarged next to
the map, so the small city wijken stay readable beside large rural ones.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import Config, MapOptions
from ..config.choices import CLASSIFICATIONS, check_implemented
from ..dutch import dutch_date, dutch_number, number_nl
from ..errors import DataError
from ..scoring.run import ScoreRun
from .overlays import CHANGE_LABELS, IKC_LABELS, Overlays, schools_as_ikcs

SIZES = {"slide": (13.333, 7.5), "a4": (8.27, 11.69)}
NO_DATA = {"facecolor": "#e3e3e3", "hatch": "////", "edgecolor": "#9a9a9a"}
# Okabe-Ito colours (colour-blind safe) for the categorical change map.
CHANGE_COLOURS = {"entered": "#E69F00", "left": "#56B4E9", "stayed": "#0072B2", "none": "#f4f4f4"}
ATTRIBUTION = {
    "kwb": "CBS/Kadaster (CC BY 4.0)",
    "school_scores": "CBS achterstandsscores (CC BY 4.0), DUO",
}
OSM = "coördinaten scholen © OpenStreetMap-bijdragers (ODbL)"
DEMONSTRATION_PARTS = {"gebieden": "aandachtsgebieden", "ikcs": "IKC-status", "robustness": "kansen",
                       "changes": "veranderingen"}


@dataclass
class MapFrame:
    """The geometry of the scored level joined with everything the maps show."""

    areas: object  # GeoDataFrame indexed by area_code
    run: ScoreRun
    overlays: Overlays
    options: MapOptions

    @property
    def config(self) -> Config:
        return self.run.config


def map_frame(run: ScoreRun, overlays: Overlays | None = None, options: MapOptions | None = None) -> MapFrame:
    """Join geometry (registry, EPSG:28992), scores, ranks, domain scores and indicator values."""
    geometry = run.registry.geometry()
    codes = list(run.matrix.areas.index)
    lacking = [c for c in codes if c not in geometry.index]
    if lacking:
        raise DataError(f"{run.registry.geometry_path}: no geometry for {len(lacking)} {run.config.level} area(s), "
                        f"for example {lacking[:3]}; give a geometry file of level '{run.config.level}' in areas.geometry")
    areas = geometry.loc[codes, ["geometry"]].copy()
    areas["area_name"] = run.matrix.areas.loc[codes, "area_name"]
    areas["population"] = run.matrix.areas.loc[codes, "population"]
    areas["score"] = run.result.index.reindex(codes)
    areas["rank"] = run.result.rank.reindex(codes)
    for column in run.result.nodes.columns:
        areas[f"node:{column}"] = run.result.nodes[column].reindex(codes)
    for column in run.result.normalised.columns:  # an indicator directly under the index is a domain too
        areas[f"node:{column}"] = run.result.normalised[column].reindex(codes)
    for column in run.matrix.values.columns:
        areas[f"value:{column}"] = run.matrix.values[column].reindex(codes)
    return MapFrame(areas, run, overlays or Overlays(), options or run.config.maps)


def default_ikcs(config: Config) -> pd.DataFrame | None:
    """The schools of the config's school input as IKC points (status ``other``), if any."""
    from ..inputs.sources.schools import read_schools

    specs = [spec for spec in config.inputs.values() if spec.loader == "school_scores"]
    return schools_as_ikcs(read_schools(specs[0])) if specs else None


def source_line(config: Config, overlays: Overlays, with_schools: bool) -> str:
    """'Bron: ...' from the inputs' loaders (or ``maps.source_line`` from the config)."""
    if config.maps.source_line:
        return config.maps.source_line
    parts = list(dict.fromkeys(spec.attribution or ATTRIBUTION.get(spec.loader, spec.source) for spec in config.inputs.values()))
    if with_schools:
        parts.append(OSM)
    return "Bron: " + "; ".join(parts) + "; bewerking: aandacht"


# --- classification --------------------------------------------------------------

# The classifications of the registry (aandacht.config.choices.CLASSIFICATIONS): the mapclassify
# classifier and how it is called with the values, the number of classes k and the fixed breaks.
CLASSIFIERS = {
    "quantiles": lambda mapclassify, values, k, breaks: mapclassify.Quantiles(values, k=k),
    "fisher_jenks": lambda mapclassify, values, k, breaks: mapclassify.FisherJenks(values, k=k),
    "fixed": lambda mapclassify, values, k, breaks: mapclassify.UserDefined(values, bins=breaks),
}
check_implemented("map classification", CLASSIFICATIONS, CLASSIFIERS)


def classify(values: pd.Series, options: MapOptions) -> tuple[np.ndarray, np.ndarray]:
    """Class upper bounds and class index per value (-1 = no value), by mapclassify."""
    import warnings

    import mapclassify

    present = values.dropna().to_numpy(dtype="float64")
    classes = np.full(len(values), -1)
    k = min(options.k, len(np.unique(present)))
    with warnings.catch_warnings():  # Fisher-Jenks warns that the optional numba speed-up is absent
        warnings.filterwarnings("ignore", message="Numba not installed")
        scheme = CLASSIFIERS[options.classes](mapclassify, present, k, list(options.breaks))
    classes[values.notna().to_numpy()] = scheme.yb
    return np.asarray(scheme.bins, dtype="float64"), classes


def class_labels(bins: np.ndarray, minimum: float, decimals: int = 1) -> list[str]:
    """'12,7 - 20,3' per class: from the previous upper bound (or the minimum) to the bound."""
    lower = [minimum, *bins[:-1]]
    return [f"{dutch_number(lo, decimals)} \u2013 {dutch_number(hi, decimals)}" for lo, hi in zip(lower, bins)]


def palette(name: str, count: int) -> list:
    import matplotlib

    cmap = matplotlib.colormaps[name]
    return [cmap(x) for x in np.linspace(0.12, 0.95, count)]


# --- layout -----------------------------------------------------------------------

def dense_extent(areas, max_share: float) -> tuple[float, float, float, float] | None:
    """Bounding box of the densest half of the areas, if it covers at most ``max_share``
    of the whole bounding box (see module docstring); else ``None``."""
    surface = areas.geometry.area
    population = areas["population"]
    density = population / surface if population.notna().all() else 1.0 / surface
    dense = areas[density >= density.median()]
    x0, y0, x1, y1 = dense.total_bounds
    pad_x, pad_y = 0.06 * (x1 - x0), 0.06 * (y1 - y0)
    box = (x0 - pad_x, y0 - pad_y, x1 + pad_x, y1 + pad_y)
    fx0, fy0, fx1, fy1 = areas.total_bounds
    share = (box[2] - box[0]) * (box[3] - box[1]) / ((fx1 - fx0) * (fy1 - fy0))
    return box if share <= max_share else None


def _figure(size: str, title: str, subtitle: str, footer: str, demonstration: list[str]):
    """A fixed-size figure with title, subtitle, footer (source line and date) and demo mark.

    The figure is not registered with pyplot (no global state to close, nothing shown twice
    in a notebook); it renders through the Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=SIZES[size])
    FigureCanvasAgg(fig)
    top = 0.975 if size == "a4" else 0.965
    fig.text(0.03, top, title, fontsize=15 if size == "a4" else 18, weight="bold", va="top", gid="title")
    fig.text(0.03, top - (0.025 if size == "a4" else 0.055), subtitle, fontsize=9 if size == "a4" else 11,
             va="top", color="#333333", gid="subtitle")
    fig.text(0.03, 0.012, textwrap.fill(footer, 150 if size == "a4" else 200, break_on_hyphens=False), fontsize=6.5 if size == "a4" else 8,
             color="#444444", va="bottom", gid="source")
    if demonstration:
        parts = ", ".join(DEMONSTRATION_PARTS.get(d, d) for d in demonstration)
        fig.text(0.5, top - (0.05 if size == "a4" else 0.1),
                 f"DEMONSTRATIEGEGEVENS – {parts}: fictief, niet voor besluitvorming",
                 fontsize=8.5, color="#b00000", weight="bold", ha="center", va="top", gid="demonstration",
                 bbox={"facecolor": "white", "edgecolor": "#b00000", "boxstyle": "round,pad=0.3"})
    return fig


DEMO_SPACE = {"a4": 0.03, "slide": 0.06}


def _panel_rects(size: str, inset: bool, demonstration: bool) -> dict[str, list[float]]:
    """Axes rectangles (figure fractions) for main map, inset and the legend anchor; lowered
    at the top to leave room for the demonstration banner when there is one."""
    rects = _layout(size, inset)
    if demonstration:
        rects["main"][3] -= DEMO_SPACE[size]
        if size == "slide" and inset:
            rects["inset"][3] -= DEMO_SPACE[size]
    return rects


def _layout(size: str, inset: bool) -> dict[str, list[float]]:
    if size == "a4":
        if inset:
            return {"main": [0.03, 0.45, 0.94, 0.47], "inset": [0.03, 0.06, 0.56, 0.37], "legend": [0.62, 0.43]}
        return {"main": [0.03, 0.25, 0.94, 0.67], "legend": [0.05, 0.23]}
    if inset:
        return {"main": [0.02, 0.07, 0.40, 0.80], "inset": [0.43, 0.07, 0.38, 0.80], "legend": [0.82, 0.87]}
    return {"main": [0.02, 0.07, 0.62, 0.80], "legend": [0.68, 0.87]}


def _axes(fig, rect):
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    ax.set_aspect("equal")
    return ax


def _nice_length(span: float) -> float:
    """A round scale-bar length (1, 2 or 5 x 10^n metres) of about a fifth of ``span``."""
    target = span / 5
    power = 10 ** np.floor(np.log10(target))
    return float(max(m * power for m in (1, 2, 5) if m * power <= target))


def add_scalebar(ax) -> None:
    """Two-segment scale bar in the lower left (map units are metres in EPSG:28992), and a north arrow."""
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice_length(x1 - x0)
    left, base, height = x0 + 0.04 * (x1 - x0), y0 + 0.03 * (y1 - y0), 0.008 * (y1 - y0)
    for part, colour in ((0, "black"), (1, "white")):
        ax.add_patch(Rectangle((left + part * length / 2, base), length / 2, height,
                               facecolor=colour, edgecolor="black", lw=0.6))
    label = f"{length / 1000:g} km".replace(".", ",") if length >= 1000 else f"{length:g} m"
    ax.text(left, base + 2 * height, "0", fontsize=7, ha="center", va="bottom", gid="scalebar")
    ax.text(left + length, base + 2 * height, label, fontsize=7, ha="center", va="bottom", gid="scalebar")
    ax.annotate("N", xy=(0.96, 0.97), xytext=(0.96, 0.89), xycoords="axes fraction", ha="center", va="center",
                fontsize=9, weight="bold", arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2})


def _halo():
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=2.5, foreground="white")]


def _draw_areas(ax, areas, colours: list, extent=None, edge: str = "white") -> None:
    """Polygons in their class colours; areas without a colour (None) hatched as 'geen gegevens'."""
    has = np.array([c is not None for c in colours])
    if has.any():
        areas[has].plot(ax=ax, color=[c for c in colours if c is not None], edgecolor=edge, linewidth=0.6)
    if (~has).any():
        areas[~has].plot(ax=ax, linewidth=0.6, **NO_DATA)
    x0, y0, x1, y1 = extent if extent is not None else areas.total_bounds
    pad = 0.02 * max(x1 - x0, y1 - y0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)


def _inside(extent, x: float, y: float) -> bool:
    return extent is not None and extent[0] <= x <= extent[2] and extent[1] <= y <= extent[3]


def _label_axes(panels: dict, extent, x: float, y: float):
    """The inset if the point lies in the zoomed box, else the main map."""
    return panels["inset"] if _inside(extent, x, y) and "inset" in panels else panels["main"]


def _overlay(frame: MapFrame, panels: dict, extent) -> list:
    """Outline and label aandachtsgebieden (or the top-ranked areas), draw IKCs; return legend handles."""
    from matplotlib.lines import Line2D

    areas, overlays, handles = frame.areas, frame.overlays, []
    texts: dict[int, list] = {id(ax): [] for ax in panels.values()}
    if overlays.gebieden is not None:
        for name in overlays.gebied_names():
            shape = areas.loc[[c for c in overlays.members(name) if c in areas.index]].geometry.union_all()
            for ax in panels.values():
                ax.plot(*_boundary_xy(shape), color="black", lw=1.8, solid_joinstyle="round")
            point = shape.representative_point()
            ax = _label_axes(panels, extent, point.x, point.y)
            texts[id(ax)].append(ax.text(point.x, point.y, name, fontsize=7.5, weight="bold", ha="center",
                                         va="center", path_effects=_halo(), gid="gebied-label"))
        handles.append(Line2D([], [], color="black", lw=1.8, label="aandachtsgebied"))
    else:
        top = areas[areas["rank"].notna()].sort_values("rank").head(frame.options.label_top)
        for code, row in top.iterrows():
            point = row.geometry.representative_point()
            ax = _label_axes(panels, extent, point.x, point.y)
            texts[id(ax)].append(ax.text(point.x, point.y, f"{int(row['rank'])}. {row['area_name']}", fontsize=7,
                                         ha="center", va="center", path_effects=_halo(), gid="rank-label"))
    ikcs = overlays.ikcs if overlays.ikcs is not None else default_ikcs(frame.config)
    if ikcs is not None and len(ikcs):
        handles += _draw_ikcs(ikcs, panels, extent, texts)
    _repel(panels, texts, ikcs)
    return handles


def _boundary_xy(shape):
    """x and y of a (multi)polygon's outer boundary, NaN-separated, for one plot call."""
    xs, ys = [], []
    polygons = getattr(shape, "geoms", [shape])
    for polygon in polygons:
        x, y = polygon.exterior.xy
        xs += [*x, np.nan]
        ys += [*y, np.nan]
    return xs, ys


IKC_STYLE = {
    "plus-ikc": {"marker": "*", "s": 150, "facecolor": "black", "edgecolor": "white", "linewidths": 0.7, "zorder": 6},
    "candidate": {"marker": "D", "s": 34, "facecolor": "white", "edgecolor": "black", "linewidths": 0.9, "zorder": 5},
    "other": {"marker": "o", "s": 10, "facecolor": "#3b3b3b", "edgecolor": "white", "linewidths": 0.4, "zorder": 4},
}


def _draw_ikcs(ikcs: pd.DataFrame, panels: dict, extent, texts: dict) -> list:
    """IKC markers by status on every panel; Plus-IKCs get their name as a label."""
    from matplotlib.lines import Line2D

    handles = []
    for status in ("other", "candidate", "plus-ikc"):
        subset = ikcs[ikcs["status"] == status]
        unplaced = int((subset["x_rd"].isna() | subset["y_rd"].isna()).sum())
        subset = subset.dropna(subset=["x_rd", "y_rd"])
        if subset.empty and not unplaced:
            continue
        style = IKC_STYLE[status]
        for ax in panels.values():
            ax.scatter(subset["x_rd"], subset["y_rd"], **style)
        handles.append(Line2D([], [], linestyle="", marker=style["marker"], markersize=np.sqrt(style["s"]),
                              markerfacecolor=style["facecolor"], markeredgecolor=style["edgecolor"] if status != "plus-ikc" else "black",
                              label=f"{IKC_LABELS[status]} ({len(subset)}"
                                    + (f")\n{unplaced} zonder coördinaten niet getoond" if unplaced else ")")))
        if status == "plus-ikc":
            for row in subset.itertuples(index=False):
                ax = _label_axes(panels, extent, row.x_rd, row.y_rd)
                texts[id(ax)].append(ax.text(row.x_rd, row.y_rd, row.name, fontsize=6, style="italic",
                                             path_effects=_halo(), gid="ikc-label"))
    return handles


def _repel(panels: dict, texts: dict, points: pd.DataFrame | None) -> None:
    """Move labels apart, and off the IKC markers, so nothing overlaps (adjustText), per axes."""
    from adjustText import adjust_text

    if points is not None:
        points = points.dropna(subset=["x_rd", "y_rd"])
    xs = [] if points is None else points["x_rd"].to_numpy()
    ys = [] if points is None else points["y_rd"].to_numpy()
    for ax in panels.values():
        if texts[id(ax)]:
            adjust_text(texts[id(ax)], x=xs, y=ys, ax=ax, expand=(1.15, 1.3), ensure_inside_axes=True,
                        arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.5})


def _base(frame: MapFrame, colours: list, title: str, subtitle: str, size: str | None = None, edge: str = "white"):
    """Figure with main map (and city zoom) in ``colours``; return figure, panels, rects, extent."""
    from matplotlib.patches import Rectangle

    size = size or frame.options.size
    overlays = frame.overlays
    with_schools = overlays.ikcs is None and default_ikcs(frame.config) is not None
    footer = (f"{source_line(frame.config, overlays, with_schools or overlays.ikcs is not None)}. "
              f"Kaart gemaakt op {dutch_date(date.today())} met aandacht; gegevens {frame.config.period}, "
              f"{frame.config.gemeente.name}, {frame.config.level}en.")
    fig = _figure(size, title, subtitle, footer, overlays.demonstration)
    extent = dense_extent(frame.areas, frame.options.inset_max_share) if frame.options.inset == "auto" else None
    rects = _panel_rects(size, extent is not None, bool(overlays.demonstration))
    panels = {"main": _axes(fig, rects["main"])}
    _draw_areas(panels["main"], frame.areas, colours, edge=edge)
    if extent is not None:
        panels["inset"] = _axes(fig, rects["inset"])
        _draw_areas(panels["inset"], frame.areas, colours, extent, edge=edge)
        panels["main"].add_patch(Rectangle((extent[0], extent[1]), extent[2] - extent[0], extent[3] - extent[1],
                                           fill=False, edgecolor="#222222", lw=0.9, linestyle="--", zorder=7))
        panels["inset"].set_axis_on()
        panels["inset"].set_xticks([])
        panels["inset"].set_yticks([])
        panels["inset"].set_xlabel("")
        panels["inset"].set_ylabel("")
        panels["inset"].set_title("Uitsnede stad", fontsize=9, loc="left")
    for ax in panels.values():
        add_scalebar(ax)
    return fig, panels, rects, extent


def _legend(fig, rects: dict, handles: list, title: str, size: str) -> None:
    anchor = rects["legend"]
    fig.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=anchor, frameon=False,
               fontsize=7.5 if size == "a4" else 8.5, title_fontsize=8.5 if size == "a4" else 10, alignment="left")


def _class_handles(colours: list, labels: list[str], no_data_label: str, no_data: int) -> list:
    """Legend patches per class, and the hatched 'geen gegevens' patch when any area lacks a value."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=c, edgecolor="#777777", lw=0.4, label=label) for c, label in zip(colours, labels)]
    if no_data:
        handles.append(Patch(label=no_data_label, lw=0.4, **NO_DATA))
    return handles


def _no_data_label(frame: MapFrame) -> str:
    unscored = frame.areas["score"].isna().sum()
    return f"geen gegevens ({unscored} {frame.config.level}{'en' if unscored != 1 else ''})"


def score_map(frame: MapFrame, size: str | None = None):
    """Choropleth of the composite score in mapclassify classes (see module docstring)."""
    size = size or frame.options.size
    values = frame.areas["score"]
    bins, classes = classify(values, frame.options)
    colours_by_class = palette(frame.options.palette, len(bins))
    colours = [colours_by_class[c] if c >= 0 else None for c in classes]
    label = frame.config.framework.index.label
    subtitle = (f"{frame.config.gemeente.name}, score per {frame.config.level} (0 = gunstigst, 100 = ongunstigst); "
                f"klassen: {CLASSIFICATIONS[frame.options.classes]}")
    fig, panels, rects, extent = _base(frame, colours, label, subtitle, size)
    handles = _class_handles(colours_by_class, class_labels(bins, float(values.min())), _no_data_label(frame),
                             int(values.isna().sum()))
    handles += _overlay(frame, panels, extent)
    _legend(fig, rects, handles, f"{label}\n(hoger = meer risico)", size)
    return fig


def probability_map(frame: MapFrame, size: str | None = None):
    """Probability of designation per area (robustness table), classes of 20 points."""
    size = size or frame.options.size
    table = frame.overlays.robustness
    if table is None:
        raise ValueError("probability_map needs overlays.robustness")
    p = table.set_index("area_code")["p_designated"].reindex(frame.areas.index)
    classes = np.minimum((p.to_numpy() * 5).astype("float64") // 1, 4)
    colours_by_class = palette(frame.options.palette, 5)
    colours = [colours_by_class[int(c)] if not np.isnan(c) else None for c in classes]
    subtitle = (f"{frame.config.gemeente.name}: aandeel van de plausibele methodekeuzes waarin de "
                f"{frame.config.level} aandachtsgebied wordt")
    fig, panels, rects, extent = _base(frame, colours, "Kans op aanwijzing als aandachtsgebied", subtitle, size)
    labels = [f"{lo}\u2013{lo + 20}%" for lo in range(0, 100, 20)]
    missing = int(p.isna().sum())
    handles = _class_handles(colours_by_class, labels, f"geen gegevens ({missing})", missing)
    handles += _overlay(frame, panels, extent)
    _legend(fig, rects, handles, "Kans op aanwijzing", size)
    return fig


def change_map(frame: MapFrame, size: str | None = None):
    """Entered / left / stayed per area against the previous round (changes table)."""
    from matplotlib.patches import Patch

    size = size or frame.options.size
    table = frame.overlays.changes
    if table is None:
        raise ValueError("change_map needs overlays.changes")
    change = table.set_index("area_code")["change"].reindex(frame.areas.index).fillna("none")
    colours = [CHANGE_COLOURS[c] for c in change]
    subtitle = f"{frame.config.gemeente.name}: aandachtsgebieden in deze ronde vergeleken met de vorige ronde"
    fig, panels, rects, extent = _base(frame, colours, "Verandering sinds de vorige ronde", subtitle, size, edge="#b5b5b5")
    counts = change.value_counts()
    handles = [Patch(facecolor=CHANGE_COLOURS[c], edgecolor="#777777", lw=0.4,
                     label=f"{CHANGE_LABELS[c]} ({int(counts.get(c, 0))})") for c in ("entered", "stayed", "left", "none")]
    handles += _overlay(frame, panels, extent)
    _legend(fig, rects, handles, "Verandering", size)
    return fig


def _multiples(frame: MapFrame, columns: list[tuple[str, str, int, str]], title: str, subtitle: str,
               shared: bool, size: str | None = None):
    """One small panel per (column, label, direction, unit): continuous palette, darker = more risk;
    ``shared``: one scale (minimum to maximum over all panels) instead of one per panel."""
    import matplotlib
    from matplotlib.patches import Patch

    size = size or frame.options.size
    overlays = frame.overlays
    footer = (f"{source_line(frame.config, overlays, with_schools=False)}. Kaart gemaakt op {dutch_date(date.today())} "
              f"met aandacht; gegevens {frame.config.period}.")
    fig = _figure(size, title, subtitle, footer, overlays.demonstration)
    count = len(columns)
    ncols = int(np.ceil(np.sqrt(count))) if size == "a4" else int(np.ceil(np.sqrt(count * 16 / 9)))
    nrows = int(np.ceil(count / ncols))
    top, bottom = (0.89, 0.07) if size == "a4" else (0.80, 0.08)
    top -= DEMO_SPACE[size] if overlays.demonstration else 0
    grid = fig.add_gridspec(nrows, ncols, left=0.03, right=0.97, top=top, bottom=bottom, hspace=0.35, wspace=0.08)
    base = matplotlib.colormaps[frame.options.palette]
    every = frame.areas[[column for column, *_ in columns]].to_numpy(dtype="float64")
    common = (float(np.nanmin(every)), float(np.nanmax(every)))
    for position, (column, label, direction, unit) in enumerate(columns):
        ax = fig.add_subplot(grid[position // ncols, position % ncols])
        ax.set_axis_off()
        ax.set_aspect("equal")
        values = frame.areas[column]
        lo, hi = common if shared else (float(values.min()), float(values.max()))
        cmap = base if direction > 0 else base.reversed()
        norm = matplotlib.colors.Normalize(lo, hi)
        colours = [None if np.isnan(v) else cmap(0.12 + 0.83 * norm(v)) for v in values]
        _draw_areas(ax, frame.areas, colours, edge="white")
        ax.set_title(textwrap.fill(label, 34), fontsize=8, loc="left")
        mappable = matplotlib.cm.ScalarMappable(norm=norm, cmap=matplotlib.colors.ListedColormap(
            [cmap(x) for x in np.linspace(0.12, 0.95, 64)]))
        bar = fig.colorbar(mappable, ax=ax, orientation="horizontal", fraction=0.05, pad=0.02, shrink=0.8)
        bar.ax.tick_params(labelsize=6)
        bar.set_label(unit + ("" if direction > 0 else " (lager = meer risico)"), fontsize=6)
    fig.legend(handles=[Patch(label="geen gegevens", lw=0.4, **NO_DATA)], loc="lower right",
               bbox_to_anchor=(0.97, 0.025), frameon=False, fontsize=7)
    return fig


def domain_maps(frame: MapFrame, size: str | None = None):
    """Small multiples of the domain scores (children of the index), on one shared colour scale."""
    tree = frame.run.result.tree
    columns = [(f"node:{d}", tree.labels[d], 1, "domeinscore") for d in tree.groups[-1].children]
    return _multiples(frame, columns, "Scores per domein", f"{frame.config.gemeente.name}: donkerder = meer risico "
                      "voor kinderen; één kleurschaal voor alle domeinen", shared=True, size=size)


def reference_label(label: str, gemeente: float, nederland: float) -> str:
    """'Jongeren met jeugdzorg (gemeente 13,2; NL 10,9)': the panel title with the reference values the inputs hold."""
    parts = [f"{name} {number_nl(value)}" for name, value in (("gemeente", gemeente), ("NL", nederland)) if not np.isnan(value)]
    return f"{label} ({'; '.join(parts)})" if parts else label


def indicator_maps(frame: MapFrame, size: str | None = None):
    """Small multiples of the raw indicator values, darker = more risk; each title gives the gemeente and
    Nederland values where the inputs hold them."""
    from ..decide.designate import gemeente_values, national_values

    gemeente, nederland = gemeente_values(frame.run), national_values(frame.run)
    columns = [(f"value:{i.id}", reference_label(i.label, gemeente[i.id], nederland[i.id]), i.direction, i.unit)
               for i in frame.config.framework.indicators]
    return _multiples(frame, columns, "Indicatoren", f"{frame.config.gemeente.name}: waarden zoals gepubliceerd; "
                      "donkerder = meer risico voor kinderen", shared=False, size=size)


def render_maps(frame: MapFrame, size: str | None = None) -> dict[str, object]:
    """All maps the inputs allow: name -> figure."""
    figures = {"kaart-score": score_map(frame, size), "kaart-domeinen": domain_maps(frame, size),
               "kaart-indicatoren": indicator_maps(frame, size)}
    if frame.overlays.robustness is not None:
        figures["kaart-kans"] = probability_map(frame, size)
    if frame.overlays.changes is not None:
        figures["kaart-verandering"] = change_map(frame, size)
    return figures


def save_figure(fig, path: Path, dpi: int) -> None:
    """Save at the figure's own size (no tight bbox, so the pixel size is exact)."""
    fig.savefig(path, dpi=dpi, format=path.suffix.lstrip("."), metadata={"Creator": "aandacht"})
