"""Merge an export's snapshot into an account file's document.

The rule is that nothing a person typed is lost. An entry in followers, following or
outgoing_requests that the export still shows is kept as it is, whatever hand-typed keys
it has (category, pupil, approval, note, anything unknown); an entry is matched by the
platform's id first, then by handle without regard to case, so a renamed account keeps
its category and approval. New accounts arrive with category `unknown`. An entry the
export no longer shows is removed and listed in the summary with what it held; an entry
that cannot be compared with this export (a follower typed by handle, against X's ids)
is kept and listed too. Keys the export says nothing about are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from safesocial.documents import resources, yamlwrite
from safesocial.documents.yamlio import YMap
from safesocial.errors import ImportProblem
from safesocial.importers.snapshot import LISTS, Seen, Setting, Snapshot
from safesocial.model.approvals import norm_handle

MISSING: Any = object()


def account_order() -> list[str]:
    return list(resources.schema("account.schema.json")["properties"])


def _entry_order() -> list[str]:
    props = resources.schema("account.schema.json")["properties"]
    return list(props["followers"]["items"]["properties"])


def id_of(entry: Any) -> str | None:
    value = entry.get("id") if isinstance(entry, dict) else None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value).strip() or None


def handle_of(entry: Any) -> str | None:
    value = entry.get("handle") if isinstance(entry, dict) else None
    if not isinstance(value, str):
        return None
    return norm_handle(value) or None


def label(entry: Any) -> str:
    handle = entry.get("handle") if isinstance(entry, dict) else None
    if isinstance(handle, str) and handle.strip():
        return handle.strip()
    ident = id_of(entry)
    return f"id {ident}" if ident else "an entry with neither handle nor id"


@dataclass
class ListChange:
    key: str
    absent: str | None = None  # why the export does not hold this list (left untouched)
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[Any] = field(default_factory=list)
    unmatched: list[Any] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    same_name: list[str] = field(default_factory=list)  # names the export lists twice or more
    kept: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.renamed)


@dataclass
class SettingChange:
    key: str
    before: Any
    after: Any
    why: str
    known: bool

    @property
    def changed(self) -> bool:
        return self.known and not (
            self.before is not MISSING and yamlwrite.same(self.before, self.after)
        )


@dataclass
class AccountMerge:
    merged: dict[str, Any]
    lists: list[ListChange]
    settings: list[SettingChange]
    origin: dict[int, Any]  # id() of a changed entry -> the entry it replaces
    warnings: list[str]


def _check_identity(doc: YMap, snap: Snapshot) -> list[str]:
    platform, handle = doc.get("platform"), doc.get("handle")
    if platform != snap.platform:
        raise ImportProblem(
            f"{doc.loc('platform')}: this file is for a {platform} account (platform: "
            f"{platform}), but {snap.label} is from {snap.platform}; import it into that "
            "account's file"
        )
    if not isinstance(handle, str) or not handle.strip():
        raise ImportProblem(f"{doc.loc()}: the file has no handle; add the account's handle")
    mine = norm_handle(handle)
    for title, slug in snap.managed:
        if mine in (norm_handle(title), norm_handle(slug or "")):
            raise ImportProblem(
                f"{doc.loc('handle')}: {handle} is a Page that the person whose download this "
                "is manages; the download's followers are that person's own, not the Page's, "
                "and no Facebook download holds a Page's followers. Keep this file's "
                "followers by hand"
            )
    if snap.username is None:
        return [
            f"{snap.label} does not name its account, so it could not be checked to be {handle}"
        ]
    if norm_handle(snap.username) != mine:
        raise ImportProblem(
            f"{doc.loc('handle')}: this file is for {handle}, but {snap.label} is of "
            f"{snap.username}; import it into that account's file (or correct handle: here "
            "if the account was renamed)"
        )
    return []


def _existing(doc: YMap, key: str) -> list[Any]:
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportProblem(f"{doc.loc(key)}: {key} should be a list; fix it before importing")
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            where = value.loc(index) if hasattr(value, "loc") else doc.loc(key)
            raise ImportProblem(
                f"{where}: {key} entry {index + 1} should be a mapping such as "
                '{handle: "@name", category: parent}; fix it before importing'
            )
    return value


def _updated(entry: dict[str, Any], seen: Seen, change: ListChange) -> dict[str, Any]:
    """The entry with what the export newly knows (an id, a handle, a new handle)."""
    order = _entry_order()
    out = entry
    if seen.id and id_of(entry) is None:
        out = yamlwrite.with_key(out, "id", seen.id, order)
    if seen.handle:
        typed = entry.get("handle")
        if not isinstance(typed, str):
            out = yamlwrite.with_key(out, "handle", seen.handle, order)
        elif seen.id and norm_handle(typed) != norm_handle(seen.handle):
            change.renamed.append((typed, seen.handle))
            out = yamlwrite.with_key(out, "handle", seen.handle, order)
    return out


def merge_list(
    key: str, old: list[Any], seen: list[Seen], match_by: str
) -> tuple[list[Any], ListChange, dict[int, Any]]:
    change = ListChange(key)
    by_id: dict[str, list[int]] = {}
    by_handle: dict[str, list[int]] = {}
    for index, entry in enumerate(old):
        if (ident := id_of(entry)) is not None:
            by_id.setdefault(ident, []).append(index)
        if (handle := handle_of(entry)) is not None:
            by_handle.setdefault(handle, []).append(index)
    matched: dict[int, Seen] = {}
    new: list[Seen] = []
    done: set[tuple[str, str]] = set()
    for one in seen:
        token = ("id", one.id) if one.id else ("handle", norm_handle(one.handle or ""))
        if token in done:
            if match_by != "name":
                continue  # the export lists it twice (across followers_1 and _2, say)
            # A display name (Facebook) can be two people: keep each, and say so once.
            if one.handle and one.handle not in change.same_name:
                change.same_name.append(one.handle)
        done.add(token)
        hits = [i for i in by_id.get(one.id, []) if i not in matched] if one.id else []
        if not hits and one.handle:
            hits = [
                i
                for i in by_handle.get(norm_handle(one.handle), [])
                if i not in matched and (one.id is None or id_of(old[i]) is None)
            ]
        if match_by == "name":
            hits = hits[:1]  # one entry per person the export lists
        elif len(hits) > 1:
            change.duplicates.append(label(old[hits[0]]))
        for i in hits:
            matched[i] = one
        if not hits:
            new.append(one)
    result: list[Any] = []
    origin: dict[int, Any] = {}
    for index, entry in enumerate(old):
        if index in matched:
            updated = _updated(entry, matched[index], change)
            if updated is not entry:
                origin[id(updated)] = entry
            result.append(updated)
            change.kept += 1
        elif (id_of(entry) if match_by == "id" else handle_of(entry)) is not None:
            change.removed.append(entry)
        else:
            change.unmatched.append(entry)
            result.append(entry)
    for one in new:
        fresh: dict[str, Any] = {}
        if one.handle:
            fresh["handle"] = one.handle
        if one.id:
            fresh["id"] = one.id
        fresh["category"] = "unknown"
        if one.on:
            fresh["on"] = one.on
        result.append(fresh)
        change.added.append(fresh)
    if not (change.added or change.removed or origin):
        return old, change, {}
    return result, change, origin


def _setting(doc: YMap, key: str, setting: Setting) -> SettingChange:
    before = doc.get(key, MISSING)
    if setting.value is None:
        return SettingChange(key, before, before, setting.why, known=False)
    return SettingChange(key, before, setting.value, setting.why, known=True)


def merge_account(doc: Any, shown: str, snap: Snapshot, observed_on: date) -> AccountMerge:
    if not isinstance(doc, YMap):
        raise ImportProblem(f"{shown}: expected an account file (a mapping of keys to values)")
    warnings = _check_identity(doc, snap)
    typed_on = doc.get("observed_on")
    if isinstance(typed_on, str) and typed_on > observed_on.isoformat():
        raise ImportProblem(
            f"{doc.loc('observed_on')}: the file already shows the account as it was on "
            f"{typed_on}, newer than this export ({observed_on}); importing it would turn the "
            "clock back. Download a new export (or give --observed-on if its date is wrong)"
        )
    order = account_order()
    merged: dict[str, Any] = dict(doc)
    lists: list[ListChange] = []
    origin: dict[int, Any] = {}
    for key in LISTS:
        if key not in snap.lists:
            continue  # a list this platform never has (close friends on X): not mentioned
        seen = snap.lists[key]
        if seen is None:
            lists.append(ListChange(key, absent=snap.absent.get(key, "not in the export")))
            continue
        old = _existing(doc, key)
        new, change, changed = merge_list(key, old, seen, snap.match_by)
        origin.update(changed)
        lists.append(change)
        if new is not old:
            merged = yamlwrite.with_key(merged, key, new, order)
    settings = [_setting(doc, key, setting) for key, setting in snap.settings()]
    for setting in settings:
        if setting.changed:
            merged = yamlwrite.with_key(merged, setting.key, setting.after, order)
    for key, value in (("observed_on", observed_on.isoformat()), ("source", snap.source)):
        if not yamlwrite.same(doc.get(key), value):
            merged = yamlwrite.with_key(merged, key, value, order)
        settings.append(SettingChange(key, doc.get(key, MISSING), value, "", known=True))
    return AccountMerge(merged, lists, settings, origin, warnings)
