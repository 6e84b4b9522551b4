"""One item of the HTML report: a rule's findings on one account, in plain words.

What was found beside what the policy (or the records) say, each with its place in the
files; why it matters, what to do on the account's own platform, who fixes it and the
guidance the school is expected to follow; with --compare, whether it is new.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from safesocial.findings import Category, Finding, Related, Severity, Waiver
from safesocial.packs.rules import Rule, Source
from safesocial.reporters import html_layout as layout
from safesocial.reporters import html_words as words
from safesocial.reporters import plain
from safesocial.reporters.html_style import icon
from safesocial.reporters.html_text import esc as _e
from safesocial.reporters.html_text import where_line as _where_line
from safesocial.reporters.reveal import Reveal
from safesocial.running.results import Comparison, SchoolResult

# Findings of one rule on one account are shown as one item; this many are listed, the
# rest counted, so a headteacher never scrolls through 500 identical followers.
LISTED = 5


def _prose(text: str) -> str:
    """Rule text (rationale, remediation): escaped, `code` marked up, blank lines as paragraphs."""
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    out = []
    for para in paras:
        escaped = _e(" ".join(para.split()))
        out.append("<p>" + re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped) + "</p>")
    return "".join(out)


def badge(tone: str, word: str) -> str:
    return f'<span class="badge tone-{tone}">{icon(tone)}{_e(word)}</span>'


class Items:
    """Renders items; `reveal` (--reveal-names, local HTML only) and `compare`
    (--compare) are the run's."""

    def __init__(self, reveal: Reveal | None, compare: Comparison | None) -> None:
        self.reveal = reveal
        self.compare = compare

    def item(
        self,
        group: tuple[Finding, ...],
        anchor: str,
        level: int,
        school: SchoolResult,
        rules: Mapping[str, Rule],
        area: str,
    ) -> str:
        lead, root = group[0], school.root
        rule = rules.get(lead.rule_id)
        if lead.waiver is not None:
            tone, word = "waived", "Waived"
            title = rule.title if rule else words.sentence(lead.message)
        elif lead.category is Category.INPUT:
            tone, word = "input", "Fix first"
            title = words.INPUT_TITLES.get(lead.rule_id, "A file could not be read")
        else:
            tone, word = words.SEVERITY[lead.severity]
            title = rule.title if rule else words.sentence(lead.message)
        count = (
            f'<span class="pill">{_e(layout.count_words(group))}</span>' if len(group) > 1 else ""
        )
        parts = [
            f'<article class="finding tone-{tone}" id="{anchor}" aria-labelledby="{anchor}-h">',
            f'<div class="finding-head"><h{level} class="title" id="{anchor}-h">{_e(title)}'
            f"</h{level}>{count}{self._since(group)}{badge(tone, word)}</div>",
        ]
        if area in ("staff", "waived"):
            parts.append(f'<p class="where">About: {_e(layout.target_label(lead.target))}</p>')
        parts.append(self._evidence(group, school, area, rule))
        if lead.waiver is not None:
            parts.append(self._waiver(lead.waiver, lead.severity, root))
        parts.append(self._facts(rule, lead, school))
        ref = f"Rule {_e(lead.rule_id)}"
        if rule is not None:
            ref += f" ({_e(rule.name)})"
        parts.append(f'<p class="ref">{ref} · {words.CATEGORY[lead.category]}</p>')
        parts.append("</article>")
        return "".join(parts)

    def _since(self, group: Sequence[Finding]) -> str:
        """With --compare: whether this is new since the earlier run or still open."""
        cmp = self.compare
        if cmp is None or group[0].waiver is not None:
            return ""
        if any(cmp.state(f) == "new" for f in group):
            return f'<span class="since since-new">New since {words.day(cmp.since)}</span>'
        return f'<span class="since">Still open since {words.day(cmp.since)}</span>'

    def _evidence(
        self, group: tuple[Finding, ...], school: SchoolResult, area: str, rule: Rule | None
    ) -> str:
        """What was found, and beside it what the policy (or the records) say."""
        lead, root = group[0], school.root
        account = layout.target_label(lead.target)
        # Related lines every finding of the group shares (the policy line, usually);
        # the rest (say, one pupil's consent record) stay with their own finding.
        shared = [r for r in lead.related if all(r in f.related for f in group)]
        if len(group) == 1:
            found = (
                f"<p>{_e(plain.found(rule, lead, account))}{self._revealed(lead)}</p>"
                f'<p class="where">{_where_line(lead.location, root)}</p>'
            )
        else:
            listed = "".join(self._instance(f, shared, root, rule, account) for f in group[:LISTED])
            rest = len(group) - LISTED
            more = (
                f'<li class="more">and {rest} more, not listed here. Whoever keeps the '
                "school's safesocial files can list every one.</li>"
                if rest > 0
                else ""
            )
            first = f", the first {LISTED}:" if rest > 0 else ":"
            found = (
                f'<p class="group-lead">{_e(words.sentence(layout.count_words(group)))}'
                f"{first}</p>"
                f'<ul class="instances">{listed}{more}</ul>'
            )
        right = "What we found"
        if lead.category is Category.DRIFT and area != "school" and lead.target != "school":
            right = "What the account does"
        if not shared:
            return f'<div class="what"><p class="label">{right}</p>{found}</div>'
        from_policy = {PurePosixPath(r.location.path).name == "policy.yaml" for r in shared}
        left = {
            frozenset({True}): "Your policy says",
            frozenset({False}): "Your records say",
        }.get(frozenset(from_policy), "Your policy and records say")
        said = "".join(
            (f"<p>{_e(text)}</p>" if text else "")
            + f'<p class="where">{_where_line(loc, root)}</p>'
            for text, loc in plain.said(rule, shared)
        )
        # A long list beside one policy line reads badly: a group stacks the two.
        boxes = "compare" if len(group) == 1 else "compare stacked"
        return (
            f'<div class="{boxes}">'
            f'<div class="policy"><p class="label">{left}</p>{said}</div>'
            f'<div class="actual"><p class="label">{right}</p>{found}</div>'
            "</div>"
        )

    def _instance(
        self, f: Finding, shared: Sequence[Related], root: str, rule: Rule | None, account: str
    ) -> str:
        own = "".join(
            f'<br><span class="where">{_e(text)}{" " if text else ""}'
            f"({_where_line(loc, root)})</span>"
            for text, loc in plain.said(rule, [r for r in f.related if r not in shared])
        )
        return (
            f"<li>{_e(plain.found(rule, f, account))}{self._revealed(f)}"
            f'<br><span class="where">{_where_line(f.location, root)}</span>{own}</li>'
        )

    def _revealed(self, f: Finding) -> str:
        """The handle or name behind a ref, only in a local report made with --reveal-names."""
        if self.reveal is None:
            return ""
        name = self.reveal.for_finding(f)
        if not name:
            return ""
        return f' <span class="revealed" title="Name or handle">{_e(name)}</span>'

    @staticmethod
    def _facts(rule: Rule | None, lead: Finding, school: SchoolResult) -> str:
        if rule is None:
            if lead.category is not Category.INPUT:
                return ""
            return f'<dl class="facts"><dt>What to do</dt><dd><p>{words.INPUT_TODO}</p></dd></dl>'
        todo = _prose(plain.todo(rule, school))
        step = plain.steps(rule, lead.target)
        if step:
            todo += f'<p class="step">{_e(step)}.</p>'
        rows = [("Why it matters", _prose(plain.why(rule))), ("What to do", todo)]
        if rule.owner:
            rows.append(("Who fixes it", _e(plain.owner(rule))))
        cited = plain.guidance(rule, school)
        if cited:
            sources = "".join(f"<li>{_source(s)}</li>" for s in cited)
            rows.append(("Guidance", f'<ul class="sources">{sources}</ul>'))
        return (
            '<dl class="facts">'
            + "".join(f"<dt>{term}</dt><dd>{value}</dd>" for term, value in rows)
            + "</dl>"
        )

    @staticmethod
    def _waiver(waiver: Waiver, severity: Severity, root: str) -> str:
        word = words.SEVERITY[severity][1]
        rows = [
            ("Waived because", _e(words.sentence(waiver.reason))),
            ("Approved by", f"{_e(waiver.approved_by)} on {words.day(waiver.approved_on)}"),
            ("Until", f"{words.day(waiver.expires_on)}; after that it is “{word}” again"),
            ("Recorded", _where_line(waiver.location, root)),
        ]
        body = "".join(f"<dt>{term}</dt><dd>{value}</dd>" for term, value in rows)
        return f'<dl class="facts waiver">{body}</dl>'

    # --- the end of the page ---------------------------------------------------------


def _source(source: Source) -> str:
    title = _e(source.title)
    url = source.url or ""
    # Only web links become links: a rule pack could hold a javascript: or file: URL.
    if urlsplit(url).scheme in ("http", "https"):
        return f'<a href="{_e(url)}" rel="noreferrer noopener">{title}</a>'
    return title
