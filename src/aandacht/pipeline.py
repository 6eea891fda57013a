"""The steps of a scoring run, as library functions a notebook can call one by one.

    config = load_config("configs/leeuwarden.yaml")
    registry, tidy, notes = load_indicators(config)
    matrix = build_matrix(tidy, config, registry)
    result = score(matrix.scored_values, config.framework, config.method)

:func:`run_score` does all of it and keeps what the outputs and the manifest need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .areas import AreaRegistry, load_registry
from .config import Config
from .indicators import IndicatorMatrix, build_matrix
from .scoring import ScoreResult, score
from .sources import LOADERS
from .tidy import concat_tidy


@dataclass
class ScoreRun:
    """A finished scoring run: inputs, intermediate tables and the result."""

    config: Config
    registry: AreaRegistry
    tidy: pd.DataFrame
    matrix: IndicatorMatrix
    result: ScoreResult
    notes: list[str] = field(default_factory=list)


def load_indicators(config: Config) -> tuple[AreaRegistry, pd.DataFrame, list[str]]:
    """Read the registry and every input into one validated tidy table."""
    registry = load_registry(config.areas.registry, config.areas.geometry)
    if config.areas.geometry:
        registry.geometry()  # read and check the configured polygons now, even if no step needs them
    tables, notes = [], []
    for spec in config.inputs.values():
        loaded = LOADERS[spec.loader](spec, registry)
        tables.append(loaded.table)
        notes.extend(loaded.notes)
    return registry, concat_tidy(tables, str(config.source_file)), notes


def run_score(config: Config) -> ScoreRun:
    """Load, build the matrix and score the areas that pass the population gate."""
    registry, tidy, notes = load_indicators(config)
    matrix = build_matrix(tidy, config, registry)
    result = score(matrix.scored_values, config.framework, config.method)
    return ScoreRun(config, registry, tidy, matrix, result, notes + matrix.notes)
