"""Monte Carlo uncertainty analysis and Sobol sensitivity of the ranking.

Each draw is the config with its uncertain method choices replaced (OECD/JRC Handbook
2008, section 1.8; Saisana, Saltelli and Tarantola 2005, JRSS A 168, 307-323; COINr
``get_sensitivity`` for the exact semantics):

* weight noise: for each key of ``uncertainty.weight_noise`` (``indicators``, ``nodes`` or
  a node id) every weight it covers is multiplied by an independent U[1 - f, 1 + f]
  (COINr ``get_noisy_weights``: w + (2U - 1) f w);
* weight sets: one of the sets of ``uncertainty.weight_sets``, each equally likely, replaces
  the framework's weights before the noise;
* normalisation, aggregation, treatment: one alternative from the configured list, each
  equally likely (the drawn aggregation replaces ``method.aggregation.method``; per-node
  overrides in ``by_node`` stay); a treatment alternative is on (the config's treatment),
  off, or the config's treatment with at most n points winsorised;
* leave one out: with probability 1 / (p + 1) each, no indicator or one of the p
  indicators gets weight 0 (its parent's weights are renormalised as for missing data).

Each uncertain input is one Sobol factor, driven by one column (choices) or one column per
weight (weight noise) of a unit-hypercube sample. The normalised matrix of each
(treatment, normalisation) alternative is computed once. Per draw only the selection, the
weights and the aggregation vary: a node whose children are indicators is aggregated for
all draws of one alternative at once as matrix products (numerator sum_c w_dc x_ac, the
present weight sum_c w_dc [x_ac present], for the geometric mean with ln x, for the
harmonic with 1 / x), the nodes above with :func:`aandacht.scoring.aggregate.aggregate`
broadcast over a leading draws axis. Batches of draws are sized to a memory budget.

Per area the result holds the nominal rank, the median and 5th/95th percentile ranks over
the draws, and the share of draws in which the area is designated (top k, or score at
least a threshold). Ranks: 1 = highest score, ties share the lowest rank; an area that
gets no score in a draw counts as ranked last. Sobol indices (:mod:`.sobol`) are given
for each area's rank and for two summaries of the whole ranking: the number of areas
whose designation differs from the nominal one, and the mean absolute rank shift against
the nominal ranking (COINr's output for its sensitivity indices).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import Framework, Method, Treatment, Uncertainty
from ..errors import ConfigError
from .aggregate import aggregate, fill_missing_children
from .composite import ScoreResult, normalise, prepare, score
from .ranks import rank_along
from .sobol import SobolDesign, bootstrap_counts
from .tree import Tree, compile_tree

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


def treatment_alternative(treatment: Treatment, alternative: bool | int) -> Treatment:
    """The config's treatment (``True``), none (``False``), or the config's treatment with at most
    ``alternative`` points winsorised."""
    if isinstance(alternative, bool):
        return treatment.model_copy(update={"enabled": alternative})
    return treatment.model_copy(update={"enabled": True, "max_winsorised": alternative})


def alternative_label(alternative: bool | int) -> str:
    """How a treatment alternative is named in the tables."""
    if isinstance(alternative, bool):
        return "on" if alternative else "off"
    return f"winsorise at most {alternative}"


class LeafBlock:
    """The children of one node whose children are all indicators, in one (treatment,
    normalisation) alternative: presence and the filled values each aggregation needs."""

    def __init__(self, values: np.ndarray):
        present = ~np.isnan(values)
        self.present = present.T.astype("float64")  # (children, areas)
        self.values = values
        self._filled: dict[str, np.ndarray] = {}

    def filled(self, how: str) -> np.ndarray:
        """(children, areas): x, ln x or 1 / x where present, 0 elsewhere."""
        if how not in self._filled:
            transform = {"arithmetic": lambda x: x, "geometric": np.log, "harmonic": np.reciprocal}[how]
            with np.errstate(invalid="ignore", divide="ignore"):
                self._filled[how] = np.where(self.present.T > 0, transform(self.values), 0.0).T.copy()
        return self._filled[how]

    def aggregate(self, w: np.ndarray, how: str, min_share: float) -> np.ndarray:
        """(draws, areas) scores for weights ``w`` (draws, children): the formulas of
        :mod:`aandacht.scoring.aggregate` as matrix products."""
        total = w @ self.present
        counted = (w > 0).astype("float64")
        with np.errstate(invalid="ignore", divide="ignore"):
            share = (counted @ self.present) / counted.sum(axis=1, keepdims=True)
            product = w @ self.filled(how)
            result = {"arithmetic": lambda: product / total, "geometric": lambda: np.exp(product / total),
                      "harmonic": lambda: total / product}[how]()
        return np.where((share >= min_share) & (total > 0), result, np.nan)


class Model:
    """The composite indicator as a function of a batch of unit-hypercube samples.

    ``tree``: the nominal run's tree (its weights, for example PCA weights, are the nominal
    weights; default: the framework's); ``groups``: area code -> group for the group imputations;
    ``nominal``: the nominal result of the same data and method, whose treated and normalised
    tables are reused."""

    def __init__(self, raw: pd.DataFrame, framework: Framework, method: Method, spec: Uncertainty, tree: Tree | None = None,
                 groups: pd.Series | None = None, nominal: ScoreResult | None = None):
        self.tree = tree if tree is not None else compile_tree(framework)
        self.method = method
        self.spec = spec
        self.areas = raw.index
        self.treatments = spec.treatment or [method.treatment.enabled]
        self.normalisations = spec.normalisation or [method.normalisation.method]
        self.aggregations = spec.aggregation or [method.aggregation.method]
        variants = []
        for alternative in self.treatments:  # the scoring pipeline with the varied settings (composite.prepare)
            treatment = treatment_alternative(method.treatment, alternative)
            if nominal is not None and treatment == method.treatment:
                treated = nominal.treated
            else:
                treated = prepare(raw, framework, method.model_copy(update={"treatment": treatment}), groups).treated
            for name in self.normalisations:
                if nominal is not None and treatment == method.treatment and name == method.normalisation.method:
                    variants.append(nominal.normalised.to_numpy())
                    continue
                varied = method.model_copy(update={"normalisation": method.normalisation.model_copy(update={"method": name})})
                variants.append(normalise(treated, framework, varied).to_numpy())
        self.variants = np.stack(variants)
        self._check_positive()
        groups_ = self.tree.groups
        self.items = list(self.tree.leaves) + [g.id for g in groups_[:-1]]
        position = {item: k for k, item in enumerate(self.items)}
        self.nominal_weights = self._weight_vector({})
        self.children = [np.array([position[c] for c in g.children]) for g in groups_]
        leaves = len(self.tree.leaves)
        # nodes whose children are all indicators: one block per (variant, node), cut once
        self.leaf_blocks = {g: [LeafBlock(variant[:, children]) for variant in self.variants]
                            for g, children in enumerate(self.children) if (children < leaves).all()}
        self.weight_sets, self.weight_set_names = self._weight_sets(spec)
        self.factors = self._factors(position)
        self.dimensions = int(sum(f.columns.size for f in self.factors))

    def _weight_vector(self, weights: dict[str, float]) -> np.ndarray:
        nominal = {}
        for group in self.tree.with_weights(weights).groups:
            nominal.update(zip(group.children, group.weights))
        return np.array([nominal[i] for i in self.items])

    def _weight_sets(self, spec: Uncertainty) -> tuple[np.ndarray | None, tuple[str, ...]]:
        if spec.weight_sets is None:
            return None, ()
        from .weights import read_weight_sets

        sets = read_weight_sets(spec.weight_sets, self.tree)
        return np.stack([self._weight_vector(w) for w in sets.values()]), tuple(sets)

    def _check_positive(self) -> None:
        used = set(self.aggregations) | set(self.method.aggregation.by_node.values())
        if used <= {"arithmetic"}:
            return
        lowest = np.nanmin(self.variants.reshape(len(self.variants), -1), axis=1)
        for k, low in enumerate(lowest):
            if low <= 0:
                combo = (f"treatment {alternative_label(self.treatments[k // len(self.normalisations)])}, "
                         f"normalisation {self.normalisations[k % len(self.normalisations)]}")
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
        choices = [("weight sets", self.weight_set_names), ("normalisation", self.normalisations),
                   ("aggregation", self.aggregations), ("treatment", tuple(self.treatments))]
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

    def draw_weights(self, u: np.ndarray) -> np.ndarray:
        """The weights (draws, items) of samples ``u``: weight set, noise, and the indicator left out."""
        if self.weight_sets is not None:
            weights = self.weight_sets[self._choice(u, "weight sets")]
        else:
            weights = np.tile(self.nominal_weights, (u.shape[0], 1))
        for factor in self.factors:
            if factor.name.startswith("weights: "):
                weights[:, factor.items] *= 1.0 + factor.noise * (2.0 * u[:, factor.columns] - 1.0)
        dropped = self._choice(u, "leave one out") - 1  # -1 = keep every indicator
        rows = np.flatnonzero(dropped >= 0)
        weights[rows, dropped[rows]] = 0.0
        return weights

    def scores(self, u: np.ndarray) -> np.ndarray:
        """Composite scores (draws, areas) for samples ``u`` (draws, dimensions) in [0, 1)."""
        weights = self.draw_weights(u)
        variant = self._choice(u, "treatment") * len(self.normalisations) + self._choice(u, "normalisation")
        how = self._choice(u, "aggregation")
        min_share = self.method.missing.min_share
        values: dict[int, np.ndarray] = {}
        for g, (group, children) in enumerate(zip(self.tree.groups, self.children)):
            w = weights[:, children]
            fixed = self.method.aggregation.by_node.get(group.id)
            methods = np.zeros(u.shape[0], dtype=int) if fixed is not None else how
            names = [fixed] if fixed is not None else self.aggregations
            if g in self.leaf_blocks:
                out = np.empty((u.shape[0], len(self.areas)))
                for v, block in enumerate(self.leaf_blocks[g]):
                    for k, name in enumerate(names):
                        rows = np.flatnonzero((variant == v) & (methods == k))
                        if rows.size:
                            out[rows] = block.aggregate(w[rows], name, min_share)
            else:  # children are nodes, or nodes and indicators mixed
                # children on the first axis, seen as the last: the sums over children then run over contiguous rows
                stacked = np.moveaxis(np.stack([values[c] if c in values else self.variants[variant, :, c] for c in children]),
                                      0, -1)
                if g == len(self.tree.groups) - 1 and self.method.missing.domain == "mean":  # as aggregate_tree
                    domains = np.array([c >= len(self.tree.leaves) for c in children])
                    stacked, _ = fill_missing_children(stacked, w[:, None, :], min_share, domains)
                out = np.empty(stacked.shape[:-1])
                for k, name in enumerate(names):
                    rows = np.flatnonzero(methods == k)
                    if rows.size:
                        out[rows] = aggregate(stacked[rows], w[rows, None, :], name, min_share, group.label,
                                              positive_checked=True)
            values[len(self.tree.leaves) + g] = out
        return values[len(self.items)]


def rank_rows(scores: np.ndarray) -> np.ndarray:
    """Rank areas per draw (rows): 1 = highest score, ties share the lowest rank, no score = last."""
    ranks = rank_along(-scores, axis=-1, ties="min")
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


def evaluate_samples(model: Model, samples: list[np.ndarray], memory: int = DEFAULT_MEMORY_BYTES,
                     progress: Callable[[int], None] | None = None):
    """Yield (ranks, designation) for each sample matrix in turn, evaluating as many matrices in one
    pass as the memory budget allows for their ranks (fewer, larger batches for small problems; one
    matrix at a time for large ones)."""
    rows = samples[0].shape[0]
    together = max(1, int(memory // (4 * rows * len(model.areas) * 5)))  # float32 ranks + bool flags, with room
    for start in range(0, len(samples), together):
        chunk = samples[start:start + together]
        ranks, chosen = evaluate(model, np.vstack(chunk), memory, progress)
        for k in range(len(chunk)):
            yield ranks[k * rows:(k + 1) * rows], chosen[k * rows:(k + 1) * rows]


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


def _sobol_frames(model, first, rest, nominal_rank, reference, counts, confidence):
    """Sobol tables: ``first`` is the (ranks, designation) evaluation of A, ``rest`` yields those of
    B and then of each AB_i; ``reference`` is the nominal designation."""
    (r_a, d_a), (r_b, d_b) = first, next(rest)

    def summaries(ranks, chosen, reference):
        return np.column_stack([(chosen != reference).sum(axis=1), np.abs(ranks - nominal_rank).mean(axis=1)])

    summary_rows, area_rows = [], []
    whole = SobolDesign(summaries(r_a, d_a, reference), summaries(r_b, d_b, reference), counts)
    per_area = SobolDesign(r_a, r_b, counts)
    for factor, (r_ab, d_ab) in zip(model.factors, rest):
        s = whole.indices(summaries(r_ab, d_ab, reference), confidence)
        for k, output in enumerate(("designation changes", "mean absolute rank shift")):
            summary_rows.append({"output": output, "factor": factor.name, "S1": s.first[k], "S1_low": s.first_low[k],
                                 "S1_high": s.first_high[k], "ST": s.total[k], "ST_low": s.total_low[k], "ST_high": s.total_high[k]})
        a = per_area.indices(r_ab, confidence)
        area_rows.append(pd.DataFrame({"area_code": model.areas, "factor": factor.name, "S1": a.first, "S1_low": a.first_low,
                                       "S1_high": a.first_high, "ST": a.total, "ST_low": a.total_low, "ST_high": a.total_high}))
    return pd.DataFrame(summary_rows), pd.concat(area_rows, ignore_index=True)


def analyse(raw: pd.DataFrame, framework: Framework, method: Method, spec: Uncertainty, sobol: bool = True,
            memory: int = DEFAULT_MEMORY_BYTES, progress: Callable[[int], None] | None = None,
            on_start: Callable[[int], None] | None = None, groups: pd.Series | None = None,
            nominal: ScoreResult | None = None) -> UncertaintyResult:
    """Run the uncertainty analysis (and the Sobol analysis when ``sobol``) on the scored areas ``raw``
    (``groups``: area code -> group for the group imputations; ``nominal``: the result of
    ``score(raw, framework, method, groups)`` when the caller has it).

    ``on_start(total)`` is called with the number of model evaluations before they start and
    ``progress(n)`` after each batch, for a progress bar.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="blas"):  # small, memory-bound products: BLAS threads only add overhead
        return _analyse(raw, framework, method, spec, sobol, memory, progress, on_start, groups, nominal)


def _analyse(raw, framework, method, spec, sobol, memory, progress, on_start, groups, nominal) -> UncertaintyResult:
    nominal = nominal if nominal is not None else score(raw, framework, method, groups)
    model = Model(raw, framework, method, spec, nominal.tree, groups, nominal)
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
    samples = [a]
    if run_sobol:
        b = rng.random((n, model.dimensions))
        counts = bootstrap_counts(n, spec.bootstrap, rng)
        samples.append(b)
        for factor in model.factors:  # AB_i: A with the columns of input i from B
            mixed = a.copy()
            mixed[:, factor.columns] = b[:, factor.columns]
            samples.append(mixed)
    outputs = evaluate_samples(model, samples, memory, progress)
    first = next(outputs)
    table = rank_statistics(*first, nominal.rank.to_numpy(), nominal_designated, model.areas)
    sobol_summary = sobol_areas = None
    if run_sobol:
        sobol_summary, sobol_areas = _sobol_frames(model, first, outputs, nominal_rank, nominal_designated, counts,
                                                   spec.confidence)
    return UncertaintyResult(table, [f.name for f in model.factors], n, total, spec.seed, sobol_summary, sobol_areas)
