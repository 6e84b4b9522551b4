"""The check-kind registry: one place, consistent names, every kind usable and used."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from safesocial import checks
from safesocial.documents import resources
from safesocial.packs import rules


def test_kind_names_are_snake_case():
    bad = [name for name in checks.REGISTRY if not re.fullmatch(r"[a-z][a-z0-9_]*", name)]
    assert bad == []


@pytest.mark.parametrize("name", sorted(checks.REGISTRY))
def test_kind_is_documented_with_a_valid_params_schema(name):
    kind = checks.REGISTRY[name]
    assert kind.doc.strip()
    Draft202012Validator.check_schema(dict(kind.params))
    assert kind.scopes


def test_every_kind_is_used_by_a_builtin_rule(builtin_rules):
    used = {rule.kind.name for rule in builtin_rules}
    assert sorted(set(checks.REGISTRY) - used) == []


def test_unknown_kind_suggests_the_nearest():
    with pytest.raises(KeyError, match="did you mean 'schema'"):
        checks.get("schemaa")


@pytest.mark.parametrize("pack", resources.builtin_packs(), ids=lambda p: p.name)
def test_builtin_packs_pass_the_checks_skipped_at_run_time(pack):
    # load_rules trusts the built-in packs and skips meta-validating their schemas;
    # this is where that is done instead, with every check a trust's pack gets.
    assert rules.load_pack(pack, trusted=False)
