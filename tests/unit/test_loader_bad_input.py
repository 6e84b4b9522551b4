"""Bad input of every kind: exit 2, file:line:column, what is wrong, never a traceback;
and one broken file never stops the others from being checked."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from safesocial.cli import main
from safesocial.documents import csvfile, resources, yamlio
from safesocial.findings import Category, Location
from safesocial.model import loader
from safesocial.packs import cases
from safesocial.running import judge
from safesocial.settings import Settings

AS_OF = "2026-11-21"
ACCOUNT = "accounts/main.yaml"


def school(folder: Path, patches: dict[str, Any] | None = None) -> Path:
    cases.materialise(patches or {}, folder)
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args, "--as-of", AS_OF, "--no-color"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def report(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, dict[str, Any]]:
    code, out, err = run(capsys, *map(str, paths), "--format", "json")
    assert "Traceback" not in out + err
    return code, json.loads(out)


def replaced(path: Path, old: str, new: str, first: bool = False) -> int:
    """Replace `old` (once, or its first use) in a file; the line where `new` now starts."""
    text = path.read_text("utf-8")
    assert text.count(old) == 1 or (first and old in text), f"{old!r} is not once in {path}"
    text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")
    return text[: text.index(new)].count("\n") + 1 if new else 1


def bad_input(capsys, folder: Path, where: str, words: str) -> str:
    """Run the CLI: exit 2, the place and the words in the output, no traceback."""
    code, out, err = run(capsys, str(folder))
    assert "Traceback" not in out + err
    assert code == 2, out + err
    assert where in out, out
    assert words in out, out
    return out


# ---- one broken account file, each way a file can be broken -----------------------


Edit = Callable[[Path], tuple[int, int]]


def _text(old: str, new: str, column: int) -> Edit:
    def edit(path: Path) -> tuple[int, int]:
        return replaced(path, old, new), column

    return edit


def _whole(data: bytes | str, line: int = 1, column: int = 1) -> Edit:
    def edit(path: Path) -> tuple[int, int]:
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return line, column

    return edit


def _append(text: str, column: int = 1) -> Edit:
    def edit(path: Path) -> tuple[int, int]:
        before = path.read_text("utf-8")
        path.write_text(before + text, "utf-8")
        return before.count("\n") + 1, column

    return edit


def _bytes(old: bytes, new: bytes, column: int) -> Edit:
    def edit(path: Path) -> tuple[int, int]:
        data = path.read_bytes()
        assert data.count(old) == 1
        data = data.replace(old, new)
        path.write_bytes(data)
        return data[: data.index(new)].count(b"\n") + 1, column

    return edit


BOMB = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]"
            for p, k in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)

BROKEN: dict[str, tuple[Edit, str]] = {
    "duplicate key": (_append("protected: false\n"), "duplicate key 'protected'"),
    "yes as a boolean": (
        _text("protected: true", "protected: yes", 12),
        "'protected' should be true or false, not 'yes'",
    ),
    "no as a boolean": (_text("mfa: true", "mfa: no", 6), "yes/no/on/off are ambiguous"),
    "on as a boolean": (_text("mfa: true", "mfa: on", 6), "should be true or false, not 'on'"),
    "off as a boolean": (
        _text("protected: true", "protected: off", 12),
        "should be true or false, not 'off'",
    ),
    "python object tag": (
        _text("protected: true", "protected: !!python/object:os.system x", 12),
        "the tag tag:yaml.org,2002:python/object:os.system is not allowed",
    ),
    "python apply tag": (
        _text("protected: true", "protected: !!python/object/apply:os.system [ls]", 12),
        "is not allowed",
    ),
    "local tag": (_text("protected: true", "protected: !secret x", 12), "!secret is not allowed"),
    "binary tag": (_text("protected: true", "protected: !!binary eA==", 12), "is not allowed"),
    "alias bomb": (_whole(BOMB), "alias bomb"),
    "recursive alias": (_whole("platform: &p [*p]\n", 1, 11), "refers to the mapping or list"),
    "syntax error": (
        _whole("platform: x\nkind: official\naudience: [parents\nmfa: true\n", 4, 4),
        "YAML syntax: did not find expected ',' or ']'",
    ),
    "bad indentation": (
        _whole("platform: x\n kind: official\n", 2, 6),
        "YAML syntax: mapping values are not allowed",
    ),
    "unquoted @handle": (
        _text("handle: '@BasePrimary'", "handle: @BasePrimary", 9),
        'a value starting with @ must be quoted: "@handle"',
    ),
    "tab indent": (
        _text("  access: full", "\taccess: full", 1),
        "YAML indents with spaces, not tabs",
    ),
    "two documents": (_append("---\nplatform: x\n"), "more than one YAML document"),
    "invalid UTF-8": (
        _bytes(b"purpose: Keep", b"purpose: K\xe9ep", 11),
        "not valid UTF-8",
    ),
    "UTF-16": (_whole("platform: x\n".encode("utf-16")), "the file is UTF-16; save it as UTF-8"),
    "binary": (_whole(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "the file is binary, not text"),
    "empty": (_whole(b""), "the file is empty"),
    "only comments": (_whole("# nothing yet\n"), "the file is empty"),
    "a list, not a mapping": (_whole("- platform: x\n"), "should be a mapping"),
    "impossible date": (
        _text("observed_on: '2026-11-20'", "observed_on: 2026-02-30", 14),
        "'observed_on' is not a real date written YYYY-MM-DD",
    ),
    "impossible quoted date": (
        _text("observed_on: '2026-11-20'", "observed_on: '2026-11-31'", 14),
        "not a real date",
    ),
    "date written day first": (
        _text("observed_on: '2026-11-20'", "observed_on: 20/11/2026", 14),
        "'observed_on' is not a real date written YYYY-MM-DD",
    ),
    "date without zeros": (
        _text("observed_on: '2026-11-20'", "observed_on: 2026-11-2", 14),
        "not a real date written YYYY-MM-DD",
    ),
    "date with a time": (
        _text("observed_on: '2026-11-20'", "observed_on: 2026-11-20 09:00", 14),
        "not a real date written YYYY-MM-DD",
    ),
    "unknown key": (
        _text("protected: true", "protcted: true", 1),
        "unknown key 'protcted' in the top level; did you mean 'protected'?",
    ),
    "unknown nested key": (
        _text("  access: full", "  acess: full", 3),
        "unknown key 'acess' in admins[1]; did you mean 'access'?",
    ),
    "wrong enum": (
        _text("platform: x\n", "platform: instagarm\n", 11),
        "'platform' must be one of: x, instagram",
    ),
    "wrong enum suggestion": (
        _text("platform: x\n", "platform: instagarm\n", 11),
        "did you mean 'instagram'?",
    ),
    "missing required key": (
        _text("platform: x\n", "", 1),
        "the top level is missing the required key 'platform'",
    ),
    "wrong type": (
        _text("protected: true", "protected: 1", 12),
        "'protected' should be true or false, not 1",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN), ids=str)
def test_a_broken_account_file(case, tmp_path, capsys):
    edit, words = BROKEN[case]
    folder = school(tmp_path / "s")
    line, column = edit(folder / ACCOUNT)
    bad_input(capsys, folder, f"{ACCOUNT}:{line}:{column}", words)


def test_the_input_error_is_in_the_json_report_too(tmp_path, capsys):
    folder = school(tmp_path / "s")
    line = replaced(folder / ACCOUNT, "protected: true", "protected: yes")
    code, doc = report(capsys, folder)
    assert code == 2
    (finding,) = doc["schools"][0]["findings"]
    assert finding["rule_id"] == "IN002"
    assert finding["category"] == "input"
    assert finding["location"] == {"path": f"{folder}/{ACCOUNT}", "line": line, "column": 12}
    assert doc["summary"]["input_errors"] == 1


def test_a_yes_is_never_a_quiet_boolean(tmp_path):
    folder = school(tmp_path / "s")
    replaced(folder / ACCOUNT, "protected: true", "protected: no")
    loaded = loader.load_school(folder, "s")
    (account,) = loaded.school.accounts  # the rest of the account is read...
    assert account.protected is None  # ...but never protected as False
    assert [p.dotted("account") for p in account.pruned] == ["account.protected"]
    assert [p.code for p in loaded.problems] == ["IN002"]


def test_a_file_over_the_size_limit(tmp_path, capsys, monkeypatch):
    folder = school(tmp_path / "s")
    # Every other file read (rule packs too) stays under the limit; the account goes over.
    others = [*folder.rglob("*.y*ml"), *resources.data_dir("policies").glob("*.yaml")]
    limit = max(p.stat().st_size for p in others)
    path = folder / ACCOUNT
    path.write_text(path.read_text("utf-8") + "#" * limit + "\n", "utf-8")
    size = path.stat().st_size
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", limit)
    out = bad_input(capsys, folder, f"{ACCOUNT}:1:1", f"the file is {size:,} bytes")
    assert f"up to {limit:,} bytes" in out


@pytest.mark.parametrize(
    ("name", "old", "new", "column", "words"),
    [
        ("school.yaml", "phase: primary", "phase: primry", 10, "did you mean 'primary'?"),
        ("school.yaml", "  dsl: S002", "  dsl: [S002]", 8, "'dsl' should be"),
        ("policy.yaml", "    visibility: protected", "    visiblity: protected", 5, "visibility"),
        ("policy.yaml", "auto_follow_back: false", "auto_follow_back: off", 25, "true or false"),
        ("consent.yaml", "state: granted", "state: grantd", 10, "did you mean 'granted'?"),
        ("pupils.yaml", "year_group: 4", "year_group: four", 15, "a whole number"),
        ("staff-accounts.yaml", "private: true", "private: yes", 12, "true or false"),
    ],
)
def test_every_kind_of_file_is_checked_against_its_schema(
    tmp_path, capsys, name, old, new, column, words
):
    folder = school(tmp_path / "s")
    text = (folder / name).read_text("utf-8")
    first = text.index(old)
    (folder / name).write_text(text[:first] + new + text[first + len(old) :], "utf-8")
    line = text[:first].count("\n") + 1
    bad_input(capsys, folder, f"{name}:{line}:{column}", words)


@pytest.mark.parametrize("name", ["policy.yaml"])
def test_a_missing_required_file(tmp_path, capsys, name):
    folder = school(tmp_path / "s")
    (folder / name).unlink()
    out = bad_input(capsys, folder, f"{name}:1:1", f"{name} is missing")
    assert "IN003" in out


def test_a_missing_school_yaml_is_a_usage_error(tmp_path, capsys):
    folder = school(tmp_path / "s")
    (folder / "school.yaml").unlink()
    code, out, err = run(capsys, str(folder))
    assert code == 2
    assert "no school folder here" in err
    assert "Traceback" not in out + err


def test_two_files_for_one_part(tmp_path, capsys):
    folder = school(tmp_path / "s")
    (folder / "consent.csv").write_text("pupil,state\nP001,granted\n", "utf-8")
    bad_input(capsys, folder, "consent.csv:1:1", "safesocial reads only consent.yaml")


def test_a_yml_file_is_read_too(tmp_path, capsys):
    folder = school(tmp_path / "s")
    (folder / ACCOUNT).rename(folder / "accounts/main.yml")
    replaced(folder / "accounts/main.yml", "protected: true", "protected: maybe")
    bad_input(capsys, folder, "accounts/main.yml:", "true or false")


# ---- CSV ----------------------------------------------------------------------------


def csv_school(folder: Path, text: str) -> Path:
    school(folder, {"consent.yaml": None})
    (folder / "consent.csv").write_text(text, "utf-8")
    return folder


GOOD_CSV = (
    "pupil,state,scopes,given_on,expires_on,informed_by,parental_responsibility\n"
    "P001,granted,internal;website;social_restricted,2026-09-02,2027-08-31,parent,true\n"
    "P002,granted,internal;social_restricted;social_public,2026-09-02,2027-08-31,parent,yes\n"
)


def test_a_good_consent_csv_loads(tmp_path):
    loaded = loader.load_school(csv_school(tmp_path / "s", GOOD_CSV), "s")
    assert loaded.problems == []
    assert loaded.school.consent is not None
    first, second = loaded.school.consent
    assert first.scopes == {"internal", "website", "social_restricted"}
    assert second.parental_responsibility is True
    assert first.node.loc("state").line == 2
    assert second.node.loc("state").line == 3


def test_csv_cells_take_their_type_from_the_column(tmp_path):
    # A "1" or "yes" is only a boolean in a boolean column: a wording version or a
    # note that happens to read "yes" stays text (it was once read as true).
    text = (
        "pupil,state,scopes,informed_by,parental_responsibility,wording_version,notes\n"
        "P001,granted,social_restricted,parent,yes,1,Yes\n"
    )
    loaded = loader.load_school(csv_school(tmp_path / "s", text), "s")
    assert loaded.problems == []
    assert loaded.school.consent is not None
    (record,) = loaded.school.consent
    assert record.parental_responsibility is True
    assert record.node["wording_version"] == "1"
    assert record.node["notes"] == "Yes"


def test_each_csv_cell_is_located_at_its_column(tmp_path):
    # Worked out from the row's cells when first asked (csvfile.CsvRow): blank cells
    # have no place, a list cell's items are at the cell, a second row is its own.
    path = tmp_path / "consent.csv"
    path.write_text("pupil,state,scopes,notes\nP001,granted,,x\n P002 ,gr,a; b,\n", "utf-8")
    rows = csvfile.read_csv(path, "c.csv", "consent", "consent.schema.json")["consent"]
    assert rows[0].key_pos == {"pupil": (2, 1), "state": (2, 6), "notes": (2, 15)}
    assert rows[1].key_pos == {"pupil": (3, 1), "state": (3, 8), "scopes": (3, 11)}
    assert rows[1]["scopes"] == ["a", "b"]
    assert rows[1]["scopes"].item_pos == [(3, 11), (3, 11)]
    assert (rows[1]["scopes"].file, rows[1]["scopes"].line, rows[1]["scopes"].col) == (
        "c.csv",
        3,
        11,
    )
    assert rows[1].loc("state") == Location("c.csv", 3, 8)
    assert rows[1].value_loc("state") == Location("c.csv", 3, 8)
    rows[1].pos.pop("state")  # what prune does: the change is kept
    assert rows[1].loc("state") == Location("c.csv", 3, 1)


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        (
            "pupil,state\nP001,granted\nP002,granted,extra\n",
            "consent.csv:3:1",
            "row has 3 cells but the header names 2 columns",
        ),
        (
            "pupil,state\nP001,granted\n\nP002,grantd\n",
            "consent.csv:4:6",
            "'state' must be one of",
        ),
        ("pupil,state,scopes\nP001,granted,internal;webite\n", "consent.csv:2:", "'website'?"),
        (
            "pupil,state,parental_responsibility\nP001,granted,maybe\n",
            "consent.csv:2:14",
            "should be true or false, not 'maybe'",
        ),
        ("pupil,state,given_on\nP001,granted,31/08/2026\n", "consent.csv:2:", "not a real date"),
        (
            "pupil,state,scope\nP001,granted,internal\n",
            "consent.csv:1:13",
            "did you mean 'scopes'?",
        ),
        ("pupil\nP001\n", "consent.csv:1:1", "the header row (line 1) has no 'state' column"),
        ("", "consent.csv:1:1", "the CSV file is empty"),
        (
            'pupil,notes,state\nP001,"two\nlines",granted\nP002,x,nope\n',
            "consent.csv:4:8",
            "'state' must be one of",
        ),
        ('pupil,notes,state\nP001,"two\nlines",nope\n', "consent.csv:2:", "'state' must be"),
        ('pupil,state\nP001,"granted\nP002,granted\n', "consent.csv:2:1", "CSV: unexpected end"),
        ('pupil,state\nP001,"gran"ted\n', "consent.csv:2:1", "CSV: ',' expected"),
        ("pupil,state,state\nP001,granted,refused\n", "consent.csv:1:13", "named twice"),
    ],
)
def test_a_bad_consent_csv_is_reported_by_row_line(tmp_path, capsys, text, where, words):
    bad_input(capsys, csv_school(tmp_path / "s", text), where, words)


def test_a_bad_pupils_csv(tmp_path, capsys):
    folder = school(tmp_path / "s", {"pupils.yaml": None})
    (folder / "pupils.csv").write_text("ref,year_group\nP001,4\nP002,Y4\n", "utf-8")
    bad_input(capsys, folder, "pupils.csv:3:", "'year_group' should be a whole number")


# ---- one broken file does not stop the others ------------------------------------


def unprotected(name: str) -> dict[str, Any]:
    """A second account that breaks SS101 (protected although the policy says so)."""
    base = (cases.base_dir() / ACCOUNT).read_text("utf-8")
    doc = yamlio.parse(base, "base")
    return {f"accounts/{name}.yaml": {**cases._plain(doc), "handle": "@Other", "protected": False}}


def findings(doc: dict[str, Any], school_index: int = 0) -> list[tuple[str, str]]:
    return [(f["rule_id"], f["target"]) for f in doc["schools"][school_index]["findings"]]


def test_one_broken_account_does_not_hide_the_other(tmp_path, capsys):
    folder = school(tmp_path / "s", unprotected("other"))
    replaced(folder / ACCOUNT, "protected: true", "protected: [true")
    code, doc = report(capsys, folder)
    assert code == 2
    found = findings(doc)
    assert ("IN001", "input") in found
    assert ("SS101", "x:@Other") in found
    assert doc["schools"][0]["accounts"] == ["x:@Other"]
    assert doc["summary"]["errors"] >= 1


def test_a_broken_school_yaml_still_checks_the_accounts(tmp_path, capsys):
    folder = school(tmp_path / "s", {ACCOUNT: {"protected": False}})
    replaced(folder / "school.yaml", "phase: primary", "phase: primry")
    code, doc = report(capsys, folder)
    assert code == 2
    assert ("SS101", "x:@BasePrimary") in findings(doc)


def test_a_broken_policy_value_skips_only_the_rules_that_read_it(tmp_path, builtin_rules):
    folder = school(tmp_path / "s", {ACCOUNT: {"protected": False, "mfa": False}})
    replaced(folder / "policy.yaml", "visibility: protected", "visibility: protectd")
    (result,) = judge.run(
        [loader.load_school(folder, "s")], builtin_rules, Settings(as_of=date(2026, 11, 21))
    ).schools
    lint = {f.rule_id for f in result.findings if f.category is not Category.INPUT}
    assert "SS101" not in lint  # it reads the policy's visibility, which did not load
    assert "SS406" in lint  # the policy's other lines still hold the account to them
    (gap,) = [g for g in result.coverage.gaps if g.target == "x:@BasePrimary"]
    assert gap.reason.startswith("policy.visibility could not be read")
    readers = {r.id for r in builtin_rules if "policy.visibility" in r.reads}
    assert "SS101" in gap.rules and set(gap.rules) <= readers


def test_a_broken_consent_file_skips_only_the_consent_rules(tmp_path, capsys, builtin_rules):
    folder = school(tmp_path / "s", {ACCOUNT: {"protected": False}})
    replaced(folder / "consent.yaml", "consent:", "consent: [", first=True)
    code, doc = report(capsys, folder)
    assert code == 2
    found = findings(doc)
    assert ("IN001", "input") in found
    assert ("SS101", "x:@BasePrimary") in found  # a rule that does not read consent still runs
    needs_consent = {r.id for r in builtin_rules if "consent" in r.needs}
    assert [rule for rule, _ in found if rule in needs_consent] == []


def test_the_engine_skips_a_rule_whose_part_is_broken(tmp_path, builtin_rules):
    ss101 = next(r for r in builtin_rules if r.id == "SS101")
    reads_consent = dataclasses.replace(
        ss101, id="TST900", reads=(*ss101.reads, "consent"), needs=ss101.needs | {"consent"}
    )
    folder = school(tmp_path / "s", {ACCOUNT: {"protected": False}})
    settings = Settings(as_of=date(2026, 11, 21))

    def fired() -> set[str]:
        loaded = loader.load_school(folder, "s")
        result = judge.run([loaded], [ss101, reads_consent], settings)
        return {f.rule_id for f in result.findings if f.category is not Category.INPUT}

    assert fired() == {"SS101", "TST900"}
    replaced(folder / "consent.yaml", "consent:", "consent: [", first=True)
    assert fired() == {"SS101"}


def test_a_consent_rule_from_a_kind_knows_it_needs_consent(builtin_rules):
    from safesocial import checks

    kinds = [k for k in checks.REGISTRY.values() if "consent" in k.reads]
    if not kinds:
        pytest.skip("no check kind reads consent yet")
    by_kind = [r for r in builtin_rules if r.kind in kinds]
    assert all("consent" in r.needs for r in by_kind)


def test_two_schools_one_broken(tmp_path, capsys):
    good = school(tmp_path / "trust" / "a-school", {ACCOUNT: {"protected": False}})
    bad = school(tmp_path / "trust" / "b-school")
    replaced(bad / ACCOUNT, "platform: x\n", "platform: x\nplatform: y\n")
    code, doc = report(capsys, tmp_path / "trust")
    assert code == 2
    assert [s["root"] for s in doc["schools"]] == [str(good), str(bad)]
    assert ("SS101", "x:@BasePrimary") in findings(doc, 0)
    assert findings(doc, 1) == [("IN001", "input")]
    assert doc["summary"]["schools"] == 2
    assert doc["summary"]["input_errors"] == 1


def test_a_broken_file_is_reported_with_the_others_in_text(tmp_path, capsys):
    folder = school(tmp_path / "s", unprotected("other"))
    replaced(folder / ACCOUNT, "protected: true", "protected: yes")
    code, out, err = run(capsys, str(folder))
    assert code == 2
    assert "SS101" in out
    assert "IN002" in out
    assert "1 input problem" in out
    assert "Traceback" not in out + err


def test_an_unreadable_file(tmp_path, capsys):
    import os

    folder = school(tmp_path / "s")
    (folder / ACCOUNT).chmod(0)
    if os.access(folder / ACCOUNT, os.R_OK):
        pytest.skip("running as a user who can read any file")
    bad_input(capsys, folder, f"{ACCOUNT}:1:1", "cannot read the file")
