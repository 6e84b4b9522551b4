"""Hostile files and folders: what a pull request can plant where safesocial reads or
writes, instead of the file it expects.

Nothing hangs: a named pipe (FIFO), a socket or a device where an input is expected is
refused when opened, before a byte is read. Nothing is skipped in silence: a folder, a
pipe, a link to nothing or a loop of links named like an input is an input error at
that path, and its part is marked as not checked. A folder that cannot be listed, at
any depth of a fleet, is an input error too, and no depth of folders crashes the walk.

Each test that could hang runs under `no_hang`, which turns a hang into a failure.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from safesocial.cli import main
from safesocial.documents import inputfile, yamlio
from safesocial.errors import InputProblem, SafesocialError
from safesocial.model import loader
from safesocial.packs import cases, rules
from safesocial.running import baseline, config
from tests.conftest import AS_OF

ACCOUNT = "accounts/main.yaml"


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail a test that blocks (opening a FIFO waits for a writer) instead of waiting
    for ever: an alarm interrupts the blocked call. Not a timing assertion: no working
    code comes anywhere near it."""

    def stop(*_: Any) -> None:
        raise AssertionError("blocked: safesocial waited on a file that never ends")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def school(folder: Path) -> Path:
    cases.materialise({}, folder)
    return folder


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    code = main(["check", *args, "--as-of", AS_OF, "--format", "json", "--jobs", "1"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, (json.loads(out) if out else {}), err


def inputs(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(rule, path, message) of every input finding."""
    return [
        (f["rule_id"], f["location"]["path"], f["message"])
        for entry in doc["schools"]
        for f in entry["findings"]
        if f["rule_id"].startswith("IN") and f["location"]
    ]


# What can stand where a file is expected, each made at `path`, with the words said.
def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.yaml").write_text("platform: x\n", "utf-8")


def _socket(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))  # left bound: the file stays a socket for the test
    _SOCKETS.append(sock)


def _dangling(path: Path) -> None:
    path.symlink_to(path.parent / "gone.yaml")


def _loop(path: Path) -> None:
    other = path.with_name(path.name + ".other")
    path.symlink_to(other.name)
    other.symlink_to(path.name)


_SOCKETS: list[socket.socket] = []
SHAPES: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (_fifo, "is a named pipe (FIFO), not a file"),
    "folder": (_folder, "is a folder, not a file"),
    "socket": (_socket, "is a socket, not a file"),
    "link to nothing": (_dangling, "is a symbolic link to nothing"),
    "loop of links": (_loop, "is a loop of symbolic links"),
}
# Every input a school folder holds, and the part marked as not checked when it fails.
INPUTS = {
    "school.yaml": "school",
    "policy.yaml": "policy",
    "pupils.yaml": "pupils",
    "consent.yaml": "consent",
    "staff-accounts.yaml": "staff_accounts",
    "waivers.yaml": "waivers",
    ACCOUNT: "accounts",
    "accounts/second.yaml": "accounts",
    "accounts/other.yml": "accounts",
    "pupils.csv": "pupils",  # in place of pupils.yaml
    "consent.csv": "consent",
}


@pytest.fixture(autouse=True)
def _close_sockets() -> Iterator[None]:
    yield
    while _SOCKETS:
        _SOCKETS.pop().close()


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("name", sorted(INPUTS))
def test_what_stands_where_an_input_is_expected_is_an_input_error_at_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_hang: None, name: str, shape: str
) -> None:
    folder = school(tmp_path / "s")
    (folder / name).unlink(missing_ok=True)
    (folder / name).with_suffix(".yaml").unlink(missing_ok=True)  # a CSV stands alone
    make, words = SHAPES[shape]
    make(folder / name)
    code, doc, _ = check(capsys, str(folder))
    assert code == 2
    at_path = [(r, m) for r, p, m in inputs(doc) if p == f"{folder.as_posix()}/{name}"]
    assert len(at_path) == 1, inputs(doc)
    assert at_path[0][0] == "IN001" and at_path[0][1].startswith(f"{Path(name).name} {words}")
    assert "\n" not in at_path[0][1]
    loaded = loader.load_school(folder, "s")
    assert INPUTS[name] in loaded.school.broken


def test_every_shape_is_refused_by_the_one_open_before_a_byte_is_read(
    tmp_path: Path, no_hang: None
) -> None:
    for shape, (make, words) in SHAPES.items():
        path = tmp_path / f"{shape}.yaml"
        make(path)
        with pytest.raises(InputProblem) as caught:
            yamlio.read_text(path, path.name)
        assert caught.value.message.startswith(f"{path.name} {words}"), shape
        assert "\n" not in caught.value.message


def test_a_device_is_refused_not_read(tmp_path: Path, no_hang: None) -> None:
    # /dev/zero never ends and /dev/tty waits for a person: neither may be read. (/dev/tty
    # without a terminal cannot even be opened; it is still named for what it is.)
    for device in ("/dev/zero", "/dev/null", "/dev/tty"):
        if not os.path.exists(device):
            continue
        with pytest.raises(InputProblem) as caught:
            yamlio.read_text(Path(device), device)
        assert caught.value.message.startswith(f"{Path(device).name} is a device, not a file")


def test_an_oversized_file_is_refused_from_the_open_descriptor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 10)
    big = tmp_path / "big.yaml"
    big.write_text("a: 123456789012345\n", "utf-8")
    with pytest.raises(InputProblem, match="up to 10 bytes"):
        yamlio.read_text(big, "big.yaml")


# ---- the configuration, rule packs, their cases, a baseline ---------------------------


@pytest.mark.parametrize("shape", ["fifo", "folder"])
def test_a_planted_configuration_is_refused_not_waited_on_or_passed_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_hang: None, shape: str
) -> None:
    # Passed over, a folder named safesocial.yaml would quietly drop the trust's own
    # configuration (its packs) for the defaults.
    folder = school(tmp_path / "s")
    make, words = SHAPES[shape]
    make(folder / "safesocial.yaml")
    assert config.discover(folder) == (folder / "safesocial.yaml").resolve()
    code, _, err = check(capsys, str(folder))
    assert code == 2
    assert f"safesocial.yaml {words}" in err


@pytest.mark.parametrize("shape", ["fifo", "folder"])
def test_a_rule_pack_or_a_case_that_is_not_a_file(
    tmp_path: Path, no_hang: None, shape: str
) -> None:
    make, words = SHAPES[shape]
    make(tmp_path / "pack.yaml")
    with pytest.raises(SafesocialError, match=re.escape(words)):
        rules.load_pack(tmp_path / "pack.yaml")
    (tmp_path / "cases").mkdir()
    make(tmp_path / "cases" / "X001.yaml")
    with pytest.raises(SafesocialError, match=re.escape(words)):
        cases.all_cases(tmp_path / "cases")


def test_a_configuration_naming_a_pack_that_is_a_pipe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_hang: None
) -> None:
    folder = school(tmp_path / "s")
    (folder / "safesocial.yaml").write_text("packs: [trust.yaml]\n", "utf-8")
    os.mkfifo(folder / "trust.yaml")
    code, _, err = check(capsys, str(folder))
    assert code == 2 and "trust.yaml is a named pipe (FIFO), not a file" in err


@pytest.mark.parametrize("shape", ["fifo", "socket"])
def test_a_baseline_that_is_not_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_hang: None, shape: str
) -> None:
    folder = school(tmp_path / "s")
    make, words = SHAPES[shape]
    make(tmp_path / "baseline.json")
    code = main(
        ["check", str(folder), "--as-of", AS_OF, "--baseline", str(tmp_path / "baseline.json")]
    )
    err = capsys.readouterr().err
    assert code == 2 and words in err and "Traceback" not in err


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("bracket", ["[]", "{}"])
def test_a_baseline_nested_deep_is_an_error_not_a_traceback(
    tmp_path: Path, depth: int, bracket: str
) -> None:
    path = tmp_path / "baseline.json"
    opening, closing = bracket
    inner = f'{opening}"k": ' if opening == "{" else opening
    path.write_text(
        '{"safesocial_baseline": 1, "findings": ' + inner * depth + "1" + closing * depth + "}",
        "utf-8",
    )
    with pytest.raises(SafesocialError) as caught:
        baseline.load(path)
    assert str(caught.value).count("\n") == 0
    assert str(path) in str(caught.value)


def test_an_ordinary_baseline_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text('{"safesocial_baseline": 1, "findings": []}', "utf-8")
    assert baseline.load(path) == []


def test_a_gitignore_that_is_a_pipe_is_passed_over_not_waited_on(
    tmp_path: Path, no_hang: None
) -> None:
    from safesocial.documents import vcs

    folder = school(tmp_path / "s")
    (tmp_path / ".git").mkdir()
    os.mkfifo(folder / ".gitignore")
    # The pipe ignores nothing, so the records are taken as going into git (SS620).
    assert "pupils.yaml" in vcs.versioned(folder, ["pupils.yaml"])


# ---- the accounts folder ---------------------------------------------------------------


def _unlistable(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """os.listdir and os.scandir fail on `folder` as on one the user may not read (the
    suite often runs as root, who may read any folder, so chmod alone would not do)."""
    real_listdir, real_scandir = os.listdir, os.scandir

    def refuse(path: Any) -> None:
        if Path(path) == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

    def listdir(path: Any = ".") -> list[str]:
        refuse(path)
        return real_listdir(path)

    def scandir(path: Any = ".") -> Any:
        refuse(path)
        return real_scandir(path)

    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setattr(os, "scandir", scandir)


def test_an_accounts_folder_that_cannot_be_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = school(tmp_path / "s")
    _unlistable(monkeypatch, folder / "accounts")
    code, doc, _ = check(capsys, str(folder))
    assert code == 2
    assert inputs(doc) == [
        (
            "IN001", f"{folder.as_posix()}/accounts",
            "accounts is a folder safesocial cannot list (Permission denied); "
            "nothing in it was checked",
        )
    ]  # fmt: skip
    assert "accounts" in loader.load_school(folder, "s").school.broken


@pytest.mark.skipif(os.geteuid() == 0, reason="root may list any folder")
def test_an_accounts_folder_without_read_permission(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = school(tmp_path / "s")
    (folder / "accounts").chmod(0)
    try:
        code, doc, _ = check(capsys, str(folder))
    finally:
        (folder / "accounts").chmod(0o755)
    assert code == 2
    assert [p for _, p, _ in inputs(doc)] == [f"{folder.as_posix()}/accounts"]


@pytest.mark.parametrize(
    ("shape", "words"),
    [
        ("file", "accounts is a file, not a folder"),
        ("fifo", "accounts is a named pipe (FIFO), not a folder"),
        ("link to nothing", "accounts is a symbolic link to nothing"),
        ("loop of links", "accounts is a loop of symbolic links"),
    ],
)
def test_an_accounts_that_is_not_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_hang: None, shape: str, words: str
) -> None:
    folder = school(tmp_path / "s")
    (folder / ACCOUNT).unlink()
    (folder / "accounts").rmdir()
    if shape == "file":
        (folder / "accounts").write_text("platform: x\n", "utf-8")
    else:
        SHAPES[shape][0](folder / "accounts")
    code, doc, _ = check(capsys, str(folder))
    assert code == 2
    found = [m for _, p, m in inputs(doc) if p == f"{folder.as_posix()}/accounts"]
    assert len(found) == 1 and found[0].startswith(words), found
    assert found[0].endswith("nothing in it was checked")


def test_a_school_folder_without_search_permission_is_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Listed but not searchable (mode r--): every name is there, none can be opened.
    folder = school(tmp_path / "s")
    real_open = os.open

    def refuse(path: Any, flags: int, *rest: Any, **kw: Any) -> int:
        if Path(path).parent == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *rest, **kw)

    monkeypatch.setattr(os, "open", refuse)
    code, doc, _ = check(capsys, str(folder))
    assert code == 2
    unread = {p.rsplit("/", 1)[1] for _, p, m in inputs(doc) if "cannot read the file" in m}
    assert {"school.yaml", "policy.yaml", "pupils.yaml", "consent.yaml"} <= unread


# ---- a fleet --------------------------------------------------------------------------


def test_a_school_folder_that_cannot_be_listed_is_reported_not_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fleet = tmp_path / "trust"
    school(fleet / "a-primary")
    school(fleet / "b-locked")
    school(fleet / "c-secondary")
    _unlistable(monkeypatch, fleet / "b-locked")
    assert loader.find_schools(fleet) == [
        fleet / n for n in ("a-primary", "b-locked", "c-secondary")
    ]
    code, doc, _ = check(capsys, str(fleet))
    assert code == 2
    assert [s["root"] for s in doc["schools"]] == [
        f"{fleet.as_posix()}/{n}" for n in ("a-primary", "b-locked", "c-secondary")
    ]
    assert inputs(doc) == [
        (
            "IN001", f"{fleet.as_posix()}/b-locked",
            "b-locked is a folder safesocial cannot list (Permission denied); "
            "nothing in it was checked",
        )
    ]  # fmt: skip
    locked = loader.load_school(fleet / "b-locked", "b-locked").school
    assert {"school", "policy", "accounts"} <= locked.broken


def test_a_folder_deep_in_a_fleet_that_cannot_be_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fleet = tmp_path / "trust"
    school(fleet / "primary" / "oak")
    (fleet / "secondary" / "archive").mkdir(parents=True)
    _unlistable(monkeypatch, fleet / "secondary" / "archive")
    code, doc, _ = check(capsys, str(fleet))
    assert code == 2
    assert [p for _, p, _ in inputs(doc)] == [f"{fleet.as_posix()}/secondary/archive"]


def test_a_fleet_deeper_than_the_recursion_limit(tmp_path: Path) -> None:
    # Python's own folder walk recursed once per level, and 1,100 nested folders killed
    # it. Rather than build a tree that deep (pytest's own clean-up would recurse on it
    # too), the interpreter is given little stack to spare: 300 levels is then too deep
    # for any walk that recurses per level, and nothing for one with a stack of its own.
    deep = tmp_path / "trust"
    here = deep
    for _ in range(300):
        here = here / "d"
    here.mkdir(parents=True)
    school(here)
    frame, used = sys._getframe(), 0
    while frame is not None:
        frame, used = frame.f_back, used + 1
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(used + 100)
    try:
        found = loader.find_schools(deep)
    finally:
        sys.setrecursionlimit(limit)
    assert found == [here]


def test_a_fleet_too_deep_for_a_path_reports_the_folder_it_could_not_reach(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Past the system's longest path (4,096 bytes on Linux) a folder cannot be opened by
    # its path: it is reported, not passed over.
    deep = tmp_path / "trust"
    os.mkdir(deep)
    fd = os.open(deep, os.O_RDONLY)
    name = "d" * 200
    depth = 0
    try:
        while depth < 30:
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
            depth += 1
    finally:
        os.close(fd)
    found = loader.find_schools(deep)
    assert len(found) == 1 and len(str(found[0])) > 4000
    code, doc, _ = check(capsys, str(deep))
    assert code == 2
    ((rule, path, message),) = inputs(doc)
    assert rule == "IN001" and path.endswith(name) and "cannot list" in message


def test_a_school_yaml_that_is_not_a_file_in_a_fleet_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_hang: None
) -> None:
    # Taken for no school at all, the school would vanish from the fleet's report.
    fleet = tmp_path / "trust"
    school(fleet / "a")
    school(fleet / "b")
    (fleet / "b" / "school.yaml").unlink()
    (fleet / "b" / "school.yaml").mkdir()
    code, doc, _ = check(capsys, str(fleet))
    assert code == 2
    assert [s["root"].rsplit("/", 1)[1] for s in doc["schools"]] == ["a", "b"]
    assert any(m.startswith("school.yaml is a folder") for _, _, m in inputs(doc))


def test_links_to_folders_are_not_followed_in_a_fleet(tmp_path: Path) -> None:
    fleet = tmp_path / "trust"
    school(fleet / "a")
    (fleet / "loop").symlink_to(fleet, target_is_directory=True)
    assert loader.find_schools(fleet) == [fleet / "a"]


def test_regular_files_are_still_read(tmp_path: Path) -> None:
    # The open path's happy case: mode and contents as written.
    folder = school(tmp_path / "s")
    loaded = loader.load_school(folder, "s")
    assert loaded.problems == [] and loaded.school.broken == set()
    written = (folder / "school.yaml").read_bytes()
    assert inputfile.read_regular(folder / "school.yaml", "s", 10**6) == written


@pytest.mark.parametrize(
    "command",
    [
        ["check", "{school}", "--config", "{fifo}"],
        ["check", "{school}", "--baseline", "{fifo}"],
        ["pack", "validate", "{fifo}"],
        ["pack", "test", "{fifo}"],
    ],
    ids=["--config", "--baseline", "pack validate", "pack test"],
)
def test_every_command_given_a_pipe_by_name_stops_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_hang: None, command: list[str]
) -> None:
    folder = school(tmp_path / "s")
    os.mkfifo(tmp_path / "given.yaml")
    args = [a.format(school=folder, fifo=tmp_path / "given.yaml") for a in command]
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "given.yaml is a named pipe (FIFO), not a file" in err
