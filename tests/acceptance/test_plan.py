"""The action plan: grouped by who fixes it, each item with what to do and by when (now
for must-fix items, the record's own date where it has one), in the HTML report and as
Markdown and CSV; CSV cells never run as formulas in a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from safesocial.findings import Category, Finding, Location, Severity
from safesocial.reporters.plan import PlanCsvReporter, by_owner, cell, items
from safesocial.running.results import RunResult, SchoolResult
from safesocial.settings import Settings
from tests.conftest import AS_OF, ROOT

TODAY = date(2026, 11, 21)


def _run(findings: list[Finding], name: str = "Oakfield Primary") -> RunResult:
    school = SchoolResult("s", name, ("s/school.yaml",), ("x:@Oak",), tuple(findings))
    return RunResult((school,), Settings(as_of=TODAY), 1)


def _finding(rule: str, severity: Severity, due: date | None = None, **kw: str) -> Finding:
    return Finding(
        rule,
        severity,
        Category.RECORDS,
        "m",
        kw.get("target", "school"),
        subject=kw.get("subject"),
        location=Location("s/school.yaml", 3, 1),
        due=due,
    )


def test_by_when_is_now_the_records_own_date_or_soon(builtin_rules) -> None:
    rules = {r.id: r for r in builtin_rules}
    found = items(
        _run(
            [
                _finding("SS101", Severity.ERROR, target="x:@Oak"),
                _finding("SS611", Severity.WARNING, date(2027, 3, 1), subject="pupil P1"),
                _finding("SS808", Severity.WARNING, date(2026, 10, 1), subject="staff S004"),
                _finding("SS103", Severity.WARNING, target="x:@Oak"),
            ]
        ),
        rules,
    )
    when = {i.rule_id: (i.when, i.due) for i in found}
    assert when["SS101"] == ("Now", None)  # must fix
    assert when["SS611"] == ("By 1 March 2027", date(2027, 3, 1))  # consent: its expiry
    assert when["SS808"] == ("Now (due 1 October 2026)", date(2026, 10, 1))  # overdue
    assert when["SS103"] == ("Within a month", None)
    owners = [name for name, _ in by_owner(found)]
    assert owners == ["DSL", "E-safety officer", "School office"]


def test_the_engine_gives_consent_and_training_their_own_dates(run_cli, tmp_path: Path) -> None:
    school = tmp_path / "school"
    import shutil

    shutil.copytree(ROOT / "examples" / "clean-primary", school)
    roster = school / "school.yaml"
    text = roster.read_text("utf-8")
    assert 'safeguarding_trained_on: "2026-09-02"' in text
    roster.write_text(
        text.replace(
            'safeguarding_trained_on: "2026-09-02"', 'safeguarding_trained_on: "2025-06-30"', 1
        ),
        "utf-8",
    )
    out = tmp_path / "plan.csv"
    ran = run_cli("check", str(school), "--as-of", AS_OF, "-o", f"plan-csv:{out}")
    assert ran.code in (0, 1), ran.err
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    training = [r for r in rows if r["rule"] == "SS808"]
    assert training and training[0]["due date"] == "2026-06-30"
    assert training[0]["by when"] == "Now (due 30 June 2026)"
    assert training[0]["who"] == "DSL"


def test_csv_cells_never_run_as_formulas() -> None:
    for bad in ('=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"):
        # Defused: an apostrophe first, or the control character shown as an escape.
        assert cell(bad)[0] in "'\\", bad
    assert cell("Oakfield") == "Oakfield"
    out = PlanCsvReporter().render(
        _run([_finding("SS101", Severity.ERROR, target="x:@Oak")], name="=cmd|' /C calc'!A0"),
        {},
    )
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["school"] == "'=cmd|' /C calc'!A0"
    assert "\r" not in out


def test_the_html_report_ends_with_the_plan_and_a_sign_off_box(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    run_cli(
        "check",
        str(ROOT / "examples" / "followback-secondary"),
        "--as-of",
        AS_OF,
        "-o",
        f"html:{out}",
    )
    page = out.read_text("utf-8")
    plan = page[page.index('id="plan"') : page.index('id="sign-off"')]
    assert "<h3>DSL</h3>" in plan and "<h3>E-safety officer</h3>" in plan
    assert plan.index("<h3>DSL</h3>") < plan.index("<h3>E-safety officer</h3>")
    assert '<td class="when">Now</td>' in plan
    sign = page[page.index('id="sign-off"') :]
    for label in ("Name", "Role", "Date", "Signature"):
        assert f'<span class="sign-label">{label}</span>' in sign
    # The box is blank on purpose, to fill in by hand.
    assert sign.count('<span class="sign-line" aria-hidden="true"></span>') == 4


def test_plan_md_groups_by_who_fixes_it(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    ran = run_cli(
        "check",
        str(ROOT / "examples" / "department-accounts"),
        "--as-of",
        AS_OF,
        "-o",
        f"plan-md:{out}",
    )
    assert ran.code == 1
    text = out.read_text("utf-8")
    assert text.startswith("# Action plan: Kingsford Park School")
    assert "## DSL" in text and "## Headteacher" in text
    assert text.index("## DSL") < text.index("## Headteacher")
    assert "| Now |" in text
