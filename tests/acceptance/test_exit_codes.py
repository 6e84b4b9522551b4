"""The command line's exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad input
or usage; and the `rules`, `explain` and `--version` commands."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from safesocial import __version__, checks
from safesocial.checks.base import AccountContext, Hit, obj_params
from safesocial.checks.declare import kind
from safesocial.documents import resources
from safesocial.packs import cases

AS_OF = "2026-11-21"
ACCOUNT = "accounts/main.yaml"


def school(folder: Path, patches: dict[str, Any] | None = None) -> Path:
    cases.materialise(patches or {}, folder)
    return folder


def clean(out: str, err: str) -> None:
    assert "Traceback" not in out + err


def test_a_clean_school_exits_0(tmp_path, run_cli):
    ran = run_cli("check", str(school(tmp_path / "s")), "--as-of", AS_OF)
    clean(ran.out, ran.err)
    assert ran.code == 0, ran.out
    assert "no findings" in ran.out


def test_an_error_finding_exits_1(tmp_path, run_cli):
    folder = school(tmp_path / "s", {ACCOUNT: {"protected": False}})
    ran = run_cli("check", str(folder), "--as-of", AS_OF)
    assert ran.code == 1, ran.out
    assert "SS101" in ran.out
    assert run_cli("check", str(folder), "--as-of", AS_OF, "--fail-on", "never").code == 0


def test_bad_input_exits_2_even_with_fail_on_never(tmp_path, run_cli):
    folder = school(tmp_path / "s")
    (folder / ACCOUNT).write_text("protected: yes\n", "utf-8")
    ran = run_cli("check", str(folder), "--as-of", AS_OF, "--fail-on", "never")
    clean(ran.out, ran.err)
    assert ran.code == 2


# ---- --fail-on, with a pack whose rules have one severity each ----------------------

SEVERITY_PACK = """\
pack: {id: severities, title: One rule per severity}
rules:
"""
SEVERITY_RULE = """\
  - id: {id}
    name: {name}
    title: {field} is not {value}
    severity: {severity}
    category: drift
    rationale: For tests.
    remediation: For tests.
    sources: [seed-002]
    check:
      kind: schema
      target: account
      schema: {{properties: {{account: {{properties: {{{field}: {{const: {value}}}}}}}}}}}
      at: account.{field}
      message: "{field} is not {value}"
"""
RULES = [
    ("TST001", "error", "protected", "true"),
    ("TST002", "warning", "mfa", "true"),
    ("TST003", "info", "auto_follow_back", "false"),
]


@pytest.fixture
def severity_pack(tmp_path, monkeypatch) -> None:
    """Only the three test rules are built in for this test."""
    body = "".join(
        SEVERITY_RULE.format(id=i, name=f"rule-{n}", severity=s, field=f, value=v)
        for n, (i, s, f, v) in enumerate(RULES)
    )
    pack = tmp_path / "severities.yaml"
    pack.write_text(SEVERITY_PACK + body, "utf-8")
    monkeypatch.setattr(resources, "builtin_packs", lambda: [pack])


BREAKS = {
    "nothing": {},
    "error": {"protected": False},
    "warning": {"mfa": False},
    "info": {"auto_follow_back": True},
}


@pytest.mark.parametrize(
    ("broken", "fail_on", "code"),
    [
        ("nothing", None, 0),
        ("nothing", "info", 0),
        ("error", None, 1),
        ("error", "error", 1),
        ("error", "warning", 1),
        ("error", "info", 1),
        ("error", "never", 0),
        ("warning", None, 0),
        ("warning", "error", 0),
        ("warning", "warning", 1),
        ("warning", "info", 1),
        ("warning", "never", 0),
        ("info", None, 0),
        ("info", "warning", 0),
        ("info", "info", 1),
        ("info", "never", 0),
    ],
)
def test_fail_on(tmp_path, run_cli, severity_pack, broken, fail_on, code):
    folder = school(tmp_path / "s", {ACCOUNT: BREAKS[broken]})
    args = ["check", str(folder), "--as-of", AS_OF, "--format", "json"]
    ran = run_cli(*args, *(["--fail-on", fail_on] if fail_on else []))
    clean(ran.out, ran.err)
    found = [f["severity"] for f in json.loads(ran.out)["schools"][0]["findings"]]
    assert found == ([] if broken == "nothing" else [broken])
    assert ran.code == code


def test_the_worst_finding_decides(tmp_path, run_cli, severity_pack):
    folder = school(tmp_path / "s", {ACCOUNT: {"mfa": False, "auto_follow_back": True}})
    assert run_cli("check", str(folder), "--as-of", AS_OF, "--fail-on", "warning").code == 1
    assert run_cli("check", str(folder), "--as-of", AS_OF).code == 0


# ---- usage errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--as-of", "2026-13-01"], "--as-of '2026-13-01' is not a date written YYYY-MM-DD"),
        (["--as-of", "2026-02-30"], "is not a date"),
        (["--as-of", "21/11/2026"], "is not a date"),
        (["--as-of", "20261121"], "is not a date"),
        (["--as-of", "tomorrow"], "is not a date"),
        (["--bogus"], "No such option"),
        (["--fail-on", "sometimes"], "Invalid value for '--fail-on'"),
        (["--format", "xml"], "Invalid value for '--output-format' / '--format'"),
    ],
)
def test_usage_errors_on_a_good_school(tmp_path, run_cli, args, words):
    ran = run_cli("check", str(school(tmp_path / "s")), *args)
    clean(ran.out, ran.err)
    assert ran.code == 2
    assert words in ran.err


def test_a_missing_path(tmp_path, run_cli):
    ran = run_cli("check", str(tmp_path / "nowhere"))
    clean(ran.out, ran.err)
    assert ran.code == 2
    assert "does not exist" in ran.err


def test_no_path_at_all_checks_here(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ran = run_cli("check")
    assert ran.code == 2
    assert "safesocial: error: .: no school folder here" in ran.err
    monkeypatch.chdir(school(tmp_path / "s"))
    assert run_cli("check", "--as-of", AS_OF).code == 0


def test_a_file_instead_of_a_folder(tmp_path, run_cli):
    folder = school(tmp_path / "s")
    ran = run_cli("check", str(folder / "school.yaml"))
    assert ran.code == 2
    assert "is a file" in ran.err


def test_a_folder_with_no_school(tmp_path, run_cli):
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    ran = run_cli("check", str(tmp_path / "empty"))
    clean(ran.out, ran.err)
    assert ran.code == 2
    assert "no school folder here (a folder holding school.yaml)" in ran.err
    assert ran.out == ""


def test_one_good_path_and_one_without_a_school(tmp_path, run_cli):
    (tmp_path / "empty").mkdir()
    ran = run_cli("check", str(school(tmp_path / "s")), str(tmp_path / "empty"), "--as-of", AS_OF)
    assert ran.code == 2
    assert "no school folder here" in ran.err


def test_an_unknown_command(run_cli):
    ran = run_cli("lint")
    assert ran.code == 2
    assert "No such command 'lint'" in ran.err


def test_a_broken_builtin_pack_stops_the_run(tmp_path, run_cli, monkeypatch):
    pack = tmp_path / "broken.yaml"
    pack.write_text("pack: {id: broken, title: Broken}\nrules: [{id: X}]\n", "utf-8")
    monkeypatch.setattr(resources, "builtin_packs", lambda: [pack])
    ran = run_cli("check", str(school(tmp_path / "s")), "--as-of", AS_OF)
    clean(ran.out, ran.err)
    assert ran.code == 2
    assert f"safesocial: error: {pack.as_posix()}:2:" in ran.err
    assert "invalid rule pack" in ran.err


# ---- --version, rules, explain --------------------------------------------------------


def test_version(run_cli):
    ran = run_cli("--version")
    assert ran.code == 0
    assert ran.out.strip() == f"safesocial, version {__version__}"


def test_python_dash_m_version():
    done = subprocess.run(
        [sys.executable, "-m", "safesocial", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout


def test_python_dash_m_exit_codes(tmp_path):
    folder = school(tmp_path / "s", {ACCOUNT: {"protected": False}})
    done = subprocess.run(
        [sys.executable, "-m", "safesocial", "check", str(folder), "--as-of", AS_OF],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "safesocial", "check", str(folder), "--as-of", "soon"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_help(run_cli):
    ran = run_cli("--help")
    assert ran.code == 0
    for command in ("check", "rules", "explain"):
        assert command in ran.out


def test_rules_text(run_cli, builtin_rules):
    ran = run_cli("rules")
    assert ran.code == 0
    lines = ran.out.splitlines()
    assert len(lines) == len(builtin_rules)
    assert lines[0].split()[:2] == [builtin_rules[0].id, builtin_rules[0].name]


def test_rules_json(run_cli, builtin_rules):
    ran = run_cli("rules", "--format", "json")
    assert ran.code == 0
    listed = json.loads(ran.out)
    assert [r["id"] for r in listed] == [r.id for r in builtin_rules]
    first = listed[0]
    for key in ("name", "title", "severity", "category", "rationale", "remediation", "sources"):
        assert first[key], key
    assert {"id", "title", "url"} <= set(first["sources"][0])


def test_rules_markdown(run_cli, builtin_rules):
    ran = run_cli("rules", "--format", "markdown")
    assert ran.code == 0
    lines = ran.out.splitlines()
    # A reference (docs/rules.md, tests/acceptance/test_rules_doc.py): a table, then a
    # section per rule.
    top = lines.index("| id | name | severity | category | title |")
    first = builtin_rules[0]
    assert lines[top + 2].startswith(f"| [{first.id}](#") and f"`{first.name}`" in lines[top + 2]
    assert sum(line.startswith("### ") for line in lines) == len(builtin_rules)


def test_rules_bad_format(run_cli):
    assert run_cli("rules", "--format", "html").code == 2


@pytest.mark.parametrize("name", ["SS101", "ss101", "protected-as-declared"])
def test_explain(run_cli, builtin_rules, name):
    rule = next(r for r in builtin_rules if r.id == "SS101")
    ran = run_cli("explain", name)
    assert ran.code == 0, ran.err
    assert ran.out.startswith(f"SS101  {rule.name}  ({rule.severity.value}")
    assert "Why it matters:" in ran.out
    assert rule.rationale.split()[0] in ran.out
    assert "What to do:" in ran.out
    assert "Sources:" in ran.out
    for source in rule.sources:
        assert f"[{source.id}] {source.title}" in ran.out
    assert "A failing example" in ran.out
    assert "A passing example" in ran.out
    assert "accounts/main.yaml:" in ran.out


def test_explain_an_unknown_rule(run_cli):
    ran = run_cli("explain", "NOPE")
    clean(ran.out, ran.err)
    assert ran.code == 2
    assert "no rule called 'NOPE'" in ran.err
    assert ran.out == ""


# ---- --as-of ------------------------------------------------------------------------


@kind(
    "test-observed-long-ago",
    "account",
    params=obj_params({"days": {"type": "integer"}}, required=("days",)),
)
def STALE(ctx: AccountContext, params: Mapping[str, Any]) -> Iterator[Hit]:
    """For tests: the account's state was observed more than `days` before --as-of."""
    account = ctx.account
    seen = date.fromisoformat(str(account.node["observed_on"]))
    if ctx.settings.as_of - seen > timedelta(days=int(params["days"])):
        yield Hit("the account was last observed too long ago", account.node.loc("observed_on"))


STALE_PACK = """\
pack: {id: stale, title: Dates}
rules:
  - id: TST010
    name: observed-long-ago
    title: The account's state is old
    severity: error
    category: records
    rationale: For tests.
    remediation: For tests.
    sources: [seed-002]
    check: {kind: test-observed-long-ago, days: 30}
"""


def test_as_of_changes_date_based_results(tmp_path, run_cli, monkeypatch):
    monkeypatch.setitem(checks.REGISTRY, STALE.name, STALE)
    pack = tmp_path / "stale.yaml"
    pack.write_text(STALE_PACK, "utf-8")
    monkeypatch.setattr(resources, "builtin_packs", lambda: [pack])
    folder = school(tmp_path / "s", {ACCOUNT: {"observed_on": "2026-11-01"}})
    assert run_cli("check", str(folder), "--as-of", "2026-12-01").code == 0
    late = run_cli("check", str(folder), "--as-of", "2026-12-02", "--format", "json")
    assert late.code == 1
    doc = json.loads(late.out)
    assert doc["as_of"] == "2026-12-02"
    assert [f["rule_id"] for f in doc["schools"][0]["findings"]] == ["TST010"]


def _date_boundaries() -> list[tuple[cases.Case, cases.Case]]:
    """Built-in cases of one rule with the same files, judged on different days."""
    found = []
    by_files: dict[tuple[str, str], list[cases.Case]] = {}
    for case in cases.all_cases():
        key = (case.rule, json.dumps(case.files, sort_keys=True))
        by_files.setdefault(key, []).append(case)
    for group in by_files.values():
        fail = next((c for c in group if c.expect == "fail"), None)
        ok = next((c for c in group if c.expect == "pass" and fail and c.as_of != fail.as_of), None)
        if fail and ok:
            found.append((fail, ok))
    return found


def test_as_of_changes_builtin_results(tmp_path, run_cli):
    pairs = _date_boundaries()
    if not pairs:
        pytest.skip("no built-in rule has cases that differ only in their date yet")
    for n, (fail, ok) in enumerate(pairs[:5]):
        folder = school(tmp_path / f"s{n}", dict(fail.files))

        def fired(day: date, folder: Path = folder, rule: str = fail.rule) -> bool:
            ran = run_cli("check", str(folder), "--as-of", day.isoformat(), "--format", "json")
            assert ran.code in (0, 1), ran.out + ran.err
            found = json.loads(ran.out)["schools"][0]["findings"]
            return any(f["rule_id"] == rule for f in found)

        assert fired(fail.as_of), fail.source
        assert not fired(ok.as_of), ok.source
