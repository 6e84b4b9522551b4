"""What a run found: per school and in all. Reporters read these; the engine makes them."""

from __future__ import annotations

from dataclasses import dataclass

from safesocial.checks.base import Settings
from safesocial.findings import Category, Finding, Severity


@dataclass(frozen=True, slots=True)
class SchoolResult:
    root: str
    name: str
    files: tuple[str, ...]
    targets: tuple[str, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class BaselineSummary:
    """With --baseline: how many known findings were left out, and which known ones are gone."""

    known: int
    fixed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RunResult:
    schools: tuple[SchoolResult, ...]
    settings: Settings
    rule_count: int
    baseline: BaselineSummary | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for s in self.schools for f in s.findings)

    @property
    def input_errors(self) -> bool:
        return any(f.category is Category.INPUT for f in self.findings)

    def worst(self) -> Severity | None:
        """The worst finding that counts: not an input problem, not waived."""
        ranked = [
            f.severity
            for f in self.findings
            if f.category is not Category.INPUT and f.waiver is None
        ]
        return max(ranked, key=lambda s: s.rank) if ranked else None
