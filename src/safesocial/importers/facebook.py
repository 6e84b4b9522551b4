"""Facebook's personal "Download your information" in JSON.

It is the download of a person's profile. Followers: people_who_follow_you.json
(followers_v2, 2020-21) or connections/followers/people_who_followed_you.json (followers_v3,
2026); following: who_you've_followed.json (following_v2 or _v3); friends: your_friends.json
(friends_v2), and friend requests received: received_friend_requests.json
(received_requests_v2). your_pages.json (later your_pages_and_profiles.json) lists the
Pages the person manages, without their roles and without the Page's own followers, which
no download holds. Everyone is named by display name only, and two people can share one,
so a repeated name is kept as two entries (match_by "name").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from safesocial.errors import ImportProblem
from safesocial.importers import common
from safesocial.importers.archive import Export
from safesocial.importers.detect import not_this_kind
from safesocial.importers.snapshot import Seen, Setting, Snapshot

_FOLLOWERS_FILES = ("people_who_follow_you.json", "people_who_followed_you.json")
_FOLLOWING_FILES = ("who_you've_followed.json",)
_FRIENDS_FILES = ("your_friends.json", "friends.json")
_RECEIVED_FILES = ("received_friend_requests.json",)
_PAGES_FILES = ("your_pages.json", "your_pages_and_profiles.json")
_FOLLOWERS = re.compile(r"followers_v\d+")
_FOLLOWING = re.compile(r"following_v\d+")
_FRIENDS = re.compile(r"friends_v\d+")
_RECEIVED = re.compile(r"received_requests_v\d+")
_PAGES = re.compile(r"pages(_and_profiles)?_v\d+")
_SLUG = re.compile(r"facebook\.com/([^/?#]+)")
_PROFILE_ID = re.compile(r"facebook\.com/profile\.php\?id=(\d+)")


def detect(export: Export) -> bool:
    return bool(
        export.find(
            *_FOLLOWERS_FILES, *_FOLLOWING_FILES, *_PAGES_FILES, *_RECEIVED_FILES,
            "profile_information.json",
        )
    )  # fmt: skip


def _entries(export: Export, name: str, key: re.Pattern[str], example: str) -> list[Any]:
    where = export.where(name)
    data = common.expect(common.load_json(export, name), dict, where, "the file")
    for k, value in data.items():
        if isinstance(k, str) and key.fullmatch(k):
            return list(common.expect(value, list, where, k))
    raise ImportProblem(
        f"{where}: expected {example} at the top, found {common.keys_of(data)}; this "
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


def _one(export: Export, names: tuple[str, ...]) -> str | None:
    return common.one_file(export, export.find(*names), names[-1])


def _profile(export: Export, name: str, snap: Snapshot) -> None:
    """The account's own identity: its username, else its profile URI."""
    where = export.where(name)
    data = common.expect(common.load_json(export, name), dict, where, "the file")
    info = data.get("profile_v2")
    info = info if isinstance(info, dict) else {}
    user = info.get("username")
    if isinstance(user, str) and user:
        snap.username = common.username(user, where, "profile_v2.username")
        return
    uri = info.get("profile_uri")
    if not isinstance(uri, str):
        return
    numeric = _PROFILE_ID.search(uri)
    slug = _SLUG.search(uri)
    if numeric:
        # A profile without a vanity name is known by its number only: the account
        # file's handle cannot be checked against it, so the summary names it instead.
        snap.facts.append(
            f"the download is of the profile facebook.com/profile.php?id={numeric[1]}"
        )
    elif slug:
        snap.username = common.username(slug[1], where, "profile_v2.profile_uri")


def read(export: Export) -> Snapshot:
    followers = _one(export, _FOLLOWERS_FILES)
    following = _one(export, _FOLLOWING_FILES)
    friends = _one(export, _FRIENDS_FILES)
    received = _one(export, _RECEIVED_FILES)
    pages = export.find(*_PAGES_FILES)
    profile = common.one_file(
        export, export.find("profile_information.json"), "profile_information.json"
    )
    if not (followers or following or friends or received or pages or profile):
        if export.find("people_who_follow_you.html", "people_who_followed_you.html",
                       "your_pages.html"):  # fmt: skip
            raise ImportProblem(
                f"{export.shown}: this Facebook download is in HTML; request it again "
                "choosing the JSON format, and import that"
            )
        raise not_this_kind(
            export, "a Facebook download",
            "connections/followers/people_who_followed_you.json (or people_who_follow_you.json)",
        )  # fmt: skip
    snap = Snapshot.of("facebook")
    for key, name, pattern, example in (
        ("followers", followers, _FOLLOWERS, "'followers_v3' (or 'followers_v2')"),
        ("following", following, _FOLLOWING, "'following_v3' (or 'following_v2')"),
        ("incoming_requests", received, _RECEIVED, "'received_requests_v2'"),
    ):
        snap.lists[key] = _people(export, name, pattern, example) if name else None
    # A profile's friends see what it shares with friends: for a profile they are its
    # audience as much as its followers are, so they are kept as their own list.
    snap.lists["friends"] = _people(export, friends, _FRIENDS, "'friends_v2'") if friends else None
    snap.absent["friends"] = "the download has no your_friends.json"
    snap.absent["followers"] = "the download has no people_who_followed_you.json"
    snap.absent["following"] = "the download has no who_you've_followed.json"
    snap.absent["incoming_requests"] = "the download has no received_friend_requests.json"
    for name in pages:
        where = export.where(name)
        for number, entry in enumerate(_entries(export, name, _PAGES, "'pages_v2'"), 1):
            title = _name(entry, where, number)
            url = entry.get("url") if isinstance(entry, dict) else None
            match = _SLUG.search(url) if isinstance(url, str) else None
            snap.managed.append((title, match[1] if match else None))
    if profile:
        _profile(export, profile, snap)
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
