"""Robustness checks of a scoring run, as tables for the outputs and the report.

Library entry points (a notebook calls the same functions as the CLI):

    run = run_score(config)
    unc = uncertainty(run, draws=1000, seed=1)        # rank intervals, designation probability, Sobol
    table = ranking_with_uncertainty(run, unc)       # ranking + rang_p05, rang_mediaan, rang_p95, kans_aandachtsgebied
    sheets = check_sheets(run)                        # coherence and consensus sheets for scores.xlsx
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from .pipeline import ScoreRun
from .scoring.coherence import coherence
from .scoring.consensus import consensus, families
from .scoring.uncertainty import UncertaintyResult, analyse
from .tables import ranking


def uncertainty(run: ScoreRun, draws: int | None = None, seed: int | None = None, sobol: bool = True,
                on_start: Callable[[int], None] | None = None, progress: Callable[[int], None] | None = None) -> UncertaintyResult:
    """The uncertainty (and Sobol) analysis of the config's ``uncertainty`` section; ``draws`` and ``seed`` override it."""
    spec = run.config.uncertainty
    update = {k: v for k, v in (("draws", draws), ("seed", seed)) if v is not None}
    spec = spec.model_copy(update=update) if update else spec
    return analyse(run.matrix.scored_values, run.config.framework, run.config.method, spec, sobol=sobol,
                   on_start=on_start, progress=progress)


def ranking_with_uncertainty(run: ScoreRun, result: UncertaintyResult) -> pd.DataFrame:
    """The ranking with the 5th percentile, median and 95th percentile rank and the share of draws
    in which the area is aandachtsgebied (empty for unscored areas)."""
    table = ranking(run)
    columns = {"rank_p05": "rang_p05", "median_rank": "rang_mediaan", "rank_p95": "rang_p95", "p_designated": "kans_aandachtsgebied"}
    extra = result.areas.loc[:, list(columns)].rename(columns=columns)
    position = table.columns.get_loc("score") + 1
    merged = table.join(extra, on="area_code")
    ordered = [*table.columns[:position], *columns.values(), *table.columns[position:]]
    return merged.loc[:, ordered]


def uncertainty_sheet(run: ScoreRun, result: UncertaintyResult) -> pd.DataFrame:
    """Per scored area: code, name and the rank statistics, sorted by nominal rank."""
    table = result.areas.copy()
    table.insert(0, "area_name", run.matrix.areas["area_name"].reindex(table.index))
    return table.rename_axis("area_code").reset_index().sort_values(["nominal_rank", "area_code"])


def check_sheets(run: ScoreRun) -> dict[str, pd.DataFrame]:
    """Coherence sheets, and consensus sheets when the inputs form at least two source families."""
    checks = coherence(run.result)
    sheets = {
        "correlations": checks.correlations,
        "correlation pairs": checks.pairs,
        "cronbach alpha": checks.alpha,
        "indicator flags": checks.indicator_flags,
        "pca": checks.pca,
        "pca weights": checks.pca_weights,
        "coherence notes": pd.DataFrame({"note": checks.warnings}),
    }
    if len(families(run.config)) >= 2:
        agreement = consensus(run.matrix.scored_values, run.config)
        table = agreement.ranks.add_prefix("rang_").join(agreement.scores.add_prefix("score_"))
        table.insert(0, "hard_core", table.index.isin(agreement.hard_core))
        table.insert(0, "area_name", run.matrix.areas["area_name"].reindex(table.index))
        sheets["consensus"] = table.rename_axis("area_code").reset_index()
        sheets["consensus summary"] = pd.DataFrame([
            ("families", "; ".join(f"{k}: {', '.join(v)}" for k, v in agreement.families.items())),
            ("kendall_w", agreement.kendall_w),
            ("areas_compared", agreement.areas_compared),
            ("top_k", run.config.consensus.top_k),
            ("min_sources", run.config.consensus.min_sources),
            ("hard_core", ", ".join(agreement.hard_core)),
        ], columns=["key", "value"])
    return sheets
