"""What every part of the model shares: what was pruned, and how a record's values and
locations are read from its mapping."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from safesocial.documents.yamlio import YMap
from safesocial.findings import Location

SENIOR_ROLES = frozenset({"headteacher", "deputy_head", "assistant_head", "slt"})
PUPIL_CATEGORIES = frozenset({"pupil", "ex_pupil"})


@dataclass(frozen=True, slots=True)
class Pruned:
    """A value or list entry taken out of a document because it failed its schema.

    `path` runs from the record's own mapping (the account file, one staff account
    entry, a whole school file) with list indexes as written; `entry` says a list entry
    was skipped and the rest of the list kept, rather than a value removed.
    """

    path: tuple[str | int, ...]
    location: Location
    entry: bool
    # A skipped entry's own ref (a pupil's, a member of staff's) where it could be read:
    # checks then know the entry exists, and never call it missing from its register.
    ref: str | None = None

    def dotted(self, prefix: str = "") -> str:
        """``account.followers[]``, ``policy.followers.approval``: indexes become []."""
        out = prefix
        for part in self.path:
            if isinstance(part, int):
                out += "[]"
            else:
                out += f".{part}" if out else part
        return out


def empty_map(file: str) -> YMap:
    return YMap(file, 1, 1)


def get_path(root: Mapping[str, Any], dotted: str) -> Any:
    """Follow a dotted path (``policy.followers.approval``) through nested mappings."""
    value: Any = root
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value
