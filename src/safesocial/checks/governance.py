"""Check kinds for the school's governance (school.yaml).

Who keeps children safe (the DSL team and the routes for raising concerns), whether
the policy documents are kept under review, and whether staff have signed the
acceptable use policy and been trained recently enough.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from safesocial.checks.base import CheckKind, Context, Hit, Run, choice, obj_params, some_of
from safesocial.checks.declare import kind
from safesocial.dates import months_before
from safesocial.documents.yamlio import YList
from safesocial.findings import Location
from safesocial.model import Document, SchoolInfo, Staff

_SCHOOL = {"target": {"const": "school"}}


def _school_kind(name: str, *reads: str) -> Callable[[Run], CheckKind]:
    """A governance kind that takes only `target: school`."""
    return kind(name, "school", params=obj_params(_SCHOOL), reads=reads)


# What each safeguarding key is called in a headteacher's words.
_NAMED = {
    "dsl": "designated safeguarding lead (DSL)",
    "online_safety_lead": "online-safety lead",
    "link_governor": "link governor for safeguarding and online safety",
    "incident_route": "route for reporting an online-safety incident",
    "low_level_concerns_route": "route for reporting low-level concerns about adults",
}


@kind(
    "safeguarding_named",
    "school",
    params=obj_params(
        {**_SCHOOL, "fields": some_of(_NAMED, "safeguarding keys that must be filled in.")},
        required=("fields",),
    ),
    reads=("school.safeguarding",),
)
def SAFEGUARDING_NAMED(ctx: Context, params: Any) -> Iterator[Hit]:
    """One finding per listed `safeguarding` key (dsl, online_safety_lead, link_governor,
    incident_route, low_level_concerns_route) that school.yaml leaves empty.
    """
    info = ctx.school.info
    if info is None:
        return
    guard = info.safeguarding
    for key in params["fields"]:
        value = guard.get(key)
        if isinstance(value, str) and value.strip():
            continue
        where = guard.loc(key) if "safeguarding" in info.node else info.node.loc()
        yield Hit(
            f"school.yaml names no {_NAMED[key]} (safeguarding.{key})",
            where,
            detail=f"safeguarding.{key}",
        )


def _dsl_team(info: SchoolInfo) -> Iterator[tuple[str, str, Location]]:
    """(ref, role, where) for the DSL, each deputy and the online-safety lead."""
    guard = info.safeguarding
    if info.dsl:
        yield info.dsl, "the DSL", guard.loc("dsl")
    deputies = guard.get("deputies")
    if isinstance(deputies, YList):
        for i, ref in enumerate(deputies):
            yield str(ref), "the deputy DSL", deputies.loc(i)
    lead = guard.get("online_safety_lead")
    if lead:
        yield str(lead), "the online-safety lead", guard.loc("online_safety_lead")


@_school_kind("safeguarding_team_on_roster", "school.safeguarding", "school.staff")
def TEAM_ON_ROSTER(ctx: Context, _params: Any) -> Iterator[Hit]:
    """One finding per DSL, deputy DSL or online-safety lead who is not on the staff roster or has
    left.
    """
    info = ctx.school.info
    if info is None:
        return
    for ref, role, where in _dsl_team(info):
        staff = info.staff.get(ref)
        if staff is None:
            problem = "is not on the staff roster"
        elif staff.left_on is not None and staff.has_left(ctx.settings.as_of):
            problem = f"left the school on {staff.left_on.isoformat()}"
        else:
            continue
        yield Hit(
            f"{role} named in school.yaml, {ref}, {problem}",
            where,
            subject=f"staff {ref}",
            detail=f"{role}:{ref}",
        )


@_school_kind("dsl_senior", "school.safeguarding.dsl", "school.staff")
def DSL_SENIOR(ctx: Context, _params: Any) -> Iterator[Hit]:
    """The DSL named in school.yaml holds a senior leadership role on the roster."""
    info = ctx.school.info
    staff = info.staff.get(info.dsl) if info and info.dsl else None
    if info is None or staff is None or staff.senior:
        return
    yield Hit(
        f"the DSL, {staff.ref}, is in the role '{staff.role}', not on the senior leadership "
        "team (headteacher, deputy or assistant head, SLT)",
        info.safeguarding.loc("dsl"),
        subject=f"staff {staff.ref}",
        detail=f"dsl:{staff.ref}",
    )


@_school_kind("deputy_dsl_named", "school.safeguarding.dsl", "school.safeguarding.deputies")
def DEPUTY_DSL(ctx: Context, _params: Any) -> Iterator[Hit]:
    """At least one deputy DSL other than the DSL is named."""
    info = ctx.school.info
    if info is None or any(ref != info.dsl for ref in info.deputies):
        return
    guard = info.safeguarding
    where = guard.loc("deputies") if "deputies" in guard else guard.loc()
    yield Hit("school.yaml names no deputy DSL (safeguarding.deputies)", where, detail="deputies")


def _review_problem(doc: Document, as_of: date, months: int) -> tuple[str, str] | None:
    """(what is wrong, which key) when the document is overdue for review."""
    if doc.next_review_on is not None and doc.next_review_on < as_of:
        return f"was due for review on {doc.next_review_on.isoformat()}", "next_review_on"
    if doc.reviewed_on is not None and doc.reviewed_on < months_before(as_of, months):
        reviewed = doc.reviewed_on.isoformat()
        return f"was last reviewed on {reviewed}, more than {months} months ago", "reviewed_on"
    if doc.reviewed_on is None and doc.next_review_on is None:
        return "has no record of being reviewed (reviewed_on, next_review_on)", ""
    return None


@_school_kind("documents_reviewed", "school.documents")
def DOCUMENTS_REVIEWED(ctx: Context, _params: Any) -> Iterator[Hit]:
    """One finding per policy document whose next_review_on has passed, whose reviewed_on is older
    than the settings' policy_review_months, or that has neither.
    """
    info = ctx.school.info
    if info is None:
        return
    months = ctx.settings.policy_review_months
    for doc in info.documents:
        problem = _review_problem(doc, ctx.settings.as_of, months)
        if problem:
            text, key = problem
            yield Hit(
                f"the policy document '{doc.id}' {text}",
                doc.node.loc(key or None),
                subject=f"document {doc.id}",
                detail=f"document:{doc.id}",
            )


_DONE = {
    "aup_signed_on": "signed the acceptable use policy",
    "safeguarding_trained_on": "had safeguarding and online-safety training",
    "dsl_trained_on": "had DSL training",
}
_MONTHS_SETTINGS = ("training_valid_months", "dsl_training_valid_months", "policy_review_months")


def _current(staff: Staff, as_of: date) -> bool:
    started = staff.node.get("started_on")
    # Someone who has not started yet is trained at induction, not before.
    if isinstance(started, str) and date.fromisoformat(started) > as_of:
        return False
    return not staff.has_left(as_of)


def _staff(info: SchoolInfo, as_of: date) -> Iterator[tuple[Staff, str]]:
    for staff in info.staff.values():
        if _current(staff, as_of):
            yield staff, f"{staff.ref} ({staff.role.replace('_', ' ')})"


def _dsl_staff(info: SchoolInfo, as_of: date) -> Iterator[tuple[Staff, str]]:
    # Refs off the roster, or of leavers, are safeguarding_team_on_roster's to report.
    seen: set[str] = set()
    for ref, role, _ in _dsl_team(info):
        member = info.staff.get(ref)
        if role == "the online-safety lead" or ref in seen or member is None:
            continue
        seen.add(ref)
        if _current(member, as_of):
            yield member, f"{ref} ({role.removeprefix('the ')})"


def _people(ctx: Context, info: SchoolInfo, who: str) -> Iterator[tuple[Staff, str]]:
    """(roster entry, how the message names them) for everyone the rule looks at."""
    pick = _dsl_staff if who == "dsl_team" else _staff
    return pick(info, ctx.settings.as_of)


def _months(ctx: Context, within: int | str) -> int:
    return within if isinstance(within, int) else int(getattr(ctx.settings, within))


@kind(
    "roster_date_current",
    "school",
    params=obj_params(
        {
            **_SCHOOL,
            "field": choice(_DONE, "The roster date to check."),
            "who": choice(
                ["current_staff", "dsl_team"],
                "Everyone on the roster who has not left, or the DSL and deputies.",
            ),
            "within": {
                "oneOf": [{"type": "integer", "minimum": 1}, {"enum": list(_MONTHS_SETTINGS)}],
                "description": "Months the date stays good for, or the setting that says.",
            },
        },
        required=("field", "within"),
    ),
    reads=("school.staff", "school.safeguarding.dsl", "school.safeguarding.deputies"),
)
def ROSTER_DATE_CURRENT(ctx: Context, params: Any) -> Iterator[Hit]:
    """One finding per current staff member (or DSL/deputy) whose roster date `field` is missing or
    older than `within` months (a number, or a setting's name).
    """
    info = ctx.school.info
    if info is None:
        return
    key, done = params["field"], _DONE[params["field"]]
    months = _months(ctx, params["within"])
    cutoff = months_before(ctx.settings.as_of, months)
    for staff, name in _people(ctx, info, params.get("who", "current_staff")):
        when: date | None = getattr(staff, key)
        if when is None:
            message = f"{name} has no record of having {done}"
        elif when < cutoff:
            message = f"{name} last {done} on {when.isoformat()}, more than {months} months ago"
        else:
            continue
        where = staff.node.loc(key) if when else staff.node.loc()
        # Training never done is due now (no date); lapsed training fell due `months` on.
        due = months_before(when, -months) if when else None
        yield Hit(
            message, where, subject=f"staff {staff.ref}", detail=f"{key}:{staff.ref}", due=due
        )


KINDS: tuple[CheckKind, ...] = (
    SAFEGUARDING_NAMED,
    TEAM_ON_ROSTER,
    DSL_SENIOR,
    DEPUTY_DSL,
    DOCUMENTS_REVIEWED,
    ROSTER_DATE_CURRENT,
)
