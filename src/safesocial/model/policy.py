"""policy.yaml: the declared defaults, per-account overrides and the register."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from safesocial.documents.yamlio import YMap
from safesocial.model.accounts import Account, account_target, same_account
from safesocial.model.base import empty_map
from safesocial.model.fields import maps, opt_str, read, record, whole


def merge(base: YMap, override: YMap) -> YMap:
    """Deep-merge two policy mappings, keeping each value's own source position."""
    out = YMap(override.file, override.line, override.col)
    for src in (base, override):
        for key, value in src.items():
            old = out.get(key)
            if isinstance(old, YMap) and isinstance(value, YMap):
                value = merge(old, value)
            out[key] = value
            out.pos[key] = src.pos[key]
    return out


@record
class RegisteredAccount:
    """One entry of policy.yaml's `register`: an account the school approved and runs."""

    platform: str = read(str)
    handle: str = read(str)
    kind: str = read(str)
    node: YMap = whole()
    owner: str | None = read(opt_str, default=None)
    aim: str | None = read(opt_str, default=None)
    risk_assessment: str | None = read(opt_str, default=None)
    build: ClassVar[Callable[[YMap], RegisteredAccount]]

    @property
    def target(self) -> str:
        return account_target(self.platform, self.handle)


@dataclass(frozen=True, slots=True)
class Policy:
    """policy.yaml: declared defaults per account kind and per-account overrides."""

    node: YMap

    def covers(self, account: Account) -> bool:
        """Whether a block of the policy applies to the account: its kind's, or its own."""
        defaults = self.node.get("defaults")
        overrides = self.node.get("accounts")
        return (isinstance(defaults, YMap) and isinstance(defaults.get(account.kind), YMap)) or (
            isinstance(overrides, YMap) and isinstance(overrides.get(account.id), YMap)
        )

    def for_account(self, account: Account) -> YMap:
        """The policy that applies to one account: its kind's defaults, then its override."""
        defaults = self.node.get("defaults")
        base = defaults.get(account.kind) if isinstance(defaults, YMap) else None
        overrides = self.node.get("accounts")
        own = overrides.get(account.id) if isinstance(overrides, YMap) else None
        result = base if isinstance(base, YMap) else empty_map(self.node.file)
        return merge(result, own) if isinstance(own, YMap) else result

    @property
    def register(self) -> tuple[RegisteredAccount, ...] | None:
        """The accounts the school runs; None when policy.yaml keeps no register at all
        (different from an empty one, which says the school runs no accounts)."""
        if "register" not in self.node:
            return None
        return tuple(RegisteredAccount.build(n) for n in maps(self.node, "register"))

    def registered(self, target: str) -> RegisteredAccount | None:
        return next((r for r in self.register or () if same_account(r.target, target)), None)

    @property
    def staff_accounts(self) -> YMap:
        value = self.node.get("staff_accounts")
        return value if isinstance(value, YMap) else empty_map(self.node.file)
