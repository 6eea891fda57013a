"""CBS Kerncijfers Wijken en Buurten (KWB), the ``kwb-YYYY`` download layout (CSV or xlsx),
and the OData cache folders of :mod:`aandacht.inputs.sources.kwb_odata`.

One row per region with the code in ``gwb_code_10`` (or ``gwb_code``) and CBS short
variable names as columns (a_inw, a_hh_m_k, g_ink_pi, p_hh_li, a_soz_wb, p_jz_tn, ...).
Conventions of the source (CBS, toelichting KWB): ``.`` = geheim or onbekend; counts
at wijk and buurt level are rounded to multiples of 5; variables starting ``a_`` are
counts (whole numbers: a fractional value is refused), ``p_`` percentages, ``g_`` averages.
The level follows from the code prefix (NL, GM, WK, BU); CBS pads codes with spaces.
Values are read with the CBS signs and the Dutch or English number formats of
:func:`aandacht.inputs.reading.parse_values` (``6.220`` in a count column is 6220), with one
convention of this layout: the download marks every missing value with ``.`` and has no empty
cells, so an empty cell (derived extracts, such as the tmap one in data/, write NA so) is read
like ``.``, as ``suppressed``. The same variables come with the CBS Wijk- en Buurtkaart (its
table, or its PDOK services), whose numeric codes are read as ``suppressed``
(:data:`aandacht.inputs.reading.WIJK_EN_BUURTKAART_SENTINELS`: -99999999 "onbekend, onvoldoende
betrouwbaar of geheim", Toelichting 2021 ch. 3; -99997 and -99995 of the PDOK services 2023-2024).
An input's ``table`` section may set ``decimal`` and ``missing``
(other table keys do not apply).

Only the variables the config uses are read (``needed``, with the counts behind
p_jz_tn and p_hh_li); with ``other_areas: ignore`` only the rows of areas in the registry
are kept while reading, so a national file need not fit in memory.

Where CBS defines a percentage on a published count, the tidy row carries that count
as numerator and the base as denominator, so reliability can be judged:

* p_jz_tn (% jongeren tot 18 jaar met jeugdzorg in natura): numerator a_jz_tn; the
  number of jongeren is not in the file, so the denominator is estimated as
  a_jz_tn * 100 / p_jz_tn (only where both are above 0; rounding of a_jz_tn to 5
  makes it approximate).
* p_hh_li (% huishoudens in de laagste 40% inkomens): denominator a_hh (all private
  households; CBS uses households with an income, which is slightly fewer).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...config import InputSpec
from ...errors import DataError
from ..reading import WIJK_EN_BUURTKAART_SENTINELS, apply_filter, fail_at_first, parse_values, read_table
from ..tidy import validate_tidy
from .base import LoadResult
from .kwb_odata import load_odata

CODE_COLUMNS = ("gwb_code_10", "gwb_code")
NAME_COLUMNS = ("regio", "regio_naam")
TEXT_COLUMNS = frozenset({"gm_naam", "gwb_code_8", "recs", "ind_wbi", "wk_code", "bu_code", "gm_code"} | set(NAME_COLUMNS))
LEVEL_BY_PREFIX = {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}
UNIT_BY_PREFIX = {"a_": "aantal", "p_": "%", "g_": "gemiddelde"}
EMPTY_IS_MISSING = {"": "suppressed"}  # see the module docstring


def _units(column: str) -> str:
    return next((unit for prefix, unit in UNIT_BY_PREFIX.items() if column.startswith(prefix)), "")


# the counts behind a percentage (see _attach_bases), read whenever the percentage is
BASES = {"p_jz_tn": ("a_jz_tn",), "p_hh_li": ("a_hh",)}


def load_kwb(spec: InputSpec, registry=None, needed: frozenset[str] | None = None) -> LoadResult:
    """Read a KWB download (CSV or Excel, read with calamine) or a CBS OData cache folder
    (see :mod:`aandacht.inputs.sources.kwb_odata`) into the tidy table (see module docstring)."""
    if spec.path.is_dir() or spec.path.suffix.lower() == ".json":
        return load_odata(spec, needed)
    origin = str(spec.path)
    wanted = None if needed is None else set(needed).union(*(BASES.get(v, ()) for v in needed))
    keep_rows = None
    if spec.other_areas == "ignore" and registry is not None:
        known = set(registry.table.index)
        keep_rows = _rows_of(known)
    frame = read_table(spec.path, sheet=spec.sheet, expect=CODE_COLUMNS, keep_rows=keep_rows,
                       columns=None if wanted is None else _columns_of(wanted | set(spec.filter)))
    code_column = next((c for c in CODE_COLUMNS if c in frame.columns), None)
    if code_column is None:
        raise DataError(f"{origin}: no region code column; expected one of {list(CODE_COLUMNS)}")
    if spec.filter:
        frame = apply_filter(frame, spec.filter, origin)
    codes = frame[code_column].fillna("").str.strip()
    name_column = next((c for c in NAME_COLUMNS if c in frame.columns), None)
    names = frame[name_column].fillna("").str.strip() if name_column else pd.Series("", index=frame.index)
    levels = codes.str[:2].map(LEVEL_BY_PREFIX)
    fail_at_first(levels.isna(), frame.index, origin,
                  lambda i: f"region code {codes.iloc[i]!r} does not start with NL, GM, WK or BU")
    decimal = spec.table.decimal if spec.table is not None else "auto"
    missing = EMPTY_IS_MISSING | (spec.table.missing if spec.table is not None else {})
    numbers, provisional = {}, []
    for column in frame.columns:
        if column == code_column or column in TEXT_COLUMNS or column in spec.filter:
            continue
        parsed = parse_values(frame[column], origin, column, decimal, missing, count=column.startswith("a_"),
                              sentinels=WIJK_EN_BUURTKAART_SENTINELS)
        if spec.out_of_range == "error":  # else matrix._plausible leaves such values out, with a note
            check_range(parsed.values, frame.index, origin, column)
        numbers[column] = parsed
        if parsed.provisional.any():
            provisional.append(f"{column} ({int(parsed.provisional.sum())})")
    parts = []
    for column, parsed in numbers.items():
        parts.append(pd.DataFrame({
            "area_code": codes, "area_name": names, "level": levels, "period": spec.period,
            "source": spec.source, "indicator": column, "value": parsed.values, "unit": _units(column),
            "flag": parsed.flags,
        }))
    if not parts:
        raise DataError(f"{origin}: none of the variables the config needs ({sorted(wanted or [])}) is in the file")
    tidy = pd.concat(parts, ignore_index=True)
    _attach_bases(tidy, {column: (parsed.values, parsed.flags != "") for column, parsed in numbers.items()})
    variables = [c for c in frame.attrs.get("columns_in_file", frame.columns)
                 if c not in CODE_COLUMNS and c not in TEXT_COLUMNS and c not in spec.filter]
    notes = [f"{origin}: {len(frame)} gebieden, {len(variables)} variabelen"]
    if keep_rows is not None:
        notes.append(f"{origin}: alleen de rijen van gebieden in het gebiedenregister gelezen (other_areas: ignore)")
    if provisional:
        notes.append(f"{origin}: voorlopige cijfers (CBS '*'), gebruikt zoals gepubliceerd: {', '.join(provisional)}")
    return LoadResult(validate_tidy(tidy, origin), notes)


def _columns_of(wanted: set[str]):
    """Column predicate: the code and name columns and the wanted variables."""
    keep = wanted | set(CODE_COLUMNS) | set(NAME_COLUMNS)
    return lambda column: column in keep


def _rows_of(known: set[str]):
    """Row predicate for :func:`read_table`: rows whose region code is in ``known``."""
    def keep(frame: pd.DataFrame) -> pd.Series:
        column = next((c for c in CODE_COLUMNS if c in frame.columns), None)
        if column is None:
            return pd.Series(True, index=frame.index)
        return frame[column].str.strip().isin(known)
    return keep


# p_ variables that CBS publishes per 1,000 inwoners rather than as a percentage
PER_THOUSAND = frozenset({"p_wmo_t"})


def check_range(values: np.ndarray, index: pd.Index, origin: str, column: str) -> None:
    """Counts (a_) cannot be negative; percentages (p_) must lie in [0, 100] (per-1,000 rates in [0, 1000]);
    ``index`` numbers the rows as read (:func:`aandacht.inputs.reading.line_number`)."""
    with np.errstate(invalid="ignore"):
        if column.startswith("a_"):
            bad, allowed = values < 0, "a count cannot be negative"
        elif column in PER_THOUSAND:
            bad, allowed = (values < 0) | (values > 1000), "a rate per 1,000 must lie between 0 and 1000"
        elif column.startswith("p_"):
            bad, allowed = (values < 0) | (values > 100), "a percentage must lie between 0 and 100"
        else:
            return
    fail_at_first(bad, index, origin, lambda i: f"{values[i]:g} is out of range ({allowed})", column)


def _attach_bases(tidy: pd.DataFrame, numbers: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    """Fill numerator and denominator for the percentages whose base is published (in place)."""
    if "p_jz_tn" in numbers and "a_jz_tn" in numbers:
        count, share = numbers["a_jz_tn"][0], numbers["p_jz_tn"][0]
        with np.errstate(invalid="ignore", divide="ignore"):
            base = np.where((count > 0) & (share > 0), np.round(count * 100 / share), np.nan)
        _set(tidy, "p_jz_tn", count, base)
    if "p_hh_li" in numbers and "a_hh" in numbers:
        households = numbers["a_hh"][0]
        with np.errstate(invalid="ignore"):
            _set(tidy, "p_hh_li", numbers["p_hh_li"][0] * households / 100, households)


def _set(tidy: pd.DataFrame, indicator: str, numerator: np.ndarray, denominator: np.ndarray) -> None:
    """Write numerator and denominator into the rows of ``indicator`` (same region order as the file)."""
    rows = np.flatnonzero((tidy["indicator"] == indicator).to_numpy())
    tidy.loc[rows, "numerator"] = numerator
    tidy.loc[rows, "denominator"] = denominator

