"""--output FORMAT[:PATH]: several reports in one run, atomic files, GitHub Actions' job
summary and annotations, and the usage errors (exit 2) for outputs that cannot work."""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from safesocial import reporters
from safesocial.atomic import write_atomic
from safesocial.reporters import output
from safesocial.reporters.sarif import SarifReporter
from tests.conftest import ROOT, Ran

AS_OF = "2026-11-21"
DRIFT = str(ROOT / "examples" / "drift-primary")
CLEAN = str(ROOT / "examples" / "clean-primary")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_several_outputs_in_one_run(tmp_path: Path, run_cli) -> None:
    (tmp_path / "out").mkdir()
    ran: Ran = run_cli(
        "check", DRIFT, "--as-of", AS_OF,
        "-o", "json:out/report.json", "-o", "sarif:out/report.sarif", "-o", "junit:report.xml",
        "-o", "markdown:summary.md", "-o", "github",
    )  # fmt: skip
    assert ran.code == 1, ran.err
    assert (
        json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))["summary"]["errors"] == 3
    )
    sarif = json.loads((tmp_path / "out" / "report.sarif").read_text("utf-8"))
    assert len(sarif["runs"][0]["results"]) == 5
    # Two of the five are warnings, below --fail-on error: not failed tests.
    assert ET.parse(tmp_path / "report.xml").getroot().get("failures") == "3"
    assert (tmp_path / "summary.md").read_text("utf-8").startswith("## ❌ safesocial")
    # The one output without a file went to the terminal: the annotations, nothing else.
    assert ran.out.startswith("::error file=")
    assert "Ashcombe Church of England" not in ran.out  # no text report


def test_text_on_the_terminal_by_default(run_cli) -> None:
    ran = run_cli("check", DRIFT, "--as-of", AS_OF)
    assert "SS101" in ran.out and not ran.out.startswith("::")


def test_files_are_replaced_whole(tmp_path: Path, run_cli) -> None:
    target = tmp_path / "report.sarif"
    target.write_text("old report\n", "utf-8")
    target.chmod(0o600)
    assert run_cli("check", CLEAN, "--as-of", AS_OF, "-o", "sarif:report.sarif").code == 0
    assert json.loads(target.read_text("utf-8"))["version"] == "2.1.0"
    # A report the school locked down stays locked down.
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.sarif"]  # no temp files


def test_a_failing_render_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:
    old = tmp_path / "report.sarif"
    old.write_text("the old report\n", "utf-8")

    def broken(self: SarifReporter, result: object, rules: object) -> str:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(SarifReporter, "render", broken)
    # The crash is reported (exit 2) rather than raised: see
    # tests/security/test_hostile_catalogue.py.
    assert run_cli("check", CLEAN, "--as-of", AS_OF, "-o", "sarif:report.sarif").code == 2
    assert old.read_text("utf-8") == "the old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.sarif"]


def test_a_failing_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "report.xml"
    old.write_text("<old/>\n", "utf-8")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        write_atomic(old, "<new>" + "x" * 100_000 + "</new>\n")
    assert old.read_text("utf-8") == "<old/>\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xml"]


def test_the_job_summary_is_appended_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:
    summary = tmp_path / "step_summary.md"
    summary.write_text("## an earlier step\n\n", "utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert run_cli("check", DRIFT, "--as-of", AS_OF).code == 1
    assert run_cli("check", CLEAN, "--as-of", AS_OF).code == 0
    text = summary.read_text("utf-8")
    assert text.startswith("## an earlier step\n\n## ❌ safesocial: 3 errors")
    assert "## ✅ safesocial: no findings" in text  # the second run added its own part


def test_github_actions_adds_annotations(monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    ran = run_cli("check", DRIFT, "--as-of", AS_OF)
    lines = ran.out.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == 5
    assert any("SS101" in line and not line.startswith("::") for line in lines)  # text too


def test_github_actions_annotations_are_not_doubled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    ran = run_cli("check", DRIFT, "--as-of", AS_OF, "-o", "github:annotations.txt")
    assert not any(line.startswith("::") for line in ran.out.splitlines())
    written = (tmp_path / "annotations.txt").read_text("utf-8")
    assert sum(line.startswith("::") for line in written.splitlines()) == 5


def test_outside_github_actions_nothing_is_added(run_cli) -> None:
    ran = run_cli("check", DRIFT, "--as-of", AS_OF, "-o", "json")
    json.loads(ran.out)  # nothing but the JSON


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "yaml"], "unknown format 'yaml'; known formats: "),
        (["-o", "sarif:"], "give a file after the colon"),
        (["-o", "json", "-o", "sarif"], "only one --output can go to standard output"),
        (["--reveal-names", "-o", "sarif:r.sarif"], "--reveal-names is only for a local HTML"),
        (["-o", "sarif:missing/dir/r.sarif"], "cannot write missing/dir/r.sarif"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, run_cli) -> None:
    ran = run_cli("check", DRIFT, "--as-of", AS_OF, *args)
    assert ran.code == 2
    assert message in ran.err
    assert "Traceback" not in ran.err


def test_every_format_is_listed_in_the_unknown_format_error(run_cli) -> None:
    ran = run_cli("check", DRIFT, "--as-of", AS_OF, "-o", "nope")
    assert all(name in ran.err for name in reporters.REPORTERS)


@pytest.mark.parametrize("name", sorted(n for n, r in reporters.REPORTERS.items() if r.binary))
def test_binary_formats_need_a_file(name: str, run_cli) -> None:
    ran = run_cli("check", DRIFT, "--as-of", AS_OF, "-o", name)
    assert ran.code == 2
    assert f"--output {name} needs a file" in ran.err


def test_the_plan_adds_ci_outputs_once() -> None:
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": "/tmp/summary.md"}
    plan = output.plan(["sarif:r.sarif"], env, reveal=False)
    assert [(o.fmt, str(o.path) if o.path else None) for o in plan] == [
        ("sarif", "r.sarif"),
        ("markdown", "/tmp/summary.md"),
        ("github", None),
    ]
    assert [o.fmt for o in output.plan([], {"GITHUB_ACTIONS": "false"}, reveal=False)] == ["text"]


def test_the_ci_docs_quote_real_output() -> None:
    # Each excerpt in docs/ci.md is marked with the golden it comes from; every line of
    # it must still be in that golden, so the docs cannot drift from the reporters.
    doc = (ROOT / "docs" / "ci.md").read_text("utf-8")
    excerpts = re.findall(r"<!-- excerpt: (\S+) -->\n```\w*\n(.*?)```", doc, flags=re.S)
    assert len(excerpts) >= 4
    for source, block in excerpts:
        golden = {line.strip() for line in (ROOT / source).read_text("utf-8").splitlines()}
        missing = [line for line in block.splitlines() if line.strip() not in golden]
        assert not missing, f"docs/ci.md quotes {source}, which no longer has: {missing[0]}"


def test_with_a_baseline_sarif_marks_new_results_and_markdown_counts_known(
    tmp_path: Path, run_cli
) -> None:
    school = tmp_path / "school"
    shutil.copytree(ROOT / "examples" / "drift-primary", school)
    assert run_cli("baseline", "create", str(school), "--as-of", AS_OF, "-o", "base.json").code == 0
    account = school / "accounts" / "twitter.yaml"
    account.write_text(account.read_text("utf-8").replace("mfa: true", "mfa: false"), "utf-8")
    ran = run_cli(
        "check", str(school), "--as-of", AS_OF, "--baseline", "base.json",
        "-o", "sarif:r.sarif", "-o", "markdown",
    )  # fmt: skip
    assert "The baseline left out 5 known findings; 0 of its findings are fixed." in ran.out
    results = json.loads((tmp_path / "r.sarif").read_text("utf-8"))["runs"][0]["results"]
    assert results and {r["baselineState"] for r in results} == {"new"}
    assert not any(r["ruleId"] == "SS101" for r in results)
