"""Check kinds: Facebook Pages (see docs/writing-rules.md).

A UK primary school's main channel is usually a Facebook Page, not a profile. A Page
is public: it has no "protected" setting, only age and country restrictions, so
whoever can open facebook.com can see it and its photos. Its people are Page roles
(admin, editor...; in the newer Page access, full or partial control); the model maps
them onto the admin access the publisher rules already judge (model.PAGE_ROLE_ACCESS),
so a head with only editor access fails senior-full-access as on any account.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from safesocial.checks.base import DRIFT, AccountContext, Hit
from safesocial.checks.declare import kind
from safesocial.model import PAGE_ROLE_ACCESS


@kind(
    "page_role_access",
    "account",
    reads=("account.platform", "account.account_type", "account.admins", "school.staff"),
)
def ROLE_ACCESS(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """An admin entry gives both `page_role` and `access`, and they disagree (admin and full_control
    are full; editor and partial_control publisher; the rest tasks).
    """
    account = ctx.account
    for admin in account.admins:
        given = admin.node.get("access")
        if admin.page_role is None or given is None:
            continue
        means = PAGE_ROLE_ACCESS[admin.page_role]
        if given == means:
            continue
        yield Hit(
            f"{admin.staff} is recorded with {given} access to {account.handle}, but their Page "
            f"role ({admin.page_role.replace('_', ' ')}) gives {means} access; the rules judge "
            f"{given}, which may not be what the Page really lets them do",
            admin.node.loc("access"),
            subject=f"staff {admin.staff}",
            detail=f"admins:{admin.staff}:{admin.page_role}:{given}",
        )


@kind(
    "page_is_public",
    "account",
    reads=("account.platform", "account.account_type", "account.protected", "policy.visibility"),
)
def PAGE_PUBLIC(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """A Facebook Page (platform facebook, account_type page) whose policy declares visibility:
    protected (drift), or that is recorded as protected: true.
    """
    account = ctx.account
    if not account.facebook_page:
        return
    said = ctx.policy_says_when("visibility", "protected")
    if said:
        yield Hit(
            f"the policy says {account.handle} is protected, but it is a Facebook Page: Pages "
            "cannot be protected, so anyone can see its posts and the pupils in them",
            account.node.loc("account_type"),
            related=said,
            detail="visibility",
            category=DRIFT,
        )
    elif account.protected is True:
        yield Hit(
            f"{account.handle} is recorded as protected, but it is a Facebook Page, which "
            "cannot be: anyone can see it (safesocial judges its posts as public)",
            account.node.loc("protected"),
            detail="protected",
        )


KINDS = (ROLE_ACCESS, PAGE_PUBLIC)
