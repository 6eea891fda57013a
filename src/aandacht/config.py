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
LoaderName = Literal["kwb", "school_scores"]


class _Strict(BaseModel):
    """Base model: unknown keys are errors, values are not silently coerced across types."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Gemeente(_Strict):
    code: Annotated[str, Field(pattern=r"^GM\d{4}$")]
    name: str


class Areas(_Strict):
    """The area registry (codes, names, levels, parents) and the geometry used for placing points."""

    registry: Path
    geometry: Path | None = None


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
    uncertainty: Uncertainty = Uncertainty()
    consensus: Consensus = Consensus()
    spatial: Spatial = Spatial()
    source_file: Path | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _references(self) -> Config:
        names = set(self.inputs)
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


def parse_config(raw: object, source: Path) -> Config:
    """Validate an already-parsed YAML document; errors name ``source`` and the key path."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: the config must be a mapping of keys, got {type(raw).__name__}")
    try:
        config = Config.model_validate(raw)
    except ValidationError as error:
        problems = error.errors()
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise ConfigError(f"{source}: {_describe(problems[0])}{more}") from None
    base = source.resolve().parent
    areas = Areas(
        registry=resolve_path(config.areas.registry, base),
        geometry=resolve_path(config.areas.geometry, base) if config.areas.geometry else None,
    )
    inputs = {
        name: spec.model_copy(update={
            "path": resolve_path(spec.path, base),
            "source": spec.source or name,
            "locations": resolve_path(spec.locations, base) if spec.locations else None,
        })
        for name, spec in config.inputs.items()
    }
    return config.model_copy(update={"areas": areas, "inputs": inputs, "source_file": source.resolve()})


def load_config(path: str | Path) -> Config:
    """Read and validate a YAML config; paths inside resolve relative to the file."""
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
    return parse_config(raw, source)


def config_as_dict(config: Config) -> dict:
    """Return the config as plain JSON-serialisable data (for the manifest)."""
    return config.model_dump(mode="json", exclude={"source_file"})
