"""Published wijk and buurt names for the national registry (``data/nl/gebieden.csv.gz``).

``scripts/build_data.py`` calls :func:`published_names`. The source is the attribute table of the CBS
Wijk- en buurtkaart 2024 (codes and names of every gemeente, wijk and buurt of 2024, CBS/Kadaster, CC BY 4.0),
as a public copy holds it (see data/README.md, "gebieden.csv.gz", and the PROVENANCE.md beside the raw file).

The registry is of KWB 2023, so a 2024 name is taken only where the 2023 code means the same area in 2024.
A gemeente may redraw its wijken or buurten and reuse codes for other areas (Druten 2024: WK022501 was
Puiflijk, is Druten), so:

1. **the 2024 names apply to a gemeente whose set of wijk and buurt codes in KWB 2023 is exactly its set in
   2024** (325 of 342 gemeenten);
2. in the other gemeenten, a wijk whose 2024 name, folded to ASCII, is its 2022 name (tmap, which folds
   them: "Nijlan") was not renamed in between and takes the 2024 name (with its diacritics); its buurten take
   their 2024 names when the wijk's buurt codes are the same in 2023 and 2024.

Within rule 1 a code can still have been renamed between 2023 and 2024 (Assen's "Wijk 03 Assen Oost" of 2022
is "Assen-Oost" in 2024): the name is then the 2024 one, and ``name_source`` and ``vintage`` say so.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pandas as pd

NAMES_FILE = "cbs_wijkbuurtkaart_2024_namen/gevoelstemperatuurbuurt_2012.xlsx"
NAME_SOURCE = "CBS wijk- en buurtkaart 2024"
VINTAGE = "2024"
COLUMNS = ["bu_code", "bu_naam", "wk_code", "wk_naam", "gm_code"]


def read_published(path: Path) -> pd.DataFrame:
    """The code and name columns of the Wijk- en buurtkaart table, one row per buurt, stripped; exit with a
    message naming the file and row at a missing column, an empty or duplicate code, an empty name, a buurt
    whose code is not of its wijk and gemeente, or a wijk with two names."""
    table = pd.read_excel(path, engine="calamine", dtype=str).fillna("")
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        sys.exit(f"error: {path}: column(s) missing: {', '.join(missing)}")
    table = table[COLUMNS].apply(lambda s: s.str.strip())
    checks = [
        ((table == "").any(axis=1), "empty code or name"),
        (table["bu_code"].duplicated(keep=False), "duplicate bu_code"),
        (table["bu_code"].str[2:8] != table["wk_code"].str[2:], "bu_code not in its wk_code"),
        (table["wk_code"].str[2:6] != table["gm_code"].str[2:], "wk_code not in its gm_code"),
        (table.groupby("wk_code")["wk_naam"].transform("nunique") > 1, "wk_code with two names"),
    ]
    for bad, what in checks:
        if bad.any():
            row = bad.to_numpy().nonzero()[0][0]
            sys.exit(f"error: {path}: row {row + 2} ({table.at[row, 'bu_code'] or 'no code'}): {what}")
    return table


def divisions(codes: pd.Series) -> pd.Series:
    """gemeente code -> frozenset of its wijk and buurt codes (codes of the CBS form WKggggww / BUggggwwbb)."""
    codes = pd.Series(codes, dtype=str)
    return codes.groupby("GM" + codes.str[2:6]).agg(frozenset)


def in_gemeenten(names: pd.Series, gemeenten: set[str]) -> pd.Series:
    """The names (indexed by WK/BU code) of areas in ``gemeenten``."""
    return names[("GM" + names.index.str[2:6]).isin(gemeenten)]


def ascii_folded(name: str) -> str:
    """The name without diacritics, as tmap writes the KWB 2022 names ("Nijlân" -> "Nijlan")."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def published_names(path: Path, codes_2023: pd.Series, wijk_names_2022: pd.Series) -> tuple[pd.Series, list[str]]:
    """(area code -> published name, the gemeenten whose division changed): the 2024 names of the wijken and
    buurten that are the same areas in 2023 (``codes_2023``; ``wijk_names_2022``: tmap's, code -> name), by the
    two rules of the module docstring."""
    table = read_published(path)
    wijken = table.drop_duplicates("wk_code").set_index("wk_code")["wk_naam"]
    buurten = table.set_index("bu_code")["bu_naam"]
    codes_2023 = codes_2023[codes_2023.str.match(r"(WK|BU)")]
    before = divisions(codes_2023)
    same = {gm for gm, codes in divisions(pd.concat([wijken, buurten]).index.to_series()).items()
            if before.get(gm) == codes}
    unrenamed = [code for code, name in wijken.items()
                 if code in wijk_names_2022.index and ascii_folded(name) == wijk_names_2022[code]]
    buurten_2023 = codes_2023[codes_2023.str.startswith("BU")]
    sets_2023 = buurten_2023.groupby("WK" + buurten_2023.str[2:8]).agg(frozenset)
    sets_2024 = buurten.index.to_series().groupby("WK" + buurten.index.str[2:8]).agg(frozenset)
    kept_whole = [code for code in unrenamed if sets_2023.get(code) == sets_2024.get(code)]
    names = pd.concat([in_gemeenten(wijken, same), in_gemeenten(buurten, same), wijken[unrenamed],
                       buurten[("WK" + buurten.index.str[2:8]).isin(kept_whole)]])
    names = names[~names.index.duplicated()]
    return names.sort_index(), sorted(set(before.index) - same)
