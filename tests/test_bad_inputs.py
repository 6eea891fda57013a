"""Every file of the bad-input corpus (tests/bad_inputs/cases.yaml) through the CLI.

Each must give exactly one line on stderr that names the file and says what is wrong,
exit code 2, no traceback, and no output folder.
"""

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from aandacht.cli import main
from aandacht.resources import embedded_root
from conftest import absolute_input_paths

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))


def materialise_config(case: dict, tmp_path: Path) -> Path:
    """A config whose entry ``role`` points at the bad file (or the bad config itself, with real paths)."""
    root = embedded_root()
    bad = CORPUS / case["file"]
    if case["role"] == "config":
        text = bad.read_text(encoding="utf-8")
        text = text.replace("EMBEDDED_CONFIGS/", f"{root / 'configs'}/").replace("EMBEDDED/", f"{root / 'data' / 'leeuwarden'}/")
        path = tmp_path / bad.name
        path.write_text(text, encoding="utf-8")
        return path
    config = yaml.safe_load((root / "configs" / "leeuwarden.yaml").read_text(encoding="utf-8"))
    for section in ("areas",):
        for key, value in config[section].items():
            config[section][key] = str(root / "configs" / value)
    absolute_input_paths(config, root / "configs")
    options = {key: value.replace("EMBEDDED/", f"{root / 'data' / 'leeuwarden'}/") if isinstance(value, str) else value
               for key, value in case.get("options", {}).items()}
    if case["role"] == "extra_input":
        extra = {"loader": case["loader"], "path": str(bad), "period": "2023", **options}
        if "table" in case:
            extra["table"] = case["table"]
        config["inputs"]["extra"] = extra
        path = tmp_path / "config.yaml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        return path
    parts = case["role"].split(".")
    target = config
    for part in parts[:-1]:
        target = target[part]
    if parts[0] == "inputs" and len(parts) == 2:
        target[parts[-1]].update(path=str(bad), **options)  # the input's file (and options) replaced
    else:
        target[parts[-1]] = str(bad)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_input_gives_one_line_and_exit_2(case, tmp_path):
    config = materialise_config(case, tmp_path)
    out = tmp_path / "out"
    # the corpus lives outside the embedded project, so its configs need --allow-outside-paths
    result = CliRunner().invoke(main, ["--allow-outside-paths", "score", "--config", str(config), "--out", str(out)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ") and "Traceback" not in result.output
    assert case["file"] in lines[0] and case["error"] in lines[0], lines[0]
    assert not out.exists() and list(tmp_path.iterdir()) == [config]


def test_debug_shows_the_traceback(tmp_path):
    config = materialise_config(CASES[0], tmp_path)
    result = CliRunner().invoke(main, ["--debug", "--allow-outside-paths", "score", "--config", str(config), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0 and result.exception is not None


def test_path_outside_the_project_needs_the_flag(tmp_path):
    config = materialise_config({"file": "kwb_header_only.csv", "role": "inputs.kwb2023"}, tmp_path)
    result = CliRunner().invoke(main, ["score", "--config", str(config), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "lies outside the project directory" in result.output and "--allow-outside-paths" in result.output
    assert not (tmp_path / "o").exists()


def test_excel_with_merged_title_rows_is_read_not_refused(tmp_path):
    """Not a failure: the header is found below merged title rows, and every value is read
    (a decimal comma in a text cell, a number cell, and 'x' as a suppressed value)."""
    from aandacht.config import InputSpec, TableLayout
    from aandacht.inputs.areas import load_registry
    from aandacht.inputs.sources import LOADERS

    root = embedded_root()
    registry = load_registry(root / "data" / "leeuwarden" / "areas.csv")
    layout = TableLayout.model_validate({"area_column": "Wijk", "level": "wijk", "values": ["Kinderen in armoede (%)"]})
    spec = InputSpec(loader="generic", path=CORPUS / "handled_excel_merged_title_rows.xlsx", period="2023",
                     source="wijkmonitor", table=layout)
    table = LOADERS["generic"](spec, registry).table.set_index("area_code")
    assert table.loc["WK008010", "value"] == 12.5 and table.loc["WK008020", "value"] == 14.0
    assert table.loc["WK008061", "flag"] == "suppressed"


def test_hidden_sheet_is_not_read_and_the_choice_is_noted(tmp_path):
    """Not a failure: a stale hidden sheet in front of the real one is skipped, and the run says so."""
    import pandas as pd

    from sources_helpers import write_workbook

    root = embedded_root()
    frame = pd.read_csv(root / "data" / "leeuwarden" / "kwb-2023.csv", dtype=str, keep_default_na=False)
    stale = frame.assign(p_hh_li="99")
    book = write_workbook(tmp_path / "kwb-2023.xlsx", {"oud": [list(stale.columns), *stale.values.tolist()],
                                                       "kwb-2023": [list(frame.columns), *frame.values.tolist()]},
                          hidden=("oud",))
    config = materialise_config({"file": "kwb_header_only.csv", "role": "inputs.kwb2023"}, tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace(str(CORPUS / "kwb_header_only.csv"), str(book)), encoding="utf-8")
    result = CliRunner().invoke(main, ["--allow-outside-paths", "score", "--config", str(config), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "blad 'kwb-2023' gelezen (zichtbaar blad 1 van 1); verborgen blad(en) niet gelezen: ['oud']" in " ".join(result.output.split())
    ranking = pd.read_csv(tmp_path / "o" / "ranking.csv", sep=";", decimal=",", encoding="utf-8-sig")
    default = CliRunner().invoke(main, ["score", "--out", str(tmp_path / "d")])
    assert default.exit_code == 0
    expected = pd.read_csv(tmp_path / "d" / "ranking.csv", sep=";", decimal=",", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(ranking, expected)


def test_unreadable_input_file_is_one_line(tmp_path, monkeypatch):
    """A file the user may not read (PermissionError) stops the run with one line naming it."""
    config = materialise_config({"file": "kwb_header_only.csv", "role": "inputs.kwb2023"}, tmp_path)
    locked = CORPUS / "kwb_header_only.csv"
    original = Path.open

    def refuse(self, *args, **kwargs):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = CliRunner().invoke(main, ["--allow-outside-paths", "score", "--config", str(config), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "kwb_header_only.csv: cannot be read (Permission denied)" in result.output
    assert not (tmp_path / "o").exists()
