"""The declarative check kinds: JSON Schema over a target's view, and over list entries.

Most account-level rules are written with these two and need no Python at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from safesocial.checks import shareable
from safesocial.checks.base import (
    DRIFT,
    SCOPES,
    Context,
    Hit,
    Scope,
    choice,
    obj_params,
    shown,
)
from safesocial.checks.declare import kind
from safesocial.documents.compiled_schema import Check
from safesocial.documents.validate import compile_schema, predicate
from safesocial.documents.yamlio import YList
from safesocial.documents.yamlnodes import locate
from safesocial.findings import Category, Related
from safesocial.model import get_path

_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")
NOT_SHOWN = "(a value not shown)"


def template_fields(text: str) -> list[str]:
    return _FIELD.findall(text)


def render(template: str, names: Mapping[str, Any]) -> str:
    def one(match: re.Match[str]) -> str:
        value = get_path(names, match.group(1))
        if value is None:
            return "(not set)"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return ", ".join(str(v) for v in value) or "(none)"
        return str(value)

    return _FIELD.sub(one, template)


_COMMON = {
    "target": choice(SCOPES, "What the rule looks at."),
    "message": {"type": "string", "minLength": 1},
    "related": {"type": "string", "description": "Dotted path of the declared policy line."},
    "related_text": {"type": "string"},
    "drift_when": {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": {"type": "array", "minItems": 1},
        "description": "Dotted view paths (policy.following.auto_follow_back; for `each` "
        "also entry.started_by) and the values that make a hit drift rather than the "
        "rule's own category: the school's policy said it, and practice breaks it.",
    },
}


DriftWhen = tuple[tuple[str, tuple[Any, ...]], ...]


def drift_when(p: Mapping[str, Any]) -> DriftWhen:
    return tuple((path, tuple(values)) for path, values in p.get("drift_when", {}).items())


def hit_category(names: Mapping[str, Any], when: DriftWhen) -> Category | None:
    """DRIFT when every path of `drift_when` holds one of its values in `names` (the view,
    and for `each` the entry), else None (the rule's category)."""
    if not when:
        return None
    for path, values in when:
        value = get_path(names, path)
        # bool is an int in Python: `false` must not match a declared 0, nor `true` a 1.
        if not any(value == v and type(value) is type(v) for v in values):
            return None
    return DRIFT


def _related(ctx: Context, path: str | None, text: str | None) -> tuple[Related, ...]:
    # Only a line the policy really has: pointing at its parent with the rule's text would
    # tell the reader the policy says what it does not.
    value = get_path(ctx.view, path) if path else None
    if not path or value is None:
        return ()
    loc = locate(ctx.view, path.split("."))
    if loc is None:
        return ()
    key = path.split(".", 1)[-1]
    said = render(text, ctx.view) if text else f"the policy declares {key}: {value}"
    # Only a line of the policy has a setting a report can put in words.
    if not path.startswith("policy."):
        return (Related(loc, said),)
    return (Related(loc, said, key=key, value=shown(value)),)


class _SchemaParams:
    """A `schema` rule, ready to run: a fast yes/no, and jsonschema (compiled on the first
    failure only) to say where and why it fails."""

    __slots__ = (
        "at", "drift", "fits", "message", "related", "related_text", "schema", "scope", "slow",
    )  # fmt: skip

    def __init__(self, p: Mapping[str, Any]) -> None:
        self.schema: Mapping[str, Any] = p["schema"]
        self.fits: Check = predicate(self.schema)
        self.slow: Any = None
        self.message: str = p["message"]
        self.at: str | None = p.get("at")
        self.related: str | None = p.get("related")
        self.related_text: str | None = p.get("related_text")
        self.drift: DriftWhen = drift_when(p)
        self.scope: Scope = p.get("target", SCOPES[0])

    def errors(self, view: Mapping[str, Any]) -> Any:
        if self.slow is None:
            self.slow = compile_schema(self.schema)
        return self.slow.iter_errors(view)


def _value(scope: Scope, path: list[str | int], value: Any) -> Any:
    """What `{value}` shows: the failing value only when its field is shareable
    (checks/shareable.py); true/false and numbers always are."""
    if value is None or isinstance(value, bool | int | float):
        return value
    node = shareable.resolve(scope, path)
    text = ".".join(str(p) for p in path)
    if text in shareable.ALLOWED_FREE_TEXT or (node is not None and shareable.is_shareable(node)):
        return value
    return NOT_SHOWN


def _prepare_schema(p: Mapping[str, Any]) -> _SchemaParams:
    return _SchemaParams(p)


@kind(
    "schema",
    SCOPES,
    params=obj_params(
        {
            **_COMMON,
            "schema": {"type": "object", "description": "JSON Schema the view must satisfy."},
            "at": {
                "type": "string",
                "description": "Where to point when the schema names no field.",
            },
        },
        required=("schema", "message"),
    ),
    prepare=_prepare_schema,
    template_names=frozenset({"value"}),
)
def SCHEMA(ctx: Context, p: _SchemaParams) -> Iterator[Hit]:
    """The target's view (the target with the policy that applies to it) must satisfy `schema`; one
    finding per target when it does not.
    """
    if p.fits(ctx.view):
        return
    from jsonschema.exceptions import best_match

    error = best_match(p.errors(ctx.view))
    if error is None:
        return
    path = list(error.absolute_path)
    loc = locate(ctx.view, path) if len(path) >= 2 else None
    if (loc is None or error.validator == "required") and p.at:
        loc = locate(ctx.view, p.at.split(".")) or loc
    message = render(p.message, {**ctx.view, "value": _value(p.scope, path, error.instance)})
    detail = ".".join(str(x) for x in path) or (p.at or "")
    related = _related(ctx, p.related, p.related_text)
    yield Hit(
        message, loc, related=related, detail=detail, category=hit_category(ctx.view, p.drift)
    )


@dataclass(frozen=True, slots=True)
class _EachParams:
    list_path: str
    where: Check
    message: str
    subject: str | None
    related: str | None
    related_text: str | None
    drift: DriftWhen


def _prepare_each(p: Mapping[str, Any]) -> _EachParams:
    return _EachParams(
        p["list"],
        predicate(p["where"]),
        p["message"],
        p.get("subject"),
        p.get("related"),
        p.get("related_text"),
        drift_when(p),
    )


@kind(
    "each",
    SCOPES,
    params=obj_params(
        {
            **_COMMON,
            "list": {"type": "string", "description": "Dotted path of a list in the view."},
            "where": {
                "type": "object",
                "description": "JSON Schema an entry matches to be a finding.",
            },
            "subject": {"type": "string", "description": "Template naming the entry (refs only)."},
        },
        required=("list", "where", "message"),
    ),
    prepare=_prepare_each,
    template_names=frozenset({"entry", "number"}),
)
def EACH(ctx: Context, p: _EachParams) -> Iterator[Hit]:
    """One finding for every entry of a list (e.g. account.following) that matches `where`. Meant
    for short lists; follower lists have their own kinds.
    """
    items = get_path(ctx.view, p.list_path)
    if not isinstance(items, YList):
        return
    related = _related(ctx, p.related, p.related_text)
    noun = p.list_path.rsplit(".", 1)[-1].replace("_", " ")
    for index, entry in enumerate(items):
        if not p.where(entry):
            continue
        names = {**ctx.view, "entry": entry, "number": index + 1}
        subject = render(p.subject, names) if p.subject else f"{noun} #{index + 1}"
        yield Hit(
            render(p.message, names),
            items.loc(index),
            subject=subject,
            related=related,
            detail=f"{p.list_path}:{subject}",
            category=hit_category(names, p.drift),
        )


KINDS = (SCHEMA, EACH)
