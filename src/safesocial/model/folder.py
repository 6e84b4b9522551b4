"""One school folder as read: its parts, what could not be read, and the problems met."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from safesocial.errors import InputProblem
from safesocial.findings import Location
from safesocial.model.accounts import Account
from safesocial.model.base import (
    Pruned,
)
from safesocial.model.policy import Policy
from safesocial.model.records import ConsentRecord, Pupil, StaffAccount, WaiverRecord
from safesocial.model.school import SchoolInfo

if TYPE_CHECKING:  # approvals.py builds on this package
    from safesocial.model import approvals


@dataclass(slots=True)
class School:
    """Everything read from one school folder; parts that failed to load are None."""

    root: str
    info: SchoolInfo | None = None
    policy: Policy | None = None
    accounts: list[Account] = field(default_factory=list)
    consent: list[ConsentRecord] | None = None
    pupils: dict[str, Pupil] | None = None
    staff_accounts: list[StaffAccount] | None = None
    waivers: list[WaiverRecord] = field(default_factory=list)
    # approvals.yaml, by (platform, normalised handle): joined into the followers.
    approvals: dict[tuple[str, str], approvals.ApprovalRecord] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    # Parts whose file failed to load: rules that read them are skipped, not run on
    # half the data (the input problem already says what is wrong).
    broken: set[str] = field(default_factory=set)
    # Per part (PARTS), what its file held that failed the schema and was taken out,
    # the rest being read; accounts and staff accounts keep their own.
    pruned: dict[str, tuple[Pruned, ...]] = field(default_factory=dict)
    # Files that never became records, by what a reader knows them as (a part's name,
    # or accounts/<file> for an account), each at its first problem.
    unread: dict[str, Location] = field(default_factory=dict)
    # Refs of entries skipped as unreadable, per list: "pupils", "consent", "staff".
    unread_refs: dict[str, frozenset[str]] = field(default_factory=dict)
    # Built once by the loader: posts look consent up per pupil shown.
    consent_index: dict[str, list[ConsentRecord]] = field(default_factory=dict)
    # Names of this folder's files that a git work tree holds and no .gitignore keeps
    # out (see vcs.py): the loader looks, so that checks never touch the disk.
    versioned: frozenset[str] = frozenset()
    # What checks derive once per school from its records rather than once per account
    # or post (the compiled pupil-name matcher, the youngest pupil on roll), by key.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.info.name if self.info else self.root

    def consent_for(self, pupil: str) -> list[ConsentRecord]:
        return self.consent_index.get(pupil, [])


@dataclass(slots=True)
class Loaded:
    """A school as read, plus every problem met on the way."""

    school: School
    problems: list[InputProblem] = field(default_factory=list)
