"""Drawing primitives for the maps: polygons as matplotlib paths, a scale bar and a north arrow
(labels: ``present/labels.py``).

Speed: a (multi)polygon is turned into one matplotlib ``Path`` once (holes included, as a
compound path) and a whole layer is drawn as one ``PathCollection``, so that a map of 3,000
areas is one artist instead of 3,000 (GeoDataFrame.plot draws and rescales per call).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from contextlib import contextmanager
from functools import lru_cache

import numpy as np

HALO = 2.6  # points of white around label text


def halo(width: float = HALO):
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground="white")]


def polygon_path(geometry):
    """One compound ``Path`` for a (multi)polygon, holes included (None for an empty geometry)."""
    import shapely
    from matplotlib.path import Path

    vertices, codes = [], []
    for polygon in shapely.get_parts(geometry):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            ring_codes = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    if not vertices:
        return None
    return Path(np.concatenate(vertices), np.concatenate(codes))


def paths_of(geometries: Iterable) -> list:
    """:func:`polygon_path` of every geometry."""
    return [polygon_path(g) for g in geometries]


def draw_paths(ax, paths: list, facecolors, edgecolor="white", linewidth: float = 0.6, zorder: float = 1,
               hatch: str | None = None, **kwargs):
    """One ``PathCollection`` for the given paths; a path that is None, or whose colour in a list of
    ``facecolors`` is None, is skipped."""
    from matplotlib.collections import PathCollection

    keep = [i for i, p in enumerate(paths)
            if p is not None and not (isinstance(facecolors, list) and facecolors[i] is None)]
    if isinstance(facecolors, list):
        facecolors = [facecolors[i] for i in keep]
    collection = PathCollection([paths[i] for i in keep], facecolors=facecolors, edgecolors=edgecolor,
                                linewidths=linewidth, zorder=zorder, hatch=hatch, **kwargs)
    collection.set_transform(ax.transData)
    ax.add_collection(collection, autolim=False)
    return collection


def boundary_lines(geometry) -> list:
    """The rings of a (multi)polygon's boundary as arrays of coordinates (what :func:`outline` draws)."""
    import shapely

    return [np.asarray(line.coords) for line in shapely.get_parts(shapely.boundary(geometry))
            if not line.is_empty and line.geom_type in ("LineString", "LinearRing")]


def outline(ax, lines: list, colour="#1a1a1a", width: float = 1.6, zorder: float = 5, gid: str | None = None) -> None:
    """Boundary lines (:func:`boundary_lines`, of one shape or several) as a dark line on a white casing
    (readable on every colour): one collection for all casings and one for all lines, so every casing
    lies under every line, as with a casing and a line per shape (matplotlib draws the collections of
    one axes by zorder, then in the order added); two artists per panel instead of two per shape."""
    from matplotlib.collections import LineCollection

    for line_width, line_colour, z in ((width + 1.6, "white", zorder), (width, colour, zorder + 0.1)):
        collection = LineCollection(lines, colors=line_colour, linewidths=line_width, zorder=z,
                                    capstyle="round", joinstyle="round")
        collection.set_gid(gid)
        ax.add_collection(collection, autolim=False)


@lru_cache(maxsize=1)
def map_axes() -> type:
    """The axes class of a map's panels (``fig.add_axes(rect, axes_class=map_axes())``): matplotlib's own,
    but making no ticks while it is made. A new axes gets a first tick of each kind on both its axes (four
    ticks of two lines, a grid line and two texts each) only to hand them its grid and clip settings, about
    4 of its 9 ms (18 axes in a herijking's five maps); a map shows no ticks (its axes are off, or framed with
    none). Once made, a tick is made as matplotlib makes it, when one is asked for. Made on first use, as
    matplotlib is imported only where maps are drawn."""
    from matplotlib.axes import Axes
    from matplotlib.axis import XAxis, YAxis

    class Unmade:
        """An axis's ``majorTicks`` or ``minorTicks``: empty while its axes is being made, else matplotlib's
        lazy list (the descriptor ``lazy``, which makes the first tick)."""

        def __init__(self, lazy):
            self.lazy = lazy

        def __get__(self, axis, owner):
            if axis is None:
                return self
            return [] if getattr(axis.axes, "making", False) else self.lazy.__get__(axis, owner)

    def tickless(axis: type) -> type:
        return type(f"Map{axis.__name__}", (axis,), {"majorTicks": Unmade(axis.majorTicks),
                                                      "minorTicks": Unmade(axis.minorTicks)})

    class MapAxes(Axes):
        making = False
        axes_classes = (tickless(XAxis), tickless(YAxis))

        def _init_axis(self):  # as matplotlib's Axes._init_axis, with the axis classes above
            self.xaxis = self.axes_classes[0](self, clear=False)
            self.spines.bottom.register_axis(self.xaxis)
            self.spines.top.register_axis(self.xaxis)
            self.yaxis = self.axes_classes[1](self, clear=False)
            self.spines.left.register_axis(self.yaxis)
            self.spines.right.register_axis(self.yaxis)

        def __init__(self, *args, **kwargs):
            self.making = True
            try:
                super().__init__(*args, **kwargs)
            finally:
                self.making = False

    return MapAxes


TEXTS_KEPT = 2048  # laid-out texts and outlines kept per process (a herijking's five maps: 200 texts, their bitmaps 1.3 MB)
FONT_SETTINGS = ("font.family", "font.serif", "font.sans-serif", "font.cursive", "font.fantasy", "font.monospace")


@lru_cache(maxsize=1)
def map_canvas() -> type:
    """The Agg canvas of a map (``map_canvas()(fig)``): matplotlib's own, drawing the same pixels, but laying out
    each text once per process rather than twice per figure. FreeType lays out a text (``set_text``, with
    matplotlib's forced autohinting about 11 microseconds a character; a map's footer is 150) once to measure
    it and again to draw it, and again on every new figure; its outline (a halo text is drawn as a path,
    stroked white and then filled) is made again on every panel. Here the laid-out text (width, height,
    descent and glyph bitmap: what the Agg renderer draws) is kept by string, font files, size, resolution,
    hinting and antialiasing, and the outline (at matplotlib's fixed outline size) by string and font files:
    a text is measured and drawn from one layout, and a gebied's letter, a place or a neighbour's name recurs
    on every panel and map without a new one. Made on first use, as matplotlib is imported only where maps
    are drawn."""
    from matplotlib import rcParams
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
    from matplotlib.font_manager import fontManager
    from matplotlib.textpath import TextToPath

    laid_out: dict[tuple, tuple] = {}
    outlines: dict[tuple, tuple] = {}
    files: dict[tuple, tuple] = {}

    def fonts(prop) -> tuple:
        """The font files of ``prop`` (with its fallbacks), as matplotlib finds them; kept by the properties and
        the font settings (looking them up copies the properties once per family, ten times a dictionary's)."""
        settings = tuple(tuple(rcParams[key]) for key in FONT_SETTINGS)
        found = files.get((prop, settings))
        if found is None:
            if len(files) >= TEXTS_KEPT:
                files.clear()
            found = files[(prop.copy(), settings)] = tuple(fontManager._find_fonts_by_props(prop))
        return found

    def kept(cache: dict, key: tuple, make) -> tuple:
        found = cache.get(key)
        if found is None:
            if len(cache) >= TEXTS_KEPT:
                cache.clear()
            found = cache[key] = make()
        return found

    class Outlines(TextToPath):
        def get_text_path(self, prop, s, ismath=False):
            if ismath:
                return super().get_text_path(prop, s, ismath)
            return kept(outlines, (s, fonts(prop)), lambda: self._made(prop, s))

        def _made(self, prop, s) -> tuple:
            verts, codes = super(Outlines, self).get_text_path(prop, s)
            verts, codes = np.asarray(verts, float).reshape(-1, 2), np.asarray(codes, np.uint8)
            verts.flags.writeable = codes.flags.writeable = False  # shared by every path made from them
            return verts, codes

    class MapRenderer(RendererAgg):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._text2path = Outlines()

        def _layout(self, s: str, prop, antialiased: bool) -> tuple:
            """(width, height, descent, bitmap offset x, y (FreeType's 26.6 fixed point), glyph bitmap)."""
            flags = get_hinting_flag()
            key = (s, fonts(prop), prop.get_size_in_points(), self.dpi, flags, antialiased)

            def make() -> tuple:
                font = self._prepare_font(prop)
                font.set_text(s, 0.0, flags=flags)
                width, height = font.get_width_height()
                font.draw_glyphs_to_bitmap(antialiased=antialiased)
                bitmap = np.array(font)  # a copy of the font's glyph image (Agg takes only a writeable array)
                return (width, height, font.get_descent(), *font.get_bitmap_offset(), bitmap)

            return kept(laid_out, key, make)

        def get_text_width_height_descent(self, s, prop, ismath):  # as RendererAgg's, from a kept layout
            if ismath:
                return super().get_text_width_height_descent(s, prop, ismath)
            # antialiased as its graphics context will say when it is drawn
            width, height, descent = self._layout(s, prop, bool(rcParams["text.antialiased"]))[:3]
            return width / 64.0, height / 64.0, descent / 64.0

        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # as RendererAgg's, from a kept layout
            if ismath:
                return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            _, _, descent, xo, yo, bitmap = self._layout(s, prop, gc.get_antialiased())
            d = descent / 64.0
            x = round(x + xo / 64.0 + d * math.sin(math.radians(angle)))
            y = round(y + yo / 64.0 + d * math.cos(math.radians(angle)))
            self._renderer.draw_text_image(bitmap, x, y + 1, angle, gc)

    class MapCanvas(FigureCanvasAgg):
        def get_renderer(self):  # as FigureCanvasAgg's, with the renderer above
            key = (*self.figure.bbox.size, self.figure.dpi)
            if self._lastKey != key:
                self.renderer = MapRenderer(*self.figure.bbox.size, self.figure.dpi)
                self._lastKey = key
            return self.renderer

    return MapCanvas


def add_legend(parent, handles: list, labels: list[str] | None = None, **kwargs):
    """``parent.legend(handles, labels, **kwargs)`` of a figure or an axes, made and attached as matplotlib's
    ``Figure.legend`` and ``Axes.legend`` make it (labels by default the handles' own), of the class
    :func:`legend_class`: the same legend, drawn and measured faster."""
    from matplotlib.axes import Axes

    labels = [handle.get_label() for handle in handles] if labels is None else labels
    if not isinstance(parent, Axes):
        kwargs.setdefault("bbox_transform", parent.transSubfigure)
    made = legend_class()(parent, handles, labels, **kwargs)
    if isinstance(parent, Axes):
        parent.legend_ = made
        made._remove_method = parent._remove_legend
    else:
        parent.legends.append(made)
        made._remove_method = parent.legends.remove
    parent.stale = True
    return made


@lru_cache(maxsize=1)
def legend_class() -> type:
    """matplotlib's ``Legend``, but each of its boxes measured once per drawing or measuring. A legend is a
    tree of boxes (title over columns, a column of entries, an entry a handle beside a text) and matplotlib
    measures a box from its children's sizes each time it is asked, and asks again at every level: to draw a
    legend of five levels it measures each text about ten times (0.02 s a legend, 12 legends in a herijking's
    maps). Within one drawing (or one measuring) no box changes, so here each box's size is kept for that
    call only: the same positions, the same pixels."""
    from matplotlib.legend import Legend
    from matplotlib.offsetbox import OffsetBox

    class MapLegend(Legend):
        def draw(self, renderer):
            with _measured_once(self._legend_box):
                super().draw(renderer)

        def get_window_extent(self, renderer=None):
            with _measured_once(self._legend_box):
                return super().get_window_extent(renderer)

    @contextmanager
    def _measured_once(root):
        boxes, stack = [], [root]
        while stack:
            box = stack.pop()
            if isinstance(box, OffsetBox):
                boxes.append(box)
                stack.extend(box.get_children())
        for box in boxes:  # instance attributes over the class's methods, for this call only
            for name in MEASURES:
                if hasattr(box, name):
                    setattr(box, name, _once(getattr(box, name)))
        try:
            yield
        finally:
            for box in boxes:
                for name in MEASURES:
                    box.__dict__.pop(name, None)

    return MapLegend


MEASURES = ("get_bbox", "_get_bbox_and_child_offsets")  # an OffsetBox's measuring methods (a renderer in, a size out)


def _once(measure):
    """``measure(renderer)`` computed once per renderer."""
    found = {}

    def kept(renderer):
        if id(renderer) not in found:
            found[id(renderer)] = measure(renderer)
        return found[id(renderer)]

    return kept


def set_extent(ax, extent: tuple[float, float, float, float], pad: float = 0.02) -> None:
    """Set the view to ``extent`` (x0, y0, x1, y1) plus a margin, equal scale on both axes,
    widened along one axis so that it fills the axes box exactly (nothing is cut off)."""
    x0, y0, x1, y1 = extent
    margin = pad * max(x1 - x0, y1 - y0)
    x0, y0, x1, y1 = x0 - margin, y0 - margin, x1 + margin, y1 + margin
    box = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    aspect = (box.height * fig_h) / (box.width * fig_w)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    width, height = x1 - x0, y1 - y0
    if height / width > aspect:
        width = height / aspect
    else:
        height = width * aspect
    ax.set_xlim(cx - width / 2, cx + width / 2)
    ax.set_ylim(cy - height / 2, cy + height / 2)


def nice_length(span: float) -> float:
    """A round scale-bar length (1, 2 or 5 x 10^n metres) of at most a fifth of ``span``."""
    target = span / 5
    power = 10 ** np.floor(np.log10(target))
    return float(max(m * power for m in (1, 2, 5) if m * power <= target))


def scalebar(ax, fontsize: float = 7.5) -> list:
    """Two-segment scale bar in the lower left (EPSG:28992 units are metres), labels above the
    bar at a fixed distance in points; returns the artists (obstacles for labels)."""
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = nice_length(x1 - x0)
    left, base, height = x0 + 0.04 * (x1 - x0), y0 + 0.035 * (y1 - y0), 0.007 * (y1 - y0)
    artists = []
    for part, colour in ((0, "#1a1a1a"), (1, "white")):
        artists.append(ax.add_patch(Rectangle((left + part * length / 2, base), length / 2, height, facecolor=colour,
                                              edgecolor="#1a1a1a", lw=0.6, zorder=20)))
    label = f"{length / 1000:g} km".replace(".", ",") if length >= 1000 else f"{length:g} m"
    for x, text in ((left, "0"), (left + length, label)):
        artists.append(ax.annotate(text, (x, base + height), xytext=(0, 2.5), textcoords="offset points", ha="center",
                                   va="bottom", fontsize=fontsize, zorder=20, gid="scalebar", path_effects=halo(2)))
    return artists


def north_arrow(ax) -> list:
    """A north arrow in the upper right corner; returns the artists (obstacles for labels)."""
    arrow = ax.annotate("N", xy=(0.965, 0.975), xytext=(0.965, 0.905), xycoords="axes fraction", ha="center",
                        va="center", fontsize=9, weight="bold", zorder=20, gid="north",
                        arrowprops={"arrowstyle": "-|>", "color": "#1a1a1a", "lw": 1.2})
    return [arrow]
