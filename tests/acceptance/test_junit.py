"""JUnit XML: goldens on every example; it parses, its counts add up, every account has a
test case, input problems are errors, and characters XML cannot hold never reach it."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from safesocial.cli import main
from safesocial.findings import Category, Finding, Location, Severity, Waiver
from safesocial.packs import cases
from safesocial.reporters.junit import JunitReporter, xml_text
from safesocial.running.results import RunResult, SchoolResult
from safesocial.settings import Settings
from tests import goldens
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def _from_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def junit_of(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, ET.Element]:
    code = main(["check", *args, "--as-of", goldens.AS_OF, "-o", "junit"])
    return code, ET.fromstring(capsys.readouterr().out)


def assert_counts_add_up(root: ET.Element) -> None:
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for suite in root.iter("testsuite"):
        cases_ = suite.findall("testcase")
        counted = {
            "tests": len(cases_),
            "failures": sum(c.find("failure") is not None for c in cases_),
            "errors": sum(c.find("error") is not None for c in cases_),
            "skipped": sum(c.find("skipped") is not None for c in cases_),
        }
        for key, value in counted.items():
            assert int(suite.get(key, "-1")) == value, (suite.get("name"), key)
            totals[key] += value
    for key, value in totals.items():
        assert int(root.get(key, "-1")) == value, key


@pytest.mark.parametrize("name", goldens.EXAMPLES)
def test_example_matches_golden(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = goldens.render(name, "junit", capsys)
    goldens.compare(name, "xml", out)
    assert code == (0 if name in goldens.CLEAN else 1)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')
    assert_counts_add_up(ET.fromstring(out))


def test_one_failing_case_per_rule_and_target(capsys: pytest.CaptureFixture[str]) -> None:
    _, root = junit_of("examples/followback-secondary", capsys=capsys)
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "Castle Mead Academy (examples/followback-secondary)"
    failing = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    # SS202 fired three times on the one account: one case listing all three.
    names = [c.get("name", "").split()[0] for c in failing]
    # SS305 is a warning, below the default --fail-on error: not a failed test.
    assert sorted(names) == ["SS201", "SS202", "SS301", "SS302"]
    (ss202,) = [c for c in failing if c.get("name", "").startswith("SS202")]
    failure = ss202.find("failure")
    assert failure is not None
    assert failure.get("type") == "error"
    assert failure.get("message", "").startswith("3 findings; the first: ")
    assert (failure.text or "").count("the account follows pupil") == 3
    assert ss202.get("classname") == "examples/followback-secondary/instagram:@castlemeadacademy"
    assert ss202.get("file") == "examples/followback-secondary/accounts/instagram.yaml"
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["as_of"] == goldens.AS_OF


def test_every_account_has_a_case_even_when_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, root = junit_of("examples/clean-primary", capsys=capsys)
    assert code == 0
    (suite,) = root.findall("testsuite")
    cases_ = suite.findall("testcase")
    assert len(cases_) == 2  # the school's two accounts
    assert all(len(c) == 0 for c in cases_)  # all passing
    assert all(c.get("name", "").startswith("no findings from the ") for c in cases_)
    assert root.get("failures") == "0" and root.get("tests") == "2"


@pytest.mark.parametrize(
    ("fail_on", "failing"),
    [
        ("error", ["SS201", "SS202", "SS301", "SS302"]),
        ("warning", ["SS201", "SS202", "SS301", "SS302", "SS305"]),
        ("never", []),
    ],
)
def test_only_what_fails_the_check_is_a_failed_test(
    fail_on: str, failing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, root = junit_of("examples/followback-secondary", "--fail-on", fail_on, capsys=capsys)
    assert code == (0 if fail_on == "never" else 1)
    assert_counts_add_up(root)
    cases_ = list(root.iter("testcase"))
    names = sorted(c.get("name", "").split()[0] for c in cases_ if c.find("failure") is not None)
    assert names == failing
    assert root.get("failures") == str(len(failing))
    # What does not fail the check is still shown, in a passing case, and says why.
    (ss305,) = [c for c in cases_ if c.get("name", "").startswith("SS305")]
    if "SS305" not in failing:
        out = ss305.find("system-out")
        assert out is not None and "Does not fail the check" in (out.text or "")
        assert "follows pupil CM21044 back" in (out.text or "")


def test_input_problems_are_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cases.materialise({}, tmp_path / "school")
    (tmp_path / "school" / "accounts" / "main.yaml").write_text("protected: [\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    code, root = junit_of("school", capsys=capsys)
    assert code == 2
    assert_counts_add_up(root)
    # --fail-on never makes no finding fail; input problems and gaps stay errors.
    _, never = junit_of("school", "--fail-on", "never", capsys=capsys)
    assert never.get("errors") == root.get("errors") != "0"
    # The broken file is an input error; the registered account it should have described
    # is then a coverage gap, also an error (never a pass).
    errors = [c for c in root.iter("testcase") if c.find("error") is not None]
    names = [c.get("name", "") for c in errors]
    assert errors and all(n.startswith(("IN", "coverage: ")) for n in names), names
    inputs = [c for c in errors if c.get("name", "").startswith("IN")]
    assert inputs
    error = inputs[0].find("error")
    assert error is not None and error.get("type") == "input"


def test_xml_text_keeps_only_what_xml_can_hold() -> None:
    assert xml_text("a\x00b\x1bc\x0bd") == "a\\u0000b\\u001bc\\u000bd"
    assert xml_text("tab\tnew\nline") == "tab\tnew\\u000aline"
    assert xml_text("\ufffe\uffff\ud800ok") == "\\ud800ok"  # a surrogate is shown as an escape


def test_hostile_strings_parse_as_text() -> None:
    hostile = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;\x00\x1b]]>'
    finding = Finding(
        rule_id="SS101",
        severity=Severity.ERROR,
        category=Category.DRIFT,
        message=hostile,
        target=f"x:@{hostile}",
        location=Location(f"s/{hostile}.yaml", 1, 1),
        school="s",
    )
    school = SchoolResult("s", hostile, (), (finding.target,), (finding,))
    out = JunitReporter().render(RunResult((school,), Settings(as_of=date(2026, 11, 21)), 1), {})
    assert "<!DOCTYPE" not in out and "<!ENTITY" not in out and "\x00" not in out
    root = ET.fromstring(out)
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == xml_text(hostile)


def test_waived_findings_are_skipped_cases() -> None:
    waiver = Waiver("agreed", "S001", date(2026, 11, 1), date(2026, 12, 31), Location("w", 1, 1))
    base = Finding(
        rule_id="SS101",
        severity=Severity.ERROR,
        category=Category.DRIFT,
        message="m",
        target="x:@S",
        location=Location("s/a.yaml", 3, 1),
        school="s",
    )
    waived = dataclasses.replace(base, rule_id="SS103", waiver=waiver)
    school = SchoolResult("s", "S", (), ("x:@S",), (base, waived))
    out = JunitReporter().render(RunResult((school,), Settings(as_of=date(2026, 11, 21)), 2), {})
    root = ET.fromstring(out)
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("2", "1", "1")
    skipped = root.find("testsuite/testcase/skipped")
    assert skipped is not None
    assert skipped.get("message") == "waived until 2026-12-31 by S001: agreed"
