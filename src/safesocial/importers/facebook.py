"""Facebook's personal "Download your information" in JSON.

It is the download of a person's profile: people_who_follow_you.json (followers_v2, display
names only), who_you've_followed.json (following_v3), and your_pages.json (later
your_pages_and_profiles.json): the Pages the person manages, without their roles and
without the Page's own followers, which no download holds.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from safesocial.importers import common
from safesocial.importers.archive import Export
from safesocial.importers.detect import not_this_kind
from safesocial.importers.errors import ImportProblem
from safesocial.importers.snapshot import Seen, Setting, Snapshot

_FOLLOWERS = re.compile(r"followers_v\d+")
_FOLLOWING = re.compile(r"following_v\d+")
_PAGES = re.compile(r"pages(_and_profiles)?_v\d+")
_SLUG = re.compile(r"facebook\.com/([^/?#]+)")


def _entries(export: Export, name: str, key: re.Pattern[str], example: str) -> list[Any]:
    where = export.where(name)
    data = common.expect(common.load_json(export, name), dict, where, "the file")
    for k, value in data.items():
        if isinstance(k, str) and key.fullmatch(k):
            return list(common.expect(value, list, where, k))
    raise ImportProblem(
        f"{where}: expected {example!r} at the top, found {common.keys_of(data)}; this "
        "download's format is one safesocial does not know"
    )


def _name(entry: Any, where: str, number: int) -> str:
    raw = entry.get("name") if isinstance(entry, dict) else None
    if not isinstance(raw, str) or not raw.strip():
        raise ImportProblem(f"{where}: entry {number} has no name (found {common.keys_of(entry)})")
    name = common.clean(common.fix_meta_text(raw), where, f"entry {number}'s name")
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise ImportProblem(f"{where}: entry {number}'s name holds control characters")
    return name


def _people(export: Export, name: str, key: re.Pattern[str], example: str) -> list[Seen]:
    where = export.where(name)
    return [
        Seen(handle=_name(e, where, n), on=common.epoch_date(e.get("timestamp")))
        for n, e in enumerate(_entries(export, name, key, example), 1)
    ]


def read(export: Export) -> Snapshot:
    followers = common.one_file(
        export, export.find("people_who_follow_you.json"), "people_who_follow_you.json"
    )
    following = common.one_file(
        export, export.find("who_you've_followed.json"), "who_you've_followed.json"
    )
    pages = export.find("your_pages.json", "your_pages_and_profiles.json")
    profile = common.one_file(
        export, export.find("profile_information.json"), "profile_information.json"
    )
    if not (followers or following or pages or profile):
        if export.find("people_who_follow_you.html", "your_pages.html"):
            raise ImportProblem(
                f"{export.shown}: this Facebook download is in HTML; request it again "
                "choosing the JSON format, and import that"
            )
        raise not_this_kind(export, "a Facebook download", "people_who_follow_you.json")
    snap = Snapshot(source="facebook", label="the Facebook download", platform="facebook",
                    match_by="handle")  # fmt: skip
    snap.lists["followers"] = (
        _people(export, followers, _FOLLOWERS, "followers_v2") if followers else None
    )
    snap.lists["following"] = (
        _people(export, following, _FOLLOWING, "following_v3") if following else None
    )
    snap.lists["outgoing_requests"] = None
    snap.absent["followers"] = "the download has no people_who_follow_you.json"
    snap.absent["following"] = "the download has no who_you've_followed.json"
    snap.absent["outgoing_requests"] = "Facebook's download does not list requests sent"
    for name in pages:
        where = export.where(name)
        for number, entry in enumerate(_entries(export, name, _PAGES, "pages_v2"), 1):
            title = _name(entry, where, number)
            url = entry.get("url") if isinstance(entry, dict) else None
            match = _SLUG.search(url) if isinstance(url, str) else None
            snap.managed.append((title, match[1] if match else None))
    if profile:
        where = export.where(profile)
        data = common.expect(common.load_json(export, profile), dict, where, "the file")
        info = data.get("profile_v2")
        user = info.get("username") if isinstance(info, dict) else None
        if isinstance(user, str) and user:
            snap.username = common.username(user, where, "profile_v2.username")
    snap.protected = Setting(None, "Facebook's download does not hold the privacy settings")
    snap.dm_from = Setting(None, "Facebook's download does not hold who can message the account")
    if snap.managed:
        names = ", ".join(title for title, _ in snap.managed)
        snap.facts.append(f"the person whose download this is manages the Pages: {names}")
    snap.by_hand += [
        "admins: Page roles are in no download (only in Facebook's Page settings)",
        "protected, dm_from, mfa and bio: not in the download",
        "categories of followers (the download gives display names only)",
    ]
    return snap
