"""Config section ``method``: outlier treatment, normalisation, aggregation, missing
values and unreliable values (the steps of :mod:`aandacht.scoring.composite`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from .base import Count, Magnitude, Strict
from .choices import AggregationMethod, ImputationMethod, NormalisationMethod


class Treatment(Strict):
    """Outlier treatment (JRC COIN Tool rule): winsorise while |skew| > skew and kurtosis > kurtosis."""

    enabled: bool = True
    skew: Annotated[float, Field(gt=0)] = 2.0
    kurtosis: Annotated[float, Field(gt=0)] = 3.5
    max_winsorised: Count(0) = 5
    log_if_still_skewed: bool = True


class Normalisation(Strict):
    method: NormalisationMethod = "minmax"
    range: tuple[Magnitude, Magnitude] = (0.0, 100.0)
    zscore_mean: Magnitude = 0.0
    zscore_sd: Annotated[Magnitude, Field(gt=0)] = 1.0

    @field_validator("range")
    @classmethod
    def _range_ordered(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not value[1] > value[0]:
            raise ValueError(f"range upper bound must exceed lower bound (got {list(value)})")
        return value


class Aggregation(Strict):
    method: AggregationMethod = "arithmetic"
    by_node: dict[str, AggregationMethod] = Field(default_factory=dict)


class Missing(Strict):
    """Missing data: weights are renormalised over the children present; below ``min_share``
    of children present (by count) the node gets no score. ``imputation`` fills raw
    indicator values before normalisation instead."""

    min_share: Annotated[float, Field(ge=0, le=1)] = 0.5
    imputation: ImputationMethod = "none"
    knn_neighbours: Count(1, 1000) = 3


class Method(Strict):
    treatment: Treatment = Treatment()
    normalisation: Normalisation = Normalisation()
    aggregation: Aggregation = Aggregation()
    missing: Missing = Missing()
    unreliable: Literal["mark", "exclude"] = "mark"
