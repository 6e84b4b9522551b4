"""Reporters by name: the CLI picks one, the engine never knows they exist."""

from __future__ import annotations

from safesocial.reporters.base import Reporter
from safesocial.reporters.json_ import JsonReporter
from safesocial.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {"text": TextReporter, "json": JsonReporter}


def make(name: str, color: bool | None = None) -> Reporter:
    if name == "text":
        return TextReporter(color)
    return REPORTERS[name]()
