"""Reporters by name: the CLI picks them, the engine never knows they exist.

The one table of output formats. This module stays light, as importers/platforms.py
does: the CLI reads FORMATS when it starts (for --format and the --output help), and a
reporter's module is imported only when the format is used. Adding a format is a module
beside this one and a row here (CONTRIBUTING.md, "An output format").
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safesocial.reporters.base import Options, Reporter

# The format's name: the module under safesocial.reporters and the Reporter class in it.
_TABLE: dict[str, tuple[str, str]] = {
    "text": ("text", "TextReporter"),
    "json": ("json_", "JsonReporter"),
    "markdown": ("markdown", "MarkdownReporter"),
    "sarif": ("sarif", "SarifReporter"),
    "junit": ("junit", "JunitReporter"),
    "github": ("github", "GithubReporter"),
    "html": ("html", "HtmlReporter"),
    "pdf": ("pdf", "PdfReporter"),
    "plan-md": ("plan", "PlanMarkdownReporter"),
    "plan-csv": ("plan", "PlanCsvReporter"),
}
FORMATS: tuple[str, ...] = tuple(_TABLE)


class _Reporters(Mapping[str, "type[Reporter]"]):
    """The table as name -> Reporter class, each module imported when first asked for."""

    def __getitem__(self, name: str) -> type[Reporter]:
        module, cls = _TABLE[name]
        found: type[Reporter] = getattr(importlib.import_module(f"{__name__}.{module}"), cls)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(_TABLE)

    def __len__(self) -> int:
        return len(_TABLE)


REPORTERS: Mapping[str, type[Reporter]] = _Reporters()


def make(name: str, options: Options | None = None) -> Reporter:
    """The reporter called `name`; the CLI has already checked that the name exists."""
    return REPORTERS[name](options)
