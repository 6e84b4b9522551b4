"""Every rule's cases (policies/cases/<ID>.yaml): the rule fires on `fail`, not on `pass`."""

from __future__ import annotations

from collections import Counter

import pytest

from safesocial.findings import Category
from safesocial.packs import cases

ALL_CASES = cases.all_cases()


def _id(case: cases.Case) -> str:
    return f"{case.rule}:{case.expect}:{case.name}"


@pytest.mark.parametrize("case", ALL_CASES, ids=_id)
def test_case(case, builtin_rules):
    findings = cases.run_case(case, builtin_rules)
    problems = [f"{f.location}: {f.message}" for f in findings if f.category is Category.INPUT]
    assert not problems, f"the case's files do not load: {problems}"
    fired = [f for f in findings if f.rule_id == case.rule]
    if case.expect == "fail":
        assert fired, f"{case.rule} did not fire on {case.source}"
        if case.category is not None:
            got = sorted({f.category.value for f in fired})
            assert got == [case.category], f"{case.rule} on {case.source} reported {got}"
    else:
        assert not fired, f"{case.rule} fired on {case.source}: {[f.message for f in fired]}"


def test_base_school_is_clean(builtin_rules):
    findings = cases.run_case(
        cases.Case("-", "base", "pass", {}, cases.CASE_AS_OF, "_base"), builtin_rules
    )
    assert [(f.rule_id, f.message, str(f.location)) for f in findings] == []


def test_every_rule_has_a_passing_and_a_failing_case(builtin_rules):
    kinds = Counter((c.rule, c.expect) for c in ALL_CASES)
    missing = [
        f"{r.id} has no {expect} case"
        for r in builtin_rules
        for expect in ("pass", "fail")
        if not kinds[(r.id, expect)]
    ]
    assert missing == []


def test_every_case_names_a_real_rule(builtin_rules):
    ids = {r.id for r in builtin_rules}
    assert sorted({c.rule for c in ALL_CASES} - ids) == []
