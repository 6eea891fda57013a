"""Normalisation of indicator values to a common scale, with directions applied.

All functions take an array whose last two axes are (areas, indicators), so a leading
axis of Monte Carlo draws broadcasts; NaN stays NaN. ``directions`` holds +1 (more is
more risk) or -1 per indicator; every method works on y = d * x, so that after
normalisation a higher value always means more risk for children (COINr's
``Normalise`` multiplies by the direction in the same way). Formulas follow the OECD/JRC
Handbook on Constructing Composite Indicators (2008), section 1.6, and the COINr package
(Becker et al.; the function named) for the details:

* ``minmax`` (``n_minmax``): lo + (y - min y) / (max y - min y) * (hi - lo)
* ``zscore`` (``n_zscore``): m + s * (y - mean y) / sd(y), sd with n - 1 (R's sd)
* ``rank``: average rank of y among the areas present, 1 = least risk
* ``percentile_rank`` (``n_prank``): (min-rank of y - 1) / (n - 1) * 100 (COINr runs 0-1)
* ``borda`` (``n_borda``): min-rank of y - 1, the number of areas with a lower value
* ``goalposts``: for d = +1, clip((x - lower) / (upper - lower), 0, 1); for d = -1,
  clip((upper - x) / (upper - lower), 0, 1); then scaled to [lo, hi]
* ``distance_to_reference`` (``n_dist2ref``): v = 1 - (y_ref - y) / (y_ref - min y), y_ref the
  reference area's value; lo + v * (hi - lo), so the area with the least risk gets lo and the
  reference area hi; areas beyond the reference exceed hi unless ``cap`` (then capped at hi)
* ``distance_to_target`` (``n_dist2targ``): v = (y - min y) / (d * t - min y), t the indicator's
  ``target``; lo + v * (hi - lo): an area at the target gets hi (capped there with ``cap``).
  The target is multiplied by the direction as COINr does, so for d = -1 this is
  (max x - x) / (max x - t).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..config import Indicator, Normalisation
from ..config.choices import NORMALISATIONS, check_implemented
from ..errors import AandachtError
from .ranks import rank_along

AREA_AXIS = -2


def minmax(x: np.ndarray, directions: np.ndarray, lo: float = 0.0, hi: float = 100.0) -> np.ndarray:
    """Min-max normalisation; a constant indicator gives NaN (the caller reports it)."""
    y = x * directions
    low = np.nanmin(y, axis=AREA_AXIS, keepdims=True)
    span = np.nanmax(y, axis=AREA_AXIS, keepdims=True) - low
    with np.errstate(invalid="ignore", divide="ignore"):
        return lo + (y - low) / np.where(span > 0, span, np.nan) * (hi - lo)


def zscore(x: np.ndarray, directions: np.ndarray, mean: float = 0.0, sd: float = 1.0) -> np.ndarray:
    """Standardisation to mean ``mean`` and standard deviation ``sd`` (sample sd, n - 1)."""
    y = x * directions
    centre = np.nanmean(y, axis=AREA_AXIS, keepdims=True)
    spread = np.nanstd(y, axis=AREA_AXIS, ddof=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return mean + sd * (y - centre) / np.where(spread > 0, spread, np.nan)


def rank(x: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Average ranks (ties share the mean rank), 1 = least risk."""
    return rank_along(x * directions, AREA_AXIS, "average")


def percentile_rank(x: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Percentile rank 0-100: (min-rank - 1) / (n - 1) * 100, n = areas present."""
    y = x * directions
    ranks = rank_along(y, AREA_AXIS, "min")
    present = np.sum(~np.isnan(y), axis=AREA_AXIS, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (ranks - 1) / np.where(present > 1, present - 1, np.nan) * 100.0


def borda(x: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Borda count: min-rank - 1, the number of areas present with a strictly lower value of d * x."""
    return rank_along(x * directions, AREA_AXIS, "min") - 1.0


def goalposts(
    x: np.ndarray, directions: np.ndarray, lower: np.ndarray, upper: np.ndarray, lo: float = 0.0, hi: float = 100.0
) -> np.ndarray:
    """Distance to fixed goalposts per indicator, capped to [lo, hi]."""
    share = np.where(directions > 0, (x - lower) / (upper - lower), (upper - x) / (upper - lower))
    return lo + np.clip(share, 0.0, 1.0) * (hi - lo)


def distance_to(y: np.ndarray, top: np.ndarray, lo: float, hi: float, cap: bool) -> np.ndarray:
    """lo + (y - min y) / (top - min y) * (hi - lo), capped at hi with ``cap``; ``y`` is d * x and
    ``top`` the directed value that gets hi (a reference area's value or a target)."""
    low = np.nanmin(y, axis=AREA_AXIS, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):  # top == min: undefined, the callers refuse it
        share = (y - low) / (top - low)
    if cap:
        share = np.minimum(share, 1.0)
    return lo + share * (hi - lo)


def distance_to_reference(x: np.ndarray, directions: np.ndarray, row: int, lo: float = 0.0, hi: float = 100.0,
                          cap: bool = False) -> np.ndarray:
    """COINr ``n_dist2ref`` on y = d * x with the reference area at position ``row`` of the area axis."""
    y = x * directions
    reference = np.take(y, [row], axis=AREA_AXIS)
    return distance_to(y, reference, lo, hi, cap)


def distance_to_target(x: np.ndarray, directions: np.ndarray, targets: np.ndarray, lo: float = 0.0, hi: float = 100.0,
                       cap: bool = False) -> np.ndarray:
    """COINr ``n_dist2targ`` on y = d * x with the directed target d * t per indicator."""
    return distance_to(x * directions, targets * directions, lo, hi, cap)


def _goalposts_of(x, directions, settings: Normalisation, indicators: list[Indicator], areas) -> np.ndarray:
    lower = np.array([i.goalposts.lower for i in indicators])
    upper = np.array([i.goalposts.upper for i in indicators])
    return goalposts(x, directions, lower, upper, *settings.range)


def _reference_of(x, directions, settings: Normalisation, indicators: list[Indicator], areas: pd.Index) -> np.ndarray:
    code = settings.reference
    if code not in areas:
        raise AandachtError(f"method.normalisation.reference: area {code!r} is not among the scored areas")
    row = areas.get_loc(code)
    lacking = [i.id for i, value in zip(indicators, x[row]) if np.isnan(value)]
    if lacking:
        raise AandachtError(f"method.normalisation.reference: area {code} has no value for indicator(s) {lacking}")
    flat = [i.id for i, value, low in zip(indicators, x[row] * directions, np.nanmin(x * directions, axis=0)) if value == low]
    if flat:
        raise AandachtError(f"method.normalisation.reference: area {code} has the lowest risk on indicator(s) {flat}, "
                            "so the distance to it is undefined")
    return distance_to_reference(x, directions, row, *settings.range, settings.cap)


def _target_of(x, directions, settings: Normalisation, indicators: list[Indicator], areas) -> np.ndarray:
    targets = np.array([i.target for i in indicators], dtype="float64")
    flat = [i.id for i, t, low in zip(indicators, targets * directions, np.nanmin(x * directions, axis=0)) if t == low]
    if flat:
        raise AandachtError(f"indicator(s) {flat}: the target equals the value of least risk, so the distance to it is undefined")
    return distance_to_target(x, directions, targets, *settings.range, settings.cap)


# The normalisation methods of the registry (aandacht.config.choices.NORMALISATIONS), each
# called as method(x, directions, settings, indicators, areas) with an (areas, indicators)
# table x, the config's settings, the framework indicators of its columns and the area codes
# of its rows.
METHODS: dict[str, Callable[[np.ndarray, np.ndarray, Normalisation, list[Indicator], pd.Index], np.ndarray]] = {
    "minmax": lambda x, directions, settings, indicators, areas: minmax(x, directions, *settings.range),
    "zscore": lambda x, directions, settings, indicators, areas: zscore(x, directions, settings.zscore_mean,
                                                                         settings.zscore_sd),
    "rank": lambda x, directions, settings, indicators, areas: rank(x, directions),
    "percentile_rank": lambda x, directions, settings, indicators, areas: percentile_rank(x, directions),
    "borda": lambda x, directions, settings, indicators, areas: borda(x, directions),
    "goalposts": _goalposts_of,
    "distance_to_reference": _reference_of,
    "distance_to_target": _target_of,
}
check_implemented("normalisation", NORMALISATIONS, METHODS)
