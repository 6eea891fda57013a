"""Selection of Plus-IKCs: need, eligibility, continuity, and the integer program.

Need of IKC i (config ``selection.need``), each component scaled to 0-100:

    per_pupil_i = 100 * s_i / leerlingen_i      scaled by the maximum over all IKCs
    total_i     = s_i                            scaled by the maximum over all IKCs
    wijk_i      = composite score of i's wijk    min-max over the scored wijken (0 if unscored)
    share_i     = 100 * share of i's pupils living in an aandachtsgebied (pupil-origin table)
    need_i      = sum_c w_c * component_c,i / sum_c w_c

with s the CBS achterstandsscore column chosen in ``need.score_column``, or, where the IKCs' figures
are the Inspectie's schoolweging w (a pupil-weighted mean of about 20 to 40, see
:mod:`aandacht.decide.ikc`),

    s_i = leerlingen_i * max(0, w_i - 20)

the expected disadvantage above the bottom of the Inspectie's scale (its three-year sheet clamps the
schoolweging to [20, 40]) summed over the pupils, so that per_pupil is 100 (w - 20) and total
weighs the number of children as the CBS score does. 100 is the highest IKC of the gemeente, so
thresholds read as "share of the top".

Eligible as a new Plus-IKC: located in an aandachtsgebied (its vestiging, or a further teaching location
of the school: :func:`aandacht.decide.ikc.location_gebieden`; such an IKC can cover each gebied it stands
in, ``ook_gebied`` names the others), or at least ``eligible_pupil_share`` of its pupils lives in one; need >= ``continuity.entry_need``;
and not special education when ``special_education: exclude``. The coverage constraint
("every aandachtsgebied gets a Plus-IKC where it has an eligible one") counts the
candidates located in the gebied.

Continuity (the programme rule: "om continuiteit en rust te bieden" a Plus predicate lasts
four years, re-examined every two years): for a Plus-IKC of the previous round with start
year t and this round R,

* R < t + term_years and need >= exit_need: keeps the predicate (fixed in), status voortgezet;
* R < t + term_years and need < exit_need: loses it (fixed out), status beeindigd: situatie
  veranderd, with the need components that changed (old -> new);
* R >= t + term_years: competes again as any candidate; chosen -> opnieuw aangewezen
  (new term from R), else beeindigd: termijn voorbij.

exit_need < entry_need (hysteresis), so a small movement of the figures does not move
money back and forth. Marked monitoren (on watch): a Plus-IKC with need < exit_need +
watch_margin, and an IKC in an aandachtsgebied that is not Plus with entry_need -
watch_margin <= need < entry_need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ..config import SelectionRules
from ..dutch import fixed_nl
from ..errors import ConfigError
from ..text import first_of
from .ikc import IkcRegistry, ikc_gebied, location_gebieden, on_schoolweging, pupil_share
from .optimise import Problem, Solution, explain, solve

SCHOOLWEGING_FLOOR = 20.0  # the bottom of the Inspectie's schoolweging scale (module docstring)
COMPONENTS = ("score_per_pupil", "score_total", "wijk_score", "pupil_share")
COMPONENT_LABELS = {
    "score_per_pupil": "achterstandsscore per 100 leerlingen",
    "score_total": "achterstandsscore totaal",
    "wijk_score": "score van de wijk",
    "pupil_share": "% leerlingen uit aandachtsgebieden",
    "need": "behoefte",
}


@dataclass
class PreviousPlus:
    """A Plus-IKC of the previous round: start year and its need figures then."""

    brin_vestiging: str
    name: str
    start_year: int
    figures: dict[str, float] = field(default_factory=dict)


@dataclass
class SelectionResult:
    """The choice. ``figures``: per IKC its figures, need, eligibility, status and start year. The marginal
    values and the constraints' gains (:func:`aandacht.decide.optimise.explain`: a re-solve per constraint and
    per candidate) are computed on the first use of ``ikcs`` (``figures`` with ``marginale_waarde``) or
    ``constraints``, so that a herijking computes them while its maps, which need neither, are drawn."""

    figures: pd.DataFrame
    problem: Problem
    solution: Solution
    n_plus: int
    notes: list[str] = field(default_factory=list)

    @property
    def objective(self) -> float:
        return self.solution.objective

    @cached_property
    def _explained(self) -> tuple[pd.DataFrame, pd.Series]:
        return explain(self.problem, self.solution)

    @property
    def constraints(self) -> pd.DataFrame:
        return self._explained[0]

    @cached_property
    def ikcs(self) -> pd.DataFrame:
        marginal = self._explained[1].reindex(self.figures["brin_vestiging"])
        return self.figures.assign(marginale_waarde=marginal.to_numpy())


def scaled_to_max(values: pd.Series) -> pd.Series:
    """100 * x / max(x); zero when every value is zero."""
    top = values.max()
    return values * 0 if not top or np.isnan(top) else 100 * values / top


def school_score(table: pd.DataFrame, column: str) -> pd.Series:
    """s_i of the module docstring: from the schoolweging where the IKCs have one, else the CBS column."""
    if on_schoolweging(table):
        return table["leerlingen"] * (table["schoolweging"] - SCHOOLWEGING_FLOOR).clip(lower=0)
    return table[column]


def need_table(ikcs: IkcRegistry, rules: SelectionRules, wijk_scores: pd.Series, share: pd.Series) -> pd.DataFrame:
    """Raw figures, scaled components and need per IKC (module docstring)."""
    weights = rules.need
    table = ikcs.table
    column = weights.score_column
    if weights.pupil_share > 0 and share.isna().all():
        raise ConfigError("selection.need.pupil_share has a weight but no pupil-origin table is given (ikc.pupil_origin)")
    pupils = table["leerlingen"].where(table["leerlingen"] > 0)
    scored = wijk_scores.dropna()
    span = scored.max() - scored.min() if len(scored) else 0.0
    wijk = (wijk_scores - scored.min()) / span * 100 if span else wijk_scores * 0
    out = pd.DataFrame(index=table.index)
    out["achterstandsscore"] = school_score(table, column)
    out["per_100_leerlingen"] = 100 * out["achterstandsscore"] / pupils
    out["wijkscore"] = table["wijk_code"].map(wijk_scores)
    out["aandeel_uit_gebieden"] = 100 * share
    components = {
        "score_per_pupil": scaled_to_max(out["per_100_leerlingen"]),
        "score_total": scaled_to_max(out["achterstandsscore"]),
        "wijk_score": table["wijk_code"].map(wijk).fillna(0.0),
        "pupil_share": out["aandeel_uit_gebieden"].fillna(0.0),
    }
    total_weight = sum(getattr(weights, c) for c in COMPONENTS)
    need = sum(getattr(weights, c) * components[c] for c in COMPONENTS) / total_weight
    for c in COMPONENTS:
        out[c] = components[c]
    out["need"] = need.where(out["achterstandsscore"].notna() & out["per_100_leerlingen"].notna())
    return out


def _figure(value: float) -> str:
    """A figure with one decimal and a decimal comma; 'onbekend' when it is missing."""
    return "onbekend" if np.isnan(value) else fixed_nl(value)


def changed_figures(old: dict[str, float | None], new: pd.Series) -> str:
    """'behoefte 42,1 -> 18,3; score van de wijk 80,0 -> 40,0' for the figures that changed
    (a missing figure, in the round record or now, is 'onbekend')."""
    parts = []
    for key in ("need", *COMPONENTS):
        before, after = (np.nan if value is None else float(value) for value in (old.get(key), new.get(key)))
        if not np.isclose(before, after, equal_nan=True):
            parts.append(f"{COMPONENT_LABELS[key]} {_figure(before)} -> {_figure(after)}")
    return "; ".join(parts)


def in_term_rules(previous: dict[str, PreviousPlus], table: pd.DataFrame, rules: SelectionRules, round_year: int):
    """The continuity rule for Plus-IKCs within their term (module docstring).

    Returns (fixed_in, fixed_out, status, start year, explanation) for those IKCs; IKCs
    whose term is over are left to compete.
    """
    continuity = rules.continuity
    fixed_in, fixed_out, status, start, why = set(), set(), {}, {}, {}
    for brin, plus in previous.items():
        if brin not in table.index or round_year >= plus.start_year + continuity.term_years:
            continue
        need = table.at[brin, "need"]
        if not np.isnan(need) and need >= continuity.exit_need:
            fixed_in.add(brin)
            status[brin], start[brin] = "voortgezet", plus.start_year
        else:
            fixed_out.add(brin)
            status[brin] = "beëindigd: situatie veranderd"
            reason = "geen behoeftecijfer" if np.isnan(need) else f"behoefte onder de uitstapdrempel {continuity.exit_need:g}"
            why[brin] = f"{reason}: " + changed_figures(plus.figures, table.loc[brin])
    return fixed_in, fixed_out, status, start, why


def board_limits(rules: SelectionRules, candidate_boards: pd.Series, all_boards: pd.Series) -> dict:
    """Minimum and maximum per school board among the candidates: ``boards`` for every
    board, overridden per board name by ``board_limits``; unconstrained boards are left out."""
    unknown = sorted(set(rules.board_limits) - set(all_boards))
    if unknown:
        raise ConfigError(f"selection.board_limits names board(s) {unknown} that are not in the IKC registry; "
                          f"boards: {sorted(set(all_boards))}")
    limits = {board: (rules.boards.min, rules.boards.max) for board in sorted(set(candidate_boards))}
    limits.update({board: (limit.min, limit.max) for board, limit in rules.board_limits.items() if board in limits})
    return {board: limit for board, limit in limits.items() if limit != (0, None)}


def select_plus(
    ikcs: IkcRegistry,
    rules: SelectionRules,
    gebieden: dict[str, list[str]],
    registry,
    wijk_scores: pd.Series,
    round_year: int,
    previous: list[PreviousPlus] | None = None,
    pupil_origin: pd.DataFrame | None = None,
) -> SelectionResult:
    """Compute need and eligibility, apply continuity and solve (module docstring); explained on first use
    (:class:`SelectionResult`)."""
    continuity = rules.continuity
    notes = list(ikcs.notes)
    share = pupil_share(pupil_origin, ikcs, gebieden, registry)
    table = ikcs.table.loc[:, ["brin_vestiging", "name", "bevoegd_gezag", "kinderopvang_partner", "wijk_code",
                               "buurt_code", "speciaal_onderwijs", "leerlingen"]].copy()
    table["gebied"] = ikc_gebied(ikcs, gebieden, registry)
    elsewhere = location_gebieden(ikcs, gebieden, registry)
    served = table["gebied"].map(lambda g: [g] if g else []) + elsewhere
    table["gebied"] = table["gebied"].where(table["gebied"] != "", elsewhere.map(lambda g: g[0] if g else ""))
    table["ook_gebied"] = [", ".join(g for g in gs if g != main) for gs, main in zip(served, table["gebied"])]
    table = table.join(need_table(ikcs, rules, wijk_scores, share))
    unscored = sorted(set(table.loc[table["wijk_code"] != "", "wijk_code"]) - set(wijk_scores.dropna().index))
    if rules.need.wijk_score > 0 and unscored:
        notes.append(f"wijk(en) {', '.join(unscored)} zonder score; het wijkdeel van de behoefte van hun IKC's is 0")
    missing_need = table.index[table["need"].isna()].tolist()
    if missing_need:
        notes.append(f"geen behoeftecijfer (geen score of geen leerlingen) voor {', '.join(map(str, missing_need))}; die kunnen niet gekozen worden")
    by_share = table["aandeel_uit_gebieden"].fillna(-1) >= 100 * rules.eligible_pupil_share
    located = (table["gebied"] != "") | by_share
    special_out = table["speciaal_onderwijs"] & (rules.special_education == "exclude")
    table["in_gebied_of_leerlingen"] = located
    table["boven_instapdrempel"] = table["need"].fillna(-np.inf) >= continuity.entry_need
    table["verkiesbaar"] = located & table["boven_instapdrempel"] & ~special_out
    table["reden_niet_verkiesbaar"] = np.select(
        [table["need"].isna(), ~located, ~table["boven_instapdrempel"], special_out],
        ["geen behoeftecijfer", "niet in een aandachtsgebied", "behoefte onder de instapdrempel",
         "speciaal onderwijs uitgesloten"], "")
    previous_by_id = {p.brin_vestiging: p for p in previous or []}
    gone = sorted(set(previous_by_id) - set(table.index))
    if gone:
        notes.append(f"Plus-IKC('s) {gone} van de vorige ronde staan niet meer in het IKC-register")
    fixed_in, fixed_out, status, start, why = in_term_rules(previous_by_id, table, rules, round_year)
    candidates = table.index[table["verkiesbaar"] | table.index.isin(list(fixed_in))]
    eligible = table.loc[candidates]
    cover = {gebied: [b for b in eligible.index if gebied in served[b]] for gebied in gebieden} \
        if rules.cover_every_gebied else {}
    problem = Problem(
        need=eligible["need"].fillna(0.0), n=rules.n_plus, cover=cover, boards=eligible["bevoegd_gezag"],
        board_limits=board_limits(rules, eligible["bevoegd_gezag"], table["bevoegd_gezag"]),
        fixed_in=frozenset(fixed_in), fixed_out=frozenset(fixed_out & set(candidates)),
    )
    lacking = sorted(b for b, limit in rules.board_limits.items() if limit.min > 0 and b not in problem.board_limits)
    if lacking:
        notes.append(f"bestuur/besturen {lacking} met een minimum maar zonder kandidaat-IKC; hun minimum kan niet gelden")
    without = sorted(g for g, members in cover.items() if not members)
    if without:
        notes.append(f"{len(without)} aandachtsgebied(en) zonder verkiesbaar IKC, dus de dekking kan er niet voor gelden: "
                     f"{first_of(without)}")
    solution = solve(problem)
    if len(solution.chosen) < rules.n_plus:
        notes.append(f"maar {len(solution.chosen)} van de {rules.n_plus} plaatsen voor een Plus-IKC gevuld: "
                     f"er zijn maar {len(candidates)} kandidaten (verkiesbaar of voortgezet)")
    chosen = set(solution.chosen)
    for brin in table.index:
        if brin in status:
            continue
        plus = previous_by_id.get(brin)
        if brin in chosen:
            status[brin] = "opnieuw aangewezen" if plus else "nieuw"
            start[brin] = round_year
        elif plus:
            status[brin] = "beëindigd: termijn voorbij"
            reason = table.at[brin, "reden_niet_verkiesbaar"]
            why[brin] = (f"termijn {plus.start_year}-{plus.start_year + continuity.term_years} voorbij, niet opnieuw "
                         f"gekozen{': ' + reason if reason else ''}")
        else:
            status[brin] = "kandidaat, niet gekozen" if brin in candidates else "geen Plus-IKC"
    table["plus_ikc"] = table.index.isin(list(chosen))
    table["status"] = pd.Series(status)
    table["startjaar"] = pd.Series(start, dtype="Int64").reindex(table.index)
    table["toelichting"] = pd.Series(why, dtype=object).reindex(table.index).fillna(table["reden_niet_verkiesbaar"])
    near_exit = table["plus_ikc"] & (table["need"] < continuity.exit_need + continuity.watch_margin)
    near_entry = ~table["plus_ikc"] & located & table["need"].between(
        continuity.entry_need - continuity.watch_margin, continuity.entry_need, inclusive="left")
    table["monitoren"] = near_exit | near_entry
    table = table.sort_values(["plus_ikc", "need"], ascending=[False, False])
    return SelectionResult(table.reset_index(drop=True), problem, solution, rules.n_plus, notes)
