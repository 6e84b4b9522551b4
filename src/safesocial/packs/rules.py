"""Rule packs: YAML data, validated against schemas/rule-pack.schema.json, bound to check kinds.

A malformed pack or rule is a RulePackError naming the file and line: never skipped.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safesocial import checks
from safesocial.checks import shareable
from safesocial.checks.base import CheckKind, Scope
from safesocial.checks.declarative import template_fields
from safesocial.documents import resources, validate
from safesocial.documents.compiled_schema import Check
from safesocial.documents.read import read_document
from safesocial.documents.yamlio import YMap
from safesocial.documents.yamlnodes import locate
from safesocial.errors import RulePackError
from safesocial.findings import Category, Location, Severity
from safesocial.packs import reads, schema_safety

# Params of the declarative kinds that hold JSON Schema, checked here so a mistake is
# reported at its own line rather than at the rule.
_SCHEMA_PARAMS = frozenset({"schema", "where"})


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    url: str | None = None
    says: str | None = None
    # guidance: what a school is expected to follow (a headteacher's report cites it);
    # background: blog posts, forum threads, other schools' policies (`explain` only).
    kind: str = "guidance"
    # Whose schools it applies to (england, wales, us, ontario...); empty: everyone's.
    jurisdictions: tuple[str, ...] = ()
    # A local authority's own guidance: cited only to that authority's schools.
    local_authority: str | None = None

    def applies_to(self, jurisdiction: str, local_authority: str) -> bool:
        """Guidance a school in `jurisdiction` (and `local_authority`) is expected to follow.
        A school whose school.yaml names no jurisdiction (or `other`) is shown every
        country's guidance: better too much than none."""
        if self.kind != "guidance":
            return False
        known = jurisdiction not in ("", "other")
        if known and self.jurisdictions and jurisdiction not in self.jurisdictions:
            return False
        wanted = (self.local_authority or "").casefold()
        return not wanted or wanted == local_authority.casefold()


@dataclass(frozen=True, slots=True)
class Words:
    """A rule in a headteacher's words (the pack's `words:`); the reports fall back to
    the rule's own text where a part is missing.

    `found` may name `{subject}` (follower #8, pupil A1207) and `{account}` (the account
    in words); `steps` says where a setting is on each platform (x, instagram...).
    """

    policy: str | None = None
    found: str | None = None
    why: str | None = None
    todo: str | None = None
    steps: tuple[tuple[str, str], ...] = ()

    def step(self, platform: str) -> str | None:
        return next((path for name, path in self.steps if name == platform), None)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    title: str
    severity: Severity
    category: Category
    rationale: str
    remediation: str
    owner: str | None
    sources: tuple[Source, ...]
    covers: tuple[str, ...]
    kind: CheckKind
    scope: Scope
    params: Any  # what the kind's prepare() made of the rule's check mapping
    raw_check: Mapping[str, Any]
    when: Check | None  # a yes/no predicate over the target's view
    raw_when: Mapping[str, Any] | None
    # The paths of the view and the school parts it reads (reads.py); `needs`, the
    # parts alone: the rule is skipped where one of them failed to load.
    reads: tuple[str, ...]
    needs: frozenset[str]
    pack: str
    location: Location
    override: bool = False
    words: Words = Words()


def _fail(loc: Location, message: str) -> RulePackError:
    return RulePackError(f"{loc}: {message}")


def _check_schema(node: YMap, schema: Any, named: str) -> None:
    """Refuse an invalid JSON Schema written in a rule, pointing at the faulty keyword."""
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import SchemaError

    # The meta-schema's `format: regex` would compile each pattern with Python's `re`;
    # schema_safety below reads them with RE2, the engine that will run them.
    formats = [f for f in Draft202012Validator.FORMAT_CHECKER.checkers if f != "regex"]
    try:
        Draft202012Validator.check_schema(schema, format_checker=FormatChecker(formats))
    except SchemaError as exc:
        inside = list(exc.absolute_path)
        where = ".".join(str(p) for p in [named, *inside])
        loc = (locate(schema, inside) if isinstance(schema, YMap) else None) or node.loc()
        raise _fail(
            loc, f"rule {node['id']}: {where} is not a valid JSON Schema: {exc.message}"
        ) from None
    for path, why in schema_safety.problems(schema):  # patterns RE2 refuses, $refs astray
        loc = (locate(schema, path) if isinstance(schema, YMap) else None) or node.loc()
        raise _fail(loc, f"rule {node['id']}: {named}: {why}")


@functools.cache
def _params_fit(kind_name: str) -> Check:
    return validate.predicate(checks.get(kind_name).params)


def _check_templates(node: YMap, check: YMap, kind: CheckKind, scope: Scope) -> None:
    """Refuse a message that could quote private data, at its line (checks/shareable.py)."""
    extra: dict[str, shareable.Node | None] = {
        name: None for name in kind.template_names if name != "entry"
    }
    listed = check.get("list")
    if "entry" in kind.template_names and isinstance(listed, str):
        entry = shareable.resolve(scope, [*listed.split("."), 0])
        if entry is not None:
            extra["entry"] = entry
    fields = [
        (key, name)
        for key in ("message", "subject", "related_text")
        if isinstance(check.get(key), str)
        for name in template_fields(check[key])
    ]
    if isinstance(check.get("related"), str):  # its value is quoted beside the finding
        fields.append(("related", check["related"]))
    for key, name in fields:
        why = shareable.refusal(name, scope, extra, key.replace("_", " "))
        if why:
            raise _fail(check.loc(key), f"rule {node['id']}: {why}")


def _build_rule(node: YMap, sources: Mapping[str, Source], pack: str, trusted: bool) -> Rule:
    check: YMap = node["check"]
    try:
        kind = checks.get(str(check["kind"]))
    except KeyError as exc:
        raise _fail(check.loc("kind"), f"rule {node['id']}: {exc.args[0]}") from None
    problems = (
        []
        if _params_fit(kind.name)(check)
        else list(validate.compile_schema(kind.params).iter_errors(check))
    )
    if problems:
        problem = validate.describe(problems[0], check, check.file, top="check")
        raise _fail(
            problem.location, f"rule {node['id']}, check kind '{kind.name}': {problem.message}"
        )
    scope: Scope = check.get("target", kind.scopes[0])
    if scope not in kind.scopes:
        raise _fail(
            check.loc("target"), f"rule {node['id']}: kind {kind.name} cannot look at {scope}"
        )
    _check_templates(node, check, kind, scope)
    # The built-in packs are checked by the test suite
    # (tests/unit/test_check_kind_registry.py); checking their schemas again on every run
    # was most of the time it took to load the rules.
    when = None
    if "when" in node:
        if not trusted:
            _check_schema(node, node["when"], "when")
        when = validate.predicate(node["when"])
    for key, value in check.items():
        if key in _SCHEMA_PARAMS and isinstance(value, YMap) and not trusted:
            _check_schema(node, value, f"check.{key}")
    params = kind.prepare(check)
    read = reads.derive(check, node.get("when"), kind.reads)
    cited = []
    for i, ref in enumerate(node["sources"]):
        if ref not in sources:
            raise _fail(
                node["sources"].loc(i),
                f"rule {node['id']} cites '{ref}', which the pack's sources do not define",
            )
        cited.append(sources[ref])
    return Rule(
        id=node["id"],
        name=node["name"],
        title=node["title"],
        severity=Severity(node["severity"]),
        category=Category(node["category"]),
        rationale=node["rationale"].strip(),
        remediation=node["remediation"].strip(),
        owner=node.get("owner"),
        sources=tuple(cited),
        covers=tuple(node.get("covers", ())),
        kind=kind,
        scope=scope,
        params=params,
        raw_check=check,
        when=when,
        raw_when=node.get("when"),
        reads=read,
        needs=reads.needs(read),
        pack=pack,
        location=node.loc(),
        override=node.get("override") is True,
        words=_words(node.get("words")),
    )


def _words(node: Any) -> Words:
    if not node:
        return Words()
    steps = node.get("steps") or {}
    return Words(
        policy=_text(node.get("policy")),
        found=_text(node.get("found")),
        why=_text(node.get("why")),
        todo=_text(node.get("todo")),
        steps=tuple((str(k), " ".join(str(v).split())) for k, v in steps.items()),
    )


def _text(value: Any) -> str | None:
    return " ".join(str(value).split()) if value else None


def _read(path: Path, schema: str | Mapping[str, Any] | None = None, invalid: str = "") -> Any:
    return read_document(
        path, path.as_posix(), schema, RulePackError, what="the rule pack", invalid=invalid,
        empty=True,
    )  # fmt: skip


def _sources(doc: Any) -> dict[str, Source]:
    return {
        key: Source(
            key,
            v["title"],
            v.get("url"),
            v.get("says"),
            kind=v.get("kind", "guidance"),
            jurisdictions=tuple(v.get("jurisdictions") or ()),
            local_authority=v.get("local_authority"),
        )
        for key, v in (doc.get("sources") or {}).items()
    }


@functools.cache
def library() -> dict[str, Source]:
    """The sources every pack may cite (policies/_sources.yaml)."""
    path = resources.sources_library()
    pack_schema = resources.schema("rule-pack.schema.json")
    only_sources = {
        "type": "object",
        "additionalProperties": False,
        "required": ["sources"],
        "properties": {"sources": pack_schema["properties"]["sources"]},
    }
    return _sources(_read(path, only_sources, "invalid sources library: "))


@functools.cache
def policy_words() -> dict[str, dict[str, str]]:
    """What each policy setting says in words, by setting and value (policies/_words.yaml)."""
    doc = _read(resources.data_dir("policies") / "_words.yaml")
    table = doc.get("policy") if isinstance(doc, Mapping) else None
    if not isinstance(table, Mapping):
        raise RulePackError("policies/_words.yaml: expected a `policy:` mapping")
    return {
        str(key): {str(v): " ".join(str(text).split()) for v, text in (values or {}).items()}
        for key, values in table.items()
    }


def setting_words(key: str, value: str) -> str | None:
    """'Your policy says the account is protected...' for (visibility, protected)."""
    # Under defaults.official / defaults.department the setting is the same as on its own.
    for prefix in ("defaults.official.", "defaults.department.", "defaults.staff_professional."):
        key = key.removeprefix(prefix)
    said = policy_words().get(key, {})
    text = said.get(value.lower()) or said.get("*")
    return text.replace("{value}", value.replace("_", " ")) if text else None


def load_pack(path: Path, trusted: bool = False) -> list[Rule]:
    """The rules of one pack; `trusted` (the built-in packs) skips re-checking their
    JSON Schemas, which the test suite does."""
    doc = _read(path, "rule-pack.schema.json", "invalid rule pack: ")
    sources = {**library(), **_sources(doc)}
    pack = str(doc["pack"]["id"])
    return [_build_rule(node, sources, pack, trusted) for node in doc["rules"]]


def load_rules(paths: Iterable[Path] | None = None) -> list[Rule]:
    """The built-in packs (or the given ones), refusing two rules with one id."""
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    builtin = resources.builtin_packs()  # in order: rules are listed as the packs go
    trusted = set(builtin)
    for path in paths if paths is not None else builtin:
        for rule in load_pack(path, trusted=path in trusted):
            if rule.id in seen:
                first = seen[rule.id]
                if not rule.override:
                    raise _fail(
                        rule.location,
                        f"rule id {rule.id} is already used at {first.location}; "
                        "use another id, or `override: true` to replace that rule",
                    )
                # A trust's pack replaces the built-in rule where it stood.
                rules[rules.index(first)] = rule
            else:
                rules.append(rule)
            seen[rule.id] = rule
    if not rules:
        raise RulePackError("no rules were loaded: no rule pack found")
    return rules


def by_id(rules: Sequence[Rule], rule_id: str) -> Rule | None:
    wanted = rule_id.upper()
    return next((r for r in rules if r.id == wanted or r.name == rule_id.lower()), None)
