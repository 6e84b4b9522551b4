"""Check kinds: waivers. They run after every other rule, on what became of each waiver."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from safesocial.checks.base import CheckKind, Context, Hit, Run, WaiverOutcome
from safesocial.checks.declare import kind
from safesocial.text import plural


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


def _waiver_kind(name: str) -> Callable[[Run], CheckKind]:
    # Every waiver kind runs once per school, after the other rules, on the outcomes.
    return kind(name, "school", reads=("waivers",), phase="waivers")


@_waiver_kind("waiver_refused")
def REFUSED(ctx: Context, _params: Any) -> Iterator[Hit]:
    """A waiver that cannot be used: approver, dates or length."""
    for outcome in ctx.waivers:
        if outcome.refusal is not None:
            yield _hit(outcome, f"{_what(outcome)} is refused: {outcome.refusal}")


@_waiver_kind("waiver_expired")
def EXPIRED(ctx: Context, _params: Any) -> Iterator[Hit]:
    """A waiver past its expiry date that still matches findings."""
    for outcome in ctx.waivers:
        if outcome.refusal is None and outcome.expired and outcome.matched:
            count = len(outcome.matched)
            yield _hit(
                outcome,
                f"{_what(outcome)} expired on {outcome.record.expires_on}; "
                f"the {plural(count, 'finding')} it accepted count again",
            )


@_waiver_kind("waiver_expiring")
def EXPIRING(ctx: Context, _params: Any) -> Iterator[Hit]:
    """A waiver that expires within 14 days."""
    for outcome in ctx.waivers:
        if outcome.active and outcome.expiring and outcome.matched:
            days = (outcome.record.expires_on - ctx.settings.as_of).days
            yield _hit(
                outcome,
                f"{_what(outcome)} expires on {outcome.record.expires_on}, in "
                f"{plural(days, 'day')}: fix the findings or renew it",
            )


@_waiver_kind("waiver_unmatched")
def UNMATCHED(ctx: Context, _params: Any) -> Iterator[Hit]:
    """A waiver that matches no finding."""
    for outcome in ctx.waivers:
        if outcome.refusal is None and not outcome.matched:
            yield _hit(
                outcome,
                f"{_what(outcome)} matches no finding: the problem is fixed or the waiver "
                f"names the wrong rule or target{outcome.suggestion}; remove or correct it",
            )


KINDS = (REFUSED, EXPIRED, EXPIRING, UNMATCHED)
