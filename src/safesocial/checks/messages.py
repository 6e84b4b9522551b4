"""Check kinds: who can message the account privately (see docs/writing-rules.md).

Following a pupil back is what, on most platforms, lets the pupil send the account direct
messages. The policy can leave that door open (it allows follow-back without closing
messages), and so can the account itself, whatever the policy says: it follows pupils
back while its real message setting accepts them. Both are one rule, SS305 (G4).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from safesocial.checks.base import AccountContext, CheckKind, Context, Hit, drift_if
from safesocial.checks.declare import kind
from safesocial.checks.followers import connection_id
from safesocial.documents.yamlnodes import locate
from safesocial.findings import Related
from safesocial.model import Account, Connection

FOLLOW_BACK = frozenset({"follow_back", "follow_back_public_only"})
_INBOUND = "policy.direct_messages.inbound"


def _policy_hit(ctx: Context, account: Account) -> Hit | None:
    """The policy allows follow-back but does not close inbound messages."""
    pupils = ctx.declared("following.pupils")
    if pupils not in FOLLOW_BACK:
        return None
    dms = ctx.declared("direct_messages")
    inbound = dms.get("inbound") if isinstance(dms, Mapping) else None
    if inbound == "nobody":
        return None
    # Where it points and what it is about, as the declarative rule this replaced did,
    # so findings (and their fingerprints) of unchanged schools stay as they were.
    if not isinstance(dms, Mapping):
        detail = "policy"
    elif "inbound" not in dms:
        detail = "policy.direct_messages"
    else:
        detail = _INBOUND
    loc = locate(ctx.view, detail.split(".")) if detail == _INBOUND else None
    loc = loc or locate(ctx.view, _INBOUND.split("."))
    shown = "(not set)" if inbound is None else str(inbound)
    return Hit(
        f"the policy for {account.handle} lets it follow pupils back ({pupils}) but does not "
        f"close inbound direct messages (inbound: {shown})",
        loc,
        related=ctx.policy_says("following.pupils"),
        detail=detail,
    )


def followed_back_pupils(account: Account) -> Iterator[Connection]:
    """Pupils the account follows who follow it too: followed_first, or among followers."""
    followers = {connection_id(c) for c in account.followers if c.category == "pupil"}
    for conn in account.following:
        if conn.category == "pupil" and (
            conn.followed_first is True or connection_id(conn) in followers
        ):
            yield conn


@kind(
    "follow_back_dms",
    "account",
    reads=(
        "account.dm_from",
        "account.followers",
        "account.following",
        "policy.following.pupils",
        "policy.direct_messages.inbound",
    ),
)
def FOLLOW_BACK_DMS(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """Following pupils back must not open direct messages: one finding where the policy allows
    follow-back (following.pupils) and does not set direct_messages.inbound: nobody, and one per
    pupil the account really follows back (followed_first, or also a follower) while its real
    dm_from is not nobody (drift where the policy says inbound: nobody).
    """
    account = ctx.account
    hit = _policy_hit(ctx, account)
    if hit is not None:
        yield hit
    dm_from = account.node.get("dm_from")
    if dm_from == "nobody":
        return
    setting = (
        f"accepts direct messages from {dm_from}"
        if dm_from is not None
        else "has no recorded message setting (no dm_from), so may accept direct messages"
    )
    # The policy's own "nobody" makes an open channel to a pupil drift (SS301 says the
    # setting is wrong; this says a pupil it follows back can use it).
    said: tuple[Related, ...] = ()
    if ctx.declared("direct_messages.inbound") == "nobody":
        said = ctx.policy_says("direct_messages.inbound")
    for conn in followed_back_pupils(account):
        label = conn.label("followed account")
        how = "back and" if conn.followed_first is True else "(who follows it too) and"
        yield Hit(
            f"{account.handle} follows {label} {how} {setting}: the pupil can message the "
            "account privately",
            conn.node.loc(),
            subject=label,
            related=said or ctx.policy_says("following.pupils"),
            detail=f"practice:{connection_id(conn)}",
            category=drift_if(said),
        )


KINDS: tuple[CheckKind, ...] = (FOLLOW_BACK_DMS,)
