"""One check from start to end: configuration, rules, school folders, engine.

The CLI's commands share this; it returns data and never prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from safesocial import config, engine, loader, resources, rules
from safesocial.errors import UsageError
from safesocial.model import Loaded
from safesocial.results import RunResult


@dataclass(frozen=True, slots=True)
class Checked:
    result: RunResult
    rules: Sequence[rules.Rule]
    loads: Sequence[Loaded]
    config: config.Config


def load_config(given: str | None, first_path: Path) -> config.Config:
    return config.load(Path(given) if given else config.discover(first_path))


def load_rules(conf: config.Config, extra_packs: Sequence[Path] = ()) -> list[rules.Rule]:
    """Built-in packs and the configuration's own, selected and re-weighted by it."""
    packs = [*resources.builtin_packs(), *conf.packs.value, *extra_packs]
    return config.apply(rules.load_rules(packs), conf)


def load_schools(paths: Sequence[str]) -> list[Loaded]:
    loads: list[Loaded] = []
    for given in paths:
        base = Path(given)
        folders = loader.find_schools(base)
        if not folders:
            raise UsageError(f"{given}: no school folder here (a folder holding school.yaml)")
        shown = given.rstrip("/") or "/"
        loads.extend(loader.load_school(f, loader.shown_path(shown, base, f)) for f in folders)
    return loads


def check(
    paths: Sequence[str], config_path: str | None, as_of: date, strict: bool = False
) -> Checked:
    conf = load_config(config_path, Path(paths[0]))
    chosen = load_rules(conf)
    loads = load_schools(paths)
    result = engine.run(loads, chosen, conf.settings(as_of, strict=strict))
    return Checked(result, chosen, loads, conf)
