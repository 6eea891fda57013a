"""Schools of the previous round that are gone: closed, or merged into another school.

A school of the previous round (a Plus-IKC or any IKC of its registry) that is not in this round's
IKC registry is *gone*. What happened comes, in this order, from

1. the analyst's table ``ikc.changes`` (CSV ``old_code,new_code,year,source``: ``new_code`` empty =
   closed, else merged into ``new_code``), the place for what DUO's lists do not say;
2. DUO's own lists: a school missing from the list of the round's time is "niet meer in de lijst"
   (closed, or merged into a school the table above can name).

A Plus-IKC that merged passes its predicate to its successor (:func:`carry_over`): the successor
continues with the start year of its earliest predecessor, and takes one place, whatever it absorbed.
"""

from __future__ import annotations

import pandas as pd

from ..decide.select import PreviousPlus
from ..errors import DataError
from ..inputs.reading import fail_at_first, read_table, require_columns

CHANGE_COLUMNS = ("old_code", "new_code", "year", "source")
EVENT_COLUMNS = ["brin_vestiging", "name", "was_plus", "gebeurtenis", "opvolger", "jaar", "bron"]


def read_school_changes(path) -> pd.DataFrame:
    """The analyst's table of closures and mergers, indexed by old_code (module docstring)."""
    table = read_table(path, allow_empty=True).fillna("")
    require_columns(table, CHANGE_COLUMNS, path, "school change table")
    for column in ("old_code", "new_code"):
        table[column] = table[column].str.strip().str.upper()
    fail_at_first(table["old_code"] == "", table.index, path, lambda i: "old_code is empty", "old_code")
    fail_at_first(table["old_code"].duplicated(), table.index, path,
                  lambda i: f"old_code {table['old_code'].iloc[i]} appears twice", "old_code")
    fail_at_first(table["old_code"] == table["new_code"], table.index, path,
                  lambda i: f"{table['old_code'].iloc[i]} cannot merge into itself", "new_code")
    fail_at_first(~table["year"].str.strip().str.fullmatch(r"(19|20)\d{2}"), table.index, path,
                  lambda i: f"year {table['year'].iloc[i]!r} is not a year like 2020", "year")
    return table.set_index("old_code")


def school_events(previous_ikcs: pd.DataFrame, previous_plus: list[str], current: pd.Index, list_label: str,
                  changes: pd.DataFrame | None) -> pd.DataFrame:
    """One row per school of the previous round that is not among the ``current`` IKCs (EVENT_COLUMNS):
    gebeurtenis 'opgegaan in' / 'gesloten' (from ``changes``) or 'niet meer in de lijst'."""
    rows = []
    names = previous_ikcs.set_index(previous_ikcs["brin_vestiging"].astype(str))["name"]
    for brin, name in names.items():
        if brin in current:
            continue
        entry = changes.loc[brin] if changes is not None and brin in changes.index else None
        if entry is not None and entry["new_code"]:
            event = ("opgegaan in", entry["new_code"], entry["year"], entry["source"])
        elif entry is not None:
            event = ("gesloten", "", entry["year"], entry["source"])
        else:
            event = ("niet meer in de lijst", "", "", list_label)
        rows.append(dict(zip(EVENT_COLUMNS, (brin, name, brin in previous_plus, *event))))
    return pd.DataFrame(rows, columns=EVENT_COLUMNS)


def event_phrase(row) -> str:
    """Dutch, what happened to a school: 'is opgegaan in 16HJ00 (2020; bron)'."""
    what = {"opgegaan in": f"is opgegaan in {row.opvolger}", "gesloten": "is gesloten",
            "niet meer in de lijst": f"staat niet meer in {row.bron} (gesloten of opgegaan in een andere school)"}
    when = f" ({row.jaar}; {row.bron})" if row.gebeurtenis != "niet meer in de lijst" and row.jaar else ""
    return f"{what[row.gebeurtenis]}{when}"


def event_sentence(row) -> str:
    """Dutch: 'De Plataanschool (15WI00) is opgegaan in 16HJ00 (2020; bron)'."""
    return f"{row.name} ({row.brin_vestiging}) {event_phrase(row)}"


def carry_over(previous: list[PreviousPlus], events: pd.DataFrame, current: pd.Series) -> tuple[list[PreviousPlus], list[str]]:
    """The previous Plus-IKCs as this round's continuity sees them (module docstring): a merged one
    under its successor's code (the earliest start year; one place per successor), a closed one
    dropped; with a Dutch note per change. ``current``: this round's IKC names by code."""
    successor = {row.brin_vestiging: row.opvolger for row in events.itertuples() if row.opvolger}
    carried: dict[str, PreviousPlus] = {}
    notes = []
    for plus in previous:
        code = successor.get(plus.brin_vestiging, plus.brin_vestiging)
        if code not in current.index:
            continue
        if code != plus.brin_vestiging:
            notes.append(f"Plus-IKC {plus.name} ({plus.brin_vestiging}) is opgegaan in {code}: het predicaat "
                         f"(sinds {plus.start_year}) gaat over op {code}")
        held = carried.get(code)
        if held is None or plus.start_year < held.start_year:
            carried[code] = PreviousPlus(code, str(current[code]), plus.start_year, plus.figures)
    return list(carried.values()), notes


def require_known_successors(events: pd.DataFrame, current: pd.Index, origin) -> None:
    """A successor named in the change table must be an IKC of this round."""
    unknown = events[(events["opvolger"] != "") & ~events["opvolger"].isin(current)]
    if len(unknown):
        row = unknown.iloc[0]
        raise DataError(f"{origin}: {row['brin_vestiging']} merged into {row['opvolger']}, which is not in this round's "
                        "school list")


def events_since(previous, ikcs, changes: pd.DataFrame | None) -> pd.DataFrame:
    """:func:`school_events` of a previous round (a :class:`aandacht.rounds.record.RoundRecord`) against the IKC
    registry ``ikcs`` of this round (:class:`aandacht.decide.ikc.IkcRegistry`)."""
    from .record import previous_plus

    label = ikcs.school_list.label if ikcs.school_list else "het IKC-register van deze ronde"
    plus = [p.brin_vestiging for p in previous_plus(previous)]
    return school_events(previous.ikcs, plus, ikcs.table.index, label, changes)


def gone_schools(config, previous_dir, peildatum: int) -> tuple[pd.DataFrame, int]:
    """For ``aandacht check --previous``: the schools of a previous round (folder) that are not in the IKC
    registry of a round with this peildatum (:func:`events_since`), and the previous round's year."""
    from ..decide.ikc import load_ikcs
    from ..inputs.areas import area_registry
    from .record import read_round

    previous = read_round(previous_dir, config.gemeente.code, config.level)
    ikcs = load_ikcs(config, area_registry(config), peildatum)
    changes = read_school_changes(config.ikc.changes) if config.ikc.changes else None
    return events_since(previous, ikcs, changes), previous.year
