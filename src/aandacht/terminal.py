"""Printing to the terminal with rich."""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table

console = Console()


def print_notes(notes: list[str]) -> None:
    """Print what the loaders read and left out."""
    for note in notes:
        console.print(f"- {note}", style="dim", highlight=False, markup=False)


def print_ranking(table: pd.DataFrame, run, top: int | None) -> None:
    """Print the ranked areas: rank, code, name, score, largest contributing domain, reliability."""
    config = run.config
    title = f"{config.framework.index.label} - {config.gemeente.name}, {config.level} ({config.period})"
    out = Table(title=title, title_justify="left")
    for header, justify in (("rang", "right"), ("code", "left"), ("naam", "left"), ("score", "right"),
                            ("grootste bijdrage", "left"), ("betr.", "center"), ("opmerking", "left")):
        out.add_column(header, justify=justify)
    shown = table if top is None else table.head(top)
    for row in shown.itertuples(index=False):
        rank = "" if pd.isna(row.rang) else str(row.rang)
        score = "" if pd.isna(row.score) else f"{row.score:.1f}"
        remark = row.opmerking
        out.add_row(rank, row.area_code, row.area_name, score, row.grootste_bijdrage, row.betrouwbaarheid, remark)
    console.print(out)
    console.print("[dim]betr.: B = betrouwbaar, I = indicatief (kleine noemer), ? = noemer onbekend; "
                  "score 0 = gunstigste, 100 = ongunstigste wijk[/dim]")


class ProgressBar:
    """A rich progress bar for long runs: ``start(total)`` then ``advance(n)``; use as a context manager."""

    def __init__(self, description: str):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(TextColumn(description), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                  console=console, transient=True)
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
        out.add_row(str(row.nominal_rank), row.area_code, row.area_name, f"{row.rank_p05}-{row.rank_p95}",
                    str(row.median_rank), f"{row.p_designated:.0%}")
    console.print(out)


def print_sobol(summary: pd.DataFrame) -> None:
    """Print the Sobol indices for the whole-ranking outputs."""
    out = Table(title="Gevoeligheid (Sobol): welk deel van de variatie komt door welke keuze", title_justify="left")
    for header in ("uitkomst", "onzekere invoer", "S1 (alleen)", "ST (totaal)"):
        out.add_column(header, justify="left" if header in ("uitkomst", "onzekere invoer") else "right")
    for row in summary.itertuples(index=False):
        out.add_row(row.output, row.factor, f"{row.S1:.2f} [{row.S1_low:.2f}, {row.S1_high:.2f}]",
                    f"{row.ST:.2f} [{row.ST_low:.2f}, {row.ST_high:.2f}]")
    console.print(out)
