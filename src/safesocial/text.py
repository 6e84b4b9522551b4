"""Making outside text safe to show: the one escaper every reporter, message and importer uses.

A handle, a caption, a file name or a configuration value can hold characters that
rewrite what a reader sees: terminal escapes (ESC, the C1 controls), line breaks (a
forged finding on a line of its own), direction changes (U+202E, U+061C, U+2066...),
characters that show as nothing (zero-width spaces and joiners, U+2060, the BOM), and
lone surrogates, which a file name that is not UTF-8 becomes and which no UTF-8 output
can hold. Each is shown as a `\\uXXXX` escape instead. A tab stays a tab.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    "["
    "\x00-\x08\x0a-\x1f\x7f-\x9f"  # C0 (but tab) and C1 controls, DEL
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # direction marks, embeddings, isolates
    "\u200b-\u200d\u2060-\u2064\ufeff"  # zero-width and invisible characters, the BOM
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff"  # lone surrogates (a file name's undecodable bytes)
    "]"
)


def visible(text: str) -> str:
    """`text` with every control, invisible or direction-changing character, and every
    lone surrogate, shown as a `\\uXXXX` escape."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def has_unsafe(text: str) -> bool:
    """Whether `visible` would change `text`."""
    return _UNSAFE.search(text) is not None


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_surrogates_escaped(text: str) -> str:
    """JSON text with every lone surrogate written as its JSON escape (`\\udcff`): the
    same string for a JSON reader, and text that can be written as UTF-8 (a file name
    that is not UTF-8 holds surrogates). In JSON text a surrogate can only be inside a
    string, where \\uXXXX is its escape."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_dumps(value: object, indent: int | None = 2) -> str:
    """JSON as json.dumps writes it with `ensure_ascii=False`, but with every lone surrogate
    written as its JSON escape (`\\udcff`): it stays the same string for a JSON reader, and
    the text can be written as UTF-8 (a file name that is not UTF-8 holds surrogates)."""
    import json

    return json_surrogates_escaped(json.dumps(value, indent=indent, ensure_ascii=False))


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 file`, `2 files`; `words` where the plural is not `word` + s (`entries`)."""
    return f"{count} {word if count == 1 else words or word + 's'}"
