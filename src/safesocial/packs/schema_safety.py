"""Static checks on the JSON Schema a rule pack holds, made once when the pack loads.

A rule's schema runs on whatever a bio or a caption holds, so what could make it run
without end, or reach outside the pack, is refused here, at its line:

- a `pattern` that RE2 cannot run or that compiles too large (patterns.py: every
  pattern runs through RE2, in time linear in the text, so nothing is guessed from a
  pattern's shape);
- `patternProperties` and `format: regex`, which jsonschema would run through Python's
  backtracking `re` (write `propertyNames: {pattern: ...}`, which runs through RE2);
- a `$ref` to a URL or a file (jsonschema before 4.18 fetched URLs), a `$ref` inside
  the rule that leads to nothing, and `$id` and anchors, which change what a `$ref` means.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from safesocial.documents import patterns
from safesocial.documents.compiled_schema import resolve

Path = tuple[str | int, ...]


# Keywords whose value maps names (of properties, definitions) to schemas: a key there is
# a name, not a keyword (a property may be called "pattern" or "$id").
_NAMED = frozenset({"properties", "$defs", "definitions", "dependentSchemas", "patternProperties"})


def _walk(schema: Any, path: Path = (), names: bool = False) -> Iterator[tuple[Path, str, Any]]:
    """Every (path, keyword, value) in a JSON Schema, depth first."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if not names:
                yield (*path, key), key, value
            yield from _walk(value, (*path, key), names=not names and key in _NAMED)
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from _walk(value, (*path, index))


def _regexes(schema: Any) -> Iterator[tuple[Path, str]]:
    """Every `pattern` in a JSON Schema, with the path to it."""
    for path, key, value in _walk(schema):
        if key == "pattern" and isinstance(value, str):
            yield path, value


def problems(schema: Any) -> Iterator[tuple[Path, str]]:
    """What is unsafe in a JSON Schema written in a rule, with the path to each place."""
    for path, regex in _regexes(schema):
        why = patterns.problem(regex)
        if why:
            yield path, f"the regular expression {regex!r} {why} (see docs/writing-rules.md)"
    for path, key, value in _walk(schema):
        if key == "patternProperties" and isinstance(value, dict):
            yield (
                path,
                "patternProperties is not supported in a rule (jsonschema would run it "
                "through a backtracking engine); use propertyNames: {pattern: ...}",
            )
        elif key in ("$id", "$anchor", "$dynamicAnchor"):
            # They change what a reference means; a rule's references are to its own
            # schema, resolved from its top (as schema_safety and compiled_schema read them).
            yield path, f"{key} is not supported in a rule: refer to #/$defs/... instead"
        elif key == "format" and value == "regex":
            yield path, "format: regex is not supported in a rule: it would compile the text"
        elif key in ("$ref", "$dynamicRef") and isinstance(value, str):
            # Only the rule's own definitions: a reference to a URL or a file would make
            # the validator reach outside the pack.
            if not value.startswith("#"):
                yield path, f"{key} {value!r} points outside the rule; use #/$defs/... only"
            elif not resolve(schema, value)[0]:
                yield path, f"{key} {value!r} leads to nothing in this rule's schema"
