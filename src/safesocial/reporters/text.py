"""The terminal report: findings grouped by school and target, worst first, in colour.

Paths are shown as the JSON and SARIF reports give them (from the current directory, as
given on the command line), so a terminal or an editor can open `path:line:column`. On a
terminal, lines wrap at word boundaries to its width, continuing under the message;
in a pipe or a CI log, one finding is one line (its related places below it).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from itertools import groupby

from rich.console import Console
from rich.text import Text

from safesocial.findings import Category, Finding, Severity
from safesocial.packs.rules import Rule
from safesocial.reporters import coverage
from safesocial.reporters.base import Reporter, visible
from safesocial.reporters.summary import Summary
from safesocial.running import compare
from safesocial.running.results import Gap, RunResult, SchoolResult
from safesocial.text import plural

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_FINDING_INDENT = 19  # "    error   SS101  ": wrapped lines continue under the message
_GAP_INDENT = 20  # "    partly checked  "


def _breaks(plain: str, width: int) -> list[int]:
    """Where to break `plain` so no line is wider than `width`: before a word that would
    pass it. A word wider than a line on its own stays whole (a path broken in two
    cannot be opened)."""
    offsets, start = [], 0
    for word in re.finditer(r"\S+\s*", plain):
        end = word.start() + len(word.group().rstrip())
        if end - start > width and word.start() > start:
            offsets.append(word.start())
            start = word.start()
    return offsets


def _print(console: Console, text: Text, indent: int = 2) -> None:
    """Print `text` with each of its lines wrapped at word boundaries to the console's
    width (when it has one), continuing `indent` columns in."""
    width = None if console.soft_wrap else console.width - indent
    if width is None or width < 20:
        console.print(text, soft_wrap=True)
        return
    out = Text()
    for n, line in enumerate(text.split("\n")):
        if n:
            out.append("\n")
        out.append_text(line[:indent])
        for i, part in enumerate(line[indent:].divide(_breaks(line.plain[indent:], width))):
            part.rstrip()
            if i:
                out.append("\n" + " " * indent)
            out.append_text(part)
    console.print(out, soft_wrap=True)


def _finding(f: Finding) -> Text:
    line = Text("    ")
    # The word is always there, so severity never rests on colour alone.
    word = f"{f.severity.value:<8}" if f.waiver is None else "waived  "
    line.append(word, style="dim" if f.waiver else _STYLE[f.severity])
    line.append(f"{f.rule_id:<7}", style="bold")
    if f.location:
        where = f"{visible(f.location.path)}:{f.location.line}:{f.location.column}"
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
            f"\n{'':>19}↳ {visible(loc.path)}:{loc.line}:{loc.column} ",
            style="dim",
        )
        line.append(visible(rel.message), style="dim")
    return line


def _gap(gap: Gap) -> Text:
    line = Text("    ")
    line.append(f"{coverage.extent(gap):<16}", style="bold magenta")
    line.append(f"{visible(gap.target)}  ", style="bold")
    if gap.location:
        loc = gap.location
        line.append(f"{visible(loc.path)}:{loc.line}:{loc.column}  ", style="dim")
    line.append(visible(gap.reason))
    if gap.rules:
        line.append(f"  ({visible(coverage.rules_not_run(gap))})", style="dim")
    return line


def _coverage(console: Console, school: SchoolResult, quiet: bool) -> None:
    """What was fully checked, what could not be, and what is judged from an old
    observation."""
    if school.coverage.checked and not quiet:
        shown = ", ".join(visible(t) for t in school.coverage.checked)
        _print(console, Text(f"  fully checked: {shown}", style="dim"), 4)
    if school.coverage.gaps:
        console.print(Text("  not fully checked", style="bold magenta"))
        for gap in school.coverage.gaps:
            _print(console, _gap(gap), _GAP_INDENT)
    for target, day in school.coverage.stale:
        text = coverage.as_recorded(visible(target), visible(day))
        _print(console, Text(f"  {text}", style="yellow"), 4)


def _school(console: Console, school: SchoolResult, quiet: bool = False) -> None:
    title = Text(visible(school.root), style="bold underline")
    if school.name != school.root:
        title.append(f"  {visible(school.name)}", style="bold")
    console.print(title)
    if not school.findings:
        # "no findings" would read as an all-clear; with a gap it is only about what ran.
        if school.coverage.gaps:
            console.print(Text("    no findings in what could be checked", style="yellow"))
        else:
            console.print(Text("    no findings", style="green"))
    for target, group in groupby(school.findings, key=lambda f: f.target):
        console.print(Text(f"  {visible(target)}", style="bold"))
        for finding in group:
            _print(console, _finding(finding), _FINDING_INDENT)
    _coverage(console, school, quiet)
    console.print()


def _plural(count: int, word: str) -> str:
    # "info" is a mass noun: 2 info, never 2 infos. Padded to the plural's width, so
    # the table's columns stay in line.
    if word == "info":
        return f"{count:>4} info"
    return f"{count:>4} {word + ('' if count == 1 else 's'):<{len(word) + 1}}"


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
        red = ("error", "input_error", "incomplete")
        style = "bold red" if summary.status in red else "yellow"
        line.append(f"{status:<12}", style="green" if status == "clean" else style)
        counts = (
            f"{_plural(summary.errors, 'error')} {_plural(summary.warnings, 'warning')} "
            f"{_plural(summary.infos, 'info')}"
        )
        if summary.gaps:
            counts += f" {_plural(summary.gaps, 'gap')}"
        line.append(counts, style="dim")
        line.append(f"  {visible(school.root)}")
        console.print(line)
    console.print()


class TextReporter(Reporter):
    def render(self, result: RunResult, rules: Mapping[str, Rule]) -> str:
        out = io.StringIO()
        color = self.options.color
        console = Console(
            file=out,
            highlight=False,
            # Wrapped by _print, at the terminal's width; never re-wrapped by rich.
            soft_wrap=self.options.width is None,
            width=self.options.width,
            force_terminal=color,
            no_color=not color,
            color_system="standard" if color else None,
            emoji=False,
        )
        for school in result.schools:
            # Quiet still shows gaps: what could not be checked is never left unsaid.
            if not (self.options.quiet and not school.findings and school.coverage.complete):
                _school(console, school, self.options.quiet)
        if self.options.quiet:  # findings only: the exit code tells the rest
            return out.getvalue()
        if result.baseline is not None:
            known, fixed = result.baseline.known, result.baseline.fixed
            console.print(
                Text(
                    f"baseline: {plural(known, 'known finding')} not shown; "
                    f"{len(fixed)} fixed since",
                    style="dim",
                )
            )
            for item in fixed:
                console.print(Text(f"  fixed: {visible(item)}", style="green"))
        if result.compare is not None:
            _since(console, result)
        if len(result.schools) > 1:
            _trust_table(console, result)
        _print(console, _closing(result, self.options.fail_on), 2)
        return out.getvalue()


def _since(console: Console, result: RunResult) -> None:
    """--compare: what is new since the earlier run and what it found that is now fixed;
    every other finding above is still open."""
    cmp = result.compare
    assert cmp is not None
    new = [f for f in result.findings if f.category is not Category.INPUT and f.waiver is None
           and cmp.state(f) == "new"]  # fmt: skip
    console.print(
        Text(
            f"since {cmp.since.isoformat()}: {len(new)} new, "
            f"{compare.counts(result)[1]} still open, {len(cmp.fixed)} fixed",
            style="bold",
        )
    )
    for f in new:
        said = f"{f.rule_id} {f.target}" + (f" {f.subject}" if f.subject else "")
        console.print(Text(f"  new: {visible(said)}", style="yellow"))
    for g in cmp.fixed:
        said = f"{g.rule_id} {g.target}" + (f" {g.subject}" if g.subject else "")
        console.print(Text(f"  fixed: {visible(said)}", style="green"))
    console.print()


def _closing(result: RunResult, fail_on: str) -> Text:
    """The last line: its mark and words follow the exit code the run will have, the
    same outcome the CLI maps to 0, 1 and 2."""
    summary = Summary.of(result)
    sentence = summary.sentence()
    outcome = result.outcome(fail_on)
    if outcome == "incomplete":
        return Text(f"✗ not fully checked: {sentence}", style="bold red")
    if outcome == "findings":
        return Text(f"✗ {sentence}", style="bold red")
    if summary.total == 0:
        return Text(f"✓ no findings: {sentence}", style="bold green")
    # Findings below --fail-on: the run passes, and says why it passes.
    passes = "fails on none" if fail_on == "never" else f"fails only on {fail_on} or worse"
    return Text(f"✓ {sentence} (passes: the check {passes})", style="bold yellow")
