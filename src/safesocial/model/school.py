"""school.yaml: the school, its staff and the documents it publishes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from safesocial.documents.yamlio import YMap
from safesocial.model.base import SENIOR_ROLES, empty_map
from safesocial.model.fields import as_date, maps, opt_str, read, record, str_set, strs, whole


@record
class Staff:
    ref: str = read(str)
    role: str = read(str)
    node: YMap = whole()
    line_manager: str | None = read(opt_str, default=None)
    left_on: date | None = read(as_date, default=None)
    safeguarding_trained_on: date | None = read(as_date, default=None)
    social_media_trained_on: date | None = read(as_date, default=None)
    dsl_trained_on: date | None = read(as_date, default=None)
    aup_signed_on: date | None = read(as_date, default=None)
    build: ClassVar[Callable[[YMap], Staff]]

    @property
    def senior(self) -> bool:
        return self.role in SENIOR_ROLES

    def has_left(self, as_of: date) -> bool:
        return self.left_on is not None and self.left_on <= as_of


@record
class Document:
    id: str = read(str)
    covers: frozenset[str] = read(str_set, required=False)
    node: YMap = whole()
    based_on: str | None = read(opt_str, default=None)
    reviewed_on: date | None = read(as_date, default=None)
    next_review_on: date | None = read(as_date, default=None)
    build: ClassVar[Callable[[YMap], Document]]


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
            jurisdiction=opt_str(school.get("jurisdiction")),
            phase=opt_str(school.get("phase")),
            email_domains=tuple(d.lower() for d in strs(school.get("email_domains"))),
            dsl=opt_str(guard.get("dsl")),
            deputies=strs(guard.get("deputies")),
            documents=tuple(Document.build(d) for d in maps(n, "documents")),
            staff={s.ref: s for s in map(Staff.build, maps(n, "staff"))},
        )
