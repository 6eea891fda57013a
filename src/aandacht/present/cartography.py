"""Drawing primitives for the maps: polygons as matplotlib paths, a scale bar, a north arrow,
and labels placed without overlap.

Speed: a (multi)polygon is turned into one matplotlib ``Path`` once (holes included, as a
compound path) and a whole layer is drawn as one ``PathCollection``, so that a map of 3,000
areas is one artist instead of 3,000 (GeoDataFrame.plot draws and rescales per call).

Labels (:class:`Labeller`): each label is tried at a list of positions around its anchor
(centred first for area names; beside the marker for points), in display coordinates, and
takes the first position whose text box overlaps no label placed before, no marker and no
furniture (scale bar, north arrow), and stays inside the axes. Labels are placed in priority
order; a label that must be shown and finds no free place near its anchor moves further out
with a leader line; an optional label (a place name) that finds no free place is left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


def outline(ax, geometry, colour="#1a1a1a", width: float = 1.6, zorder: float = 5, gid: str | None = None) -> None:
    """The boundary of a (multi)polygon as a dark line on a white casing (readable on every colour)."""
    import shapely
    from matplotlib.collections import LineCollection

    lines = [np.asarray(line.coords) for line in shapely.get_parts(shapely.boundary(geometry))
             if not line.is_empty and line.geom_type in ("LineString", "LinearRing")]
    for line_width, line_colour, z in ((width + 1.6, "white", zorder), (width, colour, zorder + 0.1)):
        collection = LineCollection(lines, colors=line_colour, linewidths=line_width, zorder=z,
                                    capstyle="round", joinstyle="round")
        collection.set_gid(gid)
        ax.add_collection(collection, autolim=False)


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


# --- labels without overlap ----------------------------------------------------------------

# Directions around a point label, in order of preference: (dx, dy) unit offsets, ha, va.
AROUND = [((1, 0), "left", "center"), ((0.75, 0.75), "left", "bottom"), ((0.75, -0.75), "left", "top"),
          ((0, 1), "center", "bottom"), ((0, -1), "center", "top"), ((-1, 0), "right", "center"),
          ((-0.75, 0.75), "right", "bottom"), ((-0.75, -0.75), "right", "top")]


@dataclass
class Label:
    """A label to place: text at (x, y) in data coordinates of ``ax``.

    ``centred``: area names try the anchor itself first; point labels start beside the marker
    (``gap`` points from its centre). ``required``: moved further out with a leader line when
    nothing is free near the anchor (else left out)."""

    ax: object
    text: str
    x: float
    y: float
    gid: str
    fontsize: float = 7.5
    weight: str = "normal"
    style: str = "normal"
    colour: str = "#1a1a1a"
    centred: bool = False
    gap: float = 5.0
    required: bool = True


class Labeller:
    """Places labels one by one on a figure without overlap (module docstring)."""

    def __init__(self, fig):
        self.fig = fig
        self.renderer = fig.canvas.get_renderer()
        self.occupied: dict[int, list] = {}
        self.placed: list = []

    def block(self, ax, bboxes: Iterable) -> None:
        """Mark display boxes as taken on ``ax``."""
        self.occupied.setdefault(id(ax), []).extend(bboxes)

    def block_artists(self, ax, artists: Iterable) -> None:
        self.block(ax, [a.get_window_extent(self.renderer) for a in artists])

    def block_points(self, ax, xs, ys, radius: float) -> None:
        """Mark markers (centres in data coordinates, ``radius`` in points) as taken."""
        from matplotlib.transforms import Bbox

        if len(xs) == 0:
            return
        r = radius * self.fig.dpi / 72
        centres = ax.transData.transform(np.column_stack([xs, ys]))
        self.block(ax, [Bbox([[cx - r, cy - r], [cx + r, cy + r]]) for cx, cy in centres])

    def _free(self, ax, bbox) -> float:
        """Overlap (pixels squared) of ``bbox`` with what is taken, plus a penalty outside the axes."""
        frame = ax.get_window_extent(self.renderer)
        outside = 0.0
        if bbox.x0 < frame.x0 or bbox.x1 > frame.x1 or bbox.y0 < frame.y0 or bbox.y1 > frame.y1:
            outside = 1e9
        overlap = 0.0
        for other in self.occupied.get(id(ax), []):
            w = min(bbox.x1, other.x1) - max(bbox.x0, other.x0)
            h = min(bbox.y1, other.y1) - max(bbox.y0, other.y0)
            if w > 0 and h > 0:
                overlap += w * h
        return outside + overlap

    def _candidates(self, label: Label):
        rings = (0, 8, 16, 26, 40, 56) if label.centred else (label.gap, label.gap + 8, label.gap + 18, label.gap + 32,
                                                               label.gap + 50)
        for radius in rings:
            if radius == 0:
                yield (0.0, 0.0), "center", "center", False
                continue
            for (dx, dy), ha, va in AROUND:
                leader = radius > (label.gap + 10 if not label.centred else 20)
                yield (dx * radius, dy * radius), ha, va, leader

    def place(self, label: Label):
        """Place ``label`` at the first free position; return the text artist, or None when an
        optional label finds no free place. The text is laid out once; each candidate position
        shifts its box (alignment and offset), so trying positions costs no new layout."""
        from matplotlib.transforms import Bbox

        ax = label.ax
        text = ax.annotate(label.text, (label.x, label.y), xytext=(0, 0), textcoords="offset points", ha="left",
                           va="bottom", fontsize=label.fontsize, weight=label.weight, style=label.style,
                           color=label.colour, zorder=30, gid=label.gid, path_effects=halo(), annotation_clip=False)
        box = text.get_window_extent(self.renderer)
        width, height, scale = box.width, box.height, self.fig.dpi / 72
        shift = {"left": 0.0, "center": -width / 2, "right": -width, "bottom": 0.0, "top": -height}

        def at(offset, ha, va):
            x0 = box.x0 + offset[0] * scale + shift[ha]
            y0 = box.y0 + offset[1] * scale + (-height / 2 if va == "center" else shift[va])
            return Bbox([[x0, y0], [x0 + width, y0 + height]])

        best = None
        for offset, ha, va, leader in self._candidates(label):
            cost = self._free(ax, at(offset, ha, va).expanded(1.04, 1.08))
            if cost == 0:
                best = (offset, ha, va, leader, cost)
                break
            if best is None or cost < best[-1]:
                best = (offset, ha, va, leader, cost)
        else:
            if not label.required:
                text.remove()
                return None
        offset, ha, va, leader = best[:4]
        text.xyann = offset
        text.set_ha(ha)
        text.set_va(va)
        placed = at(offset, ha, va)
        if leader:
            self._leader(ax, label, placed)
        self.block(ax, [placed.expanded(1.04, 1.08)])
        self.placed.append(text)
        return text

    def _leader(self, ax, label: Label, bbox) -> None:
        """A thin line from the anchor to the nearest point of the label's box."""
        anchor = ax.transData.transform((label.x, label.y))
        near = (min(max(anchor[0], bbox.x0), bbox.x1), min(max(anchor[1], bbox.y0), bbox.y1))
        x, y = ax.transData.inverted().transform(near)
        ax.plot([label.x, x], [label.y, y], color="#333333", lw=0.6, zorder=29, gid="leader")


def overlaps(fig, gids: set[str]) -> list[tuple[str, str]]:
    """Pairs of label texts (with a gid in ``gids``) whose boxes overlap on the same axes; used by the
    tests and as a last check."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    for ax in fig.axes:
        texts = [t for t in ax.texts if t.get_gid() in gids and t.get_visible()]
        boxes = [t.get_window_extent(renderer) for t in texts]
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                a, b = boxes[i], boxes[j]
                if min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 and min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5:
                    found.append((texts[i].get_text(), texts[j].get_text()))
    return found
