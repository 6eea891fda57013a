"""Helpers for the source-loader tests (imported by them; pytest fixtures included): paths, the
Leeuwarden registry, and Excel fixtures built at test time (demonstration figures in the
documented layouts; see tests/fixtures/README.md)."""

from __future__ import annotations

import struct
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


def write_workbook(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> Path:
    """An xlsx with the given sheets (rows of cells); sheets named in ``hidden`` are hidden."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def write_ods(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> Path:
    """A minimal OpenDocument spreadsheet (content.xml only): number cells for numbers, text cells
    otherwise; sheets named in ``hidden`` get a table style with table:display="false"."""
    import zipfile
    from xml.sax.saxutils import escape

    def cell(value) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f'<table:table-cell office:value-type="float" office:value="{value!r}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    styles = ('<office:automatic-styles><style:style style:name="ta1" style:family="table"><style:table-properties '
              'table:display="true"/></style:style><style:style style:name="ta2" style:family="table">'
              '<style:table-properties table:display="false"/></style:style></office:automatic-styles>')
    body = "".join(
        f'<table:table table:name="{escape(name)}" table:style-name="{"ta2" if name in hidden else "ta1"}">'
        + "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>" for name, rows in sheets.items())
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">{styles}'
               f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                'xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def _biff(kind: int, data: bytes = b"") -> bytes:
    """One BIFF8 record: its type, its length and its data ([MS-XLS] 2.1.4)."""
    return struct.pack("<HH", kind, len(data)) + data


def write_xls(path: Path, rows: list[list], sheet: str = "Blad1", dimensions: tuple[int, int] | None = None,
              mini: bool = False) -> Path:
    """An xls (BIFF8 in an OLE2 compound file, built here: no writer of the format is installed) with
    one sheet of ``rows`` (text as LABEL, numbers as NUMBER records). Its DIMENSIONS record states
    ``dimensions`` (rows, columns) when given, else the cells' extent. The Workbook stream is padded to
    4096 bytes as Excel writes it, or, with ``mini``, kept short in the root entry's mini stream."""
    cells = [(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row) if v is not None]
    bof = [_biff(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6)) for kind in (0x0005, 0x0010)]
    name = sheet.encode("latin-1")
    globals_part = bof[0] + _biff(0x0042, struct.pack("<H", 1200))  # CODEPAGE: UTF-16
    offset = len(globals_part) + 4 + 8 + len(name) + 4  # the sheet's BOF: after BOUNDSHEET8 and EOF
    globals_part += _biff(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 0) + name) + _biff(0x000A)
    extent = dimensions or (max(r for r, _, _ in cells) + 1, max(c for _, c, _ in cells) + 1)
    body = bof[1] + _biff(0x0200, struct.pack("<IIHHH", 0, extent[0], 0, extent[1], 0))
    for r, c, value in cells:
        if isinstance(value, str):
            text = value.encode("latin-1")
            body += _biff(0x0204, struct.pack("<HHHHB", r, c, 0x0F, len(text), 0) + text)
        else:
            body += _biff(0x0203, struct.pack("<HHHd", r, c, 0x0F, value))
    book = globals_part + body + _biff(0x000A)
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    if mini:  # sector 0 the FAT, 1 the directory, 2 the mini FAT, 3... the mini stream
        size = len(book)
        book += b"\0" * (-len(book) % 64)
        count = len(book) // 64
        prefix = struct.pack("<128I", *range(1, count), end, *[free] * (128 - count))
        root, start, first_mini = (3, len(book)), 0, 2
        book += b"\0" * (-len(book) % 512)
        fat = [0xFFFFFFFD, end, end, *range(4, 3 + len(book) // 512), end]
    else:  # sector 0 the FAT, 1 the directory, 2... the Workbook stream
        book += b"\0" * (max(4096 - len(book), 0) + -max(len(book), 4096) % 512)
        size, prefix, root, start, first_mini = len(book), b"", (end, 0), 2, end
        fat = [0xFFFFFFFD, end, *range(3, 2 + len(book) // 512), end]

    def entry(text: str, kind: int, child: int, first: int, length: int) -> bytes:
        raw = text.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, free, free, child) + b"\0" * 36
                + struct.pack("<IQ", first, length))

    directory = (entry("Root Entry", 5, 1, *root) + entry("Workbook", 2, free, start, size)).ljust(512, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<9I", 0, 1, 1, 0, 4096, first_mini, int(mini), end, 0) + struct.pack("<109I", 0, *[free] * 108))
    path.write_bytes(header + struct.pack("<128I", *fat, *[free] * (128 - len(fat))) + directory + prefix + book)
    return path


@pytest.fixture
def kinderen_in_tel_xlsx(tmp_path) -> Path:
    """Tables typed over from the Kinderen in Tel databoek: one sheet per year, rows = gemeenten and
    wijken, columns = indicators (demonstration data)."""
    header = ["Gemeente", "Kinderen in uitkeringsgezinnen", "Tienermoeders", "Werkloze jongeren"]
    return write_workbook(tmp_path / "kit.xlsx", {
        "2015": [header, ["Leeuwarden", "9,1", "1,2", "8,0"], ["Heechterp-Skieringen", "21,0", "2,9", "x"],
                 ["Frijheidswyk", "18,0", "2,5", "14,1"], ["Groningen", "7,9", "0,9", "6,5"]],
        "2014": [header, ["Leeuwarden", "9,4", "1,3", "8,8"], ["Heechterp-Skieringen", "22,1", "3,0", "16,0"],
                 ["Frijheidswyk", "17,2", "2,4", "13,9"]],
    })


@pytest.fixture
def ggd_workbook(tmp_path) -> Path:
    """A GGD upload workbook of the Gezondheidsmonitor Jeugd (demonstration data): sheet Data with
    Jaar | Geolevel | Geoitem | Geslacht | <var>_gem | n_ongewogen, and the describing sheets."""
    data = [["Jaar", "Geolevel", "Geoitem", "Geslacht", "gepest_gem", "overgewicht_gem", "n_ongewogen"],
            [2023, "gemeente", 80, 0, 11.8, 14.9, 1490], [2023, "gemeente", 80, 1, 12.1, 15.2, 740],
            [2023, "gemeente", 80, 2, 11.5, 14.6, 750], [2023, "gemeente", 1900, 0, -99996, -99996, 4],
            [2023, "ggd", 1, 0, 12.0, 15.0, 9800], [2021, "gemeente", 80, 0, 12.6, 14.1, 1320]]
    return write_workbook(tmp_path / "ggd_upload.xlsx", {
        "Data": data,
        "Data_def": [["kolom", "omschrijving"], ["gepest_gem", "% leerlingen dat gepest wordt"]],
        "Dimensies": [["dimensie"], ["Geslacht"]],
        "Dimension_levels": [["dimensie", "code", "label"], ["Geslacht", 0, "totaal"], ["Geslacht", 1, "jongen"],
                             ["Geslacht", 2, "meisje"]],
        "Indicators": [["indicator", "label"], ["gepest", "% leerlingen dat gepest wordt"]],
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
