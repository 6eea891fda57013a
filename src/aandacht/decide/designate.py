"""Designation of aandachtsgebieden from a scoring run.

Rules (config ``designation``, model :class:`aandacht.config.DesignationRules`): an area
of the scored level is designated when

    scored  and  population >= min_population
    and ( [rank <= top_k] and [score >= min_score] and [probability >= min_probability]
          and [in hard core, if consensus = required]
          or  [in hard core, if consensus = sufficient] )

where a bracketed rule that is not configured is true. ``probability`` (the probability
of designation under the uncertainty analysis) and ``hard_core`` (areas in the top k of
at least m monitors) are optional inputs: a rule that needs them when they are not
given is an error, never skipped.

Designated areas are then gathered into aandachtsgebieden: a configured group (several
wijken, or buurten of a wijk, with the name used in the bestuurlijk overleg) replaces
its members when ``any``/``all`` of the scored areas it touches are designated. With
``combine: adjoining`` the other designated areas whose polygons touch (EPSG:28992) form one gebied
(a contiguous group: designated buurten side by side are one neighbourhood in the overleg, as
Leeuwarden took two adjoining wijken together), within one parent area: a chain of touching buurten
across wijken grows into a district (Leeuwarden at buurt level: 14 designated buurten of 5 wijken in one
chain); with ``combine: parent`` those with the same parent area (the buurten of one CBS wijk) do, for
projects without polygons. Every other designated area is a
gebied of its own, named after the area. A combined gebied of two or three areas is named after them
("Bloemhof en Hillesluis"), of more, or of areas whose names only repeat their parent's ("Delfshaven, buurt
21"), after their parent areas and their number ("Feijenoord (5 buurten)").
Without ``combine``, contiguous groups of adjoining designated areas, and every adjoining pair, are
suggested as candidate groups, not applied.

Every designated area carries its reasons: among the indicators where the area is worse than the
gemeente (than the median of the areas where no gemeente value is published), those with the largest
contribution to its score (nominal effective weight x normalised value, OECD/JRC Handbook 2008, step 8
"decomposition"), each with its raw value, the gemeente value where the data hold it, and
the value for Nederland where the data hold it (the NL00 row of Kerncijfers Wijken en Buurten), and
the median over the scored areas.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..config import DesignationRules
from ..dutch import list_nl, number_nl
from ..errors import ConfigError
from ..inputs.matrix import NEDERLAND
from ..inputs.plausible import is_count_unit, suppressed
from ..scoring.run import ScoreRun


@dataclass
class DesignationResult:
    """Per area the rule outcome, the gebieden formed, adjoining suggestions and reasons."""

    areas: pd.DataFrame  # index area_code: area_name, rank, score, probability, hard_core, population, designated, gebied
    gebieden: pd.DataFrame  # gebied, areas (";"-joined codes), area_names, designated_members, reasons
    suggestions: pd.DataFrame  # kind (samenhangend gebied / aangrenzend paar), areas, area_names
    reasons: pd.DataFrame  # long: area_code, order, indicator, label, value, unit, gemeente, median, normalised, contribution
    notes: list[str] = field(default_factory=list)

    def gebied_members(self) -> dict[str, list[str]]:
        """gebied name -> member area codes."""
        return {row.gebied: row.areas.split(";") for row in self.gebieden.itertuples()}


def apply_rules(
    scores: pd.Series,
    population: pd.Series,
    rules: DesignationRules,
    probability: pd.Series | None = None,
    hard_core: pd.Series | None = None,
) -> pd.DataFrame:
    """Evaluate the designation rules (module docstring) per area.

    ``scores`` is indexed by area code (NaN = not scored); ``population`` is the figure of
    the population gate. Returns one column per rule (True/False) and ``designated``.
    """
    if rules.min_probability is not None and probability is None:
        raise ConfigError("designation.min_probability is set, but no probability of designation is available "
                          "(configure the uncertainty analysis, or remove the rule)")
    if rules.consensus != "ignore" and hard_core is None:
        raise ConfigError(f"designation.consensus is '{rules.consensus}', but no hard core of the monitors is available "
                          "(configure the consensus analysis, or set consensus: ignore)")
    codes = scores.index
    rank = scores.rank(ascending=False, method="min")
    table = pd.DataFrame({"rank": rank.astype("Int64"), "score": scores}, index=codes)
    table["population"] = population.reindex(codes)
    table["probability"] = probability.reindex(codes) if probability is not None else np.nan
    table["hard_core"] = hard_core.reindex(codes).fillna(False).astype(bool) if hard_core is not None else False
    scored = scores.notna()
    table["rule_population"] = scored & (
        True if rules.min_population is None else table["population"].fillna(-np.inf) >= rules.min_population)
    table["rule_top_k"] = scored & (True if rules.top_k is None else rank <= rules.top_k)
    table["rule_min_score"] = scored & (True if rules.min_score is None else scores >= rules.min_score)
    table["rule_probability"] = scored & (
        True if rules.min_probability is None else table["probability"].fillna(-np.inf) >= rules.min_probability)
    ranked_rules = table["rule_top_k"] & table["rule_min_score"] & table["rule_probability"]
    if rules.consensus == "required":
        chosen = ranked_rules & table["hard_core"]
    elif rules.consensus == "sufficient":
        any_ranked_rule = rules.top_k is not None or rules.min_score is not None or rules.min_probability is not None
        chosen = (ranked_rules if any_ranked_rule else False) | (table["hard_core"] & scored)
    else:
        chosen = ranked_rules
    table["designated"] = (table["rule_population"] & chosen).astype(bool)
    return table


def scored_area_of(code: str, registry, level: str) -> str:
    """The area at the scored ``level`` that ``code`` is or lies in ('' when none)."""
    table = registry.table
    if code not in table.index:
        return ""
    if table.at[code, "level"] == level:
        return code
    return next((a for a in registry.ancestors(code) if table.at[a, "level"] == level), "")


PLURALS = {"wijk": "wijken", "buurt": "buurten"}


def combined_name(members: list[str], registry, level: str, names: pd.Series) -> str:
    """The name of a combined gebied (module docstring): its areas' names when two or three that say more than
    their parent's name, else the names of their parent areas (most members first) and the number of areas (a
    name that begins with its wijk's, such as 'Delfshaven, buurt 21' made from the code, adds nothing)."""
    parent_of = registry.parents
    own = [str(names.get(c, c)) for c in members]
    if len(members) == 1:
        return own[0]
    if len(members) <= 3 and not all(registry.name(parent_of.get(c, "")) and name.startswith(registry.name(parent_of[c]))
                                     for c, name in zip(members, own)):
        return list_nl(own)
    parents = [p for p, _ in Counter(parent_of.get(c, "") for c in members).most_common() if p]
    return f"{list_nl(registry.name(p) or p for p in parents)} ({len(members)} {PLURALS.get(level, 'gebieden')})"


def combined(codes: list[str], how: str | None, registry, geometry=None) -> list[list[str]]:
    """``codes`` (in rank order) in the gebieden ``how`` (``designation.combine``) makes of them, each in rank
    order: connected groups of touching polygons with the same parent (:func:`adjoining_components`; an area
    without polygon alone), areas with the same parent, or each alone."""
    parent_of = registry.parents
    if how == "adjoining":
        family: dict[str, list[str]] = {}
        for code in codes:
            family.setdefault(parent_of.get(code, ""), []).append(code)
        component = {c: f"{parent} {n}" for parent, members in family.items()
                     for n, group in enumerate(adjoining_components(members, geometry)) for c in group}
        key = {c: component.get(c, c) for c in codes}
    elif how == "parent":
        key = {c: parent_of.get(c, "") or c for c in codes}
    else:
        key = {c: c for c in codes}
    groups: dict[object, list[str]] = {}
    for code in codes:
        groups.setdefault(key[code], []).append(code)
    return list(groups.values())


def form_gebieden(designated: list[str], rules: DesignationRules, registry, level: str, names: pd.Series,
                  geometry=None) -> pd.DataFrame:
    """Gather designated areas into named gebieden (module docstring); ``geometry`` (indexed by area code) is
    needed with ``combine: adjoining``. Gebieden are in the order of their best-ranked area (``designated``'s)."""
    rows, covered = [], set()
    for group in rules.groups:
        unknown = [a for a in group.areas if a not in registry.table.index]
        if unknown:
            raise ConfigError(f"designation.groups '{group.name}': area code(s) {unknown} are not in the area registry")
        touched = []
        for code in group.areas:
            parent = scored_area_of(code, registry, level)
            if not parent:
                raise ConfigError(f"designation.groups '{group.name}': area {code} is not at or below level '{level}'")
            if parent not in touched:
                touched.append(parent)
        hits = [a for a in touched if a in designated]
        if (group.designate_when == "any" and hits) or (group.designate_when == "all" and len(hits) == len(touched)):
            rows.append({"gebied": group.name, "areas": ";".join(group.areas),
                         "area_names": "; ".join(registry.name(a) for a in group.areas),
                         "designated_members": ";".join(hits)})
            covered.update(touched)
    used = {row["gebied"] for row in rows}
    for members in combined([c for c in designated if c not in covered], rules.combine, registry, geometry):
        name = unique = combined_name(members, registry, level, names)
        number = 1
        while unique in used:  # two gebieden of one wijk, or a name a configured group has
            number += 1
            unique = f"{name} ({number})"
        used.add(unique)
        rows.append({"gebied": unique, "areas": ";".join(members),
                     "area_names": "; ".join(str(names.get(c, c)) for c in members), "designated_members": ";".join(members)})
    return pd.DataFrame(rows, columns=["gebied", "areas", "area_names", "designated_members"])


def adjoining_components(codes: list[str], geometry) -> list[list[str]]:
    """Connected groups (size >= 2) of ``codes`` whose polygons touch (EPSG:28992).

    Two areas adjoin when their polygons touch (share boundary) or, for slightly
    overlapping generalised shapes, overlap: shapely ``intersects`` covers both. Components are found by
    breadth-first search and returned sorted, each sorted by code.
    """
    present = [c for c in codes if c in geometry.index]
    shapes = geometry.loc[present, "geometry"]
    neighbours = {c: [d for d in present if d != c and shapes[c].intersects(shapes[d])] for c in present}
    seen, components = set(), []
    for start in sorted(present):
        if start in seen:
            continue
        queue, component = [start], []
        seen.add(start)
        while queue:
            current = queue.pop(0)
            component.append(current)
            for other in neighbours[current]:
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
        if len(component) > 1:
            components.append(sorted(component))
    return sorted(components)


def adjoining_components_pairs(codes: list[str], geometry) -> list[list[str]]:
    """Every pair of ``codes`` whose polygons adjoin (same test as :func:`adjoining_components`)."""
    ordered = sorted(c for c in codes if c in geometry.index)
    return [[a, b] for n, a in enumerate(ordered) for b in ordered[n + 1:]
            if geometry.at[a, "geometry"].intersects(geometry.at[b, "geometry"])]


def gemeente_values(run: ScoreRun) -> pd.Series:
    """Each indicator's value for the gemeente as a whole, where the input holds a gemeente row."""
    return run.reference(run.config.gemeente.code)["value"]


def national_values(run: ScoreRun) -> pd.Series:
    """Each indicator's value for Nederland, where the input holds the Nederland row (NL00)."""
    return run.reference(NEDERLAND)["value"]


def worse_than_reference(value: float, gemeente: float, median: float, direction: int) -> bool:
    """True when ``value`` points to more risk than the gemeente's value (direction +1: higher, -1: lower),
    or, where the gemeente value is not published, than the median of the areas."""
    reference = median if pd.isna(gemeente) else gemeente
    return not pd.isna(value) and not pd.isna(reference) and direction * (value - reference) > 0


def area_reasons(run: ScoreRun, codes: list[str], count: int) -> pd.DataFrame:
    """The ``count`` indicators contributing most to each area's score among those where the area is worse
    than the gemeente (:func:`worse_than_reference`; module docstring). The one source of an area's reasons:
    ``redenen.csv``, ``aandachtsgebieden.csv``, the terminal and the report (page 1, the ranking's "vooral door"
    and the profiles).

    ``shown`` is the value as it may be published: a count of people under ``report.suppress_below`` is
    scored as the middle of its class (:func:`aandacht.inputs.plausible.published_class`), so its value is
    left empty and shown as the class '<N' (CBS, "Statistische beveiliging"; README "Privacy")."""
    result = run.result
    weights = result.tree.nominal_effective_weights()
    normalised = result.normalised
    raw = run.matrix.values
    gemeente = gemeente_values(run)
    nederland = national_values(run)
    median = raw.loc[normalised.index].median()
    spec = {i.id: i for i in run.config.framework.indicators}
    threshold = run.config.report.suppress_below
    rows = []
    for code in codes:
        contribution = {i: weights[i] * normalised.at[code, i] for i in normalised.columns
                        if worse_than_reference(raw.at[code, i], gemeente[i], median[i], spec[i].direction)}
        for order, (indicator, part) in enumerate(_largest_first(contribution)[:count], 1):
            value = raw.at[code, indicator]
            shown = suppressed(value, threshold) if is_count_unit(spec[indicator].unit) else value
            hidden = isinstance(shown, str)
            rows.append({
                "area_code": code, "order": order, "indicator": indicator, "label": spec[indicator].label,
                "value": np.nan if hidden else value, "shown": shown if hidden else number_nl(value),
                "unit": spec[indicator].unit, "gemeente": gemeente[indicator],
                "nederland": nederland[indicator], "median": median[indicator], "normalised": normalised.at[code, indicator], "contribution": part,
            })
    columns = ["area_code", "order", "indicator", "label", "value", "shown", "unit", "gemeente", "nederland", "median",
               "normalised", "contribution"]
    return pd.DataFrame(rows, columns=columns)


def _largest_first(parts: dict[str, float]) -> list[tuple[str, float]]:
    """``parts`` without NaN, largest first, equal ones in the order ``pd.Series(parts).dropna().sort_values(
    ascending=False)`` gives them (pandas' descending sort: NumPy's quicksort of the reversed values, that order
    reversed), on arrays: a Series per area cost half a millisecond an area."""
    names = [name for name, part in parts.items() if not np.isnan(part)]
    values = np.array([parts[name] for name in names], dtype="float64")
    order = np.arange(len(values))[::-1][values[::-1].argsort(kind="quicksort")][::-1]
    return [(names[i], values[i]) for i in order]


def reason_text(rows: pd.DataFrame, level: str = "wijk") -> str:
    """Dutch one-line reasons, e.g. 'Jongeren met jeugdzorg 21,3 % (gemeente 12,0; Nederland 10,9; mediaan wijken 11,5)'
    (the median of the scored areas of ``level``: wijken, buurten), each value as :func:`area_reasons` shows it."""
    parts = []
    for row in rows.itertuples():
        reference = [f"gemeente {number_nl(row.gemeente)}"] if not np.isnan(row.gemeente) else []
        nederland = getattr(row, "nederland", np.nan)
        reference += [f"Nederland {number_nl(nederland)}"] if not np.isnan(nederland) else []
        reference.append(f"mediaan {PLURALS.get(level, 'gebieden')} {number_nl(row.median)}")
        parts.append(f"{row.label} {row.shown} {row.unit} ({'; '.join(reference)})".replace("  ", " "))
    return "; ".join(parts)


def designate(
    run: ScoreRun,
    rules: DesignationRules,
    probability: pd.Series | None = None,
    hard_core: pd.Series | None = None,
) -> DesignationResult:
    """Apply the rules to a scoring run, form gebieden, suggest adjoining groups, give reasons."""
    areas = run.matrix.areas
    scores = run.result.index.reindex(areas.index)
    table = apply_rules(scores, areas["population"], rules, probability, hard_core)
    table.insert(0, "area_name", areas["area_name"])
    designated = [c for c in table.sort_values(["rank", "score"]).index if table.at[c, "designated"]]
    notes = []
    geometry = None
    if rules.combine is not None and any(run.registry.parents.get(c) == run.config.gemeente.code for c in designated):
        raise ConfigError(f"designation.combine joins areas within their parent area, but the parent of the scored "
                          f"{run.config.level} areas is the gemeente {run.config.gemeente.code}: all would be one gebied "
                          "(name groups of wijken in designation.groups instead)")
    if rules.combine == "parent" and designated:
        notes.append(f"designation.combine: parent: de aangewezen {PLURALS.get(run.config.level, 'gebieden')} van één bovenliggend gebied "
                     "vormen samen één aandachtsgebied, of ze aan elkaar grenzen of niet (met polygonen voegt combine: "
                     "adjoining alleen aangrenzende samen)")
    if rules.combine == "adjoining" and designated:
        if run.registry.geometry_path is None:
            raise ConfigError("designation.combine is 'adjoining', but the config has no polygons (areas.geometry): "
                              "give them, or set combine: parent (the designated areas of one parent area form one gebied)")
        geometry = run.registry.geometry()
        lacking = [c for c in designated if c not in geometry.index]
        if lacking:
            notes.append(f"geen polygoon voor {', '.join(lacking)}: elk is een eigen aandachtsgebied (designation.combine)")
    gebieden = form_gebieden(designated, rules, run.registry, run.config.level, areas["area_name"], geometry)
    gebied_of = {code: row.gebied for row in gebieden.itertuples() for code in row.areas.split(";")}
    for row in gebieden.itertuples():
        for code in row.areas.split(";"):
            parent = scored_area_of(code, run.registry, run.config.level)
            gebied_of.setdefault(parent, f"{row.gebied} (deels)")
    table["gebied"] = [gebied_of.get(c, "") for c in table.index]
    reasons = area_reasons(run, designated, rules.reasons)
    texts = {code: reason_text(rows, run.config.level) for code, rows in reasons.groupby("area_code")}
    table["redenen"] = [texts.get(c, "") for c in table.index]
    gebieden["redenen"] = [" | ".join(f"{run.registry.name(c)}: {texts.get(c) or 'geen indicator slechter dan de gemeente'}"
                                      for c in row.designated_members.split(";"))
                           for row in gebieden.itertuples()]
    suggestions = []
    if rules.suggest_adjoining and len(designated) > 1:
        geometry = run.registry.geometry()
        lacking = [c for c in designated if c not in geometry.index]
        if lacking:
            notes.append(f"geen polygoon voor {', '.join(lacking)}: niet meegenomen in de suggesties voor aangrenzende groepen")
        components = adjoining_components(designated, geometry)
        pairs = [pair for component in components for pair in adjoining_components_pairs(component, geometry)]
        for kind, groups in (("samenhangend gebied", components), ("aangrenzend paar", pairs)):
            for group in groups:
                suggestions.append({"kind": kind, "areas": ";".join(group),
                                    "area_names": " + ".join(run.registry.name(c) for c in group)})
    suggestion_table = pd.DataFrame(suggestions, columns=["kind", "areas", "area_names"])
    return DesignationResult(table, gebieden, suggestion_table, reasons, notes)
