"""DUO school lists ("alle vestigingen bo/vo", Open Onderwijsdata).

Layouts (verified on the real 2017, 2020 and 2026 files): ``;``-separated, latin-1 or
Windows-1252, upper-case headers with spaces: PROVINCIE; BEVOEGD GEZAG NUMMER; BRIN NUMMER;
VESTIGINGSNUMMER; VESTIGINGSNAAM; STRAATNAAM; HUISNUMMER-TOEVOEGING; POSTCODE; PLAATSNAAM;
GEMEENTENUMMER; GEMEENTENAAM; DENOMINATIE; ... (2017, 2020). The 2026 list
("alle schoolvestigingen basisonderwijs") names the same fields INSTELLINGSCODE and
VESTIGINGSCODE. The vestiging code holds the full six characters (BRIN + two digits) in
recent lists and only the two digits in some older ones; both are read. GEMEENTENUMMER is
read with or without leading zeros (``80`` and ``0080`` are Leeuwarden).

As a loader, ``duo`` counts the vestigingen of the configured registry's gemeente(n) per
area (indicator ``vestigingen``). A vestiging is placed by the analyst's ``locations`` table
(brin_vestiging, wijk_code, reason) or, failing that, by its postcode: the area holding the
largest share of the PC4's addresses in ``pc4_allocation`` (an approximation, reported).
Schools that cannot be placed are listed in the notes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...config import InputSpec
from ...errors import DataError
from ...text import first_of
from .. import harmonise  # module import: harmonise itself imports sources.reading
from ..codes import check_codes
from ..reading import read_table, require_columns
from ..tidy import validate_tidy
from .base import LoadResult

COLUMNS = {"BRIN NUMMER": "brin", "INSTELLINGSCODE": "brin", "VESTIGINGSNUMMER": "vestigingsnummer",
           "VESTIGINGSCODE": "vestigingsnummer", "VESTIGINGSNAAM": "name",
           "BEVOEGD GEZAG NUMMER": "bevoegd_gezag_nummer", "POSTCODE": "postcode", "PLAATSNAAM": "plaats",
           "GEMEENTENUMMER": "gemeentenummer", "GEMEENTENAAM": "gemeentenaam", "DENOMINATIE": "denominatie"}
DUO_HEADERS = ("BRIN NUMMER", "INSTELLINGSCODE")


def is_duo_list(columns) -> bool:
    """Whether a table's header is that of a DUO vestigingen list."""
    return bool({str(c).strip().upper() for c in columns} & set(DUO_HEADERS))


def in_registry_gemeenten(schools: pd.DataFrame, registry) -> pd.DataFrame:
    """The vestigingen of a DUO list that lie in the gemeente(n) of the registry."""
    table = registry.table
    gemeenten = {code[2:] for code in table.index[table["level"] == "gemeente"] if code.startswith("GM")}
    return schools[schools["gemeentenummer"].isin(gemeenten)].reset_index(drop=True)


def read_duo(path) -> pd.DataFrame:
    """The DUO list with normalised columns: brin_vestiging, name, bevoegd_gezag_nummer,
    postcode, pc4, plaats, gemeentenummer (4 digits), gemeentenaam, denominatie."""
    frame = read_table(path, expect=DUO_HEADERS)
    frame.columns = [str(c).strip().upper() for c in frame.columns]
    code = "INSTELLINGSCODE" if "INSTELLINGSCODE" in frame.columns else "BRIN NUMMER"
    vestiging = "VESTIGINGSCODE" if code == "INSTELLINGSCODE" else "VESTIGINGSNUMMER"
    require_columns(frame, (code, vestiging, "VESTIGINGSNAAM", "POSTCODE", "GEMEENTENUMMER"), path, "DUO vestigingen list")
    renamed = frame.rename(columns=COLUMNS)
    out = renamed[[c for c in dict.fromkeys(COLUMNS.values()) if c in renamed.columns]].fillna("")
    out = out.apply(lambda column: column.str.strip())
    number = out["vestigingsnummer"].str.upper()
    out["brin_vestiging"] = np.where(number.str.len() == 6, number, out["brin"].str.upper() + number.str.zfill(2))
    check_codes(out["brin_vestiging"], out.index, path, f"{code} + {vestiging}")
    out["gemeentenummer"] = out["gemeentenummer"].str.zfill(4)
    out["pc4"] = out["postcode"].str.replace(" ", "").str[:4]
    return out


def place_by_postcode(schools: pd.DataFrame, allocation: pd.DataFrame) -> pd.Series:
    """Area per school: the area with the largest address share of the school's PC4 ("" if none)."""
    best = allocation.sort_values("weight", ascending=False).drop_duplicates("from_code").set_index("from_code")["to_code"]
    return schools["pc4"].map(best).fillna("")


def load_duo(spec: InputSpec, registry, needed: frozenset[str] | None = None) -> LoadResult:
    """Count vestigingen per area (see the module docstring); ``needed`` is not used (one indicator)."""
    from .schools import area_rows, placed_level, read_locations

    origin = str(spec.path)
    table = registry.table
    gemeenten = {code[2:] for code in table.index[table["level"] == "gemeente"] if code.startswith("GM")}
    schools = in_registry_gemeenten(read_duo(spec.path), registry)
    if schools.empty:
        raise DataError(f"{origin}: no vestigingen of gemeente(n) {sorted('GM' + g for g in gemeenten)} in the list")
    codes = pd.Series("", index=schools.index)
    notes = [f"{origin}: {len(schools)} vestigingen in gemeente(n) {sorted('GM' + g for g in gemeenten)}"]
    if spec.locations:
        codes = schools["brin_vestiging"].map(read_locations(spec.locations)).fillna("")
    if spec.pc4_allocation:
        by_postcode = place_by_postcode(schools, harmonise.read_pc4_allocation(spec.pc4_allocation, set(table.index)))
        notes.append(f"{origin}: {int(((codes == '') & (by_postcode != '')).sum())} vestiging(en) geplaatst via de postcode "
                     "(het gebied met het grootste deel van de adressen van de PC4; bij benadering)")
        codes = codes.where(codes != "", by_postcode)
    unknown = sorted(set(codes[codes != ""]) - set(table.index))
    if unknown:
        raise DataError(f"{origin}: area code(s) {unknown} are not in the area registry")
    unplaced = schools.loc[codes == "", ["brin_vestiging", "name"]]
    if len(unplaced):
        notes.append(f"{origin}: {len(unplaced)} vestiging(en) niet geplaatst en niet meegeteld: "
                     + first_of(f"{b} {n}" for b, n in unplaced.itertuples(index=False)))
    placed = codes[codes != ""]
    level, areas = placed_level(placed, registry, origin, "vestigingen")
    count = placed.value_counts().reindex(areas).fillna(0).to_numpy(dtype="float64")
    tidy = area_rows(spec, registry, areas, level, "vestigingen", count, None, None, "aantal")
    return LoadResult(validate_tidy(tidy, origin), notes)
