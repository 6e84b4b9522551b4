"""The account register and data too thin to judge: the gaps they leave in a school's
coverage (safesocial.running.coverage), each beside the finding that says the same thing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safesocial.model import Loaded, loader
from safesocial.packs import cases
from safesocial.running import coverage, judge
from safesocial.settings import Settings

SETTINGS = Settings(as_of=cases.CASE_AS_OF)
MAIN = "x:@BasePrimary"
FOLLOWER_RULES = ("SS221", "SS222", "SS223", "SS224", "SS226")


def _load(tmp_path: Path, files: dict) -> Loaded:
    cases.materialise(files, tmp_path)
    return loader.load_school(tmp_path, "school")


def _run(tmp_path: Path, files: dict, rules):
    loaded = _load(tmp_path, files)
    return loaded, judge.check_school(loaded, rules, SETTINGS)


def _gaps(loaded: Loaded, rules) -> list[tuple[str, tuple[str, ...]]]:
    return [(g.target, g.rules) for g in coverage.register_gaps(loaded.school, SETTINGS, rules)]


def test_the_clean_base_school_leaves_no_gap(tmp_path, builtin_rules):
    loaded, result = _run(tmp_path, {}, builtin_rules)
    assert coverage.register_gaps(loaded.school, SETTINGS, builtin_rules) == []
    assert coverage.stale_observations(loaded.school, SETTINGS) == []
    assert result.complete and result.findings == ()


SECOND = {"platform": "instagram", "handle": "@baseprimary", "kind": "official"}
REGISTERED = {"platform": "x", "handle": "@BasePrimary", "kind": "official"}

# name: (patches, the gaps as (target, rules), the finding that says the same)
SCENARIOS = {
    "no register at all": (
        {"policy.yaml": {"register": None}},
        [("account register", ("SS121", "SS122"))],
        "SS120",
    ),
    "a registered account with no file": (
        {"policy.yaml": {"register": [REGISTERED, SECOND]}},
        [("instagram:@baseprimary", ())],
        "SS122",
    ),
    "the only registered account's file is gone": (
        {"accounts/main.yaml": None},
        [(MAIN, ())],
        "SS122",
    ),
    "posts show pupils and there are no consent records": (
        {"consent.yaml": {"consent": []}},
        [(MAIN, ("SS601", "SS602", "SS606"))],
        "SS123",
    ),
    "posts show pupils and there is no consent file": (
        {"consent.yaml": None},
        [(MAIN, ("SS601", "SS602", "SS606"))],
        "SS123",
    ),
    "a protected account with no follower list": (
        {"accounts/main.yaml": {"followers": None}},
        [(MAIN, FOLLOWER_RULES)],
        "SS124",
    ),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_gap_comes_with_its_finding(tmp_path, builtin_rules, name):
    files, gaps, rule = SCENARIOS[name]
    loaded, result = _run(tmp_path, files, builtin_rules)
    assert _gaps(loaded, builtin_rules) == gaps
    [finding] = [f for f in result.findings if f.rule_id.startswith("SS12")]
    assert finding.rule_id == rule
    # Both point at the same line: the register entry, the post, the account.
    assert [g.location for g in result.coverage.gaps] == [finding.location]
    # The engine stores them: the school is not complete, so no all-clear.
    assert [g.target for g in result.coverage.gaps] == [g[0] for g in gaps]
    assert not result.complete


def test_a_gap_names_only_the_rules_that_would_have_run(tmp_path, builtin_rules):
    # With approval `manual`, follower-approved-by-form (SS221) never applies: it had
    # nothing to judge, so the gap does not list it.
    files = {
        "accounts/main.yaml": {"followers": None},
        "policy.yaml": {"defaults": {"official": {"followers": {"approval": "manual"}}}},
    }
    loaded = _load(tmp_path, files)
    [(target, ids)] = _gaps(loaded, builtin_rules)
    assert target == MAIN and "SS221" not in ids and "SS222" in ids


def test_no_rule_reading_the_data_means_no_gap(tmp_path, builtin_rules):
    loaded = _load(tmp_path, {"accounts/main.yaml": {"followers": None}})
    others = [r for r in builtin_rules if r.id not in FOLLOWER_RULES]
    assert coverage.register_gaps(loaded.school, SETTINGS, others) == []


def test_an_unreadable_account_file_keeps_the_gap_but_not_the_finding(tmp_path, builtin_rules):
    # The broken file may be the registered account's: its input problem says what is
    # wrong, the entry stays "not checked", and no finding claims the file is missing.
    _, result = _run(tmp_path, {"accounts/main.yaml": {"kind": "club"}}, builtin_rules)
    # Two gaps, both whole: the file that could not be read, and the entry it may be.
    [file_gap] = [g for g in result.coverage.gaps if g.target == "accounts/main.yaml"]
    assert file_gap.whole
    [gap] = [g for g in result.coverage.gaps if g.target != "accounts/main.yaml"]
    assert gap.target == MAIN and gap.whole and "could not be read" in gap.reason
    assert "SS122" not in {f.rule_id for f in result.findings}
    assert "IN002" in {f.rule_id for f in result.findings}


def test_an_unregistered_account_is_a_finding_not_a_gap(tmp_path, builtin_rules):
    _, result = _run(tmp_path, {"accounts/main.yaml": {"handle": "@PTA"}}, builtin_rules)
    ids = [f.rule_id for f in result.findings if f.rule_id.startswith("SS12")]
    # The file was checked (it is not on the register); the register's entry was not.
    assert sorted(ids) == ["SS121", "SS122"]
    assert [(g.target, g.whole) for g in result.coverage.gaps] == [(MAIN, True)]


def test_without_a_register_the_school_hears_it_once(tmp_path, builtin_rules):
    # An existing school with two accounts and no register: one finding, not one per
    # account, and one gap naming the rules that could not run; every account is checked.
    cases.materialise({"policy.yaml": {"register": None}}, tmp_path)
    main = tmp_path / "accounts" / "main.yaml"
    (tmp_path / "accounts" / "second.yaml").write_text(main.read_text("utf-8"), "utf-8")
    result = judge.check_school(loader.load_school(tmp_path, "s"), builtin_rules, SETTINGS)
    assert len(result.targets) == 2
    register = [f.rule_id for f in result.findings if f.rule_id in {"SS120", "SS121", "SS122"}]
    assert register == ["SS120"]
    [gap] = result.coverage.gaps
    assert gap.target == "account register" and gap.rules == ("SS121", "SS122")


def test_an_empty_register_and_no_accounts_is_complete(tmp_path, builtin_rules):
    loaded = _load(tmp_path, {"policy.yaml": {"register": []}, "accounts/main.yaml": None})
    assert coverage.register_gaps(loaded.school, SETTINGS, builtin_rules) == []


@pytest.mark.parametrize(
    ("observed", "days", "stale"),
    [
        ("2026-08-22", None, True),  # 91 days, the default 90
        ("2026-08-23", None, False),  # exactly 90
        ("2026-10-21", 30, True),  # the policy's 30 days, as settings-rechecked uses
        ("2026-10-22", 30, False),
    ],
)
def test_an_old_observation_is_stale_on_the_settings_review_period(
    tmp_path, builtin_rules, observed, days, stale
):
    files: dict = {"accounts/main.yaml": {"observed_on": observed}}
    if days:
        files["policy.yaml"] = {"accounts": {"main": {"settings_review_days": days}}}
    loaded, result = _run(tmp_path, files, builtin_rules)
    expected = [(MAIN, observed)] if stale else []
    assert coverage.stale_observations(loaded.school, SETTINGS) == expected
    assert list(result.coverage.stale) == expected
    # Judged as last recorded, not unchecked: a stale account is no gap.
    assert result.coverage.gaps == ()
    assert ("SS125" in {f.rule_id for f in result.findings}) is stale


def test_a_school_left_as_init_wrote_it_is_never_green(run_cli, tmp_path, builtin_rules):
    folder = tmp_path / "oakfield"
    assert run_cli("init", str(folder), "--yes", "--name", "Oakfield").code == 0
    ran = run_cli("check", str(folder), "--format", "json")
    assert ran.code != 0
    assert not [f for s in json.loads(ran.out)["schools"] for f in s["findings"]
                if f["category"] == "input"]  # fmt: skip
    result = judge.check_school(loader.load_school(folder, "oakfield"), builtin_rules, SETTINGS)
    assert not result.coverage.complete
    # protected is not filled in (so pupil-followers-match-audience, SS226, does not
    # apply), but the policy declares it protected: nobody can check who follows it.
    assert [(g.target, g.rules) for g in result.coverage.gaps] == [
        ("x:@Oakfield", FOLLOWER_RULES[:4])
    ]


@pytest.mark.parametrize(
    ("files", "raw"),
    [
        # Every record skipped as unreadable: the records are there, not absent.
        (
            {
                "consent.yaml": {"consent": [{"pupil": "P001"}]},
                "accounts/main.yaml": {"followers": []},
            },
            {},
        ),
        ({"accounts/main.yaml": {"followers": []}}, {"consent.yaml": "consent: [\n"}),
        ({}, {"policy.yaml": "defaults: {official: [\n"}),
    ],
    ids=["consent records unreadable", "consent file unreadable", "policy file unreadable"],
)
def test_an_unreadable_file_is_its_input_problem_not_thin_data(tmp_path, builtin_rules, files, raw):
    # Unreadable consent is not "no consent records", nor an unreadable policy "no
    # register": the input problem says what is wrong, and its own gap is the loader's
    # and engine's to report, not these.
    cases.materialise(files, tmp_path)
    for name, text in raw.items():
        (tmp_path / name).write_text(text, "utf-8")
    loaded = loader.load_school(tmp_path, "school")
    result = judge.check_school(loaded, builtin_rules, SETTINGS)
    assert loaded.problems
    assert coverage.register_gaps(loaded.school, SETTINGS, builtin_rules) == []
    assert not {f.rule_id for f in result.findings} & {"SS120", "SS123"}
