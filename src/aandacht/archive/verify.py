"""Recompute an output folder from its manifest and compare.

A folder written by aandacht carries ``manifest.json`` with the validated config, the
SHA-256 of every input file and of every output file, and the package versions.
:func:`verify_folder` checks every output file against its recorded hash (an edited file or
an edited hash is a difference), checks the inputs against theirs (naming every file that
changed or disappeared), recomputes the outputs with the recorded config in a temporary
folder, and compares them table by table (numbers to 1e-9). Version differences are
reported, since they can explain a difference.

A manifest is data from whoever sent the folder: it is checked for shape before use, and the
files it names must lie inside the project of the folder (or the embedded default data)
unless ``--allow-outside-paths`` is given, the same rule as for a config.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..config import Config, named_paths, parse_config, project_dir
from ..config.choices import MAX_DRAWS, MAX_SEED
from ..digest import changed_inputs, changed_outputs
from ..errors import DataError
from ..resources import embedded_root
from ..rounds.record import require_unchanged
from .manifest import package_versions, resolve_paths

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
    peildatum = manifest.get("peildatum")  # absent in rounds written before the vintages: the round year
    peildatum = int(peildatum) if isinstance(peildatum, int) else None
    return round_writers(run_herijking(config, int(manifest["round"]), previous, peildatum=peildatum))


def _validate_writers(config: Config, manifest: dict) -> dict[str, Callable[[Path], None]]:
    """``aandacht validate``: the recorded list of known areas (an input of the manifest), ``--top-k``, draws and seed."""
    from ..present.tables import validation_writers
    from ..scoring.run import run_score
    from ..scoring.validate import read_known, validate

    recorded = manifest.get("validate")
    if not isinstance(recorded, dict) or "known" not in manifest.get("inputs", {}):
        raise DataError("manifest.json: a validate run without its 'validate' section or its 'known' input")
    run = run_score(config)
    known = read_known(Path(manifest["inputs"]["known"]["path"]), run)
    return validation_writers(validate(run, known, recorded.get("top_k_option"), int(recorded["draws"]),
                                       int(recorded["seed"])))


RECOMPUTERS: dict[str, Callable[[Config, dict], dict[str, Callable[[Path], None]]]] = {
    "score": _score_writers,
    "herijking": _herijking_writers,
    "validate": _validate_writers,
}


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    doubles = sorted({key for key in keys if keys.count(key) > 1})
    if doubles:
        raise ValueError(f"key(s) {doubles} given twice")
    return dict(pairs)


def read_manifest(folder: Path) -> dict:
    """The manifest of ``folder``, checked for the shape :func:`verify_folder` relies on: a JSON
    object (no key twice) whose ``inputs`` map roles to ``{path, sha256}`` and whose ``outputs``
    map plain file names of the folder to their SHA-256."""
    path = folder / "manifest.json"
    if not path.is_file():
        raise DataError(f"{path}: no manifest in this folder; it was not written by aandacht")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as error:
        raise DataError(f"{path}: not valid JSON ({error.msg} at line {error.lineno})") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise DataError(f"{path}: not a manifest written by aandacht ({error})") from None
    problem = _shape_problem(manifest)
    if problem:
        raise DataError(f"{path}: not a manifest written by aandacht ({problem})")
    return resolve_paths(manifest, folder)


def _shape_problem(manifest: object) -> str | None:
    if not isinstance(manifest, dict):
        return "not a JSON object"
    if not isinstance(manifest.get("config"), dict):
        return "'config' is not an object"
    inputs = manifest.get("inputs", {})
    if not isinstance(inputs, dict) or not all(
            isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("sha256"), str) for e in inputs.values()):
        return "'inputs' must map each role to a path and a sha256"
    outputs = manifest.get("outputs")
    if not isinstance(outputs, dict) or not all(isinstance(h, str) for h in outputs.values()):
        return "'outputs' must map each file name to its sha256"
    if manifest.get("previous") is not None and not isinstance(manifest["previous"], str):
        return "'previous' is not a path"
    if manifest.get("command") == "herijking" and not isinstance(manifest.get("round"), int):
        return "'round' is not a year"
    recorded = manifest.get("uncertainty")
    if recorded is not None and not (isinstance(recorded, dict) and isinstance(recorded.get("draws"), int)
                                     and isinstance(recorded.get("seed"), int) and 2 <= recorded["draws"] <= MAX_DRAWS
                                     and 0 <= recorded["seed"] <= MAX_SEED):
        return f"'uncertainty' needs whole numbers 'draws' (2 to {MAX_DRAWS:,}) and 'seed' (0 to {MAX_SEED:,})"
    strange = [name for name in outputs if Path(name).name != name or name in (".", "..") or "\\" in name]
    if strange:
        return f"'outputs' names {strange[0]!r}, which is not a file name of this folder"
    return None


def _check_paths(folder: Path, manifest: dict, config: Config, config_file: Path) -> None:
    """Refuse a manifest that names files outside the project of ``folder`` (the project directory
    of its recorded config, when the folder lies inside it, the config file exists, and that
    project is neither the file system's root nor the home folder: a manifest saying its config was
    ``/configs/x.yaml`` would otherwise make ``/`` the project) and outside the embedded default
    data, so that a folder received from someone else cannot make aandacht read other files. The
    config's own path is held to the same rule.
    The previous round of a herijking may also be a sibling of the folder (``rounds/2024`` next
    to ``rounds/2026``)."""
    project = project_dir(config_file)
    trusted = (folder.resolve().is_relative_to(project) and config_file.is_file()
               and project != Path(project.anchor) and project != Path.home().resolve())
    roots = [embedded_root()] + ([project] if trusted else [])
    if "config" in manifest.get("inputs", {}) and not any(config_file.resolve().is_relative_to(r) for r in roots):
        raise DataError(f"{folder / 'manifest.json'}: the config it names, {config_file}, is not a config file of this "
                        f"folder's project (it must exist, and its project may not be the file system's root or the home "
                        "folder); pass --allow-outside-paths to verify it anyway")
    named = {f"inputs[{role}]": Path(entry["path"]) for role, entry in manifest.get("inputs", {}).items()}
    named |= {f"config.{key}": path for key, path in named_paths(config).items()}
    for key, path in named.items():
        if not any(path.resolve().is_relative_to(root) for root in roots):
            where = (f"the project directory {project}" if len(roots) > 1
                     else f"the embedded data; the folder is not inside {project}, the project of its config")
            raise DataError(f"{folder / 'manifest.json'}: {key} names {path}, outside {where}; a folder received from "
                            "someone else may not make aandacht read other files: pass --allow-outside-paths to verify it anyway")
    previous = manifest.get("previous")
    if previous and not any(Path(previous).resolve().is_relative_to(root) for root in [*roots, folder.resolve().parent]):
        raise DataError(f"{folder / 'manifest.json'}: previous names {previous}, which is neither next to this folder nor in "
                        "its project; pass --allow-outside-paths to verify it anyway")


def _read_tables(path: Path) -> dict[str, pd.DataFrame] | str:
    """The tables of a recorded output file, or why it cannot be read (a corrupt or edited file)."""
    import zipfile

    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return _tables(path)
    except (DataError, OSError, ValueError, KeyError, zipfile.BadZipFile, InvalidFileException) as error:
        return f"{type(error).__name__}: {' '.join(str(error).split()) or 'unreadable'}"


def _tables(path: Path) -> dict[str, pd.DataFrame]:
    if path.suffix == ".json":
        return {"": pd.json_normalize(json.loads(path.read_text(encoding="utf-8")), sep=".")}
    if path.suffix == ".xlsx":
        return pd.read_excel(path, sheet_name=None, engine="openpyxl")
    if path.suffix == ".csv":
        from ..inputs.reading import read_csv_nl

        return {"": read_csv_nl(path)}
    if path.suffix == ".gpkg":
        import pyogrio

        layers = {}
        for name, _ in pyogrio.list_layers(path):
            frame = pyogrio.read_dataframe(path, layer=name, read_geometry=True)
            table = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
            layers[name] = table.assign(geometry=frame.geometry.to_wkt()) if "geometry" in frame.columns else table
        return layers
    return {"": pd.DataFrame({"text": path.read_text(encoding="utf-8").splitlines()})}


def as_now(name: str, tables: dict[str, pd.DataFrame], config: Config) -> dict[str, pd.DataFrame]:
    """The tables of a recorded file in the layout this aandacht writes, so that a folder written
    before the analyst's files were Dutch is compared on its contents: a workbook's English sheet
    and column names, true/false and treatment codes (:func:`aandacht.present.tables.dutch_table`)
    and absolute paths of the project (:func:`aandacht.present.tables.relative_paths`), and the
    English column names of a CSV or a GeoPackage layer (``area_code`` before 2026-12) (:func:`aandacht.dutch.published_columns`; True/False of any CSV:
    :func:`aandacht.inputs.reading.read_csv_nl`). Tables already in today's layout pass unchanged."""
    from ..dutch import published_columns
    from ..present.tables import SHEETS_NL, dutch_table, relative_paths

    if name.endswith(".xlsx"):
        return {SHEETS_NL.get(sheet, sheet): relative_paths(dutch_table(table), config) for sheet, table in tables.items()}
    if name.endswith((".csv", ".gpkg")):  # True/False and ja/nee are both read as booleans (read_csv_nl)
        return {sheet: published_columns(table) for sheet, table in tables.items()}
    return tables


def compare_file(recorded: Path, recomputed: Path, config: Config | None = None) -> list[str]:
    """Differences between two output files, compared as tables; empty when equal. A recorded
    file that cannot be read as a table is a difference."""
    old, new = _read_tables(recorded), _tables(recomputed)
    if isinstance(old, str):
        return [f"{recorded.name}: cannot be read ({old})"]
    if config is not None:
        old = as_now(recorded.name, old, config)
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


def recorded_config(folder: Path, manifest: dict, allow_outside: bool) -> Config:
    """The config a folder's manifest records, its paths resolved from the recorded config file; unless
    ``allow_outside``, first refused when the manifest names files outside the project (:func:`_check_paths`),
    so that nothing outside is read, not even to hash it."""
    config_file = Path(manifest["inputs"].get("config", {}).get("path", folder / "manifest.json"))
    config = parse_config(manifest["config"], config_file)
    if not allow_outside:
        _check_paths(folder, manifest, config, config_file)
    return config


def read_round_manifest(folder: Path) -> dict:
    """The manifest of the round folder ``folder``, after checking that its files are as the round
    wrote them (:func:`aandacht.rounds.record.require_unchanged`)."""
    manifest = read_manifest(folder)
    require_unchanged(folder, manifest["outputs"])
    return manifest


def verify_folder(folder: Path, allow_outside: bool = False) -> VerifyReport:
    """See the module docstring. Also checks every output file against the SHA-256 the manifest
    records for it (an edited file, or an edited hash, is a difference), and, unless
    ``allow_outside``, that the manifest names no file outside the folder's project (:func:`_check_paths`)."""
    manifest = read_manifest(folder)
    report = VerifyReport()
    for problem in changed_outputs(folder, manifest["outputs"]):
        report.differ(problem)
    command = manifest.get("command")
    if command not in RECOMPUTERS:
        raise DataError(f"{folder / 'manifest.json'}: cannot recompute command {command!r}; known: {sorted(RECOMPUTERS)}")
    config = recorded_config(folder, manifest, allow_outside)
    changed = changed_inputs(manifest.get("inputs", {}))
    for role, path, missing in changed:
        report.differ(f"input {role} missing: {path}" if missing else f"input {role} changed since the run: {path}")
    inputs_changed = bool(changed)
    for name, version in package_versions().items():
        recorded = manifest.get("versions", {}).get(name) if isinstance(manifest.get("versions"), dict) else None
        if recorded and recorded != version:
            report.lines.append(f"note: {name} {recorded} at the run, {version} now")
    if inputs_changed:
        report.lines.append("inputs differ: the recomputation below uses the current files")
    writers = RECOMPUTERS[command](config, manifest)
    with tempfile.TemporaryDirectory() as scratch:
        for name, write in writers.items():
            if name not in manifest["outputs"]:
                report.differ(f"{name}: written by this run but not recorded in manifest.json")
            if Path(name).suffix in UNCOMPARED:
                report.lines.append(f"{name}: not compared (drawn from the tables above; carries its own time stamp)")
                continue
            recomputed = Path(scratch) / name
            write(recomputed)
            recorded = folder / name
            if not recorded.is_file():  # already reported: recorded but missing, or not recorded at all
                continue
            for problem in compare_file(recorded, recomputed, config):
                report.differ(problem)
    unrecorded = sorted(p.name for p in folder.iterdir() if p.name not in manifest["outputs"] and p.name != "manifest.json")
    if unrecorded:
        report.lines.append(f"note: not written by this run, so not checked: {', '.join(unrecorded)}")
    if report.identical:
        compared = sum(Path(name).suffix not in UNCOMPARED for name in writers)
        report.lines.append(f"{folder}: identical to a recomputation from its manifest ({compared} tables; "
                            f"{len(manifest['outputs'])} files match their recorded SHA-256)")
    return report
