"""One import from start to end: read the export, merge, write (or not), summarise.

Returns the summary and the diff as text; the CLI prints them. Nothing here touches the
network, and the only file written is the one named by --into, atomically.
"""

from __future__ import annotations

import difflib
import os
import stat
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from safesocial.atomic import write_atomic
from safesocial.dates import parse_day
from safesocial.documents import validate, yamledit, yamlio, yamlwrite
from safesocial.errors import ImportProblem, InputProblem, UsageError
from safesocial.importers import common, mapping, platforms, records, summary
from safesocial.importers.archive import Export, open_export
from safesocial.importers.merge import merge_account
from safesocial.importers.snapshot import Snapshot
from safesocial.text import plural


@dataclass(frozen=True)
class Outcome:
    report: str  # the summary, for the terminal
    diff: str  # the change to the file, as a unified diff ('' when none)
    changed: bool
    written: bool
    read: tuple[str, ...] = ()  # the files read, for --verbose


def not_read(export: Export) -> list[str]:
    """The files beside those read (in the same folders) that were not read, for the
    summary: what the importer passed over is said, never skipped in silence."""
    read = set(export.read_names)
    folders = {name.rpartition("/")[0] for name in read}
    unread = [
        name for name in export.names
        if name not in read and name.rpartition("/")[0] in folders
    ]  # fmt: skip
    if not unread:
        return []
    shown = ", ".join(unread[: summary.MAX_LISTED])
    more = len(unread) - summary.MAX_LISTED
    tail = f" and {more} more" if more > 0 else ""
    return [f"not read (nothing safesocial checks): {shown}{tail}"]


def _read_something(snap: Snapshot, export: Export) -> None:
    """Refuse an export from which nothing at all was read: exit 0 would say the account
    was checked against it."""
    lists = any(seen is not None for seen in snap.lists.values())
    settings = any(setting.value is not None for _, setting in snap.settings())
    if not (lists or settings or snap.username):
        raise ImportProblem(
            f"{export.shown}: {snap.label} holds no list of followers or following and no "
            "setting safesocial reads; request the download again with followers, following "
            "and settings selected"
        )


_BOM = "\ufeff"


def _read_bytes(path: Path, shown: str) -> bytes | None:
    """The file's bytes, or None when there is none. Checked on the opened descriptor, so
    that a FIFO, device or folder named by --into is refused rather than read (a FIFO
    would block for ever), and nothing can swap the file between the check and the read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ImportProblem(f"{shown}: is a folder; give the account file to merge into") from None
    except OSError as exc:
        raise ImportProblem(f"{shown}: cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ImportProblem(
                f"{shown}: is not a regular file (a pipe, device or folder); give the "
                "account file to merge into"
            )
        if info.st_size > yamlio.MAX_FILE_BYTES:
            raise ImportProblem(
                f"{shown}: {info.st_size:,} bytes; safesocial reads files up to "
                f"{yamlio.MAX_FILE_BYTES:,} bytes"
            )
        return fh.read(yamlio.MAX_FILE_BYTES + 1)


def _read_target(path: Path, shown: str, must_exist: bool) -> tuple[str | None, Any, str]:
    """The file's text (without a byte-order mark), its data, and the mark it began
    with ('' or U+FEFF), which the merged file keeps."""
    try:
        data = _read_bytes(path, shown)
    except OSError as exc:
        raise ImportProblem(f"{shown}: cannot be read ({exc.strerror})") from None
    if data is None:
        if must_exist:
            raise ImportProblem(
                f"{shown}: no such file. Create the account file first with its platform, "
                'handle and kind (platform: x, handle: "@School", kind: official), then '
                "import into it"
            )
        return None, None, ""
    try:
        text = yamlio.decode(data, shown)
        return text, yamlio.parse(text, shown), _BOM if data.startswith(b"\xef\xbb\xbf") else ""
    except InputProblem as problem:
        raise ImportProblem(
            f"{problem.location}: {problem.message}; fix the file before importing into it"
        ) from None


def _snapshot_date(
    snap: Snapshot, export: Export, given: date | None, notes: list[str]
) -> tuple[date, str]:
    if given is not None:
        if snap.observed_on is not None and snap.observed_on != given:
            notes.append(f"{snap.label} itself says it was made on {snap.observed_on}")
        return given, "given with --observed-on"
    if snap.observed_on is not None:
        return snap.observed_on, snap.date_why
    named = common.date_in_name(Path(export.shown).name)
    if named is not None:
        return named, "the date in the export's name"
    written = export.newest_read()
    if written is not None:
        return written, (
            "when the platform wrote the export's files; if that is not the day it was "
            "made, give --observed-on"
        )
    raise ImportProblem(
        f"{export.shown}: the export does not say when it was made; give --observed-on "
        "YYYY-MM-DD (the day you downloaded it)"
    )


def _header(fields: list[str], where_from: str, fmt: str) -> list[str]:
    command = f"`safesocial import {fmt}`".replace(" ", "\0")  # never split across lines
    text = (
        f"{', '.join(fields)} last came from {where_from} through {command}; everything "
        "else here is typed by hand and kept."
    )
    width = 96 - len(yamledit.HEADER_MARK)
    return [
        f"{yamledit.HEADER_MARK} {line.replace(chr(0), ' ')}" for line in textwrap.wrap(text, width)
    ]


def _diff(before: str, after: str, shown: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        f"{shown} (before)",
        f"{shown} (after)",
    )
    return "".join(summary.show(line.rstrip("\r\n")) + "\n" for line in lines)


def _schema_problems(doc: Any, schema: str, shown: str) -> list[str]:
    return [f"{p.location}: {p.message}" for p in validate.check(doc, schema, shown)]


def _finish(
    before: str | None, rendered: yamledit.Rendered, schema: str, shown: str, path: Path,
    dry_run: bool, bom: str = "",
) -> tuple[list[str], list[str], str]:  # fmt: skip
    """Check the new text against the schema and write it unless a dry run: notes, what
    became of the comments, and the diff."""
    notes: list[str] = []
    after_problems = _schema_problems(rendered.doc, schema, shown)
    if after_problems:
        before_problems = (
            _schema_problems(yamlio.parse(before, shown), schema, shown) if before else []
        )
        if not before_problems:
            raise ImportProblem(
                f"{shown}: the merged file would not match its schema ({after_problems[0]}); "
                "nothing was written. Please report this as a bug"
            )
        notes.append(
            f"{shown} already had {plural(len(before_problems), 'problem')} before "
            f"the import (the first: {before_problems[0]}); `safesocial check` reports them"
        )
    if not dry_run:
        try:
            write_atomic(path, bom + rendered.text)
        except OSError as exc:
            raise ImportProblem(f"{shown}: cannot be written ({exc.strerror})") from None
    comments = summary.comment_lines(rendered.lost, rendered.rewritten, shown)
    return notes, comments, _diff(before or "", rendered.text, shown)


def _ending(changed: bool, dry_run: bool, shown: str) -> str:
    if not changed:
        return f"{shown} is already up to date with this export; nothing was written."
    if dry_run:
        return f"Dry run: {shown} was not changed (run again without --dry-run to write it)."
    return f"Wrote {shown}. Next: `safesocial check` on the school folder."


def import_account(
    fmt: str, export_path: str, into: str, dry_run: bool, given: date | None
) -> Outcome:
    path = Path(into)
    before, doc, bom = _read_target(path, into, must_exist=True)
    notes: list[str] = []
    with open_export(Path(export_path), export_path) as export:
        snap = platforms.get(fmt).reader(export)
        _read_something(snap, export)
        observed, why = _snapshot_date(snap, export, given, notes)
        read = tuple(export.where(name) for name in dict.fromkeys(export.read_names))
        unread = not_read(export)
    merge = merge_account(doc, into, snap, observed)
    changed = not yamlwrite.same(merge.merged, doc)
    diff = ""
    comments: list[str] = []
    if changed:
        assert before is not None
        fields = [c.key for c in merge.lists if c.absent is None]
        fields += [s.key for s in merge.settings if s.known]
        header = _header(fields, f"{snap.label} of {observed}", fmt)
        rendered = yamledit.render(
            yamledit.scan(before, doc), merge.merged, header, into, merge.origin
        )
        more, comments, diff = _finish(
            before, rendered, "account.schema.json", into, path, dry_run, bom
        )
        notes += more
    head = f"safesocial import {fmt}: {summary.show(export_path)} -> {summary.show(into)}"
    report = summary.account_report(
        head, snap, f"{observed} ({why})", merge, notes + unread, comments,
        _ending(changed, dry_run, into),
    )  # fmt: skip
    return Outcome(report, diff, changed, changed and not dry_run, read)


def import_records(
    fmt: str, export_path: str, into: str, dry_run: bool, mapping_name: str | None = None
) -> Outcome:
    kind = records.KINDS[fmt]
    mapped = mapping.load(mapping_name) if mapping_name else None
    if mapped is not None and mapped.kind is not kind:
        raise UsageError(
            f"the mapping {mapping_name} makes {mapped.kind.noun}; {fmt} imports {kind.noun}"
        )
    path = Path(into)
    if path.name not in kind.into_names:
        raise UsageError(
            f"{fmt} writes the school's {kind.key}.yaml, which is where safesocial reads "
            f"{kind.noun}; give --into PATH/{kind.key}.yaml, not {into}"
        )
    twin = path.parent / f"{kind.key}.csv"
    if twin.exists():
        raise ImportProblem(
            f"{twin}: the school keeps its {kind.noun} as CSV; with {path.name} beside it "
            f"safesocial would read only one. Either copy the MIS export over {twin.name} "
            f"(the layout is the same), or delete {twin.name} and import into {path.name}"
        )
    source = Path(export_path)
    if not source.is_file():
        raise ImportProblem(f"{export_path}: expected a CSV file")
    if mapped is not None:
        rows, header = mapping.read_mapped(mapped, source, export_path)
    else:
        rows, header = records.read_rows(kind, source, export_path)
    before, doc, bom = _read_target(path, into, must_exist=False)
    merge = records.merge_records(kind, doc, into, rows)
    changed = doc is None or not yamlwrite.same(merge.merged, doc)
    notes: list[str] = []
    comments: list[str] = []
    diff = ""
    if changed:
        origin = "the form's responses" if kind.key == "approvals" else "the MIS's CSV export"
        header_lines = _header([f"The {kind.noun}"], origin, fmt)
        src = yamledit.scan(before, doc) if before is not None else None
        rendered = yamledit.render(src, merge.merged, header_lines, into, merge.origin)
        notes, comments, diff = _finish(before, rendered, kind.schema, into, path, dry_run, bom)
    if mapped is not None:
        notes += mapped.absent
    if "name" in header:
        notes.append(
            "the CSV has a name column: safesocial needs pupils' refs only, and names in the "
            "repository are a data protection risk; leave the column out of the MIS export"
        )
    lines = [
        f"safesocial import {fmt}: {summary.show(export_path)} -> {summary.show(into)}",
        f"  {plural(len(rows), 'row')} read",
        "",
        f"{kind.key}: {len(merge.added)} added, {len(merge.updated)} updated, "
        f"{merge.unchanged} unchanged",
    ]
    lines += summary.listed(f"+ {summary.show(kind.name(r))}" for r in merge.added)
    lines += summary.listed(
        f"~ {summary.show(name)}: {summary.show('; '.join(c))}" for name, c in merge.updated
    )
    if merge.kept:
        lines.append(
            f"  {plural(len(merge.kept), 'record')} in {summary.show(into)} but not in "
            "the CSV were kept (leavers stay in the register; consent records are history)"
        )
    if notes:
        lines += ["", "Also:"] + [f"  - {summary.show(n)}" for n in notes]
    lines += comments
    lines += ["", _ending(changed, dry_run, into)]
    return Outcome("\n".join(lines) + "\n", diff, changed, changed and not dry_run, (export_path,))


def run_import(
    fmt: str,
    export_path: str,
    into: str,
    *,
    dry_run: bool = False,
    observed_on: str | None = None,
    mapping_name: str | None = None,
) -> Outcome:
    """Import `export_path` in format `fmt` into the file `into`."""
    if fmt in platforms.BY_FORMAT:
        given = parse_day(observed_on, "--observed-on") if observed_on else None
        if mapping_name:
            raise UsageError("--mapping is for CSV files (approvals-csv, consent-csv, pupils-csv)")
        return import_account(fmt, export_path, into, dry_run, given)
    if fmt in records.KINDS:
        if observed_on:
            raise UsageError("--observed-on is for platform exports, not CSV files")
        return import_records(fmt, export_path, into, dry_run, mapping_name)
    raise UsageError(f"no import format called {fmt!r}")
