"""What changed between two herijking rounds, per wijk and per IKC, and why.

Per area (designated in either round): ``erbij`` (entered), ``eraf`` (left) or
``gebleven`` (stayed), with old and new rank and score and the indicators that drove the
change. The drive of indicator i is the change of its contribution to the score,

    delta_i = w_i * (x_new,i - x_old,i)

with w_i the nominal effective weight and x the normalised value (the decomposition of
:mod:`aandacht.decide.designate`). For an area that entered the largest positive deltas are
shown, for one that left the most negative, for one that stayed the largest in absolute
value; each with its old and new raw value. Changes below ``MIN_CHANGE`` score points
are rounding (the round files keep six significant digits) and are not shown.

Per IKC (Plus in either round): ``voortgezet``, ``opnieuw aangewezen``, ``nieuw``,
``beëindigd: termijn voorbij`` or ``beëindigd: situatie veranderd`` (the new round's
status, set by the continuity rules of :mod:`aandacht.decide.select`), with old and new need,
``monitoren`` and the explanation; a school that is gone says what happened (closed, merged into
X, no longer in the school list: :mod:`aandacht.rounds.schools`), and its successor says whose
predicate it continues.

Every change names its cause (``oorzaak``), any of: the new figures (the drivers above), a changed
rule (the config keys, :mod:`aandacht.rounds.causes`), a changed school list, and the method's
uncertainty (an area whose probability of designation lies between ``NEAR`` and 1 - ``NEAR`` is near
the threshold). When both rounds read identical inputs, :func:`identical_sentence` says so first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..dutch import fixed_nl, number_nl, signed_nl
from ..inputs.reading import flag
from .causes import recorded_config, rule_changes, rule_text, same_inputs
from .record import RoundRecord
from .schools import EVENT_COLUMNS, event_phrase, school_events

DRIVERS = 3
MIN_CHANGE = 0.05  # contribution changes below this (in score points) are rounding, not change
NEAR = 0.1  # a probability of designation in [NEAR, 1 - NEAR] is near the threshold
NO_FIGURES = "geen indicator veranderd"


@dataclass
class Causes:
    """What else than the figures changed between two rounds (:mod:`aandacht.rounds.causes`)."""

    rules: list[tuple[str, object, object]] = field(default_factory=list)
    same_inputs: bool = False
    school_events: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EVENT_COLUMNS))


def causes_between(old: RoundRecord, new: RoundRecord) -> Causes:
    """The causes of :class:`Causes` for two round folders as written (``aandacht compare``): the rules of
    their recorded configs, their recorded input files, and the schools of the old round missing from the
    new one (the new round's own ``wijzigingen_scholen.csv`` says what happened where it knows)."""
    current = pd.Index(new.ikcs["brin_vestiging"].astype(str))
    plus = [str(p.get("brin_vestiging")) for p in old.meta.get("plus_ikcs", []) if isinstance(p, dict)]
    return Causes(rules=rule_changes(recorded_config(Path(old.source)), recorded_config(Path(new.source))),
                  same_inputs=same_inputs(Path(old.source), old.meta, Path(new.source), new.meta),
                  school_events=school_events(old.ikcs, plus, current, f"de scholenlijst van ronde {new.year}", None))


def identical_sentence(causes: Causes | None, old_year: int, new_year: int) -> str:
    """'Beide rondes rekenen met dezelfde cijfers ...' when the inputs are identical, else ''."""
    if causes is None or not causes.same_inputs:
        return ""
    return (f"Ronde {old_year} en ronde {new_year} rekenen met precies dezelfde bestanden: verschillen komen alleen "
            "uit gewijzigde regels of scholenlijsten, niet uit nieuwe cijfers.")


def area_cause(old: RoundRecord, new: RoundRecord, code: str, change: str, causes: Causes | None) -> str:
    """The causes of one area's change (module docstring), as Dutch text."""
    parts = []
    figures = drivers(old, new, code, change)
    if figures != NO_FIGURES:
        parts.append(f"nieuwe cijfers: {figures}")
    if causes is not None and causes.rules:
        parts.append(f"regel gewijzigd: {rule_text(causes.rules)}")
    kans = new.wijken.set_index(new.wijken["area_code"].astype(str)).get("kans")
    p = kans.get(code, np.nan) if kans is not None else np.nan
    if not pd.isna(p) and NEAR <= p <= 1 - NEAR and change != "gebleven":
        parts.append(f"onzekerheid: dicht bij de grens (kans op aanwijzing {fixed_nl(100 * p, 0)}%)")
    return "; ".join(parts) if parts else NO_FIGURES


def _contributions(record: RoundRecord) -> pd.DataFrame:
    table = record.indicatoren.copy()
    table["area_code"] = table["area_code"].astype(str)
    table["bijdrage"] = table["gewicht"] * table["genormaliseerd"]
    return table.set_index(["area_code", "indicator"])


def drivers(old: RoundRecord, new: RoundRecord, code: str, change: str, count: int = DRIVERS) -> str:
    """The indicators that drove an area's change (module docstring), as Dutch text."""
    before, after = _contributions(old), _contributions(new)
    if code not in before.index.get_level_values(0) or code not in after.index.get_level_values(0):
        return "niet in beide rondes gescoord"
    a, b = before.loc[code], after.loc[code]
    shared = a.index.intersection(b.index)
    delta = (b.loc[shared, "bijdrage"] - a.loc[shared, "bijdrage"]).dropna()
    if change == "erbij":
        delta = delta[delta > MIN_CHANGE].sort_values(ascending=False)
    elif change == "eraf":
        delta = delta[delta < -MIN_CHANGE].sort_values()
    else:
        delta = delta[delta.abs() > MIN_CHANGE]
        delta = delta.reindex(delta.abs().sort_values(ascending=False).index)
    parts = []
    for indicator, value in delta.head(count).items():
        before, after = _shown(a.at[indicator, "waarde"]), _shown(b.at[indicator, "waarde"])
        parts.append(f"{b.at[indicator, 'label']}: {before} -> {after} (bijdrage {signed_nl(value)})")
    return "; ".join(parts) if parts else NO_FIGURES


def _shown(value) -> str:
    """A value of indicatoren.csv in Dutch; a suppressed count ("<10") as it is."""
    return value if isinstance(value, str) else number_nl(value)


def compare_wijken(old: RoundRecord, new: RoundRecord, causes: Causes | None = None) -> pd.DataFrame:
    """Entered / left / stayed per area designated in either round (module docstring)."""
    a = old.wijken.assign(area_code=old.wijken["area_code"].astype(str)).set_index("area_code")
    b = new.wijken.assign(area_code=new.wijken["area_code"].astype(str)).set_index("area_code")
    def designated(round_: RoundRecord, table: pd.DataFrame, code: str) -> bool:
        """aangewezen of ``code`` (False when the round does not list it), strictly yes/no (:func:`flag`)."""
        return code in table.index and flag(table.at[code, "aangewezen"],
                                            f"{round_.source}/wijken.csv: area {code}, column aangewezen")

    codes = [c for c in b.index.union(a.index, sort=False) if designated(old, a, c) or designated(new, b, c)]
    rows = []
    for code in codes:
        was, is_now = designated(old, a, code), designated(new, b, code)
        change = "gebleven" if was and is_now else ("erbij" if is_now else "eraf")
        rows.append({
            "area_code": code,
            "area_name": b["area_name"].get(code, a["area_name"].get(code, "")),
            "wijziging": change,
            "gebied_oud": _text(a["gebied"].get(code, "")), "gebied_nieuw": _text(b["gebied"].get(code, "")),
            "rang_oud": a["rang"].get(code, np.nan), "rang_nieuw": b["rang"].get(code, np.nan),
            "score_oud": a["score"].get(code, np.nan), "score_nieuw": b["score"].get(code, np.nan),
            "oorzaak": area_cause(old, new, code, change, causes),
        })
    order = {"erbij": 0, "eraf": 1, "gebleven": 2}
    columns = ["area_code", "area_name", "wijziging", "gebied_oud", "gebied_nieuw", "rang_oud", "rang_nieuw",
               "score_oud", "score_nieuw", "oorzaak"]
    table = pd.DataFrame(rows, columns=columns)
    for column in ("rang_oud", "rang_nieuw"):
        table[column] = pd.to_numeric(table[column]).round().astype("Int64")
    return table.sort_values(["wijziging", "rang_nieuw"], key=lambda s: s.map(order) if s.name == "wijziging" else s,
                             na_position="last").reset_index(drop=True)


def _text(value) -> str:
    return "" if pd.isna(value) else str(value)


def compare_ikcs(old: RoundRecord, new: RoundRecord, causes: Causes | None = None) -> pd.DataFrame:
    """Status per IKC that is Plus in either round (module docstring)."""
    events = causes.school_events if causes is not None else pd.DataFrame(columns=EVENT_COLUMNS)
    gone = {row.brin_vestiging: row for row in events.itertuples()}
    predecessors = {}
    for row in events.itertuples():
        if row.opvolger and row.was_plus:
            predecessors.setdefault(row.opvolger, []).append(f"{row.name} ({row.brin_vestiging})")
    old_plus = {p["brin_vestiging"]: p for p in old.meta.get("plus_ikcs", [])}
    new_plus = {p["brin_vestiging"]: p for p in new.meta.get("plus_ikcs", [])}
    a = old.ikcs.set_index(old.ikcs["brin_vestiging"].astype(str))
    b = new.ikcs.set_index(new.ikcs["brin_vestiging"].astype(str))
    rows = []
    for brin in [*new_plus, *[k for k in old_plus if k not in new_plus]]:
        if brin in new_plus and brin in old_plus:
            status = new_plus[brin].get("status", "voortgezet")
        elif brin in new_plus and brin in predecessors:
            status = f"{new_plus[brin].get('status', 'voortgezet')} (opvolger van {', '.join(predecessors[brin])})"
        elif brin in new_plus:
            status = "nieuw"
        else:
            new_status = _text(b["status"].get(brin, ""))
            if brin in gone:
                status = f"beëindigd: {event_phrase(gone[brin])}"
            elif brin not in b.index:
                status = "beëindigd: niet meer in het IKC-register"
            else:
                status = new_status if new_status.startswith("beëindigd") else "beëindigd: niet meer gekozen"
        rows.append({
            "brin_vestiging": brin,
            "name": (new_plus.get(brin) or old_plus.get(brin))["name"],
            "status": status,
            "startjaar": new_plus[brin]["start_year"] if brin in new_plus else old_plus[brin]["start_year"],
            "behoefte_oud": a["need"].get(brin, np.nan), "behoefte_nieuw": b["need"].get(brin, np.nan),
            "monitoren": brin in b.index and flag(b.at[brin, "monitoren"], f"{new.source}/ikcs.csv: IKC {brin}, column monitoren"),
            "toelichting": _text(b["toelichting"].get(brin, "")) if "toelichting" in b else "",
        })
    columns = ["brin_vestiging", "name", "status", "startjaar", "behoefte_oud", "behoefte_nieuw", "monitoren", "toelichting"]
    return pd.DataFrame(rows, columns=columns)


def compare_records(old: RoundRecord, new: RoundRecord, causes: Causes | None = None) -> dict[str, pd.DataFrame]:
    """Both comparisons, keyed 'wijken' and 'ikcs' (file names wijzigingen_<key>.csv), and the schools
    of the old round that are gone ('scholen', wijzigingen_scholen.csv) when ``causes`` knows them."""
    changes = {"wijken": compare_wijken(old, new, causes), "ikcs": compare_ikcs(old, new, causes)}
    if causes is not None:
        changes["scholen"] = causes.school_events
    return changes
