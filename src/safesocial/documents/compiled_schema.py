"""A fast yes/no validator for the JSON Schema subset safesocial's schemas and rules use.

jsonschema explains errors well but costs tens of microseconds per follower entry, more
than parsing it; a school's accounts hold tens of thousands of entries and almost all
of them are valid. `compile_schema` turns a schema into plain Python predicates that
only answer "valid?". When the answer is no, or a schema uses a keyword this module
does not know, the caller asks jsonschema, which then writes the located message: so
the fast path can only ever save time, never change what a user is told.

The predicates must agree with jsonschema exactly, not merely never accept more: under
`not` or as an `if`, a check that is stricter than jsonschema would accept too much.
tests/test_compiled_schema.py compares the two on generated documents and rule views.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from urllib.parse import unquote

from safesocial.documents import patterns

Check = Callable[[Any], bool]

# Keywords that only describe; they never make a document invalid.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "default", "examples", "$defs"}
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


class Unsupported(Exception):
    """The schema uses a keyword the fast path does not implement."""


class BadReference(ValueError):
    """A `$ref` inside the schema leads to nothing (the pack loader refuses these first,
    at their line: see schema_safety.py)."""


@functools.lru_cache(maxsize=4096)  # a school's files repeat the same few dates
def _is_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _type_check(kind: str) -> Check:
    # bool is an int in Python but not an integer or number in JSON Schema.
    checks: dict[str, Check] = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: (
            (isinstance(v, int) and not isinstance(v, bool))
            or (isinstance(v, float) and v.is_integer())
        ),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "null": lambda v: v is None,
    }
    if kind not in checks:
        raise Unsupported(f"type {kind}")
    return checks[kind]


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, pointer: str) -> Check:
        if pointer not in self.refs:
            if not pointer.startswith("#/"):
                raise Unsupported(f"$ref {pointer}")
            found, node = resolve(self.root, pointer)
            if not found:
                raise BadReference(f"$ref {pointer!r} leads to nothing in the schema")
            # Placeholder first, so a recursive reference would resolve lazily.
            holder: list[Check] = []
            self.refs[pointer] = lambda v: holder[0](v)
            holder.append(self.compile(node))
            self.refs[pointer] = holder[0]
        return self.refs[pointer]

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, Mapping):
            raise Unsupported("schema is not an object")
        shaped = "properties" in schema or "required" in schema or "additionalProperties" in schema
        kind = schema.get("type")
        checks: list[Check] = []
        texts: list[Check] = []  # checks that only judge text, when the type demands text
        for key, value in schema.items():
            if key in _ANNOTATIONS or key in _WITH_OTHERS:
                continue
            if key == "pattern" and value == _DATE_PATTERN and schema.get("format") == "date":
                continue  # the date check already demands this shape
            if kind == "string" and key in _TEXT_ONLY:
                texts.append(_text_only(key, value))
            elif key == "type" and kind in ("object", "string") and (shaped or kind == "string"):
                continue  # said below, with the checks it makes redundant
            else:
                checks.append(self.keyword(key, value, schema))
        if kind == "string" and texts:
            # One type check, then each text check without its own "is it text?".
            rest = _all_of(texts)
            checks.append(lambda v: isinstance(v, str) and rest(v))
        elif kind == "string":
            checks.append(_type_check("string"))
        if shaped:
            checks.append(self.object_shape(schema, strict=kind == "object"))
        return _all_of(checks)

    def keyword(self, key: str, value: Any, schema: Mapping[str, Any]) -> Check:
        if key == "$ref":
            return self.ref(value)
        if key == "type":
            kinds = [_type_check(k) for k in (value if isinstance(value, list) else [value])]
            if len(kinds) == 2:
                first, second = kinds
                return lambda v: first(v) or second(v)
            return kinds[0] if len(kinds) == 1 else (lambda v: any(k(v) for k in kinds))
        if key == "enum":
            options = list(value)
            if all(type(o) is str for o in options):
                words = frozenset(options)
                return lambda v: type(v) is str and v in words
            return lambda v: any(_json_equal(v, o) for o in options)
        if key == "const":
            return lambda v: _json_equal(v, value)
        if key in ("allOf", "anyOf", "oneOf"):
            subs = [self.compile(sub) for sub in value]
            if key == "allOf":
                return _all_of(subs)
            if key == "anyOf":
                return lambda v: any(sub(v) for sub in subs)
            return lambda v: sum(1 for sub in subs if sub(v)) == 1
        if key == "not":
            inner = self.compile(value)
            return lambda v: not inner(v)
        if key == "if":
            test = self.compile(value)
            then = self.compile(schema.get("then", True))
            otherwise = self.compile(schema.get("else", True))
            return lambda v: then(v) if test(v) else otherwise(v)
        if key in ("then", "else"):
            return lambda v: True  # applied with their `if`, or ignored without one
        if key == "contains":
            if "minContains" in schema or "maxContains" in schema:
                raise Unsupported("minContains")
            wanted = self.compile(value)
            return lambda v: not isinstance(v, list) or any(wanted(x) for x in v)
        if key == "properties":
            return lambda v: True  # handled by object_shape, which sees the whole mapping
        if key == "items":
            item = self.compile(value)

            def items(v: Any) -> bool:
                if isinstance(v, list):
                    for x in v:
                        if not item(x):
                            return False
                return True

            return items
        if key == "pattern":
            if value == _DATE_PATTERN and schema.get("format") == "date":
                return lambda v: True  # the date check below already demands this shape
            matches = patterns.matcher(value)  # RE2: linear in the text, never backtracking
            return lambda v: not isinstance(v, str) or matches(v)
        if key == "format":
            if value != "date":
                raise Unsupported(f"format {value}")
            return lambda v: not isinstance(v, str) or _is_date(v)
        bounds: dict[str, Check] = {
            "minLength": lambda v: not isinstance(v, str) or len(v) >= value,
            "maxLength": lambda v: not isinstance(v, str) or len(v) <= value,
            "minItems": lambda v: not isinstance(v, list) or len(v) >= value,
            "maxItems": lambda v: not isinstance(v, list) or len(v) <= value,
            "minimum": lambda v: _not_number(v) or v >= value,
            "maximum": lambda v: _not_number(v) or v <= value,
            "uniqueItems": lambda v: not value or not isinstance(v, list) or _unique(v),
            "minProperties": lambda v: not isinstance(v, dict) or len(v) >= value,
            "maxProperties": lambda v: not isinstance(v, dict) or len(v) <= value,
        }
        if key in bounds:
            return bounds[key]
        raise Unsupported(key)

    def object_shape(self, schema: Mapping[str, Any], strict: bool = False) -> Check:
        """The object's keys and their values; `strict`: it must be an object too (its
        `type` said so, and the shape then makes the one test for both).

        Written out as Python source and compiled once, with each property's test
        inline where it is a simple one (its type, an enum of words): a fleet runs this
        for every follower and record row, where a call per value costs more than the
        test itself. The source holds nothing of the schema's own text, so a rule pack
        can put no code in it: each property name, word list and length is passed in
        by a name of ours (`_p3_name`).
        """
        props = {name: self.compile(sub) for name, sub in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties", True)
        closed = extra is False
        other = None if extra is True or closed else self.compile(extra)
        scope: dict[str, Any] = {"_required": tuple(schema.get("required", ())), "_other": other}
        source = [
            "def check(v):",
            "    if not isinstance(v, dict):",
            f"        return {not strict}",
        ]
        source += [
            "    for name in _required:",
            "        if name not in v:",
            "            return False",
            "    for name, x in v.items():",
        ]
        for index, (name, sub) in enumerate(schema.get("properties", {}).items()):
            label = f"_p{index}"
            scope[label] = props[name]
            test = self._inline(sub, label, scope)
            scope[f"{label}_name"] = name
            source.append(f"        {'elif' if index else 'if'} name == {label}_name:")
            source.append(f"            if not ({test}):")
            source.append("                return False")
        # A key the properties do not name: refused, checked by additionalProperties, or let be.
        pad = "            " if props else "        "
        source += ["        else:"] if props else []
        if closed:
            source.append(f"{pad}return False")
        elif other is not None:
            source += [f"{pad}if not _other(x):", f"{pad}    return False"]
        else:
            source.append(f"{pad}pass")
        source.append("    return True")
        exec("\n".join(source), scope)  # what the source holds: see the docstring
        check: Check = scope["check"]
        return check

    def _inline(self, sub: Any, label: str, scope: dict[str, Any], hops: int = 0) -> str:
        """A Python expression testing `x` as `sub` does; a call of `label`, its compiled
        check, unless `sub` is one of the simple shapes written out here."""
        if not isinstance(sub, Mapping):
            return f"{label}(x)"
        said = {key: value for key, value in sub.items() if key not in _ANNOTATIONS}
        if set(said) == {"$ref"} and hops < 8:
            found, target = resolve(self.root, said["$ref"])
            return self._inline(target, label, scope, hops + 1) if found else f"{label}(x)"
        kind = said.get("type")
        if set(said) == {"type"} and isinstance(kind, str) and kind in _INLINE_TYPES:
            return _INLINE_TYPES[kind]
        size = said.get("minLength")
        if set(said) == {"type", "minLength"} and kind == "string" and type(size) is int:
            scope[f"{label}_size"] = size
            return f"isinstance(x, str) and len(x) >= {label}_size"
        words = said.get("enum")
        if set(said) == {"enum"} and isinstance(words, list) and all(type(w) is str for w in words):
            scope[f"{label}_words"] = frozenset(words)
            return f"type(x) is str and x in {label}_words"
        return f"{label}(x)"


# Keywords applied with another (`then` with its `if`, the rest in object_shape).
_WITH_OTHERS = frozenset({"required", "additionalProperties", "properties", "then", "else"})
# A schema of one `type` written as a Python test of `x` (see object_shape); the same
# tests as _type_check's.
_INLINE_TYPES = {
    "string": "isinstance(x, str)",
    "boolean": "isinstance(x, bool)",
    "object": "isinstance(x, dict)",
    "array": "isinstance(x, list)",
    "null": "x is None",
}
# Keywords that judge text only, and pass anything else.
_TEXT_ONLY = frozenset({"minLength", "maxLength", "pattern", "format"})


def _text_only(key: str, value: Any) -> Check:
    """`key`'s check for a value already known to be text."""
    if key == "minLength":
        return lambda v: len(v) >= value
    if key == "maxLength":
        return lambda v: len(v) <= value
    if key == "pattern":
        return patterns.matcher(value)  # RE2: linear in the text, never backtracking
    if value != "date":
        raise Unsupported(f"format {value}")
    return _is_date


def _all_of(checks: list[Check]) -> Check:
    # Spelled out for the common small counts: a generator per value costs more than
    # the checks themselves on a list of ten thousand followers.
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    if len(checks) == 3:
        first, second, third = checks
        return lambda v: first(v) and second(v) and third(v)

    return lambda v: all(check(v) for check in checks)


def _not_number(v: Any) -> bool:
    return isinstance(v, bool) or not isinstance(v, int | float)


def _json_equal(a: Any, b: Any) -> bool:
    """Equality as JSON Schema means it: true is not 1, but 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return bool(a == b)
    if isinstance(a, str) or isinstance(b, str):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    return a is None and b is None


def _unique(items: list[Any]) -> bool:
    if all(type(x) is str for x in items):
        return len(set(items)) == len(items)
    return not any(
        _json_equal(items[i], items[j]) for i in range(len(items)) for j in range(i + 1, len(items))
    )


def compile_schema(schema: Mapping[str, Any]) -> Check | None:
    """A fast predicate for `schema`, or None when it uses keywords this module lacks."""
    try:
        return _Compiler(schema).compile(schema)
    except Unsupported:
        return None


def resolve(root: Any, pointer: str) -> tuple[bool, Any]:
    """(found, node) for a local `$ref` such as `#/$defs/x` (a JSON Pointer, RFC 6901)."""
    if pointer == "#":
        return True, root
    if not pointer.startswith("#/"):
        return False, None
    node = root
    for raw in pointer[2:].split("/"):
        part = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False, None
    return True, node
