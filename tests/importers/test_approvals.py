"""Records without retyping: a follower request form's responses (Microsoft or Google
Forms), or an MIS report in its own layout, imported through a column mapping; the
follower rules then see the approvals."""

from __future__ import annotations

import shutil

import pytest

from safesocial.documents import yamlio
from safesocial.packs.cases import base_dir

MS_FORMS = (
    "ID,Start time,Completion time,Email,Name,Platform,Username,Relationship to the school,"
    "Approved by,Approved on\n"
    "7,20/11/2026 09:00:01,20/11/2026 09:02:13,anonymous,,X (Twitter),@New_Parent,"
    "Parent or carer,S001,21/11/2026\n"
)
GOOGLE_FORMS = (
    "Timestamp,Email Address,Platform,Username,Relationship to the school,Approved by,"
    "Approved on\n"
    "20/11/2026 09:02:13,someone@example.org,X,new_parent,Parent,S001,21/11/2026 10:00:00\n"
)


@pytest.fixture
def school(tmp_path):
    folder = tmp_path / "school"
    shutil.copytree(base_dir(), folder)
    account = folder / "accounts" / "main.yaml"
    text = account.read_text("utf-8").replace(
        "following:", '  - {handle: "@new_parent", category: unknown}\nfollowing:', 1
    )
    account.write_text(text, "utf-8")
    return folder


def _check(run_cli, folder):
    return run_cli("check", str(folder), "--as-of", "2026-11-21", "--format", "json")


@pytest.mark.parametrize(("mapping", "csv"), [("microsoft-forms", MS_FORMS),
                                               ("google-forms", GOOGLE_FORMS)])  # fmt: skip
def test_a_form_export_approves_the_followers(run_cli, tmp_path, school, mapping, csv):
    before = _check(run_cli, school)
    assert before.code == 1 and "SS221" in before.out and "SS224" in before.out
    responses = tmp_path / "responses.csv"
    responses.write_text(csv, "utf-8")
    into = school / "approvals.yaml"
    ran = run_cli("import", "approvals-csv", str(responses), "--mapping", mapping,
                  "--into", str(into))  # fmt: skip
    assert ran.code == 0, ran.err
    record = yamlio.parse(into.read_text("utf-8"), "x")["approvals"][0]
    assert record["platform"] == "x" and record["category"] == "parent"
    assert record["on"] == "2026-11-21" and record["approved_by"] == "S001"
    assert record["form"].startswith(("MSF-", "GF-"))
    after = _check(run_cli, school)
    assert after.code == 0, after.out
    # the same responses again change nothing
    written = into.read_bytes()
    again = run_cli("import", "approvals-csv", str(responses), "--mapping", mapping,
                    "--into", str(into))  # fmt: skip
    assert again.code == 0 and into.read_bytes() == written


def test_an_approval_without_an_approver_still_flags(run_cli, tmp_path, school):
    responses = tmp_path / "responses.csv"
    responses.write_text(MS_FORMS.replace(",S001,21/11/2026", ",,"), "utf-8")
    ran = run_cli("import", "approvals-csv", str(responses), "--mapping", "microsoft-forms",
                  "--into", str(school / "approvals.yaml"))  # fmt: skip
    assert ran.code == 0, ran.err
    after = _check(run_cli, school)
    assert after.code == 1 and "SS221" in after.out and "SS224" not in after.out


def _refused(run_cli, tmp_path, csv, mapping="microsoft-forms"):
    responses = tmp_path / "responses.csv"
    responses.write_text(csv, "utf-8")
    ran = run_cli("import", "approvals-csv", str(responses), "--mapping", mapping,
                  "--into", str(tmp_path / "approvals.yaml"))  # fmt: skip
    assert ran.code == 2 and "Traceback" not in ran.err
    return ran.err


def test_a_mapping_without_a_required_column(tmp_path, run_cli):
    mapping = tmp_path / "mine.yaml"
    mapping.write_text("kind: approvals\ncolumns:\n  platform: Platform\n", "utf-8")
    err = _refused(run_cli, tmp_path, MS_FORMS, str(mapping))
    assert "which column holds 'handle'" in err


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("Username", "Handle", "no column 'Username', which microsoft-forms reads as handle"),
        ("X (Twitter)", "Myspace", "row 2, column F (Platform, read as platform)"),
        ("21/11/2026\n", "Nov 21 2026\n", "row 2, column J (Approved on)"),
    ],
    ids=["missing column", "bad value", "date in another format"],
)
def test_a_bad_form_export_is_named_by_row_and_column(run_cli, tmp_path, old, new, said):
    assert said in _refused(run_cli, tmp_path, MS_FORMS.replace(old, new))


def test_an_mis_consent_report(run_cli, tmp_path):
    report = tmp_path / "consent-report.csv"
    report.write_text(
        "UPN,Consent Scope,Response,Date Given,Expiry Date\n"
        "P001,social_restricted;website,Granted,01/09/2026,\n"
        "P002,social_public,Not Granted,02/09/2026,\n",
        "utf-8",
    )
    into = tmp_path / "consent.yaml"
    ran = run_cli("import", "consent-csv", str(report), "--mapping", "mis-consent",
                  "--into", str(into))  # fmt: skip
    assert ran.code == 0, ran.err
    records = yamlio.parse(into.read_text("utf-8"), "x")["consent"]
    assert records[0] == {"pupil": "P001", "scopes": ["social_restricted", "website"],
                          "state": "granted", "given_on": "2026-09-01"}  # fmt: skip
    assert records[1]["state"] == "refused"
    assert "no column 'Date Withdrawn' (withdrawn_on): not read" in ran.out


def test_a_mapping_of_another_kind_is_refused(run_cli, tmp_path):
    report = tmp_path / "r.csv"
    report.write_text("UPN\nP001\n", "utf-8")
    ran = run_cli("import", "pupils-csv", str(report), "--mapping", "mis-consent",
                  "--into", str(tmp_path / "pupils.yaml"))  # fmt: skip
    assert ran.code == 2 and "consent records" in ran.err
