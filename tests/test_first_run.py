"""A newcomer's first run: every command on the projects `aandacht init` writes ends in exit 0
or in one line saying what is wrong (exit 2), never in a traceback.

The sample covers a shipped config copied by init whose schools are all placed (Leiden, 10
wijken: ``check`` ended in a KeyError when no input had an unplaced school), a generated wijk
project with schools and maps (Harderwijk, 8 wijken), and a buurt project whose framework leaves
the school indicators out and has no maps (Urk)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from aandacht.cli import main

COMMANDS = [
    ["check"],
    ["score", "--out", "out/score"],
    ["herijking", "--round", "2026", "--no-maps"],
    ["sensitivity", "--draws", "8", "--out", "out/sensitivity"],
    ["map", "--round-dir", "rounds/2026", "--dpi", "30", "--out", "out/map"],
    ["report", "--round-dir", "rounds/2026", "--out", "out/report"],
    ["verify", "rounds/2026"],
    ["verify", "out/score"],
]


def _ends_well(result) -> None:
    """Exit 0, or exit 2 with one line 'error: ...' and no exception escaping the command."""
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        errors = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert result.exit_code == 2 and len(errors) == 1, result.output


@pytest.mark.parametrize("gemeente, level, maps", [("leiden", "wijk", True), ("harderwijk", "wijk", True),
                                                     ("urk", "buurt", False)])
def test_every_command_on_a_fresh_project_ends_without_traceback(tmp_path, monkeypatch, gemeente, level, maps):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["init", gemeente]).exit_code == 0
    monkeypatch.chdir(tmp_path / gemeente)
    assert f"level: {level}" in next((tmp_path / gemeente / "configs").glob("*.yaml")).read_text(encoding="utf-8")
    results = {}
    for command in COMMANDS:
        results[" ".join(command)] = result = runner.invoke(main, command)
        _ends_well(result)
    assert results["check"].exit_code == 0 and "Oordeel:" in results["check"].output
    assert all(results[name].exit_code == 0 for name in ("score --out out/score", "herijking --round 2026 --no-maps",
                                                          "verify rounds/2026", "verify out/score"))
    drawn = [results[name].exit_code == 0 for name in results if name.startswith(("map", "report"))]
    assert drawn == [maps, maps]  # without polygons: one line saying areas.geometry is missing
    # the terminal shows a row per area of uncertainty.csv
    sensitivity = results["sensitivity --draws 8 --out out/sensitivity"]
    assert sensitivity.exit_code == 0, sensitivity.output
    table = pd.read_csv(tmp_path / gemeente / "out" / "sensitivity" / "uncertainty.csv", sep=";", dtype=str)
    printed = [line for line in sensitivity.output.splitlines() if re.match(r"^│\s+\d+ │", line)]
    assert len(table) >= 3 and len(printed) == len(table)
    # no absolute path of the analyst's machine in any file written (xlsx read inside, gpkg as bytes)
    assert not _holding(tmp_path / gemeente, str(tmp_path))


def _holding(project: Path, text: str) -> list[str]:
    """The files under the project's output folders that contain ``text``."""
    found = []
    for path in [*(project / "rounds").rglob("*"), *(project / "out").rglob("*")]:
        if not path.is_file():
            continue
        parts = [zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist()] \
            if path.suffix == ".xlsx" else [path.read_bytes()]
        if any(text.encode() in part for part in parts):
            found.append(str(path.relative_to(project)))
    return found
