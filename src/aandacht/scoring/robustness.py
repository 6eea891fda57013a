"""Robustness of a scoring run: the config's uncertainty analysis and the per-area figures
that designation uses.

    run = run_score(config)
    unc = uncertainty(run, draws=1000, seed=1)   # rank intervals, designation probability, Sobol
    table = robustness_table(run)                # per area: chance of designation, 5-50-95% rank, hard core

The tables written for the analyst (ranking with uncertainty columns, coherence and
consensus sheets) are made in :mod:`aandacht.present.tables`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .consensus import consensus, families
from .run import ScoreRun
from .uncertainty import UncertaintyResult, analyse


def uncertainty(run: ScoreRun, draws: int | None = None, seed: int | None = None, sobol: bool = True,
                on_start: Callable[[int], None] | None = None, progress: Callable[[int], None] | None = None) -> UncertaintyResult:
    """The uncertainty (and Sobol) analysis of the config's ``uncertainty`` section; ``draws`` and ``seed`` override it."""
    spec = run.config.uncertainty
    update = {k: v for k, v in (("draws", draws), ("seed", seed)) if v is not None}
    spec = spec.model_copy(update=update) if update else spec
    return analyse(run.matrix.scored_values, run.config.framework, run.config.method, spec, sobol=sobol,
                   on_start=on_start, progress=progress, groups=run.groups, nominal=run.result)


def robustness_table(run: ScoreRun) -> pd.DataFrame:
    """Per scored area: the chance of designation and the 5-50-95% rank from the config's
    uncertainty analysis (no Sobol indices: the herijking needs the per-area figures only), and
    whether the area is in the hard core of the source families (NaN with fewer than two families)."""
    analysis = uncertainty(run, sobol=False)
    table = analysis.areas.rename(columns={"median_rank": "rank_median"})
    table = table.loc[:, ["p_designated", "rank_p05", "rank_median", "rank_p95"]].rename_axis("area_code")
    table["hard_core"] = np.nan
    if len(families(run.config)) >= 2:
        core = set(consensus(run.matrix.scored_values, run.config, run.groups).hard_core)
        table["hard_core"] = table.index.isin(core)
    return table
