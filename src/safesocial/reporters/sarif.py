"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

What code scanning asks for, and why each part is here: every rule that produced a
result is described (short and full description, help, default level) so an alert can
be understood without safesocial at hand; artifact URIs are relative to the repository
(the current directory) so alerts land on the right file; `partialFingerprints` carry
the finding's own fingerprint, which ignores line numbers, so an edit above a finding
does not close its alert and open a new one; drift findings point at the policy line
they break through `relatedLocations`. Findings of one rule on one target are one result,
and the file stays within code scanning's documented limits (sarif_limits.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from safesocial import __version__
from safesocial.findings import INPUT_CODES, Category, Location, Severity
from safesocial.packs.rules import Rule
from safesocial.project import rule_help_uri
from safesocial.reporters import ci, coverage, jsontext
from safesocial.reporters import sarif_limits as limits
from safesocial.reporters.base import Reporter, visible
from safesocial.running.results import Comparison, RunResult, SchoolResult

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "safesocialFingerprint/v1"
SRCROOT = "%SRCROOT%"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub sorts and filters alerts by problem.severity; it knows error/warning/recommendation.
_PROBLEM = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}
# In a SARIF plain-text message "[text](n)" is a link to relatedLocations[n], so literal
# brackets from the input are escaped (SARIF 2.1.0, 3.11.6), and backslashes with them.
_LINK_CHARS = re.compile(r"[\\\[\]]")


def _unlinked(text: str) -> str:
    return _LINK_CHARS.sub(lambda m: "\\" + m.group(), text)


def _plain(text: str) -> str:
    """Input-derived text for a SARIF message: no control characters, no links."""
    return _unlinked(visible(text))


def _artifact(path: str) -> dict[str, str]:
    relative = ci.repo_path(path)
    if relative is not None:
        # A name that was not UTF-8 holds surrogates: quoted as the bytes it had on disk.
        return {"uri": quote(relative, errors="surrogateescape"), "uriBaseId": SRCROOT}
    # Outside the repository: an absolute file URI is honest; a ../ path is not a URI
    # code scanning could place anyway.
    return {"uri": Path(path).resolve().as_uri()}


def _physical(loc: Location, region: bool = True) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(loc.path)}
    if region:
        physical["region"] = {"startLine": loc.line, "startColumn": loc.column}
    return physical


def _tags(rule: Rule) -> list[str]:
    """What the rule is about, for filtering alerts: its category, whether it is about
    safeguarding or records, privacy for pupils' images and the school's records, and
    its pack's theme (core-followers: followers). Not `security`: these are not
    vulnerabilities in code, and code scanning would score them as such."""
    theme = rule.pack.removeprefix("core-")
    kind = "records" if rule.category is Category.RECORDS else "safeguarding"
    privacy = ["privacy"] if theme in ("pupils", "records-privacy") else []
    tags = [rule.category.value, kind, *privacy, theme]
    return list(dict.fromkeys(tags))[: limits.TAGS_PER_RULE]


def _rule(rule_id: str, rules: Mapping[str, Rule]) -> dict[str, Any]:
    rule = rules.get(rule_id)
    if rule is None:
        # Input codes are described here; any other id without a loaded rule (a custom
        # pack's result shown without its pack) gets the bare id SARIF requires.
        return _input_rule(rule_id) if rule_id in INPUT_CODES else {"id": rule_id}
    sources = [
        f"- [{_unlinked(s.title)}]({s.url})" if s.url else f"- {s.title}" for s in rule.sources
    ]
    owner = f"Who fixes it: {rule.owner}.\n\n" if rule.owner else ""
    markdown = (
        f"**Why it matters.** {rule.rationale}\n\n**What to do.** {rule.remediation}\n\n"
        + owner
        + ("**Sources**\n\n" + "\n".join(sources) + "\n" if sources else "")
    )
    text = f"Why it matters: {rule.rationale}\n\nWhat to do: {rule.remediation}\n\n" + owner
    text += "".join(f"Source: {s.title}{f' <{s.url}>' if s.url else ''}\n" for s in rule.sources)
    # Built-in rules are documented in docs/rules.md; a trust's own pack is not.
    doc = {"helpUri": rule_help_uri(rule.id, rule.name)} if rule.pack.startswith("core-") else {}
    return {
        "id": rule.id,
        "name": rule.name,
        **doc,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": text.strip(), "markdown": markdown.strip()},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {
            "tags": _tags(rule),
            "problem.severity": _PROBLEM[rule.severity],
            **({"owner": rule.owner} if rule.owner else {}),
        },
    }


def _input_rule(code: str) -> dict[str, Any]:
    title = ci.title(code, {})
    why = (
        "safesocial reports input it cannot read or check as a finding, so a broken file "
        "never passes CI quietly; every other file is still checked."
    )
    fix = "Correct the file at the location shown; the message says what is wrong."
    return {
        "id": code,
        "name": ci.rule_name(code, {}),
        "shortDescription": {"text": title},
        "fullDescription": {"text": f"{INPUT_CODES.get(code, title)}. {why}"},
        "help": {"text": f"{why}\n\n{fix}", "markdown": f"{why}\n\n{fix}"},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["input"], "problem.severity": "error"},
    }


def _school_file(school: SchoolResult) -> str | None:
    """Where a finding without a location of its own is shown: the school's own file."""
    named = [f for f in school.files if Path(f).name == "school.yaml"]
    candidates = named or list(school.files)
    return candidates[0] if candidates else None


def _group_print(group: limits.Group) -> str:
    """The alert's identity: its rule and target (and whether it is waived), whichever
    findings it holds today, so a second unapproved follower adds to the alert rather
    than closing it and opening another."""
    f = group.first
    parts = (f.rule_id, f.target, "waived" if f.waiver is not None else "")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def result_of(
    group: limits.Group,
    index: Mapping[str, int],
    cap: int,
    baselined: bool,
    since: Comparison | None = None,
) -> dict[str, Any]:
    """One result for every finding of one rule on one target: the first finding with
    its own related places, then the others (at most `cap` places in all)."""
    f, school = group.first, group.school
    others = group.findings[1:]
    text = _plain(f.message)
    if f.subject and f.subject not in f.message:
        text += f" ({_plain(f.subject)})"
    related: list[tuple[Location, str]] = [(r.location, _plain(r.message)) for r in f.related]
    for other in others:
        if other.location is not None:
            extra = ""
            if other.subject and other.subject not in other.message:
                extra = f" ({_plain(other.subject)})"
            related.append((other.location, "also: " + _plain(other.message) + extra))
    shown = related[:cap]
    # Each related place is linked from the message, so viewers (GitHub's among them)
    # show it as a link next to the finding.
    links = [f"[{message}]({i})" for i, (_, message) in enumerate(shown, start=1)]
    if links:
        text += ". See: " + "; ".join(links)
    if others:
        text += f". {len(group.findings)} findings of this rule here in all"
    if len(related) > len(shown):
        text += f"; {len(related) - len(shown)} more not listed (see the JSON or HTML report)"
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": index.get(f.rule_id, 0),
        "level": "error" if f.category is Category.INPUT else _LEVEL[f.severity],
        "message": {"text": text},
    }
    if f.location is not None:
        result["locations"] = [{"physicalLocation": _physical(f.location)}]
    elif (fallback := _school_file(school)) is not None:
        # Code scanning shows no alert without a location: point at the school's file.
        where = Location(fallback, 1, 1)
        result["locations"] = [{"physicalLocation": _physical(where, region=False)}]
    if shown:
        result["relatedLocations"] = [
            {"id": i, "physicalLocation": _physical(loc), "message": {"text": message}}
            for i, (loc, message) in enumerate(shown, start=1)
        ]
    if f.waiver is not None:
        # An accepted waiver is an external suppression: code scanning shows the alert
        # as dismissed, with who accepted it, why and until when.
        w = f.waiver
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": visible(
                    f"{w.reason} (approved by {w.approved_by} on {w.approved_on.isoformat()}, "
                    f"expires {w.expires_on.isoformat()})"
                ),
                "location": {"physicalLocation": _physical(w.location)},
            }
        ]
    if baselined and f.category is not Category.INPUT and f.waiver is None:
        # With --baseline every finding it knew was left out: what remains is new.
        result["baselineState"] = "new"
    if since is not None and f.category is not Category.INPUT and f.waiver is None:
        # --compare: new since the earlier run if any finding it groups is new (each is
        # matched by its own fingerprint), else found by that run too.
        fresh = any(since.state(g) == "new" for g in group.findings)
        result["baselineState"] = "new" if fresh else "unchanged"
    result["partialFingerprints"] = {FINGERPRINT_KEY: _group_print(group)}
    props: dict[str, Any] = {"category": f.category.value, "target": visible(f.target)}
    if f.subject:
        props["subject"] = visible(f.subject)
    # Each finding's own fingerprint, as baselines and the JSON report know it, and how
    # many of the others could not be listed as related locations.
    props["findings"] = [g.fingerprint for g in group.findings]
    unlisted = sum(o.location is not None for o in others) - (len(shown) - len(f.related))
    if unlisted > 0:
        props["unlisted"] = unlisted
    result["properties"] = props
    return result


# What the notifications of a run's invocation mean; only those used are described.
_NOTIFICATIONS = {
    "not-checked": "Nothing could be checked on this target: its findings are unknown, "
    "so the run is not complete.",
    "partly-checked": "Some rules could not run on this target: the rules listed were "
    "not checked, so the run is not complete.",
    "as-last-recorded": "This account is judged from an old observation: as last "
    "recorded on the day given, not as it is today.",
}


def _notification(kind: str, level: str, text: str, where: Location | None) -> dict[str, Any]:
    note: dict[str, Any] = {
        "descriptor": {"id": kind},
        "level": level,
        "message": {"text": text},
    }
    if where is not None:
        note["locations"] = [{"physicalLocation": _physical(where)}]
    return note


def _notifications(result: RunResult) -> list[dict[str, Any]]:
    """Every gap as an error notification at its place, and every stale account as a
    note: a viewer that shows no results still shows what could not be checked."""
    notes = []
    for school in result.schools:
        for gap in school.coverage.gaps:
            kind = "not-checked" if gap.whole else "partly-checked"
            note = _notification(
                kind, "error", _plain(f"{gap.target}: {coverage.describe(gap)}"), gap.location
            )
            note["properties"] = {
                "target": visible(gap.target),
                "rules": [visible(rule) for rule in gap.rules],
                "school": visible(school.root),
            }
            notes.append(note)
        for target, day in school.coverage.stale:
            text = _plain(coverage.as_recorded(target, day))
            note = _notification("as-last-recorded", "note", text, None)
            note["properties"] = {"target": visible(target), "observed_on": visible(day)}
            notes.append(note)
    return notes


def _left_out(left_out: limits.Omitted) -> dict[str, Any]:
    if not left_out:
        return {}
    return {
        "omitted": {
            "results": left_out.results,
            "findings": left_out.findings,
            "note": left_out.sentence(),
        }
    }


def omitted(result: RunResult) -> limits.Omitted:
    """What the SARIF report of `result` leaves out, for the job summary to say."""
    baselined = result.baseline is not None
    return limits.fit(result, lambda group, cap: result_of(group, {}, cap, baselined))[1]


class SarifReporter(Reporter):
    def render(self, result: RunResult, rules: Mapping[str, Rule]) -> str:
        # Only the rules that produced results are described, in id order, so that
        # ruleIndex is stable and a clean run is a small file.
        used = sorted({f.rule_id for f in result.findings})
        index = {rule_id: i for i, rule_id in enumerate(used)}
        baselined = result.baseline is not None
        results, left_out = limits.fit(
            result, lambda group, cap: result_of(group, index, cap, baselined, result.compare)
        )
        notes = _notifications(result)
        used_notes = sorted({n["descriptor"]["id"] for n in notes})
        driver: dict[str, Any] = {
            "name": "safesocial",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [_rule(rule_id, rules) for rule_id in used],
        }
        if used_notes:
            driver["notifications"] = [
                {"id": kind, "shortDescription": {"text": _NOTIFICATIONS[kind]}}
                for kind in used_notes
            ]
        invocation: dict[str, Any] = {
            # Not successful while anything was unread or unchecked: the run did not
            # do all it was asked to, whatever it found elsewhere.
            "executionSuccessful": result.complete,
        }
        if notes:
            invocation["toolExecutionNotifications"] = notes
        doc = {
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {"driver": driver},
                    # Code scanning's category (the part before the last "/"), so that
                    # an upload replaces safesocial's earlier alerts and no other tool's.
                    "automationDetails": {"id": f"{self.options.sarif_category}/"},
                    "invocations": [invocation],
                    # Columns count characters, as the YAML reader does.
                    "columnKind": "unicodeCodePoints",
                    "results": results,
                    "properties": {
                        "as_of": result.settings.as_of.isoformat(),
                        "rules_run": result.rule_count,
                        "verdict": result.verdict(),
                        **_left_out(left_out),
                        "schools": [
                            {
                                "root": visible(s.root),
                                "name": visible(s.name),
                                "complete": s.complete,
                                "checked": [visible(t) for t in s.coverage.checked],
                            }
                            for s in result.schools
                        ],
                    },
                }
            ],
        }
        return jsontext.dumps(doc) + "\n"  # json.dumps(indent=2)'s text, faster
