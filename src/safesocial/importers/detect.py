"""Tell which platform an export came from, for the error given when it is the wrong one.

Each platform's module has its own `detect`; the order and the names come from the table
in platforms.py.
"""

from __future__ import annotations

from safesocial.errors import ImportProblem
from safesocial.importers.archive import Export
from safesocial.importers.platforms import PLATFORMS, Platform


def guess(export: Export) -> Platform | None:
    """The platform the export looks like, if any."""
    for platform in PLATFORMS:
        if platform.detector(export):
            return platform
    return None


def not_this_kind(export: Export, wanted: str, expected: str) -> ImportProblem:
    """The error for an export that lacks the file `expected` that `wanted` always has."""
    found = guess(export)
    if found is not None and found.kind != wanted:
        return ImportProblem(
            f"{export.shown}: this looks like {found.kind}, not {wanted} (which always holds "
            f"{expected}); to import it, use `safesocial import {found.fmt}`"
        )
    return ImportProblem(
        f"{export.shown}: not {wanted}: expected {expected} in it, and found no file "
        "safesocial recognises from any platform's export"
    )
