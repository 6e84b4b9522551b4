"""Pupils' names found in captions, by the local pupils register.

Nobody may have filled in a post's `pupils_named`, yet its caption says "Well done Amelia
Khan!". Where the register (kept locally, out of git: SS620) holds names, every caption
is matched against them: whole words, in any case and with or without accents, as first
name and surname, and as each recorded `known_as` with the surname. A match is reported
as the pupil's ref, never the name. One matcher is built per school and each caption is
read once, however many rules and pupils there are.
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
    plain = text
    if not text.isascii():  # most captions: nothing to decompose
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


_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class NameMatcher:
    """Every pupil's name variants, indexed by their first word.

    A caption is read once, word by word: only where a word starts some pupil's name is
    anything compared, so the cost grows with the caption, not with the register (one
    alternation of thousands of names would try each of them at every letter).
    """

    # first word -> (variant, refs) pairs, the longest variant first
    by_first: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]]

    def pupils_in(self, caption: str) -> tuple[str, ...]:
        """Refs of the pupils whose full name the caption gives, in order of mention."""
        if not self.by_first or not caption:
            return ()
        text = fold(caption)
        if self.by_first.keys().isdisjoint(_WORD.findall(text)):
            return ()  # the usual case, decided at C speed
        seen: dict[str, None] = {}
        for word in _WORD.finditer(text):
            start = word.start()
            for variant, refs in self.by_first.get(word.group(), ()):
                end = start + len(variant)
                # Whole words: the word regex saw to the left; nothing word-like may follow.
                if text.startswith(variant, start) and not _WORD.match(text, end):
                    for ref in refs:
                        seen.setdefault(ref, None)
                    break
        return tuple(seen)


def build(pupils: Iterable[Pupil]) -> NameMatcher:
    refs: dict[str, list[str]] = {}
    for pupil in pupils:
        for variant in variants(pupil):
            named = refs.setdefault(variant, [])
            if pupil.ref not in named:
                named.append(pupil.ref)
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for variant in sorted(refs, key=len, reverse=True):
        first = _WORD.match(variant)
        if first is not None:
            index.setdefault(first.group(), []).append((variant, tuple(refs[variant])))
    return NameMatcher({word: tuple(entries) for word, entries in index.items()})


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
