"""`json.dumps(value, indent=2, ensure_ascii=False)`, to the byte, in a third of the time.

Given an indent, the standard library encodes in pure Python, one generator step per
token: measured, it took nearly all of a cached fleet run (8 of 13 s for a report of
115,000 findings). This does the same walk with strings joined once, and the C string
escaper the standard library uses. tests/acceptance/test_json_report.py compares the two.
"""

from __future__ import annotations

from json.encoder import encode_basestring  # the C escaper when it is built
from typing import Any

from safesocial.text import json_surrogates_escaped

_INDENT = "  "


def dumps(value: Any, level: int = 0) -> str:
    """`value` as indented JSON, as if it sat `level` levels deep in a larger document
    (its inner lines indented to match; its first line is not)."""
    parts: list[str] = []
    _encode(value, "\n" + _INDENT * level, parts)
    # As text.json_dumps writes them: a file name that is not UTF-8 holds surrogates.
    return json_surrogates_escaped("".join(parts))


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _scalar(value: Any) -> str | None:
    """A scalar's text, or None for a container."""
    kind = type(value)
    if kind is str:
        return str(encode_basestring(value))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int or (isinstance(value, int) and not isinstance(value, bool)):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):  # a subclass of str
        return str(encode_basestring(value))
    return None


def _encode(value: Any, newline: str, parts: list[str]) -> None:
    text = _scalar(value)
    if text is not None:
        parts.append(text)
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + _INDENT
        separator = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError(f"keys must be text, not {type(key).__name__}")
            # The common scalars are written here: a call for each would cost most of
            # the time saved.
            kind = type(item)
            if kind is str:
                parts.append(f"{separator}{encode_basestring(key)}: {encode_basestring(item)}")
            elif item is None:
                parts.append(f"{separator}{encode_basestring(key)}: null")
            elif kind is int:
                parts.append(f"{separator}{encode_basestring(key)}: {int.__repr__(item)}")
            else:
                text = _scalar(item)
                if text is not None:
                    parts.append(f"{separator}{encode_basestring(key)}: {text}")
                else:
                    parts.append(f"{separator}{encode_basestring(key)}: ")
                    _encode(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        inner = newline + _INDENT
        separator = "[" + inner
        for item in value:
            if type(item) is str:
                parts.append(separator + encode_basestring(item))
            else:
                text = _scalar(item)
                if text is not None:
                    parts.append(separator + text)
                else:
                    parts.append(separator)
                    _encode(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "]")
    else:
        raise TypeError(f"{type(value).__name__} is not JSON")
