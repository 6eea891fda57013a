"""Recompute an output folder from its manifest and compare.

A folder written by aandacht carries ``manifest.json`` with the validated config, the
SHA-256 of every input file and of every output file, and the package versions.
:func:`verify_folder` checks the inputs against their recorded hashes (naming every file
that changed or disappeared), recomputes the outputs with the recorded config in a
temporary folder, and compares them table by table (numbers to 1e-9). Version
differences are reported, since they can explain a difference.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..config import Config, parse_config
from ..errors import DataError
from .manifest import package_versions, sha256

TOLERANCE = 1e-9
# Maps and reports are drawn from the compared tables and embed the run's time, so they are not compared.
UNCOMPARED = frozenset({".png", ".pdf", ".html"})


@dataclass
class VerifyReport:
    """Lines for the analyst and whether everything matched."""

    lines: list[str] = field(default_factory=list)
    identical: bool = True

    def differ(self, line: str) -> None:
        self.lines.append(line)
        self.identical = False


def _score_writers(config: Config, manifest: dict) -> dict[str, Callable[[Path], None]]:
    """A score run, with the recorded uncertainty draws and seed when it had them."""
    from ..present.tables import (
        check_sheets,
        ranking,
        ranking_with_uncertainty,
        score_writers,
    )
    from ..scoring.robustness import uncertainty
    from ..scoring.run import run_score

    run = run_score(config)
    table = ranking(run)
    recorded = manifest.get("uncertainty")
    if recorded:
        result = uncertainty(run, draws=recorded["draws"], seed=recorded["seed"], sobol=False)
        table = ranking_with_uncertainty(run, result)
    return score_writers(run, table, check_sheets(run))


def _herijking_writers(config: Config, manifest: dict) -> dict[str, Callable[[Path], None]]:
    from ..present.round_folder import round_writers
    from ..rounds.herijking import run_herijking

    previous = Path(manifest["previous"]) if manifest.get("previous") else None
    return round_writers(run_herijking(config, int(manifest["round"]), previous))


RECOMPUTERS: dict[str, Callable[[Config, dict], dict[str, Callable[[Path], None]]]] = {
    "score": _score_writers,
    "herijking": _herijking_writers,
}


def read_manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    if not path.is_file():
        raise DataError(f"{path}: no manifest in this folder; it was not written by aandacht")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(f"{path}: not valid JSON ({error.msg} at line {error.lineno})") from None


def _tables(path: Path) -> dict[str, pd.DataFrame]:
    if path.suffix == ".json":
        return {"": pd.json_normalize(json.loads(path.read_text(encoding="utf-8")), sep=".")}
    if path.suffix == ".xlsx":
        return pd.read_excel(path, sheet_name=None, engine="openpyxl")
    if path.suffix == ".csv":
        from ..inputs.reading import read_csv_nl

        return {"": read_csv_nl(path)}
    return {"": pd.DataFrame({"text": path.read_text(encoding="utf-8").splitlines()})}


def compare_file(recorded: Path, recomputed: Path) -> list[str]:
    """Differences between two output files, compared as tables; empty when equal."""
    old, new = _tables(recorded), _tables(recomputed)
    problems = []
    for sheet in sorted(set(old) | set(new)):
        where = f"{recorded.name}" + (f" sheet '{sheet}'" if sheet else "")
        if sheet not in old or sheet not in new:
            problems.append(f"{where}: present in only one of the two")
            continue
        a, b = old[sheet], new[sheet]
        if a.shape != b.shape or list(a.columns) != list(b.columns):
            problems.append(f"{where}: shape {a.shape} recorded, {b.shape} recomputed")
            continue
        try:
            pd.testing.assert_frame_equal(a, b, check_dtype=False, rtol=TOLERANCE, atol=TOLERANCE)
        except AssertionError as error:
            problems.append(f"{where}: {str(error).splitlines()[0]}")
    return problems


def verify_folder(folder: Path) -> VerifyReport:
    """See the module docstring."""
    manifest = read_manifest(folder)
    report = VerifyReport()
    for role, entry in manifest.get("inputs", {}).items():
        path = Path(entry["path"])
        if not path.is_file():
            report.differ(f"input {role} missing: {path}")
        elif sha256(path) != entry["sha256"]:
            report.differ(f"input {role} changed since the run: {path}")
    for name, version in package_versions().items():
        recorded = manifest.get("versions", {}).get(name)
        if recorded and recorded != version:
            report.lines.append(f"note: {name} {recorded} at the run, {version} now")
    command = manifest.get("command")
    if command not in RECOMPUTERS:
        raise DataError(f"{folder / 'manifest.json'}: cannot recompute command {command!r}; known: {sorted(RECOMPUTERS)}")
    if not report.identical:
        report.lines.append("inputs differ: the recomputation below uses the current files")
    config_file = Path(manifest["inputs"].get("config", {}).get("path", folder / "manifest.json"))
    config = parse_config(manifest["config"], config_file)
    writers = RECOMPUTERS[command](config, manifest)
    with tempfile.TemporaryDirectory() as scratch:
        for name, write in writers.items():
            if Path(name).suffix in UNCOMPARED:
                report.lines.append(f"{name}: not compared (drawn from the tables above; carries its own time stamp)")
                continue
            recomputed = Path(scratch) / name
            write(recomputed)
            recorded = folder / name
            if not recorded.is_file():
                report.differ(f"{name}: missing from the folder")
                continue
            for problem in compare_file(recorded, recomputed):
                report.differ(problem)
    if report.identical:
        compared = sum(Path(name).suffix not in UNCOMPARED for name in writers)
        report.lines.append(f"{folder}: identical to a recomputation from its manifest ({compared} tables)")
    return report
