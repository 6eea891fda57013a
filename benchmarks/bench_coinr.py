"""aandacht against COINr's recorded times on COINr's ASEM example (run by hand:
python benchmarks/bench_coinr.py [runs]).

Builds the ASEM project from ../shared/reference/coinr-asem (as the tests do), then runs the
whole ``aandacht sensitivity --draws 1000`` process, the way a user feels it (start-up, imports,
loading, scoring, 1,000 Monte Carlo draws plus the Sobol design, 6,000 model evaluations in
all, and writing the CSV and Excel files), several times, and prints the wall time against
COINr's recorded times on the 2-core development machine (README of the reference folder):
``get_sensitivity(SA_type = "UA", N = 1000)`` 93 s (1,000 model runs) and ``SA_type = "SA"``
694 s (6,000 model runs). The target is at least 100x faster than COINr's 93 s, i.e. under
0.93 s. The same uncertain inputs as COINr's run: treatment on/off, min-max [1, 100] or
z-score (10, 2), noisy weights (factor 0.25) on the pillars and sub-indices, arithmetic or
geometric mean.

Python's bytecode cache is allowed (``PYTHONDONTWRITEBYTECODE`` is removed from the child's
environment; the warm-up run fills ``__pycache__``): a user's ``pip install`` compiles the
package at install time, so recompiling aandacht's modules on every start would measure
something no user sees.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from coinr_asem import REFERENCE, UA_METHOD, UA_SPEC, build_project  # noqa: E402

COINR_UA_SECONDS = 93.0
COINR_SA_SECONDS = 694.0
TARGET_RATIO = 100.0


def main(runs: int = 7) -> None:
    if not (REFERENCE / "asem_imeta.csv").is_file():
        sys.exit(f"COINr reference outputs not found in {REFERENCE}")
    with tempfile.TemporaryDirectory() as folder:
        config = build_project(Path(folder) / "asem", method=UA_METHOD, uncertainty=UA_SPEC)
        def command(run: int) -> list[str]:  # a new output folder per run, as a user's default
            return [sys.executable, "-m", "aandacht.cli", "sensitivity", "--config", str(config), "--draws", "1000",
                    "--out", str(Path(folder) / f"out-{run}")]

        environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run(command(0), check=True, capture_output=True, env=environment)  # file cache and bytecode
        walls, cpus = [], []
        for run in range(1, runs + 1):
            before = os.times()
            start = time.perf_counter()
            subprocess.run(command(run), check=True, capture_output=True, env=environment)
            walls.append(time.perf_counter() - start)
            after = os.times()
            cpus.append(after.children_user - before.children_user + after.children_system - before.children_system)
    best, median = min(walls), statistics.median(walls)
    print(f"aandacht sensitivity, ASEM, 1,000 draws + Sobol (6,000 evaluations), whole process, {runs} runs")
    print(f"  wall: best {best:.2f} s, median {median:.2f} s; CPU (user + system): median {statistics.median(cpus):.2f} s")
    print(f"  load average during the runs: {os.getloadavg()[0]:.2f} (2 cores; other work inflates the wall time)")
    print(f"  against COINr UA (1,000 runs, {COINR_UA_SECONDS:.0f} s): {COINR_UA_SECONDS / median:.0f}x (median), "
          f"{COINR_UA_SECONDS / best:.0f}x (best); target {TARGET_RATIO:.0f}x = {COINR_UA_SECONDS / TARGET_RATIO:.2f} s")
    print(f"  against COINr UA + SA ({COINR_UA_SECONDS + COINR_SA_SECONDS:.0f} s for the same rank statistics and "
          f"Sobol indices): {(COINR_UA_SECONDS + COINR_SA_SECONDS) / median:.0f}x (median)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
