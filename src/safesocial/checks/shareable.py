"""Which fields a rule's message may quote: those whose type makes them safe to share.

A message goes into every report, the shareable ones included (JSON, SARIF, JUnit, CI
annotations, the headteacher's HTML). So a template (`{account.protected}`) may name a
field only when its schema says it cannot hold a handle, a name or text a person typed:

- true/false, numbers, dates;
- a word from a fixed list (`enum`, `const`: platform, kind, category, role...), or a
  list of such words;
- a pupil's or a staff member's ref (`pupilRef`, `staffRef`), which is how shareable
  outputs name people.

Never a mapping (`{account}`, `{entry}`), never a list of records (`{account.followers}`),
never free text (`bio`, `caption`, `notes`, `purpose`...), never a field the schema does
not know. The account's own handle (`account.handle`) is the one exception: the school's
account is public and is what the finding is about. The same test runs on the built-in
packs and on a trust's, when the pack loads, and on a `schema` rule's `{value}` when it
is filled in.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from safesocial.checks.base import Scope
from safesocial.documents import resources

ALLOWED_FREE_TEXT = frozenset({"account.handle"})
# $defs shared by the document schemas whose values are refs or words from a fixed list.
_SAFE_DEFS = frozenset(
    {"#/$defs/date", "#/$defs/staffRef", "#/$defs/pupilRef", "#/$defs/role", "#/$defs/category"}
    | {"#/$defs/platform", "#/$defs/postId"}
)
_SCALARS = frozenset({"boolean", "integer", "number", "null"})
_VIEWS = {
    "school": "a school's view",
    "account": "an account's view",
    "staff_account": "a staff account's view",
}

Node = tuple[Mapping[str, Any], Any]  # (the schema document, a node inside it)


def _doc(name: str) -> Mapping[str, Any]:
    return resources.schema(name)


def _prop(doc: Mapping[str, Any], *path: str) -> Node:
    node: Any = doc
    for part in path:
        node = node[part]
    return doc, node


@functools.cache
def _roots(scope: Scope) -> dict[str, Node]:
    """What each top-level name of a `scope` view is, as a schema."""
    policy = _doc("policy.schema.json")
    school = _doc("school.schema.json")
    roots: dict[str, Node] = {"school": (school, school)}
    if scope == "school":
        roots["policy"] = (policy, policy)
    elif scope == "account":
        account = _doc("account.schema.json")
        roots["account"] = (account, account)
        roots["policy"] = _prop(policy, "$defs", "accountPolicy")
    else:
        staff = _doc("staff-accounts.schema.json")
        roots["staff_account"] = _prop(staff, "properties", "staff_accounts", "items")
        roots["staff"] = _prop(school, "properties", "staff", "items")
        roots["policy"] = _prop(policy, "properties", "staff_accounts")
    return roots


def _deref(doc: Mapping[str, Any], node: Any) -> tuple[Any, str | None]:
    """The node a `$ref` leads to (within its own document), and the reference."""
    ref = node.get("$ref") if isinstance(node, Mapping) else None
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return node, None
    target: Any = doc
    for part in ref[2:].split("/"):
        target = target.get(part) if isinstance(target, Mapping) else None
    return target, ref


def _child(doc: Mapping[str, Any], node: Any, part: str | int) -> Any:
    node, _ = _deref(doc, node)
    if not isinstance(node, Mapping):
        return None
    if isinstance(part, int):
        return node.get("items")
    props = node.get("properties")
    return props.get(part) if isinstance(props, Mapping) else None


def resolve(scope: Scope, path: Sequence[str | int]) -> Node | None:
    """The schema of the view's field at `path` (list indexes as ints), None if unknown."""
    if not path or not isinstance(path[0], str):
        return None
    root = _roots(scope).get(path[0])
    if root is None:
        return None
    doc, node = root
    for part in path[1:]:
        node = _child(doc, node, part)
        if node is None:
            return None
    return doc, node


def _word(doc: Mapping[str, Any], node: Any) -> bool:
    """A single value that cannot hold free text."""
    node, ref = _deref(doc, node)
    if ref in _SAFE_DEFS:
        return True
    if not isinstance(node, Mapping):
        return False
    if "enum" in node or "const" in node:
        values = node.get("enum", [node.get("const")])
        return all(v is None or isinstance(v, bool | int | float | str) for v in values)
    kinds = node.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if kinds and all(k in _SCALARS for k in kinds):
        return True
    if kinds == ["string"] and node.get("format") == "date":
        return True
    for key in ("anyOf", "oneOf"):
        if isinstance(node.get(key), list):
            return all(_word(doc, branch) for branch in node[key])
    return False


def is_shareable(node: Node) -> bool:
    """Whether the field `node` describes may be quoted in a shareable report."""
    doc, schema = node
    if _word(doc, schema):
        return True
    schema, _ = _deref(doc, schema)
    # A list of words ("parents, staff") is as safe as one word; a list of records is not.
    return (
        isinstance(schema, Mapping)
        and schema.get("type") == "array"
        and _word(doc, schema.get("items"))
    )


def refusal(name: str, scope: Scope, extra: Mapping[str, Node | None], where: str) -> str | None:
    """Why the template field `name` may not be quoted (None when it may).

    `extra` holds the names a kind adds to the view (`entry`, `number`...): a schema for
    what it is, or None for a name the kind fills in itself from safe data.
    """
    parts: list[str | int] = list(name.split("."))
    if len(parts) == 1 and extra.get(name, False) is None:
        return None
    root = extra.get(str(parts[0]))
    if root is not None:
        node: Node | None = root
        for part in parts[1:]:
            node = (node[0], _child(node[0], node[1], part)) if node else None
            if node is not None and node[1] is None:
                node = None
    else:
        node = resolve(scope, parts)
    if node is not None and name in ALLOWED_FREE_TEXT:
        return None
    if node is None:
        why = f"which is not a field safesocial knows in {_VIEWS[scope]}"
    elif not is_shareable(node):
        why = "which can hold a handle, a name or text someone typed, or a whole mapping or list"
    else:
        return None
    return (
        f"the {where} quotes '{name}', {why}; a message may quote only true/false, numbers, "
        "dates, words from a fixed list and refs: refer to pupils by ref"
    )
