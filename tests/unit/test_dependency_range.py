"""The declared dependency range is the tested one: constraints/lowest.txt pins the bottom."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
LOWEST = ROOT / "constraints" / "lowest.txt"


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in LOWEST.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[name.strip().lower()] = version.strip()
    return pins


def test_every_runtime_dependency_is_pinned_at_its_lower_bound():
    declared = {}
    for spec in PYPROJECT["project"]["dependencies"]:
        found = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9.]*)", spec)
        assert found, f"{spec}: declare a lower bound with >= so CI can test it"
        declared[found.group(1).lower()] = found.group(2)
    assert _pins() == declared


def test_ci_runs_the_suite_with_the_lowest_versions():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "-c constraints/lowest.txt" in ci
