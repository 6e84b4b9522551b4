"""Tell which platform an export came from, for the error given when it is the wrong one."""

from __future__ import annotations

import re
from collections.abc import Callable

from safesocial.importers.archive import Export
from safesocial.importers.errors import ImportProblem


def _x(export: Export) -> bool:
    return bool(export.find("manifest.js")) and bool(
        export.matching(re.compile(r"(account|follower|following|tweets?)\.js"))
    )


def _tiktok(export: Export) -> bool:
    return bool(export.matching(re.compile(r"user_data(_tiktok)?\.(json|txt)")))


def _facebook(export: Export) -> bool:
    return bool(
        export.find(
            "people_who_follow_you.json",
            "your_pages.json",
            "your_pages_and_profiles.json",
            "profile_information.json",
            "who_you've_followed.json",
        )
    )


def _instagram(export: Export) -> bool:
    return bool(
        export.matching(
            re.compile(
                r"(personal_information|followers(_\d+)?|following|pending_follow_requests)"
                r"\.(json|html)"
            )
        )
    )


_KINDS: tuple[tuple[str, str, Callable[[Export], bool]], ...] = (
    ("x-archive", "an X archive", _x),
    ("tiktok", "a TikTok download", _tiktok),
    ("facebook", "a Facebook download", _facebook),
    ("instagram", "an Instagram download", _instagram),
)


def guess(export: Export) -> tuple[str, str] | None:
    """(format, description) of the platform the export looks like, if any."""
    for fmt, label, test in _KINDS:
        if test(export):
            return fmt, label
    return None


def not_this_kind(export: Export, wanted: str, expected: str) -> ImportProblem:
    """The error for an export that lacks the file `expected` that `wanted` always has."""
    found = guess(export)
    if found is not None:
        fmt, label = found
        return ImportProblem(
            f"{export.shown}: this looks like {label}, not {wanted} (which always holds "
            f"{expected}); to import it, use `safesocial import {fmt}`"
        )
    return ImportProblem(
        f"{export.shown}: not {wanted}: expected {expected} in it, and found no file "
        "safesocial recognises from any platform's export"
    )
