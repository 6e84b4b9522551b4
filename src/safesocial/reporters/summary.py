"""Counts every reporter agrees on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from safesocial.findings import Category, Severity
from safesocial.running.results import RunResult, SchoolResult
from safesocial.text import plural


@dataclass(frozen=True, slots=True)
class Summary:
    schools: int
    accounts: int
    errors: int
    warnings: int
    infos: int
    input_errors: int
    accounts_with_findings: int
    waived: int = 0
    # Gaps in coverage: things the run could check only in part, or not at all.
    gaps: int = 0
    # Accounts judged from an old observation ("as last recorded on DATE").
    stale: int = 0

    @classmethod
    def of(cls, result: RunResult) -> Summary:
        return cls.of_schools(result.schools)

    @classmethod
    def of_schools(cls, schools: Sequence[SchoolResult]) -> Summary:
        findings = [f for s in schools for f in s.findings]
        counted = [f for f in findings if f.category is not Category.INPUT]
        # Waived findings are shown but do not count: they are accepted for now.
        lint = [f for f in counted if f.waiver is None]
        accounts = {t for s in schools for t in s.targets}
        return cls(
            schools=len(schools),
            accounts=len(accounts),
            errors=sum(f.severity is Severity.ERROR for f in lint),
            warnings=sum(f.severity is Severity.WARNING for f in lint),
            infos=sum(f.severity is Severity.INFO for f in lint),
            input_errors=len(findings) - len(counted),
            accounts_with_findings=len({f.target for f in lint} & accounts),
            waived=len(counted) - len(lint),
            gaps=sum(len(s.coverage.gaps) for s in schools),
            stale=sum(len(s.coverage.stale) for s in schools),
        )

    @property
    def status(self) -> str:
        """The worst thing found: input_error, incomplete (something could not be
        checked fully), error, warning, info or clean. Never clean with a gap."""
        for name, count in (
            ("input_error", self.input_errors),
            ("incomplete", self.gaps),
            ("error", self.errors),
            ("warning", self.warnings),
            ("info", self.infos),
        ):
            if count:
                return name
        return "clean"

    @property
    def urgency(self) -> tuple[int, int, int, int, int]:
        """Sorts schools worst first: input problems, gaps, then errors, warnings, info."""
        return (-self.input_errors, -self.gaps, -self.errors, -self.warnings, -self.infos)

    @property
    def total(self) -> int:
        return self.errors + self.warnings + self.infos

    def as_dict(self) -> dict[str, Any]:
        return {
            "schools": self.schools,
            "accounts": self.accounts,
            "findings": self.total,
            "errors": self.errors,
            "warnings": self.warnings,
            "info": self.infos,
            "input_errors": self.input_errors,
            "accounts_with_findings": self.accounts_with_findings,
            "waived": self.waived,
            "gaps": self.gaps,
            "stale": self.stale,
        }

    def sentence(self) -> str:
        parts = (
            f"{plural(self.errors, 'error')}, {plural(self.warnings, 'warning')}, {self.infos} info"
        )
        scope = f"{plural(self.accounts, 'account')} in {plural(self.schools, 'school')}"
        text = f"{parts} across {scope}"
        if self.waived:
            text += f" ({self.waived} waived)"
        if self.input_errors:
            text += f"; {plural(self.input_errors, 'input problem')}"
        if self.gaps:
            text += f"; {plural(self.gaps, 'thing')} not fully checked"
        return text
