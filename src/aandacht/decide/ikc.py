"""The IKC registry: the IKCs (schools with childcare) that can become Plus-IKC.

Input (config ``ikc.table``; default: the file of the ``school_scores`` input, i.e. the
embedded DUO school list joined to the CBS achterstandsscores 2019) has one row per
vestiging with the columns of the school table (:mod:`aandacht.inputs.sources.schools`):
``brin_vestiging``, ``name``, ``leerlingen``, the achterstandsscore columns, and a
location: ``wijk_code`` or RD coordinates ``x_rd``/``y_rd`` (placed by point in polygon;
a ``postcode`` alone cannot be placed, the row is then reported as unplaced). Optional
columns: ``bevoegd_gezag_nummer`` (DUO number of the school board), ``bevoegd_gezag``
(its name), ``kinderopvang_partner``, ``buurt_code`` (to match gebieden made of
buurten), ``speciaal_onderwijs`` (ja/nee) or ``soort_po`` (``sbo`` = special).

School-board names, in this order: ``ikc.boards``, a CSV ``bevoegd_gezag_nummer,naam`` that an
analyst fills (short names for the overleg); the table's own ``bevoegd_gezag`` column;
``ikc.board_names``, DUO's list of bevoegde gezagen (``data/<gemeente>/besturen.csv``, shipped); a
number in none of them is shown as ``bevoegd gezag <nr>``.

Duplicate BRIN codes and wijk codes that are not in the area registry are errors.

The optional pupil-origin table (``ikc.pupil_origin``: ``brin_vestiging``,
``area_code``, ``leerlingen``) says where each IKC's pupils live.

**The schools of a round** (``ikc.lists``, the school lists of several dates): the IKCs are the
vestigingen of the list of the round's time (:func:`aandacht.inputs.vintages.choose_school_list`),
never a school that list does not hold. Their need figures come from the newest school figures of
the round's time (:func:`school_figures_choice`): the Inspectie's schoolweging when the config has a
schoolweging input with a vintage of that time, else the CBS achterstandsscores (``school_scores``
input). The schoolweging is published per object van toezicht (OVT); an OVT stands for the
vestiging its ``ovt_locations`` row names, else the only vestiging of its instellingscode when it is
C1, else, of several vestigingen, the one its name names
(:func:`aandacht.inputs.sources.inspectie.ovt_vestiging`); a vestiging with several OVTs gets their
pupil-weighted mean ``schoolweging`` and their summed ``leerlingen``; an OVT that ``ovt_locations`` places
in another area (a teaching location elsewhere) adds that area to the vestiging's ``locaties``
(:func:`location_gebieden`). A vestiging without figures is listed and cannot become Plus-IKC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import Config, InputSpec
from ..errors import ConfigError, DataError
from ..inputs.reading import fail_at_first, parse_numbers, read_table, require_columns
from ..inputs.sources.inspectie import ovt_vestiging, read_ovt_locations, read_schoolweging
from ..inputs.sources.schools import SCORE_COLUMNS, read_schools, school_placing
from ..inputs.vintages import VintageChoice, choose_school_list, choose_vintage
from ..text import first_of

YES = {"ja", "j", "yes", "y", "true", "1", "waar"}
NO = {"nee", "n", "no", "false", "0", "onwaar", ""}


@dataclass
class IkcRegistry:
    """IKCs indexed by brin_vestiging; ``table`` has name, bevoegd_gezag_nummer,
    bevoegd_gezag, kinderopvang_partner, leerlingen, score columns, wijk_code,
    buurt_code, speciaal_onderwijs (bool) and x_rd/y_rd (EPSG:28992, NaN when unknown)."""

    table: pd.DataFrame
    source: str
    notes: list[str] = field(default_factory=list)
    school_list: VintageChoice | None = None  # the list of the round's time (with ikc.lists)
    figures: VintageChoice | None = None  # the school figures the need rests on
    without_figures: list[str] = field(default_factory=list)  # listed vestigingen without need figures


def ikc_table_spec(config: Config) -> InputSpec:
    """The IKC table as a school-table input: ``ikc.table``, else the ``school_scores`` input."""
    schools = [spec for spec in config.inputs.values() if spec.loader == "school_scores"]
    if config.ikc.table is not None:
        return InputSpec(loader="school_scores", path=config.ikc.table, period=config.period)
    if not schools:
        raise ConfigError(f"{config.source_file}: ikc.table is not set and there is no school_scores input to take it from")
    return schools[0]


def read_boards(path: Path) -> pd.Series:
    """The analyst's board-name table (bevoegd_gezag_nummer, naam) as a Series by number."""
    table = read_table(path, allow_empty=True).fillna("")
    require_columns(table, ("bevoegd_gezag_nummer", "naam"), path, "board table")
    numbers = table["bevoegd_gezag_nummer"].str.strip()
    fail_at_first(numbers.duplicated(), table.index, path, lambda i: f"duplicate bevoegd_gezag_nummer {numbers.iloc[i]}")
    return pd.Series(table["naam"].str.strip().to_numpy(), index=numbers)


def _flags(values: pd.Series, origin: str, column: str) -> pd.Series:
    text = values.fillna("").astype(str).str.strip().str.lower()
    fail_at_first(~text.isin(YES | NO), values.index, origin, lambda i: f"{values.iloc[i]!r} is not ja/nee", column)
    return text.isin(YES)


def school_figures_choice(config: Config, peildatum: int) -> tuple[str, VintageChoice] | None:
    """The input whose school figures give the IKCs' need in a round with this peildatum (module
    docstring): of the schoolweging inputs and ``school_scores`` inputs, the one whose chosen vintage
    is the newest of the round's time; when none is of its time, the earliest. None without either."""
    candidates = [(name, choose_vintage(name, spec, peildatum)) for name, spec in config.inputs.items()
                  if spec.loader == "school_scores" or (spec.loader == "oab" and spec.layout == "schoolweging")]
    if not candidates:
        return None
    of_time = [c for c in candidates if c[1].of_round_time and c[1].year is not None]
    if of_time:
        return max(of_time, key=lambda c: c[1].year)
    return min(candidates, key=lambda c: c[1].year or 0)


def _list_members(config: Config, chosen: VintageChoice) -> tuple[pd.DataFrame, list[str], pd.DataFrame]:
    """The vestigingen of the chosen school list (``member`` column true; rows of a kind the list does
    not cover keep their membership of the newest earlier list that covers them), the notes, and the
    whole table (every date's vestigingen)."""
    lists = {v.period: v for v in config.ikc.lists}
    spec = lists[chosen.period]
    frame = read_table(spec.path).fillna("")
    require_columns(frame, ("brin_vestiging", "name"), spec.path, "school list")
    frame["brin_vestiging"] = frame["brin_vestiging"].str.strip().str.upper()
    fail_at_first(frame["brin_vestiging"].duplicated(), frame.index, spec.path,
                  lambda i: f"duplicate brin_vestiging {frame['brin_vestiging'].iloc[i]}", "brin_vestiging")
    notes = []
    if spec.member is None:
        return frame, notes, frame
    require_columns(frame, (spec.member,), spec.path, "school list")
    member = _flags(frame[spec.member], str(spec.path), spec.member)
    if spec.soorten is not None:
        require_columns(frame, ("soort",), spec.path, "school list with soorten")
        outside = ~frame["soort"].isin(spec.soorten)
        earlier = [v for v in config.ikc.lists if v.year < spec.year and v.member and v.path == spec.path]
        others = ", ".join(sorted(set(frame.loc[outside, "soort"])))
        if outside.any() and earlier:
            previous = max(earlier, key=lambda v: v.year)
            member = member.where(~outside, _flags(frame[previous.member], str(spec.path), previous.member))
            notes.append(f"{spec.path}: de lijst van {spec.period} dekt {others} niet; "
                         f"die vestigingen zijn genomen zoals in de lijst van {previous.period}")
        elif outside.any():
            notes.append(f"{spec.path}: de lijst van {spec.period} dekt {others} niet, "
                         "en geen eerdere lijst in dezelfde tabel doet dat: die vestigingen zijn geen IKC's van deze ronde")
    return frame[member.to_numpy()].reset_index(drop=True), notes, frame


def _figures_for_list(config: Config, frame: pd.DataFrame, whole: pd.DataFrame, peildatum: int,
                      registry) -> tuple[pd.DataFrame, VintageChoice | None, list[str]]:
    """The list's vestigingen (``frame``; ``whole``: every row of the list's table, which the analyst's
    ``ovt_locations`` may name) with leerlingen, the CBS score columns and ``schoolweging`` from the school
    figures of the round's time (module docstring)."""
    found = school_figures_choice(config, peildatum)
    for column in ("leerlingen", *SCORE_COLUMNS, "schoolweging"):
        frame[column] = np.nan
    if found is None:
        return frame, None, [f"{config.source_file}: geen schoolcijfers (invoer schoolweging of school_scores) voor de "
                             "behoefte van de IKC's"]
    name, choice = found
    spec = config.inputs[name].model_copy(update={"path": choice.path, "period": choice.period, "sheet": choice.sheet})
    if spec.loader == "school_scores":
        scores = read_schools(spec).set_index("brin_vestiging")
        for column in ("leerlingen", *SCORE_COLUMNS):
            frame[column] = frame["brin_vestiging"].map(scores[column]).astype("float64")
        return frame, choice, []
    ovts, notes = read_schoolweging(spec)
    by_instelling = frame.groupby(frame["brin_vestiging"].str[:4])["brin_vestiging"].apply(list).to_dict()
    table = read_ovt_locations(spec, whole, registry)
    listed = {ovt: brin for ovt, brin in table["brin_vestiging"].items() if brin}
    ovts["instelling"] = ovts["ovt"].str[:4]
    ovts = ovts[ovts["instelling"].isin(by_instelling) | ovts["ovt"].isin(listed)].copy()
    names = dict(zip(frame["brin_vestiging"], frame["name"]))
    placed = [ovt_vestiging(row.ovt, by_instelling.get(row.instelling, []), listed, row.naam, names)
              for row in ovts.itertuples()]
    ovts["brin_vestiging"], ovts["how"] = [p[0] for p in placed], [p[1] for p in placed]
    used = ovts[(ovts["brin_vestiging"] != "") & ovts["schoolweging"].notna() & (ovts["leerlingen"] > 0)]
    pupils = used.groupby("brin_vestiging")["leerlingen"].sum()
    weighted = (used["schoolweging"] * used["leerlingen"]).groupby(used["brin_vestiging"]).sum()
    frame["leerlingen"] = frame["brin_vestiging"].map(pupils).astype("float64")
    frame["schoolweging"] = frame["brin_vestiging"].map(weighted / pupils).astype("float64")
    if len(table):  # teaching locations the analyst placed in another area than their vestiging
        own = frame.set_index("brin_vestiging").get("wijk_code", pd.Series(dtype=str))
        placed_at = ovts["ovt"].map(table["wijk_code"]).fillna("")
        elsewhere = (ovts["brin_vestiging"] != "") & (placed_at != "") & (placed_at != ovts["brin_vestiging"].map(own))
        locations = placed_at[elsewhere].groupby(ovts.loc[elsewhere, "brin_vestiging"]).agg(lambda c: ";".join(sorted(set(c))))
        frame["locaties"] = frame["brin_vestiging"].map(locations).fillna("")
    left = ovts[ovts["brin_vestiging"] == ""]
    if len(left):
        notes.append(f"{spec.path}: {len(left)} object(en) van toezicht niet meegeteld voor de behoefte van een IKC: "
                     + first_of(f"{r.ovt} ({r.how})" for r in left.itertuples()))
    return frame, choice, notes


def on_schoolweging(table: pd.DataFrame) -> bool:
    """Whether the IKCs' school figures are the Inspectie's schoolweging (some IKC has one), not the CBS
    achterstandsscores."""
    weging = table.get("schoolweging")
    return weging is not None and bool(weging.notna().any())


def load_ikcs(config: Config, registry, peildatum: int | None = None) -> IkcRegistry:
    """Read, place and check the IKC table (module docstring); with ``ikc.lists`` the schools of the list
    of the round's time (``peildatum``; default: the newest list) with the figures of that time."""
    from ..inputs.sources.schools import place_schools

    spec = ikc_table_spec(config)
    school_list = figures = None
    without = []
    if config.ikc.lists and config.ikc.table is None:
        peildatum = peildatum if peildatum is not None else max(v.year for v in config.ikc.lists)
        school_list = choose_school_list(config.ikc.lists, peildatum)
        frame, notes, whole = _list_members(config, school_list)
        frame, figures, figure_notes = _figures_for_list(config, frame, whole, peildatum, registry)
        notes += figure_notes
        for axis in ("x_rd", "y_rd"):
            if axis in frame.columns:
                frame[axis] = parse_numbers(frame[axis].replace("", np.nan), str(school_list.path), axis)[0]
        need_column = "schoolweging" if on_schoolweging(frame) else "achterstandsscore_zonder_drempel"
        without = frame.loc[frame[need_column].isna(), "brin_vestiging"].tolist()
        if without:
            notes.append(f"{school_list.path}: {len(without)} vestiging(en) van {school_list.label} zonder "
                         f"{figures.label if figures else 'schoolcijfers'}, die geen Plus-IKC kunnen worden: {first_of(without)}")
        origin = str(school_list.path)
    else:
        origin = str(spec.path)
        frame = read_schools(spec)
        notes = []
    locations, geocoded, placing_notes = school_placing(spec)
    notes += placing_notes
    frame["wijk_code"] = place_schools(frame, registry, origin, locations, geocoded)
    levels = registry.table["level"]
    wrong = frame.loc[(frame["wijk_code"] != "") & (frame["wijk_code"].map(levels) != config.level), "wijk_code"]
    if len(wrong):
        raise DataError(f"{origin}: wijk_code {wrong.iloc[0]} is a {levels[wrong.iloc[0]]}, not a {config.level}")
    frame["buurt_code"] = frame.get("buurt_code", pd.Series("", index=frame.index)).fillna("").str.strip()
    misplaced = [bool(buurt) and (buurt not in registry.table.index or wijk not in registry.ancestors(buurt))
                 for buurt, wijk in zip(frame["buurt_code"], frame["wijk_code"])]
    fail_at_first(misplaced, frame.index, origin, lambda i: f"buurt_code {frame['buurt_code'].iloc[i]} is not a buurt "
                                                            f"of wijk {frame['wijk_code'].iloc[i] or '(none)'}")
    if "speciaal_onderwijs" in frame.columns:
        frame["speciaal_onderwijs"] = _flags(frame["speciaal_onderwijs"], origin, "speciaal_onderwijs")
    elif "soort_po" in frame.columns:
        frame["speciaal_onderwijs"] = frame["soort_po"].fillna("").str.strip().str.lower().eq("sbo")
    elif "soort" in frame.columns:  # DUO's lists and vestigingen.csv: SBAO = speciaal basisonderwijs
        frame["speciaal_onderwijs"] = frame["soort"].fillna("").str.strip().str.upper().eq("SBAO")
    else:
        frame["speciaal_onderwijs"] = False
        notes.append(f"{origin}: geen kolom speciaal_onderwijs of soort_po; elk IKC is als regulier onderwijs genomen")
    numbers = frame.get("bevoegd_gezag_nummer", pd.Series("", index=frame.index)).fillna("").str.strip()
    names = frame.get("bevoegd_gezag", pd.Series("", index=frame.index)).fillna("").str.strip()
    boards = read_boards(config.ikc.boards).to_dict() if config.ikc.boards else {}
    published = read_boards(config.ikc.board_names).to_dict() if config.ikc.board_names else {}
    from_table = numbers.map(lambda number: boards.get(number, ""))
    from_duo = numbers.map(lambda number: published.get(number, ""))
    fallback = np.where(numbers != "", "bevoegd gezag " + numbers, "bevoegd gezag onbekend")
    frame["bevoegd_gezag_nummer"] = numbers
    frame["bevoegd_gezag"] = from_table.where(from_table != "", names.where(names != "", from_duo.where(from_duo != "", fallback)))
    frame["kinderopvang_partner"] = frame.get("kinderopvang_partner", pd.Series("", index=frame.index)).fillna("")
    unplaced = frame.loc[frame["wijk_code"] == "", "brin_vestiging"].tolist()
    if unplaced:
        notes.append(f"{origin}: {len(unplaced)} IKC('s) zonder wijk: {first_of(unplaced)} (geen coördinaten, geen wijk_code, "
                     "niet in de locatietabel); ze staan in de lijst, maar kunnen niet naar ligging in een aandachtsgebied vallen")
    for axis in ("x_rd", "y_rd"):
        if axis not in frame.columns:
            frame[axis] = np.nan
    if "schoolweging" not in frame.columns:
        frame["schoolweging"] = np.nan
    frame["locaties"] = frame.get("locaties", pd.Series("", index=frame.index)).fillna("")
    columns = ["brin_vestiging", "name", "bevoegd_gezag_nummer", "bevoegd_gezag", "kinderopvang_partner", "leerlingen",
               "achterstandsscore", "achterstandsscore_zonder_drempel", "schoolweging", "wijk_code", "buurt_code",
               "locaties", "speciaal_onderwijs", "x_rd", "y_rd"]
    table = frame.loc[:, columns].set_index("brin_vestiging", drop=False)
    return IkcRegistry(table, origin, notes, school_list, figures, without)


def read_pupil_origin(path: Path, ikcs: IkcRegistry, registry) -> pd.DataFrame:
    """The pupil-origin table (brin_vestiging, area_code, leerlingen), checked against
    the IKC registry and the area registry."""
    table = read_table(path)
    require_columns(table, ("brin_vestiging", "area_code", "leerlingen"), path, "pupil-origin table")
    table["brin_vestiging"] = table["brin_vestiging"].fillna("").str.strip().str.upper()
    table["area_code"] = table["area_code"].fillna("").str.strip()
    for column, known, what in (("brin_vestiging", ikcs.table.index, "IKC registry"),
                                ("area_code", registry.table.index, "area registry")):
        fail_at_first(~table[column].isin(known), table.index, path,
                      lambda i: f"{column} {table[column].iloc[i]!r} is not in the {what}")
    table["leerlingen"] = parse_numbers(table["leerlingen"], str(path), "leerlingen")[0]
    fail_at_first(table["leerlingen"].isna() | (table["leerlingen"] < 0), table.index, path,
                  lambda i: "a count of pupils (>= 0) is required", "leerlingen")
    return table


def gebied_lookup(members: dict[str, list[str]]) -> dict[str, str]:
    """Area code -> gebied name for every member code of every gebied."""
    return {code: name for name, codes in members.items() for code in codes}


def area_in_gebied(code: str, lookup: dict[str, str], registry) -> str:
    """The gebied ``code`` lies in: itself or one of its ancestors is a member ('' if none)."""
    if not code or code not in registry.table.index:
        return ""
    for candidate in [code, *registry.ancestors(code)]:
        if candidate in lookup:
            return lookup[candidate]
    return ""


def ikc_gebied(ikcs: IkcRegistry, members: dict[str, list[str]], registry) -> pd.Series:
    """Per IKC the gebied its location lies in: by ``buurt_code`` when given, else by ``wijk_code``.

    An IKC in a wijk of which only some buurten form a gebied, and without a buurt_code,
    is outside that gebied (its buurt is unknown).
    """
    lookup = gebied_lookup(members)
    codes = ikcs.table["buurt_code"].where(ikcs.table["buurt_code"] != "", ikcs.table["wijk_code"])
    return codes.map(lambda code: area_in_gebied(code, lookup, registry))


def location_gebieden(ikcs: IkcRegistry, members: dict[str, list[str]], registry) -> pd.Series:
    """Per IKC the gebieden its further teaching locations (``locaties``: an object van toezicht of the school
    that ``ovt_locations`` places in another area than its vestiging) lie in: such an IKC serves those gebieden
    too, and can be the Plus-IKC that covers them (one place, however many locations)."""
    lookup = gebied_lookup(members)
    codes = ikcs.table.get("locaties", pd.Series("", index=ikcs.table.index)).fillna("")
    return codes.map(lambda text: sorted({area_in_gebied(c, lookup, registry) for c in text.split(";") if c} - {""}))


def pupil_share(origin: pd.DataFrame | None, ikcs: IkcRegistry, members: dict[str, list[str]], registry) -> pd.Series:
    """Per IKC the share of its pupils living in an aandachtsgebied (NaN without a table or rows)."""
    if origin is None:
        return pd.Series(np.nan, index=ikcs.table.index)
    lookup = gebied_lookup(members)
    inside = origin["area_code"].map(lambda code: area_in_gebied(code, lookup, registry) != "")
    total = origin.groupby("brin_vestiging")["leerlingen"].sum()
    within = origin.loc[inside].groupby("brin_vestiging")["leerlingen"].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = within.reindex(total.index).fillna(0) / total.where(total > 0)
    return share.reindex(ikcs.table.index)
