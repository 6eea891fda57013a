"""Ranks along one axis of an array, with NaN left out.

:func:`rank_along` gives rank 1 to the smallest value present along ``axis``; tied values
share the lowest rank of their group (``min``, R's ``rank(ties.method = "min")`` used by
COINr's ``n_prank``, ``n_rank`` and ``n_borda``) or the mean of the ranks they span
(``average``, R's default); NaN stays NaN. It is plain NumPy (a stable argsort per row), so
that the scoring modules do not need SciPy at import time.
"""

from __future__ import annotations

from typing import Literal

import numpy as np


def rank_along(values: np.ndarray, axis: int = -1, ties: Literal["min", "average"] = "min") -> np.ndarray:
    """Ranks (float64) of ``values`` along ``axis``; see the module docstring."""
    x = np.moveaxis(np.asarray(values, dtype="float64"), axis, -1)
    shape = x.shape
    rows = x.reshape(-1, shape[-1]) if x.size else x.reshape(0, shape[-1])
    n = rows.shape[1]
    order = np.argsort(rows, axis=1, kind="stable")  # NaN sorts last
    ordered = np.take_along_axis(rows, order, axis=1)
    positions = np.broadcast_to(np.arange(n), ordered.shape)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.maximum.accumulate(np.where(starts, positions, 0), axis=1)
    if ties == "min":
        ranked = first + 1.0
    else:
        ends = np.ones(ordered.shape, dtype=bool)
        ends[:, :-1] = starts[:, 1:]
        last = np.minimum.accumulate(np.where(ends, positions, n)[:, ::-1], axis=1)[:, ::-1]
        ranked = (first + last) / 2.0 + 1.0
    ranked = np.where(np.isnan(ordered), np.nan, ranked)
    out = np.empty_like(ranked)
    np.put_along_axis(out, order, ranked, axis=1)
    return np.moveaxis(out.reshape(shape), -1, axis)
