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
separator) or, for a count, read as the whole number; otherwise it is refused. Every
refusal is one line naming the file, row and column.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import csv
import datetime as dt
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
# Numeric missing codes whose meaning is documented: the PDOK/CBS wijk- en buurtkaart (-99999999 onbekend,
# -99999997 geheim, ...) and Swing's -99996 ("default special value for missing", fewer than 5 respondents).
SENTINELS: dict[float, str] = {-99999999.0: "suppressed", -99999998.0: "suppressed", -99999997.0: "suppressed",
                               -99999996.0: "suppressed", -99996.0: "suppressed"}
# Swing special values whose meaning is documented nowhere: refused unless an input's table.missing names them.
UNDOCUMENTED_SENTINELS = frozenset({-99999.0, -99998.0, -99997.0})
# The Dutch Excel dialect of every CSV aandacht writes: ';' separator, decimal comma, UTF-8 with BOM.
DUTCH_CSV = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"}

_SPACES = "\u0020\u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space
_SPACE_GROUPED = re.compile(rf"-?\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d+)?")
_AMBIGUOUS_DOT = re.compile(r"-?\d{1,3}\.\d{3}")  # 6.220: 6.22 or 6220
_AMBIGUOUS_COMMA = re.compile(r"-?\d{1,3},\d{3}")  # 6,220: 6.22 or 6220
_DUTCH = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+,\d+|\d*,\d+|\d{1,3}(?:\.\d{3}){2,})")
_ENGLISH = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+\.\d+|\d*\.\d+(?:[eE][-+]?\d+)?|\d{1,3}(?:,\d{3}){2,})")
_PLAIN = re.compile(r"[-+]?\d+(?:[eE][-+]?\d+)?")


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


_WORKBOOKS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("open_workbooks", default=None)


@contextlib.contextmanager
def workbooks_opened_once() -> Iterator[None]:
    """While the block runs, a workbook is opened once however often its sheets are listed and
    read (opening parses the file: 0.05-0.07 s for each of the Inspectie's ODS files, which the
    Inspectie loader used to open three times); the workbooks are let go at the end of the block.
    :func:`aandacht.inputs.load.load_input` runs every loader inside one; outside such a block
    every read opens the file afresh. A file changed in between (size or modification time) is
    opened again."""
    token = _WORKBOOKS.set({})
    try:
        yield
    finally:
        _WORKBOOKS.reset(token)


def _note(text: str) -> None:
    notes = _NOTES.get()
    if notes is not None and text not in notes:
        notes.append(text)


# --- text files -----------------------------------------------------------------------------

_CHUNK = 1 << 23
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


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
            if utf8_line is None and any(ord(c) > 127 and c != "\ufeff" for c in text):
                position = next(i for i, c in enumerate(text) if ord(c) > 127 and c != "\ufeff")
                utf8_line = lines + text.count("\n", 0, position) + 1
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
    keeps the whole header); ``keep_rows``
    returns, for a block of rows, which to keep (applied while streaming a text file). A
    file with a header but no rows is an error unless ``allow_empty``. Reader and engine
    failures (a broken workbook, a file that cannot be opened, a malformed CSV line) become
    one-line :class:`DataError` naming the file.
    """
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES or suffix == ".json":
        frame = _read_workbook(path, sheet, header_row, expect) if suffix in EXCEL_SUFFIXES else _read_json_table(path)
        frame.attrs["columns_in_file"] = list(frame.columns)
        if columns is not None:
            frame = frame[[c for c in frame.columns if columns(c)]]
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
        start = _header_index([_split_guess(line) for line in head], path, header_row, expect)
    try:
        separator = csv.Sniffer().sniff(head[start], delimiters=",;\t").delimiter
    except csv.Error:
        separator = ","
    names = _header_names(next(csv.reader([head[start]], delimiter=separator), []), path)
    keep = [name for name in names if columns is None or columns(name)]
    parts = []
    try:
        # every column is parsed (pandas drops surplus fields silently when given usecols), so a row with
        # more fields than the header is refused; the chunks keep the memory bounded
        reader = pd.read_csv(path, sep=separator, encoding=encoding, header=None, skiprows=start, dtype=str,
                             keep_default_na=False, na_filter=False, skip_blank_lines=False, chunksize=200_000)
        for chunk in reader:
            chunk = chunk.reindex(columns=range(len(names)), fill_value="")
            chunk.columns = names
            chunk.index = pd.RangeIndex(start + 1 + chunk.index[0], start + 1 + chunk.index[0] + len(chunk), name="line")
            chunk = chunk.iloc[1:] if chunk.index[0] == start + 1 else chunk
            chunk = chunk[keep]
            if keep_rows is not None and len(chunk):
                chunk = chunk[keep_rows(chunk).to_numpy(dtype=bool)]
            if len(keep):
                chunk = chunk[~chunk.apply(lambda c: c.str.strip()).eq("").all(axis=1)]
            parts.append(chunk)
    except pd.errors.EmptyDataError:
        parts = []
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        raise DataError(f"{path}: not a readable table ({_one_line(error)})") from None
    except OSError as error:
        raise DataError(f"{path}: cannot be read ({error.strerror or type(error).__name__})") from None
    frame = pd.concat(parts) if parts else pd.DataFrame(columns=keep, index=pd.RangeIndex(0, 0, name="line"), dtype=str)
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
    try:
        rows = _workbook(path).get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises its own error types for broken sheets
        raise DataError(f"{path}: sheet {name!r} cannot be read ({type(error).__name__}: {_one_line(error)})") from None
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
    frame = frame[~frame.apply(lambda c: c.str.strip()).eq("").all(axis=1)]
    empty = [c for c in frame.columns if c.startswith("unnamed_") and frame[c].str.strip().eq("").all()]
    return frame.drop(columns=empty)


def _workbook(path: Path):
    from python_calamine import CalamineWorkbook

    require_file(path)
    opened = _WORKBOOKS.get()
    if opened is not None:
        state = path.stat()
        key = (str(path.resolve()), state.st_mtime_ns, state.st_size)
        if key in opened:
            return opened[key]
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
        skipped = f"; hidden sheet(s) not read: {hidden}" if hidden else ""
        _note(f"{path}: read sheet {chosen!r} (visible sheet {position + 1} of {len(visible)}){skipped}")
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
    """A JSON table (module docstring): headers and rows, or a list of records."""
    text = decode(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    if isinstance(data, dict) and isinstance(data.get("headers"), list) and isinstance(data.get("rows"), list):
        headers = [h.get("name", "") if isinstance(h, dict) else h for h in data["headers"]]
        names = _header_names(headers, path)
        rows = data["rows"]
        bad = next((i for i, row in enumerate(rows) if not isinstance(row, list) or len(row) != len(names)), None)
        if bad is not None:
            raise DataError(f"{path}: row {bad + 1} of 'rows' does not have the {len(names)} values the headers name")
        body = [[_json_text(v) for v in row] for row in rows]
    elif isinstance(data, list) and all(isinstance(r, dict) for r in data):
        names = _header_names(list(dict.fromkeys(k for r in data for k in r)), path)
        body = [[_json_text(r.get(n)) for n in names] for r in data]
    else:
        raise DataError(f"{path}: not a JSON table; expected {{\"headers\": [...], \"rows\": [[...]]}} or a list of records")
    return pd.DataFrame(body, columns=names, index=pd.RangeIndex(1, len(body) + 1, name="line"), dtype=str)


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


def read_csv_nl(path: Path) -> pd.DataFrame:
    """Read a CSV that aandacht wrote in the Dutch Excel dialect (:data:`DUTCH_CSV`)."""
    return pd.read_csv(path, dtype={"area_code": str}, **DUTCH_CSV)


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
    _note(f"{path}: {count} cell(s) held Windows-1252 characters stored as control characters, read as "
          f"Windows-1252 (for example {example!r} as {_as_cp1252(example)!r})")
    return frame


def _non_empty(frame: pd.DataFrame, path: Path, allow_empty: bool) -> pd.DataFrame:
    if frame.empty and not allow_empty:
        raise DataError(f"{path}: file has a header but no rows")
    return frame


def _split_guess(line: str) -> list[str]:
    """Cells of a text line, splitting on whichever of ; tab , occurs most."""
    separator = max(";\t,", key=line.count)
    return next(csv.reader([line], delimiter=separator), [])


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
    count: bool = False,
) -> Parsed:
    """Parse published numbers and signs (see the module docstring).

    ``missing`` maps extra markers (compared after stripping; numeric ones such as
    ``-99999`` also match ``-99999.0``) to a tidy flag and overrides the defaults
    (:data:`MISSING_MARKERS`, ``-`` = 0, "<n", :data:`SENTINELS`). ``decimal``: ``","``
    (a point only groups thousands), ``"."`` (a comma only groups thousands) or
    ``"auto"`` (decided per value and, where a value can be read two ways, by the rest
    of the column). ``count``: the column holds counts, so a fractional value is an
    error and an ungrouped-looking ``6.220`` is 6220. Refused, with the file, row and
    column: text that is not a number or a known marker, a value that stays ambiguous,
    ``inf``/``nan``, an undocumented Swing code (-99999, -99998, -99997) that
    ``missing`` does not name, and a fractional count.
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
    if slow.any():
        def english_elsewhere() -> bool:
            return bool((text.str.contains(".", regex=False).to_numpy() & ~slow).any())
        sub_numbers, sub_flags, sub_starred = _slow_values(text[slow], markers, decimal, count, english_elsewhere,
                                                           text.index, origin, column)
        numbers[slow] = sub_numbers.to_numpy(dtype="float64")
        flags[slow] = [None if pd.isna(f) else f for f in sub_flags.to_numpy(dtype=object)]
        starred[slow] = sub_starred.to_numpy(dtype=bool)
    numeric_markers = {**SENTINELS, **{_as_float(m): f for m, f in markers.items() if _as_float(m) is not None}}
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
        infinite[slow] |= text[slow].str.lower().str.lstrip("+-").isin({"inf", "infinity", "nan"}).to_numpy()
    refuse(infinite, lambda label: f"{text[label]!r} is not a finite number")
    refuse(np.isnan(numbers) & present, lambda label: f"{text[label]!r} is not a number or a known missing marker")
    if count:
        with np.errstate(invalid="ignore"):
            fractional = ~np.isnan(numbers) & (numbers % 1 != 0)
        refuse(fractional, lambda label: f"{text[label]!r} is not a whole number, but {column} is a count")
    return Parsed(numbers, np.where(present, "", flags).astype(object), starred & present)


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
