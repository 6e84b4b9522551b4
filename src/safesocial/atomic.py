"""Write files so that a crash or a kill never leaves half of one behind."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, BinaryIO


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it
    over `path` in one step: readers see the old file or the new one, never a mix.

    A symlink is replaced by the new file, never followed: in CI a pull request could
    plant `results.sarif` as a link to a file elsewhere on the runner. Something that is
    not a regular file (/dev/null, a pipe, a terminal) is written in place: renaming over
    it would replace the device itself.
    """
    path = Path(path)
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISLNK(mode):
        mode = None  # the link goes; a new regular file takes its place
    if mode is not None and not stat.S_ISREG(mode):
        with _open(path.open("wb"), data) as fh:
            fh.write(data)
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with _open(os.fdopen(fd, "wb"), data) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # Keep the old file's permissions: a report a school locked down stays so.
        os.chmod(tmp, stat.S_IMODE(mode) if mode is not None else 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _open(raw: BinaryIO, data: str | bytes) -> Any:
    # Text is encoded as it is written: a report of a few hundred megabytes is not
    # copied whole into bytes first.
    return io.TextIOWrapper(raw, encoding="utf-8", newline="") if isinstance(data, str) else raw
