"""Check kinds: accounts (see docs/writing-rules.md).

The relational checks on one account that JSON Schema cannot say: dates against
thresholds, email domains, and who approved the account on the staff roster (its admins
are checks/admins.py). Everything an account record can say about itself alone is written as a
declarative `schema`/`each` rule in the packs instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from safesocial.checks.base import (
    AccountContext,
    CheckKind,
    Context,
    Hit,
    drift_if,
    in_force,
    line_hit,
)
from safesocial.checks.declare import kind
from safesocial.dates import months_before
from safesocial.documents.yamlio import YList, YMap
from safesocial.findings import Related
from safesocial.model import Staff, as_date
from safesocial.settings import Settings
from safesocial.text import plural


def roster_note(staff: Staff, key: str, text: str) -> tuple[Related, ...]:
    return (Related(staff.node.loc(key), text),)


# --- covered by the policy at all ------------------------------------------------------


@kind(
    "policy_covers_account",
    "account",
    # Not the policy's values: the rules that compare with them are skipped for such an
    # account, and this one says why.
    reads=("account.kind",),
)
def POLICY_COVERS(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """A block of policy.yaml applies to the account: defaults for its kind, or its own entry under
    accounts.
    """
    account, policy = ctx.account, ctx.school.policy
    # Without a policy (policy.yaml did not load) its own input problem says so.
    if policy is None or policy.covers(account):
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


# --- settings re-checked -------------------------------------------------------------


def settings_review_days(applies: Mapping[str, Any], settings: Settings) -> tuple[int, bool]:
    """Days between checks of an account's real settings, and whether the policy that
    applies to it set them: the one precedence of `in_force`, which rules and
    `safesocial config` share."""
    used = in_force(settings, "settings_review_days", applies)
    return used.value, used.source == "policy"


@kind(
    "settings_review",
    "account",
    reads=("account.settings_reviewed_on", "account.observed_on", "policy.settings_review_days"),
)
def SETTINGS_REVIEW(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """The account's real settings were checked (settings_reviewed_on, else observed_on) within
    settings_review_days: safesocial.yaml's, else the policy's, else 90. Drift when the policy's
    number is the one broken.
    """
    account = ctx.account
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
    yield line_hit(
        node,
        key,
        f"the real settings of {account.handle} were {what} on {checked}, {age} days ago; "
        f"they should be checked every {days} days",
        related,
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
        note = roster_note(staff, "left_on", said)
        return f"was approved by {ref}, who has left the school", note
    if not staff.senior:
        note = roster_note(staff, "role", f"the staff roster gives {ref}'s role as {staff.role}")
        return f"was approved by {ref} ({staff.role}), who is not a senior leader", note
    return None


@kind("account_approver", "account", reads=("account.approved_by", "school.staff"))
def APPROVER(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """The account's approved_by is a current senior leader on the staff roster."""
    account = ctx.account
    if ctx.school.info is None:
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


# --- registered to a school email address ---------------------------------------------


def _domain_of(email: str) -> str:
    local, at, domain = email.strip().rpartition("@")
    return domain.lower() if at and local else ""


def _at_school(domain: str, domains: tuple[str, ...]) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in domains)


@kind("owner_email_domain", "account", reads=("account.owner_email", "school.school.email_domains"))
def OWNER_EMAIL(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """The account's owner_email is at one of school.email_domains (or a subdomain)."""
    account, info = ctx.account, ctx.school.info
    if info is None:
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


# --- risk assessment agreed by the DSL --------------------------------------------------


@kind(
    "risk_assessment_dsl",
    "account",
    reads=(
        "account.risk_assessment.agreed_by",
        "school.safeguarding.dsl",
        "school.safeguarding.deputies",
    ),
)
def RISK_DSL(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """The account's risk_assessment.agreed_by includes the school's DSL or a deputy DSL."""
    account, info = ctx.account, ctx.school.info
    if info is None:
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


# --- parents told about the account ---------------------------------------------------


@kind("parents_notified", "account", reads=("account.parents_notified_on",))
def PARENTS_NOTIFIED(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """Parents were told about the account within the configured parent_notice_months."""
    account = ctx.account
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
            f"{plural(months, 'month')} ago",
            account.node.loc("parents_notified_on"),
            detail="stale",
        )


KINDS: tuple[CheckKind, ...] = (
    POLICY_COVERS,
    SETTINGS_REVIEW,
    APPROVER,
    OWNER_EMAIL,
    RISK_DSL,
    PARENTS_NOTIFIED,
)
