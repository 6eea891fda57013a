"""The jeugdmonitor loader on fixtures that copy the documented Swing and GGD layouts
(demonstration data, see tests/fixtures/README.md): the selection table as JSON, the table
export as CSV, xlsx and ODS, and the GGD upload workbook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from aandacht.config import InputSpec, TableLayout
from aandacht.errors import ConfigError, DataError
from aandacht.inputs.load import load_input
from sources_helpers import FIXTURES, ROOT, ggd_workbook, registry, write_ods, write_workbook  # noqa: F401 (pytest fixtures)

ALIASES = ROOT / "configs" / "aliases_leeuwarden.csv"
SWING = FIXTURES / "jeugdmonitor"


def spec(path, period="2023", **extra) -> InputSpec:
    return InputSpec(loader="jeugdmonitor", path=Path(path), period=period, source="monitor", aliases=ALIASES, **extra)


def row(table, code, indicator, period="2023"):
    rows = table[(table["area_code"] == code) & (table["indicator"] == indicator) & (table["period"] == period)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_selection_table_json(registry):
    loaded = load_input(spec(SWING / "swing_selectiontable.json"), registry, "wijk")
    table, matches = loaded.table, loaded.matches.set_index("label")
    gepest = "% leerlingen dat gepest wordt"
    assert row(table, "GM0080", gepest).value == pytest.approx(11.8)
    assert row(table, "GM0080", gepest, "2021").value == pytest.approx(12.5)
    assert row(table, "WK008050", gepest).value == pytest.approx(15.1)  # Frisian name through the alias file
    assert matches.loc["Heechterp-Skieringen", "method"] == "alias"
    assert matches.loc["Vossepark en Helikon", "method"] == "fuzzy"
    assert matches.loc["Onbekende wijk", "method"] == "unmatched"
    empty = row(table, "WK008041", gepest)  # "" in the selection table: no value
    assert pd.isna(empty.value) and empty.flag == "not_collected"
    assert any("niet gekoppeld" in n and "Onbekende wijk" in n for n in loaded.notes)


def test_table_export_csv_with_title_line(registry):
    table = load_input(spec(SWING / "swing_export.csv"), registry, "wijk").table
    assert row(table, "WK008050", "% leerlingen dat gepest wordt").value == pytest.approx(15.1)  # decimal comma
    small = row(table, "WK008050", "% leerlingen met overgewicht")  # -99996: fewer than 5 respondents
    assert pd.isna(small.value) and small.flag == "suppressed"
    assert row(table, "WK008061", "% leerlingen met overgewicht").flag == "not_collected"
    assert row(table, "WK008040", "Aantal leerlingen").value == 140  # "Huizum West"
    assert row(table, "GM0080", "Aantal leerlingen").value == 1490


@pytest.mark.parametrize("writer, suffix", [(write_workbook, "xlsx"), (write_ods, "ods")])
def test_table_export_workbooks(registry, tmp_path, writer, suffix):
    rows = [["Jeugdmonitor Leeuwarden (DEMONSTRATIEGEGEVENS)"], [], ["Geo", "Perioden", "% gepest"],
            ["Heechterp-Skieringen", 2023, 15.1], ["Frijheidswyk", 2023, ""], ["80", 2023, 11.8]]
    path = writer(tmp_path / f"export.{suffix}", {"Tabel": rows})
    table = load_input(spec(path), registry, "wijk").table
    assert row(table, "WK008050", "% gepest").value == pytest.approx(15.1)
    assert row(table, "WK008061", "% gepest").flag == "not_collected"
    assert row(table, "GM0080", "% gepest").value == pytest.approx(11.8)  # gemeente number 80 -> GM0080


def test_ggd_upload_workbook(registry, ggd_workbook):
    with pytest.raises(DataError, match=r"rows repeat per area and year over dimension column\(s\) \['Geslacht'\].*filter"):
        load_input(spec(ggd_workbook), registry, "wijk")
    loaded = load_input(spec(ggd_workbook, filter={"Geslacht": "0"}), registry, "wijk")
    table = loaded.table
    gepest = row(table, "GM0080", "gepest")
    assert gepest.value == pytest.approx(11.8) and gepest.denominator == 1490  # n_ongewogen kept as the denominator
    assert row(table, "GM0080", "overgewicht", "2021").value == pytest.approx(14.1)
    assert any("GGD-regio (Geolevel ggd)" in n for n in loaded.notes)
    assert loaded.matches.set_index("label").loc["1900", "method"] == "unmatched"  # another gemeente
    boys = load_input(spec(ggd_workbook, filter={"Geslacht": "1"}), registry, "wijk").table
    assert row(boys, "GM0080", "gepest").value == pytest.approx(12.1)


@pytest.mark.parametrize("content, error, layout, expected", [
    # Swing codes whose meaning is documented nowhere are refused until the config names it
    ("Geo,Perioden,% gepest\nBinnenstad,2023,-99998\nOud-Oost,2023,12.0\n",
     r"export\.csv: row 2, column % gepest: -99998 is a Swing special value", TableLayout(missing={"-99998": "suppressed"}),
     ("WK008010", "% gepest", "flag", "suppressed")),
    # 1.490 can be 1.49 or 1490: a unit 'aantal' says it is a count
    ("Geo;Perioden;Aantal leerlingen\nLeeuwarden;2023;1.490\nBinnenstad;2023;85\n", r"'1.490' can be read as 1.49 or as 1490",
     TableLayout(units={"Aantal leerlingen": "aantal"}), ("GM0080", "Aantal leerlingen", "value", 1490)),
])
def test_what_the_config_settles(registry, tmp_path, content, error, layout, expected):
    path = tmp_path / "export.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=error):
        load_input(spec(path), registry, "wijk")
    code, indicator, field, wanted = expected
    assert row(load_input(spec(path, table=layout), registry, "wijk").table, code, indicator)[field] == wanted


def test_table_keys_that_do_not_apply(registry):
    with pytest.raises(ConfigError, match=r"table keys \['area_column'\] do not apply"):
        load_input(spec(SWING / "swing_export.csv", table=TableLayout(area_column="Wijk")), registry, "wijk")


# --- wide table exports, as real Swing exports have them -----------------------------------------

REAL_SWING = ROOT.parent / "shared" / "data" / "raw" / "swing_eindhoven" / "timed_data-Health-bad-to-worst.csv"


def eindhoven_registry(names, shared_elsewhere=()):
    """GM0772 with one wijk holding a buurt per name of the real file. The names are the file's;
    the buurt codes are invented for the test (the shared data hold no Eindhoven buurt names).
    ``shared_elsewhere``: names also given to a buurt of GM0080, as a national registry has them."""
    from aandacht.inputs.areas import AreaRegistry

    rows = [("GM0772", "Eindhoven", "gemeente", "", "2023"), ("WK077299", "Test", "wijk", "GM0772", "2023"),
            ("GM0080", "Leeuwarden", "gemeente", "", "2023"), ("WK008099", "Test", "wijk", "GM0080", "2023")]
    rows += [(f"BU0772{number:04d}", name, "buurt", "WK077299", "2023") for number, name in enumerate(names)]
    rows += [(f"BU0080{number:04d}", name, "buurt", "WK008099", "2023") for number, name in enumerate(shared_elsewhere)]
    table = pd.DataFrame(rows, columns=["area_code", "area_name", "level", "parent_code", "vintage"])
    return AreaRegistry(table.set_index("area_code", drop=False), "test registry")


@pytest.mark.skipif(not REAL_SWING.is_file(), reason="../shared/data/raw/swing_eindhoven is not present")
def test_the_real_eindhoven_export_reads_as_published():
    """The real export: `"Buurten";"<label>|<year>";...`, every field quoted, "" for no value, "." suppressed."""
    import csv

    with REAL_SWING.open(encoding="utf-8") as handle:
        names = [row[0] for row in csv.reader(handle, delimiter=";")][1:]
    registry = eindhoven_registry(names, shared_elsewhere=["Barrier", "Vaartbroek"])
    loaded = load_input(InputSpec(loader="jeugdmonitor", path=REAL_SWING, period="2022", source="swing"), registry, "buurt")
    table = loaded.table.set_index(["area_code", "period"])
    label = "Beoordeling eigen gezondheid: matig of slecht"
    assert set(loaded.table["indicator"]) == {label} and loaded.table["period"].nunique() == 17  # 2006 ... 2022
    assert set(loaded.table["level"]) == {"buurt"} and len(loaded.table) == 116 * 17
    gunterslaer = f"BU0772{names.index('Achtse Barrier-Gunterslaer'):04d}"
    assert table.loc[(gunterslaer, "2008"), "value"] == 8 and table.loc[(gunterslaer, "2022"), "value"] == 11
    assert table.loc[(gunterslaer, "2006"), "flag"] == "not_collected"  # "" in the export
    bea2 = f"BU0772{names.index('BeA2'):04d}"
    assert table.loc[(bea2, "2015"), "flag"] == "suppressed"  # "." in the export
    barrier = f"BU0772{names.index('Barrier'):04d}"  # a Leeuwarden buurt of the same name: the file's gemeente decides
    assert table.loc[(barrier, "2010"), "value"] == 19
    matches = loaded.matches.set_index("label")
    assert matches.loc["Barrier", "method"] == "name (gemeente)" and (matches["method"] != "unmatched").all()


def test_a_wide_export_with_label_and_year_headers(registry):
    """Demonstration fixture copying the real layout (tests/fixtures/README.md)."""
    loaded = load_input(spec(SWING / "swing_wide_export.csv"), registry, "wijk")
    table = loaded.table
    gepest = "% leerlingen dat gepest wordt"
    assert row(table, "WK008010", gepest, "2019").value == 14 and row(table, "WK008010", gepest, "2023").value == 13
    assert row(table, "WK008020", gepest, "2021").flag == "not_collected"
    assert row(table, "WK008071", gepest, "2023").flag == "suppressed"  # "."; Goutum is a wijk here, not the buurt
    assert row(table, "WK008073", gepest, "2019").flag == "suppressed"  # "x"
    assert set(loaded.matches["method"]) == {"name"}


def test_a_wide_export_with_more_dimensions_is_narrowed_by_the_filter(registry):
    path = SWING / "swing_wide_dimensions.csv"
    with pytest.raises(DataError, match=r"'% rookt dagelijks' 2021 has 4 columns, over the header values "
                                        r"\['12-17 jaar', '18-23 jaar', 'Jongens', 'Totaal'\]; choose one value"):
        load_input(spec(path), registry, "wijk")
    with pytest.raises(DataError, match=r"filter value\(s\) \['12-18 jaar'\] occur in no column header"):
        load_input(spec(path, filter={"leeftijd": "12-18 jaar", "geslacht": "Totaal"}), registry, "wijk")
    table = load_input(spec(path, filter={"leeftijd": "18-23 jaar", "geslacht": "Totaal"}), registry, "wijk").table
    assert row(table, "WK008010", "% rookt dagelijks", "2021").value == 23
    assert row(table, "WK008071", "% rookt dagelijks", "2023").value == 10


def test_a_wide_export_column_without_a_year_or_given_twice_is_refused(registry, tmp_path):
    for header, error in (('"% gepest|2023";"% gepest|totaal"', r"column '% gepest\|totaal' is not '<variable>\|<year>'"),
                          ('"% gepest|2023";"% gepest |2023"', r"'% gepest' 2023 is the header of 2 columns")):
        path = tmp_path / "export.csv"
        path.write_text(f'"Wijken";{header}\n"Binnenstad";12;13\n', encoding="utf-8")
        with pytest.raises(DataError, match=rf"export.csv: {error}"):
            load_input(spec(path), registry, "wijk")


def test_a_ggd_workbook_with_a_repeated_area_and_no_dimension_column(registry, tmp_path):
    """A duplicate area row without a dimension column was an IndexError traceback."""
    rows = [["Jaar", "Geolevel", "Geoitem", "gepest_gem", "n_ongewogen"], [2023, "gemeente", 80, 11.8, 1490],
            [2023, "gemeente", 80, 12.1, 740]]
    path = write_workbook(tmp_path / "ggd.xlsx", {"Data": rows})
    with pytest.raises(DataError, match=r"ggd.xlsx: row 3: a second row for Geoitem 80 \(gemeente\), Jaar 2023"):
        load_input(spec(path), registry, "wijk")
