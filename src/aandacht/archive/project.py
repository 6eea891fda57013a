"""``aandacht init``: a project folder for any gemeente, from the national embedded data.

    project/
      configs/<gemeente>.yaml        every section a herijking needs, each default with its reason
      configs/school_locations.csv   empty: brin_vestiging, wijk_code, reason (places schools by hand)
      configs/school_changes.csv     empty: old_code, new_code, year, source (closures and mergers)
      configs/ovt_locations.csv      empty: ovt, brin_vestiging, wijk_code, reason
      configs/school_boards.csv      the gemeente's board numbers, names to fill (short names for the overleg)
      data/<gemeente>/               the gemeente's share of data/nl (:mod:`aandacht.inputs.national`)

For the gemeenten aandacht ships (Leeuwarden, Leiden, Leidschendam-Voorburg) the shipped config and
its files are copied instead, as editable files.

**Defaults that scale with the gemeente** (each written into the config with how it was derived):

* *level*: the areas the programme needs are neighbourhoods, small enough to hold an aandachtsgebied and
  large enough to be reliable. A wijk or buurt is *rankable* (reliable) when it has at least 50 households
  with children and at least a fifth of those of the median unit of its level (the population gate
  max(50, 0.2 x median), KWB 2023 ``a_hh_m_k``; ``population.relative_to_median``). The wijken of a
  gemeente are *districts* when its rankable wijken have a median of more than ``NEIGHBOURHOOD`` (15,000)
  inhabitants (KWB 2023 ``a_inw``): the largest neighbourhoods a Dutch area programme works in, the seven
  focuswijken of the Nationaal Programma Rotterdam Zuid (Afrikaanderwijk, Bloemhof, Carnisse, Feijenoord,
  Hillesluis, Oud-Charlois, Tarwewijk), are CBS buurten of 7,675 to 14,070 inhabitants (KWB 2023), while the
  median wijk of the Netherlands has 3,188 and 95% of wijken have fewer than 16,800. The config ranks wijken
  when at least ``MIN_WIJKEN`` (5) wijken are rankable and they are not districts, else buurten when more
  buurten than wijken are rankable (Rotterdam, Utrecht, Den Haag, Maastricht, Nijmegen, Breda, Enschede and
  Zoetermeer switch to buurten; README); fewer than ``MIN_UNITS`` (3) rankable units at either level is no
  ranking: ``init`` refuses with the counts (a ranking of one or two areas says nothing).
* *indicators*: the Leeuwarden framework (schoolweging, leerresultaten, low incomes, bijstand, income,
  jeugdzorg, koopwoningen, herkomst), each kept when it has a value for at least half of the rankable
  units (the same share as ``method.missing.min_share``) and not the same value for all of them (a
  constant tells nothing and min-max cannot scale it; for a rate, shrunk toward the gemeente rate by
  ``method.shrinkage: gemeente``, after the shrinkage); a domain left without indicators is left out. *No indicator gains weight because
  its siblings are missing*: a domain that keeps only some of its framework indicators weighs the share
  they have in the framework (armoede with 2 of its 3 indicators weighs 2/3; gezin with herkomst alone
  weighs 1/2), so the only indicator left of a domain keeps the weight of one indicator instead of
  becoming a domain of its own with a whole domain's weight ("Inwoners met herkomst buiten Europa" was 33%
  of the score where the school and koopwoningen figures were missing), and every indicator keeps its
  weight relative to every other indicator used. Domains without any data cannot be kept in proportion:
  their share is spread over the others, so all used indicators weigh more than in the full framework by the
  same factor. The config lists each used indicator's share beside its share in the full framework, and
  names every indicator that weighs more than twice its framework share.
  At buurt level the school indicators are left out: no public buurt boundaries ship for the whole
  country, so schools cannot be placed in buurten until ``aandacht fetch locations`` or the analyst
  places them; KWB 2022 (koopwoningen) exists per wijk only.
* *designation*: the top third of the rankable units (``round(n / 3)``, at least 1), as Leeuwarden's
  7 of 21;
* *hard core* (consensus): the top ``k`` of the designation in at least 2 source families (or 1 when
  there is only one);
* *Plus-IKCs*: ``round(9 / 7 x k)``, as Leeuwarden's 9 Plus-IKCs for 7 aandachtsgebieden, at most the
  number of schools with a 2019 score and at least 1.

**Names**: ``areas.csv`` keeps each area's ``name_source`` (``data/nl/gebieden.csv.gz``: a published name
of CBS, else a name made from the code as a last resort). When some areas of the ranked level have no
published name, the terminal says so once, with how many and an example, and so does the config, and the
report's method appendix (:func:`aandacht.present.method_text.names_note`).

The folder is written into a hidden staging folder next to it and renamed into place when complete;
an existing folder that is not empty is never touched.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import PopulationGate, load_config, named_paths
from ..errors import ConfigError, OutputError
from ..inputs.areas import code_named_note
from ..inputs.boundaries import LEVEL_PREFIX
from ..inputs.harmonise import normalise_name
from ..inputs.matrix import gate_minimum
from ..inputs.national import GemeenteData, find_gemeente, gemeente_data, with_boundaries
from ..inputs.shrinkage import marshall
from ..present.tables import write_extract
from ..resources import embedded_root

GATE = 50  # households with children: the population gate of the Leeuwarden config
NEIGHBOURHOOD = 15000  # inhabitants: above this median the rankable wijken are districts (module docstring)
RELATIVE_GATE = 0.2  # ... and at least this share of the median area's (population.relative_to_median)
POPULATION_GATE = PopulationGate(input="kwb2023", variable="a_hh_m_k", minimum=GATE, label="huishoudens met kinderen",
                                 relative_to_median=RELATIVE_GATE)  # the `population` section init writes
MIN_WIJKEN = 5
MIN_UNITS = 3
MIN_SHARE = 0.5


def slug(name: str) -> str:
    """File-name form of a gemeente name: 'Súdwest-Fryslân' -> 'sudwest-fryslan'."""
    return normalise_name(name).replace(" ", "-")


def shipped_config(name: str) -> Path | None:
    """The shipped config of a gemeente (by its name), or None."""
    path = embedded_root() / "configs" / f"{slug(name)}.yaml"
    return path if path.is_file() else None


@dataclass(frozen=True)
class Indicator:
    """One framework indicator of the template and the data it needs."""

    id: str
    domain: str
    yaml: str  # the YAML lines of the indicator (without the comment)
    comment: str
    variables: tuple[str, ...]  # KWB 2023 columns it reads (empty: a school indicator)
    source: str = "kwb2023"


INDICATORS = (
    Indicator("schoolweging", "onderwijs", """    - id: schoolweging
      label: Schoolweging van de scholen in de {unit}
      parent: onderwijs
      direction: 1
      input: schoolweging
      variable: schoolweging
      unit: schoolweging
      per: leerling
      min_denominator: 100""", "Expected educational disadvantage of the pupils of the schools in the {unit} (Inspectie/CBS "
              "schoolweging 2023-2024), weighted by pupils; fewer than 100 pupils is 'indicatief'.", (), "schools"),
    Indicator("leerresultaten", "onderwijs", """    - id: leerresultaten
      label: Leerlingen die streefniveau 1S/2F halen
      parent: onderwijs
      direction: -1
      input: leerresultaten
      variable: pct_1s2f
      unit: "%"
      per: leerling
      min_denominator: 60""", "Share of the pupils tested in 2023-2025 that reached 1S/2F (fewer is more risk); fewer than "
              "60 tested pupils is 'indicatief'.", (), "schools"),
    Indicator("laag_inkomen", "armoede", """    - id: laag_inkomen
      label: Huishoudens met laagste 40% inkomens
      parent: armoede
      direction: 1
      input: kwb2023
      variable: p_hh_li
      unit: "%"
      per: huishouden
      min_denominator: 100""", "Share of households in the lowest 40% of national incomes (KWB 2023).", ("p_hh_li",)),
    Indicator("bijstand", "armoede", """    - id: bijstand
      label: Personen met bijstand per 1.000 inwoners
      parent: armoede
      direction: 1
      input: kwb2023
      numerator: a_soz_wb
      denominator: a_inw
      scale: 1000
      unit: per 1.000 inwoners
      per: inwoner
      min_denominator: 200
      shrinkage: gemeente""", "People on bijstand per 1,000 inwoners, shrunk toward the gemeente rate for small areas "
              "(Marshall 1991).", ("a_soz_wb", "a_inw")),
    Indicator("inkomen", "armoede", """    - id: inkomen
      label: Gemiddeld inkomen per inwoner
      parent: armoede
      direction: -1
      input: kwb2023
      variable: g_ink_pi
      unit: x 1.000 euro
      per: inwoner""", "Average income per inhabitant (lower is more risk); CBS publishes it for few small areas.",
              ("g_ink_pi",)),
    Indicator("jeugdzorg", "jeugdhulp", """    - id: jeugdzorg
      label: Jongeren met jeugdzorg
      parent: jeugdhulp
      direction: 1
      input: kwb2023
      variable: p_jz_tn
      unit: "% van jongeren tot 18 jaar"
      per: jongere
      min_denominator: 100""", "Share of young people with jeugdzorg in natura (KWB 2023).", ("p_jz_tn",)),
    Indicator("koopwoningen", "gezin", """    - id: koopwoningen
      label: Koopwoningen
      parent: gezin
      direction: -1
      input: kwb2022
      variable: p_koopw
      unit: "%"
      per: woning""", "Share of owner-occupied dwellings (KWB 2022, per wijk only): few means many rented homes.",
              ("p_koopw",), "kwb2022"),
    Indicator("herkomst_buiten_europa", "gezin", """    - id: herkomst_buiten_europa
      label: Inwoners met herkomst buiten Europa
      parent: gezin
      direction: 1
      input: kwb2023
      numerator: a_neu_al
      denominator: a_inw
      scale: 100
      unit: "%"
      per: inwoner
      min_denominator: 200""", "Share of residents with a herkomst outside Europe: a predictor of expected educational "
              "disadvantage (language at home) in the CBS indicator; weight it 0 to leave it out.", ("a_neu_al", "a_inw")),
)
DOMAINS = {"onderwijs": "Onderwijsachterstanden", "armoede": "Armoede en inkomen", "jeugdhulp": "Jeugdhulp",
           "gezin": "Gezinssituatie en wonen"}


@dataclass
class ProjectPlan:
    """What ``init`` proposes for a gemeente, with the figures each default was derived from."""

    data: GemeenteData
    slug: str
    level: str
    rankable: dict[str, int]  # level -> units that pass the gate of that level
    gates: dict[str, float]  # level -> the gate: max(GATE, RELATIVE_GATE x the median units' households with children)
    units: dict[str, int]  # level -> all units
    inhabitants: dict[str, float]  # level -> the median inhabitants of its rankable units (KWB 2023 a_inw)
    rule_level: str  # the level the level rule chooses (``level`` differs when forced)
    coverage: dict[str, int]  # indicator id -> rankable units with a value
    chosen: list[Indicator]
    top_k: int
    n_plus: int
    families: int
    constant: set[str] = field(default_factory=set)  # indicators with one value for every rankable unit

    def domain_weight(self, domain: str) -> float:
        """The domain's weight: the share of its framework indicators that is used (1 when all are)."""
        return sum(i.domain == domain for i in self.chosen) / sum(i.domain == domain for i in INDICATORS)

    def shares(self) -> dict[str, float]:
        """Each used indicator's nominal share of the score (every value present): its domain's weight over
        the sum of the domain weights, divided by the domain's used indicators (equal weights)."""
        domains = list(dict.fromkeys(i.domain for i in self.chosen))
        total = sum(self.domain_weight(d) for d in domains)
        return {i.id: self.domain_weight(i.domain) / total / sum(j.domain == i.domain for j in self.chosen)
                for i in self.chosen}

    @property
    def polygons(self) -> bool:
        """Whether the project has polygons of its ranked level (wijken with a public 2022 polygon or from a
        boundary file; buurten from a boundary file)."""
        if self.level == "buurt":
            return self.data.buurten is not None
        return len(self.data.wijken) > 0

    @property
    def n(self) -> int:
        return self.rankable[self.level]

    def level_note(self) -> str:
        """Why the project ranks its level, with the gemeente's figures (module docstring, *level*): one Dutch sentence,
        printed by ``init`` and copied as a comment into the config."""
        count = self.rankable["wijk"]
        wijken = f"{count} rangschikbare wijk{'en' if count != 1 else ''}"
        if self.rule_level == "buurt" and count >= MIN_WIJKEN:
            reason = (f"de {wijken} zijn stadsdelen (mediaan {self.inhabitants['wijk']:.0f} inwoners, meer dan "
                      f"{NEIGHBOURHOOD}); de {self.rankable['buurt']} rangschikbare buurten hebben een mediaan van "
                      f"{self.inhabitants['buurt']:.0f}")
        elif self.rule_level == "buurt":
            reason = f"er {'is' if count == 1 else 'zijn'} maar {wijken} (minstens {MIN_WIJKEN} nodig)"
        elif count < MIN_WIJKEN:
            reason = f"er {'is' if count == 1 else 'zijn'} maar {wijken}, en niet meer rangschikbare buurten"
        else:
            reason = (f"de {wijken} zijn geen stadsdelen (mediaan {self.inhabitants['wijk']:.0f} inwoners, hoogstens "
                      f"{NEIGHBOURHOOD})")
        if self.level == self.rule_level:
            return f"niveau: {self.level}en, want {reason}"
        return f"niveau: {self.level}en, zoals gevraagd (--level of --boundaries); de regel geeft {self.rule_level}en, want {reason}"


def _numbers(kwb: pd.DataFrame, column: str) -> pd.Series:
    if column not in kwb.columns:
        return pd.Series(np.nan, index=kwb.index)
    return pd.to_numeric(kwb[column].str.replace(",", ".", regex=False), errors="coerce")


def _school_units(data: GemeenteData, level: str, layout: str) -> set[str]:
    """Units at ``level`` with a placed vestiging whose instellingscode has a row in the Inspectie sheet (at buurt
    level only with buurt polygons, which place the vestigingen in buurten)."""
    if level != "wijk" and data.buurten is None:
        return set()
    sheet = data.schoolweging["2023-2024"] if layout == "schoolweging" else data.leerresultaten
    column = "OVT" if layout == "schoolweging" else "ovt"
    codes = set(sheet[column].str.strip().str.upper().str[:4])
    placed = data.vestigingen[(data.vestigingen["wijk_code"] != "") & data.vestigingen["brin_vestiging"].str[:4].isin(codes)]
    return set(placed["wijk_code"])


def plan_project(data: GemeenteData, level: str | None = None) -> ProjectPlan:
    """The defaults for one gemeente (module docstring); a gemeente with too few rankable units is an error.
    ``level`` ('wijk' or 'buurt') overrides the level rule."""
    kwb = data.kwb2023.set_index("gwb_code_10")
    households = _numbers(kwb, "a_hh_m_k")
    in_level = {level: kwb.index.str.startswith(prefix) for level, prefix in LEVEL_PREFIX.items()}
    gates = {level: gate_minimum(POPULATION_GATE, households[mask]) for level, mask in in_level.items()}
    passes = {level: (households >= gates[level]) & mask for level, mask in in_level.items()}
    rankable = {level: int(mask.sum()) for level, mask in passes.items()}
    units = {level: int(mask.sum()) for level, mask in in_level.items()}
    inhabitants = {level: float(np.nan_to_num(_numbers(kwb, "a_inw")[mask].median())) for level, mask in passes.items()}
    neighbourhoods = rankable["wijk"] >= MIN_WIJKEN and inhabitants["wijk"] <= NEIGHBOURHOOD
    rule_level = "wijk" if neighbourhoods or rankable["wijk"] >= rankable["buurt"] else "buurt"
    level = level or rule_level
    if rankable[level] < MIN_UNITS:
        raise ConfigError(
            f"{data.name} ({data.code}): too few areas to rank: {rankable['wijk']} of {units['wijk']} wijken and "
            f"{rankable['buurt']} of {units['buurt']} buurten pass the gate of at least {gates['wijk']:g} and {gates['buurt']:g} "
            f"households with children (max({GATE}, {RELATIVE_GATE:g} x the median area's); KWB 2023); "
            f"a ranking needs at least {MIN_UNITS}, so a herijking by areas says nothing here")
    codes = kwb.index[passes[level]]
    coverage, constant = {}, set()
    kwb22 = data.kwb2022.set_index("gwb_code") if len(data.kwb2022) else pd.DataFrame(index=pd.Index([], dtype=str))
    for indicator in INDICATORS:
        if indicator.source == "schools":
            coverage[indicator.id] = len(_school_units(data, level, indicator.id) & set(codes))
        elif indicator.source == "kwb2022":
            values = _numbers(kwb22, indicator.variables[0]).reindex(codes) if level == "wijk" else pd.Series(dtype=float)
            coverage[indicator.id] = int(values.notna().sum())
        else:
            columns = [_numbers(kwb, v).reindex(codes) for v in indicator.variables]
            values = columns[0] / columns[1].where(columns[1] > 0) if len(columns) == 2 else columns[0]
            coverage[indicator.id] = int(values.notna().sum())
            if len(indicator.variables) == 2:  # a rate, shrunk (method.shrinkage): constant when the areas differ by chance only
                level_codes = kwb.index[in_level[level]]
                shrunk = marshall(*(_numbers(kwb, v).reindex(level_codes).to_numpy() for v in indicator.variables)).rates
                values = pd.Series(shrunk, index=level_codes).reindex(codes).round(9)
        if indicator.source != "schools" and values.nunique() < 2:
            constant.add(indicator.id)
    chosen = [i for i in INDICATORS if coverage[i.id] >= max(1, MIN_SHARE * len(codes)) and i.id not in constant]
    if not chosen:
        raise ConfigError(f"{data.name} ({data.code}): no indicator of the framework has values for at least half of the "
                          f"{len(codes)} rankable {level}en and differs between them; nothing to rank on")
    top_k = max(1, round(len(codes) / 3))
    scored_schools = int(len(data.schools))
    n_plus = max(1, min(round(9 / 7 * top_k), max(scored_schools, 1)))
    families = 2 if any(i.source == "schools" for i in chosen) else 1
    return ProjectPlan(data, slug(data.name), level, rankable, gates, units, inhabitants, rule_level, coverage, chosen,
                       top_k, n_plus, families, constant=constant)


def _q(text: str) -> str:
    """A YAML double-quoted string (JSON is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _fetch_hint(code: str, level: str) -> list[str]:
    """The config comment that adds the polygons: the command that downloads them and the line that reads them
    (:mod:`aandacht.inputs.pdok_boundaries`; the cache lies in the project when the command runs there)."""
    from ..inputs.pdok_boundaries import DEFAULT_YEAR, cached_file

    return [f"  # Polygons: run `aandacht fetch boundaries {code} --level {level}` in this project (PDOK, the CBS",
            f"  # Wijk- en Buurtkaart {DEFAULT_YEAR}), then add:  geometry: "
            f"{cached_file(Path('..') / 'aandacht-cache', code, DEFAULT_YEAR, level).as_posix()}"]


def config_text(plan: ProjectPlan) -> str:
    """The commented YAML config of a planned project (module docstring)."""
    data, level, n = plan.data, plan.level, plan.n
    unit, units = ("wijk", "wijken") if level == "wijk" else ("buurt", "buurten")
    folder = f"../data/{plan.slug}"
    schools_in = any(i.source == "schools" for i in plan.chosen)
    kwb22_in = any(i.source == "kwb2022" for i in plan.chosen)
    lines = [
        f"# aandacht config: gemeente {data.name} ({data.code}), written by `aandacht init` from the national data",
        "# shipped with aandacht (data/README.md: sources, years, licences). Every path is relative to this file.",
        "# Every default below says how it was derived; all of them are choices for the analyst to review.",
        f"name: {_q(f'{data.name} - herijking aandachtsgebieden, {unit}analyse')}",
        "gemeente:",
        f"  code: {data.code}",
        f"  name: {_q(data.name)}",
        f"# Ranked unit: {plan.rankable['wijk']} of {plan.units['wijk']} wijken and {plan.rankable['buurt']} of "
        f"{plan.units['buurt']} buurten pass the population gate ({plan.gates['wijk']:g} and {plan.gates['buurt']:g} households",
        f"# with children, KWB 2023); the median rankable wijk has {plan.inhabitants['wijk']:.0f} inhabitants, the median "
        f"rankable buurt {plan.inhabitants['buurt']:.0f}.",
        f"# Aandachtsgebieden are neighbourhoods: wijken are ranked when at least {MIN_WIJKEN} pass the gate (fewer says",
        f"# little) and their median is at most {NEIGHBOURHOOD} inhabitants; above it they are districts (the Nationaal",
        "# Programma Rotterdam Zuid works in focuswijken of 7675-14070 inhabitants, CBS buurten) and buurten are",
        "# ranked when more of them pass the gate.",
        *[f"# {line}" for line in textwrap.wrap(f"{plan.level_note()}.", 112)],
        f"level: {level}",
        'period: "2023"',
        "",
        "areas:",
        *[f"  # {line}" for line in textwrap.wrap(code_named_note(data.registry, level, "areas.csv"), 112)],
        f"  registry: {folder}/areas.csv",
    ]
    if level == "wijk" and not plan.polygons:
        lines += ["  # No wijk polygons: none of the gemeente's wijk codes of 2023 has a public 2022 polygon (a new wijk",
                  "  # division). So there are no maps, and schools are placed only by `aandacht fetch locations` (PDOK",
                  "  # gives each school's wijk) or by school_locations.csv.", *_fetch_hint(data.code, "wijk")]
    elif level == "wijk":
        missing = data.wijken_without_polygon
        lines += ["  # Precise 2022 wijk polygons (CBS/Kadaster via tmap): maps and placing schools by point in polygon."]
        if missing:
            lines += [f"  # {len(missing)} wijk(en) of 2023 have no public 2022 polygon (a new wijk division): "
                      f"{', '.join(missing[:8])}{' ...' if len(missing) > 8 else ''};",
                      "  # they are ranked but not drawn, and their schools are placed only by `aandacht fetch locations`",
                      "  # (PDOK gives each school's wijk) or by school_locations.csv."]
        lines += [f"  geometry: {folder}/wijken.geojson"]
    elif plan.polygons:
        lines += [f"  # Buurt polygons and names from the boundary file {data.boundary_source}: maps and placing schools",
                  "  # by point in polygon.", f"  geometry: {folder}/buurten.geojson"]
    else:
        lines += ["  # No buurt polygons: aandacht ships no public buurt boundaries for the whole country (the only",
                  "  # public whole-country buurt file found could not be obtained). So there are no maps, and schools cannot be placed",
                  "  # in buurten by point in polygon: run `aandacht fetch locations` (PDOK gives each school's buurt) or",
                  "  # fill school_locations.csv with buurt codes.", *_fetch_hint(data.code, "buurt")]
    lines += ["", "inputs:",
              "  # Every input names its vintages; a herijking takes per input the newest of its round's time",
              "  # (README, 'Rounds and peildata'). Add a vintage when a new edition comes out.",
              "  # CBS Kerncijfers Wijken en Buurten 2023: income, bijstand, jeugdzorg, herkomst, households with children.",
              "  kwb2023:", "    loader: kwb", "    vintages:", f'      - {{period: "2023", path: {folder}/kwb-2023.csv}}',
              "    family: CBS"]
    if kwb22_in:
        lines += ["  # CBS Kerncijfers Wijken en Buurten 2022 (wijken): koopwoningen.",
                  "  kwb2022:", "    loader: kwb", "    vintages:", f'      - {{period: "2022", path: {folder}/kwb-2022-wijk.csv}}',
                  "    family: CBS"]
    place = ["    locations: school_locations.csv",
             f"    geocoded: ../aandacht-cache/locaties/{plan.slug}.csv  # written by `aandacht fetch locations`"]
    if schools_in:
        sheets = sorted(data.schoolweging.keys() - {"driejaarsgemiddelde"})
        for name, layout, vintages, attribution in (
                ("schoolweging", "schoolweging", [(sheet, f"schoolweging-{sheet}.csv") for sheet in sheets],
                 "Inspectie van het Onderwijs / CBS (schoolweging)"),
                ("leerresultaten", "leerresultaten", [("2023-2025", "leerresultaten.csv")],
                 "Inspectie van het Onderwijs (leerresultaten)")):
            if any(i.id == name for i in plan.chosen):
                lines += [f"  {name}:", "    loader: oab", f"    layout: {layout}", "    vintages:",
                          *(f'      - {{period: "{period}", path: {folder}/{path}}}' for period, path in vintages),
                          f"    schools: {folder}/vestigingen.csv",
                          "    ovt_locations: ovt_locations.csv", *place, "    family: OAB", f"    attribution: {attribution}"]
    lines += ["  # CBS achterstandsscores 2019 per school: the need of the IKCs in rounds before the schoolweging.",
              "  scholen:", "    loader: school_scores", "    vintages:", f'      - {{period: "2019", path: {folder}/schools.csv}}',
              *place,
              f"    family: {'OAB' if schools_in else 'scholen'}",
              "", f"# Only areas where children live in numbers are ranked: at least {GATE} households with children (about "
              f"two school classes) and at least {RELATIVE_GATE:g} x those of the median {unit}",
              f"# (here max({GATE}, {RELATIVE_GATE:g} x median) = {plan.gates[level]:g}): a business park or station district "
              "with a handful of families is not ranked.",
              "population:", f"  input: {POPULATION_GATE.input}", f"  variable: {POPULATION_GATE.variable}",
              f"  minimum: {POPULATION_GATE.minimum:g}", f"  relative_to_median: {POPULATION_GATE.relative_to_median:g}",
              f"  label: {POPULATION_GATE.label}", "", "framework:", "  index:", "    id: kansenindex",
              "    label: Aandachtsscore",
              "  # The domains of the Leeuwarden framework with equal weight (OECD/JRC Handbook 2008, 1.7); an",
              f"  # indicator is used when at least half of the {n} rankable {units} have a value. No indicator gains",
              "  # weight because others of its domain are missing: a domain weighs the share of its indicators that is",
              "  # used, so the only one left of a domain keeps one indicator's weight instead of a whole domain's.",
              "  nodes:"]
    domains = list(dict.fromkeys(i.domain for i in plan.chosen))
    for d in domains:
        weight = plan.domain_weight(d)
        used = sum(i.domain == d for i in plan.chosen)
        note = "" if weight == 1 else f"  # {used} of its {sum(i.domain == d for i in INDICATORS)} indicators used"
        lines += [f"    - {{id: {d}, label: {DOMAINS[d]}, parent: kansenindex, weight: {round(weight, 6):g}}}{note}"]
    full = {i.id: 1 / len(DOMAINS) / sum(j.domain == i.domain for j in INDICATORS) for i in INDICATORS}
    shares = plan.shares()
    lines += ["  # Share of each indicator in the score (every value present), beside its share in the full framework:",
              *(f"  #   {i.id}: {shares[i.id]:.1%} (framework {full[i.id]:.1%})" for i in plan.chosen)]
    heavy = [i.id for i in plan.chosen if shares[i.id] > 2 * full[i.id]]
    if heavy:
        lines += [f"  # Weighs more than twice its framework share because whole domains have no data here: {', '.join(heavy)}."]
    lines += ["  indicators:"]
    for indicator in INDICATORS:
        share = f"{plan.coverage[indicator.id]} of {n} {units} have a value"
        if indicator in plan.chosen:
            lines += [f"    # {indicator.comment.format(unit=unit)} ({share}.)", indicator.yaml.format(unit=unit)]
        else:
            if indicator.source == "schools" and level == "buurt":
                why = "no public buurt boundaries to place schools in buurten"
            elif indicator.source == "kwb2022" and level == "buurt":
                why = "KWB 2022 has wijk figures only"
            elif indicator.id in plan.constant:
                why = f"the same value in every rankable {unit}: it cannot tell them apart"
            else:
                why = f"{share}; at least half needed"
            lines += [f"    # Not used: {indicator.id} ({why})."]
    lines += [
        "", "method:",
        "  # COINr's default treatment: |skew| >= 2 and kurtosis >= 3.5 is winsorised (at most 5 points), else logged.",
        "  treatment: {enabled: true, skew: 2.0, kurtosis: 3.5, max_winsorised: 5, log_if_still_skewed: true}",
        "  # Min-max to 0-100: 0 = most favourable, 100 = least favourable area.",
        "  normalisation: {method: minmax, range: [0, 100]}",
        "  aggregation: {method: arithmetic}",
        "  # A missing indicator's weight goes to the others of its domain; under half present: the domain has no score.",
        "  # A missing domain of an area with enough domains: the average area's domain score, marked indicatief.",
        "  missing: {min_share: 0.5, imputation: none, domain: mean}",
        "  unreliable: mark",
        "  # Every rate given as numerator / denominator is shrunk toward the gemeente rate (Marshall 1991): a small",
        "  # area's rate moves toward the gemeente's, a large one's hardly.",
        "  shrinkage: gemeente",
        "", "designation:",
        f"  # The top third of the {n} rankable {units} (round({n} / 3) = {plan.top_k}), as Leeuwarden designates 7 of 21.",
        f"  top_k: {plan.top_k}",
        "  consensus: ignore",
        f"  min_population: {GATE}",
        "  reasons: 3",
    ]
    if level == "buurt" and plan.polygons:
        lines += ["  # Designated buurten of one wijk that touch (polygons) form one aandachtsgebied: buurten side by side",
                  "  # are one neighbourhood in the overleg, named after its buurten (two or three) or their wijk. Not",
                  "  # across wijken: a chain of touching buurten would grow into a district.",
                  "  combine: adjoining", "  suggest_adjoining: false"]
    elif level == "buurt":
        lines += ["  # No buurt polygons (see areas), so it is not known which designated buurten touch: every designated",
                  "  # buurt is its own aandachtsgebied. With polygons, `combine: adjoining` joins those of one wijk that",
                  "  # touch; `combine: parent` would join all of one wijk's, which in a large city gives a district again.",
                  "  suggest_adjoining: false"]
    elif plan.polygons:
        lines += ["  # Suggest groups of adjoining designated wijken (polygons that touch); not applied.",
                  "  suggest_adjoining: true"]
    else:
        lines += [f"  # No {unit} polygons (see areas): no suggestions of adjoining {units}.", "  suggest_adjoining: false"]
    lines += [
        "", "ikc:",
        "  # The IKCs of a round: the vestigingen of DUO's list of the round's time (2020, November 2024, 2026); the",
        "  # 2026 list covers basisscholen only (its SBAO rows keep their 2024 membership).",
        "  lists:",
        f'    - {{period: "2020", path: {folder}/schools.csv, member: in_duo_2020, label: "DUO-vestigingen 2020"}}',
        f'    - {{period: "2024", path: {folder}/vestigingen.csv, member: in_duo_2024, label: "DUO-vestigingen november 2024"}}',
        f'    - {{period: "2026", path: {folder}/vestigingen.csv, member: in_duo_2026, soorten: [basisschool], '
        'label: "DUO-vestigingen 2026"}',
        "  # Closures and mergers DUO's lists do not record: old_code,new_code (empty = closed),year,source.",
        "  changes: school_changes.csv",
        "  # Board names: DUO's bevoegde gezagen (data), overridden by your short names in school_boards.csv.",
        "  boards: school_boards.csv", f"  board_names: {folder}/besturen.csv",
        "", "selection:",
        f"  # round(9 / 7 x {plan.top_k}) = {plan.n_plus} Plus-IKCs (Leeuwarden: 9 for 7 aandachtsgebieden), at most the "
        f"{len(data.schools)} schools with a 2019 score.",
        f"  count: {plan.n_plus}",
        "  # Need: the 2019 achterstandsscore per 100 pupils, in total, and the score of the school's area, equal weights.",
        "  need: {score_column: achterstandsscore_zonder_drempel, score_per_pupil: 1, score_total: 1, wijk_score: 1, "
        "pupil_share: 0}",
        "  eligible_pupil_share: 0.5",
        "  cover_every_gebied: true",
        "  special_education: compete",
        "  # Plus lasts four years; entry at need 15, kept while need >= 10 (as Leeuwarden).",
        "  continuity: {term_years: 4, entry_need: 15, exit_need: 10, watch_margin: 5}",
        "", "report:", "  suppress_below: 10", "  profile_top: 5", "",
        "# Robustness: weights +-25%, min-max or percentile ranks, treatment on or off, one indicator left out.",
        "uncertainty:", "  draws: 1000", "  seed: 20240601", "  weight_noise: {indicators: 0.25, nodes: 0.25}",
        "  normalisation: [minmax, percentile_rank]", "  treatment: [true, false]",
        f"  leave_one_out: {'true' if len(plan.chosen) > 1 else 'false'}",
        f"# Hard core: the top {plan.top_k} (the designation rule) in at least {min(2, plan.families)} of the "
        f"{plan.families} source famil{'ies' if plan.families > 1 else 'y'}.",
        "consensus:", f"  top_k: {plan.top_k}", f"  min_sources: {min(2, plan.families)}", "",
    ]
    return "\n".join(lines)


def write_data(plan: ProjectPlan, folder: Path) -> None:
    """The gemeente's data files in the layout of data/leeuwarden (module docstring of :mod:`aandacht.inputs.national`)."""
    data = plan.data
    out = folder / "data" / plan.slug
    write_extract(data.registry, out / "areas.csv")
    write_extract(data.kwb2023, out / "kwb-2023.csv")
    write_extract(data.kwb2022, out / "kwb-2022-wijk.csv")
    schools, vestigingen = data.schools, data.vestigingen
    if plan.level != "wijk" and not plan.polygons:  # no buurt polygons: a point's wijk would be the wrong level
        schools = schools.assign(wijk_code="", placement="unplaced")
        vestigingen = vestigingen.assign(wijk_code="", placement="unplaced")
    write_extract(schools, out / "schools.csv")
    write_extract(vestigingen, out / "vestigingen.csv")
    for sheet, table in data.schoolweging.items():
        write_extract(table, out / f"schoolweging-{sheet}.csv")
    write_extract(data.leerresultaten, out / "leerresultaten.csv")
    write_extract(data.besturen, out / "besturen.csv")
    if plan.polygons:
        polygons = data.wijken if plan.level == "wijk" else data.buurten
        polygons.to_file(out / f"{plan.level}en.geojson", driver="GeoJSON", engine="pyogrio")
    configs = folder / "configs"
    write_extract(pd.DataFrame(columns=["brin_vestiging", "wijk_code", "reason"]), configs / "school_locations.csv")
    write_extract(pd.DataFrame(columns=["ovt", "brin_vestiging", "wijk_code", "reason"]), configs / "ovt_locations.csv")
    write_extract(pd.DataFrame(columns=["old_code", "new_code", "year", "source"]), configs / "school_changes.csv")
    numbers = sorted(set(data.schools["bevoegd_gezag_nummer"]) - {""}, key=lambda x: (len(x), x))
    write_extract(pd.DataFrame({"bevoegd_gezag_nummer": numbers, "naam": ""}), configs / "school_boards.csv")
    (configs / f"{plan.slug}.yaml").write_text(config_text(plan), encoding="utf-8")


def copy_shipped(config_path: Path, folder: Path) -> list[Path]:
    """Copy a shipped config and every file it names (inside the embedded root) into ``folder``."""
    root = embedded_root()
    config = load_config(config_path)
    files = [config_path, *[p for p in named_paths(config).values() if p.is_file()]]
    copied = []
    for path in files:
        relative = path.resolve().relative_to(root.resolve())
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied.append(target)
    return copied


@dataclass
class InitResult:
    """What ``init`` wrote: the folder, the config, and the lines to print."""

    folder: Path
    config: Path
    lines: list[str]


def init_project(label: str, folder: Path | None = None, level: str | None = None, boundaries: Path | None = None,
                 layer: str | None = None) -> InitResult:
    """Write the project folder of the gemeente ``label`` names (module docstring). ``level`` forces the ranked
    level; ``boundaries`` (a Wijk- en Buurtkaart or generalised CBS file, :mod:`aandacht.inputs.boundaries`)
    gives the polygons and names of that level and places the schools in them. With either, a shipped
    gemeente is planned from the national data like any other."""
    code, name = find_gemeente(label)
    folder = Path(folder) if folder is not None else Path(slug(name))
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise OutputError(f"{folder}: exists and is not empty; init never overwrites a folder (choose another DIR)")
    staging = folder.parent / f".{folder.name}.aandacht-init"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        shipped = shipped_config(name) if level is None and boundaries is None else None
        if shipped is not None:
            copy_shipped(shipped, staging)
            config = folder / "configs" / shipped.name
            lines = [f"{name} ({code}): de meegeleverde config en zijn gegevens, als bestanden om aan te passen"]
        else:
            data = gemeente_data(code)
            if boundaries is not None:  # the file's buurten, unless --level wijk: the ranked level is the file's
                level = level or "buurt"
                data = with_boundaries(data, level, boundaries, layer)
            plan = plan_project(data, level)
            write_data(plan, staging)
            config = folder / "configs" / f"{plan.slug}.yaml"
            lines = describe(plan)
        if folder.exists():
            folder.rmdir()
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return InitResult(folder, config, lines)


def describe(plan: ProjectPlan) -> list[str]:
    """Lines for the terminal (Dutch, as every line a command prints): what was chosen and what is missing."""
    data = plan.data
    unit = "wijken" if plan.level == "wijk" else "buurten"
    lines = [f"{data.name} ({data.code}): rangschikt {plan.n} van de {plan.units[plan.level]} {unit} (die met minstens "
             f"{plan.gates[plan.level]:g} huishoudens met kinderen), wijst er {plan.top_k} aan en kiest {plan.n_plus} Plus-IKCs",
             plan.level_note()
             + ("; aangewezen buurten van één wijk die aan elkaar grenzen vormen samen één aandachtsgebied"
                if plan.level == "buurt" and plan.polygons else
                "; geen buurtgrenzen: elke aangewezen buurt is een eigen aandachtsgebied" if plan.level == "buurt"
                else ""),
             "indicatoren: " + ", ".join(i.id for i in plan.chosen)]
    named = code_named_note(data.registry, plan.level, "namen")
    if named:
        lines.append(named)
    left = [i.id for i in INDICATORS if i not in plan.chosen]
    if left:
        lines.append("weggelaten (te weinig waarden, of overal dezelfde; de redenen staan in de config): " + ", ".join(left))
    placed = int((data.schools["placement"] != "unplaced").sum()) if plan.level == "wijk" or plan.polygons else 0
    lines.append(f"scholen met een score van 2019: {len(data.schools)}, waarvan in een {plan.level} geplaatst: {placed}")
    if plan.level != "wijk" and plan.polygons:
        lines.append(f"buurtgrenzen en -namen uit {data.boundary_source}: kaarten, en scholen geplaatst naar hun ligging")
    elif not plan.polygons:
        why = ("aandacht levert geen buurtgrenzen mee" if plan.level == "buurt" else
               "geen openbare grenzen van de wijken (een nieuwe wijkindeling van 2023)")
        lines.append(f"{why}: geen kaarten, en geen scholen geplaatst naar hun ligging in een {plan.level}; haal een "
                     f"grenzenbestand op met `aandacht fetch boundaries {data.code} --level {plan.level}` en geef het aan "
                     f"`aandacht init {data.code} --level {plan.level} --boundaries BESTAND` (in een nieuwe map), of plaats "
                     "de scholen met `aandacht fetch locations` of in configs/school_locations.csv")
    elif data.wijken_without_polygon:
        lines.append(f"{len(data.wijken_without_polygon)} wijken hebben geen openbare grenzen (een nieuwe wijkindeling): "
                     "ze worden niet getekend, en hun scholen worden alleen geplaatst met `aandacht fetch locations` of "
                     "in school_locations.csv")
    return lines
