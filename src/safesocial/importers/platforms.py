"""The one table of the platforms safesocial imports from.

Everything that differs per platform and is not how its files are parsed lives in this
row: the format the CLI takes, the value account files write in `platform:`, how the
summary names the export, what the export holds (the CLI's help and docs/importing.md say
the same), and the module whose `read` and `detect` do the work. The CLI's list of
formats, its help text, the snapshot's source check and detection all come from here, so
adding a platform is a row here and a module beside it (tests/importers/test_platform_table.py
checks that each row has its reader, detector, docs section and test fixture).

This module stays light: the CLI reads it when it starts, and the readers are imported
only when used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from safesocial.importers.archive import Export
    from safesocial.importers.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class Platform:
    fmt: str  # the import format, and the account file's `source:`
    platform: str  # as account files write `platform:`
    label: str  # the export in a sentence: "the X archive"
    kind: str  # "an X archive": for "this looks like ..."
    download: str  # the platform's name for its export, for the help text and docs
    holds: str  # what safesocial reads from it, in a few words
    module: str  # safesocial.importers.<module> has read(Export) and detect(Export)
    # How its lists name other accounts: X by numeric id, Instagram and TikTok by
    # (unique) username, Facebook by display name, which two people can share.
    match_by: Literal["id", "handle", "name"]

    def _module(self) -> Any:
        return importlib.import_module(f"safesocial.importers.{self.module}")

    @property
    def reader(self) -> Callable[[Export], Snapshot]:
        read: Callable[[Export], Snapshot] = self._module().read
        return read

    @property
    def detector(self) -> Callable[[Export], bool]:
        detect: Callable[[Export], bool] = self._module().detect
        return detect


# In the order detection tries them: the most distinctive first (an X archive's
# manifest.js; TikTok's one file), Instagram last, since its file names are the most
# generic.
PLATFORMS: tuple[Platform, ...] = (
    Platform(
        "x-archive", "x", "the X archive", "an X archive",
        'X\'s "Download an archive of your data" (.zip or folder)',
        "followers and following by id, protected history, DM conversations",
        "xarchive", "id",
    ),
    Platform(
        "tiktok", "tiktok", "the TikTok download", "a TikTok download",
        'TikTok\'s "Download your data", JSON',
        "followers, following, privacy, message, comment, duet, stitch and download "
        "settings, block list, chats",
        "tiktok", "handle",
    ),
    Platform(
        "facebook", "facebook", "the Facebook download", "a Facebook download",
        'Facebook\'s "Download your information", JSON',
        "a profile's followers, following, friends, friend requests received, Pages managed",
        "facebook", "name",
    ),
    Platform(
        "instagram", "instagram", "the Instagram download", "an Instagram download",
        'Instagram\'s "Download your information", JSON',
        "followers, following, requests sent and received, close friends, blocked and "
        "restricted accounts, privacy, comment settings, bio",
        "instagram", "handle",
    ),
)  # fmt: skip

BY_FORMAT: dict[str, Platform] = {p.fmt: p for p in PLATFORMS}
ACCOUNT_FORMATS: tuple[str, ...] = tuple(p.fmt for p in PLATFORMS)


def get(fmt: str) -> Platform:
    return BY_FORMAT[fmt]
