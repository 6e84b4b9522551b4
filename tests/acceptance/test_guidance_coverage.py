"""The built-in packs cover every requirement of the brief, and cite only real ids."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

BRIEF = {f"G{i}" for i in range(1, 29)}
GUIDANCE_FILE = ROOT.parent / "shared" / "guidance" / "public-guidance.md"
# Requirement ids of ../shared/guidance/public-guidance.md (AUD-001, FOL-001...).
PUBLIC = {f"{area}-{n:03d}" for area, top in (
    ("AUD", 5), ("FOL", 3), ("FLW", 3), ("DM", 3), ("ADM", 7), ("BIO", 3),
    ("STF", 7), ("PUP", 9), ("GOV", 9),
) for n in range(1, top + 1)}  # fmt: skip


def _covered(rules) -> dict[str, list[str]]:
    covered: dict[str, list[str]] = {}
    for rule in rules:
        for req in rule.covers:
            covered.setdefault(req, []).append(rule.id)
    return covered


def test_every_brief_requirement_has_a_rule(builtin_rules):
    assert sorted(BRIEF - set(_covered(builtin_rules)), key=lambda g: int(g[1:])) == []


def test_covers_names_only_known_requirements(builtin_rules):
    assert sorted(set(_covered(builtin_rules)) - BRIEF - PUBLIC) == []


def test_public_requirement_ids_match_the_guidance_file():
    if not GUIDANCE_FILE.is_file():
        pytest.skip("../shared/guidance is not beside this checkout")
    found = set(re.findall(r"^\| ([A-Z]{2,3}-\d{3}) \|", GUIDANCE_FILE.read_text("utf-8"), re.M))
    assert found == PUBLIC


def test_at_least_forty_rules_each_citing_a_source(builtin_rules):
    assert len(builtin_rules) >= 40
    assert all(rule.sources for rule in builtin_rules)
