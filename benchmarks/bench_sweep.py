"""Sweep: ``aandacht init`` + ``check`` + ``herijking`` for every gemeente of 2023.

Run by hand (not part of the tests)::

    python benchmarks/bench_sweep.py [--workers 2] [--only GM0014,GM0080] [--maps] [--boundaries DIR] [--out sweep.csv]

Each gemeente runs in a fresh temporary folder, in a child process, with the commands a user types
(``aandacht init CODE DIR``, then ``aandacht check`` and ``aandacht herijking --round 2026 --no-maps``
in DIR; with ``--maps`` the herijking draws its maps and report too). Reported per gemeente: the level
and the number of units ranked, the exit codes, the seconds, the warnings printed and the last error line;
whether the round has its report (``rapport.html``, page 1 included), how many maps, how many Plus-IKCs,
the share of ranked-level areas with a published name (``name_source`` of the project's areas.csv) and
whether any command printed a traceback. With ``--boundaries DIR`` a gemeente whose boundary file
``DIR/<code>-<level>en.<ext>`` exists (the name ``aandacht fetch boundaries`` gives its GeoPackages, wijken
or buurten; any format ``init --boundaries`` reads) is initialised with ``--boundaries`` and that level. A gemeente that ``init`` refuses with a reason (too few areas to rank) is
counted apart from failures; a failure is any other non-zero exit of init, an exit 2 of check
(unusable data), any non-zero exit of the herijking, or a traceback. Goal: 0 failures.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import pandas as pd

from aandacht.inputs.national import gemeenten

REFUSED = "too few areas to rank"


TRACEBACKS: list[str] = []  # the commands (per process) that printed a traceback


def run(command: list[str], cwd: Path) -> tuple[int, str, float, list[str]]:
    """Exit code, last error line, seconds and the warning lines of one command (a traceback is remembered)."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    lines = (done.stderr + done.stdout).splitlines()
    if any(line.startswith("Traceback") for line in lines):
        TRACEBACKS.append(" ".join(command))
    errors = [line for line in lines if line.startswith("error")]
    return done.returncode, (errors[-1] if errors else ""), time.perf_counter() - start, [
        line for line in lines if line.startswith("warning")]


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


def sweep_one(code: str, maps: bool = False, boundaries: Path | None = None) -> dict:
    """init, check and herijking (with its maps and report when ``maps``) for one gemeente in a temporary folder."""
    row = {"code": code, "level": "", "ranked": "", "init": "", "check": "", "herijking": "", "seconds": 0.0,
           "warnings": "", "error": "", "boundaries": "", "report": False, "maps": 0, "plus_ikcs": "", "named": "",
           "traceback": False}
    TRACEBACKS.clear()
    found = boundary_file(boundaries, code)
    extra = ["--boundaries", str(found[0]), "--level", found[1]] if found else []
    row["boundaries"] = found[0].name if found else ""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        status, error, seconds, _ = run(["aandacht", "init", code, "project", *extra], root)
        row.update(init=status, seconds=seconds, error=error)
        if status != 0:
            row["outcome"] = "refused" if REFUSED in error else "failure"
            return row
        project = root / "project"
        status, error, seconds, _ = run(["aandacht", "check"], project)
        row.update(check=status, seconds=row["seconds"] + seconds, error=error)
        status, error, seconds, warnings = run(["aandacht", "herijking", "--round", "2026",
                                                *([] if maps else ["--no-maps"])], project)
        row.update(herijking=status, seconds=row["seconds"] + seconds, error=error or row["error"],
                   warnings=" | ".join(warnings))
        wijken = project / "rounds" / "2026" / "wijken.csv"
        if wijken.is_file():
            table = pd.read_csv(wijken, sep=";", decimal=",", encoding="utf-8-sig")
            row["ranked"] = int(table["rang"].notna().sum())
            config = next((project / "configs").glob("*.yaml")).read_text(encoding="utf-8")
            row["level"] = next(line.split(":")[1].strip() for line in config.splitlines() if line.startswith("level:"))
        row.update(round_package(project), traceback=bool(TRACEBACKS))
        row["outcome"] = ("ok" if row["check"] in (0, 1) and row["herijking"] == 0 and not TRACEBACKS
                          else "failure")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default=None, help="comma-separated gemeente codes (default: all 342)")
    parser.add_argument("--out", type=Path, default=Path("sweep.csv"))
    parser.add_argument("--maps", action="store_true", help="let the herijking draw its maps and report too")
    parser.add_argument("--boundaries", type=Path, default=None,
                        help="a folder of boundary files <code>-buurten.gpkg / <code>-wijken.gpkg (as aandacht fetch boundaries names them)")
    args = parser.parse_args()
    codes = args.only.split(",") if args.only else list(gemeenten()["area_code"])
    start = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        rows = []
        for number, row in enumerate(pool.map(partial(sweep_one, maps=args.maps, boundaries=args.boundaries), codes), 1):
            rows.append(row)
            print(f"{number:>3}/{len(codes)} {row['code']} {row['outcome']:<8} {row['level']:<6} {row['ranked']!s:>4} "
                  f"{row['seconds']:6.1f} s {row['error']} {row['warnings']}", flush=True)
    total = time.perf_counter() - start
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    table = pd.DataFrame(rows)
    counts = table["outcome"].value_counts().to_dict()
    print(f"gemeenten: {len(table)}; ok {counts.get('ok', 0)}, refused with a reason {counts.get('refused', 0)}, "
          f"failures {counts.get('failure', 0)}; total {total:.0f} s wall ({table['seconds'].sum():.0f} s of commands, "
          f"{args.workers} workers); levels: {table['level'].value_counts().to_dict()}; "
          f"gemeenten with warnings: {int((table['warnings'] != '').sum())}")
    done = table[table["outcome"] != "refused"]
    named = pd.to_numeric(done["named"], errors="coerce")
    print(f"of {len(done)} gemeenten with a round: report {done['report'].mean():.0%}, maps "
          f"{(done['maps'] > 0).mean():.0%}, Plus-IKCs {(pd.to_numeric(done['plus_ikcs'], errors='coerce') > 0).mean():.0%}, "
          f"every area named {(named == 1).mean():.0%} (areas named: {named.mean():.1%}), boundary files "
          f"{(done['boundaries'] != '').sum()}, tracebacks {int(done['traceback'].sum())}")
    ranked = pd.to_numeric(table["ranked"], errors="coerce")
    print(f"units ranked: median {ranked.median():.0f}, min {ranked.min():.0f}, max {ranked.max():.0f}; per gemeente in {args.out}")
    sys.exit(1 if counts.get("failure", 0) else 0)


if __name__ == "__main__":
    main()
