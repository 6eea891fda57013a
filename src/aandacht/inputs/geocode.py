"""Placing schools by their address: the PDOK Locatieserver (``aandacht fetch locations``).

The Locatieserver (PDOK, Kadaster; free, no key) searches the BAG. One request per address::

    GET https://api.pdok.nl/bzk/locatieserver/search/v3_1/free?q=postcode:8933CZ and huisnummer:304&fq=type:adres&rows=10

The answer is ``{"response": {"numFound": n, "docs": [...]}}``; a doc of ``type`` ``adres`` has
``postcode`` ("8933CZ"), ``huisnummer`` (a number), optionally ``huisletter`` and
``huisnummertoevoeging``, ``centroide_rd`` ("POINT(x y)", EPSG:28992, the BAG point), and the CBS
``wijkcode`` and ``buurtcode`` of the current year. The search is fuzzy, so a doc counts only when its
postcode and house number equal the school's; among those the one with the school's house letter
(when the DUO address has one), else the first. No matching doc: the school stays unplaced, and says so.

Each answer is kept in the cache (``<cache>/pdok/<postcode>-<huisnummer>.json``) and read from there
the next time (``--refresh`` asks again), so a geocoded project works offline. The result is the table
the school inputs name as ``geocoded`` (brin_vestiging, x_rd, y_rd, wijk_code, buurt_code, plus the
address asked and the address found); the inputs then place these schools by point in polygon before
their own place (:func:`aandacht.inputs.sources.schools.place_schools`), and the analyst's
``locations`` table still comes first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import AandachtError, DataError
from .download import DownloadError, get_json
from .sources.schools import GEOCODED_COLUMNS as PLACING_COLUMNS

LOCATIESERVER = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"
GEOCODED_COLUMNS = [*PLACING_COLUMNS, "adres", "gevonden", "bron"]  # what placing reads, then the evidence
_POINT = re.compile(r"POINT\(\s*([-\d.]+)\s+([-\d.]+)\s*\)")
_NUMBER = re.compile(r"^\s*(\d+)\s*[- ]?\s*([A-Za-z]?)")


def split_house_number(text: str) -> tuple[int | None, str]:
    """DUO's HUISNUMMER-TOEVOEGING ('304', '2-B', '12 a') -> (304, ''), (2, 'B'), (12, 'A')."""
    found = _NUMBER.match(str(text or ""))
    return (int(found.group(1)), found.group(2).upper()) if found else (None, "")


def compact_postcode(text: str) -> str:
    return re.sub(r"\s+", "", str(text or "")).upper()


def request_params(postcode: str, number: int) -> dict:
    """The query of one address (module docstring)."""
    return {"q": f"postcode:{postcode} and huisnummer:{number}", "fq": "type:adres", "rows": 10}


def parse_response(answer: dict, postcode: str, number: int, letter: str = "") -> dict | None:
    """The doc of the address (module docstring): x_rd, y_rd, wijk_code, buurt_code, gevonden; None when absent."""
    docs = answer.get("response", {}).get("docs")
    if not isinstance(docs, list):
        raise DataError("PDOK Locatieserver: the answer has no response.docs")
    same = [d for d in docs if d.get("type", "adres") == "adres" and compact_postcode(d.get("postcode")) == postcode
            and str(d.get("huisnummer")) == str(number)]
    if letter:
        same = [d for d in same if str(d.get("huisletter", "")).upper() == letter] or same
    for doc in same:
        point = _POINT.match(str(doc.get("centroide_rd", "")))
        if point:
            return {"x_rd": float(point.group(1)), "y_rd": float(point.group(2)), "wijk_code": doc.get("wijkcode", ""),
                    "buurt_code": doc.get("buurtcode", ""), "gevonden": doc.get("weergavenaam", "")}
    return None


def _ask(session, postcode: str, number: int, cache: Path, refresh: bool) -> dict:
    """The Locatieserver's answer for one address, from the cache or the network (then cached)."""
    path = cache / f"{postcode}-{number}.json"
    if path.is_file() and not refresh:
        return json.loads(path.read_text(encoding="utf-8"))
    try:
        answer = get_json(session, LOCATIESERVER, request_params(postcode, number), timeout=30)
    except DownloadError as error:
        raise AandachtError(f"cannot reach the PDOK Locatieserver ({error.reason}); no network? The answers so far "
                            f"are cached in {cache}; run the command again later") from None
    cache.mkdir(parents=True, exist_ok=True)
    staging = path.with_suffix(".part")
    staging.write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
    staging.replace(path)
    return answer


@dataclass
class Geocoded:
    """The geocoded table (GEOCODED_COLUMNS) and what could not be found."""

    table: pd.DataFrame
    not_found: list[str] = field(default_factory=list)
    requests: int = 0  # answers taken from the network (the rest came from the cache)


def geocode(schools: pd.DataFrame, cache: Path, refresh: bool = False, session=None) -> Geocoded:
    """Geocode ``schools`` (brin_vestiging, name, street, house_number, postcode, plaats) with the
    Locatieserver, through the cache ``cache`` (module docstring)."""
    import requests

    session = session or requests.Session()
    rows, not_found, asked = [], [], 0
    for school in schools.itertuples():
        postcode = compact_postcode(school.postcode)
        number, letter = split_house_number(school.house_number)
        address = f"{school.street} {school.house_number}, {school.postcode} {school.plaats}".strip()
        if not re.fullmatch(r"\d{4}[A-Z]{2}", postcode) or number is None:
            not_found.append(f"{school.brin_vestiging} {school.name}: geen bruikbaar adres ({address})")
            continue
        cached = (cache / f"{postcode}-{number}.json").is_file() and not refresh
        found = parse_response(_ask(session, postcode, number, cache, refresh), postcode, number, letter)
        asked += not cached
        if found is None:
            not_found.append(f"{school.brin_vestiging} {school.name}: adres niet in de BAG ({address})")
            continue
        rows.append({"brin_vestiging": school.brin_vestiging, **found, "adres": address,
                     "bron": "PDOK Locatieserver (BAG)"})
    table = pd.DataFrame(rows, columns=GEOCODED_COLUMNS)
    return Geocoded(table, not_found, asked)


ADDRESS_COLUMNS = ("brin_vestiging", "name", "street", "house_number", "postcode", "plaats")


@dataclass
class LocationRun:
    """What ``aandacht fetch locations`` did for a config: the table per target file and the counts."""

    tables: dict[Path, pd.DataFrame]
    asked: int  # schools looked up
    geocoded: Geocoded
    unplaced_before: list[str]
    unplaced_after: list[str]
    notes: list[str] = field(default_factory=list)


def school_tables(config) -> list[tuple[object, Path]]:
    """(input spec, school table) of every input that places schools: school_scores inputs and the
    ``schools`` of the oab inputs (the IKC table when ``ikc.table`` is set, with the first school input's
    location tables)."""
    found = []
    for spec in config.inputs.values():
        if spec.loader == "school_scores":
            found.append((spec, spec.path))
        elif spec.schools is not None:
            found.append((spec, spec.schools))
    if config.ikc.table is not None and found:
        found.append((found[0][0], config.ikc.table))
    return found


def _school_table(spec, path: Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """A school input's table with addresses, and its location table (None without one)."""
    from .reading import parse_numbers, read_table, require_columns
    from .sources.schools import read_locations

    table = read_table(path, allow_empty=True).fillna("")
    require_columns(table, ADDRESS_COLUMNS, path, "school table (for geocoding: an aandacht school table with addresses)")
    table["brin_vestiging"] = table["brin_vestiging"].str.strip().str.upper()
    table["wijk_code"] = table.get("wijk_code", pd.Series("", index=table.index)).str.strip()
    for column in ("x_rd", "y_rd"):
        if column in table.columns:
            table[column] = parse_numbers(table[column], str(path), column)[0]
    return table, read_locations(spec.locations) if spec.locations else None


def _unplaced(table: pd.DataFrame, path: Path, registry, locations, geocoded) -> list[str]:
    """The schools of ``table`` that no coordinate, wijk_code, location or ``geocoded`` row places."""
    from .sources.schools import place_schools

    codes = place_schools(table, registry, str(path), locations, geocoded)
    return list(table.loc[codes == "", "brin_vestiging"])


def fetch_locations(config, cache: Path, every_school: bool = False, refresh: bool = False, session=None,
                    default_target: Path | None = None) -> LocationRun:
    """Geocode the config's schools (the unplaced ones, or ``every_school``) into the ``geocoded`` table(s)
    its school inputs name (``default_target`` when none names one); earlier rows of those tables are kept
    for schools not asked again."""
    from .areas import area_registry
    from .sources.schools import read_geocoded

    registry = area_registry(config)
    sources = school_tables(config)
    if not sources:
        raise AandachtError(f"{config.source_file}: no input places schools (school_scores, or oab with schools)")
    targets = sorted({spec.geocoded for spec, _ in sources if spec.geocoded is not None}) or [default_target]
    previous = [read_geocoded(target)[0] for target in targets]
    earlier = pd.concat([p.reset_index() for p in previous if p is not None], ignore_index=True) if any(
        p is not None for p in previous) else pd.DataFrame(columns=GEOCODED_COLUMNS)
    read = [(path, *_school_table(spec, path)) for spec, path in sources]  # each file read once, placed twice
    before = sorted({b for path, table, locations in read for b in _unplaced(table, path, registry, locations, None)})
    schools = pd.concat([table for _, table, _ in read], ignore_index=True).drop_duplicates("brin_vestiging")
    wanted = schools if every_school else schools[schools["brin_vestiging"].isin(before)]
    result = geocode(wanted, cache / "pdok", refresh, session)
    kept = earlier[~earlier["brin_vestiging"].isin(result.table["brin_vestiging"])]
    table = pd.concat([kept, result.table], ignore_index=True)[GEOCODED_COLUMNS].sort_values("brin_vestiging",
                                                                                             ignore_index=True)
    placed = table.assign(x_rd=pd.to_numeric(table["x_rd"]), y_rd=pd.to_numeric(table["y_rd"])).set_index("brin_vestiging")
    after = sorted({b for path, table, locations in read for b in _unplaced(table, path, registry, locations, placed)})
    notes = [] if any(spec.geocoded for spec, _ in sources) else [
        f"geen scholeninvoer noemt een gegeocodeerde tabel: zet  geocoded: {default_target}  (ten opzichte van de config) "
        "bij de scholeninvoer van de config"]
    return LocationRun({target: table for target in targets}, len(wanted), result, before, after, notes)
