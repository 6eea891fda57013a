"""Shared by the benchmark scripts: time one step and print it as an aligned line."""

from __future__ import annotations

import time


def timed(label: str, function, *args, width: int = 42):
    """Call ``function(*args)``, print ``label`` and the seconds it took, return its result."""
    start = time.perf_counter()
    value = function(*args)
    print(f"{label:<{width}} {time.perf_counter() - start:7.3f} s")
    return value
