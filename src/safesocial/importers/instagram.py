"""Instagram's "Download your information" in JSON, in either layout.

2022 and earlier: followers_and_following/followers.json, wrapped in
{"relationships_followers": [...]}, and account_information/personal_information.json.
Newer: connections/followers_and_following/followers_1.json (followers_2.json...), a bare
list, and personal_information/personal_information/personal_information.json. Files are
found by name, not folder. Usernames only, no ids; labels are in the export's language.
"""

from __future__ import annotations

import re
from typing import Any

from safesocial.importers import common
from safesocial.importers.archive import Export
from safesocial.importers.detect import not_this_kind
from safesocial.importers.errors import ImportProblem
from safesocial.importers.snapshot import Seen, Setting, Snapshot

_PART = re.compile(r"followers_(\d+)\.json")
_HREF = re.compile(r"instagram\.com/(?:_u/)?([^/?#]+)")
_PRIVACY = {"switched to private": True, "switched to public": False}


def _handle(entry: Any, where: str, number: int) -> Seen:
    if not isinstance(entry, dict):
        raise ImportProblem(f"{where}: entry {number} is not an object; unknown format")
    data = entry.get("string_list_data")
    first = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else {}
    # Newer following.json keeps the name in "title" and leaves "value" out.
    raw = first.get("value") or entry.get("title")
    if not raw and isinstance(first.get("href"), str):
        match = _HREF.search(first["href"])
        raw = match[1] if match else None
    if not isinstance(raw, str) or not raw:
        raise ImportProblem(
            f"{where}: entry {number} has no username (expected string_list_data[0].value, "
            f"title or an instagram.com link; found {common.keys_of(entry)})"
        )
    handle = common.username(common.fix_meta_text(raw), where, f"entry {number}'s username")
    return Seen(handle=handle, on=common.epoch_date(first.get("timestamp")))


def _list(export: Export, name: str, key: str) -> list[Seen]:
    where = export.where(name)
    data = common.load_json(export, name)
    if isinstance(data, dict):
        found = common.pick(data, [key])
        if found is None:
            raise ImportProblem(
                f"{where}: expected {key!r} at the top, found {common.keys_of(data)}; "
                "this export's format is one safesocial does not know"
            )
        data = found[1]
    entries = common.expect(data, list, where, "the list of accounts")
    return [_handle(e, where, n) for n, e in enumerate(entries, 1)]


def _part_number(name: str) -> int:
    match = _PART.fullmatch(name.rsplit("/", 1)[-1].lower())
    return int(match[1]) if match else 0


def _followers(export: Export) -> list[Seen] | None:
    parts = export.matching(_PART)
    older = export.find("followers.json")
    if parts and older:
        raise ImportProblem(
            f"{export.shown}: holds both followers.json and followers_1.json (the older and "
            "newer layouts); is this two downloads in one? Import each on its own"
        )
    if not parts:
        name = common.one_file(export, older, "followers.json")
        return None if name is None else _list(export, name, "relationships_followers")
    parts.sort(key=_part_number)
    return [s for name in parts for s in _list(export, name, "relationships_followers")]


def _string_map(export: Export, name: str, key: str) -> list[dict[str, Any]]:
    """The string_map_data of each entry under `key`, with labels and values repaired."""
    where = export.where(name)
    data = common.expect(common.load_json(export, name), dict, where, "the file")
    found = common.pick(data, [key])
    if found is None:
        raise ImportProblem(
            f"{where}: expected {key!r} at the top, found {common.keys_of(data)}; "
            "this export's format is one safesocial does not know"
        )
    maps = []
    for entry in common.expect(found[1], list, where, key):
        raw = entry.get("string_map_data") if isinstance(entry, dict) else None
        raw = raw if isinstance(raw, dict) else {}
        fixed = {common.fix_meta_text(str(k)): v for k, v in raw.items()}
        fixed["__title__"] = entry.get("title") if isinstance(entry, dict) else None
        maps.append(fixed)
    return maps


def _value(field: Any) -> Any:
    value = field.get("value") if isinstance(field, dict) else None
    return common.fix_meta_text(value) if isinstance(value, str) else value


def _personal(export: Export, snap: Snapshot) -> None:
    name = common.one_file(
        export, export.find("personal_information.json"), "personal_information.json"
    )
    if name is None:
        snap.warnings.append(
            "the download has no personal_information.json, so neither the account's "
            "username nor whether it is private could be checked"
        )
        return
    where = export.where(name)
    maps = _string_map(export, name, "profile_user")
    labels = maps[0] if maps else {}
    if "Username" not in labels:
        shown = ", ".join(repr(k) for k in labels if k != "__title__") or "none"
        raise ImportProblem(
            f"{where}: no 'Username' label (found {shown}); safesocial reads the English "
            "download only. Set Instagram's language to English, request the download again "
            "in JSON, and import that"
        )
    snap.username = common.username(_value(labels["Username"]), where, "Username")
    private = _value(labels.get("Private Account"))
    if isinstance(private, str) and private.strip().lower() in ("true", "false"):
        value = private.strip().lower() == "true"
        snap.protected = Setting(
            value, f"personal_information.json says Private Account: {private}"
        )
    elif private is not None:
        raise ImportProblem(
            f"{where}: 'Private Account' is {private!r}; expected 'True' or 'False'"
        )


def _privacy_history(export: Export) -> Setting | None:
    name = common.one_file(
        export, export.find("account_privacy_changes.json"), "account_privacy_changes.json"
    )
    if name is None:
        return None
    where = export.where(name)
    changes = []
    for fields in _string_map(export, name, "account_history_account_privacy_history"):
        title = fields["__title__"]
        if not isinstance(title, str) or title.strip().lower() not in _PRIVACY:
            raise ImportProblem(
                f"{where}: a change titled {title!r}; expected 'Switched to Private' or "
                "'Switched to Public' (an English download)"
            )
        time = fields.get("Time")
        stamp = time.get("timestamp") if isinstance(time, dict) else None
        changes.append((stamp if isinstance(stamp, int) else 0, _PRIVACY[title.strip().lower()]))
    if not changes:
        return None
    stamp, value = max(changes)
    when = common.epoch_date(stamp) or "an unknown date"
    word = "private" if value else "public"
    return Setting(value, f"the newest privacy change switched the account to {word} on {when}")


def read(export: Export) -> Snapshot:
    if not (
        export.matching(_PART)
        or export.find("followers.json", "following.json", "personal_information.json")
    ):
        html = export.matching(
            re.compile(r"(followers(_\d+)?|following|personal_information)\.html")
        )
        if html:
            raise ImportProblem(
                f"{export.shown}: this Instagram download is in HTML ({html[0]}); request it "
                "again choosing the JSON format, and import that"
            )
        raise not_this_kind(
            export, "an Instagram download", "followers_1.json (or followers.json) in JSON"
        )
    snap = Snapshot(source="instagram", label="the Instagram download", platform="instagram",
                    match_by="handle")  # fmt: skip
    _personal(export, snap)
    if snap.protected.value is None:
        snap.protected = _privacy_history(export) or Setting(
            None, "the download does not say whether the account is private"
        )
    snap.lists["followers"] = _followers(export)
    for key, file, inner in (
        ("following", "following.json", "relationships_following"),
        ("outgoing_requests", "pending_follow_requests.json", "relationships_follow_requests_sent"),
    ):
        name = common.one_file(export, export.find(file), file)
        snap.lists[key] = None if name is None else _list(export, name, inner)
    missing = (
        "Instagram leaves the file out when it would be empty, or when that part was not selected"
    )
    for key, file in (
        ("followers", "followers_1.json"),
        ("following", "following.json"),
        ("outgoing_requests", "pending_follow_requests.json"),
    ):
        if snap.lists[key] is None:
            snap.absent[key] = f"the download has no {file} ({missing})"
    snap.dm_from = Setting(None, "Instagram's download does not hold who can message the account")
    snap.by_hand += [
        "dm_from: the download does not hold Instagram's message controls",
        "categories of followers and followed accounts (whether one is a parent, a pupil...)",
        "admins (who can log in or manage the account), mfa and bio",
    ]
    return snap
