"""Check kinds: consent that has outgrown the person who gave it (docs/writing-rules.md).

A parent's photo consent speaks for a child. Once the pupil is 18 it no longer speaks
for anyone: the adult decides for themselves. Before that, many policies ask pupils of
13 or so for their own view (the ICO expects a child's wishes to count as they grow
up); a pupil who was never asked, or who objects, is still being photographed on their
parent's word alone. In the US, a family's directory-information choice (FERPA) is
collected each school year: one recorded for a past year is not this year's answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from safesocial.checks.base import Context, Hit, choice_params, drift_if, obj_params
from safesocial.checks.declare import kind
from safesocial.model import ConsentRecord

ADULT_AGE = 18
DEFAULT_YEAR_STARTS_MONTH = 8  # most US districts start the school year in August


def _subject(record: ConsentRecord) -> str:
    return f"pupil {record.pupil}"


def _parents_word(ctx: Context, from_age: int) -> Iterator[tuple[ConsentRecord, int]]:
    """Consent in force that someone other than the pupil gave, with the pupil's age now
    (`from_age` or over), unless the pupil has since given consent of their own."""
    as_of = ctx.settings.as_of
    for record in ctx.school.consent or ():
        if not record.in_force(as_of) or record.given_by_pupil or record.informed_by is None:
            continue
        pupil = ctx.pupil(record.pupil)
        age = pupil.age(as_of) if pupil is not None else None
        if age is None:
            continue  # no date of birth: the register cannot tell (other rules say so)
        if age < from_age:
            continue  # before the pupil's own records are looked up: most pupils are young
        mine = ctx.school.consent_for(record.pupil)
        own = any(r.given_by_pupil and r.in_force(as_of) for r in mine)
        if not own:
            yield record, age


def _run_adult(ctx: Context) -> Iterator[Hit]:
    for record, age in _parents_word(ctx, ADULT_AGE):
        yield Hit(
            f"pupil {record.pupil} is now {age} and their photo consent was given by their "
            f"{record.informed_by}: as an adult they decide for themselves, so ask them",
            record.node.loc("informed_by"),
            subject=_subject(record),
            detail=f"consent:{record.pupil}:{record.given_on}:adult",
        )


def _run_pupil_view(ctx: Context) -> Iterator[Hit]:
    from_age = ctx.declared("consent.pupil_view_from_age")
    if not isinstance(from_age, int) or isinstance(from_age, bool):
        return  # the policy does not ask pupils: nothing to hold practice to
    said = ctx.policy_says(
        "consent.pupil_view_from_age",
        f"the policy asks pupils of {from_age} and over for their own view",
    )
    for record, age in _parents_word(ctx, from_age):
        if age >= ADULT_AGE or record.pupil_view == "agrees":
            continue
        if record.pupil_view == "objects":
            message = (
                f"pupil {record.pupil} ({age}) objects to being photographed, but the "
                "consent their parent gave is still in force"
            )
            key = "pupil_view"
        else:
            message = (
                f"pupil {record.pupil} is {age} and was never asked for their own view of "
                "the photo consent their parent gave"
            )
            key = "informed_by"
        yield Hit(
            message,
            record.node.loc(key),
            subject=_subject(record),
            detail=f"consent:{record.pupil}:{record.given_on}:pupil-view",
            related=said,
            category=drift_if(said),
        )


@kind(
    "consent_outgrown",
    "school",
    params=choice_params("case", ["adult", "pupil_view"]),
    reads=("consent", "pupils", "policy.consent.pupil_view_from_age"),
)
def OUTGROWN(ctx: Context, params: Any) -> Iterator[Hit]:
    """Consent in force that a parent (or anyone but the pupil) gave, where the pupil has given none
    of their own. case adult: the pupil is now 18 or over. case pupil_view: where the policy
    declares consent.pupil_view_from_age, the pupil is that age (and under 18) and the record has
    no pupil_view: agrees (not asked, or objects); drift. Pupils with no date of birth are left
    out.
    """
    if params["case"] == "adult":
        yield from _run_adult(ctx)
    else:
        yield from _run_pupil_view(ctx)


def school_year(day: date, starts_month: int) -> str:
    """The school year `day` falls in, written as the register writes it: "2026-27"."""
    first = day.year if day.month >= starts_month else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


@kind(
    "directory_choice_this_year",
    "school",
    params=obj_params({"year_starts_month": {"type": "integer", "minimum": 1, "maximum": 12}}),
    reads=("pupils", "school.school"),
)
def DIRECTORY_YEAR(ctx: Context, params: Any) -> Iterator[Hit]:
    """A pupil on roll whose directory_opt_out_year is not the current school year (starting in
    `year_starts_month`, default 8), or who is opted out with no year recorded.
    """
    as_of = ctx.settings.as_of
    current = school_year(as_of, int(params.get("year_starts_month", DEFAULT_YEAR_STARTS_MONTH)))
    for pupil in (ctx.school.pupils or {}).values():
        if pupil.left_on is not None and pupil.left_on <= as_of:
            continue  # a leaver's last opt-out stands for good (34 CFR 99.37(b))
        year = pupil.directory_opt_out_year
        if year == current or (year is None and not pupil.directory_opt_out):
            continue
        if year is None:
            message = (
                f"pupil {pupil.ref} is opted out of directory information, but the register "
                f"does not say for which school year; this year is {current}"
            )
            key = "directory_opt_out"
        else:
            message = (
                f"pupil {pupil.ref}'s directory-information choice on record is for {year}, "
                f"not this school year ({current}): ask the family again, and honour any "
                "opt-out until they answer"
            )
            key = "directory_opt_out_year"
        yield Hit(
            message,
            pupil.node.loc(key),
            subject=f"pupil {pupil.ref}",
            detail=f"pupil {pupil.ref}:directory-year",
        )


KINDS = (OUTGROWN, DIRECTORY_YEAR)
