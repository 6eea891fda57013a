"""Config sections ``maps`` and ``report``: how maps are drawn and the report written."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .base import Count, Strict
from .choices import ClassificationMethod, MapFormat, MapSize


class MapOptions(Strict):
    """How ``aandacht map`` and the report draw maps (every key optional).

    Classes: ``quantiles`` (equal numbers of areas per class), ``fisher_jenks`` (natural
    breaks), or ``fixed`` with ``breaks`` as increasing class upper bounds on the score
    scale. Palettes are colour-blind-safe sequential matplotlib colormaps. ``dpi``: PNG resolution;
    200 is sharp on paper at A4 and keeps a herijking fast (the report embeds these PNGs); give 300
    for a print shop, or use the PDF (vector) that ``aandacht map`` writes.
    """

    classes: ClassificationMethod = "quantiles"
    k: Count(2, 9) = 5
    breaks: list[float] = Field(default_factory=list)
    palette: Literal["YlOrRd", "OrRd", "YlOrBr", "PuRd", "YlGnBu", "viridis", "cividis", "magma"] = "YlOrRd"
    size: MapSize = "a4"
    formats: list[MapFormat] = Field(default_factory=lambda: ["png"])
    dpi: Count(20, 1200) = 200
    inset: Literal["auto", "off"] = "auto"
    inset_max_share: Annotated[float, Field(gt=0, le=1)] = 0.25
    inset_crowded_share: Annotated[float, Field(ge=0, le=1)] = 0.4
    label_top: Count(0, 1000) = 5
    source_line: str | None = None

    @model_validator(mode="after")
    def _breaks(self) -> MapOptions:
        if self.classes == "fixed" and not self.breaks:
            raise ValueError("classes 'fixed' needs 'breaks' (increasing class upper bounds)")
        if sorted(set(self.breaks)) != list(self.breaks):
            raise ValueError(f"breaks must be strictly increasing (got {self.breaks})")
        return self


class ReportOptions(Strict):
    """Disclosure control and the report. Counts of people under ``suppress_below`` are shown
    as "<N" in every output meant for the bestuurlijk overleg (the report, ``ranking.csv``,
    ``scores.xlsx``, the round's tables); ``internal_workbook: true`` also writes
    ``intern-niet-delen.xlsx`` with those counts, for the analyst only. Without designated
    aandachtsgebieden the ``profile_top`` highest-ranked areas get a profile in the report.
    ``dominance_factor``: a domain or indicator whose real share of the score differs from its
    nominal weight by more than this factor (either way) is named in the report and by
    ``aandacht score`` (:mod:`aandacht.scoring.dominance`). ``headline``: the indicators page 1 gives for
    the gemeente and Nederland side by side (:func:`aandacht.present.report.headline_figures`)."""

    suppress_below: Count(0, 1_000_000) = 10
    profile_top: Count(0, 100) = 5
    title: str | None = None
    internal_workbook: bool = Field(
        default=False, description="also write intern-niet-delen.xlsx with the counts under suppress_below (analyst only)")
    dominance_factor: Annotated[float, Field(gt=1, le=10)] = 1.5
    headline: list[str] | None = Field(
        default=None, max_length=3, description="indicator ids shown on page 1 for the gemeente against Nederland "
        "(at most 3); default: per domain the first indicator with both values")
