"""Config section ``framework``: the indicator hierarchy (index, nodes of any depth,
indicators with their definitions, directions and weights)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .base import Magnitude, OptionalWeight, Strict, Weight


class Node(Strict):
    """A non-leaf node of the framework (a domain or sub-domain); its weight is finite and > 0
    (to leave a domain out, remove it or give its indicators weight 0)."""

    id: Annotated[str, Field(min_length=1)]
    label: str
    parent: str
    weight: Weight = 1.0


class Goalposts(Strict):
    """Fixed bounds for goalpost normalisation: value at ``lower`` maps to 0, at ``upper`` to the top."""

    lower: Magnitude
    upper: Magnitude

    @model_validator(mode="after")
    def _ordered(self) -> Goalposts:
        if not self.upper > self.lower:
            raise ValueError(f"upper ({self.upper}) must be greater than lower ({self.lower})")
        return self


class Indicator(Strict):
    """A leaf of the framework: where its value comes from and how it counts.

    Either ``variable`` (take the value as published) or ``numerator`` and
    ``denominator`` (value = numerator / denominator x ``scale``), all from ``input``.
    ``direction`` is +1 where more means more risk for children, -1 otherwise.
    ``weight`` is finite and >= 0; an explicit 0 switches the indicator off (it is still
    read, checked and shown, but counts for nothing in the score).
    """

    id: Annotated[str, Field(min_length=1)]
    label: str
    parent: str
    weight: OptionalWeight = 1.0
    direction: Literal[1, -1]
    input: str
    variable: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    scale: Annotated[Magnitude, Field(gt=0)] = 1.0
    unit: str = ""
    per: Literal["kind", "jongere", "leerling", "inwoner", "huishouden", "huishouden met kinderen", "woning", "school"] | None = Field(
        default=None, description="what the indicator counts (for the report); optional for data that are not Dutch wijken")
    min_denominator: Annotated[float, Field(ge=0)] | None = None
    goalposts: Goalposts | None = None
    target: Magnitude | None = Field(default=None, description="distance_to_target normalisation: the value that gets the top of the range")
    shrinkage: Literal["none", "gemeente", "national"] | None = Field(
        default=None, description="empirical-Bayes shrinkage of the rate (see aandacht.inputs.shrinkage); a published "
                                  "variable is shrunk through the numerator and denominator its input holds; not given: "
                                  "method.shrinkage for an indicator given as numerator / denominator")
    national_rate: Annotated[Magnitude, Field(ge=0)] | None = Field(
        default=None, description="the national value in the indicator's unit (after scale); prior for shrinkage 'national'"
    )

    @model_validator(mode="after")
    def _one_definition(self) -> Indicator:
        ratio = self.numerator is not None or self.denominator is not None
        if self.variable is not None and ratio:
            raise ValueError("give either 'variable' or 'numerator' + 'denominator', not both")
        if self.variable is None and not (self.numerator and self.denominator):
            raise ValueError("give 'variable', or both 'numerator' and 'denominator'")
        if self.shrinkage == "national" and self.national_rate is None:
            raise ValueError("shrinkage 'national' needs 'national_rate' (the national value in this indicator's unit)")
        return self


class IndexNode(Strict):
    id: str
    label: str


class Framework(Strict):
    """The indicator hierarchy: index <- nodes (any depth) <- indicators."""

    index: IndexNode
    nodes: list[Node] = Field(default_factory=list)
    indicators: Annotated[list[Indicator], Field(min_length=1)]

    @model_validator(mode="after")
    def _tree(self) -> Framework:
        check_hierarchy(self)
        return self




def check_hierarchy(framework: Framework) -> None:
    """Check ids are unique, every parent exists, there is no cycle, and every node has children."""
    index_id = framework.index.id
    ids = [index_id] + [n.id for n in framework.nodes] + [i.id for i in framework.indicators]
    seen: set[str] = set()
    for node_id in ids:
        if node_id in seen:
            raise ValueError(f"id '{node_id}' is used more than once in the framework")
        seen.add(node_id)
    group_ids = {index_id} | {n.id for n in framework.nodes}
    parents = {n.id: n.parent for n in framework.nodes}
    for item in [*framework.nodes, *framework.indicators]:
        if item.parent not in group_ids:
            raise ValueError(f"'{item.id}' has parent '{item.parent}', which is not a node; nodes: {sorted(group_ids)}")
    for start in parents:
        path = [start]
        current = start
        while current != index_id:
            current = parents[current]
            if current in path:
                cycle = " -> ".join([*path[path.index(current):], current])
                raise ValueError(f"the framework has a cycle: {cycle}")
            path.append(current)
    with_children = {item.parent for item in [*framework.nodes, *framework.indicators]}
    childless = sorted(group_ids - with_children)
    if childless:
        raise ValueError(f"node(s) {childless} have no indicators or sub-nodes")
    if all(item.weight == 0 for item in framework.indicators):
        raise ValueError("all indicator weights are zero")
    switched_off = sorted(group_ids - {item.parent for item in [*framework.nodes, *framework.indicators] if item.weight > 0})
    if switched_off:
        raise ValueError(f"node(s) {switched_off} have only children of weight 0, so they would have no score; "
                         "give one child a weight above 0 or remove the node")
