"""What a check kind is, and what it is handed when it runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from safesocial.documents.yamlio import YMap
from safesocial.documents.yamlnodes import locate
from safesocial.findings import Category, Finding, Location, Related
from safesocial.model import (
    Account,
    Pupil,
    School,
    Staff,
    StaffAccount,
    WaiverRecord,
    get_path,
)
from safesocial.settings import Settings

Scope = Literal["school", "account", "staff_account"]
SCOPES: tuple[Scope, ...] = ("school", "account", "staff_account")


@dataclass(frozen=True, slots=True)
class Hit:
    """One thing a check found; the engine adds the rule's id, severity and category."""

    message: str
    location: Location | None
    subject: str | None = None
    related: tuple[Related, ...] = ()
    detail: str = ""
    # Set when this hit breaks a value the school's own policy declared (drift), although
    # the rule's category is guidance: the same practice is a guidance finding where the
    # policy is silent. Not in the fingerprint, so a policy line added later keeps history.
    category: Category | None = None
    # The record's own due date (a consent's expiry, when training falls due).
    due: date | None = None


DRIFT = Category.DRIFT


def shown(value: object) -> str:
    """A policy value as written in YAML: true, not True; lists joined by commas."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def drift_if(said: tuple[Related, ...]) -> Category | None:
    """A hit's category from the policy line it breaks: drift when the policy declared the
    value (`said` holds its location), else None (the rule's own category, guidance)."""
    return DRIFT if said else None


def line_hit(node: YMap, key: str, message: str, said: tuple[Related, ...]) -> Hit:
    """A hit at one line of a record (an account's `observed_on`, a staff account's
    `private`), fingerprinted by its key: drift where `said` holds the policy line it breaks."""
    return Hit(message, node.loc(key), related=said, detail=key, category=drift_if(said))


@dataclass(frozen=True, slots=True)
class WaiverOutcome:
    """What became of one waiver in this run: found by waivers.py once the findings are
    in, and handed to the waiver checks in `Context.waivers`. Here, not in the model, because
    it holds findings; below the checks, because they read it."""

    record: WaiverRecord
    matched: tuple[Finding, ...]
    refusal: str | None  # why the waiver cannot be used at all
    expired: bool
    expiring: bool
    # For a waiver that matches nothing: a nearby target findings do have (" (did you
    # mean ...?)"), or "". Targets hold account handles and refs only, never a pupil's.
    suggestion: str = ""

    @property
    def active(self) -> bool:
        return self.refusal is None and not self.expired


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
        said = text or f"the policy declares {dotted}: {value}"
        return (Related(loc, said, key=dotted, value=shown(value)),)

    def policy_says_when(
        self, dotted: str, value: object, text: str | None = None
    ) -> tuple[Related, ...]:
        """`policy_says`, only where the policy declares `value` there (true, "required"):
        the line a finding then breaks, which makes it drift; else nothing."""
        declared = self.declared(dotted)
        # bool is an int in Python: a declared 1 is not `true`.
        if declared != value or type(declared) is not type(value):
            return ()
        return self.policy_says(dotted, text)


@dataclass(frozen=True, slots=True)
class AccountContext(Context):
    """The context of an account-scope kind: its account is always there, so a kind that
    reads `ctx.account` needs no `None` guard and mypy refuses it on another scope."""

    # Keyword-only: a field without a default may not follow the defaulted ones.
    account: Account = field(kw_only=True)


@dataclass(frozen=True, slots=True)
class StaffAccountContext(Context):
    """The context of a staff_account-scope kind: its staff account is always there."""

    staff_account: StaffAccount = field(kw_only=True)


Run = Callable[[Context, Any], Iterator[Hit]]
AccountRun = Callable[[AccountContext, Any], Iterator[Hit]]
StaffAccountRun = Callable[[StaffAccountContext, Any], Iterator[Hit]]


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
    # Names the kind adds to the view for its message templates (`entry`, `number`...);
    # checks/shareable.py decides which fields of the view and of these a message may quote.
    template_names: frozenset[str] = frozenset()


def obj_params(properties: Mapping[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """The params schema of a kind: an object of these properties (and `kind`) only."""
    return {
        "type": "object",
        "properties": {"kind": {"type": "string"}, **properties},
        "required": ["kind", *required],
        "additionalProperties": False,
    }


def choice_params(name: str, values: Iterable[str]) -> dict[str, Any]:
    """The params schema of a kind that takes one required choice, `name`, among `values`
    (the case of the kind a rule means)."""
    return obj_params({name: {"enum": list(values)}}, required=(name,))


def choice(values: Iterable[str], description: str) -> dict[str, Any]:
    """The schema of one param: one of `values`."""
    return {"enum": list(values), "description": description}


def some_of(values: Iterable[str], description: str, *, unique: bool = True) -> dict[str, Any]:
    """The schema of one param: a list of at least one of `values` (each once, if `unique`)."""
    schema: dict[str, Any] = {"type": "array", "items": {"enum": list(values)}, "minItems": 1}
    if unique:
        schema["uniqueItems"] = True
    return {**schema, "description": description}


# The params schema of a kind that takes none (only `kind` itself).
NO_PARAMS = obj_params({})
# Position-of-trust law (Sexual Offences Act 2003 s.16) protects under-18s; the seed's
# LEA used 19, so the policy or the settings may raise it.
DEFAULT_EX_PUPIL_MIN_AGE = 18
DEFAULT_SETTINGS_REVIEW_DAYS = 90


@dataclass(frozen=True, slots=True)
class PolicyThreshold:
    """A threshold the policy can declare too: where in the policy, and the default."""

    policy_path: str  # dotted, in the policy that applies (an account's, or staff_accounts)
    scope: Scope
    default: int


POLICY_THRESHOLDS: Mapping[str, PolicyThreshold] = {
    "ex_pupil_min_age": PolicyThreshold(
        "ex_pupil_min_age", "staff_account", DEFAULT_EX_PUPIL_MIN_AGE
    ),
    "settings_review_days": PolicyThreshold(
        "settings_review_days", "account", DEFAULT_SETTINGS_REVIEW_DAYS
    ),
}


@dataclass(frozen=True, slots=True)
class InForce:
    """A threshold's value and where it came from: `settings` (safesocial.yaml), the
    policy line (`policy` with its location), or the built-in `default`."""

    value: int
    source: Literal["settings", "policy", "default"]
    location: Location | None = None


def in_force(settings: Settings, name: str, policy: Mapping[str, Any]) -> InForce:
    """The one precedence of every threshold a policy can declare (docs/configuration.md):
    safesocial.yaml, then the policy that applies, then the built-in default.

    `policy` is the policy that applies to the target (an account's merged policy, or
    staff_accounts). `safesocial config` calls this too, so it shows what rules use.
    """
    spec = POLICY_THRESHOLDS[name]
    configured = getattr(settings, name)
    if configured is not None:
        return InForce(configured, "settings")
    declared = get_path(policy, spec.policy_path)
    if isinstance(declared, int) and not isinstance(declared, bool) and declared > 0:
        return InForce(declared, "policy", locate(policy, spec.policy_path.split(".")))
    return InForce(spec.default, "default")


def ex_pupil_min_age(ctx: Context) -> int:
    """The minimum age of ex-pupils staff may connect with: settings, else policy, else 18."""
    policy = ctx.school.policy
    staff_policy: Mapping[str, Any] = policy.staff_accounts if policy else {}
    return in_force(ctx.settings, "ex_pupil_min_age", staff_policy).value


def min_age_said(ctx: Context) -> tuple[Related, ...]:
    """The policy line that sets the ex-pupil minimum age, when it is the one in force
    (a minimum set in safesocial.yaml overrides the policy, so its line is then moot)."""
    policy = ctx.school.policy
    used = in_force(ctx.settings, "ex_pupil_min_age", policy.staff_accounts if policy else {})
    if used.location is None:
        return ()
    return (Related(used.location, f"the policy sets the minimum age at {used.value}"),)
