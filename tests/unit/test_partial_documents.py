"""One bad value never hides an account: what fails its schema is reported at the value
and taken out, the rest is read and checked, and what could not run is a named gap."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from safesocial.documents import yamlio
from safesocial.findings import Category
from safesocial.model import prune
from safesocial.packs import cases, reads, rules
from safesocial.running import pipeline
from safesocial.running.results import Gap, SchoolResult
from tests.conftest import ROOT

AS_OF = date(2026, 11, 21)
DRIFT = ROOT / "examples" / "drift-primary"
TWITTER = "accounts/twitter.yaml"
TARGET = "x:@AshcombeCofE"


def drift(tmp_path: Path) -> Path:
    folder = tmp_path / "s"
    shutil.copytree(DRIFT, folder)
    return folder


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` (once) in a file; the line where it was."""
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new), "utf-8")
    return text[: text.index(old)].count("\n") + 1


def check(folder: Path) -> SchoolResult:
    (result,) = pipeline.check([str(folder)], None, AS_OF).result.schools
    return result


def lint(result: SchoolResult) -> set[tuple[str, str]]:
    return {(f.rule_id, f.target) for f in result.findings if f.category is not Category.INPUT}


def problems(result: SchoolResult) -> list[str]:
    return [
        f"{f.location.path[len(result.root) + 1 :]}:{f.location.line}:{f.location.column} "
        f"{f.message}"
        for f in result.findings
        if f.category is Category.INPUT and f.location
    ]


def gaps_on(result: SchoolResult, target: str) -> list[Gap]:
    return [g for g in result.coverage.gaps if g.target == target]


# ---- a broken value ---------------------------------------------------------------


def test_a_broken_value_keeps_the_accounts_other_findings(tmp_path):
    clean = check(DRIFT)
    folder = drift(tmp_path)
    line = edit(folder / TWITTER, "protected: false", "protected: maybe")
    result = check(folder)
    assert problems(result) == [
        f"{TWITTER}:{line}:12 'protected' should be true or false, not 'maybe'"
    ]
    assert result.targets == (TARGET,)  # the account is still there
    # What does not read `protected` is found as before...
    readers = {r.id for r in rules.load_rules() if "account.protected" in r.reads}
    kept = {(rule, t) for rule, t in lint(clean) if rule not in readers}
    assert {"SS221", "SS224", "SS103"} <= {rule for rule, _ in kept}
    assert lint(result) == kept
    # ...and what does is named as not checked, at the value.
    (gap,) = gaps_on(result, TARGET)
    assert {"SS101", "SS602"} <= set(gap.rules)
    assert set(gap.rules) <= readers
    assert gap.location is not None and (gap.location.line, gap.location.column) == (line, 12)
    assert "maybe" not in gap.reason
    assert TARGET not in result.coverage.checked
    assert "school" in result.coverage.checked


def test_a_clean_school_is_checked_everywhere():
    result = check(DRIFT)
    assert result.coverage.gaps == ()
    assert result.coverage.checked[:2] == ("school", TARGET)


# ---- a broken entry in a list -----------------------------------------------------


def test_a_bad_follower_is_reported_at_its_line_and_skipped(tmp_path):
    folder = drift(tmp_path)
    old = '{handle: "@claire_t_mum", category: parent,'
    line = edit(folder / TWITTER, old, '{handle: "@claire_t_mum", category: Claire Tanner,')
    result = check(folder)
    (problem,) = problems(result)
    assert problem.startswith(f"{TWITTER}:{line}:")
    assert "'category' must be one of:" in problem
    assert "Claire" not in problem and "Tanner" not in problem  # never quoted
    # The other followers are still checked, and keep their numbers.
    assert ("SS221", TARGET) in lint(result)
    messages = [f.message for f in result.findings if f.rule_id == "SS221"]
    assert messages and all(m.startswith("follower #8 ") for m in messages)
    (gap,) = gaps_on(result, TARGET)
    assert gap.reason.startswith("1 follower entry could not be read")
    assert gap.location is not None and gap.location.line == line
    followers = {r.id for r in rules.load_rules() if "account.followers" in r.reads}
    assert {"SS221", "SS224"} <= set(gap.rules) <= followers


def test_a_bad_post_skips_that_post_only(tmp_path):
    folder = drift(tmp_path)
    edit(folder / TWITTER, '    date: "2026-11-12"', '    date: "12/11/2026"')
    result = check(folder)
    assert ("SS602", TARGET) in lint(result)  # the first post is still judged
    (gap,) = gaps_on(result, TARGET)
    assert gap.reason.startswith("1 post entry could not be read")
    assert "SS601" in gap.rules


@pytest.mark.parametrize(
    ("name", "old", "new", "target", "rule"),
    [
        ("consent.yaml", "{pupil: A1106, scopes: [internal], state: granted",
         "{pupil: A1106, scopes: [internal], state: Mrs Smith", "consent", "SS611"),
        ("pupils.yaml", '{ref: A1013, year_group: 6,', '{ref: A1013, year_group: six,',
         "pupils", "SS610"),
    ],
)  # fmt: skip
def test_a_bad_record_row_is_skipped_and_the_rest_checked(tmp_path, name, old, new, target, rule):
    folder = drift(tmp_path)
    line = edit(folder / name, old, new)
    result = check(folder)
    (problem,) = problems(result)
    assert problem.startswith(f"{name}:{line}:")
    assert "Smith" not in problem
    assert lint(result) == lint(check(DRIFT))  # every other row still checked
    (gap,) = gaps_on(result, target)
    assert gap.reason.startswith(f"1 {target.rstrip('s')} entry could not be read")
    assert rule in gap.rules
    assert gaps_on(result, TARGET) == []  # said once, at the records


@pytest.mark.parametrize(("old", "new", "named"), [
    ("{ref: S006, role: office,", "{ref: S006, role: Mrs Jones,", False),  # ref readable
    ("{ref: S006, role: office,", "{ref: [S006], role: office,", True),  # ref unreadable
])  # fmt: skip
def test_a_bad_staff_roster_entry_is_skipped(tmp_path, old, new, named):
    folder = drift(tmp_path)
    edit(folder / "school.yaml", old, new)
    result = check(folder)
    (problem,) = problems(result)
    assert "Jones" not in problem
    gap = next(g for g in gaps_on(result, "school") if "staff entry" in g.reason)
    assert "SS403" in gap.rules  # admins are checked against the rest of the roster
    assert result.targets == (TARGET,)
    # An entry whose ref can still be read is known to exist: never "not on the roster".
    unknown = [f for f in result.findings if f.rule_id == "SS403"]
    assert bool(unknown) is named


# ---- whole files --------------------------------------------------------------------


def test_a_required_key_missing_at_the_top_makes_the_file_unusable(tmp_path):
    folder = drift(tmp_path)
    edit(folder / TWITTER, "platform: x\n", "")
    result = check(folder)
    assert result.targets == ()
    assert (
        Gap(
            "accounts/twitter.yaml",
            f"{folder}/{TWITTER} could not be read; nothing in it was checked",
            result.findings[0].location,
        )
        in result.coverage.gaps
    )


def test_an_unparseable_account_file_is_a_whole_gap(tmp_path):
    folder = drift(tmp_path)
    edit(folder / TWITTER, "protected: false", "protected: [false")
    gaps = check(folder).coverage.gaps
    # The file, and the registered account it was to describe: neither was checked.
    assert {(g.target, g.whole) for g in gaps} == {("accounts/twitter.yaml", True), (TARGET, True)}


def test_a_broken_consent_file_is_a_gap_and_its_rules_are_named(tmp_path):
    folder = drift(tmp_path)
    edit(folder / "consent.yaml", "consent:\n", "consent: [\n")
    result = check(folder)
    assert any(g.target == "consent" and g.whole for g in result.coverage.gaps)
    (gap,) = gaps_on(result, TARGET)
    assert {"SS601", "SS602"} <= set(gap.rules)
    assert not any(f.rule_id == "SS601" for f in result.findings)


# ---- CSV ----------------------------------------------------------------------------


def test_a_csv_without_a_required_column_is_one_error(tmp_path):
    folder = drift(tmp_path)
    (folder / "consent.yaml").unlink()
    rows = "".join(f"A10{i:02d},parent\n" for i in range(19))
    (folder / "consent.csv").write_text("pupil,informed_by\n" + rows, "utf-8")
    result = check(folder)
    assert problems(result) == [
        "consent.csv:1:1 the header row (line 1) has no 'state' column; "
        "every row needs pupil, state"
    ]
    assert any(g.target == "consent" and g.whole for g in result.coverage.gaps)


# ---- no policy block for the account's kind -----------------------------------------


def test_an_account_no_policy_covers_gets_one_finding(tmp_path):
    folder = tmp_path / "s"
    cases.materialise({"accounts/main.yaml": {"kind": "department"}}, folder)
    result = check(folder)
    assert [f.rule_id for f in result.findings if f.target == "x:@BasePrimary"] == ["SS126"]
    assert not [f for f in result.findings if f.location and f.location.path.endswith(
        "policy.yaml") and f.location.line == 1]  # fmt: skip
    (gap,) = gaps_on(result, "x:@BasePrimary")
    assert "no policy block" in gap.reason
    policy_rules = {
        r.id
        for r in rules.load_rules()
        if r.scope == "account" and any(x.startswith("policy") for x in r.reads)
    }
    assert set(gap.rules) == policy_rules
    assert {"SS101", "SS221", "SS401"} <= set(gap.rules)


# ---- reads --------------------------------------------------------------------------

PACK = """\
pack: {{id: t, title: T}}
sources: {{s: {{title: S}}}}
rules:
  - id: TST100
    name: t-one
    title: T
    severity: warning
    category: guidance
    rationale: r
    remediation: r
    sources: [s]
{when}    check:
      kind: schema
      target: account
      schema: {{properties: {{account: {{properties: {{mfa: {{const: true}}}}}}}}}}
      message: "{{account.handle}} has no MFA; tell the school."
"""


def test_reads_come_from_what_the_schema_reads_not_from_words(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(PACK.format(when=""), "utf-8")
    (rule,) = rules.load_pack(path)
    assert rule.reads == ("account.handle", "account.mfa")
    assert "school" not in rule.needs  # the message says "school." but reads none of it
    when = "    when: {properties: {school: {properties: {school: {required: [phase]}}}}}\n"
    path.write_text(PACK.format(when=when), "utf-8")
    (rule,) = rules.load_pack(path)
    assert "school.school.phase" in rule.reads and rule.needs == {"school"}


@pytest.mark.parametrize(
    ("schema", "at", "expected"),
    [
        ({"properties": {"account": {"required": ["protected"]}}}, (), {"account.protected"}),
        ({"properties": {"a": {"type": "object", "properties": {"b": {"enum": [1]}}}}}, (),
         {"a.b"}),
        ({"properties": {"category": {"const": "pupil"}}}, ("account", "following", "[]"),
         {"account.following[].category"}),
        ({"not": {"properties": {"x": {"contains": {"const": 1}}}}}, (), {"x[]"}),
        ({"anyOf": [{"required": ["p"]}, {"required": ["q"]}]}, ("policy",),
         {"policy.p", "policy.q"}),
    ],
)  # fmt: skip
def test_schema_reads(schema, at, expected):
    assert {reads.dotted(p) for p in reads.schema_reads(schema, at)} == expected


def test_every_kind_declares_what_it_reads():
    from safesocial import checks

    undeclared = [
        k.name for k in checks.REGISTRY.values() if not k.reads and k.name not in ("schema", "each")
    ]
    assert undeclared == []


def test_a_read_and_a_pruned_path_touch_by_prefix_either_way():
    followers = reads.segments("account.followers")
    assert reads.touches(followers, reads.segments("account.followers[]"))
    assert reads.touches(reads.segments("account.followers[].category"), followers)
    assert not reads.touches(followers, reads.segments("account.following[]"))


def test_pruning_keeps_positions_and_written_indexes():
    doc = yamlio.parse("items:\n  - 1\n  - x\n  - 3\n  - y\nname: 4\n", "f.yaml")
    schema = {
        "type": "object",
        "properties": {"items": {"items": {"type": "integer"}}, "name": {"type": "string"}},
    }
    pruned = prune.prune(doc, schema)
    assert [(p.dotted(), p.location.line, p.entry) for p in pruned] == [
        ("items[]", 3, True),
        ("items[]", 5, True),
        ("name", 6, False),
    ]
    assert pruned[2].location.column == 7  # the value, not the key
    items = doc["items"]
    assert list(items) == [1, 3] and "name" not in doc
    assert [items.number(i) for i in range(2)] == [0, 2]
    assert items.loc(1).line == 4


def test_what_is_left_without_a_required_key_is_unusable():
    doc = yamlio.parse("school: {name: [A]}\n", "f.yaml")
    with pytest.raises(prune.Unusable):
        prune.prune(doc, "school.schema.json")


def test_a_misspelt_key_leaves_the_meant_one_unchecked(tmp_path):
    folder = drift(tmp_path)
    line = edit(folder / TWITTER, "protected: false", "protcted: false")
    result = check(folder)
    assert problems(result) == [
        f"{TWITTER}:{line}:1 unknown key 'protcted' in the top level; did you mean 'protected'?"
    ]
    (gap,) = gaps_on(result, TARGET)
    assert gap.reason.startswith("account.protected could not be read")
    assert "SS101" in gap.rules  # not "protected: (not set)" as if the file said nothing
    assert not any(f.rule_id == "SS101" for f in result.findings)


@pytest.mark.parametrize(("observed", "stale"), [("2026-11-20", False), ("2026-06-01", True)])
def test_an_old_observation_is_marked_stale(tmp_path, observed, stale):
    folder = drift(tmp_path)
    edit(folder / TWITTER, 'observed_on: "2026-11-20"', f'observed_on: "{observed}"')
    expected = ((TARGET, observed),) if stale else ()
    assert check(folder).coverage.stale == expected


def test_a_staff_account_keeps_its_target_when_one_value_is_wrong(tmp_path):
    folder = drift(tmp_path)
    name = folder / "staff-accounts.yaml"
    edit(name, "{staff: S003, platform: instagram, use: personal, private: true}",
         "{staff: S003, platform: instagram, use: personal, private: sure}")  # fmt: skip
    result = check(folder)
    target = "staff:S003 (instagram)"
    (gap,) = gaps_on(result, target)
    assert gap.reason.startswith("staff_account.private could not be read")
    assert gap.rules == ("SS703",)
    assert "staff:S004 (facebook)" in result.coverage.checked


def test_a_staff_account_entry_that_cannot_be_read_is_a_gap_for_all_its_rules(tmp_path):
    folder = drift(tmp_path)
    edit(folder / "staff-accounts.yaml", "{staff: S003, platform", "{platform")
    result = check(folder)
    (gap,) = gaps_on(result, "staff_accounts")
    assert gap.reason.startswith("1 staff account entry could not be read")
    staff_rules = {r.id for r in rules.load_rules() if r.scope == "staff_account"}
    assert set(gap.rules) == staff_rules


def test_gap_reasons_never_quote_the_files_own_text(tmp_path):
    folder = drift(tmp_path)
    edit(
        folder / "policy.yaml",
        "      approval: form",
        "      approval: Jamie\n      Jamie Smith: 1",
    )
    edit(folder / TWITTER, "protected: false", "protected: Jamie Smith")
    result = check(folder)
    assert len(problems(result)) == 3
    assert result.coverage.gaps
    for gap in result.coverage.gaps:
        assert "Jamie" not in gap.reason and "Smith" not in gap.reason
    values = [p for p in problems(result) if "unknown key" not in p]  # a key is named
    assert len(values) == 2 and not any("Jamie" in p or "Smith" in p for p in values)


def test_a_csv_with_an_unknown_column_is_one_error_at_the_header(tmp_path):
    folder = drift(tmp_path)
    (folder / "consent.yaml").unlink()
    rows = "".join(f"A10{i:02d},granted,internal\n" for i in range(19))
    (folder / "consent.csv").write_text("pupil,state,scope\n" + rows, "utf-8")
    assert problems(check(folder)) == [
        "consent.csv:1:13 the header row (line 1) has an unknown column 'scope'; "
        "did you mean 'scopes'?"
    ]


def test_an_alias_that_makes_two_entries_one_is_pruned_once():
    text = "staff_accounts:\n  - &a {staff: '', use: personal}\n  - *a\n"
    doc = yamlio.parse(text, "s.yaml")
    pruned = prune.prune(doc, "staff-accounts.schema.json", "staff_accounts")
    assert doc["staff_accounts"] == []
    assert {p.dotted() for p in pruned} == {"staff_accounts[]", "staff_accounts[].staff"}


def test_an_aliased_list_loses_its_bad_entry_once():
    doc = yamlio.parse("a: &l [1, x, 3]\nb: *l\n", "f.yaml")
    schema = {"properties": {k: {"items": {"type": "integer"}} for k in "ab"}}
    prune.prune(doc, schema)
    assert doc["a"] == [1, 3]


def test_a_csv_row_is_named_as_a_row(tmp_path):
    folder = drift(tmp_path)
    (folder / "consent.yaml").unlink()
    (folder / "consent.csv").write_text("pupil,state\nA1207,granted\n,granted\n", "utf-8")
    assert problems(check(folder)) == [
        "consent.csv:3:1 this row is missing the required key 'pupil'"
    ]
