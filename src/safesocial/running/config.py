"""safesocial.yaml: which rules run, how severe they are, the thresholds they judge by.

Found in the checked folder or the nearest folder above it that has one (or given
with --config), validated like every input, and reported with where each value came
from (`safesocial config`).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from safesocial.checks.base import POLICY_THRESHOLDS, in_force
from safesocial.documents.read import read_document
from safesocial.documents.yamlio import YList, YMap
from safesocial.errors import SafesocialError
from safesocial.findings import Severity
from safesocial.model import School
from safesocial.packs.rules import Rule
from safesocial.settings import Settings

CONFIG_NAMES = ("safesocial.yaml", "safesocial.yml")
THRESHOLDS = tuple(
    f.name for f in dataclasses.fields(Settings) if f.name not in ("as_of", "strict")
)  # ex_pupil_min_age, policy_review_months, ...
CATEGORIES = ("drift", "guidance", "records")


class ConfigError(SafesocialError):
    """safesocial.yaml is malformed or asks for something that does not exist."""


@dataclass(frozen=True, slots=True)
class Sourced:
    """A setting's value and where it came from: `default`, a file:line, or an option."""

    value: Any
    source: str


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None = None
    select: Sourced = Sourced((), "default")
    ignore: Sourced = Sourced((), "default")
    severity: Sourced = Sourced({}, "default")
    fail_on: Sourced = Sourced("error", "default")
    packs: Sourced = Sourced((), "default")
    thresholds: Mapping[str, Sourced] = field(default_factory=dict)

    def settings(self, as_of: date, strict: bool = False) -> Settings:
        chosen = {name: s.value for name, s in self.thresholds.items()}
        return Settings(as_of=as_of, strict=strict, **chosen)

    def threshold(self, name: str) -> Sourced:
        if name in self.thresholds:
            return self.thresholds[name]
        spec = POLICY_THRESHOLDS.get(name)
        if spec is not None:
            where = "staff_accounts." if spec.scope == "staff_account" else ""
            text = f"the policy's {where}{spec.policy_path} where it sets one, else {spec.default}"
            return Sourced(text, "default")
        return Sourced(getattr(Settings(as_of=date.min), name), "default")


def discover(start: Path) -> Path | None:
    """The nearest safesocial.yaml at or above `start` (a folder)."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            # Whatever it is: a folder or a pipe named safesocial.yaml is then refused when
            # read, rather than passed over for the defaults (or a configuration above).
            if os.path.lexists(candidate / name):
                return candidate / name
    return None


def _inside(path: Path, folder: Path) -> bool:
    """Whether `path`, every link followed, lies in `folder` (links followed too)."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL byte
        return False


# What a configuration is, for a message that may not say what the file holds.
_EXPECTED = (
    "expected a safesocial configuration: YAML, a mapping of select, ignore, severity, "
    "fail_on, packs and thresholds (docs/configuration.md)"
)


def _where(doc: YMap, key: str) -> str:
    loc = doc.loc(key)
    return f"{loc.path}:{loc.line}:{loc.column}"


def load(path: Path | None, tree: Path | None = None, discovered: bool = False) -> Config:
    """Read and validate a configuration file; no file gives the defaults.

    A discovered safesocial.yaml must be a file in its own folder, not a link out of it:
    refused by its path, before it is read. A file outside the checked `tree` (one
    given with --config) is the operator's own, but a message about it names the place
    and the expected form only, never what the file holds.
    """
    if path is None:
        return Config()
    shown = path.as_posix()
    if discovered and not _inside(path, path.parent):
        raise ConfigError(
            f"{shown}: the configuration is a link to a file outside its folder; "
            "keep safesocial.yaml in the repository, or pass a trusted one with --config"
        )
    quote = tree is None or discovered or _inside(path, tree)
    doc = read_document(
        path,
        shown,
        "config.schema.json",
        ConfigError,
        what="the configuration",
        withhold=None if quote else _EXPECTED,
    )
    if doc is None:
        return Config(path=path)
    assert isinstance(doc, YMap)  # the schema demands a mapping

    def sourced(key: str, default: Any, convert: Any = lambda v: v) -> Sourced:
        if key not in doc:
            return Sourced(default, "default")
        return Sourced(convert(doc[key]), _where(doc, key))

    limits = doc.get("thresholds")
    thresholds = (
        {key: Sourced(value, _where(limits, key)) for key, value in limits.items()}
        if isinstance(limits, YMap)
        else {}
    )
    packs = doc.get("packs")
    if isinstance(packs, YList):
        for index, pack in enumerate(packs):
            # By its path, before it is read: a pack is part of the repository (the
            # folder of safesocial.yaml), never a file a link or ../ reaches outside it.
            loc = packs.loc(index)
            where = path.parent / pack
            if not _inside(where, path.resolve().parent):
                raise ConfigError(
                    f"{loc}: the rule pack '{pack}' is outside the folder of {path.name}; "
                    "keep rule packs in the repository, beside the configuration or below it"
                )
            # lexists: a folder or FIFO named like the pack is refused when it is read,
            # not passed over as if it were absent.
            if not os.path.lexists(where):
                raise ConfigError(f"{loc}: the rule pack '{pack}' does not exist")
    return Config(
        path=path,
        select=sourced("select", (), tuple),
        ignore=sourced("ignore", (), tuple),
        severity=sourced("severity", {}, dict),
        fail_on=sourced("fail_on", "error"),
        packs=sourced("packs", (), lambda ps: tuple(path.parent / p for p in ps)),
        thresholds=thresholds,
    )


def with_options(config: Config, select: Sequence[str], ignore: Sequence[str]) -> Config:
    """The configuration with --select and --ignore on top, as ruff's are: --select
    replaces the file's select, --ignore adds to its ignore. Each names its option as
    its source, so `config` and errors say where a selector came from."""
    if select:
        config = dataclasses.replace(config, select=Sourced(tuple(select), "--select"))
    if ignore:
        both = (*config.ignore.value, *ignore)
        source = "--ignore" if not config.ignore.value else f"{config.ignore.source} and --ignore"
        config = dataclasses.replace(config, ignore=Sourced(both, source))
    return config


def _matches(rule: Rule, selector: str) -> bool:
    wanted = selector.strip()
    if wanted.lower() in CATEGORIES:
        return rule.category.value == wanted.lower()
    return rule.id.startswith(wanted.upper()) or rule.name == wanted.lower()


def _check_selectors(rules: Sequence[Rule], config: Config, key: str, items: Iterable[str]) -> None:
    for selector in items:
        if not any(_matches(rule, selector) for rule in rules):
            where = getattr(config, key).source
            raise ConfigError(
                f"{where}: {key} names '{selector}', which matches no rule "
                "(use a rule id or prefix, a rule name, or drift/guidance/records)"
            )


def apply(rules: Sequence[Rule], config: Config) -> list[Rule]:
    """The rules to run: selected, not ignored, with severities overridden."""
    _check_selectors(rules, config, "select", config.select.value)
    _check_selectors(rules, config, "ignore", config.ignore.value)
    _check_selectors(rules, config, "severity", config.severity.value)
    chosen = []
    for rule in rules:
        selected = not config.select.value or any(_matches(rule, s) for s in config.select.value)
        if not selected or any(_matches(rule, s) for s in config.ignore.value):
            continue
        override = next(
            (level for s, level in config.severity.value.items() if _matches(rule, s)), None
        )
        if override is not None:
            rule = dataclasses.replace(rule, severity=Severity(override))
        chosen.append(rule)
    return chosen


def _used(config: Config, school: School) -> list[tuple[str, str, str]]:
    """What each threshold a policy can declare is, in force, for each of the school's
    targets: computed by the same `in_force` the rules call, so the two cannot differ."""
    settings = config.settings(date.min)
    policy = school.policy
    if policy is None:
        return []
    rows = []
    for name, spec in POLICY_THRESHOLDS.items():
        if name in config.thresholds:
            continue  # the configured row says it: one value everywhere
        if spec.scope == "staff_account":
            targets = [("staff accounts", policy.staff_accounts)]
        else:
            targets = [(a.target, policy.for_account(a)) for a in school.accounts]
        for target, applies in targets:
            used = in_force(settings, name, applies)
            source = str(used.location) if used.location else used.source
            rows.append((f"thresholds.{name} [{school.root} {target}]", str(used.value), source))
    return rows


def describe(config: Config, schools: Sequence[School] = ()) -> list[tuple[str, str, str]]:
    """(setting, value, where it came from) for `safesocial config`; with `schools`, also
    the value each policy-declarable threshold takes for each of their targets."""

    def show(value: Any) -> str:
        if isinstance(value, tuple | list):
            return ", ".join(str(v) for v in value) or "(all)"
        if isinstance(value, dict):
            return ", ".join(f"{k}: {v}" for k, v in value.items()) or "(none)"
        return str(value)

    rows = [
        ("config file", str(config.path) if config.path else "(none found)", "discovery"),
        ("select", show(config.select.value), config.select.source),
        (
            "ignore",
            show(config.ignore.value) if config.ignore.value else "(none)",
            config.ignore.source,
        ),
        ("severity", show(config.severity.value), config.severity.source),
        ("fail_on", show(config.fail_on.value), config.fail_on.source),
        (
            "packs",
            show(config.packs.value) if config.packs.value else "(none)",
            config.packs.source,
        ),
    ]
    for name in THRESHOLDS:
        current = config.threshold(name)
        rows.append((f"thresholds.{name}", show(current.value), current.source))
    for school in schools:
        rows.extend(_used(config, school))
    return rows
