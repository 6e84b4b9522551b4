"""Keeping a SARIF file inside what GitHub code scanning takes.

GitHub documents its limits on uploaded SARIF ("SARIF results exceed limit" and "SARIF
file is too large" in GitHub's code scanning docs): at most 20 runs per file (we write
one), 25,000 results per run of which only the top 5,000 by severity are kept, 1,000
locations per result of which 100 are shown, 10 of a rule's tags shown (20 allowed),
and a 10 MB file. A trust's fleet can pass several of these: one follower list with 300
unapproved followers is 300 findings of one rule on one account.

So findings of one rule on one target are grouped into one result (the first finding,
with the others as its related locations), and past the limits the least urgent are left
out, counted in the run's properties and in the job summary, never silently. The JSON,
HTML and Markdown reports are not limited and hold every finding.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from safesocial.findings import Category, Finding
from safesocial.running.results import RunResult, SchoolResult

RESULTS_PER_RUN = 5_000  # what code scanning keeps of a run (25,000 are accepted)
RELATED_PER_RESULT = 100  # what code scanning shows of a result (1,000 are accepted)
TAGS_PER_RULE = 10  # what code scanning shows of a rule's tags (20 are accepted)
FILE_BYTES = 10_000_000  # the largest file code scanning accepts
# Results may take this much of the file; rules, notifications and properties the rest.
RESULT_BYTES = 8_000_000


@dataclass(frozen=True, slots=True)
class Group:
    """One SARIF result: every finding of one rule on one target in one school (waived
    and unwaived apart, since only the waived ones are suppressed)."""

    school: SchoolResult
    findings: tuple[Finding, ...]  # the first is the result's own

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def urgency(self) -> tuple[int, int, int]:
        """Lower sorts first: input problems, then by severity, waived findings last."""
        f = self.first
        return (f.category is not Category.INPUT, -f.severity.rank, f.waiver is not None)


def groups(result: RunResult) -> list[Group]:
    """Every school's findings grouped by (target, rule, waived), in the order they come."""
    found: list[Group] = []
    for school in result.schools:
        grouped: dict[tuple[str, str, bool], list[Finding]] = {}
        for f in school.findings:
            grouped.setdefault((f.target, f.rule_id, f.waiver is not None), []).append(f)
        found.extend(Group(school, tuple(fs)) for fs in grouped.values())
    return found


@dataclass(frozen=True, slots=True)
class Omitted:
    """What a SARIF file left out to stay within code scanning's limits."""

    results: int = 0  # whole results (groups) left out
    findings: int = 0  # findings left out, in those results or past a result's related cap

    def __bool__(self) -> bool:
        return self.findings > 0

    def sentence(self) -> str:
        """For the job summary and the run's properties: how many, and where they are."""
        many = "finding was" if self.findings == 1 else "findings were"
        return (
            f"{self.findings} {many} left out of the SARIF report to stay within GitHub "
            f"code scanning's limits ({RESULTS_PER_RUN:,} results a run, "
            f"{RELATED_PER_RESULT} locations a result, {FILE_BYTES // 1_000_000} MB a file); "
            "the JSON and HTML reports hold every finding."
        )


# A result sits this deep in the file SarifReporter writes (indent 2: doc, runs, the
# run, results), so each of its lines carries this many more spaces there.
_RESULT_INDENT = 8


def _size(result: dict[str, Any]) -> int:
    """The bytes `result` takes in the written file, indentation and separator included."""
    text = json.dumps(result, indent=2, ensure_ascii=False)
    return len(text.encode("utf-8")) + _RESULT_INDENT * (text.count("\n") + 1) + 2


def fit(
    result: RunResult, build: Callable[[Group, int], dict[str, Any]]
) -> tuple[list[dict[str, Any]], Omitted]:
    """The results to write, in report order, and what was left out.

    `build(group, related_cap)` makes one result; the most urgent results are kept first
    while the count and the byte budget allow.
    """
    built = [(g, build(g, RELATED_PER_RESULT)) for g in groups(result)]
    order = sorted(range(len(built)), key=lambda i: built[i][0].urgency)
    kept: set[int] = set()
    spent = 0
    for i in order:
        size = _size(built[i][1])
        if len(kept) >= RESULTS_PER_RUN or spent + size > RESULT_BYTES:
            break  # all that follow are less urgent: none is kept before this one
        kept.add(i)
        spent += size
    left = [g for i, (g, _) in enumerate(built) if i not in kept]
    unlisted = sum(
        r["properties"].get("unlisted", 0) for i, (_, r) in enumerate(built) if i in kept
    )
    omitted = Omitted(results=len(left), findings=sum(len(g.findings) for g in left) + unlisted)
    return [built[i][1] for i in range(len(built)) if i in kept], omitted
