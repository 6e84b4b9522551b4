"""`check --shard I/N` and `merge`: N shards merged give what one run over the fleet gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from safesocial import reporters
from safesocial.findings import Severity
from safesocial.reporters.base import Options
from safesocial.running import pipeline
from safesocial.running import shards as shard_reports
from tests import coverage_cases
from tests.conftest import EXAMPLES, ROOT

AS_OF = "2026-11-21"
FORMATS = sorted(name for name, cls in reporters.REPORTERS.items() if not cls.binary)


@pytest.fixture
def fleet(tmp_path) -> Path:
    """The examples twice over, in two districts: eight schools to share out."""
    folder = tmp_path / "fleet"
    for district in ("north", "south"):
        shutil.copytree(EXAMPLES, folder / district)
    return folder


def outputs(tmp_path: Path, tag: str) -> list[str]:
    return [a for fmt in FORMATS for a in ("-o", f"{fmt}:{tmp_path / f'{tag}.{fmt}'}")]


def read(tmp_path: Path, tag: str) -> dict[str, str]:
    return {fmt: (tmp_path / f"{tag}.{fmt}").read_text("utf-8") for fmt in FORMATS}


def run_shards(run_cli, fleet: Path, tmp_path: Path, count: int, *extra: str) -> list[str]:
    made = []
    for index in range(1, count + 1):
        path = tmp_path / f"shard-{index}.json"
        ran = run_cli("check", str(fleet), "--as-of", AS_OF, "-j1", "--shard", f"{index}/{count}",
                      "-o", f"json:{path}", *extra)  # fmt: skip
        assert ran.code in (0, 1, 2), ran.err
        made.append(str(path))
    return made


def test_every_school_is_in_exactly_one_shard_and_always_the_same(fleet):
    every = pipeline.find_folders([str(fleet)])
    for count in (1, 2, 3, 5):
        parts = [pipeline.find_folders([str(fleet)], (i, count)) for i in range(1, count + 1)]
        assert sorted(f for part in parts for f in part) == sorted(every)
    # By the folder's path below the fleet: pinned, because a change would move schools
    # between CI machines (and their caches).
    assert pipeline.shard_of("north/drift-primary", 4) == 3
    assert pipeline.shard_of("south/clean-primary", 4) == 2


def test_a_new_school_moves_no_other(fleet):
    before = pipeline.find_folders([str(fleet)], (2, 3))
    shutil.copytree(fleet / "north" / "drift-primary", fleet / "north" / "new-school")
    after = pipeline.find_folders([str(fleet)], (2, 3))
    assert [f for f in after if f[0].name != "new-school"] == before


@pytest.mark.parametrize("count", [1, 2, 3])
def test_merged_shards_give_what_one_run_gives(run_cli, fleet, tmp_path, count):
    whole = run_cli("check", str(fleet), "--as-of", AS_OF, "-j1", "--no-color",
                    *outputs(tmp_path, "whole"))  # fmt: skip
    made = run_shards(run_cli, fleet, tmp_path, count)
    merged = run_cli("merge", *reversed(made), "--no-color", *outputs(tmp_path, "merged"))
    assert merged.code == whole.code == 1, merged.err
    one, joined = read(tmp_path, "whole"), read(tmp_path, "merged")
    assert joined == one
    findings = [f for s in json.loads(one["json"])["schools"] for f in s["findings"]]
    assert len(findings) > 20


def test_merge_keeps_the_exit_code_of_findings(run_cli, tmp_path):
    fleet = tmp_path / "fleet"
    for name in ("drift-primary", "clean-primary", "followback-secondary"):
        shutil.copytree(EXAMPLES / name, fleet / name)
    whole = run_cli("check", str(fleet), "--as-of", AS_OF, "-j1")
    made = run_shards(run_cli, fleet, tmp_path, 2)
    assert run_cli("merge", *made).code == whole.code == 1
    assert run_cli("merge", *made, "--fail-on", "never").code == 0


def test_a_missing_or_repeated_shard_is_refused(run_cli, fleet, tmp_path):
    made = run_shards(run_cli, fleet, tmp_path, 3)
    missing = run_cli("merge", made[0], made[2])
    assert missing.code == 2 and "shard 2 of 3 missing" in missing.err
    twice = run_cli("merge", made[0], made[0], made[1], made[2])
    assert twice.code == 2 and "given twice" in twice.err


def test_reports_of_different_runs_are_refused(run_cli, fleet, tmp_path):
    made = run_shards(run_cli, fleet, tmp_path, 2)
    other = tmp_path / "other.json"
    run_cli("check", str(fleet), "--as-of", "2026-11-22", "-j1", "--shard", "2/2",
            "-o", f"json:{other}")  # fmt: skip
    ran = run_cli("merge", made[0], str(other))
    assert ran.code == 2 and "as_of" in ran.err


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda text: text[:-40], ":"),  # cut short: not JSON, at a line and column
        (
            # The value is not repeated (schema errors never quote what was typed); the
            # place and the expected form are.
            lambda text: text.replace('"severity": "error"', '"severity": "fatal"', 1),
            "must be one of: error, warning, info",
        ),
        (lambda text: text.replace('"fingerprint": "', '"fingerprint": "zz', 1), "fingerprint"),
        (lambda text: "[]", "not a safesocial JSON report"),
    ],
    ids=["truncated", "bad-severity", "bad-fingerprint", "not-a-report"],
)
def test_a_bad_report_is_exit_2_with_where(run_cli, fleet, tmp_path, damage, said):
    made = run_shards(run_cli, fleet, tmp_path, 2)
    path = Path(made[1])
    path.write_text(damage(path.read_text("utf-8")), encoding="utf-8")
    ran = run_cli("merge", *made)
    assert ran.code == 2 and said in ran.err
    assert ran.err.startswith(f"safesocial: error: {path.as_posix()}:"), ran.err
    assert "Traceback" not in ran.err


def test_a_schema_problem_is_said_at_its_line(run_cli, fleet, tmp_path):
    made = run_shards(run_cli, fleet, tmp_path, 1)
    path = Path(made[0])
    lines = path.read_text("utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if '"severity": ' in line)
    lines[at] = lines[at].replace('"severity": ', '"severity": 7, "x": ')
    path.write_text("\n".join(lines), encoding="utf-8")
    ran = run_cli("merge", *made)
    assert ran.code == 2 and f"{path.as_posix()}:{at + 1}:" in ran.err


@pytest.mark.parametrize("value", ["0/2", "3/2", "2", "a/b", "1/0"])
def test_a_bad_shard_is_a_usage_error(run_cli, fleet, tmp_path, value):
    ran = run_cli("check", str(fleet), "--shard", value, "-o", f"json:{tmp_path / 'r.json'}")
    assert ran.code == 2 and "--shard" in ran.err


def test_a_shard_writes_its_json_report_and_takes_no_baseline(run_cli, fleet, tmp_path):
    assert "needs --output json" in run_cli("check", str(fleet), "--shard", "1/2").err
    base = tmp_path / "baseline.json"
    run_cli("baseline", "create", str(fleet), "-o", str(base), "--as-of", AS_OF)
    ran = run_cli("check", str(fleet), "--shard", "1/2", "-o", f"json:{tmp_path / 'r.json'}",
                  "--baseline", str(base))  # fmt: skip
    assert ran.code == 2 and "--baseline" in ran.err


def test_merge_applies_a_baseline_to_the_whole_run(run_cli, tmp_path):
    fleet = tmp_path / "fleet"
    for name in ("drift-primary", "followback-secondary"):
        shutil.copytree(EXAMPLES / name, fleet / name)
    base = tmp_path / "baseline.json"
    assert run_cli("baseline", "create", str(fleet), "-o", str(base), "--as-of", AS_OF).code == 0
    whole = tmp_path / "whole.json"
    run_cli("check", str(fleet), "--as-of", AS_OF, "-j1", "--baseline", str(base),
            "-o", f"json:{whole}")  # fmt: skip
    merged = tmp_path / "merged.json"
    ran = run_cli("merge", *run_shards(run_cli, fleet, tmp_path, 2), "--baseline", str(base),
                  "-o", f"json:{merged}")  # fmt: skip
    assert ran.code == 0
    assert merged.read_text("utf-8") == whole.read_text("utf-8")
    assert json.loads(merged.read_text("utf-8"))["baseline"]["known"] > 0


def test_the_ci_templates_run_every_shard_then_merge():
    github = yaml.safe_load((ROOT / "ci-templates" / "github-actions-matrix.yml").read_text())
    shards_at = github["jobs"]["shard"]["strategy"]["matrix"]["shard"]
    assert shards_at == list(range(1, int(github["env"]["SHARDS"]) + 1))
    steps = " ".join(str(s.get("run", "")) for s in github["jobs"]["shard"]["steps"])
    assert '--shard "$SHARD/$SHARDS"' in steps and "json:shard-$SHARD.json" in steps
    merging = " ".join(str(s.get("run", "")) for s in github["jobs"]["merge"]["steps"])
    assert "safesocial merge shards/shard-*.json" in merging
    assert github["jobs"]["merge"]["needs"] == "shard"

    gitlab = yaml.safe_load((ROOT / "ci-templates" / "gitlab-parallel-matrix.yml").read_text())
    matrix = gitlab["safesocial-shard"]["parallel"]["matrix"][0]["SHARD"]
    assert matrix == [str(i) for i in range(1, int(gitlab["variables"]["SHARDS"]) + 1)]
    assert any("--shard" in line for line in gitlab["safesocial-shard"]["script"])
    assert any("safesocial merge" in line for line in gitlab["safesocial-merge"]["script"])
    assert gitlab["safesocial-merge"]["needs"] == ["safesocial-shard"]


def test_merge_needs_the_configuration_the_shards_used(run_cli, fleet, tmp_path, monkeypatch):
    (fleet / "safesocial.yaml").write_text("ignore: [SS101]\n", encoding="utf-8")
    made = run_shards(run_cli, fleet, tmp_path, 2)
    monkeypatch.chdir(tmp_path)  # no safesocial.yaml here: every built-in rule
    ran = run_cli("merge", *made)
    assert ran.code == 2 and "--config" in ran.err
    assert run_cli("merge", *made, "--config", str(fleet / "safesocial.yaml")).code in (0, 1)


def test_an_empty_shard_is_a_valid_report_and_merges(run_cli, fleet, tmp_path):
    count = 12  # more shards than schools: some are empty
    empty = next(
        i for i in range(1, count + 1) if not pipeline.find_folders([str(fleet)], (i, count))
    )
    made = run_shards(run_cli, fleet, tmp_path, count)
    report = json.loads(Path(made[empty - 1]).read_text("utf-8"))
    assert report["schools"] == [] and report["shard"] == {"index": empty, "count": count}
    whole = run_cli("check", str(fleet), "--as-of", AS_OF, "-j1")
    assert run_cli("merge", *made).code == whole.code


@pytest.mark.parametrize(
    "gaps",
    [
        (coverage_cases.BROKEN, coverage_cases.PARTLY, coverage_cases.RECORDS),
        (coverage_cases.PARTLY, coverage_cases.BROKEN, coverage_cases.RECORDS),
        (),
    ],
    ids=["not-checked-first", "partly-checked-first", "no-gaps"],
)
def test_a_report_read_back_gives_every_format_as_the_run(tmp_path, gaps):
    """Gaps, stale accounts and findings survive the JSON report, in their order."""
    findings = (coverage_cases.finding(), coverage_cases.finding(severity=Severity.WARNING))
    run = coverage_cases.run(coverage_cases.school(gaps, findings))
    path = tmp_path / "report.json"
    path.write_text(reporters.make("json", Options()).render(run, {}), encoding="utf-8")
    back = shard_reports.read_report(path).result
    for fmt in FORMATS:
        made = reporters.make(fmt, Options())
        assert made.render(back, {}) == made.render(run, {}), fmt
    assert [f.fingerprint for f in back.findings] == [f.fingerprint for f in run.findings]
