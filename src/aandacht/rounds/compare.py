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
``monitoren`` and the explanation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..dutch import number_nl, signed_nl
from .record import RoundRecord

DRIVERS = 3
MIN_CHANGE = 0.05  # contribution changes below this (in score points) are rounding, not change


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
    return "; ".join(parts) if parts else "geen indicator veranderd"


def _shown(value) -> str:
    """A value of indicatoren.csv in Dutch; a suppressed count ("<10") as it is."""
    return value if isinstance(value, str) else number_nl(value)


def compare_wijken(old: RoundRecord, new: RoundRecord) -> pd.DataFrame:
    """Entered / left / stayed per area designated in either round (module docstring)."""
    a = old.wijken.assign(area_code=old.wijken["area_code"].astype(str)).set_index("area_code")
    b = new.wijken.assign(area_code=new.wijken["area_code"].astype(str)).set_index("area_code")
    codes = [c for c in b.index.union(a.index, sort=False)
             if bool(a["aangewezen"].get(c, False)) or bool(b["aangewezen"].get(c, False))]
    rows = []
    for code in codes:
        was, is_now = bool(a["aangewezen"].get(code, False)), bool(b["aangewezen"].get(code, False))
        change = "gebleven" if was and is_now else ("erbij" if is_now else "eraf")
        rows.append({
            "area_code": code,
            "area_name": b["area_name"].get(code, a["area_name"].get(code, "")),
            "wijziging": change,
            "gebied_oud": _text(a["gebied"].get(code, "")), "gebied_nieuw": _text(b["gebied"].get(code, "")),
            "rang_oud": a["rang"].get(code, np.nan), "rang_nieuw": b["rang"].get(code, np.nan),
            "score_oud": a["score"].get(code, np.nan), "score_nieuw": b["score"].get(code, np.nan),
            "oorzaak": drivers(old, new, code, change),
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


def compare_ikcs(old: RoundRecord, new: RoundRecord) -> pd.DataFrame:
    """Status per IKC that is Plus in either round (module docstring)."""
    old_plus = {p["brin_vestiging"]: p for p in old.meta.get("plus_ikcs", [])}
    new_plus = {p["brin_vestiging"]: p for p in new.meta.get("plus_ikcs", [])}
    a = old.ikcs.set_index(old.ikcs["brin_vestiging"].astype(str))
    b = new.ikcs.set_index(new.ikcs["brin_vestiging"].astype(str))
    rows = []
    for brin in [*new_plus, *[k for k in old_plus if k not in new_plus]]:
        if brin in new_plus and brin in old_plus:
            status = new_plus[brin].get("status", "voortgezet")
        elif brin in new_plus:
            status = "nieuw"
        else:
            new_status = _text(b["status"].get(brin, ""))
            if brin not in b.index:
                status = "beëindigd: niet meer in het IKC-register"
            else:
                status = new_status if new_status.startswith("beëindigd") else "beëindigd: niet meer gekozen"
        rows.append({
            "brin_vestiging": brin,
            "name": (new_plus.get(brin) or old_plus.get(brin))["name"],
            "status": status,
            "startjaar": new_plus[brin]["start_year"] if brin in new_plus else old_plus[brin]["start_year"],
            "behoefte_oud": a["need"].get(brin, np.nan), "behoefte_nieuw": b["need"].get(brin, np.nan),
            "monitoren": bool(b["monitoren"].get(brin, False)),
            "toelichting": _text(b["toelichting"].get(brin, "")) if "toelichting" in b else "",
        })
    columns = ["brin_vestiging", "name", "status", "startjaar", "behoefte_oud", "behoefte_nieuw", "monitoren", "toelichting"]
    return pd.DataFrame(rows, columns=columns)


def compare_records(old: RoundRecord, new: RoundRecord) -> dict[str, pd.DataFrame]:
    """Both comparisons, keyed 'wijken' and 'ikcs' (file names wijzigingen_<key>.csv)."""
    return {"wijken": compare_wijken(old, new), "ikcs": compare_ikcs(old, new)}
