"""Check kinds: an account's admins (see docs/writing-rules.md).

Who has access to an account, against the staff roster and the policy's publishers
section: enough current staff, none who have left or are not on the roster, each
trained and in a role the policy allows, and two-step sign-in for all of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from safesocial.checks.accounts import roster_note
from safesocial.checks.base import (
    AccountContext,
    CheckKind,
    Context,
    Hit,
    drift_if,
)
from safesocial.checks.declare import kind
from safesocial.dates import months_before
from safesocial.findings import Category, Location, Related
from safesocial.model import Account, Admin, Staff
from safesocial.text import plural

DEFAULT_MIN_ADMINS = 2
# What every kind on an account's admins reads: the admins, and the roster they are on.
_ROSTER = ("account.admins", "school.staff")
_SENIOR_LINE = "the policy says a senior leader has full access (senior_full_access: true)"


def _positive_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


# --- admins -------------------------------------------------------------------------------


def _current(ctx: Context, admin: Admin) -> Staff | None:
    """The admin's roster entry if they are still at the school."""
    staff = ctx.staff(admin.staff)
    return staff if staff is not None and not staff.has_left(ctx.settings.as_of) else None


def _admins_loc(account: Account) -> Location:
    return account.node.loc("admins")


@kind("admin_count", "account", reads=(*_ROSTER, "policy.publishers.min_admins"))
def ADMIN_COUNT(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """At least publishers.min_admins (default 2) current staff have access to the account."""
    account = ctx.account
    if ctx.school.info is None:
        return
    declared = _positive_int(ctx.declared("publishers.min_admins"))
    wanted = declared or DEFAULT_MIN_ADMINS
    # Task-only access (a Page's analyst, advertiser) cannot run the account.
    current = {a.staff for a in account.admins if a.runs_it and _current(ctx, a) is not None}
    if len(current) >= wanted:
        return
    count = len(current)
    who = (
        "no current member of staff"
        if not count
        else f"only {plural(count, 'current member')} of staff"
    )
    whose = "the policy asks" if declared else "guidance asks"
    said = f"the policy asks for at least {wanted} staff with access"
    related = ctx.policy_says("publishers.min_admins", said) if declared else ()
    yield Hit(
        f"{who} can get into {account.handle}; "
        f"{whose} for at least {wanted}, so that it never depends on one person",
        _admins_loc(account),
        related=related,
        detail=f"{count}<{wanted}",
        category=drift_if(related),
    )


@kind("senior_full_access", "account", reads=(*_ROSTER, "policy.publishers.senior_full_access"))
def SENIOR_FULL_ACCESS(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """A current senior leader (headteacher, deputy, assistant head, SLT) has full access."""
    account = ctx.account
    if ctx.school.info is None:
        return
    for admin in account.admins:
        staff = _current(ctx, admin)
        if admin.access == "full" and staff is not None and staff.senior:
            return
    said = ctx.policy_says_when("publishers.senior_full_access", True, _SENIOR_LINE)
    yield Hit(
        f"no current senior leader has full access to {account.handle}, so the leadership team "
        "cannot audit it or take it back if something goes wrong",
        _admins_loc(account),
        related=said,
        detail="none",
        category=drift_if(said),
    )


@kind("mfa_on", "account", reads=("account.mfa", "policy.publishers.mfa"))
def MFA(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """The account records mfa: true; the policy line is related where it says required."""
    account = ctx.account
    mfa = account.node.get("mfa")
    if mfa is True:
        return
    # Only a policy that requires MFA makes this drift as well; otherwise it is guidance alone.
    said = "the policy requires two-factor sign-in (publishers.mfa: required)"
    state = (
        "switched off (mfa: false)"
        if mfa is False
        else "not recorded (no mfa line in the account file)"
    )
    related = ctx.policy_says_when("publishers.mfa", "required", said)
    yield Hit(
        f"two-factor sign-in (MFA) for {account.handle} is {state}",
        account.node.loc("mfa"),
        related=related,
        detail="off" if mfa is False else "unrecorded",
        category=drift_if(related),
    )


def _admin_hit(
    admin: Admin,
    message: str,
    related: tuple[Related, ...] = (),
    category: Category | None = None,
) -> Hit:
    return Hit(message, admin.node.loc(), f"staff {admin.staff}", related, admin.staff, category)


@kind("admin_not_on_roster", "account", reads=_ROSTER)
def ADMIN_UNKNOWN(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """Every admin of the account is on the staff roster."""
    account = ctx.account
    if ctx.school.info is None:
        return
    for admin in account.admins:
        if ctx.staff(admin.staff) is None and not ctx.unread("staff", admin.staff):
            yield _admin_hit(
                admin,
                f"{admin.staff} has {admin.access} access to {account.handle} but is not on the "
                "staff roster in school.yaml",
            )


@kind("admin_has_left", "account", reads=_ROSTER)
def ADMIN_LEFT(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """No admin of the account has left the school (left_on on or before the as-of date)."""
    account = ctx.account
    for admin in account.admins:
        staff = ctx.staff(admin.staff)
        if staff is None or not staff.has_left(ctx.settings.as_of):
            continue
        text = f"the staff roster says {admin.staff} left on {staff.left_on}"
        yield _admin_hit(
            admin,
            f"{admin.staff} left the school on {staff.left_on} but still has {admin.access} "
            f"access to {account.handle}",
            roster_note(staff, "left_on", text),
        )


def _training_problem(staff: Staff, cutoff: date, months: int) -> str | None:
    trained = staff.social_media_trained_on
    if trained is None:
        return "has no social media training on record (social_media_trained_on)"
    if trained < cutoff:
        age = plural(months, "month")
        return f"was last trained in social media on {trained}, more than {age} ago"
    return None


@kind("admin_training", "account", reads=(*_ROSTER, "policy.publishers.training_required"))
def ADMIN_TRAINING(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """Every current admin's social_media_trained_on is within the configured training_valid_months,
    unless the policy says publishers.training_required: false.
    """
    account = ctx.account
    required = ctx.declared("publishers.training_required")
    if required is False:
        return
    text = "the policy requires publishers trained"
    said = ctx.policy_says_when("publishers.training_required", True, text)
    months = ctx.settings.training_valid_months
    cutoff = months_before(ctx.settings.as_of, months)
    for admin in account.admins:
        # A Page's analyst or advertiser never writes as the account: no training needed.
        staff = _current(ctx, admin) if admin.speaks_for_it else None
        problem = _training_problem(staff, cutoff, months) if staff else None
        if staff is None or problem is None:
            continue
        key = "social_media_trained_on" if staff.social_media_trained_on else "ref"
        yield _admin_hit(
            admin,
            f"{admin.staff}, who runs {account.handle}, {problem}",
            (*roster_note(staff, key, f"{admin.staff}'s training record"), *said),
            drift_if(said),
        )


def _role_allowed(ctx: Context, admin: Admin, staff: Staff, roles: list[Any]) -> bool:
    if staff.role in roles:
        return True
    # The policy's own senior_full_access line authorises a senior leader to hold full
    # access for auditing even where their role is not a named publisher role; someone
    # who has left leads nothing, so it does not cover them.
    senior_line = ctx.declared("publishers.senior_full_access") is True
    current = not staff.has_left(ctx.settings.as_of)
    return senior_line and current and staff.senior and admin.access == "full"


@kind(
    "admin_role",
    "account",
    reads=(*_ROSTER, "policy.publishers.roles", "policy.publishers.senior_full_access"),
)
def ADMIN_ROLE(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """Every admin on the roster, leavers included, has a role among the policy's publishers.roles
    (a current senior leader with full access is allowed where the policy says
    senior_full_access: true).
    """
    account = ctx.account
    roles = ctx.declared("publishers.roles")
    if not isinstance(roles, list):
        return
    allowed = ", ".join(str(r) for r in roles) or "(none)"
    for admin in account.admins:
        # Leavers too: SS404 says they left, this says their role was never allowed, so
        # a departed class teacher on a head-and-deputy account is reported for both.
        staff = ctx.staff(admin.staff)
        if staff is None or not admin.runs_it or _role_allowed(ctx, admin, staff, roles):
            continue
        left = f", who left on {staff.left_on}," if staff.has_left(ctx.settings.as_of) else ""
        yield _admin_hit(
            admin,
            f"{admin.staff} ({staff.role}){left} has {admin.access} access to {account.handle}, "
            f"but the policy lets only these roles publish: {allowed}",
            ctx.policy_says("publishers.roles", f"the policy's publisher roles: {allowed}"),
        )


KINDS: tuple[CheckKind, ...] = (
    ADMIN_COUNT,
    SENIOR_FULL_ACCESS,
    MFA,
    ADMIN_UNKNOWN,
    ADMIN_LEFT,
    ADMIN_TRAINING,
    ADMIN_ROLE,
)
