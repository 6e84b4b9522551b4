"""What one school's run could not check, or judged only from an old record.

The engine asks once per school and puts the answer in `SchoolResult.coverage`. Each
condition is a function of checks/register.py, shared with the check kind that reports
it as a finding, so a gap and its finding always agree. See docs/account-register.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from safesocial.checks.register import (
    CONSENT_RECORDED,
    FOLLOWER_KINDS,
    ON_REGISTER,
    REGISTERED_HAS_FILE,
    consent_unrecorded,
    followers_line,
    followers_unrecorded,
    posts_showing_pupils,
    register_line,
    stale_since,
    unfiled,
)
from safesocial.model import Account, School, empty_map
from safesocial.packs.rules import Rule
from safesocial.running.results import Coverage, Gap
from safesocial.settings import Settings

REGISTER_TARGET = "account register"
_REGISTER_KINDS = frozenset({ON_REGISTER.name, REGISTERED_HAS_FILE.name})


def _could_not_judge(
    rules: Sequence[Rule], reads: Callable[[Rule], bool], view: Mapping[str, Any] | None = None
) -> tuple[str, ...]:
    """The ids of the rules that read the missing data and, on an account (`view`), would
    have run there (their `when` holds): rules that never apply had nothing to judge."""
    return tuple(
        rule.id
        for rule in rules
        if rule.kind.phase == "check"
        and reads(rule)
        and (view is None or (rule.scope == "account" and (rule.when is None or rule.when(view))))
    )


def _reads_consent(rule: Rule) -> bool:
    # consent-records-present itself reads consent only to say that there is none.
    return "consent" in rule.needs and rule.kind.name != CONSENT_RECORDED.name


def _view(school: School, account: Account) -> dict[str, Any]:
    """What a rule's `when` sees on an account, as the engine builds it."""
    policy = school.policy
    applies = policy.for_account(account) if policy else empty_map(school.root)
    info = school.info.node if school.info else empty_map(school.root)
    return {"account": account.node, "policy": applies, "school": info}


def _unfiled_reason(accounts_broken: bool) -> str:
    if accounts_broken:
        return (
            "on the register, but no account file that could be read describes it (one "
            "that could not be read may be its), so nothing on it was checked"
        )
    return "on the register, but no file in accounts/ describes it, so nothing on it was checked"


def register_gaps(school: School, settings: Settings, rules: Sequence[Rule]) -> list[Gap]:
    """Every gap the account register and thin data leave in one school's run.

    A gap lists the rules that could not judge its target; where no loaded rule would
    have read the missing data, nothing went unjudged and there is no gap. Nothing here
    for a school whose policy.yaml did not load: its input problem says so.
    """
    policy = school.policy
    if policy is None:
        return []
    gaps: list[Gap] = []
    if policy.register is None:
        ids = _could_not_judge(rules, lambda r: r.kind.name in _REGISTER_KINDS)
        if ids:
            reason = (
                "policy.yaml keeps no register of the school's accounts, so an account "
                "with no file here, or a file for an account nobody approved, goes unseen"
            )
            gaps.append(Gap(REGISTER_TARGET, reason, register_line(school), ids))
    reason = _unfiled_reason("accounts" in school.broken)
    gaps.extend(Gap(entry.target, reason, entry.node.loc()) for entry in unfiled(school))
    no_consent = consent_unrecorded(school)
    for account in school.accounts:
        view = _view(school, account)
        posts = posts_showing_pupils(account, settings.as_of) if no_consent else []
        ids = _could_not_judge(rules, _reads_consent, view)
        if posts and ids:
            reason = (
                "posts show pupils who may be recognised, but the school has no photo "
                "consent records, so whether they may be shown was not judged"
            )
            gaps.append(Gap(account.target, reason, posts[0].node.loc("pupils_shown"), ids))
        ids = _could_not_judge(rules, lambda r: r.kind.name in FOLLOWER_KINDS, view)
        if ids and followers_unrecorded(account, view["policy"]):
            reason = (
                "a protected account whose followers are not recorded, so who follows it "
                "and whether each was approved was not judged"
            )
            gaps.append(Gap(account.target, reason, followers_line(account), ids))
    return gaps


def stale_observations(school: School, settings: Settings) -> list[tuple[str, str]]:
    """(target, observed_on) of each account judged as it was last recorded long ago:
    longer ago than its settings-review period (the policy's, else the default)."""
    policy = school.policy
    out: list[tuple[str, str]] = []
    for account in school.accounts:
        applies = policy.for_account(account) if policy else empty_map(school.root)
        since = stale_since(account, applies, settings)
        if since is not None:
            out.append((account.target, since.isoformat()))
    return out


def register_coverage(school: School, settings: Settings, rules: Sequence[Rule]) -> Coverage:
    """The two above as one school's coverage (what the engine stores)."""
    gaps = register_gaps(school, settings, rules)
    return Coverage(gaps=tuple(gaps), stale=tuple(stale_observations(school, settings)))
