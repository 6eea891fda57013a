"""Which edition (vintage) of each input a round reads: the facts of the round's time.

A round has a *peildatum*, a year (the round year unless the analyst gives another). Every input
names the vintages it holds (config ``inputs.<name>.vintages``: a year, a school year, a window or
a list date, each with its file) and the IKCs may come from school lists of several dates
(``ikc.lists``). Per input the round takes:

* the newest vintage whose year (:attr:`aandacht.config.Vintage.year`: ``available`` when given,
  else the last year its period names) is not after the peildatum: the newest figures that
  existed at the round's time;
* when every vintage is later than the peildatum ("no vintage of the round's time"), the earliest
  one, the nearest in time, and the round says so loudly (terminal, page 1 of the report,
  ``ronde.json``).

An input without vintages is one vintage: its ``path`` and ``period``. The choice is a plain
config transformation (:func:`resolve_round`): the round's config names the chosen files as its
inputs' paths, so the manifest records them and ``aandacht verify`` recomputes the round from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..config import Config, InputSpec, SchoolList, Vintage, period_year
from ..errors import ConfigError

# Dutch names of the sources for the report and the terminal, by loader (and the oab layout)
SOURCE_NAMES = {
    "kwb": "Kerncijfers Wijken en Buurten",
    "school_scores": "CBS-achterstandsscores basisscholen",
    "schoolweging": "Schoolweging Inspectie",
    "leerresultaten": "Leerresultaten Inspectie",
    "oab": "Onderwijsachterstanden (CBS)",
    "kinderen_in_tel": "Kinderen in Tel",
    "jeugdmonitor": "Jeugdmonitor",
    "duo": "DUO-vestigingen",
}
SCHOOL_LIST = "scholenlijst"  # the name of the IKCs' school list among the choices


@dataclass(frozen=True)
class VintageChoice:
    """The vintage a round takes for one input, and what else there was."""

    input: str
    label: str  # "Kerncijfers Wijken en Buurten 2023"
    period: str
    year: int | None
    path: Path
    sheet: str | None
    of_round_time: bool  # False: every vintage is later than the peildatum; the nearest was taken
    periods: tuple[str, ...]  # every vintage of the input, oldest first
    member: str | None = None  # school lists: the column that marks the list's vestigingen

    def age(self, peildatum: int) -> int | None:
        """Years between the vintage and the peildatum (negative: later than the peildatum)."""
        return None if self.year is None else peildatum - self.year


def source_label(spec: InputSpec, period: str, label: str | None = None) -> str:
    """The Dutch name of an input's vintage: ``label``, else the source's name by loader and the period."""
    if label:
        return label
    kind = spec.layout if spec.loader == "oab" and spec.layout in SOURCE_NAMES else spec.loader
    name = SOURCE_NAMES.get(kind) or spec.source or spec.loader
    return f"{name} {period}"


def _pick(vintages: list[Vintage], peildatum: int) -> tuple[Vintage, bool]:
    """The newest vintage not after the peildatum, else the earliest (module docstring)."""
    ordered = sorted(vintages, key=lambda v: v.year)
    of_time = [v for v in ordered if v.year <= peildatum]
    return (of_time[-1], True) if of_time else (ordered[0], False)


def choose_vintage(name: str, spec: InputSpec, peildatum: int) -> VintageChoice:
    """The vintage of input ``name`` for a round with this peildatum (module docstring)."""
    if not spec.vintages:
        year = period_year(spec.period)
        return VintageChoice(name, source_label(spec, spec.period), spec.period, year, spec.path, spec.sheet,
                             year is None or year <= peildatum, (spec.period,))
    chosen, of_time = _pick(spec.vintages, peildatum)
    periods = tuple(v.period for v in sorted(spec.vintages, key=lambda v: v.year))
    return VintageChoice(name, source_label(spec, chosen.period, chosen.label), chosen.period, chosen.year, chosen.path,
                         chosen.sheet, of_time, periods)


def choose_school_list(lists: list[SchoolList], peildatum: int) -> VintageChoice | None:
    """The school list of the round's time (module docstring); None without lists."""
    if not lists:
        return None
    chosen, of_time = _pick(lists, peildatum)
    periods = tuple(v.period for v in sorted(lists, key=lambda v: v.year))
    return VintageChoice(SCHOOL_LIST, chosen.label or f"{SOURCE_NAMES['duo']} {chosen.period}", chosen.period, chosen.year,
                         chosen.path, chosen.sheet, of_time, periods, chosen.member)


def resolve_round(config: Config, peildatum: int) -> tuple[Config, list[VintageChoice]]:
    """The config of a round with this peildatum (each input's path, period and sheet those of its
    chosen vintage) and the choices, inputs first, then the IKCs' school list (which
    :func:`aandacht.decide.ikc.load_ikcs` takes by the same rule)."""
    if not 1900 <= peildatum <= 2200:
        raise ConfigError(f"peildatum {peildatum} is not a year between 1900 and 2200")
    choices, inputs = [], {}
    for name, spec in config.inputs.items():
        choice = choose_vintage(name, spec, peildatum)
        choices.append(choice)
        inputs[name] = spec.model_copy(update={"path": choice.path, "period": choice.period, "sheet": choice.sheet}) \
            if spec.vintages else spec
    school_list = choose_school_list(config.ikc.lists, peildatum)
    if school_list is not None:
        choices.append(school_list)
    return config.model_copy(update={"inputs": inputs}), choices


def late_choices(choices: list[VintageChoice]) -> list[VintageChoice]:
    """The choices with no vintage of the round's time (the nearest, later one was taken)."""
    return [c for c in choices if not c.of_round_time]


def late_sentence(choice: VintageChoice, peildatum: int) -> str:
    """Dutch: 'Voor X is er geen cijfer van 2024 of eerder: Y (2025) is gebruikt.'"""
    return (f"Voor {choice.input} is er geen versie van {peildatum} of eerder: {choice.label} "
            f"({choice.year}) is gebruikt, de dichtstbijzijnde.")


def vintage_table(choices: list[VintageChoice], peildatum: int, project: Path | None = None) -> pd.DataFrame:
    """One row per input: invoer, bron, periode, jaar, van_de_peildatum (ja/nee), jaren_voor_peildatum,
    beschikbare_versies and bestand (relative to ``project`` when inside it)."""
    def shown(path: Path) -> str:
        if project is not None and path.resolve().is_relative_to(project.resolve()):
            return path.resolve().relative_to(project.resolve()).as_posix()
        return path.name

    rows = [{"invoer": c.input, "bron": c.label, "periode": c.period, "jaar": c.year,
             "van_de_peildatum": "ja" if c.of_round_time else "nee", "jaren_voor_peildatum": c.age(peildatum),
             "beschikbare_versies": ", ".join(c.periods),
             "bestand": shown(c.path) + (f" (blad {c.sheet})" if c.sheet else "")}
            for c in choices]
    columns = ["invoer", "bron", "periode", "jaar", "van_de_peildatum", "jaren_voor_peildatum", "beschikbare_versies",
               "bestand"]
    table = pd.DataFrame(rows, columns=columns)
    for column in ("jaar", "jaren_voor_peildatum"):
        table[column] = pd.to_numeric(table[column]).astype("Int64")
    return table
