"""Statistical coherence of the framework (OECD/JRC Handbook 2008, sections 1.4 and 1.5).

All checks use the normalised indicators (higher = more risk) of the scored areas.

* Pearson correlations between indicators (pairwise complete), labelled within or
  between domains (a domain = a child of the index).
* Cronbach's alpha per domain with at least two indicators, on the areas with every
  indicator of the domain present: alpha = k / (k - 1) * (1 - sum(var_i) / var(sum_i x_i)),
  variances with n - 1 (Cronbach 1951).
* Flags: an indicator whose correlation with its parent node's score is negative, and
  near-duplicate pairs with |r| above a limit (0.9 by default).
* Principal components (scikit-learn PCA on the standardised indicators, complete
  cases): explained variance per component, loadings (eigenvector x sqrt(eigenvalue)),
  and PCA weights: the squared loadings on the first component scaled to sum 1 (the
  "squared factor loadings" weighting of the Handbook, section 1.7.2, applied to one
  component). Loadings of opposite sign to the majority mean that the indicator pulls
  against the common factor; such weights are reported with a warning, never applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from .composite import ScoreResult

NEAR_DUPLICATE = 0.9


@dataclass
class Coherence:
    """The coherence tables and the notes they raise for the analyst."""

    correlations: pd.DataFrame
    pairs: pd.DataFrame
    alpha: pd.DataFrame
    indicator_flags: pd.DataFrame
    pca: pd.DataFrame
    pca_weights: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha of an (observations, items) array without missing values."""
    k = items.shape[1]
    if k < 2 or items.shape[0] < 2:
        return float("nan")
    total = items.sum(axis=1).var(ddof=1)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / total))


def domain_of(result: ScoreResult) -> dict[str, str]:
    """Each indicator's domain: the child of the index on its path."""
    return {leaf: result.tree.path(leaf)[-2] for leaf in result.tree.leaves}


class PcaTables(NamedTuple):
    """Explained variance with loadings (rows explained_share, eigenvalue, then one per indicator),
    PCA weights per indicator, and notes."""

    loadings: pd.DataFrame
    weights: pd.DataFrame
    notes: list[str]


def pca_tables(x: pd.DataFrame) -> PcaTables:
    """Explained variance with loadings, PCA weights and notes (complete cases, standardised)."""
    from sklearn.decomposition import PCA

    complete = x.dropna()
    usable = complete.loc[:, complete.std(ddof=1) > 0]
    if usable.shape[0] < 3 or usable.shape[1] < 2:
        return PcaTables(pd.DataFrame(), pd.DataFrame(), [f"PCA skipped: {usable.shape[0]} complete areas, {usable.shape[1]} varying indicators"])
    z = (usable - usable.mean()) / usable.std(ddof=1)
    pca = PCA().fit(z.to_numpy())
    loadings = pca.components_.T * np.sqrt(pca.explained_variance_)
    names = [f"PC{k + 1}" for k in range(loadings.shape[1])]
    table = pd.DataFrame(loadings, index=usable.columns, columns=names)
    header = pd.DataFrame([pca.explained_variance_ratio_, pca.explained_variance_], index=["explained_share", "eigenvalue"], columns=names)
    first = table["PC1"]
    sign = 1.0 if (first >= 0).sum() >= (first < 0).sum() else -1.0
    against = sorted(first.index[np.sign(first) == -sign])
    weights = pd.DataFrame({"indicator": first.index, "loading_pc1": first * sign, "pca_weight": first**2 / (first**2).sum()})
    notes = [f"PCA: {len(complete)} of {len(x)} areas complete"]
    if against:
        notes.append(f"PCA weights: indicator(s) {against} load negatively on the first component; do not use these weights as they are")
    return PcaTables(pd.concat([header, table]).rename_axis("row").reset_index(), weights.reset_index(drop=True), notes)


def coherence(result: ScoreResult, limit: float = NEAR_DUPLICATE) -> Coherence:
    """All coherence checks on a scoring result (see the module docstring)."""
    x = result.normalised.loc[result.index.notna()]
    domains = domain_of(result)
    corr = x.corr(method="pearson", min_periods=3)
    leaves = list(x.columns)
    pairs = []
    for i, a in enumerate(leaves):
        for b in leaves[i + 1:]:
            r = corr.at[a, b]
            pairs.append({"indicator_a": a, "indicator_b": b, "r": r,
                          "relation": "within domain" if domains[a] == domains[b] else "between domains",
                          "near_duplicate": bool(abs(r) > limit) if pd.notna(r) else False})
    pairs = pd.DataFrame(pairs, columns=["indicator_a", "indicator_b", "r", "relation", "near_duplicate"])
    alpha_rows = []
    for domain in result.tree.top_level:
        members = [leaf for leaf in leaves if domains[leaf] == domain]
        items = x[members].dropna().to_numpy()
        alpha_rows.append({"domain": domain, "label": result.tree.labels[domain], "indicators": len(members),
                           "complete_areas": items.shape[0], "cronbach_alpha": cronbach_alpha(items)})
    scores = pd.concat([x, result.nodes.loc[x.index]], axis=1)
    flags = []
    for leaf in leaves:
        parent = result.tree.parents[leaf]
        r = scores[leaf].corr(scores[parent]) if len(result.tree.groups) and parent in scores else float("nan")
        flags.append({"indicator": leaf, "parent": parent, "r_with_parent": r, "negative_with_parent": bool(r < 0) if pd.notna(r) else False})
    flags = pd.DataFrame(flags)
    pca, weights, pca_notes = pca_tables(x)
    notes = [f"{row.indicator} correlates negatively with its parent {row.parent} (r = {row.r_with_parent:.2f})"
                for row in flags.itertuples() if row.negative_with_parent]
    notes += [f"{row.indicator_a} and {row.indicator_b} are near-duplicates (r = {row.r:.2f})" for row in pairs.itertuples() if row.near_duplicate]
    return Coherence(corr.rename_axis("indicator").reset_index(), pairs, pd.DataFrame(alpha_rows), flags, pca, weights, notes + pca_notes)
