"""Config sections ``ikc`` and ``selection``: the IKC registry and how Plus-IKCs are
chosen (see :mod:`aandacht.decide.select`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .base import Count, OptionalWeight, Strict
from .choices import MAX_COUNT
from .inputs import Vintage


class SchoolList(Vintage):
    """A school list of one date (DUO's list of vestigingen): the table, and the column that says
    which of its rows were in the list then (``true``/``false``; default: every row)."""

    member: str | None = Field(default=None, description="column of the table that is true for the vestigingen in "
                               "this list, e.g. in_duo_2024; default: every row")
    soorten: list[str] | None = Field(default=None, description="the kinds of school (column soort) the list covers; "
                                      "rows of other kinds keep their membership of the newest earlier list (DUO's "
                                      "2026 list of basisonderwijs has no speciaal basisonderwijs)")


class IkcRegistrySpec(Strict):
    """The IKC/school table and the analyst's tables around it (see :mod:`aandacht.decide.ikc`)."""

    table: Path | None = Field(default=None, description="default: the path of the school_scores input")
    lists: list[SchoolList] = Field(default_factory=list, description="the school lists of several dates: a round "
                                    "takes its IKCs from the newest list of its time (unless 'table' is given)")
    changes: Path | None = Field(default=None, description="CSV old_code,new_code,year,source: schools that closed "
                                 "(new_code empty) or merged into new_code, where DUO's lists do not say it")
    boards: Path | None = Field(default=None, description="CSV bevoegd_gezag_nummer,naam filled by an analyst")
    board_names: Path | None = Field(default=None, description="CSV bevoegd_gezag_nummer,naam: DUO's list of bevoegde "
                                     "gezagen (shipped); the analyst's boards table overrides it")
    pupil_origin: Path | None = Field(default=None, description="CSV brin_vestiging,area_code,leerlingen")


class NeedWeights(Strict):
    """Weights of the components of an IKC's need (each scaled to 0-100, see :mod:`aandacht.decide.select`):
    finite and >= 0; an explicit 0 leaves that component out (``pupil_share`` is 0 unless a
    pupil-origin table is given)."""

    score_per_pupil: OptionalWeight = 1.0
    score_total: OptionalWeight = 1.0
    wijk_score: OptionalWeight = 1.0
    pupil_share: OptionalWeight = 0.0
    score_column: Literal["achterstandsscore", "achterstandsscore_zonder_drempel"] = "achterstandsscore_zonder_drempel"

    @model_validator(mode="after")
    def _positive(self) -> NeedWeights:
        if self.score_per_pupil + self.score_total + self.wijk_score + self.pupil_share == 0:
            raise ValueError("all need weights are zero")
        return self


class Budget(Strict):
    """Money or hours: the number of Plus-IKCs is floor(total / per_ikc)."""

    total: Annotated[float, Field(gt=0)]
    per_ikc: Annotated[float, Field(gt=0)]
    unit: str = "euro"


class BoardLimit(Strict):
    min: Count(0) = 0
    max: Count(0) | None = None


class Continuity(Strict):
    """A Plus predicate lasts ``term_years``; within its term an IKC keeps it while its
    need stays >= ``exit_need`` (lower than ``entry_need``: hysteresis)."""

    term_years: Count(1, 100) = 4
    entry_need: Annotated[float, Field(ge=0)] = 0.0
    exit_need: Annotated[float, Field(ge=0)] = 0.0
    watch_margin: Annotated[float, Field(ge=0)] = 5.0

    @model_validator(mode="after")
    def _hysteresis(self) -> Continuity:
        if self.exit_need > self.entry_need:
            raise ValueError(f"exit_need ({self.exit_need}) must not exceed entry_need ({self.entry_need})")
        return self


class SelectionRules(Strict):
    """How Plus-IKCs are chosen (see :mod:`aandacht.decide.select`)."""

    count: Count() | None = None
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
        if self.budget is not None and not self.budget.total // self.budget.per_ikc <= MAX_COUNT:
            raise ValueError(f"budget.total / budget.per_ikc gives more than {MAX_COUNT:,} Plus-IKCs; check the units of both")
        return self

    @property
    def n_plus(self) -> int:
        """The number of Plus-IKCs: ``count``, or floor(budget.total / budget.per_ikc)."""
        return self.count if self.count is not None else int(self.budget.total // self.budget.per_ikc)
