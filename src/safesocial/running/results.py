"""What a run found: per school and in all. Reporters read these; the engine makes them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from safesocial.findings import Category, Finding, Location, Severity
from safesocial.settings import Settings

# What a reader is told first: nothing wrong was found and everything was seen; something
# needs doing; or something could not be seen, so no all-clear can be given.
Verdict = Literal["clear", "action", "incomplete"]
# What the run amounts to for CI, which the CLI maps to exit codes 0, 1 and 2; reporters
# read it too, so that what they say always agrees with the exit code.
Outcome = Literal["clean", "findings", "incomplete"]


@dataclass(frozen=True, slots=True)
class Gap:
    """Something the run could not check, or could check only in part, and why.

    `target` is what a reader knows it by (``x:@Oakfield``, ``school``, ``consent``,
    ``accounts/main.yaml`` for a file that never became an account); `rules` are the ids
    of the rules that could not run on it (empty: nothing at all was checked there).
    `reason` is plain words, never quoting the file's content.
    """

    target: str
    reason: str
    location: Location | None = None
    rules: tuple[str, ...] = ()

    @property
    def whole(self) -> bool:
        """Nothing at all was checked on the target (not just some rules)."""
        return not self.rules


@dataclass(frozen=True, slots=True)
class Coverage:
    """What one school's run saw: every target fully checked, and every gap."""

    checked: tuple[str, ...] = ()
    gaps: tuple[Gap, ...] = ()
    # Accounts judged from an old observation: target -> the `observed_on` date, so a
    # verdict says "as last recorded on DATE" rather than implying today's state.
    stale: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        # One order everywhere: partly checked targets, then those not checked at all, as
        # the JSON report lists them; so a report read back (`safesocial merge`) gives
        # every format exactly as the run itself did.
        ordered = (*self.partial, *self.unchecked)
        if ordered != self.gaps:
            object.__setattr__(self, "gaps", ordered)

    @property
    def complete(self) -> bool:
        return not self.gaps

    @property
    def partial(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if not g.whole)

    @property
    def unchecked(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.whole)

    def gaps_on(self, target: str) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.target == target)

    def stale_on(self, target: str) -> str | None:
        """The day `target` was last recorded, when it is judged from an old observation."""
        return next((day for t, day in self.stale if t == target), None)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a school is (school.yaml): whose guidance applies, and its office's address."""

    jurisdiction: str = ""
    local_authority: str = ""
    contact: str = ""


@dataclass(frozen=True, slots=True)
class SchoolResult:
    root: str
    name: str
    files: tuple[str, ...]
    targets: tuple[str, ...]
    findings: tuple[Finding, ...]
    coverage: Coverage = field(default_factory=Coverage)
    place: Place = field(default_factory=Place)
    # Each account's account_type (page, channel, group...), for reports that name
    # channels in plain words ("your Facebook Page"); profiles are left out.
    account_types: Mapping[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Everything was read and checked: no input problem and no gap."""
        return self.coverage.complete and not any(
            f.category is Category.INPUT for f in self.findings
        )


@dataclass(frozen=True, slots=True)
class BaselineSummary:
    """With --baseline: how many known findings were left out, and which known ones are gone."""

    known: int
    fixed: tuple[str, ...]


# Since an earlier run (--compare): found then too, found only now, or found then and
# no longer.
State = Literal["new", "open", "fixed"]


@dataclass(frozen=True, slots=True)
class Gone:
    """A finding of the earlier run that this run no longer makes: fixed since then."""

    rule_id: str
    target: str
    subject: str | None
    message: str
    fingerprint: str
    school: str = ""  # the school's folder, as the earlier run named it


@dataclass(frozen=True, slots=True)
class Comparison:
    """With --compare: what an earlier run found, matched by fingerprint (never by line)."""

    since: date  # the earlier run's as-of day
    before: frozenset[str]  # fingerprints of the earlier run's findings
    fixed: tuple[Gone, ...] = ()

    def state(self, finding: Finding) -> State:
        return "open" if finding.fingerprint in self.before else "new"


@dataclass(frozen=True, slots=True)
class RunResult:
    schools: tuple[SchoolResult, ...]
    settings: Settings
    rule_count: int
    baseline: BaselineSummary | None = None
    compare: Comparison | None = None
    # With --shard I/N: (I, N), this run's share of the schools; `safesocial merge`
    # joins the N reports and needs to see that none is missing.
    shard: tuple[int, int] | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for s in self.schools for f in s.findings)

    @property
    def input_errors(self) -> bool:
        return any(f.category is Category.INPUT for f in self.findings)

    @property
    def complete(self) -> bool:
        return all(s.complete for s in self.schools)

    def verdict(self) -> Verdict:
        """Never "clear" while anything is unchecked; "incomplete" outranks "action", as
        an input problem's exit code 2 outranks findings' 1."""
        if not self.complete:
            return "incomplete"
        return "action" if self.worst() is not None else "clear"

    @property
    def gaps(self) -> tuple[Gap, ...]:
        return tuple(g for s in self.schools for g in s.coverage.gaps)

    def outcome(self, fail_on: str) -> Outcome:
        """ "incomplete" while anything is unread or unchecked; "findings" when a finding
        reaches `fail_on` (error, warning, info; never: none does); else "clean"."""
        if not self.complete:
            return "incomplete"
        worst = self.worst()
        if fail_on != "never" and worst is not None and worst.rank >= Severity(fail_on).rank:
            return "findings"
        return "clean"

    def worst(self) -> Severity | None:
        """The worst finding that counts: not an input problem, not waived."""
        ranked = [
            f.severity
            for f in self.findings
            if f.category is not Category.INPUT and f.waiver is None
        ]
        return max(ranked, key=lambda s: s.rank) if ranked else None
