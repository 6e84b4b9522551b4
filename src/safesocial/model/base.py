"""What every part of the model shares: what was pruned, and how a record's values and
locations are read from its mapping."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from safesocial.documents.yamlio import YList, YMap
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


R = TypeVar("R")


def maker(cls: type[R]) -> Callable[..., R]:
    """A constructor for the frozen, slotted record `cls` taking every field, in order.

    The __init__ a frozen dataclass is given sets each field through object.__setattr__,
    which costs more than twice this: a fleet builds a record per follower, consent row
    and pupil (hundreds of thousands). The record made is the same and as immutable;
    only its making is shorter. The code is written out, as dataclasses itself does,
    because a loop over the fields would cost what it saves.
    """
    names = [field.name for field in dataclasses.fields(cls)]  # type: ignore[arg-type]
    setters = {f"_set_{name}": getattr(cls, name).__set__ for name in names}
    body = "".join(f"    _set_{name}(record, {name})\n" for name in names)
    source = f"def make({', '.join(names)}):\n    record = _new(_cls)\n{body}    return record\n"
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls, **setters}
    exec(source, scope)  # the source is made of the record's own field names, nothing else
    made: Callable[..., R] = scope["make"]
    return made


def as_date(value: object) -> date | None:
    """A schema-checked YYYY-MM-DD string as a date; anything else is "not recorded"."""
    return date.fromisoformat(value) if isinstance(value, str) else None


def _strs(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _maps(node: YMap, key: str) -> Iterable[YMap]:
    items = node.get(key)
    return items if isinstance(items, YList) else ()


def _indexed(node: YMap, key: str) -> Iterable[tuple[int, YMap]]:
    """A list's entries with their indexes as written (an unreadable one may be gone)."""
    items = node.get(key)
    if not isinstance(items, YList):
        return ()
    return ((items.number(i), item) for i, item in enumerate(items))


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def _opt_bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


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
