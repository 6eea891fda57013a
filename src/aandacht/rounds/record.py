"""A round folder as the next round reads it.

A herijking writes ``rounds/<R>/``; the next round (and ``aandacht compare``) reads back, after
checking every file against the SHA-256 its ``manifest.json`` records (:func:`require_unchanged`),
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
from ..digest import changed_outputs
from ..errors import DataError
from ..inputs.reading import read_csv_nl

ROUND_JSON = "ronde.json"
ROUND_CSVS = ("wijken.csv", "indicatoren.csv", "ikcs.csv")
MANIFEST = "manifest.json"


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
    missing = [name for name in (ROUND_JSON, *ROUND_CSVS, MANIFEST) if not (path / name).is_file()]
    if missing:
        raise DataError(f"{path}: not a round folder (missing {missing}); it must be written by 'aandacht herijking'")
    require_unchanged(path, recorded_outputs(path))
    try:
        meta = json.loads((path / ROUND_JSON).read_text(encoding="utf-8"))
        year = int(meta["round"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise DataError(f"{path / ROUND_JSON}: unreadable round file ({error})") from None
    wijken, indicatoren, ikcs = (read_csv_nl(path / name) for name in ROUND_CSVS)
    ikcs["brin_vestiging"] = ikcs["brin_vestiging"].astype(str)
    return RoundRecord(year, meta, wijken, indicatoren, ikcs, str(path))


def recorded_outputs(path: Path) -> dict[str, str]:
    """The ``outputs`` of a round folder's manifest: file name -> the SHA-256 recorded when written."""
    manifest_path = Path(path) / MANIFEST
    try:
        outputs = json.loads(manifest_path.read_text(encoding="utf-8")).get("outputs")
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as error:
        raise DataError(f"{manifest_path}: not a manifest written by aandacht ({error})") from None
    if not isinstance(outputs, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in outputs.items()):
        raise DataError(f"{manifest_path}: not a manifest written by aandacht (no 'outputs' with the files' SHA-256)")
    return outputs


def require_unchanged(path: Path, outputs: dict[str, str]) -> None:
    """Refuse a round folder with a file missing or changed since it was written
    (:func:`aandacht.digest.changed_outputs`): a round is a record, and an edited record would pass
    its edits on unseen to the next round's comparison, maps and report."""
    problems = changed_outputs(path, outputs)
    if problems:
        raise DataError(f"{path}/{problems[0]}; a round is read back only as it was recorded: restore the file "
                        f"(see 'aandacht verify {path}')")


def previous_plus(record: RoundRecord) -> list[PreviousPlus]:
    """The Plus-IKCs of a round with their start year and need figures."""
    try:
        return [PreviousPlus(p["brin_vestiging"], p["name"], int(p["start_year"]), dict(p.get("figures", {})))
                for p in record.meta["plus_ikcs"]]
    except (KeyError, TypeError, ValueError) as error:
        raise DataError(f"{record.source}/{ROUND_JSON}: plus_ikcs entry lacks {error}") from None

