"""The example schools in examples/: each one's JSON report matches its golden file.

The goldens (tests/golden/<name>.json) pin exactly what a user sees for each example:
every finding, message, location and fingerprint. When a rule or an example changes on
purpose, regenerate them and read the diff before committing it:

    SAFESOCIAL_UPDATE_GOLDEN=1 python -m pytest tests/acceptance/test_examples.py

With the variable set, the golden tests rewrite their files instead of comparing.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from safesocial.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
AS_OF = "2026-11-21"
UPDATE = os.environ.get("SAFESOCIAL_UPDATE_GOLDEN") == "1"

EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "school.yaml").is_file())

# Each bad example exists to show one kind of problem; these are the rules that show it.
# Incidental findings (described in each example's README) may come on top.
DEMONSTRATES = {
    "drift-primary": {"SS101", "SS221", "SS602"},
    "followback-secondary": {"SS201", "SS202", "SS301", "SS302"},
    "department-accounts": {"SS402", "SS702"},
    "channels-primary": {"SS440", "SS441", "SS451", "SS602"},
}
CLEAN = {"clean-primary"}
INPUT_SCHEMAS = ("school", "policy", "account", "consent", "pupils", "staff-accounts", "waivers")


def _check(name: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["check", f"examples/{name}", "--format", "json", "--as-of", AS_OF])
    out = capsys.readouterr().out
    return code, json.loads(out)


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    # The version changes with every release without changing what was found.
    tool = {k: v for k, v in report["tool"].items() if k != "version"}
    return {**report, "tool": tool}


def _rule_ids(report: dict[str, Any]) -> set[str]:
    return {f["rule_id"] for school in report["schools"] for f in school["findings"]}


@pytest.fixture(autouse=True)
def _from_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # The goldens hold paths as a user at the repository root sees them.
    monkeypatch.chdir(ROOT)


def test_there_are_examples() -> None:
    assert set(EXAMPLES) == CLEAN | set(DEMONSTRATES)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_matches_golden(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _check(name, capsys)
    golden = GOLDEN / f"{name}.json"
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        assert golden.is_file(), f"no golden for {name}: run with SAFESOCIAL_UPDATE_GOLDEN=1"
        expected = json.loads(golden.read_text(encoding="utf-8"))
        assert _comparable(report) == _comparable(expected), (
            f"{name} no longer matches {golden.relative_to(ROOT)}; if the change is intended, "
            "regenerate with SAFESOCIAL_UPDATE_GOLDEN=1 and review the diff"
        )
    assert code == (0 if name in CLEAN else 1)


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_clean_example_has_no_findings(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _check(name, capsys)
    findings = [
        (f["rule_id"], f["message"], f["location"])
        for school in report["schools"]
        for f in school["findings"]
    ]
    assert findings == []
    assert code == 0


@pytest.mark.parametrize("name", sorted(DEMONSTRATES))
def test_bad_example_shows_its_case(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _check(name, capsys)
    missing = DEMONSTRATES[name] - _rule_ids(report)
    assert not missing, (
        f"{name} should raise {sorted(missing)}; it raised {sorted(_rule_ids(report))}"
    )
    assert code == 1


def test_examples_never_show_pupil_handles(capsys: pytest.CaptureFixture[str]) -> None:
    # The examples hold pupils' handles (as a school's files would); a report must not.
    for name in EXAMPLES:
        _, report = _check(name, capsys)
        text = json.dumps(report)
        for handle in _pupil_handles(ROOT / "examples" / name):
            assert handle not in text, f"{name}: a pupil's handle reached the report"


def _pupil_handles(folder: Path) -> set[str]:
    handles: set[str] = set()
    for path in sorted((folder / "accounts").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("followers", "following", "outgoing_requests", "members", "likes"):
            for entry in doc.get(key) or ():
                if entry.get("category") in ("pupil", "ex_pupil") and entry.get("handle"):
                    handles.add(entry["handle"])
        for thread in doc.get("dm_threads") or ():
            if thread.get("category") in ("pupil", "ex_pupil") and thread.get("counterpart"):
                handles.add(thread["counterpart"])
    return handles


def test_data_model_doc_names_every_schema_key() -> None:
    # docs/data-model.md explains schemas/*.json key by key; a key added to a schema
    # must be explained there too.
    text = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    doc = re.sub(r"```.*?```", "", text, flags=re.S)  # keys count where explained, not in examples
    quoted = {word for span in re.findall(r"`([^`]+)`", doc) for word in re.findall(r"\w+", span)}
    missing = {
        f"{schema.name}: {key}"
        for schema in (ROOT / "schemas" / f"{name}.schema.json" for name in INPUT_SCHEMAS)
        for key in _property_names(json.loads(schema.read_text(encoding="utf-8")))
        if key not in quoted
    }
    assert sorted(missing) == []


def _property_names(node: Any) -> set[str]:
    if isinstance(node, dict):
        own = set(node.get("properties", {}))
        return own.union(*(_property_names(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_property_names(v) for v in node))
    return set()
