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
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safesocial import cases, cli

EXAMPLES = int(os.environ.get("SAFESOCIAL_PROPERTY_EXAMPLES", "60"))
WATCHDOG_SECONDS = 120  # a hang guard, far above any honest run of these tiny inputs


class Hung(BaseException):
    """Raised by the watchdog; a BaseException, so that no guard in the code catches it."""


@contextmanager
def watchdog() -> Iterator[None]:
    def stop(signum: int, frame: Any) -> None:
        raise Hung(f"an entry point ran for more than {WATCHDOG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(WATCHDOG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


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
        "../" * 20,
        "/dev/null",
        "/",
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
) | st.text(max_size=30)
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
FILE = st.sampled_from(["f.yaml", "f.zip", "f.csv", "dir/f.js", "\x1b.yaml", "\udcff.yaml"])


@st.composite
def invocation(draw: st.DrawFn) -> tuple[list[str], dict[str, bytes]]:
    """A command line and the files it may name (paths relative to a fresh folder)."""
    files = draw(st.dictionaries(FILE, CONTENT, max_size=3))
    names = [*files, "school", "school/safesocial.yaml", "school/accounts/main.yaml"]
    word = HOSTILE_TEXT | st.sampled_from(names)
    command = draw(
        st.sampled_from(
            [
                ["check"],
                ["import"],
                ["baseline", "create"],
                ["pack", "validate"],
                ["pack", "test"],
                ["config"],
                ["init", "--yes"],
                ["rules"],
                ["explain"],
                ["schema"],
            ]
        )
    )
    options = st.sampled_from(
        [
            "--format",
            "-o",
            "--config",
            "--baseline",
            "--as-of",
            "--fail-on",
            "--jobs",
            "--into",
            "--observed-on",
            "--name",
            "--handle",
            "--platform",
            "--kinds",
            "--strict",
            "--dry-run",
            "-q",
            "-v",
        ]
    )
    rest = draw(st.lists(word | options, max_size=6))
    return [*command, *rest], files


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
            with watchdog():
                code = cli.main(argv)
        finally:
            os.chdir(here)
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code)
    assert "Traceback" not in out + err, argv


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
    from safesocial import resources, rules
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
