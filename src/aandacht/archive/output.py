"""Writing a run's outputs without ever losing an earlier result, also when runs overlap or die.

1. **Claim** (:func:`claim_target`, before any work): the run takes an exclusive operating-system
   lock on the hidden file ``.<name>.aandacht-lock`` next to the target (``flock`` on POSIX,
   ``msvcrt.locking`` on Windows), opened without following a symbolic link (:func:`_open_lock`).
   Of two runs for the same target exactly one gets it; the
   other is refused at once with one line. An existing target is refused unless ``force``.
2. **Write** (:func:`write_folder`): every file goes into the hidden folder
   ``.<name>.aandacht-staging``; only when all files are complete is it renamed to the target
   (atomic within one file system). With ``force`` an existing target is first renamed to
   ``<name>.replaced-<UTC time>`` (``-2``, ``-3``, ... when that name is taken): never deleted.
3. **Release**: the staging folder (if the run failed) and the lock file are removed.

The operating system drops the lock of a process that dies (power cut, ``kill -9``), so a
killed run cannot block the next one. Its left-overs (a lock file, a half-written staging
folder) are removed by the next run that claims a target in the same folder: it takes each
left-over's lock first, so the files of a run that is still going are never touched.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..errors import AandachtError, OutputError, expected_failures
from .manifest import placed_manifest, sha256

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

# The lock file is opened without following a symbolic link (O_NOFOLLOW): a link planted at its name
# would otherwise make aandacht write the lock's JSON into the file it points to. Windows has no
# O_NOFOLLOW; there a link is refused by looking first (:func:`_open_lock`).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

LOCK_SUFFIX = ".aandacht-lock"
STAGING_SUFFIX = ".aandacht-staging"
_LEFTOVER = re.compile(r"^\.(?P<name>.+)(\.aandacht-lock|\.aandacht-staging)$")
# A concurrent run may hold a left-over's lock for a moment while it removes it: retry that long.
_LOCK_ATTEMPTS, _LOCK_PAUSE = 5, 0.1
_HELD: set[int] = set()  # the descriptors of the locks this process holds


def _close_held_in_child() -> None:
    """In a process forked from this one (the maps' process of a herijking): close the descriptors of this
    process's locks, so that the child holds none of them (``flock`` belongs to the open file, which the
    child shares): when this process ends, even killed, the round folder is free, though the child may run
    a moment longer."""
    for fd in _HELD:
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_held_in_child)


def _lock_file(fd: int) -> bool:
    """Lock ``fd`` exclusively without waiting; False when another process holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, getattr(errno, "EDEADLOCK", -1)):
            return False
        raise
    return True


def _try_lock(path: Path) -> int | None:
    """Open ``path`` (created when absent) and lock it; the descriptor, or None when a running
    process holds the lock. Re-checks that the locked file is still the one at ``path``: a
    holder removes its lock file when it releases, and a lock on a removed file locks nothing."""
    while True:
        fd = _open_lock(path)
        if not _lock_file(fd):
            os.close(fd)
            return None
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(os.fstat(fd), current):
            _HELD.add(fd)
            return fd
        os.close(fd)


def _open_lock(path: Path) -> int:
    """Open (create when absent) the lock file at ``path`` for reading and writing, never through a
    symbolic link: ``O_NOFOLLOW`` where the system has it, else a link found at ``path`` is refused
    (OSError ELOOP)."""
    if not _NOFOLLOW and os.path.islink(path):
        raise OSError(errno.ELOOP, "it is a symbolic link", str(path))
    return os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | getattr(os, "O_BINARY", 0), 0o666)


def _remove_staging(staging: Path) -> bool:
    """Remove a left-over staging folder; a symbolic link at its name is removed itself, never
    followed. True when something was removed."""
    if staging.is_symlink():
        staging.unlink()
        return True
    if staging.exists():
        shutil.rmtree(staging)
        return True
    return False


def _unlock(fd: int, path: Path) -> None:
    """Remove the lock file and release its lock (on POSIX while still holding it, so that no
    other run can lock the old file in between; Windows cannot remove an open file, so there
    the file is removed after closing, when no other run has it open)."""
    _HELD.discard(fd)
    try:
        if fcntl is not None:
            path.unlink(missing_ok=True)
        os.close(fd)
        fd = None
        if fcntl is None:
            path.unlink(missing_ok=True)
    except OSError:  # read-only now, or (Windows) open in another run: the next run's sweep removes it
        pass
    finally:
        if fd is not None:
            os.close(fd)


def _holder(path: Path) -> str:
    """Who holds the lock at ``path``, from what the holder wrote into it."""
    try:
        owner = json.loads(path.read_text(encoding="utf-8"))
        return f"process {owner['pid']} on {owner['host']}, started {owner['started_utc']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "starting up"


@dataclass
class Claim:
    """The exclusive right to write ``target`` (see the module docstring); ``cleaned`` lists the
    left-overs of interrupted runs that were removed while claiming."""

    target: Path
    force: bool
    cleaned: list[Path] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)  # folders made for the target, removed again if nothing is written
    fd: int | None = None
    done: bool = False

    @property
    def lock(self) -> Path:
        return self.target.parent / f".{self.target.name}{LOCK_SUFFIX}"

    @property
    def staging(self) -> Path:
        return self.target.parent / f".{self.target.name}{STAGING_SUFFIX}"

    def release(self) -> None:
        """Remove the staging folder (a failed run), the lock, and, when nothing was written, the
        folders made for the target; idempotent. What cannot be removed (a disk that turned
        read-only) is left for the next run's sweep."""
        if self.fd is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            _unlock(self.fd, self.lock)
            self.fd = None
        if not self.done:
            for folder in reversed(self.created):
                try:
                    folder.rmdir()
                except OSError:
                    break
        self.created = []


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created, outermost first."""
    missing = [p for p in [folder, *folder.parents] if not p.exists()][::-1]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}: cannot create the output folder ({error.strerror or error})") from None
    return missing


def _sweep(parent: Path, own: str) -> list[Path]:
    """Remove the left-overs of runs that ended without finishing, in ``parent`` (module docstring)."""
    cleaned = []
    names = {m["name"] for entry in os.scandir(parent) if (m := _LEFTOVER.match(entry.name))} - {own}
    for name in sorted(names):
        lock = parent / f".{name}{LOCK_SUFFIX}"
        try:
            fd = _try_lock(lock)
        except OSError:  # another user's, or unreadable: not ours to clean
            continue
        if fd is None:
            continue  # a run is writing that target now
        staging = parent / f".{name}{STAGING_SUFFIX}"
        try:
            if _remove_staging(staging):
                cleaned.append(staging)
        except OSError:
            pass  # not ours to remove (another user's folder): left as it is
        finally:
            _unlock(fd, lock)
    return cleaned


def claim_target(target: Path, force: bool) -> Claim:
    """Claim ``target`` before the work starts (module docstring): refuse it when another run
    holds it, or when it exists and ``force`` is not given."""
    target = Path(target)
    if target.name in ("", ".", ".."):
        raise OutputError(f"{target}: name a new folder for the output, not {str(target)!r}")
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder")
    if target.exists() and not force:
        raise OutputError(f"{target}: output folder already exists; choose another --out or pass --force to move it aside")
    claim = Claim(target, force, created=_make_parents(target.parent))
    try:
        for _ in range(_LOCK_ATTEMPTS):
            claim.fd = _try_lock(claim.lock)
            if claim.fd is not None:
                break
            time.sleep(_LOCK_PAUSE)
    except OSError as error:
        claim.release()
        reason = ("it is a symbolic link, which aandacht does not follow; remove it" if error.errno == errno.ELOOP
                  else error.strerror or error)
        raise OutputError(f"{claim.lock}: cannot create the lock file of the output folder ({reason})") from None
    if claim.fd is None:
        raise OutputError(f"{target}: another aandacht run ({_holder(claim.lock)}) is writing this folder; "
                          "wait until it has finished")
    try:
        os.ftruncate(claim.fd, 0)
        os.write(claim.fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "argv": sys.argv,
                                       "started_utc": datetime.now(timezone.utc).isoformat(timespec="seconds")}).encode())
        if _remove_staging(claim.staging):  # a run for this target that was killed: we hold its lock now
            claim.cleaned.append(claim.staging)
        claim.cleaned += _sweep(target.parent, target.name)
        if target.exists() and not force:  # created between the first check and the lock
            raise OutputError(f"{target}: output folder already exists; choose another --out or pass --force to move it aside")
    except BaseException:
        claim.release()
        raise
    return claim


def _write_reason(error: BaseException) -> str:
    """Why a file could not be written: the system's reason of the ``OSError`` behind the failure
    (XlsxWriter's ``FileCreateError`` wraps it), else the writer's own message and error class
    (pyogrio's ``DataSourceError`` for a GeoPackage on a full disk)."""
    seen = error
    while seen is not None and not isinstance(seen, OSError):
        inner = [a for a in getattr(seen, "args", ()) if isinstance(a, OSError)]
        seen = inner[0] if inner else seen.__cause__ or seen.__context__
    if seen is not None:
        return seen.strerror or str(seen) or type(seen).__name__
    return f"{' '.join(str(error).split()) or 'no further detail'}; {type(error).__name__}"


def _replaced_name(target: Path) -> Path:
    """``<name>.replaced-<UTC time>``, with ``-2``, ``-3``, ... when that name is taken."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    candidate = target.with_name(f"{target.name}.replaced-{stamp}")
    number = 2
    while candidate.exists():
        candidate = target.with_name(f"{target.name}.replaced-{stamp}-{number}")
        number += 1
    return candidate


def write_folder(target: Path, writers: dict[str, Callable[[Path], None]], manifest: dict, force: bool,
                 claim: Claim | None = None) -> Path | None:
    """Write ``writers`` (file name -> function writing that file) and ``manifest.json``
    into ``target`` atomically; return the path the old folder was moved to, if any.
    ``claim``: the claim taken before the work (:func:`claim_target`); without it the folder is
    claimed now and released when done."""
    own = claim is None
    claim = claim or claim_target(Path(target), force)
    target = claim.target
    try:
        claim.staging.mkdir()
        outputs = {}
        for name, write in [*writers.items(), ("manifest.json", None)]:
            path = claim.staging / name
            try:
                if write is None:
                    placed = placed_manifest(manifest, target)
                    text = json.dumps({**placed, "outputs": outputs}, indent=2, ensure_ascii=False) + "\n"
                    path.write_text(text, encoding="utf-8")
                else:
                    write(path)
                    outputs[name] = sha256(path)
            except AandachtError:
                raise
            except expected_failures() as error:
                raise OutputError(f"{target / name}: cannot be written ({_write_reason(error)}); "
                                  f"nothing was written and {target} is as it was") from None
        moved = None
        if target.exists():
            if not claim.force:
                raise OutputError(f"{target}: output folder appeared during the run; nothing was written")
            moved = _replaced_name(target)
            try:
                target.rename(moved)
            except OSError as error:
                raise OutputError(f"{target}: cannot move the old output aside ({error.strerror or error}); "
                                  "nothing was written") from None
        try:
            claim.staging.rename(target)
        except OSError as error:
            if moved is not None:
                moved.rename(target)
            raise OutputError(f"{target}: cannot move the finished output into place ({error.strerror or error}); "
                              "nothing was written") from None
        claim.done = True
        return moved
    finally:
        if own:
            claim.release()
