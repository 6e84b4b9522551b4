"""Imports run one way, by stage: documents -> model -> checks -> packs -> running ->
reporters -> cli.

The contracts are import-linter's, in pyproject.toml ([tool.importlinter]): one layers
contract over the stages (and one inside documents/), and forbidden ones for what must
never be reached even indirectly (judging never knows a reporter, a reporter never runs
a check). import-linter reads the source, so a forbidden import fails here even when it
would work at run time, and its message names the chain of imports that breaks it.
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
    ("findings.py", "safesocial.model", "Documents and the basics know nothing"),
    ("documents/yamlio.py", "safesocial.checks", "Stages: documents"),
    ("documents/yamlnodes.py", "safesocial.documents.validate", "Reading documents, inside"),
    ("running/judge.py", "safesocial.reporters", "Judging returns data"),
    ("running/judge.py", "safesocial.model.loader", "Judging returns data"),
    ("running/breaks.py", "click", "Judging returns data"),
    ("packs/rules.py", "safesocial.running.judge", "Stages: documents"),
    ("reporters/text.py", "safesocial.running.judge", "Reporters format a result"),
    ("reporters/json_.py", "safesocial.model.loader", "Reporters format a result"),
    ("checks/base.py", "safesocial.model.loader", "Check kinds, rule packs and results"),
    ("importers/run.py", "safesocial.running.judge", "Importers and the scaffold"),
    ("model/__init__.py", "safesocial.checks", "Stages: documents"),
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


def _layer_modules() -> list[str]:
    """Every module or package the stages contract names, as a dotted path."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    stages = next(c for c in contracts if c["name"].startswith("Stages:"))
    return [name.strip() for layer in stages["layers"] for name in layer.split("|")]


def test_every_module_is_placed_in_a_stage():
    # import-linter's `exhaustive` cannot place a package's modules in different layers
    # (packs.rules below running, packs.cases above it), so this test does its work: a
    # new module must be placed on purpose, in pyproject.toml, before it can land.
    placed = _layer_modules()
    unplaced = []
    for path in sorted(SRC.rglob("*.py")):
        dotted = ".".join(path.relative_to(SRC).with_suffix("").parts)
        if dotted in ("__init__", "__main__"):
            continue
        if dotted.endswith(".__init__"):
            dotted = dotted.removesuffix(".__init__")
            if any(p.startswith(dotted + ".") for p in placed):
                # A package split across layers: its __init__ holds only its docstring.
                assert _imports(path) <= {"__future__"}, path
                continue
        if not any(dotted == p or dotted.startswith(p + ".") for p in placed):
            unplaced.append(dotted)
    assert unplaced == []


def test_a_stage_package_is_placed_whole_or_by_every_module():
    # A package split across layers (packs, running) must have each module placed, or a
    # module could sit in the package without a layer and so be free to import anything.
    placed = set(_layer_modules())
    for package in {p.split(".")[0] for p in placed if "." in p}:
        modules = {
            f"{package}.{path.stem}"
            for path in (SRC / package).glob("*.py")
            if path.stem != "__init__"
        }
        assert modules <= placed, sorted(modules - placed)


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


def test_every_test_module_is_filed_by_kind():
    # tests/ holds shared helpers; each test module sits in the folder of its kind, so a
    # reader finds the security tests (or the goldens) without reading every name.
    kinds = {"unit", "acceptance", "security", "importers"}
    tests = ROOT / "tests"
    misfiled = sorted(
        p.relative_to(tests).as_posix()
        for p in tests.rglob("test_*.py")
        if p.relative_to(tests).parts[0] not in kinds
    )
    assert misfiled == []
    assert {p.name for p in tests.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == kinds
