"""Check kinds: an account's life after the people who set it up (docs/writing-rules.md).

Removing a leaver from an account's admins is not enough if the account's recovery
email or phone is still theirs: one "forgot password" and they are back in, able to
lock the school out. A personal address or number as recovery is the same risk, only
later. And an account nobody has signed in to or posted from for a year is still
public, still followed, and nobody is watching its comments or messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from safesocial.checks.accounts import _at_school, _domain_of
from safesocial.checks.base import AccountContext, Context, Hit, choice_params, obj_params
from safesocial.checks.declare import kind
from safesocial.documents.yamlio import YList, YMap
from safesocial.model import as_date

DEFAULT_DORMANT_DAYS = 365


def _routes(ctx: AccountContext) -> Iterator[tuple[int, YMap]]:
    items = ctx.account.node.get("recovery")
    if isinstance(items, YList):
        yield from ((i, r) for i, r in enumerate(items) if isinstance(r, YMap))


def _what(route: YMap) -> str:
    return "recovery email" if route.get("method") == "email" else "recovery phone"


def _leaver(ctx: Context, route: YMap) -> str | None:
    staff = ctx.staff(route.get("staff") if isinstance(route.get("staff"), str) else None)
    if staff is None or not staff.has_left(ctx.settings.as_of):
        return None
    return f"belongs to {staff.ref}, who left the school on {staff.left_on}"


def _personal(ctx: Context, route: YMap) -> str | None:
    owner = route.get("belongs_to")
    if owner in ("staff", "other"):
        whose = f"{route.get('staff')}'s own" if route.get("staff") else "a person's own"
        return f"is {whose}, not the school's" if owner == "staff" else "is not the school's"
    address = route.get("address")
    info = ctx.school.info
    if route.get("method") == "email" and isinstance(address, str) and info:
        domain = _domain_of(address)
        if info.email_domains and not (domain and _at_school(domain, info.email_domains)):
            # Only the domain: the part before @ may be someone's own address.
            return f"is an address at {domain or '(not an email address)'}, not the school's"
    return None


@kind(
    "recovery_in_control",
    "account",
    params=choice_params("case", ["leaver", "personal"]),
    reads=("account.recovery", "school.staff"),
)
def RECOVERY(ctx: AccountContext, params: Any) -> Iterator[Hit]:
    """Each entry of account.recovery: case leaver, it names a member of staff who has left; case
    personal, it belongs to a member of staff or someone else rather than the school, or is an
    email address outside school.email_domains (leavers' entries are left to the leaver case).
    """
    account = ctx.account
    leaver = params["case"] == "leaver"
    for index, route in _routes(ctx):
        if leaver:
            why = _leaver(ctx, route)
        else:
            # A leaver's route is the other case's finding; say it once.
            why = None if _leaver(ctx, route) else _personal(ctx, route)
        if why is None:
            continue
        consequence = (
            "so they can still take the account back"
            if leaver
            else "so whoever holds it can get in even after they leave"
        )
        yield Hit(
            f"{account.handle}'s {_what(route)} {why}, {consequence}",
            route.loc(),
            subject=f"recovery #{index + 1}",
            detail=f"recovery:{index + 1}:{params['case']}",
        )


@kind(
    "dormant_account",
    "account",
    params=obj_params({"days": {"type": "integer", "minimum": 30}}),
    reads=("account.last_active_on", "account.observed_on", "account.posts"),
)
def DORMANT(ctx: AccountContext, params: Any) -> Iterator[Hit]:
    """The account's latest activity (last_active_on, or its latest post) is more than `days`
    (default 365) before it was observed. Silent when neither is recorded.
    """
    account = ctx.account
    days = int(params.get("days", DEFAULT_DORMANT_DAYS))
    dated = [p.date for p in account.posts if p.date is not None]
    try:
        active = as_date(account.node.get("last_active_on"))
    except ValueError:  # the schema check reports a malformed date at its line
        active = None
    if active is not None:
        dated.append(active)
    if not dated:
        return  # nothing recorded to judge by
    last = max(dated)
    seen: date = as_date(account.node.get("observed_on")) or ctx.settings.as_of
    if seen - last <= timedelta(days=days):
        return
    at = "last_active_on" if active == last else "posts"
    yield Hit(
        f"nobody has signed in to or posted from {account.handle} since {last} (more than "
        f"{days} days before it was seen on {seen}): review whether it is still needed, "
        "and close it or hand it to someone who will run it",
        account.node.loc(at),
        detail=f"dormant:{last}",
    )


KINDS = (RECOVERY, DORMANT)
