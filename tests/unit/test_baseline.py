"""Baselines: record today's findings; later fail only on new ones and report fixed ones."""

from __future__ import annotations

import json
from pathlib import Path

from safesocial.packs import cases
from tests.conftest import AS_OF

UNAPPROVED = {
    "accounts/main.yaml": {
        "followers": [
            {"handle": "@grandma_jo", "category": "parent"},
            {"handle": "@uncle_bo", "category": "parent"},
        ]
    }
}


def school(tmp_path: Path, patches: dict) -> Path:
    cases.materialise(patches, tmp_path / "s")
    return tmp_path / "s"


def create(run_cli, folder: Path, tmp_path: Path) -> Path:
    out = tmp_path / "baseline.json"
    ran = run_cli("baseline", "create", str(folder), "--as-of", AS_OF, "-o", str(out))
    assert ran.code == 0 and "recorded 2 findings" in ran.out
    return out


def test_the_baseline_holds_refs_not_handles(tmp_path, run_cli):
    out = create(run_cli, school(tmp_path, UNAPPROVED), tmp_path)
    text = out.read_text("utf-8")
    assert "grandma_jo" not in text and "uncle_bo" not in text
    doc = json.loads(text)
    assert [f["rule_id"] for f in doc["findings"]] == ["SS221", "SS221"]


def test_known_findings_pass_and_new_ones_fail(tmp_path, run_cli):
    folder = school(tmp_path, UNAPPROVED)
    baseline = create(run_cli, folder, tmp_path)
    ran = run_cli("check", str(folder), "--as-of", AS_OF, "--baseline", str(baseline))
    assert ran.code == 0
    assert "2 known findings not shown" in ran.out
    account = folder / "accounts" / "main.yaml"
    account.write_text(account.read_text("utf-8").replace("protected: true", "protected: false"))
    ran = run_cli("check", str(folder), "--as-of", AS_OF, "--baseline", str(baseline))
    assert ran.code == 1 and "SS101" in ran.out and "SS221" not in ran.out


def test_a_baseline_survives_edits_that_move_lines(tmp_path, run_cli):
    folder = school(tmp_path, UNAPPROVED)
    baseline = create(run_cli, folder, tmp_path)
    account = folder / "accounts" / "main.yaml"
    account.write_text("# reviewed by the DSL\n\n\n" + account.read_text("utf-8"), "utf-8")
    ran = run_cli("check", str(folder), "--as-of", AS_OF, "--baseline", str(baseline))
    assert ran.code == 0 and "SS221" not in ran.out


def test_fixed_findings_are_reported(tmp_path, run_cli):
    folder = school(tmp_path, UNAPPROVED)
    baseline = create(run_cli, folder, tmp_path)
    cases.materialise({}, folder)  # back to the clean school: both followers gone
    ran = run_cli("check", str(folder), "--as-of", AS_OF, "--baseline", str(baseline), "-o", "json")
    doc = json.loads(ran.out)
    assert doc["baseline"] == {
        "known": 0,
        "fixed": [
            "SS221 x:@BasePrimary (follower #1 (parent))",
            "SS221 x:@BasePrimary (follower #2 (parent))",
        ],
    }


def test_a_broken_baseline_is_exit_2(tmp_path, run_cli):
    folder = school(tmp_path, UNAPPROVED)
    bad = tmp_path / "b.json"
    bad.write_text("{not json", "utf-8")
    ran = run_cli("check", str(folder), "--baseline", str(bad))
    assert ran.code == 2 and "not valid JSON" in ran.err
    bad.write_text('{"findings": []}', "utf-8")
    ran = run_cli("check", str(folder), "--baseline", str(bad))
    assert ran.code == 2 and "not a safesocial baseline" in ran.err
