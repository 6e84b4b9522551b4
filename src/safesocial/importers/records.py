"""consent-csv and pupils-csv: an MIS export in safesocial's one CSV layout, merged into
consent.yaml or pupils.yaml.

The layout is the one the loader reads as consent.csv and pupils.csv (docs/data-model.md,
"CSV layouts"), read by the same code, so a school can keep the CSV itself or import it.
Records are matched on what identifies them (a pupil's ref; a consent decision's pupil and
the date it was given). A matched record takes the CSV's non-empty cells and keeps every
other key typed into the YAML; a record the CSV does not hold is kept, because the
register keeps leavers and consent records are history.
"""

from __future__ import annotations

import csv
import io
import string
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safesocial.documents import csvfile, resources, validate, yamlio, yamlwrite
from safesocial.documents.yamlio import YMap
from safesocial.errors import ImportProblem, InputProblem
from safesocial.model.approvals import norm_handle
from safesocial.text import plural


def _consent_key(row: Mapping[str, Any]) -> Hashable:
    # One decision per pupil and day: a later export that changes its state or scopes
    # (a withdrawal, a narrower consent) updates that record instead of adding a second
    # one that would leave the old, wider consent looking in force.
    return (str(row.get("pupil")), row.get("given_on"))


def _approval_key(row: Mapping[str, Any]) -> Hashable:
    # One approval per follower: the platform and the handle, compared as the account
    # files compare handles (without '@', case or repeated spaces).
    return (str(row.get("platform")), norm_handle(str(row.get("handle", ""))))


def _consent_label(row: Mapping[str, Any]) -> str:
    given = row.get("given_on")
    return f"pupil {row.get('pupil')}" + (f" (given {given})" if given else " (no date given)")


@dataclass(frozen=True)
class Kind:
    fmt: str
    key: str  # the list's key in the file: consent, pupils
    schema: str
    noun: str
    identity: Callable[[Mapping[str, Any]], Hashable]
    name: Callable[[Mapping[str, Any]], str]
    required: tuple[str, ...]

    @property
    def into_names(self) -> tuple[str, str]:
        return f"{self.key}.yaml", f"{self.key}.yml"

    def columns(self) -> list[str]:
        return list(resources.schema(self.schema)["properties"][self.key]["items"]["properties"])


KINDS = {
    "consent-csv": Kind(
        "consent-csv", "consent", "consent.schema.json", "consent records",
        _consent_key, _consent_label, ("pupil", "state"),
    ),
    "pupils-csv": Kind(
        "pupils-csv", "pupils", "pupils.schema.json", "pupils register",
        lambda row: str(row.get("ref")), lambda row: f"pupil {row.get('ref')}", ("ref",),
    ),
    "approvals-csv": Kind(
        "approvals-csv", "approvals", "approvals.schema.json", "follower approvals",
        _approval_key, lambda row: f"{row.get('platform')} {row.get('handle')}",
        ("platform", "handle"),
    ),
}  # fmt: skip


def column_letter(index: int) -> str:
    """A spreadsheet's column name: A, B, ... Z, AA..."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = string.ascii_uppercase[rest] + name
    return name


def _header(text: str) -> list[str]:
    try:
        return [h.strip() for h in next(csv.reader(io.StringIO(text, newline="")))]
    except (StopIteration, csv.Error):
        return []


def _check_header(kind: Kind, header: list[str], shown: str) -> None:
    known = kind.columns()
    unknown = [(i, h) for i, h in enumerate(header) if h not in known]
    if unknown:
        for other in KINDS.values():
            if other is not kind and all(h in other.columns() for h in header if h):
                raise ImportProblem(
                    f"{shown}: the columns ({', '.join(header)}) are those of the "
                    f"{other.noun}, not {kind.noun}; use `safesocial import {other.fmt}`"
                )
        index, name = unknown[0]
        raise ImportProblem(
            f"{shown}: row 1, column {column_letter(index)} ({name!r}) is not a column safesocial "
            f"reads for {kind.noun}; expected some of: {', '.join(known)} "
            "(the layout is in docs/data-model.md, 'CSV layouts')"
        )
    missing = [c for c in kind.required if c not in header]
    if missing:
        raise ImportProblem(
            f"{shown}: row 1 (the header) has no {', '.join(repr(m) for m in missing)} "
            f"column; {kind.noun} need {', '.join(kind.required)}"
        )


def read_rows(kind: Kind, path: Path, shown: str) -> tuple[list[YMap], list[str]]:
    """The CSV's records, checked against the schema, with problems by row and column."""
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic[:2] == b"PK":
        raise ImportProblem(f"{shown}: this is a zip file; {kind.fmt} reads a CSV file")
    try:
        header = _header(yamlio.read_text(path, shown))
        _check_header(kind, header, shown)
        doc = csvfile.read_csv(path, shown, kind.key, kind.schema)
    except InputProblem as problem:
        line = problem.location.line
        raise ImportProblem(f"{shown}: row {line}: {problem.message}") from None
    return check_rows(
        kind, doc, {c: (column_letter(i), c) for i, c in enumerate(header)}, shown
    ), header


def check_rows(
    kind: Kind, doc: YMap, columns: Mapping[str, tuple[str, str]], shown: str
) -> list[YMap]:
    """The records of `doc` checked against the schema, each problem by row and column
    (`columns`: safesocial's column -> the CSV's column letter and header), and one row
    per record."""
    problems = []
    for error in validate.validator(kind.schema).iter_errors(doc):
        path_in = list(error.absolute_path)
        described = validate.describe(error, doc, shown)
        column = path_in[2] if len(path_in) > 2 and isinstance(path_in[2], str) else None
        where = f"row {described.location.line}"
        if column is not None and column in columns:
            letter, title = columns[column]
            named = title if title == column else f"{title}, read as {column}"
            where += f", column {letter} ({named})"
        problems.append((described.location.line, f"{shown}: {where}: {described.message}"))
    if problems:
        problems = sorted(set(problems))  # a bad date breaks its pattern and its format
        shown_problems = [p for _, p in problems[: validate.MAX_ERRORS_PER_FILE]]
        more = len(problems) - len(shown_problems)
        tail = f"\n  ... and {more} more" if more > 0 else ""
        raise ImportProblem(
            f"{shown}: {plural(len(problems), 'problem')}; nothing "
            "was imported:\n  " + "\n  ".join(shown_problems) + tail
        )
    rows = list(doc[kind.key])
    first: dict[Hashable, int] = {}
    for index, row in enumerate(rows):
        ident = kind.identity(row)
        line = doc[kind.key].item_pos[index][0]
        if ident in first:
            raise ImportProblem(
                f"{shown}: rows {first[ident]} and {line} are both {kind.name(row)}; "
                "keep one row per record"
            )
        first[ident] = line
    return rows


@dataclass
class RecordMerge:
    merged: dict[str, Any]
    added: list[Mapping[str, Any]] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    kept: list[Mapping[str, Any]] = field(default_factory=list)  # in the file, not the CSV
    origin: dict[int, Any] = field(default_factory=dict)


def merge_records(kind: Kind, doc: Any, shown: str, rows: list[YMap]) -> RecordMerge:
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise ImportProblem(f"{shown}: expected a mapping with a {kind.key} list at the top")
    old = doc.get(kind.key) or []
    if not isinstance(old, list) or not all(isinstance(r, dict) for r in old):
        where = doc.loc(kind.key) if isinstance(doc, YMap) else shown
        raise ImportProblem(f"{where}: {kind.key} should be a list of records; fix it first")
    order = kind.columns()
    index: dict[Hashable, int] = {}
    for i, record in enumerate(old):
        index.setdefault(kind.identity(record), i)
    result: list[Any] = list(old)
    out = RecordMerge(merged={})
    seen: set[int] = set()
    for row in rows:
        at = index.get(kind.identity(row))
        if at is None:
            fresh = {k: row[k] for k in order if k in row}
            result.append(fresh)
            out.added.append(fresh)
            continue
        seen.add(at)
        record = old[at]
        changes, new = [], record
        for column, cell in row.items():
            if not yamlwrite.same(record.get(column), cell):
                before = yamlwrite.flow(record[column]) if column in record else "(not set)"
                changes.append(f"{column} {before} -> {yamlwrite.flow(cell)}")
                new = yamlwrite.with_key(new, column, cell, order)
        if changes:
            result[at] = new
            out.origin[id(new)] = record
            out.updated.append((kind.name(record), changes))
        else:
            out.unchanged += 1
    out.kept = [r for i, r in enumerate(old) if i not in seen]
    merged = dict(doc)
    if out.added or out.updated:
        merged = yamlwrite.with_key(merged, kind.key, result, [kind.key])
    out.merged = merged
    return out
