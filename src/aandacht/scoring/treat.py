"""Outlier treatment of raw indicator values, with the semantics of COINr's default ``Treat``.

The rule (OECD/JRC Handbook on Constructing Composite Indicators 2008, section 1.5; the JRC
COIN Tool; COINr ``check_SkewKurt``): an indicator needs treatment when its skewness is at
least ``skew`` in absolute value *and* its excess kurtosis is at least ``kurtosis`` (defaults
2.0 and 3.5). Such an indicator is winsorised (COINr ``winsorise``): while the rule holds and
fewer than ``max_winsorised`` points are winsorised, the values on the side of the skew
(the maximum when skewness >= 0, else the minimum) are set to the next value inward. *All*
values tied at the extreme are replaced at once, so after the first step the replaced point
and its neighbour move together; the count of winsorised points is the number of values
moved to the current extreme on each side (COINr's ``nwin``), which can pass
``max_winsorised`` when values are tied. With ``force_winsorise`` the loop of an indicator
that *fails* the rule runs on to ``max_winsorised`` points even after the rule stops holding
(COINr ``winsorise(force_win = TRUE)``); an indicator that passes the rule is left alone, forced
or not, because COINr's ``Treat`` checks ``f_pass`` before it calls ``f1`` (x = 1..10 stays
1..10). If the rule still holds after winsorising, the *original* values are log-transformed
instead (COINr's ``f2`` with ``combine_treat = FALSE``):

* ``log_ct`` (COINr's default ``log_CT``): ln(x - min + 0.01 (max - min)), whatever the sign
  of the skew;
* ``log_ct_plus`` (``log_CT_plus``): that for skewness > 0, else -ln(max + 0.01 (max - min) - x);
* ``log_ct_orig`` (``log_CT_orig``): ln(x - min + 1).

All three keep the order of the values except ``log_ct`` on a negatively skewed indicator, which
keeps the order too but stretches the low tail further (use ``log_ct_plus`` there). Skewness is
the adjusted Fisher-Pearson coefficient G1 and kurtosis the excess kurtosis G2, as COINr's
``skew``/``kurt`` (from e1071, type 2), Excel's SKEW and KURT and pandas compute them. An
indicator with fewer than 4 values is left alone (its kurtosis is undefined).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..config import Treatment

MIN_VALUES_FOR_TREATMENT = 4


def shape(values: np.ndarray) -> tuple[float, float]:
    """(skewness G1, excess kurtosis G2) of the present values, with z = (x - mean) / s, s with ddof=1:

    G1 = n / ((n-1)(n-2)) * sum(z^3); G2 = n(n+1) / ((n-1)(n-2)(n-3)) * sum(z^4) - 3(n-1)^2 / ((n-2)(n-3)).
    NaN with fewer than 3 (G1) or 4 (G2) values; 0 for a constant indicator."""
    x = values[~np.isnan(values)]
    n = x.size
    if n < 3:
        return float("nan"), float("nan")
    s = x.std(ddof=1)
    if not s > 0:
        return 0.0, (0.0 if n >= 4 else float("nan"))
    z = (x - x.mean()) / s
    z2 = z * z
    skew = float(n / ((n - 1) * (n - 2)) * np.sum(z2 * z))
    if n < 4:
        return skew, float("nan")
    kurt = float(n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * np.sum(z2 * z2) - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))
    return skew, kurt


def skewness(values: np.ndarray) -> float:
    """Adjusted Fisher-Pearson skewness G1 (see :func:`shape`)."""
    return shape(values)[0]


def excess_kurtosis(values: np.ndarray) -> float:
    """Excess kurtosis G2 (see :func:`shape`)."""
    return shape(values)[1]


def fails(skew: float, kurtosis: float, skew_limit: float, kurtosis_limit: float) -> bool:
    """The rule on given moments: |skew| >= skew_limit and kurtosis >= kurtosis_limit (False on NaN)."""
    return bool(abs(skew) >= skew_limit and kurtosis >= kurtosis_limit)


def needs_treatment(values: np.ndarray, skew_limit: float, kurtosis_limit: float) -> bool:
    """True when |skewness| >= skew_limit and excess kurtosis >= kurtosis_limit (COINr's
    ``check_SkewKurt`` fails: it passes when |skew| < skew_limit or kurtosis < kurtosis_limit)."""
    return fails(*shape(values), skew_limit, kurtosis_limit)


@dataclass(frozen=True)
class TreatmentRecord:
    """What treatment did to one indicator (one row of the treatment log, like COINr's ``Dets_Table``).

    ``passes_before``/``passes_after``: the rule does not hold before / after treatment;
    ``winsorised_high``/``winsorised_low``: the areas set to the next value inward on each side.
    """

    indicator: str
    skew_before: float
    kurtosis_before: float
    passes_before: bool
    action: str  # "none", "winsorised", "log", "too few values", "treatment off"
    points_winsorised: int
    winsorised_high: str
    winsorised_low: str
    skew_after: float
    kurtosis_after: float
    passes_after: bool


class Winsorised(NamedTuple):
    """Winsorised values and the masks of the points moved down (high) and up (low)."""

    values: np.ndarray
    high: np.ndarray
    low: np.ndarray

    @property
    def points(self) -> int:
        return int(self.high.sum() + self.low.sum())


def winsorise(values: np.ndarray, settings: Treatment) -> Winsorised:
    """COINr ``winsorise``: see the module docstring. ``settings`` gives skew, kurtosis,
    max_winsorised and force_winsorise."""
    x = values.copy()
    high = np.zeros(x.shape, dtype=bool)
    low = np.zeros(x.shape, dtype=bool)
    present = ~np.isnan(x)
    failing = needs_treatment(x, settings.skew, settings.kurtosis)
    while (failing or settings.force_winsorise) and high.sum() + low.sum() < settings.max_winsorised:
        upper = skewness(x) >= 0  # COINr: skew(x) >= 0 means high outliers
        extreme = np.nanmax(x) if upper else np.nanmin(x)
        at_extreme = present & (x == extreme)
        rest = x[present & ~at_extreme]
        if rest.size == 0:  # every value is at the extreme: nothing left to move to
            break
        x[at_extreme] = rest.max() if upper else rest.min()
        if upper:
            high = at_extreme
        else:
            low = at_extreme
        failing = needs_treatment(x, settings.skew, settings.kurtosis)
    return Winsorised(x, high, low)


def log_transform(values: np.ndarray, method: str) -> np.ndarray:
    """The log transforms of COINr (``log_ct``, ``log_ct_plus``, ``log_ct_orig``); see the module docstring."""
    low, high = np.nanmin(values), np.nanmax(values)
    shift = 0.01 * (high - low)
    if method == "log_ct_orig":
        return np.log(values - low + 1.0)
    if method == "log_ct_plus" and not skewness(values) > 0:
        return -np.log(high + shift - values)
    if method in ("log_ct", "log_ct_plus"):
        return np.log(values - low + shift)
    raise ValueError(f"unknown log transform {method!r}")


class TreatedIndicator(NamedTuple):
    values: np.ndarray
    record: TreatmentRecord


class Treated(NamedTuple):
    """A treated area x indicator table and its log (one :class:`TreatmentRecord` per row)."""

    values: pd.DataFrame
    log: pd.DataFrame


def _record(name: str, before: np.ndarray, after: np.ndarray, settings: Treatment, action: str,
            moved: Winsorised | None = None, areas=None) -> TreatmentRecord:
    labels = np.asarray(areas if areas is not None else np.arange(before.size)).astype(str)
    high = ", ".join(labels[moved.high]) if moved is not None else ""
    low = ", ".join(labels[moved.low]) if moved is not None else ""
    skew0, kurt0 = shape(before)
    skew1, kurt1 = (skew0, kurt0) if after is before else shape(after)
    return TreatmentRecord(
        name, skew0, kurt0, not fails(skew0, kurt0, settings.skew, settings.kurtosis), action,
        moved.points if moved is not None else 0, high, low, skew1, kurt1, not fails(skew1, kurt1, settings.skew, settings.kurtosis))


def treat_indicator(name: str, values: np.ndarray, settings: Treatment, areas=None) -> TreatedIndicator:
    """Treat one indicator's values (NaN = missing) with ``settings`` (its own, see
    :meth:`Treatment.for_indicator`) and record what was done; ``areas`` labels the values."""
    if not settings.enabled:
        return TreatedIndicator(values, _record(name, values, values, settings, "treatment off"))
    if np.count_nonzero(~np.isnan(values)) < MIN_VALUES_FOR_TREATMENT:
        return TreatedIndicator(values, _record(name, values, values, settings, "too few values"))
    if not needs_treatment(values, settings.skew, settings.kurtosis):  # COINr: f_pass first, forced or not
        return TreatedIndicator(values, _record(name, values, values, settings, "none"))
    moved = winsorise(values, settings)
    if settings.log_if_still_skewed and needs_treatment(moved.values, settings.skew, settings.kurtosis):
        logged = log_transform(values, settings.log_transform)
        return TreatedIndicator(logged, _record(name, values, logged, settings, "log", areas=areas))
    action = "winsorised" if moved.points else "none"
    return TreatedIndicator(moved.values, _record(name, values, moved.values, settings, action, moved, areas))


def treat_matrix(raw: pd.DataFrame, treatment: Treatment) -> Treated:
    """Treat every column of an area x indicator table with its settings (``treatment`` and its
    ``by_indicator`` entry: an indicator can be switched on or off on its own, as COINr's
    ``indiv_specs``); return the treated table and the log."""
    treated = {}
    records = []
    for column in raw.columns:
        values, record = treat_indicator(column, raw[column].to_numpy(dtype="float64"),
                                         treatment.for_indicator(column), raw.index)
        treated[column] = values
        records.append(record)
    return Treated(pd.DataFrame(treated, index=raw.index), _log(records))


def _log(records: list[TreatmentRecord]) -> pd.DataFrame:
    return pd.DataFrame([asdict(r) for r in records], columns=list(TreatmentRecord.__dataclass_fields__))
