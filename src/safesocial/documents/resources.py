"""Where the built-in rule packs and schemas are, installed or in a checkout."""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any


@functools.cache
def data_dir(name: str) -> Path:
    """`policies` or `schemas`: inside the wheel, else at the top of the source checkout."""
    packaged = Path(str(resources.files("safesocial"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / name  # src/safesocial/documents/


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """A schema from schemas/ by file name, e.g. ``account.schema.json``."""
    with (data_dir("schemas") / name).open(encoding="utf-8") as fh:
        loaded: dict[str, Any] = json.load(fh)
    return loaded


def builtin_packs() -> list[Path]:
    """The built-in packs; files starting with _ (the sources library) are not packs."""
    return sorted(p for p in data_dir("policies").glob("*.yaml") if not p.name.startswith("_"))


def sources_library() -> Path:
    return data_dir("policies") / "_sources.yaml"
