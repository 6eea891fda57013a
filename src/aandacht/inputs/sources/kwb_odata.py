"""CBS Kerncijfers Wijken en Buurten through CBS OData (the ``cbsodata`` package).

Tables (StatLine): 84583NED (2019), 84799NED (2020), 85039NED (2021), 85318NED (2022),
85618NED (2023), 85984NED (2024). :func:`fetch_kwb` downloads the rows of one gemeente with
``cbsodata.download_data(..., typed=True)``, which writes the raw responses (TypedDataSet.json,
DataProperties.json, TableInfos.json, WijkenEnBuurten.json, ...) into a cache folder; the
``kwb`` loader reads such a folder offline (:func:`load_odata`).

OData conventions handled here:

* keys carry a numeric suffix that shifts between years (HuishoudensMetKinderen_31 in 2022,
  _32 in 2023); the indicator is the key without suffix. Where that name occurs twice in a
  table (Nederland_17 under Herkomstland, Nederland_20 under Geboren in Nederland), it is
  qualified by the titles of its topic groups ("Herkomstland.Nederland");
* region codes are padded with spaces ("WK008010  "); they are stripped;
* ``null`` is a missing value: ``not_collected`` when the variable is empty for every region
  (income variables arrive a year after the rest), ``suppressed`` otherwise;
* the unit comes from DataProperties (``aantal``, ``%``, ``x 1 000 euro``, ...).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import AandachtError, DataError
from ..tidy import validate_tidy
from .base import LoadResult

KWB_TABLES = {2019: "84583NED", 2020: "84799NED", 2021: "85039NED", 2022: "85318NED", 2023: "85618NED", 2024: "85984NED"}
LEVEL_BY_PREFIX = {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}
REGION_KEY = "WijkenEnBuurten"
_SUFFIX = re.compile(r"_\d+$")


def _read_json(path: Path):
    if not path.is_file():
        raise DataError(f"{path}: file not found (an OData cache folder holds TypedDataSet.json and DataProperties.json)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DataError(f"{path}: not valid JSON ({error})") from None


def indicator_names(properties: list[dict]) -> dict[str, tuple[str, str]]:
    """OData key -> (indicator name without suffix, unit) for every numeric topic."""
    by_id = {p["ID"]: p for p in properties}
    topics = [p for p in properties if p.get("Type") == "Topic" and p.get("Datatype") != "String"]
    bare = [_SUFFIX.sub("", p["Key"]) for p in topics]
    names = {}
    for topic, name in zip(topics, bare):
        if bare.count(name) > 1:
            groups, parent = [], topic.get("ParentID")
            while parent is not None:
                groups.insert(0, "".join(w[:1].upper() + w[1:] for w in re.split(r"[^\w]+", by_id[parent]["Title"]) if w))
                parent = by_id[parent].get("ParentID")
            name = ".".join([*groups, name])
        names[topic["Key"]] = (name, (topic.get("Unit") or "").strip())
    return names


def load_odata(spec) -> LoadResult:
    """Read an OData cache folder (or its TypedDataSet.json) into the tidy table."""
    folder = spec.path if spec.path.is_dir() else spec.path.parent
    origin = str(folder)
    properties = _read_json(folder / "DataProperties.json")
    rows = _read_json(folder / "TypedDataSet.json")
    if not isinstance(rows, list) or not rows:
        raise DataError(f"{folder / 'TypedDataSet.json'}: no data rows")
    if REGION_KEY not in rows[0]:
        raise DataError(f"{folder / 'TypedDataSet.json'}: no {REGION_KEY} column; is this a Kerncijfers wijken en buurten table?")
    titles = {}
    if (folder / f"{REGION_KEY}.json").is_file():
        titles = {r["Key"].strip(): r["Title"].strip() for r in _read_json(folder / f"{REGION_KEY}.json")}
    frame = pd.DataFrame(rows)
    codes = frame[REGION_KEY].astype(str).str.strip()
    levels = codes.str[:2].map(LEVEL_BY_PREFIX)
    if levels.isna().any():
        raise DataError(f"{origin}: region code {codes[levels.isna()].iloc[0]!r} does not start with NL, GM, WK or BU")
    names = indicator_names(properties)
    absent = [k for k in names if k not in frame.columns]
    parts, empty = [], []
    for key, (name, unit) in names.items():
        if key in absent:
            continue
        try:
            values = pd.to_numeric(frame[key], errors="raise").to_numpy(dtype="float64")
        except (ValueError, TypeError):
            raise DataError(f"{folder / 'TypedDataSet.json'}: {key} holds non-numeric values; "
                            "fetch the typed data set (cbsodata typed=True)") from None
        all_missing = bool(np.isnan(values).all())
        if all_missing:
            empty.append(name)
        parts.append(pd.DataFrame({
            "area_code": codes, "area_name": codes.map(titles).fillna(""), "level": levels, "period": spec.period,
            "source": spec.source, "indicator": name, "value": values, "unit": unit,
            "flag": np.where(np.isnan(values), "not_collected" if all_missing else "suppressed", ""),
        }))
    notes = [f"{origin}: {len(frame)} regions, {len(parts)} variables (OData keys matched without their numeric suffix)"]
    if empty:
        notes.append(f"{origin}: {len(empty)} variable(s) not yet published for any region (not_collected), "
                     f"e.g. {', '.join(empty[:5])}")
    if absent:
        notes.append(f"{origin}: {len(absent)} variable(s) in DataProperties but not in the data (select?)")
    return LoadResult(validate_tidy(pd.concat(parts, ignore_index=True), origin), notes)


def region_filter(gemeente: str) -> str:
    """OData $filter for the gemeente, its wijken and its buurten (codes are space-padded)."""
    digits = gemeente[2:]
    return " or ".join(f"startswith({REGION_KEY},'{prefix}{digits}')" for prefix in ("GM", "WK", "BU"))


def fetch_kwb(gemeente: str, year: int, cache: Path, refresh: bool = False) -> Path:
    """Download KWB ``year`` for ``gemeente`` into ``cache/<table>/<gemeente>/`` and return that folder.

    An existing complete download is reused unless ``refresh``. Without network the error
    says so in one line; the partial folder is removed so the cache is never half-written.
    """
    if year not in KWB_TABLES:
        raise AandachtError(f"no KWB table known for {year}; known years: {sorted(KWB_TABLES)}")
    if not re.fullmatch(r"GM\d{4}", gemeente):
        raise AandachtError(f"gemeente must look like GM0080 (got {gemeente!r})")
    table = KWB_TABLES[year]
    target = cache / table / gemeente
    if not refresh and (target / "TypedDataSet.json").is_file() and (target / "DataProperties.json").is_file():
        return target
    import shutil
    import tempfile

    import cbsodata
    import requests

    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{table}-{gemeente}.", dir=cache))
    try:
        cbsodata.download_data(table, dir=str(staging), typed=True, filters=region_filter(gemeente), timeout=60)
    except requests.RequestException as error:
        shutil.rmtree(staging, ignore_errors=True)
        reason = type(error).__name__
        raise AandachtError(
            f"cannot download CBS table {table} from opendata.cbs.nl ({reason}); no network? "
            f"Nothing cached in {target}"
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(target)
    return target
