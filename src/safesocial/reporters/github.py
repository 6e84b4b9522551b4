"""GitHub Actions annotations: one `::error file=…,line=…::message` workflow command per
finding, so findings show on the run's summary and beside the changed lines of a pull
request; one `::error` per gap in coverage (a target checked only in part, or not at
all) at its place, since what was not checked must not pass quietly; and one `::notice`
per account judged as last recorded on an old day.

The runner reads a workflow command from the start of any line of the job's log, so a
handle or caption holding a newline followed by `::error::` could forge commands (or
`::stop-commands::` hide ours). Every string is escaped the way GitHub's own toolkit
escapes it (`escapeData`, `escapeProperty` in @actions/core): data can never end its
line, and properties can never end their value or the property list.

GitHub shows at most 10 error, 10 warning and 10 notice annotations a step, and 50 a job
(the "Limitations" of problem matchers in actions/toolkit); the rest are dropped without
a word. So the most urgent go first (input problems, then gaps, then findings by
severity), at most PER_STEP of each kind, and the closing line says how many more there
are and where they are.
"""

from __future__ import annotations

from collections.abc import Mapping

from safesocial.findings import Category, Finding, Location, Severity
from safesocial.packs.rules import Rule
from safesocial.reporters import ci, coverage
from safesocial.reporters.base import Reporter, visible
from safesocial.reporters.summary import Summary
from safesocial.running.results import Gap, RunResult

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
PER_STEP = 10  # of each kind: error, warning, notice
PER_JOB = 50


def escape_data(text: str) -> str:
    """A command's message: `%`, CR and LF escaped, so it stays on its own line."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property's value: as data, and `:` and `,` too, which end the property list."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(f: Finding) -> str:
    # Terminal escapes and direction overrides are shown as \u escapes: GitHub's log
    # viewer interprets ANSI sequences, and hidden text must not reach a reviewer.
    lines = [visible(f.message)]
    if f.subject and f.subject not in f.message:
        lines[0] += f" ({visible(f.subject)})"
    for rel in f.related:
        loc = rel.location
        where = f"{ci.shown_path(loc.path)}:{loc.line}:{loc.column}"
        lines.append(f"↳ {visible(where)} {visible(rel.message)}")
    return "\n".join(lines)


def annotation(f: Finding, rules: Mapping[str, Rule]) -> str:
    """The workflow command for one finding."""
    command = "error" if f.category is Category.INPUT else _COMMAND[f.severity]
    return _command(command, f.location, f"{f.rule_id} {ci.title(f.rule_id, rules)}", _message(f))


def _command(command: str, where: Location | None, title: str, message: str) -> str:
    props: list[tuple[str, str]] = []
    if where is not None:
        props += [
            ("file", ci.shown_path(where.path)),
            ("line", str(where.line)),
            ("col", str(where.column)),
        ]
    props.append(("title", title))
    listed = ",".join(f"{key}={escape_property(visible(value))}" for key, value in props)
    # `message` is already visible(): a finding's keeps its own line breaks (as %0A).
    return f"::{command} {listed}::{escape_data(message)}"


def gap_annotation(gap: Gap) -> str:
    """An error at the gap's place: what could not be checked, how much, and why."""
    title = f"Not fully checked: {gap.target}"
    message = visible(f"{gap.target}: {coverage.describe(gap)}")
    return _command("error", gap.location, title, message)


def _urgency(f: Finding) -> int:
    """Lower goes first: input problems (0) and gaps (1) before findings by severity."""
    return 0 if f.category is Category.INPUT else 5 - f.severity.rank


def _capped(candidates: list[tuple[int, str]]) -> tuple[list[str], int]:
    """The most urgent annotations GitHub will show, in that order, and how many are left."""
    shown: list[str] = []
    per_kind: dict[str, int] = {}
    for _, line in sorted(candidates, key=lambda c: c[0]):
        kind = line[2 : line.index(" ")]
        if per_kind.get(kind, 0) >= PER_STEP or len(shown) >= PER_JOB:
            continue
        per_kind[kind] = per_kind.get(kind, 0) + 1
        shown.append(line)
    return shown, len(candidates) - len(shown)


class GithubReporter(Reporter):
    def render(self, result: RunResult, rules: Mapping[str, Rule]) -> str:
        # A waived finding is accepted for now: annotating it on every pull request
        # would teach people to skim past annotations. The closing line counts them.
        candidates = [
            (_urgency(f), annotation(f, rules)) for f in result.findings if f.waiver is None
        ]
        for school in result.schools:
            candidates += [(1, gap_annotation(g)) for g in school.coverage.gaps]
            candidates += [
                (
                    5,
                    _command(
                        "notice", None, "As last recorded", visible(coverage.as_recorded(t, day))
                    ),
                )
                for t, day in school.coverage.stale
            ]
        lines, more = _capped(candidates)
        closing = f"safesocial: {Summary.of(result).sentence()}"
        if more:
            closing += (
                f"; {more} more not annotated (GitHub shows {PER_STEP} errors, {PER_STEP} "
                f"warnings and {PER_STEP} notices a step); they are "
                "in the job summary and the SARIF and HTML reports"
            )
        if any(f.waiver is not None for f in result.findings):
            closing += "; waived findings are not annotated"
        # One plain closing line for people reading the log; it never starts with '::'.
        lines.append(closing)
        return "\n".join(lines) + "\n"
