"""Read a platform export, a .zip or an unpacked folder, without trusting it.

An export is whatever the person downloaded, or whatever someone sent them claiming to
be one. Nothing is extracted to disk: the importer reads the few small JSON files it
needs straight from the archive, each one capped. Before anything is read the archive
is refused if its own headers say it is a bomb (too many entries, too large once
expanded) or if any entry is a symlink or would land outside the export's root; while
reading, a file that expands past what its header declared is refused too.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import zipfile
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from safesocial.errors import ImportProblem

# Real exports hold a few thousand files (media included); the X and Instagram ones of
# a school with years of photos run to a few GiB. The JSON files read are small.
MAX_ENTRIES = 100_000
MAX_TOTAL_BYTES = 8 * 1024**3
MAX_READ_BYTES = 64 * 1024**2
# The central directory of MAX_ENTRIES entries with long names fits well inside this.
MAX_DIRECTORY_BYTES = 64 * 1024**2
_CHUNK = 1024 * 1024
_EOCD = struct.Struct("<4sHHHHIIH")
_ZIP64_LOCATOR = struct.Struct("<4sIQI")
_DRIVE = re.compile(r"^[A-Za-z]:")


def _mib(n: int) -> str:
    return f"{n / 1024**2:,.0f} MiB" if n < 1024**3 else f"{n / 1024**3:,.1f} GiB"


class Export(ABC):
    """The files of one export, by their path inside it (always with `/`)."""

    def __init__(self, shown: str, names: list[str]) -> None:
        self.shown = shown
        self.names = sorted(names)
        self.read_names: list[str] = []

    def where(self, name: str) -> str:
        """How a file inside the export is named in messages."""
        return f"{self.shown}: {name}"

    def find(self, *basenames: str) -> list[str]:
        """Files whose own name (not folder) is one of `basenames`, in any case."""
        wanted = {b.lower() for b in basenames}
        return [n for n in self.names if PurePosixPath(n).name.lower() in wanted]

    def matching(self, pattern: re.Pattern[str]) -> list[str]:
        """Files whose own name matches `pattern` (matched against the lower-cased name)."""
        return [n for n in self.names if pattern.fullmatch(PurePosixPath(n).name.lower())]

    def read_bytes(self, name: str) -> bytes:
        self.read_names.append(name)
        return self._read(name)

    def text(self, name: str) -> str:
        data = self.read_bytes(name)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportProblem(
                f"{self.where(name)}: not UTF-8 text (byte {exc.start + 1}); "
                "exports are UTF-8, so this file is damaged or not part of an export"
            ) from None

    def newest_read(self) -> date | None:
        """The newest time among the files read: when the platform wrote the export."""
        times = [t for t in (self._time(n) for n in self.read_names) if t is not None]
        return max(times).date() if times else None

    @abstractmethod
    def _read(self, name: str) -> bytes: ...

    @abstractmethod
    def _time(self, name: str) -> datetime | None: ...


def _unsafe_name(name: str) -> str | None:
    """Why an entry's name could escape the export's root, or None when it cannot."""
    if "\0" in name:
        return "its name holds a NUL character"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "its path is absolute"
    if ".." in re.split(r"[\\/]", name):
        return "its path climbs out of the export with '..'"
    return None


def _directory_size(fh: BinaryIO, shown: str) -> tuple[int, int]:
    """Entry count and central directory size from the end-of-archive record.

    Read before zipfile loads the whole directory into memory, so that a directory of
    millions of entries is refused from its 22-byte summary.
    """
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    tail_len = min(size, _EOCD.size + 65535 + _ZIP64_LOCATOR.size)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        raise ImportProblem(f"{shown}: not a zip file (no end-of-archive record); is it damaged?")
    fields = _EOCD.unpack_from(tail, at)
    count, dir_size = fields[4], fields[5]
    if count == 0xFFFF or dir_size == 0xFFFFFFFF:  # zip64: the real numbers are elsewhere
        loc = at - _ZIP64_LOCATOR.size
        if loc >= 0 and tail[loc : loc + 4] == b"PK\x06\x07":
            offset = _ZIP64_LOCATOR.unpack_from(tail, loc)[2]
            fh.seek(offset)
            record = fh.read(56)
            if len(record) == 56 and record[:4] == b"PK\x06\x06":
                count, dir_size = struct.unpack_from("<QQ", record, 32)
    return count, dir_size


class ZipExport(Export):
    def __init__(self, path: Path, shown: str) -> None:
        self._fh = path.open("rb")
        try:
            count, dir_size = _directory_size(self._fh, shown)
            if count > MAX_ENTRIES or dir_size > MAX_DIRECTORY_BYTES:
                raise ImportProblem(
                    f"{shown}: the archive says it holds {count:,} entries; safesocial reads "
                    f"archives of at most {MAX_ENTRIES:,} (a zip bomb, or not an export)"
                )
            self._fh.seek(0)
            try:
                self._zip = zipfile.ZipFile(self._fh)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
                raise ImportProblem(f"{shown}: not a readable zip file ({exc})") from None
            self._infos = self._checked(shown)
        except BaseException:
            self._fh.close()
            raise
        super().__init__(shown, [n for n, i in self._infos.items() if not i.is_dir()])

    def _checked(self, shown: str) -> dict[str, zipfile.ZipInfo]:
        infos: dict[str, zipfile.ZipInfo] = {}
        total = 0
        listed = self._zip.infolist()
        if len(listed) > MAX_ENTRIES:
            raise ImportProblem(
                f"{shown}: the archive holds {len(listed):,} entries; safesocial reads "
                f"archives of at most {MAX_ENTRIES:,}"
            )
        for info in listed:
            why = _unsafe_name(info.filename)
            if why:
                raise ImportProblem(
                    f"{shown}: refused: the entry {info.filename!r} would be written outside "
                    f"the export ({why}); a real export never does this"
                )
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ImportProblem(
                    f"{shown}: refused: the entry {info.filename!r} is a symbolic link; "
                    "a real export holds plain files only"
                )
            if info.filename in infos:
                raise ImportProblem(
                    f"{shown}: refused: the entry {info.filename!r} is in the archive twice, "
                    "so which one is read would be a guess"
                )
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise ImportProblem(
                    f"{shown}: the archive expands to more than {_mib(MAX_TOTAL_BYTES)} "
                    "according to its own headers (a zip bomb?); if it is a real export with "
                    "media, unzip it and import the folder, or request it without media"
                )
            if not info.filename.startswith("__MACOSX/"):  # Finder's resource forks
                infos[info.filename] = info
        return infos

    def _read(self, name: str) -> bytes:
        info = self._infos[name]
        if info.file_size > MAX_READ_BYTES:
            raise ImportProblem(
                f"{self.where(name)}: {_mib(info.file_size)} once expanded; safesocial reads "
                f"files of at most {_mib(MAX_READ_BYTES)}"
            )
        limit = info.file_size
        parts: list[bytes] = []
        got = 0
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(_CHUNK):
                    got += len(chunk)
                    if got > limit:
                        raise ImportProblem(
                            f"{self.where(name)}: refused: it expands past the "
                            f"{limit:,} bytes its header declares (a zip bomb?)"
                        )
                    parts.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise ImportProblem(
                f"{self.where(name)}: cannot be read from the archive, which is damaged or "
                f"incomplete ({exc}); download the export again"
            ) from None
        except (NotImplementedError, RuntimeError) as exc:  # unknown compression, encrypted
            raise ImportProblem(f"{self.where(name)}: cannot be read ({exc})") from None
        return b"".join(parts)

    def _time(self, name: str) -> datetime | None:
        try:
            return datetime(*self._infos[name].date_time)
        except ValueError:  # a zeroed DOS date
            return None

    def close(self) -> None:
        self._zip.close()
        self._fh.close()


class FolderExport(Export):
    def __init__(self, root: Path, shown: str) -> None:
        self._root = root
        names: list[str] = []
        stack = [root]
        seen = 0
        while stack:
            folder = stack.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    seen += 1
                    if seen > MAX_ENTRIES:
                        raise ImportProblem(
                            f"{shown}: more than {MAX_ENTRIES:,} files; that is not an export "
                            "safesocial reads (is it the right folder?)"
                        )
                    rel = Path(entry.path).relative_to(root).as_posix()
                    if entry.is_symlink():
                        raise ImportProblem(
                            f"{shown}: refused: {rel} is a symbolic link; a real export "
                            "holds plain files only"
                        )
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    elif entry.is_file(follow_symlinks=False):
                        names.append(rel)
        super().__init__(shown, names)

    def _read(self, name: str) -> bytes:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(self._root / name, flags)
        except OSError as exc:
            raise ImportProblem(f"{self.where(name)}: cannot be read ({exc.strerror})") from None
        with os.fdopen(fd, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_READ_BYTES:
                raise ImportProblem(
                    f"{self.where(name)}: {_mib(size)}; safesocial reads files of at most "
                    f"{_mib(MAX_READ_BYTES)}"
                )
            return fh.read(MAX_READ_BYTES + 1)

    def _time(self, name: str) -> datetime | None:
        try:
            return datetime.fromtimestamp((self._root / name).stat().st_mtime)
        except OSError:
            return None

    def close(self) -> None:
        pass


@contextmanager
def open_export(path: Path, shown: str) -> Iterator[ZipExport | FolderExport]:
    """The export at `path`: a folder, or a zip file (by content, not by its name)."""
    export: ZipExport | FolderExport
    if path.is_dir():
        export = FolderExport(path, shown)
    elif path.is_file():
        with path.open("rb") as fh:
            magic = fh.read(4)
        if magic[:2] != b"PK":
            raise ImportProblem(
                f"{shown}: expected the export as a .zip file or an unpacked folder; "
                "this file is neither"
            )
        export = ZipExport(path, shown)
    else:
        raise ImportProblem(f"{shown}: no such file or folder")
    try:
        yield export
    finally:
        export.close()
