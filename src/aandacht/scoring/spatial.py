"""Spatial clustering of the composite score: local Moran's I (Anselin 1995).

For area i with standardised score z_i and row-standardised queen-contiguity weights
w_ij (areas sharing an edge or a corner are neighbours), I_i = z_i * sum_j w_ij z_j.
p-values come from conditional permutations (the other areas' values shuffled around
i, ``permutations`` times; esda's pseudo p-value, (extreme + 1) / (permutations + 1)),
and significance is judged after the Benjamini-Hochberg false-discovery-rate
correction at ``alpha`` over all areas. Quadrants: HH (high score among high
neighbours, a cluster of need), LL, HL and LH (outliers). Only scored areas take part:
an unscored area (population gate) is not a neighbour, and an area left without
neighbours is reported as an island (I_i = 0).

Uses PySAL (esda, libpysal), the optional extra ``spatial``: pip install 'aandacht[spatial]'.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import Spatial
from ..errors import AandachtError

QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


def benjamini_hochberg(p: np.ndarray, alpha: float) -> np.ndarray:
    """True where a p-value is significant under Benjamini-Hochberg (1995) FDR control at ``alpha``:
    with p sorted ascending, reject the k smallest where k is the largest index with p_(k) <= k alpha / m."""
    p = np.asarray(p, dtype="float64")
    m = p.size
    order = np.argsort(p)
    below = p[order] <= alpha * np.arange(1, m + 1) / m
    significant = np.zeros(m, dtype=bool)
    if below.any():
        significant[order[: np.flatnonzero(below).max() + 1]] = True
    return significant


def _pysal():
    try:
        import esda
        import libpysal
    except ImportError:
        raise AandachtError(
            "the spatial check needs PySAL (esda, libpysal), which is not installed; install the extra: pip install 'aandacht[spatial]'"
        ) from None
    return esda, libpysal


def local_moran(scores: pd.Series, geometry, spec: Spatial) -> pd.DataFrame:
    """Local Moran's I of ``scores`` (indexed by area code) on ``geometry`` (GeoDataFrame indexed by area code)."""
    esda, libpysal = _pysal()
    scored = scores.dropna()
    lacking = sorted(set(scored.index) - set(geometry.index))
    if lacking:
        raise AandachtError(f"spatial check: area(s) {lacking[:5]} have a score but no geometry")
    frame = geometry.loc[scored.index]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libpysal warns about islands; they are reported below
        weights = libpysal.weights.Queen.from_dataframe(frame, use_index=True)
    weights.transform = "r"
    with warnings.catch_warnings():
        # esda 2.x announces that its next major release makes the pseudo p-value two-sided; the
        # p-value here is esda 2.x's directed one (the share of permutations at least as extreme on the
        # observed side), and pyproject keeps esda below 3 so that it cannot change unannounced
        warnings.filterwarnings("ignore", message="The alternative hypothesis for conditional randomization",
                                category=DeprecationWarning)
        moran = esda.Moran_Local(scored.to_numpy(), weights, permutations=spec.permutations, seed=spec.seed)
    significant = benjamini_hochberg(moran.p_sim, spec.alpha)
    islands = set(weights.islands)
    return pd.DataFrame({
        "area_code": scored.index,
        "score": scored.to_numpy(),
        "local_moran_i": moran.Is,
        "quadrant": [QUADRANTS[q] for q in moran.q],
        "p_permutation": moran.p_sim,
        "significant_fdr": significant,
        "neighbours": [weights.cardinalities[c] for c in scored.index],
        "note": ["geen buren (eiland)" if c in islands else "" for c in scored.index],
    })
