"""The tables an analyst reads: ranking, indicators, domain scores, weights, method.

Column names are Dutch where the table goes to the bestuurlijk overleg (ranking) and
the codes stay as in the config. ``write_csv`` writes the Dutch Excel dialect
(``;`` separator, decimal comma, UTF-8 with BOM) so the file opens correctly in a
Dutch Excel by double-clicking; ``read_csv_nl`` reads it back.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .pipeline import ScoreRun

MISSING_LABELS = {
    "suppressed": "geheim of onbekend (bron)",
    "not_applicable": "niet van toepassing",
    "not_collected": "niet verzameld",
    "not in data": "ontbreekt in de bron",
    "indicatief (excluded)": "indicatief, weggelaten",
}


def ranking(run: ScoreRun) -> pd.DataFrame:
    """One row per area: rank, code, name, score, domain scores, top domain, reliability.

    Areas that are not scored (population gate, too little data) are listed last with
    the reason. ``betrouwbaarheid`` is ``I`` (indicatief) when any of the area's values
    rests on a denominator below its minimum, ``B`` otherwise.
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
    marks = matrix.reliability
    table["betrouwbaarheid"] = np.where((marks == "I").any(axis=1), "I", np.where((marks == "?").any(axis=1), "?", "B"))
    table["populatie"] = areas["population"]
    reasons = areas["reason"].where(areas["reason"] != "", "")
    unscored = table["score"].isna() & (reasons == "")
    reasons = reasons.mask(unscored, "te weinig gegevens")
    missing = matrix.missing_reason.apply(
        lambda row: "; ".join(f"{k}: {MISSING_LABELS.get(v, v)}" for k, v in row.items() if v), axis=1
    )
    table["opmerking"] = [("; ".join(p for p in (r, m) if p)) for r, m in zip(reasons, missing)]
    return table.sort_values(["rang", "area_code"], na_position="last").reset_index(drop=True)


def indicator_sheet(run: ScoreRun, values: pd.DataFrame) -> pd.DataFrame:
    """Area code and name followed by one column per indicator."""
    names = run.matrix.areas["area_name"]
    table = values.reindex(run.matrix.areas.index)
    table.insert(0, "area_name", names)
    return table.rename_axis("area_code").reset_index()


def method_sheet(run: ScoreRun) -> pd.DataFrame:
    """The framework and method choices as rows (key, value), for the method sheet."""
    config = run.config
    rows = [
        ("config", str(config.source_file)),
        ("gemeente", f"{config.gemeente.code} {config.gemeente.name}"),
        ("level", config.level),
        ("period", config.period),
        ("treatment", config.method.treatment.model_dump_json()),
        ("normalisation", config.method.normalisation.model_dump_json()),
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
            f"{definition} from {where}; per {indicator.per}; "
            f"min_denominator {indicator.min_denominator}")))
    for node in config.framework.nodes:
        rows.append((f"node {node.id}", f"{node.label}; parent {node.parent}; weight {node.weight:g}"))
    rows.extend(("note", note) for note in run.notes)
    return pd.DataFrame(rows, columns=["key", "value"])


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """Write in the Dutch Excel dialect: ';' separator, decimal comma, UTF-8 with BOM."""
    table.to_csv(path, sep=";", decimal=",", index=False, encoding="utf-8-sig", float_format="%.6g")


def read_csv_nl(path: Path) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv`."""
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype={"area_code": str})


def write_workbook(run: ScoreRun, path: Path, ranking_table: pd.DataFrame | None = None,
                   extra_sheets: dict[str, pd.DataFrame] | None = None) -> None:
    """scores.xlsx: ranking, raw indicators, normalised, domain scores, effective weights,
    treatment, reliability and method sheets, then ``extra_sheets`` (for example the
    coherence and consensus checks of :mod:`aandacht.robustness`). ``ranking_table``
    replaces the plain ranking (for example with uncertainty columns)."""
    result = run.result
    sheets = {
        "ranking": ranking(run) if ranking_table is None else ranking_table,
        "raw indicators": indicator_sheet(run, run.matrix.values),
        "normalised": indicator_sheet(run, result.normalised),
        "domain scores": indicator_sheet(run, result.nodes),
        "effective weights": result.effective_weights,
        "treatment": result.treatment_log,
        "reliability": indicator_sheet(run, run.matrix.reliability),
        "method": method_sheet(run),
        **(extra_sheets or {}),
    }
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in sheets.items():
            table.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for column_cells in sheet.columns:
                width = max(len(str(cell.value)) if cell.value is not None else 0 for cell in column_cells)
                sheet.column_dimensions[column_cells[0].column_letter].width = min(max(10, width + 2), 60)
            sheet.freeze_panes = "A2"


def score_writers(run: ScoreRun, ranking_table: pd.DataFrame | None = None,
                  extra_sheets: dict[str, pd.DataFrame] | None = None) -> dict:
    """The files of a score run: name -> function writing it (for ``output.write_folder``);
    ``ranking_table`` and ``extra_sheets`` as in :func:`write_workbook`."""
    table = ranking(run) if ranking_table is None else ranking_table
    return {
        "ranking.csv": lambda path: write_csv(table, path),
        "scores.xlsx": lambda path: write_workbook(run, path, table, extra_sheets),
    }
