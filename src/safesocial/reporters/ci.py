"""What the CI reporters (Markdown, SARIF, JUnit, GitHub annotations) share: paths as
the repository sees them, and a title for every finding's code, input codes included."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from safesocial.findings import INPUT_CODES
from safesocial.packs.rules import Rule


def repo_path(path: str) -> str | None:
    """`path` relative to the current directory, in POSIX form, or None when it lies
    outside it.

    CI runs from the repository's root, and code scanning and annotations only match
    files named relative to it; a path given as ../elsewhere or /abs/path is kept whole
    by the caller instead of being turned into a misleading relative one.
    """
    here = Path.cwd()
    full = Path(os.path.normpath(here / path))
    try:
        relative = full.relative_to(here)
    except ValueError:
        return None
    return relative.as_posix()


def shown_path(path: str) -> str:
    """The path to print: relative to the current directory where it can be."""
    return repo_path(path) or Path(path).as_posix()


def title(rule_id: str, rules: Mapping[str, Rule]) -> str:
    """The rule's title, or what an input code means (`IN002`: the file does not match...)."""
    rule = rules.get(rule_id)
    if rule is not None:
        return rule.title
    described = INPUT_CODES.get(rule_id)
    return described[0].upper() + described[1:] if described else rule_id


def rule_name(rule_id: str, rules: Mapping[str, Rule]) -> str:
    """The rule's readable slug; input codes get one made from their code, and a rule
    no longer loaded (e.g. a finding from an old run) gets none."""
    rule = rules.get(rule_id)
    if rule is not None:
        return rule.name
    return f"input-{rule_id.lower()}" if rule_id in INPUT_CODES else ""
