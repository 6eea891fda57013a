"""SHA-256 of files, and the check of a folder's files against the hashes its manifest records.

Every command records the SHA-256 of each file it writes in the folder's ``manifest.json``
(``outputs``); :func:`changed_outputs` says which of them are missing or differ. ``aandacht
verify`` reports them; a round read back (:func:`aandacht.rounds.record.read_round`) is refused
with them, so that a hand-edited round cannot pass its edits on unseen.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def changed_inputs(inputs: dict[str, dict]) -> list[tuple[str, Path, bool]]:
    """(role, path, missing) for every input of a manifest's ``inputs`` (role -> {path, sha256}) that
    is missing (``missing`` true) or whose SHA-256 differs from the recorded one."""
    changed = []
    for role, entry in inputs.items():
        path = Path(entry["path"])
        if not path.is_file():
            changed.append((role, path, True))
        elif sha256(path) != entry["sha256"]:
            changed.append((role, path, False))
    return changed


def changed_outputs(folder: Path, outputs: dict[str, str]) -> list[str]:
    """Every file of ``outputs`` (file name -> recorded SHA-256) that is missing from ``folder`` or
    whose SHA-256 differs (the file or the manifest was edited), as one line each."""
    problems = []
    for name, recorded_hash in outputs.items():
        path = Path(folder) / name
        if not path.is_file():
            problems.append(f"{name}: recorded in manifest.json but missing from the folder")
        elif sha256(path) != recorded_hash:
            problems.append(f"{name}: its SHA-256 differs from the one recorded in manifest.json "
                            "(the file or the manifest was edited)")
    return problems
