"""What every reporter shares: the interface, and making outside text safe to show."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from safesocial.packs.rules import Rule
from safesocial.reporters.reveal import Reveal
from safesocial.running.results import RunResult
from safesocial.text import visible

# The one escaper (safesocial/text.py), here for the reporters that import it from base.
__all__ = ["Options", "Reporter", "visible"]


@dataclass(frozen=True, slots=True)
class Options:
    """What the CLI tells reporters: colour for the terminal, names for a local report."""

    color: bool = False
    # Only the HTML reporter reads this, and only the CLI's --reveal-names sets it.
    reveal: Reveal | None = None
    # --quiet: the terminal report shows findings only, no summary or "no findings" lines.
    quiet: bool = False
    # The --fail-on in force, so that a report's verdict agrees with the exit code.
    fail_on: str = "error"
    # html-dir: each school's root -> the file name of its own report, for the trust's
    # summary to link to.
    links: tuple[tuple[str, str], ...] = ()
    # html-dir: a school's own page links back to the trust's summary (its file name).
    up: str = ""
    # The terminal's width for the text report to wrap at; None (a pipe, a log): no wrapping.
    width: int | None = None
    # The code scanning category the SARIF report files its results under.
    sarif_category: str = "safesocial"


class Reporter(ABC):
    """Formats a run's result for one kind of reader; never decides the exit code."""

    #: Whether --reveal-names reaches this format: a local report that a person asked to
    #: name pupils in. Every other format is shareable and names pupils by ref only.
    may_name_pupils: ClassVar[bool] = False
    #: Bytes for a file (PDF) rather than text that can also go to a terminal.
    binary: ClassVar[bool] = False

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()

    @abstractmethod
    def render(self, result: RunResult, rules: Mapping[str, Rule]) -> str | bytes: ...
