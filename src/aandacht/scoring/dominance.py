"""Dominance: where an indicator's or a domain's real share of the score differs from its weight.

A weight says how much a part *should* count; with min-max normalisation the part's real share
also depends on where the areas lie on its scale. When one area lies far from all others (one
wijk with almost no jeugdzorg), it takes one end of the 0-100 scale alone, and every other area
lands near the other end: the indicator then counts far more (or, with the outlier at the top,
far less) than its weight says. The OECD/JRC Handbook (2008, step 6, "weighting and
aggregation") warns that nominal weights are not importance; Paruolo, Saisana and Saltelli
(2013, "Ratings and rankings: voodoo or science?", JRSS A 176) measure the real importance.

Rule. For every node below the index (domain, sub-domain, indicator), with

* nominal share n = the product of the normalised weights along its path (sum over its
  indicators), from :meth:`aandacht.scoring.tree.Tree.nominal_effective_weights`, and
* real share c = the mean over scored areas of sum_i w_eff(a, i) x(a, i) / score(a) over its
  indicators i (the ``contribution`` column of the effective weights, defined for arithmetic
  aggregation of non-negative normalised values),

the node *dominates* when c / n > ``factor`` and is *suppressed* when c / n < 1 / ``factor``.

Lone indicators. A domain (a child of the index) with a single indicator gives that indicator the
whole domain's weight. When the indicator goes weakly with the rest of the index, the index without
that domain (Pearson r <= ``coherence.weak``, default 0.3, over the scored areas), one measure that
tells little about the other domains decides a domain's share of the ranking on its own: it is named
(:func:`lone_indicators`). The correlation is taken with the rest of the index, not the index itself,
because a quarter of the index is the indicator itself and would lift r by construction (in Den Haag's
`init` project jeugdzorg has r = 0.50 with the index and 0.24 with the rest; in Leeuwarden 0.71 and 0.57).

Anchoring area: for the indicator that drives the difference (the node itself, or the indicator
under it whose c - n is largest in the same direction), the area at the end of the normalised
scale that stretches it: the area with the lowest normalised value when the indicator counts
too much (every other area lies high above it), the highest when it counts too little.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import Framework, Method
from .composite import ScoreResult, index_without


@dataclass(frozen=True)
class Dominance:
    """One node whose real share of the score is off its nominal share by more than the factor.

    ``node`` and ``label``: the node (domain or indicator); ``is_indicator``; ``nominal`` and
    ``contribution``: nominal and real share (0-1); ``indicator``: the indicator that drives the
    difference; ``anchor``: the anchoring area's code; ``anchor_end``: ``"low"`` (the area with
    the lowest normalised value, so the indicator counts too much) or ``"high"``; ``anchor_value``
    and ``median_value``: the indicator's raw value in the anchoring area and its median over the
    scored areas."""

    node: str
    label: str
    is_indicator: bool
    nominal: float
    contribution: float
    indicator: str
    anchor: str
    anchor_end: str
    anchor_value: float
    median_value: float

    @property
    def ratio(self) -> float:
        return self.contribution / self.nominal

    @property
    def too_much(self) -> bool:
        return self.ratio > 1


def leaves_under(result: ScoreResult, node: str) -> list[str]:
    """The indicators below ``node`` (itself when it is an indicator)."""
    tree = result.tree
    return [leaf for leaf in tree.leaves if node in tree.path(leaf)]


def dominance(result: ScoreResult, factor: float = 1.5) -> list[Dominance]:
    """Nodes whose real share differs from their nominal share by more than ``factor`` (see the
    module docstring), domains before indicators; an indicator that is the only child of a
    flagged domain is not listed again. Empty when the real shares are undefined."""
    if factor <= 1:
        raise ValueError(f"factor must be above 1 (got {factor})")
    weights = result.effective_weights.set_index("indicator")
    if weights["contribution"].isna().any():
        return []
    tree = result.tree
    scored = result.index.notna()
    nodes = [n for g in reversed(tree.groups) for n in g.children]  # top-down, config order
    found, covered = [], set()
    for node in nodes:
        leaves = leaves_under(result, node)
        nominal = float(weights.loc[leaves, "nominal"].sum())
        real = float(weights.loc[leaves, "contribution"].sum())
        if nominal <= 0 or 1 / factor <= real / nominal <= factor or set(leaves) <= covered:
            continue
        gaps = weights.loc[leaves, "contribution"] - weights.loc[leaves, "nominal"]
        driver = str(gaps.idxmax() if real > nominal else gaps.idxmin())
        values = result.normalised.loc[scored, driver].dropna()
        anchor = str(values.idxmin() if real > nominal else values.idxmax())
        raw = result.raw.loc[scored, driver]
        found.append(Dominance(node, tree.labels[node], node in tree.leaves, nominal, real, driver, anchor,
                               "low" if real > nominal else "high", float(raw[anchor]), float(np.nanmedian(raw))))
        if len(leaves) == 1:
            covered |= set(leaves)
    return found


def dominance_table(result: ScoreResult, factor: float = 1.5) -> pd.DataFrame:
    """:func:`dominance` as a table (one row per node), for the analyst's workbook."""
    rows = [{**d.__dict__, "ratio": d.ratio} for d in dominance(result, factor)]
    columns = [*Dominance.__dataclass_fields__, "ratio"]
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class LoneIndicator:
    """A domain of one indicator that goes weakly with the rest of the index (module docstring).

    ``node``/``label``: the domain; ``indicator``/``indicator_label``; ``nominal`` and ``contribution``: the
    domain's nominal and real share (0-1; NaN when undefined); ``r_index``: the indicator's correlation with
    the index; ``r_rest``: with the index without the domain."""

    node: str
    label: str
    indicator: str
    indicator_label: str
    nominal: float
    contribution: float
    r_index: float
    r_rest: float


def lone_indicators(result: ScoreResult, framework: Framework, method: Method, weak: float = 0.3) -> list[LoneIndicator]:
    """The domains of one indicator whose indicator correlates at most ``weak`` with the rest of the index
    (module docstring), in framework order; none when the index has a single child."""
    tree = result.tree
    if len(tree.top_level) < 2:
        return []
    weights = result.effective_weights.set_index("indicator")
    scored = result.index.notna()
    found = []
    for node in tree.top_level:
        leaves = leaves_under(result, node)
        if len(leaves) != 1:
            continue
        leaf = leaves[0]
        x = result.normalised.loc[scored, leaf]
        rest = index_without(result, framework, method, {leaf}).loc[scored]
        both = x.notna() & rest.notna()
        if both.sum() < 3 or x[both].std() == 0 or rest[both].std() == 0:
            continue
        r_rest = float(np.corrcoef(x[both], rest[both])[0, 1])
        if r_rest <= weak:
            found.append(LoneIndicator(node, tree.labels[node], leaf, tree.labels[leaf], float(weights.at[leaf, "nominal"]),
                                       float(weights.at[leaf, "contribution"]), float(weights.at[leaf, "correlation"]), r_rest))
    return found
