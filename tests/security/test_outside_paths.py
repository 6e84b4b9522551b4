"""A configuration or rule pack outside the repository is refused by its path, before it
is read; a message about a file outside the checked folder never quotes it (issue 12)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from safesocial.packs import cases

AS_OF = "2026-11-21"
SECRET = "hunter2-private-words-that-must-never-be-shown"


@pytest.fixture
def outside(tmp_path: Path) -> dict[str, Path]:
    """Files outside the school's repository, one of each shape a message could quote."""
    away = tmp_path / "elsewhere"
    away.mkdir()
    files = {
        "text": away / "notes.txt",
        "mapping": away / "keys.yaml",
        "list": away / "list.yaml",
        "broken": away / "broken.yaml",
    }
    files["text"].write_text(f"{SECRET} and more words after them\n", "utf-8")
    files["mapping"].write_text(f"{SECRET}: 1\n", "utf-8")
    files["list"].write_text(f"- {SECRET}\n", "utf-8")
    files["broken"].write_text(f"key: [{SECRET}\n", "utf-8")
    return files


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    cases.materialise({}, folder)
    return folder


SHAPES = ["text", "mapping", "list", "broken"]


def _refused(run_cli, *args: str) -> str:
    ran = run_cli(*args)
    assert ran.code == 2
    assert "Traceback" not in ran.out + ran.err
    assert SECRET not in ran.out + ran.err
    return ran.err


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("how", ["absolute", "dotdot", "link"])
def test_a_pack_outside_the_repository_is_refused_by_its_path(
    repo: Path, outside: dict[str, Path], run_cli, shape: str, how: str
) -> None:
    target = outside[shape]
    if how == "absolute":
        entry = str(target)
    elif how == "dotdot":
        entry = os.path.relpath(target, repo)
    else:
        (repo / "pack.yaml").symlink_to(target)
        entry = "pack.yaml"
    (repo / "safesocial.yaml").write_text(f"packs: ['{entry}']\n", "utf-8")
    err = _refused(run_cli, "check", str(repo), "--as-of", AS_OF)
    assert "safesocial.yaml:1:" in err and "is outside the folder of safesocial.yaml" in err


@pytest.mark.parametrize("command", ["check", "config"])
@pytest.mark.parametrize("shape", SHAPES)
def test_a_discovered_configuration_linked_outside_is_refused_unread(
    repo: Path, outside: dict[str, Path], run_cli, shape: str, command: str
) -> None:
    (repo / "safesocial.yaml").symlink_to(outside[shape])
    args = ["--as-of", AS_OF] if command == "check" else []
    err = _refused(run_cli, command, str(repo), *args)
    assert "safesocial.yaml: the configuration is a link to a file outside its folder" in err


@pytest.mark.parametrize("shape", SHAPES)
def test_a_given_configuration_outside_the_checked_folder_is_never_quoted(
    repo: Path, outside: dict[str, Path], run_cli, shape: str
) -> None:
    err = _refused(run_cli, "check", str(repo), "--as-of", AS_OF, "--config", str(outside[shape]))
    assert f"{outside[shape].as_posix()}:" in err
    assert "expected a safesocial configuration" in err


def test_a_pack_inside_the_repository_still_loads(repo: Path, run_cli) -> None:
    (repo / "packs").mkdir()
    (repo / "packs" / "own.yaml").write_text(
        "pack: {id: own, title: t}\nrules:\n  - id: OWN001\n    name: own\n    title: t\n"
        "    severity: info\n    category: guidance\n    rationale: r\n    remediation: r\n"
        "    sources: [seed-002]\n    check: {kind: schema, message: m, schema: {}}\n",
        "utf-8",
    )
    (repo / "safesocial.yaml").write_text("packs: [packs/own.yaml]\n", "utf-8")
    ran = run_cli("config", str(repo))
    assert ran.code == 0, ran.err
    assert "packs/own.yaml" in ran.out


def test_a_config_inside_the_checked_folder_is_explained_in_full(repo: Path, run_cli) -> None:
    (repo / "safesocial.yaml").write_text("fail_onn: warning\n", "utf-8")
    err = run_cli("check", str(repo), "--as-of", AS_OF).err
    assert "did you mean 'fail_on'?" in err
