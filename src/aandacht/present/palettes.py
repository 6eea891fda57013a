"""The maps' colour ramps (config ``maps.palette``) without matplotlib.

A colour at position ``x`` (0-1) of a ramp is what matplotlib's colormap gives: entry ``int(x * N)`` of
its lookup table of ``N`` = 256 colours (``x`` = 1 takes the last). The tables of the palettes the
config allows are shipped in ``palettes.json``, made from matplotlib by ``scripts/build_palettes.py``
(a test checks every palette against matplotlib). The main process of a herijking colours the
GeoPackage's classes and describes the maps with them, and so never imports matplotlib (about 0.3 s);
the maps themselves are drawn by a second process.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np


@cache
def _tables() -> dict[str, np.ndarray]:
    payload = json.loads((Path(__file__).parent / "palettes.json").read_text(encoding="utf-8"))
    return {name: np.asarray(rows, dtype="float64") for name, rows in payload["palettes"].items()}


def palette(name: str, count: int) -> list[tuple[float, float, float, float]]:
    """``count`` colours (RGBA, 0-1) of the ramp ``name``, evenly spaced from 0.12 to 0.95 of it: light
    enough at the low end to read a label on, short of the darkest at the high end."""
    table = _tables()[name]
    size = len(table)
    positions = np.minimum((np.linspace(0.12, 0.95, count) * size).astype(int), size - 1)
    return [(*map(float, table[i]), 1.0) for i in positions]
