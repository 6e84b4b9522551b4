"""What a platform reader hands the merge: one account's state as its export shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from safesocial.importers.platforms import BY_FORMAT

# The lists of other accounts an export can hold, as the account file names them.
LISTS = (
    "followers",
    "following",
    "outgoing_requests",
    "incoming_requests",
    "close_friends",
    "friends",
)
# The settings, in the order the summary gives them.
SETTINGS = ("protected", "dm_from", "comments_from", "mentions_from", "duet_from",
            "stitch_from", "downloads_allowed", "bio")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Seen:
    """Another account in one of the export's lists."""

    id: str | None = None
    handle: str | None = None  # as account files write it: '@name', or a Facebook name
    on: str | None = None  # YYYY-MM-DD: when the follow (or request) happened


@dataclass(slots=True)
class Setting:
    """A setting the export may or may not show. `value` None: it does not, and `why`
    says so in words the summary prints."""

    value: bool | str | None
    why: str


@dataclass(slots=True)
class Snapshot:
    source: str  # the import format, one of platforms.PLATFORMS
    label: str  # "the X archive", used in sentences
    platform: str  # as account files write it
    # How this platform's lists name other accounts: X by numeric id, the others by handle.
    match_by: Literal["id", "handle", "name"]
    username: str | None = None  # the exported account's own handle, '@name'
    # A list the export does not hold stays as it is in the file: None here, and why.
    lists: dict[str, list[Seen] | None] = field(default_factory=dict)
    absent: dict[str, str] = field(default_factory=dict)
    protected: Setting = field(default_factory=lambda: Setting(None, "not in the export"))
    dm_from: Setting = field(default_factory=lambda: Setting(None, "not in the export"))
    # Settings only some exports hold; None: this one does not, and they are not mentioned.
    comments_from: Setting | None = None
    mentions_from: Setting | None = None
    duet_from: Setting | None = None
    stitch_from: Setting | None = None
    downloads_allowed: Setting | None = None
    bio: Setting | None = None
    observed_on: date | None = None
    date_why: str = ""
    # What the export does not hold and must stay typed by hand, and anything odd.
    by_hand: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)  # other evidence worth a line
    # Facebook: the Pages the person whose download it is manages, (name, URL slug).
    managed: list[tuple[str, str | None]] = field(default_factory=list)

    def settings(self) -> list[tuple[str, Setting]]:
        """The settings to merge: protected and dm_from always (the summary says why one
        is unknown), the others where the export holds them."""
        out = []
        for key in SETTINGS:
            setting = getattr(self, key)
            if setting is not None:
                out.append((key, setting))
        return out

    def __post_init__(self) -> None:
        if self.source not in BY_FORMAT:
            raise ValueError(f"no platform {self.source!r} in importers/platforms.py")

    @classmethod
    def of(cls, fmt: str) -> Snapshot:
        """An empty snapshot of the platform `fmt`, named as its row in the table says."""
        p = BY_FORMAT[fmt]
        return cls(source=p.fmt, label=p.label, platform=p.platform, match_by=p.match_by)
