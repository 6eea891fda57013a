"""Reading messy delimited and Excel extracts, and parsing published numbers.

Real extracts come with ``;`` or ``,`` separators, UTF-8 (with or without BOM) or
latin-1, and decimal commas. Suppressed cells use markers such as ``.`` (CBS),
``x``, ``-`` or ``?``; those become NaN with the flag ``suppressed``.
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
    path: Path, dtype: type | None = str, sheet: str | int | None = None, allow_empty: bool = False
) -> pd.DataFrame:
    """Read a CSV (separator sniffed from , ; tab) or an Excel sheet into strings.

    A file with a header but no rows is an error unless ``allow_empty``.
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xls", ".xlsm", ".ods"):
        if not path.is_file():
            raise DataError(f"{path}: file not found")
        try:
            return pd.read_excel(path, sheet_name=sheet or 0, dtype=dtype, engine="calamine")
        except ValueError as error:
            raise DataError(f"{path}: cannot read sheet {sheet!r}: {error}") from None
    text = decode(path)
    if not text.strip():
        raise DataError(f"{path}: file is empty")
    first_line = text.splitlines()[0]
    try:
        separator = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        separator = ","
    frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=dtype, keep_default_na=False)
    if frame.empty and not allow_empty:
        raise DataError(f"{path}: file has a header but no rows")
    return frame


def parse_numbers(values: pd.Series, origin: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse published numbers; return (values, suppressed mask).

    Empty cells, suppression markers, "<n" (a count below a disclosure threshold) and the
    numeric missing codes in :data:`SENTINELS` give NaN with suppressed = True (an empty
    cell counts as suppressed too: a published table leaves no cell blank by accident). A decimal comma ("0,4") is read as a decimal point. Anything else that is
    not a number raises :class:`DataError` naming the file, row and column.
    """
    text = values.fillna("").astype(str).str.strip()
    suppressed = text.isin(SUPPRESSION_MARKERS) | (text == "") | text.str.match(_BELOW_THRESHOLD)
    cleaned = text.where(~suppressed, "")
    comma = cleaned.str.match(_DECIMAL_COMMA)
    cleaned = cleaned.where(~comma, cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    numbers = pd.to_numeric(cleaned.replace("", np.nan), errors="coerce")
    sentinel = numbers.isin(SENTINELS)
    numbers = numbers.mask(sentinel)
    suppressed = suppressed | sentinel
    bad = numbers.isna() & ~suppressed
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"{origin}: row {position + 2}, column {column}: {text.iloc[position]!r} is not a number or a known missing marker"
        )
    return numbers.to_numpy(dtype="float64"), suppressed.to_numpy()
