"""Area harmonisation: labels to registry codes, postcode areas to wijken, boundary
vintages, and precedence between sources reporting the same indicator.

Names to codes (:class:`AreaMatcher`), in this order, each match reported with its method:

1. ``code``: the label is a registry code (case and spaces ignored; CBS pads codes with spaces);
2. ``name``: the label equals one registry name (case and spacing ignored), or the normalised
   label equals one normalised registry name; two areas with the same name (a wijk "Goutum" and
   its buurt "Goutum") make the label ``ambiguous`` unless the source gives the level; areas of the
   same name and level in several gemeenten (a national registry) are told apart by gemeente: the
   label goes to the one in the gemeente that holds the other labels of the file matched without
   doubt (a table is one gemeente's), method ``name (gemeente)``;
3. ``alias``: the normalised label is in the alias file (CSV ``alias,area_code,note``), for
   example the Frisian name of a wijk;
4. ``fuzzy``: rapidfuzz ``token_sort_ratio`` of the normalised strings is at least the
   threshold and no other area scores as high (a tie is ``ambiguous``, left unmatched);
5. ``unmatched``: reported, never dropped silently.

Normalisation (:func:`normalise_name`): lower case, diacritics removed (NFKD), "&" and "+" read
as "en", "e.o." (en omstreken) and "en omgeving" removed, hyphens, slashes and other
punctuation read as spaces, runs of spaces collapsed.

Counts and rates move between area sets (PC4 to wijk, one boundary vintage to another)
through links ``(from_code, to_code, weight)`` where ``weight`` is the share of the from-area
(its addresses) that lies in the to-area (:func:`redistribute`):

* counts (unit ``aantal``): count_to = sum_f weight_ft x count_f;
* rates with numerator and denominator: both are converted as counts and the rate is
  recomputed, rate_to = scale x num_to / den_to, with scale = rate_f / (num_f / den_f) as
  published (100 for percentages);
* rates without a denominator: weighted mean sum_f weight_ft x rate_f / sum_f weight_ft,
  an approximation that is always named in the notes.

A to-area to which any from-area with a missing value contributes gets no value (the flag of
that from-area is kept): a partial sum would look like a real figure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from .reading import fail_at_first, parse_numbers, read_table, require_columns
from .tidy import TIDY_COLUMNS, coerce_tidy, validate_tidy

COUNT_UNITS = frozenset({"aantal", "count", "n", "personen", "huishoudens", "leerlingen"})
MATCH_COLUMNS = ("source", "label", "area_code", "area_name", "method", "score")
_PUNCTUATION = re.compile(r"[^\w\s]")
_EO = re.compile(r"\b(e\s*\.?\s*o\s*\.?|en omstreken|en omgeving|e\.o)(?=\s|$)")


def normalise_name(label: str) -> str:
    """Normalise an area name for comparison (see the module docstring)."""
    text = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("&", " en ").replace("+", " en ")
    text = _EO.sub(" ", text)
    text = _PUNCTUATION.sub(" ", text.replace("_", " "))
    return " ".join(text.split())


def read_aliases(path: Path, known_codes: set[str]) -> dict[str, str]:
    """Alias file (CSV alias,area_code,note) -> {normalised alias: area_code}.

    Every code must be in the registry, and one alias may not point to two codes; either
    mistake is an error naming the row.
    """
    table = read_table(path).fillna("")
    require_columns(table, ("alias", "area_code"), path, "alias file")
    codes = table["area_code"].str.strip()
    fail_at_first(~codes.isin(known_codes), table.index, path,
                  lambda i: f"area_code {codes.iloc[i]!r} is not in the area registry")
    keys = table["alias"].map(normalise_name)
    first = codes.groupby(keys).transform("first")
    fail_at_first(codes != first, table.index, path,
                  lambda i: f"alias {table['alias'].iloc[i]!r} points to {codes.iloc[i]} and to {first.iloc[i]}")
    return dict(zip(keys, codes))


@dataclass
class AreaMatcher:
    """Resolve labels (codes or names) to registry codes (see the module docstring)."""

    registry: object
    aliases: dict[str, str] = field(default_factory=dict)
    threshold: float = 90.0

    def match(self, labels, level: str | None = None) -> pd.DataFrame:
        """One row per distinct label: label, area_code ("" if unmatched), area_name, method, score."""
        table = self.registry.table
        candidates = table if level is None else table[table["level"] == level]
        codes = {code.upper(): code for code in table.index}
        names: dict[str, list[str]] = {}
        exact: dict[str, list[str]] = {}
        for code, name in candidates["area_name"].items():
            names.setdefault(normalise_name(name), []).append(code)
            exact.setdefault(" ".join(str(name).lower().split()), []).append(code)
        rows, shared = [], {}
        for label in dict.fromkeys(str(x) for x in labels):
            same = exact.get(" ".join(label.lower().split()), [])
            found = (same[0], "name", 100.0) if len(same) == 1 else self._one(label, codes, names, candidates)
            if found[1] == "ambiguous":
                shared[label] = same if len(same) > 1 else names.get(normalise_name(label), [])
            rows.append((label, *found))
        if shared:
            rows = self._by_gemeente(rows, shared)
        out = pd.DataFrame(rows, columns=["label", "area_code", "method", "score"])
        out.insert(2, "area_name", [self.registry.name(c) for c in out["area_code"]])
        return out

    def _by_gemeente(self, rows: list[tuple], shared: dict[str, list[str]]) -> list[tuple]:
        """``rows`` with each ambiguous label whose areas of that name lie in several gemeenten given
        to the one in the gemeente holding the most labels matched without doubt (module docstring)."""
        def gemeente(code: str) -> str:
            line = [code, *self.registry.ancestors(code)]
            return next((c for c in line if self.registry.table.at[c, "level"] == "gemeente"), "")

        held = pd.Series([gemeente(code) for _, code, method, _ in rows if code and method != "ambiguous"], dtype=object)
        held = held[held != ""].value_counts()
        if held.empty or (len(held) > 1 and held.iloc[0] == held.iloc[1]):
            return rows
        home = held.index[0]
        resolved = []
        for label, code, method, score in rows:
            inside = [c for c in shared.get(label, []) if gemeente(c) == home]
            resolved.append((label, inside[0], "name (gemeente)", score) if len(inside) == 1 else (label, code, method, score))
        return resolved

    def _one(self, label: str, codes: dict, names: dict, candidates: pd.DataFrame) -> tuple[str, str, float]:
        stripped = label.strip().upper()
        if stripped in codes:
            return codes[stripped], "code", 100.0
        key = normalise_name(label)
        if key in names:
            found = names[key]
            return (found[0], "name", 100.0) if len(found) == 1 else ("", "ambiguous", 100.0)
        if key in self.aliases and self.aliases[key] in candidates.index:
            return self.aliases[key], "alias", 100.0
        if not key or not names:
            return "", "unmatched", 0.0
        from rapidfuzz import fuzz, process

        scored = process.extract(key, list(names), scorer=fuzz.token_sort_ratio, limit=2)
        best_name, best, _ = scored[0]
        if best < self.threshold:
            return "", "unmatched", float(best)
        if (len(scored) > 1 and scored[1][1] == best) or len(names[best_name]) > 1:
            return "", "ambiguous", float(best)
        return names[best_name][0], "fuzzy", float(best)


def match_notes(matches: pd.DataFrame, origin: str) -> list[str]:
    """Notes naming every fuzzy, ambiguous and unmatched label."""
    notes = []
    fuzzy = matches[matches["method"] == "fuzzy"]
    if len(fuzzy):
        pairs = ", ".join(f"{r.label!r} -> {r.area_code} {r.area_name} ({r.score:.0f})" for r in fuzzy.itertuples())
        notes.append(f"{origin}: {len(fuzzy)} naam/namen bij benadering gekoppeld: {pairs}")
    hints = {"ambiguous": ("niet eenduidig", " (meer gebieden, bijvoorbeeld een wijk en een buurt, hebben die naam: zet "
                                             "table.level of table.level_column, of voeg een alias toe)"),
             "unmatched": ("niet gekoppeld", "")}
    for method, (word, hint) in hints.items():
        left = matches[matches["method"] == method]
        if len(left):
            shown = ", ".join(repr(x) for x in left["label"].head(10))
            more = f" en nog {len(left) - 10}" if len(left) > 10 else ""
            notes.append(f"{origin}: {len(left)} label(s) {word}, hun rijen worden niet gebruikt: {shown}{more}{hint}")
    return notes


def is_count(unit: pd.Series) -> pd.Series:
    return unit.str.strip().str.lower().isin(COUNT_UNITS)


def redistribute(tidy: pd.DataFrame, links: pd.DataFrame, names: dict[str, str], origin: str) -> tuple[pd.DataFrame, list[str]]:
    """Move tidy rows from ``links.from_code`` areas to ``links.to_code`` areas (formulas in
    the module docstring). Rows of areas without links are returned unchanged."""
    tidy = coerce_tidy(tidy)
    linked = tidy[tidy["area_code"].isin(set(links["from_code"]))]
    kept = tidy[~tidy.index.isin(linked.index)]
    if linked.empty:
        return tidy, []
    merged = linked.merge(links[["from_code", "to_code", "weight"]], left_on="area_code", right_on="from_code")
    merged["count"] = is_count(merged["unit"])
    merged["based"] = merged["numerator"].notna() & (merged["denominator"] > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = merged["value"] / (merged["numerator"] / merged["denominator"])
    merged["scale"] = scale.where(np.isfinite(scale))  # undefined where the numerator is 0
    notes: list[str] = []
    approximate: set[str] = set()
    rows = []
    for (to_code, period, source, indicator), group in merged.groupby(["to_code", "period", "source", "indicator"], sort=False):
        group = group[group["weight"] > 0]
        if group.empty:
            continue
        weight = group["weight"].to_numpy()
        row = {"area_code": to_code, "area_name": names.get(to_code, ""), "level": group["level"].iloc[0],
               "period": period, "source": source, "indicator": indicator, "unit": group["unit"].iloc[0],
               "numerator": np.nan, "denominator": np.nan, "flag": ""}
        missing = group["value"].isna()
        if missing.any():
            row.update(value=np.nan, flag=group.loc[missing, "flag"].iloc[0] or "suppressed")
        elif group["count"].all():
            row["value"] = float(np.sum(weight * group["value"]))
        elif group["based"].all():
            numerator = float(np.sum(weight * group["numerator"]))
            denominator = float(np.sum(weight * group["denominator"]))
            scale = float(np.nanmedian(group["scale"])) if group["scale"].notna().any() else 1.0
            row.update(numerator=numerator, denominator=denominator,
                       value=scale * numerator / denominator if denominator > 0 else np.nan)
            if not denominator > 0:
                row["flag"] = "not_applicable"
        else:
            row["value"] = float(np.sum(weight * group["value"]) / np.sum(weight))
            if len(group) > 1 or weight[0] < 1:
                approximate.add(indicator)
        rows.append(row)
    if approximate:
        notes.append(f"{origin}: percentages en verhoudingen zonder gepubliceerde teller/noemer omgerekend als gewogen "
                     f"gemiddelden (bij benadering): {sorted(approximate)}")
    moved = pd.DataFrame(rows, columns=list(TIDY_COLUMNS))
    return validate_tidy(pd.concat([kept, moved], ignore_index=True), origin), notes


def read_pc4_allocation(path: Path, known_codes: set[str]) -> pd.DataFrame:
    """PC4 allocation table (CSV pc4,area_code,share; share = part of the PC4's addresses in
    the area). Shares per PC4 must not exceed 1 (a PC4 may reach into another gemeente)."""
    table = read_table(path)
    require_columns(table, ("pc4", "area_code", "share"), path, "PC4 allocation")
    table["pc4"] = table["pc4"].str.strip()
    fail_at_first(~table["pc4"].str.fullmatch(r"\d{4}"), table.index, path,
                  lambda i: f"pc4 {table['pc4'].iloc[i]!r} is not four digits")
    table["share"] = parse_numbers(table["share"], str(path), "share")[0]
    unknown = sorted(set(table["area_code"].str.strip()) - known_codes)
    if unknown:
        raise DataError(f"{path}: area_code(s) {unknown[:5]} are not in the area registry")
    totals = table.groupby("pc4")["share"].sum()
    if (totals > 1.001).any() or table["share"].isna().any() or (table["share"] < 0).any():
        pc4 = totals.index[totals > 1.001][0] if (totals > 1.001).any() else table.loc[table["share"].isna() | (table["share"] < 0), "pc4"].iloc[0]
        raise DataError(f"{path}: shares of pc4 {pc4} are missing, negative or add up to more than 1")
    return table.rename(columns={"pc4": "from_code", "share": "weight"}).assign(to_code=table["area_code"].str.strip())


def read_crosswalk(path: Path) -> pd.DataFrame:
    """Boundary crosswalk (CSV from_year,to_year,from_code,to_code,weight). ``weight`` may be a
    share or a count (for example addresses); it is normalised to shares per from-area."""
    table = read_table(path)
    require_columns(table, ("from_year", "to_year", "from_code", "to_code", "weight"), path, "crosswalk")
    table["weight"] = parse_numbers(table["weight"], str(path), "weight")[0]
    if table["weight"].isna().any() or (table["weight"] < 0).any():
        raise DataError(f"{path}: crosswalk weights must be present and >= 0")
    return table


def convert_vintage(tidy: pd.DataFrame, crosswalk: pd.DataFrame, from_year: str, to_year: str,
                    names: dict[str, str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Convert tidy rows from boundary vintage ``from_year`` to ``to_year`` (module docstring).

    Areas not in the crosswalk are taken to be unchanged; that is reported."""
    links = crosswalk[(crosswalk["from_year"].astype(str) == str(from_year)) & (crosswalk["to_year"].astype(str) == str(to_year))]
    if links.empty:
        raise DataError(f"crosswalk has no links from {from_year} to {to_year}")
    links = links.assign(weight=links["weight"] / links.groupby("from_code")["weight"].transform("sum"))
    converted, notes = redistribute(tidy, links, names or {}, f"crosswalk {from_year}->{to_year}")
    untouched = sorted(set(tidy["area_code"]) - set(links["from_code"]))
    if untouched:
        notes.append(f"crosswalk {from_year}->{to_year}: {len(untouched)} gebied(en) niet in de crosswalk, gehouden zoals ze zijn")
    return converted, notes


def apply_precedence(tidy: pd.DataFrame, name: str, variable: str, sources: list[tuple[str, str]], period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Combine ``variable`` from several (source, period) pairs: per area the first pair in
    order that has a value. Returns the combined rows (source ``name``) and the choices
    (area_code, chosen source and the sources passed over)."""
    parts = []
    for rank, (source, source_period) in enumerate(sources):
        rows = tidy[(tidy["source"] == source) & (tidy["period"] == source_period) & (tidy["indicator"] == variable)]
        if rows.empty:
            raise DataError(f"precedence {name}: source {source} ({source_period}) has no variable {variable!r}")
        parts.append(rows.assign(rank=rank, has_value=rows["value"].notna()))
    stacked = pd.concat(parts, ignore_index=True).sort_values(["area_code", "has_value", "rank"], ascending=[True, False, True])
    chosen = stacked.drop_duplicates("area_code")
    choices = pd.DataFrame({
        "precedence": name, "area_code": chosen["area_code"].to_numpy(), "chosen": chosen["source"].to_numpy(),
        "passed_over": [", ".join(stacked.loc[(stacked["area_code"] == a) & (stacked["rank"] < r), "source"])
                        for a, r in zip(chosen["area_code"], chosen["rank"])],
    })
    combined = chosen.drop(columns=["rank", "has_value"]).assign(source=name, period=period)
    return validate_tidy(combined, f"precedence {name}"), choices
