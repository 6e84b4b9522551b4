"""A guidance finding is drift where the policy declared the value practice breaks, and
keeps its fingerprint either way (baselines and waivers survive a policy line added)."""

from __future__ import annotations

import pytest

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
