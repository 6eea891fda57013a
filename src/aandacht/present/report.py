"""The Dutch report for the bestuurlijk overleg: self-contained HTML, and PDF.

Written for the people who decide (aldermen, school boards, childcare organisations), not
for analysts: page 1 is the bestuurlijke samenvatting (the round, the aandachtsgebieden with
one plain reason each, the Plus-IKC's with their school boards and what changed, the gebieden
without a Plus-IKC and why, and what the reader should know about robustness); then the map,
the ranking (landscape), the other maps, a profile per aandachtsgebied in rank order, the
trend over the rounds, the Plus-IKC proposal; the appendices hold the solver's constraints
(with BRIN codes) and the method, first in plain Dutch, then the formulas.

The designation, selection, uncertainty and comparison results are optional inputs
(:class:`aandacht.present.overlays.Overlays`); what is not given is left out and named in one
line on page 1, never shown as an empty block. Without aandachtsgebieden the
``report.profile_top`` highest-ranked areas get a profile.

HTML: one file, maps embedded as PNG, no external resources, so it opens offline. PDF: the
same HTML set in type by Typst (:mod:`aandacht.present.typeset`).

Disclosure control: every count shown (households with children, numerators, denominators,
pupils, and the value of an indicator whose unit counts people) goes through :func:`suppress`:
counts under ``report.suppress_below`` are printed as "<N". Secondary suppression
(:func:`disclosed_counts`): where a numerator is "<N", its denominator is "x", and so is the rate
when its denominator is shown elsewhere, so that no suppressed count can be recomputed. Counts never
appear in free text. Only area- and school-level figures are shown.

Reason for an area's score ("vooral door"), one rule for page 1, the ranking and the profiles
(:func:`aandacht.decide.designate.area_reasons`): among the indicators on which the area is worse than
the gemeente (than the middle area where no gemeente value is published), those with the largest
contribution w_i * x_ai to its score (w_i the nominal effective weight, the product of normalised
weights along the indicator's path; x_ai the normalised value); page 1 and the ranking show the first,
the profiles the first three.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ..decide.designate import area_reasons
from ..dutch import MISSING_LABELS, dutch_date, dutch_number, list_nl
from ..inputs.boundaries import boundaries_missing
from ..inputs.matrix import NEDERLAND, population_of
from ..inputs.plausible import SECONDARY, is_count_unit
from ..scoring.audit import audit
from ..scoring.dominance import dominance
from ..scoring.run import ScoreRun
from . import method_text
from .drawing import Drawn, draw_all
from .maps import (
    DEMONSTRATION_PARTS,
    PROBABILITY_CLASSES,
    MapFrame,
    map_builders,
    map_frame,
    plus_change,
    score_classes,
    sources,
    years_text,
)
from .orientation import ATTRIBUTION_GEMEENTEN, ATTRIBUTION_PLAATSEN, load_layers
from .overlays import Overlays, is_true, text_column
from .phrases import (
    area_words,
    audit_paragraph,
    dominance_lines,
    indicatief_lines,
    lower_first,
    percent,
    short_label,
    unit_for,
    with_unit,
)
from .tables import TREATMENT_ACTIONS

REPORT_DPI = 150  # maps drawn at more than EMBED_MAX_DPI are scaled down to this for the report
EMBED_MAX_DPI = 200  # up to this resolution the report embeds the same PNG as the map file
# The map pages' margins (top, right, bottom, left, mm; the page number in the bottom one): an A4
# map (210 mm wide) fills the 200 mm between them, at MAP_SCALE, so that its 7.5 pt labels print
# at 7.1 pt and its 6.5 pt source line at 6.2 pt (present/maps.py FONTS).
MAP_MARGINS_MM = (5, 5, 9, 5)
MAP_SCALE = (210 - MAP_MARGINS_MM[1] - MAP_MARGINS_MM[3]) / 210
# Page 1 fits one A4 page (tests/test_report.py) also for a large gemeente (Tilburg: 14 gebieden, 17 Plus-IKC's):
PAGE_ONE_PLUS = 10  # at most this many Plus-IKC's in page 1's table; all of them in "Voorstel Plus-IKC's"
PAGE_ONE_ROWS = 18  # lines of page 1's two tables together: the Plus-IKC table gets what the gebieden leave
PAGE_ONE_PLUS_MIN = 3  # the Plus-IKC table shows at least this many rows on page 1
PAGE_ONE_GEBIEDEN = 16  # more aandachtsgebieden than this: page 1 shows the first 15, the ranking has them all
PROFILE_REASONS = 3  # a profile names an area's first three reasons ("De score komt vooral door: ...")
PAGE_ONE_WHY = 160  # characters: a longer "zonder Plus-IKC" paragraph names the gebieden on page 1, the reasons go
                    # to "Voorstel Plus-IKC's"
PAGE_ONE_DOUBT = 4  # at most this many "minder zeker" areas named on page 1; all in the table's column zekerheid
PAGE_ONE_NAMES = 5  # more unscored areas than this are counted on page 1, named in the ranking
PAGE_ONE_DOMINANCE = 1  # at most this many weight warnings on page 1; all of them in appendix B.3
# The report template's name for each map of :func:`aandacht.present.maps.map_builders`.
IMAGE_KEYS = {"kaart-score": "score", "kaart-domeinen": "domains", "kaart-indicatoren": "indicators",
              "kaart-kans": "probability", "kaart-verandering": "change"}
SENSE = {"<=": "ten hoogste", ">=": "ten minste", "==": "precies", "=": "precies"}
PLUS_CHANGE_WORDS = {"nieuw": "nieuw", "blijft": "blijft", "eraf": "stopt"}
# The continuity status of decide.select as the report words it against the previous round.
CONTINUITY_WORDS = {"nieuw": "nieuw Plus-IKC", "voortgezet": "blijft Plus-IKC", "opnieuw aangewezen": "opnieuw Plus-IKC"}
RANKING_CHANGE = {"entered": "nieuw", "stayed": "blijft", "left": "niet meer"}  # aandachtsgebied against the previous round


def suppress(value: float | None, threshold: int) -> str:
    """A count for publication: '' when unknown, '<threshold' when under it, else the
    count with a Dutch thousands separator."""
    if value is None or pd.isna(value):
        return ""
    if value < threshold:
        return f"<{threshold}"
    return dutch_number(float(value), 0)


def disclosed_counts(indicator, config, value, numerator, threshold: int) -> set[str]:
    """What a profile row must also leave out (secondary suppression, as CBS does it) when the
    numerator, a count of people, is under ``threshold`` and so shown as "<N": the denominator
    (rate x denominator would give the numerator back: "teller <10, noemer 25, 36,0%" is 9), and
    also the rate when its denominator is shown elsewhere in the profile (the population of the gate,
    in the area's heading). Empty when nothing is under the threshold."""
    if pd.isna(numerator) or numerator >= threshold or threshold <= 0:
        return set()
    gate = config.population
    shown_elsewhere = (gate is not None and indicator.denominator is not None
                       and indicator.denominator == gate.variable and indicator.input == gate.input)
    return {"denominator", "value"} if shown_elsewhere and pd.notna(value) else {"denominator"}


def _fmt(value, decimals: int = 1) -> str:
    return "" if value is None or pd.isna(value) else dutch_number(float(value), decimals)


_list = list_nl  # 'A, B en C' (aandacht.dutch)


@dataclass
class ReportData:
    """Everything the template shows, computed once. ``frame`` is None for a project without polygons of its
    areas (``areas.geometry``): the report is then written without maps, and ``shown`` holds its overlays
    (:func:`report_data`)."""

    run: ScoreRun
    frame: MapFrame | None
    manifest: dict
    constraints: pd.DataFrame | None = None  # the selection's constraints (aandacht.decide.select)
    placement: dict | None = None  # unplaced schools with a score and their cost (aandacht.present.placement)
    shown: Overlays | None = None  # the overlays of a report without maps

    @property
    def config(self):
        return self.run.config

    @property
    def overlays(self) -> Overlays:
        return self.frame.overlays if self.frame is not None else self.shown or Overlays()

    @cached_property
    def unscored(self) -> pd.Series:
        """Per area (every scored-level area, drawn or not): '' (scored), 'gate' (not scored: too few of the
        population) or 'nodata' (no score for want of figures)."""
        gate = ~self.run.matrix.areas["scored"].astype(bool)
        nodata = self.run.result.index.reindex(gate.index).isna() & ~gate
        return pd.Series(np.where(gate, "gate", np.where(nodata, "nodata", "")), index=gate.index)

    @property
    def threshold(self) -> int:
        return self.config.report.suppress_below

    @property
    def level_plural(self) -> str:
        return f"{self.config.level}en"

    @cached_property
    def names(self) -> pd.Series:
        return self.run.matrix.areas["area_name"]

    @cached_property
    def median(self) -> pd.Series:
        scored = self.run.result.index.notna()
        return self.run.matrix.values.loc[scored[scored].index].median()

    @cached_property
    def gemeente(self) -> pd.DataFrame:
        return self.run.reference(self.config.gemeente.code)

    @cached_property
    def nederland(self) -> pd.DataFrame:
        """The Nederland row (NL00, Kerncijfers Wijken en Buurten) where an input holds it."""
        return self.run.reference(NEDERLAND)

    @cached_property
    def indicators(self) -> dict:
        return {i.id: i for i in self.config.framework.indicators}

    @cached_property
    def dominance(self) -> list:
        """The nodes whose real share of the score is off their weight (:mod:`aandacht.scoring.dominance`)."""
        return dominance(self.run.result, self.config.report.dominance_factor)

    @cached_property
    def weight_lines(self) -> list[str]:
        return dominance_lines(self.run, self.dominance)

    @cached_property
    def ranked(self) -> int:
        return int(self.run.result.rank.notna().sum())

    @cached_property
    def probability(self) -> pd.Series:
        table = self.overlays.robustness
        return pd.Series(dtype="float64") if table is None else table.set_index("area_code")["p_designated"]

    def rank(self, code: str):
        value = self.run.result.rank.get(code)
        return None if value is None or pd.isna(value) else int(value)

    def gebied_rank(self, name: str) -> float:
        """The best rank of the gebied's members (inf when none is ranked), found once per gebied (the
        gebieden's order, the IKC tables and the profiles ask some fifty times)."""
        if name not in self._gebied_ranks:
            ranks = [self.rank(c) for c in self.overlays.members(name)]
            self._gebied_ranks[name] = min([r for r in ranks if r is not None], default=np.inf)
        return self._gebied_ranks[name]

    @cached_property
    def _gebied_ranks(self) -> dict[str, float]:
        """:meth:`gebied_rank`'s answers so far."""
        return {}

    def gebieden(self) -> list[str]:
        """The aandachtsgebieden in the order of their best-ranked member."""
        return sorted(self.overlays.gebied_names(), key=self.gebied_rank)

    @cached_property
    def _reasons(self) -> pd.DataFrame:
        """The first three reasons of every scored area (:func:`aandacht.decide.designate.area_reasons`),
        computed once (page 1, the ranking and the profiles ask per area)."""
        return area_reasons(self.run, list(self.run.result.normalised.index), PROFILE_REASONS)

    @cached_property
    def _first_reasons(self) -> pd.DataFrame:
        """The first reason of every scored area, indexed by area code."""
        return self._reasons[self._reasons["order"] == 1].set_index("area_code")

    @cached_property
    def _reason_labels(self) -> dict[str, list[str]]:
        return self._reasons.groupby("area_code", sort=False)["label"].agg(list).to_dict()

    def reason_labels(self, code: str) -> list[str]:
        """The labels of ``code``'s reasons in order (at most :data:`PROFILE_REASONS`; none when the area is
        worse than the gemeente on no indicator)."""
        return self._reason_labels.get(code, [])

    def reason(self, code: str) -> str:
        """'Jongeren met jeugdzorg: 18,5% (gemeente 13,2%)': the first reason of
        :func:`aandacht.decide.designate.area_reasons`, the one source of reasons, with the value it is worse
        than (the gemeente's; the middle area's where no gemeente value is published). Page 1 has room for
        one reference; the profiles give Nederland's too."""
        if code not in self._first_reasons.index:
            return ""
        row = self._first_reasons.loc[code]
        label = short_label(row["label"])
        unit = unit_for(label, row["unit"])
        references = [f"gemeente {with_unit(row['gemeente'], unit)}"] if not pd.isna(row["gemeente"]) else \
            [f"middelste {self.config.level} {with_unit(row['median'], unit)}"]
        shown = row["shown"] if pd.isna(row["value"]) else with_unit(row["value"], unit)  # '<10' for a suppressed count
        return f"{label}: {shown} ({references[0]})"


# --- page 1 ---------------------------------------------------------------------------

PAGE_ONE_MEMBERS = 3  # a combined gebied's row on page 1 names its first three areas, then counts the rest
NAME_LINE, MEMBER_LINE, REASON_LINE = 22, 28, 62  # characters a line of page 1's gebied columns holds on A4


def _first_of(names: list[str], shown: int, where: str = "") -> str:
    """'A, B en C', or with more than ``shown`` names the first of them and how many others ('A, B, C en 2
    andere'), followed by ``where`` they all are."""
    if len(names) <= shown:
        return _list(names)
    return ", ".join(names[:shown]) + f" en {len(names) - shown} andere{where}"


def _members_line(names: list[str]) -> str:
    """'Kop van Zuid - Entrepot, Bloemhof, Afrikaanderwijk en 1 andere': the areas of a gebied on page 1 (all
    of them are in the ranking and the profiles)."""
    return _first_of(names, PAGE_ONE_MEMBERS)


def _row_lines(gebied: dict) -> int:
    """The lines a gebied's row takes in page 1's table: its name and, beneath it, its areas, or its reason
    if that is longer (NAME_LINE, MEMBER_LINE, REASON_LINE characters a line); the page-1 budget
    (PAGE_ONE_ROWS) counts lines, not rows."""
    def lines(text: str, width: int) -> int:
        return -(-len(text) // width)

    return max(1, lines(gebied["name"], NAME_LINE) + lines(gebied["members"], MEMBER_LINE),
               lines(gebied["reason"], REASON_LINE))


def _ikcs(data: ReportData) -> pd.DataFrame:
    ikcs = data.overlays.ikcs
    return pd.DataFrame(columns=["name", "status", "area_code"]) if ikcs is None else ikcs


def _gebied_of_ikc(data: ReportData, row) -> str:
    gebied = str(row.get("gebied", "") or "")
    if gebied and gebied != "nan":
        return gebied
    return data.overlays.gebied_of().get(row.get("area_code", ""), "")


def plus_rows(data: ReportData) -> list[dict]:
    """The Plus-IKC's (and, with a previous round, those that stop) with board, gebied and change."""
    ikcs = _ikcs(data)
    change = text_column(ikcs, "continuity").map(plus_change)
    shown = ikcs[(ikcs["status"] == "plus-ikc") | ((change == "eraf") & (data.overlays.previous_year is not None))]
    rows = []
    for index, row in shown.iterrows():
        what = change.get(index)
        also = [g for g in str(row.get("ook_gebied", "") or "").split(", ") if g and g != "nan"]
        rows.append({"name": row["name"], "board": str(row.get("bestuur", "") or ""),
                     "gebied": _gebied_of_ikc(data, row), "also": also,
                     "change": PLUS_CHANGE_WORDS.get(what, "") if data.overlays.previous_year else "",
                     "plus": row["status"] == "plus-ikc", "rank": data.gebied_rank(_gebied_of_ikc(data, row))
                     if _gebied_of_ikc(data, row) else np.inf})
    return sorted(rows, key=lambda r: (not r["plus"], r["rank"], r["name"]))


def unplaced_ikcs(data: ReportData) -> list[str]:
    """Names of the IKCs (schools) without a location: they cannot count for any gebied."""
    ikcs = _ikcs(data)
    if "x_rd" not in ikcs.columns:
        return []
    area = text_column(ikcs, "area_code").fillna("").astype(str)
    return list(ikcs.loc[ikcs["x_rd"].isna() & (area.str.strip() == ""), "name"])


def without_plus(data: ReportData) -> list[dict]:
    """Each aandachtsgebied without a Plus-IKC, and why (from the IKC table)."""
    ikcs = _ikcs(data)
    if data.overlays.ikcs is None:
        return []
    rows = []
    for name in data.gebieden():
        members = data.overlays.members(name)
        also = text_column(ikcs, "ook_gebied").fillna("").astype(str)
        inside = ikcs[text_column(ikcs, "area_code").isin(members)
                      | (text_column(ikcs, "gebied") == name)
                      | also.map(lambda text: name in text.split(", "))]
        if (inside["status"] == "plus-ikc").any():
            continue
        if inside.empty:
            why = "er staat geen school met een bekende locatie in dit gebied"
        elif (inside["status"] == "candidate").any():
            why = "de scholen die in aanmerking komen, hebben minder behoefte dan de gekozen Plus-IKC's elders"
        else:
            reasons = sorted({str(r) for r in text_column(inside, "reason").fillna("") if str(r)})
            count = len(inside)
            why = (f"{'de school' if count == 1 else f'de {count} scholen'} in dit gebied ({_list(list(inside['name']))}) "
                   f"{'komt' if count == 1 else 'komen'} niet in aanmerking" + (f" ({_list(reasons)})" if reasons else ""))
        rows.append({"gebied": name, "why": why})
    return rows


def no_plus_sentence(data: ReportData) -> str:
    """Why the proposal holds no Plus-IKC at all: no school has a place in a {level} (then none can lie in an
    aandachtsgebied), no school stands in the aandachtsgebieden, or none there qualifies."""
    ikcs = _ikcs(data)
    area = text_column(ikcs, "area_code").fillna("").astype(str).str.strip()
    gebied = text_column(ikcs, "gebied").fillna("").astype(str).str.strip()
    if not len(ikcs) or (area == "").all():
        why = (f"geen van de {len(ikcs)} scholen heeft een plaats in een {data.config.level}, dus ligt er geen in een "
               "aandachtsgebied" + (" (zie hierboven)" if data.frame is None else ""))
    elif data.overlays.gebieden is not None and not ((gebied != "") | area.isin(data.overlays.gebieden["area_code"])).any():
        why = "er staat geen school met een bekende plaats in de aandachtsgebieden"
    else:
        why = "geen van de scholen in de aandachtsgebieden komt in aanmerking"
    return f"Er kon geen Plus-IKC worden voorgesteld: {why}."


def robustness_lines(data: ReportData) -> list[str]:
    """What an alderman should know about how certain the designation is, in plain Dutch."""
    p = data.probability
    if p.empty or data.overlays.gebieden is None:
        return []
    members = [c for g in data.gebieden() for c in data.overlays.members(g)]
    sure = [c for c in members if p.get(c, 0) >= 0.95]
    doubt = sorted((c for c in members if p.get(c, 0) < 0.95), key=lambda c: -p.get(c, 0))
    outside = p.drop(index=[c for c in members if c in p.index]).sort_values(ascending=False)
    lines = [f"Zekerheid: {len(sure)} van de {len(members)} {data.level_plural} {'is' if len(sure) == 1 else 'zijn'} "
             "aandachtsgebied bij 95% of meer van de verdedigbare methodekeuzes (kolom zekerheid)."]
    if doubt:
        named = [f"{data.names[c]} ({percent(p[c], 0)})" for c in doubt]
        lines.append(f"Minder zeker: {_first_of(named, PAGE_ONE_DOUBT, ' (zie de ranglijst, kolom kans)')}.")
    close = outside[outside >= 0.05]
    if len(close):
        lines.append("Net buiten de aandachtsgebieden: " + _list([f"{data.names[c]} ({percent(v, 0)})"
                                                                  for c, v in close.head(3).items()]) + ".")
    return lines


def change_lines(data: ReportData) -> list[str]:
    """What changed since the previous round: gebieden and Plus-IKC's."""
    ov = data.overlays
    if ov.changes is None:
        return []
    names = data.names
    by = {c: [names[a] for a in ov.changes.loc[ov.changes["change"] == c, "area_code"]] for c in ("entered", "left")}
    gebieden = (f"Nieuw aandachtsgebied: {_list(by['entered']) or 'geen'}; niet langer aandachtsgebied: "
                f"{_list(by['left']) or 'geen'}.")
    rows = plus_rows(data)
    new = [r["name"] for r in rows if r["change"] == "nieuw"]
    stop = [r["name"] for r in rows if r["change"] == "stopt"]
    plus = (f"Plus-IKC's: {len(new)} nieuw" + (f" ({_list(new)})" if 0 < len(new) <= 4 else "")
            + f", {len(stop)} {'stopt' if len(stop) == 1 else 'stoppen'}" + (f" ({_list(stop)})" if stop else "") + ".")
    # nothing changed: one line for both (page 1 has room for little)
    return [f"{gebieden} {plus}"] if not (by["entered"] or by["left"] or new or stop) else [gebieden, plus]


def scale_sentence(data: ReportData) -> str:
    """', van 12,3 tot 97,5': what the scores of this round run from and to (the composite of indicators each
    scaled 0-100 reaches 100 only for an area that is the worst on every indicator)."""
    scores = data.run.result.index.dropna()
    return f", van {_fmt(scores.min())} tot {_fmt(scores.max())}" if len(scores) else ""


# The population figure that stands in for "kinderen van 0-12 jaar" on page 1, and what to say about it: the
# Kerncijfers Wijken en Buurten publish no age band 0-12 per wijk (only 0-15 at gemeente level in other
# extracts); the shipped extracts hold households with children (a_hh_m_k), the gate's own figure.
CHILDREN_STAND_IN = {"a_hh_m_k": "het aantal kinderen van 0 tot 12 jaar publiceert het CBS niet per {level}"}
PAGE_ONE_HEADLINES = 3  # at most this many figures of the gemeente against Nederland on page 1


def decision_sentence(data: ReportData) -> str:
    """What the bestuurlijk overleg is asked to decide: the aandachtsgebieden (and the Plus-IKC's when the
    report has them) for the round until the next herijking, two years later (the classification is
    "tweejaarlijks herijkt", docs/domain.md). Empty without aandachtsgebieden."""
    ov = data.overlays
    if ov.gebieden is None:
        return ""
    what = "de aandachtsgebieden" + (" en de Plus-IKC's" if ov.ikcs is not None else "")
    when = f" voor {ov.round_year} tot de volgende herijking in {ov.round_year + 2}" if ov.round_year is not None else ""
    return f"Het bestuurlijk overleg wordt gevraagd {what} vast te stellen{when}."


def places_sentence(data: ReportData) -> str:
    """How many places for a Plus-IKC the config gives (``selection.count``, or ``selection.budget``:
    floor(total / per_ikc)) and how many the proposal uses. Empty without an IKC table or selection rules."""
    rules = data.config.selection
    if data.overlays.ikcs is None or rules is None:
        return ""
    used = int((_ikcs(data)["status"] == "plus-ikc").sum())
    places = rules.n_plus
    source = (f"Er zijn {places} {'plaats' if places == 1 else 'plaatsen'} voor een Plus-IKC" if rules.budget is None else
              f"Het budget van {dutch_number(rules.budget.total, 0)} {rules.budget.unit} geeft {places} "
              f"{'plaats' if places == 1 else 'plaatsen'} van {dutch_number(rules.budget.per_ikc, 0)} {rules.budget.unit}")
    return f"{source}; het voorstel vult er {'alle ' if used == places and places > 1 else ''}{used}."


def children_sentence(data: ReportData) -> str:
    """How many of the population figure (``population``: households with children in the shipped configs)
    live in the aandachtsgebieden, and their share of the gemeente's (the gemeente row of the same input).
    The figures are the published ones (the KWB rounds wijk counts to 5), summed; a total under
    ``report.suppress_below`` is shown as "<N" (:func:`suppress`) and then no share is given. Where the
    figure is not a count of children 0-12, the sentence says so (:data:`CHILDREN_STAND_IN`). Empty without
    aandachtsgebieden or population gate."""
    ov, gate = data.overlays, data.config.population
    if ov.gebieden is None or gate is None:
        return ""
    members = [c for g in data.gebieden() for c in ov.members(g)]
    counts = data.run.matrix.areas["population"].reindex(members)
    unknown = [data.names.get(c, c) for c in counts[counts.isna()].index]
    inside = float(counts.sum())
    total = population_of(data.config, data.run.tidy, data.config.gemeente.code)
    shown = suppress(inside, data.threshold)
    text = f"In de aandachtsgebieden wonen {shown} {gate.label}"
    if inside >= data.threshold and total > 0:
        text += f": {percent(inside / total)} van de {dutch_number(total, 0)} in {data.config.gemeente.name}"
    note = CHILDREN_STAND_IN.get(gate.variable)
    text += (f" ({note.format(level=data.config.level)})." if note else ".")
    if unknown:
        text += f" Zonder {_list(unknown)}: daar is het aantal onbekend."
    return text


def headline_figures(data: ReportData) -> str:
    """The gemeente against Nederland, both values (the gemeente row and NL00 of the Kerncijfers Wijken en
    Buurten): the indicators of ``report.headline`` (Leeuwarden: lage inkomens, jeugdzorg, bijstand), else per
    domain, in the framework's order, the first indicator with both values, at most :data:`PAGE_ONE_HEADLINES`.
    A named indicator without both values is left out and said; counts of people are never shown here.
    Empty when no indicator has both."""
    tree = data.run.result.tree
    gemeente, nederland = data.gemeente, data.nederland
    named = data.config.report.headline
    chosen: dict[str, str] = {}
    lacking = []
    by_id = {i.id: i for i in data.config.framework.indicators}
    for indicator in data.config.framework.indicators if named is None else [by_id[i] for i in named]:
        domain = next((n for n in tree.path(indicator.id) if n in tree.top_level), indicator.id) \
            if indicator.id in tree.parents and named is None else indicator.id
        value, national = gemeente["value"].get(indicator.id), nederland["value"].get(indicator.id)
        if value is None or national is None or pd.isna(value) or pd.isna(national) or is_count_unit(indicator.unit):
            lacking.append(short_label(indicator.label))
            continue
        if domain in chosen:
            continue
        label = short_label(indicator.label)
        unit = unit_for(label, indicator.unit)
        chosen[domain] = f"{lower_first(label)} {with_unit(value, unit)} (Nederland {with_unit(national, unit)})"
    figures = list(chosen.values())[:PAGE_ONE_HEADLINES]
    text = f"{data.config.gemeente.name} naast Nederland: {'; '.join(figures)}." if figures else ""
    if named is not None and lacking:
        text += f" Geen waarde voor gemeente en Nederland: {lower_first(_list(lacking))}."
    return text.strip()


def summary(data: ReportData) -> dict:
    """Page 1: the bestuurlijke samenvatting."""
    config, ov = data.config, data.overlays
    unscored = data.unscored
    gates = [c for c, k in unscored.items() if k == "gate"]
    gate = [data.names[c] for c in gates]
    nodata = [data.names[c] for c, k in unscored.items() if k == "nodata"]
    domains = [lower_first(data.run.result.tree.labels[d]) for d in data.run.result.tree.top_level]
    facts = {
        "lead": (f"De {lower_first(config.framework.index.label)} zegt per {config.level} hoeveel aandacht kinderen nodig hebben "
                 f"(hoger is meer) en combineert {_list(domains)} (uitleg: bijlage B). "
                 f"{data.ranked} {data.level_plural} hebben een score{scale_sentence(data)}."),
        "unscored": " ".join(filter(None, [
            f"Niet gescoord: {_list(gate)} ({data.run.matrix.areas.at[gates[0], 'reason']})." if len(gates) == 1
            else f"Niet gescoord: {len(gate)} {data.level_plural} met te weinig {config.population.label} (zie de ranglijst)."
            if len(gate) > PAGE_ONE_NAMES and config.population
            else f"Niet gescoord: {_list(gate)} (te weinig {config.population.label})." if gate and config.population
            else f"Niet gescoord: {_list(gate)}." if gate else "",
            f"Geen score: {_list(nodata)} (te weinig gegevens)." if nodata else ""])),
        "dominance": data.weight_lines[:PAGE_ONE_DOMINANCE],
        "robust": robustness_lines(data),
        "changes": change_lines(data),
        "unplaced": unplaced_ikcs(data),
        "decision": decision_sentence(data),
        "places": places_sentence(data),
        "children": children_sentence(data),
        "headline": headline_figures(data),
    }
    plus = plus_rows(data)
    by_gebied: dict[str, list[str]] = {}
    for r in plus:
        if r["plus"]:
            for gebied in [r["gebied"], *r["also"]]:
                by_gebied.setdefault(gebied, []).append(r["name"])
    if ov.gebieden is not None:
        facts["gebieden"] = []
        every = data.gebieden()
        shown = every if len(every) <= PAGE_ONE_GEBIEDEN else every[:PAGE_ONE_GEBIEDEN - 1]
        facts["gebieden_count"], facts["gebieden_rest"] = len(every), len(every) - len(shown)
        for name in shown:
            members = ov.members(name)
            best = min(members, key=lambda c: data.rank(c) or np.inf)
            facts["gebieden"].append({
                "rank": data.rank(best) or "", "name": name, "score": _fmt(data.run.result.index.get(best)),
                "members": _members_line([data.names[c] for c in members]) if len(members) > 1 or data.names[members[0]] != name
                else "",
                "reason": data.reason(best), "p": percent(data.probability[best], 0) if best in data.probability.index else "",
                "plus": len(by_gebied.get(name, [])) if ov.ikcs is not None else None})
    else:
        top = data.run.result.rank.dropna().sort_values().head(config.report.profile_top)
        facts["top"] = [{"rank": int(r), "name": data.names[c], "score": _fmt(data.run.result.index[c]),
                         "reason": data.reason(c), "p": percent(data.probability[c], 0) if c in data.probability.index else ""}
                        for c, r in top.items()]
    if ov.ikcs is not None:
        chosen = [r for r in plus if r["plus"]]
        facts["plus_count"] = len(chosen)
        # beyond PAGE_ONE_PLUS Plus-IKC's page 1 shows the first (in the order of their gebied's rank) and says
        # where the rest are; the IKC's that stop are shown only when the table is whole
        room = min(PAGE_ONE_PLUS, max(PAGE_ONE_PLUS_MIN, PAGE_ONE_ROWS - sum(_row_lines(g) for g in facts.get("gebieden", []))))
        facts["plus"] = plus if len(plus) <= room else chosen[:room]
        facts["plus_rest"] = len(chosen) - len([r for r in facts["plus"] if r["plus"]])
        facts["no_plus"] = "" if chosen else no_plus_sentence(data)
        reasons: dict[str, list[str]] = {}
        for row in without_plus(data):
            reasons.setdefault(row["why"], []).append(row["gebied"])
        facts["without_plus"] = [{"gebied": _list(names), "why": why if len(names) == 1 else
                                  why.replace("in dit gebied", "in deze gebieden")} for why, names in reasons.items()
                                 if chosen]  # without any Plus-IKC, no_plus says why for every gebied at once
        # a long paragraph: page 1 names the gebieden (more than PAGE_ONE_NAMES: counts them), "Voorstel
        # Plus-IKC's" gives the reasons
        lacking = [g for names in reasons.values() for g in names]
        long = sum(len(w["gebied"]) + len(w["why"]) + 2 for w in facts["without_plus"]) > PAGE_ONE_WHY
        facts["without_plus_names"] = "" if not long else _list(lacking) if len(lacking) <= PAGE_ONE_NAMES else \
            f"{len(lacking)} van de {len(data.gebieden())}"
    missing = [what for what, given in (("de aanwijzing van aandachtsgebieden", ov.gebieden is not None),
                                        ("het voorstel voor Plus-IKC's", ov.ikcs is not None),
                                        ("de kans op aanwijzing", ov.robustness is not None)) if not given]
    facts["missing"] = f"Niet in dit rapport: {_list(missing)}." if missing else ""
    facts["no_maps"] = boundaries_missing(config) if data.frame is None else ""
    return facts


# --- ranking, profiles, trend, IKCs ---------------------------------------------------------

def remarks(data: ReportData, code: str) -> str:
    """Why an area has no score, and which values are missing and why, in Dutch (no counts)."""
    kind = data.unscored.get(code, "")
    if kind == "gate":  # the population gate's reason names the threshold, never the count
        reason = str(data.run.matrix.areas.at[code, "reason"] or "")
        return f"niet gescoord: {reason}" if reason else "niet gescoord"
    parts = ["niet gescoord: te weinig gegevens"] if kind == "nodata" else []
    for indicator, reason in data.run.matrix.missing_reason.loc[code].items():
        if reason:
            parts.append(f"geen cijfer: {lower_first(short_label(data.indicators[indicator].label))} "
                         f"({MISSING_LABELS.get(reason, 'onbekend')})")
    return "; ".join(parts)


def ranking_rows(data: ReportData) -> list[dict]:
    """The ranked table with reason, chance, rank interval, gebied and change when given."""
    ov, run = data.overlays, data.run
    gebied = ov.gebied_of()
    robust = None if ov.robustness is None else ov.robustness.set_index("area_code")
    change = {} if ov.changes is None else dict(zip(ov.changes["area_code"], ov.changes["change"]))
    mark = run.area_reliability().to_dict()
    order = sorted(run.matrix.areas.index, key=lambda c: (data.rank(c) or np.inf, c))
    rows = []
    for code in order:
        found = data.reason_labels(code)
        item = {"rank": data.rank(code) or "", "code": code, "name": data.names[code],
                "score": _fmt(run.result.index.get(code)), "reason": short_label(found[0]) if found else "",
                "mark": mark.get(code, "") if data.rank(code) else "",
                "population": suppress(run.matrix.areas.at[code, "population"], data.threshold),
                "remark": remarks(data, code), "gebied": gebied.get(code, ""),
                "change": RANKING_CHANGE.get(change.get(code), "")}
        if robust is not None and code in robust.index:
            r = robust.loc[code]
            item["p"] = percent(r["p_designated"], 0)
            if {"rank_p05", "rank_p95"} <= set(robust.columns) and pd.notna(r["rank_p05"]):
                item["interval"] = f"{r['rank_p05']:.0f}\u2013{r['rank_p95']:.0f}"
        rows.append(item)
    return rows


def _previous(data: ReportData, code: str) -> str:
    """'in 2024: rang 3, score 71,2' from the changes table."""
    changes = data.overlays.changes
    if changes is None or code not in set(changes["area_code"]):
        return ""
    row = changes.set_index("area_code").loc[code]
    parts = [f"rang {row['previous_rank']:.0f}" if pd.notna(row.get("previous_rank")) else "",
             f"score {_fmt(row.get('previous_score'))}" if pd.notna(row.get("previous_score")) else ""]
    parts = [p for p in parts if p]
    when = f"in {data.overlays.previous_year}" if data.overlays.previous_year else "in de vorige ronde"
    return f"{when}: {', '.join(parts)}" if parts else ""


def profile(data: ReportData, name: str, codes: list[str]) -> dict:
    """Indicator values of the member areas against the gemeente, Nederland and the median of the
    areas, with counts (suppressed), reliability marks, the reasons and the IKCs in the gebied."""
    run, threshold = data.run, data.threshold
    indicators = []
    for indicator in data.config.framework.indicators:
        members = []
        for code in codes:
            reason = run.matrix.missing_reason.at[code, indicator.id]
            value, numerator, denominator = (table.at[code, indicator.id] for table in
                                             (run.matrix.values, run.matrix.numerators, run.matrix.denominators))
            hidden = disclosed_counts(indicator, data.config, value, numerator, threshold)
            members.append({
                "value": SECONDARY if "value" in hidden else
                (suppress(value, threshold) if is_count_unit(indicator.unit) else _fmt(value)) or "\u2013",
                "numerator": suppress(numerator, threshold),
                "denominator": SECONDARY if "denominator" in hidden else suppress(denominator, threshold),
                "mark": run.matrix.reliability.at[code, indicator.id] or MISSING_LABELS.get(reason, ""),
            })
        indicators.append({"label": indicator.label, "unit": indicator.unit, "members": members,
                           "direction": "hoger" if indicator.direction > 0 else "lager",
                           **{key: (suppress(figure, threshold) if is_count_unit(indicator.unit) else _fmt(figure))
                              for key, figure in (("gemeente", data.gemeente.at[indicator.id, "value"]),
                                                  ("nederland", data.nederland.at[indicator.id, "value"]),
                                                  ("median", data.median[indicator.id]))}})
    areas = [{"code": code, "name": data.names[code], "previous": _previous(data, code), "rank": data.rank(code),
              "score": _fmt(run.result.index.get(code)),
              "population": suppress(run.matrix.areas.at[code, "population"], threshold),
              "drivers": [lower_first(label) for label in data.reason_labels(code)]} for code in codes]
    ikcs = _ikcs(data)
    inside = ikcs[text_column(ikcs, "area_code").isin(codes)]
    schools = [{"name": r["name"], "status": _ikc_status(r)} for _, r in inside.iterrows()]
    return {"name": name, "areas": areas, "indicators": indicators, "ikcs": schools}


def _ikc_status(row) -> str:
    """'Plus-IKC', 'komt in aanmerking, niet gekozen' or 'geen Plus-IKC', with the reason when given."""
    reason = str(row.get("reason", "") or "")
    reason = "" if reason == "nan" else reason
    if row["status"] == "plus-ikc":
        return "Plus-IKC"
    if row["status"] == "candidate":
        return "komt in aanmerking, niet gekozen" + (f" ({reason})" if reason else "")
    return f"geen Plus-IKC: {reason}" if reason else "geen Plus-IKC"


def profiles(data: ReportData) -> tuple[list[dict], bool]:
    """Profiles of the aandachtsgebieden in rank order, or of the top-ranked areas when none are given."""
    if data.overlays.gebieden is not None:
        return [profile(data, name, data.overlays.members(name)) for name in data.gebieden()], True
    top = data.run.result.rank.dropna().sort_values().head(data.config.report.profile_top)
    return [profile(data, data.names[c], [c]) for c in top.index], False


def trend(data: ReportData) -> dict | None:
    """Rank and score over the rounds for the areas designated in any round shown (None with one round)."""
    history = data.overlays.history
    if history is None or history.empty or history["year"].nunique() < 2:
        return None
    years = sorted(int(y) for y in history["year"].unique())
    current = set(data.overlays.gebied_of())
    left = set() if data.overlays.changes is None else \
        set(data.overlays.changes.loc[data.overlays.changes["change"] == "left", "area_code"])
    codes = sorted(current | left, key=lambda c: (data.rank(c) or np.inf, c))
    pivot = history.set_index(["area_code", "year"])
    rows = []
    for code in codes:
        cells = []
        for year in years:
            if (code, year) in pivot.index:
                entry = pivot.loc[(code, year)]
                cells.append({"rank": "" if pd.isna(entry["rank"]) else f"{entry['rank']:.0f}", "score": _fmt(entry["score"])})
            else:
                cells.append({"rank": "", "score": ""})
        rows.append({"name": data.names.get(code, code), "gebied": data.overlays.gebied_of().get(code, ""), "cells": cells})
    return {"years": years, "rows": rows}


def ikc_rows(data: ReportData) -> list[dict]:
    """Plus-IKC's, eligible IKCs not chosen, and the other IKCs in the aandachtsgebieden."""
    ikcs = _ikcs(data)
    if data.overlays.ikcs is None:
        return []
    in_gebied = text_column(ikcs, "area_code").isin(set(data.overlays.gebied_of()))
    shown = ikcs[ikcs["status"].isin(["plus-ikc", "candidate"]) | in_gebied]
    rows = []
    for _, row in shown.iterrows():
        gebied = _gebied_of_ikc(data, row)
        area = row.get("area_code", "")
        rows.append({"name": row["name"], "status": _ikc_status(row), "board": str(row.get("bestuur", "") or ""),
                     "where": gebied or data.names.get(area, ""), "need": _fmt(row.get("need"), 1),
                     "continuity": continuity_word(row.get("continuity")) if data.overlays.previous_year else "",
                     "order": (0 if row["status"] == "plus-ikc" else 1 if row["status"] == "candidate" else 2,
                               data.gebied_rank(gebied) if gebied else np.inf, row["name"])})
    return sorted(rows, key=lambda r: r["order"])


def continuity_word(status) -> str:
    """'nieuw Plus-IKC', 'blijft Plus-IKC', 'opnieuw Plus-IKC', 'Plus-IKC stopt: termijn voorbij', or ''."""
    text = str(status or "").strip()
    if text.startswith("beëindigd"):
        return "Plus-IKC stopt" + (f": {text.split(':', 1)[1].strip()}" if ":" in text else "")
    return CONTINUITY_WORDS.get(text, "")


def constraint_rows(data: ReportData) -> list[dict]:
    """The constraints of the Plus-IKC choice in words: value, bound, whether they are met exactly,
    whether they change the choice, and what the total need served would gain without them."""
    if data.constraints is None:
        return []
    rows = []
    for r in data.constraints.to_dict("records"):
        rows.append({"name": str(r["constraint"]).replace("Plus-IKCs", "Plus-IKC's"), "value": _fmt(r["lhs"], 0),
                     "bound": f"{SENSE.get(str(r['sense']).strip(), str(r['sense']))} {_fmt(r['bound'], 0)}",
                     "tight": "ja" if is_true(pd.Series([r["tight"]])).iloc[0] else "nee",
                     "binding": "ja" if is_true(pd.Series([r["binding"]])).iloc[0] else "nee",
                     "gain": _fmt(r["gain"], 1)})
    return rows


def need_rows(data: ReportData) -> list[dict]:
    """The IKC's that could be chosen, with BRIN code and need: the appendix's detail."""
    ikcs = _ikcs(data)
    if data.overlays.ikcs is None:
        return []
    shown = ikcs[ikcs["status"].isin(["plus-ikc", "candidate"])].copy()
    shown["_need"] = pd.to_numeric(shown.get("need", np.nan), errors="coerce")
    shown = shown.sort_values("_need", ascending=False)
    return [{"brin": str(r.get("brin", "") or ""), "name": r["name"], "need": _fmt(r["_need"], 1),
             "status": "gekozen" if r["status"] == "plus-ikc" else "niet gekozen"} for _, r in shown.iterrows()]


# --- method appendix --------------------------------------------------------------------

def name_source_rows(registry: pd.DataFrame, level: str, level_plural: str) -> list[dict]:
    """The source row of the names of the ranked areas where the registry says they are CBS's (its name_source,
    :mod:`aandacht.inputs.areas`): CC BY 4.0 asks for the attribution wherever the names appear."""
    if "name_source" not in registry.columns:
        return []
    mine = registry[(registry["level"] == level) & registry["name_source"].str.startswith("CBS")]
    if mine.empty:
        return []
    return [{"name": f"Namen van de {level_plural} (CBS wijk- en buurtkaart)",
             "years": list_nl(sorted(set(mine["vintage"]))), "licence": "CBS/Kadaster, CC BY 4.0"}]


def method_tables(data: ReportData) -> dict:
    """The method appendix: plain explanation, sources with years, indicators with intended and
    real weights, formulas, data quality (missing, indicatief, outlier treatment) and the record."""
    config, result = data.config, data.run.result
    weights = result.effective_weights.set_index("indicator")
    found = {d.node for d in data.dominance}
    indicators = []
    for i in config.framework.indicators:
        definition = i.variable or f"{i.numerator} / {i.denominator} \u00d7 {dutch_number(i.scale, 0)}"
        contribution = weights.at[i.id, "contribution"]
        indicators.append({
            "label": i.label, "domain": result.tree.labels[i.parent], "direction": "hoger" if i.direction > 0 else "lager",
            "nominal": percent(weights.at[i.id, "nominal"]), "flag": i.id in found or i.parent in found,
            "contribution": "" if pd.isna(contribution) else percent(contribution), "definition": definition,
            "year": config.inputs[i.input].period if i.input in config.inputs else "",
            "unit": i.unit, "missing": int(data.run.matrix.values[i.id].isna().sum()),
            "indicatief": int((data.run.matrix.reliability[i.id] == "I").sum())})
    source_rows = [{"name": s["name"], "years": years_text(s["years"]), "licence": s["licence"]} for s in sources(config)]
    source_rows += name_source_rows(data.run.registry.table, config.level, data.level_plural)
    source_rows += [{"name": "Gemeentegrenzen (kaarten)", "years": "2022", "licence": ATTRIBUTION_GEMEENTEN},
                    {"name": "Plaatsnamen (kaarten)", "years": "2024", "licence": ATTRIBUTION_PLAATSEN}]
    files = [{"name": n, "file": s.path.name, "year": s.period} for n, s in config.inputs.items()]
    manifest = data.manifest
    plain = method_text.plain(config, config.framework.index.label, data.level_plural) \
        + method_text.names_note(data.run.registry.table, config.level, data.level_plural)
    return {"plain": plain, "sources": source_rows,
            "files": files, "dominance": data.weight_lines, "indicatief": indicatief_lines(data.run),
            "indicators": indicators, "formulas": method_text.formulas(config), "treatment": treatment_rows(data),
            "manifest": {"created": manifest.get("created_utc", ""), "versions": manifest.get("versions", {}),
                         "inputs": {k: {"file": Path(v["path"]).name, "sha256": v["sha256"][:16]}
                                    for k, v in manifest.get("inputs", {}).items()}}}


def audit_tables(data: ReportData) -> dict:
    """Appendix C, the statistical audit (:mod:`aandacht.scoring.audit`) in Dutch: the paragraph on what
    drives the ranking, per domain Cronbach's alpha and its correlation with the score, per indicator its
    correlations and the rank shifts without it, per domain of two or more indicators the shifts without it,
    and every area's highest- and lowest-risk indicators."""
    found = audit(data.run)
    shift = found.summary.set_index("item")

    def moved(item: str) -> dict:
        if item not in shift.index:
            return {"mean": "", "max": "", "area": "", "changes": ""}
        row = shift.loc[item]
        changes = []
        if found.top_k is not None:
            changes = [f"+ {row['entered']}" if row["entered"] else "", f"− {row['left']}" if row["left"] else ""]
        return {"mean": _fmt(row["mean_abs_shift"]), "max": f"{int(row['max_abs_shift'])}",
                "area": row["area_max_shift"] if row["max_abs_shift"] > 0 else "", "changes": "; ".join(c for c in changes if c)}

    only = found.indicators.groupby("domain")["indicator"].agg(list)
    domains = [{"label": r.label, "indicators": r.indicators, "alpha": _fmt(r.cronbach_alpha, 2), "r_index": _fmt(r.r_index, 2),
                **moved(r.domain if r.indicators > 1 else only[r.domain][0])} for r in found.domains.itertuples()]
    indicators = [{"label": r.label, "domain": r.domain_label, "r_domain": _fmt(r.r_domain, 2),
                   "r_index": _fmt(r.r_index, 2), **moved(r.indicator)} for r in found.indicators.itertuples()]
    return {"paragraph": audit_paragraph(found, data.config.level), "domains": domains, "indicators": indicators,
            "top_k": found.top_k, "strengths": found.strengths.to_dict("records"), "diagram": framework_diagram(data)}


def framework_diagram(data: ReportData) -> dict:
    """The framework as a diagram (appendix C.0): the index on top, one column per domain (a child of the
    index) with its intended share, under it its indicators with their intended share of the score, the
    direction in words and, for a deeper framework, the node between them."""
    result = data.run.result
    tree = result.tree
    nominal = result.effective_weights.set_index("indicator")["nominal"]
    spec = {i.id: i for i in data.config.framework.indicators}
    columns = []
    for domain in tree.top_level:
        leaves = [leaf for leaf in tree.leaves if domain in tree.path(leaf)]
        columns.append({"label": tree.labels[domain], "share": percent(float(nominal[leaves].sum())),
                        "indicators": [{"label": tree.labels[leaf], "share": percent(float(nominal[leaf])),
                                        "direction": "hoger" if spec[leaf].direction > 0 else "lager",
                                        "via": " › ".join(tree.labels[n] for n in reversed(tree.path(leaf)[1:-2]))}
                                       for leaf in leaves]})
    return {"index": tree.labels[tree.index_id], "columns": columns,
            "rows": max(len(c["indicators"]) for c in columns) if columns else 0}


def treatment_rows(data: ReportData) -> list[dict]:
    """The outlier treatment per indicator in Dutch: skewness and kurtosis before and after, what was done."""
    log = data.run.result.treatment_log
    rows = []
    for r in log.to_dict("records"):
        indicator = data.indicators.get(r.get("indicator"))
        action = str(r.get("action", ""))
        done = TREATMENT_ACTIONS.get(action, "zie scores.xlsx")
        points = r.get("points_winsorised")
        if action == "winsorised" and points:
            done = f"{points} uiterste {'waarde' if points == 1 else 'waarden'} ingeperkt"
        rows.append({"label": indicator.label if indicator else "", "done": done,
                     **{k: _fmt(r.get(k), 2) for k in ("skew_before", "kurtosis_before", "skew_after", "kurtosis_after")}})
    return rows


# --- rendering ------------------------------------------------------------------------------

def report_dpi(dpi: int) -> int:
    """The resolution of a map drawn at ``dpi`` as the report embeds it (the same PNG up to EMBED_MAX_DPI)."""
    return dpi if dpi <= EMBED_MAX_DPI else REPORT_DPI


def report_maps(frame: MapFrame | None, rendered: dict | None = None) -> dict[str, Drawn]:
    """The report's maps by image key; maps already drawn (``rendered``, by file name) are reused,
    the others drawn (A4, at REPORT_DPI). None without a map frame (no polygons)."""
    if frame is None:
        return {}
    builders = map_builders(frame, "a4")
    rendered = dict(rendered or {})
    missing = {name: build for name, build in builders.items() if name not in rendered}
    if missing:
        rendered |= draw_all(missing, REPORT_DPI, prepare=load_layers)
    return {IMAGE_KEYS[name]: rendered[name] for name in builders}


def title(data: ReportData) -> tuple[str, str]:
    """The report's title and subtitle: 'Herijking 2026 aandachtsgebieden Leeuwarden', 'ten opzichte van 2024'."""
    config, ov = data.config, data.overlays
    if config.report.title:
        return config.report.title, ""
    if ov.round_year is not None:
        return (f"Herijking {ov.round_year} aandachtsgebieden {config.gemeente.name}",
                f"ten opzichte van de herijking van {ov.previous_year}" if ov.previous_year else "")
    return f"{config.framework.index.label} per {config.level} {config.gemeente.name}", ""


def _schools_text(frame: MapFrame) -> str:
    """What the IKC markers of a map show: the numbered Plus-IKCs and candidates by name, the others counted."""
    ikcs = frame.ikcs
    if ikcs is None or not len(ikcs):
        return ""
    drawn = ikcs.dropna(subset=["x_rd", "y_rd"])
    keyed = frame.keyed
    parts = []
    for status, marker, what in (("plus-ikc", "witte sterren", "Plus-IKC"),
                                 ("candidate", "witte ruiten", "school die in aanmerking kwam maar niet gekozen is")):
        rows = keyed[keyed["status"] == status]
        if len(rows):
            names = _list([f"{row.nr} {row.name}" for row in rows.itertuples()])
            plural = {"Plus-IKC": "Plus-IKC's"}.get(what, "scholen die in aanmerking kwamen maar niet gekozen zijn")
            parts.append(f"{marker} met een nummer: {len(rows)} {what if len(rows) == 1 else plural} ({names})")
    others = int((drawn["status"] == "other").sum())
    if others:
        parts.append(f"grijze stippen: {others} {'andere school' if others == 1 else 'andere scholen'}")
    return "Scholen: " + "; ".join(parts) + "." if parts else ""


def _plus_changes_text(frame: MapFrame) -> str:
    """The Plus-IKCs of the change map by what changed (new, continued, ended), by name."""
    ikcs = frame.ikcs
    if ikcs is None or "continuity" not in ikcs.columns:
        return ""
    drawn = ikcs.dropna(subset=["x_rd", "y_rd"])
    change = drawn["continuity"].map(plus_change)
    parts = [f"{what}: {_list(list(drawn.loc[change == key, 'name']))}"
             for key, what in (("nieuw", "nieuw Plus-IKC"), ("blijft", "blijft Plus-IKC"), ("eraf", "geen Plus-IKC meer"))
             if (change == key).any()]
    return "Scholen: " + "; ".join(parts) + "." if parts else ""


def _gebieden_text(frame: MapFrame) -> str:
    names = list(frame.gebied_outlines)
    if not names:
        return ""
    return f"Zwart omlijnd en met naam: de {len(names)} aandachtsgebieden {_list(names)}."


def map_alt_texts(frame: MapFrame | None, images: dict) -> dict[str, str]:
    """Per map of the report (image key) a Dutch text alternative saying what it shows: what is
    coloured and in which classes, which areas score highest or changed, which aandachtsgebieden
    are outlined and which schools are marked (WCAG 2.1 success criterion 1.1.1). None without maps."""
    if frame is None or not images:
        return {}
    config, areas = frame.config, frame.areas
    gemeente, level = config.gemeente.name, config.level
    _, many, _ = area_words(level)
    ranked = areas[areas["rank"].notna()].sort_values("rank")
    top = _list([f"{row.area_name} ({_fmt(row.score)})" for row in ranked.head(3).itertuples()])
    around = " ".join(filter(None, [_gebieden_text(frame), _schools_text(frame)]))
    classed = score_classes(frame)
    texts = {"score": f"Kaart van {gemeente}: de {lower_first(config.framework.index.label)} per {level} in "
                      f"{len(classed.labels)} klassen, van licht ({classed.labels[0]}) tot donker "
                      f"({classed.labels[-1]}; hoger is meer aandacht nodig). Hoogste score: {top}. {around}"}
    tree = frame.run.result.tree
    domains = [tree.labels[d] for d in tree.groups[-1].children]
    texts["domains"] = (f"{len(domains)} kaartjes van {gemeente}, één per domein ({_list(domains)}), in één "
                        f"kleurschaal: donkerder is meer aandacht nodig. {_gebieden_text(frame)}")
    labels = [indicator.label for indicator in config.framework.indicators]
    texts["indicators"] = (f"{len(labels)} kaartjes van {gemeente}, één per indicator ({_list(labels)}), elk in "
                           f"eigen klassen: donkerder is meer aandacht nodig. {_gebieden_text(frame)}")
    if "probability" in images:
        p = frame.overlays.robustness.set_index("area_code")["p_designated"].reindex(areas.index)
        names = areas["area_name"]
        always, doubt = names[p >= 0.95], names[(p >= 0.05) & (p < 0.95)]
        texts["probability"] = (
            f"Kaart van {gemeente}: per {level} de kans om aandachtsgebied te worden bij andere verdedigbare "
            f"methodekeuzes, in {len(PROBABILITY_CLASSES)} klassen. (Vrijwel) altijd: {_list(list(always)) or 'geen'}. "
            f"Twijfelgevallen (5 tot 95%, met percentage): "
            f"{_list([f'{names[c]} ({100 * p[c]:.0f}%)' for c in doubt.index]) or 'geen'}. {around}")
    if "change" in images:
        change = frame.overlays.changes.set_index("area_code")["change"]
        named = {kind: _list([areas.at[c, "area_name"] for c in change.index[change == kind] if c in areas.index])
                 for kind in ("entered", "stayed", "left")}
        texts["change"] = (f"Kaart van {gemeente}: welke {many} aandachtsgebied werden, bleven of het niet meer zijn "
                           f"sinds {frame.overlays.previous_year or 'de vorige ronde'}. Erbij: {named['entered'] or 'geen'}; "
                           f"gebleven: {named['stayed'] or 'geen'}; eraf: {named['left'] or 'geen'}. "
                           f"{_plus_changes_text(frame)}")
    return {key: " ".join(text.split()) for key, text in texts.items() if key in images}


def commands(text: str):
    """The text escaped, with each command between backticks (```aandacht fetch ...```) set as code (markup)."""
    from markupsafe import Markup, escape

    parts = str(text).split("`")
    return Markup("").join(Markup("<code>{}</code>").format(part) if i % 2 else escape(part)
                           for i, part in enumerate(parts))


def breakable(text: str):
    """The text escaped, with a line-break opportunity (``<wbr>``) after every underscore, so that a
    long formula such as ``p_hh_li`` can wrap in a narrow column (markup, never shown as text)."""
    from markupsafe import Markup, escape

    return Markup("_<wbr>").join(escape(part) for part in str(text).split("_"))


def headings(data: ReportData, images: dict, profiled: int, designated: bool, parts: dict) -> dict[str, str]:
    """Section id -> its heading, for the sections the report has (in order): the headings and the
    table of contents (``profiled``: the number of profiles; ``parts``: whether the trend, the IKC
    proposal and appendix A are there)."""
    config = data.config
    maps = "Kaarten per domein" + (", zekerheid" if "probability" in images else "") + (
        " en verandering" if "change" in images else "")
    profiles = ("Profiel per aandachtsgebied" if designated else
                f"Profiel van de {profiled} {data.level_plural} met de hoogste score")
    found = {"samenvatting": "Bestuurlijke samenvatting",
             "kaart": f"Kaart: {config.framework.index.label} per {config.level}", "ranglijst": "Ranglijst",
             "kaarten": maps, "profielen": profiles, "ontwikkeling": "Ontwikkeling over de rondes",
             "plus-ikc": "Voorstel Plus-IKC's", "bijlage-keuze": "Bijlage A. Hoe de Plus-IKC's gekozen zijn",
             "verantwoording": "Bijlage B. Verantwoording van de methode",
             "toets": "Bijlage C. Statistische toets van de index"}
    parts = {"kaart": bool(images), "kaarten": bool(images), **parts}
    return {key: text for key, text in found.items() if parts.get(key, True)}


def render_html(data: ReportData, rendered: dict | None = None) -> str:
    """The report as one self-contained HTML document; ``rendered``: maps already drawn (file name -> Rendered)."""
    return report_html(data, rendered).text


@dataclass
class ReportHtml:
    """The report laid out, with a mark (a random UUID, which cannot occur anywhere else in the document) in
    place of each map image. Maps drawn by another process (:class:`aandacht.present.drawing.Later`) may
    still be coming while this process lays out the report; they are asked for only by :attr:`text` (the
    self-contained HTML: each map put in as a PNG data URI) and :meth:`images` (the PNGs by mark, which the
    PDF reads directly, :class:`aandacht.present.typeset.PdfLayout`)."""

    marked: str
    maps: dict[str, Drawn]  # mark -> the map drawn

    def images(self) -> dict[str, bytes]:
        """Mark -> the map's PNG as the report embeds it (:func:`report_dpi`)."""
        return {mark: drawn.png(report_dpi(drawn.dpi)) for mark, drawn in self.maps.items()}

    @cached_property
    def text(self) -> str:
        text = self.marked
        for mark, png in self.images().items():
            text = text.replace(mark, "data:image/png;base64," + base64.b64encode(png).decode("ascii"))
        return text


@cache
def _template():
    """The report's template, compiled once per process (a notebook or the sweep writes many reports) and
    its compiled code kept between runs (:func:`_compiled_templates`)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, bytecode_cache=_compiled_templates())
    env.filters["breakable"] = breakable
    env.filters["commands"] = commands
    return env.get_template("report.html.j2")


def _compiled_templates():
    """Jinja's cache of compiled templates (``FileSystemBytecodeCache``): a folder of the user's own in the
    system's temporary folder (``_jinja2-cache-<user>``, made private by Jinja), each entry keyed by the
    template's name and checked against a checksum of its source, so that a changed template is compiled
    again. It saves compiling the report's template on every run (about 0.12 s of a herijking). None
    where Jinja finds no folder it can make private (then each run compiles the template)."""
    from jinja2 import FileSystemBytecodeCache

    try:
        return FileSystemBytecodeCache()
    except RuntimeError:  # no private temporary folder could be made: the cache is only a saving of time
        return None


def report_html(data: ReportData, rendered: dict | None = None) -> ReportHtml:
    """The report laid out now, its maps put in when they are asked for (:class:`ReportHtml`)."""
    frame, config, overlays = data.frame, data.config, data.overlays
    profile_list, designated = profiles(data)
    heading, subheading = title(data)
    maps, ikcs, changes, constraints, needs = report_maps(frame, rendered), ikc_rows(data), trend(data), \
        constraint_rows(data), need_rows(data)
    images = {key: f"aandacht-kaart-{uuid.uuid4().hex}" for key in maps}
    parts = {"ontwikkeling": bool(changes), "plus-ikc": bool(ikcs), "bijlage-keuze": bool(constraints or needs)}
    html = _template().render(
        title=heading, subtitle=subheading, config=config, index_name=config.framework.index.label, today=dutch_date(date.today()),
        level_plural=data.level_plural, rows=ranking_rows(data), summary=summary(data), profiles=profile_list,
        designated=designated, images=images, ikcs=ikcs, trend=changes,
        headings=headings(data, images, len(profile_list), designated, parts), alt=map_alt_texts(frame, images),
        constraints=constraints, needs=needs, method=method_tables(data), audit=audit_tables(data),
        overlays=overlays, threshold=data.threshold, ranked=data.ranked,
        population_label=config.population.label if config.population else "inwoners",
        demonstration=[DEMONSTRATION_PARTS.get(d, d) for d in overlays.demonstration],
        placement=data.placement, map_margins=" ".join(f"{m:g}mm" for m in MAP_MARGINS_MM),
        map_scale_percent=f"{100 * MAP_SCALE:.0f}",
    )
    return ReportHtml(html, {images[key]: maps[key] for key in maps})


def report_data(run: ScoreRun, overlays: Overlays, manifest: dict, constraints: pd.DataFrame | None = None,
                placement: dict | None = None) -> ReportData:
    """The report's data with its map frame, or without maps when the config has no polygons of its areas
    (``areas.geometry``: :func:`aandacht.inputs.boundaries.boundaries_missing` says why and how to add them)."""
    if run.config.areas.geometry is None:
        return ReportData(run, None, manifest, constraints, placement, shown=overlays)
    return ReportData(run, map_frame(run, overlays), manifest, constraints, placement)
