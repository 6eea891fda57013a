"""CBS tables through CBS OData (the ``cbsodata`` package): Kerncijfers Wijken en Buurten and
the other child-centred tables per wijk.

Tables (StatLine): Kerncijfers wijken en buurten 84583NED (2019), 84799NED (2020), 85039NED
(2021), 85318NED (2022), 85618NED (2023), 85984NED (2024); "Jongeren met jeugdzorg in natura;
wijken" 83563NED (2016), 83782NED (2017), 85075NED (2021), 85685NED (2023), one row per wijk
per form of care (dimension ``VormenVanJeugdzorg``: T001203 total, A042502 jeugdhulp, A042503
jeugdhulp without stay, A027918 with stay, A027919 jeugdbescherming, A027920
jeugdreclassering). :func:`fetch_table` downloads the rows of one gemeente with
``cbsodata.download_data``, which writes the raw responses (DataProperties.json,
TableInfos.json, the data set, one file per dimension) into a cache folder; the ``kwb``
loader reads such a folder offline (:func:`load_odata`).

OData conventions handled here:

* the region dimension is the property of type ``GeoDetail`` or ``GeoDimension``
  (``WijkenEnBuurten`` in Kerncijfers, ``Wijken`` in the jeugdzorg tables); codes are padded
  with spaces ("WK008010  ") and stripped;
* other dimensions (``Dimension``, ``TimeDimension``: form of care, age group, period) are
  narrowed with the input's ``filter`` (codes, e.g. ``{VormenVanJeugdzorg: T001203}``); rows
  that still repeat per region are refused, naming the dimension to filter;
* keys carry a numeric suffix that shifts between years (HuishoudensMetKinderen_31 in 2022,
  _32 in 2023); the indicator is the key without suffix. Where that name occurs twice in a
  table (Nederland_17 under Herkomstland, Nederland_20 under Geboren in Nederland), it is
  qualified by the titles of its topic groups ("Herkomstland.Nederland");
* the data set is ``TypedDataSet.json`` (numbers, ``null`` where missing) or
  ``UntypedDataSet.json`` (text with CBS's signs, read by
  :func:`aandacht.inputs.reading.parse_values`). ``cbsodata.download_data(typed=True)`` writes
  the untyped one (cbsodata 1.3 swaps the two), so both are read;
* a missing value is ``not_collected`` when the variable is empty for every region (income
  variables arrive a year after the rest), ``suppressed`` otherwise (``-`` is 0, CBS nihil);
* the unit comes from DataProperties (``aantal``, ``%``, ``x 1 000 euro``, ...); an ``aantal``
  must be a whole number.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import AandachtError, DataError, require_file
from ..cbs_tables import FETCHABLE
from ..codes import check_gemeente
from ..reading import apply_filter, parse_values
from ..tidy import validate_tidy
from .base import LoadResult

LEVEL_BY_PREFIX = {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}
REGION_TYPES = ("GeoDetail", "GeoDimension")
DIMENSION_TYPES = ("Dimension", "TimeDimension")
DATA_SETS = ("TypedDataSet.json", "UntypedDataSet.json")
_SUFFIX = re.compile(r"_\d+$")


def _read_json(path: Path):
    require_file(path, hint="an OData cache folder holds DataProperties.json and the data set")
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


def data_set(folder: Path) -> Path:
    """The data set file of a cache folder (typed or untyped)."""
    found = [folder / name for name in DATA_SETS if (folder / name).is_file()]
    if not found:
        raise DataError(f"{folder}: no {' or '.join(DATA_SETS)} (an OData cache folder holds the data set and "
                        "DataProperties.json)")
    return found[0]


def load_odata(spec, needed: frozenset[str] | None = None) -> LoadResult:
    """Read an OData cache folder (or its data set file) into the tidy table (module docstring)."""
    folder = spec.path if spec.path.is_dir() else spec.path.parent
    origin = str(folder)
    properties = _read_json(folder / "DataProperties.json")
    source = spec.path if spec.path.is_file() else data_set(folder)
    rows = _read_json(source)
    if not isinstance(rows, list) or not rows:
        raise DataError(f"{source}: no data rows")
    region = next((p["Key"] for p in properties if p.get("Type") in REGION_TYPES), None)
    if region is None or region not in rows[0]:
        raise DataError(f"{source}: no region dimension (a property of type GeoDetail or GeoDimension); "
                        "is this a table per gemeente, wijk or buurt?")
    frame = pd.DataFrame(rows)
    dimensions = [p["Key"] for p in properties if p.get("Type") in DIMENSION_TYPES and p["Key"] in frame.columns]
    if spec.filter:
        frame = apply_filter(frame, spec.filter, source)
    frame = frame.reset_index(drop=True)
    codes = frame[region].astype(str).str.strip()
    _one_row_per_region(frame, codes, dimensions, source)
    titles = {}
    if (folder / f"{region}.json").is_file():
        titles = {r["Key"].strip(): r["Title"].strip() for r in _read_json(folder / f"{region}.json")}
    levels = codes.str[:2].map(LEVEL_BY_PREFIX)
    if levels.isna().any():
        raise DataError(f"{origin}: region code {codes[levels.isna()].iloc[0]!r} does not start with NL, GM, WK or BU")
    names = indicator_names(properties)
    if needed is not None:
        names = {key: entry for key, entry in names.items() if entry[0] in needed}
    absent = [k for k in names if k not in frame.columns]
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="line")
    parts, empty = [], []
    for key, (name, unit) in names.items():
        if key in absent:
            continue
        values, flags = _values(frame[key], source, key, unit)
        all_missing = bool(np.isnan(values).all())
        if all_missing:
            empty.append(name)
            flags = np.where(np.isnan(values), "not_collected", "")
        parts.append(pd.DataFrame({
            "area_code": codes.to_numpy(), "area_name": codes.map(titles).fillna("").to_numpy(), "level": levels.to_numpy(),
            "period": spec.period, "source": spec.source, "indicator": name, "value": values, "unit": unit, "flag": flags,
        }))
    if not parts:
        raise DataError(f"{source}: none of the variables the config needs ({sorted(needed or [])}) is in the data")
    notes = [f"{origin}: {len(frame)} gebieden, {len(parts)} variabelen (OData-sleutels gekoppeld zonder hun nummer-achtervoegsel)"]
    if spec.filter:
        notes.append(f"{origin}: rijen gehouden volgens filter {dict(spec.filter)}")
    if empty:
        notes.append(f"{origin}: {len(empty)} variabele(n) nog voor geen enkel gebied gepubliceerd (not_collected), "
                     f"bijvoorbeeld {', '.join(empty[:5])}")
    if absent:
        notes.append(f"{origin}: {len(absent)} variabele(n) in DataProperties maar niet in de data (gedownload met een selectie?)")
    return LoadResult(validate_tidy(pd.concat(parts, ignore_index=True), origin), notes)


def _one_row_per_region(frame: pd.DataFrame, codes: pd.Series, dimensions: list[str], source: Path) -> None:
    """Refuse rows that repeat per region, naming the dimensions that make them repeat."""
    repeated = codes.duplicated(keep=False)
    if not repeated.any():
        return
    varying = [d for d in dimensions if frame.loc[repeated.to_numpy(), d].astype(str).str.strip().nunique() > 1]
    if not varying:
        raise DataError(f"{source}: region {codes[repeated].iloc[0]} appears more than once")
    shown = {d: sorted(frame[d].astype(str).str.strip().unique())[:8] for d in varying}
    raise DataError(f"{source}: each region has a row per value of {varying} ({shown}); choose one with the input's "
                    "filter, e.g. filter: {" + f"{varying[0]}: {shown[varying[0]][0]}" + "}")


def _values(column: pd.Series, source: Path, key: str, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """Numbers and missing flags of one topic: typed (numbers, null) or untyped (text with CBS signs)."""
    count = unit.lower() == "aantal"
    if column.map(lambda v: isinstance(v, str)).any():
        parsed = parse_values(column.fillna("."), str(source), key, decimal=".", count=count)
        return parsed.values, parsed.flags
    try:
        values = pd.to_numeric(column, errors="raise").to_numpy(dtype="float64")
    except (ValueError, TypeError):
        raise DataError(f"{source}: {key} holds values that are neither numbers nor text") from None
    if count:
        fractional = ~np.isnan(values) & (values % 1 != 0)
        if fractional.any():
            raise DataError(f"{source}: row {int(np.flatnonzero(fractional)[0]) + 1}, column {key}: "
                            f"{values[fractional][0]:g} is not a whole number, but {key} is a count (aantal)")
    return values, np.where(np.isnan(values), "suppressed", "")


def region_filter(gemeente: str, region: str = "WijkenEnBuurten") -> str:
    """OData $filter for the gemeente, its wijken and its buurten (codes are space-padded)."""
    digits = gemeente[2:]
    return " or ".join(f"startswith({region},'{prefix}{digits}')" for prefix in ("GM", "WK", "BU"))


def fetch_table(kind: str, gemeente: str, year: int, cache: Path, refresh: bool = False) -> Path:
    """Download table ``kind`` (:data:`aandacht.inputs.cbs_tables.FETCHABLE`) of ``year`` for ``gemeente`` into
    ``cache/<table>/<gemeente>/`` and return that folder.

    An existing complete download is reused unless ``refresh``. Without network the error
    says so in one line; the partial folder is removed so the cache is never half-written.
    """
    tables, region = FETCHABLE[kind]
    if year not in tables:
        raise AandachtError(f"no {kind} table known for {year}; known years: {sorted(tables)}")
    check_gemeente(gemeente)
    table = tables[year]
    target = cache / table / gemeente
    if not refresh and (target / "DataProperties.json").is_file() and any((target / n).is_file() for n in DATA_SETS):
        return target
    import shutil
    import tempfile

    import cbsodata
    import requests

    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{table}-{gemeente}.", dir=cache))
    try:
        cbsodata.download_data(table, dir=str(staging), typed=True, filters=region_filter(gemeente, region), timeout=60)
        if not any((staging / n).is_file() for n in DATA_SETS) or not (staging / "DataProperties.json").is_file():
            raise AandachtError(f"CBS table {table}: the download holds no data set; nothing cached in {target}")
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
