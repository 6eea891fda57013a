"""Printing designation, selection and round comparisons to the terminal (rich), in Dutch."""

from __future__ import annotations

import pandas as pd
from rich.table import Table

from .terminal import make_console


def _cell(value, digits: int = 1) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "ja" if value else "nee"
    if isinstance(value, float):
        return f"{value:.{digits}f}".replace(".", ",")
    return str(value)


def _print(title: str, frame: pd.DataFrame, columns: dict[str, str]) -> None:
    out = Table(title=title, title_justify="left")
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
    _print(f"Plus-IKCs ({int(ikcs['plus_ikc'].sum())} van {selection.n_plus} plaatsen)", shown, {
        "brin_vestiging": "BRIN", "name": "naam", "gebied": "gebied", "need": "behoefte", "status": "status",
        "startjaar": "start", "marginale_waarde": "marg. waarde",
    })
    for row in shown[shown["toelichting"].fillna("") != ""].itertuples():
        make_console().print(f"- {row.brin_vestiging} {row.name}: {row.toelichting}", highlight=False, markup=False)
    _print("Beperkingen van de keuze", selection.constraints, {
        "constraint": "beperking", "lhs": "waarde", "sense": "", "bound": "grens", "tight": "krap",
        "binding": "bindend", "gain": "winst zonder",
    })
    make_console().print(f"totale behoefte bediend: {_cell(selection.objective)}  "
                  "[dim](marg. waarde: verlies bij weglaten, of verschil bij afdwingen; leeg = niet mogelijk)[/dim]")


def print_changes(changes: dict[str, pd.DataFrame], old_year: int, new_year: int) -> None:
    """Per wijk entered/left/stayed with drivers; per IKC the continuity status."""
    _print(f"Wijken: {old_year} -> {new_year}", changes["wijken"], {
        "area_name": "wijk", "wijziging": "wijziging", "rang_oud": "rang oud", "rang_nieuw": "rang nieuw",
        "score_oud": "score oud", "score_nieuw": "score nieuw", "drijvers": "drijvende indicatoren",
    })
    _print(f"Plus-IKCs: {old_year} -> {new_year}", changes["ikcs"], {
        "brin_vestiging": "BRIN", "name": "naam", "status": "status", "startjaar": "start",
        "behoefte_oud": "behoefte oud", "behoefte_nieuw": "behoefte nieuw", "monitoren": "monitoren",
        "toelichting": "toelichting",
    })
