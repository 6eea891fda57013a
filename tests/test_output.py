"""Output folders are claimed before the work, written atomically, never lost, also when runs
overlap, the disk fails or a run is killed (aandacht.archive.output)."""

import errno
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from aandacht.archive import output
from aandacht.archive.output import claim_target, write_folder
from aandacht.cli import main
from aandacht.errors import OutputError


def text_writer(text):
    return lambda path: path.write_text(text, encoding="utf-8")


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_second_claim_is_refused_while_the_first_holds(tmp_path):
    target = tmp_path / "2026"
    first = claim_target(target, force=False)
    try:
        with pytest.raises(OutputError, match=r"2026: another aandacht run \(process \d+ on .*, started .*\) is writing this folder"):
            claim_target(target, force=True)
    finally:
        first.release()
    second = claim_target(target, force=True)  # free again once released
    second.release()
    assert hidden(tmp_path) == [] and not target.exists()


def test_the_cli_refuses_a_concurrent_forced_run_with_one_line(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / "ranking.csv").write_text("keep")
    held = claim_target(out, force=True)
    try:
        result = CliRunner().invoke(main, ["score", "--out", str(out), "--force"])
    finally:
        held.release()
    assert result.exit_code == 2
    line = result.output.strip()
    assert "\n" not in line and line.startswith(f"error: {out}: another aandacht run (process {os.getpid()}")
    assert (out / "ranking.csv").read_text() == "keep" and sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def start(*args: str) -> subprocess.Popen:
    code = "import sys; from aandacht.cli import main; sys.exit(main())"
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_concurrent_herijking_runs_of_one_round_the_later_ones_are_refused(tmp_path):
    """The first run claims rounds/2026 before its seconds of work; runs started meanwhile, with
    or without --force, are refused at once, and no round is moved aside."""
    rounds = tmp_path / "rounds"
    args = ["herijking", "--round", "2026", "--rounds-dir", str(rounds)]
    first = start(*args)
    deadline = time.monotonic() + 120
    while not (rounds / ".2026.aandacht-lock").exists():
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()
        time.sleep(0.05)
    later = [start(*args), start(*args, "--force")]
    results = [(run.wait(timeout=300), *run.communicate()) for run in [first, *later]]
    assert results[0][0] == 0, results[0]
    for code, _, err in results[1:]:
        assert code == 2 and err.count("\n") == 1, err
        assert err.startswith(f"error: {rounds / '2026'}: another aandacht run (process {first.pid} on ")
    assert sorted(os.listdir(rounds)) == ["2026"]  # nothing moved aside, nothing left over


def test_force_never_loses_a_folder_even_within_one_second(tmp_path, monkeypatch):
    class Frozen(output.datetime):
        @classmethod
        def now(cls, tz=None):
            return output.datetime(2026, 3, 1, 12, 0, 0, tzinfo=tz)

    monkeypatch.setattr(output, "datetime", Frozen)
    target = tmp_path / "2026"
    for number in range(4):
        write_folder(target, {"n.txt": text_writer(str(number))}, {}, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "2026", "2026.replaced-20260301T120000", "2026.replaced-20260301T120000-2", "2026.replaced-20260301T120000-3"]
    assert [(tmp_path / name / "n.txt").read_text() for name in sorted(os.listdir(tmp_path))] == ["3", "0", "1", "2"]


def test_a_full_disk_leaves_the_previous_output_and_no_litter(tmp_path):
    target = tmp_path / "2026"
    write_folder(target, {"a.txt": text_writer("old")}, {}, force=False)

    def full(path):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    with pytest.raises(OutputError, match=r"2026/b.txt: cannot be written \(No space left on device\); nothing was written and .*2026 is as it was"):
        write_folder(target, {"a.txt": text_writer("new"), "b.txt": full}, {}, force=True)
    assert (target / "a.txt").read_text() == "old" and sorted(os.listdir(tmp_path)) == ["2026"]


def test_a_read_only_output_disk_is_one_line_before_any_work(tmp_path, monkeypatch):
    real_mkdir = Path.mkdir

    def read_only(self, *args, **kwargs):
        if self.name == "deep":
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    result = CliRunner().invoke(main, ["score", "--out", str(tmp_path / "deep" / "o")])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {tmp_path / 'deep'}: cannot create the output folder (Read-only file system)"


def test_a_failed_run_removes_the_folders_it_made_for_its_output(tmp_path):
    claim = claim_target(tmp_path / "a" / "b" / "out", force=False)
    assert (tmp_path / "a" / "b").is_dir()
    claim.release()
    assert os.listdir(tmp_path) == []


KILLED_RUN = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from aandacht.archive.output import claim_target
    claim = claim_target(Path(sys.argv[1]), force=False)
    claim.staging.mkdir()
    (claim.staging / "ranking.csv").write_text("half")
    os.kill(os.getpid(), signal.SIGKILL)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_left_overs_of_a_killed_run_are_removed_by_the_next_run(tmp_path):
    killed = subprocess.run([sys.executable, "-c", KILLED_RUN, str(tmp_path / "score-1")], capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    assert hidden(tmp_path) == [".score-1.aandacht-lock", ".score-1.aandacht-staging"]
    claim = claim_target(tmp_path / "score-2", force=False)  # another target in the same folder
    assert claim.cleaned == [tmp_path / ".score-1.aandacht-staging"]
    assert hidden(tmp_path) == [".score-2.aandacht-lock"]
    claim.release()
    assert hidden(tmp_path) == []


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_the_cli_says_it_removed_the_left_overs_of_the_same_target(tmp_path):
    out = tmp_path / "o"
    subprocess.run([sys.executable, "-c", KILLED_RUN, str(out)], capture_output=True)
    result = CliRunner().invoke(main, ["score", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"onafgemaakte uitvoer van een afgebroken run verwijderd: {tmp_path / '.o.aandacht-staging'}" in result.output
    assert hidden(tmp_path) == [] and (out / "ranking.csv").read_text(encoding="utf-8-sig").startswith("rang;")


def test_left_overs_of_a_running_run_are_never_touched(tmp_path):
    running = claim_target(tmp_path / "busy", force=False)
    running.staging.mkdir()
    (running.staging / "x.csv").write_text("being written")
    try:
        other = claim_target(tmp_path / "other", force=False)
        assert other.cleaned == [] and (running.staging / "x.csv").is_file()
        other.release()
    finally:
        running.release()


def test_the_lock_file_names_its_holder(tmp_path):
    claim = claim_target(tmp_path / "t", force=False)
    try:
        owner = json.loads(claim.lock.read_text(encoding="utf-8"))
        assert owner["pid"] == os.getpid() and owner["host"] and owner["started_utc"].endswith("+00:00")
    finally:
        claim.release()


@pytest.mark.parametrize("name", [".", ".."])
def test_the_output_must_name_a_folder(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match=f"name a new folder for the output, not '{re.escape(name)}'"):
        claim_target(Path(name), force=True)


def test_a_folder_that_cannot_hold_the_lock_is_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    real_open = os.open

    def denied(path, *args, **kwargs):
        if str(path).endswith(".aandacht-lock"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(OutputError, match=r"\.out\.aandacht-lock: cannot create the lock file of the output folder \(Permission denied\)"):
        claim_target(tmp_path / "new" / "out", force=False)
    assert os.listdir(tmp_path) == []


def test_a_workbook_or_geopackage_that_cannot_be_written_is_named(tmp_path, monkeypatch):
    """XlsxWriter raises its own FileCreateError (not an OSError) and pyogrio a DataSourceError: both
    name the file being written, in one line, and nothing is written."""
    import pandas as pd
    import pyogrio.errors
    import xlsxwriter.workbook

    from aandacht.present.tables import write_sheets

    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", full)  # XlsxWriter wraps it in FileCreateError

    def workbook(path):
        write_sheets({"ranking": pd.DataFrame({"a": [1]})}, path)

    with pytest.raises(OutputError, match=r"^.*2026/scores\.xlsx: cannot be written \(No space left on device\); nothing was written"):
        write_folder(tmp_path / "2026", {"scores.xlsx": workbook}, {}, force=False)

    def full_disk(path):
        raise pyogrio.errors.DataSourceError(f"{path}: sqlite3_exec(COMMIT) failed: database or disk is full")

    with pytest.raises(OutputError, match=r"2026/ronde\.gpkg: cannot be written \(.*disk is full; DataSourceError\)"):
        write_folder(tmp_path / "2026", {"a.txt": text_writer("a"), "ronde.gpkg": full_disk}, {}, force=False)

    def full_sqlite(path):  # the layer styles are written with sqlite3 after the layers
        import sqlite3

        raise sqlite3.OperationalError("database or disk is full")

    with pytest.raises(OutputError, match=r"2026/ronde\.gpkg: cannot be written \(database or disk is full; OperationalError\)"):
        write_folder(tmp_path / "2026", {"ronde.gpkg": full_sqlite}, {}, force=False)
    assert os.listdir(tmp_path) == []


def test_a_symlink_at_the_lock_or_staging_name_is_never_followed(tmp_path):
    """A link planted at .X.aandacht-lock made the lock's JSON overwrite the file it pointed to."""
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file", encoding="utf-8")
    (tmp_path / ".out.aandacht-lock").symlink_to(victim)
    with pytest.raises(OutputError, match=r"\.out\.aandacht-lock: cannot create the lock file of the output folder "
                                          r"\(it is a symbolic link, which aandacht does not follow; remove it\)"):
        claim_target(tmp_path / "out", force=False)
    assert victim.read_text(encoding="utf-8") == "the user's own file" and not (tmp_path / "out").exists()
    (tmp_path / ".out.aandacht-lock").unlink()
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "a.txt").write_text("kept", encoding="utf-8")
    (tmp_path / ".out.aandacht-staging").symlink_to(keep)  # a left-over staging name that is a link
    write_folder(tmp_path / "out", {"n.txt": text_writer("new")}, {}, force=False)
    assert (keep / "a.txt").read_text(encoding="utf-8") == "kept" and (tmp_path / "out" / "n.txt").is_file()


class FakeMsvcrt:
    """Windows' msvcrt.locking, played with flock: a held region raises OSError EACCES as Windows does."""

    LK_NBLCK = 2

    def __init__(self):
        self.calls = []

    def locking(self, fd, mode, size):
        import fcntl

        self.calls.append((mode, size, os.lseek(fd, 0, os.SEEK_CUR)))
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PermissionError(errno.EACCES, "Permission denied") from None


def test_the_windows_branch_locks_with_msvcrt_refuses_a_link_and_removes_the_lock_after_closing(tmp_path, monkeypatch):
    fake = FakeMsvcrt()
    monkeypatch.setattr(output, "fcntl", None)
    monkeypatch.setattr(output, "msvcrt", fake, raising=False)
    monkeypatch.setattr(output, "_NOFOLLOW", 0)  # Windows has no O_NOFOLLOW
    first = claim_target(tmp_path / "out", force=False)
    try:
        assert fake.calls == [(FakeMsvcrt.LK_NBLCK, 1, 0)]  # one byte, from the start of the file
        with pytest.raises(OutputError, match="another aandacht run .* is writing this folder"):
            claim_target(tmp_path / "out", force=False)
    finally:
        first.release()
    assert not first.lock.exists()  # removed after closing (Windows cannot remove an open file)
    victim = tmp_path / "victim.txt"
    victim.write_text("mine", encoding="utf-8")
    first.lock.symlink_to(victim)
    with pytest.raises(OutputError, match="it is a symbolic link, which aandacht does not follow"):
        claim_target(tmp_path / "out", force=False)
    assert victim.read_text(encoding="utf-8") == "mine"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_forked_process_does_not_hold_the_folders_lock(tmp_path):
    """The maps' process of a herijking is forked while the round folder is locked: the child closes the lock
    (archive.output's at-fork hook), so a new run can take the folder as soon as this process ends, even killed."""
    from aandacht.archive import output

    claim = claim_target(tmp_path / "rounds" / "2026", force=False)
    try:
        assert claim.fd in output._HELD
        pid = os.fork()
        if pid == 0:  # the child: its copy of the lock's descriptor is closed
            try:
                os.fstat(claim.fd)
                os._exit(1)
            except OSError:
                os._exit(0 if not output._HELD else 2)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0 and claim.fd in output._HELD
    finally:
        claim.release()
    assert not output._HELD
