"""Config sections ``uncertainty``, ``consensus`` and ``spatial``: the robustness analyses
(see :mod:`aandacht.scoring.uncertainty`, :mod:`~aandacht.scoring.consensus` and
:mod:`~aandacht.scoring.spatial`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from .base import Count, Seed, Strict
from .choices import MAX_DRAWS, AggregationMethod, NormalisationMethod


class Designation(Strict):
    """Designation rule used by the uncertainty analysis: the ``top_k`` highest-scoring areas,
    or every area with a score of at least ``threshold`` (on the scale of each draw's normalisation)."""

    top_k: Count() | None = None
    threshold: float | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> Designation:
        if (self.top_k is None) == (self.threshold is None):
            raise ValueError("give exactly one of 'top_k' or 'threshold'")
        return self


class Uncertainty(Strict):
    """Uncertain inputs of the Monte Carlo uncertainty and Sobol sensitivity analysis.

    ``weight_noise`` maps ``indicators`` (every indicator weight), ``nodes`` (every domain
    and sub-domain weight) or a node id (the weights of that node's children) to f: each
    of those weights is drawn uniformly from w x [1 - f, 1 + f]. ``weight_sets`` names a table
    of alternative weight sets (column ``id``, then one column per set), one of which is drawn
    with equal probability (the noise then applies to it). ``normalisation``,
    ``aggregation`` and ``treatment`` list the alternatives drawn with equal probability
    (empty = keep the method of the config); a treatment alternative is ``true`` (the
    config's treatment), ``false`` (none) or a number n (the config's treatment with at most n
    points winsorised); ``leave_one_out`` drops one indicator (or none) with equal
    probability. See :mod:`aandacht.scoring.uncertainty`.
    """

    draws: Count(2, MAX_DRAWS) = 1000
    seed: Seed = 20240601
    weight_noise: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=lambda: {"indicators": 0.25, "nodes": 0.25})
    normalisation: list[NormalisationMethod] = Field(default_factory=list)
    aggregation: list[AggregationMethod] = Field(default_factory=list)
    treatment: list[bool | Count(0, 1000)] = Field(default_factory=list)
    weight_sets: Path | None = Field(default=None, description="CSV/Excel table: id, then one column of weights per set")
    leave_one_out: bool = False
    designation: Designation = Designation(top_k=6)
    bootstrap: Count(0, 10_000) = 200
    confidence: Annotated[float, Field(gt=0, lt=1)] = 0.95

    @field_validator("normalisation", "aggregation", "treatment")
    @classmethod
    def _distinct(cls, value: list) -> list:
        if len({(type(v), v) for v in value}) != len(value):
            raise ValueError(f"list the alternatives once each (got {value})")
        return value


class Consensus(Strict):
    """Consensus between source families: areas in the top ``top_k`` of at least ``min_sources`` family scores."""

    top_k: Count() = 6
    min_sources: Count(1, 100) = 2


class CorrelationFlags(Strict):
    """Thresholds of the correlation checks (COINr ``get_corr_flags`` and the flag colours of
    ``plot_corr``): indicator pairs under the same parent with r above ``high`` (collinear) or
    below ``negative``; an indicator whose correlation with its parent's score is at least
    ``high`` (strong: it dominates its parent), at most ``weak`` (weak) or at most ``negative``."""

    high: Annotated[float, Field(ge=-1, le=1)] = 0.9
    weak: Annotated[float, Field(ge=-1, le=1)] = 0.3
    negative: Annotated[float, Field(ge=-1, le=1)] = -0.4
    method: Literal["pearson", "spearman"] = "pearson"

    @model_validator(mode="after")
    def _ordered(self) -> CorrelationFlags:
        if not self.negative < self.weak < self.high:
            raise ValueError(f"need negative < weak < high (got {self.negative}, {self.weak}, {self.high})")
        return self


class Spatial(Strict):
    """Local Moran's I of the composite score (queen contiguity), permutation p-values, FDR at ``alpha``."""

    permutations: Count(99, 99_999) = 999
    alpha: Annotated[float, Field(gt=0, lt=1)] = 0.05
    seed: Seed = 12345
