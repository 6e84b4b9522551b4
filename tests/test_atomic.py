"""write_atomic: whole files or none; never a device replaced by a file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from safesocial.atomic import write_atomic


def test_writes_and_replaces_a_regular_file(tmp_path: Path):
    target = tmp_path / "report.json"
    write_atomic(target, "one")
    target.chmod(0o600)
    write_atomic(target, "two")
    assert target.read_text() == "two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_device_is_written_in_place_not_replaced(tmp_path: Path):
    # Once, `-o json:/dev/null` renamed a file over /dev/null. A FIFO stands in for it.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomic(fifo, "through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


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
