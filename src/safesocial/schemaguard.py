"""Static checks on the JSON Schema a rule pack holds, made once when the pack loads.

Regular expressions that can take exponential time are refused, and so are references
that leave the rule (`$ref` to a URL or a file).

Rules are JSON Schema, and JSON Schema's `pattern` and `patternProperties` run through
Python's `re`, which backtracks and cannot be interrupted: `^(a+)+$` against thirty
a's and a b takes minutes, and a bio or caption is whatever anyone typed. So this reads
each pattern's structure (with the parser `re` itself uses) and refuses the shapes that
backtrack exponentially:

- a repeated part whose own matches can be split more than one way between
  repetitions: a quantifier inside a quantifier where one repetition can end with a
  character the next can start with, as in `(a+)+`, `(\\w+\\s?)*`, `(.*,)*x`;
- a repeated part that can match nothing, as in `(a*)*`;
- a repeated part holding a choice whose alternatives can start alike, as in `(a|ab)*`.

`([a-z0-9-]+\\.)+` (each repetition ends at a dot no repetition starts with) and `(a|b)+`
pass. Polynomial cases (`a*a*a*b` on a long text) are not caught: they are slow, not
endless, on the lengths school files hold. docs/writing-rules.md says so.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

# `re`'s own parser; typeshed has no stubs for it, and 3.11 renamed sre_parse to this.
_parser: Any = importlib.import_module("re._parser")

MAX_PATTERN_LENGTH = 1000
# Sets of characters are compared on this sample: ASCII, Latin-1 and Latin Extended,
# the Unicode spaces and a few other scripts' letters and digits.
_SAMPLE = frozenset(
    [chr(c) for c in range(0x250)]
    + [chr(c) for c in (0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF)]
    + [chr(c) for c in range(0x2000, 0x200C)]
    + [chr(c) for c in range(0x0391, 0x03CA)]  # Greek
    + [chr(c) for c in range(0x0410, 0x0450)]  # Cyrillic
    + [chr(c) for c in range(0x0660, 0x066A)]  # Arabic-Indic digits
    + ["一", "中", "あ", "한"]
)
_EVERYTHING = _SAMPLE
_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})
_ZERO_WIDTH = frozenset({"AT", "ASSERT", "ASSERT_NOT"})

Sub = Any  # re._parser.SubPattern: a list of (opcode, argument) pairs


def _cased(chars: frozenset[str]) -> frozenset[str]:
    # Flags such as (?i) can widen any set: compare generously, never narrowly.
    return chars | {c.lower() for c in chars} | {c.upper() for c in chars if len(c.upper()) == 1}


def _category(name: str, ch: str) -> bool:
    if "DIGIT" in name:
        hit = ch.isdecimal()
    elif "SPACE" in name:
        hit = ch.isspace()
    elif "WORD" in name:
        hit = ch.isalnum() or ch == "_"
    else:  # LINEBREAK and anything new: assume it can match
        hit = True
    return not hit if "NOT" in name else hit


def _in_class(items: Sub, ch: str) -> bool:
    negate, hit = False, False
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            hit = hit or chr(av) == ch
        elif name == "RANGE":
            hit = hit or av[0] <= ord(ch) <= av[1]
        elif name == "CATEGORY":
            hit = hit or _category(str(av), ch)
        else:  # anything unknown might match
            hit = True
    return hit != negate


def _chars(op: str, av: Any) -> frozenset[str]:
    """The characters one single-character item can match."""
    if op == "LITERAL":
        return _cased(frozenset({chr(av)}))
    if op == "NOT_LITERAL":
        return _EVERYTHING - {chr(av)}
    if op == "ANY":
        return _EVERYTHING - {"\n"}
    if op == "IN":
        return _cased(frozenset(c for c in _SAMPLE if _in_class(av, c)))
    return _EVERYTHING


def _children(op: str, av: Any) -> list[Sub]:
    """The sub-patterns inside one item."""
    if op in _REPEATS:
        return [av[2]]
    if op == "SUBPATTERN":
        return [av[-1]]
    if op == "BRANCH":
        return list(av[1])
    if op == "ATOMIC_GROUP":
        return [av]
    if op in ("ASSERT", "ASSERT_NOT"):
        return [av[1]]
    if op == "GROUPREF_EXISTS":
        return [p for p in av[1:] if p is not None]
    return []


def _min_width(sub: Sub) -> int:
    return int(sub.getwidth()[0])


def _edge(sub: Sub, last: bool) -> frozenset[str]:
    """The characters a match of `sub` can start with (or end with, when `last`)."""
    found: set[str] = set()
    items = list(sub)
    for op_code, av in reversed(items) if last else items:
        op = str(op_code)
        if op in _ZERO_WIDTH:
            continue
        if op == "GROUPREF":
            return _EVERYTHING  # a backreference can be anything its group matched
        inner = _children(op, av)
        if inner:
            for part in inner:
                found |= _edge(part, last)
            nullable = (op in _REPEATS and av[0] == 0) or any(_min_width(p) == 0 for p in inner)
        else:
            found |= _chars(op, av)
            nullable = False
        if not nullable:
            break
    return frozenset(found)


def _overlapping_choice(sub: Sub) -> bool:
    """Whether `sub` holds a choice two of whose alternatives can start alike."""
    for op_code, av in sub:
        op = str(op_code)
        if op == "BRANCH":
            starts = [_edge(alt, last=False) for alt in av[1]]
            nullable = sum(_min_width(alt) == 0 for alt in av[1])
            if nullable > 1:
                return True
            for i, first in enumerate(starts):
                if any(first & other for other in starts[i + 1 :]):
                    return True
        if any(_overlapping_choice(p) for p in _children(op, av)):
            return True
    return False


def _varies(sub: Sub) -> bool:
    low, high = sub.getwidth()
    return bool(low != high)


def _repeat_problem(body: Sub) -> str | None:
    if _min_width(body) == 0:
        return "repeats a part that can match nothing, as in (a*)*"
    if _overlapping_choice(body):
        return "repeats a choice whose alternatives can match the same text, as in (a|ab)*"
    if _varies(body) and _edge(body, last=True) & _edge(body, last=False):
        return (
            "repeats a part that itself repeats with nothing to tell one repetition from "
            "the next, as in (a+)+"
        )
    return None


def _walk(sub: Sub) -> Iterator[str]:
    for op_code, av in sub:
        op = str(op_code)
        if op in ("MAX_REPEAT", "MIN_REPEAT") and av[1] > 1:
            problem = _repeat_problem(av[2])
            if problem:
                yield problem
        for part in _children(op, av):
            yield from _walk(part)


def problem(pattern: str) -> str | None:
    """Why `pattern` is refused, in words; None when it is safe to run."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"is {len(pattern):,} characters long; a pattern may have {MAX_PATTERN_LENGTH:,}"
    try:
        tree = _parser.parse(pattern)
        return next(_walk(tree), None)
    except re.error as exc:
        return f"is not a regular expression Python can read ({exc})"
    except RecursionError:
        return "is nested too deeply to check"


Path = tuple[str | int, ...]


def _regexes(schema: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every regular expression in a JSON Schema (`pattern` values, `patternProperties`
    keys), with the path to it."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                yield (*path, key), value
            elif key == "patternProperties" and isinstance(value, dict):
                for regex in value:
                    yield (*path, key, regex), regex
            yield from _regexes(value, (*path, key))
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from _regexes(value, (*path, index))


def _references(schema: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                yield (*path, key), value
            yield from _references(value, (*path, key))
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from _references(value, (*path, index))


def problems(schema: Any) -> Iterator[tuple[Path, str]]:
    """What is unsafe in a JSON Schema written in a rule, with the path to each place."""
    for path, regex in _regexes(schema):
        why = problem(regex)
        if why:
            yield (
                path,
                (
                    f"the regular expression {regex!r} {why}; on a long bio or caption it "
                    "could run for hours (see docs/writing-rules.md)"
                ),
            )
    for path, ref in _references(schema):
        # Only the rule's own definitions: a reference to a URL or a file would make
        # the validator reach outside the pack (and jsonschema before 4.18 fetched URLs).
        if not ref.startswith("#"):
            yield path, f"{path[-1]} {ref!r} points outside the rule; use #/$defs/... only"
