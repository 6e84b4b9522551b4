"""The action plan: what to do, who does it and by when, from a run's findings.

One item per rule and account (as the report groups them), grouped by who fixes it (the
rule's `owner`). By when: now for anything that must be fixed, and for files that could
not be read or checked; the record's own date where it has one (a consent renewal by
its expiry, training by when it falls due), now if that date has passed; otherwise
within a month (should fix) or at the next policy review (for information).

The same plan goes into the HTML report, and out as Markdown (`plan-md`) and CSV
(`plan-csv`) for a school's own tracker.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from safesocial.findings import Category, Finding, Location, Severity
from safesocial.packs.rules import Rule
from safesocial.reporters import html_layout as layout
from safesocial.reporters import html_words as words
from safesocial.reporters import plain
from safesocial.reporters.base import Reporter, visible
from safesocial.reporters.markdown import escape as md
from safesocial.running.results import RunResult, SchoolResult

# Owners in the order a plan is read: safeguarding first.
ORDER = ("DSL", "Headteacher", "E-safety officer", "School office")
SOON = "Within a month"
REVIEW = "At the next policy review"


@dataclass(frozen=True, slots=True)
class Item:
    school: str
    owner: str
    title: str  # what is wrong, in a line
    about: str  # which account or record, in words
    todo: str  # what to do
    when: str  # by when, in words
    due: date | None  # by when, as a date (None: now or no date)
    urgency: str  # Must fix, Should fix, For information, Fix first
    rule_id: str
    count: int
    state: str  # new, open (still open since the earlier run) or "" without --compare
    where: str  # the file and line, for whoever keeps the files

    @property
    def rank(self) -> tuple[int, date]:
        order = {"Fix first": 0, "Must fix": 1, "Should fix": 2, "For information": 3}
        return order.get(self.urgency, 4), self.due or date.min


def _when(group: Sequence[Finding], as_of: date) -> tuple[str, date | None]:
    lead = group[0]
    dues = [f.due for f in group if f.due is not None]
    due = min(dues) if dues else None
    if lead.category is Category.INPUT or lead.severity is Severity.ERROR:
        return "Now", None
    if due is not None:
        if due <= as_of:
            return f"Now (due {words.day(due)})", due
        return f"By {words.day(due)}", due
    return (SOON if lead.severity is Severity.WARNING else REVIEW), None


def _where(loc: Location | None, root: str) -> str:
    """'accounts/x.yaml line 21': for whoever keeps the files, relative to the school."""
    if loc is None:
        return ""
    return f"{loc.path.removeprefix(root.rstrip('/') + '/')} line {loc.line}"


def items(result: RunResult, rules: Mapping[str, Rule]) -> list[Item]:
    """Every open item of every school, most urgent first within each school."""
    out: list[Item] = []
    for school in result.schools:
        out += school_items(school, result, rules)
    return out


def school_items(school: SchoolResult, result: RunResult, rules: Mapping[str, Rule]) -> list[Item]:
    found: list[Item] = []
    as_of = result.settings.as_of
    open_ = layout.open_(school.findings)
    for group in layout.items(open_):
        lead = group[0]
        rule = rules.get(lead.rule_id)
        when, due = _when(group, as_of)
        if lead.category is Category.INPUT:
            title = words.INPUT_TITLES.get(lead.rule_id, "A file could not be read")
            todo, urgency = words.INPUT_TODO, "Fix first"
        else:
            title = rule.title if rule else plain.found(None, lead, "")
            todo = plain.todo(rule, school) if rule else words.INPUT_TODO
            step = plain.steps(rule, lead.target) if rule else ""
            todo += f" {step}." if step else ""
            urgency = words.SEVERITY[lead.severity][1]
        states = {result.compare.state(f) for f in group} if result.compare else set()
        found.append(
            Item(
                school=school.name,
                owner=plain.KEEPER if lead.category is Category.INPUT else plain.owner(rule),
                title=title,
                about=layout.target_label(lead.target),
                todo=" ".join(todo.split()),
                when=when,
                due=due,
                urgency=urgency,
                rule_id=lead.rule_id,
                count=len(group),
                state="new" if "new" in states else ("open" if states else ""),
                where=_where(lead.location, school.root),
            )
        )
    for gap in school.coverage.gaps:
        found.append(
            Item(
                school=school.name,
                owner=plain.KEEPER,
                title="Could not be checked fully: " + layout.target_label(gap.target),
                about=layout.target_label(gap.target),
                todo=f"Why: {gap.reason.rstrip('.')}. {words.GAP_TODO}",
                when="Now",
                due=None,
                urgency="Fix first",
                rule_id=", ".join(gap.rules),
                count=1,
                state="",
                where=_where(gap.location, school.root),
            )
        )
    return sorted(found, key=lambda i: i.rank)


def by_owner(found: Sequence[Item]) -> list[tuple[str, list[Item]]]:
    """Items grouped by who fixes them: DSL, headteacher, e-safety officer, office, then
    anyone else; within each, most urgent first."""
    groups: dict[str, list[Item]] = {}
    for item in found:
        groups.setdefault(item.owner, []).append(item)
    rank = {name: i for i, name in enumerate(ORDER)}
    names = sorted(groups, key=lambda n: (rank.get(n, len(ORDER)), n))
    return [(n, sorted(groups[n], key=lambda i: i.rank)) for n in names]


# --- the plan as its own file ---------------------------------------------------------

# A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage return
# before one) is written with a leading apostrophe, as OWASP advises for CSV exports.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """A CSV cell: hidden control characters shown as escapes, a formula defused."""
    text = visible(text)
    return "'" + text if text.startswith(_FORMULA) else text


_STATES = {"new": "new", "open": "still open", "": ""}


class PlanCsvReporter(Reporter):
    """The action plan as CSV, one row an item, for a school's own tracker."""

    COLUMNS = ("school", "who", "what", "about", "what to do", "by when", "due date",
               "urgency", "since last check", "times", "rule", "in the file")  # fmt: skip

    def render(self, result: RunResult, rules: Mapping[str, Rule]) -> str:
        buf = io.StringIO()
        # Lines end in \n alone: a carriage return is what a terminal or log would act on.
        out = csv.writer(buf, lineterminator="\n")
        out.writerow(self.COLUMNS)
        for owner_name, found in by_owner(items(result, rules)):
            for i in found:
                row = (i.school, owner_name, i.title, i.about, i.todo, i.when,
                       i.due.isoformat() if i.due else "", i.urgency, _STATES[i.state],
                       str(i.count), i.rule_id, i.where)  # fmt: skip
                out.writerow([cell(str(c)) for c in row])
        return buf.getvalue()


class PlanMarkdownReporter(Reporter):
    """The action plan as Markdown: a table per person who fixes things."""

    def render(self, result: RunResult, rules: Mapping[str, Rule]) -> str:
        as_of = words.day(result.settings.as_of)
        found = items(result, rules)
        title = result.schools[0].name if len(result.schools) == 1 else "your schools"
        lines = [f"# Action plan: {md(title)}", "", f"From the check as of {as_of}.", ""]
        if not found:
            lines += ["Nothing to do: the check found nothing to put right.", ""]
        fleet = len(result.schools) > 1
        for owner_name, group in by_owner(found):
            lines += [f"## {md(owner_name)}", ""]
            head = "| by when | what | about | what to do | urgency | rule |"
            rule = "|---|---|---|---|---|---|"
            if fleet:
                head, rule = "| school " + head, "|---" + rule
            lines += [head, rule]
            for i in group:
                mark = " (new)" if i.state == "new" else ""
                what = md(i.title + (f" ({i.count} times)" if i.count > 1 else "")) + mark
                row = (
                    f"| {md(i.when)} | {what} | {md(i.about)} | {md(i.todo)} "
                    f"| {md(i.urgency)} | {md(i.rule_id)} |"
                )
                lines.append((f"| {md(i.school)} " if fleet else "") + row)
            lines.append("")
        return "\n".join(lines)
