"""Words about rules, for `safesocial rules` and `safesocial explain`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby

import yaml

from safesocial.checks import REGISTRY
from safesocial.documents import resources
from safesocial.packs.cases import all_cases
from safesocial.packs.rules import Rule
from safesocial.project import rule_anchor


def list_rules(rules: Sequence[Rule], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([_rule_dict(r) for r in rules], indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return rules_markdown(rules)
    width = max(len(r.name) for r in rules)
    return "".join(
        f"{r.id:<7} {r.name:<{width}}  {r.severity.value:<7} {r.category.value:<8}  {r.title}\n"
        for r in rules
    )


REGENERATE = "safesocial rules --format markdown > docs/rules.md"


def _md(text: str) -> str:
    """Pack prose as Markdown: `<name>` outside code spans would vanish as an HTML tag."""
    parts = text.strip().split("`")
    parts[::2] = [p.replace("&", "&amp;").replace("<", "&lt;") for p in parts[::2]]
    return "`".join(parts)


def _cell(text: str) -> str:
    return _md(text).replace("|", "\\|")


def _anchor(rule: Rule) -> str:
    return rule_anchor(rule.id, rule.name)


def _pack_titles() -> dict[str, str]:
    titles: dict[str, str] = {}
    for path in resources.builtin_packs():
        head = (yaml.safe_load(path.read_text("utf-8")) or {}).get("pack") or {}
        if head.get("id") and head.get("title"):
            titles[str(head["id"])] = str(head["title"])
    return titles


def _rule_section(r: Rule) -> list[str]:
    facts = [f"**{r.severity.value}**", r.category.value]
    if r.owner:
        facts.append(f"fixed by: {_md(r.owner)}")
    if r.covers:
        facts.append(f"covers: {', '.join(r.covers)}")
    out = [
        f"### {r.id} {r.name}",
        "",
        f"*{_md(r.title)}*",
        "",
        " · ".join(facts),
        "",
        f"**Why it matters.** {_md(r.rationale)}",
        "",
        f"**What to do.** {_md(r.remediation)}",
        "",
        "**Sources:**",
        "",
    ]
    for src in r.sources:
        title = _md(src.title).replace("[", "\\[").replace("]", "\\]")
        named = f"[{title}]({src.url})" if src.url else title
        out.append(f"- `{src.id}` {named}" + (f": “{_md(src.says)}”" if src.says else ""))
    out += ["", f"Checked by `{r.kind.name}` ({r.scope}), in pack `{r.pack}`.", ""]
    return out


def rules_markdown(rules: Sequence[Rule]) -> str:
    """A rules reference for docs/rules.md: a table of every rule, then one section each."""
    titles = _pack_titles()
    out = [
        "# Rules reference",
        "",
        f"<!-- Generated from the rule packs by `{REGENERATE}`. Do not edit by hand. -->",
        "",
        f"safesocial has {len(rules)} built-in rules. Every finding names its rule; "
        "`safesocial explain ID` shows the same text with a failing and a passing example. "
        "**Severity** says how urgent a finding is (error, warning, info; `--fail-on` picks "
        "which fail a run). **Category**: *drift* is practice that differs from the school's "
        "own policy, *guidance* falls short of published guidance, *records* are missing, "
        "expired or inconsistent records. **Covers** names the requirements a rule checks "
        "(G1-G28 from the seed cases, the others from public guidance). A trust's own packs "
        "add rules of their own (see [trust-packs.md](trust-packs.md)).",
        "",
        "| id | name | severity | category | title |",
        "|---|---|---|---|---|",
    ]
    out += [
        f"| [{r.id}](#{_anchor(r)}) | `{r.name}` | {r.severity.value} | {r.category.value} "
        f"| {_cell(r.title)} |"
        for r in rules
    ]
    for pack, group in groupby(rules, key=lambda r: r.pack):
        out += ["", f"## {_md(titles.get(pack, pack))}", ""]
        for r in group:
            out += _rule_section(r)
    return "\n".join(out).rstrip("\n") + "\n"


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
        "reads": list(r.reads),
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
        # Background (blog posts, forum threads) is shown here, never as guidance in a
        # headteacher's report; where guidance applies is said too.
        kind = "background" if s.kind == "background" else ", ".join(s.jurisdictions) or "all"
        out.append(f"  [{s.id}] {s.title}" + (f" <{s.url}>" if s.url else "") + f" ({kind})")
        if s.says:
            out.append(f"      {s.says}")
    out += ["", f"Checked by: {rule.kind.name} ({rule.scope}); pack {rule.pack}"]
    if rule.reads:
        out += [f"Reads: {', '.join(rule.reads)} (not run where one could not be read)"]
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
