"""Reading messy delimited and Excel extracts, checking their columns and rows, and parsing
published numbers.

Real extracts come with ``;`` or ``,`` separators, UTF-8 (with or without BOM) or
latin-1, and decimal commas. Suppressed cells use markers such as ``.`` (CBS),
``x``, ``-`` or ``?``; those become NaN with the flag ``suppressed``.

Every check of a table read here reports the same way: :func:`require_columns` for absent
columns and :func:`fail_at_first` for the first bad row, named by its line in the file
(:func:`line_number`), so that title rows above the header and dropped blank rows do not
shift the number an analyst looks up.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError

SUPPRESSION_MARKERS = frozenset({".", "x", "X", "-", "?", "geheim"})
# "<5", "< 10": a count below a disclosure threshold
_BELOW_THRESHOLD = re.compile(r"^<\s*\d+$")
# Numeric missing codes: PDOK/CBS wijk- en buurtkaart (-99999999 onbekend, -99999997 geheim, ...)
# and Swing/incijfers exports (-99999 ... -99996).
SENTINELS = frozenset({-99999999.0, -99999998.0, -99999997.0, -99999996.0, -99999.0, -99998.0, -99997.0, -99996.0})
_DECIMAL_COMMA = re.compile(r"^-?\d+(\.\d{3})*,\d+$")
# The Dutch Excel dialect of every CSV aandacht writes: ';' separator, decimal comma, UTF-8 with BOM.
DUTCH_CSV = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"}


def decode(path: Path) -> str:
    """Return the text of ``path``: UTF-8 (BOM stripped) or, failing that, latin-1.

    UTF-16 files (BOM FF FE / FE FF) are refused: they are almost always an Excel
    "Unicode text" export the loaders do not expect.
    """
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise DataError(f"{path}: file is UTF-16 encoded; save it as UTF-8 CSV")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_table(
    path: Path,
    dtype: type | None = str,
    sheet: str | int | None = None,
    allow_empty: bool = False,
    header_row: int | None = None,
    expect: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Read a CSV (separator sniffed from , ; tab) or an Excel sheet into strings.

    The header is the first line, or line ``header_row`` (1-based), or, when ``expect``
    names column headers, the first line holding one of them: exports often carry title
    rows above the header. In that case empty rows are dropped and the index (named
    ``line``) holds each row's line (CSV) or row (Excel) number in the file, so that
    errors can name it (:func:`line_number`). A file with a header but no rows is an
    error unless ``allow_empty``.
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xls", ".xlsm", ".ods"):
        if not path.is_file():
            raise DataError(f"{path}: file not found")
        try:
            if header_row is None and not expect:
                return pd.read_excel(path, sheet_name=sheet or 0, dtype=dtype, engine="calamine")
            raw = pd.read_excel(path, sheet_name=sheet or 0, dtype=dtype, engine="calamine", header=None)
        except ValueError as error:
            raise DataError(f"{path}: cannot read sheet {sheet!r}: {error}") from None
        lines = [[("" if pd.isna(v) else str(v)) for v in row] for row in raw.itertuples(index=False)]
        start = _header_index(lines, path, header_row, expect)
        headers = [c.strip() or f"unnamed_{i}" for i, c in enumerate(lines[start])]
        rows = pd.RangeIndex(start + 2, len(raw) + 1, name="line")
        frame = pd.DataFrame(raw.iloc[start + 1:].to_numpy(), columns=headers, index=rows).dropna(how="all")
        empty = [c for c in frame.columns if c.startswith("unnamed_") and frame[c].isna().all()]
        return _non_empty(frame.drop(columns=empty), path, allow_empty)
    text = decode(path)
    if not text.strip():
        raise DataError(f"{path}: file is empty")
    lines = text.splitlines()
    start = 0
    if header_row is not None or expect:
        start = _header_index([_split_guess(line) for line in lines], path, header_row, expect)
    try:
        separator = csv.Sniffer().sniff(lines[start], delimiters=",;\t").delimiter
    except csv.Error:
        separator = ","
    searched = header_row is not None or bool(expect)
    frame = pd.read_csv(io.StringIO("\n".join(lines[start:])), sep=separator, dtype=dtype, keep_default_na=False,
                        skip_blank_lines=not searched)
    if searched:
        frame.index = pd.RangeIndex(start + 2, start + 2 + len(frame), name="line")
        frame = frame[~frame.fillna("").astype(str).apply(lambda c: c.str.strip()).eq("").all(axis=1)]
    return _non_empty(frame, path, allow_empty)


def line_number(index: pd.Index, position: int) -> int:
    """The line (or Excel row) number in the file of the row at ``position``: the index
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


def read_csv_nl(path: Path) -> pd.DataFrame:
    """Read a CSV that aandacht wrote in the Dutch Excel dialect (:data:`DUTCH_CSV`)."""
    return pd.read_csv(path, dtype={"area_code": str}, **DUTCH_CSV)


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
        if wanted & {str(c).strip().lower() for c in cells}:
            return index
    raise DataError(f"{path}: no header line with any of the columns {sorted(expect)}")


def sheet_names(path: Path) -> list[str]:
    """The sheet names of a workbook, in order."""
    from python_calamine import CalamineWorkbook

    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception as error:  # calamine raises its own error types for broken files
        raise DataError(f"{path}: not a readable workbook ({type(error).__name__}: {error})") from None


def parse_numbers(values: pd.Series, origin: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse published numbers; return (values, suppressed mask).

    Empty cells, suppression markers, "<n" (a count below a disclosure threshold) and the
    numeric missing codes in :data:`SENTINELS` give NaN with suppressed = True (an empty
    cell counts as suppressed too: a published table leaves no cell blank by accident).
    A decimal comma ("0,4") is read as a decimal point. Anything else that is not a
    number raises :class:`DataError` naming the file, row and column.
    """
    numbers, flags = parse_values(values, origin, column)
    return numbers, flags != ""


def parse_values(
    values: pd.Series, origin: str, column: str, decimal: str = "auto", missing: dict[str, str] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Parse published numbers; return (values, flags) where a flag says why a value is missing.

    ``missing`` maps markers (compared after stripping; numeric sentinels such as
    ``-99999`` also match ``-99999.0``) to a tidy flag; the default markers of
    :data:`SUPPRESSION_MARKERS`, :data:`SENTINELS`, "<n" and the empty cell mean ``suppressed``. ``decimal``:
    ``","`` reads "1.234,5" as 1234.5; ``"."`` reads "1,234.5" as 1234.5; ``"auto"``
    only converts values shaped like a decimal comma ("0,4", "1.234,5").
    Anything else raises :class:`DataError` naming the file, row and column.
    """
    text = values.fillna("").astype(str).str.strip()
    defaults = {m: "suppressed" for m in SUPPRESSION_MARKERS} | {f"{s:.0f}": "suppressed" for s in SENTINELS}
    markers = defaults | {"": "suppressed"} | dict(missing or {})
    flags = text.map(markers).mask(text.str.match(_BELOW_THRESHOLD), "suppressed")
    numeric_markers = {_as_float(m): f for m, f in markers.items() if _as_float(m) is not None}
    cleaned = text.where(flags.isna(), "")
    if decimal in (",", "."):
        _check_separators(cleaned, decimal, values.index, origin, column)
    if decimal == ",":
        cleaned = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    elif decimal == ".":
        cleaned = cleaned.str.replace(",", "", regex=False)
    else:
        comma = cleaned.str.match(_DECIMAL_COMMA)
        cleaned = cleaned.where(~comma, cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    numbers = pd.to_numeric(cleaned.replace("", np.nan), errors="coerce")
    if numeric_markers:
        sentinel = numbers.map(numeric_markers)
        flags = flags.where(flags.notna(), sentinel)
        numbers = numbers.where(sentinel.isna())
    bad = numbers.isna() & flags.isna()
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"{origin}: row {line_number(values.index, position)}, column {column}: {text.iloc[position]!r} "
            "is not a number or a known missing marker"
        )
    return numbers.to_numpy(dtype="float64"), flags.fillna("").to_numpy(dtype=object)


_THOUSANDS = {",": re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$"), ".": re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")}


def _check_separators(cleaned: pd.Series, decimal: str, index: pd.Index, origin: str, column: str) -> None:
    """With an explicit decimal mark, the other mark may only group thousands ("1.234,5" or
    "1,234.5"); "12,5" under decimal "." (or "12.5" under ",") is refused rather than misread."""
    other = "." if decimal == "," else ","
    suspect = cleaned.str.contains(other, regex=False) & ~cleaned.str.match(_THOUSANDS[decimal])
    if suspect.any():
        position = int(np.flatnonzero(suspect.to_numpy())[0])
        raise DataError(
            f"{origin}: row {line_number(index, position)}, column {column}: {cleaned.iloc[position]!r} has a "
            f"'{other}' that is not a thousands separator, but the input says decimal: '{decimal}'"
        )


def _as_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
