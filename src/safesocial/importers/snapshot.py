"""What a platform reader hands the merge: one account's state as its export shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

# The lists of other accounts an export can hold, as the account file names them.
LISTS = ("followers", "following", "outgoing_requests")


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
    source: Literal["x-archive", "instagram", "tiktok", "facebook"]
    label: str  # "the X archive", used in sentences
    platform: str  # as account files write it
    # How this platform's lists name other accounts: X by numeric id, the others by handle.
    match_by: Literal["id", "handle"]
    username: str | None = None  # the exported account's own handle, '@name'
    # A list the export does not hold stays as it is in the file: None here, and why.
    lists: dict[str, list[Seen] | None] = field(default_factory=dict)
    absent: dict[str, str] = field(default_factory=dict)
    protected: Setting = field(default_factory=lambda: Setting(None, "not in the export"))
    dm_from: Setting = field(default_factory=lambda: Setting(None, "not in the export"))
    observed_on: date | None = None
    date_why: str = ""
    # What the export does not hold and must stay typed by hand, and anything odd.
    by_hand: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)  # other evidence worth a line
    # Facebook: the Pages the person whose download it is manages, (name, URL slug).
    managed: list[tuple[str, str | None]] = field(default_factory=list)
