"""benchmarks/bench_coinr.py times COINr in the same run when R and COINr are installed, and says
so when it falls back to the figure recorded on the development machine (a fake Rscript stands in
for R here: COINr's own run takes a minute and a half)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_coinr.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_coinr", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_rscript(folder: Path, probe_exit: int, output: str = "") -> str:
    """An Rscript that fails or passes the `library(COINr)` probe and prints ``output`` for the run."""
    script = folder / "Rscript"
    script.write_text(f'#!/bin/sh\nif [ "$1" = "-e" ]; then exit {probe_exit}; fi\nprintf "{output}"\n', encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def test_without_r_the_recorded_figure_is_used_and_named(bench, tmp_path, monkeypatch):
    monkeypatch.setattr(bench.shutil, "which", lambda name: None)
    assert bench.coinr_ua_seconds(tmp_path) == (
        93.0, "recorded on the development machine (Rscript not found: R is not installed here)")


def test_without_coinr_the_recorded_figure_is_used_and_named(bench, tmp_path, monkeypatch):
    rscript = fake_rscript(tmp_path, probe_exit=1)
    monkeypatch.setattr(bench.shutil, "which", lambda name: rscript)
    assert bench.coinr_ua_seconds(tmp_path) == (
        93.0, "recorded on the development machine (the R package COINr is not installed here)")


def test_with_r_and_coinr_the_run_is_timed_now(bench, tmp_path, monkeypatch):
    rscript = fake_rscript(tmp_path, probe_exit=0, output="CORE UA N=1000 elapsed 91.25 s\\n")
    monkeypatch.setattr(bench.shutil, "which", lambda name: rscript)
    seconds, origin = bench.coinr_ua_seconds(tmp_path)
    assert 0 < seconds < 30  # the fake's wall time, not the recorded 93 s
    assert origin == "timed in this run (Rscript coinr_ua.R, whole process; get_sensitivity alone 91.2 s)"
