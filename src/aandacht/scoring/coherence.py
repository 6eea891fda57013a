"""Statistical coherence of the framework (OECD/JRC Handbook 2008, sections 1.4 and 1.5;
COINr ``get_corr``, ``get_corr_flags``, ``plot_corr`` and ``get_PCA`` for the semantics).

All checks use the normalised indicators (higher = more risk) of the scored areas.

* Correlations between indicators (Pearson or Spearman, pairwise complete), each pair
  labelled within or between domains ("binnen een domein", "tussen domeinen": the analyst reads them; a domain = a
  child of the index) and with the parent the two share, if any.
* Correlation flags (thresholds in the config section ``coherence``): a pair under the same
  parent with r > ``high`` is *collinear* (COINr ``get_corr_flags``, ``thresh_type =
  "high"``: possible double counting), one with r < ``negative`` pulls apart (``thresh_type
  = "low"``); any pair with |r| > ``high`` is a near-duplicate. Each indicator's correlation
  with its parent's score is flagged as in COINr's ``plot_corr(withparent = TRUE,
  flagcolours = TRUE)``: *strong* when r >= ``high`` (the indicator all but is its parent),
  *weak* when r <= ``weak``, *negative* when r <= ``negative``.
* Cronbach's alpha per domain with at least two indicators, on the areas with every
  indicator of the domain present: alpha = k / (k - 1) * (1 - sum(var_i) / var(sum_i x_i)),
  variances with n - 1 (Cronbach 1951).
* Principal components of all indicators (complete cases, standardised: the eigenvectors of
  the correlation matrix): explained share, cumulative share, eigenvalue and loadings
  (eigenvector x sqrt(eigenvalue)) of the components with eigenvalue >= 1 (at least two);
  and the PCA weights per node that ``method.weights: pca`` applies (:mod:`aandacht.scoring.weights`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..config import Config, CorrelationFlags
from ..dutch import fixed_nl
from ..errors import AandachtError
from ..inputs.areas import AreaRegistry
from ..inputs.matrix import IndicatorMatrix
from .composite import ScoreResult
from .dominance import lone_indicators
from .weights import pca_weights

PAIR_COLUMNS = ["indicator_a", "indicator_b", "r", "relation", "shared_parent", "collinear", "negative", "near_duplicate"]


@dataclass
class Coherence:
    """The coherence tables and the notes they raise for the analyst."""

    correlations: pd.DataFrame
    pairs: pd.DataFrame
    alpha: pd.DataFrame
    indicator_flags: pd.DataFrame
    pca: pd.DataFrame
    pca_weights: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def flagged_pairs(self) -> pd.DataFrame:
        """The pairs with any flag."""
        return self.pairs[self.pairs[["collinear", "negative", "near_duplicate"]].any(axis=1)].reset_index(drop=True)


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha of an (observations, items) array without missing values."""
    k = items.shape[1]
    if k < 2 or items.shape[0] < 2:
        return float("nan")
    total = items.sum(axis=1).var(ddof=1)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / total))


def domain_of(result: ScoreResult) -> dict[str, str]:
    """Each indicator's domain: the child of the index on its path."""
    return {leaf: result.tree.path(leaf)[-2] for leaf in result.tree.leaves}


def domain_alpha(x: pd.DataFrame, result: ScoreResult) -> pd.DataFrame:
    """Per domain (child of the index): its label, number of indicators, the areas with all of them
    present and Cronbach's alpha on those (NaN for a domain of one indicator)."""
    domains = domain_of(result)
    rows = []
    for domain in result.tree.top_level:
        members = [leaf for leaf in x.columns if domains[leaf] == domain]
        items = x[members].dropna().to_numpy()
        rows.append({"domain": domain, "label": result.tree.labels[domain], "indicators": len(members),
                     "complete_areas": items.shape[0], "cronbach_alpha": cronbach_alpha(items)})
    return pd.DataFrame(rows, columns=["domain", "label", "indicators", "complete_areas", "cronbach_alpha"])


class PcaTables(NamedTuple):
    """Explained variance with loadings (rows explained_share, eigenvalue, then one per indicator) and notes."""

    loadings: pd.DataFrame
    notes: list[str]


def pca_tables(x: pd.DataFrame) -> PcaTables:
    """Explained variance and loadings of all indicators (complete cases, standardised), for the
    components the Handbook (2008, section 1.4) retains: eigenvalue at least 1, and at least two."""
    complete = x.dropna()
    usable = complete.loc[:, complete.std(ddof=1) > 0]
    if usable.shape[0] < 3 or usable.shape[1] < 2:
        return PcaTables(pd.DataFrame(), [f"PCA overgeslagen: {usable.shape[0]} volledige gebieden, {usable.shape[1]} variërende indicatoren"])
    values, vectors = np.linalg.eigh(np.corrcoef(usable.to_numpy().T))
    order = np.argsort(values)[::-1]
    values, vectors = np.clip(values[order], 0.0, None), vectors[:, order]
    vectors = vectors * np.where(vectors.sum(axis=0) < 0, -1.0, 1.0)  # sign: the larger part positive
    kept = max(2, int((values >= 1.0).sum()))
    names = [f"PC{k + 1}" for k in range(kept)]
    share = values / values.sum()
    table = pd.DataFrame((vectors * np.sqrt(values))[:, :kept], index=usable.columns, columns=names)
    header = pd.DataFrame([share[:kept], np.cumsum(share)[:kept], values[:kept]],
                          index=["explained_share", "cumulative_share", "eigenvalue"], columns=names)
    notes = [f"PCA: {len(complete)} van {len(x)} gebieden volledig; {kept} van {len(values)} componenten met eigenwaarde >= 1 "
             f"(of de eerste twee) verklaren {np.sum(share[:kept]):.0%}"]
    return PcaTables(pd.concat([header, table]).rename_axis("row").reset_index(), notes)


def correlation_pairs(x: pd.DataFrame, result: ScoreResult, flags: CorrelationFlags) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The correlation matrix and one row per indicator pair with its flags (see the module docstring)."""
    corr = x.corr(method=flags.method, min_periods=3)
    leaves = list(x.columns)
    domains, parents = domain_of(result), result.tree.parents
    first, second = np.triu_indices(len(leaves), k=1)
    a = [leaves[i] for i in first]
    b = [leaves[j] for j in second]
    r = corr.to_numpy()[first, second]
    same = np.array([parents[p] == parents[q] for p, q in zip(a, b)], dtype=bool)
    with np.errstate(invalid="ignore"):
        pairs = pd.DataFrame({
            "indicator_a": a, "indicator_b": b, "r": r,
            "relation": ["binnen een domein" if domains[p] == domains[q] else "tussen domeinen" for p, q in zip(a, b)],
            "shared_parent": [parents[p] if s else "" for p, s in zip(a, same)],
            "collinear": same & (r > flags.high), "negative": same & (r < flags.negative),
            "near_duplicate": np.abs(r) > flags.high}, columns=PAIR_COLUMNS)
    return corr, pairs


def parent_flags(x: pd.DataFrame, result: ScoreResult, flags: CorrelationFlags) -> pd.DataFrame:
    """Each indicator's correlation with its parent's score and its flag (strong, weak, negative or
    empty; no flag for an only child, whose correlation with its parent is 1 by construction)."""
    scores = pd.concat([x, result.nodes.loc[x.index]], axis=1)
    siblings = {g.id: len(g.children) for g in result.tree.groups}
    rows = []
    for leaf in x.columns:
        parent = result.tree.parents[leaf]
        r = scores[leaf].corr(scores[parent], method=flags.method) if parent in scores else float("nan")
        flag = ("" if pd.isna(r) or siblings.get(parent, 1) < 2 else "strong" if r >= flags.high
                else "negative" if r <= flags.negative else "weak" if r <= flags.weak else "")
        rows.append({"indicator": leaf, "parent": parent, "r_with_parent": r, "flag": flag})
    return pd.DataFrame(rows, columns=["indicator", "parent", "r_with_parent", "flag"])


def flag_notes(pairs: pd.DataFrame, indicator_flags: pd.DataFrame) -> list[str]:
    """One line per flag, for the analyst."""
    how = {"strong": ("sterk", "; het draagt de meeste variatie van het bovenliggende domein"),
           "weak": ("zwak", "; weinig ervan komt in de score van het bovenliggende domein"), "negative": ("negatief", "")}
    notes = [f"{row.indicator} hangt {how[row.flag][0]} samen met het bovenliggende {row.parent} "
             f"(r = {fixed_nl(row.r_with_parent, 2)}{how[row.flag][1]})" for row in indicator_flags.itertuples() if row.flag]
    for row in pairs.itertuples():
        if row.collinear:
            notes.append(f"{row.indicator_a} en {row.indicator_b} zijn collineair onder {row.shared_parent} (r = {fixed_nl(row.r, 2)})")
        elif row.negative:
            notes.append(f"{row.indicator_a} en {row.indicator_b} hangen negatief samen onder {row.shared_parent} (r = {fixed_nl(row.r, 2)})")
        elif row.near_duplicate:
            notes.append(f"{row.indicator_a} en {row.indicator_b} zijn bijna gelijk (r = {fixed_nl(row.r, 2)})")
    return notes


def pca_weight_table(x: pd.DataFrame, result: ScoreResult) -> tuple[pd.DataFrame, list[str]]:
    """The PCA weights per node that ``method.weights: pca`` would apply, beside the weights in use."""
    try:
        weights, notes = pca_weights(x, result.tree)
    except AandachtError as error:
        return pd.DataFrame(), [f"PCA-gewichten niet berekend: {error}"]
    in_use = {c: w for g in result.tree.groups for c, w in zip(g.children, g.weights)}
    table = pd.DataFrame({"indicator": list(weights), "parent": [result.tree.parents[i] for i in weights],
                          "pca_weight": list(weights.values()), "weight_in_use": [in_use[i] for i in weights]})
    return table, notes


def coherence(result: ScoreResult, flags: CorrelationFlags | None = None) -> Coherence:
    """All coherence checks on a scoring result (see the module docstring)."""
    flags = flags or CorrelationFlags()
    x = result.normalised.loc[result.index.notna()]
    corr, pairs = correlation_pairs(x, result, flags)
    indicator_flags = parent_flags(x, result, flags)
    pca, pca_notes = pca_tables(x)
    weights, weight_notes = pca_weight_table(x, result)
    notes = flag_notes(pairs, indicator_flags) + pca_notes + weight_notes
    return Coherence(corr.rename_axis("indicator").reset_index(), pairs, domain_alpha(x, result), indicator_flags,
                     pca, weights, notes)


def correlation_checks(config: Config, registry: AreaRegistry, matrix: IndicatorMatrix
                       ) -> tuple[dict[str, pd.DataFrame], list[tuple[str, str, str]]]:
    """The correlation flags of ``aandacht check``: the framework scored as ``aandacht score`` would
    (:func:`aandacht.scoring.run.score_matrix`), then the flagged pairs and each indicator's
    correlation with its parent. Collinear and negative pairs, near-duplicates, weak or negative
    indicators, and a domain of one indicator that correlates weakly with the rest of the index
    (:func:`aandacht.scoring.dominance.lone_indicators`) are warnings; a strong indicator is ``info`` (worth knowing, not a data problem). When
    the data cannot be scored yet the reason is a warning and there are no tables."""
    from .run import score_matrix

    try:
        result = score_matrix(config, registry, matrix).result
    except AandachtError as error:
        return {}, [("warning", "coherence", f"correlaties niet berekend: {error}")]
    checks = coherence(result, config.coherence)
    lone = lone_indicators(result, config.framework, config.method, config.coherence.weak)
    strong = checks.indicator_flags["flag"] == "strong"
    problems = [("info", "coherence", note) for note in flag_notes(checks.pairs.iloc[:0], checks.indicator_flags[strong])]
    problems += [("warning", "coherence", note) for note in flag_notes(checks.pairs, checks.indicator_flags[~strong])]
    problems += [("warning", "coherence", f"{d.indicator} is de enige indicator van domein {d.node} ({d.nominal:.0%} van de "
                  f"score) en hangt zwak samen met de rest van de index (r = {fixed_nl(d.r_rest, 2)}, niet boven de grens "
                  f"coherence.weak: {config.coherence.weak}): één maat bepaalt het aandeel van dat domein in de rangorde")
                 for d in lone]
    return {"correlation_flags": checks.flagged_pairs, "indicator_flags": checks.indicator_flags}, problems
