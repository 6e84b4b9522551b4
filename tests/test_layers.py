"""Imports run one way: cli -> (loader, engine, reporters) -> checks -> model, findings.

The engine never prints and never knows a reporter; checks never know the engine; the
model knows nothing above it. Read from the source with ast, so a forbidden import
fails here even when it would work at run time.
"""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

SRC = ROOT / "src" / "safesocial"

# module (or package) -> what it must never import
FORBIDDEN = {
    "findings": {"model", "checks", "rules", "engine", "loader", "reporters", "cli", "results"},
    # The one escaper and the one pattern matcher sit below everything that uses them.
    "text": {"findings", "model", "checks", "rules", "engine", "loader", "reporters", "cli"},
    "patterns": {"findings", "model", "checks", "rules", "engine", "loader", "reporters", "cli"},
    "errors": {"model", "checks", "rules", "engine", "loader", "reporters", "cli", "results"},
    "yamlio": {"model", "checks", "rules", "engine", "loader", "reporters", "cli", "results"},
    "yamlchars": {"model", "checks", "rules", "engine", "loader", "reporters", "cli", "results"},
    "yamlalias": {"model", "checks", "rules", "engine", "loader", "reporters", "cli", "results"},
    "inputfile": {"model", "checks", "rules", "engine", "loader", "reporters", "cli", "results"},
    "model": {"checks", "rules", "engine", "loader", "reporters", "cli", "results", "validate"},
    "validate": {"checks", "rules", "engine", "loader", "reporters", "cli"},
    "checks": {"rules", "engine", "loader", "reporters", "cli", "results", "cases"},
    "results": {"engine", "loader", "reporters", "cli", "rules"},
    "rules": {"engine", "loader", "reporters", "cli"},
    "loader": {"checks", "rules", "engine", "reporters", "cli"},
    "csvfile": {"model", "checks", "rules", "engine", "loader", "reporters", "cli", "results"},
    "breaks": {"engine", "loader", "reporters", "cli", "rich", "click"},
    "coverage": {"engine", "loader", "reporters", "cli", "rich", "click"},
    "engine": {"loader", "reporters", "cli", "rich", "click"},
    "reporters": {"engine", "loader", "cli", "click"},
}


def _imports(path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] == "safesocial":
                names.add(parts[1] if len(parts) > 1 else "")
                if len(parts) == 1:
                    names.update(alias.name for alias in node.names)
            else:
                names.add(parts[0])
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
    return names


def _files(unit: str):
    folder = SRC / unit
    return sorted(folder.glob("*.py")) if folder.is_dir() else [SRC / f"{unit}.py"]


@pytest.mark.parametrize("unit", sorted(FORBIDDEN))
def test_imports_run_one_way(unit):
    wrong = {
        f"{path.relative_to(SRC)} imports {name}"
        for path in _files(unit)
        for name in _imports(path) & FORBIDDEN[unit]
    }
    assert sorted(wrong) == []


def test_only_the_terminal_reporters_use_rich():
    users = sorted(
        p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py") if "rich" in _imports(p)
    )
    assert users == ["reporters/progress.py", "reporters/text.py"]
