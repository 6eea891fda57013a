"""Colour-blind safety of every palette the maps use, checked by simulation.

Each colour is passed through the Machado, Oliveira & Fernandes (2009) matrices for complete
protanopia, deuteranopia and tritanopia (severity 1.0, applied in linear sRGB), then converted to
CIELAB. A sequential palette is safe when, for every simulated vision, its classes still run from
light to dark (lightness strictly monotonic) and neighbouring classes stay clearly apart
(CIE76 distance at least 10 for up to 5 classes, at least 6 for up to 9; about 2.3 is just
noticeable). The categorical colours of the change map (Okabe-Ito) must stay apart pairwise.
Areas without a score do not rely on colour: they are hatched (tests/test_maps.py).
"""

from __future__ import annotations

import typing

import numpy as np
import pytest

from aandacht.config import MapOptions
from aandacht.present.maps import CHANGE_COLOURS, NEIGHBOUR, WATER, palette

MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "gewoon": np.eye(3).tolist(),
}
PALETTES = typing.get_args(MapOptions.model_fields["palette"].annotation)


def lab(colours, vision: str) -> np.ndarray:
    """CIELAB (D65) of sRGB colours as seen with ``vision``."""
    rgb = np.asarray([np.asarray(c, dtype="float64")[:3] for c in colours])
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    seen = np.clip(linear @ np.asarray(MACHADO[vision]).T, 0, 1)
    xyz = seen @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]).T
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


def hex_rgb(colour: str) -> tuple[float, ...]:
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def test_every_allowed_palette_is_a_list_of_sequential_colour_maps():
    assert set(PALETTES) == {"YlOrRd", "OrRd", "YlOrBr", "PuRd", "YlGnBu", "viridis", "cividis", "magma"}


@pytest.mark.parametrize("name", PALETTES)
@pytest.mark.parametrize("vision", list(MACHADO))
def test_sequential_classes_stay_ordered_and_apart(name, vision):
    for k in range(2, 10):
        colours = lab(palette(name, k), vision)
        steps = np.diff(colours[:, 0])
        assert np.all(steps < 0) or np.all(steps > 0), (name, vision, k)  # light to dark (or dark to light)
        apart = np.linalg.norm(np.diff(colours, axis=0), axis=1).min()
        assert apart >= (10 if k <= 5 else 6), (name, vision, k, apart)


@pytest.mark.parametrize("vision", list(MACHADO))
def test_change_map_categories_stay_apart(vision):
    colours = lab([hex_rgb(c) for c in CHANGE_COLOURS.values()], vision)
    distances = [np.linalg.norm(colours[i] - colours[j]) for i in range(len(colours)) for j in range(i + 1, len(colours))]
    assert min(distances) >= 15, (vision, min(distances))


def luma(colour) -> float:
    """The grey (0-255, ITU-R BT.601) a colour prints as on a greyscale printer."""
    r, g, b = (float(v) for v in colour[:3])
    return 255 * (0.299 * r + 0.587 * g + 0.114 * b)


@pytest.mark.parametrize("name", PALETTES)
def test_the_neighbours_and_water_stay_apart_from_the_lightest_class_in_greyscale(name):
    """Printed in grey, the neighbouring gemeenten (and the water) must not look like the lightest
    score class: the default YlOrRd's lowest class (luma 235) once printed as the neighbours' grey (236)."""
    for k in range(2, 10):
        colours = palette(name, k)
        lightest = max(luma(c) for c in colours)
        assert luma(hex_rgb(NEIGHBOUR["facecolor"])) - lightest >= 10, (name, k)
    assert abs(luma(hex_rgb(NEIGHBOUR["facecolor"])) - luma(hex_rgb(WATER))) >= 20
