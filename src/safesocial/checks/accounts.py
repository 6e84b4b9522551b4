"""Check kinds: accounts (see docs/writing-rules.md).

The relational checks on one account that JSON Schema cannot say: dates against
thresholds, email domains, and who the account's approvers and admins really are on the
staff roster. Everything an account record can say about itself alone is written as a
declarative `schema`/`each` rule in the packs instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from safesocial.checks.base import (
    NO_PARAMS,
    CheckKind,
    Context,
    Hit,
    Settings,
    drift_if,
    in_force,
    months_before,
)
from safesocial.findings import Category, Location, Related
from safesocial.model import Account, Admin, Staff, as_date
from safesocial.yamlio import YList, YMap

DEFAULT_MIN_ADMINS = 2
_SENIOR_LINE = "the policy says a senior leader has full access (senior_full_access: true)"


def _positive_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _roster_note(staff: Staff, key: str, text: str) -> tuple[Related, ...]:
    return (Related(staff.node.loc(key), text),)


# --- covered by the policy at all ------------------------------------------------------


def _run_policy_covers(ctx: Context, _params: Any) -> Iterator[Hit]:
    account, policy = ctx.account, ctx.school.policy
    # Without a policy (policy.yaml did not load) its own input problem says so.
    if account is None or policy is None or policy.covers(account):
        return
    defaults = policy.node.get("defaults")
    where = policy.node.loc("defaults") if isinstance(defaults, YMap) else policy.node.loc()
    yield Hit(
        f"no policy covers {account.handle}: policy.yaml has no block for accounts of kind "
        f"{account.kind} (defaults.{account.kind}) nor one for this account "
        f"(accounts.{account.id}), so none of its settings could be compared with the policy",
        account.node.loc("kind"),
        related=(Related(where, f"add a block for {account.kind} accounts here"),),
        detail=account.kind,
    )


POLICY_COVERS = CheckKind(
    name="policy_covers_account",
    scopes=("account",),
    params=NO_PARAMS,
    run=_run_policy_covers,
    # Not the policy's values: the rules that compare with them are skipped for such an
    # account, and this one says why.
    reads=("account.kind",),
    doc="A block of policy.yaml applies to the account: defaults for its kind, or its own "
    "entry under accounts.",
)


# --- settings re-checked -------------------------------------------------------------


def settings_review_days(applies: Mapping[str, Any], settings: Settings) -> tuple[int, bool]:
    """Days between checks of an account's real settings, and whether the policy that
    applies to it set them: the one precedence of `in_force`, which rules and
    `safesocial config` share."""
    used = in_force(settings, "settings_review_days", applies)
    return used.value, used.source == "policy"


def _run_settings_review(ctx: Context, _params: Any) -> Iterator[Hit]:
    account = ctx.account
    if account is None:
        return
    used = in_force(ctx.settings, "settings_review_days", ctx.policy)
    days = used.value
    said = f"the policy asks for a check every {days} days"
    # Only the policy's own number makes a late check drift; otherwise it is guidance.
    related = (Related(used.location, said),) if used.location else ()
    node = account.node
    key = "settings_reviewed_on" if as_date(node.get("settings_reviewed_on")) else "observed_on"
    checked = as_date(node.get(key))
    if checked is None:
        yield Hit(
            f"nobody has recorded when the real settings of {account.handle} were last checked "
            f"(no settings_reviewed_on or observed_on); they should be checked every {days} days",
            node.loc(),
            related=related,
            detail="never",
            category=drift_if(related),
        )
        return
    age = (ctx.settings.as_of - checked).days
    if age <= days:
        return
    what = "last checked" if key == "settings_reviewed_on" else "last looked at (observed_on)"
    yield Hit(
        f"the real settings of {account.handle} were {what} on {checked}, {age} days ago; "
        f"they should be checked every {days} days",
        node.loc(key),
        related=related,
        detail=key,
        category=drift_if(related),
    )


SETTINGS_REVIEW = CheckKind(
    name="settings_review",
    scopes=("account",),
    params=NO_PARAMS,
    run=_run_settings_review,
    reads=("account.settings_reviewed_on", "account.observed_on", "policy.settings_review_days"),
    doc="The account's real settings were checked (settings_reviewed_on, else observed_on) "
    "within settings_review_days: safesocial.yaml's, else the policy's, else 90. Drift "
    "when the policy's number is the one broken.",
)


# --- on the register, approved by a current senior leader ----------------------------


def _approver_problem(ctx: Context, ref: str) -> tuple[str, tuple[Related, ...]] | None:
    staff = ctx.staff(ref)
    if staff is None and ctx.unread("staff", ref):
        return None  # their roster entry could not be read: a gap, not a finding
    if staff is None:
        return f"was approved by {ref}, who is not on the staff roster in school.yaml", ()
    if staff.has_left(ctx.settings.as_of):
        said = f"the staff roster says {ref} left on {staff.left_on}"
        note = _roster_note(staff, "left_on", said)
        return f"was approved by {ref}, who has left the school", note
    if not staff.senior:
        note = _roster_note(staff, "role", f"the staff roster gives {ref}'s role as {staff.role}")
        return f"was approved by {ref} ({staff.role}), who is not a senior leader", note
    return None


def _run_approver(ctx: Context, _params: Any) -> Iterator[Hit]:
    account = ctx.account
    if account is None or ctx.school.info is None:
        return
    ref = account.node.get("approved_by")
    if ref is None:
        yield Hit(
            f"no senior leader is recorded as approving {account.handle} (approved_by)",
            account.node.loc(),
            detail="missing",
        )
        return
    problem = _approver_problem(ctx, str(ref))
    if problem is not None:
        text, related = problem
        yield Hit(
            f"{account.handle} {text}; a current senior leader must approve it and keep it "
            "on the register",
            account.node.loc("approved_by"),
            related=related,
            detail=str(ref),
        )


APPROVER = CheckKind(
    name="account_approver",
    scopes=("account",),
    params=NO_PARAMS,
    run=_run_approver,
    reads=("account.approved_by", "school.staff"),
    doc="The account's approved_by is a current senior leader on the staff roster.",
)


# --- registered to a school email address ---------------------------------------------


def _domain_of(email: str) -> str:
    local, at, domain = email.strip().rpartition("@")
    return domain.lower() if at and local else ""


def _at_school(domain: str, domains: tuple[str, ...]) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in domains)


def _run_owner_email(ctx: Context, _params: Any) -> Iterator[Hit]:
    account, info = ctx.account, ctx.school.info
    if account is None or info is None:
        return
    email = account.owner_email
    if not email:
        yield Hit(
            f"nobody has recorded which email address {account.handle} is registered to "
            "(owner_email)",
            account.node.loc(),
            detail="missing",
        )
        return
    domain = _domain_of(email)
    domains = info.email_domains
    if not domains:
        yield Hit(
            f"{account.handle} cannot be confirmed as registered to a school address: "
            "school.yaml lists no email_domains",
            account.node.loc("owner_email"),
            related=(Related(info.node.loc("school"), "add the school's own email domains here"),),
            detail="no-domains",
        )
        return
    if domain and _at_school(domain, domains):
        return
    # Only the domain is shown: the part before @ may be a member of staff's own address.
    shown = f"an address at {domain}" if domain else "something that is not an email address"
    yield Hit(
        f"{account.handle} is registered to {shown}, not to one of the school's domains "
        f"({', '.join(domains)})",
        account.node.loc("owner_email"),
        detail=domain or "invalid",
    )


OWNER_EMAIL = CheckKind(
    name="owner_email_domain",
    scopes=("account",),
    params=NO_PARAMS,
    run=_run_owner_email,
    reads=("account.owner_email", "school.school.email_domains"),
    doc="The account's owner_email is at one of school.email_domains (or a subdomain).",
)


# --- risk assessment agreed by the DSL --------------------------------------------------


def _run_risk_dsl(ctx: Context, _params: Any) -> Iterator[Hit]:
    account, info = ctx.account, ctx.school.info
    if account is None or info is None:
        return
    assessment = account.node.get("risk_assessment")
    if not isinstance(assessment, YMap):
        return  # no risk assessment at all is a different, more serious finding
    agreed = assessment.get("agreed_by")
    if not isinstance(agreed, YList) or not agreed:
        return
    where = assessment.loc("agreed_by")
    if info.dsl is None:
        yield Hit(
            f"the risk assessment for {account.handle} cannot be shown to be agreed by the DSL: "
            "school.yaml names no DSL (safeguarding.dsl)",
            where,
            detail="no-dsl",
        )
        return
    leads = {info.dsl, *info.deputies}
    if leads & {str(ref) for ref in agreed}:
        return
    yield Hit(
        f"the risk assessment for {account.handle} was not agreed by the DSL ({info.dsl}) "
        "or a deputy DSL",
        where,
        detail="not-dsl",
    )


RISK_DSL = CheckKind(
    name="risk_assessment_dsl",
    scopes=("account",),
    params=NO_PARAMS,
    run=_run_risk_dsl,
    reads=(
        "account.risk_assessment.agreed_by",
        "school.safeguarding.dsl",
        "school.safeguarding.deputies",
    ),
    doc="The account's risk_assessment.agreed_by includes the school's DSL or a deputy DSL.",
)


# --- parents told about the account ---------------------------------------------------


def _run_parents_notified(ctx: Context, _params: Any) -> Iterator[Hit]:
    account = ctx.account
    if account is None:
        return
    months = ctx.settings.parent_notice_months
    told = as_date(account.node.get("parents_notified_on"))
    if told is None:
        yield Hit(
            f"there is no record that parents were told about {account.handle} and what it is for "
            "(parents_notified_on)",
            account.node.loc(),
            detail="never",
        )
        return
    if told < months_before(ctx.settings.as_of, months):
        yield Hit(
            f"parents were last told about {account.handle} on {told}, more than "
            f"{_plural(months, 'month')} ago",
            account.node.loc("parents_notified_on"),
            detail="stale",
        )


PARENTS_NOTIFIED = CheckKind(
    name="parents_notified",
    scopes=("account",),
    params=NO_PARAMS,
    run=_run_parents_notified,
    reads=("account.parents_notified_on",),
    doc="Parents were told about the account within the configured parent_notice_months.",
)


# --- admins -------------------------------------------------------------------------------


def _current(ctx: Context, admin: Admin) -> Staff | None:
    """The admin's roster entry if they are still at the school."""
    staff = ctx.staff(admin.staff)
    return staff if staff is not None and not staff.has_left(ctx.settings.as_of) else None


def _admins_loc(account: Account) -> Location:
    return account.node.loc("admins")


def _run_admin_count(ctx: Context, _params: Any) -> Iterator[Hit]:
    account = ctx.account
    if account is None or ctx.school.info is None:
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
        else f"only {_plural(count, 'current member')} of staff"
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


ADMIN_COUNT = CheckKind(
    name="admin_count",
    scopes=("account",),
    params=NO_PARAMS,
    run=_run_admin_count,
    reads=("account.admins", "school.staff", "policy.publishers.min_admins"),
    doc="At least publishers.min_admins (default 2) current staff have access to the account.",
)


def _run_senior_full_access(ctx: Context, _params: Any) -> Iterator[Hit]:
    account = ctx.account
    if account is None or ctx.school.info is None:
        return
    for admin in account.admins:
        staff = _current(ctx, admin)
        if admin.access == "full" and staff is not None and staff.senior:
            return
    declared = ctx.declared("publishers.senior_full_access") is True
    said = ctx.policy_says("publishers.senior_full_access", _SENIOR_LINE) if declared else ()
    yield Hit(
        f"no current senior leader has full access to {account.handle}, so the leadership team "
        "cannot audit it or take it back if something goes wrong",
        _admins_loc(account),
        related=said,
        detail="none",
        category=drift_if(said),
    )


SENIOR_FULL_ACCESS = CheckKind(
    name="senior_full_access",
    scopes=("account",),
    params=NO_PARAMS,
    run=_run_senior_full_access,
    reads=("account.admins", "school.staff", "policy.publishers.senior_full_access"),
    doc="A current senior leader (headteacher, deputy, assistant head, SLT) has full access.",
)


def _run_mfa(ctx: Context, _params: Any) -> Iterator[Hit]:
    account = ctx.account
    if account is None:
        return
    mfa = account.node.get("mfa")
    if mfa is True:
        return
    # Only a policy that requires MFA makes this drift as well; otherwise it is guidance alone.
    required = ctx.declared("publishers.mfa") == "required"
    said = "the policy requires two-factor sign-in (publishers.mfa: required)"
    state = (
        "switched off (mfa: false)"
        if mfa is False
        else "not recorded (no mfa line in the account file)"
    )
    related = ctx.policy_says("publishers.mfa", said) if required else ()
    yield Hit(
        f"two-factor sign-in (MFA) for {account.handle} is {state}",
        account.node.loc("mfa"),
        related=related,
        detail="off" if mfa is False else "unrecorded",
        category=drift_if(related),
    )


MFA = CheckKind(
    name="mfa_on",
    scopes=("account",),
    params=NO_PARAMS,
    run=_run_mfa,
    reads=("account.mfa", "policy.publishers.mfa"),
    doc="The account records mfa: true; the policy line is related where it says required.",
)


def _admin_hit(
    admin: Admin,
    message: str,
    related: tuple[Related, ...] = (),
    category: Category | None = None,
) -> Hit:
    return Hit(message, admin.node.loc(), f"staff {admin.staff}", related, admin.staff, category)


def _run_admin_unknown(ctx: Context, _params: Any) -> Iterator[Hit]:
    account = ctx.account
    if account is None or ctx.school.info is None:
        return
    for admin in account.admins:
        if ctx.staff(admin.staff) is None and not ctx.unread("staff", admin.staff):
            yield _admin_hit(
                admin,
                f"{admin.staff} has {admin.access} access to {account.handle} but is not on the "
                "staff roster in school.yaml",
            )


ADMIN_UNKNOWN = CheckKind(
    name="admin_not_on_roster",
    scopes=("account",),
    params=NO_PARAMS,
    run=_run_admin_unknown,
    reads=("account.admins", "school.staff"),
    doc="Every admin of the account is on the staff roster.",
)


def _run_admin_left(ctx: Context, _params: Any) -> Iterator[Hit]:
    account = ctx.account
    if account is None:
        return
    for admin in account.admins:
        staff = ctx.staff(admin.staff)
        if staff is None or not staff.has_left(ctx.settings.as_of):
            continue
        text = f"the staff roster says {admin.staff} left on {staff.left_on}"
        yield _admin_hit(
            admin,
            f"{admin.staff} left the school on {staff.left_on} but still has {admin.access} "
            f"access to {account.handle}",
            _roster_note(staff, "left_on", text),
        )


ADMIN_LEFT = CheckKind(
    name="admin_has_left",
    scopes=("account",),
    params=NO_PARAMS,
    run=_run_admin_left,
    reads=("account.admins", "school.staff"),
    doc="No admin of the account has left the school (left_on on or before the as-of date).",
)


def _training_problem(staff: Staff, cutoff: date, months: int) -> str | None:
    trained = staff.social_media_trained_on
    if trained is None:
        return "has no social media training on record (social_media_trained_on)"
    if trained < cutoff:
        age = _plural(months, "month")
        return f"was last trained in social media on {trained}, more than {age} ago"
    return None


def _run_admin_training(ctx: Context, _params: Any) -> Iterator[Hit]:
    account = ctx.account
    required = ctx.declared("publishers.training_required")
    if account is None or required is False:
        return
    said = (
        ctx.policy_says("publishers.training_required", "the policy requires publishers trained")
        if required is True
        else ()
    )
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
            (*_roster_note(staff, key, f"{admin.staff}'s training record"), *said),
            drift_if(said),
        )


ADMIN_TRAINING = CheckKind(
    name="admin_training",
    scopes=("account",),
    params=NO_PARAMS,
    run=_run_admin_training,
    reads=("account.admins", "school.staff", "policy.publishers.training_required"),
    doc="Every current admin's social_media_trained_on is within the configured "
    "training_valid_months, unless the policy says publishers.training_required: false.",
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


def _run_admin_role(ctx: Context, _params: Any) -> Iterator[Hit]:
    account = ctx.account
    roles = ctx.declared("publishers.roles")
    if account is None or not isinstance(roles, list):
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


ADMIN_ROLE = CheckKind(
    name="admin_role",
    scopes=("account",),
    params=NO_PARAMS,
    run=_run_admin_role,
    reads=(
        "account.admins",
        "school.staff",
        "policy.publishers.roles",
        "policy.publishers.senior_full_access",
    ),
    doc="Every admin on the roster, leavers included, has a role among the policy's "
    "publishers.roles (a current senior leader with full access is allowed where the policy "
    "says senior_full_access: true).",
)


KINDS: tuple[CheckKind, ...] = (
    POLICY_COVERS,
    SETTINGS_REVIEW,
    APPROVER,
    OWNER_EMAIL,
    RISK_DSL,
    PARENTS_NOTIFIED,
    ADMIN_COUNT,
    SENIOR_FULL_ACCESS,
    MFA,
    ADMIN_UNKNOWN,
    ADMIN_LEFT,
    ADMIN_TRAINING,
    ADMIN_ROLE,
)
