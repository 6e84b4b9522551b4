"""No traceback, ever: every command ends in exit 0, 1 or 2 with a one-line message.

Hypothesis drives each entry point (check, import, baseline, pack, config, init, rules,
explain, schema) with generated hostile arguments and files: random bytes and YAML in
the files they name, names with control characters, surrogates and NUL bytes, options
in any order. Whatever happens, the exit code is 0, 1 or 2, nothing prints a
traceback, and nothing hangs (a watchdog stops an example after a generous time). An
unexpected exception reaches the one outer guard in cli.main, which names its type and
where in safesocial's code it was raised, never its text.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safesocial import cli
from safesocial.importers import FORMATS as IMPORT_FORMATS
from safesocial.packs import cases
from tests.conftest import watchdog

EXAMPLES = int(os.environ.get("SAFESOCIAL_PROPERTY_EXAMPLES", "60"))
WATCHDOG_SECONDS = 120
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)  # a hang guard, far above any honest run of these tiny inputs


HOSTILE_TEXT = st.sampled_from(
    [
        "",
        "-",
        "--",
        "\x00",
        "\x1b[31mred",
        "\u202eevil",
        "\udcff",
        "a" * 300,
        # Never "/" or "../..": a check of the whole file system is slow and not hermetic.
        "/dev/null",
        "school/../school",
        "SS101",
        "ss1",
        "2026-02-30",
        "99999-01-01",
        "json",
        "text:",
        "sarif:out/r.sarif",
        "account",
        "x-archive",
        "'; rm -rf /",
        "{account.bio}",
    ]
) | st.text(max_size=30).filter(lambda t: not t.startswith("/") and ".." not in t)
CONTENT = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"",
            b"packs: [../../etc/passwd]\n",
            b"select: [NOPE]\n",
            b"pack: {id: x, title: t}\nrules: [{id: X1}]\n",
            b"[" * 100 + b"]" * 100,
            b"a: &a [*a]\n",
            b"\xff\xfe\x00\x00",
            b"PK\x03\x04" + b"\x00" * 30,
            b"ref,name\nP1,Amelia\n",
            b"window.YTD.follower.part0 = [{]",
        ]
    ),
)
FILE = st.sampled_from(
    [
        "f.yaml",
        "f.zip",
        "f.csv",
        "dir/f.js",
        "\x1b.yaml",
        "\udcff.yaml",
        # inside the school, so that a check reads them
        "school/safesocial.yaml",
        "school/accounts/h\u202e.yaml",
        "school/policy.yaml",
        "school/consent.yaml",
        "school/waivers.yaml",
    ]
)


def _commands(group: click.Group = cli.cli, prefix: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """Every command the CLI has, sub-commands included: a new one is driven here too."""
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield [*prefix, name]


COMMANDS = list(_commands())


def test_every_command_is_driven() -> None:
    names = {" ".join(c) for c in COMMANDS}
    assert {"check", "import", "baseline create", "pack validate", "pack test"} <= names
    assert {"config", "init", "rules", "explain", "schema"} <= names


# Each command's options and what may follow them: "FILE" is a generated file or a school
# file, "TEXT" a hostile word; a flag has no value.
OPTIONS: dict[str, list[tuple[str, str | None]]] = {
    "check": [
        ("--as-of", "TEXT"),
        ("--format", "TEXT"),
        ("-o", "TEXT"),
        ("--config", "FILE"),
        ("--baseline", "FILE"),
        ("--fail-on", "TEXT"),
        ("--jobs", "TEXT"),
        ("--strict", None),
        ("-q", None),
        ("-v", None),
    ],
    "import": [("--into", "FILE"), ("--observed-on", "TEXT"), ("--dry-run", None)],
    "baseline create": [("-o", "TEXT"), ("--config", "FILE"), ("--as-of", "TEXT")],
    "config": [("--config", "FILE")],
    "init": [("--name", "TEXT"), ("--handle", "TEXT"), ("--platform", "TEXT")],
    "rules": [("--format", "TEXT"), ("--kinds", None)],
}
# What each command is given before its options.
POSITIONAL: dict[str, list[str]] = {
    "check": ["TARGET"],
    "import": ["FORMAT", "FILE"],
    "baseline create": ["TARGET"],
    "pack validate": ["FILE"],
    "pack test": ["FILE"],
    "config": ["TARGET"],
    "init": ["--yes", "TEXT"],  # --yes: it asks nothing, the answers are in the arguments
    "explain": ["TEXT"],
    "schema": ["TEXT"],
}


@st.composite
def invocation(draw: st.DrawFn) -> tuple[list[str], dict[str, bytes]]:
    """A command line and the files it may name (paths relative to a fresh folder)."""
    files = draw(st.dictionaries(FILE, CONTENT, max_size=3))
    school = ["school", "school/safesocial.yaml", "school/accounts/main.yaml"]
    fill = {
        "TEXT": HOSTILE_TEXT,
        "FILE": st.sampled_from([*files, *school]) | HOSTILE_TEXT,
        "TARGET": st.sampled_from(["school", "."]) | HOSTILE_TEXT,
        "FORMAT": st.sampled_from(IMPORT_FORMATS) | HOSTILE_TEXT,
    }
    command = draw(st.sampled_from(COMMANDS))
    name = " ".join(command)
    argv = list(command)
    for slot in POSITIONAL.get(name, []):
        argv.append(draw(fill[slot]) if slot in fill else slot)
    if name == "check" and draw(st.booleans()):
        argv += ["--as-of", "2026-11-21"]  # so that more runs get as far as the files
    offered = OPTIONS.get(name)
    chosen = draw(st.lists(st.sampled_from(offered), max_size=4)) if offered else []
    for option, value in chosen:
        argv.append(option)
        if value is not None:
            argv.append(draw(fill[value]))
    if draw(st.integers(0, 9)) == 0:
        argv.append(draw(HOSTILE_TEXT))  # a stray word
    return argv, files


@settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=WATCHDOG_SECONDS),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(call=invocation())
def test_every_entry_point_ends_in_an_exit_code_never_a_traceback(
    call: tuple[list[str], dict[str, bytes]], capsys: pytest.CaptureFixture[str]
) -> None:
    argv, files = call
    here = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="safesocial-entry-") as tmp:
        folder = Path(tmp)
        cases.materialise({}, folder / "school")
        for name, data in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        os.chdir(folder)  # init and import write only inside this folder
        try:
            with watchdog(WATCHDOG_SECONDS):
                code = cli.main(argv)
        finally:
            os.chdir(here)
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code)
    assert "Traceback" not in out + err, argv
    # Whatever the arguments held, nothing reaches the terminal raw (a tab may).
    assert not RAW.search((out + err).replace("\n", "").replace("\t", "")), (argv, out, err)


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "school"],
        ["config", "school"],
        ["rules"],
        ["explain", "SS101"],
        ["schema", "account"],
        ["pack", "validate", "school/school.yaml"],
        ["baseline", "create", "school", "-o", "b.json"],
    ],
)
def test_an_unexpected_exception_is_one_line_with_its_type_and_place(
    argv: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cases.materialise({}, tmp_path / "school")
    monkeypatch.chdir(tmp_path)
    secret = "@pupil_handle_in_an_exception"

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyError(secret)

    # Deep in each command's path: loading rules, or (for schema) reading a schema.
    from safesocial.documents import resources
    from safesocial.packs import rules
    from safesocial.scaffold import schemas

    monkeypatch.setattr(rules, "load_pack", boom)
    monkeypatch.setattr(resources, "schema", boom)
    monkeypatch.setattr(schemas, "text", boom)
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in out + err and secret not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert f"safesocial: error: {argv[0]} stopped on an unexpected KeyError at " in lines[0]
    assert "safesocial/" in lines[0].split(" at ", 1)[1]
