"""Shareable formats never carry a pupil's name or another account's handle.

Findings name pupils by ref and followers by position; these tests plant names and
distinctive handles wherever the input can hold them (the pupils register, followers,
following, outgoing requests, DM threads, captions) and look for them in every
shareable format, on the examples and on a school built to tempt a leak.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import yaml

from safesocial import reporters
from safesocial.cli import main
from safesocial.packs import cases
from tests.conftest import ROOT

# Without --reveal-names every format is shareable, the terminal's too: all are checked.
SHAREABLE = sorted(name for name, cls in reporters.REPORTERS.items() if not cls.binary)
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "school.yaml").is_file())
EXT = {"markdown": "md", "junit": "xml", "github": "annotations"}

PUPIL_NAMES = ("Zebedee Quillfeather", "Marigold Thistlewood", "Ptolemy Ashgrove")
TEMPTING = {
    "pupils.yaml": {
        "pupils": [
            {"ref": "P001", "name": PUPIL_NAMES[0], "date_of_birth": "2017-05-03"},
            {"ref": "P002", "name": PUPIL_NAMES[1], "date_of_birth": "2017-01-21"},
            {
                "ref": "P003",
                "name": PUPIL_NAMES[2],
                "date_of_birth": "2009-02-11",
                "left_on": "2025-07-20",
            },
        ]
    },
    "accounts/main.yaml": {
        "protected": False,
        "dm_from": "everyone",
        "followers": [
            {"handle": "@zq_secret_pupil", "category": "pupil", "pupil": "P001"},
            {"handle": "@stranger_secret_9x", "category": "unknown"},
            {"handle": "@parent_secret_7y", "category": "parent"},
        ],
        "following": [
            {
                "handle": "@mt_secret_follow",
                "category": "pupil",
                "pupil": "P002",
                "followed_first": False,
            },
            {"handle": "@ex_secret_pupil", "category": "ex_pupil", "pupil": "P003"},
        ],
        "outgoing_requests": [
            {"handle": "@req_secret_kid", "category": "pupil", "pupil": "P001"},
        ],
        "dm_threads": [
            {
                "counterpart": "@dm_secret_kid",
                "category": "pupil",
                "pupil": "P002",
                "started_by": "counterpart",
                "last_message_on": "2026-11-13",
                "messages": 3,
            },
        ],
        "posts": [
            {
                "id": "1001",
                "date": "2026-10-01",
                "pupils_shown": ["P001", "P002"],
                "identifiable": True,
                "caption": f"Well done {PUPIL_NAMES[0]} and {PUPIL_NAMES[1]}!",
            },
        ],
    },
}


def _handles(account: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for key, field in (
        ("followers", "handle"),
        ("following", "handle"),
        ("outgoing_requests", "handle"),
        ("dm_threads", "counterpart"),
    ):
        for entry in account.get(key) or ():
            if isinstance(entry.get(field), str):
                found.add(entry[field])
    return found


def private_strings(folder: Path) -> set[str]:
    """Every other account's handle and every pupil name the school's files hold."""
    secrets: set[str] = set()
    own: set[str] = set()
    for path in sorted((folder / "accounts").glob("*.yaml")):
        account = yaml.safe_load(path.read_text("utf-8"))
        own.add(account["handle"])
        secrets |= _handles(account)
    if (folder / "pupils.yaml").is_file():
        pupils = yaml.safe_load((folder / "pupils.yaml").read_text("utf-8"))["pupils"]
    elif (folder / "pupils.csv").is_file():
        with (folder / "pupils.csv").open(encoding="utf-8") as fh:
            pupils = list(csv.DictReader(fh))
    else:
        pupils = []
    secrets |= {p["name"] for p in pupils if p.get("name")}
    # The school's own accounts are named in findings on purpose.
    return secrets - own


def reports(folder: Path, tmp_path: Path) -> dict[str, str]:
    args = ["check", str(folder), "--as-of", "2026-11-21"]
    for name in SHAREABLE:
        args += ["-o", f"{name}:{tmp_path / f'report.{EXT.get(name, name)}'}"]
    assert main(args) in (0, 1)
    return {n: (tmp_path / f"report.{EXT.get(n, n)}").read_text("utf-8") for n in SHAREABLE}


def assert_no_leak(outputs: dict[str, str], secrets: set[str]) -> None:
    for name, out in outputs.items():
        for secret in secrets:
            # Without the @ too: a leak need not keep it.
            for form in {secret, secret.lstrip("@")}:
                assert form not in out, f"{name} carries {form!r}"


def test_the_formats_checked_include_every_shareable_one() -> None:
    assert {"json", "markdown", "sarif", "junit", "github", "text"} <= set(SHAREABLE)
    names = [n for n, cls in reporters.REPORTERS.items() if cls.may_name_pupils]
    assert names == ["html"]


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_examples_leak_nothing(folder: Path, tmp_path: Path) -> None:
    secrets = private_strings(folder)
    assert secrets, "every example has other accounts' handles to protect"
    assert_no_leak(reports(folder, tmp_path), secrets)


def test_a_tempting_school_leaks_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "school"
    cases.materialise(TEMPTING, folder)
    secrets = private_strings(folder)
    assert set(PUPIL_NAMES) <= secrets and "@dm_secret_kid" in secrets
    outputs = reports(folder, tmp_path)
    # The school is bad enough that findings about these very pupils and accounts exist,
    # so the test would catch a leak rather than pass on an empty report.
    rule_ids = {"SS101", "SS201", "SS204", "SS221", "SS302", "SS602"}
    assert all(rule in outputs["json"] for rule in rule_ids), outputs["json"][:2000]
    assert "P001" in outputs["sarif"] and "P002" in outputs["markdown"]
    assert_no_leak(outputs, secrets)
