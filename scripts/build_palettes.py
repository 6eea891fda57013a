"""Build ``src/aandacht/present/palettes.json``: the colour ramps the maps may use (config ``maps.palette``)
as matplotlib samples them, so that the main process of a herijking can colour the GeoPackage's classes
and describe the maps without importing matplotlib (about 0.3 s; :mod:`aandacht.present.palettes`).

For every palette name the config allows, the colormap's lookup table as matplotlib builds it
(``Colormap._lut``: ``N`` = 256 RGB entries; the ColorBrewer ramps interpolated from their nine colours,
viridis, cividis and magma listed), each value as the float matplotlib holds (JSON keeps it exactly).
Deterministic: a rerun gives the same bytes. Run from the repository root::

    python scripts/build_palettes.py
"""

from __future__ import annotations

import json
import typing
from pathlib import Path

import matplotlib

from aandacht.config.presentation import MapOptions

TARGET = Path(__file__).resolve().parent.parent / "src" / "aandacht" / "present" / "palettes.json"


def palette_names() -> list[str]:
    """The palette names the config accepts (``maps.palette``'s Literal)."""
    return list(typing.get_args(MapOptions.model_fields["palette"].annotation))


def lookup_table(name: str) -> list[list[float]]:
    """The first ``N`` entries (RGB, the alpha is always 1) of the colormap's lookup table."""
    cmap = matplotlib.colormaps[name]
    cmap(0.5)  # matplotlib builds the table on first use
    return [[float(v) for v in row[:3]] for row in cmap._lut[: cmap.N]]


def main() -> None:
    tables = {name: lookup_table(name) for name in palette_names()}
    payload = {"source": f"matplotlib {matplotlib.__version__} colormaps: the ColorBrewer ramps (Cynthia A. Brewer, "
                         "Apache License 2.0) and viridis, cividis and magma (CC0), as matplotlib samples them",
               "palettes": tables}
    TARGET.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{TARGET}: {len(tables)} palettes")


if __name__ == "__main__":
    main()
