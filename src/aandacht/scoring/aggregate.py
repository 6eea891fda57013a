"""Weighted aggregation of child scores into a parent score.

``values`` has the children on its last axis (areas on the one before, any leading
axes broadcast), ``weights`` one weight per child (or an array broadcastable to
``values``). Missing children are handled by renormalising the weights over the
children present (OECD/JRC Handbook 2008, section 1.7; COINr ``Aggregate``); when
fewer than ``min_share`` of the children (by count, among those with positive weight)
are present the parent is NaN.

* arithmetic: sum(w x) / sum(w)
* geometric:  exp(sum(w log x) / sum(w)), needs x > 0
* harmonic:   sum(w) / sum(w / x), needs x > 0
"""

from __future__ import annotations

import numpy as np

from ..config.choices import AGGREGATIONS, check_implemented
from ..errors import AandachtError

# The aggregation formulas of the registry (aandacht.config.choices.AGGREGATIONS), each
# called as formula(w, x, total) with missing children given weight 0 and value 1, and
# children of weight 0 value 1.
FORMULAS = {
    "arithmetic": lambda w, x, total: (w * x).sum(axis=-1) / total,
    "geometric": lambda w, x, total: np.exp((w * np.log(x)).sum(axis=-1) / total),
    "harmonic": lambda w, x, total: total / (w / x).sum(axis=-1),
}
check_implemented("aggregation", AGGREGATIONS, FORMULAS)


def aggregate(values: np.ndarray, weights: np.ndarray, method: str, min_share: float, label: str = "",
              positive_checked: bool = False) -> np.ndarray:
    """Aggregate the last axis of ``values`` with ``weights``; see the module docstring.
    ``positive_checked``: the caller has made sure the values are above 0 (the uncertainty model
    checks its normalised matrices once; means of positive values stay positive)."""
    weights = np.asarray(weights, dtype="float64")
    if method not in FORMULAS:
        raise ValueError(f"unknown aggregation method {method!r}")
    present = ~np.isnan(values)
    counted = weights > 0
    if present.all() and counted.all():  # every child present and counted (the common case): no masking
        w = np.broadcast_to(weights, values.shape)
        x = values
        total = w.sum(axis=-1)
        share = np.ones(values.shape[:-1])
    else:  # a child with weight 0 counts for nothing, whatever its value (log 0 or 1 / 0 would make NaN)
        w = np.where(present, weights, 0.0)
        x = np.where(present & counted, values, 1.0)
        total = w.sum(axis=-1)
        n_counted = np.broadcast_to(counted, values.shape).sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = (present & counted).sum(axis=-1) / np.where(n_counted > 0, n_counted, np.nan)
    if method in ("geometric", "harmonic") and not positive_checked and np.any(values[present & counted] <= 0):
        raise AandachtError(
            f"{method} aggregation of '{label}' needs values above 0; normalise to a range that starts above 0 "
            "(for example method.normalisation.range: [1, 100])"
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        result = FORMULAS[method](w, x, total)
    return np.where((share >= min_share) & (total > 0), result, np.nan)


def fill_missing_children(values: np.ndarray, weights: np.ndarray, min_share: float, columns: np.ndarray | None = None
                          ) -> tuple[np.ndarray, np.ndarray]:
    """``method.missing.domain: mean``: in ``values`` (..., areas, children) fill a missing child of an area
    that has at least ``min_share`` of its counted children (weight > 0) present, so that the parent has a
    score anyway, with the mean of that child over the areas (axis -2) that have it and pass the same
    share (COINr ``i_mean`` applied to the aggregated level: the average area, neutral). ``columns``
    (bool per child) limits the filling to those children (the domains, not indicators under the index).
    Returns the filled values and the mask of filled cells."""
    weights = np.asarray(weights, dtype="float64")
    present = ~np.isnan(values)
    counted = np.broadcast_to(weights > 0, values.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (present & counted).sum(axis=-1, keepdims=True) / counted.sum(axis=-1, keepdims=True)
    eligible = share >= min_share
    fillable = ~present & eligible & counted
    if columns is not None:
        fillable &= np.asarray(columns, dtype=bool)
    if not fillable.any():
        return values, fillable
    source = present & eligible
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(source, values, 0.0).sum(axis=-2, keepdims=True) / source.sum(axis=-2, keepdims=True)
    fillable &= ~np.isnan(np.broadcast_to(means, values.shape))
    return np.where(fillable, means, values), fillable
