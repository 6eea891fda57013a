"""Every expected failure class becomes one line on stderr with exit code 2 through the CLI,
naming what failed; only --debug shows the traceback; a bug still shows its traceback
(aandacht.errors.expected_failures, the group of aandacht.cli).

Each class is raised where the work happens (inside scoring) so that the test does not
depend on which check of a reader catches a real file first; real files of these kinds are
in tests/bad_inputs and the tests below that use them."""

import errno
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import python_calamine
import yaml
from click.testing import CliRunner
from pyogrio.errors import DataSourceError

from aandacht.cli import main
from aandacht.errors import expected_failures
from aandacht.rounds import herijking as herijking_module  # imported before run_score is patched below
from aandacht.scoring import run as run_module
from conftest import absolute_input_paths

FAILURES = {
    "permission": (PermissionError(errno.EACCES, "Permission denied", "data/kwb-2023.csv"),
                   "data/kwb-2023.csv: Permission denied"),
    "full disk": (OSError(errno.ENOSPC, "No space left on device", "rounds/.2026.aandacht-staging/scores.xlsx"),
                  "rounds/.2026.aandacht-staging/scores.xlsx: the disk is full"),
    "read-only disk": (OSError(errno.EROFS, "Read-only file system"), "Read-only file system (OSError)"),
    "file vanished": (FileNotFoundError(errno.ENOENT, "No such file or directory", "a.csv"), "a.csv: No such file or directory"),
    "calamine": (python_calamine.CalamineError("Cannot detect file format"),
                 "a spreadsheet could not be read: Cannot detect file format (CalamineError)"),
    "pandas parser": (pd.errors.ParserError("Error tokenizing data. C error: Expected 3 fields in line 5, saw 4"),
                      "a table could not be read: Error tokenizing data. C error: Expected 3 fields in line 5, saw 4 (ParserError)"),
    "empty data": (pd.errors.EmptyDataError("No columns to parse from file"),
                   "a table could not be read: No columns to parse from file (EmptyDataError)"),
    "bad zip": (zipfile.BadZipFile("File is not a zip file"),
                "a spreadsheet (a zip archive inside) could not be read: File is not a zip file (BadZipFile)"),
    "geometry": (DataSourceError("'x.geojson' not recognized as being in a supported file format"),
                 "a geometry file could not be read: 'x.geojson' not recognized as being in a supported file format (DataSourceError)"),
    "yaml": (yaml.YAMLError("bad"), "a YAML file could not be read: bad (YAMLError)"),
    "encoding": (UnicodeDecodeError("utf-8", b"\xe9", 0, 1, "invalid continuation byte"),
                 "a file could not be decoded: 'utf-8' codec can't decode byte 0xe9 in position 0: invalid continuation byte "
                 "(UnicodeDecodeError)"),
    "recursion": (RecursionError("maximum recursion depth exceeded"),
                  "an input is nested too deeply to be processed (RecursionError)"),
    "memory": (MemoryError(), "out of memory: an input is too large for this computer (MemoryError)"),
}


def failing(error):
    def fail(*args, **kwargs):
        raise error
    return fail


@pytest.mark.parametrize("name", FAILURES)
def test_each_failure_class_is_one_line_with_exit_2(name, tmp_path, monkeypatch):
    error, message = FAILURES[name]
    monkeypatch.setattr(run_module, "run_score", failing(error))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["score", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.output == f"error: {message}\n"
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []  # no output folder, no lock, no staging


@pytest.mark.parametrize("name", ["permission", "memory"])
def test_debug_shows_the_traceback_instead(name, tmp_path, monkeypatch):
    error, _ = FAILURES[name]
    monkeypatch.setattr(run_module, "run_score", failing(error))
    result = CliRunner().invoke(main, ["--debug", "score", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and result.exception is error


def test_a_bug_is_not_hidden_behind_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(run_module, "run_score", failing(KeyError("oops")))
    result = CliRunner().invoke(main, ["score", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and isinstance(result.exception, KeyError)
    assert not isinstance(KeyError("x"), expected_failures())


def test_every_writing_command_goes_through_the_net(tmp_path, monkeypatch):
    """The net sits on the group, so every command has it: here `select`, which writes nothing."""
    monkeypatch.setattr(herijking_module, "run_herijking", failing(MemoryError()))
    result = CliRunner().invoke(main, ["select"])
    assert result.exit_code == 2 and result.output == f"error: {FAILURES['memory'][1]}\n"


def test_a_spreadsheet_that_is_really_html_is_one_line(tmp_path, embedded):
    """A real file through the real reader: an .xlsx saved from a web page (CalamineError)."""
    config = yaml.safe_load((embedded / "configs" / "leeuwarden.yaml").read_text(encoding="utf-8"))
    fake = tmp_path / "wijkmonitor.xlsx"
    fake.write_text("<html><body><table><tr><td>Wijk</td></tr></table></body></html>", encoding="utf-8")
    for key in ("registry", "geometry"):
        config["areas"][key] = str(embedded / "configs" / config["areas"][key])
    absolute_input_paths(config, embedded / "configs")
    config["ikc"]["boards"] = str(embedded / "configs" / config["ikc"]["boards"])
    config["inputs"]["monitor"] = {"loader": "generic", "path": str(fake), "period": "2023",
                                   "table": {"area_column": "Wijk", "level": "wijk"}}
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["--allow-outside-paths", "score", "--config", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.output
    assert "wijkmonitor.xlsx" in lines[0] or "spreadsheet could not be read" in lines[0]
    assert not (tmp_path / "o").exists()


def test_an_unreadable_config_is_one_line(tmp_path, monkeypatch):
    config = tmp_path / "c.yaml"
    config.write_text("name: x\n", encoding="utf-8")
    real = Path.read_text

    def denied(self, *args, **kwargs):
        if self == config:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", denied)
    result = CliRunner().invoke(main, ["score", "--config", str(config)])
    assert result.exit_code == 2 and result.output == f"error: {config}: cannot read the config (Permission denied)\n"


def _config_with_kwb(tmp_path: Path, embedded: Path, kwb: Path) -> Path:
    config = yaml.safe_load((embedded / "configs" / "leeuwarden.yaml").read_text(encoding="utf-8"))
    for key in ("registry", "geometry"):
        config["areas"][key] = str(embedded / "configs" / config["areas"][key])
    absolute_input_paths(config, embedded / "configs")
    config["ikc"]["boards"] = str(embedded / "configs" / config["ikc"]["boards"])
    config["inputs"]["kwb2023"]["path"] = str(kwb)
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["named pipe", "device"])
def test_a_pipe_or_device_as_input_is_refused_without_reading_it(kind, tmp_path, embedded):
    """A named pipe would block the reader for ever, /dev/zero would fill the memory: neither is a
    data file, and the one line says so (not 'file not found': the path exists)."""
    import os

    if kind == "named pipe":
        source = tmp_path / "kwb.csv"
        os.mkfifo(source)
    else:
        source = Path("/dev/zero")
    config = _config_with_kwb(tmp_path, embedded, source)
    result = CliRunner().invoke(main, ["--allow-outside-paths", "score", "--config", str(config),
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert result.output == f"error: {source}: is not a regular file (a device, pipe or socket); give a file on disk\n"
    assert not (tmp_path / "o").exists()
    as_config = CliRunner().invoke(main, ["score", "--config", str(source)])
    assert as_config.exit_code == 2
    assert as_config.output == f"error: {source}: is not a regular file (a device, pipe or socket); give a config file on disk\n"


@pytest.mark.parametrize(("text", "held"), [("", "nothing (the file is empty)"), ("- a\n- b\n", "a list"),
                                            ("just words\n", "only a line of text"), ("42\n", "a single value (42)")])
def test_a_config_that_is_not_a_mapping_says_what_it_holds(text, held, tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "--config", str(config)])
    assert result.exit_code == 2
    assert result.output == (f"error: {config}: holds {held}; a config is a mapping of keys "
                             "(name:, gemeente:, areas:, inputs:, ...)\n")


def test_a_path_the_system_cannot_look_at_says_why(tmp_path):
    from aandacht.errors import DataError, require_file

    with pytest.raises(DataError, match=r": file not found$"):
        require_file(tmp_path / "missing.csv")
    with pytest.raises(DataError, match=r": file not found \(it is a folder\)$"):
        require_file(tmp_path)
    with pytest.raises(DataError, match=r": cannot be read \(File name too long\)$"):
        require_file(tmp_path / ("a" * 300))
