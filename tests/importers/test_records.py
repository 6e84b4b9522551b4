"""consent-csv and pupils-csv: the MIS's CSV, in the one layout the loader reads, merged
into consent.yaml and pupils.yaml; problems reported by row and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from safesocial.documents import csvfile, yamlio
from safesocial.errors import ImportProblem, InputProblem
from safesocial.findings import Location
from safesocial.importers.mapping import load, read_mapped
from safesocial.model import loader
from tests.conftest import EXAMPLES

CONSENT = """\
# yaml-language-server: $schema=../schemas/consent.schema.json
# From the September photo consent forms.
consent:
  - {pupil: A1207, scopes: [internal, social_restricted], state: granted, given_on: "2026-09-03", notes: Paper form in the file}
  # Carer asked for internal use only.
  - {pupil: A1220, scopes: [internal], state: granted, given_on: "2026-09-04"}
"""  # noqa: E501

PUPILS = """\
pupils:
  - {ref: A1207, year_group: 2, date_of_birth: "2019-05-01"}
  - {ref: A0001, year_group: 6, left_on: "2026-07-20"}
"""


def folder(tmp_path: Path) -> Path:
    school = tmp_path / "school"
    school.mkdir()
    shutil.copy(EXAMPLES / "clean-primary" / "school.yaml", school / "school.yaml")
    shutil.copy(EXAMPLES / "clean-primary" / "policy.yaml", school / "policy.yaml")
    return school


def csv_file(tmp_path: Path, text: str, name: str = "mis-export.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_consent_csv_merges_and_keeps_hand_fields(run_cli, tmp_path):
    school = folder(tmp_path)
    (school / "consent.yaml").write_text(CONSENT, encoding="utf-8")
    export = csv_file(
        tmp_path,
        "pupil,scopes,state,given_on,withdrawn_on,informed_by\n"
        "A1207,internal;social_restricted,withdrawn,2026-09-03,2026-11-01,parent\n"
        "A1300,internal;website,granted,2026-09-10,,carer\n",
    )
    ran = run_cli("import", "consent-csv", str(export), "--into", str(school / "consent.yaml"))
    assert ran.code == 0, ran.err
    text = (school / "consent.yaml").read_text("utf-8")
    doc = yamlio.parse(text, "consent.yaml")
    first = doc["consent"][0]
    # Updated in place from the CSV, and the hand-typed note kept.
    assert first["state"] == "withdrawn" and first["withdrawn_on"] == "2026-11-01"
    assert first["notes"] == "Paper form in the file" and first["informed_by"] == "parent"
    # A record the CSV does not hold stays: consent records are history.
    assert doc["consent"][1]["pupil"] == "A1220"
    assert doc["consent"][2] == {
        "pupil": "A1300",
        "scopes": ["internal", "website"],
        "state": "granted",
        "given_on": "2026-09-10",
        "informed_by": "carer",
    }
    assert "# Carer asked for internal use only." in text
    assert "1 added, 1 updated, 0 unchanged" in ran.out
    assert "state granted -> withdrawn" in ran.out
    loaded = loader.load_school(school, "school")
    assert loaded.problems == []
    again = run_cli("import", "consent-csv", str(export), "--into", str(school / "consent.yaml"))
    assert again.code == 0 and "already up to date" in again.out
    assert (school / "consent.yaml").read_text("utf-8") == text


def test_pupils_csv_creates_the_register_and_keeps_leavers(run_cli, tmp_path):
    school = folder(tmp_path)
    export = csv_file(tmp_path, "ref,year_group,date_of_birth\nA1207,3,2019-05-01\n")
    into = school / "pupils.yaml"
    ran = run_cli("import", "pupils-csv", str(export), "--into", str(into))
    assert ran.code == 0, ran.err
    assert yamlio.parse(into.read_text("utf-8"), "p")["pupils"] == [
        {"ref": "A1207", "year_group": 3, "date_of_birth": "2019-05-01"}
    ]
    into.write_text(PUPILS, encoding="utf-8")
    ran = run_cli("import", "pupils-csv", str(export), "--into", str(into), "--dry-run")
    assert ran.code == 0 and "year_group 2 -> 3" in ran.out and "Dry run" in ran.out
    assert into.read_text("utf-8") == PUPILS
    run_cli("import", "pupils-csv", str(export), "--into", str(into))
    pupils = yamlio.parse(into.read_text("utf-8"), "p")["pupils"]
    assert pupils[1] == {"ref": "A0001", "year_group": 6, "left_on": "2026-07-20"}


def test_the_loader_reads_the_same_csv_layout(tmp_path):
    # One layout: a CSV the importer takes is a consent.csv the loader takes, and vice versa.
    school = folder(tmp_path)
    shutil.copy(EXAMPLES / "clean-primary" / "consent.csv", school / "consent.csv")
    assert loader.load_school(school, "school").problems == []


def test_both_csv_readers_place_rows_and_list_items_in_the_file(tmp_path):
    # The loader's CSV reader and the column-mapping reader build one document shape
    # (csvfile.records_document, array_cell): a row at its line, past a blank one, and each
    # item of a list cell at its cell (the loader by character, a mapping by column number).
    text = "pupil,scopes,state\nA1,internal;website,granted\n\nA2,press,refused\n"
    export = csv_file(tmp_path, text)
    read = csvfile.read_csv(export, "c.csv", "consent", "consent.schema.json")["consent"]
    mapping = tmp_path / "same-names.yaml"
    mapping.write_text("kind: consent\ncolumns: {pupil: pupil, scopes: scopes, state: state}\n")
    mapped, _ = read_mapped(load(str(mapping)), export, "c.csv")
    rows = [
        {"pupil": "A1", "scopes": ["internal", "website"], "state": "granted"},
        {"pupil": "A2", "scopes": ["press"], "state": "refused"},
    ]
    assert list(read) == mapped == rows
    assert [read.loc(i).line for i in (0, 1)] == [2, 4]
    assert [read[0]["scopes"].loc(i) for i in (0, 1)] == [Location("c.csv", 2, 4)] * 2
    assert [mapped[0]["scopes"].loc(i) for i in (0, 1)] == [Location("c.csv", 2, 2)] * 2
    assert mapped[1].loc("state") == Location("c.csv", 4, 3)


def test_both_csv_readers_say_a_broken_row_at_the_line_it_starts(tmp_path):
    # Line 2's quoted note spans lines 2 and 3, so the unclosed quote is in the row of line 4.
    text = 'pupil,state,notes\nA1,granted,"two\nlines"\nA2,"granted\n'
    export = csv_file(tmp_path, text)
    with pytest.raises(InputProblem) as loaded:
        csvfile.read_csv(export, "c.csv", "consent", "consent.schema.json")
    assert loaded.value.location == Location("c.csv", 4, 1)
    mapping = tmp_path / "same-names.yaml"
    mapping.write_text("kind: consent\ncolumns: {pupil: pupil, state: state}\n")
    with pytest.raises(ImportProblem, match=r"^c\.csv: row 4: CSV: "):
        read_mapped(load(str(mapping)), export, "c.csv")


def test_example_csv_imports_cleanly(run_cli, tmp_path):
    school = folder(tmp_path)
    source = EXAMPLES / "clean-primary" / "consent.csv"
    ran = run_cli("import", "consent-csv", str(source), "--into", str(school / "consent.yaml"))
    assert ran.code == 0, ran.err
    assert "10 added" in ran.out
    school_loaded = loader.load_school(school, "school")
    assert school_loaded.problems == []
    assert len(school_loaded.school.consent) == 10


BAD = {
    "bad values": (
        "consent-csv",
        "pupil,state,given_on\nA1,grantd,2026-01-01\nA2,granted,2026-13-01\n",
        ["row 2, column B (state)", "did you mean 'granted'", "row 3, column C (given_on)"],
    ),
    "unknown column": (
        "consent-csv", "pupil,state,Forename\nA1,granted,Amy\n",
        ["row 1, column C ('Forename')", "CSV layouts"],
    ),
    "missing required column": ("consent-csv", "pupil,scopes\nA1,internal\n", ["'state'"]),
    "the other kind": (
        "consent-csv", "ref,year_group\nA1,3\n",
        ["pupils register", "safesocial import pupils-csv"],
    ),
    "duplicate rows": (
        "pupils-csv", "ref,year_group\nA1,3\nA2,3\nA1,4\n",
        ["rows 2 and 4", "pupil A1"],
    ),
    "unclosed quote": ("pupils-csv", 'ref,year_group\n"A1,3\n', ["mis-export.csv", "CSV"]),
    "not UTF-8": ("pupils-csv", None, ["not valid UTF-8"]),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_csv_is_refused_by_row_and_column(run_cli, tmp_path, case):
    fmt, text, words = BAD[case]
    school = folder(tmp_path)
    if text is None:
        export = tmp_path / "mis-export.csv"
        export.write_bytes("ref,year_group\nRenée,3\n".encode("latin-1"))
    else:
        export = csv_file(tmp_path, text)
    into = school / ("consent.yaml" if fmt == "consent-csv" else "pupils.yaml")
    ran = run_cli("import", fmt, str(export), "--into", str(into))
    assert ran.code == 2, ran.out
    assert not into.exists()
    assert "Traceback" not in ran.err
    for word in words:
        assert word in ran.err, ran.err


def test_into_must_be_the_file_safesocial_reads(run_cli, tmp_path):
    export = csv_file(tmp_path, "ref\nA1\n")
    ran = run_cli("import", "pupils-csv", str(export), "--into", str(tmp_path / "register.yaml"))
    assert ran.code == 2 and "pupils.yaml" in ran.err


def test_a_csv_twin_beside_the_yaml_is_refused(run_cli, tmp_path):
    school = folder(tmp_path)
    (school / "pupils.csv").write_text("ref\nA1\n", encoding="utf-8")
    export = csv_file(tmp_path, "ref\nA1\n")
    ran = run_cli("import", "pupils-csv", str(export), "--into", str(school / "pupils.yaml"))
    assert ran.code == 2 and "pupils.csv" in ran.err and "read only one" in ran.err


def test_a_zip_given_as_csv_is_refused(run_cli, tmp_path):
    export = tmp_path / "export.csv"
    export.write_bytes(b"PK\x03\x04 rest of a zip")
    ran = run_cli("import", "consent-csv", str(export), "--into", str(tmp_path / "consent.yaml"))
    assert ran.code == 2 and "zip" in ran.err


def test_name_column_is_warned_about(run_cli, tmp_path):
    school = folder(tmp_path)
    export = csv_file(tmp_path, "ref,name\nA1,Amy Example\n")
    ran = run_cli("import", "pupils-csv", str(export), "--into", str(school / "pupils.yaml"))
    assert ran.code == 0 and "data protection" in ran.out


def test_a_changed_record_keeps_the_comment_above_it(run_cli, tmp_path):
    school = folder(tmp_path)
    (school / "consent.yaml").write_text(CONSENT, encoding="utf-8")
    export = csv_file(tmp_path, "pupil,state,given_on\nA1220,withdrawn,2026-09-04\n")
    ran = run_cli("import", "consent-csv", str(export), "--into", str(school / "consent.yaml"))
    assert ran.code == 0, ran.err
    text = (school / "consent.yaml").read_text("utf-8")
    assert (
        "  # Carer asked for internal use only.\n  - {pupil: A1220, scopes: [internal], "
        'state: withdrawn, given_on: "2026-09-04"}\n' in text
    )
    assert "Comments that did not stay" not in ran.out
