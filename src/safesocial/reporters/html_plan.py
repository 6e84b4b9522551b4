"""The end of a school's HTML report: what changed since the earlier run (--compare), the
action plan by who fixes it, and a box for the governor or head who reviewed it.

The sign-off box is left blank on purpose: it is filled in by hand on the printed copy.
"""

from __future__ import annotations

from collections.abc import Mapping

from safesocial.packs.rules import Rule
from safesocial.reporters import html_layout as layout
from safesocial.reporters import html_words as words
from safesocial.reporters import plan
from safesocial.reporters.html_text import esc
from safesocial.running import compare
from safesocial.running.results import RunResult


def since_sentence(result: RunResult) -> str:
    """'Since the check of 1 November 2026: 3 new, 2 still open, 5 fixed.'"""
    cmp = result.compare
    if cmp is None:
        return ""
    new, still, fixed = compare.counts(result)
    return (
        f"Since the check of {words.day(cmp.since)}: {new} new, {still} still open, {fixed} fixed."
    )


def fixed_section(result: RunResult, rules: Mapping[str, Rule], level: int = 2) -> str:
    """What the earlier run found that this one does not: put right since then."""
    cmp = result.compare
    if cmp is None:
        return ""
    head = f'<h{level} id="fixed">Fixed since {words.day(cmp.since)}</h{level}>'
    if not cmp.fixed:
        body = "<p>Nothing the earlier check found has been put right yet.</p>"
    else:
        rows = []
        for gone in cmp.fixed:
            rule = rules.get(gone.rule_id)
            title = rule.title if rule else words.sentence(gone.rule_id)
            about = layout.target_label(gone.target)
            subject = f" ({esc(gone.subject)})" if gone.subject else ""
            rows.append(f"<li>{esc(title)}: {esc(about)}{subject}</li>")
        body = f'<ul class="fixed">{"".join(rows)}</ul>'
    return f'<section class="changes" aria-labelledby="fixed">{head}{body}</section>'


def plan_section(result: RunResult, rules: Mapping[str, Rule], level: int = 2) -> str:
    found = plan.items(result, rules)
    head = f'<h{level} id="plan">Action plan</h{level}>'
    if not found:
        return (
            f'<section class="plan" aria-labelledby="plan">{head}'
            "<p>Nothing to put right: this check found nothing for anyone to do.</p></section>"
        )
    intro = (
        "<p>Everything above, by who puts it right and by when. “Now” means before "
        "anything else; a date is the record's own (a consent's expiry, when training "
        "falls due).</p>"
    )
    groups = []
    for owner, items in plan.by_owner(found):
        rows = "".join(
            "<tr>"
            f'<td class="when">{esc(i.when)}</td>'
            f"<td><strong>{esc(i.title)}</strong>"
            + (' <span class="since since-new">New</span>' if i.state == "new" else "")
            + f'<br><span class="tag">{esc(i.about)}'
            + (f" · {i.count} times" if i.count > 1 else "")
            + "</span></td>"
            f"<td>{esc(i.todo)}</td>"
            "</tr>"
            for i in items
        )
        groups.append(
            f"<h{level + 1}>{esc(owner)}</h{level + 1}>"
            '<table class="plan-table"><thead><tr><th scope="col">By when</th>'
            '<th scope="col">What</th><th scope="col">What to do</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    return f'<section class="plan" aria-labelledby="plan">{head}{intro}{"".join(groups)}</section>'


def sign_off(level: int = 2) -> str:
    """Blank lines for the reviewer's name, role, date and signature, on paper."""
    rows = "".join(
        f'<div class="sign-row"><span class="sign-label">{label}</span>'
        '<span class="sign-line" aria-hidden="true"></span></div>'
        for label in ("Name", "Role", "Date", "Signature")
    )
    return (
        '<section class="sign-off" aria-labelledby="sign-off">'
        f'<h{level} id="sign-off">Reviewed by</h{level}>'
        "<p>For the governor or headteacher who read this report and agreed the action "
        "plan. Fill in by hand on the printed copy.</p>"
        f'<div class="sign-box">{rows}</div></section>'
    )
