"""JSON Schema's `pattern`, matched by RE2: time linear in the text, whatever the pattern.

Every `pattern` in a schema, ours or a rule pack's, runs here (the compiled validator in
compiled_schema.py and jsonschema, which validate.py hands this same matcher). Python's `re`
backtracks: `^(a+)+$` on thirty a's and a b runs for minutes, and even a plain-looking
`\\b[\\w-]+\\.com` is quadratic on a long bio of `a-a-a-...`. RE2 never backtracks, so a
match costs at most (the pattern's compiled size) x (the text's length), and the size
is capped here when the pattern is read. Nothing is guessed from the pattern's shape.

RE2 reads the syntax JSON Schema asks for (ECMA-262's) with three differences, handled
here so that a pattern means what the JSON Schema specification says it means:

- `\\s` and `\\S` are ECMA's Unicode white space (RE2's own are ASCII only);
- `\\uXXXX` and `\\u{X...}` are written `\\x{...}` for RE2;
- look-ahead, look-behind and back-references have no linear-time algorithm, so RE2
  has none: a pattern using them is refused when the pack loads, at its line.

`\\d`, `\\w` and `\\b` are ASCII in RE2 and in ECMA-262 alike; `$` matches only at the very
end of the text (Python's `re` also matched before a final newline).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

MAX_PATTERN_LENGTH = 1000
# RE2 instructions a compiled pattern may hold: the factor a match's cost has over the
# text's length. The longest built-in pattern compiles to about 220; `a{1000}{2}` to 2,000.
MAX_PROGRAM = 2000
# ECMA-262's WhiteSpace and LineTerminator: tab, line feed, vertical tab, form feed,
# carriage return, every Unicode space separator (Zs, Zl, Zp: U+00A0, U+2028...) and U+FEFF.
_SPACE = r"\t\n\v\f\r\p{Z}\x{FEFF}"
_ECMA_U = re.compile(r"u(?:([0-9A-Fa-f]{4})|\{([0-9A-Fa-f]{1,6})\})")


class PatternError(ValueError):
    """A pattern safesocial will not run; the message says why, in words."""


def translate(pattern: str) -> str:
    """`pattern` (ECMA-262 syntax) rewritten in RE2's, meaning the same."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            unicode = _ECMA_U.match(pattern, i + 1) if escaped == "u" else None
            if escaped == "s":
                out.append(_SPACE if in_class else f"[{_SPACE}]")
            elif escaped == "S":
                if in_class:
                    raise PatternError(
                        "writes \\S inside [...], which RE2 cannot combine; "
                        "write [^...] listing \\s and the other characters instead"
                    )
                out.append(f"[^{_SPACE}]")
            elif unicode:
                out.append(f"\\x{{{unicode.group(1) or unicode.group(2)}}}")
                i = unicode.end()
                continue
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


def _options() -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print its own complaint to stderr
    return options


@functools.lru_cache(maxsize=1024)
def compiled(pattern: str) -> Any:
    """RE2's compiled form of `pattern`; PatternError when it is refused."""
    import re2

    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(
            f"is {len(pattern):,} characters long; a pattern may have {MAX_PATTERN_LENGTH:,}"
        )
    try:
        regexp = re2.compile(translate(pattern), _options())
    except re2.error as exc:
        reason = exc.args[0] if exc.args else ""
        text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        raise PatternError(
            f"is not a regular expression safesocial can run (RE2 says: {text}); patterns "
            "run in time linear in the text, so look-ahead, look-behind and "
            "back-references are not supported"
        ) from None
    if regexp.programsize > MAX_PROGRAM:
        raise PatternError(
            f"compiles to {regexp.programsize:,} steps; a pattern may have {MAX_PROGRAM:,} "
            "(repeat counts multiply: write a shorter one)"
        )
    return regexp


def problem(pattern: str) -> str | None:
    """Why `pattern` is refused, in words; None when it can run."""
    try:
        compiled(pattern)
    except PatternError as exc:
        return str(exc)
    return None


def matcher(pattern: str) -> Callable[[str], bool]:
    """A yes/no: does `pattern` match anywhere in a text (JSON Schema patterns are not
    anchored)?

    A pattern that cannot run raises PatternError here: the pack loader refuses those
    first, so it means a schema that bypassed it, and must not be read as "no match".
    """
    find = compiled(pattern).search

    def matches(text: str) -> bool:
        # Bytes, not str: a text may hold lone surrogates (a file name, JSON), which have
        # no UTF-8; passed through as they are, they match only what any character does.
        return find(text.encode("utf-8", "surrogatepass")) is not None

    return matches


def search(pattern: str, text: str) -> bool:
    """Whether `pattern` matches anywhere in `text`."""
    return matcher(pattern)(text)
