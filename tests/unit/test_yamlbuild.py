"""The event builder (yamlbuild) reads every input exactly as compose-then-construct did
(tests/yamlio_reference.py): the same values, types, sharing and locations, and the
same refusals with the same message at the same line and column.

The inputs: every YAML file of the project (examples, rule packs, rule cases and their
bases, test data), every rule case's school as materialised, every string written in
the YAML tests, and the shapes below, made to put one refusal before another.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from safesocial.documents import yamlio
from safesocial.documents.yamlnodes import YList, YMap
from safesocial.errors import InputProblem
from safesocial.packs import cases
from tests import yamlio_reference

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_MODULES = (
    "security/test_hostile_yaml.py",
    "security/test_hostile_catalogue.py",
    "unit/test_yamlio.py",
)
BIG = "x: 1\n" + "".join(f"k{i}: {{a: [{i}]}}\n" for i in range(5100))  # past _COMPOSE_SAFE
DEEP = 70
SHAPES = [
    # A refusal of the constructor's, then the parser's or composer's later on.
    "a: 1\na: 2\nb: [\n",
    "a: 1\na: 2\nb: *nothing\n",
    "a: 1\na: 2\n---\nb: 1\n",
    "a: !!set {}\nb: &x 1\nc: &x 2\n",
    "a: !!float x\nb: *x\nc: &x 1\n",
    "? [1]\n: 2\nb: [\n",
    "a: &r [*r]\nb: [\n",
    # Tags on mappings and lists, the wrong kind of node for a tag, the non-specific tag.
    "a: !!str {b: 1}\n",
    "a: !!int [1]\n",
    "a: !!bool {}\n",
    "a: !!null [1]\n",
    "a: !!omap [a: 1]\n",
    "a: !custom [1]\n",
    "a: !!map {b: 1}\nc: !!seq [1]\n",
    "a: ! 12\nb: ! '12'\nc: !!str 12\nd: !<tag:yaml.org,2002:int> 7\n",
    "a: !!bool yes\nb: !!bool maybe\n",
    "a: !!int 0x1F\nb: !!int 1_000\nc: !!float 1_0.5\nd: !!float .NaN\n",
    "a: !!timestamp 2026-01-01\n",
    'a: !!float "x"\n',
    "a: !!binary aGk=\n",
    "a: !!merge x\n",
    # Plain words the builder types from a table (true, null...) and near misses, text.
    "a: [true, True, TRUE, false, False, FALSE, ~, null, Null, NULL, tRue, nULL, t, F]\n"
    "b: [n, N, No, yes, form, F-0, ~x, nulls, falsey, 'true', Nil, TRUE!]\n",
    # Keys: not text, repeated, repeated through an alias; aliases at depth and in keys.
    "1: a\ntrue: b\n",
    "~: a\n",
    "? {a: 1}\n: b\n",
    "? [a]\n: b\n",
    "a: &k b\n*k : c\nb: d\n",
    "&k a: 1\n*k : 2\n",
    "base: &b {x: 1}\nother:\n  <<: *b\n",
    "a: &x {b: 1}\nc: &y [*x, *x]\nd: [*y, *y, *x]\n",
    "a: &s 12\nb: [*s, *s]\n",
    "a: &r [1, *r]\n",
    "a: &r {b: {c: *r}}\n",
    "a: &x 1\nb: &x 2\n",
    "a: *x\n",
    "[" * (DEEP - 2) + "&d [1]" + "]" * (DEEP - 2) + "\n",
    "a: &d [[1]]\nb: " + "[" * (DEEP - 3) + "*d" + "]" * (DEEP - 3) + "\n",
    "a: &d [[1]]\nb: " + "[" * 62 + "*d" + "]" * 62 + "\n",
    "a: &d [[1]]\nb: " + "[" * 63 + "*d" + "]" * 63 + "\n",
    "a: &d [[1]]\nb: " + "[" * 63 + "&d 1" + "]" * 63 + "\n",
    # Nesting at and past the limit, in flow and block style, short texts and long.
    "a: " + "[" * 63 + "]" * 63 + "\n",
    "a: " + "[" * 64 + "]" * 64 + "\n",
    "a: " + "[" * DEEP + "]" * DEEP + "\n",
    "a: " + "[" * 2000 + "]" * 2000 + "\n",
    "".join(" " * i + f"k{i}:\n" for i in range(DEEP)) + " " * DEEP + "x\n",
    "a: 1\na: 2\n" + "b: " + "[" * DEEP + "]" * DEEP + "\n",
    "a: 1\na: 2\n" + BIG + "b: " + "[" * DEEP + "]" * DEEP + "\n",
    "a: *u\n" + BIG + "b: " + "[" * DEEP + "]" * DEEP + "\n",
    "a: *u\n" + BIG,
    "a: 1\na: 2\n" + BIG + "c: *u\n",
    "a: !!set {}\n" + BIG + "---\nb: " + "[" * DEEP + "]" * DEEP + "\n",
    "a: 1\n" + BIG + "---\nb: [\n",
    "a: 1\n" + BIG + "---\nb: 1\n",
    "a: *u\n" + BIG + "---\nb: 1\n",
    "a: 1\na: 2\n" + BIG + "---\nb: 1\n",
    "a: &x 1\n" + BIG + "b: &x 2\nc: *u\n",
    "x: &r [*r]\n" + BIG + "c: [\n",
    BIG + "z: [" + "*x, " * 10 + "]\nw: &x 1\n",
    # Streams: empty, a comment, an empty document, more than one.
    "",
    "# only a comment\n",
    "---\n",
    "--- 1\n...\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n---\n",
    "a: 1\n--- [\n",
    # Aliases: bounded in values and in text.
    "a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
    + "".join(f"a{i}: &a{i} [" + f"*a{i - 1}, " * 10 + "]\n" for i in range(1, 6)),
    "a0: &a0 "
    + "[" * 60
    + "1"
    + "]" * 60
    + "\n"
    + "".join(f"a{i}: &a{i} " + "[" * 60 + f"*a{i - 1}" + "]" * 60 + "\n" for i in range(1, 20)),
    'a: &big "' + "x" * 1000 + '"\nb: [' + "*big, " * 40 + "]\n",
    # The characters YAML 1.1 takes for line breaks, control characters, tabs, @.
    "bio: one\u2028two\nnel: a\x85b\n\u2029k: v\n",
    "a: \x1b[31m\n",
    "a:\n\tb: 1\n",
    "a: @x\n",
    "a: `x`\n",
    # Numbers and the trap forms that stay text.
    "a: [0, -0, +5, 0o17, 0x1F, 012345, 1_000, 1:30, 1e5, .5, 1., -.inf, .NaN, 1.0e+5]\n",
    "a: " + "9" * 5000 + "\nb: " + "9" * 10 + "\n",
    "a: !!int " + "9" * 5000 + "\n",
    "a: [true, True, TRUE, yes, no, on, off, ~, null, Null, NULL, '', \"\", nul]\n",
    "a: |\n  x\n  y\nb: >\n  p\n  q\n",
]


def _yaml_files() -> Iterator[Path]:
    for folder in ("examples", "policies", "tests"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".yaml", ".yml") and path.is_file():
                yield path


def _test_strings() -> Iterator[str]:
    """Every string literal the YAML tests write (most are documents, all are texts)."""
    for name in HOSTILE_MODULES:
        tree = ast.parse((ROOT / "tests" / name).read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield node.value


def _materialised(folder: Path) -> Iterator[str]:
    for index, case in enumerate(cases.all_cases()):
        into = folder / str(index)
        cases.materialise(case.files, into, case.base)
        for path in sorted(into.rglob("*.yaml")):
            yield path.read_text("utf-8")


def _snapshot(value: Any, seen: dict[int, int]) -> Any:
    """Everything the rest of safesocial can see of a parsed value, as plain data: types,
    locations, and which mappings and lists are one shared object."""
    if isinstance(value, YMap | YList):
        if id(value) in seen:
            return ("shared", seen[id(value)])
        seen[id(value)] = len(seen)
        where = (type(value).__name__, value.file, value.line, value.col)
        if isinstance(value, YList):
            items = [_snapshot(item, seen) for item in value]
            return (*where, items, list(value.item_pos), value.origin)
        pairs = [(key, _snapshot(item, seen)) for key, item in value.items()]
        return (*where, pairs, dict(value.pos))
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, value)


def _outcome(parse: Callable[[str, str], Any], text: str) -> Any:
    try:
        return ("read", _snapshot(parse(text, "f.yaml"), {}))
    except InputProblem as problem:
        return ("refused", str(problem.location), problem.message, problem.code)


def _texts(tmp_path: Path) -> list[str]:
    texts = [path.read_text("utf-8", errors="replace") for path in _yaml_files()]
    texts += list(_test_strings()) + SHAPES + list(_materialised(tmp_path))
    return list(dict.fromkeys(texts))


def test_the_builder_reads_every_known_input_as_compose_then_construct_did(
    tmp_path: Path,
) -> None:
    texts = _texts(tmp_path)
    assert len(texts) > 500
    differ = [
        text[:80]
        for text in texts
        if _outcome(yamlio.parse, text) != _outcome(yamlio_reference.parse, text)
    ]
    assert differ == []


def test_the_long_shapes_are_walked_for_depth_first() -> None:
    # The order of refusals differs with the length of the text (see _COMPOSE_SAFE).
    assert yamlio._nesting_bound(BIG) > yamlio._COMPOSE_SAFE


def test_the_comparison_would_see_a_difference() -> None:
    # A location off by one column, or a type changed, is a difference.
    moved = _outcome(yamlio.parse, "a: 1\n")
    assert moved != _outcome(yamlio_reference.parse, "a:  1\n")
    assert _outcome(yamlio.parse, "a: 1\n") != _outcome(yamlio.parse, "a: '1'\n")
    assert _outcome(yamlio.parse, "a: 1\na: 2\n") != _outcome(yamlio.parse, "a: 1\nb: 1\nb: 2\n")


def test_the_shapes_cover_every_kind_of_refusal() -> None:
    messages = " ".join(
        outcome[2]
        for outcome in (_outcome(yamlio.parse, text) for text in SHAPES)
        if outcome[0] == "refused"
    )
    for part in (
        "duplicate key",
        "must be text",
        "is not allowed",
        "is tagged !!float",
        "found undefined alias",
        "second occurrence",
        "more than one YAML document",
        "refers to the mapping or list that contains it",
        "nested more than 64 levels",
        "alias bomb",
        "digits",
        "control character",
        "expected a scalar node",
    ):
        assert part in messages, part


@pytest.mark.parametrize(
    "text",
    ["a: !!map [1]\n", "a: !!seq {b: 1}\n", "a: !!map x\n", "a: !!seq x\n"],
)
def test_a_tag_for_the_other_kind_of_node_is_refused_at_it(text: str) -> None:
    # compose-then-construct failed on these with a Python error of its own (the bug
    # the event builder fixes); now each is a located input problem.
    with pytest.raises(InputProblem) as caught:
        yamlio.parse(text, "f.yaml")
    assert caught.value.location.line == 1
    assert "expected a" in caught.value.message


def test_the_pure_python_parser_builds_the_same_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without libyaml the builder reads PyYAML's own parser's events: the documents and
    # their locations are the same (only syntax messages are worded by each parser).
    texts = [path.read_text("utf-8", errors="replace") for path in _yaml_files()]
    texts += [text for text in SHAPES if len(text) < 2000]
    expected = [_outcome(yamlio.parse, text) for text in texts]
    monkeypatch.setattr(yamlio, "_Parser", yaml.SafeLoader)
    for text, before in zip(texts, expected, strict=True):
        after = _outcome(yamlio.parse, text)
        assert after[0] == before[0], text[:80]
        if before[0] == "read" or "YAML syntax" not in before[2]:
            assert after == before, text[:80]
