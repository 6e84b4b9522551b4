"""Check kinds for staff members' own accounts (staff-accounts.yaml).

Pupils and young ex-pupils among a personal account's connections, private messages
and declared pre-existing relationships. Pupils are named by ref only. The permission
and parent notice a professional account needs, and the staff refs a declaration names,
are checks/staff_records.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from safesocial.checks.base import (
    CheckKind,
    Context,
    Hit,
    StaffAccountContext,
    StaffAccountRun,
    drift_if,
    ex_pupil_min_age,
    line_hit,
    min_age_said,
    obj_params,
)
from safesocial.checks.declare import kind
from safesocial.documents.yamlio import YMap
from safesocial.findings import Category, Location, Related
from safesocial.model import PUPIL_CATEGORIES, Staff, StaffAccount, StaffConnection

STAFF_ONLY_PARAMS = obj_params({"target": {"const": "staff_account"}})
# What every kind on an account's connections reads: who they are, which relationships
# were declared, and the register that says whether a pupil is still on roll.
_CONNECTIONS = ("staff_account.connections", "staff_account.declared_relationships", "pupils")
_RELATION = {
    "follows_staff": "they follow the account",
    "followed_by_staff": "the account follows them",
    "friends": "they are friends",
}


def staff_kind(name: str, *reads: str) -> Callable[[StaffAccountRun], CheckKind]:
    """A kind on staff members' own accounts: every one takes only `target: staff_account`."""
    return kind(name, "staff_account", params=STAFF_ONLY_PARAMS, reads=reads)


def _who(conn: StaffConnection, on_roll: bool) -> str:
    """How a message names the connection: by its status today and its ref, never a handle."""
    status = "pupil" if on_roll else "ex-pupil"
    if conn.pupil:
        return f"{status} {conn.pupil}"
    return f"{'a' if on_roll else 'an'} {status} with no ref (connection #{conn.index + 1})"


def _subject(conn: StaffConnection, on_roll: bool) -> str:
    return _who(conn, on_roll) if conn.pupil else f"connection #{conn.index + 1}"


def _notes(*notes: str) -> str:
    """Asides joined into one parenthesis, so a message never stacks two."""
    kept = [n for n in notes if n]
    return f" ({'; '.join(kept)})" if kept else ""


def _how(conn: StaffConnection) -> str:
    relation = conn.node.get("relation")
    return _RELATION.get(relation, "") if isinstance(relation, str) else ""


def _on_roll(ctx: Context, conn: StaffConnection) -> bool:
    """Whether the connection is a pupil at the school today.

    The register outranks the declaration's label: a "pupil" the register shows as
    left is an ex-pupil, and an "ex_pupil" still on roll is a pupil.
    """
    record = ctx.pupil(conn.pupil)
    if record is None:
        return conn.category == "pupil"
    return record.left_on is None or record.left_on > ctx.settings.as_of


def _connected(
    account: StaffAccount,
    conn: StaffConnection,
    rest: str,
    *,
    on_roll: bool,
    related: tuple[Related, ...] = (),
    category: Category | None = None,
) -> Hit:
    """A finding about one pupil or ex-pupil among a personal account's connections;
    `rest` is what the message says of them after naming them."""
    return Hit(
        f"{account.staff}'s personal account is connected to {_who(conn, on_roll)}{rest}",
        conn.node.loc(),
        subject=_subject(conn, on_roll),
        related=related,
        detail=f"connection:{conn.pupil or conn.index}",
        category=category,
    )


def _age(ctx: Context, conn: StaffConnection) -> tuple[int | None, Location | None]:
    """The connection's age and where it comes from: the register's date of birth first."""
    record = ctx.pupil(conn.pupil)
    age = record.age(ctx.settings.as_of) if record else None
    if record is not None and age is not None:
        return age, record.node.loc("date_of_birth")
    if conn.age is not None:
        return conn.age, conn.node.loc("age")
    return None, None


def _pupils(ctx: StaffAccountContext, use: str) -> Iterator[tuple[StaffAccount, StaffConnection]]:
    """Pupil and ex-pupil connections of an account of this use, bar declared relationships.

    A relationship declared to the line manager (a relative, a family friend) is the
    recognised exception: the school knows about it and has given guidance.
    """
    account = ctx.staff_account
    if account.use != use:
        return
    for conn in account.connections:
        if conn.category in PUPIL_CATEGORIES and conn.pupil not in account.declared:
            yield account, conn


def _young(ctx: Context, conn: StaffConnection) -> tuple[int, Location | None] | None:
    """The ex-pupil's age and its source when it is below the minimum, else None."""
    age, where = _age(ctx, conn)
    if age is None or age >= ex_pupil_min_age(ctx):
        return None
    return age, where


@staff_kind("staff_pupil_connections", *_CONNECTIONS)
def PUPIL_CONNECTIONS(ctx: StaffAccountContext, _params: Any) -> Iterator[Hit]:
    """One finding per current pupil (by the register, else the declared category) connected to a
    staff personal account with no declared pre-existing relationship.
    """
    for account, conn in _pupils(ctx, "personal"):
        if not _on_roll(ctx, conn):
            continue
        # Say so when the register contradicts the declaration, or the reader is puzzled.
        listed = "listed as an ex-pupil, but on roll" if conn.category == "ex_pupil" else ""
        yield _connected(
            account,
            conn,
            f"{_notes(listed, _how(conn))}, and no pre-existing relationship with them has "
            "been declared",
            on_roll=True,
        )


@staff_kind("staff_young_ex_pupils", *_CONNECTIONS, "policy.ex_pupil_min_age")
def YOUNG_EX_PUPILS(ctx: StaffAccountContext, _params: Any) -> Iterator[Hit]:
    """One finding per ex-pupil younger than the minimum age (settings, else policy
    staff_accounts.ex_pupil_min_age, else 18) connected to a staff personal account; age from the
    register's date_of_birth, else the declaration's `age`.
    """
    min_age = ex_pupil_min_age(ctx)
    for account, conn in _pupils(ctx, "personal"):
        young = None if _on_roll(ctx, conn) else _young(ctx, conn)
        if young is None:
            continue
        age, where = young
        said = min_age_said(ctx)
        related = said
        if where is not None and where.path != conn.node.file:
            note = f"their date of birth in the pupils register makes them {age}"
            related = (Related(where, note), *related)
        yield _connected(
            account,
            conn,
            f"{_notes(_how(conn))}, who is {age}, below the minimum age of {min_age}",
            on_roll=False,
            related=related,
            category=drift_if(said),
        )


@staff_kind("staff_ex_pupil_age_unknown", *_CONNECTIONS)
def UNKNOWN_AGE(ctx: StaffAccountContext, _params: Any) -> Iterator[Hit]:
    """One finding per ex-pupil connected to a staff personal account whose age is in neither the
    pupils register (date_of_birth) nor the declaration (`age`).
    """
    min_age = ex_pupil_min_age(ctx)
    for account, conn in _pupils(ctx, "personal"):
        if _on_roll(ctx, conn) or _age(ctx, conn)[0] is not None:
            continue
        yield _connected(
            account,
            conn,
            f", whose age is not recorded, so nobody can tell whether they are under {min_age}",
            on_roll=False,
        )


@staff_kind(
    "staff_personal_private", "staff_account.use", "staff_account.private", "policy.private"
)
def PERSONAL_PRIVATE(ctx: StaffAccountContext, _params: Any) -> Iterator[Hit]:
    """A staff personal account is private (private: true), unless the policy says
    staff_accounts.private: recommended.
    """
    account = ctx.staff_account
    declared = ctx.declared("private")
    # "recommended" is the school's considered choice; the policy-level rule questions it.
    if account.use != "personal" or declared == "recommended":
        return
    if account.private is True:
        return
    state = (
        "is public (private: false)" if account.private is False else "is not recorded as private"
    )
    text = "the policy requires staff personal accounts to be private"
    related = ctx.policy_says_when("private", "required", text)
    yield line_hit(account.node, "private", f"{account.staff}'s personal account {state}", related)


def _contact_counts(ctx: Context, account: StaffAccount, conn: StaffConnection) -> bool:
    if not conn.contacted or conn.category not in PUPIL_CATEGORIES:
        return False
    # A declared relative may be messaged from a personal account, never from a
    # professional one: there, every private conversation with a pupil counts.
    if account.use == "personal" and conn.pupil in account.declared:
        return False
    return _on_roll(ctx, conn) or _young(ctx, conn) is not None


@staff_kind("staff_pupil_contact", *_CONNECTIONS, "policy")
def PUPIL_CONTACT(ctx: StaffAccountContext, _params: Any) -> Iterator[Hit]:
    """One finding per pupil, or ex-pupil under the minimum age, a staff member has messaged
    (`contacted: true`) from their own account; on a personal account a declared pre-existing
    relationship is the exception.
    """
    account = ctx.staff_account
    # contact_pupils is the policy's line on personal accounts: breaking it there is drift.
    text = "the policy says staff never contact pupils from personal accounts"
    personal = account.use == "personal"
    said = ctx.policy_says_when("contact_pupils", "never", text) if personal else ()
    for conn in account.connections:
        if not _contact_counts(ctx, account, conn):
            continue
        on_roll = _on_roll(ctx, conn)
        age = "" if on_roll else f"aged {_age(ctx, conn)[0]}"
        yield Hit(
            f"{account.staff} has messaged {_who(conn, on_roll)}{_notes(age)} privately from "
            f"their {account.use} account",
            conn.node.loc("contacted"),
            subject=_subject(conn, on_roll),
            related=said,
            detail=f"contacted:{conn.pupil or conn.index}",
            category=drift_if(said),
        )


def _may_hear(ctx: Context, holder: Staff | None, ref: str) -> bool:
    """Whether a declaration made to `ref` reached someone who can act on it."""
    hearer = ctx.staff(ref)
    if hearer is None:
        return True  # not on the roster: staff_refs_known reports it
    info = ctx.school.info
    dsl_team = {info.dsl, *info.deputies} if info else set()
    line_manager = holder.line_manager if holder else None
    return ref == line_manager or hearer.senior or ref in dsl_team


def _declaration_gaps(ctx: Context, account: StaffAccount, entry: YMap) -> list[str]:
    gaps = []
    to = entry.get("declared_to")
    if not to:
        gaps.append("does not say whom it was declared to")
    elif str(to) == account.staff:
        gaps.append(f"was declared to {to}, the staff member themselves")
    elif not _may_hear(ctx, ctx.staff(account.staff), str(to)):
        gaps.append(
            f"was declared to {to}, who is neither {account.staff}'s line manager, "
            "a senior leader nor on the DSL team"
        )
    if not entry.get("on"):
        gaps.append("does not say when it was declared")
    return gaps


@staff_kind(
    "staff_declarations_recorded",
    "staff_account.declared_relationships",
    "school.staff",
    "school.safeguarding.dsl",
    "school.safeguarding.deputies",
)
def DECLARATIONS(ctx: StaffAccountContext, _params: Any) -> Iterator[Hit]:
    """One finding per declared relationship that does not say when it was declared and to whom: the
    staff member's line manager, a senior leader or the DSL team.
    """
    account = ctx.staff_account
    for pupil, entry in account.declared.items():
        gaps = _declaration_gaps(ctx, account, entry)
        if gaps:
            yield Hit(
                f"{account.staff}'s declared relationship with pupil {pupil} " + " and ".join(gaps),
                entry.loc(),
                subject=f"pupil {pupil}",
                detail=f"declared:{pupil}",
            )


KINDS: tuple[CheckKind, ...] = (
    PUPIL_CONNECTIONS,
    YOUNG_EX_PUPILS,
    UNKNOWN_AGE,
    PERSONAL_PRIVATE,
    PUPIL_CONTACT,
    DECLARATIONS,
)
