"""GitHub Actions annotations: goldens on every example, and escaping that keeps every
string from the input inside its own workflow command."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from safesocial.findings import Category, Finding, Location, Severity, Waiver
from safesocial.reporters.github import GithubReporter, annotation, escape_data, escape_property
from safesocial.running.results import RunResult, SchoolResult
from safesocial.settings import Settings
from tests import goldens
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def _from_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("name", goldens.EXAMPLES)
def test_example_matches_golden(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = goldens.render(name, "github", capsys)
    goldens.compare(name, "annotations", out)
    assert code == (0 if name in goldens.CLEAN else 1)
    *commands, closing = out.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in commands)
    assert closing.startswith("safesocial: ")


def test_an_annotation_names_file_line_column_and_rule(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = goldens.render("drift-primary", "github", capsys)
    first = out.splitlines()[0]
    assert first.startswith(
        "::error file=examples/drift-primary/accounts/twitter.yaml,line=21,col=1,"
        "title=SS101 The account is public although the policy says it is protected::"
    )
    # The policy line it breaks follows on a second line of the same annotation.
    assert first.endswith(
        "%0A↳ examples/drift-primary/policy.yaml:8:5 the policy declares visibility: protected"
    )


# The cases GitHub's toolkit (@actions/core, command.ts) escapes, and nothing else.
@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("plain text", "plain text", "plain text"),
        ("100%", "100%25", "100%25"),
        ("a\rb", "a%0Db", "a%0Db"),
        ("a\nb", "a%0Ab", "a%0Ab"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("k:v,w", "k:v,w", "k%3Av%2Cw"),
        ("::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def _finding(**changes: object) -> Finding:
    base = Finding(
        rule_id="SS101",
        severity=Severity.ERROR,
        category=Category.DRIFT,
        message="m",
        target="x:@School",
        location=Location("s/accounts/main.yaml", 3, 5),
        school="s",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_severity_picks_the_command() -> None:
    assert annotation(_finding(), {}).startswith("::error ")
    assert annotation(_finding(severity=Severity.WARNING), {}).startswith("::warning ")
    assert annotation(_finding(severity=Severity.INFO), {}).startswith("::notice ")
    # An input problem is an error whatever it is.
    assert annotation(_finding(rule_id="IN002", category=Category.INPUT), {}).startswith(
        "::error file=s/accounts/main.yaml,line=3,col=5,title=IN002 A file does not match"
    )


def test_a_finding_without_a_location_has_no_file() -> None:
    assert annotation(_finding(location=None), {}) == "::error title=SS101 SS101::m"


@pytest.mark.parametrize(
    "hostile",
    [
        "\n::error::pwned",
        "\r\n::warning file=x::y",
        "x\n##[error]old syntax",
        "::stop-commands::token",
        "\x1b[31mred\x1b[0m \x1b]8;;http://evil\x07link",
        "\u202eevil",
        "a,b:c%0A",
    ],
)
def test_nothing_from_the_input_starts_a_command(hostile: str) -> None:
    finding = _finding(
        message=f"m {hostile}",
        subject=f"s {hostile}",
        target=f"x:@{hostile}",
        location=Location(f"s/{hostile}.yaml", 1, 1),
    )
    line = annotation(finding, {})
    assert "\n" not in line and "\r" not in line
    assert "\x1b" not in line and "\x07" not in line and "\u202e" not in line
    command, sep, _ = line.partition("::")[2].partition("::")
    assert sep
    # The property list holds no "::" of its own, so the runner splits where we did...
    assert "::" not in command
    # ...and no property value holds a comma or colon that would end it early.
    props = command.split(" ", 1)[1].split(",")
    assert [p.split("=", 1)[0] for p in props] == ["file", "line", "col", "title"]


def test_waived_findings_are_not_annotated() -> None:
    waiver = Waiver(
        "agreed", "S001", date(2026, 11, 1), date(2026, 12, 31), Location("s/waivers.yaml", 2, 3)
    )
    findings = (_finding(), _finding(rule_id="SS103", waiver=waiver))
    school = SchoolResult("s", "School", (), ("x:@School",), findings)
    out = GithubReporter().render(RunResult((school,), Settings(as_of=date(2026, 11, 21)), 2), {})
    lines = out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("::error ") and "SS103" not in lines[0]
    assert lines[1].endswith("(1 waived); waived findings are not annotated")


def test_within_github_s_caps_the_most_urgent_first() -> None:
    # 15 of each severity and 3 input problems, in the worst order for a naive cap:
    # info first, then warnings, then errors, and the input problems last.
    findings = tuple(
        _finding(rule_id=f"SS{n:03d}", severity=severity, location=Location("s/a.yaml", n, 1))
        for severity in (Severity.INFO, Severity.WARNING, Severity.ERROR)
        for n in range(1, 16)
    ) + tuple(
        _finding(rule_id="IN002", category=Category.INPUT, location=Location("s/b.yaml", n, 1))
        for n in range(1, 4)
    )
    school = SchoolResult("s", "School", (), ("x:@School",), findings)
    out = GithubReporter().render(RunResult((school,), Settings(as_of=date(2026, 11, 21)), 2), {})
    *commands, closing = out.splitlines()
    kinds = [line[2 : line.index(" ")] for line in commands]
    assert kinds == ["error"] * 10 + ["warning"] * 10 + ["notice"] * 10
    # The input problems lead; then errors.
    assert all("title=IN002" in line for line in commands[:3])
    assert "title=SS" in commands[3] and "::error " in commands[3]
    assert closing.endswith(
        "; 18 more not annotated (GitHub shows 10 errors, 10 warnings and 10 notices a "
        "step); they are in the job summary and the SARIF and HTML reports"
    )


def test_under_the_caps_nothing_is_said_of_them(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = goldens.render("followback-secondary", "github", capsys)
    assert "more not annotated" not in out
