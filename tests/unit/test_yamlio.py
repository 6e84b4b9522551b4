"""The strict YAML reader: locations, YAML 1.2 scalars, refusals."""

from __future__ import annotations

import pytest
import yaml

from safesocial.documents import yamlio
from safesocial.documents.yamlio import YList, YMap
from safesocial.errors import InputProblem
from safesocial.findings import Location

DOC = """\
# a comment
platform: x
handle: "@School"
admins:
  - {staff: S001, access: full}
  -   staff: S002
      access: publisher
nested:
  deeper:
    key: value
"""


def parse(text: str) -> object:
    return yamlio.parse(text, "f.yaml")


def problem(text: str) -> InputProblem:
    with pytest.raises(InputProblem) as caught:
        parse(text)
    return caught.value


def test_key_locations_are_one_based_line_and_column():
    doc = parse(DOC)
    assert isinstance(doc, YMap)
    assert doc.loc("platform") == Location("f.yaml", 2, 1)
    assert doc.loc("handle") == Location("f.yaml", 3, 1)
    assert doc["nested"]["deeper"].loc("key") == Location("f.yaml", 10, 5)


def test_item_locations_point_at_each_item():
    admins = parse(DOC)["admins"]
    assert isinstance(admins, YList)
    assert admins.loc(0) == Location("f.yaml", 5, 5)
    assert admins.loc(1) == Location("f.yaml", 6, 7)
    assert admins[1].loc("access") == Location("f.yaml", 7, 7)
    assert admins[0].loc("access") == Location("f.yaml", 5, 19)


def test_a_missing_key_or_index_falls_back_to_the_container():
    doc = parse(DOC)
    assert doc.loc("nope") == Location("f.yaml", 2, 1)
    assert doc["admins"].loc(9) == doc["admins"].loc() == Location("f.yaml", 5, 3)


def test_containers_remember_their_file():
    doc = parse(DOC)
    assert doc.file == doc["admins"].file == doc["admins"][0].file == "f.yaml"


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "NO", "On", "OFF", "y", "n"])
def test_yaml_11_booleans_stay_text(word):
    assert parse(f"a: {word}") == {"a": word}


@pytest.mark.parametrize(
    ("word", "value"),
    [("true", True), ("True", True), ("TRUE", True), ("false", False), ("FALSE", False)],
)
def test_yaml_12_booleans(word, value):
    assert parse(f"a: {word}")["a"] is value


def test_on_as_a_key_stays_the_word_on():
    assert list(parse("on: 2026-01-10\n")) == ["on"]


@pytest.mark.parametrize(
    "text", ["2026-09-01", "2026-02-30", "2026-09-01 10:00:00", "2026-09-01T10:00:00Z"]
)
def test_dates_stay_text(text):
    value = parse(f"a: {text}")["a"]
    assert value == text
    assert isinstance(value, str)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("42", 42),
        ("-7", -7),
        ("+5", 5),
        ("0o17", 15),
        ("0x1F", 31),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1.0e+5", 100000.0),
    ],
)
def test_numbers(text, value):
    assert parse(f"a: {text}")["a"] == value


@pytest.mark.parametrize("text", ["012345", "0755", "0b101", "1_000", "1:30", "1e5", "2026-1"])
def test_yaml_11_number_forms_stay_text(text):
    # An identifier such as 012345 must never become the octal number 5349.
    assert parse(f"a: {text}") == {"a": text}


@pytest.mark.parametrize("text", ["~", "null", "Null", "NULL", ""])
def test_nulls(text):
    assert parse(f"a: {text}") == {"a": None}


def test_merge_keys_do_not_merge():
    doc = parse("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert dict(doc["other"]) == {"<<": {"x": 1}}


def test_the_c_parser_is_used_when_libyaml_is_there():
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml")
    assert yamlio._Parser is yaml.cyaml.CParser


def test_the_pure_python_parser_would_read_the_same(monkeypatch):
    # The builder reads events, which both parsers give alike (see unit/test_yamlbuild.py).
    text = "a: [1, 1.5, true, ~, x, '2']\nb: {c: d}\n"
    expected = parse(text)
    monkeypatch.setattr(yamlio, "_Parser", yaml.SafeLoader)
    doc = parse(text)
    assert doc == expected
    assert [type(v) for v in doc["a"]] == [int, float, bool, type(None), str, str]
    assert (doc.key_pos, doc.val_pos) == (expected.key_pos, expected.val_pos)


def test_duplicate_keys_are_refused_at_the_second():
    found = problem("a: 1\nb: 2\na: 3\n")
    assert found.location == Location("f.yaml", 3, 1)
    assert "duplicate key 'a'" in found.message
    assert "line 1" in found.message


def test_duplicate_keys_in_a_flow_mapping():
    found = problem("items:\n  - {ref: P1, ref: P2}\n")
    assert found.location == Location("f.yaml", 2, 15)


@pytest.mark.parametrize("key", ["1", "true", "~", "[a]"])
def test_keys_must_be_text(key):
    found = problem(f"{key}: x\n")
    assert "must be text" in found.message
    assert found.location.line == 1


@pytest.mark.parametrize(
    "tagged",
    [
        "!!python/object:os.system x",
        "!!python/object/apply:os.system [echo]",
        "!!python/name:os.system",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
        "!!omap [a: 1]",
        "!!timestamp 2026-01-01",
        "!custom x",
        "!<tag:example.com,2026:x> y",
    ],
)
def test_tags_are_refused_where_they_are_written(tagged):
    found = problem(f"ok: 1\nvalue: {tagged}\n")
    assert "is not allowed" in found.message
    assert found.location == Location("f.yaml", 2, 8)


BOMB = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]"
            for p, k in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def test_an_alias_bomb_is_refused():
    found = problem(BOMB)
    assert "alias bomb" in found.message
    assert found.location == Location("f.yaml", 1, 1)


def test_a_few_aliases_are_fine():
    doc = parse("roles: &r [headteacher, teacher]\nagain: *r\n")
    assert doc["again"] == ["headteacher", "teacher"]


def test_the_bound_is_on_expanded_size(monkeypatch):
    # A hundred values written once and reused thirty times: small on disk, big once read.
    monkeypatch.setattr(yamlio, "MAX_EXPANDED_NODES", 1000)
    items = ", ".join(str(i) for i in range(100))
    text = f"a: &a [{items}]\n" + "".join(f"k{i}: *a\n" for i in range(30))
    assert "alias bomb" in problem(text).message
    monkeypatch.setattr(yamlio, "MAX_EXPANDED_NODES", 10_000)
    assert len(parse(text)) == 31


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "&a {x: *a}\n", "a: &a\n  b: *a\n"])
def test_a_recursive_alias_is_refused(text):
    found = problem(text)
    assert "alias" in found.message
    assert found.location.line == 1


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("a: [1, 2\nb: 3\n", 2, 2, "YAML syntax"),
        ("a: 1\n b: 2\nc\n", 2, 3, "YAML syntax"),
        ("handle: @School\n", 1, 9, 'must be quoted: "@handle"'),
        ("following: [@a, @b]\n", 1, 13, "must be quoted"),
        ("a: `x`\n", 1, 4, "must be quoted"),
        ("a:\n\tb: 1\n", 2, 1, "not tabs"),
        ("a: 1\n---\nb: 2\n", 2, 1, "more than one YAML document"),
    ],
)
def test_syntax_errors_are_located_and_explained(text, line, column, words):
    found = problem(text)
    assert (found.location.line, found.location.column) == (line, column)
    assert words in found.message


def test_an_empty_document_is_none():
    assert parse("") is None
    assert parse("# only a comment\n") is None


def test_decode_accepts_a_utf8_bom():
    assert yamlio.decode(b"\xef\xbb\xbfa: 1\n", "f") == "a: 1\n"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("a: é\n".encode("utf-16"), "UTF-16"),
        ("a: é\n".encode("utf-16-be"), "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_decode_refuses_what_is_not_utf8_text(data, words):
    with pytest.raises(InputProblem) as caught:
        yamlio.decode(data, "f")
    assert words in caught.value.message
    assert caught.value.location == Location("f", 1, 1)


def test_invalid_utf8_is_located():
    with pytest.raises(InputProblem) as caught:
        yamlio.decode(b"a: 1\nname: caf\xe9\n", "f")
    assert caught.value.location == Location("f", 2, 10)
    assert "not valid UTF-8" in caught.value.message


def test_the_size_limit(monkeypatch, tmp_path):
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 10)
    big = tmp_path / "big.yaml"
    big.write_text("a: 12345678901\n")
    with pytest.raises(InputProblem) as caught:
        yamlio.read_text(big, "big.yaml")
    assert "15 bytes" in caught.value.message
    assert "up to 10 bytes" in caught.value.message
    with pytest.raises(InputProblem):
        yamlio.decode(b"a: 12345678901\n", "f")
    assert yamlio.decode(b"a: 1\n", "f") == "a: 1\n"


def test_deep_nesting_is_an_input_problem_not_a_crash():
    found = problem("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert found.location.path == "f.yaml"


def test_key_and_value_positions_are_read_only_views_of_pos():
    # One table (`pos`) holds both; a write meant for it must fail, not change a copy.
    doc = yamlio.parse("a: 1\nb:\n  2\n", "x.yaml")
    assert doc.key_pos == {"a": (1, 1), "b": (2, 1)}
    assert doc.val_pos["b"] == (3, 3)
    with pytest.raises(TypeError):
        doc.key_pos["a"] = (9, 9)  # type: ignore[index]
    with pytest.raises(TypeError):
        doc.val_pos["a"] = (9, 9)  # type: ignore[index]
