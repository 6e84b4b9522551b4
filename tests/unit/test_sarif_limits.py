"""SARIF within GitHub code scanning's documented limits (docs/ci.md lists them): one
result per rule and target, at most 100 related locations a result, 5,000 results a run,
10 tags a rule, one run, a file under 10 MB; what is left out is counted in the run's
properties and in the job summary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from safesocial.cli import main
from safesocial.reporters import sarif_limits
from tests.acceptance.test_sarif import assert_valid
from tests.conftest import ROOT

AS_OF = "2026-11-21"
SCHOOLS = 50
UNAPPROVED = 250  # on one account: 250 findings of SS221 and of SS224 there


def _fleet(where: Path) -> Path:
    """A trust of 50 schools, each the drift-primary example, one of them with 250
    followers nobody approved."""
    for n in range(SCHOOLS):
        shutil.copytree(ROOT / "examples" / "drift-primary", where / f"school-{n:02d}")
    account = where / "school-00" / "accounts" / "twitter.yaml"
    lines = account.read_text("utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("followers:")) + 1
    extra = [f'  - {{handle: "@stranger_{n}", category: unknown}}\n' for n in range(UNAPPROVED)]
    account.write_text("".join(lines[:at] + extra + lines[at:]), "utf-8")
    return where


def _check(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", *args, "--as-of", AS_OF])
    return code, capsys.readouterr().out


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _fleet(tmp_path_factory.mktemp("trust") / "trust")


def _sarif(fleet: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any) -> dict[str, Any]:
    monkeypatch.chdir(fleet.parent)
    code, out = _check(["trust", "-j", "1", "-o", "sarif"], capsys)
    assert code == 1
    doc: dict[str, Any] = json.loads(out)
    return doc


def test_a_fleet_fits_code_scanning(
    fleet: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _sarif(fleet, capsys, monkeypatch)
    assert_valid(doc)
    assert len(json.dumps(doc).encode("utf-8")) < sarif_limits.FILE_BYTES
    (run,) = doc["runs"]  # code scanning takes at most 20
    assert run["automationDetails"]["id"] == "safesocial/"
    results = run["results"]
    assert len(results) <= sarif_limits.RESULTS_PER_RUN
    for rule in run["tool"]["driver"]["rules"]:
        assert len(rule["properties"]["tags"]) <= sarif_limits.TAGS_PER_RULE
    # One result per rule and target in each school.
    keys = [
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"])
        for r in results
    ]
    assert len(keys) == len(set(keys))
    assert len(results) == SCHOOLS * 5  # SS101, SS103, SS221, SS224, SS602 on each account
    big = [r for r in results if r["properties"]["target"] == "x:@AshcombeCofE"]
    assert all(len(r.get("relatedLocations", [])) <= 100 for r in big)
    ss221 = next(
        r
        for r in results
        if r["ruleId"] == "SS221"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith(
            "trust/school-00/"
        )
    )
    assert len(ss221["properties"]["findings"]) == UNAPPROVED + 1
    assert len(ss221["relatedLocations"]) == 100
    # The policy line and 99 of the other 250 findings are listed.
    assert "151 more not listed" in ss221["message"]["text"]
    assert ss221["properties"]["unlisted"] == 151
    # Left out of the file, and said so, never silently.
    omitted = run["properties"]["omitted"]
    assert omitted["results"] == 0
    assert omitted["findings"] == 2 * 151  # SS221 and SS224 on that account
    assert "JSON and HTML reports hold every finding" in omitted["note"]


def test_past_the_results_limit_the_least_urgent_are_left_out(
    fleet: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sarif_limits, "RESULTS_PER_RUN", 60)
    doc = _sarif(fleet, capsys, monkeypatch)
    assert_valid(doc)
    (run,) = doc["runs"]
    results = run["results"]
    assert len(results) == 60
    # Errors (SS101, SS221, SS602: 150 results) come before warnings (SS103, SS224).
    assert {r["level"] for r in results} == {"error"}
    omitted = run["properties"]["omitted"]
    assert omitted["results"] == SCHOOLS * 5 - 60
    # The job summary says so too.
    summary = fleet.parent / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    _check(["trust", "-j", "1", "-o", "json:report.json"], capsys)
    text = summary.read_text("utf-8")
    assert f"{omitted['findings']} findings were left out of the SARIF report" in text
    every = json.loads((fleet.parent / "report.json").read_text("utf-8"))
    in_sarif = sum(len(r["properties"]["findings"]) for r in results)
    # SS221 on school-00 is kept (an error, and first) with 151 of its findings unlisted.
    assert every["summary"]["findings"] == in_sarif + omitted["findings"] - 151


def test_within_the_limits_nothing_is_said(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(ROOT)
    code, out = _check(["examples/drift-primary", "-o", "sarif"], capsys)
    assert code == 1
    assert "omitted" not in json.loads(out)["runs"][0]["properties"]
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    _check(["examples/drift-primary", "-o", "json:" + str(tmp_path / "r.json")], capsys)
    assert "left out of the SARIF report" not in summary.read_text("utf-8")


def test_past_the_byte_budget_the_least_urgent_are_left_out(
    fleet: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sarif_limits, "RESULT_BYTES", 300_000)
    monkeypatch.chdir(fleet.parent)
    _check(["trust", "-j", "1", "-o", "sarif:out.sarif"], capsys)
    written = (fleet.parent / "out.sarif").read_text("utf-8")
    doc = json.loads(written)
    assert_valid(doc)
    (run,) = doc["runs"]
    # The results as written (indented as the file is) fit the budget.
    results_text = written[
        written.index('"results": [') : written.index('"properties": {\n        "as_of"')
    ]
    assert len(results_text.encode("utf-8")) <= 300_000
    assert run["properties"]["omitted"]["results"] > 0
    levels = [r["level"] for r in run["results"]]
    # The least urgent go: a warning is kept only once all 150 errors are.
    assert "error" in levels
    assert "warning" not in levels or levels.count("error") == SCHOOLS * 3
