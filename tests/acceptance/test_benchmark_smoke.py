"""The benchmark still runs (smoke mode: a tiny authority). Speed is never asserted here:
the numbers live in BENCHMARKS.md, measured on a quiet machine."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_benchmark_runs_in_smoke_mode(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--smoke", "--work", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if line.startswith("| smoke |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == "4"  # schools
    assert "start-up:" in done.stdout


def test_the_generator_is_deterministic(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    first = generate.generate(tmp_path / "a", smoke=True)
    second = generate.generate(tmp_path / "b", smoke=True)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
