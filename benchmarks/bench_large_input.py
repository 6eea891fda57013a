"""Benchmark: peak memory and time of reading a ~1 GB CSV input (issue 16, item 8).

Writes a synthetic file in the layout of the CBS ``kwb-2023`` download (16 columns, the real
Leeuwarden rows of data/leeuwarden/kwb-2023.csv first, then millions of rows of made-up codes
of other areas), and runs the default Leeuwarden config on it through ``aandacht score`` in a
child process, measuring the child's peak resident memory:

1. with the default size guard (``max_file_mb: 200``): refused at once with one line;
2. with ``max_file_mb: 2000`` and ``other_areas: ignore``: only the columns the config needs and
   only the rows of the registry's areas are kept while the file is streamed.

    python benchmarks/bench_large_input.py [--size-gb 1.0] [--keep PATH]

The file is written to a temporary folder (or ``--keep PATH``) and removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
KWB = ROOT / "data" / "leeuwarden" / "kwb-2023.csv"


def write_big_csv(path: Path, size_bytes: int) -> int:
    """The real Leeuwarden rows, then synthetic rows (codes BU9xxxxxxx) until ``size_bytes``; returns the rows."""
    lines = KWB.read_text(encoding="utf-8").splitlines()
    header, real = lines[0], lines[1:]
    template = real[1].split(",")  # a wijk row: its values are reused, the code changes
    rows = len(real)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(header + "\n" + "\n".join(real) + "\n")
        block = []
        number = 0
        while handle.tell() < size_bytes:
            for _ in range(100_000):
                number += 1
                block.append(f"BU9{number:07d},Elders," + ",".join(template[2:]))
            handle.write("\n".join(block) + "\n")
            rows += len(block)
            block.clear()
    return rows


def config_for(csv: Path, folder: Path, guard_mb: float | None) -> Path:
    """The default Leeuwarden config with kwb2023 pointing at ``csv`` (absolute paths)."""
    raw = yaml.safe_load((ROOT / "configs" / "leeuwarden.yaml").read_text(encoding="utf-8"))
    base = ROOT / "configs"
    raw["areas"] = {k: str((base / v).resolve()) for k, v in raw["areas"].items()}
    for spec in raw["inputs"].values():
        for key in ("path", "locations", "schools", "ovt_locations"):
            if spec.get(key):
                spec[key] = str((base / spec[key]).resolve())
    raw["ikc"] = {k: str((base / v).resolve()) for k, v in raw["ikc"].items()}
    raw["inputs"]["kwb2023"].update(path=str(csv), other_areas="ignore")
    if guard_mb is not None:
        raw["inputs"]["kwb2023"]["max_file_mb"] = guard_mb
    path = folder / f"config-{guard_mb}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def run_score(config: Path, out: Path) -> tuple[float, float, int, str]:
    """``aandacht score`` in a child process: seconds, peak RSS of the child (MiB), exit code, last line."""
    code = ("import resource, sys; from aandacht.cli import main\n"
            "try:\n    main()\nexcept SystemExit as stop:\n    code = stop.code\n"
            "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)\n")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code, "--allow-outside-paths", "score", "--config", str(config),
                             "--out", str(out)], capture_output=True, text=True, env=os.environ)
    seconds = time.perf_counter() - start
    peak = next(int(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("PEAK")) / 1024
    last = [line for line in (result.stderr + result.stdout).splitlines() if line.strip() and not line.startswith("PEAK")]
    return seconds, peak, result.returncode, (last[0] if result.returncode else last[-1])[:160]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gb", type=float, default=1.0)
    parser.add_argument("--keep", type=Path, default=None, help="write the CSV here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv = args.keep or folder / "kwb-national-synthetic.csv"
        start = time.perf_counter()
        rows = write_big_csv(csv, int(args.size_gb * 1e9))
        print(f"wrote {csv.stat().st_size / 1e9:.2f} GB, {rows:,} rows in {time.perf_counter() - start:.1f} s")
        for label, guard in (("default size guard (200 MB)", None), ("max_file_mb: 2000, other_areas: ignore", 2000)):
            seconds, peak, code, line = run_score(config_for(csv, folder, guard), folder / f"out-{guard}")
            print(f"{label:<42} exit {code}  {seconds:6.1f} s  peak {peak:7.0f} MiB  | {line}")


if __name__ == "__main__":
    main()
