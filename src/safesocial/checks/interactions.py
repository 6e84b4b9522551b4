"""Check kinds: who is waiting to be let in (see docs/writing-rules.md).

Follow requests an account has received (incoming_requests, from the platform's export)
are people asking to see its posts. One left unanswered for weeks means nobody is
watching the queue; the declarative rules in policies/interactions.yaml cover who is in
it (pupils, people nobody has identified), this kind how long they have waited, which a
schema cannot compare with a date.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from safesocial.checks.base import AccountContext, Hit, obj_params
from safesocial.checks.declare import kind
from safesocial.model import as_date
from safesocial.text import plural

DEFAULT_DAYS = 28


def _requested_on(entry: Any) -> date | None:
    value = entry.get("on") if isinstance(entry, dict) else None
    try:
        return as_date(value)
    except ValueError:  # the schema check reports a malformed date at its line
        return None


@kind(
    "requests_waiting",
    "account",
    params=obj_params({"target": {"const": "account"}, "days": {"type": "integer", "minimum": 1}}),
    reads=("account.incoming_requests", "account.observed_on"),
)
def REQUESTS_WAITING(ctx: AccountContext, params: Any) -> Iterator[Hit]:
    """One finding per account whose incoming follow requests include some older than `days`
    (default 28) when the account was observed.
    """
    account = ctx.account
    node = account.node
    requests = node.get("incoming_requests")
    if not isinstance(requests, list) or not requests:
        return
    days = params.get("days", DEFAULT_DAYS)
    # How long they had waited when the account was last seen (the export's date), so a
    # file not re-imported for months does not make a fresh request look stale.
    seen = as_date(node.get("observed_on")) or ctx.settings.as_of
    waiting = [d for d in map(_requested_on, requests) if d is not None and (seen - d).days > days]
    if not waiting:
        return
    oldest = min(waiting)
    count = len(waiting)
    yield Hit(
        f"{plural(count, 'follow request')} to {account.handle} "
        f"{'have' if count != 1 else 'has'} waited more than {days} days without an answer "
        f"(the oldest since {oldest}, as seen on {seen})",
        node.loc("incoming_requests"),
        detail=str(count),
    )


KINDS = (REQUESTS_WAITING,)
