"""Match waivers to findings, and judge each waiver: valid, expiring, expired, unused.

A waiver is matched by content (rule, target, and optionally a pupil, staff member or
follower), never by line number, so it keeps working while files are edited.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence
from datetime import date, timedelta

from safesocial.checks.base import WaiverOutcome as Outcome
from safesocial.documents.yamlio import YMap
from safesocial.findings import Category, Finding, Waiver
from safesocial.model import SchoolInfo, WaiverRecord, get_path
from safesocial.packs.rules import Rule

EXPIRY_WARNING_DAYS = 14
DEFAULT_APPROVERS = ("dsl", "headteacher")


def _same_handle(a: str, b: str) -> bool:
    return a.lstrip("@").lower() == b.lstrip("@").lower()


_STAFF_TARGET = re.compile(r"staff:(?P<ref>[^\s(]+)(?:\s*\((?P<platform>[^)]*)\))?\s*")


def _target_matches(target: str, wanted: str) -> bool:
    if target == wanted:
        return True
    # "staff:S004" waives all of that staff member's accounts; "staff:S004 (instagram)"
    # only that one (the form findings use), the platform in any case.
    have, want = _STAFF_TARGET.fullmatch(target), _STAFF_TARGET.fullmatch(wanted.strip())
    if have and want:
        if have["ref"] != want["ref"]:
            return False
        return (
            want["platform"] is None
            or (have["platform"] or "").lower() == want["platform"].strip().lower()
        )
    # "@Handle" (no platform) waives the account on whichever platform it is; handles
    # are case-insensitive on every platform, so "x:@handle" matches "x:@Handle" too.
    platform_handle = target.split(":", 1)
    if len(platform_handle) != 2:
        return False
    if wanted.startswith("@"):
        return _same_handle(platform_handle[1], wanted)
    wanted_parts = wanted.split(":", 1)
    return (
        len(wanted_parts) == 2
        and wanted_parts[0].lower() == platform_handle[0].lower()
        and wanted_parts[1].startswith("@")
        and _same_handle(platform_handle[1], wanted_parts[1])
    )


def _names_rule(record: WaiverRecord, rule: Rule | None) -> bool:
    return rule is not None and (record.rule.upper() == rule.id or record.rule.lower() == rule.name)


def suggest(record: WaiverRecord, findings: Sequence[Finding], rules: dict[str, Rule]) -> str:
    """For a waiver that matches nothing: the nearest target among the findings of its
    rule (of any rule when its rule has none), as " (did you mean ...?)", or ""."""

    def same_rule(f: Finding) -> bool:
        return _names_rule(record, rules.get(f.rule_id))

    shown = [f for f in findings if f.category is not Category.INPUT]
    pool = sorted({f.target for f in shown if same_rule(f)}) or sorted({f.target for f in shown})
    guess = difflib.get_close_matches(record.target, pool, n=1, cutoff=0.6)
    if not guess or guess[0] == record.target:
        return ""
    return f" (did you mean target '{guess[0]}'?)"


def matches(
    record: WaiverRecord, finding: Finding, rule: Rule | None, handles: dict[tuple[str, int], str]
) -> bool:
    if finding.category is Category.INPUT or rule is None:
        return False
    if not _names_rule(record, rule):
        return False
    if not _target_matches(finding.target, record.target):
        return False
    words = (finding.subject or "").split()
    if record.pupil and record.pupil not in words:
        return False
    if record.staff and record.staff not in words and record.staff not in finding.target:
        return False
    if record.follower:
        loc = finding.location
        handle = handles.get((loc.path, loc.line)) if loc else None
        if handle is None or not _same_handle(handle, record.follower):
            return False
    return True


def _approvers(policy: YMap | None) -> tuple[str, ...]:
    declared = get_path(policy, "waivers.approvers") if policy is not None else None
    return tuple(declared) if isinstance(declared, list) and declared else DEFAULT_APPROVERS


def _refusal(
    record: WaiverRecord,
    info: SchoolInfo | None,
    allowed: Sequence[str],
    as_of: date,
    max_days: int,
) -> str | None:
    if record.expires_on < record.approved_on:
        return f"it expires ({record.expires_on}) before it was approved ({record.approved_on})"
    if (record.expires_on - record.approved_on).days > max_days:
        return (
            f"it lasts {(record.expires_on - record.approved_on).days} days; "
            f"a waiver may last at most {max_days} days"
        )
    if record.approved_on > as_of:
        return f"it is dated {record.approved_on}, after the check date {as_of}"
    staff = info.staff.get(record.approved_by) if info else None
    if staff is None:
        return f"the approver {record.approved_by} is not on the staff roster"
    if staff.has_left(record.approved_on):
        return f"the approver {record.approved_by} had left the school by {record.approved_on}"
    held = {staff.role}
    if info and info.dsl == staff.ref:
        held.add("dsl")
    if info and staff.ref in info.deputies:
        held.add("deputy_dsl")
    if not held & set(allowed):
        return (
            f"{record.approved_by} ({staff.role}) may not approve waivers; "
            f"the policy allows: {', '.join(allowed)}"
        )
    return None


def judge(
    records: Sequence[WaiverRecord],
    findings: Sequence[Finding],
    rules: dict[str, Rule],
    info: SchoolInfo | None,
    policy: YMap | None,
    handles: dict[tuple[str, int], str],
    as_of: date,
    max_days: int,
) -> list[Outcome]:
    allowed = _approvers(policy)
    outcomes = []
    for record in records:
        matched = tuple(f for f in findings if matches(record, f, rules.get(f.rule_id), handles))
        expired = record.expires_on < as_of
        outcomes.append(
            Outcome(
                record=record,
                matched=matched,
                suggestion="" if matched else suggest(record, findings, rules),
                refusal=_refusal(record, info, allowed, as_of, max_days),
                expired=expired,
                expiring=not expired
                and record.expires_on - as_of <= timedelta(EXPIRY_WARNING_DAYS),
            )
        )
    return outcomes


def waive(findings: Sequence[Finding], outcomes: Sequence[Outcome]) -> list[Finding]:
    """The findings, with those an active waiver accepts marked as waived."""
    accepted: dict[int, WaiverRecord] = {}
    for outcome in outcomes:
        if outcome.active:
            for finding in outcome.matched:
                accepted.setdefault(id(finding), outcome.record)
    marked = []
    for finding in findings:
        record = accepted.get(id(finding))
        if record is not None:
            waiver = Waiver(
                record.reason,
                record.approved_by,
                record.approved_on,
                record.expires_on,
                record.node.loc(),
            )
            finding = dataclasses.replace(finding, waiver=waiver)
        marked.append(finding)
    return marked
