"""What `safesocial init` asks: the school's name, a starting point, the platform, the handle."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from safesocial.documents import resources
from safesocial.errors import UsageError


@dataclass(frozen=True, slots=True)
class StartingPoint:
    """A ready-made policy to start from, and the example account that goes with it."""

    name: str
    summary: str
    jurisdiction: str
    phase: str
    account_kind: str  # official or department: the account's kind
    account_file: str  # accounts/<this>.yaml; the policy's overrides use the same name
    platform: str  # the platform suggested when none is given
    account_template: str = ""  # templates/accounts/<this>.yaml; default: account_kind

    @property
    def template(self) -> str:
        return self.account_template or self.account_kind


STARTING_POINTS: dict[str, StartingPoint] = {
    p.name: p
    for p in (
        StartingPoint(
            "uk-primary",
            "a UK primary school: a protected account for parents, followers approved by form",
            "england",
            "primary",
            "official",
            "main",
            "x",
        ),
        StartingPoint(
            "uk-primary-page",
            "a UK primary whose main channel is a public Facebook Page, with WhatsApp, "
            "YouTube and a class app",
            "england",
            "primary",
            "official",
            "facebook",
            "facebook",
            "page",
        ),
        StartingPoint(
            "uk-secondary",
            "a UK secondary school: a public account that never follows or messages students",
            "england",
            "secondary",
            "official",
            "main",
            "instagram",
        ),
        StartingPoint(
            "us-district",
            "a US school district: a public page, no student names, directory opt-outs respected",
            "us",
            "all_through",
            "official",
            "main",
            "facebook",
        ),
        StartingPoint(
            "trust-department",
            "a department account (PE, music...) in a multi-academy trust school",
            "england",
            "secondary",
            "department",
            "pe",
            "x",
        ),
    )
}


def platforms() -> list[str]:
    """The platforms an account file may name, straight from the account schema."""
    enum: list[str] = resources.schema("account.schema.json")["$defs"]["platform"]["enum"]
    return list(enum)


@dataclass(frozen=True, slots=True)
class Answers:
    """Everything the templates need; checked by `answers()`, so templates can trust it."""

    name: str
    starting_point: StartingPoint
    platform: str
    handle: str


# Control characters and line breaks would break the YAML line or the README heading.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise UsageError("the school's name is empty; give --name")
    if _UNPRINTABLE.search(name) or len(name) > 200:
        raise UsageError(f"--name {name!r}: give the school's name on one line (200 characters)")
    return name


def clean_handle(handle: str) -> str:
    """`OakfieldPri` or `@OakfieldPri` -> `@OakfieldPri`; no spaces or control characters."""
    handle = handle.strip()
    if not handle.startswith("@"):
        handle = "@" + handle
    if (
        len(handle) < 2
        or len(handle) > 100
        or re.search(r"\s", handle)
        or _UNPRINTABLE.search(handle)
    ):
        raise UsageError(f"--handle {handle!r}: give the account's handle, e.g. @OakfieldPrimary")
    return handle


def name_from_folder(folder: str) -> str:
    """`oakfield-primary` -> `Oakfield Primary`: a name to offer when none is given."""
    words = re.split(r"[-_.\s]+", folder)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Our School"


def handle_from_name(name: str) -> str:
    """`St Mary's C of E Primary School` -> `@StMarysCofEPrimary`: a handle to offer."""
    ascii_only = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [re.sub(r"[^A-Za-z0-9]", "", w) for w in ascii_only.split()]
    words = [w for w in words if w and w.lower() != "school"] or ["OurSchool"]
    return "@" + "".join(w[:1].upper() + w[1:] for w in words)[:30]


def answers(name: str, starting_point: str, platform: str, handle: str) -> Answers:
    point = STARTING_POINTS.get(starting_point)
    if point is None:
        known = ", ".join(STARTING_POINTS)
        raise UsageError(f"no starting point called {starting_point!r}; choose one of: {known}")
    if platform not in platforms():
        raise UsageError(f"--platform {platform!r}: choose one of: {', '.join(platforms())}")
    return Answers(_clean_name(name), point, platform, clean_handle(handle))
