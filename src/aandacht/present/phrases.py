"""Plain Dutch sentences shared by the terminal, the maps and the report.

Numbers go through :mod:`aandacht.dutch` (decimal comma, "12,5%"); counts of people never
appear in these sentences (they are shown, suppressed, in tables only).
"""

from __future__ import annotations

import pandas as pd

from ..dutch import dutch_number, fixed_nl, list_nl, number_nl
from ..scoring.dominance import Dominance, LoneIndicator, dominance, lone_indicators


def percent(share: float, decimals: int = 1) -> str:
    """A share 0-1 as a Dutch percentage: '43,5%' (whole numbers without decimals: '25%')."""
    value = 100 * share
    if abs(value - round(value)) < 0.05:
        decimals = 0
    return f"{dutch_number(value, decimals)}%"


def with_unit(value: float, unit: str) -> str:
    """'18,5%', '18,5% van jongeren tot 18 jaar', '346 per 100 leerlingen' ('onbekend' when missing)."""
    if value is None or pd.isna(value):
        return "onbekend"
    text = number_nl(float(value))
    unit = (unit or "").strip()
    if not unit:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def short_unit(unit: str) -> str:
    """The unit without its explanation after the first word ('% van jongeren tot 18 jaar' -> '%')."""
    unit = (unit or "").strip()
    return "%" if unit.startswith("%") else unit


def lower_first(text: str) -> str:
    """'Jongeren met jeugdzorg' -> 'jongeren met jeugdzorg' (abbreviations such as 'CBS' kept)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def short_label(label: str) -> str:
    """The label without its explanation in brackets ('Achterstandsscore per 100 leerlingen (scholen in de
    wijk)' -> 'Achterstandsscore per 100 leerlingen')."""
    return label.split(" (")[0].strip()


def unit_for(label: str, unit: str) -> str:
    """The unit to print after a value in a sentence: '%' for percentages, nothing when the label
    already says it ('per 100 leerlingen'), else the unit."""
    unit = short_unit(unit)
    return "" if unit and unit != "%" and unit.lower() in label.lower() else unit


AREA_WORDS = {"wijk": ("wijk", "wijken", "de"), "buurt": ("buurt", "buurten", "de"),
              "gemeente": ("gemeente", "gemeenten", "de")}
"""Singular, plural and article of the level in Dutch sentences; any other level reads 'het gebied',
'gebieden'."""


def area_words(level: str | None) -> tuple[str, str, str]:
    """('wijk', 'wijken', 'de') for the level ``level`` (:data:`AREA_WORDS`)."""
    return AREA_WORDS.get(level, ("gebied", "gebieden", "het"))


def dominance_sentence(found: Dominance, area_name: str, indicator_label: str, unit: str, level: str = "wijk") -> str:
    """One Dutch sentence: how much the node really counts against its weight, and which area
    anchors the scale (see :mod:`aandacht.scoring.dominance`); ``level`` names the areas."""
    one, many, article = area_words(level)
    unit = unit_for(indicator_label, unit)
    side = "boven" if found.anchor_value > found.median_value else "onder"
    heavier = "zwaarder" if found.too_much else "lichter"
    effect = f"bijna alle andere {many} hoog" if found.too_much else f"de meeste andere {many} laag"
    anchor = (f"met {with_unit(found.anchor_value, unit)} ver {side} {article} middelste {one} "
              f"({with_unit(found.median_value, unit)})")
    why = (f"{area_name} ligt {anchor}" if found.is_indicator
           else f"bij {lower_first(short_label(indicator_label))} ligt {area_name} {anchor}")
    return (f"{short_label(found.label)} telt {heavier} mee dan bedoeld ({percent(found.contribution)} in plaats van "
            f"{percent(found.nominal)}): {why}, waardoor {effect} uitkomen.")


def lone_sentence(found: LoneIndicator) -> str:
    """One Dutch sentence on a domain of one indicator that goes weakly with the rest of the score
    (:func:`aandacht.scoring.dominance.lone_indicators`)."""
    real = "" if pd.isna(found.contribution) else f", werkelijk {percent(found.contribution)}"
    return (f"{short_label(found.label)} bestaat uit één indicator, {lower_first(found.indicator_label)}, en telt voor "
            f"{percent(found.nominal)} mee{real}, maar die hangt weinig samen met de rest van de score "
            f"(r = {fixed_nl(found.r_rest, 2)}): één cijfer bepaalt zo een groot deel van de rangorde.")


def dominance_lines(run, found: list[Dominance] | None = None) -> list[str]:
    """First :func:`lone_sentence` for every domain of one indicator that goes weakly with the rest of the
    score (threshold ``coherence.weak``), then :func:`dominance_sentence` for every node of a scoring run whose
    real share of the score is off its weight by more than the config's ``report.dominance_factor`` (or for
    ``found``): domains first, then indicators, the largest difference (as a factor) first within each."""
    import math

    config = run.config
    indicators = {i.id: i for i in config.framework.indicators}
    names = run.matrix.areas["area_name"]
    found = dominance(run.result, config.report.dominance_factor) if found is None else found
    found = sorted(found, key=lambda d: (d.is_indicator, -abs(math.log(d.ratio))))
    lone = lone_indicators(run.result, config.framework, config.method, config.coherence.weak)
    return [*map(lone_sentence, lone),
            *(dominance_sentence(d, names[d.anchor], indicators[d.indicator].label, indicators[d.indicator].unit,
                                 config.level) for d in found)]


def validation_paragraph(result, level: str = "wijk") -> str:
    """A Dutch paragraph for the report on :func:`aandacht.scoring.validate.validate`: how well the
    score finds the known areas (rank AUC, how many in the top k, median percentile), against the best
    single baseline and chance; numbers with a decimal comma, no counts of people."""
    one, many, _ = area_words(level)
    table = result.table
    own = table.iloc[0]
    baselines = table[table["soort"].isin(["indicator", "KWB"])]
    interval = f"{fixed_nl(own['auc_laag'], 2)} tot {fixed_nl(own['auc_hoog'], 2)}"
    text = (f"De lijst noemt {result.n_known} {one if result.n_known == 1 else many} die volgens professionals aandacht "
            f"nodig {'heeft' if result.n_known == 1 else 'hebben'}. De {lower_first(str(own['maat']))} zet ze gemiddeld "
            f"hoger dan de andere {many}: de kans dat een genoemde {one} hoger scoort dan een niet-genoemde is "
            f"{fixed_nl(own['auc'], 2)} (AUC; bij toeval 0,50; 95%-interval {interval}). "
            f"Van de {result.n_known} genoemde {many} {'staat' if own['gevonden'] == 1 else 'staan'} er "
            f"{int(own['gevonden'])} in de top {result.top_k}; de middelste staat hoger dan "
            f"{percent(own['mediaan_percentiel'] / 100, 0)} van de {many}.")
    if len(baselines):
        best = baselines.sort_values("auc", ascending=False).iloc[0]
        if round(best["auc"], 2) > round(own["auc"], 2):
            verdict = "vindt ze beter dan de score"
        elif round(best["auc"], 2) == round(own["auc"], 2):
            verdict = "vindt ze even goed als de score"
        else:
            verdict = "vindt ze minder goed dan de score"
        significant = not (best["verschil_auc_laag"] <= 0 <= best["verschil_auc_hoog"])
        margin = "is groter dan de toevalsmarge" if significant else "valt binnen de toevalsmarge"
        text += (f" De beste enkele maatstaf, {lower_first(str(best['maat']))}, {verdict} (AUC "
                 f"{fixed_nl(best['auc'], 2)}); het verschil {margin}.")
    return text


def audit_paragraph(found, level: str = "wijk") -> str:
    """A Dutch paragraph on :func:`aandacht.scoring.audit.audit`: which input drives the ranking (the
    largest mean rank shift when it is left out, and how many areas then enter or leave the top k),
    which counts least, which indicator goes most and least with the score, and how consistent each
    domain of two or more indicators is (Cronbach's alpha, 0,7 as the usual bar)."""
    _, many, _ = area_words(level)
    summary = found.summary.sort_values(["mean_abs_shift", "max_abs_shift"], ascending=False, kind="stable")
    most, least = summary.iloc[0], summary.iloc[-1]

    def what(row) -> str:
        return f"het domein {row['label']}" if row["kind"] == "domein" else f"de indicator {lower_first(str(row['label']))}"

    def places(value: float) -> str:
        return f"{fixed_nl(value, 1)} {'plaats' if round(value, 1) == 1 else 'plaatsen'}"

    text = (f"De rangorde hangt het meest af van {what(most)}: zonder {'dat domein' if most['kind'] == 'domein' else 'die indicator'} "
            f"schuiven de {many} gemiddeld {places(most['mean_abs_shift'])} op of neer, "
            f"{most['area_max_shift']} het meest ({int(most['max_abs_shift'])}).")
    if found.top_k is not None:
        entered = [name for name in str(most["entered"]).split(", ") if name]
        left = [name for name in str(most["left"]).split(", ") if name]
        if entered or left:
            parts = []
            if entered:
                parts.append(f"{'komt' if len(entered) == 1 else 'komen'} {list_nl(entered)} in de top {found.top_k}")
            if left:
                parts.append(f"{'valt' if len(left) == 1 else 'vallen'} {list_nl(left)} eruit")
            text += f" Dan {' en '.join(parts)}."
        else:
            text += f" De top {found.top_k} blijft dan dezelfde."
    text += f" De rangorde hangt het minst af van {what(least)} (gemiddeld {places(least['mean_abs_shift'])})."
    corr = found.indicators.dropna(subset=["r_index"]).sort_values("r_index", ascending=False)
    if len(corr) >= 2:
        top, bottom = corr.iloc[0], corr.iloc[-1]
        text += (f" Van de indicatoren gaat {lower_first(str(top['label']))} het sterkst samen met de score "
                 f"(r = {fixed_nl(top['r_index'], 2)}), {lower_first(str(bottom['label']))} het zwakst "
                 f"(r = {fixed_nl(bottom['r_index'], 2)}).")
    for row in found.domains.dropna(subset=["cronbach_alpha"]).itertuples():
        verdict = ("meten samen één begrip" if row.cronbach_alpha >= 0.7
                   else "hangen weinig samen; het domein middelt verschillende dingen")
        text += f" De indicatoren van {row.label} {verdict} (Cronbachs alfa {fixed_nl(row.cronbach_alpha, 2)})."
    return text


# What an indicator counts (its ``per``), in the plural, for "minder dan 100 jongeren".
PER_PLURAL = {"kind": "kinderen", "jongere": "jongeren", "leerling": "leerlingen", "inwoner": "inwoners",
              "huishouden": "huishoudens", "huishouden met kinderen": "huishoudens met kinderen", "woning": "woningen",
              "school": "scholen"}


def indicatief_parts(run, code: str) -> list[str]:
    """Per value of the area ``code`` that rests on a denominator below its indicator's ``min_denominator``
    (mark I) one Dutch phrase naming the rule, never the count: 'indicatief: jongeren met jeugdzorg (minder
    dan 100 jongeren)'."""
    marks = run.matrix.reliability.loc[code]
    indicators = {i.id: i for i in run.config.framework.indicators}
    parts = []
    for indicator_id, mark in marks.items():
        if mark == "I":
            i = indicators[indicator_id]
            what = PER_PLURAL.get(i.per or "", "eenheden in de noemer")
            parts.append(f"indicatief: {lower_first(short_label(i.label))} (minder dan {number_nl(i.min_denominator)} {what})")
    return parts


def domain_parts(run, code: str) -> list[str]:
    """Per domain of the area ``code`` filled with the mean of the areas (``method.missing.domain: mean``) one
    Dutch phrase with the rank the area would have had with the domain's weight shared over the others."""
    filled = run.result.imputed_domains
    if filled.empty or code not in filled.index or not filled.loc[code].any():
        return []
    one, many, _ = area_words(run.config.level)
    labels = [lower_first(run.result.tree.labels[d]) for d, on in filled.loc[code].items() if on]
    other = run.result.rank_reweighted.get(code)
    return [f"indicatief: geen cijfers voor {list_nl(labels)}, aangevuld met het gemiddelde van de {many}"
            f"{'' if other is None or pd.isna(other) else f' (rang zonder aanvulling {other})'}"]


def indicatief_lines(run) -> list[str]:
    """Dutch lines naming every scored area whose rank rests in part on a value with a denominator below its
    indicator's ``min_denominator`` (the rules, not the counts), and every area scored with a domain filled with
    the mean (``method.missing.domain: mean``) with its rank without the filling; in rank order."""
    rank = run.result.rank.dropna().sort_values(kind="stable")
    names = run.matrix.areas["area_name"]
    one, many, _ = area_words(run.config.level)
    lines = []
    found = [(code, indicatief_parts(run, code)) for code in rank.index]
    found = [(code, [p.removeprefix("indicatief: ") for p in parts]) for code, parts in found if parts]
    if found:
        listed = "; ".join(f"{names[code]} (rang {rank[code]}: {', '.join(parts)})" for code, parts in found)
        lines.append(f"De rang van {len(found)} {many if len(found) > 1 else one} rust deels op een "
                     f"cijfer met een kleine noemer, dus indicatief: {listed}.")
    filled = [(code, domain_parts(run, code)) for code in rank.index]
    filled = [(code, parts[0].removeprefix("indicatief: ")) for code, parts in filled if parts]
    if filled:
        listed = "; ".join(f"{names[code]} (rang {rank[code]}: {part})" for code, part in filled)
        lines.append(f"Bij {len(filled)} {many if len(filled) > 1 else one} ontbreekt een heel domein; het is aangevuld met "
                     f"het gemiddelde, dus indicatief: {listed}.")
    return lines


def variants_paragraph(result, level: str = "wijk") -> str:
    """Dutch summary of :func:`aandacht.decide.variants.compare_variants`: who enters and leaves the
    designation with variant B, the mean rank shift and Spearman's rank correlation."""
    one, many, _ = area_words(level)
    table = result.table
    text = (f"Met de tweede variant schuiven de {many} gemiddeld {fixed_nl(result.mean_abs_shift, 1)} plaats op of neer "
            f"(rangcorrelatie van Spearman {fixed_nl(result.spearman, 2)}).")
    if result.designated:
        entered = list(table.loc[table["wijziging"] == "erbij", "area_name"])
        left = list(table.loc[table["wijziging"] == "eraf", "area_name"])
        if entered or left:
            parts = ([f"{list_nl(entered)} {'wordt' if len(entered) == 1 else 'worden'} aandachtsgebied"] if entered else []) + (
                [f"{list_nl(left)} niet meer"] if left else [])
            text += " " + "; ".join(parts) + "."
        else:
            text += " De aandachtsgebieden blijven dezelfde."
    return text


# The outputs and uncertain inputs of the Sobol analysis (scoring/uncertainty.py) in Dutch, for the terminal.
SOBOL_WORDS = {"designation changes": "wijzigingen in de aanwijzing", "mean absolute rank shift": "gemiddelde verschuiving van de rang",
               "normalisation": "normalisatie", "treatment": "behandeling van uitschieters",
               "leave one out": "één indicator weglaten", "indicators": "indicatoren", "nodes": "domeinen"}


def sobol_words(name: str) -> str:
    """'gewichten: indicatoren' for 'weights: indicators', 'één indicator weglaten' for 'leave one out';
    a name without a translation (a group of the config) as it is."""
    if name.startswith("weights: "):
        return "gewichten: " + SOBOL_WORDS.get(name.removeprefix("weights: "), name.removeprefix("weights: "))
    return SOBOL_WORDS.get(name, name)
