"""Reading the tables analysts have (delimited text, Excel, ODS, JSON), checking their
columns and rows, and parsing published numbers and signs.

**Files.** :func:`read_table` reads every cell as text, whatever the format:

* delimited text with ``,``, ``;`` or tab (sniffed from the header line), in UTF-8 (with
  or without BOM) or, when the file is not UTF-8 at all, Windows-1252 (the DUO lists);
  a file that is UTF-8 in one place and not in another is refused, naming the line of the
  first byte that is not UTF-8 (it would otherwise be read with garbled names). UTF-16 is
  refused. The file is streamed: only the columns asked for are kept (``columns``), and
  rows can be filtered while reading (``keep_rows``), so a large national file does not
  have to fit in memory;
* Excel (xlsx, xlsm, xls) and OpenDocument (ods) workbooks, read with calamine. Without
  ``sheet`` the first *visible* sheet is read: a hidden sheet is read only when it is named,
  and the choice is noted (:func:`collect_notes`). A number cell of the workbook is exact:
  it is written out in a form :func:`parse_values` cannot mistake for a grouped number;
* JSON tables: the Swing selection-table shape ``{"headers": [{"name": ...}, ...],
  "rows": [[...], ...]}`` or a list of records ``[{"column": value, ...}, ...]``.

A C1 control character (U+0080-U+009F) in a cell is never text: it is a Windows-1252
character (``’``, ``“``, ``€`` ...) that was read as Latin-1 somewhere upstream (the CBS
achterstandsscores 2019 name "Dalton Kindcentrum \\x92t Kompas"). It is read as the character it
stands for, and the file and an example are noted; a map would otherwise print an empty box.

The header is the first line, or line ``header_row``, or, when ``expect`` names column
headers, the first line holding one of them: exports often carry title lines above the
header. A header that names a column twice is refused. The index of the table (named
``line``) is each row's line (CSV) or row (workbook) number in the file, so errors name
what the analyst sees (:func:`line_number`); JSON rows are numbered from 1.

**Numbers** (:func:`parse_values`): the signs of CBS's "verklaring van tekens" (``.`` and
``x`` suppressed, ``-`` nihil = 0, an empty cell not applicable, a ``*`` suffix a
provisional figure) and the Dutch and English ways of writing numbers: a decimal comma
(``0,4``), thousands grouped with a point, comma or (non-breaking) space (``6.220``,
``1.234,5``, ``6 220``). A value that can be read two ways (``6.220``: 6.22 or 6220) is
decided by the rest of its column (a decimal comma elsewhere makes the point a thousands
separator) or, for a count, read as the whole number; otherwise it is refused. A leading group
of 0 is never a thousands group (``-0.100`` is -0.1, ``0,250`` is 0.25), and a sign is ``-`` or
``+`` alike in every form; plain numbers are read by pandas in C and the rest by the patterns
below, and both follow this one rule. Every refusal is one line naming the file, row and column.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import csv
import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import DataError, require_file

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})

# CBS "verklaring van tekens" and the other markers of published tables: text -> why the value is missing.
MISSING_MARKERS: dict[str, str] = {
    ".": "suppressed", "x": "suppressed", "X": "suppressed", "?": "suppressed", "geheim": "suppressed",
    "": "not_applicable",
}
NIHIL = "-"  # CBS: the value is zero
# "<5", "< 10": a count below a disclosure threshold
_BELOW_THRESHOLD = re.compile(r"^<\s*\d+$")
# Numeric missing codes, per publisher's layout, each with its source (parse_values ``sentinels``):
# * Swing (incijfers) and the GGD upload workbook of the Gezondheidsmonitor Jeugd, as GGDs upload it to
#   Swing: -99996, "Swing's default special value for missing", written where fewer than 5 respondents
#   answered (../shared/docs/real-formats.md, "Jeugdmonitor"); read by the jeugdmonitor loader.
SWING_SENTINELS: dict[float, str] = {-99996.0: "suppressed"}
# * the CBS Wijk- en Buurtkaart and its PDOK services (the key figures beside the boundaries, in the
#   KWB variable names): -99999999 "onbekend, onvoldoende betrouwbaar of geheim" (CBS, Toelichting Wijk-
#   en Buurtkaart 2021, ch. 3); -99999998 to -99999996, the same family of codes, kept as the reader had
#   them; -99997 and -99995, which the PDOK services of 2023-2024 return for figures not published (no
#   meaning per code in the sources aandacht holds, so both are "suppressed"); read by the kwb loader.
WIJK_EN_BUURTKAART_SENTINELS: dict[float, str] = {
    -99999999.0: "suppressed", -99999998.0: "suppressed", -99999997.0: "suppressed", -99999996.0: "suppressed",
    -99997.0: "suppressed", -99995.0: "suppressed"}
# * a table of no known publisher (generic, Inspectie): the long codes, which no figure of a wijk can
#   be, and Swing's -99996; the short PDOK codes are Swing's undocumented ones there (refused below).
SENTINELS: dict[float, str] = {**{v: f for v, f in WIJK_EN_BUURTKAART_SENTINELS.items() if v < -1e7}, **SWING_SENTINELS}
# Swing special values whose meaning is documented nowhere (-99995 to -99999 but -99996): refused unless an
# input's table.missing (or the layout's sentinels) names them, never read as a number.
UNDOCUMENTED_SENTINELS = frozenset({-99999.0, -99998.0, -99997.0, -99995.0})
# The Dutch Excel dialect of every CSV aandacht writes: ';' separator, decimal comma, UTF-8 with BOM.
DUTCH_CSV = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"}

_SPACES = "\u0020\u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space
# Every pattern takes a sign, "-" or "+", the same way (pandas' fast path reads "+12.34" as well). A
# thousands group never starts with 0, so a leading group of 0 is never one: "-0.100" is -0.1 and
# "0,250" 0.25 (a human reads them so), while "6.220" stays ambiguous.
_SPACE_GROUPED = re.compile(rf"[-+]?[1-9]\d{{0,2}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d+)?")
_AMBIGUOUS_DOT = re.compile(r"[-+]?[1-9]\d{0,2}\.\d{3}")  # 6.220: 6.22 or 6220
_AMBIGUOUS_COMMA = re.compile(r"[-+]?[1-9]\d{0,2},\d{3}")  # 6,220: 6.22 or 6220
_DUTCH = re.compile(r"[-+]?(?:[1-9]\d{0,2}(?:\.\d{3})+,\d+|\d*,\d+|[1-9]\d{0,2}(?:\.\d{3}){2,})")
_ENGLISH = re.compile(r"[-+]?(?:[1-9]\d{0,2}(?:,\d{3})+\.\d+|\d*\.\d+(?:[eE][-+]?\d+)?|\d+\.|[1-9]\d{0,2}(?:,\d{3}){2,})")
_PLAIN = re.compile(r"[-+]?\d+(?:[eE][-+]?\d+)?")
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")  # 12,5 and 0,250; 6,220 is this and _AMBIGUOUS_COMMA as well


# --- notes made while reading ------------------------------------------------------------

_NOTES: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("reading_notes", default=None)


@contextlib.contextmanager
def collect_notes() -> Iterator[list[str]]:
    """Collect the notes :func:`read_table` makes (which sheet it read, rows left out) while
    the block runs; :func:`aandacht.inputs.load.load_input` adds them to a loader's notes."""
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


_OPENED: contextvars.ContextVar[dict | None] = contextvars.ContextVar("files_read", default=None)


@contextlib.contextmanager
def files_read_once() -> Iterator[None]:
    """While the block runs, a file is opened and parsed once however often it is read: a workbook is
    opened once however often its sheets are listed and read (opening parses the file: 0.05-0.07 s for
    each of the Inspectie's ODS files, which the Inspectie loader used to open three times), and a table
    read whole (:func:`read_table` without ``columns`` or ``keep_rows``) is parsed once per way of reading
    it (the gemeente's school list is read by the schoolweging, the leerresultaten and the IKCs): every
    reader gets a copy of its own, and the notes the first read made. A block inside another shares the
    outer one's files; they are let go when the outermost block ends.
    :func:`aandacht.inputs.load.load_input` runs every loader inside one,
    :func:`aandacht.inputs.load.load_indicators` all of them (every command that scores), a herijking and a
    check the whole of their reading; outside such a block every read opens the file afresh. A file changed in
    between (size or modification time) is read again."""
    if _OPENED.get() is not None:
        yield
        return
    token = _OPENED.set({})
    try:
        yield
    finally:
        _OPENED.reset(token)


def _version(path: Path) -> tuple[int, int] | None:
    """(modification time, size) of a file, the key of its contents in :func:`files_read_once`; None
    when it cannot be read (the reader then says why)."""
    try:
        state = path.stat()
    except OSError:
        return None
    return state.st_mtime_ns, state.st_size


def _note(text: str) -> None:
    notes = _NOTES.get()
    if notes is not None and text not in notes:
        notes.append(text)


# --- text files -----------------------------------------------------------------------------

_CHUNK = 1 << 23
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_BEYOND_ASCII = re.compile("[^\x00-\x7f\ufeff]")  # a character a UTF-8 file writes in several bytes (the BOM aside)


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` for a UTF-8 file (with or without BOM); ``cp1252`` (``latin-1`` when the file
    holds a byte Windows-1252 leaves undefined) for a file that is not UTF-8 anywhere.

    Refused: a missing file, UTF-16, and a file that mixes UTF-8 with another encoding (the
    message names the line of the first byte that is not UTF-8). The file is read in chunks.
    """
    require_file(path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines, utf8_line, first = 0, None, True
    with _open_binary(path) as handle:
        while True:
            chunk = handle.read(_CHUNK)
            if first and chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
                raise DataError(f"{path}: file is UTF-16 encoded; save it as UTF-8 CSV")
            first = False
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                data = error.object
                bad_line = lines + data[:error.start].count(b"\n") + 1
                before = _UTF8_MULTIBYTE.search(data, 0, error.start)
                if utf8_line is None and before is not None:
                    utf8_line = lines + data[:before.start()].count(b"\n") + 1
                if utf8_line is None:
                    utf8_line = _utf8_line_after(handle, data, error.end, lines)
                if utf8_line is not None:
                    raise DataError(
                        f"{path}: line {bad_line}: byte 0x{data[error.start]:02X} is not UTF-8, but line {utf8_line} "
                        "holds UTF-8 text: the file mixes two encodings; save it again as UTF-8"
                    ) from None
                return _single_byte_encoding(path)
            if utf8_line is None and (beyond := _BEYOND_ASCII.search(text)):
                utf8_line = lines + text.count("\n", 0, beyond.start()) + 1
            if not chunk:
                return "utf-8-sig"
            lines += chunk.count(b"\n")


def _utf8_line_after(handle, data: bytes, start: int, lines: int) -> int | None:
    """The line of the first UTF-8 multibyte character at or after ``start`` (reading on), or None."""
    match = _UTF8_MULTIBYTE.search(data, start)
    if match is not None:
        return lines + data[:match.start()].count(b"\n") + 1
    lines += data.count(b"\n")
    while chunk := handle.read(_CHUNK):
        match = _UTF8_MULTIBYTE.search(chunk)
        if match is not None:
            return lines + chunk[:match.start()].count(b"\n") + 1
        lines += chunk.count(b"\n")
    return None


def _single_byte_encoding(path: Path) -> str:
    with _open_binary(path) as handle:
        while chunk := handle.read(_CHUNK):
            if _CP1252_UNDEFINED.search(chunk):
                return "latin-1"
    return "cp1252"


def _open_binary(path: Path):
    try:
        return path.open("rb")
    except OSError as error:
        raise DataError(f"{path}: cannot be read ({error.strerror or type(error).__name__})") from None


def decode(path: Path) -> str:
    """The whole text of a small file, in the encoding :func:`detect_encoding` finds."""
    encoding = detect_encoding(path)
    with _open_binary(path) as handle:
        return handle.read().decode(encoding)


# --- tables ---------------------------------------------------------------------------------

def read_table(
    path: Path,
    *,
    sheet: str | int | None = None,
    allow_empty: bool = False,
    header_row: int | None = None,
    expect: tuple[str, ...] = (),
    columns: Callable[[str], bool] | None = None,
    keep_rows: Callable[[pd.DataFrame], pd.Series] | None = None,
) -> pd.DataFrame:
    """Read a delimited text file, a workbook sheet or a JSON table with every cell as text
    (see the module docstring).

    ``columns`` keeps only the columns whose (stripped) header it accepts (``attrs["columns_in_file"]``
    then keeps the whole header; a table read whole carries no attrs, which pandas would deep-copy into
    every frame made from it); ``keep_rows``
    returns, for a block of rows, which to keep (applied while streaming a text file). A
    file with a header but no rows is an error unless ``allow_empty``. Reader and engine
    failures (a broken workbook, a file that cannot be opened, a malformed CSV line) become
    one-line :class:`DataError` naming the file. Inside :func:`files_read_once` a table read whole
    is parsed once.
    """
    opened = _OPENED.get()
    version = _version(path) if opened is not None and columns is None and keep_rows is None else None
    if version is None:
        return _read_table(path, sheet, allow_empty, header_row, expect, columns, keep_rows)
    key = ("table", str(path.resolve()), version, sheet, header_row, tuple(expect))
    if key not in opened:  # parsed allowing no rows; whether that is allowed is each reader's own question
        with collect_notes() as notes:
            opened[key] = _read_table(path, sheet, True, header_row, expect, None, None), notes
    frame, notes = opened[key]
    for text in notes:
        _note(text)
    return _non_empty(frame.copy(), path, allow_empty)


def _read_table(path, sheet, allow_empty, header_row, expect, columns, keep_rows) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES or suffix == ".json":
        frame = _read_workbook(path, sheet, header_row, expect) if suffix in EXCEL_SUFFIXES else _read_json_table(path)
        _refuse_long_cells(frame, path)
        if columns is not None:
            header = list(frame.columns)
            frame = frame[[c for c in header if columns(c)]]
            frame.attrs["columns_in_file"] = header
        if keep_rows is not None and len(frame):
            frame = frame[keep_rows(frame).to_numpy(dtype=bool)]
    else:  # a text file is streamed: columns and rows are chosen while it is read
        frame = _read_text(path, header_row, expect, columns, keep_rows)
    return _non_empty(_repair_c1(frame, path), path, allow_empty)


def _read_text(path, header_row, expect, columns, keep_rows) -> pd.DataFrame:
    encoding = detect_encoding(path)
    head = _head_lines(path, encoding)
    if not "".join(head).strip():
        raise DataError(f"{path}: file is empty")
    start = 0
    if header_row is not None or expect:
        start = _header_index([_split_guess(line, path, number) for number, line in enumerate(head, 1)], path,
                              header_row, expect)
    try:
        separator = csv.Sniffer().sniff(head[start][:65_536], delimiters=",;\t").delimiter
    except csv.Error:
        separator = ","
    cells = _split_line(head[start], separator, path, start + 1)
    if len(cells) > MAX_COLUMNS:
        raise DataError(f"{path}: line {start + 1}: the header has {len(cells):,} columns; aandacht reads at most "
                        f"{MAX_COLUMNS:,} (as many as Excel has)")
    names = _header_names(cells, path)
    keep = [name for name in names if columns is None or columns(name)]
    parts = []
    try:
        # every column is parsed (pandas drops surplus fields silently when given usecols), so a row with
        # more fields than the header is refused; the chunks keep the memory bounded
        reader = pd.read_csv(path, sep=separator, encoding=encoding, header=None, skiprows=start, dtype=str,
                             keep_default_na=False, na_filter=False, skip_blank_lines=False, chunksize=CSV_CHUNK_ROWS)
        for chunk in reader:
            chunk = chunk.reindex(columns=range(len(names)), fill_value="")
            chunk.columns = names
            chunk.index = pd.RangeIndex(start + 1 + chunk.index[0], start + 1 + chunk.index[0] + len(chunk), name="line")
            chunk = chunk.iloc[1:] if chunk.index[0] == start + 1 else chunk
            chunk = chunk[keep]
            if keep_rows is not None and len(chunk):
                chunk = chunk[keep_rows(chunk).to_numpy(dtype=bool)]
            if len(keep):
                chunk = _without_blank_rows(chunk)
            _refuse_long_cells(chunk, path)
            parts.append(chunk)
    except pd.errors.EmptyDataError:
        parts = []
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        raise DataError(f"{path}: not a readable table ({_one_line(error)})") from None
    except OSError as error:
        raise DataError(f"{path}: cannot be read ({error.strerror or type(error).__name__})") from None
    frame = pd.concat(parts) if parts else pd.DataFrame(columns=keep, index=pd.RangeIndex(0, 0, name="line"), dtype=str)
    if columns is not None:
        frame.attrs["columns_in_file"] = names
    return frame


def _head_lines(path: Path, encoding: str, limit: int = 2000) -> list[str]:
    """The first lines of a text file (enough to find a header below title lines)."""
    lines = []
    with path.open("r", encoding=encoding, newline="") as handle:
        for line in handle:
            lines.append(line.rstrip("\r\n"))
            if len(lines) >= limit:
                break
    return lines


def _header_names(cells: list, path: Path) -> list[str]:
    """Stripped header names; empty ones become ``unnamed_<i>``; a name given twice is refused."""
    names = [str(c).replace("\ufeff", "").strip() or f"unnamed_{i}" for i, c in enumerate(cells)]
    seen: dict[str, int] = {}
    for position, name in enumerate(names):
        if name in seen:
            raise DataError(f"{path}: the header names column {name!r} twice (columns {seen[name] + 1} and "
                            f"{position + 1}); every column needs its own name")
        seen[name] = position
    return names


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _read_workbook(path: Path, sheet, header_row, expect) -> pd.DataFrame:
    name = choose_sheet(path, sheet)
    check_sheet_size(path, name)
    try:
        rows = _workbook(path).get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises its own error types for broken sheets
        raise DataError(f"{path}: sheet {name!r} cannot be read ({type(error).__name__}: {_one_line(error)})") from None
    _refuse_uncomputed_formulas(path, name)
    percent = _percent_cells(path, name)
    if percent:
        for row, column in percent:
            if row < len(rows) and column < len(rows[row]) and isinstance(rows[row][column], (int, float)) \
                    and not isinstance(rows[row][column], bool):
                rows[row][column] = float(f"{rows[row][column] * 100:.12g}")
        _note(f"{path}: blad {name!r}: {len(percent)} cel(len) opgemaakt als percentage (0,785 getoond als 78,5%), "
              "gelezen als het getoonde percentage")
    lines = [[_cell_text(v) for v in row] for row in rows]
    if not any(any(c.strip() for c in row) for row in lines):
        raise DataError(f"{path}: sheet {name!r} is empty")
    start = 0
    if header_row is not None or expect:
        start = _header_index(lines, path, header_row, expect)
    width = max(len(row) for row in lines)
    header = lines[start] + [""] * (width - len(lines[start]))
    body = [row + [""] * (width - len(row)) for row in lines[start + 1:]]
    names = _header_names(header, path)
    frame = pd.DataFrame(body, columns=names, index=pd.RangeIndex(start + 2, start + 2 + len(body), name="line"), dtype=str)
    frame = _without_blank_rows(frame)
    empty = [c for c in frame.columns if c.startswith("unnamed_") and frame[c].str.strip().eq("").all()]
    return frame.drop(columns=empty)


# The most columns a table may have, and the most characters a cell may hold: Excel's limits
# (16,384 columns, 32,767 characters), which every table an analyst has passes. A header of a million
# columns would otherwise make the CSV parser run for minutes and take gigabytes.
MAX_COLUMNS = 16_384
CSV_CHUNK_ROWS = 200_000  # rows of a CSV parsed at a time: the memory of a large file stays bounded
MAX_CELL_CHARACTERS = 32_767
# The largest JSON table read: json.loads needs about ten times the file in memory.
MAX_JSON_MB = 50
# The most cells (rows x columns, counted from the first used cell to the last) a sheet may span:
# calamine allocates the whole rectangle before anything can be checked (a 15 kB file with one space
# in cell XFD1048576 asks for 512 GiB and aborts the process), and the rows then become Python text
# (about 150 bytes a cell). 5,000,000 cells (100,000 rows of 50 columns; the national Kerncijfers
# workbook has about 2.2 million) stay under 1 GB.
MAX_SHEET_CELLS = 5_000_000
# a cell that holds something: <c r="AQ12" t="s"> (not self-closing; its attributes hold no "/")
_XLSX_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]{1,7}"[^>/]*>')
_XLSX_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"[^>/]*>')
_XLSX_ROW = re.compile(rb'<row r="([0-9]{1,7})"')


def check_sheet_size(path: Path, sheet: str) -> None:
    """Refuse a sheet whose used range spans more than :data:`MAX_SHEET_CELLS` cells, before the
    reader allocates it: for xlsx/xlsm the positions of the cells that hold something (``<c r=...>``
    elements that are not empty) are read from the sheet's XML, streamed; for ODS the rows and
    columns, their repeats included, of the cells that hold something; for xls (BIFF8) the sheet's
    DIMENSIONS record (:func:`_xls_extent`). The rectangle from the first to the last such cell is
    what calamine allocates."""
    try:
        state = path.stat()
    except OSError:
        return  # the reader says why the file cannot be read
    extent = _sheet_extent(str(path), sheet, state.st_mtime_ns, state.st_size)
    if extent is None:
        return
    rows, columns, last = extent
    if rows * columns > MAX_SHEET_CELLS:
        raise DataError(f"{path}: sheet {sheet!r} spans {rows:,} rows x {columns:,} columns (to cell {last}), more than "
                        f"the {MAX_SHEET_CELLS:,} cells aandacht reads from a sheet; delete the cells outside the table "
                        "(Ctrl+End shows the last used cell)")


@functools.lru_cache(maxsize=32)
def _sheet_extent(path: str, sheet: str, mtime: int, size: int) -> tuple[int, int, str] | None:
    """The used range of a sheet, once per version of the file (a loader may read a sheet twice)."""
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_extent(Path(path), sheet)
    if suffix == ".xls":
        return _xls_extent(Path(path), sheet)
    return _ods_extent(Path(path), sheet) if suffix == ".ods" and _ods_risky(path, mtime, size) else None


@functools.lru_cache(maxsize=8)
def _ods_risky(path: str, mtime: int, size: int) -> bool:
    """Whether an ODS file repeats a cell or row that holds something (:func:`_ods_extent`)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as book, book.open("content.xml") as content:
            return _ODS_RISKY.search(content.read()) is not None
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def column_letters(number: int) -> str:
    """A spreadsheet's column letters of column ``number`` (1-based): 'A' for 1, 'Z' for 26, 'AA' for 27, ..."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx_part(book, sheet: str) -> str | None:
    """The zip member holding ``sheet`` of an xlsx workbook (from workbook.xml and its relations)."""
    import posixpath
    import xml.etree.ElementTree as ET

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    wanted = next((s.get(relation) for s in workbook.iter(f"{main}sheet") if s.get("name") == sheet), None)
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels if r.get("Id") == wanted), None)
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _xlsx_extent(path: Path, sheet: str) -> tuple[int, int, str] | None:
    """(rows, columns, last cell) of the used range of an xlsx sheet, or None when the sheet holds
    nothing or the file is not a readable zip of that layout (calamine then says what is wrong).
    The columns are those of the cells that hold something (``<c r="AQ12" ...>`` that is not
    self-closing: a formatted empty cell is not read); the rows are first bounded by the ``<row>``
    elements (fast) and, only when that bound is too large, counted from the cells too. About
    0.4 s for 30 MB of sheet XML (calamine takes 1.7 s to read it)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            part = _xlsx_part(book, sheet)
            if part is None or part not in book.namelist():
                return None
            rows, letters = _xlsx_scan(book, part, _XLSX_ROW)
            if not letters:
                return None
            numbers = [_column_number(c) for c in letters]
            columns = max(numbers) - min(numbers) + 1
            if (max(rows) - min(rows) + 1) * columns > MAX_SHEET_CELLS:
                rows, _ = _xlsx_scan(book, part, _XLSX_CELL_ROW)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError):
        return None
    return max(rows) - min(rows) + 1, columns, f"{column_letters(max(numbers))}{max(rows)}"


def _cfb_stream(data, name: str) -> bytes | None:
    """The stream ``name`` of an OLE2 compound file (the container of an xls workbook), or None when
    ``data`` is not one or holds no such stream. [MS-CFB] sections 2.2-2.8: a 512-byte header with the
    sector size, the first 109 sector numbers of the FAT (more in DIFAT sectors), the first directory
    sector and the mini stream's cutoff; 128-byte directory entries (UTF-16 name, type, first sector,
    size); streams under the cutoff live in 64-byte sectors of the root entry's mini stream."""
    import struct

    if len(data) < 512 or data[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return None
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if not 7 <= shift <= 16 or not 2 <= mini_shift < shift:
        return None
    size = 1 << shift
    fat_count, first_directory = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_mini_fat, _, first_difat, difat_count = struct.unpack_from("<IIIII", data, 0x38)
    total = (len(data) >> shift) + 1

    def sector(number: int) -> bytes:
        return bytes(data[(number + 1) << shift:(number + 2) << shift])

    def chain(start: int, table: list[int]) -> list[int]:
        found = []
        while start < len(table) and len(found) <= len(table):  # a cycle ends at the table's length
            found.append(start)
            start = table[start]
        return found

    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    for _ in range(min(difat_count, total)):
        if first_difat >= total:
            break
        entries = struct.unpack(f"<{size // 4}I", sector(first_difat))
        fat_sectors.extend(entries[:-1])
        first_difat = entries[-1]
    fat: list[int] = []
    for number in fat_sectors[:min(fat_count, total)]:
        if number < total:
            fat.extend(struct.unpack(f"<{size // 4}I", sector(number)))
    directory = b"".join(sector(n) for n in chain(first_directory, fat))
    entries = [directory[i:i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        return None

    def stream(entry: bytes, table: list[int], source) -> bytes:
        start, length = struct.unpack_from("<II", entry, 116)
        return b"".join(source(n) for n in chain(start, table))[:length]

    for entry in entries:
        length = min(struct.unpack_from("<H", entry, 64)[0], 64)
        if entry[66] != 2 or entry[:max(length - 2, 0)].decode("utf-16-le", "replace") != name:
            continue
        if struct.unpack_from("<I", entry, 120)[0] >= cutoff:
            return stream(entry, fat, sector)
        mini_fat_bytes = b"".join(sector(n) for n in chain(first_mini_fat, fat))
        mini_fat = list(struct.unpack(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes))
        mini = stream(entries[0], fat, sector)
        mini_size = 1 << mini_shift
        return stream(entry, mini_fat, lambda n: mini[n * mini_size:(n + 1) * mini_size])
    return None


def _xls_extent(path: Path, sheet: str) -> tuple[int, int, str] | None:
    """(rows, columns, last cell) of an xls (BIFF8) sheet from its DIMENSIONS record (type 0x0200: the
    first row, the last row + 1, the first column, the last column + 1 of the cells the sheet holds;
    [MS-XLS] 2.4.90), found through the workbook globals' BOUNDSHEET8 record (0x0085: the sheet's
    offset in the Workbook stream and its name; [MS-XLS] 2.4.28); None when the file is not of that
    layout (calamine then says what is wrong). Excel and LibreOffice write the record, so only it is
    read, not the cells."""
    import mmap
    import struct

    try:
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            book = _cfb_stream(data, "Workbook") or _cfb_stream(data, "Book")
    except (OSError, ValueError, struct.error):
        return None
    if book is None:
        return None
    offset = None
    position = 0
    try:
        while position + 4 <= len(book):  # the globals: up to their EOF record (0x000A)
            kind, length = struct.unpack_from("<HH", book, position)
            record = book[position + 4:position + 4 + length]
            if kind == 0x000A:
                break
            if kind == 0x0085 and len(record) > 8:
                count, wide = record[6], record[7] & 1
                text = record[8:8 + count * (2 if wide else 1)]
                if text.decode("utf-16-le" if wide else "latin-1", "replace") == sheet:
                    offset = struct.unpack_from("<I", record, 0)[0]
            position += 4 + length
        position = offset if offset is not None else len(book)
        while position + 4 <= len(book):
            kind, length = struct.unpack_from("<HH", book, position)
            if kind == 0x000A:
                return None
            if kind == 0x0200 and length >= 12:
                first_row, end_row, first_column, end_column = struct.unpack_from("<IIHH", book, position + 4)
                if end_row <= first_row or end_column <= first_column:
                    return None
                return end_row - first_row, end_column - first_column, f"{column_letters(end_column)}{end_row}"
            position += 4 + length
    except struct.error:
        return None
    return None


def _xlsx_scan(book, part: str, row_pattern: re.Pattern) -> tuple[list[int], set[bytes]]:
    """The lowest and highest row numbers ``row_pattern`` finds, and the column letters of the cells
    that hold something, streaming the sheet's XML; ValueError for cells without a position."""
    rows, letters, tail = [], set(), b""
    with book.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            cut = data.rfind(b"<")
            data, tail = data[:cut], data[cut:]
            if data.count(b"<c ") + data.count(b"<c>") != data.count(b'<c r="'):
                raise ValueError("cells without a position (allowed, rare): left to the reader")
            letters |= set(_XLSX_CELL_COLUMN.findall(data))
            found = _XLSX_ROW.findall(data) if row_pattern is _XLSX_ROW else row_pattern.findall(data)
            if found:
                numbers = np.array(found, dtype="S7").astype(np.int64)
                rows += [int(numbers.min()), int(numbers.max())]
    return rows or [1], letters


_ODS_RISKY = re.compile(rb'<table:(?:covered-)?table-cell[^>]*?number-columns-repeated="\d+"[^>]*?[^/]>'
                        rb'|<table:table-row[^>]*?number-rows-repeated="\d+"[^>]*?[^/]>'
                        rb'(?:<table:table-cell[^>]*/>)*+(?!</table:table-row>)')


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _ods_rows(path: Path, sheet: str):
    """The rows of an ODS sheet, streamed from content.xml: (first row, 0-based; times the row repeats;
    [(first column, times the cell repeats, value type or "" when empty)]). Raises the zip and XML
    readers' errors."""
    import xml.etree.ElementTree as ET
    import zipfile

    table, row = f"{_ODS_TABLE}table", f"{_ODS_TABLE}table-row"
    cells = (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell")
    with zipfile.ZipFile(path) as book, book.open("content.xml") as stream:
        inside, row_number = False, 0
        for event, element in ET.iterparse(stream, events=("start", "end")):
            if element.tag == table:
                if event == "start":
                    inside = element.get(f"{_ODS_TABLE}name") == sheet
                elif inside:
                    return
            elif event == "end" and element.tag == row:
                if inside:
                    column, found = 0, []
                    for child in element:
                        if child.tag in cells:
                            times = int(child.get(f"{_ODS_TABLE}number-columns-repeated", "1"))
                            kind = child.get(f"{_ODS_OFFICE}value-type") or ("string" if len(child) else "")
                            found.append((column, times, kind))
                            column += times
                    repeat = int(element.get(f"{_ODS_TABLE}number-rows-repeated", "1"))
                    yield row_number, repeat, found
                    row_number += repeat
                element.clear()


def _ods_sheet_names(path: Path) -> list[str]:
    """The sheet names of an ODS file whose content repeats a cell or row that holds something
    (:func:`_ods_risky`), read before calamine opens it (calamine expands every sheet's repeats on
    opening, so the size of each is checked first); empty for other files."""
    import zipfile

    state = path.stat()
    if not _ods_risky(str(path), state.st_mtime_ns, state.st_size):
        return []
    try:
        with zipfile.ZipFile(path) as book, book.open("content.xml") as content:
            found = re.findall(rb'<table:table\b[^>]*?table:name="([^"]*)"', content.read())
    except (OSError, KeyError, zipfile.BadZipFile):
        return []
    from xml.sax.saxutils import unescape

    return [unescape(name.decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"}) for name in found]


def _ods_extent(path: Path, sheet: str) -> tuple[int, int, str] | None:
    """(rows, columns, last cell) of the used range of an ODS sheet, or None when the file cannot be
    parsed here. Only repeated cells and rows that hold something (LibreOffice writes the empty rest
    of a sheet as empty cells repeated 16,000 times and rows repeated a million times) make the reader
    allocate more than the file spells out, so the sheet is parsed (rows and cells counted as often as
    they repeat) only when one is there (:func:`_ods_risky`)."""
    import xml.etree.ElementTree as ET
    import zipfile

    high_row = high_column = 0
    try:
        for first, repeat, cells in _ods_rows(path, sheet):
            used = max((column + times for column, times, kind in cells if kind), default=0)
            if used:
                high_row, high_column = first + repeat, max(high_column, used)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ET.ParseError):
        return None
    if not high_row:
        return None
    return high_row, high_column, f"{column_letters(high_column)}{high_row}"


def _ods_percent_cells(path: Path, sheet: str) -> set[tuple[int, int]]:
    """(row, column), 0-based, of the cells of an ODS sheet whose value type is ``percentage`` (stored as
    the fraction, 0.785 for 78.5%, which calamine hands on); only parsed when the file has one."""
    import xml.etree.ElementTree as ET
    import zipfile

    try:
        with zipfile.ZipFile(path) as book, book.open("content.xml") as content:
            if b'value-type="percentage"' not in content.read():
                return set()
        found = set()
        for first, repeat, cells in _ods_rows(path, sheet):
            for column, times, kind in cells:
                if kind == "percentage":
                    found |= {(r, c) for r in range(first, first + min(repeat, MAX_SHEET_CELLS))
                              for c in range(column, column + min(times, MAX_SHEET_CELLS))}
        return found
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ET.ParseError):
        return set()


# a cell with a formula and no computed value (<c r="B2"><f>A2*2</f></c> or <v></v>): written by a program
# that does not compute formulas (openpyxl, a script); a reader sees an empty cell
_XLSX_UNCOMPUTED = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>/]*><f(?:\s[^>]*)?(?:/>|>[^<]*</f>)(?:<v\s*/>|<v></v>)?</c>')


def _refuse_uncomputed_formulas(path: Path, sheet: str) -> None:
    """Refuse an xlsx sheet with a formula cell that holds no computed value, naming the cell: it would
    be read as an empty cell ("no value") without a word."""
    import zipfile

    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return
    try:
        with zipfile.ZipFile(path) as book:
            part = _xlsx_part(book, sheet)
            data = book.read(part) if part is not None else b""
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError):
        return
    if b"<f" not in data:
        return
    found = _XLSX_UNCOMPUTED.search(data)
    if found:
        raise DataError(f"{path}: sheet {sheet!r}, cell {found.group(1).decode()}: a formula without a computed value "
                        "(the file was written by a program that does not compute formulas); open it in Excel or "
                        "LibreOffice and save it, or replace the formulas by their values")


_XLSX_STYLED_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"([^>/]*)>')
_PERCENT_BUILTIN = frozenset({9, 10})  # 0% and 0.00% (ECMA-376 part 1, 18.8.30)


def _percent_cells(path: Path, sheet: str) -> set[tuple[int, int]]:
    """(row, column), 0-based from A1, of the number cells of an xlsx sheet whose number format is a
    percentage: Excel stores 78.5% as 0.785 and calamine hands on 0.785, so the cell would be read as
    0.785 "percent". The styles part says which cell formats are percentages (built-in formats 9 and
    10, or a format code with a ``%`` outside quotes); the sheet's XML which cells use them. In an ODS
    file the cell's value type says it (:func:`_ods_percent_cells`). Empty for xls (not read for formats)."""
    import xml.etree.ElementTree as ET
    import zipfile

    if path.suffix.lower() == ".ods":
        return _ods_percent_cells(path, sheet)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return set()
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    try:
        with zipfile.ZipFile(path) as book:
            if "xl/styles.xml" not in book.namelist():
                return set()
            styles = ET.fromstring(book.read("xl/styles.xml"))
            codes = {int(f.get("numFmtId", -1)): f.get("formatCode", "") for f in styles.iter(f"{main}numFmt")}
            percent_formats = set(_PERCENT_BUILTIN) | {i for i, code in codes.items() if "%" in re.sub(r'"[^"]*"|\\.', "", code)}
            cell_xfs = styles.find(f"{main}cellXfs")
            styles_used = {str(i).encode() for i, xf in enumerate(cell_xfs if cell_xfs is not None else [])
                           if int(xf.get("numFmtId", 0)) in percent_formats}
            if not styles_used:
                return set()
            part = _xlsx_part(book, sheet)
            if part is None:
                return set()
            found = set()
            for letters, row, attributes in _XLSX_STYLED_CELL.findall(book.read(part)):
                style = re.search(rb'\bs="(\d+)"', attributes)
                kind = re.search(rb'\bt="(\w+)"', attributes)
                if style and style.group(1) in styles_used and (kind is None or kind.group(1) == b"n"):
                    found.add((int(row) - 1, _column_number(letters) - 1))
            return found
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ET.ParseError):
        return set()


def _workbook(path: Path):
    from python_calamine import CalamineWorkbook

    require_file(path)
    opened = _OPENED.get()
    if opened is not None:
        key = ("workbook", str(path.resolve()), _version(path))
        if key in opened:
            return opened[key]
    if path.suffix.lower() == ".ods":  # calamine expands an ODS file's repeats when it opens it
        for name in _ods_sheet_names(path):
            check_sheet_size(path, name)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except PermissionError as error:
        raise DataError(f"{path}: cannot be read ({error.strerror})") from None
    except Exception as error:  # calamine raises its own error types (CalamineError, ...) for broken files
        raise DataError(f"{path}: not a readable workbook ({type(error).__name__}: {_one_line(error)})") from None
    if opened is not None:
        opened[key] = book
    return book


def sheet_names(path: Path, hidden: bool = False) -> list[str]:
    """The sheet names of a workbook, in order; hidden sheets only when ``hidden``."""
    book = _workbook(path)
    return [m.name for m in book.sheets_metadata if hidden or _visible(m)]


def _visible(metadata) -> bool:
    return str(getattr(metadata, "visible", "Visible")).rsplit(".", 1)[-1] == "Visible"


def choose_sheet(path: Path, sheet: str | int | None) -> str:
    """The sheet to read: the one named (even when hidden), the ``sheet``-th visible sheet
    (0-based), or the first visible sheet; the choice is noted when the workbook has more
    than one sheet."""
    book = _workbook(path)
    every = [m.name for m in book.sheets_metadata]
    visible = [m.name for m in book.sheets_metadata if _visible(m)]
    hidden = [n for n in every if n not in visible]
    if isinstance(sheet, str):
        if sheet not in every:
            raise DataError(f"{path}: no sheet {sheet!r}; the sheets are {every}")
        return sheet
    if not visible:
        raise DataError(f"{path}: every sheet is hidden ({every}); name the sheet to read")
    position = sheet or 0
    if position >= len(visible):
        raise DataError(f"{path}: sheet number {position} does not exist; the visible sheets are {visible}")
    chosen = visible[position]
    if len(every) > 1:
        skipped = f"; verborgen blad(en) niet gelezen: {hidden}" if hidden else ""
        _note(f"{path}: blad {chosen!r} gelezen (zichtbaar blad {position + 1} van {len(visible)}){skipped}")
    return chosen


def _cell_text(value) -> str:
    """A workbook cell as text. Number cells are exact, so they are written so that
    :func:`parse_values` cannot take them for a grouped number (1.234 becomes "1.234e0")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = repr(value)
        return text + "e0" if _AMBIGUOUS_DOT.fullmatch(text) else text
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _read_json_table(path: Path) -> pd.DataFrame:
    """A JSON table (module docstring): headers and rows, or a list of records. A file over
    :data:`MAX_JSON_MB` and a table of more than :data:`MAX_SHEET_CELLS` cells are refused before
    the cells are made."""
    require_file(path)
    if path.stat().st_size > MAX_JSON_MB * 1_000_000:
        raise DataError(f"{path}: a JSON table of {path.stat().st_size / 1e6:,.0f} MB; aandacht reads JSON tables up to "
                        f"{MAX_JSON_MB} MB (reading JSON takes about ten times its size in memory); export a CSV")
    text = decode(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    if isinstance(data, dict) and isinstance(data.get("headers"), list) and isinstance(data.get("rows"), list):
        headers = [h.get("name", "") if isinstance(h, dict) else h for h in data["headers"]]
        names = _header_names(headers, path)
        rows = data["rows"]
        _refuse_cells(len(rows), len(names), path)
        bad = next((i for i, row in enumerate(rows) if not isinstance(row, list) or len(row) != len(names)), None)
        if bad is not None:
            raise DataError(f"{path}: row {bad + 1} of 'rows' does not have the {len(names)} values the headers name")
        body = [[_json_text(v) for v in row] for row in rows]
    elif isinstance(data, list) and all(isinstance(r, dict) for r in data):
        names = _header_names(list(dict.fromkeys(k for r in data for k in r)), path)
        _refuse_cells(len(data), len(names), path)
        body = [[_json_text(r.get(n)) for n in names] for r in data]
    else:
        raise DataError(f"{path}: not a JSON table; expected {{\"headers\": [...], \"rows\": [[...]]}} or a list of records")
    return pd.DataFrame(body, columns=names, index=pd.RangeIndex(1, len(body) + 1, name="line"), dtype=str)


def _refuse_cells(rows: int, columns: int, path: Path) -> None:
    if columns > MAX_COLUMNS or rows * columns > MAX_SHEET_CELLS:
        raise DataError(f"{path}: a table of {rows:,} rows x {columns:,} columns; aandacht reads at most "
                        f"{MAX_SHEET_CELLS:,} cells and {MAX_COLUMNS:,} columns from one table")


def _json_text(value) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return _cell_text(value)


def line_number(index: pd.Index, position: int) -> int:
    """The line (or workbook row) number in the file of the row at ``position``: the index
    label when :func:`read_table` numbered the rows, else ``position + 2`` (header on line 1)."""
    return int(index[position]) if index.name == "line" else position + 2


def require_columns(frame: pd.DataFrame, columns, origin, what: str) -> None:
    """Raise ``<origin>: <what> lacks column(s) [...]; expected a, b, c`` when any of ``columns`` is absent."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{origin}: {what} lacks column(s) {missing}; expected {', '.join(columns)}")


def fail_at_first(mask, index: pd.Index, origin, problem, column: str | None = None) -> None:
    """When ``mask`` is true anywhere, raise ``<origin>: row <line>[, column <column>]: <problem>``
    for its first true position; ``problem(position)`` says what is wrong there. The row is the
    line in the file (:func:`line_number`)."""
    flags = np.asarray(mask, dtype=bool)
    if flags.any():
        position = int(np.flatnonzero(flags)[0])
        where = f"row {line_number(index, position)}" + (f", column {column}" if column else "")
        raise DataError(f"{origin}: {where}: {problem(position)}")


def apply_filter(frame: pd.DataFrame, selection: dict[str, str | list[str]], origin) -> pd.DataFrame:
    """Keep the rows whose dimension columns hold one of the selected values (codes compared
    after stripping), for example ``{"VormenVanJeugdzorg": "T001203"}``; a column that is not
    in the table, or a selected value that never occurs, is an error."""
    keep = pd.Series(True, index=frame.index)
    for column, wanted in selection.items():
        if column not in frame.columns:
            raise DataError(f"{origin}: filter names column {column!r}, which is not in the table; "
                            f"columns are {list(frame.columns)[:15]}")
        values = frame[column].astype(str).str.strip()
        allowed = {str(w).strip() for w in ([wanted] if isinstance(wanted, str) else wanted)}
        absent = sorted(allowed - set(values))
        if absent:
            raise DataError(f"{origin}: filter {column}: value(s) {absent} do not occur; "
                            f"it holds {sorted(set(values))[:12]}")
        keep &= values.isin(allowed)
    return frame[keep.to_numpy()]


# The yes/no words of the files aandacht writes: ``ja``/``nee`` since issue 23, ``True``/``False`` before (and
# pandas' own spelling); read back as booleans by :func:`read_csv_nl`, written by
# :func:`aandacht.present.tables.write_csv`.
FLAG_WORDS = {"ja": True, "nee": False, "true": True, "false": False}


def flag(value, where: str) -> bool:
    """One yes/no value of a file aandacht wrote: a boolean, or ``ja``/``nee``/``True``/``False`` in any case
    (:data:`FLAG_WORDS`). Anything else, an empty cell too, is an error naming ``where`` (file, row and
    column): ``bool("nee")`` is True, so no value is taken for a flag by Python's truth."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    word = str(value).strip().lower() if isinstance(value, str) else None
    if word not in FLAG_WORDS:
        raise DataError(f"{where}: {value!r} is not ja/nee (or True/False)")
    return FLAG_WORDS[word]


def flags_read(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every column whose non-empty cells are all yes/no words (:data:`FLAG_WORDS`) as booleans
    (object dtype where a cell is empty, which stays missing), as pandas reads ``True``/``False`` itself: a
    round written with ``ja``/``nee`` and one written before with ``True``/``False`` read the same."""
    converted = {}
    for column in frame.columns:
        values = frame[column]
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        present = values.dropna()
        if present.empty or not present.map(lambda v: isinstance(v, (bool, np.bool_))
                                            or (isinstance(v, str) and v.strip().lower() in FLAG_WORDS)).all():
            continue
        as_bool = values.astype(object).map(lambda v: v if pd.isna(v) else flag(v, str(column)))
        converted[column] = as_bool.astype(bool) if len(present) == len(values) else as_bool
    return frame.assign(**converted) if converted else frame


def require_flags(frame: pd.DataFrame, columns: tuple[str, ...], origin) -> pd.DataFrame:
    """``frame`` with each of ``columns`` it has as booleans, every cell a yes/no word (:func:`flag`); the first
    cell that is not, an empty one too, is an error naming ``origin``, its row (as a spreadsheet counts,
    the header being row 1) and column."""
    converted = {}
    for column in (c for c in columns if c in frame.columns):
        converted[column] = [flag(value, f"{origin}: row {number + 2}, column {column}")
                             for number, value in enumerate(frame[column].astype(object))]
    return frame.assign(**converted) if converted else frame


def read_csv_nl(path: Path) -> pd.DataFrame:
    """Read a CSV that aandacht wrote in the Dutch Excel dialect (:data:`DUTCH_CSV`); yes/no columns
    (``ja``/``nee``, or ``True``/``False`` of files written before) as booleans (:func:`flags_read`)."""
    return flags_read(pd.read_csv(path, dtype={"area_code": str}, **DUTCH_CSV))


_C1 = re.compile("[\x80-\x9f]")


def _as_cp1252(text: str) -> str:
    return _C1.sub(lambda m: bytes([ord(m.group())]).decode("cp1252", errors="replace"), text)


def _repair_c1(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The table with every C1 control character read as the Windows-1252 character it stands for
    (module docstring), noted with an example. One search over all cells decides whether any is there."""
    cells = [v for v in frame.to_numpy(dtype=object).ravel() if isinstance(v, str)]
    if not _C1.search("\x00".join(cells)):
        return frame
    frame = frame.copy()
    count, example = 0, None
    for column in frame.columns:
        values = frame[column]
        hit = values.map(lambda v: isinstance(v, str) and _C1.search(v) is not None).to_numpy(dtype=bool)
        if hit.any():
            count += int(hit.sum())
            example = example or values[hit].iloc[0]
            frame.loc[hit, column] = values[hit].map(_as_cp1252)
    _note(f"{path}: {count} cel(len) met Windows-1252-tekens die als stuurtekens waren opgeslagen, gelezen als "
          f"Windows-1252 (bijvoorbeeld {example!r} als {_as_cp1252(example)!r})")
    return frame


def _non_empty(frame: pd.DataFrame, path: Path, allow_empty: bool) -> pd.DataFrame:
    if frame.empty and not allow_empty:
        raise DataError(f"{path}: file has a header but no rows")
    return frame


def _split_guess(line: str, path: Path, number: int) -> list[str]:
    """Cells of a text line (line ``number`` of ``path``), splitting on whichever of ; tab , occurs most."""
    return _split_line(line, max(";\t,", key=line.count), path, number)


def _split_line(line: str, separator: str, path: Path, number: int) -> list[str]:
    """Cells of line ``number`` of a text file; a cell longer than :data:`MAX_CELL_CHARACTERS` is refused
    (Python's csv module stops at 131,072 characters with its own error)."""
    try:
        cells = next(csv.reader([line], delimiter=separator), [])
    except csv.Error as error:
        reason = (f"a cell of more than {csv.field_size_limit():,} characters" if "field larger" in str(error)
                  else _one_line(error))
        raise DataError(f"{path}: line {number}: {reason}; a cell may hold at most {MAX_CELL_CHARACTERS:,} "
                        "characters (as in Excel)") from None
    longest = max(range(len(cells)), key=lambda i: len(cells[i]), default=None)
    if longest is not None and len(cells[longest]) > MAX_CELL_CHARACTERS:
        raise DataError(f"{path}: line {number}, column {longest + 1}: a cell of {len(cells[longest]):,} characters; "
                        f"a cell may hold at most {MAX_CELL_CHARACTERS:,} (as in Excel)")
    return cells


# Up to this many cells a table's checks go over the cells once in Python (a pandas call per column costs
# more on a gemeente's small tables: a tenth of a second per herijking); above it, per column in pandas
# (faster on a national file: 8 million cells 1.5x faster). Both follow one rule; tests check both.
ONE_PASS_CELLS = 100_000


def _refuse_long_cells(frame: pd.DataFrame, path: Path) -> None:
    """Refuse a cell longer than :data:`MAX_CELL_CHARACTERS`, naming its row and column (the first such
    cell column by column)."""
    if not frame.size:
        return
    if frame.size <= ONE_PASS_CELLS:
        cells = frame.to_numpy(dtype=object).ravel(order="F")  # column by column
        lengths = np.fromiter((len(c) if isinstance(c, str) else 0 for c in cells), dtype=np.int64, count=len(cells))
        lengths = lengths.reshape(frame.shape, order="F")
    else:
        lengths = np.column_stack([frame[c].str.len().fillna(0).to_numpy(dtype=np.int64) for c in frame.columns])
    too_long = lengths.T > MAX_CELL_CHARACTERS
    if too_long.any():
        column, position = (int(i) for i in np.argwhere(too_long)[0])
        raise DataError(f"{path}: row {line_number(frame.index, position)}, column {frame.columns[column]}: a cell of "
                        f"{int(lengths[position, column]):,} characters; a cell may hold at most {MAX_CELL_CHARACTERS:,} "
                        "(as in Excel)")


def _without_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (text cells) without the rows whose every cell is empty or white space (a row's cells
    joined strip to nothing exactly then)."""
    if frame.size <= ONE_PASS_CELLS:
        blank = np.fromiter((not "".join(row).strip() for row in frame.itertuples(index=False, name=None)), dtype=bool,
                            count=len(frame))
    else:
        blank = frame.apply(lambda c: c.str.strip()).eq("").all(axis=1).to_numpy(dtype=bool)
    return frame[~blank]


def _header_index(lines: list[list[str]], path: Path, header_row: int | None, expect: tuple[str, ...]) -> int:
    """0-based index of the header line: ``header_row`` (1-based) or the first line holding an ``expect`` name."""
    if header_row is not None:
        if not 1 <= header_row <= len(lines):
            raise DataError(f"{path}: header_row {header_row} is outside the file ({len(lines)} lines)")
        return header_row - 1
    wanted = {e.strip().lower() for e in expect}
    for index, cells in enumerate(lines):
        if wanted & {str(c).replace("\ufeff", "").strip().lower() for c in cells}:
            return index
    raise DataError(f"{path}: no header line with any of the columns {sorted(expect)}")


# --- numbers --------------------------------------------------------------------------------

class Parsed(NamedTuple):
    """Parsed published numbers: ``values`` (NaN where missing), ``flags`` (why a value is
    missing: ``suppressed``, ``not_applicable``, ``not_collected``; "" where present) and
    ``provisional`` (CBS ``*``: a provisional figure)."""

    values: np.ndarray
    flags: np.ndarray
    provisional: np.ndarray


def parse_numbers(values: pd.Series, origin: str, column: str, count: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Parse published numbers (:func:`parse_values`); return (values, missing mask)."""
    parsed = parse_values(values, origin, column, count=count)
    return parsed.values, parsed.flags != ""


def parse_values(
    values: pd.Series, origin: str, column: str, decimal: str = "auto", missing: dict[str, str] | None = None,
    count: bool = False, sentinels: dict[float, str] = SENTINELS,
) -> Parsed:
    """Parse published numbers and signs (see the module docstring).

    ``missing`` maps extra markers (compared after stripping; numeric ones such as
    ``-99999`` also match ``-99999.0``) to a tidy flag and overrides the defaults
    (:data:`MISSING_MARKERS`, ``-`` = 0, "<n", ``sentinels``: the numeric codes of the layout read,
    :data:`SWING_SENTINELS`, :data:`WIJK_EN_BUURTKAART_SENTINELS` or :data:`SENTINELS` for a table of
    no known publisher). ``decimal``: ``","``
    (a point only groups thousands), ``"."`` (a comma only groups thousands) or
    ``"auto"`` (decided per value and, where a value can be read two ways, by the rest
    of the column). ``count``: the column holds counts, so a fractional value is an
    error and an ungrouped-looking ``6.220`` is 6220. Refused, with the file, row and
    column: text that is not a number or a known marker, a value that stays ambiguous,
    ``inf``/``nan``, an undocumented Swing code (-99999, -99998, -99997, -99995) that
    ``missing`` and ``sentinels`` do not name, and a fractional count.
    """
    text = values.fillna("").astype(str).str.strip()
    text.attrs = {}  # metadata of the frame read (read_table) would be deep-copied by every step below
    if not text.index.is_unique:
        text = text.reset_index(drop=True)
    markers = MISSING_MARKERS | dict(missing or {})
    # fast path: plain numbers (no comma, not shaped like 6.220) are read by pandas in C; the
    # bookkeeping below is on NumPy arrays (a boolean assignment into a Series costs ~0.5 ms)
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64", copy=True)
    strings = text.to_numpy(dtype=object)
    lengths = text.str.len().to_numpy()
    grouped_like = ~np.isnan(numbers) & (lengths >= 5) & (lengths <= 8)  # shaped like 6.220 or -123.456?
    if grouped_like.any():
        grouped_like[grouped_like] = [value[-4:-3] == "." for value in strings[grouped_like]]
    empty = lengths == 0  # an empty cell is its marker (MISSING_MARKERS[""] unless ``missing`` says otherwise)
    slow = (np.isnan(numbers) & ~empty) | grouped_like
    if decimal == ",":
        slow |= text.str.contains(".", regex=False).to_numpy()
    flags = np.full(len(text), None, dtype=object)
    flags[empty] = markers[""]
    starred = np.zeros(len(text), dtype=bool)
    quick = _markers_and_decimal_commas(strings[slow], markers, decimal) if slow.any() else None
    if quick is not None:
        numbers[slow], flags[slow] = quick
    elif slow.any():
        def english_elsewhere() -> bool:
            return bool((text.str.contains(".", regex=False).to_numpy() & ~slow).any())
        sub_numbers, sub_flags, sub_starred = _slow_values(text[slow], markers, decimal, count, english_elsewhere,
                                                           text.index, origin, column)
        numbers[slow] = sub_numbers.to_numpy(dtype="float64")
        flags[slow] = [None if pd.isna(f) else f for f in sub_flags.to_numpy(dtype=object)]
        starred[slow] = sub_starred.to_numpy(dtype=bool)
    numeric_markers = {**sentinels, **{_as_float(m): f for m, f in markers.items() if _as_float(m) is not None}}
    coded = np.isin(numbers, list(numeric_markers))
    if coded.any():
        unset = coded & np.equal(flags, None)
        flags[unset] = [numeric_markers[value] for value in numbers[unset]]
        numbers[coded] = np.nan

    def refuse(mask: np.ndarray, problem) -> None:
        if mask.any():
            _refuse(pd.Series(mask, index=text.index), text.index, origin, column, problem)

    refuse(np.isin(numbers, list(UNDOCUMENTED_SENTINELS)), lambda label: (
        f"{text[label]} is a Swing special value whose meaning is not documented; say what it means in the "
        "input's table.missing (suppressed, not_applicable or not_collected)"))
    present = np.equal(flags, None)
    infinite = present & np.isinf(numbers)
    if slow.any():
        # the words pandas reads as infinite or NaN, with a sign and CBS's provisional star ('inf*'): one
        # message whichever path a value takes (tests/test_reading.py, the mutation equivalents' probe)
        infinite[slow] |= text[slow].str.lower().str.strip("+-*").isin({"inf", "infinity", "nan"}).to_numpy()
    refuse(infinite, lambda label: f"{text[label]!r} is not a finite number")
    refuse(np.isnan(numbers) & present, lambda label: f"{text[label]!r} is not a number or a known missing marker")
    if count:
        with np.errstate(invalid="ignore"):
            fractional = ~np.isnan(numbers) & (numbers % 1 != 0)
        refuse(fractional, lambda label: f"{text[label]!r} is not a whole number, but {column} is a count")
    return Parsed(numbers, np.where(present, "", flags).astype(object), starred & present)


def _markers_and_decimal_commas(values: np.ndarray, markers: dict[str, str], decimal: str
                                ) -> tuple[np.ndarray, list[str | None]] | None:
    """Numbers and missing flags of ``values`` (stripped, not plain numbers) when each is a missing marker
    (``markers``) or a number with a decimal comma that cannot be read as a thousands group ("12,5",
    "-0,250"; not "6,220"), read as :func:`_slow_values` reads them but without its steps over the whole
    column (8 ms a column: the CBS '.' and the Inspectie's percentages); None when a value needs those steps."""
    flags, texts, positions = [], [], []
    for position, value in enumerate(values):
        if value in markers and not (value.endswith("*") and len(value) > 1):  # 'x*' is a provisional 'x'
            flags.append(markers[value])
        elif decimal != "." and _DECIMAL_COMMA.fullmatch(value) and not _AMBIGUOUS_COMMA.fullmatch(value):
            flags.append(None)
            texts.append(value.replace(",", "."))
            positions.append(position)
        else:
            return None
    numbers = np.full(len(values), np.nan)
    if texts:
        numbers[positions] = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce").to_numpy(dtype="float64")
    return numbers, flags


def _slow_values(text: pd.Series, markers: dict[str, str], decimal: str, count: bool, english_elsewhere,
                 index: pd.Index, origin: str, column: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Numbers, missing flags and provisional marks of the values that are not plain numbers:
    markers, CBS signs, '*' suffixes, and grouped or decimal-comma numbers. ``english_elsewhere()``
    says whether the plain numbers of the column write a decimal point (asked only when needed)."""
    starred = text.str.endswith("*") & (text.str.len() > 1)
    text = text.where(~starred, text.str.rstrip("*").str.strip())
    flags = text.map(markers).mask(text.str.match(_BELOW_THRESHOLD) & ~text.isin(markers), "suppressed")
    nihil = (text == NIHIL) & flags.isna()
    candidates = text.where(flags.isna() & ~nihil, "")
    if (candidates == "").all():  # only markers and signs: nothing left to read as a number
        numbers = pd.Series(np.nan, index=text.index)
    else:
        numbers = _to_numbers(candidates, decimal, count, english_elsewhere, index, origin, column)
    return numbers.where(~nihil, 0.0), flags, starred


def _to_numbers(text: pd.Series, decimal: str, count: bool, english_elsewhere, index: pd.Index,
                origin: str, column: str) -> pd.Series:
    """Text -> float (NaN where the text is empty or not a number); grouped and decimal-comma
    numbers are read as the module docstring says; ambiguous ones are refused."""
    spaced = text.str.fullmatch(_SPACE_GROUPED)
    text = text.where(~spaced, text.str.replace(f"[{_SPACES}]", "", regex=True))
    marked = text.str.contains(r"[.,]", regex=True)
    out = pd.to_numeric(text.where(~marked & text.str.fullmatch(_PLAIN), ""), errors="coerce")
    if not marked.any():
        return out
    sub = text[marked]
    ambiguous_dot = sub.str.fullmatch(_AMBIGUOUS_DOT) & ~spaced[marked]
    ambiguous_comma = sub.str.fullmatch(_AMBIGUOUS_COMMA) & ~spaced[marked]
    dutch = sub.str.fullmatch(_DUTCH) & ~ambiguous_comma
    english = sub.str.fullmatch(_ENGLISH) & ~ambiguous_dot
    if decimal == ",":
        _refuse(english, index, origin, column,
                lambda label: f"{sub[label]!r} has a '.' that is not a thousands separator, but the input says decimal: ','")
    elif decimal == ".":
        _refuse(dutch, index, origin, column,
                lambda label: f"{sub[label]!r} has a ',' that is not a thousands separator, but the input says decimal: '.'")
    mode = decimal if decimal in (",", ".") else _column_mode(sub, dutch, english, ambiguous_dot | ambiguous_comma,
                                                               count, english_elsewhere, index, origin, column)
    converted = pd.Series("", index=sub.index, dtype=object)
    converted[dutch] = sub[dutch].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    converted[english] = sub[english].str.replace(",", "", regex=False)
    converted[ambiguous_dot] = sub[ambiguous_dot] if mode == "." else sub[ambiguous_dot].str.replace(".", "", regex=False)
    converted[ambiguous_comma] = (sub[ambiguous_comma].str.replace(",", ".", regex=False) if mode == ","
                                  else sub[ambiguous_comma].str.replace(",", "", regex=False))
    out[sub.index] = pd.to_numeric(converted.replace("", np.nan), errors="coerce")
    return out


def _column_mode(sub, dutch, english, ambiguous, count, english_elsewhere, index, origin, column) -> str:
    """How the column writes numbers: "," (decimal comma), "." (decimal point) or "thousands"
    (an ambiguous value in a count column); refuses an ambiguity nothing resolves."""
    if not ambiguous.any():
        return "auto"
    evidence_dutch = bool(dutch.any())
    evidence_english = bool((english & ~sub.str.contains(r"[eE]", regex=True)).any()) or english_elsewhere()
    if evidence_dutch and not evidence_english:
        return ","
    if evidence_english and not evidence_dutch:
        return "."
    if evidence_dutch and evidence_english:
        _refuse(ambiguous, index, origin, column, lambda label: f"{sub[label]!r} can be read two ways, and the column "
                "writes decimals both with a comma and with a point; write one decimal mark")
    if count:
        return "thousands"

    def problem(label) -> str:
        value = sub[label]
        return (f"{value!r} can be read as {float(value.replace(',', '.')):g} or as "
                f"{value.replace('.', '').replace(',', '')}, and nothing else in the column shows which; "
                "set the decimal mark (table.decimal ',' or '.')")
    _refuse(ambiguous, index, origin, column, problem)
    return "auto"


def _refuse(mask: pd.Series, index: pd.Index, origin: str, column: str, problem) -> None:
    """Raise ``<origin>: row <line>, column <column>: <problem(label)>`` for the first row (in file
    order) where ``mask`` (a boolean Series labelled like ``index``, or a part of it) is true."""
    hits = mask.index[mask.to_numpy(dtype=bool)]
    if len(hits):
        position = index.get_loc(hits[0])
        raise DataError(f"{origin}: row {line_number(index, position)}, column {column}: {problem(hits[0])}")


def _as_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
