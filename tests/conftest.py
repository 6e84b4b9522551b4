from __future__ import annotations

import os
import shutil
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from safesocial.cli import main
from safesocial.packs import rules

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AS_OF = "2026-11-21"


def tool(name: str) -> str:
    """A command-line tool of the test extras: the one beside this interpreter, else one on
    PATH. Missing, it fails the test in CI (which must run it) and skips it elsewhere."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed, and CI must run it")
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


class Hung(BaseException):
    """Raised by `watchdog`: a BaseException, so that no guard in safesocial (a rule's
    IN900, the CLI's outer guard) can turn a hang into an ordinary error."""


@contextmanager
def watchdog(seconds: int) -> Iterator[None]:
    """Turn a hang in Python code into a failure rather than a stuck test run."""

    def stop(signum: int, frame: object) -> None:
        raise Hung(f"no answer within {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(autouse=True)
def _not_in_github_actions(monkeypatch):
    # Run inside GitHub Actions, the CLI would add annotations to stdout and append to
    # the job summary; tests that want that set these variables themselves.
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    # A cached result would hide what a test changed in-process (a patched rule, a
    # monkeypatched loader); tests/unit/test_cache.py turns the cache back on where it tests it.
    monkeypatch.setenv("SAFESOCIAL_NO_CACHE", "1")


@pytest.fixture(scope="session")
def builtin_rules():
    return rules.load_rules()


class Ran:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def run_cli(capsys):
    """Run the CLI in-process through `main`, the one place that sets exit codes."""

    def run(*args: str) -> Ran:
        code = main(list(args))
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run


@pytest.fixture
def cli_runner():
    return CliRunner()
