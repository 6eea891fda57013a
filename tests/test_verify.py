"""`aandacht verify`: recompute an output folder from its manifest."""

import shutil

from click.testing import CliRunner

from aandacht.cli import main


def copy_project(embedded, tmp_path):
    """A project folder with the default config and data, so the test can change an input."""
    shutil.copytree(embedded / "data" / "leeuwarden", tmp_path / "data" / "leeuwarden")
    shutil.copytree(embedded / "configs", tmp_path / "configs")
    return tmp_path / "configs" / "leeuwarden.yaml"


def test_unchanged_folder_verifies(tmp_path, embedded):
    config = copy_project(embedded, tmp_path)
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["score", "--config", str(config), "--out", str(out)]).exit_code == 0
    result = CliRunner().invoke(main, ["verify", str(out)])
    assert result.exit_code == 0, result.output
    assert "identical to a recomputation" in result.output


def test_changed_input_is_named_and_difference_reported(tmp_path, embedded):
    config = copy_project(embedded, tmp_path)
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["score", "--config", str(config), "--out", str(out)]).exit_code == 0
    kwb = tmp_path / "data" / "leeuwarden" / "kwb-2023.csv"
    kwb.write_text(kwb.read_text(encoding="utf-8").replace("77.3", "20.1"), encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", str(out)])
    assert result.exit_code == 1
    assert f"input inputs.kwb2023.path changed since the run: {kwb}" in result.output
    assert "ranking.csv" in result.output


def test_folder_without_manifest(tmp_path):
    result = CliRunner().invoke(main, ["verify", str(tmp_path)])
    assert result.exit_code == 2 and "no manifest in this folder" in result.output


def test_score_with_uncertainty_verifies_with_the_recorded_draws_and_seed(tmp_path, embedded):
    config = copy_project(embedded, tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["score", "--config", str(config), "--out", str(out), "--uncertainty", "40"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["verify", str(out)])
    assert result.exit_code == 0, result.output
