"""How well a ranking finds the areas professionals know need attention (``aandacht validate``).

The analyst gives a list of *known* areas (previous designations, a programme's areas, a GGD's
list: codes or names, matched as every input matches names, :class:`aandacht.inputs.harmonise.AreaMatcher`
with the aliases of the config's inputs). Over the scored areas, with n1 known and n0 other areas,
each ranking (higher score = more attention) is measured by:

* **rank AUC** (Mann-Whitney U / (n1 n0); Hanley & McNeil 1982): the chance that a known area
  scores higher than another area, ties counting one half,
  AUC = (R1 - n1 (n1 + 1) / 2) / (n1 n0) with R1 the sum of the known areas' mid-ranks (ascending);
  0.5 is chance, 1 a ranking that puts every known area first;
* **hit rate** (``trefkans``): the share of the known areas in the designated set, the top k
  (rank <= k with ties sharing the lowest rank, as the scorer ranks), and the **precision**: the
  share of the top k that is known;
* **median percentile** of the known areas, percentile = (mid-rank ascending - 1) / (n - 1) x 100:
  100 = the highest score, 0 = the lowest.

k is ``designation.top_k`` of the config, else the number of known scored areas (then hit rate and
precision are equal: R-precision); ``--top-k`` overrides either, and the output says which rule gave k.

Baselines on the same areas: every single indicator of the framework (its value before imputation
and treatment, times its direction), the share of low-income households (KWB ``p_hh_li``) and
bijstand per 1,000 inwoners (KWB ``a_soz_wb / a_inw``) where the data hold them, and a random
designation (expected values: AUC 0.5, hit rate k / n, precision n1 / n, median percentile 50). A
KWB baseline that ranks the areas exactly as a framework indicator does is not listed twice. A
baseline without a value for some area is measured on the areas it has (column ``gebieden``); a known
area it has no value for is never in its top k.

**Bootstrap intervals** (percentile method, 95%, ``draws`` resamples, seeded): the known areas and
the other areas are each resampled with replacement (a stratified bootstrap, as for the AUC in
Hanley & McNeil's setting); the AUC is recomputed on every resample, and hit rate and median
percentile over the resampled known areas (the designated set stays that of the full ranking). The
same resamples serve every ranking, so ``verschil_auc`` (index minus baseline) has a paired interval.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from ..inputs.harmonise import AreaMatcher, read_aliases
from ..inputs.reading import fail_at_first, read_table
from .run import ScoreRun

VALIDATION_SEED = 20240601
DEFAULT_DRAWS = 1000
KNOWN_COLUMNS = ("area", "area_code", "gebied", "wijk", "naam", "name")
# KWB variables for the baselines the issue names: (label, numerator, denominator, scale).
KWB_BASELINES = (
    ("Huishoudens met laag inkomen (KWB p_hh_li)", "p_hh_li", None, 1.0),
    ("Personen met bijstand per 1.000 inwoners (KWB a_soz_wb / a_inw)", "a_soz_wb", "a_inw", 1000.0),
)


@dataclass(frozen=True)
class KnownAreas:
    """The known list matched to the registry: ``matches`` has one row per label (label, area_code,
    area_name, method, score, line); ``codes`` the distinct codes in file order."""

    path: Path
    matches: pd.DataFrame
    codes: list[str]
    notes: list[str] = field(default_factory=list)


def read_known(path: Path, run: ScoreRun) -> KnownAreas:
    """Read a list of known areas: a CSV or workbook with a column ``area`` (or ``area_code``,
    ``gebied``, ``wijk``, ``naam``, ``name``: codes or names). Every label must match exactly one area
    of the scored level (code, name, alias, fuzzy); an unmatched or ambiguous label, or an empty list,
    is an error naming the file and row."""
    path = Path(path)
    table = read_table(path)
    column = next((c for c in KNOWN_COLUMNS if c in table.columns), None)
    if column is None:
        raise DataError(f"{path}: the list of known areas needs a column {' or '.join(KNOWN_COLUMNS)}; "
                        f"found {', '.join(map(str, table.columns))}")
    labels = table[column].fillna("").astype(str).str.strip()
    fail_at_first(labels == "", table.index, path, lambda i: "empty area", column)
    config = run.config
    known = set(run.registry.table.index)
    aliases: dict[str, str] = {}
    for spec in config.inputs.values():
        if spec.aliases:
            aliases.update(read_aliases(spec.aliases, known))
    threshold = min((spec.fuzzy_threshold for spec in config.inputs.values()), default=90.0)
    matched = AreaMatcher(run.registry, aliases, threshold).match(labels, level=config.level)
    by_label = matched.set_index("label")
    codes = labels.map(by_label["area_code"])
    methods = labels.map(by_label["method"])
    fail_at_first(codes == "", table.index, path,
                  lambda i: f"{labels.iloc[i]!r} is {methods.iloc[i]} among the {config.level}en of the registry", column)
    notes = [f"{path}: {row.label!r} bij benadering gekoppeld aan {row.area_code} {row.area_name} ({row.score:.0f})"
             for row in matched[matched["method"] == "fuzzy"].itertuples()]
    doubles = codes[codes.duplicated()]
    notes += [f"{path}: {code} staat er meer dan eens in; één keer geteld" for code in dict.fromkeys(doubles)]
    return KnownAreas(path, matched, list(dict.fromkeys(codes)), notes)


def mid_ranks(values: np.ndarray) -> np.ndarray:
    """Ascending ranks 1..n with ties given their mean rank (NaN stays NaN)."""
    return pd.Series(values).rank(method="average").to_numpy()


def rank_auc(scores: np.ndarray, known: np.ndarray) -> float:
    """Mann-Whitney rank AUC (module docstring) of ``scores`` for the boolean mask ``known``, over the
    present scores; NaN when either group is empty."""
    present = ~np.isnan(scores)
    s, k = scores[present], known[present]
    n1, n0 = int(k.sum()), int((~k).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    r1 = mid_ranks(s)[k].sum()
    return float((r1 - n1 * (n1 + 1) / 2) / (n1 * n0))


def percentiles(scores: np.ndarray) -> np.ndarray:
    """(mid-rank ascending - 1) / (n - 1) x 100 over the present scores: 100 = highest, 0 = lowest."""
    out = np.full(scores.shape, np.nan)
    present = ~np.isnan(scores)
    n = int(present.sum())
    if n > 1:
        out[present] = (mid_ranks(scores[present]) - 1) / (n - 1) * 100
    return out


def in_top(scores: np.ndarray, k: int) -> np.ndarray:
    """Rank <= k, ranks descending with ties sharing the lowest rank (as the scorer); missing never."""
    ranks = pd.Series(scores).rank(ascending=False, method="min").to_numpy()
    return np.nan_to_num(ranks, nan=np.inf) <= k


@dataclass(frozen=True)
class Validation:
    """The result of :func:`validate`.

    ``table``: one row per ranking (the index, each baseline, random), columns ``maat``, ``soort``
    (index / indicator / KWB / toeval), ``gebieden``, ``bekend``, ``auc`` with ``auc_laag``/``auc_hoog``,
    ``gevonden``, ``trefkans`` with interval, ``precisie``, ``mediaan_percentiel`` with interval,
    ``verschil_auc`` (index minus this ranking) with interval. ``areas``: per known area its rank, percentile,
    whether it is in the top k, and why it is not evaluated (not scored)."""

    table: pd.DataFrame
    areas: pd.DataFrame
    top_k: int
    k_rule: str
    n_areas: int
    n_known: int
    draws: int
    seed: int
    notes: list[str] = field(default_factory=list)


def baseline_scores(run: ScoreRun, scored: pd.Index) -> list[tuple[str, str, pd.Series]]:
    """(label, kind, score per scored area, higher = more attention) of every baseline that the data
    hold: each framework indicator (raw value x direction, before imputation and treatment), then the
    KWB variables of :data:`KWB_BASELINES`."""
    values = run.matrix.values.reindex(scored)
    out = []
    for indicator in run.config.framework.indicators:
        if indicator.id in values.columns:
            out.append((indicator.label or indicator.id, "indicator", values[indicator.id] * indicator.direction))
    tidy = run.tidy[run.tidy["area_code"].isin(scored)]
    for label, numerator, denominator, scale in KWB_BASELINES:
        series = _kwb_variable(tidy, numerator, denominator, scale, scored)
        same = [name for name, _, other in out if series is not None and _same_order(series, other)]
        if series is not None and not same:
            out.append((label, "KWB", series))
    return out


def _same_order(a: pd.Series, b: pd.Series) -> bool:
    """True when two baselines have the same missing areas and the same ranks (a KWB baseline that
    repeats a framework indicator is not listed twice)."""
    if not a.isna().equals(b.isna()):
        return False
    return bool(a.rank(method="average").equals(b.rank(method="average")))


def _kwb_variable(tidy: pd.DataFrame, numerator: str, denominator: str | None, scale: float,
                  scored: pd.Index) -> pd.Series | None:
    """``numerator`` (or numerator / denominator x scale) from the newest source and period that has
    it for any scored area; None when no input holds it."""
    wanted = [numerator] if denominator is None else [numerator, denominator]
    rows = tidy[tidy["indicator"].isin(wanted)]
    candidates = rows.groupby(["period", "source"])["indicator"].agg(lambda x: set(x) >= set(wanted))
    candidates = candidates[candidates]
    if candidates.empty:
        return None
    period, source = sorted(candidates.index)[-1]
    chosen = rows[(rows["period"] == period) & (rows["source"] == source)]
    table = chosen.pivot_table(index="area_code", columns="indicator", values="value", aggfunc="first")
    table = table.reindex(index=scored, columns=wanted)
    if denominator is None:
        return table[numerator]
    den = table[denominator].where(table[denominator] > 0)
    return table[numerator] / den * scale


def validate(run: ScoreRun, known: KnownAreas, top_k: int | None = None, draws: int = DEFAULT_DRAWS,
             seed: int = VALIDATION_SEED) -> Validation:
    """Measure the run's ranking and the baselines against the known areas (module docstring)."""
    index = run.result.index.dropna()
    scored = index.index
    names = run.matrix.areas["area_name"]
    unscored = [c for c in known.codes if c not in scored]
    positives = np.asarray(scored.isin(known.codes))
    n1, n = int(positives.sum()), len(scored)
    if n1 == 0:
        raise DataError(f"{known.path}: none of the {len(known.codes)} known area(s) is scored, nothing to validate")
    if n1 == n:
        raise DataError(f"{known.path}: every scored area is on the list; a ranking cannot be measured against it")
    rules = run.config.designation
    if top_k is not None:
        k, rule = top_k, "--top-k"
    elif rules is not None and rules.top_k is not None:
        k, rule = rules.top_k, "designation.top_k van de config"
    else:
        k, rule = n1, "het aantal bekende gebieden (de config heeft geen designation.top_k)"
    rng = np.random.default_rng(seed)
    pos_idx, neg_idx = np.flatnonzero(positives), np.flatnonzero(~positives)
    w1 = np.stack([np.bincount(rng.integers(0, n1, n1), minlength=n1) for _ in range(draws)]).astype("float64")
    w0 = np.stack([np.bincount(rng.integers(0, n - n1, n - n1), minlength=n - n1) for _ in range(draws)]).astype("float64")
    picks = np.stack([np.repeat(np.arange(n1), w.astype(int)) for w in w1])  # the resampled known areas

    rankings = [(run.config.framework.index.label or run.config.framework.index.id, "index", index)]
    rankings += baseline_scores(run, scored)
    rows, index_auc_draws = [], None
    for label, kind, series in rankings:
        s = series.reindex(scored).to_numpy(dtype="float64")
        present = ~np.isnan(s)
        sp, sn = s[pos_idx], s[neg_idx]
        pair = (sp[:, None] > sn[None, :]) + 0.5 * (sp[:, None] == sn[None, :])
        valid = (~np.isnan(sp))[:, None] & (~np.isnan(sn))[None, :]
        pair = np.where(valid, pair, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            auc_draws = np.einsum("bi,ij,bj->b", w1, pair, w0) / np.einsum("bi,ij,bj->b", w1, valid.astype(float), w0)
        top = in_top(s, k)
        auc = rank_auc(s, positives)
        hits = top[pos_idx].astype(float)
        pct = percentiles(s)[pos_idx]
        hit_draws = w1 @ hits / n1
        with warnings.catch_warnings():  # a resample of known areas without any value: NaN, left out
            warnings.simplefilter("ignore", RuntimeWarning)
            pct_draws = np.nanmedian(pct[picks], axis=1)
        if kind == "index":
            index_auc_draws = auc_draws
        diff = index_auc_draws - auc_draws
        rows.append({
            "maat": label, "soort": kind, "gebieden": int(present.sum()), "bekend": int((present & positives).sum()),
            "auc": auc, **_interval("auc", auc_draws),
            "gevonden": int(hits.sum()), "trefkans": float(hits.mean()), **_interval("trefkans", hit_draws),
            "precisie": float(hits.sum() / top.sum()) if top.sum() else float("nan"),
            "mediaan_percentiel": float(np.nanmedian(pct)) if np.isfinite(pct).any() else float("nan"),
            **_interval("mediaan_percentiel", pct_draws),
            "verschil_auc": (rows[0]["auc"] - auc) if rows else 0.0,
            **(_interval("verschil_auc", diff) if rows else {"verschil_auc_laag": 0.0, "verschil_auc_hoog": 0.0}),
        })
    rows.append({"maat": "Toeval (verwachting)", "soort": "toeval", "gebieden": n, "bekend": n1, "auc": 0.5,
                 "gevonden": n1 * min(k, n) / n, "trefkans": min(k, n) / n, "precisie": n1 / n,
                 "mediaan_percentiel": 50.0, "verschil_auc": rows[0]["auc"] - 0.5})
    table = pd.DataFrame(rows)
    ranks = run.result.rank
    pct_index = pd.Series(percentiles(index.to_numpy()), index=scored)
    top_index = pd.Series(in_top(index.to_numpy(), k), index=scored)
    areas = pd.DataFrame({"area_code": known.codes})
    areas["area_name"] = [names.get(c, "") for c in known.codes]
    areas["rang"] = [ranks.get(c) for c in known.codes]
    areas["percentiel"] = [pct_index.get(c) for c in known.codes]
    areas["in_top_k"] = [bool(top_index.get(c, False)) for c in known.codes]
    reasons = run.matrix.areas["reason"]
    areas["opmerking"] = ["" if c in scored else (reasons.get(c) or "niet gescoord") for c in known.codes]
    notes = list(known.notes)
    if unscored:
        notes.append(f"{len(unscored)} bekend(e) gebied(en) niet gescoord, buiten de maten gelaten: {', '.join(unscored)}")
    for row in rows[1:]:
        if row["gebieden"] < n:
            notes.append(f"vergelijkingsmaat {row['maat']!r} heeft een waarde voor {row['gebieden']} van de {n} gescoorde "
                         "gebieden; op die gemeten")
    return Validation(table, areas, k, rule, n, n1, draws, seed, notes)


def _interval(name: str, draws: np.ndarray) -> dict[str, float]:
    """The 2.5th and 97.5th percentile of the bootstrap draws (NaN draws left out)."""
    finite = draws[np.isfinite(draws)]
    if finite.size == 0:
        return {f"{name}_laag": float("nan"), f"{name}_hoog": float("nan")}
    low, high = np.percentile(finite, [2.5, 97.5])
    return {f"{name}_laag": float(low), f"{name}_hoog": float(high)}
