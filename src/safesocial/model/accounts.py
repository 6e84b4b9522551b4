"""An account as it really is: its settings, connections, admins, messages and posts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date

from safesocial.documents.yamlio import YList, YMap
from safesocial.model.base import (
    PUPIL_CATEGORIES,
    Pruned,
    _maps,
    _opt_bool,
    _opt_str,
    _strs,
    as_date,
    maker,
)


@dataclass(frozen=True, slots=True)
class Approval:
    form: str | None
    approved_by: str | None
    on: date | None


@dataclass(frozen=True, slots=True)
class Connection:
    """An entry in followers, following or outgoing_requests: what the Python check kinds
    read. Declarative rules read every other field of an entry (their_account_private,
    id, ...) from the account's view, so the model does not copy them."""

    index: int
    category: str
    node: YMap
    pupil: str | None = None
    # The account's handle: for matching (approvals.yaml, "@handle" waivers, fingerprints)
    # and --reveal-names only; shareable outputs name an entry by `label`, never by this.
    handle: str | None = None
    platform_id: str | None = None  # the platform's own id for it, from an export
    followed_first: bool | None = None
    approval: Approval | None = None

    def label(self, kind: str) -> str:
        """How shared outputs name this entry: a pupil ref, never a handle."""
        if self.pupil and self.category in PUPIL_CATEGORIES:
            return f"{self.category.replace('_', '-')} {self.pupil}"
        return f"{kind} #{self.index + 1} ({self.category})"

    @classmethod
    def build(cls, index: int, n: YMap) -> Connection:
        # Spelled out, not through _opt_str and friends: one runs per follower.
        get = n.get
        raw = get("approval")
        approval = None
        if isinstance(raw, YMap):
            form, by, on = raw.get("form"), raw.get("approved_by"), raw.get("on")
            approval = _approval(
                None if form is None else str(form),
                None if by is None else str(by),
                date.fromisoformat(on) if isinstance(on, str) else None,
            )
        pupil, handle, platform_id = get("pupil"), get("handle"), get("id")
        first = get("followed_first")
        return _connection(
            index,
            str(get("category", "unknown")),
            n,
            None if pupil is None else str(pupil),
            None if handle is None else str(handle),
            None if platform_id is None else str(platform_id),
            first if isinstance(first, bool) else None,
            approval,
        )


_approval = maker(Approval)
_connection = maker(Connection)


def connections(n: YMap, key: str) -> tuple[Connection, ...]:
    """The entries of list `key` (followers, following...), each with its index as written."""
    items = n.get(key)
    if not isinstance(items, YList):
        return ()
    build = Connection.build
    numbers = items.origin if items.origin is not None else range(len(items))
    return tuple([build(number, item) for number, item in zip(numbers, items, strict=True)])


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
    """An entry in dm_threads. The messaging rules are declarative and read the entry
    (started_by, last_message_on) from the view; this record gives its handle for
    "@handle" waivers and --reveal-names."""

    category: str
    node: YMap
    pupil: str | None = None
    counterpart: str | None = None  # the other side's handle, as `Connection.handle`


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

    def entry_handles(self) -> dict[tuple[str, int], str]:
        """The handle behind each entry of its lists, by (file, line) of the entry: how a
        finding's location leads back to an account, for "@handle" waivers and
        --reveal-names, without reading the raw YAML again."""
        found: dict[tuple[str, int], str] = {}
        for conns in (self.followers, self.following, self.outgoing_requests):
            for conn in conns:
                if conn.handle:
                    found[(conn.node.file, conn.node.line)] = conn.handle
        for thread in self.dm_threads:
            if thread.counterpart:
                found[(thread.node.file, thread.node.line)] = thread.counterpart
        return found

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
            followers=connections(n, "followers"),
            following=connections(n, "following"),
            outgoing_requests=connections(n, "outgoing_requests"),
            dm_threads=tuple(
                DmThread(
                    str(t["category"]),
                    t,
                    _opt_str(t.get("pupil")),
                    _opt_str(t.get("counterpart")),
                )
                for t in _maps(n, "dm_threads")
            ),
            posts=tuple(Post.build(p) for p in _maps(n, "posts")),
            owner_email=_opt_str(n.get("owner_email")),
            pruned=pruned,
            account_type=str(n.get("account_type", "profile")),
        )
