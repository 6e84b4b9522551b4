"""What every reporter shares: the interface, and making outside text safe to show."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import TextIO

from safesocial.results import RunResult
from safesocial.rules import Rule

# Control characters (terminal escapes among them) and bidirectional overrides can
# make a hostile handle or caption rewrite what a reader sees; show them as escapes.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """`text` with every control or direction-changing character shown as an escape."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class Reporter(ABC):
    """Formats a run's result for one kind of reader; never decides the exit code."""

    @abstractmethod
    def report(self, result: RunResult, rules: Mapping[str, Rule], out: TextIO) -> None: ...
