"""The terminal and the command line as ruff users expect: wrapping at word boundaries,
paths a terminal can open, --output-format, --select/--ignore, --statistics,
--exit-zero, FORCE_COLOR, `config --format json`, checking from a school's sub-folder,
one style of error, help on every option, and a top-level --help that cuts nothing."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import click
import pytest

from safesocial import cli, reporters
from safesocial.reporters.base import Options
from safesocial.reporters.text import TextReporter
from safesocial.running import pipeline
from tests.acceptance.test_integrations import _on_a_terminal
from tests.conftest import AS_OF, EXAMPLES, ROOT

_WHERE = re.compile(r"(\S+\.ya?ml):(\d+):(\d+)")


def _text(width: int | None, example: str = "followback-secondary") -> str:
    checked = pipeline.check([f"examples/{example}"], None, date.fromisoformat(AS_OF))
    rules = {r.id: r for r in checked.rules}
    return TextReporter(Options(width=width)).render(checked.result, rules)


@pytest.fixture(autouse=True)
def _from_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_text_wraps_at_word_boundaries(width: int) -> None:
    wrapped, whole = _text(width), _text(None)
    # The same words in the same order: none was cut in two ("dire/ct").
    assert wrapped.split() == whole.split()
    for line in wrapped.splitlines():
        # Only a word longer than the line itself (a long path) may pass the width.
        assert len(line) <= width or " " not in line[width - 1 :].strip(), line
    assert max(map(len, wrapped.splitlines())) < max(map(len, whole.splitlines()))
    # A finding's wrapped lines continue under its message, not at the left edge.
    lines = wrapped.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("    error   SS301")]
    assert lines[starts[0] + 1].startswith(" " * 19) and lines[starts[0] + 1][19] != " "


def test_a_pipe_gets_one_finding_a_line() -> None:
    lines = _text(None).splitlines()
    assert sum(line.startswith(("    error", "    warning")) for line in lines) == 10
    assert all(not line.startswith(" " * 19) or "↳" in line for line in lines)


def test_a_terminal_gets_wrapped_text() -> None:
    out = _on_a_terminal(
        ["check", "examples/drift-primary", "--as-of", AS_OF, "--no-color"], COLUMNS="70"
    )
    lines = out.replace("\r", "").splitlines()
    assert max(map(len, lines)) <= 70 or all(" " not in s.strip() for s in lines if len(s) > 70)
    assert any(line.startswith(" " * 19) and "↳" not in line for line in lines)


def test_paths_are_the_same_in_text_json_and_sarif(run_cli) -> None:
    text = run_cli("check", "examples/drift-primary", "--as-of", AS_OF).out
    doc = json.loads(run_cli("check", "examples/drift-primary", "--as-of", AS_OF, "-o", "json").out)
    sarif = json.loads(
        run_cli("check", "examples/drift-primary", "--as-of", AS_OF, "-o", "sarif").out
    )
    shown = set(_WHERE.findall(text))
    in_json = {
        (f["location"]["path"], str(f["location"]["line"]), str(f["location"]["column"]))
        for school in doc["schools"]
        for f in school["findings"]
    }
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert in_json <= shown
    assert {path for path, _, _ in in_json} <= uris
    assert all((ROOT / path).is_file() for path, _, _ in shown)  # a terminal can open them


def test_check_from_inside_a_school_finds_the_school(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(EXAMPLES / "drift-primary", tmp_path / "school")
    monkeypatch.chdir(tmp_path / "school" / "accounts")
    ran = run_cli("check", "--as-of", AS_OF)
    assert ran.code == 1 and "SS101" in ran.out
    for path, _, _ in _WHERE.findall(ran.out):
        assert Path(path).is_file(), path  # relative to here: ../accounts/twitter.yaml
    assert "../accounts/twitter.yaml:21:1" in ran.out
    assert run_cli("check", ".", "--as-of", AS_OF).out == ran.out


@pytest.mark.parametrize("option", ["--output-format", "--format"])
@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "markdown", "github"])
def test_output_format_takes_every_format(run_cli, option: str, fmt: str) -> None:
    args = ["check", "examples/drift-primary", "--as-of", AS_OF]
    assert run_cli(*args, option, fmt).out == run_cli(*args, "-o", fmt).out


def test_formats_are_the_reporters() -> None:
    # --format's choices are the reporters' table, in its order.
    option = next(p for p in cli.cli.commands["check"].params if p.name == "fmt")
    assert isinstance(option.type, click.Choice)
    assert tuple(option.type.choices) == tuple(reporters.REPORTERS)


def _rules_found(out: str) -> set[str]:
    return {f["rule_id"] for school in json.loads(out)["schools"] for f in school["findings"]}


def test_select_and_ignore_on_top_of_the_configuration(run_cli, tmp_path: Path) -> None:
    args = ["check", "examples/drift-primary", "--as-of", AS_OF, "-o", "json"]
    assert _rules_found(run_cli(*args).out) == {"SS101", "SS103", "SS221", "SS224", "SS602"}
    assert _rules_found(run_cli(*args, "--select", "SS1").out) == {"SS101", "SS103"}
    assert _rules_found(run_cli(*args, "--select", "SS101,SS602").out) == {"SS101", "SS602"}
    found = _rules_found(run_cli(*args, "--ignore", "SS101", "--ignore", "SS2").out)
    assert found == {"SS103", "SS602"}
    # The configuration's ignore stays; --ignore adds to it.
    config = tmp_path / "safesocial.yaml"
    config.write_text("ignore: [SS103]\n", "utf-8")
    found = _rules_found(run_cli(*args, "--config", str(config), "--ignore", "SS602").out)
    assert found == {"SS101", "SS221", "SS224"}
    ran = run_cli(*args, "--select", "SS999")
    assert ran.code == 2 and "safesocial: error: --select: select names 'SS999'" in ran.err


def test_statistics(run_cli, tmp_path: Path) -> None:
    args = ["check", "examples/followback-secondary", "--as-of", AS_OF]
    ran = run_cli(*args, "--statistics", "-o", f"sarif:{tmp_path / 'r.sarif'}")
    assert ran.code == 1
    lines = ran.out.splitlines()
    assert lines[0].split()[:3] == ["4", "SS305", "warning"]
    assert lines[1].split()[:3] == ["3", "SS202", "error"]
    assert len(lines) == 5 and (tmp_path / "r.sarif").is_file()
    doc = json.loads(run_cli(*args, "--statistics", "--output-format", "json").out)
    assert [r["rule"] for r in doc["rules"]][:2] == ["SS305", "SS202"]
    assert doc["rules"][0]["count"] == 4 and doc["complete"] is True
    ran = run_cli(*args, "--statistics", "--output-format", "sarif")
    assert ran.code == 2 and "--statistics prints text or json" in ran.err


def test_exit_zero(run_cli, tmp_path: Path) -> None:
    args = ["check", "examples/drift-primary", "--as-of", AS_OF]
    ran = run_cli(*args, "--exit-zero")
    assert ran.code == 0 and "SS101" in ran.out
    broken = tmp_path / "school"
    shutil.copytree(EXAMPLES / "clean-primary", broken)
    (broken / "policy.yaml").write_text("visibility: [\n", "utf-8")
    assert run_cli("check", str(broken), "--as-of", AS_OF, "--exit-zero").code == 2


def test_force_color(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["check", "examples/drift-primary", "--as-of", AS_OF]
    assert "\x1b[" not in run_cli(*args).out  # a pipe: no colour
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run_cli(*args).out
    assert "\x1b[" not in run_cli(*args, "--no-color").out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run_cli(*args).out  # NO_COLOR wins


def test_config_as_json(run_cli) -> None:
    ran = run_cli("config", "examples/drift-primary", "--format", "json")
    assert ran.code == 0
    rows = json.loads(ran.out)
    assert {"setting": "fail_on", "value": "error", "source": "default"} in rows
    assert all(set(row) == {"setting", "value", "source"} for row in rows)


@pytest.mark.parametrize(
    "args",
    [["check", "--bogus"], ["check", "examples/drift-primary", "--fail-on", "x"], ["lint"]],
)
def test_one_style_of_error(run_cli, args: list[str]) -> None:
    ran = run_cli(*args)
    assert ran.code == 2
    assert "safesocial: error: " in ran.err
    assert not re.search(r"^Error:", ran.err, flags=re.M)
    assert "--help' for help." in ran.err


def _commands(group: click.Group, ctx: click.Context) -> list[click.Command]:
    found: list[click.Command] = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        found.append(command)
        if isinstance(command, click.Group):
            found += _commands(command, ctx)
    return found


def test_every_option_has_help() -> None:
    ctx = click.Context(cli.cli)
    missing = [
        f"{command.name} {'/'.join(param.opts)}"
        for command in [cli.cli, *_commands(cli.cli, ctx)]
        for param in command.params
        if isinstance(param, click.Option) and not param.help
    ]
    assert not missing


def test_top_level_help_cuts_no_description(run_cli) -> None:
    out = run_cli("--help").out
    listing = " ".join(out.split("Commands:")[1].split())
    ctx = click.Context(cli.cli)
    for command in _commands(cli.cli, ctx):
        first = (command.help or "").split(".")[0]
        if command.name in cli.cli.commands:
            assert " ".join(first.split()) in listing, command.name
    # click marks a cut description with a trailing "...".
    assert not any(line.rstrip().endswith("...") for line in out.split("Commands:")[1].splitlines())


def test_a_text_file_is_not_wrapped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:
    monkeypatch.setattr(cli.checking, "_width", lambda: 60)  # as on a 60-column terminal
    args = ["check", "examples/drift-primary", "--as-of", AS_OF]
    ran = run_cli(*args, "-o", "text", "-o", f"text:{tmp_path / 'report.txt'}")
    assert max(map(len, ran.out.splitlines())) < 100  # the terminal: wrapped
    assert (tmp_path / "report.txt").read_text("utf-8") == _text(None, "drift-primary")
