"""scripts/build_names.py: which published wijk and buurt names of the CBS wijk- en buurtkaart 2024 the national
registry (data/nl/gebieden.csv.gz) takes, on a demonstration excerpt copied from the real source in its layout
(tests/fixtures/names: ten real rows of the table the build reads; see tests/fixtures/README.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from build_names import published_names, read_published  # noqa: E402

EXCERPT = Path(__file__).parent / "fixtures" / "names" / "wijkbuurtkaart_2024_excerpt.csv"
# The KWB 2023 codes of the excerpt's wijken (as data/nl/gebieden.csv.gz holds them) and tmap's 2022 wijk names.
CODES_2023 = pd.Series(["GM0088", "WK008800", "BU00880000", "BU00880009",
                        "GM0183", "WK018306", "BU01830600", "BU01830608", "BU01830609",
                        "GM0225", "WK022500", *[f"BU0225000{i}" for i in range(1, 7)],
                        "WK022501", "BU02250101", "BU02250102",
                        "WK022503", "BU02250301", "BU02250302", "BU02250303"])
WIJKEN_2022 = pd.Series({"WK008800": "Wijk 00", "WK018306": "Wijk 06 Reutum", "WK022500": "Druten", "WK022501": "Puiflijk",
                         "WK022503": "Deest"})


@pytest.fixture
def workbook(tmp_path):
    """Write a table in the layout of the real workbook (the excerpt, or a changed copy) and return its path."""
    def write(table: pd.DataFrame | None = None) -> Path:
        path = tmp_path / "gevoelstemperatuurbuurt_2012.xlsx"
        (pd.read_csv(EXCERPT, dtype=str) if table is None else table).to_excel(path, index=False)
        return path
    return write


def test_names_are_taken_only_where_the_2023_code_means_the_same_area(workbook):
    names, changed = published_names(workbook(), CODES_2023, WIJKEN_2022)
    # Schiermonnikoog has the same wijk and buurt codes in 2023 and 2024: every name
    assert names[["WK008800", "BU00880000", "BU00880009"]].tolist() == [
        "Wijk 00", "Schiermonnikoog", "Verspreide huizen Schiermonnikoog"]
    assert changed == ["GM0183", "GM0225"]  # Tubbergen and Druten redrew buurten in 2024
    # Druten reused WK022501 (Puiflijk in 2022) for Druten itself in 2024 (WK022500 Druten became its outskirts,
    # with one buurt of its six): none of them nor their buurten
    assert not {"WK022500", "BU02250001", "WK022501", "BU02250101", "BU02250102"} & set(names.index)
    # Deest kept its name and its three buurt codes: all named
    assert names[["WK022503", "BU02250301", "BU02250303"]].tolist() == ["Deest", "Verspreide huizen Deest",
                                                                        "Bedrijventerrein Deest"]
    # Reutum kept its name but lost BU01830608 in 2024: the wijk is named, its buurten are not
    assert names["WK018306"] == "Wijk 06 Reutum" and not {"BU01830600", "BU01830609"} & set(names.index)
    assert len(names) == 8


def test_a_gemeente_with_the_same_codes_takes_a_renamed_wijks_2024_name(workbook):
    renamed = WIJKEN_2022.copy()
    renamed["WK008800"] = "Wijk 00 Schiermonnikoog"  # another 2022 name: the division is the same, so 2024's holds
    assert published_names(workbook(), CODES_2023, renamed)[0]["WK008800"] == "Wijk 00"


@pytest.mark.parametrize("change, message", [
    (lambda t: t.drop(columns="wk_naam"), "column(s) missing: wk_naam"),
    (lambda t: t.assign(bu_naam=t["bu_naam"].where(t.index != 3, " ")), "row 5 (BU01830609): empty code or name"),
    (lambda t: t.assign(bu_code=t["bu_code"].where(t.index != 1, "BU00880000")), "row 2 (BU00880000): duplicate bu_code"),
    (lambda t: t.assign(wk_naam=t["wk_naam"].where(t.index != 8, "Dest")), "row 9 (BU02250301): wk_code with two names"),
    (lambda t: t.assign(wk_code=t["wk_code"].where(t.index != 0, "WK008801")), "row 2 (BU00880000): bu_code not in its wk_code"),
])
def test_a_bad_names_table_stops_with_one_line_naming_file_and_row(workbook, change, message):
    path = workbook(change(pd.read_csv(EXCERPT, dtype=str)))
    with pytest.raises(SystemExit) as stop:
        read_published(path)
    assert str(stop.value) == f"error: {path}: {message}"
