"""SARIF 2.1.0: goldens on every example, validity against the official OASIS schema, and
what GitHub code scanning relies on (rule metadata, relative URIs, stable fingerprints,
related locations for drift)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from safesocial.cli import main
from safesocial.findings import Category, Finding, Location, Severity, Waiver
from safesocial.packs import cases
from safesocial.reporters.sarif import FINGERPRINT_KEY, SRCROOT, SarifReporter
from safesocial.running.results import RunResult, SchoolResult
from safesocial.settings import Settings
from tests import goldens
from tests.conftest import ROOT

# The official schema, vendored (tests/data/README.md says where it comes from) so that
# this test never skips for want of a network or a sibling checkout.
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
VALIDATOR = Draft4Validator(SCHEMA, format_checker=Draft4Validator.FORMAT_CHECKER)


@pytest.fixture(autouse=True)
def _from_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def assert_valid(doc: dict[str, Any]) -> None:
    errors = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def _comparable(text: str) -> dict[str, Any]:
    # The version changes with every release without changing what was found.
    doc: dict[str, Any] = json.loads(text)
    for run in doc["runs"]:
        run["tool"]["driver"].pop("version", None)
        run["tool"]["driver"].pop("semanticVersion", None)
    return doc


def sarif_of(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["check", *args, "--as-of", goldens.AS_OF, "-o", "sarif"])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name", goldens.EXAMPLES)
def test_example_matches_golden_and_schema(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = goldens.render(name, "sarif", capsys)
    goldens.compare(name, "sarif", out, _comparable)
    assert code == (0 if name in goldens.CLEAN else 1)
    assert_valid(json.loads(out))


@pytest.mark.parametrize("name", goldens.EXAMPLES)
def test_what_code_scanning_needs(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, doc = sarif_of(f"examples/{name}", capsys=capsys)
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "safesocial" and driver["version"]
    rules = driver["rules"]
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        tags = rule["properties"]["tags"]
        # What the rule is about, within what code scanning shows; never scored as a
        # vulnerability in code.
        assert tags[0] in ("drift", "guidance", "records", "input") and "security" not in tags
        assert len(tags) <= 10 and len(set(tags)) == len(tags)
        assert rule["helpUri"].endswith(f"/docs/rules.md#{rule['id'].lower()}-{rule['name']}")
    for result in run["results"]:
        # ruleIndex points at the rule of the same id.
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == rules[result["ruleIndex"]]["defaultConfiguration"]["level"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        artifact = physical["artifactLocation"]
        assert artifact["uriBaseId"] == SRCROOT
        assert artifact["uri"].startswith(f"examples/{name}/"), artifact["uri"]
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
        assert len(result["partialFingerprints"][FINGERPRINT_KEY]) == 16
    if name in goldens.CLEAN:
        # A clean run still says so, and code scanning closes earlier alerts on it.
        assert run["results"] == [] and rules == []


def test_drift_findings_point_at_the_policy_line(capsys: pytest.CaptureFixture[str]) -> None:
    _, doc = sarif_of("examples/drift-primary", capsys=capsys)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    drift = [
        r
        for r in doc["runs"][0]["results"]
        if "drift" in rules[r["ruleIndex"]]["properties"]["tags"]
    ]
    assert drift
    for result in drift:
        related = result["relatedLocations"]
        assert any(
            rel["physicalLocation"]["artifactLocation"]["uri"].endswith("/policy.yaml")
            for rel in related
        )
        assert all(rel["message"]["text"] for rel in related)
        # Each related location is linked from the message by its id.
        assert all(f"]({rel['id']})" in result["message"]["text"] for rel in related)


def test_fingerprints_survive_moved_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "examples" / "drift-primary", tmp_path / "school")
    monkeypatch.chdir(tmp_path)
    _, before = sarif_of("school", capsys=capsys)
    _, again = sarif_of("school", capsys=capsys)
    account = tmp_path / "school" / "accounts" / "twitter.yaml"
    account.write_text("# a note\n# another\n\n" + account.read_text("utf-8"), "utf-8")
    _, after = sarif_of("school", capsys=capsys)

    def prints(doc: dict[str, Any]) -> list[str]:
        return [r["partialFingerprints"][FINGERPRINT_KEY] for r in doc["runs"][0]["results"]]

    def lines(doc: dict[str, Any]) -> list[int]:
        results = doc["runs"][0]["results"]
        return [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results]

    assert prints(before) == prints(again) == prints(after)
    assert len(set(prints(before))) == len(prints(before))
    assert [n + 3 for n in lines(before)] == lines(after)


def test_input_problems_are_results_with_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cases.materialise({}, tmp_path / "school")
    (tmp_path / "school" / "accounts" / "main.yaml").write_text("protected: [\n", "utf-8")
    (tmp_path / "school" / "policy.yaml").write_text("visibility: 3\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    code, doc = sarif_of("school", capsys=capsys)
    assert code == 2
    assert_valid(doc)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    input_rules = {r["id"]: r for r in rules if r["id"].startswith("IN")}
    assert {"IN001", "IN002"} <= set(input_rules)
    for rule in input_rules.values():
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        assert rule["properties"]["tags"] == ["input"]
    results = [r for r in doc["runs"][0]["results"] if r["ruleId"] in input_rules]
    assert {r["level"] for r in results} == {"error"}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert {"school/accounts/main.yaml", "school/policy.yaml"} <= uris


def test_paths_outside_the_current_directory_are_absolute_file_uris(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "examples" / "drift-primary", tmp_path / "school")
    _, doc = sarif_of(str(tmp_path / "school"), capsys=capsys)
    assert_valid(doc)
    for result in doc["runs"][0]["results"]:
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert "uriBaseId" not in artifact
        assert artifact["uri"].startswith("file:///") and artifact["uri"].endswith(".yaml")


def test_uris_are_percent_encoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "examples" / "drift-primary", tmp_path / "St Mary's #1")
    monkeypatch.chdir(tmp_path)
    _, doc = sarif_of("St Mary's #1", capsys=capsys)
    artifact = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"].startswith("St%20Mary%27s%20%231/accounts/")


def test_brackets_from_the_input_are_not_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # "[text](1)" in a SARIF message links to relatedLocations[1]; a handle must not.
    cases.materialise(
        {"accounts/main.yaml": {"handle": "@a[x](1)\\", "protected": False}}, tmp_path / "s"
    )
    monkeypatch.chdir(tmp_path)
    _, doc = sarif_of("s", capsys=capsys)
    (ss101,) = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "SS101"]
    text = ss101["message"]["text"]
    assert text.startswith("@a\\[x\\](1)\\\\ is not protected")
    assert text.endswith("See: [the policy declares visibility: protected](1)")


def test_a_waived_finding_is_an_accepted_suppression() -> None:
    waiver = Waiver(
        "agreed until the new admin starts",
        "S001",
        date(2026, 11, 1),
        date(2026, 12, 31),
        Location("s/waivers.yaml", 2, 3),
    )
    finding = Finding(
        rule_id="SS101",
        severity=Severity.ERROR,
        category=Category.DRIFT,
        message="m",
        target="x:@S",
        location=Location("s/accounts/main.yaml", 3, 1),
        waiver=waiver,
        school="s",
    )
    school = SchoolResult("s", "S", ("s/school.yaml",), ("x:@S",), (finding,))
    result = RunResult((school,), Settings(as_of=date(2026, 11, 21)), 1)
    doc = json.loads(SarifReporter().render(result, {}))
    assert_valid(doc)
    (suppression,) = doc["runs"][0]["results"][0]["suppressions"]
    assert suppression["kind"] == "external" and suppression["status"] == "accepted"
    assert suppression["justification"] == (
        "agreed until the new admin starts (approved by S001 on 2026-11-01, expires 2026-12-31)"
    )
    where = suppression["location"]["physicalLocation"]["artifactLocation"]["uri"]
    assert where.endswith("s/waivers.yaml")


def test_a_finding_without_a_location_points_at_the_school_file() -> None:
    finding = Finding(
        rule_id="SS801",
        severity=Severity.WARNING,
        category=Category.RECORDS,
        message="m",
        target="school",
        school="s",
    )
    school = SchoolResult("s", "S", ("s/policy.yaml", "s/school.yaml"), (), (finding,))
    result = RunResult((school,), Settings(as_of=date(2026, 11, 21)), 1)
    doc = json.loads(SarifReporter().render(result, {}))
    assert_valid(doc)
    (location,) = doc["runs"][0]["results"][0]["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "s/school.yaml", "uriBaseId": SRCROOT}
    }


def test_every_help_uri_names_a_section_of_the_rules_doc(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from safesocial.packs import rules as rule_packs
    from safesocial.project import RULES_DOC
    from safesocial.reporters.sarif import _rule

    headings = {
        line[4:].lower().replace(" ", "-")
        for line in (ROOT / "docs" / "rules.md").read_text("utf-8").splitlines()
        if line.startswith("### ")
    }
    loaded = {r.id: r for r in rule_packs.load_rules()}
    for rule_id in loaded:
        uri = _rule(rule_id, loaded)["helpUri"]
        base, _, anchor = uri.partition("#")
        assert base == RULES_DOC and anchor in headings, uri
