"""TikTok's "Download your data" in JSON: one file, user_data.json (older) or
user_data_tiktok.json (newer), whose key names changed between versions ("Activity" became
"Your Activity", "Follower List" became "Follower", "App Settings" became "Profile And
Settings"; item keys are sometimes lower case). Usernames only, no ids, no export date.
"""

from __future__ import annotations

import re
from typing import Any

from safesocial.importers import common
from safesocial.importers.archive import Export
from safesocial.importers.detect import not_this_kind
from safesocial.importers.errors import ImportProblem
from safesocial.importers.snapshot import Seen, Setting, Snapshot

_ACTIVITY = ("Your Activity", "Activity")
_LISTS = {
    "followers": (("Follower", "Follower List"), "FansList"),
    "following": (("Following", "Following List"), "Following"),
}
_SETTINGS = ("Profile And Settings", "App Settings")
_PROFILES = (
    ("Profile", "Profile Information"),
    ("Profile And Settings", "Profile Info"),
    ("Profile And Settings", "Profile Information"),
)
_PRIVATE = {"enabled": True, "on": True, "true": True, "yes": True,
            "disabled": False, "off": False, "false": False, "no": False}  # fmt: skip
# TikTok's "Friends" are followers the account follows back: a subset of its followers,
# so "followers" is the nearest safesocial value and never understates who can message.
_DM = {"everyone": "everyone", "friends": "followers", "mutual friends": "followers",
       "followers": "followers", "no one": "nobody", "nobody": "nobody", "off": "nobody",
       "only me": "nobody", "myself": "nobody"}  # fmt: skip
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})\b")


def _get(mapping: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(mapping, dict):
            return None
        found = common.pick(mapping, [key])
        mapping = found[1] if found else None
    return mapping


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


def _settings(root: dict[str, Any], where: str, snap: Snapshot) -> None:
    settings = None
    for name in _SETTINGS:
        settings = _get(root, name, "Settings", "SettingsMap")
        if settings is not None:
            break
    if not isinstance(settings, dict):
        snap.protected = Setting(None, "the download holds no SettingsMap")
        snap.dm_from = Setting(None, "the download holds no SettingsMap")
        return
    private = common.pick(settings, ["Private Account"])
    if private is None:
        snap.protected = Setting(None, "the download's settings do not include Private Account")
    else:
        value = _PRIVATE.get(str(private[1]).strip().lower())
        if value is None:
            raise ImportProblem(
                f"{where}: 'Private Account' is {private[1]!r}; expected Enabled or Disabled"
            )
        snap.protected = Setting(value, f"the settings say Private Account: {private[1]}")
    message = common.pick(settings, ["Who Can Send Me Message", "Who Can Send You Messages"])
    if message is None:
        snap.dm_from = Setting(
            None, "the download's settings do not include Who Can Send Me Message"
        )
    else:
        dm = _DM.get(str(message[1]).strip().lower())
        if dm is None:
            raise ImportProblem(
                f"{where}: '{message[0]}' is {message[1]!r}; expected Everyone, Friends or No One"
            )
        snap.dm_from = Setting(dm, f"the settings say {message[0]}: {message[1]}")


def read(export: Export) -> Snapshot:
    candidates = export.find("user_data_tiktok.json", "user_data.json")
    name = common.one_file(export, candidates, "user_data.json")
    if name is None:
        text = export.find("user_data_tiktok.txt", "user_data.txt")
        if text:
            raise ImportProblem(
                f"{export.shown}: this TikTok download is in text format ({text[0]}); "
                "request it again choosing JSON, and import that"
            )
        raise not_this_kind(
            export, "a TikTok download", "user_data_tiktok.json (or user_data.json)"
        )
    where = export.where(name)
    root = common.expect(common.load_json(export, name), dict, where, "the file")
    activity = None
    for key in _ACTIVITY:
        activity = _get(root, key)
        if activity is not None:
            break
    has_settings = any(_get(root, key) is not None for key in _SETTINGS)
    if activity is None and not has_settings:
        raise ImportProblem(
            f"{where}: expected 'Your Activity' (or 'Activity') and 'Profile And Settings' "
            f"(or 'App Settings') at the top, found {common.keys_of(root)}; this download's "
            "format is one safesocial does not know"
        )
    snap = Snapshot(source="tiktok", label="the TikTok download", platform="tiktok",
                    match_by="handle")  # fmt: skip
    for key, (names, inner) in _LISTS.items():
        section = None
        for section_name in names:
            section = _get(activity, section_name)
            if section is not None:
                break
        if section is None:
            snap.lists[key] = None
            snap.absent[key] = f"the download has no {names[0]} list"
        else:
            snap.lists[key] = _people(section, inner, where, names[0])
    snap.lists["outgoing_requests"] = None
    snap.absent["outgoing_requests"] = "TikTok's download does not list follow requests sent"
    _settings(root, where, snap)
    for path in _PROFILES:
        profile = _get(root, *path, "ProfileMap")
        if isinstance(profile, dict):
            user = common.pick(profile, ["userName"])
            if user is not None:
                snap.username = common.username(user[1], where, "the profile's userName")
            break
    snap.by_hand += [
        "categories of followers and followed accounts (whether one is a parent, a pupil...)",
        "admins (who else has the login), mfa and bio",
    ]
    return snap
