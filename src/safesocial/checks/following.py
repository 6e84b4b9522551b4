"""Check kinds: who a school account follows (see docs/writing-rules.md).

Accounts a school account follows, by category, against the policy's
following.allowed_categories; a department account following pupils; and young
ex-pupils among the accounts followed. The account's own followers are
checks/followers.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from safesocial.checks.base import (
    AccountContext,
    CheckKind,
    Hit,
    drift_if,
    ex_pupil_min_age,
    min_age_said,
    obj_params,
)
from safesocial.checks.declare import kind
from safesocial.checks.followers import (
    CATEGORY_ENUM,
    ON_ACCOUNTS,
    account_kind,
    connection_hit,
    first_declared,
    joined,
)
from safesocial.documents.yamlnodes import locate


@kind(
    "following_categories",
    "account",
    params=obj_params(
        {
            **ON_ACCOUNTS,
            "skip": {
                "type": "array",
                "items": CATEGORY_ENUM,
                "description": "Categories other rules judge (default: pupil).",
            },
        }
    ),
    reads=("account.following", "policy.following.allowed_categories"),
)
def FOLLOWING_CATEGORIES(ctx: AccountContext, params: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per followed account whose category is not in the policy's
    following.allowed_categories (categories in `skip` are left to other rules).
    """
    account = ctx.account
    allowed = ctx.declared("following.allowed_categories")
    if not isinstance(allowed, list):
        return
    ok = frozenset(str(c) for c in allowed) | frozenset(params.get("skip", ("pupil",)))
    related = first_declared(ctx, "following.allowed_categories")
    for conn in account.following:
        if conn.category in ok:
            continue
        label = conn.label("followed account")
        yield connection_hit(
            conn,
            label,
            f"{label} is not among the kinds of account the policy lets this account "
            f"follow ({joined(str(c) for c in allowed)})",
            related=related,
        )


@account_kind("department_follows_pupils", "account.following", "policy.following.pupils")
def DEPARTMENT_FOLLOWS_PUPILS(ctx: AccountContext, params: Mapping[str, Any]) -> Iterator[Hit]:
    """For a department account: one finding if its policy lets it follow pupils, and one per pupil
    it follows.
    """
    account = ctx.account
    declared = ctx.declared("following.pupils")
    if declared is not None and declared != "never":
        yield Hit(
            f"the policy lets this department account follow pupils (following.pupils: {declared})",
            locate(ctx.policy, ("following", "pupils")),
            subject="policy",
            detail=f"policy:{declared}",
        )
    for conn in account.following:
        if conn.category != "pupil":
            continue
        label = conn.label("followed account")
        yield connection_hit(
            conn,
            label,
            f"this department account follows {label}",
            related=first_declared(ctx, "following.pupils"),
        )


@account_kind(
    "following_young_ex_pupils",
    "account.following",
    "pupils",
    "policy.staff_accounts.ex_pupil_min_age",
)
def FOLLOWING_YOUNG_EX_PUPILS(ctx: AccountContext, params: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per followed ex-pupil younger than the minimum age (settings, else policy
    staff_accounts.ex_pupil_min_age, else 18), by the pupils register's date_of_birth; ex-pupils
    of unknown age are skipped.
    """
    account = ctx.account
    min_age = ex_pupil_min_age(ctx)
    said = min_age_said(ctx)
    as_of = ctx.settings.as_of
    for conn in account.following:
        if conn.category != "ex_pupil":
            continue
        record = ctx.pupil(conn.pupil)
        age = record.age(as_of) if record else None
        # Without a date of birth the age is unknown; guessing would accuse or excuse
        # the school on no evidence, so this rule stays silent.
        if age is None or age >= min_age:
            continue
        label = conn.label("followed account")
        yield connection_hit(
            conn,
            label,
            f"the account follows {label}, who is {age}, under the minimum age of {min_age}",
            related=said,
            category=drift_if(said),
        )


KINDS: tuple[CheckKind, ...] = (
    FOLLOWING_CATEGORIES,
    DEPARTMENT_FOLLOWS_PUPILS,
    FOLLOWING_YOUNG_EX_PUPILS,
)
