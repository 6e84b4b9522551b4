"""The stable JSON report (schemas/report.schema.json documents it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from safesocial import __version__
from safesocial.compare import counts
from safesocial.findings import Category, Finding, Location
from safesocial.reporters.base import Reporter
from safesocial.reporters.summary import Summary
from safesocial.results import Comparison, Coverage, Gap, RunResult, SchoolResult
from safesocial.rules import Rule
from safesocial.text import json_dumps

# 2: coverage (what could not be checked), the verdict, and the gap and stale counts.
FORMAT_VERSION = 2


def _loc(loc: Location | None) -> dict[str, Any] | None:
    return None if loc is None else {"path": loc.path, "line": loc.line, "column": loc.column}


def _baseline(result: RunResult) -> dict[str, Any] | None:
    if result.baseline is None:
        return None
    return {"known": result.baseline.known, "fixed": list(result.baseline.fixed)}


def _waiver(f: Finding) -> dict[str, Any] | None:
    w = f.waiver
    if w is None:
        return None
    return {
        "reason": w.reason,
        "approved_by": w.approved_by,
        "approved_on": w.approved_on.isoformat(),
        "expires_on": w.expires_on.isoformat(),
        "location": _loc(w.location),
    }


def finding_dict(
    f: Finding, rules: Mapping[str, Rule], cmp: Comparison | None = None
) -> dict[str, Any]:
    rule = rules.get(f.rule_id)
    extra: dict[str, Any] = {}
    if f.due is not None:
        extra["due"] = f.due.isoformat()
    if cmp is not None and f.category is not Category.INPUT:
        extra["state"] = cmp.state(f)
    return {
        "rule_id": f.rule_id,
        "rule_name": rule.name if rule else None,
        "severity": f.severity.value,
        "category": f.category.value,
        "message": f.message,
        "target": f.target,
        "subject": f.subject,
        "location": _loc(f.location),
        "related": [{**(_loc(r.location) or {}), "message": r.message} for r in f.related],
        "fingerprint": f.fingerprint,
        "waiver": _waiver(f),
        **extra,
    }


def _compare(result: RunResult) -> dict[str, Any]:
    cmp = result.compare
    assert cmp is not None
    new, still, _ = counts(result)
    return {
        "since": cmp.since.isoformat(),
        "new": new,
        "still_open": still,
        "fixed": [
            {
                "rule_id": g.rule_id,
                "target": g.target,
                "subject": g.subject,
                "message": g.message,
                "fingerprint": g.fingerprint,
                "school": g.school,
            }
            for g in cmp.fixed
        ],
    }


def _counts(summary: Summary) -> dict[str, Any]:
    counts = summary.as_dict()
    del counts["schools"]
    return counts


def _school_summary(summary: Summary) -> dict[str, Any]:
    return {**_counts(summary), "status": summary.status}


def _gap(gap: Gap) -> dict[str, Any]:
    return {
        "target": gap.target,
        "reason": gap.reason,
        "location": _loc(gap.location),
        "rules": list(gap.rules),
    }


def coverage_dict(s: SchoolResult) -> dict[str, Any]:
    c: Coverage = s.coverage
    return {
        "complete": s.complete,
        "checked": list(c.checked),
        "partly_checked": [_gap(g) for g in c.partial],
        "not_checked": [_gap(g) for g in c.unchecked],
        "stale": [{"target": t, "observed_on": day} for t, day in c.stale],
    }


def _school(s: SchoolResult, rules: Mapping[str, Rule], cmp: Comparison | None) -> dict[str, Any]:
    return {
        "root": s.root,
        "name": s.name,
        "files": list(s.files),
        "accounts": list(s.targets),
        "summary": _school_summary(Summary.of_schools([s])),
        "coverage": coverage_dict(s),
        "findings": [finding_dict(f, rules, cmp) for f in s.findings],
    }


class JsonReporter(Reporter):
    def render(self, result: RunResult, rules: Mapping[str, Rule]) -> str:
        summary = Summary.of(result)
        head = {
            "tool": {"name": "safesocial", "version": __version__},
            "format_version": FORMAT_VERSION,
            "as_of": result.settings.as_of.isoformat(),
            "rules_run": result.rule_count,
            "verdict": result.verdict(),
            "complete": result.complete,
            "summary": summary.as_dict(),
            "baseline": _baseline(result),
            "schools": [],
        }
        if result.compare is not None:
            head = {**head, "compare": _compare(result)}
            head["schools"] = head.pop("schools")  # schools stay last, for the splice
        text = json_dumps(head)
        if not result.schools:
            return text + "\n"
        # One school at a time, spliced in where json.dumps would put it (same text to
        # the byte): a local authority's findings never sit in memory as dicts all at once.
        schools = ",\n".join(
            _indented(json_dumps(_school(s, rules, result.compare))) for s in result.schools
        )
        opening, closing = text.rsplit('"schools": []', 1)
        return f'{opening}"schools": [\n{schools}\n  ]{closing}\n'


def _indented(text: str) -> str:
    # A school sits two levels deep in the document: json.dumps indents it by four spaces.
    return "\n".join("    " + line for line in text.split("\n"))
