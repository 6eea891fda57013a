"""A statistical audit of the index as the JRC audits one (OECD/JRC Handbook 2008, sections 1.4-1.5
and step 7; Saisana, Saltelli and Tarantola 2005, "Uncertainty and sensitivity analysis techniques
as tools for the quality assessment of composite indicators", JRSS A 168; COINr ``get_corr``,
``get_cronbach``, ``remove_elements`` and ``get_str_weak`` for the semantics).

On the normalised indicators (higher = more risk) of the scored areas:

* **internal consistency** per domain (a child of the index): Cronbach's alpha of its indicators
  (:func:`aandacht.scoring.coherence.domain_alpha`; 0.7 or more is the usual sign that they measure one
  thing; undefined for a domain of one indicator);
* **correlations** (Pearson, pairwise complete): each indicator with its domain's score and with the
  index, each domain with the index;
* **leave one out** (COINr ``remove_elements``): the index recomputed without each indicator and
  without each domain of two or more indicators, from the same normalised values and weights (a removed item's weight goes to its
  siblings, as for a missing value; a domain left without indicators drops out), and every area's rank
  shift = rank without - rank with (positive: further down the list). Per removed item: the mean and
  largest absolute shift and, with ``designation.top_k`` = k, the areas that enter or leave the top k;
* **strongest and weakest indicators** per area (COINr ``get_str_weak``): the indicators on which the
  area ranks highest (most risk) and lowest among the scored areas, from its values before imputation
  and treatment with their direction (ranks descending, ties sharing the lowest rank).

The item whose removal shifts the ranks most *drives* the ranking (the Dutch paragraph:
:func:`aandacht.present.phrases.audit_paragraph`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .coherence import domain_alpha, domain_of
from .composite import index_without, rank_descending
from .run import ScoreRun

STRENGTHS_SHOWN = 3


@dataclass(frozen=True)
class Audit:
    """The audit tables (module docstring).

    ``domains``: domain, label, indicators, complete_areas, cronbach_alpha, r_index.
    ``indicators``: indicator, label, domain, domain_label, r_domain, r_index.
    ``shifts``: per scored area (area_code, area_name, rang) one column ``zonder <id>`` per removed item.
    ``summary``: per removed item: item, kind (indicator / domein), label, mean_abs_shift, max_abs_shift,
    area_max_shift (its name), entered, left (names of the areas entering or leaving the top k).
    ``strengths``: per scored area: area_code, area_name, rang, hoogste_risico, laagste_risico.
    ``top_k``: k of the designation (None without ``designation.top_k``)."""

    domains: pd.DataFrame
    indicators: pd.DataFrame
    shifts: pd.DataFrame
    summary: pd.DataFrame
    strengths: pd.DataFrame
    top_k: int | None


def _corr(a: pd.Series, b: pd.Series) -> float:
    both = a.notna() & b.notna()
    if both.sum() < 3 or a[both].std() == 0 or b[both].std() == 0:
        return float("nan")
    return float(np.corrcoef(a[both], b[both])[0, 1])


def audit(run: ScoreRun) -> Audit:
    """Every table of the audit (module docstring); computed once per run (``run.derived``)."""
    if "audit" not in run.derived:
        run.derived["audit"] = _audit(run)
    return run.derived["audit"]


def _audit(run: ScoreRun) -> Audit:
    result = run.result
    scored = result.index.notna()
    x = result.normalised.loc[scored]
    index = result.index.loc[scored]
    tree, domains = result.tree, domain_of(result)
    nodes = result.nodes.loc[scored]
    columns = pd.concat([x, nodes], axis=1)
    domain_table = domain_alpha(x, result)
    domain_table["r_index"] = [_corr(columns[d], index) for d in domain_table["domain"]]
    indicator_table = pd.DataFrame([{
        "indicator": leaf, "label": tree.labels[leaf], "domain": domains[leaf], "domain_label": tree.labels[domains[leaf]],
        "r_domain": _corr(x[leaf], columns[domains[leaf]]), "r_index": _corr(x[leaf], index)} for leaf in tree.leaves])

    rules = run.config.designation
    k = rules.top_k if rules is not None else None
    names = run.matrix.areas["area_name"]
    rank = result.rank.loc[scored].astype("float64")
    items = [(leaf, "indicator", {leaf}) for leaf in tree.leaves]
    groups = {d: {leaf for leaf in tree.leaves if domains[leaf] == d} for d in tree.top_level}
    items += [(d, "domein", leaves) for d, leaves in groups.items() if len(leaves) > 1]  # one indicator: listed above
    shifts = pd.DataFrame({"area_code": index.index, "area_name": names.reindex(index.index).to_numpy(),
                           "rang": result.rank.loc[scored].to_numpy()}, index=index.index)
    summary = []
    for item, kind, removed in items:
        without = rank_descending(index_without(result, run.config.framework, run.config.method, removed).loc[scored]).astype("float64")
        shift = without - rank
        shifts[f"zonder {item}"] = shift.astype("Int64")
        moved = shift.abs()
        worst = moved.idxmax() if moved.notna().any() else None
        row = {"item": item, "kind": kind, "label": tree.labels[item], "mean_abs_shift": float(moved.mean()),
               "max_abs_shift": float(moved.max()), "area_max_shift": names.get(worst, "") if worst else ""}
        if k is not None:
            before, after = rank <= k, without <= k
            row["entered"] = ", ".join(names.reindex(index.index[after & ~before]))
            row["left"] = ", ".join(names.reindex(index.index[before & ~after]))
        summary.append(row)
    summary_table = pd.DataFrame(summary)
    return Audit(domain_table, indicator_table, shifts.sort_values(["rang", "area_code"]).reset_index(drop=True),
                 summary_table, strengths(run), k)


def strengths(run: ScoreRun, shown: int = STRENGTHS_SHOWN) -> pd.DataFrame:
    """Per scored area the ``shown`` indicators on which it ranks highest (most risk) and lowest among
    the scored areas ('Jongeren met jeugdzorg (1e van 21)'), values before imputation and treatment."""
    result = run.result
    scored = result.index.notna()
    spec = {i.id: i for i in run.config.framework.indicators}
    values = run.matrix.values.reindex(index=result.index.index[scored], columns=list(result.tree.leaves))
    risk = values * pd.Series({leaf: spec[leaf].direction for leaf in values.columns})
    ranks = risk.rank(ascending=False, method="min")
    counts = risk.notna().sum().to_numpy()
    labels = [result.tree.labels[leaf] for leaf in ranks.columns]
    rows = []
    for code, row in zip(ranks.index, ranks.to_numpy()):  # per area its ranks, on arrays (pandas per row: 1 ms an area)
        known = np.flatnonzero(~np.isnan(row))
        present = known[np.argsort(row[known], kind="stable")]  # the columns by rank, ties in column order
        n = min(shown, len(present) // 2)

        def text(columns):
            return "; ".join(f"{labels[c]} ({int(row[c])}e van {int(counts[c])})" for c in columns)

        rows.append({"area_code": code, "area_name": run.matrix.areas.at[code, "area_name"], "rang": result.rank[code],
                     "hoogste_risico": text(present[:n]), "laagste_risico": text(present[::-1][:n])})
    table = pd.DataFrame(rows, columns=["area_code", "area_name", "rang", "hoogste_risico", "laagste_risico"])
    return table.sort_values(["rang", "area_code"]).reset_index(drop=True)


def audit_sheets(found: Audit) -> dict[str, pd.DataFrame]:
    """The audit as sheets of scores.xlsx: ``audit domains``, ``audit indicators``, ``leave one out``
    (summary), ``rank shifts`` and ``strengths weaknesses``."""
    return {"audit domains": found.domains, "audit indicators": found.indicators, "leave one out": found.summary,
            "rank shifts": found.shifts, "strengths weaknesses": found.strengths}
