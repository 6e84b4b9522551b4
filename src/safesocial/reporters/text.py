"""The terminal report: findings grouped by school and target, worst first, in colour."""

from __future__ import annotations

import io
from collections.abc import Mapping
from itertools import groupby

from rich.console import Console
from rich.text import Text

from safesocial.findings import Category, Finding, Severity
from safesocial.reporters.base import Reporter, visible
from safesocial.reporters.summary import Summary
from safesocial.results import RunResult, SchoolResult
from safesocial.rules import Rule

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _relative(path: str, root: str) -> str:
    """The path as shown: relative to the school, escaped like every outside string."""
    prefix = root.rstrip("/") + "/"
    return visible(path[len(prefix) :] if path.startswith(prefix) else path)


def _finding(f: Finding, root: str) -> Text:
    line = Text("    ")
    # The word is always there, so severity never rests on colour alone.
    word = f"{f.severity.value:<8}" if f.waiver is None else "waived  "
    line.append(word, style="dim" if f.waiver else _STYLE[f.severity])
    line.append(f"{f.rule_id:<7}", style="bold")
    if f.location:
        where = f"{_relative(f.location.path, root)}:{f.location.line}:{f.location.column}"
        line.append(where + "  ", style="dim")
    line.append(visible(f.message))
    if f.subject and f.subject not in f.message:
        line.append(f"  ({visible(f.subject)})", style="dim")
    if f.category is not Category.INPUT:
        line.append(f"  [{f.category.value}]", style="dim")
    if f.waiver:
        w = f.waiver
        line.append(
            f"\n{'':>19}waived until {w.expires_on} by {visible(w.approved_by)}: "
            f"{visible(w.reason)}",
            style="dim",
        )
    for rel in f.related:
        loc = rel.location
        line.append(
            f"\n{'':>19}↳ {_relative(loc.path, root)}:{loc.line}:{loc.column} ", style="dim"
        )
        line.append(visible(rel.message), style="dim")
    return line


def _school(console: Console, school: SchoolResult) -> None:
    title = Text(visible(school.root), style="bold underline")
    if school.name != school.root:
        title.append(f"  {visible(school.name)}", style="bold")
    console.print(title)
    if not school.findings:
        console.print(Text("    no findings", style="green"))
    for target, group in groupby(school.findings, key=lambda f: f.target):
        console.print(Text(f"  {visible(target)}", style="bold"))
        for finding in group:
            console.print(_finding(finding, school.root))
    console.print()


def _trust_table(console: Console, result: RunResult) -> None:
    """One line per school, worst first: what a trust's safeguarding lead scans."""
    rows = sorted(
        ((Summary.of_schools([s]), s) for s in result.schools),
        key=lambda row: (row[0].urgency, row[1].root),
    )
    console.print(Text("schools, worst first", style="bold"))
    for summary, school in rows:
        line = Text("  ")
        status = summary.status.replace("_", " ")
        style = "bold red" if summary.status in ("error", "input_error") else "yellow"
        line.append(f"{status:<12}", style="green" if status == "clean" else style)
        counts = (
            f"{summary.errors:>4} errors {summary.warnings:>4} warnings {summary.infos:>4} info"
        )
        line.append(counts, style="dim")
        line.append(f"  {visible(school.root)}")
        console.print(line)
    console.print()


class TextReporter(Reporter):
    shareable = False  # a terminal is local; it still names pupils by ref only

    def render(self, result: RunResult, rules: Mapping[str, Rule]) -> str:
        out = io.StringIO()
        color = self.options.color
        console = Console(
            file=out,
            highlight=False,
            soft_wrap=True,
            force_terminal=color,
            no_color=not color,
            color_system="standard" if color else None,
            emoji=False,
        )
        for school in result.schools:
            if not (self.options.quiet and not school.findings):
                _school(console, school)
        if self.options.quiet:  # findings only: the exit code tells the rest
            return out.getvalue()
        if result.baseline is not None:
            known, fixed = result.baseline.known, result.baseline.fixed
            console.print(
                Text(
                    f"baseline: {known} known finding{'s' if known != 1 else ''} not shown; "
                    f"{len(fixed)} fixed since",
                    style="dim",
                )
            )
            for item in fixed:
                console.print(Text(f"  fixed: {visible(item)}", style="green"))
        if len(result.schools) > 1:
            _trust_table(console, result)
        summary = Summary.of(result)
        style = "bold red" if summary.errors or summary.input_errors else "bold green"
        if summary.total == 0 and not summary.input_errors:
            console.print(Text(f"✓ no findings: {summary.sentence()}", style=style))
        else:
            console.print(Text(f"✗ {summary.sentence()}", style=style))
        return out.getvalue()
