"""Labels on the maps placed without overlap: one job, greedy placement with a spatial index.

Rules (issue 21: maps that work for 5 to 150 areas):

* A label never covers another label, a marker or the map furniture (scale bar, north arrow)
  and stays inside its axes: every placed box, marker and leader line is entered in a grid
  index of display cells (:data:`CELL` pixels), so that a candidate position is checked only
  against what lies in the cells it touches.
* Each label is tried at positions on rings of growing distance around its anchor: area names
  first on the anchor itself and then on other points inside the area (:func:`interior_points`),
  point labels (IKC numbers) beside their marker; on each ring in the directions of :data:`AROUND`. The first free position is taken (greedy, in the order the
  labels are given: IKC numbers, then gebied names, then the optional names of neighbours and
  places).
* A label farther than :data:`LEADER_FROM` points from its anchor (a point label: from its
  marker's edge) gets a leader line: dark on a white casing, so it reads on every class colour,
  from a dot on an area's label point, or from the edge of the marker. A leader crosses no placed
  label (it may pass a marker) unless the area is boxed in by labels (then it passes behind one,
  whose white halo keeps it readable), and no later label is placed over a leader.
* A required label searches out to :data:`REQUIRED_RINGS` (about 7 cm); if the axes are so full
  that nothing is free there, it takes the position with the least overlap and the map says so
  with a warning (:attr:`Labeller.crowded`). An optional label (a place or neighbour name) tries
  only the near rings and no leader, and is left out when there is no room.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .cartography import halo

CELL = 40.0  # pixels per cell of the spatial index
# Directions around an anchor, in order of preference: (dx, dy) unit offsets, ha, va.
AROUND = [((1, 0), "left", "center"), ((0.75, 0.75), "left", "bottom"), ((0.75, -0.75), "left", "top"),
          ((0, 1), "center", "bottom"), ((0, -1), "center", "top"), ((-1, 0), "right", "center"),
          ((-0.75, 0.75), "right", "bottom"), ((-0.75, -0.75), "right", "top")]
CENTRED_RINGS = (6, 12, 20, 30, 42)  # points from the anchor: an area's name, near its label point (on it first)
POINT_RINGS = (8, 18, 32, 50)  # points beyond the marker's gap: an IKC number or a place name
REQUIRED_RINGS = (60, 75, 92, 112, 135, 160, 190, 225)  # further out, with a leader, for a required label
LEADER_FROM = 14.0  # points from the anchor (for a point label: beyond its gap) from which a leader is drawn
LEADER = {"colour": "#1a1a1a", "width": 0.9, "casing": 2.4, "dot": 2.2}


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
    inside: tuple = ()  # more points inside the area (data coordinates) where its name may stand, no leader needed


def interior_points(shape, count: int = 12) -> tuple:
    """Up to ``count`` points of a 5 x 5 grid over ``shape``'s bounds that lie inside it, the nearest to its
    label point (``representative_point``) first: other places for an area's name inside the area."""
    import shapely

    if shape is None or shape.is_empty:
        return ()
    x0, y0, x1, y1 = shape.bounds
    xs, ys = np.meshgrid(np.linspace(x0, x1, 7)[1:-1], np.linspace(y0, y1, 7)[1:-1])
    xs, ys = xs.ravel(), ys.ravel()
    keep = shapely.contains_xy(shape, xs, ys)
    point = shape.representative_point()
    order = np.argsort(np.hypot(xs[keep] - point.x, ys[keep] - point.y), kind="stable")
    return tuple((float(xs[keep][i]), float(ys[keep][i])) for i in order[:count])


def _overlap(a, b) -> float:
    """Overlap area of two boxes (x0, y0, x1, y1)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _crosses(segment, box) -> bool:
    """Whether the segment ((x0, y0), (x1, y1)) passes through the box (Liang-Barsky clipping)."""
    (x0, y0), (x1, y1) = segment
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


class _Index:
    """Boxes and segments of one axes in a grid of display cells."""

    def __init__(self):
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.boxes: list[tuple] = []
        self.labels: set[int] = set()  # the boxes that are labels (a leader may pass a marker, not a label)
        self.segments: list[tuple] = []

    @staticmethod
    def _span(box):
        return range(int(box[0] // CELL), int(box[2] // CELL) + 1), range(int(box[1] // CELL), int(box[3] // CELL) + 1)

    def add_box(self, box, label: bool = False) -> None:
        if label:
            self.labels.add(len(self.boxes))
        self.boxes.append(box)
        columns, rows = self._span(box)
        for i in columns:
            for j in rows:
                self.cells.setdefault((i, j), []).append(len(self.boxes) - 1)

    def near(self, box) -> set[int]:
        columns, rows = self._span(box)
        return {k for i in columns for j in rows for k in self.cells.get((i, j), ())}

    def cost(self, box) -> float:
        """Overlap of ``box`` with the boxes, plus 1e6 per leader line through it."""
        cost = sum(_overlap(box, self.boxes[k]) for k in self.near(box))
        return cost + 1e6 * sum(_crosses(s, box) for s in self.segments)

    def leader_free(self, segment) -> bool:
        """Whether a leader crosses no placed label (but one over its anchor, which it cannot avoid)."""
        (x0, y0), (x1, y1) = segment
        span = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        return not any(_crosses(segment, b) and not (b[0] <= x0 <= b[2] and b[1] <= y0 <= b[3])
                       for b in (self.boxes[k] for k in self.near(span) if k in self.labels))


class Labeller:
    """Places labels one by one on a figure without overlap (module docstring). ``crowded``: the
    texts of required labels that found no free place (placed with the least overlap)."""

    def __init__(self, fig):
        self.fig = fig
        self.renderer = fig.canvas.get_renderer()
        self.index: dict[int, _Index] = {}
        self.crowded: list[str] = []
        self.sizes: dict[tuple, tuple] = {}  # (text, font size, weight, style) -> its box relative to the anchor

    def _of(self, ax) -> _Index:
        return self.index.setdefault(id(ax), _Index())

    def block(self, ax, bboxes: Iterable) -> None:
        """Mark display boxes (matplotlib ``Bbox``) as taken on ``ax``."""
        for bbox in bboxes:
            self._of(ax).add_box((bbox.x0, bbox.y0, bbox.x1, bbox.y1))

    def block_artists(self, ax, artists: Iterable) -> None:
        self.block(ax, [a.get_window_extent(self.renderer) for a in artists])

    def block_points(self, ax, xs, ys, radius: float) -> None:
        """Mark markers (centres in data coordinates, ``radius`` in points) as taken."""
        if len(xs) == 0:
            return
        r = radius * self.fig.dpi / 72
        index = self._of(ax)
        for cx, cy in ax.transData.transform(np.column_stack([xs, ys])):
            index.add_box((cx - r, cy - r, cx + r, cy + r))

    def _candidates(self, label: Label, anchor):
        """(offset in points, ha, va, inside the area) in order of preference: an area's label point, its
        other points inside the area (:attr:`Label.inside`), then the rings around the anchor."""
        near = CENTRED_RINGS if label.centred else tuple(label.gap + r for r in POINT_RINGS)
        rings = near + (REQUIRED_RINGS if label.required else ())
        if label.centred:
            yield (0.0, 0.0), "center", "center", True
        if label.inside:
            scale = self.fig.dpi / 72
            for x, y in label.ax.transData.transform(np.array(label.inside)):
                yield ((x - anchor[0]) / scale, (y - anchor[1]) / scale), "center", "center", True
        for radius in rings:
            for (dx, dy), ha, va in AROUND:
                yield (dx * radius, dy * radius), ha, va, False

    def place(self, label: Label):
        """Place ``label`` at the first free position; return the text artist, or None when an
        optional label finds no free place. A text is laid out once per font (:attr:`sizes`); each
        candidate position shifts its box (alignment and offset), so trying positions costs no new layout."""
        from matplotlib.transforms import Bbox

        ax = label.ax
        text = ax.annotate(label.text, (label.x, label.y), xytext=(0, 0), textcoords="offset points", ha="left",
                           va="bottom", fontsize=label.fontsize, weight=label.weight, style=label.style,
                           color=label.colour, zorder=30, gid=label.gid, path_effects=halo(), annotation_clip=False)
        anchor = ax.transData.transform((label.x, label.y))
        key = (label.text, label.fontsize, label.weight, label.style)
        if key not in self.sizes:  # laid out once per text and font (a gebied's letter recurs on every panel)
            extent = text.get_window_extent(self.renderer)
            self.sizes[key] = (extent.x0 - anchor[0], extent.y0 - anchor[1], extent.width, extent.height)
        dx, dy, width, height = self.sizes[key]
        box = Bbox.from_bounds(anchor[0] + dx, anchor[1] + dy, width, height)
        scale = self.fig.dpi / 72
        shift = {"left": 0.0, "center": -width / 2, "right": -width, "bottom": 0.0, "top": -height}
        frame = ax.get_window_extent(self.renderer)
        index = self._of(ax)
        pad_x, pad_y = 0.02 * width + 0.72 * scale, 0.04 * height + 0.36 * scale  # a little air around each label

        def at(offset, ha, va):
            x0 = box.x0 + offset[0] * scale + shift[ha]
            y0 = box.y0 + offset[1] * scale + (-height / 2 if va == "center" else shift[va])
            return (x0 - pad_x, y0 - pad_y, x0 + width + pad_x, y0 + height + pad_y)

        def leader_of(offset, padded):
            """The leader as display points (start, end): from the anchor (a point label: the edge of its
            marker) to the nearest point of the box; None when the label is close enough."""
            distance = float(np.hypot(*offset))
            if distance <= LEADER_FROM + (0 if label.centred else label.gap):
                return None
            near = np.array([min(max(anchor[0], padded[0]), padded[2]), min(max(anchor[1], padded[1]), padded[3])])
            start = anchor
            if not label.centred:
                direction = (near - anchor) / max(float(np.hypot(*(near - anchor))), 1e-9)
                start = anchor + direction * label.gap * 0.8 * scale
            return (tuple(start), tuple(near))

        best, crossing = None, None
        for offset, ha, va, within in self._candidates(label, anchor):
            padded = at(offset, ha, va)
            inside = frame.x0 <= padded[0] and padded[2] <= frame.x1 and frame.y0 <= padded[1] and padded[3] <= frame.y1
            if not inside:
                continue
            cost = index.cost(padded)
            segment = None if within else leader_of(offset, padded)
            if cost == 0 and (segment is None or index.leader_free(segment)):
                best = (offset, ha, va, padded, segment, 0.0)
                break
            if cost == 0 and crossing is None:
                crossing = (offset, ha, va, padded, segment, 0.0)
            if best is None or cost < best[-1]:
                best = (offset, ha, va, padded, segment, cost)
        else:
            if crossing is not None:  # boxed in by labels: a free place whose leader passes behind a label
                best = crossing
            elif not label.required or best is None:
                text.remove()
                return None
            else:
                self.crowded.append(label.text)
                warnings.warn(f"kaart: geen vrije plek voor het label {label.text!r}; het staat over een ander",
                              RuntimeWarning, stacklevel=2)
        offset, ha, va, padded, segment = best[:5]
        text.xyann = offset
        text.set_ha(ha)
        text.set_va(va)
        index.add_box(padded, label=True)
        if segment is not None:
            self._leader(ax, label, segment)
            index.segments.append(segment)
        return text

    def _leader(self, ax, label: Label, segment) -> None:
        """A dark line on a white casing from the anchor (an area's: with a dot) to the label's box."""
        (x0, y0), (x1, y1) = ax.transData.inverted().transform(np.array(segment))
        for width, colour, z in ((LEADER["casing"], "white", 28.8), (LEADER["width"], LEADER["colour"], 28.9)):
            ax.plot([x0, x1], [y0, y1], color=colour, lw=width, zorder=z, gid="leader", solid_capstyle="round")
        if label.centred:
            ax.plot([label.x], [label.y], marker="o", markersize=LEADER["dot"], color=LEADER["colour"],
                    markeredgecolor="white", markeredgewidth=0.6, zorder=29, gid="leader")


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
