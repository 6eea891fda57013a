"""Benchmark: time and peak memory of reading hostile inputs under the size guard (issue 24, item 5).

Each file is read by ``read_table`` in a child process (its peak resident memory measured), and
must end in one line (a DataError) well under 1 GB:

1. a 5 kB workbook with one space typed in cell XFD1048576 (calamine asked for 512 GiB and aborted);
2. a 9 MB CSV whose header has a million columns (the CSV parser ran past 300 s at 3.9 GB);
3. a CSV with a cell of 150,000 characters (a csv module traceback);
4. a JSON table over ``MAX_JSON_MB`` (a 188 MB Swing JSON ran past 300 s at 2.1 GB);
5. a JSON table under it with more than ``MAX_SHEET_CELLS`` cells;
6. a JSON table just under both limits (50 MB, 4.8 million cells), read whole: the largest a reader
   takes in.

A CSV of other gemeenten under the guard is ``bench_large_input.py --size-gb 0.18``.

    python benchmarks/bench_hostile_inputs.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = ("import resource, sys\nfrom pathlib import Path\nfrom aandacht.errors import AandachtError\n"
         "from aandacht.inputs.reading import read_table\n"
         "try:\n    read_table(Path(sys.argv[1])); line = 'read'\nexcept AandachtError as error:\n    line = str(error)\n"
         "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, line)\n")


def write_files(folder: Path) -> dict[str, Path]:
    import xlsxwriter

    files = {}
    far = folder / "far.xlsx"
    book = xlsxwriter.Workbook(far)
    sheet = book.add_worksheet("kwb")
    sheet.write_row(0, 0, ["gwb_code_10", "a_inw"])
    sheet.write(1048575, 16383, " ")
    book.close()
    files["xlsx, a space in XFD1048576"] = far
    wide = folder / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n1\n", encoding="utf-8")
    files["CSV, 1,000,000 header columns"] = wide
    cell = folder / "cell.csv"
    cell.write_text("area_code;naam\nWK008010;" + "x" * 150_000 + "\n", encoding="utf-8")
    files["CSV, a cell of 150,000 characters"] = cell
    for name, rows, row in (("JSON over MAX_JSON_MB", 3_300_000, lambda n: [f"BU{n:08d}", "2023", "12.5"]),
                            ("JSON of 6,000,000 cells", 1_000_000, lambda n: [n, 1, 2, 3, 4, 5]),
                            ("JSON under both limits", 1_600_000, lambda n: [f"BU{n:08d}", "2023", "12.5"])):
        path = folder / f"{rows}.json"
        with path.open("w", encoding="utf-8") as handle:  # streamed: the parent's peak memory is the child's start
            handle.write('{"headers": [' + ",".join(json.dumps({"name": f"k{k}"}) for k in range(len(row(0)))) + '], "rows": [')
            for start in range(0, rows, 100_000):
                handle.write(("," if start else "") + ",".join(json.dumps(row(n)) for n in range(start, min(rows, start + 100_000))))
            handle.write("]}")
        files[f"{name} ({path.stat().st_size / 1e6:.0f} MB)"] = path
    return files


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in write_files(Path(tmp)).items():
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True)
            seconds = time.perf_counter() - start
            peak = next((line for line in result.stdout.splitlines() if line.startswith("PEAK")), "PEAK 0 " + result.stderr[-200:])
            _, rss, line = peak.split(" ", 2)
            print(f"{label:<42} exit {result.returncode}  {seconds:5.1f} s  peak {int(rss) / 1024:6.0f} MiB  | "
                  f"{line.replace(str(path), path.name)[:110]}")


if __name__ == "__main__":
    main()
