"""Every format says what could not be checked: gaps (partly or not checked, why, where)
and stale accounts, and no format gives an all-clear to a run with a gap.

Coverage is built by hand (tests/coverage_cases.py): the engine fills it, and these
tests pin what each reporter makes of it.
"""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from safesocial.findings import Category, Severity
from safesocial.reporters import REPORTERS, make
from safesocial.reporters.base import Options
from safesocial.reporters.github import GithubReporter
from safesocial.reporters.html import HtmlReporter
from safesocial.reporters.json_ import JsonReporter
from safesocial.reporters.junit import JunitReporter
from safesocial.reporters.markdown import LIMIT, MarkdownReporter
from safesocial.reporters.sarif import SarifReporter
from safesocial.reporters.summary import Summary
from safesocial.reporters.text import TextReporter
from safesocial.running.results import Coverage, RunResult
from tests import coverage_cases as cc
from tests.acceptance.test_html_report import Page, assert_safe
from tests.acceptance.test_json_report import valid as valid_json
from tests.acceptance.test_markdown import assert_plain
from tests.acceptance.test_sarif import assert_valid as valid_sarif
from tests.conftest import AS_OF, EXAMPLES

GAPPED = cc.run(cc.school(findings=(cc.finding(),)))
# Nothing found in what could be checked: the case that most tempts an all-clear.
QUIET_GAP = cc.run(cc.school(gaps=(cc.RECORDS,), stale=()))
CLEAN = cc.run(cc.school(gaps=(), stale=()))
TEXTUAL = sorted(name for name, cls in REPORTERS.items() if not cls.binary)


def _input_problem(result: RunResult) -> RunResult:
    school = result.schools[0]
    broken = dataclasses.replace(
        cc.finding(), rule_id="IN001", category=Category.INPUT, target="input"
    )
    return dataclasses.replace(result, schools=(dataclasses.replace(school, findings=(broken,)),))


# --- the run's verdict and outcome ---------------------------------------------------


@pytest.mark.parametrize(
    ("result", "verdict", "status"),
    [
        (CLEAN, "clear", "clean"),
        (cc.run(cc.school(gaps=(), stale=(), findings=(cc.finding(),))), "action", "error"),
        (GAPPED, "incomplete", "incomplete"),
        (QUIET_GAP, "incomplete", "incomplete"),
        (_input_problem(CLEAN), "incomplete", "input_error"),
    ],
)
def test_verdict_and_status_never_clear_with_a_gap(
    result: RunResult, verdict: str, status: str
) -> None:
    assert result.verdict() == verdict
    assert Summary.of(result).status == status


@pytest.mark.parametrize(
    ("severity", "fail_on", "outcome"),
    [
        (Severity.ERROR, "error", "findings"),
        (Severity.WARNING, "error", "clean"),
        (Severity.WARNING, "warning", "findings"),
        (Severity.INFO, "never", "clean"),
    ],
)
def test_outcome_follows_fail_on(severity: Severity, fail_on: str, outcome: str) -> None:
    result = cc.run(cc.school(gaps=(), stale=(), findings=(cc.finding(severity=severity),)))
    assert result.outcome(fail_on) == outcome
    # A gap outranks every finding, whatever --fail-on says (exit code 2).
    gapped = cc.run(cc.school(gaps=(cc.RECORDS,), findings=(cc.finding(severity=severity),)))
    assert gapped.outcome(fail_on) == "incomplete"


def test_a_stale_account_alone_leaves_the_run_complete() -> None:
    stale_only = cc.run(cc.school(gaps=()))
    assert stale_only.complete and stale_only.verdict() == "clear"
    assert Summary.of(stale_only).stale == 1


def test_schools_with_gaps_sort_before_schools_with_errors() -> None:
    errors = Summary.of_schools([cc.school(gaps=(), findings=(cc.finding(),) * 3)])
    gap = Summary.of_schools([cc.school(gaps=(cc.RECORDS,))])
    assert sorted([errors, gap], key=lambda s: s.urgency) == [gap, errors]


# --- text ----------------------------------------------------------------------------------


def _last_line(result: RunResult, fail_on: str = "error") -> str:
    out = TextReporter(Options(fail_on=fail_on)).render(result, {})
    return out.rstrip("\n").rsplit("\n", 1)[-1]


@pytest.mark.parametrize(
    ("severity", "fail_on", "mark"),
    [
        (Severity.ERROR, "error", "✗"),
        (Severity.WARNING, "error", "✓"),  # exits 0: never a cross
        (Severity.WARNING, "warning", "✗"),
        (Severity.ERROR, "never", "✓"),
    ],
)
def test_the_text_mark_follows_the_exit_code(severity: Severity, fail_on: str, mark: str) -> None:
    result = cc.run(cc.school(gaps=(), stale=(), findings=(cc.finding(severity=severity),)))
    line = _last_line(result, fail_on)
    assert line.startswith(mark + " "), line
    assert ("1 warning," in line) is (severity is Severity.WARNING)
    assert "1 warnings" not in line


def test_the_text_summary_of_a_run_with_a_gap_is_a_cross() -> None:
    line = _last_line(QUIET_GAP, "never")
    assert line.startswith("✗ not fully checked: ") and "1 thing not fully checked" in line


def test_text_lists_every_gap_where_and_why() -> None:
    out = TextReporter().render(GAPPED, {})
    assert "partly checked  x:@School  s/accounts/main.yaml:4:1  the account file gives no " in out
    assert "(rules not run: SS110, SS111)" in out
    assert "not checked     accounts/old.yaml  s/accounts/old.yaml:1:1  the file could not" in out
    assert "not checked     consent  no consent records were given" in out
    assert "instagram:@SchoolPix is judged as last recorded on 2025-01-02" in out
    assert "  fully checked: instagram:@SchoolPix, school\n" in out


def test_text_never_says_plain_no_findings_with_a_gap() -> None:
    out = TextReporter().render(QUIET_GAP, {})
    assert "no findings in what could be checked" in out
    assert "    no findings\n" not in out and "✓" not in out


def test_quiet_text_still_shows_gaps() -> None:
    out = TextReporter(Options(quiet=True)).render(QUIET_GAP, {})
    assert "not checked     consent" in out
    assert "fully checked:" not in out  # quiet: what is wrong, not what is fine


def test_the_fleet_table_counts_in_words_and_shows_incomplete() -> None:
    fleet = cc.run(
        cc.school(gaps=(), stale=(), findings=(cc.finding(severity=Severity.WARNING),)),
        cc.school(gaps=(cc.RECORDS,), stale=(), root="t"),
    )
    out = TextReporter().render(fleet, {})
    rows = out.split("schools, worst first\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert rows[0].split() == [
        "incomplete",
        "0",
        "errors",
        "0",
        "warnings",
        "0",
        "info",
        "1",
        "gap",
        "t",
    ]
    assert rows[1].split() == ["warning", "0", "errors", "1", "warning", "0", "info", "s"]


# --- JSON ----------------------------------------------------------------------------------


def test_json_carries_coverage_and_matches_the_schema() -> None:
    doc = json.loads(JsonReporter().render(GAPPED, {}))
    valid_json(doc)
    assert doc["verdict"] == "incomplete" and doc["complete"] is False
    assert doc["summary"]["gaps"] == 3 and doc["summary"]["stale"] == 1
    cover = doc["schools"][0]["coverage"]
    assert cover["complete"] is False
    assert cover["checked"] == ["instagram:@SchoolPix", "school"]
    assert cover["partly_checked"] == [
        {
            "target": "x:@School",
            "reason": "the account file gives no followers list",
            "location": {"path": "s/accounts/main.yaml", "line": 4, "column": 1},
            "rules": ["SS110", "SS111"],
        }
    ]
    assert [g["target"] for g in cover["not_checked"]] == ["accounts/old.yaml", "consent"]
    assert cover["not_checked"][1]["location"] is None
    assert cover["stale"] == [{"target": "instagram:@SchoolPix", "observed_on": "2025-01-02"}]
    assert doc["schools"][0]["summary"]["status"] == "incomplete"


def test_json_of_a_complete_run() -> None:
    doc = json.loads(JsonReporter().render(CLEAN, {}))
    valid_json(doc)
    assert doc["verdict"] == "clear" and doc["complete"] is True
    assert doc["schools"][0]["coverage"]["complete"] is True


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_heading_is_never_an_all_clear_with_a_gap() -> None:
    out = MarkdownReporter().render(QUIET_GAP, {})
    heading = out.split("\n", 1)[0]
    assert heading.startswith("## ❌ safesocial: could not check everything: ")
    assert "✅" not in out and "No findings." not in out
    assert "No findings in what could be checked." in out
    assert_plain(out)


def test_markdown_lists_every_gap_even_past_the_cap() -> None:
    many = tuple(dataclasses.replace(cc.finding(), message=f"m{i}") for i in range(LIMIT + 5))
    out = MarkdownReporter().render(cc.run(cc.school(findings=many)), {})
    rows = [
        line
        for line in out.splitlines()
        if "| partly checked |" in line or "| not checked |" in line
    ]
    assert len(rows) == 3, rows
    assert (
        "| x\\:@&#8203;School | partly checked | SS110, SS111 | accounts/main.yaml\\:4\\:1 |" in out
    )
    assert "| consent | not checked | all |  | no consent records were given |" in out
    assert "instagram\\:@&#8203;SchoolPix is judged as last recorded on 2025-01-02." in out
    assert "| Oakfield Primary | s | 2 | 55 | 0 | 0 | 0 | 0 | 3 |" in out
    assert "Fully checked: instagram\\:@&#8203;SchoolPix, school." in out
    assert_plain(out)


# --- SARIF ---------------------------------------------------------------------------------


def test_sarif_says_what_could_not_be_checked() -> None:
    doc = json.loads(SarifReporter().render(GAPPED, {}))
    valid_sarif(doc)
    run = doc["runs"][0]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == [
        "partly-checked",
        "not-checked",
        "not-checked",
        "as-last-recorded",
    ]
    assert [n["level"] for n in notes] == ["error", "error", "error", "note"]
    first = notes[0]
    assert first["message"]["text"].startswith("x:@School: partly checked (rules not run: ")
    region = first["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == "s/accounts/main.yaml"
    assert region["region"] == {"startLine": 4, "startColumn": 1}
    assert first["properties"]["rules"] == ["SS110", "SS111"]
    assert "locations" not in notes[2]  # consent: no one place to point at
    described = {d["id"] for d in run["tool"]["driver"]["notifications"]}
    assert described == {"partly-checked", "not-checked", "as-last-recorded"}
    assert run["properties"]["verdict"] == "incomplete"
    (school,) = run["properties"]["schools"]
    assert school["complete"] is False
    assert school["checked"] == ["instagram:@SchoolPix", "school"]


def test_sarif_of_a_complete_run_succeeds() -> None:
    doc = json.loads(SarifReporter().render(CLEAN, {}))
    valid_sarif(doc)
    assert doc["runs"][0]["invocations"] == [{"executionSuccessful": True}]
    assert "notifications" not in doc["runs"][0]["tool"]["driver"]


def test_sarif_input_problems_make_the_run_unsuccessful() -> None:
    doc = json.loads(SarifReporter().render(_input_problem(CLEAN), {}))
    assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is False


# --- JUnit ---------------------------------------------------------------------------------


def _cases(xml: str) -> list[ET.Element]:
    return ET.fromstring(xml).findall("./testsuite/testcase")


def test_junit_makes_every_gap_an_error(builtin_rules) -> None:
    rules = {r.id: r for r in builtin_rules}
    xml = JunitReporter().render(GAPPED, rules)
    root = ET.fromstring(xml)
    gaps = [c for c in _cases(xml) if c.get("name", "").startswith("coverage: ")]
    assert [(c.get("classname"), c.get("name")) for c in gaps] == [
        ("s/x:@School", "coverage: partly checked"),
        ("s/accounts/old.yaml", "coverage: not checked"),
        ("s/consent", "coverage: not checked"),
    ]
    assert all(c.find("error") is not None for c in gaps)
    assert gaps[0].find("error").get("type") == "partly-checked"  # type: ignore[union-attr]
    assert gaps[0].get("file") == "s/accounts/main.yaml" and gaps[0].get("line") == "4"
    assert root.get("errors") == "3" and root.get("failures") == "1"
    assert int(root.get("tests", "0")) == len(_cases(xml))
    # The rules that could not run on x:@School are not counted as passing there.
    passing = next(c for c in _cases(xml) if c.get("classname") == "s/x:@School" and not len(c))
    total = sum(r.scope == "account" for r in builtin_rules)
    assert passing.get("name") == f"no findings from the {total - 2} account rules that could run"
    props = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert (
        props["as_last_recorded"] == "instagram:@SchoolPix is judged as last recorded on 2025-01-02"
    )


def test_junit_gives_no_pass_to_a_target_nothing_ran_on(builtin_rules) -> None:
    whole = dataclasses.replace(cc.PARTLY, rules=())
    xml = JunitReporter().render(cc.run(cc.school(gaps=(whole,))), {r.id: r for r in builtin_rules})
    on_account = [c for c in _cases(xml) if c.get("classname") == "s/x:@School"]
    assert [c.get("name") for c in on_account] == ["coverage: not checked"]


# --- GitHub annotations --------------------------------------------------------------------


def test_every_gap_is_an_error_annotation_at_its_place() -> None:
    lines = GithubReporter().render(GAPPED, {}).splitlines()
    assert (
        "::error file=s/accounts/main.yaml,line=4,col=1,title=Not fully checked%3A x%3A@School"
        "::x:@School: partly checked (rules not run: SS110, SS111): the account file gives no "
        "followers list"
    ) in lines
    assert (
        "::error title=Not fully checked%3A consent::consent: not checked: no consent records "
        "were given" in lines
    )
    assert (
        "::notice title=As last recorded::instagram:@SchoolPix is judged as last recorded "
        "on 2025-01-02"
    ) in lines
    assert lines[-1].endswith("; 3 things not fully checked")


# --- HTML ----------------------------------------------------------------------------------


def _html(result: RunResult, rules: dict[str, Any] | None = None) -> tuple[str, Page]:
    page = HtmlReporter().render(result, rules or {})
    return page, assert_safe(page)


def _verdict_text(page: str) -> str:
    start = page.index('<section class="verdict')
    return "".join(Page(page[start : page.index("</section>", start) + 10]).text)


ALL_CLEAR = ("Everything we checked matches your policy", "No problems found", "passed every check")


def test_html_verdict_says_what_could_not_be_checked(builtin_rules) -> None:
    rules = {r.id: r for r in builtin_rules}
    page, parsed = _html(GAPPED, rules)
    verdict = _verdict_text(page)
    assert verdict.startswith("This check is not complete: 3 things could not be checked fully")
    assert "this report cannot say that all is well" in verdict
    assert "@School on X (Twitter): partly checked: 2 checks could not run" in verdict
    assert "The file accounts/old.yaml: not checked at all. The file could not be read." in verdict
    assert "Consent records: not checked at all. No consent records were given." in verdict
    assert "In what could be checked, 1 thing needs attention." in verdict
    assert "@SchoolPix on Instagram, as last recorded on 2 January 2025" in verdict
    # Plain English: rule titles, not rule ids or YAML keys.
    assert "SS110" not in verdict and rules["SS110"].title in verdict
    assert parsed.all("section", **{"class": "verdict"})[0]["class"] == "verdict tone-gap"
    assert parsed.all("section", **{"class": "area-gaps"})
    for words in ALL_CLEAR:
        assert words not in page


def test_html_with_nothing_found_but_a_gap_is_no_all_clear() -> None:
    page, parsed = _html(QUIET_GAP)
    assert _verdict_text(page).startswith("This check is not complete: 1 thing could not be")
    # The accounts the engine says it checked fully keep their own all-clear; the part
    # with the gap (consent, shown under School-wide) does not, nor does the page.
    assert len(parsed.all("p", **{"class": "all-clear"})) == 2
    assert page.count("This account was fully checked and matches your policy") == 2
    assert "Every check on this account matches" not in page
    assert len(parsed.all("p", **{"class": "not-checked"})) == 1
    assert "Everything we checked matches your policy" not in page
    assert "passed every check" not in page


def test_html_with_an_input_problem_is_no_all_clear() -> None:
    # As today's engine reports a broken file: an input finding, and no coverage filled.
    unknown = dataclasses.replace(CLEAN.schools[0], coverage=Coverage())
    page, parsed = _html(_input_problem(dataclasses.replace(CLEAN, schools=(unknown,))))
    assert _verdict_text(page).startswith(
        "1 problem reading your files: this check is not complete"
    )
    assert not parsed.all("p", **{"class": "all-clear"})
    assert len(parsed.all("p", **{"class": "not-checked"})) == 3
    for words in ALL_CLEAR:
        assert words not in page


def test_html_clear_and_action_verdicts_stay_as_they_were() -> None:
    page, parsed = _html(CLEAN)
    assert _verdict_text(page).startswith("Everything we checked matches your policy")
    assert len(parsed.all("p", **{"class": "all-clear"})) == 3
    found = cc.run(cc.school(gaps=(), stale=(), findings=(cc.finding(),)))
    assert _verdict_text(_html(found)[0]).startswith("1 of your 2 accounts does not do what")


def test_html_says_a_stale_account_is_judged_as_last_recorded() -> None:
    page, _ = _html(cc.run(cc.school(gaps=())))
    verdict = _verdict_text(page)
    assert verdict.startswith("Everything we checked matches your policy")
    assert "This account is judged as last recorded, not as it is today" in verdict
    assert "@SchoolPix on Instagram, as last recorded on 2 January 2025" in verdict
    assert "Judged as last recorded on 2 January 2025, not as the account is today." in page


def test_the_fleet_table_shows_a_school_that_could_not_be_checked_fully() -> None:
    fleet = cc.run(
        cc.school(gaps=(), stale=(), name="Errors", findings=(cc.finding(),) * 3),
        cc.school(gaps=(cc.RECORDS,), stale=(), root="t", name="Gapped"),
    )
    page, _ = _html(fleet)
    table = page[page.index("<caption>Your schools") : page.index("</table>")]
    rows = Page(table).text
    assert rows.index("Gapped") < rows.index("Errors")
    gapped = "".join(rows[rows.index("Gapped") :])
    assert gapped.startswith("GappedNot fully checked")


def test_every_textual_format_mentions_every_gap() -> None:
    for name in TEXTUAL:
        out = make(name).render(GAPPED, {})
        for gap in GAPPED.schools[0].coverage.gaps:
            reason = gap.reason if name != "html" else gap.reason.capitalize()
            assert reason in out, (name, gap.target)


# --- the CLI ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fail_on", ["error", "never"])
def test_a_gap_makes_the_run_exit_2(run_cli, monkeypatch, fail_on: str) -> None:
    """Whatever --fail-on says: CI must never pass a run that could not see everything."""
    from safesocial.running import judge, pipeline

    real = judge.check_school

    def with_a_gap(*args: Any, **kwargs: Any) -> Any:
        school = real(*args, **kwargs)
        return dataclasses.replace(school, coverage=Coverage(gaps=(cc.RECORDS,)))

    monkeypatch.setattr(pipeline.judge, "check_school", with_a_gap)
    ran = run_cli(
        "check", str(EXAMPLES / "clean-primary"), "--as-of", AS_OF, "-j", "1", "--fail-on", fail_on
    )
    assert ran.code == 2, ran.err
    assert "not checked     consent  no consent records were given" in ran.out
    assert ran.out.rstrip().rsplit("\n", 1)[-1].startswith("✗ not fully checked: ")
