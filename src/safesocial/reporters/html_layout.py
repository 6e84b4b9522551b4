"""How the HTML report arranges findings: sections per account, items per rule, worst first.

No markup here: html.py renders what this module decides, so the arrangement can be
read (and tested) apart from the HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from safesocial.findings import Category, Finding, Severity
from safesocial.reporters.html_words import NOUNS, PLATFORMS, RECORDS, SEVERITY, channel
from safesocial.running.results import Gap, RunResult, SchoolResult

CATEGORY_ORDER = {Category.INPUT: 0, Category.DRIFT: 1, Category.GUIDANCE: 2, Category.RECORDS: 3}


def open_(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that count: a waived one is accepted for now, and listed apart."""
    return [f for f in findings if f.waiver is None]


def tone(findings: Iterable[Finding]) -> str:
    """A section's status: 'input' if a file could not be read, else its worst open
    finding's severity; waived findings change nothing."""
    found = open_(findings)
    if any(f.category is Category.INPUT for f in found):
        return "input"
    if not found:
        return "ok"
    return SEVERITY[max((f.severity for f in found), key=lambda s: s.rank)][0]


def school_tone(school: SchoolResult) -> str:
    """A school's status: 'input' if a file could not be read, 'gap' if something could
    not be checked fully (never an all-clear), else its worst open finding's."""
    found = tone(school.findings)
    return "gap" if found != "input" and school.coverage.gaps else found


@dataclass(frozen=True, slots=True)
class Area:
    """A section of one school's part of the report: an account, or the findings about
    staff accounts, the school as a whole, files that could not be read, or what could
    not be checked fully."""

    key: str  # "account", "staff", "school", "input", "gaps" or "waived"
    title: str
    findings: tuple[Finding, ...]
    platform: str = ""
    waived: int = 0  # findings here that the school has waived, listed in their own section
    gaps: tuple[Gap, ...] = ()  # what could not be checked fully here
    # The school's check is not complete and nothing says this part was fully checked:
    # finding nothing here is then no all-clear.
    unsure: bool = False
    as_recorded: str = ""  # an account judged from an old observation: that day
    # The school's check as a whole is not complete (even if this part is).
    in_incomplete: bool = False

    @property
    def tone(self) -> str:
        if self.key in ("waived", "gaps"):
            return "waived" if self.key == "waived" else "gap"
        found = tone(self.findings)
        if found == "input":
            return found
        # Not checked fully outranks what was found, as in the verdict.
        return "gap" if self.gaps or (found == "ok" and self.unsure) else found


def account_title(target: str, account_type: str | None = None) -> tuple[str, str]:
    platform, sep, handle = target.partition(":")
    if not sep:
        return target, ""
    name = channel(platform, account_type, handle) or handle
    return name, PLATFORMS.get(platform, platform.capitalize())


def target_label(target: str) -> str:
    """What a finding is about, in words: '@Handle on X (Twitter)', 'Staff member S030
    (instagram)', 'The school as a whole'."""
    if target.startswith("staff:"):
        return "Staff member " + target.removeprefix("staff:")
    if target in RECORDS:
        return RECORDS[target]
    if target.endswith((".yaml", ".yml", ".csv")):
        return f"The file {target}"
    handle, platform = account_title(target)
    return f"{handle} on {platform}" if platform else handle


def areas(school: SchoolResult) -> list[Area]:
    """A school's sections in reading order: unreadable files first (nothing else is
    complete without them), accounts worst first, then staff accounts, the school, and
    what the school has waived for now."""
    inputs = [f for f in school.findings if f.category is Category.INPUT]
    lint = [f for f in open_(school.findings) if f.category is not Category.INPUT]
    waived = tuple(f for f in school.findings if f.waiver is not None)
    accounts = list(dict.fromkeys(school.targets))
    # A finding on an account the engine did not list still belongs in a section.
    accounts += [
        t
        for t in dict.fromkeys(f.target for f in lint)
        if t not in accounts and ":" in t and not t.startswith("staff:")
    ]
    cover = school.coverage
    incomplete = not school.complete

    def unsure(target: str) -> bool:
        return incomplete and target not in cover.checked

    found: list[Area] = []
    if inputs:
        found.append(Area("input", "Problems reading your files", tuple(inputs)))
    if cover.gaps:
        found.append(Area("gaps", "What could not be checked", (), gaps=cover.gaps))
    account_areas = []
    for target in accounts:
        handle, platform = account_title(target, school.account_types.get(target))
        own = tuple(f for f in lint if f.target == target)
        accepted = sum(f.target == target for f in waived)
        area = Area(
            "account",
            handle,
            own,
            platform,
            accepted,
            gaps=cover.gaps_on(target),
            unsure=unsure(target),
            as_recorded=cover.stale_on(target) or "",
            in_incomplete=incomplete,
        )
        account_areas.append(area)
    rank = {"gap": 0, "error": 1, "warning": 2, "info": 3, "ok": 4}
    # Worst first; sorted() keeps the files' order among equals.
    found += sorted(account_areas, key=lambda a: rank[a.tone])
    staff = tuple(f for f in lint if f.target.startswith("staff:"))
    if staff:
        found.append(Area("staff", "Staff accounts", staff))
    placed = set(accounts)
    school_wide = tuple(
        f for f in lint if f.target not in placed and not f.target.startswith("staff:")
    )
    elsewhere = tuple(g for g in cover.gaps if g.target not in placed)
    found.append(
        Area("school", "School-wide", school_wide, gaps=elsewhere, unsure=unsure("school"))
    )
    if waived:
        found.append(Area("waived", "Waived by the school", waived))
    return found


def items(findings: Sequence[Finding]) -> list[tuple[Finding, ...]]:
    """Findings of one rule on one target together (and under one waiver, if waived),
    worst and most urgent first."""
    groups: dict[tuple[str, str, object], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.target, f.rule_id, f.waiver), []).append(f)
    ordered = sorted(
        groups.values(),
        key=lambda g: (-g[0].severity.rank, CATEGORY_ORDER[g[0].category]),
    )
    return [tuple(g) for g in ordered]


def count_words(findings: Sequence[Finding]) -> str:
    first = {(f.subject or "").split(" ", 1)[0] for f in findings}
    noun = NOUNS.get(first.pop()) if len(first) == 1 else None
    return f"{len(findings)} {noun}" if noun else f"{len(findings)} times"


def counts(findings: Iterable[Finding]) -> tuple[int, int, int, int]:
    """Must fix, should fix, for information, and input problems; waived ones not at all."""
    errors = warnings = infos = inputs = 0
    for f in open_(findings):
        if f.category is Category.INPUT:
            inputs += 1
        elif f.severity is Severity.ERROR:
            errors += 1
        elif f.severity is Severity.WARNING:
            warnings += 1
        else:
            infos += 1
    return errors, warnings, infos, inputs


def ranked(result: RunResult) -> list[SchoolResult]:
    """Schools most urgent first: unreadable files, gaps, then must-fix, should-fix, for
    information."""

    def worst(school: SchoolResult) -> tuple[int, int, int, int, int]:
        errors, warnings, infos, inputs = counts(school.findings)
        return (-inputs, -len(school.coverage.gaps), -errors, -warnings, -infos)

    return sorted(result.schools, key=worst)
