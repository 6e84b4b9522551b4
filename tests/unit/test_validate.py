"""Schema problems read as a person would write them, each at its own line."""

from __future__ import annotations

import pytest

from safesocial.documents import validate, yamlio
from safesocial.findings import Location

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["platform", "handle"],
    "properties": {
        "platform": {"enum": ["x", "instagram", "facebook"]},
        "handle": {"type": "string"},
        "protected": {"type": "boolean"},
        "count": {"type": "integer"},
        "since": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "tags": {"type": "array", "uniqueItems": True, "items": {"type": "string"}},
        "admins": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["staff"],
                "properties": {"staff": {"type": "string"}, "access": {"enum": ["full", "read"]}},
            },
        },
    },
}
CHECKER = validate.compile_schema(SCHEMA)
GOOD = 'platform: x\nhandle: "@s"\n'


def problems(text: str, checker=CHECKER):
    doc = yamlio.parse(text, "f.yaml")
    return list(validate.check(doc, checker, "f.yaml"))


def one(text: str):
    found = problems(text)
    assert len(found) == 1, [p.message for p in found]
    return found[0]


def test_a_valid_document_has_no_problems():
    assert problems(GOOD + "protected: true\nsince: 2026-01-31\n") == []


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "OFF"])
def test_yes_no_on_off_are_errors_at_their_line(word):
    found = one(GOOD + f"protected: {word}\n")
    assert found.location == Location("f.yaml", 3, 12)  # the value, not the key
    assert f"'protected' should be true or false, not '{word}'" in found.message
    assert "yes/no/on/off are ambiguous" in found.message
    assert found.code == "IN002"


def test_other_wrong_types_name_what_was_expected():
    found = one(GOOD + "count: many\n")
    assert found.message == "'count' should be a whole number, not text"
    found = one(GOOD + "tags: {a: 1}\n")
    assert found.message == "'tags' should be a list, not a mapping"


def test_an_unknown_key_suggests_the_nearest():
    found = one(GOOD + "protcted: true\n")
    assert found.location == Location("f.yaml", 3, 1)
    assert "unknown key 'protcted'" in found.message
    assert "did you mean 'protected'?" in found.message


def test_an_unknown_key_with_no_near_name_lists_the_allowed_ones():
    found = one(GOOD + "zzz: 1\n")
    assert "expected one of: admins, count, handle" in found.message


def test_an_unknown_key_in_a_list_item_names_the_item():
    found = one(GOOD + "admins:\n  - {staff: S1}\n  - {staff: S2, acess: full}\n")
    assert found.location == Location("f.yaml", 5, 17)
    assert "in admins[2]" in found.message
    assert "did you mean 'access'?" in found.message


def test_a_wrong_enum_value_suggests_the_nearest():
    found = one("platform: instagarm\nhandle: a\n")
    assert found.location == Location("f.yaml", 1, 11)
    assert "'platform' must be one of: x, instagram, facebook" in found.message
    assert "instagarm" not in found.message.split(";")[0]
    assert "did you mean 'instagram'?" in found.message


def test_a_wrong_enum_value_far_from_any_gives_no_guess():
    assert "did you mean" not in one("platform: myspace\nhandle: a\n").message


def test_a_missing_required_key_points_at_its_mapping():
    found = one("# header\nplatform: x\n")
    assert found.message == "the top level is missing the required key 'handle'"
    assert found.location == Location("f.yaml", 2, 1)
    found = one(GOOD + "admins:\n  - access: full\n")
    assert found.message == "admins[1] is missing the required key 'staff'"
    assert found.location == Location("f.yaml", 4, 5)


@pytest.mark.parametrize("date", ["2026-02-30", "2026-13-01", "2025-02-29"])
def test_impossible_dates(date):
    found = one(GOOD + f"since: {date}\n")
    assert found.message == "'since' is not a real date written YYYY-MM-DD"
    assert found.location == Location("f.yaml", 3, 8)


@pytest.mark.parametrize("date", ["20/11/2026", "2026-1-5", "2026-11-20T10:00:00", "20261120"])
def test_badly_written_dates(date):
    found = one(GOOD + f"since: '{date}'\n")
    assert "not a real date written YYYY-MM-DD" in found.message


def test_a_leap_day_is_a_real_date():
    assert problems(GOOD + "since: 2028-02-29\n") == []


def test_a_repeated_list_value():
    assert one(GOOD + "tags: [a, b, a]\n").message == "'tags' lists the same value twice"


def test_problems_come_in_file_order_and_are_capped():
    lines = "".join(f"  - {{staff: S{i}, access: nope}}\n" for i in range(40))
    found = problems(GOOD + "count: x\nadmins:\n" + lines)
    assert len(found) == validate.MAX_ERRORS_PER_FILE
    assert [p.location.line for p in found] == sorted(p.location.line for p in found)
    assert found[0].location.line == 3


def test_a_document_of_the_wrong_shape():
    found = one("- a\n- b\n")
    assert found.message == "the top level should be a mapping of keys to values, not a list"
    assert found.location == Location("f.yaml", 1, 1)


def test_a_part_of_a_file_is_named_as_such():
    doc = yamlio.parse("rule:\n  check:\n    kind: x\n    extra: 1\n", "p.yaml")
    checker = validate.compile_schema(
        {"type": "object", "additionalProperties": False, "required": ["kind", "message"],
         "properties": {"kind": {}, "message": {}}}
    )  # fmt: skip
    check = doc["rule"]["check"]
    messages = {}
    for error in checker.iter_errors(check):
        found = validate.describe(error, check, "p.yaml", top="check")
        messages[found.message] = found.location
    assert messages == {
        "unknown key 'extra' in check; expected one of: kind, message": Location("p.yaml", 4, 5),
        "check is missing the required key 'message'": Location("p.yaml", 3, 5),
    }


@pytest.mark.parametrize(
    ("schema", "text", "words"),
    [
        ("school.schema.json", "school: {name: A}\nphase: primry\n", None),
        ("account.schema.json", "platform: x\n", "missing the required key"),
        ("consent.schema.json", "consent:\n  - {pupil: P1, state: grantd}\n", "did you mean"),
        ("policy.schema.json", "defaults:\n  official:\n    visiblity: protected\n", "visibility"),
        (
            "account.schema.json",
            "platform: facebook\nhandle: '@A'\nkind: official\nadmins:\n  - {staff: S1}\n",
            "admins[1] needs one of the keys 'access' or 'page_role'",
        ),
    ],
)
def test_every_input_schema_speaks_plainly(schema, text, words):
    doc = yamlio.parse(text, "f.yaml")
    found = list(validate.check(doc, schema, "f.yaml"))
    assert found
    for item in found:
        assert item.location.path == "f.yaml"
        assert "is not valid under" not in item.message
    if words:
        assert any(words in p.message for p in found), [p.message for p in found]


@pytest.mark.parametrize(
    ("schema", "text", "expected"),
    [
        ({"properties": {"who": {"enum": ["parent", "pupil"]}}}, "who: Jamie Smith\n",
         "'who' must be one of: parent, pupil"),
        ({"properties": {"ref": {"pattern": "^P[0-9]+$"}}}, "ref: Jamie Smith\n",
         "'ref' is not in the expected form (it must match ^P[0-9]+$)"),
        ({"properties": {"ref": {"type": "string", "minLength": 1}}}, "ref: ''\n",
         "'ref' must not be empty"),
        ({"properties": {"n": {"type": "integer"}}}, "n: Jamie Smith\n",
         "'n' should be a whole number, not text"),
        ({"properties": {"x": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}},
         "x: {name: Jamie Smith}\n", "'x' is not in the expected form (oneOf)"),
    ],
)  # fmt: skip
def test_a_value_that_may_be_personal_is_never_repeated(schema, text, expected):
    (found,) = problems(text, validate.compile_schema(schema))
    assert found.message == expected
    assert "Jamie" not in found.message
