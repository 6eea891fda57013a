"""Normalisation of indicator values to a common scale, with directions applied.

All functions take an array whose last two axes are (areas, indicators), so a leading
axis of Monte Carlo draws broadcasts; NaN stays NaN. ``directions`` holds +1 (more is
more risk) or -1 per indicator; after normalisation a higher value always means more
risk for children. Formulas follow the OECD/JRC Handbook on Constructing Composite
Indicators (2008), section 1.6, and the COINr package (Becker et al.) for the details:

* ``minmax``: y = d*x;  lo + (y - min y) / (max y - min y) * (hi - lo)
* ``zscore``: y = d*x;  m + s * (y - mean y) / sd(y), sd with n - 1 (R's sd)
* ``rank``: average rank of d*x among the areas present, 1 = least risk
* ``percentile_rank``: (min-rank of d*x - 1) / (n - 1) * 100 (dplyr::percent_rank)
* ``goalposts``: for d = +1, clip((x - lower) / (upper - lower), 0, 1); for d = -1,
  clip((upper - x) / (upper - lower), 0, 1); then scaled to [lo, hi]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..config import Indicator, Normalisation
from ..config.choices import NORMALISATIONS, check_implemented
from .ranks import rankdata

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
    return rankdata(x * directions, method="average", axis=AREA_AXIS, nan_policy="omit")


def percentile_rank(x: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Percentile rank 0-100: (min-rank - 1) / (n - 1) * 100, n = areas present."""
    y = x * directions
    ranks = rankdata(y, method="min", axis=AREA_AXIS, nan_policy="omit")
    present = np.sum(~np.isnan(y), axis=AREA_AXIS, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (ranks - 1) / np.where(present > 1, present - 1, np.nan) * 100.0


def goalposts(
    x: np.ndarray, directions: np.ndarray, lower: np.ndarray, upper: np.ndarray, lo: float = 0.0, hi: float = 100.0
) -> np.ndarray:
    """Distance to fixed goalposts per indicator, capped to [lo, hi]."""
    share = np.where(directions > 0, (x - lower) / (upper - lower), (upper - x) / (upper - lower))
    return lo + np.clip(share, 0.0, 1.0) * (hi - lo)


def _goalposts_of(x, directions, settings: Normalisation, indicators: list[Indicator]) -> np.ndarray:
    lower = np.array([i.goalposts.lower for i in indicators])
    upper = np.array([i.goalposts.upper for i in indicators])
    return goalposts(x, directions, lower, upper, *settings.range)


# The normalisation methods of the registry (aandacht.config.choices.NORMALISATIONS), each
# called as method(x, directions, settings, indicators) with the config's settings and the
# framework indicators of the columns of x.
METHODS: dict[str, Callable[[np.ndarray, np.ndarray, Normalisation, list[Indicator]], np.ndarray]] = {
    "minmax": lambda x, directions, settings, indicators: minmax(x, directions, *settings.range),
    "zscore": lambda x, directions, settings, indicators: zscore(x, directions, settings.zscore_mean, settings.zscore_sd),
    "rank": lambda x, directions, settings, indicators: rank(x, directions),
    "percentile_rank": lambda x, directions, settings, indicators: percentile_rank(x, directions),
    "goalposts": _goalposts_of,
}
check_implemented("normalisation", NORMALISATIONS, METHODS)
