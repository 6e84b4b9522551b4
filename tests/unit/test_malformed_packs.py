"""Malformed rule packs stop the run with file:line, and are never skipped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from safesocial.documents import resources
from safesocial.errors import RulePackError
from safesocial.packs import rules

# Line numbers below are those of this text; tests replace one line at a time.
PACK = """\
pack:
  id: test-pack
  title: A pack for tests
sources:
  local-1:
    title: A source only this pack cites
rules:
  - id: TST101
    name: protected-account
    title: The account is not protected
    severity: error
    category: drift
    owner: e-safety officer
    covers: [G15]
    rationale: Anyone can see a public account.
    remediation: Turn on the protected setting.
    sources: [seed-002, local-1]
    when:
      properties:
        policy: {properties: {visibility: {const: protected}}}
    check:
      kind: schema
      target: account
      schema:
        properties:
          account: {properties: {protected: {const: true}}}
      at: account.protected
      message: "{account.handle} is not protected"
  - id: TST102
    name: follows-pupils
    title: The account follows pupils
    severity: warning
    category: guidance
    rationale: Following a pupil lets them message the account.
    remediation: Unfollow them.
    sources: [seed-000]
    check:
      kind: each
      target: account
      list: account.following
      where: {properties: {category: {const: pupil}}}
      subject: "pupil {entry.pupil}"
      message: "the account follows pupil {entry.pupil}"
"""


def write(folder: Path, text: str, name: str = "p.yaml") -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def edit(old: str, new: str, text: str = PACK) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def refused(path: Path) -> str:
    with pytest.raises(RulePackError) as caught:
        rules.load_pack(path)
    return str(caught.value)


def at(message: str, path: Path, line: int, column: int | None = None) -> None:
    where = f"{path.as_posix()}:{line}:" + ("" if column is None else f"{column}:")
    assert message.startswith(where), message


def test_the_test_pack_itself_loads(tmp_path):
    loaded = rules.load_pack(write(tmp_path, PACK))
    assert [r.id for r in loaded] == ["TST101", "TST102"]
    first = loaded[0]
    assert [s.id for s in first.sources] == ["seed-002", "local-1"]
    assert first.location.line == 8
    assert first.scope == "account"
    assert "policy" in first.needs


def test_the_builtin_packs_load(builtin_rules):
    assert builtin_rules
    assert len({r.id for r in builtin_rules}) == len(builtin_rules)
    for rule in builtin_rules:
        assert re.fullmatch(r"[A-Z]{2,5}[0-9]{3,4}", rule.id)
        assert rule.rationale and rule.remediation and rule.sources


def test_a_missing_rationale(tmp_path):
    path = write(tmp_path, edit("    rationale: Anyone can see a public account.\n", ""))
    message = refused(path)
    at(message, path, 8, 5)
    assert "rules[1] is missing the required key 'rationale'" in message


@pytest.mark.parametrize(
    ("line", "replacement", "words"),
    [
        ("    severity: error\n", "    severity: eror\n", "did you mean 'error'?"),
        ("    category: drift\n", "    category: drfit\n", "did you mean 'drift'?"),
        ("  - id: TST101\n", "  - id: tst-101\n", "'id'"),
        ("    name: protected-account\n", "    name: Protected Account\n", "'name'"),
        ("    sources: [seed-002, local-1]\n", "    sources: []\n", "'sources'"),
        ("    owner: e-safety officer\n", "    ownr: e-safety officer\n", "did you mean 'owner'?"),
    ],
)
def test_rule_fields_are_checked_at_their_line(tmp_path, line, replacement, words):
    text = edit(line, replacement)
    path = write(tmp_path, text)
    message = refused(path)
    at(message, path, line_of(text, replacement))
    assert words in message


def test_an_unknown_kind_suggests_the_nearest(tmp_path):
    text = edit("      kind: schema\n", "      kind: schemma\n")
    path = write(tmp_path, text)
    message = refused(path)
    at(message, path, line_of(text, "kind: schemma"), 7)
    assert "rule TST101" in message
    assert "no check kind called 'schemma'; did you mean 'schema'?" in message


@pytest.mark.parametrize(
    ("old", "new", "words", "line_of_fragment"),
    [
        (
            "      at: account.protected\n",
            "      at: 3\n",
            "'at' should be text, not 3",
            "at: 3",
        ),
        (
            "      at: account.protected\n",
            "      where: {}\n",
            "unknown key 'where' in check",
            "where: {}",
        ),
        (
            '      message: "{account.handle} is not protected"\n',
            "",
            "check is missing the required key 'message'",
            "kind: schema",
        ),
        (
            "      target: account\n      schema:",
            "      target: acount\n      schema:",
            "did you mean 'account'?",
            "target: acount",
        ),
        (
            "      list: account.following\n",
            "      list: [account.following]\n",
            "'list' should be text",
            "list: [",
        ),
    ],
)
def test_bad_params_for_a_kind(tmp_path, old, new, words, line_of_fragment):
    text = edit(old, new)
    path = write(tmp_path, text)
    message = refused(path)
    at(message, path, line_of(text, line_of_fragment))
    assert words in message
    assert "check kind '" in message


def test_an_invalid_json_schema_is_pointed_at(tmp_path):
    text = edit("{protected: {const: true}}", "{protected: {type: boolen}}")
    path = write(tmp_path, text)
    message = refused(path)
    at(message, path, line_of(text, "boolen"))
    assert "check.schema.properties.account.properties.protected.type" in message
    assert "not a valid JSON Schema" in message


def test_an_invalid_json_schema_in_where(tmp_path):
    text = edit("where: {properties: {category: {const: pupil}}}", "where: {required: pupil}")
    path = write(tmp_path, text)
    message = refused(path)
    at(message, path, line_of(text, "where: {required"))
    assert "rule TST102: check.where.required is not a valid JSON Schema" in message


def test_an_invalid_json_schema_in_when(tmp_path):
    text = edit("{visibility: {const: protected}}", "{visibility: {minLength: -1}}")
    path = write(tmp_path, text)
    message = refused(path)
    at(message, path, line_of(text, "minLength"))
    assert "when.properties.policy.properties.visibility.minLength" in message


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('"the account follows pupil {entry.pupil}"', '"follows {entry.handle}"', "entry.handle"),
        ('"pupil {entry.pupil}"', '"{entry.name}"', "entry.name"),
        ('"{account.handle} is not protected"', '"{account.bio} is public"', "account.bio"),
        ('"pupil {entry.pupil}"', '"{entry.notes}"', "entry.notes"),
    ],
)
def test_a_template_may_not_quote_a_private_field(tmp_path, old, new, field):
    text = edit(old, new)
    path = write(tmp_path, text)
    message = refused(path)
    at(message, path, line_of(text, new))
    assert f"quotes '{field}'" in message
    assert "refer to pupils by ref" in message


def test_the_account_handle_may_be_quoted(tmp_path):
    assert (
        rules.load_pack(write(tmp_path, PACK))[0]
        .raw_check["message"]
        .startswith("{account.handle}")
    )


def test_an_undefined_source(tmp_path):
    text = edit("    sources: [seed-000]\n", "    sources: [seed-000, S999]\n")
    path = write(tmp_path, text)
    message = refused(path)
    at(message, path, line_of(text, "[seed-000, S999]"), 25)
    assert "rule TST102 cites 'S999', which the pack's sources do not define" in message


def test_a_source_of_another_pack_is_not_visible(tmp_path):
    other = write(tmp_path, edit("id: test-pack", "id: other"), "a.yaml")
    rules.load_pack(other)
    text = edit("sources:\n  local-1:\n    title: A source only this pack cites\n", "")
    path = write(tmp_path, text, "b.yaml")
    assert "cites 'local-1'" in refused(path)


def test_duplicate_rule_ids_across_packs(tmp_path):
    first = write(tmp_path, PACK, "a.yaml")
    second = write(tmp_path, edit("id: test-pack", "id: other-pack"), "b.yaml")
    with pytest.raises(RulePackError) as caught:
        rules.load_rules([first, second])
    message = str(caught.value)
    at(message, second, 8, 5)
    assert f"rule id TST101 is already used at {first.as_posix()}:8:5" in message


def test_duplicate_rule_ids_within_a_pack(tmp_path):
    text = edit("  - id: TST102\n", "  - id: TST101\n")
    path = write(tmp_path, text)
    with pytest.raises(RulePackError) as caught:
        rules.load_rules([path])
    assert "rule id TST101 is already used" in str(caught.value)


def test_a_duplicate_against_the_builtin_rules(tmp_path, builtin_rules):
    taken = builtin_rules[0].id
    path = write(tmp_path, edit("  - id: TST101\n", f"  - id: {taken}\n"))
    with pytest.raises(RulePackError) as caught:
        rules.load_rules([*resources.builtin_packs(), path])
    assert f"rule id {taken} is already used" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "the file is empty"),
        ("# nothing\n", 1, "the file is empty"),
        ("pack: [unclosed\n", 2, "YAML syntax"),
        ("- a\n- b\n", 1, "should be a mapping"),
        # A schema problem says what was being read.
        ("- a\n- b\n", 1, "invalid rule pack: "),
        ("pack: {id: p, title: t}\nrules: []\n", 2, "rules"),
        (PACK + "rules: []\n", PACK.count("\n") + 1, "duplicate key 'rules'"),
        (PACK.replace("severity: error", "severity: !!python/object:x y"), 11, "not allowed"),
    ],
)
def test_unreadable_packs(tmp_path, text, line, words):
    path = write(tmp_path, text)
    message = refused(path)
    at(message, path, line)
    assert words in message


def test_no_rules_at_all():
    with pytest.raises(RulePackError, match="no rules were loaded"):
        rules.load_rules([])


def test_a_missing_pack(tmp_path):
    with pytest.raises(RulePackError, match="cannot read the rule pack"):
        rules.load_pack(tmp_path / "missing.yaml")


def test_needs_are_read_from_check_and_when(tmp_path):
    loaded = {r.id: r for r in rules.load_pack(write(tmp_path, PACK))}
    assert "policy" in loaded["TST101"].needs
    assert "policy" not in loaded["TST102"].needs
    # A staff entry has no pupil ref to quote: the message names the entry by number.
    text = edit("list: account.following", "list: school.staff").replace(
        "{entry.pupil}", "{number}"
    )
    assert "school" in {r.id: r for r in rules.load_pack(write(tmp_path, text))}["TST102"].needs
