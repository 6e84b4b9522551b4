"""The fast validator is a shortcut, never a second opinion: whatever it accepts,
jsonschema accepts too; and the real documents take the shortcut."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safesocial.documents import compiled_schema, resources, validate, yamlio
from safesocial.model import loader
from safesocial.packs import cases
from tests.conftest import EXAMPLES, ROOT

SCHEMA_OF = {
    "school.yaml": "school.schema.json",
    "policy.yaml": "policy.schema.json",
    "consent.yaml": "consent.schema.json",
    "pupils.yaml": "pupils.schema.json",
    "staff-accounts.yaml": "staff-accounts.schema.json",
    "waivers.yaml": "waivers.schema.json",
}


def _documents() -> list[tuple[str, Any]]:
    docs = []
    for folder in [*sorted(EXAMPLES.iterdir()), ROOT / "policies" / "cases" / "_base"]:
        for path in sorted(folder.rglob("*.yaml")):
            name = (
                "account.schema.json"
                if path.parent.name == "accounts"
                else SCHEMA_OF.get(path.name)
            )
            if name:
                docs.append((name, yamlio.parse(path.read_text("utf-8"), str(path))))
    return docs


DOCS = _documents()
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats(allow_nan=False)
    | st.sampled_from(["", "x", "2026-02-30", "2026-11-21", "parent", "pupil", "official",
                       "protected", "yes", "S001", "P001", "01234", " ", "a" * 3]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["handle", "category", "pupil", "approval", "on", "form", "kind",
                         "platform", "protected", "extra", "ref", "state", "scopes"]),
        inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


def _paths(node: Any, here: tuple = ()) -> list[tuple]:
    found = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*here, index))
    return found


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _mutate(doc: Any, path: tuple, action: str, value: Any, key: str) -> Any:
    doc = copy.deepcopy(_plain(doc))
    if not path:
        return value if action == "replace" else doc
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif action == "add" and isinstance(parent[last], dict):
        parent[last][key] = value
    return doc


@pytest.mark.parametrize("name", sorted({name for name, _ in DOCS}))
def test_every_input_schema_compiles(name):
    assert validate.fast_checker(name) is not None


@pytest.mark.parametrize(("name", "doc"), DOCS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(DOCS)])
def test_real_documents_take_the_fast_path(name, doc):
    assert validate.fast_checker(name)(doc)
    assert validate.validator(name).is_valid(doc)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_fast_path_never_accepts_what_jsonschema_rejects(data):
    name, doc = data.draw(st.sampled_from(DOCS))
    path = data.draw(st.sampled_from(_paths(doc)))
    action = data.draw(st.sampled_from(["replace", "delete", "add"]))
    mutated = _mutate(
        doc, path, action, data.draw(JSON), data.draw(st.sampled_from(["zz", "note", "handle"]))
    )
    # Exactly the same verdict, not merely never more lenient: rule schemas use `not`
    # and `if`, where a stricter check would turn into a more lenient one.
    assert validate.fast_checker(name)(mutated) == validate.validator(name).is_valid(mutated), (
        name,
        path,
        action,
    )


@pytest.mark.parametrize(
    ("schema", "good", "bad"),
    [
        ({"type": "integer"}, 3, True),
        ({"enum": ["a", 1]}, 1, True),
        ({"const": False}, False, 0),
        (
            {
                "type": "object",
                "required": ["a"],
                "additionalProperties": False,
                "properties": {"a": {"type": "string", "minLength": 2}},
            },
            {"a": "ab"},
            {"a": "ab", "b": 1},
        ),
        ({"format": "date"}, "2024-02-29", "2023-02-29"),
        ({"items": {"type": "string"}, "uniqueItems": True}, ["a", "b"], ["a", "a"]),
        ({"minimum": 1, "maximum": 3}, 2, 4),
        ({"pattern": "^x"}, "xy", "yx"),
    ],
)
def test_keywords(schema, good, bad):
    check = compiled_schema.compile_schema(schema)
    assert check is not None and check(good) and not check(bad)


# Each property shape object_shape writes out as an inline test, and some it does not.
WRITTEN_OUT = [
    *({"type": kind} for kind in ("string", "boolean", "object", "array", "null", "integer")),
    {"type": "string", "minLength": 2},
    {"type": "string", "description": "said only"},
    {"enum": ["a", "b"]},
    {"enum": ["a", 1]},
    {"$ref": "#/$defs/day"},
    {"$ref": "#/$defs/word"},
    {"type": ["string", "integer"]},
    True,
    False,
]
VALUES = [None, True, False, 0, 1, 2.0, 2.5, "", "a", "ab", "2026-02-30", "2026-02-28", [], {}]


@pytest.mark.parametrize("sub", WRITTEN_OUT)
@pytest.mark.parametrize("extra", [True, False, {"type": "integer"}])
@pytest.mark.parametrize("kind", [None, "object"])
def test_each_written_out_property_test_agrees_with_jsonschema(sub, extra, kind):
    schema: dict[str, Any] = {
        "$defs": {"day": {"type": "string", "format": "date"}, "word": {"enum": ["a"]}},
        "properties": {"p": sub, "q": {"type": "integer"}},
        "additionalProperties": extra,
        "required": ["q"],
    }
    if kind:
        schema["type"] = kind
    check, judge = compiled_schema.compile_schema(schema), validate.compile_schema(schema)
    assert check is not None
    for value in VALUES:
        for doc in ({"p": value, "q": 1}, {"r": value, "q": 1}, {"p": value}, value):
            assert check(doc) == judge.is_valid(doc), (doc, sub, extra, kind)


def test_a_property_name_never_becomes_code():
    # object_shape writes Python source; a pack's names are passed in as values.
    names = ["a' or True or '", '"\nraise SystemExit\n"', "__import__('os')", "_p0_name"]
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {name: {"type": "string", "minLength": 2} for name in names},
    }
    check = compiled_schema.compile_schema(schema)
    assert check is not None
    for name in names:
        assert check({name: "ab"}) and not check({name: "a"}) and not check({name: 1})
    assert not check({"a": "ab"}) and check({})


def test_unknown_keywords_fall_back_to_jsonschema():
    assert compiled_schema.compile_schema({"patternProperties": {"^x": {"type": "string"}}}) is None
    assert compiled_schema.compile_schema({"format": "email"}) is None
    assert compiled_schema.compile_schema({"contains": {}, "minContains": 2}) is None


def test_an_invalid_document_is_still_explained(tmp_path: Path):
    doc = yamlio.parse('platform: x\nhandle: "@a"\nkind: official\nprotcted: true\n', "a.yaml")
    (problem,) = validate.check(doc, "account.schema.json", "a.yaml")
    assert "did you mean 'protected'" in problem.message and problem.location.line == 4


def test_the_schemas_are_the_ones_shipped():
    assert resources.schema("account.schema.json")["$id"].endswith("account.schema.json")


def _rule_views():
    """Every rule schema with the views (and list entries) the rule cases give it."""
    from safesocial.model import get_path
    from safesocial.packs import rules
    from safesocial.packs.rules import _SCHEMA_PARAMS
    from safesocial.running import judge
    from safesocial.settings import Settings

    pairs = []
    loaded_rules = rules.load_rules()
    all_cases = cases.all_cases()
    for case in all_cases[::3]:  # a third of the cases: every kind of view, in seconds
        with tempfile.TemporaryDirectory() as tmp:
            cases.materialise(case.files, Path(tmp))
            school = loader.load_school(Path(tmp), "case")
        for scope, ctx, _ in judge._contexts(school.school, Settings(as_of=case.as_of)):
            for rule in loaded_rules:
                if rule.scope != scope:
                    continue
                raw = [("when", rule.raw_when)] if rule.raw_when is not None else []
                raw += [(k, rule.raw_check[k]) for k in _SCHEMA_PARAMS if k in rule.raw_check]
                for key, schema in raw:
                    if key == "where":
                        items = get_path(ctx.view, rule.raw_check["list"]) or []
                        pairs += [(rule.id, key, schema, item) for item in items]
                    else:
                        pairs.append((rule.id, key, schema, ctx.view))
    return pairs


def test_rule_schemas_agree_with_jsonschema_on_real_views():
    checked = 0
    for rule_id, key, schema, view in _rule_views():
        fast = compiled_schema.compile_schema(schema)
        assert fast is not None, (rule_id, key)
        assert fast(view) == validate.compile_schema(schema).is_valid(view), (rule_id, key)
        checked += 1
    assert checked > 1000
