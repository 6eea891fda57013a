"""The Dutch report for the bestuurlijk overleg: self-contained HTML, and PDF.

Sections: 1 samenvatting (one page), 2 kaart en ranglijst, 3 profiel per
aandachtsgebied, 4 voorstel Plus-IKC's, 5 verantwoording (method appendix). The
designation, selection, uncertainty and round-comparison results are optional inputs
(:class:`aandacht.present.overlays.Overlays`); where one is absent the report says so in a
marked block instead of leaving the reader guessing. Without aandachtsgebieden the
``report.profile_top`` highest-ranked areas get a profile.

HTML: one file, maps embedded as base64 PNG, no external resources, so it opens
offline. PDF: the same HTML laid out by WeasyPrint (an optional install: ``pip install
'aandacht[pdf]'``; it needs the Pango library, present on common Linux systems).

Disclosure control: every count shown (households with children, numerators,
denominators, pupils) goes through :func:`suppress`: counts under
``report.suppress_below`` are printed as "<N". Only area- and school-level figures are
shown, never pupil-level rows.

Drivers of an area's score: for indicator i with nominal effective weight w_i
(product of normalised weights along its path) and normalised value x_ai, the driver
value is d_ai = w_i * (x_ai - median over scored areas of x_i); the three largest
positive d_ai are the indicators that put the area high relative to the other areas.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..config.choices import AGGREGATIONS, IMPUTATIONS, NORMALISATIONS
from ..dutch import MISSING_LABELS, dutch_date, dutch_number
from ..errors import AandachtError
from ..inputs.matrix import reference_values
from ..scoring.run import ScoreRun
from .maps import (
    DEMONSTRATION_PARTS,
    MapFrame,
    change_map,
    domain_maps,
    probability_map,
    score_map,
)
from .overlays import CHANGE_LABELS, IKC_LABELS, TRUE_TEXT
from .tables import ranking

SECTIONS = (
    ("samenvatting", "1. Samenvatting"),
    ("kaart-en-ranglijst", "2. Kaart en ranglijst"),
    ("profielen", "3. Profiel per aandachtsgebied"),
    ("plus-ikc", "4. Voorstel Plus-IKC's"),
    ("verantwoording", "5. Verantwoording van de methode"),
)
REPORT_DPI = 150
DIRECTION_LABELS = {1: "hoger = meer risico", -1: "lager = meer risico"}


def suppress(value: float | None, threshold: int) -> str:
    """A count for publication: '' when unknown, '<threshold' when under it, else the
    count with a Dutch thousands separator."""
    if value is None or pd.isna(value):
        return ""
    if value < threshold:
        return f"<{threshold}"
    return dutch_number(float(value), 0)


def figure_data_uri(fig) -> str:
    """The figure as a base64 PNG data URI."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=REPORT_DPI)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def drivers(run: ScoreRun, code: str, count: int = 3) -> list[dict]:
    """The indicators that drive ``code``'s score (see module docstring)."""
    normalised = run.result.normalised
    if code not in normalised.index or pd.isna(run.result.index.get(code)):
        return []
    weights = run.result.tree.nominal_effective_weights()
    median = normalised.loc[run.result.index.notna()].median()
    labels = run.result.tree.labels
    values = {leaf: weights[leaf] * (normalised.at[code, leaf] - median[leaf]) for leaf in normalised.columns}
    ranked = sorted(((v, k) for k, v in values.items() if pd.notna(v) and v > 0), reverse=True)[:count]
    return [{"id": k, "label": labels[k], "value": v} for v, k in ranked]


@dataclass
class ReportData:
    """Everything the template shows, computed once."""

    run: ScoreRun
    frame: MapFrame
    manifest: dict
    constraints: pd.DataFrame | None = None  # the selection's constraints (aandacht.decide.select): which bind
    placement: dict | None = None  # unplaced schools with a score and their cost (aandacht.present.placement)

    @property
    def config(self):
        return self.run.config


def _fmt(value, decimals: int = 1) -> str:
    return "" if value is None or pd.isna(value) else dutch_number(float(value), decimals)


def ranking_rows(data: ReportData) -> list[dict]:
    """The ranked table with gebied, rank interval, probability and change when given."""
    table = ranking(data.run)
    overlays, threshold = data.frame.overlays, data.config.report.suppress_below
    gebied = {} if overlays.gebieden is None else dict(zip(overlays.gebieden["area_code"], overlays.gebieden["gebied"]))
    robust = None if overlays.robustness is None else overlays.robustness.set_index("area_code")
    change = {} if overlays.changes is None else dict(zip(overlays.changes["area_code"], overlays.changes["change"]))
    rows = []
    for row in table.itertuples(index=False):
        item = {"rank": "" if pd.isna(row.rang) else int(row.rang), "code": row.area_code, "name": row.area_name,
                "score": _fmt(row.score), "top": row.grootste_bijdrage, "mark": row.betrouwbaarheid,
                "population": suppress(row.populatie, threshold), "remark": row.opmerking,
                "gebied": gebied.get(row.area_code, ""), "change": CHANGE_LABELS.get(change.get(row.area_code), "")}
        if robust is not None and row.area_code in robust.index:
            r = robust.loc[row.area_code]
            item["p"] = f"{100 * r['p_designated']:.0f}%"
            if {"rank_p05", "rank_p95"} <= set(robust.columns):
                item["interval"] = f"{r['rank_p05']:.0f}\u2013{r['rank_p95']:.0f}"
            if "rank_median" in robust.columns:
                item["median"] = f"{r['rank_median']:.0f}"
        rows.append(item)
    return rows


def profile(data: ReportData, name: str, codes: list[str]) -> dict:
    """Indicator values of the member areas against the gemeente, Nederland and the median of the
    areas, with counts (suppressed), reliability marks and the drivers."""
    run, threshold = data.run, data.config.report.suppress_below
    gemeente = reference_values(run.tidy, data.config, data.config.gemeente.code)
    nederland = reference_values(run.tidy, data.config, "NL00")  # the Nederland row of Kerncijfers, where an input has it
    scored = run.result.index.notna()
    median = run.matrix.values.loc[scored[scored].index].median()
    indicators = []
    for indicator in data.config.framework.indicators:
        members = []
        for code in codes:
            reason = run.matrix.missing_reason.at[code, indicator.id]
            members.append({
                "value": _fmt(run.matrix.values.at[code, indicator.id]) or "\u2013",
                "numerator": suppress(run.matrix.numerators.at[code, indicator.id], threshold),
                "denominator": suppress(run.matrix.denominators.at[code, indicator.id], threshold),
                "mark": run.matrix.reliability.at[code, indicator.id] or MISSING_LABELS.get(reason, reason),
            })
        indicators.append({"label": indicator.label, "unit": indicator.unit,
                           "direction": DIRECTION_LABELS[indicator.direction], "members": members,
                           "gemeente": _fmt(gemeente.at[indicator.id, "value"]),
                           "nederland": _fmt(nederland.at[indicator.id, "value"]),
                           "median": _fmt(median[indicator.id])})
    previous = pd.DataFrame() if data.frame.overlays.changes is None else data.frame.overlays.changes.set_index("area_code")
    areas = [{"code": code, "name": run.matrix.areas.at[code, "area_name"],
              "previous": _previous(previous, code),
              "rank": "" if pd.isna(run.result.rank.get(code)) else int(run.result.rank[code]),
              "score": _fmt(run.result.index.get(code)),
              "population": suppress(run.matrix.areas.at[code, "population"], threshold),
              "drivers": drivers(run, code)} for code in codes]
    return {"name": name, "areas": areas, "indicators": indicators}


def _previous(changes: pd.DataFrame, code: str) -> str:
    """'vorige ronde: rang 3, score 71,2' from the optional columns of the changes table."""
    if code not in changes.index:
        return ""
    row = changes.loc[code]
    parts = [f"rang {row['previous_rank']:.0f}" if pd.notna(row.get("previous_rank")) else "",
             f"score {_fmt(row.get('previous_score'))}" if pd.notna(row.get("previous_score")) else ""]
    parts = [p for p in parts if p]
    return f"vorige ronde: {', '.join(parts)}" if parts else ""


def profiles(data: ReportData) -> tuple[list[dict], bool]:
    """Profiles of the aandachtsgebieden, or of the top-ranked areas when none are given."""
    overlays = data.frame.overlays
    if overlays.gebieden is not None:
        return [profile(data, name, overlays.members(name)) for name in overlays.gebied_names()], True
    top = data.run.result.rank.dropna().sort_values().head(data.config.report.profile_top)
    return [profile(data, data.run.matrix.areas.at[c, "area_name"], [c]) for c in top.index], False


def ikc_rows(data: ReportData) -> list[dict]:
    """Plus-IKCs and candidates from the IKC table, with the optional columns given."""
    ikcs = data.frame.overlays.ikcs
    if ikcs is None:
        return []
    chosen = ikcs[ikcs["status"].isin(["plus-ikc", "candidate"])]
    order = {"plus-ikc": 0, "candidate": 1}
    chosen = chosen.assign(_o=chosen["status"].map(order)).sort_values(["_o", "name"])
    names = data.run.matrix.areas["area_name"]
    rows = []
    for row in chosen.to_dict("records"):
        rows.append({"name": row["name"], "status": IKC_LABELS[row["status"]],
                     "area": names.get(row.get("area_code", ""), row.get("area_code", "")),
                     **{k: ("" if pd.isna(row.get(k)) else row.get(k)) for k in ("bestuur", "continuity", "reason")},
                     "eligible": yes_no(row.get("eligible")),
                     "need": _fmt(row.get("need"), 2)})
    return rows


def yes_no(value) -> str:
    """ja / nee for a boolean (or its text), empty when unknown."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, str):
        value = value.strip().lower() in TRUE_TEXT
    return "ja" if bool(value) else "nee"


def constraint_rows(data: ReportData) -> list[dict]:
    """The constraints of the Plus-IKC choice: value, bound, whether they bind, and what the
    total need served would gain without them (see aandacht.decide.select)."""
    if data.constraints is None:
        return []
    return [{"name": r["constraint"], "value": _fmt(r["lhs"], 0), "bound": f"{r['sense']} {_fmt(r['bound'], 0)}",
             "tight": yes_no(r["tight"]), "binding": yes_no(r["binding"]), "gain": _fmt(r["gain"], 2)}
            for r in data.constraints.to_dict("records")]


def schools_in(data: ReportData, codes: list[str]) -> list[dict]:
    """Schools (from the school input) standing in ``codes``: pupils (suppressed) and the
    CBS achterstandsscore without threshold per 100 pupils, highest first."""
    from ..inputs.sources.schools import read_schools

    specs = [s for s in data.config.inputs.values() if s.loader == "school_scores"]
    if not specs:
        return []
    schools = read_schools(specs[0])
    schools = schools[schools["wijk_code"].isin(codes)].copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        schools["per100"] = 100 * schools["achterstandsscore_zonder_drempel"] / schools["leerlingen"].where(schools["leerlingen"] > 0)
    schools = schools.sort_values("per100", ascending=False, na_position="last")
    names = data.run.matrix.areas["area_name"]
    threshold = data.config.report.suppress_below
    return [{"name": r["name"], "brin": r["brin_vestiging"], "area": names.get(r["wijk_code"], r["wijk_code"]),
             "pupils": suppress(r["leerlingen"], threshold), "per100": _fmt(r["per100"])}
            for r in schools.to_dict("records")]


def method_tables(data: ReportData) -> dict:
    """Sources, indicators with weights, formulas, data quality and manifest summary."""
    from .maps import ATTRIBUTION

    config, result = data.config, data.run.result
    sources = [{"name": n, "file": s.path.name, "loader": s.loader, "period": s.period,
                "attribution": s.attribution or ATTRIBUTION.get(s.loader, s.source)} for n, s in config.inputs.items()]
    weights = result.effective_weights.set_index("indicator")
    indicators = []
    for i in config.framework.indicators:
        definition = i.variable or f"{i.numerator} / {i.denominator} \u00d7 {i.scale:g}"
        missing = int(data.run.matrix.values[i.id].isna().sum())
        marked = int((data.run.matrix.reliability[i.id] == "I").sum())
        indicators.append({"id": i.id, "label": i.label, "domain": result.tree.labels[i.parent],
                           "direction": f"{i.direction:+d} ({DIRECTION_LABELS[i.direction]})",
                           "weight": _fmt(i.weight, 2), "nominal": f"{100 * weights.at[i.id, 'nominal']:.1f}%",
                           "contribution": "" if pd.isna(weights.at[i.id, "contribution"])
                           else f"{100 * weights.at[i.id, 'contribution']:.1f}%",
                           "definition": definition, "source": f"{i.input} ({config.inputs[i.input].period})",
                           "per": i.per or "", "min": "" if i.min_denominator is None else _fmt(i.min_denominator, 0),
                           "missing": missing, "indicatief": marked})
    m = config.method
    formulas = [
        ("Uitschieters", "winsoriseren zolang |scheefheid| \u2265 {0} en kurtosis \u2265 {1}, hoogstens {2} waarden "
         "(gelijke uiterste waarden samen); daarna zo nodig log-transformatie (COINr)".format(
             *(f"{v:g}".replace(".", ",") for v in (m.treatment.skew, m.treatment.kurtosis)), m.treatment.max_winsorised)
         if m.treatment.enabled else "geen behandeling van uitschieters"),
        ("Normalisatie", NORMALISATIONS[m.normalisation.method]
         + f" (bereik {m.normalisation.range[0]:g}\u2013{m.normalisation.range[1]:g})"),
        ("Aggregatie", AGGREGATIONS[m.aggregation.method] + " per niveau van de boom"),
        ("Ontbrekende waarden", f"gewichten herverdeeld over de aanwezige indicatoren; minder dan "
                                f"{100 * m.missing.min_share:.0f}% aanwezig: geen score; imputatie: {IMPUTATIONS[m.missing.imputation]}"),
        ("Effectief gewicht", "nominaal: product van de genormaliseerde gewichten langs het pad; bijdrage: "
                              "gemiddeld aandeel w_eff \u00b7 x / score over de wijken"),
        ("Drijvers", "d = w \u00d7 (genormaliseerde waarde \u2212 mediaan van de wijken); de drie grootste"),
    ]
    if config.population:
        formulas.append(("Populatiedrempel", f"alleen gebieden met ten minste {config.population.minimum:g} "
                                             f"{config.population.label} krijgen een score"))
    manifest = data.manifest
    return {"sources": sources, "indicators": indicators, "formulas": formulas,
            "notes": [_short_paths(note, config) for note in data.run.notes], "treatment": _cells(result.treatment_log),
            "manifest": {"created": manifest.get("created_utc", ""), "versions": manifest.get("versions", {}),
                         "inputs": {k: {"file": Path(v["path"]).name, "sha256": v["sha256"][:16]}
                                    for k, v in manifest.get("inputs", {}).items()}}}


def _short_paths(note: str, config) -> str:
    """A loader note with the input files named by file name instead of full path."""
    for spec in config.inputs.values():
        for path in (spec.path, spec.locations):
            if path is not None:
                note = note.replace(str(path), path.name)
    return note


def _cells(table: pd.DataFrame) -> dict:
    """A table as header + rows of text, numbers with a decimal comma."""
    def cell(value):
        if isinstance(value, (bool, np.bool_)):
            return yes_no(value)
        if isinstance(value, (float, np.floating)):
            return _fmt(value, 2)
        return "" if value is None else str(value)

    return {"columns": [str(c) for c in table.columns],
            "rows": [[cell(v) for v in row] for row in table.itertuples(index=False)]}


def summary(data: ReportData, rows: list[dict]) -> dict:
    """Headline facts for section 1."""
    overlays = data.frame.overlays
    ranked = [r for r in rows if r["rank"] != ""]
    facts = {"top": ranked[:data.config.report.profile_top], "scored": len(ranked),
             "unscored": [r for r in rows if r["rank"] == ""], "indicatief": sum(r["mark"] == "I" for r in ranked)}
    if overlays.gebieden is not None:
        facts["gebieden"] = [{"name": n, "members": ", ".join(data.run.matrix.areas.at[c, "area_name"]
                                                               for c in overlays.members(n))}
                             for n in overlays.gebied_names()]
    if overlays.ikcs is not None:
        facts["plus"] = [r for r in ikc_rows(data) if r["status"] == IKC_LABELS["plus-ikc"]]
    if overlays.changes is not None:
        names = data.run.matrix.areas["area_name"]
        facts["changes"] = {c: [names[a] for a in overlays.changes.loc[overlays.changes["change"] == c, "area_code"]]
                            for c in ("entered", "left", "stayed")}
    if overlays.robustness is not None:
        robust = overlays.robustness.sort_values("p_designated", ascending=False)
        names = data.run.matrix.areas["area_name"]
        facts["robust"] = [{"name": names[r["area_code"]], "p": f"{100 * r['p_designated']:.0f}%"}
                           for r in robust.to_dict("records") if r["p_designated"] > 0][:8]
    return facts


def render_html(data: ReportData) -> str:
    """The report as one self-contained HTML document."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    frame = data.frame
    rows = ranking_rows(data)
    profile_list, designated = profiles(data)
    images = {"score": figure_data_uri(score_map(frame, "a4")), "domains": figure_data_uri(domain_maps(frame, "a4"))}
    if frame.overlays.robustness is not None:
        images["probability"] = figure_data_uri(probability_map(frame, "a4"))
    if frame.overlays.changes is not None:
        images["change"] = figure_data_uri(change_map(frame, "a4"))
    codes = [c for p in profile_list for c in (a["code"] for a in p["areas"])]
    config = data.config
    return env.get_template("report.html.j2").render(
        title=config.report.title or f"Herijking aandachtsgebieden {config.gemeente.name}",
        config=config, today=dutch_date(date.today()), sections=SECTIONS, rows=rows,
        summary=summary(data, rows), profiles=profile_list, designated=designated, images=images,
        ikcs=ikc_rows(data), ikc_given=frame.overlays.ikcs is not None, constraints=constraint_rows(data), schools=schools_in(data, codes),
        method=method_tables(data), overlays=frame.overlays, threshold=config.report.suppress_below,
        demonstration=[DEMONSTRATION_PARTS.get(d, d) for d in frame.overlays.demonstration],
        placement=data.placement,
    )


def pdf_available():
    """WeasyPrint's HTML class; a one-line error when it (or Pango) is not installed."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise AandachtError(f"PDF needs WeasyPrint and the Pango library: pip install 'aandacht[pdf]' ({message})") from None
    return HTML


def write_pdf(html: str, path: Path) -> int:
    """Lay out the HTML with WeasyPrint (no network: every resource is embedded); return the page count."""
    document = pdf_available()(string=html).render()
    document.write_pdf(path)
    return len(document.pages)
