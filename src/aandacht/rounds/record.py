"""A round folder as the next round reads it.

A herijking writes ``rounds/<R>/``; the next round (and ``aandacht compare``) reads back
``ronde.json`` (round year, continuity rules, the aandachtsgebieden with their areas, the
Plus-IKCs with their start year and need figures) and the tables ``wijken.csv``,
``indicatoren.csv`` and ``ikcs.csv``, in the Dutch dialect of
:func:`aandacht.inputs.reading.read_csv_nl`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..decide.select import PreviousPlus
from ..errors import DataError
from ..inputs.reading import read_csv_nl

ROUND_JSON = "ronde.json"
ROUND_CSVS = ("wijken.csv", "indicatoren.csv", "ikcs.csv")


@dataclass
class RoundRecord:
    """A round as the next round sees it: its JSON and its machine-readable tables."""

    year: int
    meta: dict
    wijken: pd.DataFrame
    indicatoren: pd.DataFrame
    ikcs: pd.DataFrame
    source: str = ""


def read_round(path: Path) -> RoundRecord:
    """Read a round folder written by ``aandacht herijking`` (module docstring)."""
    path = Path(path)
    if not path.is_dir():
        raise DataError(f"{path}: round folder not found")
    missing = [name for name in (ROUND_JSON, *ROUND_CSVS) if not (path / name).is_file()]
    if missing:
        raise DataError(f"{path}: not a round folder (missing {missing}); it must be written by 'aandacht herijking'")
    try:
        meta = json.loads((path / ROUND_JSON).read_text(encoding="utf-8"))
        year = int(meta["round"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise DataError(f"{path / ROUND_JSON}: unreadable round file ({error})") from None
    wijken, indicatoren, ikcs = (read_csv_nl(path / name) for name in ROUND_CSVS)
    ikcs["brin_vestiging"] = ikcs["brin_vestiging"].astype(str)
    return RoundRecord(year, meta, wijken, indicatoren, ikcs, str(path))


def previous_plus(record: RoundRecord) -> list[PreviousPlus]:
    """The Plus-IKCs of a round with their start year and need figures."""
    try:
        return [PreviousPlus(p["brin_vestiging"], p["name"], int(p["start_year"]), dict(p.get("figures", {})))
                for p in record.meta["plus_ikcs"]]
    except (KeyError, TypeError, ValueError) as error:
        raise DataError(f"{record.source}/{ROUND_JSON}: plus_ikcs entry lacks {error}") from None

