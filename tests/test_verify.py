"""`aandacht verify`: recompute an output folder from its manifest."""

import json
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from aandacht import default_config_path, load_config
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


@pytest.fixture(scope="module")
def scored_once(tmp_path_factory, embedded):
    """One project scored once per module (a score run takes seconds); tests edit copies of it."""
    project = tmp_path_factory.mktemp("scored")
    config = copy_project(embedded, project)
    assert CliRunner().invoke(main, ["score", "--config", str(config), "--out", str(project / "out")]).exit_code == 0
    return project


@pytest.fixture
def scored_project(scored_once, tmp_path):
    """A fresh copy of the scored project (its manifest names files relative to the project)."""
    shutil.copytree(scored_once, tmp_path, dirs_exist_ok=True)
    return tmp_path, tmp_path / "out"


def edit_manifest(out, change):
    path = out / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")


def test_an_edited_recorded_hash_is_a_difference(scored_project):
    _, out = scored_project
    edit_manifest(out, lambda m: m["outputs"].update({"ranking.csv": "0" * 64}))
    result = CliRunner().invoke(main, ["verify", str(out)])
    assert result.exit_code == 1
    assert "ranking.csv: its SHA-256 differs from the one recorded in manifest.json (the file or the manifest was edited)" in result.output
    assert "identical" not in result.output


def test_an_edited_output_file_is_a_difference_even_when_its_tables_match(scored_project):
    _, out = scored_project
    with open(out / "ranking.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")  # same table, other bytes
    result = CliRunner().invoke(main, ["verify", str(out)])
    assert result.exit_code == 1 and "ranking.csv: its SHA-256 differs" in result.output


def without_first_sheet(path):
    """The workbook with the part of its first sheet removed (the workbook still names it)."""
    import zipfile

    parts = {}
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name != "xl/worksheets/sheet1.xml"}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("corrupt, difference", [
    (lambda path: path.write_bytes(b"PK\x03\x04 not really a workbook"), "scores.xlsx: cannot be read (BadZipFile"),
    (without_first_sheet, "scores.xlsx sheet 'ranglijst': present in only one of the two"),
])
def test_a_corrupt_workbook_is_a_difference_not_a_traceback(scored_project, corrupt, difference):
    _, out = scored_project
    corrupt(out / "scores.xlsx")
    result = CliRunner().invoke(main, ["verify", str(out)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "scores.xlsx: its SHA-256 differs" in result.output and difference in result.output


def test_a_manifest_naming_a_file_outside_the_project_is_refused(scored_project, tmp_path_factory):
    _, out = scored_project
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "secret.csv"
    elsewhere.write_text("area_code;x\n", encoding="utf-8")
    edit_manifest(out, lambda m: m["inputs"]["inputs.kwb2023.path"].update({"path": str(elsewhere)}))
    result = CliRunner().invoke(main, ["verify", str(out)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {out / 'manifest.json'}: inputs[inputs.kwb2023.path] names {elsewhere}, outside the project directory")
    assert "--allow-outside-paths" in result.output
    allowed = CliRunner().invoke(main, ["--allow-outside-paths", "verify", str(out)])
    assert allowed.exit_code == 1 and f"input inputs.kwb2023.path changed since the run: {elsewhere}" in allowed.output


def test_a_config_in_the_manifest_naming_a_file_outside_the_project_is_refused(scored_project):
    _, out = scored_project
    edit_manifest(out, lambda m: m["config"]["areas"].update({"registry": "/etc/hostname"}))
    result = CliRunner().invoke(main, ["verify", str(out)])
    assert result.exit_code == 2 and "config.areas.registry names /etc/hostname, outside the project directory" in result.output


@pytest.mark.parametrize("change, message", [
    (lambda m: m["outputs"].update({"../../x.csv": "0" * 64}), "'outputs' names '../../x.csv', which is not a file name of this folder"),
    (lambda m: m.update({"inputs": {"config": {"path": 5, "sha256": "x"}}}), "'inputs' must map each role to a path and a sha256"),
    (lambda m: m.update({"uncertainty": {"draws": 10**26, "seed": 1}}), "'uncertainty' needs whole numbers 'draws'"),
    (lambda m: m.update({"config": []}), "'config' is not an object"),
])
def test_a_malformed_manifest_is_one_line(scored_project, change, message):
    _, out = scored_project
    edit_manifest(out, change)
    result = CliRunner().invoke(main, ["verify", str(out)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: {out / 'manifest.json'}: not a manifest written by aandacht ({message}")


def test_a_manifest_with_a_key_twice_is_refused(scored_project):
    _, out = scored_project
    path = out / "manifest.json"
    path.write_text(path.read_text(encoding="utf-8").replace('{\n  "tool"', '{\n  "command": "score",\n  "tool"', 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", str(out)])
    assert result.exit_code == 2 and "key(s) ['command'] given twice" in result.output


def test_a_manifest_cannot_make_the_root_its_project(scored_project):
    """A manifest saying its config was /configs/x.yaml made / the project, and /etc/passwd a
    registry inside it: the config's own path is held to the outside-path rule."""
    _, out = scored_project

    def relocate(manifest):
        manifest["inputs"]["config"]["path"] = "/configs/leeuwarden.yaml"
        manifest["config"]["areas"]["registry"] = "/etc/passwd"

    edit_manifest(out, relocate)
    result = CliRunner().invoke(main, ["verify", str(out)])
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert "the config it names, /configs/leeuwarden.yaml, is not a config file of this folder's project" in result.output


def test_a_folder_written_before_the_dutch_names_is_compared_on_its_contents():
    """verify reads a workbook and beperkingen.csv of an earlier aandacht (English sheet and column
    names, True/False, treatment codes, absolute paths of the project) in today's layout."""
    from aandacht.archive.verify import as_now

    config = load_config(default_config_path())
    root = str(config.source_file.parent.parent)
    old = {"treatment": pd.DataFrame({"indicator": ["bijstand"], "passes_before": [True], "action": ["none"]}),
           "method": pd.DataFrame({"key": ["config"], "value": [f"{root}/configs/leeuwarden.yaml"]})}
    now = as_now("scores.xlsx", old, config)
    assert list(now) == ["uitschieters", "methode"]
    assert now["uitschieters"].to_dict("records") == [
        {"indicator": "bijstand", "binnen_grenzen_voor": "ja", "behandeling": "geen (binnen de grenzen)"}]
    assert now["methode"].to_dict("records") == [{"onderdeel": "config", "waarde": "configs/leeuwarden.yaml"}]
    # True/False and ja/nee are both read as booleans (read_csv_nl); beperkingen.csv's English names are renamed
    constraints = {"": pd.DataFrame({"constraint": ["aantal"], "tight": [True], "binding": [False]})}
    assert as_now("beperkingen.csv", constraints, config)[""].to_dict("records") == [
        {"beperking": "aantal", "krap": True, "bindend": False}]
    # the English column names of any CSV of a round written before are renamed too (aandacht.dutch.published_columns)
    wijken = {"": pd.DataFrame({"area_code": ["WK008050"], "area_name": ["Heechterp"], "rang": [1]})}
    assert list(as_now("wijken.csv", wijken, config)[""].columns) == ["gebiedscode", "gebiedsnaam", "rang"]


def test_a_csv_with_true_false_equals_one_with_ja_nee(tmp_path):
    """A round file written before issue 23 (True/False, English column names) and today's (ja/nee, Dutch names)
    compare as equal."""
    from aandacht.archive.verify import compare_file

    config = load_config(default_config_path())
    (tmp_path / "oud").mkdir()
    (tmp_path / "nieuw").mkdir()
    (tmp_path / "oud" / "wijken.csv").write_text("area_code;aangewezen;harde_kern\nWK008050;True;\nWK008010;False;False\n",
                                                 encoding="utf-8-sig")
    (tmp_path / "nieuw" / "wijken.csv").write_text("gebiedscode;aangewezen;harde_kern\nWK008050;ja;\nWK008010;nee;nee\n",
                                                   encoding="utf-8-sig")
    assert compare_file(tmp_path / "oud" / "wijken.csv", tmp_path / "nieuw" / "wijken.csv", config) == []
    (tmp_path / "nieuw" / "wijken.csv").write_text("gebiedscode;aangewezen;harde_kern\nWK008050;nee;\nWK008010;nee;nee\n",
                                                   encoding="utf-8-sig")
    assert compare_file(tmp_path / "oud" / "wijken.csv", tmp_path / "nieuw" / "wijken.csv", config) != []
