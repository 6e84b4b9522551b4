"""Imports run one way: reading documents -> model -> check kinds -> running -> reporters -> cli.

The contracts are import-linter's, in pyproject.toml ([tool.importlinter]): one layers
contract that places every module, and forbidden ones for what must never be reached
even indirectly (the engine never knows a reporter, a reporter never runs a check).
import-linter reads the source, so a forbidden import fails here even when it would
work at run time, and its message names the chain of imports that breaks the contract.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SRC = ROOT / "src" / "safesocial"


def _lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` over the safesocial package found in `src`, with our contracts."""
    # The console script sits beside this Python in a virtual environment; else on PATH.
    here = Path(sys.executable).parent / "lint-imports"
    command = str(here) if here.exists() else shutil.which("lint-imports")
    assert command, "lint-imports is missing: pip install -e '.[test]'"
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [command, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_import_contract_is_kept():
    ran = _lint_imports(ROOT / "src")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "0 broken" in ran.stdout


# One import each contract forbids, written into a copy of the package: the contracts
# must catch it (so that a contract that matches nothing cannot pass unnoticed).
BREAKS = [
    ("findings.py", "safesocial.model", "The low modules know nothing of the model"),
    ("yamlio.py", "safesocial.checks", "Layers: reading documents"),
    ("engine.py", "safesocial.reporters", "The engine returns data"),
    ("engine.py", "safesocial.loader", "The engine returns data"),
    ("breaks.py", "click", "The engine returns data"),
    ("reporters/text.py", "safesocial.engine", "Reporters format a result"),
    ("reporters/json_.py", "safesocial.loader", "Reporters format a result"),
    ("checks/base.py", "safesocial.loader", "Check kinds, rule packs and results"),
    ("importers/run.py", "safesocial.engine", "Importers and the scaffold"),
    ("model/__init__.py", "safesocial.checks", "Layers: reading documents"),
]


@pytest.mark.parametrize(("module", "target", "contract"), BREAKS)
def test_a_forbidden_import_breaks_its_contract(tmp_path, module, target, contract):
    copy = tmp_path / "src" / "safesocial"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / module).open("a", encoding="utf-8") as f:
        f.write(f"\nimport {target}\n")
    ran = _lint_imports(tmp_path / "src")
    assert ran.returncode == 1, ran.stdout + ran.stderr
    broken = ran.stdout.split("Broken contracts", 1)[1]
    assert contract in " ".join(broken.split()), broken


def _imports(path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
    return names


def test_only_the_terminal_reporters_use_rich():
    users = sorted(
        p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py") if "rich" in _imports(p)
    )
    assert users == ["reporters/progress.py", "reporters/text.py"]
