"""Where the schools of a school table or DUO list stand: the placing shared by the loaders
that read figures per school (``oab``: the CBS school file, the Inspectie's schoolweging and
leerresultaten)."""

from __future__ import annotations

import pandas as pd

from ...config import InputSpec
from ..harmonise import read_pc4_allocation
from ..reading import parse_numbers, read_table, require_columns
from .duo import in_registry_gemeenten, is_duo_list, place_by_postcode, read_duo
from .schools import place_schools, school_placing


def read_school_places(spec: InputSpec, registry) -> pd.DataFrame:
    """brin_vestiging, name, area_code ("" = unplaced) from ``spec.schools``: an aandacht school table
    (placed by ``wijk_code`` or x_rd/y_rd) or a DUO list (its vestigingen in the registry's gemeente(n),
    placed by ``locations`` and, with ``pc4_allocation``, by postcode); ``geocoded`` first, as
    :func:`aandacht.inputs.sources.schools.place_schools` says. The notes of the geocoded table are in
    ``attrs["notes"]``."""
    origin = str(spec.schools)
    header = read_table(spec.schools, allow_empty=True).columns
    locations, geocoded, notes = school_placing(spec)
    if is_duo_list(header):
        schools = in_registry_gemeenten(read_duo(spec.schools), registry)
        schools["wijk_code"] = ""
        codes = place_schools(schools, registry, origin, locations, geocoded)
        if spec.pc4_allocation:
            by_postcode = place_by_postcode(schools, read_pc4_allocation(spec.pc4_allocation, set(registry.table.index)))
            codes = codes.where(codes != "", by_postcode)
    else:
        schools = read_table(spec.schools).fillna("")
        require_columns(schools, ("brin_vestiging", "name"), origin, "school table")
        schools["brin_vestiging"] = schools["brin_vestiging"].str.strip().str.upper()
        schools["wijk_code"] = schools.get("wijk_code", pd.Series("", index=schools.index)).str.strip()
        for column in ("x_rd", "y_rd", "leerlingen"):
            if column in schools.columns:
                schools[column] = parse_numbers(schools[column], origin, column, count=column == "leerlingen")[0]
        codes = place_schools(schools, registry, origin, locations, geocoded)
    keep = ["brin_vestiging", "name"] + (["leerlingen"] if "leerlingen" in schools.columns else [])
    places = schools[keep].assign(area_code=codes.to_numpy()).rename(columns={"leerlingen": "leerlingen_registry"})
    places.attrs["notes"] = notes
    return places
