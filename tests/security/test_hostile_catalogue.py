"""The catalogue of hostile inputs not covered elsewhere, each with its test and message.

Already covered (see there): alias bombs, recursive aliases, YAML tags that construct
objects, duplicate keys, over-size files, binary, invalid UTF-8 and UTF-16 files, tab
indentation, impossible dates written in a field, every syntax error
(tests/unit/test_loader_bad_input.py, tests/unit/test_yamlio.py); injection through every format
(tests/security/test_hostile_every_format.py); planted names (tests/security/test_privacy.py).

Here: nesting thousands deep, huge numbers, dates at the ends of the calendar, CRLF and
CR line endings, a byte-order mark, tabs inside lines, symbolic links out of the school
folder (rule packs with hostile patterns and references: tests/security/test_hostile_patterns.py),
binary files in accounts/, and a fault in one reporter or one rule.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from safesocial import reporters
from safesocial.cli import main
from safesocial.documents import yamlio
from safesocial.errors import RulePackError
from safesocial.model import loader
from safesocial.packs import cases, rules
from tests.conftest import ROOT

AS_OF = "2026-11-21"
ACCOUNT = "accounts/main.yaml"


def school(folder: Path, patches: dict[str, Any] | None = None) -> Path:
    cases.materialise(patches or {}, folder)
    return folder


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    """The CLI's JSON report: exit code, document, stderr. Never a traceback."""
    code = main(["check", *args, "--as-of", AS_OF, "--format", "json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, json.loads(out), err


def located(doc: dict[str, Any]) -> list[tuple[str, str, int, int, str]]:
    """(rule, file, line, column, message) of every finding, file relative to its school."""
    found = []
    for entry in doc["schools"]:
        for f in entry["findings"]:
            where = f["location"] or {"path": "", "line": 0, "column": 0}
            path = where["path"].removeprefix(entry["root"] + "/")
            found.append((f["rule_id"], path, where["line"], where["column"], f["message"]))
    return found


def inputs(doc: dict[str, Any]) -> list[tuple[str, str, int, int, str]]:
    return [f for f in located(doc) if f[0].startswith("IN")]


# ---- nesting thousands deep -----------------------------------------------------------

DEEP = 100_000


@pytest.mark.parametrize(
    ("shape", "text", "column"),
    [
        ("flow lists", "bio: " + "[" * DEEP + "]" * DEEP, 5 + yamlio.MAX_DEPTH),
        ("flow mappings", "bio: " + "{a: " * DEEP + "1" + "}" * DEEP, 5 + 4 * 63 + 1),
        ("block lists on one line", "bio:\n" + "- " * DEEP + "x", 2 * 63 + 1),
    ],
)
def test_nesting_thousands_deep_is_refused_where_it_goes_too_deep(
    tmp_path: Path, shape: str, text: str, column: int
) -> None:
    # Run in a child process: before the bound, libyaml's composer overflowed the C stack
    # at about 30,000 levels and the process died with SIGSEGV, taking pytest with it.
    folder = school(tmp_path / "s")
    (folder / ACCOUNT).write_text("platform: x\n" + text + "\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "safesocial", "check", str(folder), "--as-of", AS_OF],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    line = 2 if shape != "block lists on one line" else 3
    assert f"{ACCOUNT}:{line}:{column}" in done.stdout, done.stdout
    assert f"nested more than {yamlio.MAX_DEPTH} levels deep" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize("depth", [yamlio.MAX_DEPTH, yamlio.MAX_DEPTH + 1])
def test_the_depth_bound_is_exact(depth: int) -> None:
    # `depth` collections, the top-level one included; the same whether or not the text
    # is long enough to be walked as events first.
    for pad in ("", "#" * 20_000 + "\n"):
        text = pad + "[" * depth + "]" * depth
        if depth <= yamlio.MAX_DEPTH:
            assert yamlio.parse(text, "f") is not None
        else:
            with pytest.raises(yamlio.InputProblem, match="nested more than 64"):
                yamlio.parse(text, "f")


def test_deep_nesting_in_a_rule_pack_stops_the_run_with_its_line(tmp_path: Path) -> None:
    pack = tmp_path / "deep.yaml"
    pack.write_text("pack:\n  id: deep\n  title: t\nrules: " + "[" * 500 + "]" * 500 + "\n")
    with pytest.raises(RulePackError, match=r"deep.yaml:4:\d+: the data is nested more"):
        rules.load_pack(pack)


# ---- huge numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "old", "new", "words"),
    [
        ("pupils.yaml", "year_group: 4", f"year_group: {10**400}", "but it may be at most 14"),
        ("pupils.yaml", "year_group: 4", f"year_group: -{10**400}", "but it must be at least -2"),
        (
            "pupils.yaml",
            "year_group: 4",
            "year_group: 1.0e999",
            "should be a whole number, not inf",
        ),
        ("pupils.yaml", "year_group: 4", "year_group: 1e999", "whole number, not '1e999'"),
        ("pupils.yaml", "year_group: 4", "year_group: .nan", "whole number, not nan"),
        ("pupils.yaml", "year_group: 4", "year_group: " + "9" * 5000, "has 5,000 digits"),
        ("policy.yaml", "ex_pupil_min_age: 18", f"ex_pupil_min_age: {10**400}", "at most 25"),
    ],
)
def test_huge_numbers_are_input_errors_said_briefly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, old: str, new: str, words: str
) -> None:
    folder = school(tmp_path / "s")
    text = (folder / name).read_text("utf-8")
    line = text[: text.index(old)].count("\n") + 1
    (folder / name).write_text(text.replace(old, new, 1), "utf-8")
    code, doc, _ = check(capsys, str(folder))
    assert code == 2
    ((_, path, at, _, message),) = inputs(doc)
    assert (path, at) == (name, line), message
    assert words in message
    assert len(message) < 200  # the number is not repeated in full


def test_a_huge_number_in_a_csv_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = school(tmp_path / "s", {"pupils.yaml": None})
    (folder / "pupils.csv").write_text(f"ref,year_group\nP001,{'9' * 5000}\n", "utf-8")
    code, doc, _ = check(capsys, str(folder))
    assert code == 2
    ((_, path, line, _, message),) = inputs(doc)
    assert (path, line) == ("pupils.csv", 2)
    assert "should be a whole number" in message and len(message) < 200


def test_a_huge_number_in_the_configuration(tmp_path: Path, run_cli) -> None:
    folder = school(tmp_path / "s")
    (folder / "safesocial.yaml").write_text(f"thresholds:\n  ex_pupil_min_age: {10**400}\n")
    ran = run_cli("check", str(folder), "--as-of", AS_OF)
    assert ran.code == 2
    assert "safesocial.yaml:2:21" in ran.err and "at most 25" in ran.err  # at the value
    assert "Traceback" not in ran.err


# ---- dates at the ends of the calendar ------------------------------------------------


def _every_date(value: Any, day: str) -> Any:
    if isinstance(value, dict):
        return {k: _every_date(v, day) for k, v in value.items()}
    if isinstance(value, list):
        return [_every_date(v, day) for v in value]
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        return day
    return value


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_every_date_at_an_end_of_the_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], day: str
) -> None:
    base = cases.base_dir()
    patches = {
        p.relative_to(base).as_posix(): _every_date(
            cases._plain(yamlio.parse(p.read_text("utf-8"), p.name)), day
        )
        for p in base.rglob("*.yaml")
    }
    code, doc, _ = check(capsys, str(school(tmp_path / "s", patches)))
    # Real dates, if odd ones: every rule judges them, none fails on them.
    assert code in (0, 1)
    assert inputs(doc) == []


def test_a_rule_that_fails_is_reported_and_the_others_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Judged as of the year 1, date arithmetic in a few rules runs off the calendar:
    # each such rule is reported as IN900 (exit 2), and every other rule still runs.
    folder = school(tmp_path / "s", {ACCOUNT: {"protected": False}})
    code = main(["check", str(folder), "--as-of", "0001-01-01", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in out + err
    found = located(json.loads(out))
    assert any(rule == "IN900" and "failed on" in message for rule, *_, message in found)
    assert any(rule == "SS101" for rule, *_ in found)


# ---- line endings, byte-order marks and tabs ------------------------------------------


def _rewrite(folder: Path, change: Any, suffixes: tuple[str, ...]) -> None:
    for path in sorted(folder.rglob("*")):
        if path.suffix in suffixes:
            path.write_bytes(change(path.read_bytes()))


CHANGES = {
    "CRLF": lambda b: b.replace(b"\n", b"\r\n"),
    "CR only (old Mac)": lambda b: b.replace(b"\n", b"\r"),
    "UTF-8 byte-order mark": lambda b: b"\xef\xbb\xbf" + b,
    "BOM and CRLF (Windows Notepad)": lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"),
    "tabs after colons": lambda b: b.replace(b"protected: ", b"protected:\t"),
    "tabs after the text": lambda b: b.replace(b"\n", b"\t\n"),
}
# A tab after a closing quote is not CSV (the reader says so at its line): YAML only.
YAML_ONLY = {"tabs after the text"}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_the_same_findings_at_the_same_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: str
) -> None:
    patches = {ACCOUNT: {"protected": False}}
    plain = school(tmp_path / "plain", patches)
    changed = school(tmp_path / "changed", patches)
    consent = (
        'pupil,state,scopes,notes\nP001,granted,social_restricted,"two\nlines"\nP002,grantd,,\n'
    )
    for folder in (plain, changed):
        (folder / "consent.yaml").unlink()
        (folder / "consent.csv").write_text(consent, "utf-8")
    _rewrite(changed, CHANGES[change], (".yaml",) if change in YAML_ONLY else (".yaml", ".csv"))
    code, expected, _ = check(capsys, str(plain))
    again, got, _ = check(capsys, str(changed))
    assert (again, located(got)) == (code, located(expected))
    assert ("IN002", "consent.csv", 4, 6) in [f[:4] for f in located(got)]  # after a 2-line cell


# ---- symbolic links out of the school folder ------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the school that must never be read into a report."""
    secret = tmp_path / "elsewhere" / "id_rsa.yaml"
    secret.parent.mkdir()
    secret.write_text("private_key: SECRET-KEY-MATERIAL\nplatform: x\n", "utf-8")
    return secret


@pytest.mark.parametrize("name", [ACCOUNT, "accounts/extra.yaml", "pupils.yaml", "policy.yaml"])
def test_a_link_out_of_the_folder_is_refused_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outside: Path, name: str
) -> None:
    folder = school(tmp_path / "s")
    (folder / name).unlink(missing_ok=True)
    (folder / name).symlink_to(outside)
    code, doc, err = check(capsys, str(folder))
    assert code == 2
    assert (
        "IN001", name, 1, 1,
        f"{Path(name).name} is a symbolic link to a file outside the school folder; "
        "safesocial does not follow it: copy the file in instead",
    ) in inputs(doc)  # fmt: skip
    assert "SECRET" not in json.dumps(doc) + err
    assert "private_key" not in json.dumps(doc)


def test_a_linked_accounts_folder_outside_is_refused_file_by_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outside: Path
) -> None:
    folder = school(tmp_path / "s")
    (folder / ACCOUNT).unlink()
    (folder / "accounts").rmdir()
    (folder / "accounts").symlink_to(outside.parent, target_is_directory=True)
    code, doc, _ = check(capsys, str(folder))
    assert code == 2
    assert [f[:2] for f in inputs(doc)] == [("IN001", "accounts/id_rsa.yaml")]


def test_a_link_inside_the_folder_is_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = school(tmp_path / "s", {ACCOUNT: {"protected": False}})
    (folder / "records").mkdir()
    (folder / "pupils.yaml").rename(folder / "records" / "pupils.yaml")
    (folder / "pupils.yaml").symlink_to(Path("records") / "pupils.yaml")
    code, doc, _ = check(capsys, str(folder))
    assert code == 1 and inputs(doc) == []
    assert any(f[0] == "SS101" for f in located(doc))


def test_the_school_folder_itself_may_be_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = school(tmp_path / "real")
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    code, doc, _ = check(capsys, str(tmp_path / "linked"))
    assert code == 0 and inputs(doc) == []


# ---- binary files in accounts/ --------------------------------------------------------


def test_binary_files_in_accounts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = school(tmp_path / "s", {ACCOUNT: {"protected": False}})
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    (folder / "accounts" / "logo.png").write_bytes(png)  # not an account file: not read
    (folder / "accounts" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + bytes(64))
    (folder / "accounts" / "._main.yaml").write_bytes(b"\x00\x05\x16\x07" + bytes(80))  # macOS
    (folder / "accounts" / "latin1.yaml").write_bytes(b"platform: x\nbio: caf\xe9\n")
    code, doc, _ = check(capsys, str(folder))
    assert code == 2
    assert inputs(doc) == [
        ("IN001", "accounts/._main.yaml", 1, 1, "the file is binary, not text"),
        ("IN001", "accounts/latin1.yaml", 2, 9, "the file is not valid UTF-8; save it as UTF-8"),
    ]
    assert any(f[0] == "SS101" for f in located(doc))  # the real account is still checked


# ---- a fault in one reporter -----------------------------------------------------------

TEXT_FORMATS = sorted(n for n, cls in reporters.REPORTERS.items() if not cls.binary)


@pytest.mark.parametrize("broken", TEXT_FORMATS)
def test_a_crashing_reporter_does_not_take_the_others_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli, broken: str
) -> None:
    def crash(self: object, result: object, rules: object) -> str:
        raise KeyError("@secret_pupil_handle")  # an exception's text may hold input

    monkeypatch.setattr(reporters.REPORTERS[broken], "render", crash)
    monkeypatch.chdir(tmp_path)
    args = [arg for name in TEXT_FORMATS for arg in ("-o", f"{name}:out.{name}")]
    clean = str(ROOT / "examples" / "clean-primary")
    ran = run_cli("check", clean, "--as-of", AS_OF, *args)
    assert ran.code == 2  # clean files, but a report is missing: the run did not succeed
    assert f"the {broken} report could not be made (KeyError)" in ran.err
    assert f"({len(TEXT_FORMATS) - 1} of {len(TEXT_FORMATS)} reports were made)" in ran.err
    assert "secret_pupil_handle" not in ran.err and "Traceback" not in ran.err
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"out.{n}" for n in TEXT_FORMATS if n != broken)


def test_a_report_that_cannot_be_written_does_not_stop_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:
    monkeypatch.chdir(tmp_path)
    clean = str(ROOT / "examples" / "clean-primary")
    ran = run_cli(
        "check", clean, "--as-of", AS_OF, "-o", "sarif:missing/r.sarif", "-o", "json:r.json"
    )
    assert ran.code == 2
    assert "cannot write missing/r.sarif" in ran.err and "(1 of 2 reports were made)" in ran.err
    assert json.loads((tmp_path / "r.json").read_text("utf-8"))["summary"]["findings"] == 0


def test_a_broken_pipe_is_not_a_failed_report() -> None:
    # `safesocial check ... | head -1`: the reader goes away.
    clean = str(ROOT / "examples" / "clean-primary")
    script = textwrap.dedent(
        f"""
        import subprocess, sys
        p = subprocess.Popen([sys.executable, "-m", "safesocial", "check", {clean!r},
                              "--as-of", "{AS_OF}", "-o", "json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        p.stdout.close()
        sys.stdout.write(str(p.wait()) + " " + p.stderr.read().decode())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    code, _, err = done.stdout.partition(" ")
    # click ends a run whose reader went away with 1; what matters is that it is not
    # taken for a failed report (2), and that nothing is printed about it.
    assert code in ("0", "1") and err == "", err


def test_a_bug_met_on_one_file_is_reported_and_the_others_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from safesocial import model

    real = model.Pupil.build

    def build(node: Any) -> model.Pupil:
        if node.get("ref") == "P002":
            raise ValueError("P002 Amelia Hartley")  # as if a bug met this record
        return real(node)

    monkeypatch.setattr(model.Pupil, "build", build)
    folder = school(tmp_path / "s", {ACCOUNT: {"protected": False}})
    code, doc, _ = check(capsys, str(folder), "--jobs", "1")
    assert code == 2
    assert inputs(doc) == [
        (
            "IN001", "pupils.yaml", 1, 1,
            "safesocial could not read this file (ValueError); "
            "this is a bug in safesocial, please report it",
        )
    ]  # fmt: skip
    assert any(f[0] == "SS101" for f in located(doc))
    assert "Amelia" not in json.dumps(doc)


def test_loader_never_reads_through_a_link_even_when_asked_directly(
    tmp_path: Path, outside: Path
) -> None:
    folder = school(tmp_path / "s")
    (folder / ACCOUNT).unlink()
    (folder / ACCOUNT).symlink_to(outside)
    loaded = loader.load_school(folder, "s")
    assert loaded.school.accounts == []
    assert [p.location.path for p in loaded.problems] == [f"s/{ACCOUNT}"]
