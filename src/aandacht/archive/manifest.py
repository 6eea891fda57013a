"""The run manifest: what was run, on what, with which versions, when.

Written as ``manifest.json`` next to every output so a herijking can be reproduced and
defended years later: the full validated config, the SHA-256 of the config file and of
every input file (registry, geometry, inputs, location tables), the versions of Python
and the packages that compute the numbers, the command line and the time (UTC).
"""

from __future__ import annotations

import platform
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from ..config import Config, config_as_dict, named_paths
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
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def build_manifest(config: Config, command: str, extra: dict | None = None) -> dict:
    """The manifest of a run (outputs are added by the writer once they exist)."""
    files = {role: {"path": str(path), "sha256": sha256(path), "bytes": path.stat().st_size}
             for role, path in input_files(config).items() if path is not None and path.is_file()}
    return {
        "tool": "aandacht",
        "command": command,
        "argv": sys.argv,
        "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": package_versions(),
        "inputs": files,
        "config": config_as_dict(config),
        **(extra or {}),
    }
