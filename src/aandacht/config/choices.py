"""The choices the config offers, one registry each: the names it accepts and what they mean.

Each registry maps a choice's config name to its description in Dutch, the text the report
prints. The config's fields are derived from these registries (:data:`NormalisationMethod`
and the other ``Literal`` types), the command-line options that override them list the same
names, and the code that computes a method dispatches on them and checks at import that it
implements exactly these (:func:`check_implemented`): a method is added here first, and
every other place follows or fails loudly.

This module imports nothing heavy, so the command line can build its options from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

# Bounds of the numbers the config and the command line share (aandacht.config.base types them).
MAX_COUNT = 100_000  # more than the buurten of the Netherlands (about 14,500): any count of areas, schools or IKCs
MAX_SEED = 2**32 - 1  # seeds of the random generators: 32 bits, as every numpy and Python generator accepts
MAX_DRAWS = 1_000_000  # Monte Carlo draws of the uncertainty analysis
# Weights are relative: beyond these bounds a weight only loses precision (a float near 1e-308 keeps
# few digits) or overflows when weights are summed.
MIN_WEIGHT, MAX_WEIGHT = 1e-9, 1e6
# Multipliers, score scales and goalposts: far beyond any real value, far below where sums of weighted
# values would overflow.
MAX_MAGNITUDE = 1e12

NORMALISATIONS: dict[str, str] = {
    "minmax": "min-max: y = a + (b \u2212 a)\u00b7(x \u2212 min)/(max \u2212 min), met richting \u22121 gespiegeld",
    "zscore": "z-score: y = (x \u2212 gemiddelde)/standaardafwijking \u00d7 richting",
    "rank": "rangnummer",
    "percentile_rank": "percentielrang",
    "goalposts": "doelpalen: y = (x \u2212 ondergrens)/(bovengrens \u2212 ondergrens)",
    "distance_to_reference": "afstand tot een referentiegebied: y = (x \u2212 min)/(x_ref \u2212 min), met richting "
                             "\u22121 gespiegeld; het referentiegebied krijgt de bovenkant van het bereik",
    "distance_to_target": "afstand tot een doelwaarde: y = (x \u2212 min)/(doel \u2212 min), met richting \u22121 "
                          "gespiegeld; een gebied op het doel krijgt de bovenkant van het bereik",
    "borda": "Borda-telling: het aantal gebieden met een lagere waarde (rangnummer \u2212 1)",
}
AGGREGATIONS: dict[str, str] = {
    "arithmetic": "gewogen rekenkundig gemiddelde \u03a3 w\u1d62x\u1d62 / \u03a3 w\u1d62",
    "geometric": "gewogen meetkundig gemiddelde \u03a0 x\u1d62^(w\u1d62/\u03a3w)",
    "harmonic": "gewogen harmonisch gemiddelde \u03a3 w\u1d62 / \u03a3 (w\u1d62/x\u1d62)",
}
IMPUTATIONS: dict[str, str] = {
    "none": "geen",
    "mean": "gemiddelde van de gebieden",
    "median": "mediaan van de gebieden",
    "knn": "gemiddelde van de meest gelijkende gebieden (k-nearest neighbours)",
    "group_mean": "gemiddelde van de gebieden in dezelfde groep",
    "group_median": "mediaan van de gebieden in dezelfde groep",
}
LOG_TRANSFORMS: dict[str, str] = {
    "log_ct": "ln(x \u2212 min + 0,01\u00b7(max \u2212 min))",
    "log_ct_plus": "ln(x \u2212 min + a) bij rechtsscheve, \u2212ln(max + a \u2212 x) bij linksscheve verdeling, "
                   "a = 0,01\u00b7(max \u2212 min)",
    "log_ct_orig": "ln(x \u2212 min + 1)",
}
SCREENINGS: dict[str, str] = {
    "none": "geen",
    "missing": "gebieden met een waarde voor minder dan het minimumaandeel van de indicatoren krijgen geen score",
    "zeros": "gebieden met minder dan het minimumaandeel waarden ongelijk aan nul krijgen geen score",
    "missing_or_zeros": "gebieden met te weinig waarden of te weinig waarden ongelijk aan nul krijgen geen score",
}
WEIGHTINGS: dict[str, str] = {
    "config": "gewichten uit de configuratie",
    "pca": "gewichten uit een hoofdcomponentenanalyse per groep: het kwadraat van de lading op de eerste component",
}
CLASSIFICATIONS: dict[str, str] = {
    "quantiles": "kwantielen",
    "fisher_jenks": "natuurlijke grenzen (Fisher-Jenks)",
    "fixed": "vaste grenzen",
}
INPUT_LOADERS: dict[str, str] = {
    "kwb": "CBS Kerncijfers Wijken en Buurten (download of OData-cache)",
    "school_scores": "schooltabel met CBS-achterstandsscores",
    "oab": "CBS/Inspectie onderwijsachterstanden (schoolbestand, schoolweging, dashboard)",
    "kinderen_in_tel": "Kinderen in Tel databoek",
    "jeugdmonitor": "Jeugdmonitor (Swing/incijfers, GGD)",
    "duo": "DUO-lijst van schoolvestigingen",
    "generic": "tabel met een beschreven opmaak",
}

MAP_SIZES: dict[str, str] = {"a4": "A4 staand", "slide": "dia 16:9"}
MAP_FORMATS: dict[str, str] = {"png": "PNG", "pdf": "PDF"}

NormalisationMethod = Literal[tuple(NORMALISATIONS)]
AggregationMethod = Literal[tuple(AGGREGATIONS)]
ImputationMethod = Literal[tuple(IMPUTATIONS)]
LogTransform = Literal[tuple(LOG_TRANSFORMS)]
ScreeningRule = Literal[tuple(SCREENINGS)]
Weighting = Literal[tuple(WEIGHTINGS)]
ClassificationMethod = Literal[tuple(CLASSIFICATIONS)]
LoaderName = Literal[tuple(INPUT_LOADERS)]
MapSize = Literal[tuple(MAP_SIZES)]
MapFormat = Literal[tuple(MAP_FORMATS)]


def check_implemented(family: str, registry: dict[str, str], implemented: Iterable[str]) -> None:
    """Raise when the code implementing a method family does not cover exactly its registry."""
    missing, extra = sorted(set(registry) - set(implemented)), sorted(set(implemented) - set(registry))
    if missing or extra:
        raise RuntimeError(f"{family}: registry and implementation differ (not implemented {missing}, "
                           f"not registered {extra})")
