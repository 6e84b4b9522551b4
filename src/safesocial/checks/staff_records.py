"""Check kinds: what a staff account's declaration must carry (see docs/writing-rules.md).

A professional account needs the permission of an approver in a role the policy names
and a notice to parents; every staff ref a declaration names (holder, approver, risk
assessment) must be on the staff roster. The connections of a staff member's accounts
are checks/staff_accounts.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from safesocial.checks.base import (
    CheckKind,
    Context,
    Hit,
    StaffAccountContext,
    drift_if,
    line_hit,
)
from safesocial.checks.staff_accounts import staff_kind
from safesocial.dates import months_before
from safesocial.documents.yamlio import YList, YMap
from safesocial.findings import Location
from safesocial.model import StaffAccount


def _approver_roles(ctx: Context) -> list[str]:
    roles = ctx.declared("professional_accounts.approver_roles")
    return [str(r) for r in roles] if isinstance(roles, list) and roles else ["headteacher"]


def _roles_text(roles: list[str]) -> str:
    return ", ".join(r.replace("_", " ") for r in roles)


def _approval_problem(ctx: Context, account: StaffAccount) -> str | None:
    ref = account.node.get("approved_by")
    if not ref:
        return "has no recorded permission: nobody is named under approved_by"
    approver = ctx.staff(str(ref))
    if approver is None:
        return None  # not on the roster: staff_refs_known reports it
    if ref == account.staff:
        return f"was approved by {ref}, the account holder themselves"
    roles = _approver_roles(ctx)
    holder = ctx.staff(account.staff)
    if approver.role in roles or (holder is not None and holder.line_manager == ref):
        return None
    return (
        f"was approved by {ref} ({approver.role.replace('_', ' ')}), who is neither "
        f"{account.staff}'s line manager nor in a role that may approve it "
        f"({_roles_text(roles)})"
    )


@staff_kind(
    "staff_pro_approval",
    "staff_account.use",
    "staff_account.approved_by",
    "school.staff",
    "policy.professional_accounts.approver_roles",
)
def PRO_APPROVAL(ctx: StaffAccountContext, _params: Any) -> Iterator[Hit]:
    """A professional account is approved (approved_by) by someone other than its holder whose role
    is in policy professional_accounts.approver_roles (default headteacher), or by the holder's
    line manager.
    """
    account = ctx.staff_account
    if account.use != "professional":
        return
    problem = _approval_problem(ctx, account)
    if problem:
        said = ctx.policy_says(
            "professional_accounts.approver_roles",
            f"roles the policy lets approve them: {_roles_text(_approver_roles(ctx))}",
        )
        yield Hit(
            f"{account.staff}'s professional account {problem}",
            account.node.loc("approved_by"),
            related=said,
            detail="approved_by",
            # Drift only when the policy names the roles itself, not by the default.
            category=drift_if(said)
            if ctx.declared("professional_accounts.approver_roles")
            else None,
        )


@staff_kind("staff_pro_parents_told", "staff_account.use", "staff_account.parents_notified_on")
def PRO_PARENTS(ctx: StaffAccountContext, _params: Any) -> Iterator[Hit]:
    """Parents were told about a professional account (parents_notified_on) within the settings'
    parent_notice_months.
    """
    account = ctx.staff_account
    if account.use != "professional":
        return
    raw = account.node.get("parents_notified_on")
    told = date.fromisoformat(raw) if isinstance(raw, str) else None
    months = ctx.settings.parent_notice_months
    if told is None:
        message = "parents have never been told about it (no parents_notified_on)"
    elif told < months_before(ctx.settings.as_of, months):
        message = f"parents were last told on {told}, more than {months} months ago"
    else:
        return
    text = "the policy says parents are told about professional accounts"
    said = ctx.policy_says_when("professional_accounts.notify_parents", True, text)
    message = f"{account.staff}'s professional account: {message}"
    yield line_hit(account.node, "parents_notified_on", message, said)


def _refs(account: StaffAccount) -> Iterator[tuple[str, str, Location]]:
    """Every staff ref the declaration names: (ref, what it is, where)."""
    node = account.node
    yield account.staff, "the account holder", node.loc("staff")
    if node.get("approved_by"):
        yield str(node["approved_by"]), "the approver", node.loc("approved_by")
    assessment = node.get("risk_assessment")
    agreed = assessment.get("agreed_by") if isinstance(assessment, YMap) else None
    if isinstance(agreed, YList):
        for i, ref in enumerate(agreed):
            yield str(ref), "who agreed the risk assessment", agreed.loc(i)
    for pupil, entry in account.declared.items():
        if entry.get("declared_to"):
            what = f"who heard the declaration about pupil {pupil}"
            yield str(entry["declared_to"]), what, entry.loc("declared_to")


@staff_kind(
    "staff_refs_known",
    "staff_account.staff",
    "staff_account.approved_by",
    "staff_account.risk_assessment.agreed_by",
    "staff_account.declared_relationships",
    "school.staff",
)
def REFS_KNOWN(ctx: StaffAccountContext, _params: Any) -> Iterator[Hit]:
    """One finding per staff ref in a staff-account declaration (holder, approver, risk assessment,
    declared_to) that is not on the roster.
    """
    account = ctx.staff_account
    if ctx.school.info is None:
        return
    for ref, what, where in _refs(account):
        if ctx.staff(ref) is None:
            yield Hit(
                f"staff ref {ref} ({what}) is not on the staff roster in school.yaml",
                where,
                subject=f"staff ref {ref}",
                detail=f"{what}:{ref}",
            )


KINDS: tuple[CheckKind, ...] = (PRO_APPROVAL, PRO_PARENTS, REFS_KNOWN)
