"""safesocial.yaml: discovery, validation at file:line, select/ignore/severity, thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest

from safesocial.packs import cases
from safesocial.running import config
from tests.conftest import AS_OF


def school(folder: Path, patches: dict | None = None) -> Path:
    cases.materialise(patches or {}, folder)
    return folder


def write_config(folder: Path, text: str) -> Path:
    path = folder / "safesocial.yaml"
    path.write_text(text, "utf-8")
    return path


PUBLIC = {"accounts/main.yaml": {"protected": False, "settings_reviewed_on": "2026-01-01"}}


def test_discovery_finds_the_nearest_file_above(tmp_path):
    trust = tmp_path / "trust"
    folder = school(trust / "schools" / "a")
    write_config(trust, "fail_on: warning\n")
    assert config.discover(folder) == trust / "safesocial.yaml"
    write_config(folder, "fail_on: info\n")
    assert config.discover(folder) == folder / "safesocial.yaml"


def test_no_file_means_defaults(tmp_path):
    conf = config.load(None)
    assert conf.fail_on.value == "error" and conf.fail_on.source == "default"
    assert conf.settings(config.date(2026, 11, 21)).ex_pupil_min_age is None


def test_ignore_and_severity_change_the_run(tmp_path, run_cli):
    folder = school(tmp_path / "s", PUBLIC)
    before = run_cli("check", str(folder), "--as-of", AS_OF)
    assert "SS101" in before.out and "SS103" in before.out
    write_config(folder, "ignore: [SS103, SS602]\nseverity: {protected-as-declared: warning}\n")
    after = run_cli("check", str(folder), "--as-of", AS_OF)
    assert "SS103" not in after.out
    assert "warning SS101" in after.out
    assert after.code == 0  # its only error is now a warning


def test_select_by_category_and_prefix(tmp_path, run_cli):
    folder = school(tmp_path / "s", PUBLIC)
    write_config(folder, "select: [guidance]\n")
    ran = run_cli("check", str(folder), "--as-of", AS_OF)
    assert "SS103" in ran.out and "SS101" not in ran.out
    write_config(folder, "select: [SS10]\nignore: [SS103]\n")
    ran = run_cli("check", str(folder), "--as-of", AS_OF)
    assert "SS101" in ran.out and "SS103" not in ran.out


def test_fail_on_from_config_and_the_option_wins(tmp_path, run_cli):
    folder = school(tmp_path / "s", {"accounts/main.yaml": {"settings_reviewed_on": "2026-01-01"}})
    assert run_cli("check", str(folder), "--as-of", AS_OF).code == 0  # a warning only
    write_config(folder, "fail_on: warning\n")
    assert run_cli("check", str(folder), "--as-of", AS_OF).code == 1
    assert run_cli("check", str(folder), "--as-of", AS_OF, "--fail-on", "error").code == 0


def test_threshold_ex_pupil_min_age(tmp_path, run_cli):
    patches = {
        "staff-accounts.yaml": {
            "staff_accounts": [
                {
                    "staff": "S003",
                    "use": "personal",
                    "private": True,
                    "connections": [{"category": "ex_pupil", "pupil": "P900"}],
                }
            ]
        },
        # P900 turns 19 on 2026-03-01: old enough for 18, not for 20.
    }
    folder = school(tmp_path / "s", patches)
    assert "SS702" not in run_cli("check", str(folder), "--as-of", AS_OF).out
    write_config(folder, "thresholds: {ex_pupil_min_age: 20}\n")
    assert "SS702" in run_cli("check", str(folder), "--as-of", AS_OF).out


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        (
            "thresholds: {ex_pupil_age: 19}\n",
            "safesocial.yaml:1:14",
            "did you mean 'ex_pupil_min_age'",
        ),
        ("ignore: [SS1O3]\n", "safesocial.yaml:1:1", "matches no rule"),
        ("fail_on: sometimes\n", "safesocial.yaml:1:10", "must be one of"),
        ("select: drift\n", "safesocial.yaml:1:9", "should be a list"),
        ("packs: [missing.yaml]\n", "safesocial.yaml:1:9", "does not exist"),
        ("fail_on: yes\n", "safesocial.yaml:1:10", "must be one of"),
        ("a: 1\na: 2\n", "safesocial.yaml:2:1", "duplicate key"),
    ],
)
def test_a_bad_config_is_exit_2_at_its_line(tmp_path, run_cli, text, where, words):
    folder = school(tmp_path / "s")
    write_config(folder, text)
    ran = run_cli("check", str(folder), "--as-of", AS_OF)
    assert ran.code == 2
    assert where in ran.err and words in ran.err
    assert "Traceback" not in ran.err


def test_config_command_says_where_each_value_came_from(tmp_path, run_cli):
    folder = school(tmp_path / "s")
    path = write_config(folder, "fail_on: warning\nthresholds:\n  policy_review_months: 6\n")
    ran = run_cli("config", str(folder))
    assert ran.code == 0
    lines = {line.split()[0]: line for line in ran.out.splitlines()}
    assert f"({path.as_posix()}:1:1)" in lines["fail_on"]
    assert "6" in lines["thresholds.policy_review_months"]
    assert f"{path.as_posix()}:3:3" in lines["thresholds.policy_review_months"]
    assert "(default)" in lines["thresholds.training_valid_months"]


def test_explicit_config_option(tmp_path, run_cli):
    folder = school(tmp_path / "s", PUBLIC)
    other = tmp_path / "elsewhere.yaml"
    other.write_text("ignore: [SS101]\n", "utf-8")
    ran = run_cli("check", str(folder), "--as-of", AS_OF, "--config", str(other))
    assert "SS101" not in ran.out


def _review_row(out: str) -> str:
    [row] = [line for line in out.splitlines() if "settings_review_days [" in line]
    return row


@pytest.mark.parametrize(
    ("config_text", "days", "source", "fires"),
    [
        ("", "30", "policy.yaml:", True),  # the policy's 30: 40 days is too long
        ("thresholds: {settings_review_days: 60}\n", "60", "safesocial.yaml:1:", False),
        ("thresholds: {settings_review_days: 35}\n", "35", "safesocial.yaml:1:", True),
    ],
)
def test_config_shows_the_threshold_the_rule_uses(
    tmp_path, run_cli, config_text, days, source, fires
):
    patches = {
        "policy.yaml": {"defaults": {"official": {"settings_review_days": 30}}},
        "accounts/main.yaml": {"settings_reviewed_on": "2026-10-12"},  # 40 days before AS_OF
    }
    folder = school(tmp_path / "s", patches)
    if config_text:
        write_config(folder, config_text)
    shown = run_cli("config", str(folder)).out
    row = (
        _review_row(shown)
        if not config_text
        else next(
            line
            for line in shown.splitlines()
            if line.startswith("thresholds.settings_review_days")
        )
    )
    assert f" {days} " in row and f"({source}" in row.replace(str(folder) + "/", "")
    ran = run_cli("check", str(folder), "--as-of", AS_OF)
    assert ("SS103" in ran.out) is fires
    if fires:
        assert f"should be checked every {days} days" in ran.out
        # The policy's own number broken is drift; a configured one is guidance.
        assert ("[drift]" in ran.out.split("SS103", 1)[1].splitlines()[0]) is (not config_text)
