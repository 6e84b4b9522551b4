"""One escaper for every outside string, paths included, in every format (issue 12).

A file name that is not UTF-8 becomes lone surrogates in Python; a file name can hold ESC,
C1 controls and direction marks as well as any value can. Every report is still written,
as valid UTF-8, and no such character reaches a reader raw.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from safesocial import text
from safesocial.importers import summary
from safesocial.packs import cases
from safesocial.reporters import base
from tests.conftest import ROOT

ESCAPED = [
    "\x1b",  # ESC: terminal escapes
    "\x9b",  # CSI, a C1 control
    "\x85",  # NEL
    "\x00",
    "\n",
    "\r",
    "\x7f",
    "\u061c",  # Arabic letter mark
    "\u200e",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # BOM
    "\u2028",
    "\u2029",
    "\ud800",
    "\udcff",  # an undecodable byte of a file name
]
KEPT = ["\t", "a", "é", "中", "🙂", "\u00a0", " "]


@pytest.mark.parametrize("char", ESCAPED)
def test_a_hidden_or_controlling_character_is_shown_as_an_escape(char: str) -> None:
    shown = text.visible(f"a{char}b")
    assert shown == f"a\\u{ord(char):04x}b"
    shown.encode("utf-8")  # always writable


@pytest.mark.parametrize("char", KEPT)
def test_ordinary_characters_are_kept(char: str) -> None:
    assert text.visible(f"a{char}b") == f"a{char}b"


def test_there_is_one_escaper() -> None:
    assert base.visible is text.visible
    assert summary.show is text.visible
    # No other module builds its own: the tell-tale is formatting a code point as \u.
    others = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "src" / "safesocial").rglob("*.py")
        if "\\\\u{ord(" in p.read_text("utf-8") and p.name != "text.py"
    ]
    assert others == []


def test_json_keeps_a_surrogate_as_its_json_escape() -> None:
    written = text.json_dumps({"path": "accounts/\udcff.yaml", "é": "\x1b"})
    written.encode("utf-8")
    assert json.loads(written) == {"path": "accounts/\udcff.yaml", "é": "\x1b"}


NAMES = {
    "undecodable": b"accounts/\xff.yaml",
    "escape": b"accounts/\x1b[31mred.yaml",
    "c1": b"accounts/\xc2\x9b31m.yaml",
    "direction": "accounts/\u202egpj.yaml".encode(),
    "letter mark": "accounts/\u061cx.yaml".encode(),
}
FILE_FORMATS = ["json", "sarif", "junit", "html", "markdown", "github"]
RAW = re.compile("[\x1b\x9b\u202e\u061c\ud800-\udfff]")


@pytest.mark.parametrize("name", sorted(NAMES))
def test_a_hostile_file_name_reaches_every_report_escaped(tmp_path: Path, name: str) -> None:
    school = tmp_path / "school"
    cases.materialise({}, school)
    # A broken account file: an input finding located at the hostile name.
    os.makedirs(os.fsencode(school / "accounts"), exist_ok=True)
    with open(os.fsencode(school) + b"/" + NAMES[name], "wb") as handle:
        handle.write(b"platform: [\n")
    outputs = [f"-o{fmt}:{tmp_path / ('r.' + fmt)}" for fmt in FILE_FORMATS]
    # A strict stdout, as a pipe in a C locale has: one raw surrogate would fail it.
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "NO_COLOR": "1"}
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "safesocial",
            "check",
            str(school),
            "--as-of",
            "2026-11-21",
            "-o",
            "text",
            *outputs,
        ],
        capture_output=True,
        env=env,
        timeout=300,
        check=False,
    )
    stdout, stderr = ran.stdout.decode("utf-8"), ran.stderr.decode("utf-8")
    assert ran.returncode == 2, stderr
    assert "Traceback" not in stdout + stderr
    assert "IN001" in stdout and not RAW.search(stdout), stdout
    for fmt in FILE_FORMATS:
        written = (tmp_path / f"r.{fmt}").read_bytes().decode("utf-8")  # valid UTF-8
        if fmt in ("json", "sarif"):
            json.loads(written)
        else:
            assert not RAW.search(written), fmt
    doc = json.loads((tmp_path / "r.json").read_text("utf-8"))
    paths = [f["location"]["path"] for s in doc["schools"] for f in s["findings"] if f["location"]]
    # JSON carries the name as it is (a surrogate as its JSON escape), for a program to use.
    assert any(os.fsencode(p).endswith(NAMES[name]) for p in paths), paths
