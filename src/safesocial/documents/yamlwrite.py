"""Write YAML values the way the school's files are written by hand.

Used for what an import adds or changes (a new follower, a new `observed_on`); what it
leaves alone is copied from the file as it was (yamledit.py). The style follows the
examples: one flow mapping per list entry (`- {handle: "@x", category: unknown}`),
block mappings at the top, and quotes wherever a plain word could be misread (dates,
refs of digits, handles, yes/no). Every file written is read back and compared with what
was meant before it replaces anything (see `same`).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

# Read as true/false/null by YAML 1.1 tools (editors, other linters), so quoted as values;
# safesocial's own loader reads only true/false/null, so `on:` may stay a plain key.
_AMBIGUOUS = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"}
_KEY_OK = {"on", "off", "yes", "no", "y", "n"}
_PUNCT = frozenset(" _.-@/()'!?&+%;=")
ITEM_WIDTH = 160  # a flow entry in a list, as the examples write followers
LINE_WIDTH = 100


def _plain(text: str, flow: bool, key: bool = False) -> bool:
    if not text or text != text.strip() or "\n" in text:
        return False
    if text.lower() in _AMBIGUOUS and not (key and text in _KEY_OK):
        return False
    if not (text[0].isalpha() or text[0] == "_"):
        return False
    allowed = _PUNCT if flow else _PUNCT | {","}
    return all(c.isalnum() or c in allowed for c in text)


def _escape(c: str) -> str:
    code = ord(c)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _hidden(c: str) -> bool:
    # Control, format (bidi overrides, zero-width), separator and unassigned characters
    # are written as escapes: visible in an editor, and never misread as a line break.
    return unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


_SIMPLE = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def quoted(text: str) -> str:
    out = []
    for c in text:
        if c in _SIMPLE:
            out.append(_SIMPLE[c])
        elif _hidden(c):
            out.append(_escape(c))
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _number(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if "." not in mantissa:  # YAML 1.2's core schema needs the dot: 1.0e+20, not 1e+20
        mantissa += ".0"
    return mantissa + e + exponent


def scalar(value: Any, flow: bool = False, key: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    text = str(value)
    return text if _plain(text, flow, key) else quoted(text)


def flow(value: Any) -> str:
    if isinstance(value, Mapping):
        inner = ", ".join(f"{scalar(k, True, key=True)}: {flow(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value, flow=True)


def _literal(text: str) -> str | None:
    """The block-literal indicator for multi-line text, or None when quoting is safer."""
    if "\n" not in text or text.startswith(("\n", " ")) or text.endswith("\n\n"):
        return None
    lines = text.rstrip("\n").split("\n")
    if any(line != line.rstrip() or _has_hidden(line) or "\t" in line for line in lines):
        return None
    return "|" if text.endswith("\n") else "|-"


def _has_hidden(text: str) -> bool:
    return any(_hidden(c) for c in text)


def entry(key: str, value: Any, indent: int) -> list[str]:
    """`key: value` at `indent`, as lines without line breaks."""
    pad = " " * indent
    head = f"{pad}{scalar(key, key=True)}:"
    if isinstance(value, Mapping):
        if not value:
            return [head + " {}"]
        return [head, *block_map(value, indent + 2)]
    if isinstance(value, list | tuple):
        if not value:
            return [head + " []"]
        if not any(isinstance(v, Mapping | list | tuple) for v in value):
            one = f"{head} {flow(value)}"
            if len(one) <= LINE_WIDTH:
                return [one]
        return [head, *block_list(value, indent + 2)]
    if isinstance(value, str):
        indicator = _literal(value)
        if indicator:
            body = value.rstrip("\n").split("\n")
            return [f"{head} {indicator}"] + [f"{pad}  {line}" if line else "" for line in body]
    return [f"{head} {scalar(value)}"]


def block_map(value: Mapping[str, Any], indent: int) -> list[str]:
    return [line for k, v in value.items() for line in entry(str(k), v, indent)]


def item(value: Any, indent: int) -> list[str]:
    """One list entry at `indent` (the column of its dash), as lines."""
    dash = " " * indent + "- "
    if isinstance(value, Mapping) and value:
        one = dash + flow(value)
        if len(one) <= ITEM_WIDTH and not any(
            isinstance(v, str) and "\n" in v for v in value.values()
        ):
            return [one]
        lines = block_map(value, indent + 2)
        return [dash + lines[0][indent + 2 :], *lines[1:]]
    if isinstance(value, Mapping | list | tuple):
        return [dash + flow(value)]
    return [dash + scalar(value)]


def block_list(value: Sequence[Any], indent: int) -> list[str]:
    return [line for v in value for line in item(v, indent)]


def document(value: Mapping[str, Any]) -> list[str]:
    return block_map(value, 0)


def same(a: Any, b: Any) -> bool:
    """Equal as data, key order included, and never True == 1 (Python's == says so).

    Iterative, with a stack of its own: YAML aliases can build nesting hundreds of levels
    deep in a few lines, past what Python's recursion allows. A pair already compared (an
    alias shares its node) is not compared again."""
    stack = [(a, b)]
    seen: set[tuple[int, int]] = set()
    while stack:
        x, y = stack.pop()
        if isinstance(x, Mapping | list | tuple):
            pair = (id(x), id(y))
            if pair in seen:
                continue
            seen.add(pair)
        if isinstance(x, Mapping):
            if not isinstance(y, Mapping) or list(x) != list(y):
                return False
            stack.extend((x[k], y[k]) for k in x)
        elif isinstance(x, list | tuple):
            if not isinstance(y, list | tuple) or len(x) != len(y):
                return False
            stack.extend(zip(x, y, strict=True))
        elif isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
            continue
        elif type(x) is not type(y) or x != y:
            return False
    return True


def with_key(doc: Mapping[str, Any], key: str, value: Any, order: Sequence[str]) -> dict[str, Any]:
    """A copy of `doc` with `key` set: in place if present, else after the nearest key
    that comes before it in `order` (the schema's order), so that new keys land where a
    person would have written them."""
    out = dict(doc)
    if key in out:
        out[key] = value
        return out
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(key, len(order))
    keys = list(out)
    at = 0
    for index, existing in enumerate(keys):
        if existing in rank and rank[existing] <= mine:
            at = index + 1
    keys.insert(at, key)
    out[key] = value
    return {k: out[k] for k in keys}
