"""What every report says about coverage, in the same words: what could not be checked,
how much of it, why, and (for stale accounts) as of which day it is judged.

Plain strings, unescaped: each reporter escapes them for its own format, as it does a
finding's message.
"""

from __future__ import annotations

from safesocial.running.results import Gap

NOT_CHECKED = "not checked"
PARTLY_CHECKED = "partly checked"


def extent(gap: Gap) -> str:
    """ "not checked" (nothing ran on the target) or "partly checked" (some rules did not)."""
    return NOT_CHECKED if gap.whole else PARTLY_CHECKED


def rules_not_run(gap: Gap) -> str:
    """'rules not run: SS101, SS102', or '' when nothing at all ran."""
    return f"rules not run: {', '.join(gap.rules)}" if gap.rules else ""


def describe(gap: Gap) -> str:
    """One line for a log or a terminal: 'partly checked (rules not run: SS101): why'."""
    not_run = rules_not_run(gap)
    return f"{extent(gap)}{f' ({not_run})' if not_run else ''}: {gap.reason}"


def as_recorded(target: str, day: str) -> str:
    return f"{target} is judged as last recorded on {day}"
