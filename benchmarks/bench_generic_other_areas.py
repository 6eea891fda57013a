"""Benchmark: peak memory and time of the ``generic`` loader on a ~180 MB CSV of other gemeenten
(issue 24: such a file took 5.9 GB before a MemoryError when every row was kept).

Writes a table in the generic layout (``gebied;<8 indicators>``, decimal commas): the Leeuwarden
wijken first, then rows of made-up wijk codes of other gemeenten until ``--size-mb``, and reads it
with ``other_areas: ignore`` in a child process (rows of codes the registry does not hold are
dropped per chunk while streaming), printing seconds and the child's peak resident memory.

    python benchmarks/bench_generic_other_areas.py [--size-mb 180]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import resource, sys
from pathlib import Path
from aandacht.config import InputSpec, TableLayout
from aandacht.inputs.areas import load_registry
from aandacht.inputs.sources import LOADERS
root = Path(sys.argv[2])
registry = load_registry(root / "data/leeuwarden/areas.csv", root / "data/leeuwarden/wijken.geojson")
layout = TableLayout(area_column="gebied", area_kind="code", unit="%")
spec = InputSpec(loader="generic", path=Path(sys.argv[1]), period="2023", source="s", table=layout,
                 other_areas="ignore", max_file_mb=2000)
loaded = LOADERS["generic"](spec, registry)
print(loaded.table["area_code"].nunique(), "areas;",
      "PEAK", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "MiB")
"""


def write_csv(path: Path, size_mb: float) -> int:
    columns = [f"ind{i}" for i in range(8)]
    row = ";".join(f"{10 + i},{i}" for i in range(8))
    rows = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write("gebied;" + ";".join(columns) + "\n")
        handle.write("".join(f"WK0080{w:02d};{row}\n" for w in (10, 50, 61, 74)))
        number = 0
        while handle.tell() < size_mb * 1024 * 1024:
            block = [f"WK{1000 + (number + i) // 100 % 9000:04d}{(number + i) % 100:02d};{row}" for i in range(100_000)]
            number += len(block)
            handle.write("\n".join(block) + "\n")
            rows += len(block)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=180)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "andere-gemeenten.csv"
        rows = write_csv(path, args.size_mb)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", CHILD, str(path), str(ROOT)], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        print(f"{path.stat().st_size / 2**20:.0f} MB, {rows:,} rows of other gemeenten: {seconds:.1f} s, "
              f"{(result.stdout or result.stderr).strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
