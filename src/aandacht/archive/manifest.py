"""The run manifest: what was run, on what, with which versions, when.

Written as ``manifest.json`` next to every output so a herijking can be reproduced and
defended years later: the full validated config, the SHA-256 of the config file and of
every input file (registry, geometry, inputs, location tables), the versions of Python
and the packages that compute the numbers, the command line and the time (UTC).

No absolute path of the analyst's machine is written (the file is sent around with the round):
the files of the project (the folder holding ``configs/``, :func:`aandacht.config.project_dir`)
are named relative to it (``inputs``, ``previous``, ``round_dir``, the overlay tables, the command
line), the config's own paths
relative to the config's folder (as in its YAML), and ``project`` says where the project is
seen from the manifest's folder (``../..``; set by :func:`aandacht.archive.output.write_folder`).
:func:`resolve_paths` makes them absolute again when a manifest is read. A file outside the
project (``--allow-outside-paths``) keeps its absolute path.
"""

from __future__ import annotations

import os
import platform
import sys
from datetime import datetime, timezone
from functools import cache
from importlib import metadata
from pathlib import Path

from ..config import Config, config_as_dict, named_paths, project_dir
from ..digest import sha256

PACKAGES = ("aandacht", "pandas", "numpy", "scipy", "scikit-learn", "geopandas", "shapely", "pyogrio", "pydantic", "pyyaml", "openpyxl",
            "xlsxwriter", "pulp")


def input_files(config: Config) -> dict[str, Path]:
    """Every file a run reads, keyed by its config key (``inputs.kwb2023.path``); the config itself as
    ``config``. A folder (a CBS OData cache) contributes each file in it."""
    files = {}
    for key, path in ({"config": config.source_file} | named_paths(config)).items():
        if path.is_dir():
            files |= {f"{key}/{member.name}": member for member in sorted(path.iterdir()) if member.is_file()}
        else:
            files[key] = path
    return files


def package_versions() -> dict[str, str]:
    """Python's version and those of :data:`PACKAGES` ("not installed" for one that is not)."""
    return dict(_installed_versions())


@cache
def _installed_versions() -> tuple[tuple[str, str], ...]:
    """Looked up once per process: importlib.metadata searches every folder of sys.path for each package
    (20 ms a manifest; a sweep writes two per gemeente in one process)."""
    versions = [("python", platform.python_version())]
    for name in PACKAGES:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, "not installed"))
    return tuple(versions)


def relative_to(value: str | Path, base: Path, project: Path) -> str:
    """``value`` relative to ``base`` when it is an absolute path inside ``project``, else unchanged."""
    path = Path(value)
    if not path.is_absolute() or not path.resolve().is_relative_to(project):
        return str(value)
    return os.path.relpath(path.resolve(), base.resolve())


def _relative_paths(value, base: Path, project: Path):
    """Data (a config, the extra fields of a command) with every absolute path inside the project
    relative to ``base``."""
    if isinstance(value, dict):
        return {key: _relative_paths(item, base, project) for key, item in value.items()}
    if isinstance(value, list):
        return [_relative_paths(item, base, project) for item in value]
    return relative_to(value, base, project) if isinstance(value, str) and os.path.isabs(value) else value


def build_manifest(config: Config, command: str, extra: dict | None = None) -> dict:
    """The manifest of a run (outputs are added by the writer once they exist); paths as the module
    docstring says, ``project`` still absolute until the writer knows the folder."""
    project = project_dir(config.source_file)
    files = {role: {"path": relative_to(path, project, project), "sha256": sha256(path), "bytes": path.stat().st_size}
             for role, path in input_files(config).items() if path is not None and path.is_file()}
    extra = _relative_paths(extra or {}, project, project)  # previous, round_dir, the overlay tables
    return {
        "tool": "aandacht",
        "command": command,
        "argv": [arg.replace(str(project) + os.sep, "") for arg in sys.argv],
        "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": package_versions(),
        "project": str(project),
        "inputs": files,
        "config": _relative_paths(config_as_dict(config), config.source_file.parent, project),
        **extra,
    }


def placed_manifest(manifest: dict, folder: Path) -> dict:
    """The manifest as written into ``folder``: ``project`` relative to the folder."""
    if "project" not in manifest:
        return manifest
    return {**manifest, "project": os.path.relpath(Path(manifest["project"]).resolve(), Path(folder).resolve())}


def resolve_paths(manifest: dict, folder: Path) -> dict:
    """A manifest read from ``folder`` with its paths absolute again: ``inputs`` and ``previous``
    from the project, the config's from the config's folder. A manifest without ``project``
    (written before paths were relative) holds absolute paths and is returned as it is."""
    if "project" not in manifest:
        return manifest
    project = (Path(folder) / manifest["project"]).resolve()
    inputs = {role: {**entry, "path": str(project / entry["path"])} for role, entry in manifest["inputs"].items()}
    resolved = {**manifest, "inputs": inputs}
    if manifest.get("previous"):
        resolved["previous"] = str(project / manifest["previous"])
    return resolved
