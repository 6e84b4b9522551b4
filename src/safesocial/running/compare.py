"""--compare PREVIOUS.json: mark each finding new or still open since an earlier run, and
list what that run found that this one no longer does (fixed).

The earlier run is one of our own JSON reports (`--output json:FILE`). Findings are
matched by fingerprint (rule, target, subject and what was found), never by line, so
moving lines in a file changes nothing. A file that is not such a report is refused with
its name and, where it can be told, the line: a comparison with the wrong file would
call everything new, or everything fixed.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from safesocial.errors import UsageError
from safesocial.findings import Category
from safesocial.running.results import Comparison, Gone, RunResult

# Reports from before format 2 carry fingerprints too, but no verdict: any format with
# findings and fingerprints can be compared with.
_EXPECTED = (
    "a JSON report from an earlier run (`safesocial check --output json:FILE`), with "
    '"tool": {"name": "safesocial"}, "as_of" and "schools"'
)


def _refuse(path: Path, why: str) -> UsageError:
    return UsageError(f"--compare {path}: {why}; expected {_EXPECTED}")


def load(path: Path) -> Comparison:
    """The earlier run in `path`; UsageError (exit 2) naming the file if it is not one."""
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise UsageError(f"--compare {path}: cannot read the file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise _refuse(path, "the file is not UTF-8 text") from None
    try:
        doc: Any = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        where = f"{path}:{line}:{col}" if line else str(path)
        raise UsageError(
            f"--compare {where}: not valid JSON ({getattr(exc, 'msg', 'unreadable')}); "
            f"expected {_EXPECTED}"
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("tool"), dict):
        raise _refuse(path, "not a safesocial report")
    if doc["tool"].get("name") != "safesocial":
        raise _refuse(path, "not a safesocial report (the tool named in it is another)")
    try:
        since = date.fromisoformat(str(doc.get("as_of")))
    except ValueError:
        raise _refuse(path, '"as_of" is not a date (YYYY-MM-DD)') from None
    schools = doc.get("schools")
    if not isinstance(schools, list):
        raise _refuse(path, '"schools" is missing or not a list')
    before: set[str] = set()
    gone: list[Gone] = []
    for i, school in enumerate(schools):
        findings = school.get("findings") if isinstance(school, dict) else None
        if not isinstance(findings, list):
            raise _refuse(path, f'schools[{i}] has no "findings" list')
        for j, f in enumerate(findings):
            if not isinstance(f, dict) or not isinstance(f.get("fingerprint"), str):
                raise _refuse(path, f'schools[{i}].findings[{j}] has no "fingerprint"')
            # Input problems and waived findings were never open: nothing to call fixed.
            if f.get("category") == Category.INPUT.value or f.get("waiver"):
                continue
            before.add(f["fingerprint"])
            subject = f.get("subject")
            gone.append(
                Gone(
                    rule_id=str(f.get("rule_id", "")),
                    target=str(f.get("target", "")),
                    subject=str(subject) if subject is not None else None,
                    message=str(f.get("message", "")),
                    fingerprint=f["fingerprint"],
                    school=str(school.get("root", "")),
                )
            )
    return Comparison(since=since, before=frozenset(before), fixed=tuple(gone))


def apply(result: RunResult, earlier: Comparison) -> RunResult:
    """`result` marked against the earlier run: fixed = found then, not now."""
    now = {f.fingerprint for f in result.findings if f.category is not Category.INPUT}
    fixed = tuple(g for g in earlier.fixed if g.fingerprint not in now)
    return replace(result, compare=replace(earlier, fixed=fixed))


def counts(result: RunResult) -> tuple[int, int, int]:
    """(new, still open, fixed) of the open findings, with --compare; all 0 without."""
    cmp = result.compare
    if cmp is None:
        return 0, 0, 0
    open_ = [f for f in result.findings if f.category is not Category.INPUT and f.waiver is None]
    new = sum(cmp.state(f) == "new" for f in open_)
    return new, len(open_) - new, len(cmp.fixed)
