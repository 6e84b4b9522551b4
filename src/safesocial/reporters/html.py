"""The headteacher's report: one self-contained, printable HTML page in plain English.

No scripts, no fonts, no images fetched: the page carries its own stylesheet (allowed
by hash in a strict Content-Security-Policy), so it works offline, when emailed, and
when printed. Every string that came from the input, including rule packs and file
paths, is escaped here; handles and names appear only with --reveal-names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from safesocial import __version__
from safesocial.findings import Finding
from safesocial.packs.rules import Rule
from safesocial.reporters import html_coverage as cover
from safesocial.reporters import html_fleet as trust
from safesocial.reporters import html_layout as layout
from safesocial.reporters import html_words as words
from safesocial.reporters.base import Reporter
from safesocial.reporters.html_finding import Items
from safesocial.reporters.html_finding import badge as _badge
from safesocial.reporters.html_plan import fixed_section, plan_section, sign_off
from safesocial.reporters.html_style import BANNER_BG, CSS, csp_hash, icon, page_margin
from safesocial.reporters.html_text import esc as _e
from safesocial.reporters.html_text import relative as _relative
from safesocial.reporters.summary import Summary
from safesocial.running.results import RunResult, SchoolResult


class HtmlReporter(Reporter):
    """The report for headteachers and governors; shareable unless --reveal-names is set."""

    may_name_pupils = True

    _items: Items

    def render(self, result: RunResult, rules: Mapping[str, Rule]) -> str:
        self._items = Items(self.options.reveal, result.compare)
        as_of = words.day(result.settings.as_of)
        css = CSS + page_margin("bottom-left", f"Social media safeguarding check, as of {as_of}")
        if self.options.reveal is not None:
            # On paper the banner would be on page 1 only; say it on every page.
            css += page_margin("top-center", words.REVEAL_WARNING, BANNER_BG)
        csp = (
            f"default-src 'none'; style-src {csp_hash(css)}; img-src data:; "
            "base-uri 'none'; form-action 'none'"
        )
        many = len(result.schools) > 1
        title = self._title(result)
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en-GB">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
            '<meta name="referrer" content="no-referrer">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="safesocial {_e(__version__)}">',
            f"<title>{_e(title)}, as of {words.day(result.settings.as_of)}</title>",
            f"<style>{css}</style>",
            "</head>",
            "<body>",
            '<a class="skip" href="#details">Skip to the details</a>',
            self._banner(),
            self._header(result, title, self.options.up),
            '<main class="wrap">',
            cover.verdict(result, rules),
            self._counts(Summary.of(result)),
            *(self._fleet(result, rules) if many else self._single(result, rules)),
            sign_off(),
            self._about(result),
            "</main>",
            '<footer class="wrap">',
            f"<p>Made by safesocial {_e(__version__)} from your school's own files, "
            f"as of {words.day(result.settings.as_of)}. It made no connection to any website.</p>",
            "</footer>",
            "</body>",
            "</html>",
        ]
        return "\n".join(p for p in parts if p) + "\n"

    def _single(self, result: RunResult, rules: Mapping[str, Rule]) -> list[str]:
        return [
            self._overview(result),
            '<div id="details">',
            *(self._school(s, i, rules) for i, s in enumerate(result.schools, 1)),
            "</div>",
            fixed_section(result, rules),
            plan_section(result, rules),
        ]

    def _fleet(self, result: RunResult, rules: Mapping[str, Rule]) -> list[str]:
        links = dict(self.options.links)
        return [
            self._schools_table(result, links),
            '<div id="details">',
            trust.school_sections(result, rules, links),
            "</div>",
        ]

    # --- top of the page -------------------------------------------------------------

    @staticmethod
    def _title(result: RunResult) -> str:
        if len(result.schools) == 1:
            return f"Social media safeguarding check: {result.schools[0].name}"
        return f"Social media safeguarding check: Your {len(result.schools)} schools"

    def _banner(self) -> str:
        if self.options.reveal is None:
            return ""
        return f'<div class="reveal-banner" role="note">{words.REVEAL_WARNING}.</div>'

    @staticmethod
    def _header(result: RunResult, title: str, up: str = "") -> str:
        summary = Summary.of(result)
        name = title.split(": ", 1)[1]
        meta = [
            f"As of {words.day(result.settings.as_of)}",
            words.n(summary.accounts, "account"),
            words.n(len(result.schools), "school"),
            words.n(result.rule_count, "check"),
        ]
        back = f'<p class="up"><a href="{_e(up)}">Back to the trust summary</a></p>' if up else ""
        return (
            f'<header class="top"><div class="wrap">{back}'
            '<p class="kicker">Social media safeguarding check</p>'
            f"<h1>{_e(name)}</h1>"
            f'<p class="meta">{" · ".join(meta)}</p>'
            "</div></header>"
        )

    @staticmethod
    def _counts(summary: Summary) -> str:
        tiles = [
            ("error", summary.errors, "Must fix", "put right now"),
            ("warning", summary.warnings, "Should fix", "put right soon"),
            ("info", summary.infos, "For information", "worth knowing"),
        ]
        if summary.gaps:
            tiles.insert(0, ("gap", summary.gaps, "Not fully checked", "could not be checked"))
        if summary.input_errors:
            tiles.insert(0, ("input", summary.input_errors, "Files not read", "fix these first"))
        if summary.waived:
            tiles.append(("waived", summary.waived, "Waived", "accepted for now"))
        items = "".join(
            f'<li class="count tone-{tone}"><span class="count-number">{count}</span>'
            f'<span class="count-word">{icon(tone)} {word}</span>'
            f'<span class="count-note">{note}</span></li>'
            for tone, count, word, note in tiles
        )
        return f'<ul class="counts" aria-label="Findings by how urgent they are">{items}</ul>'

    def _overview(self, result: RunResult) -> str:
        school = result.schools[0] if result.schools else None
        if school is None:
            return ""
        rows = []
        for i, area in enumerate(layout.areas(school), 1):
            label = _e(area.title)
            if area.platform:
                label += f' <span class="tag">{_e(area.platform)}</span>'
            rows.append(self._row(f"s1-a{i}", label, area.tone, area.findings))
        return self._table("At a glance", "Part of your school", rows)

    def _schools_table(self, result: RunResult, links: Mapping[str, str]) -> str:
        shown = trust.schools_table(result, links)
        rows = [
            self._row(anchor, label, tone, s.findings)
            for (label, tone, anchor), s in zip(shown, layout.ranked(result), strict=True)
        ]
        return self._table("Your schools, most urgent first", "School", rows)

    @staticmethod
    def _row(anchor: str, label: str, tone: str, findings: Sequence[Finding]) -> str:
        errors, warnings, infos, _ = layout.counts(findings)
        named = f'<a href="#{anchor}">{label}</a>' if anchor else label
        # The labels let a narrow screen show each row as a card (html_style.py).
        return (
            f'<tr><th scope="row">{named}</th>'
            f'<td data-label="Status">{_badge(tone, words.STATUS[tone])}</td>'
            f'<td class="num" data-label="Must fix">{errors}</td>'
            f'<td class="num" data-label="Should fix">{warnings}</td>'
            f'<td class="num" data-label="For information">{infos}</td></tr>'
        )

    @staticmethod
    def _table(caption: str, first: str, rows: Sequence[str]) -> str:
        return (
            # On a phone the table scrolls inside its box rather than the whole page;
            # the box can take focus so that keyboard users can scroll it too.
            f'<div class="table-wrap" role="region" aria-label="{caption}" tabindex="0">'
            f"<table><caption>{caption}</caption><thead><tr>"
            f'<th scope="col">{first}</th><th scope="col">Status</th>'
            '<th scope="col" class="num">Must fix</th><th scope="col" class="num">Should fix</th>'
            '<th scope="col" class="num">For information</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )

    # --- the findings ----------------------------------------------------------------

    def _school(self, school: SchoolResult, index: int, rules: Mapping[str, Rule]) -> str:
        """One school's findings, by account; a trust's summary links to these pages."""
        areas = layout.areas(school)
        return "\n".join(
            self._area(area, f"s{index}-a{i}", 2, school, rules) for i, area in enumerate(areas, 1)
        )

    def _area(
        self,
        area: layout.Area,
        anchor: str,
        level: int,
        school: SchoolResult,
        rules: Mapping[str, Rule],
    ) -> str:
        tone, root = area.tone, school.root
        sub = f' <span class="tag">on {_e(area.platform)}</span>' if area.platform else ""
        head = (
            f'<section class="area area-{area.key}" id="{anchor}" '
            f'aria-labelledby="{anchor}-h"><div class="area-head">'
            f'<h{level} id="{anchor}-h">{_e(area.title)}{sub}</h{level}>'
            f"{_badge(tone, words.STATUS[tone])}</div>"
        )
        if area.as_recorded:
            day = cover.as_recorded_day(area.as_recorded)
            head += (
                f'<p class="area-note">Judged as last recorded on {day}, not as the account '
                "is today.</p>"
            )
        if area.key == "gaps":
            return cover.gaps_area(area, head, anchor, level, root, rules)
        if not area.findings and tone == "gap":
            return f"{head}{cover.not_all_clear(area)}</section>"
        if not area.findings:
            clear = {
                "account": "Every check on this account matches your policy and the guidance.",
                "school": "Your policy documents, staff list and training records passed every "
                "check.",
            }.get(area.key, "Nothing to report.")
            if area.in_incomplete:
                # Fully checked, in a run that is not: say both, so it reads as this
                # account's all-clear and not the school's.
                clear = (
                    "This account was fully checked and matches your policy and the "
                    "guidance. Other parts of this check are not complete (see above)."
                )
            if area.waived:
                clear = (
                    f"Nothing open on this account; {words.n(area.waived, 'finding')} waived "
                    "for now (see “Waived by the school”)."
                )
            return f'{head}<p class="all-clear">{icon("ok")} {clear}</p></section>'
        if area.key == "waived":
            return self._waived(area, head, anchor, level, school, rules)
        errors, warnings, infos, _ = layout.counts(area.findings)
        counted = [(errors, "must fix"), (warnings, "should fix"), (infos, "for information")]
        split = ", ".join(f"{count} {word}" for count, word in counted if count)
        note_text = words.n(len(area.findings), "finding") + (f": {split}" if split else "")
        items = [
            self._items.item(group, f"{anchor}-f{j}", level + 1, school, rules, area.key)
            for j, group in enumerate(layout.items(area.findings), 1)
        ]
        gaps = cover.not_all_clear(area) if area.gaps else ""
        return f'{head}<p class="area-note">{note_text}</p>{gaps}{"".join(items)}</section>'

    def _waived(
        self,
        area: layout.Area,
        head: str,
        anchor: str,
        level: int,
        school: SchoolResult,
        rules: Mapping[str, Rule],
    ) -> str:
        """Waived findings, listed apart from the open ones with the waiver's reason,
        approver and end date: accepted for now, never hidden."""
        items = [
            self._items.item(group, f"{anchor}-f{j}", level + 1, school, rules, area.key)
            for j, group in enumerate(layout.items(area.findings), 1)
        ]
        note = f'<p class="area-note">{words.WAIVED_NOTE}</p>'
        return f"{head}{note}{''.join(items)}</section>"

    def _about(self, result: RunResult) -> str:
        fleet = len(result.schools) > 1
        if self.options.reveal is None:
            contains = (
                "<li>Pupils appear only by the reference in your school's records (such as a "
                "UPN or MIS number), never by name.</li>"
                "<li>Followers and other accounts appear by their place in the account's list "
                "(such as “follower #8”), never by their handle.</li>"
                "<li>Staff appear by their reference in your staff list.</li>"
                "<li>It holds no photos, captions or messages. It can be shared with "
                "governors and the trust.</li>"
            )
        else:
            contains = (
                "<li><strong>This copy also shows the names and handles behind pupils' "
                "references and followers' places in the list.</strong> Keep it on this "
                "computer and do not share it; make a report without names to share.</li>"
                "<li>It holds no photos, captions or messages.</li>"
            )
        files = []
        for school in result.schools[:1] if not fleet else ():
            names = "".join(f"<li>{_e(_relative(p, school.root))}</li>" for p in school.files)
            files.append(f"<p>In the folder {_e(school.root)}:</p>")
            files.append(f'<ul class="files">{names}</ul>')
        if fleet:
            count = sum(len(s.files) for s in result.schools)
            files.append(
                f"<p>{words.n(count, 'file')} in {words.n(len(result.schools), 'school folder')}"
                "; each school's own report lists its files.</p>"
            )
        return (
            '<section class="about" aria-labelledby="about">'
            '<h2 id="about">About this report</h2>'
            f"<p>This report shows what was true of the school's files as of "
            f"<strong>{words.day(result.settings.as_of)}</strong>. It compares three things: what "
            "your written social media policy says, what each account actually does (as "
            "recorded in the account files, from what someone saw on the platform), and "
            f"published safeguarding guidance. It ran {words.n(result.rule_count, 'check')}. It is "
            "only as accurate as those files.</p>"
            "<h3>What it contains, and what it leaves out</h3>"
            f"<ul>{contains}<li>Each item points to the file and line it comes from, so "
            "whoever keeps the files can find it.</li></ul>"
            "<h3>Files checked</h3>" + "".join(files) + "</section>"
        )
