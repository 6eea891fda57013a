"""The YAML config, as pydantic models.

A config names the gemeente, the area level to score, the input files (each read by a
loader from :mod:`aandacht.sources`), the indicator framework (a hierarchy of any depth
given as a flat list of nodes with parents) and the method choices. Every error names
the config file and the key path, for example
``configs/x.yaml: framework.indicators[2].weight: must be >= 0 (got -1)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ConfigError

NormalisationMethod = Literal["minmax", "zscore", "rank", "percentile_rank", "goalposts"]
AggregationMethod = Literal["arithmetic", "geometric", "harmonic"]
ImputationMethod = Literal["none", "mean", "median", "knn"]
LoaderName = Literal[
    "kwb", "school_scores", "oab", "kinderen_in_tel", "jeugdmonitor", "duo", "generic",
]
MissingFlag = Literal["suppressed", "not_applicable", "not_collected"]


class _Strict(BaseModel):
    """Base model: unknown keys are errors, values are not silently coerced across types."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Gemeente(_Strict):
    code: Annotated[str, Field(pattern=r"^(GM\d{4}|NL\d{2})$", description="CBS gemeente code, or NL00 for a national run")]
    name: str


class Areas(_Strict):
    """The area registry (codes, names, levels, parents) and the geometry used for placing points."""

    registry: Path
    geometry: Path | None = None


class TableLayout(_Strict):
    """The layout of a table for the ``generic`` loader (and its presets), so that an
    extract with an unforeseen layout needs a config change, not code.

    Long layout: one row per area (and period), one column per indicator (``values``).
    Wide layout (``wide_periods: true``): one row per area, one column per period (the
    headers holding a four-digit year), the indicator named by ``indicator`` or, with
    ``sheet: "*"``, by each sheet's name.
    """

    sheet: str | int | None = Field(default=None, description='sheet name or 0-based number; "*" = every sheet')
    header_row: Annotated[int, Field(ge=1)] | None = Field(default=None, description="1-based; default: found by area_column")
    area_column: str | None = Field(default=None, description="required for the generic loader; presets set it")
    area_kind: Literal["auto", "code", "name", "pc4"] = "auto"
    level: str | None = Field(default=None, description="level of every row; default: from level_column or the registry")
    level_column: str | None = None
    level_values: dict[str, str] = Field(default_factory=dict, description="labels in level_column -> registry level")
    period_column: str | None = None
    wide_periods: bool = False
    indicator: str | None = None
    values: list[str] | dict[str, str] | None = Field(
        default=None, description="value columns (list) or column -> indicator name; default: every other column"
    )
    decimal: Literal["auto", ",", "."] = "auto"
    missing: dict[str, MissingFlag] = Field(default_factory=dict, description="extra missing markers -> flag")
    unit: str = ""
    units: dict[str, str] = Field(default_factory=dict, description="indicator -> unit")

    @model_validator(mode="after")
    def _layout(self) -> TableLayout:
        if self.wide_periods and self.period_column:
            raise ValueError("give either 'period_column' or 'wide_periods: true', not both")
        if self.wide_periods and self.values is not None:
            raise ValueError("with 'wide_periods: true' the value columns are the period columns; drop 'values'")
        return self


class Precedence(_Strict):
    """Several inputs report the same indicator: per area take the first input in
    ``inputs`` that has a value for ``variable``; the choice is reported."""

    variable: str
    inputs: Annotated[list[str], Field(min_length=2)]
    period: str | None = Field(default=None, description="period of the combined rows; default: the config period")


class InputSpec(_Strict):
    """One input file and the loader that reads it into the tidy table."""

    loader: LoaderName
    path: Path
    period: str
    source: str | None = Field(default=None, description="source label in the tidy table; defaults to the input name")
    sheet: str | None = None
    locations: Path | None = Field(
        default=None, description="school_scores only: CSV brin_vestiging,wijk_code,reason that places schools by hand"
    )
    other_areas: Literal["error", "ignore"] = Field(
        default="error",
        description="areas at the scored level that are not in the registry: an error (a typo or a wrong vintage), "
        "or ignored with a note (for files that cover more gemeenten, such as a national KWB download)",
    )
    table: TableLayout | None = Field(default=None, description="generic loader (and presets): the table layout")
    layout: Literal["auto", "school_file", "schoolweging", "dashboard"] = Field(
        default="auto", description="oab only: which OAB layout the file has"
    )
    schools: Path | None = Field(default=None, description="oab: school table placing vestigingen (schools.csv or DUO list)")
    pupil_origin: Path | None = Field(default=None, description="oab: CSV brin_vestiging,area_code,leerlingen (where pupils live)")
    aliases: Path | None = Field(default=None, description="CSV alias,area_code,note: other names of areas (e.g. Frisian)")
    pc4_allocation: Path | None = Field(default=None, description="CSV pc4,area_code,share: postcode areas to areas")
    crosswalk: Path | None = Field(
        default=None, description="CSV from_year,to_year,from_code,to_code,weight: converts this input's boundary vintage"
    )
    vintage: str | None = Field(default=None, description="boundary year of this input's areas (with crosswalk)")
    crosswalk_to: str | None = Field(default=None, description="target boundary year; default: the registry's vintage")
    fuzzy_threshold: Annotated[float, Field(ge=0, le=100)] = Field(
        default=90, description="rapidfuzz score (0-100) above which a name is matched fuzzily (always reported)"
    )
    family: str | None = Field(
        default=None, description="source family (monitor) for the consensus check; defaults to the input name"
    )


class PopulationGate(_Strict):
    """Areas with fewer than ``minimum`` of the counted population get no score.

    The programme is about children, so the gate counts children (or households with
    children), not residents: a wijk of students or elderly is not ranked on adult
    poverty alone.
    """

    input: str
    variable: str
    minimum: Annotated[float, Field(ge=0)]
    label: str


class Node(_Strict):
    """A non-leaf node of the framework (a domain or sub-domain)."""

    id: Annotated[str, Field(min_length=1)]
    label: str
    parent: str
    weight: Annotated[float, Field(ge=0)] = 1.0


class Goalposts(_Strict):
    """Fixed bounds for goalpost normalisation: value at ``lower`` maps to 0, at ``upper`` to the top."""

    lower: float
    upper: float

    @model_validator(mode="after")
    def _ordered(self) -> Goalposts:
        if not self.upper > self.lower:
            raise ValueError(f"upper ({self.upper}) must be greater than lower ({self.lower})")
        return self


class Indicator(_Strict):
    """A leaf of the framework: where its value comes from and how it counts.

    Either ``variable`` (take the value as published) or ``numerator`` and
    ``denominator`` (value = numerator / denominator x ``scale``), all from ``input``.
    ``direction`` is +1 where more means more risk for children, -1 otherwise.
    """

    id: Annotated[str, Field(min_length=1)]
    label: str
    parent: str
    weight: Annotated[float, Field(ge=0)] = 1.0
    direction: Literal[1, -1]
    input: str
    variable: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    scale: Annotated[float, Field(gt=0)] = 1.0
    unit: str = ""
    per: Literal["kind", "jongere", "leerling", "inwoner", "huishouden", "huishouden met kinderen", "woning", "school"]
    min_denominator: Annotated[float, Field(ge=0)] | None = None
    goalposts: Goalposts | None = None
    shrinkage: Literal["none", "gemeente", "national"] = Field(
        default="none", description="empirical-Bayes shrinkage of the rate (see aandacht.scoring.shrinkage)"
    )
    national_rate: Annotated[float, Field(ge=0)] | None = Field(
        default=None, description="the national value in the indicator's unit (after scale); prior for shrinkage 'national'"
    )

    @model_validator(mode="after")
    def _one_definition(self) -> Indicator:
        ratio = self.numerator is not None or self.denominator is not None
        if self.variable is not None and ratio:
            raise ValueError("give either 'variable' or 'numerator' + 'denominator', not both")
        if self.variable is None and not (self.numerator and self.denominator):
            raise ValueError("give 'variable', or both 'numerator' and 'denominator'")
        if self.shrinkage != "none" and self.variable is not None:
            raise ValueError(f"shrinkage '{self.shrinkage}' needs a rate: give 'numerator' + 'denominator' instead of 'variable'")
        if self.shrinkage == "national" and self.national_rate is None:
            raise ValueError("shrinkage 'national' needs 'national_rate' (the national value in this indicator's unit)")
        return self


class IndexNode(_Strict):
    id: str
    label: str


class Framework(_Strict):
    """The indicator hierarchy: index <- nodes (any depth) <- indicators."""

    index: IndexNode
    nodes: list[Node] = Field(default_factory=list)
    indicators: Annotated[list[Indicator], Field(min_length=1)]

    @model_validator(mode="after")
    def _tree(self) -> Framework:
        check_hierarchy(self)
        return self


class Treatment(_Strict):
    """Outlier treatment (JRC COIN Tool rule): winsorise while |skew| > skew and kurtosis > kurtosis."""

    enabled: bool = True
    skew: Annotated[float, Field(gt=0)] = 2.0
    kurtosis: Annotated[float, Field(gt=0)] = 3.5
    max_winsorised: Annotated[int, Field(ge=0)] = 5
    log_if_still_skewed: bool = True


class Normalisation(_Strict):
    method: NormalisationMethod = "minmax"
    range: tuple[float, float] = (0.0, 100.0)
    zscore_mean: float = 0.0
    zscore_sd: Annotated[float, Field(gt=0)] = 1.0

    @field_validator("range")
    @classmethod
    def _range_ordered(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not value[1] > value[0]:
            raise ValueError(f"range upper bound must exceed lower bound (got {list(value)})")
        return value


class Aggregation(_Strict):
    method: AggregationMethod = "arithmetic"
    by_node: dict[str, AggregationMethod] = Field(default_factory=dict)


class Missing(_Strict):
    """Missing data: weights are renormalised over the children present; below ``min_share``
    of children present (by count) the node gets no score. ``imputation`` fills raw
    indicator values before normalisation instead."""

    min_share: Annotated[float, Field(ge=0, le=1)] = 0.5
    imputation: ImputationMethod = "none"
    knn_neighbours: Annotated[int, Field(ge=1)] = 3


class Method(_Strict):
    treatment: Treatment = Treatment()
    normalisation: Normalisation = Normalisation()
    aggregation: Aggregation = Aggregation()
    missing: Missing = Missing()
    unreliable: Literal["mark", "exclude"] = "mark"


class AreaGroup(_Strict):
    """A named aandachtsgebied made of several areas: wijken, or selected buurten of a wijk.

    ``areas`` are registry codes at the scored level or below. The group is designated
    when ``any`` (or ``all``) of the scored areas it touches (a buurt counts through its
    wijk) is designated by the rules; it then replaces those areas as one gebied.
    """

    name: Annotated[str, Field(min_length=1)]
    areas: Annotated[list[str], Field(min_length=1)]
    designate_when: Literal["any", "all"] = "any"


class DesignationRules(_Strict):
    """Rules that designate aandachtsgebieden (see :mod:`aandacht.designate`).

    An area is designated when it is scored, has at least ``min_population`` of the
    population figure of ``population``, and passes every configured rule among
    ``top_k`` (rank <= k), ``min_score`` and ``min_probability`` (probability of
    designation from the uncertainty analysis). ``consensus`` uses the hard core of the
    monitors: ``required`` (must also be in it), ``sufficient`` (being in it designates
    on its own), or ``ignore``.
    """

    top_k: Annotated[int, Field(ge=1)] | None = None
    min_score: float | None = None
    min_probability: Annotated[float, Field(ge=0, le=1)] | None = None
    consensus: Literal["ignore", "required", "sufficient"] = "ignore"
    min_population: Annotated[float, Field(ge=0)] | None = None
    groups: list[AreaGroup] = Field(default_factory=list)
    reasons: Annotated[int, Field(ge=1)] = 3
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


class IkcRegistrySpec(_Strict):
    """The IKC/school table and the analyst's tables around it (see :mod:`aandacht.ikc`)."""

    table: Path | None = Field(default=None, description="default: the path of the school_scores input")
    boards: Path | None = Field(default=None, description="CSV bevoegd_gezag_nummer,naam filled by an analyst")
    pupil_origin: Path | None = Field(default=None, description="CSV brin_vestiging,area_code,leerlingen")


class NeedWeights(_Strict):
    """Weights of the components of an IKC's need (each scaled to 0-100, see :mod:`aandacht.select`)."""

    score_per_pupil: Annotated[float, Field(ge=0)] = 1.0
    score_total: Annotated[float, Field(ge=0)] = 1.0
    wijk_score: Annotated[float, Field(ge=0)] = 1.0
    pupil_share: Annotated[float, Field(ge=0)] = 0.0
    score_column: Literal["achterstandsscore", "achterstandsscore_zonder_drempel"] = "achterstandsscore_zonder_drempel"

    @model_validator(mode="after")
    def _positive(self) -> NeedWeights:
        if self.score_per_pupil + self.score_total + self.wijk_score + self.pupil_share == 0:
            raise ValueError("all need weights are zero")
        return self


class Budget(_Strict):
    """Money or hours: the number of Plus-IKCs is floor(total / per_ikc)."""

    total: Annotated[float, Field(gt=0)]
    per_ikc: Annotated[float, Field(gt=0)]
    unit: str = "euro"


class BoardLimit(_Strict):
    min: Annotated[int, Field(ge=0)] = 0
    max: Annotated[int, Field(ge=0)] | None = None


class Continuity(_Strict):
    """A Plus predicate lasts ``term_years``; within its term an IKC keeps it while its
    need stays >= ``exit_need`` (lower than ``entry_need``: hysteresis)."""

    term_years: Annotated[int, Field(ge=1)] = 4
    entry_need: Annotated[float, Field(ge=0)] = 0.0
    exit_need: Annotated[float, Field(ge=0)] = 0.0
    watch_margin: Annotated[float, Field(ge=0)] = 5.0

    @model_validator(mode="after")
    def _hysteresis(self) -> Continuity:
        if self.exit_need > self.entry_need:
            raise ValueError(f"exit_need ({self.exit_need}) must not exceed entry_need ({self.entry_need})")
        return self


class SelectionRules(_Strict):
    """How Plus-IKCs are chosen (see :mod:`aandacht.select`)."""

    count: Annotated[int, Field(ge=1)] | None = None
    budget: Budget | None = None
    need: NeedWeights = NeedWeights()
    eligible_pupil_share: Annotated[float, Field(ge=0, le=1)] = 0.5
    cover_every_gebied: bool = True
    boards: BoardLimit = BoardLimit()
    board_limits: dict[str, BoardLimit] = Field(default_factory=dict)
    special_education: Literal["compete", "exclude"] = "compete"
    continuity: Continuity = Continuity()

    @model_validator(mode="after")
    def _count_or_budget(self) -> SelectionRules:
        if (self.count is None) == (self.budget is None):
            raise ValueError("give either count or budget (exactly one)")
        return self

    @property
    def n_plus(self) -> int:
        """The number of Plus-IKCs: ``count``, or floor(budget.total / budget.per_ikc)."""
        return self.count if self.count is not None else int(self.budget.total // self.budget.per_ikc)
class MapOptions(_Strict):
    """How ``aandacht map`` and the report draw maps (every key optional).

    Classes: ``quantiles`` (equal numbers of areas per class), ``fisher_jenks`` (natural
    breaks), or ``fixed`` with ``breaks`` as increasing class upper bounds on the score
    scale. Palettes are colour-blind-safe sequential matplotlib colormaps.
    """

    classes: Literal["quantiles", "fisher_jenks", "fixed"] = "quantiles"
    k: Annotated[int, Field(ge=2, le=9)] = 5
    breaks: list[float] = Field(default_factory=list)
    palette: Literal["YlOrRd", "OrRd", "YlOrBr", "PuRd", "YlGnBu", "viridis", "cividis", "magma"] = "YlOrRd"
    size: Literal["a4", "slide"] = "a4"
    formats: list[Literal["png", "pdf"]] = Field(default_factory=lambda: ["png", "pdf"])
    dpi: Annotated[int, Field(ge=20, le=1200)] = 300
    inset: Literal["auto", "off"] = "auto"
    inset_max_share: Annotated[float, Field(gt=0, le=1)] = 0.25
    label_top: Annotated[int, Field(ge=0)] = 5
    source_line: str | None = None

    @model_validator(mode="after")
    def _breaks(self) -> MapOptions:
        if self.classes == "fixed" and not self.breaks:
            raise ValueError("classes 'fixed' needs 'breaks' (increasing class upper bounds)")
        if sorted(set(self.breaks)) != list(self.breaks):
            raise ValueError(f"breaks must be strictly increasing (got {self.breaks})")
        return self


class ReportOptions(_Strict):
    """How ``aandacht report`` writes the report: counts under ``suppress_below`` are shown
    as "<N" (statistical disclosure control); without designated aandachtsgebieden the
    ``profile_top`` highest-ranked areas get a profile."""

    suppress_below: Annotated[int, Field(ge=0)] = 10
    profile_top: Annotated[int, Field(ge=0)] = 5
    title: str | None = None
class Designation(_Strict):
    """Designation rule used by the uncertainty analysis: the ``top_k`` highest-scoring areas,
    or every area with a score of at least ``threshold`` (on the scale of each draw's normalisation)."""

    top_k: Annotated[int, Field(ge=1)] | None = None
    threshold: float | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> Designation:
        if (self.top_k is None) == (self.threshold is None):
            raise ValueError("give exactly one of 'top_k' or 'threshold'")
        return self


class Uncertainty(_Strict):
    """Uncertain inputs of the Monte Carlo uncertainty and Sobol sensitivity analysis.

    ``weight_noise`` maps ``indicators`` (every indicator weight), ``nodes`` (every domain
    and sub-domain weight) or a node id (the weights of that node's children) to f: each
    of those weights is drawn uniformly from w x [1 - f, 1 + f]. ``normalisation``,
    ``aggregation`` and ``treatment`` list the alternatives drawn with equal probability
    (empty = keep the method of the config); ``leave_one_out`` drops one indicator (or
    none) with equal probability. See :mod:`aandacht.scoring.uncertainty`.
    """

    draws: Annotated[int, Field(ge=2, le=1_000_000)] = 1000
    seed: Annotated[int, Field(ge=0)] = 20240601
    weight_noise: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=lambda: {"indicators": 0.25, "nodes": 0.25})
    normalisation: list[NormalisationMethod] = Field(default_factory=list)
    aggregation: list[AggregationMethod] = Field(default_factory=list)
    treatment: list[bool] = Field(default_factory=list)
    leave_one_out: bool = False
    designation: Designation = Designation(top_k=6)
    bootstrap: Annotated[int, Field(ge=0, le=10_000)] = 200
    confidence: Annotated[float, Field(gt=0, lt=1)] = 0.95

    @field_validator("normalisation", "aggregation", "treatment")
    @classmethod
    def _distinct(cls, value: list) -> list:
        if len(set(value)) != len(value):
            raise ValueError(f"list the alternatives once each (got {value})")
        return value


class Consensus(_Strict):
    """Consensus between source families: areas in the top ``top_k`` of at least ``min_sources`` family scores."""

    top_k: Annotated[int, Field(ge=1)] = 6
    min_sources: Annotated[int, Field(ge=1)] = 2


class Spatial(_Strict):
    """Local Moran's I of the composite score (queen contiguity), permutation p-values, FDR at ``alpha``."""

    permutations: Annotated[int, Field(ge=99, le=99_999)] = 999
    alpha: Annotated[float, Field(gt=0, lt=1)] = 0.05
    seed: Annotated[int, Field(ge=0)] = 12345


class Config(_Strict):
    """A whole aandacht config."""

    name: str
    gemeente: Gemeente
    level: str = "wijk"
    period: str
    areas: Areas
    inputs: Annotated[dict[str, InputSpec], Field(min_length=1)]
    population: PopulationGate | None = None
    framework: Framework
    method: Method = Method()
    designation: DesignationRules | None = None
    ikc: IkcRegistrySpec = IkcRegistrySpec()
    selection: SelectionRules | None = None
    precedence: dict[str, Precedence] = Field(
        default_factory=dict, description="combined inputs: name -> variable and inputs in order of precedence"
    )
    maps: MapOptions = MapOptions()
    report: ReportOptions = ReportOptions()
    uncertainty: Uncertainty = Uncertainty()
    consensus: Consensus = Consensus()
    spatial: Spatial = Spatial()
    source_file: Path | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _uncertainty_follows_designation(self) -> Config:
        """Unless ``uncertainty.designation`` is given, the probability of designation uses the
        designation rule itself (its ``top_k``, else its ``min_score``), so that "aandachtsgebied in
        87% of the draws" refers to the rule the round applies."""
        rules = self.designation
        if rules is None or "designation" in self.uncertainty.model_fields_set:
            return self
        if rules.top_k is None and rules.min_score is None:
            return self
        rule = Designation(top_k=rules.top_k) if rules.top_k is not None else Designation(threshold=rules.min_score)
        return self.model_copy(update={"uncertainty": self.uncertainty.model_copy(update={"designation": rule})})

    @model_validator(mode="after")
    def _references(self) -> Config:
        clash = sorted(set(self.precedence) & set(self.inputs))
        if clash:
            raise ValueError(f"precedence name(s) {clash} are also input names")
        for name, rule in self.precedence.items():
            unknown_inputs = sorted(set(rule.inputs) - set(self.inputs))
            if unknown_inputs:
                raise ValueError(f"precedence.{name}.inputs: unknown input(s) {unknown_inputs}; defined: {sorted(self.inputs)}")
        names = set(self.inputs) | set(self.precedence)
        for position, indicator in enumerate(self.framework.indicators):
            if indicator.input not in names:
                raise ValueError(
                    f"framework.indicators[{position}] ({indicator.id}): input '{indicator.input}' "
                    f"is not defined; defined inputs: {sorted(names)}"
                )
        if self.population is not None and self.population.input not in names:
            raise ValueError(f"population.input '{self.population.input}' is not defined; defined inputs: {sorted(names)}")
        node_ids = {node.id for node in self.framework.nodes} | {self.framework.index.id}
        unknown = sorted(set(self.method.aggregation.by_node) - node_ids)
        if unknown:
            raise ValueError(f"method.aggregation.by_node names unknown node(s) {unknown}")
        check_uncertainty(self)
        if self.method.normalisation.method == "goalposts":
            lacking = [i.id for i in self.framework.indicators if i.goalposts is None]
            if lacking:
                raise ValueError(f"normalisation 'goalposts' needs goalposts on every indicator; missing on {lacking}")
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


def check_uncertainty(config: Config) -> None:
    """Check that the keys of ``uncertainty.weight_noise`` name weights, each weight at most once."""
    framework = config.framework
    group_ids = {framework.index.id} | {n.id for n in framework.nodes}
    covered: dict[str, str] = {}
    for key in config.uncertainty.weight_noise:
        if key == "indicators":
            items = [i.id for i in framework.indicators]
        elif key == "nodes":
            items = [n.id for n in framework.nodes]
        elif key in group_ids:
            items = [x.id for x in [*framework.nodes, *framework.indicators] if x.parent == key]
        else:
            raise ValueError(
                f"uncertainty.weight_noise: '{key}' is not 'indicators', 'nodes' or a node id; nodes: {sorted(group_ids)}"
            )
        for item in items:
            if item in covered:
                raise ValueError(f"uncertainty.weight_noise: the weight of '{item}' is covered by both '{covered[item]}' and '{key}'")
            covered[item] = key
    if "goalposts" in config.uncertainty.normalisation:
        lacking = [i.id for i in framework.indicators if i.goalposts is None]
        if lacking:
            raise ValueError(f"uncertainty.normalisation lists 'goalposts', which needs goalposts on every indicator; missing on {lacking}")


def _format_location(location: tuple[object, ...]) -> str:
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "(top level)"


def _describe(error: dict) -> str:
    location = _format_location(tuple(p for p in error["loc"] if p not in ("function-after",)))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key (not allowed here; check the spelling)"
    elif "input" in error and not isinstance(error["input"], (dict, list)):
        message += f" (got {error['input']!r})"
    return f"{location}: {message}"


def resolve_path(path: Path, base: Path) -> Path:
    """Resolve a config path relative to the folder of the config file."""
    return path if path.is_absolute() else (base / path).resolve()


def _map_paths(value, function):
    """Apply ``function`` to every Path inside a (nested) pydantic model, dict, list or tuple."""
    if isinstance(value, Path):
        return function(value)
    if isinstance(value, BaseModel):
        updates = {name: _map_paths(getattr(value, name), function) for name in type(value).model_fields}
        return value.model_copy(update=updates)
    if isinstance(value, dict):
        return {key: _map_paths(item, function) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_map_paths(item, function) for item in value)
    return value


def named_paths(value, prefix: str = "") -> dict[str, Path]:
    """Every file or folder path inside a config, keyed by its key path (``inputs.kwb2023.path``)."""
    found: dict[str, Path] = {}
    if isinstance(value, Path):
        found[prefix] = value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if not type(value).model_fields[name].exclude:
                found |= named_paths(getattr(value, name), f"{prefix}.{name}" if prefix else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            found |= named_paths(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, (list, tuple)):
        for position, item in enumerate(value):
            found |= named_paths(item, f"{prefix}[{position}]")
    return found


def project_dir(config_file: Path) -> Path:
    """The project a config belongs to: the folder holding ``configs/`` when the config lives
    in a folder named ``configs`` (the layout project/configs/x.yaml, project/data/...),
    otherwise the config's own folder."""
    folder = config_file.resolve().parent
    return folder.parent if folder.name == "configs" else folder


def check_paths_inside(config: Config) -> None:
    """Refuse paths that leave the project directory (see :func:`project_dir`)."""
    root = project_dir(config.source_file)
    for path in named_paths(config).values():
        if not path.resolve().is_relative_to(root):
            raise ConfigError(
                f"{config.source_file}: path {path} lies outside the project directory {root}; "
                "move it into the project or pass --allow-outside-paths"
            )


def parse_config(raw: object, source: Path) -> Config:
    """Validate an already-parsed YAML document; errors name ``source`` and the key path.

    Every path in the config is resolved relative to the folder of ``source``.
    """
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: the config must be a mapping of keys, got {type(raw).__name__}")
    try:
        config = Config.model_validate(raw)
    except ValidationError as error:
        problems = error.errors()
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise ConfigError(f"{source}: {_describe(problems[0])}{more}") from None
    base = source.resolve().parent
    config = _map_paths(config, lambda path: resolve_path(path, base))
    inputs = {name: spec.model_copy(update={"source": spec.source or name}) for name, spec in config.inputs.items()}
    return config.model_copy(update={"inputs": inputs, "source_file": source.resolve()})


def load_config(path: str | Path, allow_outside: bool = False) -> Config:
    """Read and validate a YAML config; paths inside resolve relative to the file and must
    stay inside the project directory unless ``allow_outside``."""
    source = Path(path)
    if not source.is_file():
        raise ConfigError(f"{source}: config file not found")
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(f"{source}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        hint = " (YAML does not allow tabs for indentation; use spaces)" if "\t" in source.read_text(encoding="utf-8") else ""
        raise ConfigError(f"{source}:{where}: invalid YAML: {problem}{hint}") from None
    config = parse_config(raw, source)
    if not allow_outside:
        check_paths_inside(config)
    return config


def input_source(config: Config, name: str) -> tuple[str, str, str]:
    """(source label, period, origin for messages) of an input or a precedence rule."""
    if name in config.inputs:
        spec = config.inputs[name]
        return spec.source or name, spec.period, str(spec.path)
    rule = config.precedence[name]
    return name, rule.period or config.period, f"precedence {name}"


def config_as_dict(config: Config) -> dict:
    """Return the config as plain JSON-serialisable data (for the manifest)."""
    return config.model_dump(mode="json", exclude={"source_file"})
