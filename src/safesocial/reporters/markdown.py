"""A compact Markdown summary for a CI job summary ($GITHUB_STEP_SUMMARY) or a pull-request
comment: the verdict, counts per school, then a table of findings per account, capped
so that a school with thousands of findings still makes a readable comment."""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import groupby

from safesocial.findings import Finding, Location, Severity
from safesocial.packs.rules import Rule
from safesocial.reporters import ci, coverage, plain, sarif
from safesocial.reporters import html_layout as layout
from safesocial.reporters.base import Reporter, visible
from safesocial.reporters.summary import Summary
from safesocial.running import compare
from safesocial.running.results import Comparison, Gap, RunResult, SchoolResult
from safesocial.text import plural

#: At most this many findings are listed; the rest are counted.
LIMIT = 50

# The emoji helps a reader scan; the word is always there, so severity never rests
# on colour or pictures alone.
_INFO = "\u2139\ufe0f"  # the "information source" emoji, written so no linter mistakes it for i
_SEVERITY = {
    Severity.ERROR: "❌ error",
    Severity.WARNING: "⚠️ warning",
    Severity.INFO: f"{_INFO} info",
}

# Every character GitHub-flavoured Markdown could read as markup, and what makes it
# plain text: ASCII punctuation takes a backslash (CommonMark allows one before any);
# <, > and & become entities, so no raw tag or entity survives; a line break would end
# the table row, so it becomes a space. ':' is escaped so that no autolink
# (http://..., mailto:) or emoji shortcode forms, and '.' after "www" for www. links;
# '$' for GitHub's maths. '@' and '#' get a zero-width space after them, as Renovate
# does, so a handle does not notify a GitHub user and #12 does not link an issue.
_MARKUP = re.compile(r"(?i)(?<=www)\.|[\\`*_{}\[\]()!|~:$<>&@#\n\t]")
_REPLACE = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "\n": " ", "\t": " "}
_ZWSP = "&#8203;"


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    if char in _REPLACE:
        return _REPLACE[char]
    if char in "@#":
        return ("\\" if char == "#" else "") + char + _ZWSP
    return "\\" + char


def escape(text: str) -> str:
    """`text` from the input, made to show as itself in Markdown, even in a table cell."""
    # Control and direction-changing characters first: they become \u escapes, whose
    # backslash is then escaped in turn.
    return _MARKUP.sub(_escape_one, visible(text))


def _where(loc: Location, root: str) -> str:
    """file:line:column, the file relative to its school's folder as the heading names it."""
    prefix = root.rstrip("/") + "/"
    path = loc.path[len(prefix) :] if loc.path.startswith(prefix) else loc.path
    return escape(f"{path}:{loc.line}:{loc.column}")


def _message(f: Finding, root: str, rule: Rule | None) -> str:
    """What was found and what the policy says, in plain words (the rule's `words:`);
    the file and line of each, for whoever edits the files."""
    text = escape(plain.found(rule, f, layout.target_label(f.target)))
    if f.subject and f.subject not in text and not (rule and rule.words.found):
        text += f" ({escape(f.subject)})"
    for said, loc in plain.said(rule, f.related):
        where = _where(loc, root) if loc else ""
        text += f" ↳ {escape(said)} ({where})" if said else f" ↳ ({where})"
    return text


def _row(f: Finding, root: str, rules: Mapping[str, Rule], cmp: Comparison | None) -> str:
    rule = escape(f"{f.rule_id} {ci.rule_name(f.rule_id, rules)}".strip())
    where = _where(f.location, root) if f.location else ""
    state = ""
    if cmp is not None:
        state = " | " + ("🆕 new" if cmp.state(f) == "new" else "still open")
    found = _message(f, root, rules.get(f.rule_id))
    return f"| {_SEVERITY[f.severity]} | {rule} | {where} | {found}{state} |"


def _verdict(result: RunResult, summary: Summary) -> str:
    """The heading, in one of three states: all clear, action needed, or not fully
    checked; a run with anything unread or unchecked never gets the all-clear."""
    if result.verdict() == "incomplete":
        return f"## ❌ safesocial: could not check everything: {summary.sentence()}"
    if summary.errors:
        mark = "❌"
    elif summary.warnings:
        mark = "⚠️"
    else:
        mark = "✅"
    if summary.total == 0:
        return f"## {mark} safesocial: no findings: {summary.sentence()}"
    return f"## {mark} safesocial: {summary.sentence()}"


def _counts(result: RunResult) -> list[str]:
    lines = [
        f"| school | folder | accounts | ❌ errors | ⚠️ warnings | {_INFO} info | waived "
        "| input problems | not fully checked |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    # Worst first, as a trust's safeguarding lead reads it; ties in folder order.
    ranked = sorted(
        ((Summary.of_schools([s]), s) for s in result.schools),
        key=lambda row: (row[0].urgency, row[1].root),
    )
    for n, school in ranked:
        lines.append(
            f"| {escape(school.name)} | {escape(school.root)} | {n.accounts} "
            f"| {n.errors} | {n.warnings} | {n.infos} | {n.waived} | {n.input_errors} "
            f"| {n.gaps} |"
        )
    return lines


def _gap_row(gap: Gap, root: str) -> str:
    where = _where(gap.location, root) if gap.location else ""
    not_run = escape(", ".join(gap.rules)) if gap.rules else "all"
    what, why = escape(gap.target), escape(gap.reason)
    return f"| {what} | {coverage.extent(gap)} | {not_run} | {where} | {why} |"


def _coverage(school: SchoolResult) -> list[str]:
    """What could not be checked (never capped: a gap is never left unsaid), and which
    accounts are judged as last recorded rather than as they are today."""
    lines: list[str] = []
    if school.coverage.checked:
        shown = ", ".join(escape(t) for t in school.coverage.checked)
        lines += [f"Fully checked: {shown}.", ""]
    if school.coverage.gaps:
        lines += ["#### could not be checked fully", ""]
        lines += ["| what | how much | rules not run | where | why |", "|---|---|---|---|---|"]
        lines += [_gap_row(g, school.root) for g in school.coverage.gaps]
        lines.append("")
    for target, day in school.coverage.stale:
        lines += [f"{escape(coverage.as_recorded(target, day))}.", ""]
    return lines


def _waiver(f: Finding) -> str:
    w = f.waiver
    if w is None:
        return ""
    return (
        f"{escape(w.reason)} (approved by {escape(w.approved_by)} on "
        f"{w.approved_on.isoformat()}; expires {w.expires_on.isoformat()})"
    )


def _school(
    school: SchoolResult, rules: Mapping[str, Rule], room: int, cmp: Comparison | None
) -> list[str]:
    """The school's section, listing at most `room` findings."""
    lines = [f"### {escape(school.name)}", "", *_coverage(school)]
    if not school.findings:
        # With a gap, "no findings" is only about what could be checked.
        none = "No findings in what could be checked." if school.coverage.gaps else "No findings."
        return [*lines, none, ""]
    active = [f for f in school.findings if f.waiver is None]
    for target, group in groupby(active, key=lambda f: f.target):
        if room <= 0:
            break
        shown = list(group)[:room]
        room -= len(shown)
        heading = "input problems" if target == "input" else escape(layout.target_label(target))
        lines += [f"#### {heading}", ""]
        if cmp is None:
            lines += ["| severity | rule | where | finding |", "|---|---|---|---|"]
        else:
            lines += [
                "| severity | rule | where | finding | since last check |",
                "|---|---|---|---|---|",
            ]
        lines += [_row(f, school.root, rules, cmp) for f in shown]
        lines.append("")
    # Waived findings are listed apart, with who accepted them and until when, so that
    # an accepted gap stays visible without reading as a new problem.
    waived = [f for f in school.findings if f.waiver is not None][: max(room, 0)]
    if waived:
        lines += ["#### waived", ""]
        lines += ["| severity | rule | where | finding | waiver |", "|---|---|---|---|---|"]
        lines += [f"{_row(f, school.root, rules, None)} {_waiver(f)} |" for f in waived]
        lines.append("")
    return lines


def _fixed(result: RunResult, rules: Mapping[str, Rule]) -> list[str]:
    """With --compare: what the earlier run found that this one no longer does."""
    cmp = result.compare
    if cmp is None or not cmp.fixed:
        return []
    lines = [f"### ✅ fixed since {cmp.since.isoformat()}", ""]
    for gone in cmp.fixed[:LIMIT]:
        rule = rules.get(gone.rule_id)
        title = rule.title if rule else gone.rule_id
        subject = f" ({escape(gone.subject)})" if gone.subject else ""
        lines.append(f"- {escape(title)}: {escape(layout.target_label(gone.target))}{subject}")
    if len(cmp.fixed) > LIMIT:
        lines.append(f"- …and {len(cmp.fixed) - LIMIT} more")
    return [*lines, ""]


class MarkdownReporter(Reporter):
    def render(self, result: RunResult, rules: Mapping[str, Rule]) -> str:
        summary = Summary.of(result)
        as_of = result.settings.as_of.isoformat()
        checked = f"Checked as of {as_of} with {result.rule_count} rules."
        if result.baseline is not None:
            known, fixed = result.baseline.known, len(result.baseline.fixed)
            checked += (
                f" The baseline left out {plural(known, 'known finding')};"
                f" {fixed} of its findings {'is' if fixed == 1 else 'are'} fixed."
            )
        if result.compare is not None:
            new, still, fixed = compare.counts(result)
            checked += (
                f" Since the check of {result.compare.since.isoformat()}: {new} new, "
                f"{still} still open, {fixed} fixed."
            )
        lines = [_verdict(result, summary), "", checked, "", *_counts(result), ""]
        room = LIMIT
        for school in result.schools:
            if room <= 0 and school.findings and school.coverage.complete:
                continue
            lines += _school(school, rules, room, result.compare)
            room -= len(school.findings)
        lines += _fixed(result, rules)
        hidden = len(result.findings) - LIMIT
        if hidden > 0:
            lines += [
                f"…and {plural(hidden, 'more finding')} not listed here; "
                "the SARIF, JSON or HTML report lists them all.",
                "",
            ]
        if left_out := sarif.omitted(result):  # code scanning's limits (sarif_limits.py)
            lines += [left_out.sentence(), ""]
        return "\n".join(lines)
