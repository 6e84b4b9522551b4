"""Baselines: record today's findings, then fail only on new ones and report fixed ones.

Findings are matched by fingerprint (rule, target, subject and what was found), never
by line number, so editing or reordering a file does not break a baseline. The file
holds refs and rule ids only: no pupil names or handles, so it can be committed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from safesocial.documents import yamlio
from safesocial.errors import InputProblem, SafesocialError
from safesocial.findings import Category, Finding
from safesocial.running.results import BaselineSummary, RunResult

FORMAT = 1


@dataclass(frozen=True, slots=True)
class Entry:
    fingerprint: str
    rule_id: str
    target: str
    subject: str | None
    message: str  # for the person reading a diff of the baseline file


def entries(findings: Iterable[Finding]) -> list[Entry]:
    """The findings a baseline records: real ones, not input problems or waived ones."""
    return sorted(
        (
            Entry(f.fingerprint, f.rule_id, f.target, f.subject, f.message)
            for f in findings
            if f.category is not Category.INPUT and f.waiver is None
        ),
        key=lambda e: (e.rule_id, e.target, e.subject or "", e.fingerprint),
    )


def dump(result: RunResult) -> str:
    doc = {
        "safesocial_baseline": FORMAT,
        "as_of": result.settings.as_of.isoformat(),
        "findings": [
            {
                "fingerprint": e.fingerprint,
                "rule_id": e.rule_id,
                "target": e.target,
                "subject": e.subject,
                "message": e.message,
            }
            for e in entries(result.findings)
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def load(path: Path) -> list[Entry]:
    try:
        doc: Any = json.loads(yamlio.read_text(path, str(path)))
    except InputProblem as problem:  # not a regular file, too big, not UTF-8
        raise SafesocialError(f"{problem.location}: {problem.message}") from None
    except OSError as exc:
        raise SafesocialError(f"{path}: cannot read the baseline: {exc.strerror}") from None
    except ValueError as exc:
        raise SafesocialError(f"{path}: the baseline is not valid JSON: {exc}") from None
    except RecursionError:
        # json nests by recursion: a few thousand brackets exhaust the interpreter's stack.
        raise SafesocialError(
            f"{path}: the baseline is nested too deeply to be one safesocial wrote"
        ) from None
    if not isinstance(doc, dict) or doc.get("safesocial_baseline") != FORMAT:
        raise SafesocialError(
            f"{path}: not a safesocial baseline (make one with `safesocial baseline create`)"
        )
    try:
        return [
            Entry(
                str(e["fingerprint"]),
                str(e["rule_id"]),
                str(e["target"]),
                e.get("subject"),
                str(e.get("message", "")),
            )
            for e in doc["findings"]
        ]
    except (KeyError, TypeError):
        raise SafesocialError(f"{path}: the baseline's findings are malformed") from None


def apply(result: RunResult, known: list[Entry]) -> RunResult:
    """Leave out findings the baseline knows; count those it knows that are now gone."""
    remaining = Counter(e.fingerprint for e in known)
    schools = []
    hidden = 0
    for school in result.schools:
        kept = []
        for finding in school.findings:
            counted = finding.category is not Category.INPUT and finding.waiver is None
            if counted and remaining[finding.fingerprint] > 0:
                remaining[finding.fingerprint] -= 1
                hidden += 1
                continue
            kept.append(finding)
        schools.append(replace(school, findings=tuple(kept)))
    fixed = []
    for entry in known:
        if remaining[entry.fingerprint] > 0:
            remaining[entry.fingerprint] -= 1
            fixed.append(
                f"{entry.rule_id} {entry.target}" + (f" ({entry.subject})" if entry.subject else "")
            )
    summary = BaselineSummary(known=hidden, fixed=tuple(fixed))
    return replace(result, schools=tuple(schools), baseline=summary)
