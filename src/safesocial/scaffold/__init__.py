"""`safesocial init`: a new school's policy repository, from templates shipped in this package.

The scaffold asserts nothing about the school that the school has not said: settings,
dates and records it cannot know are left out (with a commented example beside each), so
the first `safesocial check` is the school's list of what to fill in, and a repository
nobody finished never passes CI by accident.
"""

from __future__ import annotations

from safesocial.project import PROJECT_REPO, PROJECT_URL
from safesocial.scaffold.choices import (
    STARTING_POINTS,
    Answers,
    StartingPoint,
    answers,
    handle_from_name,
    name_from_folder,
    platforms,
)
from safesocial.scaffold.render import RELEASE, Planned, plan
from safesocial.scaffold.write import Outcome, write

__all__ = [
    "PROJECT_REPO",
    "PROJECT_URL",
    "RELEASE",
    "STARTING_POINTS",
    "Answers",
    "Outcome",
    "Planned",
    "StartingPoint",
    "answers",
    "handle_from_name",
    "name_from_folder",
    "plan",
    "platforms",
    "write",
]
