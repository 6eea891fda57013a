"""`aandacht score` end to end on the embedded data, and its refusals."""

import json
import subprocess
import sys

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from aandacht.cli import main
from aandacht.inputs.reading import read_csv_nl


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "score"
    result = CliRunner().invoke(main, ["score", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_ranks_the_22_wijken_of_leeuwarden(scored):
    out, output = scored
    table = read_csv_nl(out / "ranking.csv")
    assert len(table) == 22
    assert table["gebiedscode"].str.match(r"^WK0080\d\d$").all()
    ranked = table.dropna(subset=["score"])
    assert list(ranked["rang"]) == sorted(ranked["rang"])
    assert ranked["score"].is_monotonic_decreasing
    assert ranked["score"].between(0, 100).all()
    # Middelsee (10 households with children) is listed but not ranked, with the reason
    middelsee = table.set_index("gebiedscode").loc["WK008074"]
    assert pd.isna(middelsee["score"]) and "te weinig huishoudens met kinderen" in middelsee["opmerking"]
    assert "Heechterp & Schieringen" in output


def test_writes_workbook_with_all_sheets(scored):
    out, _ = scored
    sheets = pd.read_excel(out / "scores.xlsx", sheet_name=None, engine="openpyxl")
    assert {"ranglijst", "indicatoren", "genormaliseerd", "domeinscores", "gewichten", "methode"} <= set(sheets)
    weights = sheets["gewichten"]
    assert weights["bedoeld"].sum() == pytest.approx(1.0)
    assert len(sheets["indicatoren"]) == 22 and list(sheets["indicatoren"].columns[:2]) == ["gebiedscode", "gebiedsnaam"]
    treatment = sheets["uitschieters"]  # the analyst's workbook in Dutch: names, ja/nee, the treatment in words
    assert set(treatment["binnen_grenzen_voor"]) <= {"ja", "nee"} and "geen (binnen de grenzen)" in set(treatment["behandeling"])
    method = sheets["methode"].set_index("onderdeel")["waarde"]
    assert method["config"] == "configs/leeuwarden.yaml"  # relative to the project, no path of the machine


def test_manifest_records_config_inputs_and_versions(scored):
    out, _ = scored
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["config"]["gemeente"]["code"] == "GM0080"
    assert len(manifest["inputs"]["inputs.kwb2023.path"]["sha256"]) == 64
    assert set(manifest["outputs"]) == {"ranking.csv", "scores.xlsx"}
    assert "pandas" in manifest["versions"] and manifest["created_utc"].endswith("+00:00")


def test_top_limits_printed_rows(tmp_path):
    result = CliRunner().invoke(main, ["score", "--out", str(tmp_path / "o"), "--top", "3"])
    assert result.exit_code == 0
    assert "Vrijheidswijk" in result.output and "Goutum" not in result.output


def test_existing_output_is_not_overwritten(scored):
    out, _ = scored
    before = (out / "ranking.csv").read_bytes()
    result = CliRunner().invoke(main, ["score", "--out", str(out)])
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert (out / "ranking.csv").read_bytes() == before


def test_force_moves_the_old_output_aside(tmp_path):
    out = tmp_path / "o"
    assert CliRunner().invoke(main, ["score", "--out", str(out)]).exit_code == 0
    marker = out / "analyst-notes.txt"
    marker.write_text("keep me")
    result = CliRunner().invoke(main, ["score", "--out", str(out), "--force"])
    assert result.exit_code == 0
    moved = [p for p in tmp_path.iterdir() if p.name.startswith("o.replaced-")]
    assert len(moved) == 1 and (moved[0] / "analyst-notes.txt").read_text() == "keep me"
    assert (out / "ranking.csv").is_file()


def _bad_config(tmp_path, default_config, change):
    data = default_config.model_dump(mode="json", exclude={"source_file"})
    change(data)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


BAD_CONFIGS = {
    "negative weight": (lambda d: d["framework"]["nodes"][0].update(weight=-2), "weight"),
    "unknown key": (lambda d: d.update(extra_key=1), "extra_key: unknown key"),
    "cycle": (lambda d: d["framework"]["nodes"].extend([
        {"id": "x", "label": "x", "parent": "y"}, {"id": "y", "label": "y", "parent": "x"}]), "cycle"),
    "indicator missing from data": (
        lambda d: d["framework"]["indicators"][1].update(variable="p_hh_bestaat_niet"),
        "p_hh_bestaat_niet"),
}


@pytest.mark.parametrize("case", BAD_CONFIGS, ids=list(BAD_CONFIGS))
def test_bad_config_gives_one_line_exit_2_and_no_output(tmp_path, default_config, case):
    change, expected = BAD_CONFIGS[case]
    config = _bad_config(tmp_path, default_config, change)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["--allow-outside-paths", "score", "--config", str(config), "--out", str(out)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from aandacht.cli import main\n"
        "CliRunner().invoke(main, ['--help'])\n"
        "CliRunner().invoke(main, ['score', '--help'])\n"
        "heavy = [m for m in ('geopandas', 'matplotlib', 'pandas', 'sklearn') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_runs_from_any_directory_with_installed_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["score", "--top", "1"])
    assert result.exit_code == 0, result.output
    outputs = list((tmp_path / "aandacht-output").iterdir())
    assert len(outputs) == 1 and (outputs[0] / "manifest.json").is_file()


def test_console_script_is_run_with_the_short_process_collector_settings():
    """The installed ``aandacht`` calls ``cli.run``: ``main`` with the young generation collected every
    50,000 allocations and the heap frozen at the end (so the exit skips collecting it)."""
    from importlib.metadata import entry_points

    assert [e.value for e in entry_points(group="console_scripts") if e.name == "aandacht"] == ["aandacht.cli:run"]
    code = ("import gc, sys\nfrom aandacht.cli import run\nsys.argv = ['aandacht', '--version']\n"
            "try:\n    run()\nexcept SystemExit as end:\n    print(end.code, gc.get_threshold()[0], gc.get_freeze_count() > 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split()[-3:] == ["0", "50000", "True"]


def test_values_on_small_denominators_are_named_in_dutch(scored):
    from aandacht.config import load_config
    from aandacht.present.phrases import indicatief_lines, indicatief_parts
    from aandacht.resources import default_config_path
    from aandacht.scoring.run import run_score

    run = run_score(load_config(default_config_path()))
    # Heechterp & Schieringen's schools have under 100 pupils and under 60 tested: both school values indicatief
    assert indicatief_parts(run, "WK008050") == [
        "indicatief: schoolweging van de scholen in de wijk (minder dan 100 leerlingen)",
        "indicatief: leerlingen die streefniveau 1S/2F halen (minder dan 60 leerlingen)"]
    line, domain = indicatief_lines(run)
    # Westeinde e.o. has no primary school: onderwijs is filled with the mean of the wijken (method.missing.domain)
    assert domain == ("Bij 1 wijk ontbreekt een heel domein; het is aangevuld met het gemiddelde, dus indicatief: "
                      "Westeinde e.o. (rang 12: geen cijfers voor onderwijsachterstanden, aangevuld met het gemiddelde van "
                      "de wijken (rang zonder aanvulling 13)).")
    assert line.startswith("De rang van 3 wijken rust deels op een cijfer met een kleine noemer, dus indicatief: "
                           "Heechterp & Schieringen (rang 1: schoolweging van de scholen in de wijk (minder dan 100 leerlingen)")
    out, output = scored
    assert "Let op: De rang van 3 wijken rust deels op een cijfer met een kleine noemer" in " ".join(output.split())
    ranking = pd.read_csv(out / "ranking.csv", sep=";", decimal=",", encoding="utf-8-sig").set_index("gebiedscode")
    assert "indicatief: leerlingen die streefniveau 1S/2F halen (minder dan 60 leerlingen)" in ranking.at["WK008061", "opmerking"]
    westeinde = ranking.loc["WK008031"]
    assert (westeinde["rang"], westeinde["rang_zonder_aanvulling"], westeinde["betrouwbaarheid"]) == (12, 13, "I")
    assert pd.isna(westeinde["onderwijs"])  # the domain itself stays unmeasured
    camminghaburen = ranking.loc["WK008051"]  # the wijk Westeinde passes
    assert (camminghaburen["rang"], camminghaburen["rang_zonder_aanvulling"]) == (13, 12)
