"""A guidance finding is drift where the policy declared the value practice breaks, and
keeps its fingerprint either way (baselines and waivers survive a policy line added)."""

from __future__ import annotations

import pytest

from safesocial.checks.base import Context
from safesocial.documents.yamlio import parse
from safesocial.findings import Category
from safesocial.packs import cases

ONE_ADMIN = {"accounts/main.yaml": {"admins": [{"staff": "S001", "access": "full"}]}}
PUBLIC_STAFF = {
    "staff-accounts.yaml": {
        "staff_accounts": [
            {"staff": "S003", "platform": "instagram", "use": "personal", "private": False}
        ]
    }
}


@pytest.mark.parametrize(
    ("rule", "practice", "policy_without"),
    [
        # min_admins unset: the default of 2 applies, so the same finding, as guidance.
        ("SS401", ONE_ADMIN, {"defaults": {"official": {"publishers": {"min_admins": None}}}}),
        ("SS703", PUBLIC_STAFF, {"staff_accounts": {"private": None}}),
        (
            "SS206",
            {"accounts/main.yaml": {"auto_follow_back": True}},
            {"defaults": {"official": {"following": {"auto_follow_back": None}}}},
        ),
    ],
)
def test_declared_is_drift_silent_is_guidance_same_fingerprint(
    builtin_rules, rule, practice, policy_without
):
    def run(files: dict) -> list:
        case = cases.Case(rule, "-", "fail", files, cases.CASE_AS_OF, "test")
        return [f for f in cases.run_case(case, builtin_rules) if f.rule_id == rule]

    declared = run(practice)
    silent = run({**practice, "policy.yaml": policy_without})
    assert [f.category for f in declared] == [Category.DRIFT]
    assert [f.category for f in silent] == [Category.GUIDANCE]
    assert declared[0].related and not silent[0].related  # drift points at the policy line
    assert declared[0].fingerprint == silent[0].fingerprint


def _context(policy_text: str) -> Context:
    # Only the policy matters to policy_says_when; the rest of the context is never read.
    policy = parse(policy_text, "policy.yaml")
    return Context(school=None, settings=None, target="-", view={}, policy=policy)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("policy_text", "value", "says"),
    [
        ("publishers:\n  mfa: required\n", "required", True),
        ("publishers:\n  mfa: recommended\n", "required", False),
        ("publishers: {}\n", "required", False),
        ("publishers:\n  mfa: true\n", True, True),
        # bool is an int in Python: a declared 1 or false is not `true`, nor true a 1.
        ("publishers:\n  mfa: 1\n", True, False),
        ("publishers:\n  mfa: false\n", True, False),
        ("publishers:\n  mfa: true\n", 1, False),
    ],
)
def test_policy_says_when_only_where_the_policy_declares_that_value(
    policy_text: str, value: object, says: bool
) -> None:
    said = _context(policy_text).policy_says_when("publishers.mfa", value, "the policy line")
    assert bool(said) is says
    if says:
        assert said[0].message == "the policy line"
        assert said[0].location is not None and said[0].location.line == 2
