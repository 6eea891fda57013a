"""A scoring run: the steps from config to ranked areas, as library functions a notebook
can call one by one.

    config = load_config("configs/leeuwarden.yaml")
    registry, tidy, notes = load_indicators(config)
    matrix = build_matrix(tidy, config, registry)
    result = score(matrix.scored_values, config.framework, config.method)

:func:`run_score` does all of it and keeps what the outputs and the manifest need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..config import Config
from ..inputs.areas import AreaRegistry
from ..inputs.load import load_indicators
from ..inputs.matrix import IndicatorMatrix, build_matrix
from .composite import ScoreResult, score


@dataclass
class ScoreRun:
    """A finished scoring run: inputs, intermediate tables and the result."""

    config: Config
    registry: AreaRegistry
    tidy: pd.DataFrame
    matrix: IndicatorMatrix
    result: ScoreResult
    notes: list[str] = field(default_factory=list)


def run_score(config: Config) -> ScoreRun:
    """Load, build the matrix and score the areas that pass the population gate."""
    registry, tidy, notes = load_indicators(config)
    matrix = build_matrix(tidy, config, registry)
    result = score(matrix.scored_values, config.framework, config.method)
    return ScoreRun(config, registry, tidy, matrix, result, notes + matrix.notes)
