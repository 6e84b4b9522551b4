"""--compare PREVIOUS.json: each finding new or still open since an earlier run, and what
that run found that is now fixed, in every format; matched by fingerprint, so moved
lines change nothing; a wrong PREVIOUS file is exit 2 with its name and line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import AS_OF, ROOT

LATER = "2026-12-01"


@pytest.fixture
def school(tmp_path: Path) -> Path:
    folder = tmp_path / "drift-primary"
    shutil.copytree(ROOT / "examples" / "drift-primary", folder)
    return folder


def _earlier(run_cli, school: Path, tmp_path: Path) -> Path:
    out = tmp_path / "previous.json"
    ran = run_cli("check", str(school), "--as-of", AS_OF, "-o", f"json:{out}")
    assert ran.code == 1, ran.err
    return out


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _again(run_cli, school: Path, tmp_path: Path, previous: Path) -> dict[str, str]:
    outs = {
        fmt: tmp_path / f"now.{fmt}"
        for fmt in ("json", "sarif", "markdown", "html", "plan-csv", "plan-md", "text")
    }
    args = [a for fmt, path in outs.items() for a in ("-o", f"{fmt}:{path}")]
    ran = run_cli("check", str(school), "--as-of", LATER, "--compare", str(previous), *args)
    assert ran.code in (0, 1), ran.err
    return {fmt: path.read_text("utf-8") for fmt, path in outs.items()}


def _states(report: str) -> dict[str, str]:
    doc = json.loads(report)
    return {f["rule_id"]: f["state"] for s in doc["schools"] for f in s["findings"]}


def test_moved_lines_are_still_open_not_new_or_fixed(run_cli, school: Path, tmp_path: Path):
    previous = _earlier(run_cli, school, tmp_path)
    account = school / "accounts" / "twitter.yaml"
    # Three lines more at the top of each file: every line number changes.
    for path in (account, school / "policy.yaml"):
        path.write_text("# moved\n# moved\n# moved\n" + path.read_text("utf-8"), "utf-8")
    out = _again(run_cli, school, tmp_path, previous)
    assert set(_states(out["json"]).values()) == {"open"}
    doc = json.loads(out["json"])
    assert doc["compare"] == {"since": AS_OF, "new": 0, "still_open": 5, "fixed": []}
    sarif = json.loads(out["sarif"])
    states = {r["baselineState"] for r in sarif["runs"][0]["results"]}
    assert states == {"unchanged"}
    assert "Since the check of 21 November 2026: 0 new, 5 still open, 0 fixed." in out["html"]


def test_fixed_and_new_findings_are_marked_in_every_format(
    run_cli, school: Path, tmp_path: Path
) -> None:
    previous = _earlier(run_cli, school, tmp_path)
    account = school / "accounts" / "twitter.yaml"
    # Fixed: the account is protected again (SS101 and SS602 go).
    _edit(account, "protected: false", "protected: true")
    # New: the account now follows a pupil of its own accord (SS201).
    _edit(
        account,
        "following:",
        'following:\n  - {handle: "@p1", category: pupil, pupil: A1207, followed_first: false}',
    )
    out = _again(run_cli, school, tmp_path, previous)

    states = _states(out["json"])
    assert states["SS201"] == "new"
    assert states["SS221"] == "open"
    assert "SS101" not in states and "SS602" not in states
    doc = json.loads(out["json"])
    assert sorted(g["rule_id"] for g in doc["compare"]["fixed"]) == ["SS101", "SS602"]
    assert doc["compare"]["new"] >= 1

    sarif = {
        r["ruleId"]: r["baselineState"] for r in json.loads(out["sarif"])["runs"][0]["results"]
    }
    assert sarif["SS201"] == "new" and sarif["SS221"] == "unchanged"

    new = doc["compare"]["new"]
    still = doc["compare"]["still_open"]
    said = f"Since the check of 21 November 2026: {new} new, {still} still open, 2 fixed."
    assert said in out["html"]
    assert "New since 21 November 2026" in out["html"]
    assert "Still open since 21 November 2026" in out["html"]
    assert "Fixed since 21 November 2026" in out["html"]
    assert "The account is public although the policy says it is protected" in out["html"]

    assert f"{new} new, {still} still open, 2 fixed" in out["markdown"]
    assert "🆕 new" in out["markdown"] and "still open" in out["markdown"]
    assert "fixed since 2026-11-21" in out["markdown"]

    assert "(new)" in out["plan-md"]
    assert ",new," in out["plan-csv"] and ",still open," in out["plan-csv"]

    assert f"since 2026-11-21: {new} new, {still} still open, 2 fixed" in out["text"]
    assert "fixed: SS101 x:@AshcombeCofE" in out["text"]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('{"tool": {"name": "safesocial"},\n  "as_of": ', ":2:"),  # cut short: its line
        ("\xff\xfe not text", "not UTF-8"),
        ('{"version": "2.1.0", "runs": []}', "not a safesocial report"),  # a SARIF file
        ('{"tool": {"name": "other"}, "as_of": "2026-11-21", "schools": []}', "another"),
        ('{"tool": {"name": "safesocial"}, "as_of": "soon", "schools": []}', "not a date"),
        ('{"tool": {"name": "safesocial"}, "as_of": "2026-11-21"}', '"schools"'),
        (
            '{"tool": {"name": "safesocial"}, "as_of": "2026-11-21", '
            '"schools": [{"findings": [{"rule_id": "SS101"}]}]}',
            'schools[0].findings[0] has no "fingerprint"',
        ),
    ],
)
def test_a_wrong_previous_file_is_refused_with_its_place(
    content: str, said: str, run_cli, school: Path, tmp_path: Path
) -> None:
    previous = tmp_path / "previous.json"
    if content.startswith("\xff"):
        previous.write_bytes(b"\xff\xfe not text")
    else:
        previous.write_text(content, "utf-8")
    ran = run_cli("check", str(school), "--as-of", AS_OF, "--compare", str(previous))
    assert ran.code == 2
    assert str(previous) in ran.err and said in ran.err
    assert "Traceback" not in ran.err


def test_a_missing_previous_file_is_exit_2(run_cli, school: Path, tmp_path: Path) -> None:
    ran = run_cli("check", str(school), "--compare", str(tmp_path / "nowhere.json"))
    assert ran.code == 2 and "cannot read the file" in ran.err
