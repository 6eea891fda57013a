"""Build ``src/aandacht/present/advances.json``: the advance width of every character of DejaVu Sans and
DejaVu Sans Bold (the report PDF's fonts, shipped with matplotlib: :func:`aandacht.present.typeset.font_folder`),
so that the PDF's table columns are measured without parsing the fonts (fontTools, about 0.25 s;
:func:`aandacht.present.typeset.text_width`).

Per font, the fonts' best character map (``getBestCmap``) as runs of consecutive code points: ``[first code point,
[advance width of each, in font units]]``, and the fonts' ``units_per_em`` (the same for both). Deterministic: a
rerun on the same matplotlib gives the same bytes; a test checks the file against the installed fonts. Run from the
repository root::

    python scripts/build_advances.py
"""

from __future__ import annotations

import json
from pathlib import Path

from fontTools.ttLib import TTFont

from aandacht.present.typeset import ADVANCE_FONTS, font_folder

TARGET = Path(__file__).resolve().parent.parent / "src" / "aandacht" / "present" / "advances.json"


def advance_runs(path: Path) -> tuple[int, list[list]]:
    """The font's units per em and its advance widths as runs of consecutive code points (module docstring)."""
    font = TTFont(path, lazy=True)
    metrics = font["hmtx"].metrics
    runs: list[list] = []
    for code, name in sorted(font.getBestCmap().items()):
        if runs and runs[-1][0] + len(runs[-1][1]) == code:
            runs[-1][1].append(metrics[name][0])
        else:
            runs.append([code, [metrics[name][0]]])
    return font["head"].unitsPerEm, runs


def build() -> dict:
    """The file's content: ``units_per_em`` and per style (``regular``, ``bold``) the runs."""
    measured = {style: advance_runs(font_folder() / name) for style, name in ADVANCE_FONTS.items()}
    units = {units for units, _ in measured.values()}
    if len(units) != 1:
        raise SystemExit(f"the fonts have different units per em: {sorted(units)}")
    return {"source": "DejaVu Sans and DejaVu Sans Bold as shipped with matplotlib (Bitstream Vera / DejaVu licence): "
                      "advance widths in font units", "units_per_em": units.pop(),
            **{style: runs for style, (_, runs) in measured.items()}}


def main() -> None:
    payload = build()
    TARGET.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{TARGET}: {', '.join(f'{style} {sum(len(r[1]) for r in payload[style])} characters' for style in ADVANCE_FONTS)}")


if __name__ == "__main__":
    main()
