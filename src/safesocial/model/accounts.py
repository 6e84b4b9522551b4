"""An account as it really is: its settings, connections, admins, messages and posts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from safesocial.documents.yamlio import YMap
from safesocial.model.base import PUPIL_CATEGORIES, Pruned
from safesocial.model.fields import (
    as_date,
    each,
    each_numbered,
    is_true,
    opt_bool,
    opt_str,
    read,
    record,
    strs,
    whole,
)


@record
class Approval:
    """How a follow request was approved: a follower's `approval:`, or approvals.yaml."""

    form: str | None = read(opt_str, required=False)
    approved_by: str | None = read(opt_str, required=False)
    on: date | None = read(as_date, required=False)
    build: ClassVar[Callable[[YMap], Approval]]


def _approval(value: object) -> Approval | None:
    return Approval.build(value) if isinstance(value, YMap) else None


def _category(value: object) -> str:
    return "unknown" if value is None else str(value)


@record
class Connection:
    """An entry in followers, following or outgoing_requests: what the Python check kinds
    read. Declarative rules read every other field of an entry (their_account_private,
    id, ...) from the account's view, so the model does not copy them."""

    index: int
    category: str = read(_category, required=False)
    node: YMap = whole()
    pupil: str | None = read(opt_str, default=None)
    # The account's handle: for matching (approvals.yaml, "@handle" waivers, fingerprints)
    # and --reveal-names only; shareable outputs name an entry by `label`, never by this.
    handle: str | None = read(opt_str, default=None)
    # The platform's own id for it, from an export.
    platform_id: str | None = read(opt_str, key="id", default=None)
    followed_first: bool | None = read(opt_bool, default=None)
    approval: Approval | None = read(_approval, default=None)
    build: ClassVar[Callable[[YMap, int], Connection]]

    def label(self, kind: str) -> str:
        """How shared outputs name this entry: a pupil ref, never a handle."""
        if self.pupil and self.category in PUPIL_CATEGORIES:
            return f"{self.category.replace('_', '-')} {self.pupil}"
        return f"{kind} #{self.index + 1} ({self.category})"


# The entries of a list (followers, following...), each with its index as written.
connections = each_numbered(Connection.build)


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
        role = opt_str(n.get("page_role"))
        given = opt_str(n.get("access"))
        access = given or PAGE_ROLE_ACCESS.get(role or "", "tasks")
        return cls(str(n["staff"]), access, n, role, opt_str(n.get("number")))


@record
class DmThread:
    """An entry in dm_threads. The messaging rules are declarative and read the entry
    (started_by, last_message_on) from the view; this record gives its handle for
    "@handle" waivers and --reveal-names."""

    category: str = read(str)
    node: YMap = whole()
    pupil: str | None = read(opt_str, default=None)
    # The other side's handle, as `Connection.handle`.
    counterpart: str | None = read(opt_str, default=None)
    build: ClassVar[Callable[[YMap], DmThread]]


def _named(entry: YMap) -> tuple[str, str]:
    return str(entry["pupil"]), str(entry["form"])


def _not_false(value: object) -> bool:
    # Unless someone has said the pupils cannot be recognised, assume they can.
    return value is not False


@record
class Post:
    id: str = read(str)
    node: YMap = whole()
    date: dt.date | None = read(as_date, required=False)
    pupils_shown: tuple[str, ...] = read(strs, required=False)
    identifiable: bool = read(_not_false, required=False)
    pupils_named: tuple[tuple[str, str], ...] = read(each(_named), required=False)
    pupils_tagged: tuple[str, ...] = read(strs, required=False)
    removed_on: dt.date | None = read(as_date, required=False)
    # What else the post gives away (checks/post_detail.py): where, which school, when.
    location_tag: bool = read(is_true, default=False)
    school_identifiable: bool = read(is_true, default=False)
    live_stream: bool = read(is_true, default=False)
    dress: str | None = read(opt_str, default=None)
    during_event: bool = read(is_true, default=False)
    # Its own audience, where the platform gives posts one (YouTube): public, unlisted,
    # private; None means the account's audience.
    visibility: str | None = read(opt_str, default=None)
    comments: str | None = read(opt_str, default=None)
    made_for_kids: bool | None = read(opt_bool, default=None)
    build: ClassVar[Callable[[YMap], Post]]

    def live(self, as_of: dt.date) -> bool:
        return self.removed_on is None or self.removed_on > as_of


def account_target(platform: str, handle: str) -> str:
    """The name findings use for an account, e.g. ``x:@OakfieldPrimary``."""
    return f"{platform}:{handle if handle.startswith('@') else '@' + handle}"


def same_account(a: str, b: str) -> bool:
    """Whether two targets name one account: platforms ignore the case of handles."""
    return a.casefold() == b.casefold()


def _account_type(value: object) -> str:
    return "profile" if value is None else str(value)


@record
class Account:
    """accounts/<id>.yaml: the actual state of one account."""

    id: str
    platform: str = read(str)
    handle: str = read(str)
    kind: str = read(str)
    node: YMap = whole()
    protected: bool | None = read(opt_bool, required=False)
    admins: tuple[Admin, ...] = read(each(Admin.build), required=False)
    followers: tuple[Connection, ...] = read(connections, required=False)
    following: tuple[Connection, ...] = read(connections, required=False)
    outgoing_requests: tuple[Connection, ...] = read(connections, required=False)
    dm_threads: tuple[DmThread, ...] = read(each(DmThread.build), required=False)
    posts: tuple[Post, ...] = read(each(Post.build), required=False)
    owner_email: str | None = read(opt_str, default=None)
    # What its file held that failed the schema and was taken out (see prune.py).
    pruned: tuple[Pruned, ...] = ()
    account_type: str = read(_account_type, default="profile")
    build: ClassVar[Callable[..., Account]]

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
