"""The mappings and lists a YAML document is read into, each knowing where its entries
were written (see yamlio)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from safesocial.findings import Location

Pos = tuple[int, int]
# A key's line and column, then its value's when known (see YMap.pos).
Where = tuple[int, ...]


class YMap(dict[str, Any]):
    """A mapping that knows its file and where each of its keys was written."""

    __slots__ = ("col", "file", "line", "pos")

    # No dict.__init__ (nor list.__init__ below): the new object is empty already, and a
    # fleet makes hundreds of thousands of these, where the call costs half of __init__.
    def __init__(self, file: str, line: int, col: int) -> None:
        self.file = file
        self.line = line
        self.col = col
        # Where each key was written, and where its value was when it is not where its
        # key is (a CSV cell is both): (key line, key column[, value line, value column]).
        # A wrong value is reported at the value, a wrong key at the key. One table of
        # one tuple a key, not two of two: a fleet makes and frees millions of them.
        self.pos: dict[str, Where] = {}

    @property
    def key_pos(self) -> Mapping[str, Pos]:
        """Where each key was written. Read-only, so that a write meant for `pos` fails
        loudly instead of changing a copy."""
        return MappingProxyType({key: (at[0], at[1]) for key, at in self.pos.items()})

    @property
    def val_pos(self) -> Mapping[str, Pos]:
        """Where each value was written, where that is known (read-only, like key_pos)."""
        return MappingProxyType({k: (at[2], at[3]) for k, at in self.pos.items() if len(at) == 4})

    def loc(self, key: str | None = None) -> Location:
        """The location of `key` (or of the mapping itself when absent)."""
        if key is not None:
            at = self.pos.get(key)
            if at is not None:
                return Location(self.file, at[0], at[1])
        return Location(self.file, self.line, self.col)

    def value_loc(self, key: str) -> Location:
        """The location of `key`'s value (its key's when the value's is not known)."""
        at = self.pos.get(key)
        if at is not None and len(at) == 4:
            return Location(self.file, at[2], at[3])
        return self.loc(key)


class YList(list[Any]):
    """A sequence that knows its file and where each item was written."""

    __slots__ = ("col", "file", "item_pos", "line", "origin")

    def __init__(self, file: str, line: int, col: int) -> None:
        self.file = file
        self.line = line
        self.col = col
        self.item_pos: list[Pos] = []
        # Set once an unreadable entry is taken out: each kept entry's index as written,
        # so "follower #4" stays follower #4 (waivers and baselines name entries so).
        self.origin: list[int] | None = None

    def number(self, index: int) -> int:
        """The index `index` had in the file, before any unreadable entry was taken out."""
        return self.origin[index] if self.origin is not None else index

    def drop(self, index: int) -> None:
        """Take out one entry, keeping positions and the entries' written indexes."""
        if self.origin is None:
            self.origin = list(range(len(self)))
        del self[index]
        del self.origin[index]
        if index < len(self.item_pos):
            del self.item_pos[index]

    def loc(self, index: int | None = None) -> Location:
        if index is not None and 0 <= index < len(self.item_pos):
            line, col = self.item_pos[index]
            return Location(self.file, line, col)
        return Location(self.file, self.line, self.col)


def _located(value: Any, part: str | int) -> bool:
    """Whether `value` is a located container holding `part` (a key or an index)."""
    if isinstance(value, YMap):
        return isinstance(part, str) and part in value
    if isinstance(value, YList):
        return isinstance(part, int) and 0 <= part < len(value)
    return False


def locate(root: Mapping[str, Any], path: Iterable[str | int]) -> Location | None:
    """The deepest known location along `path` (keys and list indexes) from `root`."""
    best: Location | None = None
    value: Any = root
    for part in path:
        if _located(value, part):
            best = value.loc(part)
            value = value[part]
        elif isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            break
        if best is None and isinstance(value, YMap | YList):
            best = value.loc()
    return best
