"""The README's two set-up commands are the project's whole set-up: keep CI running them."""

from __future__ import annotations

import re

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")
CI = (ROOT / ".ci" / "run").read_text("utf-8")


def _commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README)


def test_readme_starts_with_two_setup_commands():
    first, second = _commands()[:2]
    assert "pip install ." in first and "safesocial check examples/" in first
    assert "python -m pytest" in second


def test_ci_runs_the_readme_test_command():
    test_command = _commands()[1].split("&&", 1)[1].strip()
    assert test_command.replace("pip install", "pip install --quiet") in CI


def test_the_example_in_the_first_command_exists():
    example = re.search(r"safesocial check (\S+)", _commands()[0])
    assert example and (ROOT / example.group(1) / "school.yaml").is_file()
