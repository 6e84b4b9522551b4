"""Golden files for the report formats, shared by their test modules.

Each format's output for every example in examples/ is pinned in
tests/golden/<example>.<ext>. When a rule, an example or a reporter changes on purpose,
regenerate them and read the diff before committing it:

    SAFESOCIAL_UPDATE_GOLDEN=1 python -m pytest tests/acceptance

With the variable set, golden tests rewrite their files instead of comparing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from safesocial.cli import main
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
AS_OF = "2026-11-21"
UPDATE = os.environ.get("SAFESOCIAL_UPDATE_GOLDEN") == "1"
EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "school.yaml").is_file())
CLEAN = {"clean-primary"}


def render(name: str, fmt: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`safesocial check examples/NAME -o FMT` from the repository root: (exit code, stdout).

    Paths in the goldens are as a user at the repository root sees them, so the caller
    must have changed into ROOT (monkeypatch.chdir).
    """
    assert Path.cwd() == ROOT
    code = main(["check", f"examples/{name}", "--as-of", AS_OF, "-o", fmt])
    return code, capsys.readouterr().out


def compare(
    name: str, ext: str, actual: str, comparable: Callable[[str], object] = lambda text: text
) -> None:
    """Compare `actual` with tests/golden/NAME.EXT, or rewrite it when updating."""
    golden = GOLDEN / f"{name}.{ext}"
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8", newline="")
        return
    assert golden.is_file(), f"no golden {golden.name}: run with SAFESOCIAL_UPDATE_GOLDEN=1"
    with golden.open(encoding="utf-8", newline="") as fh:  # CRs are part of the output
        expected = fh.read()
    assert comparable(actual) == comparable(expected), (
        f"{name} no longer matches {golden.relative_to(ROOT)}; if the change is intended, "
        "regenerate with SAFESOCIAL_UPDATE_GOLDEN=1 and review the diff"
    )
