"""The HTML report's verdict, in one of three states (all clear; action needed; could not
check fully, and why), and its account of what could not be checked.

A run with any input problem or gap never reads as an all-clear anywhere on the page:
the verdict says what could not be checked in plain words, and every section that
found nothing says whether that is an all-clear or only "nothing in what could be
checked".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from safesocial.findings import Category
from safesocial.packs.rules import Rule
from safesocial.reporters import html_layout as layout
from safesocial.reporters import html_words as words
from safesocial.reporters.html_plan import since_sentence
from safesocial.reporters.html_style import icon
from safesocial.reporters.html_text import esc, where_line
from safesocial.reporters.summary import Summary
from safesocial.running.results import Gap, RunResult

# The verdict lists at most this many gaps; the section "What could not be checked"
# lists them all.
LISTED_GAPS = 8
# A partly checked target names at most this many of the checks that could not run.
LISTED_RULES = 3


def as_recorded_day(day: str) -> str:
    """'2 January 2025' from an observed_on day; the text as given if it is not a date."""
    try:
        return words.day(date.fromisoformat(day))
    except ValueError:
        return esc(day)


def _full_stop(text: str) -> str:
    text = words.sentence(text.strip())
    return text if text.endswith((".", "!", "?")) else text + "."


def how_much(gap: Gap, rules: Mapping[str, Rule]) -> str:
    """'Not checked at all' or 'Partly checked: 2 checks could not run (A; B)', escaped."""
    if gap.whole:
        return "Not checked at all"
    titles = [rules[r].title if r in rules else r for r in gap.rules]
    shown = "; ".join(esc(t) for t in titles[:LISTED_RULES])
    rest = len(titles) - LISTED_RULES
    if rest > 0:
        shown += f"; and {rest} more"
    return f"Partly checked: {words.n(len(titles), 'check')} could not run ({shown})"


def gap_sentence(gap: Gap, rules: Mapping[str, Rule], root: str) -> str:
    """One gap in plain words, for the verdict: what, how much, why and where."""
    where = where_line(gap.location, root)
    much = how_much(gap, rules)
    return (
        f"<strong>{esc(layout.target_label(gap.target))}</strong>: "
        f"{much[:1].lower()}{much[1:]}. {esc(_full_stop(gap.reason))}"
        + (f' <span class="where">{where}.</span>' if where else "")
    )


def _stale_line(result: RunResult) -> str:
    said = [
        f"{esc(layout.target_label(target))}, as last recorded on {as_recorded_day(day)}"
        for school in result.schools
        for target, day in school.coverage.stale
    ]
    if not said:
        return ""
    these = "This account is" if len(said) == 1 else "These accounts are"
    now = "it is" if len(said) == 1 else "they are"
    return (
        f"{these} judged as last recorded, not as {now} today: {'; '.join(said)}. "
        "Someone should look at the account again and update its file."
    )


def _incomplete_head(summary: Summary) -> str:
    problems = words.n(summary.input_errors, "problem")
    things = words.n(summary.gaps, "thing")
    if summary.input_errors and summary.gaps:
        return (
            f"{problems} reading your files, and {things} not checked fully: "
            "this check is not complete"
        )
    if summary.input_errors:
        return f"{problems} reading your files: this check is not complete"
    return f"This check is not complete: {things} could not be checked fully"


def _action_head(result: RunResult, summary: Summary) -> str:
    fleet = len(result.schools) > 1
    drifting = _drifting(result)
    total, accounts = summary.total, summary.accounts
    if drifting and accounts == 1:
        return "Your account does not do what your policy says"
    if drifting:
        verb = "does" if drifting == 1 else "do"
        if fleet:
            return (
                f"{drifting} of the {accounts} accounts across your {len(result.schools)} "
                f"schools {verb} not do what their school's policy says"
            )
        return f"{drifting} of your {accounts} accounts {verb} not do what your policy says"
    needs = "needs" if total == 1 else "need"
    if summary.errors == total:
        return f"{words.n(total, 'thing')} {needs} putting right now"
    head = f"{words.n(total, 'thing')} {needs} attention"
    if summary.errors:
        head += f", {summary.errors} of {'it' if total == 1 else 'them'} urgently"
    return head


def _drifting(result: RunResult) -> int:
    """How many accounts do something their policy rules out (open drift findings)."""
    return sum(
        1
        for s in result.schools
        for t in s.targets
        if any(
            f.target == t and f.category is Category.DRIFT and f.waiver is None for f in s.findings
        )
    )


def verdict(result: RunResult, rules: Mapping[str, Rule]) -> str:
    """The box at the top of the page: its state, in one sentence, then why."""
    summary = Summary.of(result)
    state = result.verdict()
    fleet = len(result.schools) > 1
    accounts = summary.accounts
    if fleet:
        scope = f"{words.n(accounts, 'account')} in {len(result.schools)} schools"
    else:
        scope = "your account" if accounts == 1 else f"your {words.n(accounts, 'account')}"
    each = "each school's" if fleet else "the school's"
    lines = [
        f"We checked {scope}, the staff accounts declared to {each[:-2]} and {each} own "
        f"records against {'its' if fleet else 'your'} written policy and published "
        f"safeguarding guidance, as of {words.day(result.settings.as_of)}."
    ]
    todo = (
        "Below, each school that needs action, with its most urgent items; each school's "
        "own report says why each matters, what to do and who should do it."
        if fleet
        else "Each item below says why it matters, what to do and who should do it. The "
        "action plan at the end lists them by who fixes them."
    )
    listed = ""
    if state == "incomplete":
        tone = "input" if summary.input_errors else "gap"
        head = _incomplete_head(summary)
        lines.append("We could not check everything, so this report cannot say that all is well.")
        listed = _gap_list(result, rules)
        if summary.input_errors:
            lines.append(
                'Start with <a href="#details">the problems reading your files</a>: until '
                "they are fixed, some checks could not run."
            )
        if summary.total:
            needs = "needs" if summary.total == 1 else "need"
            lines.append(
                f"In what could be checked, {words.n(summary.total, 'thing')} {needs} "
                f"attention. {words.urgency(summary)}. {todo}"
            )
    elif state == "action":
        tone = layout.tone(result.findings)
        head = _action_head(result, summary)
        if _drifting(result):
            lines.append(f"{words.urgency(summary)}. {todo}")
        else:
            lines.append(
                "No account does anything your policy rules out; these are places where "
                "practice falls short of published guidance, or records are missing or out "
                f"of date. {words.urgency(summary)}. {todo}"
            )
    else:
        tone = "ok"
        if summary.waived:
            head = "Nothing needs putting right now"
        else:
            head = "Everything we checked matches your policy"
            lines.append("Nothing needs putting right. Keep the files up to date and check again.")
    if stale := _stale_line(result):
        lines.append(stale)
    if since := since_sentence(result):
        # --compare: what changed since the earlier check, in the verdict itself.
        lines.insert(1, f'<strong class="since-line">{since}</strong>')
    if summary.waived:
        things = words.n(summary.waived, "thing")
        lines.append(
            f"The school has also accepted {things} for now (waived); they are listed "
            "apart, with the reason, who approved it and when it ends."
        )
    body = "".join(f"<p>{line}</p>" for line in lines[:2]) + listed
    body += "".join(f"<p>{line}</p>" for line in lines[2:])
    return (
        f'<section class="verdict tone-{tone}" aria-labelledby="verdict">'
        f'<div class="verdict-head"><span class="verdict-icon">{icon(tone)}</span>'
        f'<div><h2 id="verdict">{esc(head)}</h2>{body}</div></div></section>'
    )


def _gap_list(result: RunResult, rules: Mapping[str, Rule]) -> str:
    """The gaps, in plain words: what could not be checked, how much and why."""
    fleet = len(result.schools) > 1
    items = [
        (f"{esc(s.name)}: " if fleet else "") + gap_sentence(g, rules, s.root)
        for s in result.schools
        for g in s.coverage.gaps
    ]
    if not items:
        return ""
    shown = "".join(f"<li>{item}</li>" for item in items[:LISTED_GAPS])
    rest = len(items) - LISTED_GAPS
    if rest > 0:
        shown += (
            f'<li class="more">and {rest} more, listed under “What could not be '
            "checked” below.</li>"
        )
    return f'<ul class="gap-list">{shown}</ul>'


def gaps_area(
    area: layout.Area, head: str, anchor: str, level: int, root: str, rules: Mapping[str, Rule]
) -> str:
    """The section listing every gap of one school, each as an item of its own."""
    items = [
        _gap_item(g, f"{anchor}-g{j}", level + 1, root, rules) for j, g in enumerate(area.gaps, 1)
    ]
    note = f'<p class="area-note">{words.GAPS_NOTE}</p>'
    return f"{head}{note}{''.join(items)}</section>"


def _gap_item(gap: Gap, anchor: str, level: int, root: str, rules: Mapping[str, Rule]) -> str:
    badge = f'<span class="badge tone-gap">{icon("gap")}{words.STATUS["gap"]}</span>'
    rows: Sequence[tuple[str, str]] = [
        ("How much", how_much(gap, rules)),
        ("Why", esc(_full_stop(gap.reason))),
        ("Where", where_line(gap.location, root) or "Not in one place in your files"),
        ("What to do", words.GAP_TODO),
    ]
    facts = "".join(f"<dt>{term}</dt><dd>{value}</dd>" for term, value in rows)
    return (
        f'<article class="finding tone-gap" id="{anchor}" aria-labelledby="{anchor}-h">'
        f'<div class="finding-head"><h{level} class="title" id="{anchor}-h">'
        f"{esc(layout.target_label(gap.target))}</h{level}>{badge}</div>"
        f'<dl class="facts">{facts}</dl></article>'
    )


def not_all_clear(area: layout.Area) -> str:
    """What a section that found nothing says when that is no all-clear."""
    see = "(see “What could not be checked” above)"
    if area.key == "account" and any(g.whole for g in area.gaps):
        text = f"This account could not be checked {see}."
    elif area.gaps:
        text = (
            "Nothing was found in what could be checked, but not everything here could be "
            f"checked {see}."
        )
    else:
        text = words.NOT_ALL_CLEAR
    return f'<p class="not-checked">{icon("gap")} {text}</p>'
