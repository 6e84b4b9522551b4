"""The school's records: consent, pupils, staff accounts and waivers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import ClassVar

from safesocial.documents.yamlio import YMap
from safesocial.model.base import Pruned
from safesocial.model.fields import (
    as_date,
    each_numbered,
    is_true,
    maps,
    opt_bool,
    opt_str,
    read,
    record,
    str_set,
    strs,
    whole,
)


@record
class ConsentRecord:
    pupil: str = read(str)
    state: str = read(str)
    scopes: frozenset[str] = read(str_set, required=False)
    node: YMap = whole()
    given_on: date | None = read(as_date, default=None)
    expires_on: date | None = read(as_date, default=None)
    withdrawn_on: date | None = read(as_date, default=None)
    informed_by: str | None = read(opt_str, default=None)
    parental_responsibility: bool | None = read(opt_bool, default=None)
    # agrees | objects, where the pupil was asked
    pupil_view: str | None = read(opt_str, default=None)
    build: ClassVar[Callable[[YMap], ConsentRecord]]

    @property
    def given_by_pupil(self) -> bool:
        return self.informed_by == "pupil"

    def in_force(self, as_of: date) -> bool:
        if self.state != "granted":
            return False
        if self.withdrawn_on is not None and self.withdrawn_on <= as_of:
            return False
        return self.expires_on is None or self.expires_on >= as_of


def _known_as(value: object) -> tuple[str, ...]:
    """Nicknames: a YAML list, or one text with `;` between them (a CSV cell)."""
    items = value.split(";") if isinstance(value, str) else strs(value)
    return tuple(item.strip() for item in items if item.strip())


@record
class Pupil:
    ref: str = read(str)
    node: YMap = whole()
    date_of_birth: date | None = read(as_date, default=None)
    left_on: date | None = read(as_date, default=None)
    publication_restricted: bool = read(is_true, default=False)
    directory_opt_out: bool = read(is_true, default=False)
    # The school year of that choice, "2026-27".
    directory_opt_out_year: str | None = read(opt_str, default=None)
    # Only for finding the pupil in captions (checks/names.py); never shown anywhere.
    name: str | None = read(opt_str, default=None)
    known_as: tuple[str, ...] = read(_known_as, default=())
    build: ClassVar[Callable[[YMap], Pupil]]

    def age(self, as_of: date) -> int | None:
        dob = self.date_of_birth
        if dob is None:
            return None
        return as_of.year - dob.year - ((as_of.month, as_of.day) < (dob.month, dob.day))


def _age(value: object) -> int | None:
    return value if isinstance(value, int) else None


@record
class StaffConnection:
    index: int
    category: str = read(str)
    node: YMap = whole()
    pupil: str | None = read(opt_str, default=None)
    age: int | None = read(_age, default=None)
    contacted: bool = read(is_true, default=False)
    build: ClassVar[Callable[[YMap, int], StaffConnection]]


def _declared(n: YMap) -> Mapping[str, YMap]:
    return {str(d["pupil"]): d for d in maps(n, "declared_relationships")}


@record
class StaffAccount:
    """One entry of staff-accounts.yaml."""

    staff: str = read(str)
    use: str = read(str)
    node: YMap = whole()
    private: bool | None = read(opt_bool, required=False)
    connections: tuple[StaffConnection, ...] = read(
        each_numbered(StaffConnection.build), required=False
    )
    declared: Mapping[str, YMap] = whole(_declared)
    pruned: tuple[Pruned, ...] = ()  # within this entry, from the entry's own mapping
    build: ClassVar[Callable[..., StaffAccount]]

    @property
    def target(self) -> str:
        platform = self.node.get("platform")
        return f"staff:{self.staff}" + (f" ({platform})" if platform else "")


def _stripped(value: object) -> str:
    return str(value).strip()


@record
class WaiverRecord:
    """One entry of waivers.yaml."""

    rule: str = read(str)
    target: str = read(str)
    reason: str = read(_stripped)
    approved_by: str = read(str)
    approved_on: date = read(date.fromisoformat)
    expires_on: date = read(date.fromisoformat)
    node: YMap = whole()
    pupil: str | None = read(opt_str, default=None)
    staff: str | None = read(opt_str, default=None)
    follower: str | None = read(opt_str, default=None)
    build: ClassVar[Callable[[YMap], WaiverRecord]]
