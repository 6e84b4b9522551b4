"""The JSON report matches schemas/report.schema.json, and its fingerprints survive edits
that only move lines."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from safesocial.cli import main
from safesocial.documents import resources
from safesocial.findings import Category, Finding, Location, Related, Severity
from safesocial.model import loader
from safesocial.packs import cases
from safesocial.reporters.json_ import FORMAT_VERSION, JsonReporter, finding_dict
from safesocial.running import judge
from safesocial.running.results import Comparison, RunResult, SchoolResult
from safesocial.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-21"
ACCOUNT = "accounts/main.yaml"
SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text("utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def school(folder: Path, patches: dict[str, Any] | None = None) -> Path:
    cases.materialise(patches or {}, folder)
    return folder


def report(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, dict[str, Any]]:
    code = main(["check", *map(str, paths), "--as-of", AS_OF, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def valid(doc: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(doc)]
    assert errors == []


def test_the_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["properties"]["format_version"]["const"] == FORMAT_VERSION


def test_the_schema_ships_with_the_package():
    assert resources.schema("report.schema.json") == SCHEMA


def _undescribed(node: Any, path: str) -> list[str]:
    """Properties and definitions without a description, so the format stays documented."""
    missing: list[str] = []
    if not isinstance(node, dict):
        return missing
    for group in ("properties", "$defs"):
        for name, sub in node.get(group, {}).items():
            where = f"{path}.{name}"
            if isinstance(sub, dict) and "description" not in sub:
                missing.append(where)
            missing += _undescribed(sub, where)
    for key in ("items", "additionalProperties"):
        missing += _undescribed(node.get(key), f"{path}.{key}")
    return missing


def test_every_field_is_described():
    assert SCHEMA["description"]
    assert _undescribed(SCHEMA, "") == []


def test_the_schema_names_exactly_what_the_reporter_writes():
    finding = Finding("SS101", Severity.ERROR, Category.DRIFT, "m", "x:@a")
    written = finding_dict(finding, {})
    documented = SCHEMA["$defs"]["finding"]
    assert set(written) == set(documented["required"])
    # `due` (a record's own date) and `state` (with --compare) are written only when set.
    dated = replace(finding, due=date(2027, 1, 1))
    earlier = Comparison(since=date(2026, 11, 1), before=frozenset())
    full = finding_dict(dated, {}, earlier)
    assert full["due"] == "2027-01-01" and full["state"] == "new"
    assert set(full) == set(documented["properties"])


def test_a_clean_run_matches_the_schema(tmp_path, capsys):
    code, doc = report(capsys, school(tmp_path / "s"))
    assert code == 0
    valid(doc)
    assert doc["tool"]["name"] == "safesocial"
    assert doc["format_version"] == FORMAT_VERSION
    assert doc["as_of"] == AS_OF
    assert doc["rules_run"] > 0
    assert doc["summary"]["findings"] == 0
    assert doc["schools"][0]["findings"] == []


def test_findings_and_input_problems_match_the_schema(tmp_path, capsys):
    found = school(tmp_path / "trust" / "a", {ACCOUNT: {"protected": False}})
    broken = school(tmp_path / "trust" / "b")
    (broken / ACCOUNT).write_text("platform: x\nprotected: yes\n", "utf-8")
    code, doc = report(capsys, tmp_path / "trust")
    assert code == 2
    valid(doc)
    first, second = doc["schools"]
    assert first["root"] == str(found)
    ss101 = next(f for f in first["findings"] if f["rule_id"] == "SS101")
    assert ss101["rule_name"] == "protected-as-declared"
    assert ss101["location"]["path"] == f"{found}/{ACCOUNT}"
    assert ss101["related"] and ss101["related"][0]["path"] == f"{found}/policy.yaml"
    problems = [f for f in second["findings"] if f["category"] == "input"]
    assert problems
    assert all(p["rule_name"] is None and p["location"]["line"] >= 1 for p in problems)
    assert doc["summary"]["input_errors"] == len(problems)
    assert doc["summary"]["findings"] == sum(
        f["category"] != "input" for s in doc["schools"] for f in s["findings"]
    )


def test_a_finding_without_a_location_is_null(tmp_path):
    loaded = loader.load_school(school(tmp_path / "s"), "s")
    result = judge.run([loaded], [], Settings(as_of=date(2026, 11, 21)))
    extra = (
        Finding("SS999", Severity.WARNING, Category.GUIDANCE, "no place", "school"),
        Finding(
            "SS998",
            Severity.INFO,
            Category.RECORDS,
            "two places",
            "x:@a",
            subject="pupil P001",
            location=Location("s/a.yaml", 3, 5),
            related=(Related(Location("s/policy.yaml", 1, 1), "declared here"),),
        ),
    )
    school_result = result.schools[0]
    with_extra = RunResult(
        schools=(SchoolResult(**{**_fields(school_result), "findings": extra}),),
        settings=result.settings,
        rule_count=0,
    )
    doc = json.loads(JsonReporter().render(with_extra, {}))
    valid(doc)
    first, second = doc["schools"][0]["findings"]
    assert first["location"] is None
    assert first["subject"] is None
    assert first["rule_name"] is None
    assert second["related"] == [
        {"path": "s/policy.yaml", "line": 1, "column": 1, "message": "declared here"}
    ]


def _fields(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


def test_the_examples_match_the_schema(capsys):
    examples = sorted(p for p in (ROOT / "examples").glob("*") if (p / "school.yaml").is_file())
    if not examples:
        pytest.skip("no examples/ yet")
    for example in examples:
        _, doc = report(capsys, example)
        valid(doc)


# ---- fingerprints -------------------------------------------------------------------

MOVED = "# moved down by a comment\n\n# and a blank line\n"


def fingerprints(doc: dict[str, Any]) -> dict[str, tuple[str, int]]:
    return {
        f["fingerprint"]: (f["rule_id"], f["location"]["line"] if f["location"] else 0)
        for s in doc["schools"]
        for f in s["findings"]
    }


def test_fingerprints_survive_lines_moving(tmp_path, capsys):
    folder = school(tmp_path / "s", {ACCOUNT: {"protected": False}})
    code, before = report(capsys, folder)
    assert code == 1
    path = folder / ACCOUNT
    path.write_text(MOVED + path.read_text("utf-8"), "utf-8")
    _, after = report(capsys, folder)
    old, new = fingerprints(before), fingerprints(after)
    assert old.keys() == new.keys()
    ss101 = next(k for k, (rule, _) in old.items() if rule == "SS101")
    assert new[ss101][1] == old[ss101][1] + MOVED.count("\n")


def test_fingerprints_differ_between_accounts(tmp_path, capsys):
    base = cases._plain(cases.yamlio.parse((cases.base_dir() / ACCOUNT).read_text(), "b"))
    other = {**base, "handle": "@Other", "protected": False}
    folder = school(tmp_path / "s", {ACCOUNT: {"protected": False}, "accounts/b.yaml": other})
    _, doc = report(capsys, folder)
    ss101 = [f for f in doc["schools"][0]["findings"] if f["rule_id"] == "SS101"]
    assert len(ss101) == 2
    assert ss101[0]["fingerprint"] != ss101[1]["fingerprint"]


FAIL_CASES = [c for c in cases.all_cases() if c.expect == "fail"]


@pytest.mark.parametrize("case", FAIL_CASES, ids=lambda c: f"{c.rule}:{c.name}")
def test_every_rules_fingerprints_ignore_lines_and_folders(case, tmp_path, builtin_rules):
    """The same findings, with every file pushed down and the school in another folder."""
    settings = Settings(as_of=case.as_of)

    def found(folder: Path) -> Counter[str]:
        loaded = loader.load_school(folder, str(folder))
        result = judge.run([loaded], builtin_rules, settings)
        return Counter(f.fingerprint for f in result.findings if f.category is not Category.INPUT)

    first = school(tmp_path / "first", dict(case.files))
    second = school(tmp_path / "elsewhere" / "second", dict(case.files))
    for path in second.rglob("*.yaml"):
        path.write_text(MOVED + path.read_text("utf-8"), "utf-8")
    before = found(first)
    assert before, f"{case.source} raises nothing"
    assert found(second) == before
