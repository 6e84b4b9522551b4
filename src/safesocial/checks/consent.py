"""Check kinds: records (see docs/writing-rules.md).

The consent file read against itself, the calendar and the pupils register. These are
school-target kinds: one pass over `school.consent`, skipped (through `needs`) where the
consent or pupils file failed to load.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from safesocial.checks.base import CheckKind, Context, Hit, obj_params
from safesocial.checks.declare import kind
from safesocial.dates import months_after
from safesocial.model import ConsentRecord, Pupil

# ICO: refresh parental consents at intervals; most forms on record are yearly.
# UK GDPR lets a child of 13 consent for themselves online; schools ask from Year 8.
DEFAULT_SELF_CONSENT_AGE = 13
DEFAULT_SELF_CONSENT_YEAR = 8


def _subject(record: ConsentRecord) -> str:
    return f"pupil {record.pupil}"


def _detail(record: ConsentRecord, what: str) -> str:
    scopes = ",".join(sorted(record.scopes))
    return f"consent:{record.pupil}:{record.given_on}:{scopes}:{what}"


def _granted(ctx: Context) -> Iterator[ConsentRecord]:
    for record in ctx.school.consent or ():
        if record.state == "granted" and record.withdrawn_on is None:
            yield record


# --- out of date ----------------------------------------------------------------------


def _on_roll(ctx: Context, ref: str) -> bool:
    """Unless the register says the pupil has left, assume they are still at school."""
    pupil = ctx.pupil(ref)
    return pupil is None or pupil.left_on is None or pupil.left_on > ctx.settings.as_of


def _superseded(ctx: Context, record: ConsentRecord) -> bool:
    """A later granted record for the same pupil covers everything this one did."""
    for other in ctx.school.consent_for(record.pupil):
        if other is record or other.state != "granted" or other.withdrawn_on is not None:
            continue
        later = other.given_on is not None and (
            record.given_on is None or other.given_on > record.given_on
        )
        if later and other.scopes >= record.scopes:
            return True
    return False


def _stale_message(record: ConsentRecord, as_of: date, months: int) -> tuple[str, str] | None:
    """What is out of date about one record, and the key to point at."""
    who = f"consent for pupil {record.pupil}"
    if record.expires_on is not None:
        if record.expires_on >= as_of:
            return None
        return f"{who} expired on {record.expires_on} and has not been renewed", "expires_on"
    if record.given_on is None:
        return (
            f"{who} has neither a date given nor an expiry date, "
            "so nobody can tell when to renew it",
            "given_on",
        )
    if months_after(record.given_on, months) >= as_of:
        return None
    return (
        f"{who} was given on {record.given_on}, more than {months} months ago, "
        "and has no expiry date; ask the family to confirm or renew it",
        "given_on",
    )


@kind(
    "consent_out_of_date",
    "school",
    params=obj_params(
        {
            "refresh_months": {
                "type": "integer",
                "minimum": 1,
                "description": "Consent with no expiry is stale after this many months "
                "(default: the consent_renewal_months threshold, 12).",
            }
        }
    ),
    reads=("consent", "pupils"),
)
def STALE(ctx: Context, params: Any) -> Iterator[Hit]:
    """A granted, not withdrawn consent record of a pupil still on roll has expired (expires_on
    before the as-of date), or has no expiry and was given more than `refresh_months` ago (or has
    no dates at all). Records replaced by a later grant covering the same scopes are left alone.
    """
    # A rule may fix its own period; otherwise the configured renewal period applies.
    months = int(params.get("refresh_months", ctx.settings.consent_renewal_months))
    as_of = ctx.settings.as_of
    for record in _granted(ctx):
        if not _on_roll(ctx, record.pupil) or _superseded(ctx, record):
            continue
        found = _stale_message(record, as_of, months)
        if found is None:
            continue
        message, key = found
        due = record.expires_on or (
            months_after(record.given_on, months) if record.given_on else None
        )
        yield Hit(
            message,
            record.node.loc(key),
            subject=_subject(record),
            detail=_detail(record, key),
            due=due,
        )


# --- who gave it ----------------------------------------------------------------------


def _year_group(pupil: Pupil) -> int | None:
    value = pupil.node.get("year_group")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _old_enough(pupil: Pupil, on: date, age: int, year: int) -> bool | None:
    """Whether the pupil could consent for themselves; None when the register cannot tell."""
    known_age = pupil.age(on)
    group = _year_group(pupil)
    if known_age is None and group is None:
        return None
    return (known_age is not None and known_age >= age) or (group is not None and group >= year)


def _pupil_gave_it(ctx: Context, record: ConsentRecord, params: Any) -> str | None:
    age = int(params.get("self_consent_age", DEFAULT_SELF_CONSENT_AGE))
    year = int(params.get("self_consent_year", DEFAULT_SELF_CONSENT_YEAR))
    pupil = ctx.pupil(record.pupil)
    able = (
        None
        if pupil is None
        else _old_enough(pupil, record.given_on or ctx.settings.as_of, age, year)
    )
    if able is True:
        return None
    if able is None:
        return (
            f"consent for pupil {record.pupil} was given by the pupil, and the register does not "
            f"say whether they were {age} or in Year {year} or above"
        )
    return (
        f"consent for pupil {record.pupil} was given by the pupil, who was under {age} and "
        f"below Year {year}: a parent must give it"
    )


_GIVER_TEXT = {
    "parent": "a parent",
    "carer": "a carer",
    "guardian": "a guardian",
    "other": "someone other than a parent, carer or guardian",
}


def _giver_problem(ctx: Context, record: ConsentRecord, params: Any) -> tuple[str, str] | None:
    if record.informed_by is None:
        return f"consent for pupil {record.pupil} does not say who gave it", "informed_by"
    if record.informed_by == "pupil":
        message = _pupil_gave_it(ctx, record, params)
        return None if message is None else (message, "informed_by")
    if record.parental_responsibility is True:
        return None
    giver = _GIVER_TEXT.get(record.informed_by, record.informed_by)
    if record.parental_responsibility is False:
        return (
            f"consent for pupil {record.pupil} was given by {giver}, recorded as "
            "not holding parental responsibility",
            "parental_responsibility",
        )
    return (
        f"consent for pupil {record.pupil} was given by {giver}, but the record "
        "does not say they hold parental responsibility",
        "informed_by",
    )


@kind(
    "consent_giver_unclear",
    "school",
    params=obj_params(
        {
            "self_consent_age": {"type": "integer", "minimum": 1},
            "self_consent_year": {"type": "integer", "minimum": 0},
        }
    ),
    reads=("consent", "pupils"),
)
def GIVER(ctx: Context, params: Any) -> Iterator[Hit]:
    """A granted consent record does not say who gave it; or a parent, carer, guardian or other gave
    it without parental_responsibility: true; or the pupil gave it while under `self_consent_age`
    (13; age on given_on) and below Year `self_consent_year` (8).
    """
    for record in ctx.school.consent or ():
        if record.state != "granted":
            continue
        found = _giver_problem(ctx, record, params)
        if found is not None:
            message, key = found
            loc = record.node.loc(key)
            yield Hit(message, loc, subject=_subject(record), detail=_detail(record, key))


# --- the register ---------------------------------------------------------------------


@kind("consent_pupil_not_in_register", "school", params=obj_params({}), reads=("consent", "pupils"))
def UNKNOWN(ctx: Context, _params: Any) -> Iterator[Hit]:
    """A consent record names a pupil ref the pupils register does not hold. Runs only where a
    register was loaded.
    """
    register = ctx.school.pupils
    if register is None:
        return
    for record in ctx.school.consent or ():
        if record.pupil not in register and not ctx.unread("pupils", record.pupil):
            message = (
                f"a consent record is for pupil {record.pupil}, who is not in the pupils register"
            )
            loc = record.node.loc("pupil")
            yield Hit(message, loc, subject=_subject(record), detail=_detail(record, "unknown"))


KINDS: tuple[CheckKind, ...] = (STALE, GIVER, UNKNOWN)
