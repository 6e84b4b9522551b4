"""write_atomic: whole files or none; never a device replaced by a file, never a file
written through a link or a pipe found in the repository."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from safesocial.atomic import write_atomic


def test_writes_and_replaces_a_regular_file(tmp_path: Path):
    target = tmp_path / "report.json"
    write_atomic(target, "one")
    target.chmod(0o600)
    write_atomic(target, "two")
    assert target.read_text() == "two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.parametrize("make", [os.mkfifo, "socket"], ids=["fifo", "socket"])
def test_a_pipe_found_at_a_report_path_is_replaced_not_written_through(tmp_path: Path, make):
    # A pull request can plant results.sarif as a named pipe: written through, the report
    # would wait for ever for a reader. It is replaced like any old report. (A reader is
    # opened so that the old behaviour, writing into the pipe, fails here instead of hanging.)
    target = tmp_path / "results.sarif"
    if make == "socket":
        held = socket.socket(socket.AF_UNIX)
        held.bind(str(target))
    else:
        make(target)
        held = os.open(target, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomic(target, "the report")
        assert stat.S_ISREG(target.lstat().st_mode)
        assert target.read_text() == "the report"
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
    finally:
        held.close() if isinstance(held, socket.socket) else os.close(held)


def test_a_pipe_the_user_names_under_dev_is_written_in_place(tmp_path: Path):
    # `--output json:>(jq ...)` in a shell passes /dev/fd/N, a link to a pipe.
    reader, writer = os.pipe()
    try:
        write_atomic(Path(f"/dev/fd/{writer}"), "through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
        os.close(writer)


def test_a_link_into_dev_in_the_repository_is_replaced(tmp_path: Path):
    # Only a path the user wrote under /dev is a device on purpose, not a link to one.
    link = tmp_path / "report.json"
    link.symlink_to("/dev/null")
    write_atomic(link, "report")
    assert not link.is_symlink() and link.read_text() == "report"
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_a_folder_at_the_report_path_is_refused_and_kept(tmp_path: Path):
    folder = tmp_path / "report.json"
    (folder / "inside").mkdir(parents=True)
    with pytest.raises(OSError):
        write_atomic(folder, "report")
    assert (folder / "inside").is_dir()
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary left


def test_dev_null_stays_a_device():
    write_atomic(Path("/dev/null"), "nothing")
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_a_symlink_is_replaced_not_followed(tmp_path: Path):
    # A pull request could plant results.sarif as a link to a file elsewhere on a CI
    # runner: the report replaces the link, and the file it pointed at is untouched.
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me")
    link = tmp_path / "results.sarif"
    link.symlink_to(elsewhere)
    write_atomic(link, "report")
    assert not link.is_symlink() and link.read_text() == "report"
    assert elsewhere.read_text() == "keep me"


def test_a_report_path_of_dash_is_standard_output() -> None:
    from safesocial.reporters import output

    assert output.parse("json:-") == output.Output("json", None)
    assert output.parse("json:./-") == output.Output("json", Path("./-"))  # a file named -
