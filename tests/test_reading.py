"""Reading files and published numbers: Dutch number formats, CBS signs, encodings, workbook
sheets (hidden ones too), ODS and JSON, duplicated headers, and reader failures as one line."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from aandacht.errors import DataError
from aandacht.inputs.reading import collect_notes, parse_numbers, parse_values, read_table
from sources_helpers import write_ods, write_workbook, write_xls


def parse(values, **options):
    series = pd.Series(values, index=pd.RangeIndex(2, 2 + len(values), name="line"))
    return parse_values(series, "f.csv", "c", **options)


# --- numbers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("values, count, expected", [
    (["6.220", "12"], True, [6220, 12]),                  # a count: the point groups thousands
    (["6.220", "1.234,5", "12"], False, [6220, 1234.5, 12]),  # a decimal comma elsewhere decides the column
    (["6.220", "1.5"], False, [6.22, 1.5]),               # a decimal point elsewhere decides it the other way
    (["6,220", "3.5"], False, [6220, 3.5]),
    (["6\u00a0220", "6\u202f220,5", "1 234 567"], False, [6220, 6220.5, 1234567]),  # (no-break) spaces group thousands
    (["1.234.567", "0,5"], False, [1234567, 0.5]),
    (["1,234.5", "7"], False, [1234.5, 7]),
    (["0,4", "12"], False, [0.4, 12]),
])
def test_dutch_and_english_numbers_read_as_meant(values, count, expected):
    assert parse(values, count=count).values.tolist() == pytest.approx(expected)


@pytest.mark.parametrize("values, options, message", [
    (["6.220", "12"], {}, r"row 2, column c: '6.220' can be read as 6.22 or as 6220, and nothing else in the column shows"),
    (["12,5", "3.7", "1.234"], {}, r"row 4, column c: '1.234' can be read two ways, and the column writes decimals both"),
    (["12,5"], {"decimal": "."}, r"'12,5' has a ',' that is not a thousands separator, but the input says decimal: '.'"),
    (["12.5"], {"decimal": ","}, r"'12.5' has a '.' that is not a thousands separator, but the input says decimal: ','"),
    (["49.9999"], {"count": True}, r"row 2, column c: '49.9999' is not a whole number, but c is a count"),
    (["12", "inf"], {}, r"row 3, column c: 'inf' is not a finite number"),
    (["1e999"], {}, r"'1e999' is not a finite number"),
    (["nan"], {}, r"'nan' is not a finite number"),
    (["ca. 8700"], {}, r"'ca. 8700' is not a number or a known missing marker"),
    (["-99999"], {}, r"-99999 is a Swing special value whose meaning is not documented"),
])
def test_numbers_that_cannot_be_read_safely_are_refused(values, options, message):
    with pytest.raises(DataError, match=message) as error:
        parse(values, **options)
    assert "\n" not in str(error.value)


def test_explicit_decimal_mark_resolves_the_ambiguity():
    assert parse(["6.220"], decimal=",").values.tolist() == [6220]
    assert parse(["6,220"], decimal=",").values.tolist() == [6.22]
    assert parse(["6.220"], decimal=".").values.tolist() == [6.22]


def test_cbs_signs():
    parsed = parse(["-", ".", "", "x", "12*", "3,5**", "<5", "-99996", "-99999999"])
    assert parsed.values[0] == 0 and parsed.flags[0] == ""  # nihil
    assert list(parsed.flags[1:4]) == ["suppressed", "not_applicable", "suppressed"]
    assert parsed.values[4] == 12 and parsed.values[5] == 3.5 and list(parsed.provisional[4:6]) == [True, True]
    assert list(parsed.flags[6:]) == ["suppressed"] * 3 and np.isnan(parsed.values[6:]).all()
    configured = parse(["-99999", "-"], missing={"-99999": "not_collected", "-": "not_collected"})
    assert list(configured.flags) == ["not_collected", "not_collected"]
    # a configured marker that looks like a Dutch number is a marker, not that number
    configured = parse(["0,0", "3,5"], missing={"0,0": "not_collected"})
    assert np.isnan(configured.values[0]) and configured.values[1] == 3.5 and configured.flags[0] == "not_collected"


def test_each_rule_of_the_number_parser():
    # a column of whole numbers with a Swing/CBS code: the code is missing, the rest stays exact
    parsed = parse(["5", "-99999999"])
    assert parsed.values[0] == 5 and np.isnan(parsed.values[1]) and list(parsed.flags) == ["", "suppressed"]
    # a grouped number with a minus sign (8 characters) is ambiguous like 6.220, and a count reads it grouped
    with pytest.raises(DataError, match=r"'-123.456' can be read as -123.456 or as -123456"):
        parse(["-123.456"])
    assert parse(["-123.456"], count=True).values.tolist() == [-123456]
    # a decimal comma elsewhere in the column makes 6,220 a decimal
    assert parse(["6,220", "1,5"]).values.tolist() == pytest.approx([6.22, 1.5])
    # an English grouped number (1,234.5) is evidence of a decimal point
    assert parse(["6.220", "1,234.5"]).values.tolist() == pytest.approx([6.22, 1234.5])
    # scientific notation is no evidence either way
    with pytest.raises(DataError, match=r"'6.220' can be read as 6.22 or as 6220"):
        parse(["6.220", "1.5e3"])
    # odd whole counts are whole
    assert parse(["7", "3"], count=True).values.tolist() == [7, 3]


def test_signs_alone_and_stars():
    parsed = parse(["x", "-", "."])  # nothing but signs: no number to read
    assert parsed.values[1] == 0 and np.isnan(parsed.values[[0, 2]]).all()
    assert list(parsed.flags) == ["suppressed", "", "suppressed"]
    parsed = parse(["5*", "12", "1.234,5", "x*"])
    assert parsed.values[:3].tolist() == [5, 12, 1234.5] and parsed.flags[3] == "suppressed"
    assert parsed.provisional.tolist() == [True, False, False, False]  # a suppressed figure is not provisional
    with pytest.raises(DataError, match=r"row 2, column c: '\*' is not a number or a known missing marker"):
        parse(["*"])
    with pytest.raises(DataError, match=r"row 3, column c: 'nan' is not a finite number"):
        parse(["12", "nan"])


def test_parse_numbers_gives_values_and_the_missing_mask():
    values, missing = parse_numbers(pd.Series(["1", "x", "2,5", "0,5"]), "f.csv", "c")
    assert values[[0, 2, 3]].tolist() == [1.0, 2.5, 0.5] and missing.tolist() == [False, True, False, False]
    with pytest.raises(DataError, match="is not a whole number"):
        parse_numbers(pd.Series(["1", "2,5"]), "f.csv", "c", count=True)


def test_rows_with_the_same_label_are_read_by_position():
    series = pd.Series(["1", "x", "2,5"], index=[5, 5, 7])
    assert parse_values(series, "f.csv", "c").values[[0, 2]].tolist() == [1.0, 2.5]
    with pytest.raises(DataError, match=r"f.csv: row 3, column c: 'bad' is not a number"):
        parse_values(pd.Series(["1", "bad"], index=[5, 5]), "f.csv", "c")


# --- encodings and CSV structure -----------------------------------------------------------------

def test_latin1_byte_in_a_utf8_file_names_the_line(tmp_path):
    path = tmp_path / "monitor.csv"
    path.write_bytes("Wijk;waarde\nNijlân & De Zwette;1\n".encode("utf-8") + "Sonnenborgh é;2\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"monitor\.csv: line 3: byte 0xE9 is not UTF-8, but line 2 holds UTF-8 text"):
        read_table(path, expect=("Wijk",))


def test_windows_1252_file_is_read(tmp_path):
    path = tmp_path / "duo.csv"
    path.write_bytes("naam;bedrag\nRegioskoalle de Greidefûgel;€ 5\n".encode("cp1252"))
    frame = read_table(path)
    assert frame["naam"].iloc[0] == "Regioskoalle de Greidefûgel" and frame["bedrag"].iloc[0] == "€ 5"


def test_duplicated_column_header_is_refused(tmp_path):
    path = tmp_path / "kwb.csv"
    path.write_text("gwb_code_10,a_inw,p_hh_li,a_inw\nWK008010,100,10,200\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"kwb\.csv: the header names column 'a_inw' twice \(columns 2 and 4\)"):
        read_table(path)
    book = write_workbook(tmp_path / "kwb.xlsx", {"kwb": [["gwb_code_10", "a_inw", "a_inw"], ["WK008010", 1, 2]]})
    with pytest.raises(DataError, match="names column 'a_inw' twice"):
        read_table(book)


def test_row_with_more_fields_than_the_header_is_refused(tmp_path):
    """An unquoted comma in a name would shift every value after it."""
    path = tmp_path / "monitor.csv"
    path.write_text("Wijk,waarde\nBinnenstad,1\nHeechterp, Schieringen,2\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"monitor\.csv: not a readable table \(.*Expected 2 fields in line 3, saw 3"):
        read_table(path)


def test_rows_and_columns_kept_while_streaming(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("code;a;b;c\n" + "".join(f"WK{i:06d};{i};{2 * i};x\n" for i in range(1000)), encoding="utf-8")
    frame = read_table(path, columns=lambda c: c in {"code", "b"}, keep_rows=lambda f: f["code"].isin({"WK000007", "WK000999"}))
    assert list(frame.columns) == ["code", "b"] and frame["b"].tolist() == ["14", "1998"]
    assert list(frame.index) == [9, 1001]  # line numbers in the file


# --- workbooks, ODS and JSON ---------------------------------------------------------------------

@pytest.mark.parametrize("writer, suffix", [(write_workbook, "xlsx"), (write_ods, "ods")])
def test_hidden_sheet_is_skipped_unless_named(tmp_path, writer, suffix):
    path = writer(tmp_path / f"monitor.{suffix}", {
        "oud": [["Wijk", "waarde"], ["Binnenstad", 99]],
        "2024": [["Wijk", "waarde"], ["Binnenstad", 12.5]],
    }, hidden=("oud",))
    with collect_notes() as notes:
        frame = read_table(path)
    assert frame["waarde"].tolist() == ["12.5"]
    assert notes == [f"{path}: blad '2024' gelezen (zichtbaar blad 1 van 1); verborgen blad(en) niet gelezen: ['oud']"]
    assert read_table(path, sheet="oud")["waarde"].tolist() == ["99"]


def test_number_cells_are_exact(tmp_path):
    """A number cell 1.234 is 1.234, never 1234, and a count cell with a fraction is refused."""
    path = write_workbook(tmp_path / "x.xlsx", {"kwb": [["code", "g", "a"], ["WK1", 1.234, 49.9999], ["WK2", 6.22, 50]]})
    frame = read_table(path)
    assert parse(frame["g"].tolist()).values.tolist() == [1.234, 6.22]
    with pytest.raises(DataError, match="is not a whole number"):
        parse(frame["a"].tolist(), count=True)


def test_json_selection_table_and_records(tmp_path):
    table = tmp_path / "t.json"
    table.write_text('{"headers": [{"name": "Geo"}, {"name": "Perioden"}, {"name": "x"}], '
                     '"rows": [["Binnenstad", "2023", "1.5"], ["Oud-Oost", "2023", ""]]}', encoding="utf-8")
    frame = read_table(table)
    assert list(frame.columns) == ["Geo", "Perioden", "x"] and frame["x"].tolist() == ["1.5", ""]
    records = tmp_path / "r.json"
    records.write_text('[{"Geo": "Binnenstad", "x": 2}, {"Geo": "Oud-Oost", "x": null}]', encoding="utf-8")
    assert read_table(records)["x"].tolist() == ["2", ""]
    broken = tmp_path / "b.json"
    broken.write_text('{"headers": [{"name": "Geo"}], "rows": [["a", "b"]]}', encoding="utf-8")
    with pytest.raises(DataError, match=r"b\.json: row 1 of 'rows' does not have the 1 values the headers name"):
        read_table(broken)


# --- reader and engine failures ------------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["xlsx", "xls", "ods"])
def test_html_saved_as_a_workbook_is_one_line(tmp_path, suffix):
    """A web page saved with a workbook's name (a common 'Excel export'): calamine's error, in one line."""
    path = tmp_path / f"export.{suffix}"
    path.write_text("<html><body><table><tr><td>Wijk</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(DataError, match=rf"export\.{suffix}: not a readable workbook \((CalamineError|ZipError|XlsError)") \
            as error:
        read_table(path)
    assert "\n" not in str(error.value)


def test_unreadable_file_is_one_line(tmp_path, monkeypatch):
    path = tmp_path / "kwb.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    original = type(path).open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(path), "open", refuse)
    with pytest.raises(DataError, match=r"kwb\.csv: cannot be read \(Permission denied\)"):
        read_table(path)


def test_folder_given_as_file(tmp_path):
    with pytest.raises(DataError, match=r"file not found \(it is a folder\)"):
        read_table(tmp_path)


def test_windows_1252_characters_stored_as_control_characters_are_repaired(tmp_path):
    # CBS achterstandsscores 2019, GM1680: "Dalton Kindcentrum \x92t Kompas" (U+0092, a cp1252 ’ read as Latin-1)
    path = tmp_path / "scholen.csv"
    path.write_text("brin_vestiging;name\n05OC00;Dalton Kindcentrum \x92t Kompas\n06AB00;De \x93Regenboog\x94\n"
                    "07CD00;De Klimop\n", encoding="utf-8")
    with collect_notes() as notes:
        table = read_table(path)
    assert table["name"].tolist() == ["Dalton Kindcentrum ’t Kompas", "De “Regenboog”", "De Klimop"]
    assert notes == [f"{path}: 2 cel(len) met Windows-1252-tekens die als stuurtekens waren opgeslagen, gelezen als "
                     "Windows-1252 (bijvoorbeeld 'Dalton Kindcentrum \\x92t Kompas' als 'Dalton Kindcentrum ’t Kompas')"]
    book = write_workbook(tmp_path / "scholen.xlsx", {"Blad1": [["brin_vestiging", "name"], ["05OC00", "\x92t Kompas"]]})
    assert read_table(book)["name"].tolist() == ["’t Kompas"]



def test_a_table_read_twice_in_files_read_once_is_parsed_once(tmp_path, monkeypatch):
    """Each reader gets a copy of its own and the notes the first read made; a changed file is read again;
    a read of chosen columns or rows is never shared."""
    from aandacht.inputs import reading

    path = tmp_path / "scholen.csv"
    path.write_text("brin_vestiging;name\n05OC00;\x92t Kompas\n", encoding="utf-8")
    original, parsed = reading._read_text, []

    def counted(*args):
        parsed.append(args[0])
        return original(*args)

    monkeypatch.setattr(reading, "_read_text", counted)
    with reading.files_read_once():
        with collect_notes() as first_notes:
            first = read_table(path)
        first.loc[first.index[0], "name"] = "changed by the first reader"
        with collect_notes() as second_notes:
            second = read_table(path)
        assert len(parsed) == 1 and second["name"].tolist() == ["’t Kompas"]
        assert second_notes == first_notes and len(first_notes) == 1
        read_table(path, columns=lambda name: name == "name")
        assert len(parsed) == 2
        path.write_text("brin_vestiging;name\n05OC00;De Klimop\n06AB00;De Parel\n", encoding="utf-8")
        assert read_table(path)["name"].tolist() == ["De Klimop", "De Parel"] and len(parsed) == 3
    read_table(path)
    assert len(parsed) == 4  # outside the block every read parses the file

def test_text_without_control_characters_is_read_unchanged(tmp_path):
    path = tmp_path / "wijken.csv"
    path.write_text("code;naam\nWK1;Nijlân & De Zwette\nWK2;’t Zand\n", encoding="utf-8")
    with collect_notes() as notes:
        table = read_table(path)
    assert table["naam"].tolist() == ["Nijlân & De Zwette", "’t Zand"] and notes == []


# --- bounded resources ------------------------------------------------------------------------------

def test_a_sheet_whose_used_range_is_too_large_is_refused_before_it_is_read(tmp_path):
    """One space typed in XFD1048576 of a 5 kB workbook made calamine ask for 512 GiB and abort the
    process; formatted empty cells (which calamine does not read) do not count."""
    import xlsxwriter

    from aandacht.inputs.reading import MAX_SHEET_CELLS

    far, formatted = tmp_path / "far.xlsx", tmp_path / "formatted.xlsx"
    for path in (far, formatted):
        book = xlsxwriter.Workbook(path)
        sheet = book.add_worksheet("data")
        sheet.write_row(0, 0, ["area_code", "value"])
        sheet.write_row(1, 0, ["WK008010", 1.5])
        if path is far:
            sheet.write(1048575, 16383, " ")
        else:
            sheet.write_blank(1048575, 16383, None, book.add_format({"bold": True}))
        book.close()
    with pytest.raises(DataError, match=rf"far.xlsx: sheet 'data' spans 1,048,576 rows x 16,384 columns \(to cell "
                                        rf"XFD1048576\), more than the {MAX_SHEET_CELLS:,} cells"):
        read_table(far)
    assert read_table(formatted)["value"].tolist() == ["1.5"]


def test_an_ods_sheet_repeating_a_filled_cell_too_often_is_refused(tmp_path):
    import zipfile

    def ods(path, repeated_row):
        write_ods(path, {"data": [["area_code", "value"], ["WK008010", 1.5], ["HERE"]]})
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        marker = b'<table:table-row><table:table-cell office:value-type="string"><text:p>HERE</text:p></table:table-cell></table:table-row>'
        parts["content.xml"] = parts["content.xml"].replace(marker, repeated_row)
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return path

    empty_rest = (b'<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
                  b'table:number-columns-repeated="16384"/></table:table-row>')  # as LibreOffice writes the empty rest
    assert read_table(ods(tmp_path / "ok.ods", empty_rest))["value"].tolist() == ["1.5"]
    filled = (b'<table:table-row table:number-rows-repeated="20000"><table:table-cell table:number-columns-repeated="1000" '
              b'office:value-type="string"><text:p> </text:p></table:table-cell></table:table-row>')
    with pytest.raises(DataError, match=r"big.ods: sheet 'data' spans 20,002 rows x 1,000 columns \(to cell ALL20002\)"):
        read_table(ods(tmp_path / "big.ods", filled))


def test_an_xls_sheet_is_measured_by_its_dimensions_record_before_it_is_read(tmp_path):
    """BIFF8 holds up to 65,536 x 256 cells, which calamine would allocate whole; the sheet's DIMENSIONS
    record is read first (through the compound file's FAT, or its mini stream for a short workbook)."""
    rows = [["area_code", "value"], ["WK008010", 1.5]]
    for mini in (False, True):
        assert read_table(write_xls(tmp_path / f"ok{mini}.xls", rows, mini=mini))["value"].tolist() == ["1.5"]
        with pytest.raises(DataError, match=rf"far{mini}.xls: sheet 'Blad1' spans 65,536 rows x 256 columns \(to cell "
                                            r"IV65536\), more than the 5,000,000 cells"):
            read_table(write_xls(tmp_path / f"far{mini}.xls", rows, dimensions=(65_536, 256), mini=mini))


def test_text_tables_are_bounded_in_columns_and_cell_size(tmp_path):
    from aandacht.inputs.reading import MAX_COLUMNS

    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n" + "1," * MAX_COLUMNS + "1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"wide.csv: line 1: the header has 16,385 columns; aandacht reads at most 16,384"):
        read_table(wide)
    long_cell = tmp_path / "long.csv"
    long_cell.write_text("area_code;naam\nWK008010;kort\nWK008011;" + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"long.csv: row 3, column naam: a cell of 200,000 characters; a cell may hold at most 32,767"):
        read_table(long_cell)
    # the header search splits lines with Python's csv module, whose own limit (131,072) was a traceback
    with pytest.raises(DataError, match=r"long.csv: line 3: a cell of more than 131,072 characters; a cell may hold"):
        read_table(long_cell, expect=("area_code",))
    long_header = tmp_path / "header.csv"
    long_header.write_text("area_code," + "x" * 40_000 + "\nWK008010,1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"header.csv: line 1, column 2: a cell of 40,000 characters"):
        read_table(long_header)


def test_a_json_table_is_bounded_before_its_cells_are_made(tmp_path, monkeypatch):
    from aandacht.inputs import reading

    path = tmp_path / "swing.json"
    path.write_text('{"headers": [{"name": "Gebied"}, {"name": "2023"}], "rows": ' +
                    str([["WK008010", 1.5]] * 30).replace("'", '"') + "}", encoding="utf-8")
    assert len(read_table(path)) == 30
    monkeypatch.setattr(reading, "MAX_SHEET_CELLS", 59)
    with pytest.raises(DataError, match=r"swing.json: a table of 30 rows x 2 columns; aandacht reads at most 59 cells"):
        read_table(path)
    monkeypatch.setattr(reading, "MAX_JSON_MB", 0.0001)
    with pytest.raises(DataError, match=r"swing.json: a JSON table of 0 MB; aandacht reads JSON tables up to 0.0001 MB"):
        read_table(path)


# --- probes for tools/mutation_equivalents.yaml ----------------------------------------------------

NOT_NUMBERS = ["inf*", "-inf**", "+inf*", "nan*", "Infinity*", "INF", "inf", "abc", "abc*", "1e999*", "--1", "0x1A",
               "\u00bc", "1_000"]


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_probe_unmarked_text_that_is_not_plain_gives_the_same_error_either_way(value, monkeypatch):
    """Equivalent 'reading.py _to_numbers: ~marked & plain -> ~marked | plain' (issue 24 item 7 found the message
    of 'inf*' changed: 'not a number' against 'not a finite number'). The mutant lets every text without '.' or
    ',' reach pd.to_numeric; a _PLAIN that matches everything does the same. Every such value is refused
    with the same line both ways (the words for infinity and NaN, with a sign and CBS's star, are 'not a
    finite number' on every path)."""
    from aandacht.inputs import reading

    def message() -> str:
        with pytest.raises(DataError) as error:
            parse([value, "1"])
        return str(error.value)

    original = message()
    monkeypatch.setattr(reading, "_PLAIN", re.compile(r".*", re.S))
    assert message() == original
    if value.lower().strip("+-*") in ("inf", "infinity", "nan"):
        assert original.endswith(f"{value!r} is not a finite number")


def test_probe_percent_one_warns_only_for_infinite_values():
    """Equivalent 'parse_values: np.errstate(invalid="ignore") dropped' before the whole-number check of a
    count: x % 1 warns only for an infinite x (refused just before), never for NaN or a number."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(np.array([np.nan]) % 1).all() and (np.array([2.5, -3.0, 1e300]) % 1).tolist() == [0.5, 0.0, 0.0]
    with pytest.warns(RuntimeWarning):
        np.array([np.inf]) % 1
    with pytest.raises(DataError, match="not a finite number"):
        parse(["1e999", "2"], count=True)


def test_probe_default_regex_flags_of_pandas():
    """Equivalents 'drop regex=True of str.contains' and 'drop regex=False of str.replace': these are pandas'
    defaults (str.contains regex=True; str.replace regex=False from pandas 2), and ',' means nothing special
    in a regular expression, so the replacements are the same."""
    text = pd.Series(["1.234,5", "6,220", "a.b"])
    assert text.str.contains(r"[.,]").equals(text.str.contains(r"[.,]", regex=True))
    assert text.str.replace(".", "").equals(text.str.replace(".", "", regex=False))
    assert text.str.replace(",", ".", regex=True).equals(text.str.replace(",", ".", regex=False))
    assert text.str.replace(",", "", regex=True).equals(text.str.replace(",", "", regex=False))


def test_probe_wider_slow_path_masks_read_the_same(monkeypatch):
    """Equivalents on 'grouped_like' and 'slow' in parse_values (|' for '&', 8 -> 9, the filter skipped): they
    only send more values through the slow path, which reads a plain number the same. Probe: every value of
    BOTH_PATHS and 9-character decimals read with every value forced through the slow path."""
    values = [v for v in BOTH_PATHS if v not in ("-99996", "12*")] + ["12345.678", "-1234.567", "1234.5678"]
    for value in values:
        assert _slow_only(value) == _both(value), value


def _both(value: str):
    try:
        parsed = parse([value])
    except DataError:
        return "refused"
    return (None if parsed.flags[0] else float(parsed.values[0]), parsed.flags[0])


# --- one rule for both number paths --------------------------------------------------------------

BOTH_PATHS = ["+12.34", "+1,5", "+1.234", "-0.100", "0.100", "0,250", "-0,5", "12", "-3", "+7", "1e3", "1.5e-3", "+.5",
              ".5", "5.", "1_000", "0x1A", "\u0661\u0662", "1E5", "+1e2", "6.220", "6,220", "1.234,5", "+1.234,5",
              "1,234.5", "1 234", "+1 234", "00.100", "-", "inf", "+inf", "nan", "1e999", "--1", "+-1", "1.2.3", "0",
              "-0", "+0", "0.0", "1,5e3", "\u00bc", "\u00b2", "-99996", "+99", "12*"]


def _slow_only(value: str):
    """``value`` read by the slow path alone (what parse_values does with a value it cannot read in C)."""
    from aandacht.inputs import reading

    text = pd.Series([value], index=pd.RangeIndex(2, 3, name="line"))
    try:
        numbers, flags, _ = reading._slow_values(text, reading.MISSING_MARKERS, "auto", False, lambda: False,
                                                 text.index, "f.csv", "c")
    except DataError:
        return "refused"
    number, flag = float(numbers.iloc[0]), flags.iloc[0]
    if pd.isna(flag) and not np.isfinite(number):
        return "refused"
    return (number if pd.isna(flag) else None, "" if pd.isna(flag) else flag)


@pytest.mark.parametrize("value", BOTH_PATHS)
def test_the_fast_and_the_slow_path_read_every_value_alike(value):
    """The fast path (pandas in C, for plain numbers) and the slow path (signs, grouped and decimal-comma
    numbers) are one rule: a leading '+' was read on the fast path only (+12.34 read, +1,5 refused)."""
    try:
        parsed = parse([value])
        fast = (None if parsed.flags[0] else float(parsed.values[0]), parsed.flags[0])
    except DataError:
        fast = "refused"
    slow = _slow_only(value)
    if value in ("-99996",):  # a sentinel is read as a number by both paths and then flagged by parse_values
        assert fast == (None, "suppressed") and slow == (-99996.0, "")
        return
    if value == "12*":  # the provisional mark is the slow path's; the number is the same
        assert fast == (12.0, "") and slow == (12.0, "")
        return
    assert fast == slow


@pytest.mark.parametrize("value, expected", [("-0.100", -0.1), ("0.100", 0.1), ("0,250", 0.25), ("+1,5", 1.5),
                                             ("+12.34", 12.34), ("+1.234,5", 1234.5), ("5.", 5.0)])
def test_a_leading_group_of_zero_is_never_a_thousands_group_and_a_plus_is_a_sign(value, expected):
    assert parse([value]).values.tolist() == pytest.approx([expected])
    with pytest.raises(DataError, match="'1.100' can be read as 1.1 or as 1100"):  # a leading 1-999 can be a group
        parse(["1.100"])


def test_a_percent_formatted_workbook_cell_is_read_as_the_percentage_shown(tmp_path):
    """Excel stores 78.5% as 0.785 with the format 0.0%; read as 0.785 it moved Binnenstad from rank 9 to 15."""
    import xlsxwriter

    path = tmp_path / "monitor.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Tabel")
    percent, builtin = book.add_format({"num_format": "0.0%"}), book.add_format({"num_format": 10})  # 10: 0.00%
    quoted = book.add_format({"num_format": '0.0" %"'})  # a literal " %" after the number: not a percentage format
    sheet.write_row(0, 0, ["Gebied", "a", "b", "c", "d"])
    sheet.write(1, 0, "Binnenstad")
    sheet.write_number(1, 1, 0.785, percent)
    sheet.write_number(1, 2, 0.1234, builtin)
    sheet.write_number(1, 3, 12.5, quoted)
    sheet.write_number(1, 4, 0.5)
    sheet.write_string(2, 0, "Oud-Oost")
    sheet.write_string(2, 1, "0,4", percent)  # text in a percent-formatted cell stays the text it is
    book.close()
    with collect_notes() as notes:
        frame = read_table(path)
    assert frame.loc[2].tolist() == ["Binnenstad", "78.5", "12.34", "12.5", "0.5"]
    assert frame.loc[3, "a"] == "0,4"
    assert notes == [f"{path}: blad 'Tabel': 2 cel(len) opgemaakt als percentage (0,785 getoond als 78,5%), gelezen als "
                     "het getoonde percentage"]


def test_a_formula_without_a_computed_value_is_refused_not_read_as_empty(tmp_path):
    """A workbook written by a program that does not compute formulas (openpyxl, a script) holds the
    formula and no value: it was read as "no value" without a word."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["OVT", "schoolweging"])
    sheet.append(["03VL|C1", 28.5])
    sheet.append(["16NS|C1", "=B2+1"])
    book.save(tmp_path / "weging.xlsx")
    with pytest.raises(DataError, match=r"weging.xlsx: sheet 'Data', cell B3: a formula without a computed value"):
        read_table(tmp_path / "weging.xlsx")


def test_a_percentage_cell_of_an_ods_sheet_is_read_as_the_percentage_shown(tmp_path):
    import zipfile

    path = write_ods(tmp_path / "monitor.ods", {"Tabel": [["Gebied", "a", "b"], ["Binnenstad", 0.785, 0.5]]})
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["content.xml"] = parts["content.xml"].replace(
        b'office:value-type="float" office:value="0.785"', b'office:value-type="percentage" office:value="0.785"')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with collect_notes() as notes:
        frame = read_table(path)
    assert frame.loc[2].tolist() == ["Binnenstad", "78.5", "0.5"]
    assert any("1 cel(len) opgemaakt als percentage" in note for note in notes)


@pytest.mark.parametrize("one_pass_cells", [0, 10**9])
def test_blank_rows_and_long_cells_alike_per_cell_and_per_column(tmp_path, monkeypatch, one_pass_cells):
    """A gemeente's small table is checked in one pass over its cells, a national file per column in
    pandas: the same rows dropped (every cell empty or white space, a non-breaking space too) and the
    same first long cell named (column by column) either way."""
    from aandacht.inputs import reading

    monkeypatch.setattr(reading, "ONE_PASS_CELLS", one_pass_cells)
    path = tmp_path / "t.csv"
    path.write_text("code;a;b\nWK1;1;\n ; \t;\u00a0\nWK2;;x\n;;\n", encoding="utf-8")
    table = read_table(path)
    assert list(table.index) == [2, 4] and list(table["code"]) == ["WK1", "WK2"]
    long = "y" * 32_768
    path.write_text(f"code;a;b\nWK1;1;{long}\nWK2;{long};2\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"t\.csv: row 3, column a: a cell of 32,768 characters; a cell may hold at most "):
        read_table(path)


def test_markers_and_decimal_commas_read_at_once_as_the_column_steps_read_them(monkeypatch):
    """parse_values reads a column whose only values that are not plain numbers are missing markers and numbers
    with a decimal comma that cannot be a thousands group ("12,5", not "6,220") without the column-wide steps:
    on random columns of every kind of cell, the same numbers, flags, marks and errors either way."""
    import random

    from aandacht.inputs import reading

    atoms = ["12,5", "0,250", "-0,1", "+3,75", "6,220", "1.234,5", "6.220", "12.5", "7", "-", ".", "x", "?", "<5", "12,5*",
             "x*", "*", "", " 4,2 ", "1 234", "inf", "-99999", "1,5e3", "00,5", "1,2345", "abc", "1,", ",5", "12,500"]
    options = [{}, {"decimal": ","}, {"decimal": "."}, {"count": True}, {"missing": {"*": "suppressed", "x*": "suppressed"}}]

    def parsed(values, options):
        try:
            result = parse_values(pd.Series(values, dtype=object), "f.csv", "c", **options)
        except DataError as error:
            return str(error)
        return result.values.tobytes(), list(result.flags), result.provisional.tolist()

    quick = reading._markers_and_decimal_commas
    rng, taken = random.Random(23), 0
    for _ in range(120):
        values, chosen = [rng.choice(atoms) for _ in range(rng.randint(1, 5))], rng.choice(options)
        monkeypatch.setattr(reading, "_markers_and_decimal_commas", quick)
        at_once = parsed(values, chosen)
        asked = []
        monkeypatch.setattr(reading, "_markers_and_decimal_commas", lambda *args: asked.append(quick(*args)) or None)
        assert parsed(values, chosen) == at_once, (values, chosen)
        taken += any(answer is not None for answer in asked)
    assert taken >= 10  # the quick path was taken, on columns of markers, decimal commas or both
