"""Printing to the terminal with rich: rankings, checks, uncertainty, and the herijking's
designation, selection and round comparisons (in Dutch).

Names and texts come from the user's files, so the console reads no markup (a wijk named
``[/bold]`` is printed as such, not parsed) and every text passes
:func:`aandacht.errors.printable` (``plain`` here), which replaces control characters (an
escape sequence in a name would otherwise drive the terminal) by U+FFFD. Styles are given as
:class:`rich.text.Text` styles, never as markup.
"""

from __future__ import annotations

import sys

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..dutch import SEVERITY_WORDS
from ..errors import printable as plain
from .phrases import area_words, sobol_words

PIPE_WIDTH = 160


def make_console() -> Console:
    """A console on the current stdout that reads no markup; wide when output goes to a file or
    pipe (no wrapping of names)."""
    return Console(markup=False) if sys.stdout.isatty() else Console(width=PIPE_WIDTH, markup=False)


def print_notes(notes: list[str]) -> None:
    """Print what the loaders read and left out, each note once (two stages reading the same file,
    such as the school scores and the IKC table, may say the same thing)."""
    console = make_console()
    for note in dict.fromkeys(notes):
        console.print(plain(f"- {note}"), style="dim", highlight=False)


def print_ranking(table: pd.DataFrame, run, top: int | None) -> None:
    """Print the ranked areas: rank, code, name, score, largest contributing domain, reliability."""
    console = make_console()
    config = run.config
    title = plain(f"{config.framework.index.label} - {config.gemeente.name}, {config.level} ({config.period})")
    out = Table(title=title, title_justify="left")
    for header, justify, wrap in (("rang", "right", False), ("code", "left", False), ("naam", "left", False),
                                  ("score", "right", False), ("grootste bijdrage", "left", False),
                                  ("betr.", "center", False), ("opmerking", "left", True)):
        out.add_column(header, justify=justify, no_wrap=not wrap)
    shown = table if top is None else table.head(top)
    for row in shown.itertuples(index=False):
        rank = "" if pd.isna(row.rang) else str(row.rang)
        out.add_row(rank, *(plain(v) for v in (row.area_code, row.area_name)), _cell(float(row.score)),
                    *(plain(v) for v in (row.grootste_bijdrage, row.betrouwbaarheid, row.opmerking)))
    make_console().print(out)
    console.print(plain(f"betr.: B = betrouwbaar, I = indicatief (kleine noemer), ? = noemer onbekend; "
                        f"{config.framework.index.label}: 0 = minste, 100 = meeste aandacht nodig"), style="dim")


def print_dominance(lines: list[str]) -> None:
    """The parts of the score that count much more or less than their weight (Dutch, one line each)."""
    console = make_console()
    for line in lines:
        console.print(plain(f"Let op: {line}"), style="yellow", highlight=False)


def print_check(report, title: str) -> None:
    """Print a data-quality report: problems first, then coverage per source and indicator."""
    console = make_console()
    problems = Table(title=plain(f"Datakwaliteit - {title}"), title_justify="left")
    for header in ("ernst", "bron", "bevinding"):
        problems.add_column(header)
    styles = {"error": "red", "warning": "yellow", "info": ""}
    labels = {key: Text(word, style=styles[key]) for key, word in SEVERITY_WORDS.items()}
    for row in report.problems.itertuples(index=False):
        problems.add_row(labels[row.severity], plain(row.source), plain(row.message))
    console.print(problems)
    coverage = Table(title="Dekking per bron en indicator (nieuwste periode)", title_justify="left")
    for header, justify in (("bron", "left"), ("indicator", "left"), ("eenheid", "left"), ("wijken met waarde", "right"),
                            ("perioden", "left")):
        coverage.add_column(header, justify=justify)
    for row in report.coverage.itertuples(index=False):
        coverage.add_row(*(plain(v) for v in (row.source, row.indicator, row.unit)), f"{row.areas_with_value}/{row.areas}",
                         plain(row.periods))
    console.print(coverage)
    verdict = {"usable": ("bruikbaar", "green"), "warnings": ("bruikbaar, met waarschuwingen", "yellow"),
               "unusable": ("onbruikbaar", "red")}[report.status]
    console.print(Text.assemble("Oordeel: ", verdict))


class ProgressBar:
    """A rich progress bar for long runs: ``start(total)`` then ``advance(n)``; use as a context manager."""

    def __init__(self, description: str):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(TextColumn(description), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                  console=make_console(), transient=True)
        self._task = None

    def __enter__(self) -> ProgressBar:
        self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.stop()

    def start(self, total: int) -> None:
        self._task = self._progress.add_task("", total=total)

    def advance(self, n: int) -> None:
        self._progress.advance(self._task, n)


def print_uncertainty(table: pd.DataFrame, top: int | None) -> None:
    """Print nominal rank, 90% rank interval and designation probability per area."""
    out = Table(title="Onzekerheid van de rangorde", title_justify="left")
    for header in ("rang", "code", "naam", "rang 5%-95%", "mediaan", "kans aandachtsgebied"):
        out.add_column(header, justify="left" if header in ("code", "naam") else "right")
    shown = table if top is None else table.head(top)
    for row in shown.itertuples(index=False):
        out.add_row(str(row.nominal_rank), plain(row.area_code), plain(row.area_name), f"{row.rank_p05}-{row.rank_p95}",
                    str(row.median_rank), f"{row.p_designated:.0%}")
    make_console().print(out)


def print_sobol(summary: pd.DataFrame) -> None:
    """Print the Sobol indices for the whole-ranking outputs."""
    out = Table(title="Gevoeligheid (Sobol): welk deel van de variatie komt door welke keuze", title_justify="left")
    for header in ("uitkomst", "onzekere invoer", "S1 (alleen)", "ST (totaal)"):
        out.add_column(header, justify="left" if header in ("uitkomst", "onzekere invoer") else "right")
    for row in summary.itertuples(index=False):
        out.add_row(plain(sobol_words(row.output)), plain(sobol_words(row.factor)),
                    *(f"{_cell(a, 2)} [{_cell(b, 2)}; {_cell(c, 2)}]" for a, b, c in (
                        (row.S1, row.S1_low, row.S1_high), (row.ST, row.ST_low, row.ST_high))))
    make_console().print(out)


def _cell(value, digits: int = 1) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "ja" if value else "nee"
    if isinstance(value, float):
        return f"{value:.{digits}f}".replace(".", ",")
    return plain(value)


def _print(title: str, frame: pd.DataFrame, columns: dict[str, str]) -> None:
    out = Table(title=plain(title), title_justify="left")
    for header in columns.values():
        out.add_column(header)
    for row in frame.itertuples(index=False):
        out.add_row(*(_cell(getattr(row, key)) for key in columns))
    make_console().print(out)


def print_designation(designation) -> None:
    """The aandachtsgebieden with their reasons, then the adjoining-group suggestions."""
    _print("Aandachtsgebieden", designation.gebieden,
           {"gebied": "gebied", "area_names": "wijken/buurten", "redenen": "redenen"})
    if len(designation.suggestions):
        _print("Suggesties: aangrenzende aandachtsgebieden (niet toegepast)", designation.suggestions,
               {"kind": "soort", "area_names": "wijken"})


def print_selection(selection) -> None:
    """The Plus-IKCs and candidates, the constraints, and the objective."""
    ikcs = selection.ikcs
    listed = ikcs["plus_ikc"] | ikcs["monitoren"] | ikcs["status"].str.startswith(("kandidaat", "beëindigd"))
    shown = ikcs[listed].copy()
    shown["status"] = shown["status"].where(~shown["monitoren"].astype(bool), shown["status"] + " (monitoren)")
    if "ook_gebied" in shown.columns:  # an IKC with teaching locations in other gebieden serves those too
        shown["gebied"] = [f"{g} (ook {o})" if o else g for g, o in zip(shown["gebied"], shown["ook_gebied"].fillna(""))]
    _print(f"Plus-IKCs ({int(ikcs['plus_ikc'].sum())} van {selection.n_plus} plaatsen)", shown, {
        "brin_vestiging": "BRIN", "name": "naam", "gebied": "gebied", "need": "behoefte", "status": "status",
        "startjaar": "start", "marginale_waarde": "marg. waarde",
    })
    for row in shown[shown["toelichting"].fillna("") != ""].itertuples():
        make_console().print(plain(f"- {row.brin_vestiging} {row.name}: {row.toelichting}"), highlight=False)
    _print("Beperkingen van de keuze", selection.constraints, {
        "constraint": "beperking", "lhs": "waarde", "sense": "", "bound": "grens", "tight": "krap",
        "binding": "bindend", "gain": "winst zonder",
    })
    make_console().print(Text.assemble(f"totale behoefte bediend: {_cell(selection.objective)}  ", (
        "(marg. waarde: verlies bij weglaten, of verschil bij afdwingen; leeg = niet mogelijk)", "dim")))


def print_vintages(table: pd.DataFrame, peildatum: int) -> None:
    """The vintage each input of the round was read in (:func:`aandacht.inputs.vintages.vintage_table`);
    an input with no vintage of the round's time is marked."""
    shown = table.assign(periode=[p if ok == "ja" else f"{p} (LET OP: na peildatum {peildatum})"
                                  for p, ok in zip(table["periode"], table["van_de_peildatum"])])
    _print(f"Bronnen van deze ronde (peildatum {peildatum})", shown,
           {"invoer": "invoer", "bron": "bron", "periode": "versie", "beschikbare_versies": "beschikbaar",
            "bestand": "bestand"})


def print_changes(changes: dict[str, pd.DataFrame], old_year: int, new_year: int, level: str | None,
                  first: str = "") -> None:
    """Per area (of ``level``, named as :func:`aandacht.present.phrases.area_words` does) entered/left/stayed
    with their causes; per IKC the continuity status; the schools of the old round that are gone. ``first``:
    a sentence printed before them (identical inputs)."""
    if first:
        make_console().print(plain(first), style="bold", highlight=False)
    one, many, _ = area_words(level)
    _print(f"{many.capitalize()}: {old_year} -> {new_year}", changes["wijken"], {
        "area_name": one, "wijziging": "wijziging", "rang_oud": "rang oud", "rang_nieuw": "rang nieuw",
        "score_oud": "score oud", "score_nieuw": "score nieuw", "oorzaak": "oorzaak",
    })
    _print(f"Plus-IKCs: {old_year} -> {new_year}", changes["ikcs"], {
        "brin_vestiging": "BRIN", "name": "naam", "status": "status", "startjaar": "start",
        "behoefte_oud": "behoefte oud", "behoefte_nieuw": "behoefte nieuw", "monitoren": "monitoren",
        "toelichting": "toelichting",
    })
    gone = changes.get("scholen")
    if gone is not None and len(gone):
        print_gone_schools(gone, old_year)


def print_gone_schools(gone: pd.DataFrame, old_year: int) -> None:
    """The schools of round ``old_year`` that are gone, with what happened (:mod:`aandacht.rounds.schools`)."""
    if not len(gone):
        make_console().print(plain(f"Alle scholen van ronde {old_year} staan nog in de scholenlijst."), highlight=False)
        return
    _print(f"Scholen van ronde {old_year} die er niet meer zijn", gone, {
        "brin_vestiging": "BRIN", "name": "naam", "was_plus": "Plus-IKC", "gebeurtenis": "wat", "opvolger": "opvolger",
        "jaar": "jaar", "bron": "bron"})


def print_validation(result, paragraph: str) -> None:
    """The measures of ``aandacht validate`` per ranking (AUC with its bootstrap interval, known areas in
    the top k, median percentile, the AUC difference with the score), then the Dutch paragraph."""
    out = Table(title=plain(f"Validatie: {result.n_known} bekende gebieden van {result.n_areas} gescoorde; "
                            f"top {result.top_k} ({result.k_rule}); bootstrap {result.draws}x, seed {result.seed}"),
                title_justify="left")
    for header in ("maat", "AUC", "95%-interval", "in top k", "precisie", "mediaan pct.", "score - maat (AUC)"):
        out.add_column(header, justify="left" if header == "maat" else "right")
    for row in result.table.itertuples(index=False):
        interval = "" if pd.isna(row.auc_laag) else f"{_cell(row.auc_laag, 2)}-{_cell(row.auc_hoog, 2)}"
        diff = "" if row.soort == "index" else _cell(row.verschil_auc, 2) + (
            "" if pd.isna(row.verschil_auc_laag) else f" [{_cell(row.verschil_auc_laag, 2)}, {_cell(row.verschil_auc_hoog, 2)}]")
        out.add_row(plain(row.maat), _cell(row.auc, 2), interval, _cell(float(row.gevonden), 1 if row.soort == "toeval" else 0),
                    _cell(row.precisie, 2), _cell(row.mediaan_percentiel, 0), diff)
    console = make_console()
    console.print(out)
    console.print(plain(paragraph), highlight=False)


def print_variants(result, name_a: str, name_b: str) -> None:
    """The areas whose rank or designation differs between two method variants (``aandacht compare A.yaml
    B.yaml``), in the order of A."""
    table = result.table
    moved = table["verschuiving"].notna() & (table["verschuiving"].fillna(0) != 0)
    once = table["rang_a"].isna() != table["rang_b"].isna()  # scored in one variant only
    changed = table[moved | once | table["wijziging"].isin(["erbij", "eraf"])]
    columns = {"area_name": "gebied", "rang_a": f"rang {name_a}", "rang_b": f"rang {name_b}", "verschuiving": "verschuiving",
               "score_a": f"score {name_a}", "score_b": f"score {name_b}"}
    if result.designated:
        columns["wijziging"] = "aanwijzing"
    _print(f"Varianten: {name_a} -> {name_b} ({len(changed)} van {len(table)} gebieden anders)", changed, columns)
