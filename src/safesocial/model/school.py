"""school.yaml: the school, its staff and the documents it publishes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from safesocial.documents.yamlio import YMap
from safesocial.model.base import (
    SENIOR_ROLES,
    _maps,
    _opt_str,
    _strs,
    as_date,
    empty_map,
)


@dataclass(frozen=True, slots=True)
class Staff:
    ref: str
    role: str
    node: YMap
    line_manager: str | None = None
    left_on: date | None = None
    safeguarding_trained_on: date | None = None
    social_media_trained_on: date | None = None
    dsl_trained_on: date | None = None
    aup_signed_on: date | None = None

    @property
    def senior(self) -> bool:
        return self.role in SENIOR_ROLES

    def has_left(self, as_of: date) -> bool:
        return self.left_on is not None and self.left_on <= as_of

    @classmethod
    def build(cls, n: YMap) -> Staff:
        return cls(
            ref=str(n["ref"]),
            role=str(n["role"]),
            node=n,
            line_manager=_opt_str(n.get("line_manager")),
            left_on=as_date(n.get("left_on")),
            safeguarding_trained_on=as_date(n.get("safeguarding_trained_on")),
            social_media_trained_on=as_date(n.get("social_media_trained_on")),
            dsl_trained_on=as_date(n.get("dsl_trained_on")),
            aup_signed_on=as_date(n.get("aup_signed_on")),
        )


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    covers: frozenset[str]
    node: YMap
    based_on: str | None = None
    reviewed_on: date | None = None
    next_review_on: date | None = None

    @classmethod
    def build(cls, n: YMap) -> Document:
        return cls(
            id=str(n["id"]),
            covers=frozenset(_strs(n.get("covers"))),
            node=n,
            based_on=_opt_str(n.get("based_on")),
            reviewed_on=as_date(n.get("reviewed_on")),
            next_review_on=as_date(n.get("next_review_on")),
        )


@dataclass(frozen=True, slots=True)
class SchoolInfo:
    """school.yaml."""

    name: str
    node: YMap
    jurisdiction: str | None
    phase: str | None
    email_domains: tuple[str, ...]
    dsl: str | None
    deputies: tuple[str, ...]
    documents: tuple[Document, ...]
    staff: Mapping[str, Staff]

    @property
    def safeguarding(self) -> YMap:
        value = self.node.get("safeguarding")
        return value if isinstance(value, YMap) else empty_map(self.node.file)

    @classmethod
    def build(cls, n: YMap) -> SchoolInfo:
        school: YMap = n["school"]
        guard = n.get("safeguarding")
        guard = guard if isinstance(guard, YMap) else empty_map(n.file)
        return cls(
            name=str(school["name"]),
            node=n,
            jurisdiction=_opt_str(school.get("jurisdiction")),
            phase=_opt_str(school.get("phase")),
            email_domains=tuple(d.lower() for d in _strs(school.get("email_domains"))),
            dsl=_opt_str(guard.get("dsl")),
            deputies=_strs(guard.get("deputies")),
            documents=tuple(Document.build(d) for d in _maps(n, "documents")),
            staff={s.ref: s for s in map(Staff.build, _maps(n, "staff"))},
        )
