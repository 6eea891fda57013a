"""A scoring run: the steps from config to ranked areas, as library functions a notebook
can call one by one.

    config = load_config("configs/leeuwarden.yaml")
    registry, tidy, notes = load_indicators(config)
    matrix = build_matrix(tidy, config, registry)
    result = score(matrix.scored_values, config.framework, config.method)

:func:`run_score` does all of it (with the screening of areas, :mod:`.screen`, and the
groups of the group imputations) and keeps what the outputs and the manifest need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from ..config import Config
from ..errors import DataError
from ..inputs.areas import AreaRegistry
from ..inputs.load import load_indicators
from ..inputs.matrix import NEDERLAND, IndicatorMatrix, build_matrix, reference_values
from .composite import ScoreResult, score
from .screen import apply_screening


@dataclass
class ScoreRun:
    """A finished scoring run: inputs, intermediate tables and the result.

    ``screening``: per area the data availability and why it was screened out (empty without
    screening); ``groups``: area code -> group for the group imputations (None otherwise)."""

    config: Config
    registry: AreaRegistry
    tidy: pd.DataFrame
    matrix: IndicatorMatrix
    result: ScoreResult
    notes: list[str] = field(default_factory=list)
    screening: pd.DataFrame = field(default_factory=pd.DataFrame)
    groups: pd.Series | None = None
    _references: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)
    # results derived from the run once and asked for by several outputs (the audit: scores.xlsx and the report)
    # (not copied by dataclasses.replace: a run with another config derives its own)
    derived: dict[str, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def area_reliability(self) -> pd.Series:
        """Per area 'I', '?' or 'B' as :meth:`IndicatorMatrix.area_reliability`, and 'I' (indicatief) for an
        area scored with a domain filled by ``method.missing.domain: mean``."""
        marks = self.matrix.area_reliability()
        filled = self.result.imputed_domains
        if filled.empty:
            return marks
        return marks.mask(filled.any(axis=1).reindex(marks.index, fill_value=False), "I")

    def reference(self, code: str) -> pd.DataFrame:
        """Each indicator's value, numerator and denominator for the area ``code`` of any level (the
        gemeente, Nederland), as :func:`aandacht.inputs.matrix.reference_values` computes it; computed
        once per run (maps, report, tables and designation all ask), the gemeente's and Nederland's together
        (every output that asks for one asks for the other)."""
        if code not in self._references:
            wanted = dict.fromkeys([code, self.config.gemeente.code, NEDERLAND])
            self._references |= reference_values(self.tidy, self.config, [c for c in wanted if c not in self._references])
        return self._references[code]


def area_groups(config: Config, registry: AreaRegistry) -> pd.Series | None:
    """The groups of the group imputations (``method.missing.groups``): each area's parent in the
    registry, or a table ``area_code,group``; None when the imputation needs no groups."""
    missing = config.method.missing
    if not missing.imputation.startswith("group_"):
        return None
    if missing.groups == "parent":
        return registry.table["parent_code"].replace("", pd.NA)
    from ..inputs.reading import read_table, require_columns

    table = read_table(missing.groups)
    require_columns(table, ("area_code", "group"), missing.groups, "group table")
    codes = table["area_code"].str.strip()
    if codes.duplicated().any():
        raise DataError(f"{missing.groups}: area_code {codes[codes.duplicated()].iloc[0]} appears more than once")
    return pd.Series(table["group"].str.strip().replace("", pd.NA).to_numpy(), index=codes)


class Scored(NamedTuple):
    """The indicator matrix after screening, the screening table, the imputation groups and the result."""

    matrix: IndicatorMatrix
    screening: pd.DataFrame
    groups: pd.Series | None
    result: ScoreResult


def score_matrix(config: Config, registry: AreaRegistry, matrix: IndicatorMatrix) -> Scored:
    """Screen the areas of ``matrix`` and score those that pass the population gate and the screening."""
    matrix, screening = apply_screening(matrix, config.method.screening, str(config.source_file))
    groups = area_groups(config, registry)
    return Scored(matrix, screening, groups, score(matrix.scored_values, config.framework, config.method, groups))


def run_score(config: Config) -> ScoreRun:
    """Load, build the matrix, screen the areas and score them (:func:`score_matrix`)."""
    registry, tidy, notes = load_indicators(config)
    matrix, screening, groups, result = score_matrix(config, registry, build_matrix(tidy, config, registry))
    return ScoreRun(config, registry, tidy, matrix, result, notes + matrix.notes + list(result.notes), screening, groups)
