"""Sweep: ``aandacht init`` + ``check`` + ``herijking`` for every gemeente of 2023.

Run by hand (not part of the tests)::

    python benchmarks/bench_sweep.py [--workers 2] [--only GM0014,GM0080 | --sample 20] [--maps] [--boundaries DIR]
                                     [--processes] [--out sweep.csv]

Each gemeente runs in a fresh temporary folder with the commands a user types (``aandacht init CODE DIR``,
then ``aandacht check`` and ``aandacht herijking --round 2026 --no-maps`` in DIR; with ``--maps`` the
herijking draws its maps and report too), in one of two modes:

* default, in-process: ``--workers`` worker processes each import aandacht once and run the three commands
  of every gemeente they get through the CLI's own entry point (``aandacht.cli.main`` with the same
  arguments, in the project folder, output captured; a ``sys.exit`` is the exit code, an exception that
  escapes the CLI a printed traceback and exit 1, as in a process of its own). This measures the work of
  the commands, the national data read once per worker: the throughput of a sweep (every gemeente gets
  a round), not what one user's command costs. Each worker has a processor core of its own (the workers
  are the parallelism; a herijking then draws all its maps in its own process) and collects and freezes
  its heap after each gemeente (:func:`sweep_in_worker`), so that one gemeente leaves nothing to the next
  but the per-process caches of constant data;
* ``--processes``: every command is a child process (``aandacht ...``, as a user runs it), so the figure
  includes the interpreter's start and the imports of every command (about 1 s of each).

The summary gives the wall time, the CPU time of every process the sweep started and the load average at
its start (the machine may be shared: CPU seconds compare across runs, wall seconds only on a quiet machine).

Both modes judge a gemeente alike. Reported per gemeente: the level and the number of units ranked, the
exit codes, the seconds, the warnings printed and the last error line; whether the round has its report
(``rapport.html``, page 1 included), how many maps, how many Plus-IKCs, the share of ranked-level areas
with a published name (``name_source`` of the project's areas.csv), whether any command printed a traceback,
and a digest of what the commands wrote that does not vary between runs (the project's config and data,
the CSV files of ``check`` and of the round, ``ronde.json``): two runs, of either mode, agree on it gemeente
by gemeente. With ``--boundaries DIR`` a gemeente whose boundary file ``DIR/<code>-<level>en.<ext>`` exists
(the name ``aandacht fetch boundaries`` gives its GeoPackages, wijken or buurten; any format
``init --boundaries`` reads) is initialised with ``--boundaries`` and that level. A gemeente that ``init``
refuses with a reason (too few areas to rank) is counted apart from failures; a failure is any other
non-zero exit of init, an exit 2 of check (unusable data), any non-zero exit of the herijking, or a
traceback. Goal: 0 failures. ``--sample N`` runs every k-th gemeente (N of them, spread over the list).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import hashlib
import io
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import pandas as pd

from aandacht.inputs.national import gemeenten

REFUSED = "too few areas to rank"


def run_process(command: list[str], cwd: Path) -> tuple[int, str, str]:
    """``aandacht ARGS`` as a child process in ``cwd``: exit code, stderr, stdout."""
    done = subprocess.run(["aandacht", *command], cwd=cwd, capture_output=True, text=True)
    return done.returncode, done.stderr, done.stdout


def run_in_process(command: list[str], cwd: Path) -> tuple[int, str, str]:
    """``aandacht ARGS`` through the CLI's entry point in this process, in ``cwd``: exit code, stderr,
    stdout. As in a child process, a ``sys.exit`` gives the exit code, an exception that escapes the
    CLI (``aandacht.cli`` turns expected failures into one line and exit 2) is printed as a traceback
    with exit 1, and the warnings filters are those of the command alone."""
    from aandacht.cli import main

    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            try:
                code = main(command, prog_name="aandacht", standalone_mode=False) or 0
            except SystemExit as end:
                code = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
            except Exception as error:  # noqa: BLE001  (what a user's process prints before it exits with 1)
                if hasattr(error, "exit_code") and hasattr(error, "show"):  # a click usage error: exit 2
                    error.show()
                    code = error.exit_code
                else:
                    traceback.print_exc()
                    code = 1
    finally:
        os.chdir(here)
    return code, err.getvalue(), out.getvalue()


def run(runner, command: list[str], cwd: Path) -> tuple[int, str, float, list[str], bool]:
    """Exit code, last error line, seconds, the warning lines of one command and whether it printed a traceback."""
    start = time.perf_counter()
    code, stderr, stdout = runner(command, cwd)
    lines = (stderr + stdout).splitlines()
    errors = [line for line in lines if line.startswith("error")]
    return (code, (errors[-1] if errors else ""), time.perf_counter() - start,
            [line for line in lines if line.startswith("warning")], any(line.startswith("Traceback") for line in lines))


def boundary_file(folder: Path | None, code: str) -> tuple[Path, str] | None:
    """The gemeente's boundary file in ``folder`` and its level (buurten preferred), or None."""
    for level in ("buurt", "wijk"):
        for path in sorted(folder.glob(f"{code}-{level}en.*")) if folder else []:
            return path, level
    return None


def round_package(project: Path) -> dict:
    """What the round of 2026 holds for the overleg: report, maps, Plus-IKCs and the share of named areas."""
    folder = project / "rounds" / "2026"
    package = {"report": (folder / "rapport.html").is_file(), "maps": len(list(folder.glob("kaart-*.png"))),
               "plus_ikcs": "", "named": ""}
    if (folder / "ronde.json").is_file():
        package["plus_ikcs"] = len(json.loads((folder / "ronde.json").read_text(encoding="utf-8"))["plus_ikcs"])
    areas = next((project / "data").rglob("areas.csv"), None)
    if areas is not None:
        registry = pd.read_csv(areas, dtype=str, keep_default_na=False)
        if "name_source" in registry.columns and package["report"]:
            level = registry[registry["area_code"].isin(pd.read_csv(
                folder / "wijken.csv", sep=";", dtype=str, encoding="utf-8-sig")["gebiedscode"])]
            package["named"] = round(float((~level["name_source"].str.startswith("geen publieke naam")).mean()), 3)
    return package


def written_digest(project: Path) -> str:
    """SHA-256 (first 12 hex digits) of the files the commands wrote that do not vary between runs: the
    config and data ``init`` wrote, the CSV files of ``check`` and of the round, and ``ronde.json`` (not the
    manifests, workbooks, report and maps, which hold the time of the run)."""
    files = [*project.glob("configs/*"), *project.rglob("data/**/*"), *project.glob("aandacht-output/check-*/*.csv"),
             *project.glob("rounds/2026/*.csv"), *project.glob("rounds/2026/ronde.json")]
    digest = hashlib.sha256()
    for path in sorted(path for path in files if path.is_file()):
        name = path.relative_to(project).as_posix()  # check's folder is named after the time: check/<file>
        digest.update((f"check/{path.name}" if name.startswith("aandacht-output/") else name).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def sweep_one(code: str, maps: bool = False, boundaries: Path | None = None, processes: bool = False) -> dict:
    """init, check and herijking (with its maps and report when ``maps``) for one gemeente in a temporary folder."""
    runner = run_process if processes else run_in_process
    row = {"code": code, "level": "", "ranked": "", "init": "", "check": "", "herijking": "", "seconds": 0.0,
           "warnings": "", "error": "", "boundaries": "", "report": False, "maps": 0, "plus_ikcs": "", "named": "",
           "traceback": False, "digest": ""}
    found = boundary_file(boundaries, code)
    extra = ["--boundaries", str(found[0]), "--level", found[1]] if found else []
    row["boundaries"] = found[0].name if found else ""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        status, error, seconds, _, traced = run(runner, ["init", code, "project", *extra], root)
        row.update(init=status, seconds=seconds, error=error, traceback=traced)
        if status != 0:
            row["outcome"] = "refused" if REFUSED in error and not traced else "failure"
            return row
        project = root / "project"
        status, error, seconds, _, traced = run(runner, ["check"], project)
        row.update(check=status, seconds=row["seconds"] + seconds, error=error, traceback=row["traceback"] or traced)
        status, error, seconds, warnings, traced = run(runner, ["herijking", "--round", "2026",
                                                                *([] if maps else ["--no-maps"])], project)
        row.update(herijking=status, seconds=row["seconds"] + seconds, error=error or row["error"],
                   warnings=" | ".join(warnings), traceback=row["traceback"] or traced)
        wijken = project / "rounds" / "2026" / "wijken.csv"
        if wijken.is_file():
            table = pd.read_csv(wijken, sep=";", decimal=",", encoding="utf-8-sig")
            row["ranked"] = int(table["rang"].notna().sum())
            config = next((project / "configs").glob("*.yaml")).read_text(encoding="utf-8")
            row["level"] = next(line.split(":")[1].strip() for line in config.splitlines() if line.startswith("level:"))
        row.update(round_package(project), digest=written_digest(project))
        row["outcome"] = ("ok" if row["check"] in (0, 1) and row["herijking"] == 0 and not row["traceback"]
                          else "failure")
    return row


def sweep_in_worker(code: str, maps: bool = False, boundaries: Path | None = None) -> dict:
    """:func:`sweep_one` in an in-process worker, then what its commands left in reference cycles
    (matplotlib's figures, pandas frames) collected at once and what survives (the national data and
    other per-process caches) frozen (:func:`gc.freeze`), as the console script freezes its heap when
    a command ends: with the collector's settings of :func:`start_worker` the oldest generation was
    rarely collected, so a worker grew to 1.2 GB in a full sweep and a gemeente took about 18% more CPU;
    so it stays at about 430 MB, and each collection, skipping the frozen heap, takes 0.00-0.06 s
    instead of the 0.1-0.24 s of collecting everything each time."""
    try:
        return sweep_one(code, maps, boundaries)
    finally:
        gc.collect()
        gc.freeze()


def start_worker(started) -> None:
    """A worker of the in-process mode: the collector settings of ``aandacht``'s console script
    (:func:`aandacht.cli.run`; without its final :func:`gc.freeze`, which is for a process that ends),
    and one processor core of its own (the n-th worker the n-th core, round the available ones): the
    workers are the sweep's parallelism, so a herijking draws its maps in its own process
    (:func:`aandacht.present.drawing.draw_all` forks a second one only with two cores available)."""
    gc.set_threshold(50_000, 10, 10)
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    with started.get_lock():
        number, started.value = started.value, started.value + 1
    if cores:
        os.sched_setaffinity(0, {cores[number % len(cores)]})


def sample(codes: list[str], size: int | None) -> list[str]:
    """Every k-th code, ``size`` of them spread over the list (all when ``size`` is None or too large)."""
    if size is None or size >= len(codes):
        return codes
    return [codes[round(i * len(codes) / size)] for i in range(size)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default=None, help="comma-separated gemeente codes (default: all 342)")
    parser.add_argument("--sample", type=int, default=None, help="run N gemeenten spread over the list (every k-th)")
    parser.add_argument("--processes", action="store_true",
                        help="run every command as a child process, as a user runs it (default: in-process workers)")
    parser.add_argument("--out", type=Path, default=Path("sweep.csv"))
    parser.add_argument("--maps", action="store_true", help="let the herijking draw its maps and report too")
    parser.add_argument("--boundaries", type=Path, default=None,
                        help="a folder of boundary files <code>-buurten.gpkg / <code>-wijken.gpkg (as aandacht fetch boundaries names them)")
    args = parser.parse_args()
    codes = sample(args.only.split(",") if args.only else list(gemeenten()["area_code"]), args.sample)
    start, load = time.perf_counter(), os.getloadavg()[0]
    one = (partial(sweep_one, maps=args.maps, boundaries=args.boundaries, processes=True) if args.processes
           else partial(sweep_in_worker, maps=args.maps, boundaries=args.boundaries))
    with ProcessPoolExecutor(args.workers, initializer=None if args.processes else start_worker,
                             initargs=() if args.processes else (multiprocessing.Value("i", 0),)) as pool:
        rows = []
        for number, row in enumerate(pool.map(one, codes), 1):
            rows.append(row)
            print(f"{number:>3}/{len(codes)} {row['code']} {row['outcome']:<8} {row['level']:<6} {row['ranked']!s:>4} "
                  f"{row['seconds']:6.1f} s {row['error']} {row['warnings']}", flush=True)
    total = time.perf_counter() - start
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    table = pd.DataFrame(rows)
    counts = table["outcome"].value_counts().to_dict()
    mode = "child processes" if args.processes else "in-process"
    print(f"gemeenten: {len(table)}; ok {counts.get('ok', 0)}, refused with a reason {counts.get('refused', 0)}, "
          f"failures {counts.get('failure', 0)}; total {total:.0f} s wall, {used.ru_utime + used.ru_stime:.0f} s CPU "
          f"({table['seconds'].sum():.0f} s of commands, {args.workers} workers, {mode}, load average "
          f"{load:.2f} at the start); levels: {table['level'].value_counts().to_dict()}; "
          f"gemeenten with warnings: {int((table['warnings'] != '').sum())}")
    done = table[table["outcome"] != "refused"]
    named = pd.to_numeric(done["named"], errors="coerce")
    print(f"of {len(done)} gemeenten with a round: report {done['report'].mean():.0%}, maps "
          f"{(done['maps'] > 0).mean():.0%}, Plus-IKCs {(pd.to_numeric(done['plus_ikcs'], errors='coerce') > 0).mean():.0%}, "
          f"every area named {(named == 1).mean():.0%} (areas named: {named.mean():.1%}), boundary files "
          f"{(done['boundaries'] != '').sum()}, tracebacks {int(table['traceback'].sum())}")
    ranked = pd.to_numeric(table["ranked"], errors="coerce")
    print(f"units ranked: median {ranked.median():.0f}, min {ranked.min():.0f}, max {ranked.max():.0f}; per gemeente in {args.out}")
    sys.exit(1 if counts.get("failure", 0) else 0)


if __name__ == "__main__":
    main()
