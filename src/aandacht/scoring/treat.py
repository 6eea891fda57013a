"""Outlier treatment of raw indicator values.

Rule of the JRC COIN Tool and the OECD/JRC Handbook on Constructing Composite
Indicators (2008, section 1.5): an indicator needs treatment when its sample skewness
exceeds ``skew`` in absolute value *and* its excess kurtosis exceeds ``kurtosis``
(defaults 2.0 and 3.5). It is then winsorised one point at a time, on the side of the
skew, the most extreme value being set to the next most extreme one, until the rule no
longer holds or ``max_winsorised`` points are changed. If it still holds, the original
values are log-transformed instead: ``log(x - min(x) + 1)`` for positive skew and
``-log(max(x) - x + 1)`` for negative skew (both keep the order of the values).

Skewness is the adjusted Fisher-Pearson coefficient G1 and kurtosis the excess
kurtosis G2, as Excel's SKEW and KURT (used by the COIN Tool) and pandas compute them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

MIN_VALUES_FOR_TREATMENT = 4


def _standardised(values: np.ndarray) -> tuple[np.ndarray, int] | None:
    """(x - mean) / s over the present values (s with ddof=1), or None when s = 0."""
    x = values[~np.isnan(values)]
    s = x.std(ddof=1) if x.size > 1 else 0.0
    return ((x - x.mean()) / s, x.size) if s > 0 else None


def skewness(values: np.ndarray) -> float:
    """Adjusted Fisher-Pearson skewness G1 = n / ((n-1)(n-2)) * sum(((x - mean) / s)^3), s with ddof=1."""
    if np.count_nonzero(~np.isnan(values)) < 3:
        return float("nan")
    standard = _standardised(values)
    if standard is None:
        return 0.0
    z, n = standard
    return float(n / ((n - 1) * (n - 2)) * np.sum(z * z * z))


def excess_kurtosis(values: np.ndarray) -> float:
    """Excess kurtosis G2 = n(n+1)/((n-1)(n-2)(n-3)) * sum(((x-mean)/s)^4) - 3(n-1)^2/((n-2)(n-3))."""
    if np.count_nonzero(~np.isnan(values)) < 4:
        return float("nan")
    standard = _standardised(values)
    if standard is None:
        return 0.0
    z, n = standard
    z2 = z * z
    return float(n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * np.sum(z2 * z2) - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))


@dataclass(frozen=True)
class TreatmentRecord:
    """What treatment did to one indicator."""

    indicator: str
    skew_before: float
    kurtosis_before: float
    action: str  # "none", "winsorised", "log", "too few values", "treatment off"
    points_winsorised: int
    skew_after: float
    kurtosis_after: float


def needs_treatment(values: np.ndarray, skew_limit: float, kurtosis_limit: float) -> bool:
    """True when |skewness| > skew_limit and excess kurtosis > kurtosis_limit."""
    return abs(skewness(values)) > skew_limit and excess_kurtosis(values) > kurtosis_limit


def _winsorise_once(values: np.ndarray, positive_skew: bool) -> np.ndarray:
    """Set the most extreme value on the side of the skew to the next most extreme value."""
    out = values.copy()
    signed = np.where(np.isnan(out), -np.inf, out if positive_skew else -out)
    target = int(np.argmax(signed))
    signed[target] = -np.inf
    out[target] = out[int(np.argmax(signed))]
    return out


def log_transform(values: np.ndarray, positive_skew: bool) -> np.ndarray:
    """Order-preserving log transform: log(x - min + 1) or, for negative skew, -log(max - x + 1)."""
    if positive_skew:
        return np.log(values - np.nanmin(values) + 1.0)
    return -np.log(np.nanmax(values) - values + 1.0)


class TreatedIndicator(NamedTuple):
    values: np.ndarray
    record: TreatmentRecord


class Treated(NamedTuple):
    """A treated area x indicator table and its log (one :class:`TreatmentRecord` per row)."""

    values: pd.DataFrame
    log: pd.DataFrame


def treat_indicator(
    name: str, values: np.ndarray, skew_limit: float, kurtosis_limit: float, max_points: int, log_fallback: bool
) -> TreatedIndicator:
    """Treat one indicator's values (NaN = missing) and record what was done."""
    skew0, kurt0 = skewness(values), excess_kurtosis(values)
    if np.count_nonzero(~np.isnan(values)) < MIN_VALUES_FOR_TREATMENT:
        return TreatedIndicator(values, TreatmentRecord(name, skew0, kurt0, "too few values", 0, skew0, kurt0))
    if not needs_treatment(values, skew_limit, kurtosis_limit):
        return TreatedIndicator(values, TreatmentRecord(name, skew0, kurt0, "none", 0, skew0, kurt0))
    treated = values
    points = 0
    while points < max_points and needs_treatment(treated, skew_limit, kurtosis_limit):
        treated = _winsorise_once(treated, positive_skew=skewness(treated) > 0)
        points += 1
    action = "winsorised"
    if needs_treatment(treated, skew_limit, kurtosis_limit) and log_fallback:
        treated = log_transform(values, positive_skew=skew0 > 0)
        points, action = 0, "log"
    return TreatedIndicator(treated, TreatmentRecord(name, skew0, kurt0, action, points, skewness(treated),
                                                     excess_kurtosis(treated)))


def treat_matrix(
    raw: pd.DataFrame, skew_limit: float, kurtosis_limit: float, max_points: int, log_fallback: bool
) -> Treated:
    """Treat every column of an area x indicator table; return the treated table and a log."""
    treated = {}
    records = []
    for column in raw.columns:
        values, record = treat_indicator(
            column, raw[column].to_numpy(dtype="float64"), skew_limit, kurtosis_limit, max_points, log_fallback
        )
        treated[column] = values
        records.append(record)
    return Treated(pd.DataFrame(treated, index=raw.index), _log(records))


def untreated(raw: pd.DataFrame) -> pd.DataFrame:
    """The treatment log when treatment is switched off: the same columns, action ``treatment off``."""
    records = []
    for column in raw.columns:
        values = raw[column].to_numpy(dtype="float64")
        skew, kurtosis = skewness(values), excess_kurtosis(values)
        records.append(TreatmentRecord(column, skew, kurtosis, "treatment off", 0, skew, kurtosis))
    return _log(records)


def _log(records: list[TreatmentRecord]) -> pd.DataFrame:
    return pd.DataFrame([asdict(r) for r in records], columns=[f for f in TreatmentRecord.__dataclass_fields__])
