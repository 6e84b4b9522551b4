"""ruff and mypy --strict are part of the test suite, so CI fails when either does."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT, tool


def test_ruff_lint():
    done = subprocess.run(
        [tool("ruff"), "check", "src", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format():
    done = subprocess.run(
        [tool("ruff"), "format", "--check", "src", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict():
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "src/safesocial"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
