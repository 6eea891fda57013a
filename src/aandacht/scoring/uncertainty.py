"""Monte Carlo uncertainty analysis and Sobol sensitivity of the ranking.

Each draw is the config with its uncertain method choices replaced (OECD/JRC Handbook
2008, section 1.8; Saisana, Saltelli and Tarantola 2005, JRSS A 168, 307-323):

* weight noise: for each key of ``uncertainty.weight_noise`` (``indicators``, ``nodes`` or
  a node id) every weight it covers is multiplied by an independent U[1 - f, 1 + f];
* normalisation, aggregation, treatment: one alternative from the configured list, each
  equally likely (the drawn aggregation replaces ``method.aggregation.method``; per-node
  overrides in ``by_node`` stay);
* leave one out: with probability 1 / (p + 1) each, no indicator or one of the p
  indicators gets weight 0 (its parent's weights are renormalised as for missing data).

Each uncertain input is one Sobol factor, driven by one column (choices) or one column per
weight (weight noise) of a unit-hypercube sample. The normalised matrix of each
(treatment, normalisation) alternative is computed once; per draw only the selection,
the weights and the aggregation vary, so a batch of draws is one array with a leading
draws axis that :func:`aandacht.scoring.aggregate.aggregate` broadcasts over. Batches are
sized to a memory budget.

Per area the result holds the nominal rank, the median and 5th/95th percentile ranks over
the draws, and the share of draws in which the area is designated (top k, or score at
least a threshold). Ranks: 1 = highest score, ties share the lowest rank; an area that
gets no score in a draw counts as ranked last. Sobol indices (:mod:`.sobol`) are given
for each area's rank and for two summaries of the whole ranking: the number of areas
whose designation differs from the nominal one, and the mean absolute rank shift.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import Framework, Method, Uncertainty
from ..errors import ConfigError
from .aggregate import aggregate
from .composite import normalise, prepare, score
from .ranks import rankdata
from .sobol import bootstrap_counts, jansen
from .tree import compile_tree

DEFAULT_MEMORY_BYTES = 256 * 1024**2


@dataclass(frozen=True)
class Factor:
    """One uncertain input: its name, the sample columns that drive it, and what it acts on."""

    name: str
    columns: np.ndarray
    items: tuple  # weight positions (weight noise) or alternatives (choices)
    noise: float = 0.0


@dataclass(frozen=True)
class UncertaintyResult:
    """Per-area rank statistics and (optionally) Sobol indices.

    ``areas``: per area nominal_rank, median_rank, rank_p05, rank_p95, p_designated,
    nominal_designated. ``sobol_summary``: per output and factor S1, ST with intervals;
    ``sobol_areas``: the same per area (both ``None`` when Sobol indices were not computed).
    """

    areas: pd.DataFrame
    factors: list[str]
    draws: int
    evaluations: int
    seed: int
    sobol_summary: pd.DataFrame | None = None
    sobol_areas: pd.DataFrame | None = None


class Model:
    """The composite indicator as a function of a batch of unit-hypercube samples."""

    def __init__(self, raw: pd.DataFrame, framework: Framework, method: Method, spec: Uncertainty):
        self.tree = compile_tree(framework)
        self.method = method
        self.spec = spec
        self.areas = raw.index
        self.treatments = spec.treatment or [method.treatment.enabled]
        self.normalisations = spec.normalisation or [method.normalisation.method]
        self.aggregations = spec.aggregation or [method.aggregation.method]
        variants = []
        for enabled in self.treatments:  # the scoring pipeline with the varied settings (composite.prepare)
            treatment = method.treatment.model_copy(update={"enabled": enabled})
            prepared = prepare(raw, framework, method.model_copy(update={"treatment": treatment}))
            for name in self.normalisations:
                varied = method.model_copy(update={"normalisation": method.normalisation.model_copy(update={"method": name})})
                variants.append(normalise(prepared.treated, framework, varied).to_numpy())
        self.variants = np.stack(variants)
        self._check_positive()
        groups = self.tree.groups
        self.items = list(self.tree.leaves) + [g.id for g in groups[:-1]]
        position = {item: k for k, item in enumerate(self.items)}
        nominal = dict(zip(self.items, np.zeros(len(self.items))))
        for group in groups:
            nominal.update(zip(group.children, group.weights))
        self.nominal_weights = np.array([nominal[i] for i in self.items])
        self.children = [np.array([position[c] for c in g.children]) for g in groups]
        leaves = len(self.tree.leaves)
        # groups whose children are all indicators: their (variant, area, child) blocks, cut once
        self.leaf_variants = {g: np.ascontiguousarray(self.variants[:, :, children])
                              for g, children in enumerate(self.children) if (children < leaves).all()}
        self.factors = self._factors(position)
        self.dimensions = int(sum(f.columns.size for f in self.factors))

    def _check_positive(self) -> None:
        used = set(self.aggregations) | set(self.method.aggregation.by_node.values())
        if used <= {"arithmetic"}:
            return
        lowest = np.nanmin(self.variants.reshape(len(self.variants), -1), axis=1)
        for k, low in enumerate(lowest):
            if low <= 0:
                combo = f"treatment {self.treatments[k // len(self.normalisations)]}, normalisation {self.normalisations[k % len(self.normalisations)]}"
                raise ConfigError(
                    f"uncertainty: geometric/harmonic aggregation needs values above 0, but {combo} gives {low:.3g}; "
                    "drop that combination or set method.normalisation.range to start above 0 (for example [1, 100])"
                )

    def _factors(self, position: dict[str, int]) -> list[Factor]:
        factors, column = [], 0
        groups = {g.id: g for g in self.tree.groups}
        for key, noise in self.spec.weight_noise.items():
            if key == "indicators":
                covered = list(self.tree.leaves)
            elif key == "nodes":
                covered = [g.id for g in self.tree.groups[:-1]]
            else:
                covered = list(groups[key].children) if key in groups else []
            if covered:
                columns = np.arange(column, column + len(covered))
                factors.append(Factor(f"weights: {key}", columns, tuple(position[c] for c in covered), noise))
                column += len(covered)
        choices = [("normalisation", self.normalisations), ("aggregation", self.aggregations), ("treatment", self.treatments)]
        if self.spec.leave_one_out:
            choices.append(("leave one out", [None, *self.tree.leaves]))
        for name, alternatives in choices:
            if len(alternatives) > 1:
                factors.append(Factor(name, np.array([column]), tuple(alternatives)))
                column += 1
        return factors

    def _choice(self, u: np.ndarray, name: str) -> np.ndarray:
        factor = next((f for f in self.factors if f.name == name), None)
        if factor is None:
            return np.zeros(u.shape[0], dtype=int)
        return np.minimum((u[:, factor.columns[0]] * len(factor.items)).astype(int), len(factor.items) - 1)

    def scores(self, u: np.ndarray) -> np.ndarray:
        """Composite scores (draws, areas) for samples ``u`` (draws, dimensions) in [0, 1)."""
        weights = np.tile(self.nominal_weights, (u.shape[0], 1))
        for factor in self.factors:
            if factor.name.startswith("weights: "):
                weights[:, factor.items] *= 1.0 + factor.noise * (2.0 * u[:, factor.columns] - 1.0)
        dropped = self._choice(u, "leave one out") - 1  # -1 = keep every indicator
        rows = np.flatnonzero(dropped >= 0)
        weights[rows, dropped[rows]] = 0.0
        variant = self._choice(u, "treatment") * len(self.normalisations) + self._choice(u, "normalisation")
        how = self._choice(u, "aggregation")
        values: dict[int, np.ndarray] = {}
        for g, (group, children) in enumerate(zip(self.tree.groups, self.children)):
            if g in self.leaf_variants:
                stacked = self.leaf_variants[g][variant]
            else:  # children are nodes, or nodes and indicators mixed
                stacked = np.stack([values[c] if c in values else self.variants[variant, :, c] for c in children], axis=-1)
            w = weights[:, None, children]
            fixed = self.method.aggregation.by_node.get(group.id)
            if fixed is not None or len(self.aggregations) == 1:
                out = aggregate(stacked, w, fixed or self.aggregations[0], self.method.missing.min_share, group.label)
            else:
                out = np.empty(stacked.shape[:-1])
                for k, name in enumerate(self.aggregations):
                    chosen = how == k
                    if chosen.any():
                        out[chosen] = aggregate(stacked[chosen], w[chosen], name, self.method.missing.min_share, group.label)
            values[len(self.tree.leaves) + g] = out
        return values[len(self.items)]


def rank_rows(scores: np.ndarray) -> np.ndarray:
    """Rank areas per draw (rows): 1 = highest score, ties share the lowest rank, no score = last."""
    ranks = rankdata(-scores, method="min", axis=-1, nan_policy="omit")
    return np.where(np.isnan(scores), scores.shape[-1], ranks).astype("float32")


def designated(scores: np.ndarray, ranks: np.ndarray, spec: Uncertainty) -> np.ndarray:
    """Designation per draw and area under the configured rule."""
    if spec.designation.top_k is not None:
        return ranks <= spec.designation.top_k
    return np.nan_to_num(scores, nan=-np.inf) >= spec.designation.threshold


def evaluate(model: Model, u: np.ndarray, memory: int = DEFAULT_MEMORY_BYTES, progress: Callable[[int], None] | None = None):
    """Ranks (float32) and designation flags for every row of ``u``, in memory-bounded batches."""
    per_draw = model.variants[0].size * 8 * 4  # selected matrix, stacked children, temporaries
    batch = max(1, int(memory // per_draw))
    ranks = np.empty((u.shape[0], len(model.areas)), dtype="float32")
    chosen = np.empty((u.shape[0], len(model.areas)), dtype=bool)
    for start in range(0, u.shape[0], batch):
        part = slice(start, min(start + batch, u.shape[0]))
        scores = model.scores(u[part])
        ranks[part] = rank_rows(scores)
        chosen[part] = designated(scores, ranks[part], model.spec)
        if progress is not None:
            progress(part.stop - part.start)
    return ranks, chosen


def rank_statistics(ranks: np.ndarray, chosen: np.ndarray, nominal_rank: np.ndarray, nominal_designated: np.ndarray,
                    areas: pd.Index) -> pd.DataFrame:
    """Per area: nominal rank, median and 5th/95th percentile rank (observed ranks, inverted CDF) and
    the share of draws in which it is designated."""
    p05, median, p95 = np.quantile(ranks, [0.05, 0.5, 0.95], axis=0, method="inverted_cdf")
    return pd.DataFrame({
        "nominal_rank": nominal_rank,
        "median_rank": median.astype(int),
        "rank_p05": p05.astype(int),
        "rank_p95": p95.astype(int),
        "p_designated": chosen.mean(axis=0),
        "nominal_designated": nominal_designated,
    }, index=areas)


def _sobol_frames(model, outputs, nominal_rank, reference, counts, confidence, evaluate_ab):
    """Sobol tables: ``outputs`` holds the A and B evaluations; ``evaluate_ab(i)`` evaluates AB_i;
    ``reference`` is the nominal designation."""
    (r_a, d_a), (r_b, d_b) = outputs

    def summaries(ranks, chosen, reference):
        return np.column_stack([(chosen != reference).sum(axis=1), np.abs(ranks - nominal_rank).mean(axis=1)])

    summary_rows, area_rows = [], []
    s_a, s_b = summaries(r_a, d_a, reference), summaries(r_b, d_b, reference)
    for i, factor in enumerate(model.factors):
        r_ab, d_ab = evaluate_ab(i)
        s = jansen(s_a, s_b, summaries(r_ab, d_ab, reference), counts, confidence)
        for k, output in enumerate(("designation changes", "mean absolute rank shift")):
            summary_rows.append({"output": output, "factor": factor.name, "S1": s.first[k], "S1_low": s.first_low[k],
                                 "S1_high": s.first_high[k], "ST": s.total[k], "ST_low": s.total_low[k], "ST_high": s.total_high[k]})
        a = jansen(r_a, r_b, r_ab, counts, confidence)
        area_rows.append(pd.DataFrame({"area_code": model.areas, "factor": factor.name, "S1": a.first, "S1_low": a.first_low,
                                       "S1_high": a.first_high, "ST": a.total, "ST_low": a.total_low, "ST_high": a.total_high}))
    return pd.DataFrame(summary_rows), pd.concat(area_rows, ignore_index=True)


def analyse(raw: pd.DataFrame, framework: Framework, method: Method, spec: Uncertainty, sobol: bool = True,
            memory: int = DEFAULT_MEMORY_BYTES, progress: Callable[[int], None] | None = None,
            on_start: Callable[[int], None] | None = None) -> UncertaintyResult:
    """Run the uncertainty analysis (and the Sobol analysis when ``sobol``) on the scored areas ``raw``.

    ``on_start(total)`` is called with the number of model evaluations before they start and
    ``progress(n)`` after each batch, for a progress bar.
    """
    model = Model(raw, framework, method, spec)
    nominal = score(raw, framework, method)
    nominal_scores = nominal.index.to_numpy()[None, :]
    nominal_rank = rank_rows(nominal_scores)[0]
    nominal_designated = designated(nominal_scores, nominal_rank[None, :], spec)[0]
    n = spec.draws
    rng = np.random.default_rng(spec.seed)
    a = rng.random((n, model.dimensions))
    run_sobol = sobol and bool(model.factors)
    total = n * (2 + len(model.factors) if run_sobol else 1)
    if on_start is not None:
        on_start(total)
    r_a, d_a = evaluate(model, a, memory, progress)
    table = rank_statistics(r_a, d_a, nominal.rank.to_numpy(), nominal_designated, model.areas)
    sobol_summary = sobol_areas = None
    if run_sobol:
        b = rng.random((n, model.dimensions))
        counts = bootstrap_counts(n, spec.bootstrap, rng)
        outputs = ((r_a, d_a), evaluate(model, b, memory, progress))

        def evaluate_ab(i: int):
            mixed = a.copy()
            columns = model.factors[i].columns
            mixed[:, columns] = b[:, columns]
            return evaluate(model, mixed, memory, progress)

        sobol_summary, sobol_areas = _sobol_frames(model, outputs, nominal_rank, nominal_designated, counts,
                                                   spec.confidence, evaluate_ab)
    return UncertaintyResult(table, [f.name for f in model.factors], n, total, spec.seed, sobol_summary, sobol_areas)
