"""Benchmark of the Monte Carlo uncertainty analysis (run by hand: python benchmarks/bench_uncertainty.py).

Synthetic data (random, labelled as such): indicators in 5 domains under one index.
* small: 50 areas x 50 indicators, 1,000 draws (target well under 1 s); also the full
  Sobol analysis (draws x (2 + factors) evaluations) on that size.
* large: 15,000 areas x 40 indicators, 1,000 draws (target under 30 s), memory bounded by
  the batch size; peak Python memory measured with tracemalloc.
Each draw varies all weights (+-25%), min-max or percentile-rank normalisation and leaves one
indicator out.
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pandas as pd

from aandacht.config import Framework, Method, Uncertainty
from aandacht.scoring.uncertainty import analyse


def synthetic(areas: int, indicators: int, seed: int = 1) -> tuple[pd.DataFrame, Framework]:
    rng = np.random.default_rng(seed)
    raw = pd.DataFrame(rng.gamma(2.0, 1.0, size=(areas, indicators)), columns=[f"i{k}" for k in range(indicators)],
                       index=[f"SYN{k:05d}" for k in range(areas)])
    framework = Framework.model_validate({
        "index": {"id": "index", "label": "synthetic index"},
        "nodes": [{"id": f"d{k}", "label": f"domain {k}", "parent": "index"} for k in range(5)],
        "indicators": [{"id": f"i{k}", "label": f"i{k}", "parent": f"d{k % 5}", "direction": 1 if k % 3 else -1,
                        "input": "synthetic", "variable": f"i{k}", "per": "inwoner"} for k in range(indicators)],
    })
    return raw, framework


def run(areas: int, indicators: int, draws: int, sobol: bool) -> None:
    raw, framework = synthetic(areas, indicators)
    method = Method(treatment={"enabled": False})
    spec = Uncertainty(draws=draws, weight_noise={"indicators": 0.25, "nodes": 0.25},
                       normalisation=["minmax", "percentile_rank"], leave_one_out=True, bootstrap=100)
    tracemalloc.start()
    start = time.perf_counter()
    result = analyse(raw, framework, method, spec, sobol=sobol)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    label = "Monte Carlo + Sobol" if sobol else "Monte Carlo"
    print(f"{areas:>6} areas x {indicators} indicators, {draws} draws, {label}: {result.evaluations} evaluations "
          f"in {seconds:.2f} s (peak traced memory {peak / 2**20:.0f} MiB)")


if __name__ == "__main__":
    run(50, 50, 1000, sobol=False)
    run(50, 50, 1000, sobol=True)
    run(15000, 40, 1000, sobol=False)
