"""Waivers: accepted for a while, visible everywhere, expiring on time, refused when wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safesocial.packs import cases

STALE = {"accounts/main.yaml": {"settings_reviewed_on": "2026-01-01"}}  # SS103, a warning
UNAPPROVED = {
    "accounts/main.yaml": {"followers": [{"handle": "@grandma_jo", "category": "parent"}]}
}


def waiver(**fields) -> dict:
    base = {
        "rule": "SS221",
        "target": "x:@BasePrimary",
        "reason": "Form lost; the office is collecting it again this week.",
        "approved_by": "S002",  # the DSL
        "approved_on": "2026-11-01",
        "expires_on": "2027-01-31",
    }
    return {**base, **fields}


def school(tmp_path: Path, patches: dict, *waivers: dict) -> Path:
    files = dict(patches)
    if waivers:
        files["waivers.yaml"] = {"waivers": list(waivers)}
    cases.materialise(files, tmp_path / "s")
    return tmp_path / "s"


def check(run_cli, folder: Path, *extra: str):
    ran = run_cli("check", str(folder), "--format", "json", *extra)
    return ran.code, json.loads(ran.out)


def findings(doc: dict) -> list[dict]:
    return [f for s in doc["schools"] for f in s["findings"]]


def test_a_waived_finding_is_shown_but_does_not_fail(tmp_path, run_cli):
    folder = school(tmp_path, UNAPPROVED, waiver())
    code, doc = check(run_cli, folder, "--as-of", "2026-11-21")
    assert code == 0
    (waived,) = [f for f in findings(doc) if f["rule_id"] == "SS221"]
    assert waived["waiver"]["approved_by"] == "S002"
    assert waived["waiver"]["expires_on"] == "2027-01-31"
    assert doc["summary"]["waived"] == 1 and doc["summary"]["errors"] == 0


def test_without_the_waiver_it_fails(tmp_path, run_cli):
    code, doc = check(run_cli, school(tmp_path, UNAPPROVED), "--as-of", "2026-11-21")
    assert code == 1
    assert [f["waiver"] for f in findings(doc) if f["rule_id"] == "SS221"] == [None]


@pytest.mark.parametrize(
    ("as_of", "code", "ids"),
    [
        ("2027-01-16", 0, {"SS221"}),  # 15 days to go: quiet
        ("2027-01-17", 0, {"SS221", "SS903"}),  # 14 days to go: a warning
        ("2027-01-31", 0, {"SS221", "SS903"}),  # the last day it works
        ("2027-02-01", 1, {"SS221", "SS902"}),  # expired: the finding counts again
    ],
)
def test_expiry_around_the_boundary(tmp_path, run_cli, as_of, code, ids):
    folder = school(tmp_path, UNAPPROVED, waiver())
    got_code, doc = check(run_cli, folder, "--as-of", as_of)
    assert got_code == code
    watched = {"SS221", "SS901", "SS902", "SS903", "SS904"}  # later dates raise others too
    assert {f["rule_id"] for f in findings(doc)} & watched == ids
    follower = next(f for f in findings(doc) if f["rule_id"] == "SS221")
    assert (follower["waiver"] is None) == (code == 1)


def test_strict_ignores_every_waiver(tmp_path, run_cli):
    folder = school(tmp_path, UNAPPROVED, waiver(), waiver(rule="SS101"))
    code, doc = check(run_cli, folder, "--as-of", "2026-11-21", "--strict")
    assert code == 1
    assert {f["rule_id"] for f in findings(doc)} == {"SS221"}  # no SS904 for the unused one
    assert all(f["waiver"] is None for f in findings(doc))


def test_an_approver_with_the_wrong_role_is_refused(tmp_path, run_cli):
    folder = school(tmp_path, UNAPPROVED, waiver(approved_by="S004"))  # office
    code, doc = check(run_cli, folder, "--as-of", "2026-11-21")
    assert code == 1
    refused = [f for f in findings(doc) if f["rule_id"] == "SS901"]
    assert len(refused) == 1 and "may not approve waivers" in refused[0]["message"]
    assert refused[0]["location"]["path"].endswith("waivers.yaml")
    assert [f["waiver"] for f in findings(doc) if f["rule_id"] == "SS221"] == [None]


def test_too_long_a_waiver_is_refused_and_the_maximum_is_configurable(tmp_path, run_cli):
    folder = school(tmp_path, UNAPPROVED, waiver(expires_on="2027-04-30"))  # 180 days
    code, doc = check(run_cli, folder, "--as-of", "2026-11-21")
    assert code == 1 and "SS901" in {f["rule_id"] for f in findings(doc)}
    (folder / "safesocial.yaml").write_text("thresholds: {waiver_max_days: 200}\n", "utf-8")
    code, doc = check(run_cli, folder, "--as-of", "2026-11-21")
    assert code == 0 and "SS901" not in {f["rule_id"] for f in findings(doc)}


def test_a_pupil_waiver_covers_only_that_pupil(tmp_path, run_cli):
    public = {
        "accounts/main.yaml": {"protected": False},
        "policy.yaml": {"defaults": {"official": {"visibility": "public"}}},
    }
    folder = school(tmp_path, public, waiver(rule="SS602", pupil="P001"))
    _, doc = check(run_cli, folder, "--as-of", "2026-11-21")
    narrow = [f for f in findings(doc) if f["rule_id"] == "SS602"]
    assert [f["subject"] for f in narrow if f["waiver"]] == ["pupil P001"]


def test_waivers_are_matched_by_content_not_lines(tmp_path, run_cli):
    folder = school(tmp_path, UNAPPROVED, waiver(follower="@Grandma_Jo"))
    account = folder / "accounts" / "main.yaml"
    account.write_text("# a comment\n\n" + account.read_text("utf-8"), "utf-8")
    code, _ = check(run_cli, folder, "--as-of", "2026-11-21")
    assert code == 0


def test_waived_findings_show_in_text(tmp_path, run_cli):
    folder = school(tmp_path, UNAPPROVED, waiver())
    ran = run_cli("check", str(folder), "--as-of", "2026-11-21", "--no-color")
    assert "waived  SS221" in ran.out
    assert "waived until 2027-01-31 by S002: Form lost" in ran.out
    assert "(1 waived)" in ran.out


def test_a_malformed_waiver_file_is_an_input_error(tmp_path, run_cli):
    folder = school(tmp_path, UNAPPROVED, waiver(expires_on="soon"))
    ran = run_cli("check", str(folder), "--as-of", "2026-11-21")
    assert ran.code == 2
    assert "waivers.yaml:" in ran.out and "not a real date" in ran.out


PUBLIC_STAFF = {
    "staff-accounts.yaml": {
        "staff_accounts": [
            {"staff": "S003", "platform": "instagram", "use": "personal", "private": False},
            {"staff": "S003", "platform": "x", "use": "personal", "private": False},
        ]
    }
}


@pytest.mark.parametrize(
    ("target", "waived"),
    [
        ("staff:S003", ["instagram", "x"]),  # the documented form: every account of S003
        ("staff:S003 (instagram)", ["instagram"]),  # the form findings use: that one only
        ("staff:S003 (Instagram)", ["instagram"]),
        ("staff:S003 (tiktok)", []),
        ("staff:S0031", []),
    ],
)
def test_a_staff_waiver_covers_all_their_accounts_or_one(tmp_path, run_cli, target, waived):
    folder = school(tmp_path, PUBLIC_STAFF, waiver(rule="SS703", target=target))
    _, doc = check(run_cli, folder, "--as-of", "2026-11-21")
    got = [f["target"] for f in findings(doc) if f["rule_id"] == "SS703" and f["waiver"]]
    assert got == [f"staff:S003 ({p})" for p in waived]
    unmatched = [f for f in findings(doc) if f["rule_id"] == "SS904"]
    assert bool(unmatched) == (not waived)


def test_an_unmatched_waiver_suggests_the_nearest_target(tmp_path, run_cli):
    folder = school(tmp_path, PUBLIC_STAFF, waiver(rule="SS703", target="staff:S03 (instagram)"))
    _, doc = check(run_cli, folder, "--as-of", "2026-11-21")
    [unmatched] = [f["message"] for f in findings(doc) if f["rule_id"] == "SS904"]
    assert "did you mean target 'staff:S003 (instagram)'?" in unmatched


def test_no_suggestion_when_nothing_is_near(tmp_path, run_cli):
    folder = school(tmp_path, PUBLIC_STAFF, waiver(rule="SS703", target="school"))
    _, doc = check(run_cli, folder, "--as-of", "2026-11-21")
    [unmatched] = [f["message"] for f in findings(doc) if f["rule_id"] == "SS904"]
    assert "did you mean" not in unmatched
