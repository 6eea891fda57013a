"""Writing a run's outputs without ever losing an earlier result.

All files are first written into a fresh temporary folder next to the target; only
when every file is complete is that folder renamed to the target (a rename within one
file system is atomic). An existing target is never overwritten: without ``force`` the
run stops before computing anything is written; with ``force`` the old folder is first
renamed to ``<name>.replaced-<UTC time>``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from ..errors import OutputError
from .manifest import sha256


def check_target(target: Path, force: bool) -> None:
    """Refuse an existing target folder unless ``force`` (call before the work starts)."""
    if target.exists() and not force:
        raise OutputError(f"{target}: output folder already exists; choose another --out or pass --force to move it aside")
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder")


def write_folder(target: Path, writers: dict[str, Callable[[Path], None]], manifest: dict, force: bool) -> Path:
    """Write ``writers`` (file name -> function writing that file) and ``manifest.json``
    into ``target`` atomically; return the path the old folder was moved to, if any."""
    check_target(target, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes the folder private; give it normal rights
    try:
        outputs = {}
        for name, write in writers.items():
            write(staging / name)
            outputs[name] = sha256(staging / name)
        manifest = {**manifest, "outputs": outputs}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        moved = None
        if target.exists():
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
            moved = target.with_name(f"{target.name}.replaced-{stamp}")
            target.rename(moved)
        staging.rename(target)
        return moved
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
