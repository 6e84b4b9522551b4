"""JUnit XML, the test report GitLab, Jenkins and most CI servers read.

One <testsuite> per school; one <testcase> per rule and target that has findings, failing
with the findings listed; and one passing <testcase> per target for the rules that found
nothing there. Listing every passing rule on every target would be one case per rule
per account (hundreds for a trust) and say little, but every target needs a case so
that a clean account still shows up in GitLab's test report.

Input findings (unreadable or invalid files) are <error>s, not <failure>s: the check
could not run, rather than ran and failed. So is every gap in coverage (a target checked
only in part, or not at all): one <error> case each, and the rules that could not run
are never counted in a passing case, so a gap never looks like a pass.

Findings below --fail-on (warnings and info, by default) do not fail the check, so they
are not failed tests either: GitLab would otherwise show a red test report on a pipeline
that passed. Their case passes and lists them in <system-out>. Input problems and gaps
stay errors whatever --fail-on says, as they make the check exit 2.

ElementTree escapes text and attributes; characters XML 1.0 cannot hold at all (most
control characters) are shown as \\u escapes or dropped first, or the report would not
parse.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from safesocial.findings import Category, Finding, Severity
from safesocial.packs.rules import Rule
from safesocial.reporters import ci, coverage
from safesocial.reporters.base import Reporter, visible
from safesocial.running.results import Gap, RunResult, SchoolResult

# What visible() leaves that XML 1.0 still forbids: U+FFFE and U+FFFF (it escapes surrogates).
_NOT_XML = re.compile("[\ufffe\uffff]")
_COUNTED = {"failure": "failures", "error": "errors", "skipped": "skipped"}
_SCOPE_WORDS = {"school": "school", "account": "account", "staff_account": "staff account"}


def xml_text(text: str) -> str:
    """Input-derived text that XML 1.0 can carry, on one line, shown as written.

    A newline from the input is shown as an escape too: CI servers print failure
    messages and texts in their logs, where a line starting '::error::' would be read
    as a workflow command.
    """
    return _NOT_XML.sub("", visible(text)).replace("\n", "\\u000a")


@dataclass(frozen=True, slots=True)
class _Case:
    target: str
    rule_id: str
    findings: tuple[Finding, ...]


def _cases(school: SchoolResult) -> list[_Case]:
    """(target, rule) pairs with their findings, in the order the findings come; waived
    findings make cases of their own."""
    grouped: dict[tuple[str, str, bool], list[Finding]] = {}
    for f in school.findings:
        grouped.setdefault((f.target, f.rule_id, f.waiver is not None), []).append(f)
    return [_Case(t, r, tuple(fs)) for (t, r, _), fs in grouped.items()]


def _targets(school: SchoolResult) -> list[str]:
    seen = dict.fromkeys(f.target for f in school.findings)
    seen.update(dict.fromkeys(school.targets))
    return list(seen)


def _scope(target: str, school: SchoolResult, rules: Mapping[str, Rule]) -> str | None:
    """Which kind of target this is, for counting the rules that looked at it."""
    if target in school.targets:
        return "account"
    scopes = {
        rules[f.rule_id].scope for f in school.findings if f.target == target and f.rule_id in rules
    }
    return scopes.pop() if len(scopes) == 1 else None


def _where(f: Finding) -> str:
    if f.location is None:
        return ""
    loc = f.location
    return f"{xml_text(ci.shown_path(loc.path))}:{loc.line}:{loc.column} "


def _details(case: _Case, rules: Mapping[str, Rule]) -> str:
    lines = []
    for f in case.findings:
        subject = f" ({f.subject})" if f.subject and f.subject not in f.message else ""
        lines.append(f"{f.severity.value} {_where(f)}{xml_text(f.message + subject)}")
        for rel in f.related:
            loc = rel.location
            where = f"{xml_text(ci.shown_path(loc.path))}:{loc.line}:{loc.column}"
            lines.append(f"  ↳ {where} {xml_text(rel.message)}")
    rule = rules.get(case.rule_id)
    if rule is not None:
        lines += ["", f"What to do: {xml_text(rule.remediation)}"]
        if rule.owner:
            lines.append(f"Who fixes it: {xml_text(rule.owner)}")
    return "\n".join(lines) + "\n"


def _fails(f: Finding, fail_on: str) -> bool:
    """Whether the finding fails the check under --fail-on, as RunResult.outcome says."""
    return fail_on != "never" and f.severity.rank >= Severity(fail_on).rank


def _case_element(
    suite: ET.Element, school: SchoolResult, case: _Case, rules: Mapping[str, Rule], fail_on: str
) -> str:
    """Add the failing test case; return which kind of outcome it was."""
    first = case.findings[0]
    element = ET.SubElement(
        suite,
        "testcase",
        classname=xml_text(f"{school.root}/{case.target}"),
        name=xml_text(f"{case.rule_id} {ci.title(case.rule_id, rules)}"),
    )
    if first.location is not None:
        element.set("file", xml_text(ci.shown_path(first.location.path)))
        element.set("line", str(first.location.line))
    count = len(case.findings)
    message = first.message if count == 1 else f"{count} findings; the first: {first.message}"
    if first.waiver is not None:
        # Accepted for now: skipped, so the report neither fails nor forgets it.
        w = first.waiver
        reason = f"waived until {w.expires_on.isoformat()} by {w.approved_by}: {w.reason}"
        skipped = ET.SubElement(element, "skipped", message=xml_text(reason))
        skipped.text = _details(case, rules)
        return skipped.tag
    is_input = first.category is Category.INPUT
    if not is_input and not _fails(first, fail_on):
        # Reported, but it does not fail the check: a passing case that still shows it.
        out = ET.SubElement(element, "system-out")
        word = "fails on none" if fail_on == "never" else f"fails only on {fail_on} or worse"
        out.text = f"Does not fail the check, which {word}.\n" + _details(case, rules)
        return "passed"
    outcome = ET.SubElement(
        element,
        "error" if is_input else "failure",
        message=xml_text(message),
        type="input" if is_input else first.severity.value,
    )
    outcome.text = _details(case, rules)
    return outcome.tag


def _passing(
    suite: ET.Element,
    school: SchoolResult,
    target: str,
    failed: Sequence[str],
    rules: Mapping[str, Rule],
) -> None:
    scope = _scope(target, school, rules)
    gaps = school.coverage.gaps_on(target)
    if scope is None or any(g.whole for g in gaps):
        return  # nothing ran there: its <error> case says so, and nothing passed
    not_run = {r for g in gaps for r in g.rules}
    count = sum(
        r.scope == scope and r.id not in failed and r.id not in not_run for r in rules.values()
    )
    if failed and not count:
        return  # its failing cases already show the target
    other = "other " if failed else ""
    ran = " that could run" if not_run else ""
    ET.SubElement(
        suite,
        "testcase",
        classname=xml_text(f"{school.root}/{target}"),
        name=f"no findings from the {other}{count} {_SCOPE_WORDS.get(scope, scope)} rules{ran}",
    )


def _gap_case(suite: ET.Element, school: SchoolResult, gap: Gap) -> None:
    """An <error> case: the check could not run there, which is not a pass."""
    element = ET.SubElement(
        suite,
        "testcase",
        classname=xml_text(f"{school.root}/{gap.target}"),
        name=f"coverage: {coverage.extent(gap)}",
    )
    lines = [xml_text(coverage.describe(gap))]
    if gap.location is not None:
        loc = gap.location
        element.set("file", xml_text(ci.shown_path(loc.path)))
        element.set("line", str(loc.line))
        lines.append(f"at {xml_text(ci.shown_path(loc.path))}:{loc.line}:{loc.column}")
    error = ET.SubElement(
        element,
        "error",
        message=xml_text(f"{gap.target}: {coverage.describe(gap)}"),
        type=coverage.extent(gap).replace(" ", "-"),
    )
    error.text = "\n".join(lines) + "\n"


def _suite(
    parent: ET.Element,
    school: SchoolResult,
    rules: Mapping[str, Rule],
    as_of: str,
    rule_count: int,
    fail_on: str,
) -> dict[str, int]:
    suite = ET.SubElement(parent, "testsuite", name=xml_text(f"{school.name} ({school.root})"))
    props = ET.SubElement(suite, "properties")
    for key, value in (("as_of", as_of), ("school", school.root), ("rules_run", str(rule_count))):
        ET.SubElement(props, "property", name=key, value=xml_text(value))
    for target, day in school.coverage.stale:
        text = xml_text(coverage.as_recorded(target, day))
        ET.SubElement(props, "property", name="as_last_recorded", value=text)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for gap in school.coverage.gaps:
        _gap_case(suite, school, gap)
        counts["tests"] += 1
        counts["errors"] += 1
    cases = _cases(school)
    for target in _targets(school):
        mine = [c for c in cases if c.target == target]
        for case in mine:
            outcome = _case_element(suite, school, case, rules, fail_on)
            if outcome != "passed":  # a passing case is counted in tests, below
                counts[_COUNTED[outcome]] += 1
        before = len(suite)
        _passing(suite, school, target, [c.rule_id for c in mine], rules)
        counts["tests"] += len(mine) + len(suite) - before
    if counts["tests"] == 0:
        # A school with nothing to show (no accounts, no findings) still gets a case.
        ET.SubElement(suite, "testcase", classname=xml_text(school.root), name="no findings")
        counts["tests"] = 1
    for key, count in counts.items():
        suite.set(key, str(count))
    return counts


class JunitReporter(Reporter):
    def render(self, result: RunResult, rules: Mapping[str, Rule]) -> str:
        root = ET.Element("testsuites", name="safesocial")
        as_of = result.settings.as_of.isoformat()
        totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for school in result.schools:
            counts = _suite(root, school, rules, as_of, result.rule_count, self.options.fail_on)
            totals = {k: totals[k] + counts[k] for k in totals}
        for key, total in totals.items():
            root.set(key, str(total))
        ET.indent(root)
        body = ET.tostring(root, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
