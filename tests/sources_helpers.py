"""Helpers for the source-loader tests (imported by them; pytest fixtures included): paths, the
Leeuwarden registry, and Excel fixtures built at test time (demonstration figures in the
documented layouts; see tests/fixtures/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_RAW = ROOT.parent / "shared" / "data" / "raw"


@pytest.fixture(scope="session")
def registry():
    from aandacht.inputs.areas import load_registry

    return load_registry(ROOT / "data" / "leeuwarden" / "areas.csv", ROOT / "data" / "leeuwarden" / "wijken.geojson")


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def kinderen_in_tel_xlsx(tmp_path) -> Path:
    """Databoek layout: one sheet per indicator, title rows, Gebied + year columns (demonstration data)."""
    title = [["Kinderen in Tel Databoek - DEMONSTRATIEDATA (fixture)"], ["Bron: fixture, geen echte cijfers"], []]
    header = ["Gebied", "2019", "2020", "2021"]
    return write_workbook(tmp_path / "kit.xlsx", {
        "Kinderen in uitkeringsgezinnen": [*title, header, ["Leeuwarden", 9.1, 8.8, 8.5],
                                           ["Heechterp-Skieringen", 21.0, 20.5, "x"], ["Vrijheidswijk", 18.0, 17.2, 16.9]],
        "Tienermoeders": [*title, header, ["Leeuwarden", 1.2, 1.1, 1.0], ["Frijheidswyk", 2.5, "-", 2.2]],
    })


VARIANTS = ("comma_utf8", "semicolon_decimal_comma_latin1", "utf8_bom", "xlsx_title_rows")


def write_variant(frame, folder: Path, name: str, variant: str) -> Path:
    """Write ``frame`` (all strings) in one of the messy layouts real extracts come in."""
    import re

    folder.mkdir(parents=True, exist_ok=True)
    if variant == "xlsx_title_rows":
        rows = [["Titel van de export"], ["Bron: fixture (demonstratiedata)"], [], list(frame.columns), *frame.values.tolist()]
        return write_workbook(folder / f"{name}.xlsx", {"Blad1": rows})
    path = folder / f"{name}.csv"
    if variant == "semicolon_decimal_comma_latin1":
        comma = frame.map(lambda v: re.sub(r"^(-?\d+)\.(\d+)$", r"\1,\2", v) if isinstance(v, str) else v)
        comma.to_csv(path, sep=";", index=False, encoding="latin-1")
    else:
        frame.to_csv(path, index=False, encoding="utf-8-sig" if variant == "utf8_bom" else "utf-8")
    return path
