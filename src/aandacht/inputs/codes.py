"""School codes by their published pattern.

DUO's BRIN number (instellingscode) is four characters: two digits and two letters or digits
(``03VL``, ``30AB``); a vestiging adds a two-digit number (``03VL00``); the Inspectie's object van
toezicht is the BRIN and a location (``03VL|C1``). Every code in the real DUO lists (2017, 2026) and
the Inspectie's schoolweging file has this shape. A code that does not is refused with its file,
row and column: ``3VL00`` (a leading zero lost in a spreadsheet) would otherwise match no school and
drop one from the gemeente's list without a word.
"""

from __future__ import annotations

import re

import pandas as pd

from ..errors import AandachtError
from .reading import fail_at_first

GEMEENTE = r"GM\d{4}"  # a CBS gemeente code: GM0080
BRIN = r"\d{2}[0-9A-Z]{2}"
BRIN_VESTIGING = BRIN + r"\d{2}"
OBJECT_VAN_TOEZICHT = BRIN + r"\|C\d+"
_EXAMPLES = {BRIN: "03VL", BRIN_VESTIGING: "03VL00", OBJECT_VAN_TOEZICHT: "03VL|C1"}
_WHAT = {BRIN: "a BRIN number", BRIN_VESTIGING: "a BRIN vestiging code", OBJECT_VAN_TOEZICHT: "an object van toezicht code"}


def check_gemeente(gemeente: str) -> None:
    """Refuse a gemeente that is not a CBS gemeente code (:data:`GEMEENTE`), in one line."""
    if not re.fullmatch(GEMEENTE, gemeente or ""):
        raise AandachtError(f"gemeente must look like GM0080 (got {gemeente!r})")


def check_codes(codes: pd.Series, index: pd.Index, origin, column: str, pattern: str = BRIN_VESTIGING) -> None:
    """Refuse the first code (already stripped and upper case) that does not have ``pattern``'s shape."""
    bad = ~codes.fillna("").str.fullmatch(pattern)
    fail_at_first(bad, index, origin, lambda i: f"{codes.iloc[i]!r} is not {_WHAT[pattern]} (two digits and two letters "
                  f"or digits{', then two digits' if pattern == BRIN_VESTIGING else ''}, like {_EXAMPLES[pattern]}); "
                  "was a leading zero lost in a spreadsheet?", column)
