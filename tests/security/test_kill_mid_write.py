"""A process killed while it writes a report (or an import) leaves the old file whole.

write_atomic writes a temporary file beside the target and renames it over the target
in one step. A SIGKILL (or a power cut) can strike at any moment, so a child process
writes large reports over and over and is killed at random; the target must then be
the old file or one of the new ones, whole, every time. What SIGKILL can leave is the
temporary file itself: it is named `.NAME.XXXXXXXX.tmp`, readable by its owner only,
never read by safesocial, and the next write is unaffected (SECURITY.md says so).
"""

from __future__ import annotations

import random
import re
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from safesocial.model import loader
from safesocial.packs import cases

SIZE = 8 * 1024 * 1024
OLD = b"the old report, whole\n"
NEW = (b"A" * SIZE, b"B" * SIZE)
TEMP = re.compile(r"^\.report\.json\.[A-Za-z0-9_]+\.tmp$")

WRITER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from safesocial.atomic import write_atomic

    target, size, stall = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "stall"
    if stall:  # stop inside the write, after the data and before the rename
        real_fsync = os.fsync
        def fsync(fd):
            real_fsync(fd)
            print("writing", flush=True)
            while True:
                pass
        os.fsync = fsync
    print("started", flush=True)
    n = 0
    while True:
        write_atomic(target, (b"A" if n % 2 == 0 else b"B") * size)
        n += 1
    """
)


def _start(target: Path, stall: bool) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target), str(SIZE), "stall" if stall else "loop"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "started\n"
    return child


def _kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL


def _leftovers(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name != "report.json")


def test_killed_at_random_moments_the_file_is_always_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(OLD)
    seen: set[bytes] = set()
    rng = random.Random()  # a new moment each run: that is the point
    for _ in range(6):
        child = _start(target, stall=False)
        time.sleep(rng.uniform(0.0, 0.4))
        _kill(child)
        data = target.read_bytes()
        assert data in (OLD, *NEW), f"a torn file: {len(data)} bytes, starts {data[:20]!r}"
        seen.add(data[:1])
        for left in _leftovers(tmp_path):
            assert TEMP.match(left.name), f"an unexpected file: {left.name}"
    # The runs did write, and were killed in the middle of a write at least once (a
    # temporary file was left): else the test showed nothing.
    assert seen & {b"A", b"B"}
    assert _leftovers(tmp_path)


def test_killed_inside_a_write_the_old_file_stays_and_the_next_write_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(OLD)
    child = _start(target, stall=True)
    assert child.stdout is not None and child.stdout.readline() == "writing\n"
    _kill(child)  # the new data is on disk in the temporary file, not yet renamed
    assert target.read_bytes() == OLD
    (left,) = _leftovers(tmp_path)
    assert TEMP.match(left.name) and left.stat().st_size == SIZE
    assert stat.S_IMODE(left.stat().st_mode) == 0o600  # half a report: its owner's only

    from safesocial.atomic import write_atomic

    write_atomic(target, b"the next report\n")
    assert target.read_bytes() == b"the next report\n"


def test_a_leftover_temporary_file_is_never_read_as_input(tmp_path: Path) -> None:
    # An import killed mid-write leaves `.main.yaml.XXXX.tmp` in accounts/, holding a
    # half-written account; the loader reads only *.yaml, *.yml and *.csv by name.
    folder = tmp_path / "school"
    cases.materialise({}, folder)
    (folder / "accounts" / ".main.yaml.k2j3h4g5.tmp").write_text("platform: [half", "utf-8")
    (folder / ".pupils.yaml.a1b2c3d4.tmp").write_bytes(b"\x00\x01 half a file")
    loaded = loader.load_school(folder, "s")
    assert loaded.problems == []
    assert not any("tmp" in name for name in loaded.school.files)
