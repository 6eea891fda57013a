"""Benchmark: the commands an analyst runs before a bestuurlijk overleg, on the embedded data.

Runs each command as a new process (as a user does, start-up and imports included) in an
empty temporary folder, ``--repeat`` times, and prints the fastest and the median wall time and
the CPU time (user + system, all threads and processes) of the fastest run:

* ``aandacht herijking --round 2026``: score, robustness, designation, Plus-IKC choice, the
  round's tables, four maps (PNG, 200 dpi) and the report (HTML); target under 3 s; and the same
  with ``--pdf`` (the report's PDF too: the command of issue 23, target under 3 s median);
* the same after a first round 2024 (``--previous rounds/2024``, so the changes since the previous
  round are written too, and a fifth map): as it is (maps and report HTML), with ``--no-maps`` (tables,
  GeoPackage and workbook only) and with ``--pdf`` (maps, report and its PDF: the command of issue 23;
  target under 3 s median);
* ``aandacht map`` (three maps, PNG and PDF) and ``aandacht map --round-dir``; target under 2 s;
* ``aandacht report --round-dir``.

The machine's load average is printed first and after each command: other work on the machine slows
the wall times. Python's bytecode cache is allowed (``PYTHONDONTWRITEBYTECODE`` is removed from the
children's environment): ``pip install`` compiles the package, so no user recompiles it on every start.
Run by hand (not part of the tests)::

    python benchmarks/bench_presentation.py [--repeat 3] [--config configs/leiden.yaml]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"herijking": 3.0, "herijking --pdf": 3.0, "herijking --pdf (previous)": 3.0, "map": 2.0, "map --round-dir": 2.0}
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(args: list[str], folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the child) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "aandacht.cli", *args], cwd=folder, env=ENVIRONMENT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        sys.exit(f"aandacht {' '.join(args)} failed (exit {done.returncode}):\n{done.stderr}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="run only the command of this name, else those whose name starts with it "
                                       "(e.g. 'herijking')")
    parser.add_argument("--config", type=Path, default=None, help="a config with designation and selection")
    options = parser.parse_args()
    config = ["--config", str(options.config.resolve())] if options.config else []
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        run(["herijking", "--round", "2024", *config, "--rounds-dir", "rounds", "--no-maps"], folder)  # the previous round
        previous = ["herijking", "--round", "2026", *config, "--previous", "rounds/2024", "--rounds-dir", "rounds", "--force"]
        commands = {
            "herijking": ["herijking", "--round", "2026", *config, "--rounds-dir", "rounds", "--force"],
            "herijking --pdf": ["herijking", "--round", "2026", *config, "--rounds-dir", "rounds", "--force", "--pdf"],
            "herijking (previous)": previous,
            "herijking --no-maps (previous)": [*previous, "--no-maps"],
            "herijking --pdf (previous)": [*previous, "--pdf"],
            "map": ["map", *config, "--out", "kaarten", "--force"],
            "map --round-dir": ["map", "--round-dir", "rounds/2026", "--out", "kaarten-ronde", "--force"],
            "report --round-dir": ["report", "--round-dir", "rounds/2026", "--out", "rapport", "--force"],
        }
        chosen = [name for name in commands if not options.only or name == options.only] or \
            [name for name in commands if name.startswith(options.only)]
        for name, args in commands.items():
            if name not in chosen:
                continue
            runs = []
            for _ in range(options.repeat):
                runs.append(run(args, folder))
                for moved in folder.glob("**/*.replaced-*"):
                    shutil.rmtree(moved)
            wall, cpu = min(runs)
            median = statistics.median(w for w, _ in runs)
            target = f"  (target < {TARGETS[name]:g} s)" if name in TARGETS else ""
            print(f"aandacht {name:<30} wall {wall:5.2f} s (median of {len(runs)} {median:5.2f} s)  cpu {cpu:5.2f} s{target}"
                  f"  load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
