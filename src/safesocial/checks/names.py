"""Pupils' names found in captions, by the local pupils register.

Nobody may have filled in a post's `pupils_named`, yet its caption says "Well done Amelia
Khan!". Where the register (kept locally, out of git: SS620) holds names, every caption
is matched against them: whole words, in any case and with or without accents, as first
name and surname, and as each recorded `known_as` with the surname. A match is reported
as the pupil's ref, never the name. One pattern is compiled per school and each caption
is read once, however many rules and pupils there are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from safesocial.model import Post, Pupil, School

_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "Zoë O\u2019Brien" and "zoe o'brien" are one."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("\u2019", "'").replace("\u2018", "'")
    return _SPACE.sub(" ", plain.casefold()).strip()


def variants(pupil: Pupil) -> set[str]:
    """The folded ways a caption can give this pupil's full name."""
    words = fold(pupil.name or "").split(" ")
    if len(words) < 2 or not words[0]:
        return set()  # a first name alone matches too much ("Grace", "May") to report
    first, surname, rest = words[0], words[-1], " ".join(words[1:])
    found = {" ".join(words), f"{first} {surname}", f"{first} {rest}"}
    for nickname in pupil.known_as:
        nick = fold(nickname)
        if " " in nick:
            found.add(nick)  # recorded as a full name already
        elif nick:
            found.update({f"{nick} {surname}", f"{nick} {rest}"})
    return found


@dataclass(frozen=True, slots=True)
class NameMatcher:
    """Every pupil's name variants in one compiled pattern, and who each one names."""

    pattern: re.Pattern[str] | None
    refs: Mapping[str, tuple[str, ...]]

    def pupils_in(self, caption: str) -> tuple[str, ...]:
        """Refs of the pupils whose full name the caption gives, in register order."""
        if self.pattern is None or not caption:
            return ()
        seen: dict[str, None] = {}
        for match in self.pattern.finditer(fold(caption)):
            for ref in self.refs.get(match.group(0), ()):
                seen.setdefault(ref, None)
        return tuple(seen)


def build(pupils: Iterable[Pupil]) -> NameMatcher:
    refs: dict[str, list[str]] = {}
    for pupil in pupils:
        for variant in variants(pupil):
            named = refs.setdefault(variant, [])
            if pupil.ref not in named:
                named.append(pupil.ref)
    if not refs:
        return NameMatcher(None, {})
    # Longest first, so "mary ann smith" wins over "mary ann"; whole words only.
    alternatives = "|".join(re.escape(v) for v in sorted(refs, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    return NameMatcher(pattern, {v: tuple(r) for v, r in refs.items()})


def matcher(school: School) -> NameMatcher:
    """The school's matcher, compiled on first use."""
    found = school.derived.get("name_matcher")
    if not isinstance(found, NameMatcher):
        found = build(school.pupils.values() if school.pupils else ())
        school.derived["name_matcher"] = found
    return found


def caption_pupils(school: School, post: Post) -> tuple[str, ...]:
    """Refs of pupils named in full in the post's caption, read once per post."""
    cache: dict[int, tuple[str, ...]] = school.derived.setdefault("caption_pupils", {})
    key = id(post.node)  # the school holds every post for as long as the cache lives
    if key not in cache:
        caption = post.node.get("caption")
        cache[key] = matcher(school).pupils_in(caption) if isinstance(caption, str) else ()
    return cache[key]
