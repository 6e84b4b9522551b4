"""Check kinds: the account register, and data too thin to judge (docs/account-register.md).

Each condition is one small function here, used both by the check kind that reports it
as a finding and by safesocial.running.coverage, which turns the same condition into a gap in
the run's coverage: the finding and the gap can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from safesocial.checks import followers
from safesocial.checks.accounts import settings_review_days
from safesocial.checks.base import AccountContext, CheckKind, Context, Hit
from safesocial.checks.declare import kind
from safesocial.checks.posts import recognisable
from safesocial.findings import Location, Related
from safesocial.model import Account, Post, RegisteredAccount, School, as_date, same_account
from safesocial.settings import Settings
from safesocial.text import plural

# The kinds that read an account's follower list: they cannot judge one not recorded.
FOLLOWER_KINDS = frozenset(
    k.name
    for k in (
        followers.FOLLOWER_APPROVAL_MISSING,
        followers.FOLLOWER_APPROVER_ROLE,
        followers.FOLLOWER_APPROVAL_RECORDS,
        followers.FOLLOWER_CATEGORIES,
    )
)


# --- the conditions --------------------------------------------------------------------


def unregistered(school: School, account: Account) -> bool:
    """The account's file is for an account not on the register (never while there is
    no register at all: account-register-kept says that once)."""
    policy = school.policy
    if policy is None or policy.register is None:
        return False
    return policy.registered(account.target) is None


def unfiled(school: School) -> list[RegisteredAccount]:
    """Accounts on the register that no account file (of those read) describes."""
    register = school.policy.register if school.policy else None
    files = [a.target for a in school.accounts]
    return [r for r in register or () if not any(same_account(r.target, t) for t in files)]


def protected(account: Account, applies: Mapping[str, Any]) -> bool:
    """Protected in fact, or declared protected and not recorded either way."""
    if account.protected is not None:
        return account.protected
    return applies.get("visibility") == "protected"


def followers_unrecorded(account: Account, applies: Mapping[str, Any]) -> bool:
    """A protected account whose file has no `followers:` at all. `followers: []` is a
    record (nobody follows it); a missing key says nobody wrote the list down."""
    return protected(account, applies) and "followers" not in account.node


def followers_line(account: Account) -> Location:
    """Where to point for a missing follower list: what says the account is protected."""
    return account.node.loc("protected") if "protected" in account.node else account.node.loc()


def consent_unrecorded(school: School) -> bool:
    """No photo consent record at all: the file is absent or lists none. A consent file
    that failed to load is not this, nor one whose records were all skipped as unreadable:
    their input problems say so, and the loader's gaps name what could not be judged."""
    if "consent" in school.broken or school.pruned.get("consent"):
        return False
    return not school.consent


def posts_showing_pupils(account: Account, as_of: date) -> list[Post]:
    """Live posts showing a pupil who may be recognised: what consent is needed for."""
    return [p for p in account.posts if p.live(as_of) and any(recognisable(p))]


def stale_since(account: Account, applies: Mapping[str, Any], settings: Settings) -> date | None:
    """The account's `observed_on` when older than its settings-review period (the same
    days as settings-rechecked: the policy's, else the configured default)."""
    observed = as_date(account.node.get("observed_on"))
    days, _ = settings_review_days(applies, settings)
    if observed is None or (settings.as_of - observed).days <= days:
        return None
    return observed


def register_line(school: School) -> Location | None:
    """Where policy.yaml keeps (or would keep) the register."""
    policy = school.policy
    if policy is None:
        return None
    return policy.node.loc("register") if "register" in policy.node else policy.node.loc()


# --- the register -------------------------------------------------------------------


@kind("account_register_kept", "school", reads=("policy.register",))
def REGISTER_KEPT(ctx: Context, _params: Any) -> Iterator[Hit]:
    """policy.yaml has a `register:` of the school's accounts (an empty list says the school runs
    none).
    """
    policy = ctx.school.policy
    if policy is None or policy.register is not None:
        return
    # One finding for the school, not one per account: a school that has never kept a
    # register is told once what to add, and every account is still checked.
    yield Hit(
        "policy.yaml keeps no register of the accounts the school runs (register:), so "
        "safesocial cannot tell whether an account has no file here, or whether an "
        "account file is for an account nobody approved",
        policy.node.loc(),
        detail="no-register",
    )


@kind(
    "account_on_register",
    "account",
    reads=("account.platform", "account.handle", "policy.register"),
)
def ON_REGISTER(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """The account (platform and handle, handles in any case) is on policy.yaml's register. Silent
    while there is no register: account-register-kept says so once.
    """
    account = ctx.account
    if not unregistered(ctx.school, account):
        return
    where = register_line(ctx.school)
    related = (Related(where, "the school's register of accounts"),) if where else ()
    yield Hit(
        f"{account.handle} is not on the school's register of accounts in policy.yaml: "
        "nobody is recorded as approving it as an account the school runs",
        account.node.loc("handle"),
        related=related,
        detail="unregistered",
    )


@kind("registered_account_has_file", "school", reads=("policy.register", "accounts"))
def REGISTERED_HAS_FILE(ctx: Context, _params: Any) -> Iterator[Hit]:
    """Every account on policy.yaml's register has a file in accounts/ (same platform and
    handle)."""
    # An account file that failed to load may be the one: its input problem says so,
    # and the coverage gap for the entry stays.
    if "accounts" in ctx.school.broken:
        return
    for entry in unfiled(ctx.school):
        yield Hit(
            f"{entry.target} is on the school's register of accounts, but no file in "
            "accounts/ describes it, so nothing on it was checked",
            entry.node.loc(),
            subject=entry.target,
            detail=entry.target.casefold(),
        )


# --- data too thin to judge ---------------------------------------------------------


@kind("consent_records_present", "account", reads=("account.posts", "consent"))
def CONSENT_RECORDED(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """Where live posts show pupils who may be recognised, the school has photo consent records at
    all (consent.yaml or consent.csv, not empty).
    """
    account = ctx.account
    if not consent_unrecorded(ctx.school):
        return
    posts = posts_showing_pupils(account, ctx.settings.as_of)
    if not posts:
        return
    what = "no consent file" if ctx.school.consent is None else "a consent file with no records"
    count = plural(len(posts), "live post")
    yield Hit(
        f"{count} on {account.handle} show pupils who may be recognised, but the school "
        f"has {what}, so whether any of them may be shown could not be judged",
        posts[0].node.loc("pupils_shown"),
        detail="no-consent-records",
    )


@kind(
    "protected_followers_recorded",
    "account",
    reads=("account.protected", "account.followers", "policy.visibility"),
)
def FOLLOWERS_RECORDED(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """A protected account (protected: true, or not recorded and declared protected) records its
    follower list (`followers: []` if nobody follows it).
    """
    account = ctx.account
    if not followers_unrecorded(account, ctx.policy):
        return
    why = (
        "is protected"
        if account.protected
        else "is declared protected (and its file does not say otherwise)"
    )
    yield Hit(
        f"{account.handle} {why}, but its file records no followers (no followers:), so "
        "nobody can tell from it who sees the account or whether each follower was approved",
        followers_line(account),
        related=() if account.protected else ctx.policy_says("visibility"),
        detail="no-followers",
    )


@kind(
    "observation_current",
    "account",
    reads=("account.observed_on", "account.settings_reviewed_on", "policy.settings_review_days"),
)
def OBSERVATION_CURRENT(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """The account's observed_on is within its settings_review_days (the policy's, else the
    configured default). Only where settings_reviewed_on is set: otherwise settings-rechecked
    judges observed_on itself.
    """
    account = ctx.account
    # Without settings_reviewed_on, settings-rechecked already reports this very date.
    if as_date(account.node.get("settings_reviewed_on")) is None:
        return
    since = stale_since(account, ctx.policy, ctx.settings)
    if since is None:
        return
    days, declared = settings_review_days(ctx.policy, ctx.settings)
    said = f"the policy asks for a check every {days} days"
    yield Hit(
        f"the followers, following and posts of {account.handle} were last recorded on "
        f"{since}, {(ctx.settings.as_of - since).days} days ago, so it is judged as it was "
        f"then; they should be recorded again every {days} days",
        account.node.loc("observed_on"),
        related=ctx.policy_says("settings_review_days", said) if declared else (),
        detail="stale",
    )


KINDS: tuple[CheckKind, ...] = (
    REGISTER_KEPT,
    ON_REGISTER,
    REGISTERED_HAS_FILE,
    CONSENT_RECORDED,
    FOLLOWERS_RECORDED,
    OBSERVATION_CURRENT,
)
