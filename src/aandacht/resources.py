"""Where the embedded default data and configs are.

In an installed wheel they live inside the package (``aandacht/_embedded``); in a source
checkout they are the repository's top-level ``data/`` and ``configs/`` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_EMBEDDED = _PACKAGE_DIR / "_embedded"
_SOURCE_ROOT = _PACKAGE_DIR.parent.parent


def embedded_root() -> Path:
    """Return the folder holding ``data/`` and ``configs/`` for this installation."""
    if (_EMBEDDED / "configs").is_dir():
        return _EMBEDDED
    if (_SOURCE_ROOT / "pyproject.toml").is_file() and (_SOURCE_ROOT / "configs").is_dir():
        return _SOURCE_ROOT
    raise FileNotFoundError(
        f"embedded data not found in {_EMBEDDED} or {_SOURCE_ROOT}; reinstall aandacht with 'pip install .'"
    )


def default_config_path() -> Path:
    """Return the path of the default config (Leeuwarden)."""
    return embedded_root() / "configs" / "leeuwarden.yaml"
