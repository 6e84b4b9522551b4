"""The typed model of one school: what it declares, what its accounts really do, its records.

Every record keeps `node`, the mapping it was read from, so that a check can point at
the exact line of any field (``record.node.loc("approved_by")``) without the model
copying locations around. Records are built only from documents that pass their
schema once whatever failed it was taken out (prune.py), so the builders trust the
shapes they are given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from safesocial.errors import InputProblem
from safesocial.findings import Finding, Location
from safesocial.yamlio import YList, YMap

if TYPE_CHECKING:  # approvals.py builds on this module
    from safesocial import approvals

SENIOR_ROLES = frozenset({"headteacher", "deputy_head", "assistant_head", "slt"})
PUPIL_CATEGORIES = frozenset({"pupil", "ex_pupil"})


# The parts of a school folder, each read from its own file (accounts/ aside). Rules
# name them in their reads; a part whose file could not be read at all is `broken`.
PARTS = ("school", "policy", "consent", "pupils", "staff_accounts", "waivers", "approvals")


@dataclass(frozen=True, slots=True)
class Pruned:
    """A value or list entry taken out of a document because it failed its schema.

    `path` runs from the record's own mapping (the account file, one staff account
    entry, a whole school file) with list indexes as written; `entry` says a list entry
    was skipped and the rest of the list kept, rather than a value removed.
    """

    path: tuple[str | int, ...]
    location: Location
    entry: bool
    # A skipped entry's own ref (a pupil's, a member of staff's) where it could be read:
    # checks then know the entry exists, and never call it missing from its register.
    ref: str | None = None

    def dotted(self, prefix: str = "") -> str:
        """``account.followers[]``, ``policy.followers.approval``: indexes become []."""
        out = prefix
        for part in self.path:
            if isinstance(part, int):
                out += "[]"
            else:
                out += f".{part}" if out else part
        return out


def as_date(value: object) -> date | None:
    """A schema-checked YYYY-MM-DD string as a date; anything else is "not recorded"."""
    return date.fromisoformat(value) if isinstance(value, str) else None


def _strs(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _maps(node: YMap, key: str) -> Iterable[YMap]:
    items = node.get(key)
    return items if isinstance(items, YList) else ()


def _indexed(node: YMap, key: str) -> Iterable[tuple[int, YMap]]:
    """A list's entries with their indexes as written (an unreadable one may be gone)."""
    items = node.get(key)
    if not isinstance(items, YList):
        return ()
    return ((items.number(i), item) for i, item in enumerate(items))


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def _opt_bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def empty_map(file: str) -> YMap:
    return YMap(file, 1, 1)


@dataclass(frozen=True, slots=True)
class Staff:
    ref: str
    role: str
    node: YMap
    line_manager: str | None = None
    left_on: date | None = None
    safeguarding_trained_on: date | None = None
    social_media_trained_on: date | None = None
    dsl_trained_on: date | None = None
    aup_signed_on: date | None = None

    @property
    def senior(self) -> bool:
        return self.role in SENIOR_ROLES

    def has_left(self, as_of: date) -> bool:
        return self.left_on is not None and self.left_on <= as_of

    @classmethod
    def build(cls, n: YMap) -> Staff:
        return cls(
            ref=str(n["ref"]),
            role=str(n["role"]),
            node=n,
            line_manager=_opt_str(n.get("line_manager")),
            left_on=as_date(n.get("left_on")),
            safeguarding_trained_on=as_date(n.get("safeguarding_trained_on")),
            social_media_trained_on=as_date(n.get("social_media_trained_on")),
            dsl_trained_on=as_date(n.get("dsl_trained_on")),
            aup_signed_on=as_date(n.get("aup_signed_on")),
        )


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    covers: frozenset[str]
    node: YMap
    based_on: str | None = None
    reviewed_on: date | None = None
    next_review_on: date | None = None

    @classmethod
    def build(cls, n: YMap) -> Document:
        return cls(
            id=str(n["id"]),
            covers=frozenset(_strs(n.get("covers"))),
            node=n,
            based_on=_opt_str(n.get("based_on")),
            reviewed_on=as_date(n.get("reviewed_on")),
            next_review_on=as_date(n.get("next_review_on")),
        )


@dataclass(frozen=True, slots=True)
class SchoolInfo:
    """school.yaml."""

    name: str
    node: YMap
    jurisdiction: str | None
    phase: str | None
    email_domains: tuple[str, ...]
    dsl: str | None
    deputies: tuple[str, ...]
    documents: tuple[Document, ...]
    staff: Mapping[str, Staff]

    @property
    def safeguarding(self) -> YMap:
        value = self.node.get("safeguarding")
        return value if isinstance(value, YMap) else empty_map(self.node.file)

    @classmethod
    def build(cls, n: YMap) -> SchoolInfo:
        school: YMap = n["school"]
        guard = n.get("safeguarding")
        guard = guard if isinstance(guard, YMap) else empty_map(n.file)
        return cls(
            name=str(school["name"]),
            node=n,
            jurisdiction=_opt_str(school.get("jurisdiction")),
            phase=_opt_str(school.get("phase")),
            email_domains=tuple(d.lower() for d in _strs(school.get("email_domains"))),
            dsl=_opt_str(guard.get("dsl")),
            deputies=_strs(guard.get("deputies")),
            documents=tuple(Document.build(d) for d in _maps(n, "documents")),
            staff={s.ref: s for s in map(Staff.build, _maps(n, "staff"))},
        )


@dataclass(frozen=True, slots=True)
class Approval:
    form: str | None
    approved_by: str | None
    on: date | None


@dataclass(frozen=True, slots=True)
class Connection:
    """An entry in followers, following or outgoing_requests."""

    index: int
    category: str
    node: YMap
    pupil: str | None = None
    followed_first: bool | None = None
    their_account_private: bool | None = None
    approval: Approval | None = None

    def label(self, kind: str) -> str:
        """How shared outputs name this entry: a pupil ref, never a handle."""
        if self.pupil and self.category in PUPIL_CATEGORIES:
            return f"{self.category.replace('_', '-')} {self.pupil}"
        return f"{kind} #{self.index + 1} ({self.category})"

    @classmethod
    def build(cls, index: int, n: YMap) -> Connection:
        raw = n.get("approval")
        approval = None
        if isinstance(raw, YMap):
            approval = Approval(
                _opt_str(raw.get("form")), _opt_str(raw.get("approved_by")), as_date(raw.get("on"))
            )
        return cls(
            index=index,
            category=str(n.get("category", "unknown")),
            node=n,
            pupil=_opt_str(n.get("pupil")),
            followed_first=_opt_bool(n.get("followed_first")),
            their_account_private=_opt_bool(n.get("their_account_private")),
            approval=approval,
        )


# A Facebook Page's roles on the admin model: what each lets its holder do. Admin and
# full control change settings and roles; editor and partial control post; the rest
# only do given tasks (replies, ads, insights) and can neither post nor change settings.
PAGE_ROLE_ACCESS = {
    "admin": "full",
    "full_control": "full",
    "editor": "publisher",
    "partial_control": "publisher",
    "moderator": "tasks",
    "advertiser": "tasks",
    "analyst": "tasks",
    "community_manager": "tasks",
    "task_access": "tasks",
}


@dataclass(frozen=True, slots=True)
class Admin:
    staff: str
    access: str
    node: YMap
    page_role: str | None = None
    # WhatsApp: whether they run it from a `school` or a `personal` number.
    number: str | None = None

    @property
    def runs_it(self) -> bool:
        """Can post or change settings: counts towards the people who run the account."""
        return self.access in ("full", "publisher")

    @property
    def speaks_for_it(self) -> bool:
        """Writes as the account: posts, or (a Page's moderator) replies and messages."""
        return self.runs_it or self.page_role in ("moderator", "community_manager")

    @classmethod
    def build(cls, n: YMap) -> Admin:
        role = _opt_str(n.get("page_role"))
        given = _opt_str(n.get("access"))
        access = given or PAGE_ROLE_ACCESS.get(role or "", "tasks")
        return cls(str(n["staff"]), access, n, role, _opt_str(n.get("number")))


@dataclass(frozen=True, slots=True)
class DmThread:
    category: str
    node: YMap
    pupil: str | None = None
    started_by: str | None = None


@dataclass(frozen=True, slots=True)
class Post:
    id: str
    node: YMap
    date: dt.date | None
    pupils_shown: tuple[str, ...]
    identifiable: bool
    pupils_named: tuple[tuple[str, str], ...]
    pupils_tagged: tuple[str, ...]
    removed_on: dt.date | None
    # What else the post gives away (checks/post_detail.py): where, which school, when.
    location_tag: bool = False
    school_identifiable: bool = False
    live_stream: bool = False
    dress: str | None = None
    during_event: bool = False
    # Its own audience, where the platform gives posts one (YouTube): public, unlisted,
    # private; None means the account's audience.
    visibility: str | None = None
    comments: str | None = None
    made_for_kids: bool | None = None

    def live(self, as_of: dt.date) -> bool:
        return self.removed_on is None or self.removed_on > as_of

    @classmethod
    def build(cls, n: YMap) -> Post:
        return cls(
            id=str(n["id"]),
            node=n,
            date=as_date(n.get("date")),
            pupils_shown=_strs(n.get("pupils_shown")),
            # Unless someone has said the pupils cannot be recognised, assume they can.
            identifiable=n.get("identifiable") is not False,
            pupils_named=tuple((str(p["pupil"]), str(p["form"])) for p in _maps(n, "pupils_named")),
            pupils_tagged=_strs(n.get("pupils_tagged")),
            removed_on=as_date(n.get("removed_on")),
            location_tag=n.get("location_tag") is True,
            school_identifiable=n.get("school_identifiable") is True,
            live_stream=n.get("live_stream") is True,
            dress=_opt_str(n.get("dress")),
            during_event=n.get("during_event") is True,
            visibility=_opt_str(n.get("visibility")),
            comments=_opt_str(n.get("comments")),
            made_for_kids=_opt_bool(n.get("made_for_kids")),
        )


def account_target(platform: str, handle: str) -> str:
    """The name findings use for an account, e.g. ``x:@OakfieldPrimary``."""
    return f"{platform}:{handle if handle.startswith('@') else '@' + handle}"


def same_account(a: str, b: str) -> bool:
    """Whether two targets name one account: platforms ignore the case of handles."""
    return a.casefold() == b.casefold()


@dataclass(frozen=True, slots=True)
class Account:
    """accounts/<id>.yaml: the actual state of one account."""

    id: str
    platform: str
    handle: str
    kind: str
    node: YMap
    protected: bool | None
    admins: tuple[Admin, ...]
    followers: tuple[Connection, ...]
    following: tuple[Connection, ...]
    outgoing_requests: tuple[Connection, ...]
    dm_threads: tuple[DmThread, ...]
    posts: tuple[Post, ...]
    owner_email: str | None = None
    # What its file held that failed the schema and was taken out (see prune.py).
    pruned: tuple[Pruned, ...] = ()
    account_type: str = "profile"

    @property
    def facebook_page(self) -> bool:
        return self.platform == "facebook" and self.account_type == "page"

    @property
    def always_public(self) -> bool:
        """Whatever is recorded, anyone can see it: a Facebook Page cannot be protected, and
        a WhatsApp channel's updates are public (its followers' numbers are what it hides)."""
        return self.facebook_page or (
            self.platform == "whatsapp" and self.account_type == "channel"
        )

    def post_public(self, post: Post) -> bool | None:
        """Whether anyone can see `post`: its own visibility where it has one (an unlisted
        video is public to whoever has the link), else the account's; None when the
        account's state is not recorded."""
        if post.visibility is not None:
            return post.visibility != "private"
        if self.always_public:
            return True
        return None if self.protected is None else not self.protected

    @property
    def target(self) -> str:
        """The name findings use for this account, e.g. ``x:@OakfieldPrimary``."""
        return account_target(self.platform, self.handle)

    @classmethod
    def build(cls, account_id: str, n: YMap, pruned: tuple[Pruned, ...] = ()) -> Account:
        return cls(
            id=account_id,
            platform=str(n["platform"]),
            handle=str(n["handle"]),
            kind=str(n["kind"]),
            node=n,
            protected=_opt_bool(n.get("protected")),
            admins=tuple(Admin.build(a) for a in _maps(n, "admins")),
            followers=tuple(Connection.build(i, c) for i, c in _indexed(n, "followers")),
            following=tuple(Connection.build(i, c) for i, c in _indexed(n, "following")),
            outgoing_requests=tuple(
                Connection.build(i, c) for i, c in _indexed(n, "outgoing_requests")
            ),
            dm_threads=tuple(
                DmThread(
                    str(t["category"]), t, _opt_str(t.get("pupil")), _opt_str(t.get("started_by"))
                )
                for t in _maps(n, "dm_threads")
            ),
            posts=tuple(Post.build(p) for p in _maps(n, "posts")),
            owner_email=_opt_str(n.get("owner_email")),
            pruned=pruned,
            account_type=str(n.get("account_type", "profile")),
        )


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    pupil: str
    state: str
    scopes: frozenset[str]
    node: YMap
    given_on: date | None = None
    expires_on: date | None = None
    withdrawn_on: date | None = None
    informed_by: str | None = None
    parental_responsibility: bool | None = None
    pupil_view: str | None = None  # agrees | objects, where the pupil was asked

    @property
    def given_by_pupil(self) -> bool:
        return self.informed_by == "pupil"

    def in_force(self, as_of: date) -> bool:
        if self.state != "granted":
            return False
        if self.withdrawn_on is not None and self.withdrawn_on <= as_of:
            return False
        return self.expires_on is None or self.expires_on >= as_of

    @classmethod
    def build(cls, n: YMap) -> ConsentRecord:
        return cls(
            pupil=str(n["pupil"]),
            state=str(n["state"]),
            scopes=frozenset(_strs(n.get("scopes"))),
            node=n,
            given_on=as_date(n.get("given_on")),
            expires_on=as_date(n.get("expires_on")),
            withdrawn_on=as_date(n.get("withdrawn_on")),
            informed_by=_opt_str(n.get("informed_by")),
            parental_responsibility=_opt_bool(n.get("parental_responsibility")),
            pupil_view=_opt_str(n.get("pupil_view")),
        )


def _known_as(value: object) -> tuple[str, ...]:
    """Nicknames: a YAML list, or one text with `;` between them (a CSV cell)."""
    items = value.split(";") if isinstance(value, str) else _strs(value)
    return tuple(item.strip() for item in items if item.strip())


@dataclass(frozen=True, slots=True)
class Pupil:
    ref: str
    node: YMap
    date_of_birth: date | None = None
    left_on: date | None = None
    publication_restricted: bool = False
    directory_opt_out: bool = False
    directory_opt_out_year: str | None = None  # the school year of that choice, "2026-27"
    # Only for finding the pupil in captions (checks/names.py); never shown anywhere.
    name: str | None = None
    known_as: tuple[str, ...] = ()

    def age(self, as_of: date) -> int | None:
        dob = self.date_of_birth
        if dob is None:
            return None
        return as_of.year - dob.year - ((as_of.month, as_of.day) < (dob.month, dob.day))

    @classmethod
    def build(cls, n: YMap) -> Pupil:
        return cls(
            ref=str(n["ref"]),
            node=n,
            date_of_birth=as_date(n.get("date_of_birth")),
            left_on=as_date(n.get("left_on")),
            publication_restricted=n.get("publication_restricted") is True,
            directory_opt_out=n.get("directory_opt_out") is True,
            directory_opt_out_year=_opt_str(n.get("directory_opt_out_year")),
            name=_opt_str(n.get("name")),
            known_as=_known_as(n.get("known_as")),
        )


@dataclass(frozen=True, slots=True)
class StaffConnection:
    index: int
    category: str
    node: YMap
    pupil: str | None = None
    age: int | None = None
    contacted: bool = False


@dataclass(frozen=True, slots=True)
class StaffAccount:
    """One entry of staff-accounts.yaml."""

    staff: str
    use: str
    node: YMap
    private: bool | None
    connections: tuple[StaffConnection, ...]
    declared: Mapping[str, YMap]
    pruned: tuple[Pruned, ...] = ()  # within this entry, from the entry's own mapping

    @property
    def target(self) -> str:
        platform = self.node.get("platform")
        return f"staff:{self.staff}" + (f" ({platform})" if platform else "")

    @classmethod
    def build(cls, n: YMap, pruned: tuple[Pruned, ...] = ()) -> StaffAccount:
        connections = tuple(
            StaffConnection(
                index=i,
                category=str(c["category"]),
                node=c,
                pupil=_opt_str(c.get("pupil")),
                age=c["age"] if isinstance(c.get("age"), int) else None,
                contacted=c.get("contacted") is True,
            )
            for i, c in _indexed(n, "connections")
        )
        declared = {str(d["pupil"]): d for d in _maps(n, "declared_relationships")}
        return cls(
            staff=str(n["staff"]),
            use=str(n["use"]),
            node=n,
            private=_opt_bool(n.get("private")),
            connections=connections,
            declared=declared,
            pruned=pruned,
        )


@dataclass(frozen=True, slots=True)
class WaiverRecord:
    """One entry of waivers.yaml."""

    rule: str
    target: str
    reason: str
    approved_by: str
    approved_on: date
    expires_on: date
    node: YMap
    pupil: str | None = None
    staff: str | None = None
    follower: str | None = None

    @classmethod
    def build(cls, n: YMap) -> WaiverRecord:
        return cls(
            rule=str(n["rule"]),
            target=str(n["target"]),
            reason=str(n["reason"]).strip(),
            approved_by=str(n["approved_by"]),
            approved_on=date.fromisoformat(n["approved_on"]),
            expires_on=date.fromisoformat(n["expires_on"]),
            node=n,
            pupil=_opt_str(n.get("pupil")),
            staff=_opt_str(n.get("staff")),
            follower=_opt_str(n.get("follower")),
        )


@dataclass(frozen=True, slots=True)
class WaiverOutcome:
    """What became of one waiver in this run."""

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


def merge(base: YMap, override: YMap) -> YMap:
    """Deep-merge two policy mappings, keeping each value's own source position."""
    out = YMap(override.file, override.line, override.col)
    for src in (base, override):
        for key, value in src.items():
            old = out.get(key)
            if isinstance(old, YMap) and isinstance(value, YMap):
                value = merge(old, value)
            out[key] = value
            out.key_pos[key] = src.key_pos[key]
            if key in src.val_pos:
                out.val_pos[key] = src.val_pos[key]
    return out


@dataclass(frozen=True, slots=True)
class RegisteredAccount:
    """One entry of policy.yaml's `register`: an account the school approved and runs."""

    platform: str
    handle: str
    kind: str
    node: YMap
    owner: str | None = None
    aim: str | None = None
    risk_assessment: str | None = None

    @property
    def target(self) -> str:
        return account_target(self.platform, self.handle)

    @classmethod
    def build(cls, n: YMap) -> RegisteredAccount:
        return cls(
            platform=str(n["platform"]),
            handle=str(n["handle"]),
            kind=str(n["kind"]),
            node=n,
            owner=_opt_str(n.get("owner")),
            aim=_opt_str(n.get("aim")),
            risk_assessment=_opt_str(n.get("risk_assessment")),
        )


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
        return tuple(RegisteredAccount.build(n) for n in _maps(self.node, "register"))

    def registered(self, target: str) -> RegisteredAccount | None:
        return next((r for r in self.register or () if same_account(r.target, target)), None)

    @property
    def staff_accounts(self) -> YMap:
        value = self.node.get("staff_accounts")
        return value if isinstance(value, YMap) else empty_map(self.node.file)


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


def get_path(root: Mapping[str, Any], dotted: str) -> Any:
    """Follow a dotted path (``policy.followers.approval``) through nested mappings."""
    value: Any = root
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _located(value: Any, part: str | int) -> bool:
    """Whether `value` is a located container holding `part` (a key or an index)."""
    if isinstance(value, YMap):
        return isinstance(part, str) and part in value
    if isinstance(value, YList):
        return isinstance(part, int) and 0 <= part < len(value)
    return False


def locate(root: Mapping[str, Any], path: Iterable[str | int]) -> Location | None:
    """The deepest known location along `path` (keys and list indexes) from `root`."""
    best: Location | None = None
    value: Any = root
    for part in path:
        if _located(value, part):
            best = value.loc(part)
            value = value[part]
        elif isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            break
        if best is None and isinstance(value, YMap | YList):
            best = value.loc()
    return best


@dataclass(slots=True)
class Loaded:
    """A school as read, plus every problem met on the way."""

    school: School
    problems: list[InputProblem] = field(default_factory=list)
