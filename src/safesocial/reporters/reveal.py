"""For --reveal-names only: the handle or name behind a finding's follower or pupil ref.

Built from the loaded files at report time, so findings themselves never carry a
pupil's handle or name, and no shareable format can leak one by accident.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from safesocial.findings import Finding
from safesocial.model import Loaded


@dataclass(frozen=True, slots=True)
class Reveal:
    handles: Mapping[tuple[str, int], str]  # (file, line) of a list entry -> its handle
    pupils: Mapping[str, str]  # pupil ref -> the name in the register, where one is kept

    def for_finding(self, finding: Finding) -> str | None:
        loc = finding.location
        if loc is not None and (loc.path, loc.line) in self.handles:
            return self.handles[(loc.path, loc.line)]
        words = (finding.subject or "").split()
        return self.pupils.get(words[-1]) if words else None


def reveal_map(loads: Sequence[Loaded]) -> Reveal:
    handles: dict[tuple[str, int], str] = {}
    pupils: dict[str, str] = {}
    for load in loads:
        school = load.school
        for account in school.accounts:
            handles.update(account.entry_handles())
        for pupil in (school.pupils or {}).values():
            name = pupil.node.get("name")
            if isinstance(name, str) and name:
                pupils[pupil.ref] = name
    return Reveal(handles, pupils)
