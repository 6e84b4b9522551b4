"""Words about rules, for `safesocial rules` and `safesocial explain`."""

from __future__ import annotations

import json
from collections.abc import Sequence

import yaml

from safesocial.cases import all_cases
from safesocial.checks import REGISTRY
from safesocial.rules import Rule


def list_rules(rules: Sequence[Rule], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([_rule_dict(r) for r in rules], indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        lines = ["| id | name | severity | category | title |", "|---|---|---|---|---|"]
        lines += [
            f"| {r.id} | {r.name} | {r.severity.value} | {r.category.value} | {r.title} |"
            for r in rules
        ]
        return "\n".join(lines) + "\n"
    width = max(len(r.name) for r in rules)
    return "".join(
        f"{r.id:<7} {r.name:<{width}}  {r.severity.value:<7} {r.category.value:<8}  {r.title}\n"
        for r in rules
    )


def list_kinds(fmt: str) -> str:
    """The check kinds a rule pack can name, with what they do and their parameters."""
    kinds = sorted(REGISTRY.values(), key=lambda k: k.name)
    if fmt == "json":
        doc = [
            {"name": k.name, "scopes": list(k.scopes), "doc": k.doc, "params": k.params}
            for k in kinds
        ]
        return json.dumps(doc, indent=2) + "\n"
    if fmt == "markdown":
        lines = ["| kind | looks at | what it does |", "|---|---|---|"]
        lines += [f"| `{k.name}` | {', '.join(k.scopes)} | {k.doc} |" for k in kinds]
        return "\n".join(lines) + "\n"
    return "".join(f"{k.name}  ({', '.join(k.scopes)})\n    {k.doc}\n" for k in kinds)


def _rule_dict(r: Rule) -> dict[str, object]:
    return {
        "id": r.id,
        "name": r.name,
        "title": r.title,
        "severity": r.severity.value,
        "category": r.category.value,
        "rationale": r.rationale,
        "remediation": r.remediation,
        "owner": r.owner,
        "covers": list(r.covers),
        "sources": [{"id": s.id, "title": s.title, "url": s.url} for s in r.sources],
        "check": r.kind.name,
        "pack": r.pack,
    }


def _indent(text: str, by: str = "  ") -> str:
    return "".join(by + line if line.strip() else line for line in text.splitlines(True))


def explain_rule(rule: Rule) -> str:
    out = [
        f"{rule.id}  {rule.name}  ({rule.severity.value}, {rule.category.value})",
        rule.title,
        "",
        "Why it matters:",
        _indent(rule.rationale),
        "",
        "What to do:",
        _indent(rule.remediation),
    ]
    if rule.owner:
        out += ["", f"Who fixes it: {rule.owner}"]
    if rule.covers:
        out += [f"Covers: {', '.join(rule.covers)}"]
    out += ["", "Sources:"]
    for s in rule.sources:
        out.append(f"  [{s.id}] {s.title}" + (f" <{s.url}>" if s.url else ""))
        if s.says:
            out.append(f"      {s.says}")
    out += ["", f"Checked by: {rule.kind.name} ({rule.scope}); pack {rule.pack}"]
    cases = [c for c in all_cases() if c.rule == rule.id]
    for expect, heading in (("fail", "A failing example"), ("pass", "A passing example")):
        case = next((c for c in cases if c.expect == expect), None)
        if case is None:
            continue
        body = yaml.safe_dump(dict(case.files), sort_keys=False, allow_unicode=True)
        out += [
            "",
            f"{heading} ({case.name}), as changes to a clean school:",
            _indent(body).rstrip(),
        ]
    return "\n".join(out) + "\n"
