"""`check --statistics`: how many findings each rule raised, most first, as ruff's
--statistics does, for a trust's lead deciding what to fix across schools first."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping

from safesocial.packs.rules import Rule
from safesocial.reporters import ci
from safesocial.reporters.base import visible
from safesocial.running.results import RunResult
from safesocial.text import plural


def rows(result: RunResult, rules: Mapping[str, Rule]) -> list[dict[str, object]]:
    """One row per rule with findings (waived ones apart), most findings first."""
    counts = Counter(f.rule_id for f in result.findings if f.waiver is None)
    waived = Counter(f.rule_id for f in result.findings if f.waiver is not None)
    severity = {f.rule_id: f.severity.value for f in result.findings}
    ordered = sorted(counts.keys() | waived.keys(), key=lambda r: (-counts[r], -waived[r], r))
    return [
        {
            "rule": rule_id,
            "name": ci.rule_name(rule_id, rules),
            "severity": severity[rule_id],
            "count": counts[rule_id],
            "waived": waived[rule_id],
            "title": ci.title(rule_id, rules),
        }
        for rule_id in ordered
    ]


def as_text(result: RunResult, rules: Mapping[str, Rule]) -> str:
    table = rows(result, rules)
    lines = []
    if table:
        width = max(len(str(r["count"])) for r in table)
        ids = max(len(str(r["rule"])) for r in table)
        for r in table:
            waived = f" ({r['waived']} waived)" if r["waived"] else ""
            lines.append(
                f"{r['count']:>{width}}  {r['rule']!s:<{ids}}  {r['severity']!s:<7}  "
                f"{visible(str(r['title']))}{waived}"
            )
    gaps = len(result.gaps)
    if gaps:
        # Never a quiet table while something could not be checked.
        lines.append(f"{plural(gaps, 'thing')} not fully checked")
    return "\n".join(lines) + "\n" if lines else "no findings\n"


def as_json(result: RunResult, rules: Mapping[str, Rule]) -> str:
    doc = {"rules": rows(result, rules), "gaps": len(result.gaps), "complete": result.complete}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
