"""Config section ``designation``: the rules that designate aandachtsgebieden
(see :mod:`aandacht.decide.designate`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .base import Count, Strict


class AreaGroup(Strict):
    """A named aandachtsgebied made of several areas: wijken, or selected buurten of a wijk.

    ``areas`` are registry codes at the scored level or below. The group is designated
    when ``any`` (or ``all``) of the scored areas it touches (a buurt counts through its
    wijk) is designated by the rules; it then replaces those areas as one gebied.
    """

    name: Annotated[str, Field(min_length=1)]
    areas: Annotated[list[str], Field(min_length=1)]
    designate_when: Literal["any", "all"] = "any"


class DesignationRules(Strict):
    """Rules that designate aandachtsgebieden (see :mod:`aandacht.decide.designate`).

    An area is designated when it is scored, has at least ``min_population`` of the
    population figure of ``population``, and passes every configured rule among
    ``top_k`` (rank <= k), ``min_score`` and ``min_probability`` (probability of
    designation from the uncertainty analysis). ``consensus`` uses the hard core of the
    monitors: ``required`` (must also be in it), ``sufficient`` (being in it designates
    on its own), or ``ignore``. ``combine`` joins designated buurten outside the ``groups`` into one
    aandachtsgebied within their wijk: ``adjoining`` those whose polygons touch (needs ``areas.geometry``),
    ``parent`` all of them; unset, each is a gebied of its own.
    """

    top_k: Count() | None = None
    min_score: float | None = None
    min_probability: Annotated[float, Field(ge=0, le=1)] | None = None
    consensus: Literal["ignore", "required", "sufficient"] = "ignore"
    min_population: Annotated[float, Field(ge=0)] | None = None
    groups: list[AreaGroup] = Field(default_factory=list)
    combine: Literal["adjoining", "parent"] | None = None
    reasons: Count(1, 100) = 3
    suggest_adjoining: bool = True

    @model_validator(mode="after")
    def _some_rule(self) -> DesignationRules:
        if self.top_k is None and self.min_score is None and self.min_probability is None and self.consensus == "ignore":
            raise ValueError("give at least one of top_k, min_score, min_probability or consensus")
        names = [g.name for g in self.groups]
        doubles = sorted({n for n in names if names.count(n) > 1})
        if doubles:
            raise ValueError(f"group name(s) {doubles} are used more than once")
        members = [a for g in self.groups for a in g.areas]
        shared = sorted({a for a in members if members.count(a) > 1})
        if shared:
            raise ValueError(f"area(s) {shared} are in more than one group")
        return self
