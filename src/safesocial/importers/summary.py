"""The summary an import prints: what changed, what stayed, what to do by hand.

It is for the person at the terminal who ran the import, about a file that already holds
handles, so it names entries by handle (or id); it is not a report to share. Text from
the export or the file is shown with control and direction-changing characters escaped,
so a hostile handle cannot rewrite the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from safesocial.documents import yamlwrite
from safesocial.importers.merge import MISSING, AccountMerge, ListChange, SettingChange, label
from safesocial.importers.snapshot import Snapshot
from safesocial.text import plural, visible

MAX_LISTED = 20
show = visible  # the one escaper (safesocial/text.py)


def value(v: Any) -> str:
    if v is MISSING:
        return "(not set)"
    return show(v if isinstance(v, str) else yamlwrite.flow(v))


def listed(items: Iterable[str], indent: str = "    ") -> list[str]:
    items = list(items)
    out = [f"{indent}{item}" for item in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        out.append(f"{indent}... and {len(items) - MAX_LISTED} more")
    return out


def typed(entry: Mapping[str, Any]) -> str:
    """What a person typed on an entry, for the record when it is removed."""
    parts = []
    for key, v in entry.items():
        if key in ("handle", "id"):
            continue
        if key == "approval" and isinstance(v, Mapping):
            words = [str(v.get("form", "no form"))]
            if "approved_by" in v:
                words.append(f"by {v['approved_by']}")
            if "on" in v:
                words.append(f"on {v['on']}")
            parts.append("approval " + " ".join(words))
        else:
            parts.append(f"{key} {value(v)}")
    return show(", ".join(parts)) or "nothing typed"


def _list_lines(change: ListChange, snap: Snapshot) -> list[str]:
    key = change.key
    if change.absent is not None:
        return [f"{key}: left as it is: {change.absent}"]
    if not change.changed:
        lines = [f"{key}: no change ({change.kept} in both)"]
    else:
        counts = [f"{len(change.added)} added", f"{len(change.removed)} removed"]
        lines = [f"{key}: {', '.join(counts)}, {change.kept} unchanged"]
    lines += listed(f"+ {show(label(e))}  (category unknown)" for e in change.added)
    lines += listed(
        f"- {show(label(e))}: no longer in the export; it had {typed(e)}" for e in change.removed
    )
    lines += listed(f"~ {show(old)} is now {show(new)}" for old, new in change.renamed)
    if change.unmatched:
        by = "numeric id" if snap.match_by == "id" else "handle"
        hint = " (add id: to each, and delete its new id-only twin)" if by == "numeric id" else ""
        lines.append(
            f"  ! kept as typed, without a {by} (how {snap.label} names accounts) to compare "
            f"with it{hint}: {plural(len(change.unmatched), 'entry', 'entries')}"
        )
        lines += listed(show(label(e)) for e in change.unmatched)
    if change.same_name:
        lines.append(
            f"  ! {snap.label} names people by display name only, and more than one person in "
            f"{key} has each of these names; each is kept as its own entry (find out who "
            f"each is): {plural(len(change.same_name), 'name')}"
        )
        lines += listed(show(name) for name in change.same_name)
    for name in change.duplicates:
        lines.append(f"  ! {show(name)} is in {key} more than once; kept all, remove the extra")
    return lines


def _setting_line(change: SettingChange) -> str:
    if not change.known:
        return f"{change.key}: stays {value(change.before)}, as typed: {change.why}"
    if change.changed:
        why = f" ({change.why})" if change.why else ""
        return f"{change.key}: {value(change.before)} -> {value(change.after)}{why}"
    why = f" ({change.why})" if change.why else ""
    return f"{change.key}: {value(change.after)}, unchanged{why}"


def account_report(
    head: str,
    snap: Snapshot,
    date_line: str,
    merge: AccountMerge,
    notes: list[str],
    comments: list[str],
    ending: str,
) -> str:
    lines = [head, f"  snapshot: {date_line}", ""]
    for change in merge.lists:
        lines += _list_lines(change, snap)
    lines += [_setting_line(s) for s in merge.settings]
    if snap.by_hand:
        lines += ["", f"Not in {snap.label}, so keep these up to date by hand:"]
        lines += [f"  - {item}" for item in snap.by_hand]
    extra = [*snap.facts, *snap.warnings, *merge.warnings, *notes]
    if extra:
        lines += ["", "Also:"] + [f"  - {show(item)}" for item in extra]
    lines += comments
    if any(c.added for c in merge.lists):
        lines += [
            "",
            "New entries arrive as category unknown: find out who each is, set its category "
            "(and pupil ref, approval) by hand, then run `safesocial check`.",
        ]
    lines += ["", ending]
    return "\n".join(lines) + "\n"


def comment_lines(lost: list[tuple[int, str]], rewritten: bool, shown: str) -> list[str]:
    """What the summary says about comments that did not survive the merge."""
    lines = []
    if rewritten:
        lines += ["", f"{show(shown)} had to be written afresh: only the comments at its top stay."]
    if lost:
        lines += ["", f"Comments that did not stay (their entries changed or left {show(shown)}):"]
        lines += listed(f"line {line}: {show(text)}" for line, text in lost)
    return lines
