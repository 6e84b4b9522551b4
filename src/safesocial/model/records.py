"""The school's records: consent, pupils, staff accounts and waivers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from safesocial.documents.yamlio import YMap
from safesocial.model.base import (
    Pruned,
    _indexed,
    _maps,
    _opt_bool,
    _opt_str,
    _strs,
    as_date,
    maker,
)


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    pupil: str
    state: str
    scopes: frozenset[str]
    node: YMap
    given_on: date | None = None
    expires_on: date | None = None
    withdrawn_on: date | None = None
    informed_by: str | None = None
    parental_responsibility: bool | None = None
    pupil_view: str | None = None  # agrees | objects, where the pupil was asked

    @property
    def given_by_pupil(self) -> bool:
        return self.informed_by == "pupil"

    def in_force(self, as_of: date) -> bool:
        if self.state != "granted":
            return False
        if self.withdrawn_on is not None and self.withdrawn_on <= as_of:
            return False
        return self.expires_on is None or self.expires_on >= as_of

    @classmethod
    def build(cls, n: YMap) -> ConsentRecord:
        # Spelled out, not through _opt_str and friends: one runs per consent row.
        get = n.get
        scopes, informed, responsible, view = (
            get("scopes"),
            get("informed_by"),
            get("parental_responsibility"),
            get("pupil_view"),
        )
        return _consent(
            str(n["pupil"]),
            str(n["state"]),
            frozenset([str(s) for s in scopes] if isinstance(scopes, list) else ()),
            n,
            as_date(get("given_on")),
            as_date(get("expires_on")),
            as_date(get("withdrawn_on")),
            None if informed is None else str(informed),
            responsible if isinstance(responsible, bool) else None,
            None if view is None else str(view),
        )


_consent = maker(ConsentRecord)


def _known_as(value: object) -> tuple[str, ...]:
    """Nicknames: a YAML list, or one text with `;` between them (a CSV cell)."""
    items = value.split(";") if isinstance(value, str) else _strs(value)
    return tuple(item.strip() for item in items if item.strip())


@dataclass(frozen=True, slots=True)
class Pupil:
    ref: str
    node: YMap
    date_of_birth: date | None = None
    left_on: date | None = None
    publication_restricted: bool = False
    directory_opt_out: bool = False
    directory_opt_out_year: str | None = None  # the school year of that choice, "2026-27"
    # Only for finding the pupil in captions (checks/names.py); never shown anywhere.
    name: str | None = None
    known_as: tuple[str, ...] = ()

    def age(self, as_of: date) -> int | None:
        dob = self.date_of_birth
        if dob is None:
            return None
        return as_of.year - dob.year - ((as_of.month, as_of.day) < (dob.month, dob.day))

    @classmethod
    def build(cls, n: YMap) -> Pupil:
        get = n.get
        year, name = get("directory_opt_out_year"), get("name")
        return _pupil(
            str(n["ref"]),
            n,
            as_date(get("date_of_birth")),
            as_date(get("left_on")),
            get("publication_restricted") is True,
            get("directory_opt_out") is True,
            None if year is None else str(year),
            None if name is None else str(name),
            _known_as(get("known_as")),
        )


_pupil = maker(Pupil)


@dataclass(frozen=True, slots=True)
class StaffConnection:
    index: int
    category: str
    node: YMap
    pupil: str | None = None
    age: int | None = None
    contacted: bool = False


@dataclass(frozen=True, slots=True)
class StaffAccount:
    """One entry of staff-accounts.yaml."""

    staff: str
    use: str
    node: YMap
    private: bool | None
    connections: tuple[StaffConnection, ...]
    declared: Mapping[str, YMap]
    pruned: tuple[Pruned, ...] = ()  # within this entry, from the entry's own mapping

    @property
    def target(self) -> str:
        platform = self.node.get("platform")
        return f"staff:{self.staff}" + (f" ({platform})" if platform else "")

    @classmethod
    def build(cls, n: YMap, pruned: tuple[Pruned, ...] = ()) -> StaffAccount:
        connections = tuple(
            StaffConnection(
                index=i,
                category=str(c["category"]),
                node=c,
                pupil=_opt_str(c.get("pupil")),
                age=c["age"] if isinstance(c.get("age"), int) else None,
                contacted=c.get("contacted") is True,
            )
            for i, c in _indexed(n, "connections")
        )
        declared = {str(d["pupil"]): d for d in _maps(n, "declared_relationships")}
        return cls(
            staff=str(n["staff"]),
            use=str(n["use"]),
            node=n,
            private=_opt_bool(n.get("private")),
            connections=connections,
            declared=declared,
            pruned=pruned,
        )


@dataclass(frozen=True, slots=True)
class WaiverRecord:
    """One entry of waivers.yaml."""

    rule: str
    target: str
    reason: str
    approved_by: str
    approved_on: date
    expires_on: date
    node: YMap
    pupil: str | None = None
    staff: str | None = None
    follower: str | None = None

    @classmethod
    def build(cls, n: YMap) -> WaiverRecord:
        return cls(
            rule=str(n["rule"]),
            target=str(n["target"]),
            reason=str(n["reason"]).strip(),
            approved_by=str(n["approved_by"]),
            approved_on=date.fromisoformat(n["approved_on"]),
            expires_on=date.fromisoformat(n["expires_on"]),
            node=n,
            pupil=_opt_str(n.get("pupil")),
            staff=_opt_str(n.get("staff")),
            follower=_opt_str(n.get("follower")),
        )
