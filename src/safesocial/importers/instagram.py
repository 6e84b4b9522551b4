"""Instagram's "Download your information" in JSON, in every layout in use.

2022 and earlier: followers_and_following/followers.json, wrapped in
{"relationships_followers": [...]}, and account_information/personal_information.json.
Newer: followers_1.json (followers_2.json...), a bare list, under
connections/followers_and_following/ (or followers_and_following/ at the top), and
personal_information/personal_information/personal_information.json. Files are found by
name, not folder. Full downloads since 2024 also carry the Threads profile under
your_instagram_activity/threads/, with files of the same names: those are another
profile's, and never read as Instagram's. Usernames only, no ids; labels are in the
export's language and change case between versions, so they are compared without case.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from safesocial.errors import ImportProblem
from safesocial.importers import common
from safesocial.importers.archive import Export
from safesocial.importers.detect import not_this_kind
from safesocial.importers.snapshot import Seen, Setting, Snapshot
from safesocial.text import plural

_PART = re.compile(r"followers_(\d+)\.json")
_HREF = re.compile(r"(?:instagram\.com|threads\.net)/(?:_u/)?([^/?#]+)")
_PRIVACY = {"switched to private": True, "switched to public": False}
# The list files read, beyond followers: (snapshot list, file names, wrapper key).
_LISTS = (
    ("following", ("following.json",), "relationships_following"),
    ("outgoing_requests", ("pending_follow_requests.json",), "relationships_follow_requests_sent"),
    ("incoming_requests", ("follow_requests_you've_received.json",),
     "relationships_follow_requests_received"),
    ("close_friends", ("close_friends.json",), "relationships_close_friends"),
    ("blocked", ("blocked_profiles.json", "blocked_accounts.json"), "relationships_blocked_users"),
    ("restricted", ("restricted_profiles.json", "restricted_accounts.json"),
     "relationships_restricted_users"),
)  # fmt: skip
# Instagram's "Comments allowed from" values, as the account file's comments_from.
_COMMENTS = {"everyone": "everyone", "people you follow": "following",
             "your followers": "followers", "people you follow and your followers":
             "followers_and_following", "off": "nobody", "no one": "nobody"}  # fmt: skip


def _is_threads(name: str) -> bool:
    return "threads" in PurePosixPath(name).parts[:-1]


def _find(export: Export, *basenames: str) -> list[str]:
    """Instagram's own files of these names: never the Threads profile's copies."""
    return [n for n in export.find(*basenames) if not _is_threads(n)]


def detect(export: Export) -> bool:
    return bool(
        export.matching(
            re.compile(
                r"(personal_information|followers(_\d+)?|following|pending_follow_requests)"
                r"\.(json|html)"
            )
        )
    )


def _username_of(entry: dict[str, Any], where: str, number: int) -> str:
    data = entry.get("string_list_data")
    first = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else {}
    # Newer following.json keeps the name in "title" and leaves "value" out.
    raw = first.get("value") or entry.get("title")
    if not raw and isinstance(first.get("href"), str):
        match = _HREF.search(first["href"])
        raw = match[1] if match else None
    if not raw and isinstance(entry.get("label_values"), list):
        raw = _label_value(entry["label_values"], "Username")
    if not isinstance(raw, str) or not raw:
        raise ImportProblem(
            f"{where}: entry {number} has no username (expected string_list_data[0].value, "
            f"title, an instagram.com link or a Username label; found {common.keys_of(entry)})"
        )
    return common.username(common.fix_meta_text(raw), where, f"entry {number}'s username")


def _label_value(pairs: list[Any], label: str) -> Any:
    for pair in pairs:
        if isinstance(pair, dict) and str(pair.get("label", "")).casefold() == label.casefold():
            return pair.get("value")
    return None


def _handle(entry: Any, where: str, number: int) -> Seen:
    if not isinstance(entry, dict):
        raise ImportProblem(f"{where}: entry {number} is not an object; unknown format")
    handle = _username_of(entry, where, number)
    data = entry.get("string_list_data")
    first = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else {}
    stamp = first.get("timestamp", entry.get("timestamp"))
    return Seen(handle=handle, on=common.epoch_date(stamp))


def _list(export: Export, name: str, key: str) -> list[Seen]:
    where = export.where(name)
    data = common.load_json(export, name)
    # Meta's newer shape: one object (or a list of them) of label/value pairs.
    if isinstance(data, dict) and "label_values" in data:
        data = [data]
    elif isinstance(data, dict):
        found = common.pick(data, [key])
        if found is None:
            raise ImportProblem(
                f"{where}: expected {key!r} at the top, found {common.keys_of(data)}; "
                "this export's format is one safesocial does not know"
            )
        data = found[1]
    entries = common.expect(data, list, where, "the list of accounts")
    return [_handle(e, where, n) for n, e in enumerate(entries, 1)]


def _part_number(name: str) -> tuple[int, str]:
    """followers_12.json's number as a sort key, compared as digits and never converted
    (a hostile name can hold more digits than int() accepts)."""
    match = _PART.fullmatch(name.rsplit("/", 1)[-1].lower())
    digits = match[1].lstrip("0") if match else ""
    return len(digits), digits


def _followers(export: Export) -> list[Seen] | None:
    parts = [n for n in export.matching(_PART) if not _is_threads(n)]
    older = _find(export, "followers.json")
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
    """The string_map_data of each entry under `key`, labels repaired and folded to lower
    case (Instagram writes "Comments Allowed From" one year, "Comments allowed from" the
    next); "__title__" holds the entry's title."""
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
        fixed = {common.fix_meta_text(str(k)).casefold(): v for k, v in raw.items()}
        fixed["__title__"] = entry.get("title") if isinstance(entry, dict) else None
        fixed["__labels__"] = [common.fix_meta_text(str(k)) for k in raw]
        maps.append(fixed)
    return maps


def _value(field: Any) -> Any:
    value = field.get("value") if isinstance(field, dict) else None
    return common.fix_meta_text(value) if isinstance(value, str) else value


def _personal(export: Export, snap: Snapshot) -> None:
    name = common.one_file(
        export, _find(export, "personal_information.json"), "personal_information.json"
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
    if "username" not in labels:
        shown = ", ".join(repr(k) for k in labels.get("__labels__", [])) or "none"
        raise ImportProblem(
            f"{where}: no 'Username' label (found {shown}); safesocial reads the English "
            "download only. Set Instagram's language to English, request the download again "
            "in JSON, and import that"
        )
    snap.username = common.username(_value(labels["username"]), where, "Username")
    private = _value(labels.get("private account"))
    if isinstance(private, str) and private.strip().lower() in ("true", "false"):
        value = private.strip().lower() == "true"
        snap.protected = Setting(
            value, f"personal_information.json says Private Account: {private}"
        )
    elif private is not None:
        raise ImportProblem(
            f"{where}: 'Private Account' is {private!r}; expected 'True' or 'False'"
        )
    bio = _value(labels.get("bio"))
    if isinstance(bio, str):
        snap.bio = Setting(
            common.clean(bio, where, "Bio"), "personal_information.json gives the Bio"
        )


def _comments(export: Export, snap: Snapshot) -> None:
    name = common.one_file(
        export, _find(export, "comments_allowed_from.json"), "comments_allowed_from.json"
    )
    if name is None:
        return
    where = export.where(name)
    maps = _string_map(export, name, "settings_allow_comments_from")
    raw = _value(maps[0].get("comments allowed from")) if maps else None
    value = _COMMENTS.get(raw.strip().casefold()) if isinstance(raw, str) else None
    if value is None:
        raise ImportProblem(
            f"{where}: 'Comments allowed from' is {common.short(raw)}; expected Everyone, "
            "People you follow, Your followers, People you follow and your followers, or Off"
        )
    snap.comments_from = Setting(value, f"comments_allowed_from.json says {raw}")


def _privacy_history(export: Export) -> Setting | None:
    name = common.one_file(
        export, _find(export, "account_privacy_changes.json"), "account_privacy_changes.json"
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
        time = fields.get("time")
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
        [n for n in export.matching(_PART) if not _is_threads(n)]
        or _find(export, "followers.json", "following.json", "personal_information.json")
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
    snap = Snapshot.of("instagram")
    _personal(export, snap)
    if snap.protected.value is None:
        snap.protected = _privacy_history(export) or Setting(
            None, "the download does not say whether the account is private"
        )
    _comments(export, snap)
    snap.lists["followers"] = _followers(export)
    for key, files, inner in _LISTS:
        name = common.one_file(export, _find(export, *files), files[0])
        snap.lists[key] = None if name is None else _list(export, name, inner)
    missing = (
        "Instagram leaves the file out when it would be empty, or when that part was not selected"
    )
    for key, file in (("followers", "followers_1.json"), *((k, f[0]) for k, f, _ in _LISTS)):
        if snap.lists[key] is None:
            snap.absent[key] = f"the download has no {file} ({missing})"
    for key, word in (("blocked", "blocked"), ("restricted", "restricted")):
        seen = snap.lists.pop(key)
        snap.absent.pop(key, None)
        if seen:
            snap.facts.append(
                f"the account has {plural(len(seen), f'{word} account')} "
                f"({key}_profiles.json); safesocial does not keep that list"
            )
    if any(_is_threads(n) for n in export.names):
        snap.facts.append(
            "the download also holds the Threads profile (your_instagram_activity/threads/): "
            "a separate profile with its own privacy setting and requests, not read; keep "
            "an account file for it if the school uses Threads"
        )
    snap.dm_from = Setting(None, "Instagram's download does not hold who can message the account")
    snap.by_hand += [
        "dm_from: the download does not hold Instagram's message controls",
        "categories of followers and followed accounts (whether one is a parent, a pupil...)",
        "admins (who can log in or manage the account) and mfa",
    ]
    return snap
