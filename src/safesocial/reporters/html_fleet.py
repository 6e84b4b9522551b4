"""A trust's report: a summary its board can read, however many schools it has.

Every school's status and counts in one table, most urgent first; then a short section
for each school that needs action, with its most urgent items. The detail stays in each
school's own report (`--output html-dir:FOLDER` writes them beside the summary, and the
summary links to them), so fifty schools make a few pages rather than hundreds.
"""

from __future__ import annotations

from collections.abc import Mapping

from safesocial.packs.rules import Rule
from safesocial.reporters import html_layout as layout
from safesocial.reporters import html_words as words
from safesocial.reporters import plan
from safesocial.reporters.html_style import icon
from safesocial.reporters.html_text import esc
from safesocial.running.results import RunResult, SchoolResult

# The most urgent items shown for each school; its own report has the rest.
URGENT = 3


def badge(tone: str) -> str:
    return f'<span class="badge tone-{tone}">{icon(tone)}{esc(words.STATUS[tone])}</span>'


def _link(school: SchoolResult, links: Mapping[str, str], text: str) -> str:
    href = links.get(school.root)
    return f'<a href="{esc(href)}">{text}</a>' if href else text


def _counts_line(school: SchoolResult) -> str:
    errors, warnings, infos, inputs = layout.counts(school.findings)
    parts = [
        (inputs, "file not read", "files not read"),
        (len(school.coverage.gaps), "thing not fully checked", "things not fully checked"),
        (errors, "must fix", "must fix"),
        (warnings, "should fix", "should fix"),
        (infos, "for information", "for information"),
    ]
    said = [f"{count} {one if count == 1 else many}" for count, one, many in parts if count]
    return ", ".join(said) or "nothing to put right"


def school_sections(result: RunResult, rules: Mapping[str, Rule], links: Mapping[str, str]) -> str:
    """One short section per school that needs action: its most urgent items."""
    sections = []
    ranked = layout.ranked(result)
    for index, school in enumerate(ranked, 1):
        tone = layout.school_tone(school)
        if tone == "ok":
            continue
        items = plan.school_items(school, result, rules)
        listed = "".join(
            f"<li><strong>{esc(i.title)}</strong>"
            f'<br><span class="tag">{esc(i.about)} · {esc(i.owner)} · {esc(i.when)}</span></li>'
            for i in items[:URGENT]
        )
        rest = len(items) - URGENT
        more = f"<p>And {words.n(rest, 'more item')} in the school's own report.</p>"
        own = (
            "<p>" + _link(school, links, f"Full report for {esc(school.name)}") + "</p>"
            if links.get(school.root)
            else "<p>The detail is in the school's own report.</p>"
        )
        sections.append(
            f'<section class="school" id="s{index}" aria-labelledby="s{index}-h">'
            f'<div class="area-head school-head"><h3 id="s{index}-h">{esc(school.name)}</h3>'
            f"{badge(tone)}</div>"
            f'<p class="area-note">{esc(_counts_line(school))}</p>'
            f'<ol class="urgent">{listed}</ol>' + (more if rest > 0 else "") + own + "</section>"
        )
    if not sections:
        return (
            '<section aria-labelledby="needs"><h2 id="needs">Schools that need action</h2>'
            f'<p class="all-clear">{icon("ok")} None: every school passed every check.</p>'
            "</section>"
        )
    return (
        '<section aria-labelledby="needs"><h2 id="needs">Schools that need action</h2>'
        f"<p>{words.n(len(sections), 'school')} of {len(result.schools)}, most urgent "
        f"first, each with its {URGENT} most urgent items.</p>" + "".join(sections) + "</section>"
    )


def schools_table(result: RunResult, links: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(label, tone, anchor) rows of the schools table, most urgent first."""
    rows = []
    for index, school in enumerate(layout.ranked(result), 1):
        tone = layout.school_tone(school)
        label = _link(school, links, esc(school.name)) if links else esc(school.name)
        rows.append((label, tone, "" if links or tone == "ok" else f"s{index}"))
    return rows
