"""The `aandacht sensitivity` command and `aandacht score --uncertainty` on the embedded data."""

from __future__ import annotations

import json

import pandas as pd
from click.testing import CliRunner

from aandacht.cli import main
from aandacht.inputs.reading import read_csv_nl


def test_sensitivity_writes_tables_and_records_the_seed(tmp_path):
    out = tmp_path / "sens"
    result = CliRunner().invoke(main, ["sensitivity", "--draws", "64", "--seed", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["uncertainty"]["seed"] == 3 and manifest["uncertainty"]["draws"] == 64
    table = read_csv_nl(out / "uncertainty.csv")  # in Dutch, as the sheet onzekerheid of sensitivity.xlsx
    assert list(table.columns) == ["gebiedscode", "gebiedsnaam", "rang", "rang_mediaan", "rang_p05", "rang_p95",
                                   "kans_aanwijzing", "aangewezen"]
    assert len(table) == 21 and table["aangewezen"].dtype == bool and table["aangewezen"].sum() == 7  # ja/nee
    assert ((table["rang_p05"] <= table["rang_mediaan"]) & (table["rang_mediaan"] <= table["rang_p95"])).all()
    assert table["kans_aanwijzing"].between(0, 1).all()
    assert abs(table["kans_aanwijzing"].sum() - 7) < 1e-9  # top 7 (the designation rule) designated in every draw
    sobol = read_csv_nl(out / "sobol.csv")
    assert set(sobol["onzekere_invoer"]) == set(manifest["uncertainty"]["factors"])
    sheets = pd.ExcelFile(out / "sensitivity.xlsx", engine="openpyxl").sheet_names
    assert {"onzekerheid", "sobol", "cronbach alfa", "consensus"} <= set(sheets)


def test_score_with_uncertainty_adds_columns(tmp_path):
    out = tmp_path / "score"
    result = CliRunner().invoke(main, ["score", "--uncertainty", "32", "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = read_csv_nl(out / "ranking.csv")
    assert {"rang_p05", "rang_mediaan", "rang_p95", "kans_aanwijzing"} <= set(table.columns)
    assert table["kans_aanwijzing"].notna().sum() == 21
    assert "correlaties" in pd.ExcelFile(out / "scores.xlsx", engine="openpyxl").sheet_names


def test_bad_config_is_one_line_and_writes_nothing(tmp_path):
    from aandacht.resources import default_config_path

    text = default_config_path().read_text(encoding="utf-8").replace("  leave_one_out: true\n", "  leave_one_out: true\n  designation: {top_k: 6, threshold: 1}\n")
    bad = default_config_path().parent / "bad-issue4-test.yaml"
    try:
        bad.write_text(text, encoding="utf-8")
        out = tmp_path / "never"
        result = CliRunner().invoke(main, ["sensitivity", "--config", str(bad), "--out", str(out)])
    finally:
        bad.unlink()
    assert result.exit_code == 2
    assert "exactly one of" in result.output and result.output.strip().count("\n") == 0
    assert not out.exists()


def test_sensitivity_spatial_sheet(tmp_path):
    import pytest

    pytest.importorskip("esda", reason="optional extra 'spatial' (esda) is not installed")
    out = tmp_path / "spatial"
    result = CliRunner().invoke(main, ["sensitivity", "--draws", "16", "--spatial", "--out", str(out)])
    assert result.exit_code == 0, result.output
    moran = pd.read_excel(out / "sensitivity.xlsx", engine="openpyxl", sheet_name="lokale moran", dtype={"gebiedscode": str})
    assert len(moran) == 21 and set(moran["kwadrant"]) <= {"HH", "LL", "HL", "LH"}
    assert moran.loc[moran["gebiedscode"] == "WK008050", "buren"].item() >= 1
