"""Config section ``method``: screening of units, outlier treatment, normalisation,
weights, aggregation, missing values and unreliable values (the steps of
:mod:`aandacht.scoring.composite`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator

from .base import Count, Magnitude, Strict
from .choices import AggregationMethod, ImputationMethod, LogTransform, NormalisationMethod, ScreeningRule, Weighting


class IndicatorTreatment(Strict):
    """Treatment settings of one indicator (COINr ``Treat(indiv_specs = ...)``): every key given
    replaces the global one; ``enabled: false`` leaves the indicator untreated, ``enabled: true``
    treats it even when the global treatment is off (also in the uncertainty analysis's "off")."""

    enabled: bool | None = None
    skew: Annotated[float, Field(gt=0)] | None = None
    kurtosis: Annotated[float, Field(gt=0)] | None = None
    max_winsorised: Count(0) | None = None
    force_winsorise: bool | None = None
    log_if_still_skewed: bool | None = None
    log_transform: LogTransform | None = None


class Treatment(Strict):
    """Outlier treatment with COINr's default rule (``Treat``): an indicator is treated when
    |skewness| >= ``skew`` and excess kurtosis >= ``kurtosis``; it is winsorised (all values tied at
    the extreme at once) until the rule no longer holds or ``max_winsorised`` points are changed;
    if it still holds, its original values are log-transformed (``log_transform``).
    ``force_winsorise`` winsorises an indicator that fails the rule by ``max_winsorised`` points,
    also after the rule stops holding (COINr ``force_win``); one that passes stays as it is."""

    enabled: bool = True
    skew: Annotated[float, Field(gt=0)] = 2.0
    kurtosis: Annotated[float, Field(gt=0)] = 3.5
    max_winsorised: Count(0) = 5
    force_winsorise: bool = False
    log_if_still_skewed: bool = True
    log_transform: LogTransform = "log_ct"
    by_indicator: dict[str, IndicatorTreatment] = Field(
        default_factory=dict, description="indicator id -> settings that replace the global ones for that indicator")

    def for_indicator(self, indicator: str) -> Treatment:
        """The settings that apply to ``indicator``: the global ones with its ``by_indicator`` keys."""
        own = self.by_indicator.get(indicator)
        changes = {} if own is None else {k: v for k, v in own.model_dump().items() if v is not None}
        return self.model_copy(update={**changes, "by_indicator": {}})


class Normalisation(Strict):
    method: NormalisationMethod = "minmax"
    range: tuple[Magnitude, Magnitude] = (0.0, 100.0)
    zscore_mean: Magnitude = 0.0
    zscore_sd: Annotated[Magnitude, Field(gt=0)] = 1.0
    reference: str | None = Field(default=None, description="distance_to_reference: area code of the reference area")
    cap: bool = Field(default=False, description="distance_to_reference / distance_to_target: cap scores at the top of range")

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
    indicator values before normalisation instead; the group methods use ``groups``: ``parent``
    (each area's parent in the area registry, e.g. the wijk of a buurt) or a CSV table
    ``area_code,group``. ``domain`` says what happens when an area has no score for a whole domain (a
    node under the index) but enough domains for a score: ``reweight`` shares the domain's weight over
    the others (COINr ``a_amean`` with missing values); ``mean`` fills the domain with the mean domain
    score of the scored areas that have it (neutral: the average area; COINr ``i_mean`` on the
    aggregated level), marks the area indicatief and keeps the rank without the filling beside it."""

    min_share: Annotated[float, Field(ge=0, le=1)] = 0.5
    imputation: ImputationMethod = "none"
    knn_neighbours: Count(1, 1000) = 3
    groups: Literal["parent"] | Path = "parent"
    domain: Literal["reweight", "mean"] = "reweight"


class Screening(Strict):
    """Screening of areas by data availability (COINr ``Screen``): an area is left unscored when
    the share of framework indicators with a value is below ``min_availability`` (rule
    ``missing``), when the share of its values that are not zero is below ``min_nonzero``
    (``zeros``), or either (``missing_or_zeros``); ``include`` and ``exclude`` force areas in or out."""

    rule: ScreeningRule = "none"
    min_availability: Annotated[float, Field(ge=0, le=1)] = 2 / 3
    min_nonzero: Annotated[float, Field(ge=0, le=1)] = 0.05
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)


class Method(Strict):
    screening: Screening = Screening()
    treatment: Treatment = Treatment()
    normalisation: Normalisation = Normalisation()
    weights: Weighting = Field(default="config", description="config: the framework's weights; pca: PCA weights per group")
    aggregation: Aggregation = Aggregation()
    missing: Missing = Missing()
    unreliable: Literal["mark", "exclude"] = "mark"
    shrinkage: Literal["none", "gemeente"] = Field(
        default="none", description="empirical-Bayes shrinkage (Marshall 1991) of every indicator given as numerator / "
                                    "denominator that sets no shrinkage of its own; gemeente: toward the gemeente rate")
