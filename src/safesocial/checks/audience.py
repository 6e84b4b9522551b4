"""Check kinds: an audience too young for the platform (see docs/writing-rules.md).

Whether an account meant for pupils reaches children under the platforms' minimum age
(13 almost everywhere) depends on who is on roll, not on what the school calls itself:
Years 7 and 8 of an English secondary school are 11 and 12. So the pupils register is
read, by date of birth where it has one and otherwise by year group, through the mapping
of the school's jurisdiction; the school's phase (primary, infant...) still counts when
the register is missing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from safesocial.checks.base import AccountContext, CheckKind, Context, Hit, obj_params
from safesocial.checks.consent import _year_group
from safesocial.checks.declare import kind
from safesocial.documents.yamlnodes import locate
from safesocial.findings import Related
from safesocial.model import Pupil, School

# The youngest a pupil in year group N can be at the start of the school year is
# N + offset (0 = reception, or kindergarten in the US and senior kindergarten in
# Ontario). docs/data-model.md explains each line.
YOUNGEST_OFFSET: Mapping[str, int] = {
    "england": 4,  # Year N: N+4 to N+5 on 1 September (Year 7: 11-12)
    "wales": 4,  # as England
    "northern_ireland": 3,  # Year N: N+3 to N+4 on 1 July (Year 8, first secondary: 11-12)
    "scotland": 3,  # year_group counts P1 = 1 ... P7 = 7, S1 = 8: N+3½ to N+4½ in August
    # Grade N: N+5 to N+6 with a 1 September cut-off, but some states' cut-offs run to
    # 1 January, so the youngest is taken as N+4.
    "us": 4,
    "ontario": 4,  # Grade N: N+4 to N+5 on 1 September (the cut-off is 31 December)
}
# A jurisdiction safesocial does not know (or none given): the youngest of all the above.
UNKNOWN_OFFSET = 3
DEFAULT_MIN_AGE = 13
DEFAULT_YOUNG_PHASES = ("nursery", "infant", "junior", "primary")


@dataclass(frozen=True, slots=True)
class Young:
    """The pupils on roll who are, or by their year group may be, under the minimum age."""

    count: int
    first: Pupil | None
    first_age: int  # the first one's age, or the youngest its year group allows
    by_year_group: bool  # the first one's age comes from the year group


def _on_roll(pupil: Pupil, as_of: date) -> bool:
    return pupil.left_on is None or pupil.left_on > as_of


def young_pupils(school: School, as_of: date, min_age: int) -> Young | None:
    """Who on the register is under `min_age`; None without a readable register.
    Worked out once per school and date (every account asks the same question)."""
    pupils = school.pupils
    if pupils is None:
        return None
    key = f"young_pupils:{as_of}:{min_age}"
    if key in school.derived:
        cached: Young = school.derived[key]
        return cached
    jurisdiction = school.info.jurisdiction if school.info else None
    offset = YOUNGEST_OFFSET.get(jurisdiction or "", UNKNOWN_OFFSET)
    count, first, first_age, by_group = 0, None, 0, False
    for pupil in pupils.values():
        if not _on_roll(pupil, as_of):
            continue
        age = pupil.age(as_of)
        group = _year_group(pupil)
        # The date of birth is exact; a year group only says how young a pupil can be.
        lowest = age if age is not None else (group + offset if group is not None else None)
        if lowest is None or lowest >= min_age:
            continue
        count += 1
        if first is None:
            first, first_age, by_group = pupil, lowest, age is None
    found = Young(count, first, first_age, by_group)
    school.derived[key] = found
    return found


def _aims_at_pupils(ctx: Context) -> str | None:
    """Which audience line counts pupils (the account's first, as before), or None."""
    for path in ("account.audience", "policy.audience"):
        head, tail = path.split(".")
        audience = ctx.view.get(head, {}).get(tail)
        if isinstance(audience, list) and "pupils" in audience:
            return path
    return None


_PLACES = {"england": "England", "wales": "Wales", "scotland": "Scotland",
           "northern_ireland": "Northern Ireland", "us": "the United States",
           "ontario": "Ontario"}  # fmt: skip


def _register_note(young: Young, jurisdiction: str | None) -> Related | None:
    pupil = young.first
    if pupil is None:
        return None
    if young.by_year_group:
        # In words: this reaches the headteacher's report (docs/data-model.md has the table).
        rule = "by the youngest year-group ages safesocial knows"
        if jurisdiction is not None and jurisdiction in YOUNGEST_OFFSET:
            rule = f"by the year-group ages of {_PLACES.get(jurisdiction, jurisdiction)}"
        why = (
            f"pupil {pupil.ref} is in year group {_year_group(pupil)}, so may be "
            f"{young.first_age} ({rule})"
        )
        return Related(pupil.node.loc("year_group"), why)
    return Related(pupil.node.loc("date_of_birth"), f"pupil {pupil.ref} is {young.first_age}")


@kind(
    "audience_under_min_age",
    "account",
    params=obj_params(
        {
            "target": {"const": "account"},
            "min_age": {"type": "integer", "minimum": 1, "maximum": 25},
            "phases": {"type": "array", "items": {"type": "string"}},
        }
    ),
    reads=("account.audience", "policy.audience", "school.school", "pupils"),
)
def UNDER_AGE_AUDIENCE(ctx: AccountContext, params: Mapping[str, Any]) -> Iterator[Hit]:
    """An account whose audience (its own, else the policy's) counts pupils, at a school whose phase
    is one of `phases` (default nursery, infant, junior, primary) or whose register has a pupil
    on roll under `min_age` (default 13): by date of birth, else by year group through the
    jurisdiction's mapping (docs/data-model.md).
    """
    account = ctx.account
    path = _aims_at_pupils(ctx)
    if path is None:
        return
    min_age = int(params.get("min_age", DEFAULT_MIN_AGE))
    info = ctx.school.info
    phase = info.phase if info else None
    loc = locate(ctx.view, path.split("."))
    if phase in params.get("phases", DEFAULT_YOUNG_PHASES):
        yield Hit(
            f"{account.handle} counts pupils in its audience, but the school's phase is "
            f"{phase}: its pupils are under {min_age}, the minimum age of the platforms",
            loc,
            detail=path,
        )
        return
    young = young_pupils(ctx.school, ctx.settings.as_of, min_age)
    if young is None or not young.count:
        return
    note = _register_note(young, info.jurisdiction if info else None)
    are = "pupil on roll is" if young.count == 1 else "pupils on roll are"
    yield Hit(
        f"{account.handle} counts pupils in its audience, but {young.count} {are} (or by "
        f"year group may be) under {min_age}, the minimum age of the platforms",
        loc,
        related=(note,) if note else (),
        detail=f"register:{path}",
    )


KINDS: tuple[CheckKind, ...] = (UNDER_AGE_AUDIENCE,)
