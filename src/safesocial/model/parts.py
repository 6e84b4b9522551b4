"""The parts of a school folder, in one table: each part's file names, schema, and how
its document is stored in the model. The loader reads them in this order (approvals
before the accounts, which join them), rules name them in their reads (`consent`,
`pupils`), and a gap names a part that could not be read by its file.

A new input file is a row here, its `store` function, its schema and its records
(CONTRIBUTING.md, "A new input file"); nothing else lists the parts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from safesocial.documents.yamlio import YList, YMap
from safesocial.model.accounts import Account
from safesocial.model.approvals import ApprovalRecord, join_approvals
from safesocial.model.base import Pruned
from safesocial.model.folder import School
from safesocial.model.policy import Policy
from safesocial.model.records import ConsentRecord, Pupil, StaffAccount, WaiverRecord
from safesocial.model.school import SchoolInfo

SCHOOL_MARKERS = ("school.yaml", "school.yml")

Store = Callable[[School, YMap, str, tuple[Pruned, ...]], None]


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a school folder: what rules call it, the file names it may have (the
    first is the one to write), its schema, and how its document becomes the model."""

    key: str  # as rules name it in their reads: `consent`, `staff_accounts`
    names: tuple[str, ...]
    schema: str  # under schemas/
    csv_key: str | None  # a CSV form's list key (consent.csv rows are `consent:` entries)
    store: Store
    required: bool = False
    # A list whose entries are targets of their own (see prune.prune).
    records: str | None = None
    # How a gap names the part when no line of its file can be pointed at (a folder that
    # could not be listed); the first file name when not given.
    words: str = ""
    # Whether what its schema took out is a gap for every target whose rules read the
    # part, at `gaps_at` in their view (the policy's belong instead to the accounts it
    # applies to, approvals' to the followers they join).
    shared: bool = True
    gaps_at: str = ""

    @property
    def said(self) -> str:
        return self.words or self.names[0]


def _refs(pruned: tuple[Pruned, ...], key: str) -> frozenset[str]:
    """Refs of the entries of top-level list `key` that were skipped as unreadable."""
    return frozenset(p.ref for p in pruned if p.ref and len(p.path) == 2 and p.path[0] == key)


def _store_school(s: School, doc: YMap, _: str, pruned: tuple[Pruned, ...]) -> None:
    s.info = SchoolInfo.build(doc)
    s.pruned["school"] = pruned
    s.unread_refs["staff"] = _refs(pruned, "staff")


def _store_policy(s: School, doc: YMap, _: str, pruned: tuple[Pruned, ...]) -> None:
    s.policy = Policy(doc)
    s.pruned["policy"] = pruned


def _store_consent(s: School, doc: YMap, _: str, pruned: tuple[Pruned, ...]) -> None:
    s.consent = [ConsentRecord.build(n) for n in doc["consent"]]
    s.pruned["consent"] = pruned
    s.unread_refs["consent"] = _refs(pruned, "consent")
    for record in s.consent:
        s.consent_index.setdefault(record.pupil, []).append(record)


def _store_pupils(s: School, doc: YMap, _: str, pruned: tuple[Pruned, ...]) -> None:
    s.pupils = {p.ref: p for p in map(Pupil.build, doc["pupils"])}
    s.pruned["pupils"] = pruned
    s.unread_refs["pupils"] = _refs(pruned, "pupils")


def _store_staff_accounts(s: School, doc: YMap, _: str, pruned: tuple[Pruned, ...]) -> None:
    entries: YList = doc["staff_accounts"]
    s.staff_accounts = []
    for index, node in enumerate(entries):
        # What was taken out inside one entry belongs to that staff account; an entry
        # skipped whole (or the list itself) to the file.
        number = entries.number(index)
        own = tuple(
            Pruned(p.path[2:], p.location, p.entry)
            for p in pruned
            if len(p.path) > 2 and p.path[:2] == ("staff_accounts", number)
        )
        s.staff_accounts.append(StaffAccount.build(node, own))
    s.pruned["staff_accounts"] = tuple(p for p in pruned if len(p.path) <= 2)


def _store_waivers(s: School, doc: YMap, _: str, pruned: tuple[Pruned, ...]) -> None:
    s.waivers = [WaiverRecord.build(n) for n in doc["waivers"]]
    s.pruned["waivers"] = pruned


def _store_approvals(s: School, doc: YMap, _: str, pruned: tuple[Pruned, ...]) -> None:
    for record in map(ApprovalRecord.build, doc["approvals"]):
        s.approvals.setdefault((record.platform, record.handle), record)
    s.pruned["approvals"] = pruned


def store_account(s: School, doc: YMap, stem: str, pruned: tuple[Pruned, ...]) -> None:
    # approvals.yaml is read before the accounts (PARTS come first), so its approvals
    # join each account's followers as it is stored.
    s.accounts.append(join_approvals(Account.build(doc, stem, pruned), s.approvals))


PARTS: tuple[Part, ...] = (
    Part(
        "school",
        SCHOOL_MARKERS,
        "school.schema.json",
        None,
        _store_school,
        required=True,
        gaps_at="school",
    ),
    Part(
        "policy",
        ("policy.yaml", "policy.yml"),
        "policy.schema.json",
        None,
        _store_policy,
        required=True,
        shared=False,
    ),
    Part(
        "consent",
        ("consent.yaml", "consent.yml", "consent.csv"),
        "consent.schema.json",
        "consent",
        _store_consent,
        words="the consent records",
    ),
    Part(
        "pupils",
        ("pupils.yaml", "pupils.yml", "pupils.csv"),
        "pupils.schema.json",
        "pupils",
        _store_pupils,
        words="the pupils register",
    ),
    Part(
        "staff_accounts",
        ("staff-accounts.yaml", "staff-accounts.yml"),
        "staff-accounts.schema.json",
        None,
        _store_staff_accounts,
        records="staff_accounts",
    ),
    Part("waivers", ("waivers.yaml", "waivers.yml"), "waivers.schema.json", None, _store_waivers),
    Part(
        "approvals",
        ("approvals.yaml", "approvals.yml"),
        "approvals.schema.json",
        None,
        _store_approvals,
        shared=False,
    ),
)
# What rules may name in their reads beside the view (packs/reads.py).
NAMES: tuple[str, ...] = tuple(p.key for p in PARTS)
BY_KEY: dict[str, Part] = {p.key: p for p in PARTS}
