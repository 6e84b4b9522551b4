"""Hostile input through every registered format: nothing from a school's files may be
interpreted by what reads the report (a browser, a Markdown renderer, an XML parser, the
GitHub Actions runner, a terminal).

One school holds the corpus everywhere a person can type: the account handle (so it
reaches finding messages and targets), the bio, captions, follower handles, staff and
pupil names, the school's name, and the name of the school's folder itself.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from safesocial import reporters
from safesocial.cli import main
from safesocial.packs import cases
from tests import coverage_cases
from tests.acceptance.test_markdown import assert_plain
from tests.acceptance.test_sarif import assert_valid

CORPUS = (
    "<script>alert(1)</script>",
    '" onerror=alert(1) "',
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "![i](http://evil/x.png)",
    '<!ENTITY x SYSTEM "file:///etc/passwd">',
    "::error::pwned",
    "\n::warning::x",
    "\x1b[31m",
    "\x1b]8;;http://evil\x07",
    "\u202e",
    "\r\n##[error]old-style",
    "%0A::notice::y",
    "&amp; &#60;b&#62; @octocat #1 $x$ www.evil.example",
)
HOSTILE = " ".join(CORPUS)
# A folder name can hold anything but '/', in at most 255 bytes.
FOLDER = (
    'school <script>x " onerror=y [x](javascript:z) ::error::p \n::warning::x '
    "\x1b[31m \u202e &amp; @octocat"
)
FORMATS = sorted(name for name, cls in reporters.REPORTERS.items() if not cls.binary)
EXT = {"text": "txt", "markdown": "md", "junit": "xml", "github": "annotations"}


def hostile_school(folder: Path) -> None:
    staff = {
        "role": "teacher",
        "safeguarding_trained_on": "2026-09-01",
        "social_media_trained_on": "2026-09-01",
        "aup_signed_on": "2026-09-01",
    }
    cases.materialise(
        {
            "school.yaml": {
                "school": {"name": f"Hostile {HOSTILE}"},
                "staff": [
                    {**staff, "ref": "S001", "name": f"Head {HOSTILE}", "role": "headteacher"},
                    {**staff, "ref": "S002", "name": f"Deputy {HOSTILE}", "role": "deputy_head"},
                    {**staff, "ref": "S003", "name": f"Teacher {HOSTILE}"},
                ],
            },
            "accounts/main.yaml": {
                "handle": f"@evil{HOSTILE}",
                "protected": False,
                "bio": HOSTILE,
                "followers": [
                    {"handle": f"@follower{HOSTILE}", "category": "unknown"},
                    {"handle": f"@pupil{HOSTILE}", "category": "pupil", "pupil": "P001"},
                ],
                "following": [
                    {
                        "handle": f"@p{HOSTILE}",
                        "category": "pupil",
                        "pupil": "P002",
                        "followed_first": False,
                    },
                ],
                "posts": [
                    {
                        "id": "1001",
                        "date": "2026-10-01",
                        "caption": HOSTILE,
                        "pupils_shown": ["P001"],
                        "identifiable": True,
                    },
                ],
            },
            # The hostile account is on the register, so it is checked like any other
            # rather than reported as a registered account with no file.
            "policy.yaml": {
                "register": [{"platform": "x", "handle": f"@evil{HOSTILE}", "kind": "official"}]
            },
            "pupils.yaml": {
                "pupils": [
                    {"ref": "P001", "name": f"Pupil {HOSTILE}", "date_of_birth": "2017-05-03"},
                    {"ref": "P002", "name": f"Other {HOSTILE}", "date_of_birth": "2017-01-21"},
                ]
            },
        },
        folder,
    )


@pytest.fixture(scope="module")
def finding_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every non-binary format of one run on the hostile school, read back from files."""
    base = tmp_path_factory.mktemp("hostile")
    hostile_school(base / FOLDER)
    args = ["check", FOLDER, "--as-of", "2026-11-21"]
    for name in FORMATS:
        args += ["-o", f"{name}:report.{EXT.get(name, name)}"]
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(base)
        mp.delenv("GITHUB_ACTIONS", raising=False)
        mp.delenv("GITHUB_STEP_SUMMARY", raising=False)
        code = main(args)
    assert code == 1
    return {
        name: (base / f"report.{EXT.get(name, name)}").read_bytes().decode("utf-8")
        for name in FORMATS
    }


@pytest.fixture(scope="module")
def gap_outputs() -> dict[str, str]:
    """Every non-binary format of a run whose gaps (targets, reasons, rules, places) and
    stale accounts carry the corpus: the engine fills coverage, so it is built by hand."""
    result = coverage_cases.hostile(HOSTILE)
    return {name: reporters.make(name).render(result, {}) for name in FORMATS}  # type: ignore[misc]


@pytest.fixture(params=["findings", "gaps"])
def outputs(request: pytest.FixtureRequest) -> dict[str, str]:
    """Each test below runs on both: the corpus in findings, and the corpus in gaps."""
    found: dict[str, str] = request.getfixturevalue(f"{request.param[:-1]}_outputs")
    return found


def test_the_corpus_reaches_every_format(outputs: dict[str, str]) -> None:
    # Escaped, not dropped: the handle is in every report in some form.
    for name, out in outputs.items():
        assert "alert" in out and "evil" in out, name


@pytest.mark.parametrize("name", FORMATS)
def test_no_terminal_control_reaches_the_output(name: str, outputs: dict[str, str]) -> None:
    out = outputs[name]
    for char in ("\x1b", "\x07", "\r", "\x00"):
        assert char not in out, f"{name} holds a raw {char!r}"
    if name != "json":
        # JSON keeps strings exactly (it is data for programs, which escape on display);
        # every format a person reads shows direction overrides as escapes.
        assert "\u202e" not in out, name


def _log_lines(name: str, out: str) -> list[str]:
    """Lines a CI runner that prints this output would read as workflow commands."""
    starts = ("::", "##[")
    lines = [line.lstrip() for line in out.split("\n")]
    return [line for line in lines if line.startswith(starts)]


# Formats a CI job may print to its log. An HTML report is opened in a browser, where
# a newline in the text is only a space.
LOGGED = [name for name in FORMATS if name not in ("html", "pdf")]


@pytest.mark.parametrize("name", LOGGED)
def test_nothing_from_the_input_starts_a_workflow_command(
    name: str, outputs: dict[str, str]
) -> None:
    commands = _log_lines(name, outputs[name])
    if name == "github":
        # Ours only: one per finding, each a well-formed command with its properties.
        # Ours only: one per finding, gap and stale account.
        counts = json.loads(outputs["json"])["summary"]
        ours = ("findings", "input_errors", "gaps", "stale")
        assert len(commands) == sum(counts[key] for key in ours)
        for line in commands:
            head, sep, _ = line[2:].partition("::")
            assert sep and head.split(" ", 1)[0] in ("error", "warning", "notice")
            assert "\n" not in line
    else:
        assert commands == [], f"{name}: {commands[:2]}"


def test_markdown_renders_no_markup_from_the_input(outputs: dict[str, str]) -> None:
    out = outputs["markdown"]
    assert "<script" not in out and "<!ENTITY" not in out and "](" not in out
    assert "http://" not in out and "javascript:" not in out  # no autolinks either
    assert_plain(out)
    # GitHub would notify @octocat and link issue #1 without the zero-width space.
    assert "@octocat" not in out and "#1 " not in out
    assert MarkdownIt("commonmark").enable("table").render(out).count("<table>") >= 2


def test_junit_parses_with_no_entity(outputs: dict[str, str]) -> None:
    out = outputs["junit"]
    assert "<!ENTITY" not in out and "<!DOCTYPE" not in out
    root = ET.fromstring(out)
    outcomes = int(root.get("failures", "0")) + int(root.get("errors", "0"))
    assert root.tag == "testsuites" and outcomes > 0


def test_sarif_is_valid_and_links_nothing(outputs: dict[str, str]) -> None:
    doc = json.loads(outputs["sarif"])
    assert_valid(doc)
    run = doc["runs"][0]
    notes = run["invocations"][0].get("toolExecutionNotifications", [])
    for item in [*run["results"], *notes]:
        text = item["message"]["text"]
        assert "[x](javascript" not in text and "![i](http" not in text


def test_json_keeps_the_strings_exactly(
    finding_outputs: dict[str, str], gap_outputs: dict[str, str]
) -> None:
    doc = json.loads(finding_outputs["json"])
    messages = [f["message"] for s in doc["schools"] for f in s["findings"]]
    assert any(f"@evil{HOSTILE}" in m for m in messages)
    cover = json.loads(gap_outputs["json"])["schools"][0]["coverage"]
    assert cover["partly_checked"][0]["reason"] == f"reason {HOSTILE}"
    assert cover["not_checked"][1]["target"] == HOSTILE


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.mark.skipif("html" not in FORMATS, reason="no HTML reporter registered")
def test_html_interprets_nothing(outputs: dict[str, str]) -> None:
    out = outputs["html"]
    assert "<script" not in out.lower() and "<!ENTITY" not in out
    parser = _Attributes()
    parser.feed(out)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "iframe", "object", "embed"), tag
        assert tag != "img" or not str(attrs.get("src", "")).startswith("http"), attrs
        for key, value in attrs.items():
            assert not key.startswith("on"), (tag, key)
            assert "javascript:" not in (value or "").lower(), (tag, key, value)
            assert "evil" not in (value or "") or key in ("title", "alt", "aria-label"), (
                tag,
                key,
                value,
            )
