"""Schools that count but have no place: the first page of the report says which and what it costs.

A school with a school figure (achterstandsscore or schoolweging) but no wijk (no coordinates, no wijk_code, not in the location
table) cannot lie in an aandachtsgebied, so it cannot become Plus-IKC; the aandachtsgebied it stands in
may then get no Plus-IKC at all (:func:`aandacht.rounds.herijking.placement_cost`). This module turns
that into the Dutch lines of the report and the round's table ``niet_geplaatst.csv``.
"""

from __future__ import annotations

import pandas as pd

from ..decide.ikc import on_schoolweging
from ..dutch import number_nl
from ..rounds.herijking import UNPLACED_COLUMNS, Herijking

PAGE_ONE_SCHOOLS = 8  # page 1 names at most this many unplaced schools (a gemeente without polygons has them all)
def unplaced_table(result: Herijking) -> pd.DataFrame:
    """The round's table of IKCs with a score and no wijk (written with Dutch column names:
    :func:`aandacht.present.tables.write_csv`)."""
    return result.unplaced if result.unplaced is not None else pd.DataFrame(columns=UNPLACED_COLUMNS)


def placement_summary(result: Herijking) -> dict | None:
    """What the report's first page says about unplaced schools (None when every school is placed), naming the
    school figure the need rests on (``figure``: the schoolweging or the CBS achterstandsscore): ``count`` schools,
    the first :data:`PAGE_ONE_SCHOOLS` by need by name (``schools``), the ``more`` in ``niet_geplaatst.csv``."""
    table = result.unplaced
    if table is None or table.empty:
        return None
    total = int(result.selection.figures["achterstandsscore"].notna().sum())
    schools = [{"name": r.name, "code": r.brin_vestiging, "board": r.bevoegd_gezag,
                "need": number_nl(r.need) if pd.notna(r.need) else "onbekend",
                "rank": f"{r.rang_behoefte} van {total}" if pd.notna(r.rang_behoefte) else "",
                "above": bool(r.boven_laagste_plus)} for r in table.itertuples()]
    on_weging = result.ikc_registry is not None and on_schoolweging(result.ikc_registry.table)
    return {"schools": schools[:PAGE_ONE_SCHOOLS], "more": max(0, len(schools) - PAGE_ONE_SCHOOLS),
            "count": len(schools), "uncovered": list(result.uncovered), "level": result.run.config.level,
            "figure": "schoolweging" if on_weging else "achterstandsscore"}
