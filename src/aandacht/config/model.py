"""The whole config: every section, and the checks that span sections."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from .base import Strict
from .designation import DesignationRules
from .framework import Framework
from .inputs import Areas, Gemeente, InputSpec, PopulationGate, Precedence
from .method import Method
from .presentation import MapOptions, ReportOptions
from .selection import IkcRegistrySpec, SelectionRules
from .uncertainty import Consensus, CorrelationFlags, Designation, Spatial, Uncertainty


class Config(Strict):
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
    coherence: CorrelationFlags = CorrelationFlags()
    source_file: Path | None = Field(default=None, exclude=True)

    def shrinkage_of(self, indicator) -> str:
        """The shrinkage that applies to ``indicator`` (a framework indicator): its own ``shrinkage``, else
        ``method.shrinkage`` when it is given as numerator / denominator, else ``none``."""
        if indicator.shrinkage is not None:
            return indicator.shrinkage
        return self.method.shrinkage if indicator.numerator is not None else "none"

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
    def _headline_indicators(self) -> Config:
        known = [i.id for i in self.framework.indicators]
        unknown = [i for i in self.report.headline or [] if i not in known]
        if unknown:
            raise ValueError(f"report.headline: unknown indicator(s) {unknown}; defined: {known}")
        return self

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
        check_method(self)
        return self


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
    for name in config.uncertainty.normalisation:
        check_normalisation_settings(config, name, f"uncertainty.normalisation lists '{name}', which")


# per-indicator setting that a normalisation method needs on every indicator
NEEDS_ON_INDICATORS = {"goalposts": "goalposts", "distance_to_target": "target"}


def check_normalisation_settings(config: Config, name: str, what: str) -> None:
    """Refuse a normalisation method whose settings are missing (``what`` starts the message)."""
    key = NEEDS_ON_INDICATORS.get(name)
    if key is not None:
        lacking = [i.id for i in config.framework.indicators if getattr(i, key) is None]
        if lacking:
            raise ValueError(f"{what} needs {key} on every indicator; missing on {lacking}")
    if name == "distance_to_reference" and config.method.normalisation.reference is None:
        raise ValueError(f"{what} needs method.normalisation.reference (the area code of the reference area)")


def check_method(config: Config) -> None:
    """The method's references to the framework: normalisation settings, per-indicator treatment."""
    check_normalisation_settings(config, config.method.normalisation.method,
                                 f"normalisation '{config.method.normalisation.method}'")
    ids = {i.id for i in config.framework.indicators}
    unknown = sorted(set(config.method.treatment.by_indicator) - ids)
    if unknown:
        raise ValueError(f"method.treatment.by_indicator names unknown indicator(s) {unknown}")
