"""Benchmark: scoring 15,000 synthetic areas x 40 indicators up a 3-level hierarchy.

Target (issue 2): under 1 second for scoring on a 2-core machine. Also measures the
start-up time of ``aandacht --help`` (target under 0.3 s). Run by hand:

    python benchmarks/bench_score.py

The data are random numbers generated here (no real areas); they only exercise speed.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import numpy as np
import pandas as pd

from aandacht.config import Framework, Method
from aandacht.scoring import score

N_AREAS, N_INDICATORS, N_DOMAINS, N_SUBDOMAINS = 15_000, 40, 4, 2


def synthetic_framework() -> Framework:
    """index <- 4 domains <- 2 subdomains each <- 5 indicators each (40 indicators, 3 levels)."""
    nodes, indicators = [], []
    for d in range(N_DOMAINS):
        nodes.append({"id": f"d{d}", "label": f"domain {d}", "parent": "index", "weight": 1 + d % 2})
        for s in range(N_SUBDOMAINS):
            nodes.append({"id": f"d{d}s{s}", "label": f"sub {d}.{s}", "parent": f"d{d}", "weight": 1})
            for i in range(N_INDICATORS // (N_DOMAINS * N_SUBDOMAINS)):
                indicators.append({"id": f"i{d}{s}{i}", "label": "x", "parent": f"d{d}s{s}", "weight": 1 + i % 3,
                                   "direction": 1 if i % 2 else -1, "input": "synthetic", "variable": "x", "per": "inwoner"})
    return Framework.model_validate({"index": {"id": "index", "label": "index"}, "nodes": nodes, "indicators": indicators})


def synthetic_data(framework: Framework, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    columns = [i.id for i in framework.indicators]
    data = rng.lognormal(3, 0.8, size=(N_AREAS, len(columns)))
    data[rng.random(data.shape) < 0.05] = np.nan
    return pd.DataFrame(data, columns=columns, index=[f"A{i:05d}" for i in range(N_AREAS)])


def time_score(repeats: int = 5) -> list[float]:
    framework = synthetic_framework()
    raw = synthetic_data(framework)
    method = Method()
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        score(raw, framework, method)
        timings.append(time.perf_counter() - start)
    return timings


def time_help(repeats: int = 5) -> list[float]:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "aandacht.cli", "--help"], check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
    return timings


if __name__ == "__main__":
    scoring = time_score()
    print(f"score {N_AREAS} areas x {N_INDICATORS} indicators x 3 levels: "
          f"median {statistics.median(scoring):.3f} s (min {min(scoring):.3f}, max {max(scoring):.3f}); target < 1 s")
    startup = time_help()
    print(f"aandacht --help: median {statistics.median(startup):.3f} s (min {min(startup):.3f}); target < 0.3 s")
