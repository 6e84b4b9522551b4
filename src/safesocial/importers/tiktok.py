"""TikTok's "Download your data" in JSON: one file, user_data.json (older) or
user_data_tiktok.json (newer), whose key names changed between versions ("Activity" became
"Your Activity", "Follower List" became "Follower", "App Settings" became "Profile And
Settings"; item keys are sometimes lower case). In January 2026 the sections moved out of
"Your Activity" into top-level groups of their own ("Likes and Favorites"...), so each
section is looked for in every top-level group rather than at one path. Usernames only,
no ids, no export date.
"""

from __future__ import annotations

import re
from typing import Any

from safesocial.errors import ImportProblem
from safesocial.importers import common
from safesocial.importers.archive import Export
from safesocial.importers.detect import not_this_kind
from safesocial.importers.snapshot import Seen, Setting, Snapshot
from safesocial.text import plural

_LISTS = {
    "followers": (("Follower", "Follower List", "Followers"), "FansList"),
    "following": (("Following", "Following List"), "Following"),
}
_PROFILE = ("Profile Info", "Profile Information")
_ON_OFF = {"enabled": True, "on": True, "true": True, "yes": True,
           "disabled": False, "off": False, "false": False, "no": False}  # fmt: skip
# TikTok's "Friends" are followers the account follows back: a subset of its followers,
# so "followers" is the nearest safesocial value and never understates who can reach it.
_WHO = {"everyone": "everyone", "friends": "followers", "mutual friends": "followers",
        "followers": "followers", "no one": "nobody", "nobody": "nobody", "off": "nobody",
        "only me": "nobody", "myself": "nobody", "disabled": "nobody"}  # fmt: skip
# "Allow DownLoad" is Everyone (2025) or Enabled/Disabled (older).
_DOWNLOAD = {**_ON_OFF, "everyone": True, "no one": False, "only me": False}
# The who-can settings read, beyond Private Account: (snapshot field, keys, example).
_WHO_SETTINGS = (
    ("dm_from", ("Who Can Send Me Message", "Who Can Send You Messages")),
    ("comments_from", ("Who Can Post Comments",)),
    ("mentions_from", ("Who Can Mention Me", "Who Can Mention You")),
    ("duet_from", ("Who Can Duet With Me",)),
    ("stitch_from", ("Who Can Stitch with your videos", "Who Can Stitch With Me")),
)
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})\b")
# A TXT download is folders of .txt files named after the sections.
_TEXT = re.compile(
    r"(user_data(_tiktok)?|follower( list)?|following( list)?|profile info(rmation)?|"
    r"block list|chat history|login history|settings)\.txt"
)


def detect(export: Export) -> bool:
    return bool(export.matching(re.compile(r"user_data(_tiktok)?\.json")) or _text(export))


def _text(export: Export) -> list[str]:
    return export.matching(_TEXT)


def _get(mapping: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(mapping, dict):
            return None
        found = common.pick(mapping, [key])
        mapping = found[1] if found else None
    return mapping


def _section(root: dict[str, Any], names: tuple[str, ...], inner: str) -> Any:
    """The section called one of `names` that holds `inner`, in whichever top-level group
    this version of the download puts it (or at the top)."""
    groups = [root] + [v for v in root.values() if isinstance(v, dict)]
    for group in groups:
        for name in names:
            section = _get(group, name)
            if isinstance(section, dict) and common.pick(section, [inner]) is not None:
                return section
    return None


def _people(section: Any, inner: str, where: str, what: str) -> list[Seen]:
    section = common.expect(section, dict, where, what)
    found = common.pick(section, [inner])
    if found is None:
        raise ImportProblem(
            f"{where}: expected {inner!r} in {what}, found {common.keys_of(section)}; "
            "this download's format is one safesocial does not know"
        )
    items = found[1] if found[1] is not None else []  # an empty list is written as null
    seen = []
    for number, item in enumerate(common.expect(items, list, where, inner), 1):
        item = common.expect(item, dict, where, f"{inner} entry {number}")
        name = common.pick(item, ["UserName"])
        handle = common.username(name[1] if name else None, where, f"{inner} entry {number}")
        when = common.pick(item, ["Date"])
        on = None
        if when is not None and when[1] not in (None, ""):
            match = _DATE.match(str(when[1]))
            if not match:
                raise ImportProblem(
                    f"{where}: {inner} entry {number} has the date {when[1]!r}; expected "
                    "YYYY-MM-DD HH:MM:SS"
                )
            on = match[1]
        seen.append(Seen(handle=handle, on=on))
    return seen


def _settings(root: dict[str, Any], where: str, snap: Snapshot) -> bool:
    """Read the SettingsMap; False when the download has none."""
    section = _section(root, ("Settings",), "SettingsMap")
    settings = _get(section, "SettingsMap")
    if not isinstance(settings, dict):
        snap.protected = Setting(None, "the download holds no SettingsMap")
        snap.dm_from = Setting(None, "the download holds no SettingsMap")
        return False
    private = common.pick(settings, ["Private Account"])
    if private is None:
        snap.protected = Setting(None, "the download's settings do not include Private Account")
    else:
        value = _ON_OFF.get(str(private[1]).strip().lower())
        if value is None:
            raise ImportProblem(
                f"{where}: 'Private Account' is {private[1]!r}; expected Enabled or Disabled"
            )
        snap.protected = Setting(value, f"the settings say Private Account: {private[1]}")
    for field, keys in _WHO_SETTINGS:
        found = common.pick(settings, keys)
        if found is None:
            if field == "dm_from":
                snap.dm_from = Setting(None, f"the download's settings do not include {keys[0]}")
            continue
        who = _WHO.get(str(found[1]).strip().lower())
        if who is None:
            raise ImportProblem(
                f"{where}: '{found[0]}' is {found[1]!r}; expected Everyone, Friends or No One"
            )
        setattr(snap, field, Setting(who, f"the settings say {found[0]}: {found[1]}"))
    download = common.pick(settings, ["Allow DownLoad", "Allow Download"])
    if download is not None:
        allowed = _DOWNLOAD.get(str(download[1]).strip().lower())
        if allowed is None:
            raise ImportProblem(
                f"{where}: '{download[0]}' is {download[1]!r}; expected Everyone, Enabled or "
                "Disabled"
            )
        snap.downloads_allowed = Setting(allowed, f"the settings say {download[0]}: {download[1]}")
    return True


def _chats(root: dict[str, Any], where: str, snap: Snapshot) -> None:
    """Count the chats, as the X archive's DM conversations are counted: one key
    "Chat History with NAME:" per conversation (group chats too); the messages are not read."""
    section = _section(root, ("Direct Messages",), "ChatHistory")
    history = _get(section, "ChatHistory")
    if history is None:
        return
    history = common.expect(history, dict, where, "ChatHistory")
    count = len(history)
    snap.facts.append(
        f"the download shows {plural(count, 'direct-message conversation')}; "
        "record any with a pupil under dm_threads by hand"
    )


def _blocked(root: dict[str, Any], where: str, snap: Snapshot) -> None:
    section = _section(root, ("Block List",), "BlockList")
    if section is None:
        return
    blocked = _people(section, "BlockList", where, "Block List")
    if blocked:
        snap.facts.append(
            f"the account has blocked {plural(len(blocked), 'account')} "
            "(Block List); safesocial does not keep that list"
        )


def read(export: Export) -> Snapshot:
    candidates = export.find("user_data_tiktok.json", "user_data.json")
    name = common.one_file(export, candidates, "user_data.json")
    if name is None:
        text = _text(export)
        if text:
            raise ImportProblem(
                f"{export.shown}: this TikTok download is in text (TXT) format ({text[0]}); "
                "request it again choosing JSON, and import that"
            )
        raise not_this_kind(
            export, "a TikTok download", "user_data_tiktok.json (or user_data.json)"
        )
    where = export.where(name)
    root = common.expect(common.load_json(export, name), dict, where, "the file")
    snap = Snapshot.of("tiktok")
    for key, (names, inner) in _LISTS.items():
        section = _section(root, names, inner)
        if section is None:
            snap.lists[key] = None
            snap.absent[key] = f"the download has no {names[0]} list"
        else:
            snap.lists[key] = _people(section, inner, where, names[0])
    has_settings = _settings(root, where, snap)
    profile = _get(_section(root, _PROFILE, "ProfileMap"), "ProfileMap")
    if isinstance(profile, dict):
        user = common.pick(profile, ["userName"])
        if user is not None:
            snap.username = common.username(user[1], where, "the profile's userName")
    if not has_settings and all(snap.lists[k] is None for k in _LISTS) and profile is None:
        held = ", ".join(repr(k) for k in list(root)[:6]) or "nothing"
        raise ImportProblem(
            f"{where}: this download holds neither followers, following nor settings "
            "(expected sections such as 'Your Activity' → 'Follower' and 'App Settings' → "
            f"'Settings'; found {held}); request it again with the profile, activity and "
            "settings included, in JSON, and import that"
        )
    snap.lists["outgoing_requests"] = None
    snap.absent["outgoing_requests"] = "TikTok's download does not list follow requests sent"
    _chats(root, where, snap)
    _blocked(root, where, snap)
    snap.by_hand += [
        "categories of followers and followed accounts (whether one is a parent, a pupil...)",
        "admins (who else has the login), mfa and bio",
    ]
    return snap
