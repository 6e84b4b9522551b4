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

    What is found at `path` is never followed or written through: in CI a pull request
    could plant `results.sarif` as a link to a file elsewhere on the runner, or as a
    named pipe that no one reads (writing to it would wait for ever). A link, a pipe, a
    socket or a device there is replaced by the new file, like an old report. Only a
    path the user wrote under /dev (/dev/stdout, /dev/null, /dev/fd/N from a shell's
    `>(...)`) is written in place, through its links: renaming over it would replace the
    device itself, and no repository can put anything there.
    """
    path = Path(path)
    try:
        mode: int | None = path.lstat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        if _named_device(path):
            with _open(path.open("wb"), data) as fh:
                fh.write(data)
            return
        mode = None  # whatever it was goes; a new regular file takes its place
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


def _named_device(path: Path) -> bool:
    # As written (made absolute, links not followed): a link in the checked repository
    # that points into /dev is not a path the user named.
    return os.path.abspath(path).startswith("/dev/")


def _open(raw: BinaryIO, data: str | bytes) -> Any:
    # Text is encoded as it is written: a report of a few hundred megabytes is not
    # copied whole into bytes first.
    return io.TextIOWrapper(raw, encoding="utf-8", newline="") if isinstance(data, str) else raw
