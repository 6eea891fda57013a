"""Shared test helpers: paths, the Leeuwarden registry, and Excel fixtures built at test time
(demonstration figures in the documented layouts; see tests/fixtures/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_RAW = ROOT.parent.parent / "shared" / "data" / "raw"


@pytest.fixture(scope="session")
def registry():
    from aandacht.areas import load_registry

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
