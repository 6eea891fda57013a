"""The indicator framework compiled into an aggregation order.

The config gives the hierarchy as a flat list (index, nodes, indicators with parents);
:func:`compile_tree` turns it into groups listed children-first, so that aggregating the
groups in order fills every node from the bottom up to the index.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..config import Framework


@dataclass(frozen=True)
class Group:
    """A non-leaf node: its children (ids) and their nominal weights, and its depth (index = 0)."""

    id: str
    label: str
    children: tuple[str, ...]
    weights: np.ndarray
    depth: int


@dataclass(frozen=True)
class Tree:
    """The framework ready for aggregation."""

    index_id: str
    leaves: tuple[str, ...]
    groups: tuple[Group, ...]  # children before parents; the last one is the index
    labels: dict[str, str]
    parents: dict[str, str]

    def path(self, node_id: str) -> list[str]:
        """Return the ids from ``node_id`` up to (and including) the index."""
        path = [node_id]
        while path[-1] != self.index_id:
            path.append(self.parents[path[-1]])
        return path

    @property
    def top_level(self) -> tuple[str, ...]:
        """The children of the index (the domains)."""
        return self.groups[-1].children

    def with_weights(self, weights: dict[str, float]) -> Tree:
        """The same tree with the weights of the items named in ``weights`` replaced."""
        groups = tuple(replace(g, weights=np.array([weights.get(c, w) for c, w in zip(g.children, g.weights)], dtype="float64"))
                       for g in self.groups)
        return replace(self, groups=groups)

    def nominal_effective_weights(self) -> dict[str, float]:
        """Each leaf's share of the index with no missing data: the product of the
        normalised weights along its path (w_i / sum of sibling weights, per level)."""
        share_in_parent = {}
        for group in self.groups:
            total = group.weights.sum()
            for child, weight in zip(group.children, group.weights):
                share_in_parent[child] = weight / total if total > 0 else 0.0
        result = {}
        for leaf in self.leaves:
            result[leaf] = float(np.prod([share_in_parent[node] for node in self.path(leaf)[:-1]]))
        return result


def compile_tree(framework: Framework, leaves: list[str] | None = None) -> Tree:
    """Compile the framework; ``leaves`` restricts it to a subset of indicators (groups left
    without children are dropped)."""
    index_id = framework.index.id
    kept = [i for i in framework.indicators if leaves is None or i.id in leaves]
    items = [*framework.nodes, *kept]
    parents = {item.id: item.parent for item in items}
    weights = {item.id: item.weight for item in items}
    labels = {index_id: framework.index.label} | {item.id: item.label for item in items}
    children: dict[str, list[str]] = {}
    for item in items:
        children.setdefault(item.parent, []).append(item.id)

    def depth(node_id: str) -> int:
        level = 0
        while node_id != index_id:
            node_id = parents[node_id]
            level += 1
        return level

    leaf_ids = {i.id for i in kept}

    def has_leaf(node_id: str) -> bool:  # a node whose indicators were all left out has no entry in children
        return any(child in leaf_ids or has_leaf(child) for child in children.get(node_id, []))

    group_ids = {index_id} | {n.id for n in framework.nodes if n.id in children and has_leaf(n.id)}
    groups = []
    in_config_order = [g for g in [index_id, *(n.id for n in framework.nodes)] if g in group_ids]
    for group_id in sorted(in_config_order, key=depth, reverse=True):
        kids = tuple(c for c in children[group_id] if c in leaf_ids or c in group_ids)
        groups.append(Group(group_id, labels[group_id], kids, np.array([weights[k] for k in kids], dtype="float64"), depth(group_id)))
    return Tree(index_id, tuple(i.id for i in kept), tuple(groups), labels, parents)
