"""Findings in a headteacher's words, shared by the HTML, PDF, Markdown and plan reports.

A rule's `words:` (policies/*.yaml) says what the policy says, what was found, why it
matters and what to do, without file keys or raw values; where a rule has none, its own
message, rationale and remediation are used. Keys and line numbers stay in the small
"in the file" lines, for whoever edits the files; text, JSON and SARIF keep the messages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from safesocial.findings import Finding, Location, Related
from safesocial.packs.rules import Rule, Source, setting_words
from safesocial.running.results import SchoolResult

# Who fixes it, as the action plan groups it: the packs' owners in one spelling each.
OWNERS = {
    "dsl": "DSL",
    "designated safeguarding lead": "DSL",
    "headteacher": "Headteacher",
    "e-safety officer": "E-safety officer",
    "office": "School office",
    "school office": "School office",
    "business manager": "Business manager",
    "data protection officer": "Data protection officer",
}
# Input problems and gaps have no rule: whoever keeps the files puts them right.
KEEPER = "Whoever keeps the school's safesocial files"
PLATFORM_NAMES = {"x": "X", "instagram": "Instagram", "facebook": "Facebook",
                  "tiktok": "TikTok", "youtube": "YouTube", "linkedin": "LinkedIn",
                  "threads": "Threads", "bluesky": "Bluesky"}  # fmt: skip
_STAFF_PLATFORM = re.compile(r"\((\w+)\)\s*$")


def owner(rule: Rule | None) -> str:
    if rule is None or not rule.owner:
        return KEEPER
    return OWNERS.get(rule.owner.strip().lower(), rule.owner[:1].upper() + rule.owner[1:])


def platform(target: str) -> str:
    """The platform a finding is on: x from `x:@Handle`, instagram from `staff:S030
    (instagram)`; empty for the school and its records."""
    if target.startswith("staff:"):
        found = _STAFF_PLATFORM.search(target)
        return found.group(1).lower() if found else ""
    name, sep, _ = target.partition(":")
    return name if sep and name in PLATFORM_NAMES else ""


# Raw values a subject can hold ("ex_pupil P900", "pupil (not set)"), in words.
_SUBJECT_WORDS = (("ex_pupil", "ex-pupil"), ("(not set)", "(reference not recorded)"))


def _fill(template: str, finding: Finding, account: str) -> str:
    subject = finding.subject or "this"
    for raw, said in _SUBJECT_WORDS:
        subject = subject.replace(raw, said)
    text = template.replace("{subject}", subject).replace("{account}", account)
    return text[:1].upper() + text[1:]


def found(rule: Rule | None, finding: Finding, account: str) -> str:
    """What was found, in a sentence."""
    if rule is not None and rule.words.found:
        return _fill(rule.words.found, finding, account)
    text = finding.message
    return text[:1].upper() + text[1:]


def from_policy(rel: Related) -> bool:
    return PurePosixPath(rel.location.path).name == "policy.yaml"


def said(rule: Rule | None, related: Sequence[Related]) -> list[tuple[str, Location | None]]:
    """What the policy and records say, each with its place in the files: the rule's own
    sentence for the policy's lines (one sentence, every line it rests on), and each
    record's own line."""
    out: list[tuple[str, Location | None]] = []
    policy = [r for r in related if from_policy(r)]
    for i, rel in enumerate(policy):
        text = setting_words(rel.key, rel.value) if rel.key else None
        if text is None and rule is not None and rule.words.policy:
            # The rule's own sentence, once for every line it rests on.
            text = "" if i else rule.words.policy
        out.append((text if text is not None else _sentence(rel.message), rel.location))
    out += [(_sentence(r.message), r.location) for r in related if not from_policy(r)]
    return out


def why(rule: Rule) -> str:
    return rule.words.why or rule.rationale


def todo(rule: Rule, school: SchoolResult | None) -> str:
    """What to do, with the school's own office address where the advice needs one."""
    text = rule.words.todo or rule.remediation
    contact = school.place.contact if school is not None else ""
    return text.replace("{contact}", contact or "the school office's email address")


def steps(rule: Rule, target: str) -> str:
    """'On Instagram: Settings > Account privacy > Private account', for the finding's
    platform only; empty where the rule has no steps for it."""
    where = platform(target)
    step = rule.words.step(where) if where else None
    return f"On {PLATFORM_NAMES[where]}: {step}" if step else ""


def guidance(rule: Rule, school: SchoolResult | None) -> list[Source]:
    """The rule's sources a school there is expected to follow: its jurisdiction's and
    its local authority's guidance; background reading is left to `safesocial explain`."""
    if school is None:
        return [s for s in rule.sources if s.kind == "guidance"]
    place = school.place
    return [s for s in rule.sources if s.applies_to(place.jurisdiction, place.local_authority)]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
