"""Check kinds: waivers. They run after every other rule, on what became of each waiver."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from safesocial.checks.base import CheckKind, Context, Hit, obj_params
from safesocial.model import WaiverOutcome


def _what(outcome: WaiverOutcome) -> str:
    record = outcome.record
    narrower = record.pupil or record.staff
    about = f" ({narrower})" if narrower else (" (one follower)" if record.follower else "")
    return f"the waiver of {record.rule} on {record.target}{about}"


def _hit(outcome: WaiverOutcome, message: str) -> Hit:
    record = outcome.record
    # Content, not lines: the same waiver keeps its fingerprint when waivers.yaml changes.
    detail = "|".join((record.rule, record.target, record.pupil or "", record.staff or "",
                       record.follower or "", record.approved_on.isoformat()))  # fmt: skip
    return Hit(message, record.node.loc(), subject=f"waiver of {record.rule}", detail=detail)


def _refused(ctx: Context, params: Any) -> Iterator[Hit]:
    for outcome in ctx.waivers:
        if outcome.refusal is not None:
            yield _hit(outcome, f"{_what(outcome)} is refused: {outcome.refusal}")


def _expired(ctx: Context, params: Any) -> Iterator[Hit]:
    for outcome in ctx.waivers:
        if outcome.refusal is None and outcome.expired and outcome.matched:
            count = len(outcome.matched)
            yield _hit(
                outcome,
                f"{_what(outcome)} expired on {outcome.record.expires_on}; "
                f"the {count} finding{'s' if count != 1 else ''} it accepted count again",
            )


def _expiring(ctx: Context, params: Any) -> Iterator[Hit]:
    for outcome in ctx.waivers:
        if outcome.active and outcome.expiring and outcome.matched:
            days = (outcome.record.expires_on - ctx.settings.as_of).days
            yield _hit(
                outcome,
                f"{_what(outcome)} expires on {outcome.record.expires_on}, in {days} "
                f"day{'s' if days != 1 else ''}: fix the findings or renew it",
            )


def _unmatched(ctx: Context, params: Any) -> Iterator[Hit]:
    for outcome in ctx.waivers:
        if outcome.refusal is None and not outcome.matched:
            yield _hit(
                outcome,
                f"{_what(outcome)} matches no finding: the problem is fixed or the waiver "
                f"names the wrong rule or target{outcome.suggestion}; remove or correct it",
            )


def _kind(name: str, run: Any, doc: str) -> CheckKind:
    return CheckKind(
        name=name,
        scopes=("school",),
        params=obj_params({}),
        run=run,
        reads=("waivers",),
        doc=doc,
        phase="waivers",
    )


KINDS = (
    _kind("waiver_refused", _refused, "A waiver that cannot be used: approver, dates or length."),
    _kind("waiver_expired", _expired, "A waiver past its expiry date that still matches findings."),
    _kind("waiver_expiring", _expiring, "A waiver that expires within 14 days."),
    _kind("waiver_unmatched", _unmatched, "A waiver that matches no finding."),
)
