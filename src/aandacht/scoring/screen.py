"""Screening of areas by data availability, with the semantics of COINr's ``Screen``.

Per area, over the framework indicators: availability = 1 - (missing / indicators) and
non-zero share = 1 - (zeros / values present) (COINr ``get_data_avail``). The rule
(``method.screening.rule``) leaves an area unscored when its availability is below
``min_availability`` (``missing``, COINr ``byNA``; default 2/3), when its non-zero share is
below ``min_nonzero`` (``zeros``, ``byzeros``; default 0.05), or either (``missing_or_zeros``,
``byNAandzeros``); ``include`` and ``exclude`` force areas in or out (COINr ``Force``).
Screening applies to the areas the population gate lets through; an area screened out is
listed, not ranked, with the reason.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from ..config import Screening
from ..errors import ConfigError
from ..inputs.matrix import IndicatorMatrix


def screening_table(values: pd.DataFrame, spec: Screening) -> pd.DataFrame:
    """Per area: counts, availability, non-zero share, whether it is included and why not."""
    n = values.shape[1]
    missing = values.isna().sum(axis=1)
    zeros = (values == 0).sum(axis=1)
    availability = 1 - missing / n
    with np.errstate(invalid="ignore", divide="ignore"):
        nonzero = 1 - zeros / (n - missing).where(n - missing > 0)
    low_data = availability < spec.min_availability
    low_nonzero = ~(nonzero >= spec.min_nonzero)
    excluded = {"none": pd.Series(False, index=values.index), "missing": low_data, "zeros": low_nonzero,
                "missing_or_zeros": low_data | low_nonzero}[spec.rule]
    reason = pd.Series("", index=values.index, dtype=object)
    reason[excluded & low_data] = [f"te weinig gegevens ({n - m} van {n} indicatoren, minimaal {spec.min_availability:.0%})"
                                   for m in missing[excluded & low_data]]
    nul = excluded & ~low_data
    reason[nul] = [f"te veel nullen ({z} van {n - m} waarden nul)" for z, m in zip(zeros[nul], missing[nul])]
    forced_in = values.index.isin(spec.include)
    forced_out = values.index.isin(spec.exclude)
    reason[forced_in] = ""
    reason[forced_out] = "uitgesloten in de configuratie (method.screening.exclude)"
    return pd.DataFrame({"indicators_missing": missing, "indicators_zero": zeros, "availability": availability,
                         "nonzero_share": nonzero, "included": reason == "", "reason": reason}, index=values.index)


def apply_screening(matrix: IndicatorMatrix, spec: Screening, origin: str = "") -> tuple[IndicatorMatrix, pd.DataFrame]:
    """Screen the areas the population gate lets through; return the matrix with the screened-out
    areas unscored (their reason set) and the screening table (empty when the rule is ``none``
    and nothing is forced)."""
    unknown = sorted(set(spec.include + spec.exclude) - set(matrix.areas.index))
    if unknown:
        raise ConfigError(f"{origin}: method.screening names area(s) {unknown[:5]} that are not among the areas scored")
    if spec.rule == "none" and not spec.include and not spec.exclude:
        return matrix, pd.DataFrame()
    table = screening_table(matrix.values.loc[matrix.areas["scored"]], spec)
    areas = matrix.areas.copy()
    out = table.index[~table["included"]]
    areas.loc[out, "scored"] = False
    areas.loc[out, "reason"] = table.loc[out, "reason"]
    return replace(matrix, areas=areas), table.rename_axis("area_code").reset_index()
