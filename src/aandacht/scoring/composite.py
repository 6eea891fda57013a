"""The composite indicator: treat, normalise and aggregate up the framework.

:func:`score` takes an area x indicator table of raw values (NaN = missing) and returns
every intermediate table, so that each number in the output can be traced back.
Steps, in the order of the OECD/JRC Handbook on Constructing Composite Indicators
(2008): imputation (optional; column or group mean or median, or nearest neighbours),
outlier treatment (:mod:`.treat`), normalisation with directions (:mod:`.normalise`),
the weights (the framework's, or PCA weights: :mod:`.weights`), weighted aggregation per
node with weight renormalisation for missing data (:mod:`.aggregate`; a method per node with
``method.aggregation.by_node``). Screening of areas happens before, in
:func:`aandacht.scoring.run.score_matrix`. Rank 1 is the area with the
highest score, i.e. the most risk for children; ties share the lowest rank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..config import Framework, Method
from ..config.choices import IMPUTATIONS, check_implemented
from ..dutch import fixed_nl
from ..errors import AandachtError
from .aggregate import aggregate, fill_missing_children
from .normalise import METHODS as NORMALISERS
from .treat import treat_matrix
from .tree import Tree, compile_tree


@dataclass(frozen=True)
class ScoreResult:
    """Everything :func:`score` computed. Tables are indexed by area code."""

    tree: Tree
    raw: pd.DataFrame  # after imputation and exclusion, before treatment
    treated: pd.DataFrame
    normalised: pd.DataFrame
    nodes: pd.DataFrame  # one column per non-leaf node, the index last
    index: pd.Series
    rank: pd.Series
    treatment_log: pd.DataFrame
    effective_weights: pd.DataFrame
    top_domain: pd.Series
    notes: tuple[str, ...] = ()
    # method.missing.domain: mean: per scored area the domains filled with the mean (empty without), and the
    # rank the area would have had with the domain's weight shared over the others (empty when nothing was filled)
    imputed_domains: pd.DataFrame = field(default_factory=pd.DataFrame)
    rank_reweighted: pd.Series = field(default_factory=lambda: pd.Series(dtype="Int64"))


def _column_fill(raw: pd.DataFrame, method: str, neighbours: int, groups: pd.Series | None) -> pd.DataFrame:
    """COINr ``i_mean`` / ``i_median``: each missing value becomes its column's mean or median."""
    return raw.fillna(raw.mean() if method == "mean" else raw.median())


def _knn(raw: pd.DataFrame, method: str, neighbours: int, groups: pd.Series | None) -> pd.DataFrame:
    """scikit-learn's KNNImputer: the mean of the ``neighbours`` nearest areas on the other indicators."""
    from sklearn.impute import KNNImputer

    filled = pd.DataFrame(KNNImputer(n_neighbors=neighbours, keep_empty_features=True).fit_transform(raw.to_numpy()),
                          index=raw.index, columns=raw.columns)
    filled.loc[:, raw.isna().all()] = np.nan  # an indicator without any value stays empty (reported later)
    return filled


def _group_fill(raw: pd.DataFrame, method: str, neighbours: int, groups: pd.Series | None) -> pd.DataFrame:
    """COINr ``i_mean_grp`` / ``i_median_grp``: each missing value becomes the mean (median) of its
    column over the areas of the same group; an area without a group, or whose group has no
    value, stays missing."""
    if groups is None:
        raise AandachtError(f"imputation '{method}' needs the groups of the areas (method.missing.groups)")
    labels = groups.reindex(raw.index)
    statistic = "mean" if method == "group_mean" else "median"
    return raw.fillna(raw.groupby(labels, dropna=True).transform(statistic))


# The imputation methods of the registry (aandacht.config.choices.IMPUTATIONS), each called as
# imputer(raw, method, neighbours, groups); None = no imputation.
IMPUTERS = {"none": None, "mean": _column_fill, "median": _column_fill, "knn": _knn,
            "group_mean": _group_fill, "group_median": _group_fill}
check_implemented("imputation", IMPUTATIONS, IMPUTERS)


def impute(raw: pd.DataFrame, method: str, neighbours: int, groups: pd.Series | None = None) -> pd.DataFrame:
    """Fill missing raw values per indicator with the configured method (:data:`IMPUTERS`)."""
    fill = IMPUTERS[method]
    if fill is None or not raw.isna().any().any():
        return raw
    return fill(raw, method, neighbours, groups)


def normalise(treated: pd.DataFrame, framework: Framework, method: Method) -> pd.DataFrame:
    """Normalise every indicator with the configured method (:data:`aandacht.scoring.normalise.METHODS`);
    higher = more risk. Min-max of an indicator with the same value in every area is undefined: an error."""
    spec = {i.id: i for i in framework.indicators}
    columns = list(treated.columns)
    x = treated.to_numpy(dtype="float64")
    directions = np.array([spec[c].direction for c in columns], dtype="float64")
    name = method.normalisation.method
    if name == "minmax":
        constant = [c for c, v in zip(columns, np.nanmax(x, axis=0) - np.nanmin(x, axis=0)) if v == 0]
        if constant:
            raise AandachtError(
                f"indicator(s) {constant} have the same value in every area; min-max normalisation is undefined "
                "(remove them from the framework or use goalposts)"
            )
    out = NORMALISERS[name](x, directions, method.normalisation, [spec[c] for c in columns], treated.index)
    return pd.DataFrame(out, index=treated.index, columns=columns)


@dataclass(frozen=True)
class Prepared:
    """The indicator tables before aggregation: raw (after imputation), treated, normalised."""

    raw: pd.DataFrame
    treated: pd.DataFrame
    normalised: pd.DataFrame
    treatment_log: pd.DataFrame


def prepare(raw: pd.DataFrame, framework: Framework, method: Method, groups: pd.Series | None = None) -> Prepared:
    """The steps before aggregation, in the Handbook's order: check the columns, impute,
    treat outliers, normalise. :func:`score` and the uncertainty model
    (:mod:`aandacht.scoring.uncertainty`, which varies ``method``) both start here.
    ``groups`` (area code -> group) serves the group imputations."""
    leaves = [i.id for i in framework.indicators]
    missing = [leaf for leaf in leaves if leaf not in raw.columns]
    if missing:
        raise AandachtError(f"indicator(s) {missing} are in the framework but not in the data")
    if raw.empty:
        raise AandachtError("there are no areas to score")
    raw = impute(raw.loc[:, leaves].astype("float64"), method.missing.imputation, method.missing.knn_neighbours, groups)
    empty = [c for c in raw.columns if raw[c].isna().all()]
    if empty:
        raise AandachtError(f"indicator(s) {empty} have no value for any area")
    treated, log = treat_matrix(raw, method.treatment)
    return Prepared(raw, treated, normalise(treated, framework, method), log)


def aggregate_tree(normalised: pd.DataFrame, tree: Tree, method: Method) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Aggregate the normalised indicators up the tree.

    Returns the node scores (one column per group, index last) and, per leaf, its
    per-area effective weight: the product along its path of w / (sum of the weights of
    the siblings present), i.e. the leaf's weight in that area's index after
    renormalisation for missing data. With ``method.missing.domain: mean`` a missing domain (a
    node under the index) of an area with enough domains is filled with the mean of the areas
    (:func:`aandacht.scoring.aggregate.fill_missing_children`) before the index is aggregated; its
    column in the node scores stays missing (it was not measured).
    """
    scores: dict[str, np.ndarray] = {leaf: normalised[leaf].to_numpy(dtype="float64") for leaf in tree.leaves}
    share_in_parent: dict[str, np.ndarray] = {}
    for group in tree.groups:
        children = np.column_stack([scores[c] for c in group.children])
        if group.id == tree.index_id and method.missing.domain == "mean":  # a missing domain: the average area's
            domains = np.array([c not in tree.leaves for c in group.children])
            children, _ = fill_missing_children(children, group.weights, method.missing.min_share, domains)
        how = method.aggregation.by_node.get(group.id, method.aggregation.method)
        scores[group.id] = aggregate(children, group.weights, how, method.missing.min_share, group.label)
        present_weight = np.where(np.isnan(children), 0.0, group.weights)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = present_weight / present_weight.sum(axis=1, keepdims=True)
        for position, child in enumerate(group.children):
            share_in_parent[child] = shares[:, position]
    per_area_weights = {
        leaf: np.prod([share_in_parent[node] for node in tree.path(leaf)[:-1]], axis=0) for leaf in tree.leaves
    }
    nodes = pd.DataFrame({g.id: scores[g.id] for g in tree.groups}, index=normalised.index)
    return nodes, per_area_weights


def effective_weights(
    tree: Tree, normalised: pd.DataFrame, index: pd.Series, per_area_weights: dict[str, np.ndarray], method: Method
) -> pd.DataFrame:
    """Nominal and realised weight of each indicator in the index.

    * ``nominal``: product of the normalised weights along the path (no missing data).
    * ``contribution``: mean over scored areas of w_eff(a, i) * x(a, i) / index(a), the
      indicator's real share of the score; defined when every node is aggregated with the
      arithmetic mean and every normalised value (of every indicator) is non-negative, NaN otherwise.
    * ``correlation``: Pearson correlation of the normalised indicator with the index (NaN for an
      indicator that is the same in every scored area).
    """
    nominal = tree.nominal_effective_weights()
    arithmetic = method.aggregation.method == "arithmetic" and all(
        v == "arithmetic" for v in method.aggregation.by_node.values()
    )
    scored = index.notna().to_numpy()
    # every normalised value, not only the leaf's: with values of both signs an area can score 0 while
    # a leaf's value there is not 0, and its "share" x / 0 would be infinite
    values = normalised.loc[:, list(tree.leaves)].to_numpy(dtype="float64")
    non_negative = bool(np.isnan(values).all() or np.nanmin(values) >= 0)
    rows = []
    for leaf in tree.leaves:
        x = normalised[leaf].to_numpy(dtype="float64")
        contribution = float("nan")
        if arithmetic and non_negative:
            with np.errstate(invalid="ignore", divide="ignore"):
                part = per_area_weights[leaf] * np.nan_to_num(x) / index.to_numpy()
            shares = part[scored]
            contribution = float(np.nanmean(shares)) if np.isfinite(shares).any() else float("nan")
        both = scored & ~np.isnan(x)
        with np.errstate(invalid="ignore"):  # a constant column has no correlation: 0/0 = NaN
            correlation = float(np.corrcoef(x[both], index.to_numpy()[both])[0, 1]) if both.sum() > 2 else float("nan")
        rows.append({"indicator": leaf, "label": tree.labels[leaf], "nominal": nominal[leaf],
                     "contribution": contribution, "correlation": correlation})
    return pd.DataFrame(rows)


def top_domain(all_scores: pd.DataFrame, tree: Tree) -> pd.Series:
    """Per area, the label of the child of the index with the largest weighted score w_d * s_d."""
    index_group = tree.groups[-1]
    weighted = all_scores.loc[:, list(index_group.children)] * index_group.weights
    best = weighted.fillna(-np.inf).idxmax(axis=1)
    return best.where(weighted.notna().any(axis=1)).map(tree.labels).fillna("")


def index_without(result: ScoreResult, framework: Framework, method: Method, removed: set[str]) -> pd.Series:
    """The index of ``result`` recomputed without the indicators ``removed``, from the same normalised values
    and weights (a removed item's weight goes to its siblings, as for a missing value; a node left without
    indicators drops out); NaN for the areas ``result`` does not score. The leave-one-out of the audit
    (:mod:`aandacht.scoring.audit`) and the rest of the index of :mod:`aandacht.scoring.dominance`."""
    kept = [leaf for leaf in result.tree.leaves if leaf not in removed]
    weights = {child: w for group in result.tree.groups for child, w in zip(group.children, group.weights)}
    tree = compile_tree(framework, kept).with_weights(weights)
    nodes, _ = aggregate_tree(result.normalised.loc[:, kept], tree, method)
    return nodes[tree.index_id].where(result.index.notna())


def rank_descending(index: pd.Series) -> pd.Series:
    """Rank 1 = highest score; ties share the lowest rank; unscored areas get no rank."""
    return index.rank(ascending=False, method="min").astype("Int64")


def weighted_tree(framework: Framework, method: Method, normalised: pd.DataFrame) -> tuple[Tree, list[str]]:
    """The framework compiled for aggregation, with PCA weights when ``method.weights`` is ``pca``
    (:mod:`aandacht.scoring.weights`), and notes."""
    tree = compile_tree(framework)
    if method.weights != "pca":
        return tree, []
    from .weights import pca_weights

    weights, notes = pca_weights(normalised, tree)
    shown = ", ".join(f"{k} {fixed_nl(v, 3)}" for k, v in weights.items())
    return tree.with_weights(weights), [f"PCA-gewichten toegepast: {shown}", *notes]


def score(raw: pd.DataFrame, framework: Framework, method: Method, groups: pd.Series | None = None) -> ScoreResult:
    """Score areas (rows of ``raw``) on the indicators of ``framework`` (columns of ``raw``);
    ``groups`` (area code -> group) serves the group imputations."""
    prepared = prepare(raw, framework, method, groups)
    normalised = prepared.normalised
    tree, notes = weighted_tree(framework, method, normalised)
    nodes, per_area_weights = aggregate_tree(normalised, tree, method)
    index = nodes[tree.index_id].rename("score")
    imputed, reweighted = _domain_imputation(normalised, tree, method, nodes, index)
    return ScoreResult(
        tree=tree,
        raw=prepared.raw,
        treated=prepared.treated,
        normalised=normalised,
        nodes=nodes,
        index=index,
        rank=rank_descending(index),
        treatment_log=prepared.treatment_log,
        effective_weights=effective_weights(tree, normalised, index, per_area_weights, method),
        top_domain=top_domain(pd.concat([normalised, nodes], axis=1), tree),
        notes=tuple(notes),
        imputed_domains=imputed,
        rank_reweighted=reweighted,
    )


def _domain_imputation(normalised: pd.DataFrame, tree: Tree, method: Method, nodes: pd.DataFrame, index: pd.Series
                       ) -> tuple[pd.DataFrame, pd.Series]:
    """With ``method.missing.domain: mean``: per area the domains that were filled (missing in ``nodes`` while
    the area has a score) and, when any was, the rank with the domain's weight shared over the others instead."""
    domains = [c for c in tree.groups[-1].children if c not in tree.leaves]
    if method.missing.domain != "mean" or not domains:
        return pd.DataFrame(index=index.index), pd.Series(dtype="Int64")
    imputed = nodes.loc[:, domains].isna() & index.notna().to_numpy()[:, None]
    if not imputed.any().any():
        return imputed, pd.Series(dtype="Int64")
    shared = method.model_copy(update={"missing": method.missing.model_copy(update={"domain": "reweight"})})
    reweighted, _ = aggregate_tree(normalised, tree, shared)
    return imputed, rank_descending(reweighted[tree.index_id])
