"""The X (Twitter) archive: data/*.js files, each `window.YTD.<name>.partN = [...]`.

What it holds and what it does not is in docs/importing.md. In short: followers and
followed accounts by numeric id only (no handles), the account's creation date, and the
protect/unprotect toggles of the last six months only; never the DM setting.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from safesocial.errors import ImportProblem
from safesocial.importers import common
from safesocial.importers.archive import Export
from safesocial.importers.detect import not_this_kind
from safesocial.importers.snapshot import Seen, Setting, Snapshot
from safesocial.text import plural

# A data type, as the manifest names it: the file stem and the key wrapping each entry.
_TYPES = {
    "account": ("account", "account"),
    "follower": ("follower", "follower"),
    "following": ("following", "following"),
    "protectedHistory": ("protected-history", "protectedHistory"),
    "directMessageHeaders": ("direct-message-headers", "dmConversation"),
    "directMessageGroupHeaders": ("direct-message-group-headers", "dmConversation"),
    # 2026: XChat, the encrypted DMs; a conversation may be here and not in the headers.
    "messageEvent": ("message-event", "messageEvent"),
}
# Without these the import would be wrong, not just less complete: refuse when the
# manifest lists them and the archive lacks them.
_REQUIRED = ("follower", "following")
_YTD = re.compile(r"window\.YTD\.\w+\.part\d+")
_MANIFEST = re.compile(r"window\.__THAR_CONFIG")
# X keeps protect/unprotect toggles for six months; an account younger than that that
# never toggled is still public, as every account starts.
_HISTORY_DAYS = 183


def detect(export: Export) -> bool:
    return bool(export.find("manifest.js")) and bool(
        export.matching(re.compile(r"(account|follower|following|tweets?)\.js"))
    )


def _part(name: str) -> tuple[int, str]:
    """The part number in follower-part12.js as a sort key, compared as digits (by
    length, then digit by digit) and never converted: a hostile name with thousands of
    digits would be past what int() accepts."""
    digits = re.sub(r"\D", "", name).lstrip("0")
    return len(digits), digits


def _fold(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _parse(export: Export, name: str, prefix: re.Pattern[str], example: str) -> Any:
    text = export.text(name)
    where = export.where(name)
    head, eq, body = text.partition("=")
    if not eq or not prefix.fullmatch(head.strip()):
        raise ImportProblem(
            f"{where}: expected the file to start `{example} =`, as every file in an X "
            f"archive does; it starts {head.strip()[:40]!r}"
        )
    # Everything after the first '=' is JSON (timelinize and twitter-to-sqlite agree).
    return common.parse_json(body.strip().rstrip(";"), where)


def _count(item: Any) -> int | None:
    try:
        return int(item.get("count"))
    except (TypeError, ValueError):
        return None


class _Archive:
    def __init__(self, export: Export) -> None:
        self.export = export
        manifests = [
            n for n in export.find("manifest.js") if PurePosixPath(n).parent.name == "data"
        ]
        found = common.one_file(export, manifests, "data/manifest.js")
        if found is None:
            raise not_this_kind(export, "an X archive", "data/manifest.js")
        self.manifest_name = found
        self.root = found[: -len("data/manifest.js")]
        manifest = _parse(export, found, _MANIFEST, "window.__THAR_CONFIG")
        self.manifest: dict[str, Any] = common.expect(
            manifest, dict, export.where(found), "the manifest"
        )
        types = self.manifest.get("dataTypes", {})
        self.types = {_fold(k): v for k, v in types.items()} if isinstance(types, dict) else {}
        self.missing: list[str] = []  # files the manifest lists that the archive lacks

    def files(self, kind: str) -> list[str] | None:
        """The data files of one type, from the manifest, else by the names X has used.

        A file the manifest lists with entries that the archive lacks (owners remove
        files before sharing an archive) refuses the import for followers and following;
        for the others it is a warning, and the type counts as not in the archive."""
        stem = _TYPES[kind][0]
        listed = self.types.get(_fold(kind))
        if isinstance(listed, dict) and isinstance(listed.get("files"), list):
            names = []
            for item in listed["files"]:
                file = item.get("fileName") if isinstance(item, dict) else None
                if not isinstance(file, str):
                    continue
                name = self.root + file.lstrip("/")
                if name in self.export.names:
                    names.append(name)
                elif _count(item) == 0:
                    continue  # listed as empty: nothing is missing
                elif kind in _REQUIRED:
                    raise ImportProblem(
                        f"{self.export.where(self.manifest_name)}: the manifest lists {file}, "
                        "but the archive does not hold it; the download is incomplete"
                    )
                else:
                    self.missing.append(file)
                    return None
            if names:
                return names
        pattern = re.compile(rf"{re.escape(stem)}s?(?:-part(\d+))?\.js")
        data = self.root + "data/"
        names = [
            n
            for n in self.export.names
            if n.startswith(data)
            and "/" not in n[len(data) :]
            and pattern.fullmatch(n[len(data) :])
        ]
        return sorted(names, key=lambda n: _part(n[len(data) :])) or None

    def declared_count(self, kind: str) -> int | None:
        listed = self.types.get(_fold(kind))
        if not isinstance(listed, dict) or not isinstance(listed.get("files"), list):
            return None
        try:
            return sum(int(f.get("count", 0)) for f in listed["files"] if isinstance(f, dict))
        except (TypeError, ValueError):
            return None

    def entries(self, kind: str) -> tuple[list[dict[str, Any]], str] | None:
        """Each entry's inner object (the part under its wrapper key) and how to name the
        file in messages; None when the archive does not hold this type."""
        names = self.files(kind)
        if not names:
            return None
        wrapper = _TYPES[kind][1]
        out: list[dict[str, Any]] = []
        for name in names:
            where = self.export.where(name)
            items = common.expect(
                _parse(self.export, name, _YTD, "window.YTD.<name>.part0"),
                list,
                where,
                "the data after '='",
            )
            for number, item in enumerate(items, 1):
                inner = item.get(wrapper) if isinstance(item, dict) else None
                if not isinstance(inner, dict):
                    raise ImportProblem(
                        f"{where}: entry {number} has no '{wrapper}' object (found "
                        f"{common.keys_of(item)}); this archive's format is one safesocial "
                        "does not know"
                    )
                out.append(inner)
        return out, self.export.where(names[0])


def _ids(archive: _Archive, kind: str, snap: Snapshot) -> list[Seen] | None:
    found = archive.entries(kind)
    if found is None:
        return None
    entries, where = found
    seen = [Seen(id=common.account_id(e.get("accountId"), where, "an accountId")) for e in entries]
    declared = archive.declared_count(kind)
    if declared is not None and declared != len(seen):
        snap.warnings.append(
            f"the manifest counts {declared} {kind} entries but the files hold {len(seen)}; "
            "the archive may be incomplete"
        )
    return seen


def _protected(archive: _Archive, generated: date, created: date | None) -> Setting:
    found = archive.entries("protectedHistory")
    if found is None:
        return Setting(None, "the archive has no protected-history.js, so it does not say")
    history, where = found
    changes = []
    for entry in history:
        when = common.iso_date(entry.get("protectedAt"), where, "protectedAt")
        action = entry.get("action")
        if action not in ("Protect", "Unprotect"):
            raise ImportProblem(
                f"{where}: action is {action!r}; safesocial knows 'Protect' and 'Unprotect'"
            )
        changes.append((when, action == "Protect"))
    if changes:
        when, value = max(changes, key=lambda c: c[0])
        word = "Protect" if value else "Unprotect"
        return Setting(value, f"the newest protected-history entry is {word} on {when}")
    if created is not None and (generated - created).days < _HISTORY_DAYS:
        return Setting(
            False,
            f"the account was created on {created}, less than six months before the archive, "
            "and has never been protected (X accounts start public)",
        )
    return Setting(
        None,
        "X keeps protect/unprotect changes for six months only and there were none, so the "
        "archive does not say whether the account is protected",
    )


def _conversation_key(value: Any) -> str | None:
    """A conversation's id, the same whichever file names it: the headers write
    '111-222', XChat's message events '111:222' (a group: one number)."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    return "-".join(sorted(re.split(r"[-:]", str(value).strip())))


def _conversations(archive: _Archive, snap: Snapshot) -> None:
    """Count the DM conversations, one-to-one and group, including XChat's (2026), each
    once; only their ids are used, never a message."""
    found: set[str] = set()
    any_file = False
    for kind in ("directMessageHeaders", "directMessageGroupHeaders", "messageEvent"):
        entries = archive.entries(kind)
        if entries is None:
            continue
        any_file = True
        for entry in entries[0]:
            key = _conversation_key(entry.get("conversationId"))
            if key is None:
                raise ImportProblem(
                    f"{entries[1]}: an entry without a conversationId; this archive's format "
                    "is one safesocial does not know"
                )
            found.add(key)
    if any_file:
        count = len(found)
        snap.facts.append(
            f"the archive shows {plural(count, 'direct-message conversation')}"
            "; record any with a pupil under dm_threads by hand"
        )


def read(export: Export) -> Snapshot:
    archive = _Archive(export)
    where = export.where(archive.manifest_name)
    info = archive.manifest.get("archiveInfo")
    info = info if isinstance(info, dict) else {}
    user = archive.manifest.get("userInfo")
    user = user if isinstance(user, dict) else {}
    if "generationDate" not in info:
        raise ImportProblem(
            f"{where}: no archiveInfo.generationDate; this archive's format is one safesocial "
            "does not know (expected the manifest of an X 'Download an archive of your data')"
        )
    generated = common.iso_date(info["generationDate"], where, "archiveInfo.generationDate")
    snap = Snapshot.of("x-archive")
    snap.observed_on = generated
    snap.date_why = "the archive's generationDate"
    if info.get("isPartialArchive") is True:
        snap.warnings.append("X marks this archive as partial; some data may be missing")

    accounts, account_where = archive.entries("account") or ([], where)
    account = accounts[0] if accounts else {}
    name = account.get("username", user.get("userName"))
    if name is not None:
        snap.username = common.username(name, account_where, "the account's username")
    created = None
    if "createdAt" in account:
        created = common.iso_date(account["createdAt"], account_where, "createdAt")

    for key, kind in (("followers", "follower"), ("following", "following")):
        snap.lists[key] = _ids(archive, kind, snap)
        if snap.lists[key] is None:
            snap.absent[key] = f"the archive has no {_TYPES[kind][0]}.js"
    snap.lists["outgoing_requests"] = None
    snap.absent["outgoing_requests"] = "X's archive does not list follow requests the account sent"
    snap.protected = _protected(archive, generated, created)
    snap.dm_from = Setting(None, "X's archive does not hold the direct-message setting")

    _conversations(archive, snap)
    if archive.missing:
        snap.warnings.append(
            "the manifest lists " + ", ".join(archive.missing) + ", but the archive does not "
            "hold it (removed before it was shared?); what it holds was not read"
        )
    snap.by_hand += [
        "dm_from: X's archive does not hold who may send the account direct messages",
        "handles and categories of followers and followed accounts: the archive gives "
        "numeric ids only (open x.com/intent/user?user_id=ID to see who one is)",
        "admins, mfa and bio",
    ]
    return snap
