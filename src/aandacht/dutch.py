"""Text for Dutch readers: numbers with a decimal comma, dates, and the words for missing values.

Every output meant for the bestuurlijk overleg formats its numbers and dates here, so that
the decimal comma and the thousands point are the same in the report, on the maps and in
the round's tables.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")
# Why a value is missing (the tidy flag, or "not in data" when an area has no row), in Dutch.
MISSING_LABELS = {
    "suppressed": "geheim of onbekend (bron)",
    "not_applicable": "niet van toepassing",
    "not_collected": "niet verzameld",
    "schools_unplaced": "geen school geplaatst, en er zijn scholen zonder plaats (aandacht check noemt ze)",
    "not in data": "ontbreekt in de bron",
    "indicatief (excluded)": "indicatief, weggelaten",
    "out of range": "buiten het geldige bereik, weggelaten",
}


def dutch_number(value: float, decimals: int = 1) -> str:
    """Format with a decimal comma and a point as thousands separator (Dutch convention)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def number_nl(value: float) -> str:
    """A number for Dutch text: whole from 100 up, else 3 significant digits; decimal comma."""
    if pd.isna(value):
        return "onbekend"
    text = f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return text.replace(".", ",")


def signed_nl(value: float, decimals: int = 1) -> str:
    """A change with its sign and a decimal comma: '+2,5', '-0,3'."""
    return f"{value:+.{decimals}f}".replace(".", ",")


def fixed_nl(value: float, decimals: int = 1) -> str:
    """A number with a fixed number of decimals and a decimal comma, no thousands separator."""
    return f"{value:.{decimals}f}".replace(".", ",")


# The severity of a finding of `aandacht check`, as check.xlsx, problems.csv and the terminal say it.
SEVERITY_WORDS = {"error": "onbruikbaar", "warning": "waarschuwing", "info": "ter informatie"}


def list_nl(items) -> str:
    """Items as a Dutch enumeration: 'A', 'A en B', 'A, B en C' (empty items left out)."""
    items = [str(i) for i in items if i]
    return "" if not items else items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def dutch_date(day: date) -> str:
    """'1 december 2026'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# The published (Dutch) name of every internal column name that is not Dutch already, in snake_case; codes and
# identifiers stay as they are (brin_vestiging, an indicator's id). Every CSV and workbook aandacht writes for the
# analyst renames its columns with published_columns (aandacht.present.tables.write_csv, dutch_table); a reader of
# a file that a later run reads back (a round folder: aandacht.rounds.record, aandacht.present.overlays) renames them
# back with internal_columns, which also accepts the English names of the files written before (issue 23).
COLUMNS_NL = {
    # areas and their figures (ranking, round files, the analyst's workbook)
    "area_code": "gebiedscode", "area_name": "gebiedsnaam", "area_names": "gebiedsnamen", "areas": "gebieden",
    "designated_members": "aangewezen_leden", "name": "naam", "label": "omschrijving", "unit": "eenheid",
    "value": "waarde", "shown": "getoond", "median": "mediaan", "normalised": "genormaliseerd", "contribution": "bijdrage",
    "order": "volgorde", "kind": "soort", "reason": "reden", "note": "toelichting",
    # the designation rules an area passes (wijken.csv)
    "rule_population": "regel_populatie", "rule_top_k": "regel_top_k", "rule_min_score": "regel_min_score",
    "rule_probability": "regel_kans",
    # an IKC's need and its components, each scaled to 0-100 (ikcs.csv: aandacht.decide.select.need_table)
    "need": "behoefte", "score_per_pupil": "component_per_leerling", "score_total": "component_totaal",
    "wijk_score": "component_wijk", "pupil_share": "component_leerlingaandeel",
    "boven_laagste_plus": "behoefte_boven_laagste_plus_ikc",
    # the constraints of the selection's integer program (beperkingen.csv: aandacht.decide.optimise)
    "constraint": "beperking", "lhs": "waarde", "sense": "teken", "bound": "grens", "tight": "krap",
    "gain": "winst_zonder", "binding": "bindend",
    # uncertainty and robustness of the ranking
    "hard_core": "harde_kern", "nominal_rank": "rang", "median_rank": "rang_mediaan", "rank_median": "rang_mediaan",
    "rank_p05": "rang_p05", "rank_p95": "rang_p95", "p_designated": "kans_aanwijzing",
    "nominal_designated": "aangewezen", "output": "uitkomst", "factor": "onzekere_invoer",
    "S1_low": "S1_laag", "S1_high": "S1_hoog", "ST_low": "ST_laag", "ST_high": "ST_hoog",
    # the weights and the outlier treatment
    "nominal": "bedoeld", "correlation": "correlatie", "skew_before": "scheefheid_voor",
    "kurtosis_before": "kurtosis_voor", "passes_before": "binnen_grenzen_voor", "action": "behandeling",
    "points_winsorised": "waarden_ingeperkt", "winsorised_high": "ingeperkt_boven", "winsorised_low": "ingeperkt_onder",
    "skew_after": "scheefheid_na", "kurtosis_after": "kurtosis_na", "passes_after": "binnen_grenzen_na",
    # the method sheet and the coherence checks
    "key": "onderdeel", "item": "onderdeel_code", "relation": "relatie", "shared_parent": "zelfde_domein",
    "collinear": "samenhangend", "negative": "negatief", "near_duplicate": "bijna_gelijk", "domain": "domein",
    "domain_label": "domein_omschrijving", "indicators": "indicatoren", "complete_areas": "volledige_gebieden",
    "parent": "bovenliggend", "r_with_parent": "r_met_bovenliggend", "flag": "signaal", "pca_weight": "pca_gewicht",
    "weight_in_use": "gewicht_in_gebruik", "r_domain": "r_met_domein", "r_index": "r_met_score",
    "mean_abs_shift": "gem_verschuiving", "max_abs_shift": "grootste_verschuiving", "area_max_shift": "bij_gebied",
    "entered": "nieuw_in_top", "left": "uit_top",
    # local Moran's I (aandacht.scoring.spatial)
    "local_moran_i": "lokale_moran_i", "quadrant": "kwadrant", "p_permutation": "p_permutatie", "neighbours": "buren",
    # the check of the inputs
    "source": "bron", "areas_with_value": "gebieden_met_waarde", "periods": "perioden",
    "periods_with_value": "perioden_met_waarde", "newest_period": "nieuwste_periode",
    "newest_overall": "nieuwste_van_alle", "coverage": "dekking", "period": "periode", "count": "aantal",
    "method": "methode", "denominator": "noemer", "problem": "probleem", "figure": "cijfer",
}


def published_columns(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its columns under their published Dutch names (:data:`COLUMNS_NL`); a column whose Dutch
    name the table already has keeps its own (``reason`` beside ``reden``), so the rename is idempotent."""
    names = {c: COLUMNS_NL[c] for c in table.columns if c in COLUMNS_NL and COLUMNS_NL[c] not in table.columns}
    return table.rename(columns=names)


def internal_columns(table: pd.DataFrame, names) -> pd.DataFrame:
    """``table`` read back from a file aandacht wrote, with the columns ``names`` (internal names) under their
    internal name: from the published Dutch name (:data:`COLUMNS_NL`) or, in a file written before the files were
    Dutch, as they stand. The names are the reader's (the Dutch ``waarde`` is ``lhs`` in ``beperkingen.csv`` and
    ``value`` in ``redenen.csv``), so the way back is never ambiguous."""
    back = {COLUMNS_NL[n]: n for n in names if n not in table.columns and COLUMNS_NL.get(n) in table.columns}
    return table.rename(columns=back)
