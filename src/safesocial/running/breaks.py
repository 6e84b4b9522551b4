"""What a target's rules cannot read, and the gaps that leaves in a school's run.

The loader takes out whatever fails its schema (prune.py) and leaves out files it
cannot read at all (School.broken, School.unread). Here each of those is placed in a
target's view (``account.protected``, ``policy.followers.approval``, ``consent[]``) so
the engine can skip the rules that read it there, and say so as a Gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from safesocial.findings import Location
from safesocial.model import Account, Pruned, School, StaffAccount, parts
from safesocial.packs.reads import Segments, segments, touches
from safesocial.running.results import Gap


@dataclass(frozen=True, slots=True)
class Break:
    """Something in a target's view that could not be read.

    A value (`entry` false): rules reading it are not run there. List entries skipped
    (`entry` true): rules reading the list run on the rest, and are named as partly
    checked. `gap_target` puts the gap on a shared part (``consent``) once, rather than
    on every target whose rules read it.
    """

    path: Segments
    location: Location | None
    reason: str
    entry: bool
    gap_target: str | None = None


def _noun(pruned: Pruned) -> str:
    """``follower`` for followers[]: what one entry of the list is called."""
    name = next((p for p in reversed(pruned.path) if isinstance(p, str)), "list")
    words = name.replace("_", " ")
    if words.endswith("ies"):
        return words[:-3] + "y"
    return words[:-1] if words.endswith("s") and not words.endswith("ss") else words


def _breaks(pruned: Iterable[Pruned], prefix: str, shared: str | None = None) -> Iterator[Break]:
    """Pruned values of one record as breaks of a view; entries of one list together."""
    entries: dict[str, list[Pruned]] = {}
    for one in pruned:
        path = one.dotted(prefix)
        if one.entry:
            entries.setdefault(path, []).append(one)
            continue
        reason = f"{path} could not be read, so the rules that need it were not run"
        yield Break(segments(path), one.location, reason, False)
    for path, group in entries.items():
        count = len(group)
        noun = _noun(group[0])
        said = f"1 {noun} entry" if count == 1 else f"{count} {noun} entries"
        lines = ", ".join(str(p.location.line) for p in group[:5])
        more = "" if count <= 5 else ", ..."
        where = f"line{'s' if count > 1 else ''} {lines}{more}"
        was = "was" if count == 1 else "were"
        reason = (
            f"{said} could not be read ({where}) and {was} skipped; "
            "the rules that read the list were run on the rest"
        )
        yield Break(segments(path), group[0].location, reason, True, shared)


def _policy_for(school: School, kind: str, own: str) -> Iterator[Pruned]:
    """policy.yaml's pruned values as the account's own view of the policy sees them."""
    for one in school.pruned.get("policy", ()):
        path = one.path
        if path[:2] == ("defaults", kind) or path[:2] == ("accounts", own):
            yield Pruned(path[2:], one.location, one.entry)
        elif path in (("defaults",), ("accounts",)):
            yield Pruned((), one.location, one.entry)


def _shared(school: School) -> Iterator[Break]:
    """What every target shares: school.yaml, and the records every rule may read."""
    for part in parts.PARTS:
        if part.shared:
            yield from _breaks(school.pruned.get(part.key, ()), part.gaps_at, part.key)


def _unread_parts(school: School) -> Iterator[Break]:
    for part in sorted(school.broken):
        if part == "accounts":
            continue
        where = school.unread.get(part)
        # Without a line to point at, as a reader knows the file.
        said = parts.BY_KEY[part].said if part in parts.BY_KEY else part
        file = where.path if where else said
        reason = f"{file} could not be read, so nothing that needs it was checked"
        yield Break((part,), where, reason, False)


def entries(school: School, part: str) -> list[Break]:
    """Entries of a part's file skipped whole (a staff account that would have been a
    target, a waiver that would have been judged)."""
    return list(_breaks(school.pruned.get(part, ()), "", part))


def for_school(school: School) -> list[Break]:
    return [
        *_shared(school),
        *_breaks(school.pruned.get("policy", ()), "policy", "policy"),
        *_unread_parts(school),
    ]


def for_account(school: School, account: Account) -> list[Break]:
    found = [*_breaks(account.pruned, "account"), *_shared(school), *_unread_parts(school)]
    policy = school.policy
    if policy is not None and not policy.covers(account):
        found.append(
            Break(
                ("policy",),
                account.node.value_loc("kind"),
                f"no policy block in policy.yaml covers accounts of kind {account.kind}, "
                "so nothing could be compared with the policy",
                False,
            )
        )
    elif policy is not None:
        mapped = _policy_for(school, account.kind, account.id)
        found.extend(_breaks(mapped, "policy", None))
    return found


def for_staff_account(school: School, declared: StaffAccount) -> list[Break]:
    found = [*_breaks(declared.pruned, "staff_account"), *_shared(school)]
    found.extend(_unread_parts(school))
    mapped = (
        Pruned(p.path[1:], p.location, p.entry)
        for p in school.pruned.get("policy", ())
        if p.path[:1] == ("staff_accounts",)
    )
    found.extend(_breaks(mapped, "policy", None))
    return found


@dataclass(slots=True)
class Ledger:
    """What was not run, or run on part of its data, per target: the makings of Coverage."""

    targets: list[str] = field(default_factory=list)
    skipped: dict[tuple[str, str, Location | None], list[str]] = field(default_factory=dict)

    def blocking(
        self, target: str, rule_id: str, reads: Sequence[Segments], breaks: Sequence[Break]
    ) -> bool:
        """Whether the rule may not run on `target`; records why either way."""
        blocked = False
        for brk in breaks:
            if not any(touches(r, brk.path) for r in reads):
                continue
            where = brk.gap_target if brk.entry and brk.gap_target else target
            ids = self.skipped.setdefault((where, brk.reason, brk.location), [])
            if rule_id not in ids:
                ids.append(rule_id)
            blocked = blocked or not brk.entry
        return blocked

    def unseen(self, breaks: Iterable[Break], rule_ids: Sequence[str]) -> None:
        """Breaks that hide targets: every rule of those targets is left undone."""
        for brk in breaks:
            where = brk.gap_target or "school"
            ids = self.skipped.setdefault((where, brk.reason, brk.location), [])
            ids.extend(r for r in rule_ids if r not in ids)

    def gaps(self, school: School) -> tuple[Gap, ...]:
        found = [
            Gap(target, reason, location, tuple(ids))
            for (target, reason, location), ids in self.skipped.items()
        ]
        for target, where in sorted(school.unread.items()):
            reason = f"{where.path} could not be read; nothing in it was checked"
            found.append(Gap(target, reason, where))
        return tuple(found)

    def checked(self, gaps: Sequence[Gap]) -> tuple[str, ...]:
        open_targets = {g.target for g in gaps}
        return tuple(t for t in self.targets if t not in open_targets)
