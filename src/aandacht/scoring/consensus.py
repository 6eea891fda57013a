"""Consensus between monitors: each source family scored on its own, and how far they agree.

The indicators are grouped by the family of their input (config ``inputs.<name>.family``,
by default the input name). Each family is scored with the same framework and method,
restricted to its own indicators (nodes left without indicators drop out, their parents'
weights are renormalised). Agreement:

* Kendall's coefficient of concordance W of the m family rankings over the n areas scored
  by every family (Kendall and Babington Smith 1939; ties corrected):
  W = 12 S / (m^2 (n^3 - n) - m T), with R_i the sum of area i's (average) ranks,
  S = sum((R_i - mean R)^2) and T = sum over families and tie groups of (t^3 - t).
  W = 1 is full agreement, 0 none.
* The hard core: areas in the top k of at least ``min_sources`` of the family scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import Config
from ..errors import ConfigError
from .composite import score
from .ranks import rank_along


@dataclass
class Consensus:
    """Family scores and ranks (one column per family), Kendall's W and the hard core."""

    scores: pd.DataFrame
    ranks: pd.DataFrame
    kendall_w: float
    areas_compared: int
    hard_core: list[str]
    families: dict[str, list[str]]


def kendall_w(ranks: np.ndarray) -> float:
    """Kendall's W of an (areas, raters) array of scores or ranks (higher = ranked first); ties corrected."""
    n, m = ranks.shape
    if n < 2 or m < 2:
        return float("nan")
    r = rank_along(ranks, axis=0, ties="average")
    totals = r.sum(axis=1)
    s = float(np.sum((totals - totals.mean()) ** 2))
    ties = 0.0
    for j in range(m):
        _, counts = np.unique(r[:, j], return_counts=True)
        ties += float(np.sum(counts**3 - counts))
    return 12 * s / (m**2 * (n**3 - n) - m * ties)


def families(config: Config) -> dict[str, list[str]]:
    """Indicator ids per source family, in framework order."""
    groups: dict[str, list[str]] = {}
    for indicator in config.framework.indicators:
        spec = config.inputs[indicator.input]
        groups.setdefault(spec.family or indicator.input, []).append(indicator.id)
    return groups


def consensus(raw: pd.DataFrame, config: Config, area_groups: pd.Series | None = None) -> Consensus:
    """Score each source family on its own and compare (see the module docstring); ``area_groups``
    serves the group imputations."""
    groups = families(config)
    if len(groups) < 2:
        raise ConfigError(f"{config.source_file}: consensus needs at least 2 source families; inputs.*.family gives {sorted(groups)}")
    if config.consensus.min_sources > len(groups):
        raise ConfigError(f"{config.source_file}: consensus.min_sources is {config.consensus.min_sources} but there are only {len(groups)} source families")
    framework = config.framework
    scores = {}
    for family, members in groups.items():
        kept = [i for i in framework.indicators if i.id in members]
        parents = {i.parent for i in kept}
        nodes = {n.id: n for n in framework.nodes}
        frontier = set(parents)
        while frontier:
            frontier = {nodes[p].parent for p in frontier if p in nodes} - parents
            parents |= frontier
        sub = framework.model_copy(update={"indicators": kept, "nodes": [n for n in framework.nodes if n.id in parents]})
        scores[family] = score(raw, sub, config.method, area_groups).index
    table = pd.DataFrame(scores)
    ranks = table.rank(ascending=False, method="min").astype("Int64")
    complete = table.dropna()
    top = (ranks <= config.consensus.top_k).sum(axis=1)
    core = list(top.index[top >= config.consensus.min_sources])
    return Consensus(table, ranks, kendall_w(complete.to_numpy()), len(complete), core, groups)
