"""Custom rule packs: validate, test with their own cases, extend and override the built-ins."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from safesocial.documents import resources
from safesocial.errors import RulePackError
from safesocial.packs import cases, rules
from tests.conftest import AS_OF, EXAMPLES

TRUST = EXAMPLES / "trust-pack" / "oakwood.yaml"


def copy_pack(tmp_path: Path) -> Path:
    shutil.copytree(TRUST.parent, tmp_path / "pack")
    return tmp_path / "pack" / "oakwood.yaml"


def test_the_example_trust_pack_validates_and_its_cases_pass(run_cli):
    assert run_cli("pack", "validate", str(TRUST)).code == 0
    ran = run_cli("pack", "test", str(TRUST))
    assert ran.code == 0, ran.out
    assert ran.out.strip().endswith("8 passed, 0 failed")


def test_a_pack_with_a_broken_rule_is_refused_at_its_line(tmp_path, run_cli):
    pack = copy_pack(tmp_path)
    text = pack.read_text("utf-8").replace(
        "kind: schema\n      target: account\n      schema:\n"
        "        properties:\n          account:\n"
        "            properties:\n              platform:",
        "kind: shema\n      target: account\n      schema:\n"
        "        properties:\n          account:\n"
        "            properties:\n              platform:",
        1,
    )
    pack.write_text(text, "utf-8")
    ran = run_cli("pack", "validate", str(pack))
    assert ran.code == 2
    assert "did you mean 'schema'" in ran.err and "oakwood.yaml:" in ran.err


def test_a_failing_case_fails_pack_test(tmp_path, run_cli):
    pack = copy_pack(tmp_path)
    case = pack.parent / "cases" / "OLT003.yaml"
    case.write_text(case.read_text("utf-8").replace("expect: fail", "expect: pass"), "utf-8")
    ran = run_cli("pack", "test", str(pack))
    assert ran.code == 1
    assert "FAIL OLT003 pass: two admins" in ran.out
    assert "OLT003 has no failing case" in ran.out


def test_a_rule_without_cases_fails_pack_test(tmp_path, run_cli):
    pack = copy_pack(tmp_path)
    (pack.parent / "cases" / "OLT002.yaml").unlink()
    ran = run_cli("pack", "test", str(pack))
    assert ran.code == 1 and "OLT002 has no failing case" in ran.out


def test_override_replaces_the_builtin_rule():
    loaded = rules.load_rules([*resources.builtin_packs(), TRUST])
    (rule,) = [r for r in loaded if r.id == "SS501"]
    assert rule.pack == "oakwood-trust" and rule.severity.value == "error"
    assert len([r for r in loaded if r.id.startswith("OLT")]) == 3


def test_an_id_clash_without_override_is_an_error(tmp_path):
    pack = copy_pack(tmp_path)
    pack.write_text(pack.read_text("utf-8").replace("    override: true\n", ""), "utf-8")
    with pytest.raises(RulePackError, match=r"already used at .*override: true"):
        rules.load_rules([*resources.builtin_packs(), pack])


def test_a_trust_config_adds_the_pack_to_a_check(tmp_path, run_cli):
    trust = tmp_path / "trust"
    shutil.copytree(TRUST.parent, trust / "trust-pack")
    (trust / "safesocial.yaml").write_text("packs: [trust-pack/oakwood.yaml]\n", "utf-8")
    tiktok = {"platform": "tiktok", "handle": "@BasePrimary", "kind": "official"}
    cases.materialise(
        {"accounts/main.yaml": {"platform": "tiktok"}, "policy.yaml": {"register": [tiktok]}},
        trust / "schools" / "base",
    )
    ran = run_cli("check", str(trust), "--as-of", AS_OF)
    assert ran.code == 1
    assert "OLT001" in ran.out and "OLT002" in ran.out


def test_pack_cases_can_bring_their_own_base(tmp_path, run_cli):
    pack = copy_pack(tmp_path)
    base = pack.parent / "cases" / "_base"
    shutil.copytree(cases.base_dir(), base)
    account = base / "accounts" / "main.yaml"
    account.write_text(account.read_text("utf-8").replace("platform: x", "platform: youtube"))
    (loaded,) = [c for c in cases.all_cases(pack.parent / "cases") if c.name == "two admins"]
    assert loaded.base == base
