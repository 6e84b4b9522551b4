"""Characters where libyaml (YAML 1.1) and the people editing the files disagree.

U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR and U+0085 NEXT LINE come with text
pasted from the web or a word processor into a bio. YAML 1.1, which libyaml reads,
takes each for a line break: a plain value then breaks in two and the file is refused,
and every line number after it is one more than an editor, git or a code review shows.
YAML 1.2 reads them as ordinary characters, and so does safesocial: before parsing,
each is swapped for a private-use character the text does not hold (one character for
one, so every line and column stays where the editor has it), and swapped back in the
values read. Only text that holds one of them pays for this.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from safesocial.errors import InputProblem
from safesocial.findings import Location

if TYPE_CHECKING:  # yamlio imports this module: only its types are needed here
    from safesocial.documents.yamlio import YMap

_BREAKS_1_1 = ("\u2028", "\u2029", "\x85")
# Private use: no standard meaning, so a school's text holds them only by accident; a
# candidate the text holds is skipped.
_CANDIDATES = [chr(c) for c in range(0xE000, 0xE100)]
# What YAML 1.1 accepts as written (its c-printable): tab, line feed, carriage return,
# printable ASCII, NEL and the rest of Unicode but C1 controls, surrogates, U+FFFE/FFFF.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAK = re.compile(r"\r\n?|\n")


def swap_breaks(text: str) -> tuple[str, dict[str, str]]:
    """`text` with each YAML 1.1-only line break swapped for a placeholder, and the map
    back; the text itself and an empty map when it holds none (the usual case)."""
    present = [c for c in _BREAKS_1_1 if c in text]
    if not present:
        return text, {}
    free = (c for c in _CANDIDATES if c not in text)
    back: dict[str, str] = {}
    for char in present:
        placeholder = next(free, None)
        if placeholder is None:  # a text holding every candidate: read as YAML 1.1 does
            break
        text = text.replace(char, placeholder)
        back[placeholder] = char
    return text, back


def restore(data: Any, back: dict[str, str]) -> Any:
    """`data` as parsed, with the placeholders turned back into what was written, in keys
    and values; each mapping and list is fixed once, however often aliases reuse it."""
    seen: set[int] = set()

    def text(value: str) -> str:
        for placeholder, char in back.items():
            if placeholder in value:
                value = value.replace(placeholder, char)
        return value

    def fix(value: Any) -> Any:
        if isinstance(value, str):
            return text(value)
        # Only yamlio's YMap (a dict) and YList (a list) hold other values.
        if not isinstance(value, dict | list) or id(value) in seen:
            return value
        seen.add(id(value))
        if isinstance(value, list):
            value[:] = [fix(item) for item in value]
            return value
        mapping = cast("YMap", value)
        items = list(mapping.items())
        positions = mapping.pos
        mapping.clear()
        mapping.pos = {}
        for key, item in items:
            mapping[text(key)] = fix(item)
            if key in positions:
                mapping.pos[text(key)] = positions[key]
        return mapping

    return fix(data)


def control_character(text: str, file: str) -> InputProblem | None:
    """The first character YAML does not allow written raw, at its line and column as an
    editor counts them; None if there is none (the parser then refused something else)."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return None
    start = found.start()
    line = 1 + len(_LINE_BREAK.findall(text, 0, start))
    last = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start))
    code = f"U+{ord(found.group()):04X}"
    return InputProblem(
        Location(file, line, start - last),
        f"the control character {code} is written here as it is, which YAML does not "
        f'allow; delete it, or write it as "\\u{code[2:]}" inside double quotes',
    )
