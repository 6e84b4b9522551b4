"""Runs with gaps in coverage, built by hand, for every format's tests.

The engine fills SchoolResult.coverage; these build it directly, so that each reporter
can be tested on every kind of gap (an account checked in part, a file that never
became an account, records without a location) and on a stale account, with or
without findings, and with hostile text in every string a gap carries.
"""

from __future__ import annotations

from datetime import date

from safesocial.findings import Category, Finding, Location, Severity
from safesocial.running.results import Coverage, Gap, RunResult, SchoolResult
from safesocial.settings import Settings

ROOT = "s"
ACCOUNT = "x:@School"
OTHER = "instagram:@SchoolPix"
PARTLY = Gap(
    ACCOUNT,
    "the account file gives no followers list",
    Location(f"{ROOT}/accounts/main.yaml", 4, 1),
    ("SS110", "SS111"),
)
BROKEN = Gap(
    "accounts/old.yaml", "the file could not be read", Location(f"{ROOT}/accounts/old.yaml", 1, 1)
)
RECORDS = Gap("consent", "no consent records were given")
STALE = (OTHER, "2025-01-02")


def finding(target: str = OTHER, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(
        rule_id="SS101",
        severity=severity,
        category=Category.DRIFT,
        message="the account is public",
        target=target,
        location=Location(f"{ROOT}/accounts/pix.yaml", 2, 1),
        school=ROOT,
    )


def school(
    gaps: tuple[Gap, ...] = (PARTLY, BROKEN, RECORDS),
    findings: tuple[Finding, ...] = (),
    stale: tuple[tuple[str, str], ...] = (STALE,),
    root: str = ROOT,
    name: str = "Oakfield Primary",
) -> SchoolResult:
    checked = tuple(t for t in (ACCOUNT, OTHER, "school") if t not in {g.target for g in gaps})
    return SchoolResult(
        root=root,
        name=name,
        files=(f"{root}/school.yaml", f"{root}/accounts/main.yaml", f"{root}/accounts/pix.yaml"),
        targets=(ACCOUNT, OTHER),
        findings=findings,
        coverage=Coverage(checked=checked, gaps=gaps, stale=stale),
    )


def run(*schools: SchoolResult) -> RunResult:
    return RunResult(schools or (school(),), Settings(as_of=date(2026, 11, 21)), 87)


def hostile(text: str) -> RunResult:
    """Every string a gap or a stale entry carries holds `text`."""
    root = f"schools/{text}"
    gaps = (
        Gap(
            f"x:@{text}",
            f"reason {text}",
            Location(f"{root}/accounts/{text}.yaml", 3, 1),
            (f"SS1{text}",),
        ),
        Gap(f"accounts/{text}.yaml", f"unread {text}", Location(f"{root}/{text}.yaml", 1, 1)),
        Gap(text, f"records {text}"),
    )
    return run(school(gaps, (), ((f"x:@{text}", f"2025-01-0{text}"),), root, f"School {text}"))
