"""Reporters by name: the CLI picks them, the engine never knows they exist."""

from __future__ import annotations

from safesocial.reporters.base import Options, Reporter
from safesocial.reporters.json_ import JsonReporter
from safesocial.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
}


def make(name: str, options: Options | None = None) -> Reporter:
    """The reporter called `name`; the CLI has already checked that the name exists."""
    return REPORTERS[name](options)
