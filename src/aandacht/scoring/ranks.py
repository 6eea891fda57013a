"""Ranks of values along an axis, as ``scipy.stats.rankdata``, in numpy alone.

Importing ``scipy.stats`` takes most of a second (it loads every distribution), longer than a
whole scoring run; the scoring stage needs only ranks. Semantics follow ``scipy.stats.rankdata``
(SciPy 1.11+): ranks start at 1; ``method="average"`` gives tied values the mean of the ranks they
span, ``"min"`` the lowest; ``nan_policy="omit"`` ranks the other values and leaves NaN where the
input is NaN, ``"propagate"`` makes a whole slice NaN when it holds a NaN. The result is float64.
"""

from __future__ import annotations

import numpy as np

METHODS = ("average", "min", "max")


def rankdata(a, method: str = "average", axis: int = -1, nan_policy: str = "propagate") -> np.ndarray:
    """Ranks of ``a`` along ``axis`` (module docstring); a 1-D input is ranked as a whole."""
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {METHODS}")
    if nan_policy not in ("omit", "propagate"):
        raise ValueError(f"nan_policy {nan_policy!r} is not 'omit' or 'propagate'")
    x = np.moveaxis(np.asarray(a, dtype="float64"), axis, -1)
    shape, n = x.shape, x.shape[-1]
    rows = x.reshape(-1, n)
    if n == 0:
        return np.moveaxis(rows.reshape(shape), -1, axis)
    order = np.argsort(rows, axis=1, kind="mergesort")  # NaN last, ties in input order
    ordered = np.take_along_axis(rows, order, axis=1)
    position = np.broadcast_to(np.arange(1, n + 1, dtype="float64"), rows.shape)
    starts = np.ones(rows.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    ends = np.ones(rows.shape, dtype=bool)
    ends[:, :-1] = starts[:, 1:]
    first = np.maximum.accumulate(np.where(starts, position, 0.0), axis=1)
    last = np.minimum.accumulate(np.where(ends, position, np.inf)[:, ::-1], axis=1)[:, ::-1]
    value = {"average": (first + last) / 2, "min": first, "max": last}[method]
    value = np.where(np.isnan(ordered), np.nan, value)
    ranks = np.empty_like(value)
    np.put_along_axis(ranks, order, value, axis=1)
    if nan_policy == "propagate":
        ranks[np.isnan(rows).any(axis=1)] = np.nan
    return np.moveaxis(ranks.reshape(shape), -1, axis)
