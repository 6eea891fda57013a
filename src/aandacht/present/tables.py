"""The tables an analyst reads and the files they are written to: ranking, indicators,
domain scores, weights, method, the robustness and coherence sheets, and the check report.

Column names are Dutch where the table goes to the bestuurlijk overleg (ranking) and
the codes stay as in the config. ``write_csv`` writes the Dutch Excel dialect
(``;`` separator, decimal comma, UTF-8 with BOM) so the file opens correctly in a
Dutch Excel by double-clicking; :func:`aandacht.inputs.reading.read_csv_nl` reads it back.

Every table aandacht writes goes through :func:`write_csv` or :func:`write_sheets`, which
neutralise text a spreadsheet would read as a formula (:func:`neutralise`, OWASP CSV-injection
guidance). Tables meant for the bestuurlijk overleg pass :func:`suppress_counts` first (counts of
people under ``report.suppress_below`` become "<N"); only :data:`INTERNAL_WORKBOOK`, written
when the config asks for it, keeps them.
"""

from __future__ import annotations

import os
import re
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import Config, project_dir
from ..dutch import COLUMNS_NL, MISSING_LABELS, published_columns
from ..errors import DataError
from ..inputs.plausible import is_count_unit
from ..inputs.reading import DUTCH_CSV
from ..inputs.tidy import TEXT
from ..scoring.audit import audit, audit_sheets
from ..scoring.coherence import coherence
from ..scoring.consensus import consensus, families
from ..scoring.run import ScoreRun
from ..scoring.uncertainty import UncertaintyResult
from .phrases import domain_parts, indicatief_parts


def ranking(run: ScoreRun) -> pd.DataFrame:
    """One row per area: rank, code, name, score, domain scores, top domain, reliability.

    Areas that are not scored (population gate, too little data) are listed last with
    the reason. ``betrouwbaarheid`` is ``I`` (indicatief) when any of the area's values
    rests on a denominator below its minimum, or when a whole domain was filled with the mean of the areas
    (``method.missing.domain: mean``; the column ``rang_zonder_aanvulling`` then gives every area's rank with that
    domain's weight shared over the others instead), ``B`` otherwise; ``opmerking`` names each such value and the
    rule (:func:`aandacht.present.phrases.indicatief_parts`, :func:`~aandacht.present.phrases.domain_parts`).
    """
    matrix, result = run.matrix, run.result
    areas = matrix.areas
    table = pd.DataFrame({"area_code": areas.index, "area_name": areas["area_name"].to_numpy()}, index=areas.index)
    table.insert(0, "rang", result.rank.reindex(areas.index).astype("Int64"))
    table["score"] = result.index.reindex(areas.index)
    table["grootste_bijdrage"] = result.top_domain.reindex(areas.index).fillna("")
    for domain in result.tree.top_level:
        source = result.nodes if domain in result.nodes else result.normalised
        table[domain] = source[domain].reindex(areas.index)
    table["betrouwbaarheid"] = run.area_reliability().reindex(areas.index).to_numpy()
    table["populatie"] = areas["population"]
    reasons = areas["reason"].where(areas["reason"] != "", "")
    unscored = table["score"].isna() & (reasons == "")
    reasons = reasons.mask(unscored, "te weinig gegevens")
    missing = matrix.missing_reason.apply(
        lambda row: "; ".join(f"{k}: {MISSING_LABELS.get(v, v)}" for k, v in row.items() if v), axis=1
    )
    small = pd.Series({code: "; ".join(indicatief_parts(run, code) + domain_parts(run, code)) for code in areas.index})
    if not result.rank_reweighted.empty:  # a domain filled with the mean: the rank with its weight shared, beside it
        table.insert(table.columns.get_loc("score") + 1, "rang_zonder_aanvulling",
                     result.rank_reweighted.reindex(areas.index).astype("Int64"))
    table["opmerking"] = [("; ".join(p for p in (r, m, i) if p)) for r, m, i in zip(reasons, missing, small)]
    return table.sort_values(["rang", "area_code"], na_position="last").reset_index(drop=True)


def indicator_sheet(run: ScoreRun, values: pd.DataFrame) -> pd.DataFrame:
    """Area code and name followed by one column per indicator."""
    names = run.matrix.areas["area_name"]
    table = values.reindex(run.matrix.areas.index)
    table.insert(0, "area_name", names)
    return table.rename_axis("area_code").reset_index()


def reference_sheet(run: ScoreRun) -> pd.DataFrame:
    """Per indicator its value for the gemeente and for Nederland, where the inputs hold those rows
    (Kerncijfers Wijken en Buurten: the gemeente row and NL00), beside the median of the scored areas:
    the reference values of a wijk's figure."""
    from ..decide.designate import gemeente_values, national_values

    spec = {i.id: i for i in run.config.framework.indicators}
    values = run.matrix.values.loc[run.matrix.areas["scored"]]
    return pd.DataFrame({
        "indicator": list(spec), "label": [i.label for i in spec.values()], "unit": [i.unit for i in spec.values()],
        "gemeente": gemeente_values(run).reindex(list(spec)).to_numpy(),
        "nederland": national_values(run).reindex(list(spec)).to_numpy(),
        "mediaan": values.median().reindex(list(spec)).to_numpy(),
    })


def project_relative(text: str, config: Config) -> str:
    """``text`` with the absolute path of the config's project folder (:func:`aandacht.config.project_dir`:
    the folder holding ``configs/``) taken out, so that a file reads as a path in the project
    ("configs/leeuwarden.yaml", "data/leeuwarden/kwb-2023.csv") and no file that is sent around
    holds the folders (and user name) of the analyst's machine."""
    return _without_root(str(text), str(project_dir(config.source_file)))


def _without_root(text: str, root: str) -> str:
    return text.replace(root + os.sep, "").replace(root, ".")


def relative_paths(table: pd.DataFrame, config: Config) -> pd.DataFrame:
    """The table with :func:`project_relative` applied to every text cell (the project folder found once)."""
    texts = [c for c in table.columns if table[c].dtype == object or pd.api.types.is_string_dtype(table[c])]
    if not texts:
        return table
    root = str(project_dir(config.source_file))
    return table.assign(**{c: table[c].map(lambda v: _without_root(v, root) if isinstance(v, str) else v)
                           for c in texts})


def method_sheet(run: ScoreRun) -> pd.DataFrame:
    """The framework and method choices as rows (key, value), for the method sheet; file paths
    relative to the project folder."""
    config = run.config
    rows = [
        ("config", project_relative(config.source_file, config)),
        ("gemeente", f"{config.gemeente.code} {config.gemeente.name}"),
        ("level", config.level),
        ("period", config.period),
        ("screening", config.method.screening.model_dump_json()),
        ("treatment", config.method.treatment.model_dump_json()),
        ("normalisation", config.method.normalisation.model_dump_json()),
        ("weights", config.method.weights),
        ("aggregation", config.method.aggregation.model_dump_json()),
        ("missing", config.method.missing.model_dump_json()),
        ("unreliable", config.method.unreliable),
    ]
    if config.population:
        rows.append(("population", config.population.model_dump_json()))
    for indicator in config.framework.indicators:
        spec = config.inputs.get(indicator.input)
        definition = indicator.variable or f"{indicator.numerator} / {indicator.denominator} x {indicator.scale:g}"
        where = (f"{spec.loader} {spec.path.name} ({spec.period})" if spec else
                 f"precedence {indicator.input} ({', '.join(config.precedence[indicator.input].inputs)})")
        rows.append((f"indicator {indicator.id}", (
            f"{indicator.label}; parent {indicator.parent}; weight {indicator.weight:g}; direction {indicator.direction:+d}; "
            f"{definition} uit {where}; " + (f"per {indicator.per}; " if indicator.per else "")
            + f"min_denominator {'geen' if indicator.min_denominator is None else f'{indicator.min_denominator:g}'}")))
    for node in config.framework.nodes:
        rows.append((f"node {node.id}", f"{node.label}; parent {node.parent}; weight {node.weight:g}"))
    rows.extend(("toelichting", project_relative(note, config)) for note in run.notes)
    return pd.DataFrame(rows, columns=["key", "value"])


# OWASP "CSV injection": a text cell starting with one of these is read as a formula by Excel,
# LibreOffice and Google Sheets (a wijk named "=HYPERLINK(...)" would become a live link).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Columns holding counts of people in the tables aandacht writes; under report.suppress_below
# they are shown as "<N" in every output meant for the bestuurlijk overleg (suppress_counts).
COUNT_COLUMNS = frozenset({"populatie", "leerlingen"})
# The value columns of a long table (one row per area and indicator, or per indicator) that hold the
# indicator's own figure: suppressed for an indicator that counts people.
LONG_VALUES = ("waarde", "gemeente", "nederland", "mediaan", "value")
# The sheets of scores.xlsx that hold the indicators' own figures (the others hold normalised values,
# scores, weights and marks, which are no counts).
VALUE_SHEETS = frozenset({"ranking", "raw indicators", "reference values"})
# The one workbook that may keep those small counts, written only when report.internal_workbook is true.
INTERNAL_WORKBOOK = "intern-niet-delen.xlsx"
CSV_FLOAT = ".6g"  # numbers in the CSVs: six significant digits
# Characters an xlsx cell cannot hold (the control characters except tab and line breaks), the
# definition of openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE, kept here so that writing does not import openpyxl.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# Workbooks are written with XlsxWriter: it imports in a fraction of openpyxl's time (that counts
# for `aandacht sensitivity`, which should finish in well under a second); NaN and infinite
# values become empty cells or #NUM! instead of stopping the run. openpyxl reads them back in verify.
# Text stays text: XlsxWriter's default turns a string that looks like a URL (https:, mailto:, a
# \\host\share path as file:///) into a live hyperlink, and one over its 2,079-character URL limit
# into an empty cell; strings_to_formulas is off too (neutralise already quotes them).
EXCEL_WRITER = {"engine": "xlsxwriter", "engine_kwargs": {"options": {
    "nan_inf_to_errors": True, "strings_to_urls": False, "strings_to_formulas": False, "strings_to_numbers": False,
    "in_memory": True}}}  # in_memory: no temporary file per sheet (a tenth of a second per workbook)
# The most characters an Excel cell holds (Excel specifications and limits); XlsxWriter would cut longer text.
EXCEL_CELL_CHARACTERS = 32_767


def neutralise(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell and column name that starts with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return prefixed with a single quote (OWASP CSV-injection
    guidance), so no spreadsheet reads it as a formula. Numbers, negative ones too, stay numbers.
    Control characters other than tab and line breaks (which an xlsx file cannot hold, and an
    escape sequence would drive a terminal showing the CSV) are first replaced by U+FFFD."""
    def safe(value):
        if not isinstance(value, str):
            return value
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        return "'" + value if value.startswith(FORMULA_STARTS) else value

    def unsafe(column: pd.Series) -> bool:
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            return False
        if column.dtype != TEXT:  # mixed cells: mapped whatever they hold (map may narrow an object column's dtype)
            return True
        return any(isinstance(v, str) and (v.startswith(FORMULA_STARTS) or ILLEGAL_CHARACTERS_RE.search(v))
                   for v in column.tolist())

    columns = [safe(column) for column in table.columns]
    changed = {position: column.map(safe) for position, (_, column) in enumerate(table.items()) if unsafe(column)}
    if not changed:  # a text column with nothing to neutralise stays as it is (mapping it costs a new column)
        return table.set_axis(columns, axis=1)
    parts = [changed.get(position, column) for position, (_, column) in enumerate(table.items())]
    return pd.concat(parts, axis=1, keys=range(len(parts))).set_axis(columns, axis=1)


def suppress_counts(table: pd.DataFrame, threshold: int, counts: frozenset[str] = frozenset()) -> pd.DataFrame:
    """The table with every count of people under ``threshold`` replaced by the text ``<threshold``
    (statistical disclosure control, ``report.suppress_below``); unknown counts stay empty. What a
    count of people is follows from what the number is, not from where it stands: the columns of
    :data:`COUNT_COLUMNS`, the column of an indicator in ``counts`` (the ids of the indicators whose
    unit counts people, :func:`count_indicators`) in a wide table, and in a long table (one with an
    ``indicator`` column) the values (:data:`LONG_VALUES`) of those indicators' rows."""
    columns = [c for c in table.columns if c in COUNT_COLUMNS or c in counts]
    long = "indicator" in table.columns and bool(counts)
    if (not columns and not long) or threshold <= 0:
        return table
    table = table.copy()
    for column in columns:
        values = pd.to_numeric(table[column], errors="coerce")
        table[column] = table[column].astype(object).mask(values < threshold, f"<{threshold}")
    if long:
        rows = table["indicator"].isin(counts).to_numpy()
        for column in [c for c in LONG_VALUES if c in table.columns]:
            values = pd.to_numeric(table[column], errors="coerce")
            table[column] = table[column].astype(object).mask(rows & (values < threshold).to_numpy(), f"<{threshold}")
    return table


def count_indicators(config) -> frozenset[str]:
    """The ids of the config's indicators whose unit counts people (:func:`aandacht.inputs.plausible.is_count_unit`)."""
    return frozenset(i.id for i in config.framework.indicators if is_count_unit(i.unit))


def _refuse_long_text(table: pd.DataFrame, path: Path, sheet: str) -> None:
    """Raise :class:`DataError` for the first text cell or column name longer than an Excel cell holds."""
    limit = EXCEL_CELL_CHARACTERS
    for position, column in enumerate(table.columns):
        if len(str(column)) > limit:
            raise DataError(f"{path.name}: sheet {sheet!r}: column name {position + 1} has {len(str(column)):,} characters; "
                            f"an Excel cell holds at most {limit:,}")
        values = table.iloc[:, position]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        lengths = values.map(lambda v: len(v) if isinstance(v, str) else 0).to_numpy()
        if len(lengths) and lengths.max() > limit:
            row = int(lengths.argmax())
            raise DataError(f"{path.name}: sheet {sheet!r}, row {row + 2}, column {str(column)[:60]!r}: a text of "
                            f"{int(lengths[row]):,} characters; an Excel cell holds at most {limit:,} (shorten it in the input)")


def flags_written(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with ``ja``/``nee`` for true/false in every column of booleans (empty cells stay empty):
    the files for the overleg and the analyst are Dutch (issue 23);
    :func:`aandacht.inputs.reading.read_csv_nl` reads both these and the ``True``/``False`` of older files."""
    def is_flags(column: pd.Series) -> bool:
        if column.dtype == bool:
            return True
        present = column.dropna() if column.dtype == object else column.iloc[0:0]
        return len(present) > 0 and present.map(lambda v: isinstance(v, (bool, np.bool_))).all()

    flags = {c: table[c].map(lambda v: v if pd.isna(v) else ("ja" if v else "nee")) for c in table.columns
             if is_flags(table[c])}
    return table.assign(**flags) if flags else table


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """Write in the Dutch Excel dialect: ';' separator, decimal comma, UTF-8 with BOM, the columns under their
    published Dutch names (:func:`aandacht.dutch.published_columns`), ``ja``/``nee`` for true/false
    (:func:`flags_written`); text that a spreadsheet would read as a formula is neutralised (:func:`neutralise`)."""
    table = neutralise(published_columns(flags_written(table)))
    mixed = [position for position, (_, column) in enumerate(table.items()) if column.dtype == object]
    for position in mixed:  # numbers among text (a suppressed count column): the same format as a number column
        table.iloc[:, position] = table.iloc[:, position].map(
            lambda v: f"{v:{CSV_FLOAT}}".replace(".", DUTCH_CSV["decimal"]) if isinstance(v, float) and v == v else v)
    table.to_csv(path, index=False, float_format=f"%{CSV_FLOAT}", **DUTCH_CSV)


def write_extract(table: pd.DataFrame, path: Path) -> None:
    """Write a data extract that aandacht's own loaders read (``aandacht init``): the layout of the
    published source, comma-separated UTF-8, every cell the text as published. Not a table for the
    overleg, so nothing is neutralised (that would change published signs such as CBS's ``-``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def write_sheets(sheets: dict[str, pd.DataFrame], path: Path, layout: bool = False) -> None:
    """A workbook with one sheet per table (names cut to Excel's 31 characters); text is
    neutralised (:func:`neutralise`), so no cell is ever a formula, and written as text, never as a
    hyperlink (:data:`EXCEL_WRITER`). A text longer than an Excel cell holds
    (:data:`EXCEL_CELL_CHARACTERS`) is refused naming the sheet, row and column (it would be cut).
    ``layout``: column widths fitted to the contents and the header row frozen."""
    safe_sheets = {name: neutralise(table) for name, table in sheets.items()}
    for name, safe in safe_sheets.items():
        _refuse_long_text(safe, path, name)
    with pd.ExcelWriter(path, **EXCEL_WRITER) as writer:
        for name, safe in safe_sheets.items():
            safe.to_excel(writer, sheet_name=name[:31], index=False)
            if not layout:
                continue
            sheet = writer.sheets[name[:31]]
            for position, column in enumerate(safe.columns):
                sheet.set_column(position, position, _column_width(safe.iloc[:, position], column))
            sheet.freeze_panes(1, 0)


def _column_width(values: pd.Series, header) -> int:
    """Characters of the longest entry of a column (header included), between 10 and 60."""
    longest = max([len(str(header)), *(len(str(v)) for v in values if not pd.isna(v))])
    return min(max(10, longest + 2), 60)


TREATMENT_ACTIONS = {"none": "geen (binnen de grenzen)", "winsorised": "uiterste waarden ingeperkt", "log": "logaritme",
                     "too few values": "te weinig waarden", "treatment off": "uitgezet"}
# How a label was matched to an area (aandacht.inputs.harmonise), in the check's matches table: the codes
# that are English words in Dutch (code, alias and pc4 stay).
MATCH_METHODS_NL = {"name": "naam", "fuzzy": "bij benadering", "ambiguous": "niet eenduidig", "unmatched": "niet gekoppeld"}
# scores.xlsx is the analyst's workbook: its sheets and columns in Dutch (an indicator's id stays as in the config)
SHEETS_NL = {"ranking": "ranglijst", "raw indicators": "indicatoren", "reference values": "referentiewaarden",
             "normalised": "genormaliseerd", "domain scores": "domeinscores", "effective weights": "gewichten",
             "treatment": "uitschieters", "reliability": "betrouwbaarheid", "screening": "beschikbaarheid",
             "method": "methode", "correlations": "correlaties", "correlation flags": "correlatiesignalen",
             "cronbach alpha": "cronbach alfa", "indicator flags": "indicatorsignalen", "pca weights": "pca-gewichten",
             "coherence notes": "samenhang toelichting", "consensus summary": "consensus samenvatting",
             "uncertainty": "onzekerheid", "sobol per area": "sobol per gebied", "local moran": "lokale moran",
             "audit domains": "toets domeinen", "audit indicators": "toets indicatoren", "leave one out": "weglaten",
             "rank shifts": "rangverschuivingen", "strengths weaknesses": "sterk en zwak"}



def dutch_table(table: pd.DataFrame) -> pd.DataFrame:
    """A table of the analyst's workbook in Dutch: column names (:func:`aandacht.dutch.published_columns`), ``ja``/``nee`` for true/false and
    the outlier treatment in words (``TREATMENT_ACTIONS``) and how a label was matched (``MATCH_METHODS_NL``)."""
    table = flags_written(table)
    actions = {"action": table["action"].map(lambda a: TREATMENT_ACTIONS.get(a, a))} if "action" in table.columns else {}
    if {"label", "method", "score"} <= set(table.columns):  # a table of label matches
        actions["method"] = table["method"].map(lambda m: MATCH_METHODS_NL.get(m, m))
    return published_columns(table.assign(**actions))


def write_workbook(run: ScoreRun, path: Path, ranking_table: pd.DataFrame | None = None,
                   extra_sheets: dict[str, pd.DataFrame] | None = None) -> None:
    """scores.xlsx: ranking, raw indicators, reference values (gemeente and Nederland), normalised, domain scores, effective weights,
    treatment, reliability and method sheets, the statistical audit (:func:`aandacht.scoring.audit.audit_sheets`), then
    ``extra_sheets`` (for example the coherence and consensus checks of :func:`check_sheets`), in Dutch
    (``SHEETS_NL``, :func:`dutch_table`). ``ranking_table``
    replaces the plain ranking (for example with uncertainty columns); the ranking's small
    counts are suppressed (:func:`suppress_counts`)."""
    result = run.result
    sheets = {
        "ranking": ranking(run) if ranking_table is None else ranking_table,
        "raw indicators": indicator_sheet(run, run.matrix.values),
        "reference values": reference_sheet(run),
        "normalised": indicator_sheet(run, result.normalised),
        "domain scores": indicator_sheet(run, result.nodes),
        "effective weights": result.effective_weights,
        "treatment": result.treatment_log,
        "reliability": indicator_sheet(run, run.matrix.reliability),
        **({"screening": run.screening} if not run.screening.empty else {}),
        "method": method_sheet(run),
        **audit_sheets(audit(run)),
        **(extra_sheets or {}),
    }
    threshold, counts = run.config.report.suppress_below, count_indicators(run.config)
    write_sheets({SHEETS_NL.get(name, name): dutch_table(suppress_counts(table, threshold, counts if name in VALUE_SHEETS
                                                                         else frozenset()))
                  for name, table in sheets.items()}, path, layout=True)


def write_internal(sheets: dict[str, pd.DataFrame], threshold: int, path: Path) -> None:
    """:data:`INTERNAL_WORKBOOK`: the tables whose counts are suppressed elsewhere, with every
    count, behind a first sheet saying that the file is for the analyst only."""
    warning = pd.DataFrame({"LET OP": [
        "Intern bestand voor de analist: niet delen, niet in het bestuurlijk overleg.",
        f"Het bevat aantallen onder de drempel report.suppress_below ({threshold}), die in alle andere bestanden als <{threshold} staan.",
        "Geschreven omdat de config report.internal_workbook: true zet.",
    ]})
    write_sheets({"niet delen": warning, **{name: dutch_table(table) for name, table in sheets.items()}}, path,
                 layout=True)


def score_writers(run: ScoreRun, ranking_table: pd.DataFrame | None = None,
                  extra_sheets: dict[str, pd.DataFrame] | None = None,
                  internal: dict[str, pd.DataFrame] | None = None) -> dict:
    """The files of a score run: name -> function writing it (for ``output.write_folder``);
    ``ranking_table`` and ``extra_sheets`` as in :func:`write_workbook`. Counts under
    ``report.suppress_below`` are suppressed; with ``report.internal_workbook`` the full
    ranking (and the ``internal`` tables) also go to :data:`INTERNAL_WORKBOOK`."""
    report = run.config.report
    table = ranking(run) if ranking_table is None else ranking_table
    writers = {
        "ranking.csv": lambda path: write_csv(suppress_counts(table, report.suppress_below, count_indicators(run.config)), path),
        "scores.xlsx": lambda path: write_workbook(run, path, table, extra_sheets),
    }
    if report.internal_workbook:
        sheets = {"ranking": table, **(internal or {})}
        writers[INTERNAL_WORKBOOK] = lambda path: write_internal(sheets, report.suppress_below, path)
    return writers


def ranking_with_uncertainty(run: ScoreRun, result: UncertaintyResult) -> pd.DataFrame:
    """The ranking with the 5th percentile, median and 95th percentile rank and the share of draws
    in which the area is aandachtsgebied (empty for unscored areas)."""
    table = ranking(run)
    columns = {name: COLUMNS_NL[name] for name in ("rank_p05", "median_rank", "rank_p95", "p_designated")}
    extra = result.areas.loc[:, list(columns)].rename(columns=columns)
    position = table.columns.get_loc("score") + 1
    merged = table.join(extra, on="area_code")
    ordered = [*table.columns[:position], *columns.values(), *table.columns[position:]]
    return merged.loc[:, ordered]


def uncertainty_sheet(run: ScoreRun, result: UncertaintyResult) -> pd.DataFrame:
    """Per scored area: code, name and the rank statistics, sorted by nominal rank."""
    table = result.areas.copy()
    table.insert(0, "area_name", run.matrix.areas["area_name"].reindex(table.index))
    return table.rename_axis("area_code").reset_index().sort_values(["nominal_rank", "area_code"])


def check_sheets(run: ScoreRun) -> dict[str, pd.DataFrame]:
    """Coherence sheets, and consensus sheets when the inputs form at least two source families."""
    checks = coherence(run.result, run.config.coherence)
    sheets = {
        "correlations": checks.correlations,
        "correlation flags": checks.flagged_pairs,
        "cronbach alpha": checks.alpha,
        "indicator flags": checks.indicator_flags,
        "pca": checks.pca,
        "pca weights": checks.pca_weights,
        "coherence notes": pd.DataFrame({"note": checks.notes}),
    }
    if len(families(run.config)) >= 2:
        agreement = consensus(run.matrix.scored_values, run.config, run.groups)
        table = agreement.ranks.add_prefix("rang_").join(agreement.scores.add_prefix("score_"))
        table.insert(0, "hard_core", table.index.isin(agreement.hard_core))
        table.insert(0, "area_name", run.matrix.areas["area_name"].reindex(table.index))
        sheets["consensus"] = table.rename_axis("area_code").reset_index()
        sheets["consensus summary"] = pd.DataFrame([
            ("families", "; ".join(f"{k}: {', '.join(v)}" for k, v in agreement.families.items())),
            ("kendall_w", agreement.kendall_w),
            ("areas_compared", agreement.areas_compared),
            ("top_k", run.config.consensus.top_k),
            ("min_sources", run.config.consensus.min_sources),
            ("hard_core", ", ".join(agreement.hard_core)),
        ], columns=["key", "value"])
    return sheets


def validation_writers(result) -> dict:
    """The files of ``aandacht validate`` (:func:`aandacht.scoring.validate.validate`): ``validatie.csv``
    (one row per ranking: the score, each baseline, chance) and ``bekende_gebieden.csv`` (per known area
    its rank, percentile and whether it is in the top k), in the Dutch Excel dialect."""
    return {"validatie.csv": partial(write_csv, result.table), "bekende_gebieden.csv": partial(write_csv, result.areas)}
