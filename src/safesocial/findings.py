"""Findings: the immutable records every check produces and every reporter reads."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from datetime import date


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse; used for --fail-on and for sorting worst first."""
        return _RANK[self]


_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}


# Codes of `input` findings (malformed input, failed rules): reporters describe them
# like rules, so they live here rather than in the engine that raises them.
INPUT_CODES = {
    "IN001": "a file cannot be read (YAML or CSV syntax, encoding, unsafe YAML)",
    "IN002": "a file does not match its schema",
    "IN003": "a required file is missing",
    "IN900": "a rule failed while checking (a bug in the rule or in safesocial)",
}


class Category(enum.Enum):
    DRIFT = "drift"
    GUIDANCE = "guidance"
    RECORDS = "records"
    INPUT = "input"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in an input file; line and column are 1-based."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Related:
    """A second place that explains a finding, e.g. the policy line a drift finding breaks."""

    location: Location
    message: str
    # For a line of the policy: the setting (`visibility`, `followers.approval`) and its
    # value as written, so that a report can say it in words (policies/_words.yaml).
    key: str = ""
    value: str = ""


@dataclass(frozen=True, slots=True)
class Waiver:
    """Why a finding is accepted for now: every output shows it beside the finding."""

    reason: str
    approved_by: str
    approved_on: date
    expires_on: date
    location: Location


@dataclass(frozen=True, slots=True)
class Finding:
    """One disagreement between policy, practice, records and guidance.

    `target` names what is wrong at the level a reader acts on (an account such as
    ``x:@OakfieldPrimary``, ``school``, or ``staff:S004``); `subject` narrows it to the
    record inside (a pupil ref, ``follower #12``, ``post 1234``). Neither ever holds a
    pupil's name or handle, so every output built from findings is shareable.
    """

    rule_id: str
    severity: Severity
    category: Category
    message: str
    target: str
    subject: str | None = None
    location: Location | None = None
    related: tuple[Related, ...] = ()
    # What was found, independent of line numbers: baselines and SARIF
    # partialFingerprints match on this so that moving lines breaks nothing.
    detail: str = ""
    school: str = field(default="", compare=False)
    # Set when a waiver accepts this finding: it stays visible but does not fail the run.
    waiver: Waiver | None = None
    # The record's own date for putting it right, where it has one (a consent's expiry,
    # when training falls due): the action plan's "by when". Not in the fingerprint.
    due: date | None = field(default=None, compare=False)
    # Set on a finding read back from the cache or a JSON report: they keep the
    # fingerprint but never `detail`, which may hold a follower's handle.
    recorded_fingerprint: str | None = field(default=None, compare=False, repr=False)

    @property
    def fingerprint(self) -> str:
        if self.recorded_fingerprint is not None:
            return self.recorded_fingerprint
        text = "\x1f".join((self.rule_id, self.target, self.subject or "", self.detail))
        # surrogatepass: a file name that is not UTF-8 holds lone surrogates (same bytes for
        # every other text).
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    def sort_key(self) -> tuple[str, str, str, int, int, int, str, str]:
        loc = self.location
        return (
            self.school,
            self.target,
            loc.path if loc else "",
            loc.line if loc else 0,
            loc.column if loc else 0,
            -self.severity.rank,
            self.rule_id,
            self.subject or "",
        )
