"""Empirical-Bayes shrinkage of small-area rates (Marshall 1991).

A rate on a small denominator swings on a handful of cases. Marshall's global
method-of-moments estimator (R. J. Marshall, "Mapping disease and mortality rates using
empirical Bayes estimators", Applied Statistics 40 (1991) 283-294; the same estimator
as GeoDa's and PySAL's "empirical Bayes smoothing") pulls each rate toward a prior rate,
the more so the smaller its denominator. For areas i with count x_i and denominator
n_i > 0, rate r_i = x_i / n_i:

* prior mean m: the pooled rate sum(x) / sum(n) over the areas (``gemeente``), or a
  given rate (``national``);
* s^2 = sum(n_i (r_i - m)^2) / sum(n_i), the denominator-weighted variance around m;
* A = s^2 - m / n_bar with n_bar = sum(n) / k (k areas), the between-area variance
  of the true rates; set to 0 when negative (all variation is chance);
* C_i = A / (A + m / n_i), the weight of the area's own rate;
* shrunk rate = m + C_i (r_i - m).

With a large n_i, m / n_i is small and C_i is near 1 (the rate stays); with a tiny
n_i, C_i is near 0 (the rate moves to m).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Shrunk:
    """Shrunk rates, the weight C_i of each area's own rate, the prior mean m and the prior variance A."""

    rates: np.ndarray
    own_weight: np.ndarray
    prior: float
    prior_variance: float


def marshall(numerator: np.ndarray, denominator: np.ndarray, prior: float | None = None) -> Shrunk:
    """Marshall's (1991) global empirical-Bayes rates (see the module docstring).

    ``prior`` None pools the areas (the gemeente rate); areas without a count or with a
    denominator <= 0 are left out of the estimation and get NaN.
    """
    x = np.asarray(numerator, dtype="float64")
    n = np.asarray(denominator, dtype="float64")
    valid = ~np.isnan(x) & ~np.isnan(n) & (n > 0)
    rates = np.full(x.shape, np.nan)
    weight = np.full(x.shape, np.nan)
    if not valid.any():
        return Shrunk(rates, weight, float("nan"), float("nan"))
    xv, nv = x[valid], n[valid]
    m = float(xv.sum() / nv.sum()) if prior is None else float(prior)
    r = xv / nv
    s2 = float(np.sum(nv * (r - m) ** 2) / nv.sum())
    a = max(s2 - m / nv.mean(), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(a > 0, a / (a + m / nv), 0.0) if m > 0 else np.ones_like(nv)
    rates[valid] = m + c * (r - m)
    weight[valid] = c
    return Shrunk(rates, weight, m, a)
