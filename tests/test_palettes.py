"""The maps' colour ramps without matplotlib (present/palettes.py) are matplotlib's, and the GeoPackage's
colours parse without it."""

from __future__ import annotations

import typing

import numpy as np
import pytest

from aandacht.config.presentation import MapOptions
from aandacht.present.geopackage import _rgb
from aandacht.present.maps import IKC_STYLE, NO_SCORE
from aandacht.present.palettes import palette

NAMES = typing.get_args(MapOptions.model_fields["palette"].annotation)


@pytest.mark.parametrize("name", NAMES)
def test_every_palette_the_config_allows_is_matplotlibs(name):
    matplotlib = pytest.importorskip("matplotlib")
    cmap = matplotlib.colormaps[name]
    for count in range(2, 13):
        expected = [cmap(x) for x in np.linspace(0.12, 0.95, count)]
        assert palette(name, count) == [tuple(map(float, c)) for c in expected], (name, count)


def test_the_shipped_tables_are_those_the_build_script_makes():
    """palettes.json is current: rebuilt from the installed matplotlib, the same tables (else rerun
    scripts/build_palettes.py)."""
    pytest.importorskip("matplotlib")
    import importlib.util
    import json
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "scripts" / "build_palettes.py"
    spec = importlib.util.spec_from_file_location("build_palettes", script)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    shipped = json.loads(build.TARGET.read_text(encoding="utf-8"))["palettes"]
    assert list(shipped) == list(NAMES)
    assert all(shipped[name] == build.lookup_table(name) for name in NAMES)


def test_the_geopackage_colours_are_parsed_as_rgb_without_matplotlib():
    pytest.importorskip("matplotlib")
    from matplotlib.colors import to_rgb

    colours = [style[key] for style in [*IKC_STYLE.values(), *NO_SCORE.values()]
               for key in ("facecolor", "edgecolor") if key in style] + palette("YlOrRd", 5)
    for colour in colours:
        assert _rgb(colour) == ",".join(str(round(255 * c)) for c in to_rgb(colour))
    assert _rgb("#B2182B") == "178,24,43"
    with pytest.raises(ValueError, match="'white'"):
        _rgb("white")
