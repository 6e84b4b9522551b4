"""What a rule reads: dotted paths of a target's view, and the school parts behind them.

A declarative rule's reads come from the paths its JSON Schemas (`schema`, `when`,
`where`), its list and its message templates actually name; a Python check kind
declares its own (CheckKind.reads). The engine does not run a rule on a target where
one of its reads could not be read (docs/writing-rules.md).

Paths are written ``account.followers[].category``: ``[]`` stands for every entry of a
list. Two paths touch when one is a prefix of the other, segment by segment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from safesocial.model.parts import NAMES as PARTS

Segments = tuple[str, ...]
# The top-level names of a target's view (engine._contexts builds it).
VIEW_KEYS = ("account", "policy", "school", "staff_account", "staff")
# The target itself always exists: a read of all of it says nothing.
_TARGETS = frozenset({"account", "staff_account"})
# Keywords that say something about the value where they stand (a read of it), as
# opposed to ones that only lead further in or only annotate.
_ANNOTATIONS = frozenset({"description", "title", "$comment", "default", "examples"})
_SAME_PLACE = ("allOf", "anyOf", "oneOf")
_ONE_SCHEMA = ("not", "if", "then", "else")
_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


def segments(path: str) -> Segments:
    """``account.followers[].category`` -> ("account", "followers", "[]", "category")."""
    return tuple(p for p in path.replace("[]", ".[].").split(".") if p)


def dotted(parts: Iterable[str]) -> str:
    out = ""
    for part in parts:
        out += part if part == "[]" or not out else f".{part}"
    return out


def touches(a: Segments, b: Segments) -> bool:
    """Whether one path leads into the other (a prefix either way)."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def schema_reads(schema: Any, at: Segments = ()) -> Iterator[Segments]:
    """The paths a JSON Schema reads below `at`: every place with a constraint on it."""
    if not isinstance(schema, Mapping):
        return
    here = False
    for key, value in schema.items():
        if key == "properties" and isinstance(value, Mapping):
            for name, sub in value.items():
                yield from schema_reads(sub, (*at, str(name)))
        elif key == "required" and isinstance(value, list):
            yield from ((*at, str(name)) for name in value)
        elif key in _SAME_PLACE and isinstance(value, list):
            for sub in value:
                yield from schema_reads(sub, at)
        elif key in _ONE_SCHEMA:
            yield from schema_reads(value, at)
        elif key in ("items", "contains") and isinstance(value, Mapping):
            yield (*at, "[]")
            yield from schema_reads(value, (*at, "[]"))
        elif key == "type":
            here = here or value != "object"  # "an object" alone only leads further in
        elif key not in _ANNOTATIONS:
            here = True  # const, enum, minItems, additionalProperties...
    if here:
        yield at


def _canonical(path: Segments) -> Segments | None:
    """A read in the shared namespace, or None when it reads nothing checkable.

    A staff account's `staff` is its holder's entry on the roster in school.yaml.
    """
    if not path or path[0] not in (*VIEW_KEYS, *PARTS):
        return None
    if path[0] == "staff":
        return ("school", "staff", "[]", *path[1:])
    if len(path) == 1 and path[0] in _TARGETS:
        return None
    return path


def _template_reads(text: Any, entry: Segments | None) -> Iterator[Segments]:
    if not isinstance(text, str):
        return
    for name in _FIELD.findall(text):
        path = segments(name)
        if path and path[0] == "entry" and entry is not None:
            yield (*entry, *path[1:])
        else:
            yield path


def derive(check: Mapping[str, Any], when: Any, declared: Iterable[str]) -> tuple[str, ...]:
    """Every path a rule reads: its kind's declared reads and what its own text names."""
    found: list[Segments] = [segments(p) for p in declared]
    found.extend(schema_reads(when))
    found.extend(schema_reads(check.get("schema")))
    listed = check.get("list")
    entry = (*segments(listed), "[]") if isinstance(listed, str) else None
    if entry is not None:
        found.append(entry[:-1])
        found.extend(schema_reads(check.get("where"), entry))
    related = check.get("related")
    if isinstance(related, str):
        found.append(segments(related))
    for key in ("message", "subject", "related_text"):
        found.extend(_template_reads(check.get(key), entry))
    kept = {c for c in map(_canonical, found) if c is not None}
    return tuple(sorted(dotted(c) for c in kept))


def needs(reads: Iterable[str]) -> frozenset[str]:
    """The school parts (model/parts.py) behind these reads."""
    heads = {segments(r)[0] for r in reads}
    return frozenset(h for h in heads if h in PARTS)
