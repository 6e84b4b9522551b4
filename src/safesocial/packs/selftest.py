"""`safesocial pack test`: run the cases a rule pack ships with, like `conftest verify`.

Cases live in a `cases/` folder beside the pack file, in the built-in format
(docs/writing-rules.md); a `cases/_base/` there replaces the built-in clean school.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from safesocial.documents import resources
from safesocial.findings import Category
from safesocial.packs import cases, rules


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: cases.Case
    passed: bool
    why: str


@dataclass(frozen=True, slots=True)
class PackReport:
    pack_rules: Sequence[rules.Rule]
    results: Sequence[CaseResult]
    untested: Sequence[str]  # "OLT001 has no failing case"

    @property
    def ok(self) -> bool:
        return all(r.passed for r in self.results) and not self.untested


def _judge(case: cases.Case, all_rules: Sequence[rules.Rule]) -> CaseResult:
    findings = cases.run_case(case, all_rules)
    broken = [f"{f.location}: {f.message}" for f in findings if f.category is Category.INPUT]
    if broken:
        return CaseResult(case, False, f"the case's files do not load: {broken[0]}")
    fired = [f for f in findings if f.rule_id == case.rule]
    if case.expect == "fail" and not fired:
        return CaseResult(case, False, f"{case.rule} was expected to fire and did not")
    if case.expect == "pass" and fired:
        return CaseResult(case, False, f"{case.rule} fired: {fired[0].message}")
    return CaseResult(case, True, "")


def test_pack(path: Path) -> PackReport:
    """Load the pack over the built-in ones (it may override them) and run its cases."""
    own = rules.load_pack(path)
    all_rules = rules.load_rules([*resources.builtin_packs(), path])
    ids = {rule.id for rule in own}
    folder = path.parent / "cases"
    found = cases.all_cases(folder) if folder.is_dir() else []
    mine = [c for c in found if c.rule in ids]
    results = [_judge(case, all_rules) for case in mine]
    untested = [
        f"{rule.id} has no {'failing' if expect == 'fail' else 'passing'} case"
        for rule in own
        for expect in ("fail", "pass")
        if not any(c.rule == rule.id and c.expect == expect for c in mine)
    ]
    return PackReport(own, results, untested)
