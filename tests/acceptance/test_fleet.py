"""Fleet checks: many schools at once, in parallel, with the same answer as one by one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import AS_OF, EXAMPLES

SCHOOLS = ["clean-primary", "department-accounts", "drift-primary", "followback-secondary"]


@pytest.fixture(scope="module")
def trust(tmp_path_factory) -> Path:
    """A trust folder with schools at different depths, and one broken school."""
    root = tmp_path_factory.mktemp("trust")
    for index, name in enumerate(SCHOOLS):
        where = root / ("secondary" if "secondary" in name else "primary") / f"{index}-{name}"
        shutil.copytree(EXAMPLES / name, where)
    broken = root / "primary" / "9-broken"
    shutil.copytree(EXAMPLES / "clean-primary", broken)
    (broken / "policy.yaml").write_text("defaults:\n  official: [\n", "utf-8")
    return root


def run_json(run_cli, *args: str) -> tuple[int, dict]:
    ran = run_cli("check", *args, "--as-of", AS_OF, "-o", "json")
    return ran.code, json.loads(ran.out)


def test_every_school_is_found_at_any_depth(run_cli, trust):
    _, doc = run_json(run_cli, str(trust), "--jobs", "1")
    roots = [s["root"] for s in doc["schools"]]
    assert len(roots) == 5 and roots == sorted(roots)


def test_parallel_and_serial_give_identical_output(run_cli, trust):
    serial = run_cli("check", str(trust), "--as-of", AS_OF, "-o", "json", "--jobs", "1")
    parallel = run_cli("check", str(trust), "--as-of", AS_OF, "-o", "json", "--jobs", "2")
    assert serial.code == parallel.code == 2  # the broken school's input error
    assert serial.out == parallel.out


def test_the_fleet_is_the_union_of_single_schools(run_cli, trust):
    _, fleet = run_json(run_cli, str(trust), "--jobs", "2")
    by_root = {s["root"]: s for s in fleet["schools"]}
    for folder in sorted(p for p in trust.rglob("school.yaml")):
        _, single = run_json(run_cli, str(folder.parent), "--jobs", "1")
        (school,) = single["schools"]
        rel = folder.parent.relative_to(trust).as_posix()
        fleet_school = by_root[f"{trust.as_posix()}/{rel}"]
        strip = len(school["root"])
        assert [
            {
                **f,
                "location": f["location"]
                and {**f["location"], "path": f["location"]["path"][strip:]},
            }
            for f in school["findings"]
        ] == [
            {
                **f,
                "location": f["location"]
                and {**f["location"], "path": f["location"]["path"][len(fleet_school["root"]) :]},
            }
            for f in fleet_school["findings"]
        ]


def test_a_broken_school_is_reported_and_the_others_are_checked(run_cli, trust):
    code, doc = run_json(run_cli, str(trust))
    assert code == 2
    broken = next(s for s in doc["schools"] if s["root"].endswith("9-broken"))
    assert {f["rule_id"] for f in broken["findings"]} == {"IN001"}
    drift = next(s for s in doc["schools"] if s["root"].endswith("drift-primary"))
    assert "SS101" in {f["rule_id"] for f in drift["findings"]}


def test_no_progress_bar_when_piped(run_cli, trust):
    ran = run_cli("check", str(trust), "--as-of", AS_OF, "--jobs", "1")
    assert "checking schools" not in ran.err
