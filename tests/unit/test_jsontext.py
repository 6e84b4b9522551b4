"""reporters/jsontext writes exactly what json.dumps(indent=2, ensure_ascii=False) writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safesocial.reporters import jsontext
from tests.conftest import ROOT

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(_VALUES)
def test_the_same_text_as_json_dumps(value):
    assert jsontext.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


@given(_VALUES, st.integers(min_value=0, max_value=4))
def test_the_same_text_nested_at_any_depth(value, level):
    nested: object = value
    for _ in range(level):
        nested = [nested]
    expected = json.dumps(nested, indent=2, ensure_ascii=False)
    # The value's own text inside the nested document, lines indented to its depth.
    inner = jsontext.dumps(value, level)
    assert inner in expected


GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize(
    "path", sorted([*GOLDEN.glob("*.json"), *GOLDEN.glob("*.sarif")]), ids=lambda p: p.name
)
def test_the_goldens_round_trip(path: Path):
    doc = json.loads(path.read_text("utf-8"))
    assert jsontext.dumps(doc) == json.dumps(doc, indent=2, ensure_ascii=False)


def test_what_is_not_json_is_refused():
    with pytest.raises(TypeError):
        jsontext.dumps({1: "a number as a key"})
    with pytest.raises(TypeError):
        jsontext.dumps({"a": object()})
