"""The report's method appendix in words: first what the score does and why each choice was
made, in plain Dutch built from the config, then the formulas.

Every paragraph follows from the config (method, weights, population gate, uncertainty,
designation and selection), so that the text changes when a choice changes. The formulas are
those of the docstrings of :mod:`aandacht.scoring` (OECD/JRC Handbook on Constructing Composite
Indicators, 2008; COINr for the exact semantics).
"""

from __future__ import annotations

import pandas as pd

from ..config import Config
from ..dutch import dutch_number, list_nl
from ..inputs.areas import code_named
from .phrases import lower_first, percent

NORMALISATION_WORDS = {
    "minmax": ("Elk cijfer wordt omgerekend naar een schaal van {lo} tot {hi}: de wijk waar het cijfer het gunstigst is "
               "krijgt {lo}, de wijk waar het het ongunstigst is {hi}, de andere wijken daartussen naar verhouding. Zo "
               "worden cijfers in procenten, euro's en aantallen per 1.000 inwoners met elkaar vergelijkbaar, en is de "
               "uitkomst makkelijk uit te leggen. Keerzijde: de schaal hangt af van de twee uiterste wijken."),
    "zscore": ("Elk cijfer wordt uitgedrukt in het aantal standaardafwijkingen dat de wijk van het gemiddelde van de "
               "wijken afligt."),
    "rank": "Elk cijfer wordt vervangen door de plaats van de wijk in de rij van alle wijken.",
    "percentile_rank": ("Elk cijfer wordt vervangen door de plaats van de wijk in de rij van alle wijken, als "
                        "percentage: hoe extreem een wijk is, telt dan niet mee, alleen de volgorde."),
    "goalposts": ("Elk cijfer wordt omgerekend tussen twee vooraf vastgelegde grenzen per indicator (doelpalen), zodat "
                  "de schaal niet verschuift met de uiterste wijken van deze ronde."),
}
AGGREGATION_WORDS = {
    "arithmetic": ("Binnen elk domein nemen we het gewogen gemiddelde van de indicatoren; de {index} is het gewogen "
                   "gemiddelde van de domeinen. Een hoge waarde op het ene onderdeel kan een lage op het andere dus "
                   "compenseren, en het aandeel van elk onderdeel in de score is direct af te lezen."),
    "geometric": ("Binnen elk domein en daarboven nemen we het gewogen meetkundig gemiddelde: een lage waarde op één "
                  "onderdeel wordt minder makkelijk gecompenseerd door een hoge op een ander."),
    "harmonic": ("Binnen elk domein en daarboven nemen we het gewogen harmonisch gemiddelde: een lage waarde op één "
                 "onderdeel weegt sterk door."),
}
FORMULA_NORMALISATION = {
    "minmax": "y = a + (b \u2212 a) \u00b7 (x \u2212 min) / (max \u2212 min); bij richting \u22121 gespiegeld",
    "zscore": "y = richting \u00b7 (x \u2212 gemiddelde) / standaardafwijking",
    "rank": "y = rangnummer van x onder de wijken (gelijke waarden krijgen het gemiddelde rangnummer)",
    "percentile_rank": "y = 100 \u00b7 (rangnummer \u2212 1) / (aantal wijken \u2212 1)",
    "goalposts": "y = (x \u2212 ondergrens) / (bovengrens \u2212 ondergrens), begrensd op 0 tot 1",
}
FORMULA_AGGREGATION = {
    "arithmetic": "s = \u03a3 w\u1d62 y\u1d62 / \u03a3 w\u1d62 over de aanwezige onderdelen i",
    "geometric": "s = \u03a0 y\u1d62^(w\u1d62 / \u03a3 w)",
    "harmonic": "s = \u03a3 w\u1d62 / \u03a3 (w\u1d62 / y\u1d62)",
}


def plain(config: Config, index_name: str, level_plural: str) -> list[tuple[str, str]]:
    """(heading, paragraph) pairs: the method in plain Dutch (module docstring)."""
    framework, method = config.framework, config.method
    domains = [n for n in framework.nodes if n.parent == framework.index.id]
    years = sorted({spec.period for spec in config.inputs.values()})
    text = [("Wat de score meet", (
        f"De {lower_first(index_name)} zegt per {config.level} hoeveel aandacht de kinderen er nodig hebben, vergeleken met "
        f"de andere {level_plural} van {config.gemeente.name}: 0 is de {config.level} die het minst, 100 de "
        f"{config.level} die het meest aandacht nodig heeft. Hij is geen oordeel over de mensen die er wonen. Hij "
        f"combineert {len(framework.indicators)} cijfers (indicatoren) in {len(domains) or 1} domeinen: "
        f"{list_nl([lower_first(d.label) for d in domains] or [framework.index.label])}. De cijfers komen uit "
        f"openbare bronnen van {years_text(years)}; per bron staat het jaar hieronder."))]
    norm = method.normalisation
    words = NORMALISATION_WORDS.get(norm.method, "")
    text.append(("Van cijfer naar schaal", words.format(lo=f"{norm.range[0]:g}", hi=f"{norm.range[1]:g}")
                 + " Bij indicatoren waar een lager cijfer meer aandacht vraagt (zoals het inkomen) is de schaal omgedraaid."))
    text.append(("Samenvoegen", AGGREGATION_WORDS.get(method.aggregation.method, "").format(index=lower_first(index_name))))
    weights = [n.weight for n in domains]
    if weights and len(set(weights)) == 1:
        text.append(("Gewichten", (
            f"Alle domeinen wegen even zwaar ({percent(1 / len(domains))} elk). Zolang er geen afgesproken reden is om "
            "het ene domein belangrijker te vinden dan het andere, is dat de neutrale keuze (OECD/JRC-handboek voor "
            "samengestelde indicatoren, 2008). Binnen een domein wegen de indicatoren volgens de instellingen; het "
            "werkelijke aandeel van elk onderdeel in de score kan afwijken van het bedoelde gewicht: zie de tabel "
            "hieronder.")))
    elif weights:
        shares = [f"{lower_first(n.label)} {percent(n.weight / sum(weights))}" for n in domains]
        text.append(("Gewichten", f"De domeinen wegen: {list_nl(shares)}. Het werkelijke aandeel van elk onderdeel in de "
                                  "score kan afwijken van het bedoelde gewicht: zie de tabel hieronder."))
    text.append(("Werkelijk gewicht", (
        "Het bedoelde gewicht zegt hoe zwaar een onderdeel zou moeten tellen. Het werkelijke aandeel is hoeveel het "
        f"gemiddeld over de {level_plural} van de score uitmaakt. Ligt één {config.level} ver van alle andere (bijvoorbeeld "
        "een wijk met bijna geen jeugdzorg), dan neemt die het ene eind van de schaal in en komen alle andere aan het "
        "andere eind: het onderdeel telt dan veel zwaarder (of lichter) dan bedoeld. Waar het werkelijke aandeel meer "
        f"dan een factor {dutch_number(config.report.dominance_factor, 1)} afwijkt, staat dat in de samenvatting, met de "
        f"{config.level} die de schaal bepaalt.")))
    t = method.treatment
    if t.enabled:
        text.append(("Uitschieters", (
            f"Eén {config.level} met een extreem cijfer zou alle andere op een kluitje duwen. Is een indicator erg scheef "
            f"verdeeld (scheefheid minstens {dutch_number(t.skew, 1)} en kurtosis minstens {dutch_number(t.kurtosis, 1)}), "
            f"dan worden de uiterste waarden stap voor stap ingeperkt tot de eerstvolgende waarde (winsoriseren; gelijke "
            f"uiterste waarden samen, hoogstens {t.max_winsorised} waarden)"
            + ("; is dat niet genoeg, dan wordt de logaritme van de cijfers genomen." if t.log_if_still_skewed else ".")
            + " Dit is de regel van het OECD/JRC-handboek, zoals COINr die toepast. Wat er per indicator is gebeurd, "
              "staat onder gegevenskwaliteit.")))
    small = []
    if config.population:
        gate = config.population
        relative = ("" if gate.relative_to_median is None else
                    f" en ten minste {percent(gate.relative_to_median)} van het aantal in de middelste {config.level}")
        small.append(f"Alleen {level_plural} met ten minste {gate.minimum:g} "
                     f"{gate.label}{relative} krijgen een score: het programma gaat over kinderen, dus een "
                     f"{config.level} met vooral studenten of ouderen wordt niet aangewezen op armoede van volwassenen.")
    shrunk = [lower_first(i.label) for i in framework.indicators if config.shrinkage_of(i) != "none"]
    if shrunk:
        small.append(f"Voor {list_nl(shrunk)} trekken we {level_plural} met weinig inwoners naar het gemiddelde van de "
                     "gemeente (empirisch-Bayesiaanse schatting, Marshall 1991): bij weinig inwoners zegt een toevallig "
                     "hoog of laag cijfer weinig; grote wijken veranderen nauwelijks.")
    small.append("Een cijfer dat op een kleine noemer rust, heet indicatief (I) en staat zo in de tabellen. Aantallen "
                 f"onder {config.report.suppress_below} worden niet getoond (\u201c<{config.report.suppress_below}\u201d).")
    text.append(("Kleine aantallen", " ".join(small)))
    text.append(("Ontbrekende cijfers", (
        "Ontbreekt een cijfer, dan tellen de andere indicatoren van hetzelfde domein zwaarder mee. Zijn er van een "
        f"domein minder dan {percent(method.missing.min_share)} van de indicatoren, dan krijgt het domein geen score."
        + (" Ontbrekende cijfers worden niet bijgeschat." if method.missing.imputation == "none" else
           " Ontbrekende cijfers worden bijgeschat uit de andere wijken."))))
    unc = config.uncertainty
    variants = []
    noise = [f"{percent(v, 0)}" for v in unc.weight_noise.values() if v > 0]
    if noise:
        variants.append(f"elk gewicht tot {max(noise)} hoger of lager")
    if len(unc.normalisation) > 1:
        variants.append("een andere schaal (" + list_nl([NORMALISATION_NAMES.get(m, m) for m in unc.normalisation]) + ")")
    if len(unc.treatment) > 1:
        variants.append("met en zonder het inperken van uitschieters")
    if unc.leave_one_out:
        variants.append("telkens één indicator weggelaten")
    if variants:
        text.append(("Hoe zeker is de aanwijzing", (
            f"We hebben de hele berekening {dutch_number(unc.draws, 0)} keer overgedaan, telkens met andere maar "
            f"verdedigbare keuzes: {list_nl(variants)}. De kans op aanwijzing is het deel van die berekeningen waarin een "
            f"{config.level} aandachtsgebied wordt. Een kans van 95% of meer betekent: de aanwijzing hangt niet af van "
            "de precieze methode.")))
    if config.designation is not None:
        rules = []
        d = config.designation
        if d.top_k:
            rules.append(f"de {d.top_k} {level_plural} met de hoogste score")
        if d.min_score is not None:
            rules.append(f"een score van ten minste {d.min_score:g}")
        if d.min_probability is not None:
            rules.append(f"een kans op aanwijzing van ten minste {percent(d.min_probability, 0)}")
        if d.min_population:
            rules.append(f"ten minste {d.min_population:g} {config.population.label if config.population else 'inwoners'}")
        text.append(("Aanwijzing", "Aandachtsgebied worden: " + list_nl(rules) + ". Dit zijn beleidskeuzes voor het "
                                   "bestuurlijk overleg, geen feiten uit de cijfers."))
    if config.selection is not None:
        s, c = config.selection, config.selection.continuity
        text.append(("Keuze van de Plus-IKC's", (
            f"Er zijn {s.n_plus} plaatsen. De behoefte van een IKC combineert de achterstandsscore van de school per 100 "
            "leerlingen, de achterstandsscore in totaal en de score van de wijk (elk op een schaal tot 100 voor het "
            "hoogste IKC). Een IKC komt in aanmerking als het in een aandachtsgebied staat en de behoefte ten minste "
            f"{dutch_number(c.entry_need, 0)} is. Een Plus-IKC houdt het predicaat {c.term_years} jaar, zolang de "
            f"behoefte ten minste {dutch_number(c.exit_need, 0)} blijft: de lagere drempel voor blijven voorkomt dat "
            "toeval geld heen en weer schuift. Het rekenprogramma kiest de combinatie met de grootste totale behoefte, "
            "met ten minste één Plus-IKC in elk aandachtsgebied waar een IKC in aanmerking komt (bijlage A).")))
    return text


def names_note(registry: pd.DataFrame, level: str, level_plural: str) -> list[tuple[str, str]]:
    """(heading, paragraph) on the areas of ``level`` whose name is made from the code because no published
    name was found (:func:`aandacht.inputs.areas.code_named`); nothing when every area has a published name."""
    named = code_named(registry, level)
    if not named:
        return []
    total = int((registry["level"] == level).sum())
    names = registry.set_index("area_code")["area_name"]
    examples = list_nl([f"\u201c{names[code]}\u201d" for code in named[:2]])
    what = "heeft" if len(named) == 1 else "hebben"
    return [("Namen", (
        f"{len(named)} van de {total} {level_plural} {what} in de gegevens van dit rapport geen gepubliceerde naam. Ze "
        f"heten hier naar hun CBS-code (bijvoorbeeld {examples}). Met de wijk- en buurtkaart van het CBS als "
        "grensbestand krijgen ze hun eigen naam."))]


NORMALISATION_NAMES = {"minmax": "van gunstigste tot ongunstigste wijk", "zscore": "standaardscores",
                       "rank": "rangnummers", "percentile_rank": "rangorde in procenten", "goalposts": "doelpalen"}


def years_text(years: list[str]) -> str:
    return years[0] if len(years) == 1 else f"{years[0]} tot en met {years[-1]}"


def formulas(config: Config) -> list[tuple[str, str]]:
    """(name, formula) pairs for the steps of the score."""
    m = config.method
    rows = []
    if m.treatment.enabled:
        rows.append(("Uitschieters", f"winsoriseren zolang |scheefheid| \u2265 {dutch_number(m.treatment.skew, 1)} en "
                                     f"kurtosis \u2265 {dutch_number(m.treatment.kurtosis, 1)}, hoogstens "
                                     f"{m.treatment.max_winsorised} waarden (gelijke uiterste waarden samen); daarna zo "
                                     "nodig een logaritmische transformatie (COINr)"))
    rows.append(("Schaal", FORMULA_NORMALISATION.get(m.normalisation.method, "")
                 + (f", met a = {m.normalisation.range[0]:g} en b = {m.normalisation.range[1]:g}"
                    if m.normalisation.method == "minmax" else "")))
    rows.append(("Samenvoegen", FORMULA_AGGREGATION.get(m.aggregation.method, "") + "; per niveau van de boom, "
                 "van indicatoren naar domeinen naar de score"))
    rows.append(("Ontbrekend", f"gewichten herverdeeld over de aanwezige onderdelen; minder dan "
                               f"{percent(m.missing.min_share)} aanwezig: geen score"))
    rows.append(("Bedoeld gewicht", "n\u1d62 = product van w / \u03a3 w (de broers en zussen) langs het pad van "
                                    "indicator i naar de score"))
    rows.append(("Werkelijk aandeel", "c\u1d62 = gemiddelde over de wijken van n\u1d62(wijk) \u00b7 y\u1d62 / score; "
                                      "gemeld als c/n groter is dan de drempelfactor of kleiner dan 1 gedeeld door die factor"))
    rows.append(("Vooral door", "d\u1d62 = n\u1d62 \u00b7 y\u1d62 (het aandeel van indicator i in de score) over de "
                                "indicatoren waarop de wijk slechter scoort dan de gemeente (zonder gemeentecijfer: "
                                "dan de middelste wijk); de grootste d\u1d62 eerst"))
    if any(config.shrinkage_of(i) != "none" for i in config.framework.indicators):
        rows.append(("Kleine wijken", "r\u0302 = m + (r \u2212 m) \u00b7 v / (v + m / n): r de wijkwaarde, m het "
                                      "gemeentecijfer, v de variantie tussen wijken, n de noemer (Marshall 1991)"))
    rows.append(("Kans op aanwijzing", "aandeel van de varianten waarin de wijk aan de aanwijzingsregel voldoet"))
    return rows

