"""Check kinds: privacy of the school's own records (see docs/writing-rules.md).

safesocial needs pupils' refs, never their names. A register or consent file that holds
names, in a folder kept in git, puts those names into every clone and every commit of
the history, where deleting the line later does not remove them. The loader records
which files git would keep (School.versioned); this kind only reads the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from safesocial.checks.base import Context, Hit, obj_params
from safesocial.checks.declare import kind
from safesocial.findings import Location

# A ref (MIS id, UPN) is one token: A1207, P-0042, K801200100034. Two or more words of
# letters only ("Zebedee Quillfeather", "O'Neill-Smith Amy") is a name written as a ref.
_WORD = r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*"  # letters, maybe joined by apostrophes or hyphens
_NAME_LIKE = re.compile(rf"{_WORD}(?:\s+{_WORD})+")


@dataclass(frozen=True, slots=True)
class _Named:
    location: Location
    full: bool  # two or more words


def _words(text: str) -> int:
    return len(text.split())


def _ref_is_a_name(ref: Any) -> bool:
    return isinstance(ref, str) and _NAME_LIKE.fullmatch(ref.strip()) is not None


def _register(ctx: Context, min_words: int) -> list[_Named]:
    found = []
    for pupil in (ctx.school.pupils or {}).values():
        name = pupil.node.get("name")
        if isinstance(name, str) and name.strip() and _words(name) >= min_words:
            found.append(_Named(pupil.node.loc("name"), _words(name) >= 2))
        elif _ref_is_a_name(pupil.ref):
            found.append(_Named(pupil.node.loc("ref"), True))
    return found


def _consent(ctx: Context) -> list[_Named]:
    return [
        _Named(record.node.loc("pupil"), True)
        for record in ctx.school.consent or ()
        if _ref_is_a_name(record.pupil)
    ]


def _message(file: str, named: Sequence[_Named]) -> str:
    count = len(named)
    full = sum(n.full for n in named)
    what = "a pupil's name" if count == 1 else f"{count} pupils' names"
    if full == count:
        what += " in full" if count == 1 else ", all in full"
    elif full:
        what += f" ({full} of them in full)"
    return (
        f"{file} holds {what}, and git keeps the file (a .git folder is at or above the "
        "school folder): every commit copies the names to anyone who has the repository"
    )


@kind(
    "pupil_names_in_version_control",
    "school",
    params=obj_params(
        {
            "min_words": {
                "type": "integer",
                "minimum": 1,
                "description": "Flag a pupil's name of at least this many words (1: any "
                "name; 2: full names only). A ref that reads as two or more words is "
                "always a name.",
            }
        }
    ),
    reads=("pupils", "consent"),
)
def PUPIL_NAMES_IN_VERSION_CONTROL(ctx: Context, p: Mapping[str, Any]) -> Iterator[Hit]:
    """The pupils register or the consent file holds pupils' names (a `name`, or a ref that is a
    name) and git would keep the file (a .git folder at or above the school folder, and no
    .gitignore keeps the file out). One finding per file.
    """
    min_words = int(p.get("min_words", 1))
    for named in (_register(ctx, min_words), _consent(ctx)):
        if not named:
            continue
        shown = named[0].location.path
        name = PurePosixPath(shown).name
        if name not in ctx.school.versioned:
            continue
        first = min(named, key=lambda n: (n.location.line, n.location.column))
        # Named by file and line only: the finding must not carry the names it reports.
        yield Hit(_message(name, named), first.location, subject=name, detail=f"{name}:names")


KINDS = (PUPIL_NAMES_IN_VERSION_CONTROL,)
