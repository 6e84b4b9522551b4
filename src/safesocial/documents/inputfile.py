"""Open an input file only if it is a regular file, and read at most a bounded amount.

Everything safesocial reads (school files, records, account files, the configuration,
rule packs and their cases, a baseline, .gitignore files) is opened here. The test is
made on the opened descriptor, never on the path first: a path test and the open that
follows it can see two different things. The open itself cannot block: with
O_NONBLOCK a named pipe (FIFO) opens at once instead of waiting for a writer, which a
pull request could make never come, and O_NOCTTY keeps a terminal device from becoming
ours. Whatever is not a regular file is then refused before a byte is read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from safesocial.errors import InputProblem
from safesocial.findings import Location

_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def kind(mode: int) -> str:
    """What kind of file `mode` says, in words."""
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "neither a file nor a folder"  # pragma: no cover - no other kind on Linux


def _not_opened(path: Path, shown: str, exc: OSError) -> InputProblem | None:
    """The open failures that say something about the file's shape, as input problems;
    None for the rest (permission, input/output errors), which callers word themselves."""
    where = Location(shown, 1, 1)
    if exc.errno == errno.ELOOP:
        return InputProblem(
            where, f"{path.name} is a loop of symbolic links; safesocial cannot read it"
        )
    if exc.errno in (errno.ENOENT, errno.ENOTDIR) and os.path.islink(path):
        return InputProblem(
            where,
            f"{path.name} is a symbolic link to nothing (what it points at is missing); "
            "copy the file in instead",
        )
    if exc.errno == errno.ENXIO:  # a socket, or a device without a driver, cannot be opened
        try:
            return _not_regular(path, shown, os.stat(path).st_mode)
        except OSError:
            return None
    return None


def _not_regular(path: Path, shown: str, mode: int) -> InputProblem:
    return InputProblem(
        Location(shown, 1, 1),
        f"{path.name} is {kind(mode)}, not a file; safesocial reads regular files only",
    )


def read_regular(path: Path, shown: str, limit: int) -> bytes:
    """The bytes of the regular file at `path` (links followed), at most `limit` + 1 of
    them so that the caller can tell an oversized file. Raises InputProblem for a file
    that is not regular or is too big, OSError for a file that cannot be opened."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        problem = _not_opened(path, shown, exc)
        if problem is None:
            raise
        raise problem from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(path, shown, info.st_mode)
        if info.st_size > limit:
            raise too_big(info.st_size, shown, limit)
        # A regular file can still grow while it is read: never more than the limit.
        chunks: list[bytes] = []
        wanted = limit + 1
        while wanted > 0:
            chunk = os.read(fd, min(wanted, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def too_big(size: int, shown: str, limit: int) -> InputProblem:
    return InputProblem(
        Location(shown, 1, 1),
        f"the file is {size:,} bytes; safesocial reads files up to {limit:,} bytes",
    )
