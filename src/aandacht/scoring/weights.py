"""Weights other than the framework's own: PCA weights, and weight sets given as a table.

**PCA weights** (``method.weights: pca``; OECD/JRC Handbook 2008, section 1.7.2, "weights
based on principal components"; grouping as COINr ``get_PCA(by_groups = TRUE)`` at the
indicator level): for every node whose children are all indicators, a principal component
analysis of those indicators (normalised values, areas with all of them present,
standardised: the eigen-decomposition of their correlation matrix, as R's
``prcomp(center = TRUE, scale = TRUE)``). The weight of indicator i is v_i^2, the square of
its entry in the first eigenvector; these sum to 1 within the node and equal the squared
loadings on the first component scaled to unity sum. COINr's ``get_PCA`` returns v_i itself,
whose sign is arbitrary and can be negative; squaring keeps every weight non-negative. An
indicator whose entry has the opposite sign to the majority pulls against the common
component: it still gets weight v_i^2, and a note says so. Nodes with other nodes among their
children keep the framework's weights (noted).

**Weight sets** (``uncertainty.weight_sets``; COINr's ``get_sensitivity`` with a discrete
distribution of weight sets): a table with a column ``id`` (framework indicator and node
ids) and one column of weights per set; an id not in the table keeps the framework's weight
in every set. Weights must be numbers >= 0 and not all zero under any node.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import AandachtError, DataError
from .tree import Tree

MIN_COMPLETE_AREAS = 3


def first_component(x: pd.DataFrame) -> np.ndarray:
    """The first eigenvector of the correlation matrix of the complete rows of ``x`` (sign: larger
    part non-negative)."""
    values = x.to_numpy(dtype="float64")
    complete = values[~np.isnan(values).any(axis=1)]
    if len(complete) < MIN_COMPLETE_AREAS:
        raise AandachtError(f"PCA weights for {list(x.columns)}: only {len(complete)} areas have all of them; "
                            f"at least {MIN_COMPLETE_AREAS} are needed")
    constant = [c for c, sd in zip(x.columns, complete.std(axis=0, ddof=1)) if sd == 0]
    if constant:
        raise AandachtError(f"PCA weights: indicator(s) {constant} have the same value in every complete area")
    values, vectors = np.linalg.eigh(np.corrcoef(complete.T))
    first = vectors[:, int(np.argmax(values))]
    return first if (first >= 0).sum() >= (first < 0).sum() else -first


def pca_weights(normalised: pd.DataFrame, tree: Tree) -> tuple[dict[str, float], list[str]]:
    """PCA weights of the indicators per node (see the module docstring) and notes."""
    leaves = set(tree.leaves)
    weights: dict[str, float] = {}
    notes: list[str] = []
    for group in tree.groups:
        children = list(group.children)
        if not set(children) <= leaves:
            notes.append(f"PCA-gewichten: knoop {group.id} heeft onderliggende knopen; die houdt de gewichten van het raamwerk")
            continue
        if len(children) == 1:
            weights[children[0]] = 1.0
            continue
        vector = first_component(normalised.loc[:, children])
        weights.update(zip(children, vector**2))
        against = [c for c, v in zip(children, vector) if v < 0]
        if against:
            notes.append(f"PCA-gewichten: {', '.join(against)} laadt/laden tegen de eerste component van {group.id} in")
    return weights, notes


def read_weight_sets(path, tree: Tree) -> dict[str, dict[str, float]]:
    """The weight sets of a table (see the module docstring): set name -> {id: weight}."""
    from ..inputs.reading import parse_numbers, read_table, require_columns

    table = read_table(path)
    require_columns(table, ("id",), path, "weight-set table")
    ids = table["id"].fillna("").str.strip()
    items = set(tree.leaves) | {g.id for g in tree.groups[:-1]}
    unknown = sorted(set(ids) - items)
    if unknown:
        raise DataError(f"{path}: id(s) {unknown[:5]} are not indicators or nodes of the framework")
    if ids.duplicated().any():
        raise DataError(f"{path}: id {ids[ids.duplicated()].iloc[0]} appears more than once")
    names = [c for c in table.columns if c != "id"]
    if not names:
        raise DataError(f"{path}: no weight-set columns besides id")
    sets = {}
    for name in names:
        values, missing = parse_numbers(table[name], str(path), name)
        bad = missing | ~np.isfinite(values) | (values < 0)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise DataError(f"{path}: set {name}, id {ids.iloc[row]}: weight {table[name].iloc[row]!r} is not a number >= 0")
        chosen = dict(zip(ids, values.astype(float)))
        sets[name] = chosen
        trial = tree.with_weights(chosen)
        empty = [g.id for g in trial.groups if not g.weights.sum() > 0]
        if empty:
            raise DataError(f"{path}: set {name} gives every child of node(s) {empty} weight 0")
    return sets
