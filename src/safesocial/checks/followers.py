"""Check kinds: who follows an account (see docs/writing-rules.md; whom it follows is
checks/following.py).

Follower lists run to tens of thousands of entries. Every follower kind therefore does
plain attribute checks on each `Connection` and looks the staff roster up once per
account, never per follower, so a run stays O(followers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from safesocial.checks.base import (
    AccountContext,
    AccountRun,
    CheckKind,
    Context,
    Hit,
    obj_params,
    some_of,
)
from safesocial.checks.declarative import render
from safesocial.checks.declare import kind
from safesocial.documents.yamlio import YMap
from safesocial.documents.yamlnodes import locate
from safesocial.findings import Category, Location, Related
from safesocial.model import SENIOR_ROLES, Approval, Connection, Staff

# Follower and following rules name their target: `target: account` and nothing else.
ON_ACCOUNTS = {"target": {"const": "account"}}
ACCOUNT_ONLY_PARAMS = obj_params(ON_ACCOUNTS)
APPROVAL_FIELDS = ("form", "approved_by", "on")
_FIELD_WORDS = {"form": "a form reference", "approved_by": "who approved it", "on": "a date"}
CATEGORY_ENUM = {
    "enum": [
        "parent",
        "pupil",
        "ex_pupil",
        "staff",
        "governor",
        "organisation",
        "community",
        "unknown",
    ]
}


def connection_id(conn: Connection) -> str:
    """What a finding is about, stable when entries are added or reordered.

    Feeds only the fingerprint (never shown). A list index would shift every
    fingerprint, and break every baseline, each time a new follower arrives at the
    top of an export, so the pupil ref or platform id is preferred.
    """
    if conn.pupil:
        return f"pupil:{conn.pupil}"
    if conn.platform_id is not None:
        return f"id:{conn.platform_id}"
    if conn.handle is not None:
        return f"handle:{conn.handle.lower()}"
    return f"#{conn.index + 1}"


def first_declared(ctx: Context, *paths: str) -> tuple[Related, ...]:
    """The first of these policy lines that the policy actually declares."""
    for path in paths:
        value = ctx.declared(path)
        if value is not None:
            # Lists read as "headteacher, deputy_head", not as a Python repr.
            shown = (
                joined(map(str, value)) if isinstance(value, list) else render("{v}", {"v": value})
            )
            return ctx.policy_says(path, f"the policy declares {path}: {shown}")
    return ()


def _view_related(ctx: Context, path: str | None) -> tuple[Related, ...]:
    loc = locate(ctx.view, path.split(".")) if path else None
    if path is None or loc is None:
        return ()
    key = path.split(".", 1)[-1]
    value = render("{" + path + "}", ctx.view)
    return (Related(loc, f"the policy declares {key}: {value}", key=key, value=value),)


def _approval_loc(conn: Connection, key: str) -> Location:
    raw = conn.node.get("approval")
    return raw.loc(key) if isinstance(raw, YMap) else conn.node.loc()


def joined(values: Iterable[str]) -> str:
    return ", ".join(values) or "(none)"


def account_kind(name: str, *reads: str) -> Callable[[AccountRun], CheckKind]:
    """A follower or following kind that takes only `target: account`."""
    return kind(name, "account", params=ACCOUNT_ONLY_PARAMS, reads=reads)


def connection_hit(
    conn: Connection,
    label: str,
    message: str,
    *,
    where: Location | None = None,
    related: tuple[Related, ...] = (),
    why: str | None = None,
    category: Category | None = None,
) -> Hit:
    """A finding about one follower or followed account: named by its `label`, at its entry
    unless `where` says otherwise, and fingerprinted by its stable `connection_id` (with
    `why` where one connection can have several findings of the rule)."""
    detail = connection_id(conn) if why is None else f"{connection_id(conn)}:{why}"
    return Hit(
        message,
        conn.node.loc() if where is None else where,
        subject=label,
        related=related,
        detail=detail,
        category=category,
    )


# --- followers: approval records ------------------------------------------------------


@kind(
    "follower_approval_missing",
    "account",
    params=obj_params(
        {
            **ON_ACCOUNTS,
            "require": some_of(
                APPROVAL_FIELDS,
                "Parts of the approval record every follower needs (default: form, "
                "approved_by, on).",
                unique=False,
            ),
        }
    ),
    reads=("account.followers", "policy.followers.approval"),
)
def FOLLOWER_APPROVAL_MISSING(ctx: AccountContext, params: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per follower with no approval record, or one that lacks a required part
    (`require`, default form, approved_by and on).
    """
    account = ctx.account
    needed: tuple[str, ...] = tuple(params.get("require", APPROVAL_FIELDS))
    related = first_declared(ctx, "followers.approval")
    for conn in account.followers:
        approval = conn.approval
        if approval is None:
            missing = needed
            text = "has no approval record"
        else:
            missing = tuple(f for f in needed if getattr(approval, f) is None)
            if not missing:
                continue
            text = f"has an approval record without {joined(_FIELD_WORDS[f] for f in missing)}"
        label = conn.label("follower")
        yield connection_hit(
            conn,
            label,
            f"{label} {text}, but the policy requires a complete approval for every follower "
            f"(followers.approval: {ctx.declared('followers.approval')})",
            related=related,
            why=",".join(missing),
        )


def _approver_roles(ctx: Context) -> frozenset[str]:
    declared = ctx.declared("followers.approver_roles")
    return frozenset(str(r) for r in declared) if isinstance(declared, list) else SENIOR_ROLES


@account_kind(
    "follower_approver_role", "account.followers", "school.staff", "policy.followers.approver_roles"
)
def FOLLOWER_APPROVER_ROLE(ctx: AccountContext, params: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per follower approved by a member of staff whose role is not in the policy's
    followers.approver_roles (default: the senior leadership roles).
    """
    account, info = ctx.account, ctx.school.info
    if info is None:
        return
    roles = _approver_roles(ctx)
    # Built once per account so the follower loop is a set lookup, not a roster search.
    on_roster = info.staff
    allowed = {ref for ref, staff in on_roster.items() if staff.role in roles}
    related = first_declared(ctx, "followers.approver_roles", "followers.approval")
    for conn in account.followers:
        approval = conn.approval
        ref = approval.approved_by if approval else None
        # Unknown refs are a records problem (follower_approval_records), not this one.
        if ref is None or ref in allowed or ref not in on_roster:
            continue
        label = conn.label("follower")
        yield connection_hit(
            conn,
            label,
            f"{label} was approved by {ref} ({on_roster[ref].role}), who may not approve "
            f"followers; the policy allows: {joined(sorted(roles))}",
            where=_approval_loc(conn, "approved_by"),
            related=related,
            why=ref,
        )


def _approval_problems(
    approval: Approval, roster: Mapping[str, Staff] | None, as_of: date
) -> Iterator[tuple[str, str, str]]:
    """(message tail, field to point at, detail) for each thing wrong with one approval."""
    ref, on = approval.approved_by, approval.on
    # Without a roster (school.yaml failed to load) every ref would look unknown.
    if ref is not None and roster is not None:
        staff = roster.get(ref)
        if staff is None:
            yield f"names {ref}, who is not on the staff roster", "approved_by", "not-on-roster"
        elif on is not None and staff.has_left(on):
            yield (
                f"names {ref}, who left the school on {staff.left_on}, "
                f"on or before the approval date ({on})",
                "approved_by",
                "approver-left",
            )
    if on is not None and on > as_of:
        yield f"is dated {on}, after the date checked ({as_of})", "on", "future-date"


@account_kind("follower_approval_records", "account.followers", "school.staff")
def FOLLOWER_APPROVAL_RECORDS(ctx: AccountContext, params: Mapping[str, Any]) -> Iterator[Hit]:
    """One finding per follower approval that names someone not on the staff roster, someone who had
    already left on the approval date, or is dated after the as-of date.
    """
    account, info = ctx.account, ctx.school.info
    roster = info.staff if info else None
    as_of = ctx.settings.as_of
    for conn in account.followers:
        if conn.approval is None:
            continue
        for tail, key, what in _approval_problems(conn.approval, roster, as_of):
            label = conn.label("follower")
            yield connection_hit(
                conn,
                label,
                f"the approval of {label} {tail}",
                where=_approval_loc(conn, key),
                why=what,
            )


# --- followers: who they are ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CategoryParams:
    categories: frozenset[str]
    message: str
    related: str | None


def _prepare_categories(p: Mapping[str, Any]) -> _CategoryParams:
    return _CategoryParams(frozenset(p["categories"]), p["message"], p.get("related"))


@kind(
    "follower_categories",
    "account",
    params=obj_params(
        {
            **ON_ACCOUNTS,
            "categories": {"type": "array", "items": CATEGORY_ENUM, "minItems": 1},
            "message": {
                "type": "string",
                "minLength": 1,
                "description": "Template; {follower} is the follower's label (pupil ref or "
                "follower #N), other fields come from the view.",
            },
            "related": {
                "type": "string",
                "description": "Dotted path of the declared policy line in the view, "
                "e.g. policy.followers.must_be_connected_to_school.",
            },
        },
        required=("categories", "message"),
    ),
    reads=("account.followers",),
    prepare=_prepare_categories,
    template_names=frozenset({"follower"}),
)
def FOLLOWER_CATEGORIES(ctx: AccountContext, p: _CategoryParams) -> Iterator[Hit]:
    """One finding per follower whose category is in `categories` (e.g. unknown and community
    followers of an account only the school's community may follow).
    """
    account = ctx.account
    related = _view_related(ctx, p.related)
    wanted = p.categories
    # The template's view fields are the same for every follower: render them once and
    # leave only {follower} to fill in per hit.
    template = render(p.message.replace("{follower}", "\x00"), ctx.view)
    for conn in account.followers:
        if conn.category not in wanted:
            continue
        label = conn.label("follower")
        yield connection_hit(conn, label, template.replace("\x00", label), related=related)


KINDS: tuple[CheckKind, ...] = (
    FOLLOWER_APPROVAL_MISSING,
    FOLLOWER_APPROVER_ROLE,
    FOLLOWER_APPROVAL_RECORDS,
    FOLLOWER_CATEGORIES,
)
