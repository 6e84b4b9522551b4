"""The stable JSON report (schemas/report.schema.json documents it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from safesocial import __version__
from safesocial.findings import Category, Finding
from safesocial.packs.rules import Rule
from safesocial.reporters import jsontext
from safesocial.reporters.base import Reporter
from safesocial.reporters.summary import Summary
from safesocial.running import resultio
from safesocial.running.compare import counts
from safesocial.running.results import Comparison, Coverage, RunResult, SchoolResult

# 2: coverage (what could not be checked), the verdict, and the gap and stale counts.
FORMAT_VERSION = 2


def _baseline(result: RunResult) -> dict[str, Any] | None:
    if result.baseline is None:
        return None
    return {"known": result.baseline.known, "fixed": list(result.baseline.fixed)}


def finding_dict(
    f: Finding, rules: Mapping[str, Rule], cmp: Comparison | None = None
) -> dict[str, Any]:
    rule = rules.get(f.rule_id)
    found = resultio.finding_dict(f, rule.name if rule else None)
    if cmp is not None and f.category is not Category.INPUT:
        found["state"] = cmp.state(f)
    return found


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


def coverage_dict(s: SchoolResult) -> dict[str, Any]:
    c: Coverage = s.coverage
    return {
        "complete": s.complete,
        "checked": list(c.checked),
        "partly_checked": [resultio.gap_dict(g) for g in c.partial],
        "not_checked": [resultio.gap_dict(g) for g in c.unchecked],
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
        **resultio.place_dict(s),
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
        }
        if result.shard is not None:  # only with --shard, for `safesocial merge`
            head["shard"] = {"index": result.shard[0], "count": result.shard[1]}
        if result.compare is not None:
            head["compare"] = _compare(result)
        head["schools"] = []
        text = jsontext.dumps(head)
        if not result.schools:
            return text + "\n"
        # One school at a time, spliced in where json.dumps would put it (same text to
        # the byte): a local authority's findings never sit in memory as dicts all at once.
        # A school sits two levels deep in the document, so its lines are indented so.
        schools = ",\n".join(
            "    " + jsontext.dumps(_school(s, rules, result.compare), 2) for s in result.schools
        )
        opening, closing = text.rsplit('"schools": []', 1)
        return f'{opening}"schools": [\n{schools}\n  ]{closing}\n'
