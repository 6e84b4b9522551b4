"""docs/rules.md is generated from the rule packs; it must say what the packs say today."""

from __future__ import annotations

import re

from safesocial.packs.explain import REGENERATE, rules_markdown
from tests.conftest import ROOT

DOC = ROOT / "docs" / "rules.md"


def test_rules_reference_is_up_to_date(run_cli):
    ran = run_cli("rules", "--format", "markdown")
    assert ran.code == 0, ran.err
    assert DOC.read_text("utf-8") == ran.out, (
        f"docs/rules.md is out of date with the rule packs; regenerate it: {REGENERATE}"
    )


def test_every_rule_has_a_row_and_a_section(builtin_rules):
    text = rules_markdown(builtin_rules)
    headings = re.findall(r"^### (\S+) (\S+)$", text, flags=re.M)
    assert headings == [(r.id, r.name) for r in builtin_rules]
    rows = re.findall(r"^\| \[(\w+)\]\(#([\w-]+)\) \|", text, flags=re.M)
    assert [rid for rid, _ in rows] == [r.id for r in builtin_rules]
    # Each row links to its section by the id GitHub gives the heading.
    for (rid, anchor), (hid, name) in zip(rows, headings, strict=True):
        assert anchor == f"{hid}-{name}".lower() and rid == hid


def test_each_section_says_why_what_who_and_where_from(builtin_rules):
    text = rules_markdown(builtin_rules)
    sections = re.split(r"^### ", text, flags=re.M)[1:]
    for rule, section in zip(builtin_rules, sections, strict=True):
        assert "**Why it matters.**" in section and "**What to do.**" in section
        assert rule.rationale.split()[0] in section
        if rule.owner:
            assert f"fixed by: {rule.owner}" in section
        for source in rule.sources:
            assert f"`{source.id}`" in section
            if source.url:
                assert f"]({source.url})" in section


def test_prose_that_looks_like_html_survives():
    # "accounts/<name>.yaml" would vanish as an unknown HTML tag; code spans stay as typed.
    from safesocial.packs.explain import _md

    assert _md("update accounts/<name>.yaml") == "update accounts/&lt;name>.yaml"
    assert _md("set `a<b>` & go") == "set `a<b>` &amp; go"
