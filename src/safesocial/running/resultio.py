"""Results as plain JSON data and back: the JSON report writes them, the cache and
`safesocial merge` read them.

Only what the shareable report holds goes out: pupil refs, never names or handles. A
finding's `detail` (which may hold a follower's handle) stays behind; its fingerprint
goes instead, and a finding read back keeps that fingerprint.

Reading trusts nothing: every value is checked for its type as it is read, and anything
out of shape raises `Malformed` with where it is (``schools[3].findings[12].severity``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

from safesocial.findings import Category, Finding, Location, Related, Severity, Waiver
from safesocial.running.results import Coverage, Gap, Place, SchoolResult

T = TypeVar("T")


class Malformed(ValueError):
    """A result document is not the shape safesocial writes; `where` says which value."""

    def __init__(self, where: str, expected: str) -> None:
        super().__init__(f"{where}: expected {expected}")
        self.where = where
        self.expected = expected


# --- writing -------------------------------------------------------------------------


def location_dict(loc: Location | None) -> dict[str, Any] | None:
    return None if loc is None else {"path": loc.path, "line": loc.line, "column": loc.column}


def waiver_dict(w: Waiver | None) -> dict[str, Any] | None:
    if w is None:
        return None
    return {
        "reason": w.reason,
        "approved_by": w.approved_by,
        "approved_on": w.approved_on.isoformat(),
        "expires_on": w.expires_on.isoformat(),
        "location": location_dict(w.location),
    }


def related_dict(r: Related) -> dict[str, Any]:
    said: dict[str, Any] = {**(location_dict(r.location) or {}), "message": r.message}
    if r.key:  # a policy line: the setting and its value, for reports to say in words
        said["key"], said["value"] = r.key, r.value
    return said


def finding_dict(f: Finding, rule_name: str | None) -> dict[str, Any]:
    """A finding as the JSON report shows it (schemas/report.schema.json)."""
    found = {
        "rule_id": f.rule_id,
        "rule_name": rule_name,
        "severity": f.severity.value,
        "category": f.category.value,
        "message": f.message,
        "target": f.target,
        "subject": f.subject,
        "location": location_dict(f.location),
        "related": [related_dict(r) for r in f.related],
        "fingerprint": f.fingerprint,
        "waiver": waiver_dict(f.waiver),
    }
    if f.due is not None:
        found["due"] = f.due.isoformat()
    return found


def place_dict(s: SchoolResult) -> dict[str, Any]:
    """Where the school is (whose guidance the reports cite) and its channels' kinds."""
    p = s.place
    return {
        "place": {
            "jurisdiction": p.jurisdiction,
            "local_authority": p.local_authority,
            "contact": p.contact,
        },
        "account_types": dict(s.account_types),
    }


def gap_dict(gap: Gap) -> dict[str, Any]:
    return {
        "target": gap.target,
        "reason": gap.reason,
        "location": location_dict(gap.location),
        "rules": list(gap.rules),
    }


def school_record(s: SchoolResult) -> dict[str, Any]:
    """Everything of one school's result, gaps in their own order: what the cache keeps."""
    return {
        "root": s.root,
        "name": s.name,
        "files": list(s.files),
        "targets": list(s.targets),
        "findings": [finding_dict(f, None) for f in s.findings],
        "checked": list(s.coverage.checked),
        "gaps": [gap_dict(g) for g in s.coverage.gaps],
        "stale": [{"target": t, "observed_on": day} for t, day in s.coverage.stale],
        **place_dict(s),
    }


# --- reading -------------------------------------------------------------------------


def _get(doc: Any, key: str, where: str, kind: type[T], expected: str) -> T:
    if not isinstance(doc, dict):
        raise Malformed(where, "an object")
    value = doc.get(key)
    # bool is an int in Python; JSON keeps them apart, and so does this.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Malformed(f"{where}.{key}", expected)
    return value


def _text(doc: Any, key: str, where: str) -> str:
    return _get(doc, key, where, str, "text")


def _maybe_text(doc: Any, key: str, where: str) -> str | None:
    if isinstance(doc, dict) and doc.get(key) is None:
        return None
    return _text(doc, key, where)


def _items(doc: Any, key: str, where: str, read: Callable[[Any, str], T]) -> tuple[T, ...]:
    values = _get(doc, key, where, list, "a list")
    return tuple(read(v, f"{where}.{key}[{i}]") for i, v in enumerate(values))


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise Malformed(where, "text")
    return value


def _location(doc: Any, where: str) -> Location:
    line = _get(doc, "line", where, int, "a line number")
    column = _get(doc, "column", where, int, "a column number")
    if line < 1 or column < 1:
        raise Malformed(where, "a line and column counting from 1")
    return Location(_text(doc, "path", where), line, column)


def _maybe_location(doc: Any, key: str, where: str) -> Location | None:
    value = _get(doc, key, where, object, "a location or null")
    return None if value is None else _location(value, f"{where}.{key}")


def _day(doc: Any, key: str, where: str) -> date:
    try:
        return date.fromisoformat(_text(doc, key, where))
    except ValueError:
        raise Malformed(f"{where}.{key}", "a date written YYYY-MM-DD") from None


def _enum(doc: Any, key: str, where: str, kind: Callable[[str], T], names: str) -> T:
    try:
        return kind(_text(doc, key, where))
    except ValueError:
        raise Malformed(f"{where}.{key}", f"one of {names}") from None


def _waiver(doc: Any, where: str) -> Waiver | None:
    if doc is None:
        return None
    return Waiver(
        reason=_text(doc, "reason", where),
        approved_by=_text(doc, "approved_by", where),
        approved_on=_day(doc, "approved_on", where),
        expires_on=_day(doc, "expires_on", where),
        location=_location(_get(doc, "location", where, dict, "a location"), f"{where}.location"),
    )


def _related(doc: Any, where: str) -> Related:
    key = _maybe_text(doc, "key", where) or ""
    value = _maybe_text(doc, "value", where) or "" if key else ""
    return Related(_location(doc, where), _text(doc, "message", where), key, value)


def _maybe_day(doc: Any, key: str, where: str) -> date | None:
    if isinstance(doc, dict) and doc.get(key) is None:
        return None
    return _day(doc, key, where)


def finding_from(doc: Any, where: str, school: str) -> Finding:
    """A finding from its report form; `school` is the root of the school it is in."""
    fingerprint = _text(doc, "fingerprint", where)
    if len(fingerprint) != 16 or any(c not in "0123456789abcdef" for c in fingerprint):
        raise Malformed(f"{where}.fingerprint", "16 hexadecimal digits")
    return Finding(
        rule_id=_text(doc, "rule_id", where),
        severity=_enum(doc, "severity", where, Severity, "error, warning, info"),
        category=_enum(doc, "category", where, Category, "drift, guidance, records, input"),
        message=_text(doc, "message", where),
        target=_text(doc, "target", where),
        subject=_maybe_text(doc, "subject", where),
        location=_maybe_location(doc, "location", where),
        related=_items(doc, "related", where, _related),
        school=school,
        waiver=_waiver(_get(doc, "waiver", where, object, "a waiver or null"), f"{where}.waiver"),
        due=_maybe_day(doc, "due", where),
        recorded_fingerprint=fingerprint,
    )


def gap_from(doc: Any, where: str) -> Gap:
    return Gap(
        target=_text(doc, "target", where),
        reason=_text(doc, "reason", where),
        location=_maybe_location(doc, "location", where),
        rules=_items(doc, "rules", where, _string),
    )


def _stale(doc: Any, where: str) -> tuple[str, str]:
    return _text(doc, "target", where), _text(doc, "observed_on", where)


def school_from(
    doc: Any, where: str, targets: str, coverage: Callable[[Any, str], Coverage]
) -> SchoolResult:
    """One school's result; `targets` is the key of its accounts (the report's is
    `accounts`), `coverage` reads its coverage in the document's own form."""
    root = _text(doc, "root", where)
    return SchoolResult(
        root=root,
        name=_text(doc, "name", where),
        files=_items(doc, "files", where, _string),
        targets=_items(doc, targets, where, _string),
        findings=_items(doc, "findings", where, lambda d, w: finding_from(d, w, root)),
        coverage=coverage(doc, where),
        place=_place(doc, where),
        account_types=_account_types(doc, where),
    )


def _place(doc: Any, where: str) -> Place:
    p = _get(doc, "place", where, dict, "an object")
    here = f"{where}.place"
    return Place(
        jurisdiction=_text(p, "jurisdiction", here),
        local_authority=_text(p, "local_authority", here),
        contact=_text(p, "contact", here),
    )


def _account_types(doc: Any, where: str) -> dict[str, str]:
    kinds = _get(doc, "account_types", where, dict, "an object")
    return {
        _string(k, f"{where}.account_types"): _string(v, f"{where}.account_types.{k}")
        for k, v in kinds.items()
    }


def _record_coverage(doc: Any, where: str) -> Coverage:
    return Coverage(
        checked=_items(doc, "checked", where, _string),
        gaps=_items(doc, "gaps", where, gap_from),
        stale=_items(doc, "stale", where, _stale),
    )


def report_coverage(doc: Any, where: str) -> Coverage:
    """A school's coverage from the report, which lists partly checked targets before
    those not checked at all (a run's own order may mix them)."""
    c = _get(doc, "coverage", where, dict, "an object")
    here = f"{where}.coverage"
    return Coverage(
        checked=_items(c, "checked", here, _string),
        gaps=_items(c, "partly_checked", here, gap_from) + _items(c, "not_checked", here, gap_from),
        stale=_items(c, "stale", here, _stale),
    )


_SEVERITIES = {s.value: s for s in Severity}
_CATEGORIES = {c.value: c for c in Category}


def _trusted_finding(d: dict[str, Any], school: str) -> Finding:
    loc, waiver, due = d["location"], d["waiver"], d.get("due")
    return Finding(
        rule_id=d["rule_id"],
        severity=_SEVERITIES[d["severity"]],
        category=_CATEGORIES[d["category"]],
        message=d["message"],
        target=d["target"],
        subject=d["subject"],
        location=None if loc is None else Location(loc["path"], loc["line"], loc["column"]),
        related=tuple(
            Related(
                Location(r["path"], r["line"], r["column"]),
                r["message"],
                r.get("key", ""),
                r.get("value", ""),
            )
            for r in d["related"]
        ),
        detail="",
        school=school,
        waiver=None if waiver is None else _waiver(waiver, "waiver"),
        due=None if due is None else date.fromisoformat(due),
        recorded_fingerprint=d["fingerprint"],
    )


def school_from_record(doc: Any, where: str = "school") -> SchoolResult:
    """The inverse of `school_record`, for a record whose signature says safesocial
    wrote it (cache.py): read without checking each value, which took most of a cached
    run's time; anything out of shape still raises Malformed, never a wrong result
    silently, as every field is looked up by name and must exist."""
    try:
        root = doc["root"]
        findings = tuple(_trusted_finding(d, root) for d in doc["findings"])
        school = school_from({**doc, "findings": []}, where, "targets", _record_coverage)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise Malformed(where, f"a cache record ({type(exc).__name__})") from None
    return replace(school, findings=findings)
