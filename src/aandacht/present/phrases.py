"""Plain Dutch sentences shared by the terminal, the maps and the report.

Numbers go through :mod:`aandacht.dutch` (decimal comma, "12,5%"); counts of people never
appear in these sentences (they are shown, suppressed, in tables only).
"""

from __future__ import annotations

import pandas as pd

from ..dutch import dutch_number, number_nl
from ..scoring.dominance import Dominance, dominance


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


def area_words(level: str) -> tuple[str, str, str]:
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


def dominance_lines(run, found: list[Dominance] | None = None) -> list[str]:
    """:func:`dominance_sentence` for every node of a scoring run whose real share of the score is off its
    weight by more than the config's ``report.dominance_factor`` (or for ``found``): domains first, then
    indicators, the largest difference (as a factor) first within each."""
    import math

    indicators = {i.id: i for i in run.config.framework.indicators}
    names = run.matrix.areas["area_name"]
    found = dominance(run.result, run.config.report.dominance_factor) if found is None else found
    found = sorted(found, key=lambda d: (d.is_indicator, -abs(math.log(d.ratio))))
    return [dominance_sentence(d, names[d.anchor], indicators[d.indicator].label, indicators[d.indicator].unit,
                               run.config.level) for d in found]


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
