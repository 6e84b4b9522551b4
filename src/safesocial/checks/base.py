"""What a check kind is, and what it is handed when it runs."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from safesocial.findings import Location, Related
from safesocial.model import (
    Account,
    Pupil,
    School,
    Staff,
    StaffAccount,
    WaiverOutcome,
    get_path,
    locate,
)
from safesocial.yamlio import YMap

Scope = Literal["school", "account", "staff_account"]
SCOPES: tuple[Scope, ...] = ("school", "account", "staff_account")


@dataclass(frozen=True, slots=True)
class Settings:
    """Thresholds and the date rules are judged on; the CLI and config fill these in."""

    as_of: date
    ex_pupil_min_age: int | None = None  # None: the policy's value, else 18
    policy_review_months: int = 12
    training_valid_months: int = 12
    dsl_training_valid_months: int = 24
    settings_review_days: int = 90
    parent_notice_months: int = 12
    consent_renewal_months: int = 12
    waiver_max_days: int = 120
    strict: bool = False  # --strict: every waiver is ignored


@dataclass(frozen=True, slots=True)
class Hit:
    """One thing a check found; the engine adds the rule's id, severity and category."""

    message: str
    location: Location | None
    subject: str | None = None
    related: tuple[Related, ...] = ()
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Context:
    """One target (the school, an account, a staff account) and everything around it.

    `view` is the Polaris-style document a declarative rule sees: the target together
    with the policy that applies to it.
    """

    school: School
    settings: Settings
    target: str
    view: Mapping[str, Any]
    policy: YMap
    account: Account | None = None
    staff_account: StaffAccount | None = None
    # Only in the waivers phase: what became of each waiver once the findings were in.
    waivers: tuple[WaiverOutcome, ...] = ()

    def staff(self, ref: str | None) -> Staff | None:
        info = self.school.info
        return info.staff.get(ref) if info and ref else None

    def unread(self, part: str, ref: str | None) -> bool:
        """Whether `part` ("pupils", "consent", "staff") had an entry for `ref` that could
        not be read: a check must not then call `ref` missing (the gap says why)."""
        return ref is not None and ref in self.school.unread_refs.get(part, ())

    def pupil(self, ref: str | None) -> Pupil | None:
        pupils = self.school.pupils
        return pupils.get(ref) if pupils is not None and ref else None

    def declared(self, dotted: str) -> Any:
        """A value of the policy that applies here (``followers.approval``)."""
        return get_path(self.policy, dotted)

    def policy_says(self, dotted: str, text: str | None = None) -> tuple[Related, ...]:
        """The related location of a declared policy line, for drift findings."""
        loc = locate(self.policy, dotted.split("."))
        if loc is None:
            return ()
        value = self.declared(dotted)
        return (Related(loc, text or f"the policy declares {dotted}: {value}"),)


Run = Callable[[Context, Any], Iterator[Hit]]


def _same(params: Mapping[str, Any]) -> Any:
    return params


@dataclass(frozen=True, slots=True)
class CheckKind:
    """A named, parameterised check; rules in packs refer to it by name.

    `params` is the JSON Schema of the rule's `check:` mapping (beside `kind`);
    `prepare` turns validated params into whatever `run` wants (compiled schemas...),
    once per rule rather than once per target.

    `reads` are the dotted paths of the view (``account.followers``,
    ``policy.followers.approval``, ``school.staff``) and the school parts (``consent``,
    ``pupils``) that `run` reads: a rule is not run on a target where one of them could
    not be read, and is named as not checked there instead (docs/writing-rules.md).
    """

    name: str
    scopes: tuple[Scope, ...]
    params: Mapping[str, Any]
    run: Run
    doc: str
    reads: tuple[str, ...] = ()
    # "waivers" kinds run after every other rule, on the school's waiver outcomes.
    phase: Literal["check", "waivers"] = "check"
    prepare: Callable[[Mapping[str, Any]], Any] = field(default=_same)


def obj_params(properties: Mapping[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """The params schema of a kind: an object of these properties (and `kind`) only."""
    return {
        "type": "object",
        "properties": {"kind": {"type": "string"}, **properties},
        "required": ["kind", *required],
        "additionalProperties": False,
    }


# Position-of-trust law (Sexual Offences Act 2003 s.16) protects under-18s; the seed's
# LEA used 19, so the policy or the settings may raise it.
DEFAULT_EX_PUPIL_MIN_AGE = 18


def ex_pupil_min_age(ctx: Context) -> int:
    """The minimum age of ex-pupils staff may connect with: settings, else policy, else 18."""
    if ctx.settings.ex_pupil_min_age is not None:
        return ctx.settings.ex_pupil_min_age
    policy = ctx.school.policy
    declared = policy.staff_accounts.get("ex_pupil_min_age") if policy else None
    return declared if isinstance(declared, int) else DEFAULT_EX_PUPIL_MIN_AGE


def months_before(day: date, months: int) -> date:
    """`day` moved back by whole calendar months, clamped to the end of a short month."""
    total = day.year * 12 + (day.month - 1) - months
    year, month0 = divmod(total, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


# The params schema of a kind that takes none (only `kind` itself).
NO_PARAMS = obj_params({})
