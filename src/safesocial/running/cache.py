"""The cache: a school whose inputs have not changed is not read or checked again.

Each school's result is kept in `.safesocial_cache/` (beside safesocial.yaml, else in
the checked folder), under a key made of everything the result depends on: the bytes
and names of every file the loader would read in the school folder, which of them git
would keep, the folder as findings show it, the configuration, the rule packs and
schemas (their content), safesocial's version and code, and the settings with the day
rules are judged on. Anything changed is a different key, so a miss.

What is kept is what the shareable JSON report holds (resultio): pupil refs, never
names or handles. It is JSON, never pickle, so a cache file that arrives in a pull
request cannot run code; and each entry is signed (HMAC) with a secret kept outside
the repository (SAFESOCIAL_CACHE_SECRET, else a file in the user's cache folder), so a
planted entry cannot pass for a real one and hide a finding.

A broken, foreign or unwritable cache is never fatal: the school is checked as if
there were none, and the caller gets a note to show. This module never prints.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from safesocial import __version__
from safesocial.atomic import write_atomic
from safesocial.documents import resources, vcs
from safesocial.errors import UsageError
from safesocial.model import parts
from safesocial.running.resultio import Malformed, school_from_record, school_record
from safesocial.running.results import SchoolResult
from safesocial.settings import Settings

CACHE_DIR = ".safesocial_cache"
FORMAT = 1
SECRET_ENV = "SAFESOCIAL_CACHE_SECRET"
# Set (to anything) to turn the cache off, like --no-cache.
OFF_ENV = "SAFESOCIAL_NO_CACHE"
_PACKAGE = Path(__file__).resolve().parents[1]  # the whole safesocial package
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# safesocial's cache; safe to delete\n"


class Unavailable(Exception):
    """The cache cannot be used at all in this run (its secret cannot be read or made)."""


def location(config_path: Path | None, first_path: Path) -> Path:
    """Where the cache lives: beside safesocial.yaml, else in the (first) checked folder."""
    return (config_path.parent if config_path else first_path) / CACHE_DIR


def _digest(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _tree_digest(folders: Iterable[Path], pattern: str, content: bool) -> list[str]:
    """Each file's relative name with its content hash (or, for code, size and time:
    hashing every module would cost more than the start-up it saves)."""
    out = []
    for top in folders:
        for path in sorted(top.rglob(pattern)):
            if not path.is_file():
                continue
            if content:
                out.append(f"{path.relative_to(top).as_posix()}:{_digest(path)}")
            else:
                stat = path.stat()
                out.append(f"{path.relative_to(top).as_posix()}:{stat.st_size}:{stat.st_mtime_ns}")
    return out


def run_key(
    settings: Settings,
    config_path: Path | None,
    packs: Sequence[Path],
    rules: Sequence[str] = (),
) -> str:
    """What every school's key shares: safesocial, its data, the configuration, the rules.

    `rules` are the chosen rules as run (id, severity, category): --select and --ignore on
    the command line change them without changing any file."""
    parts = {
        "rules": list(rules),
        "format": FORMAT,
        "version": __version__,
        "code": _tree_digest([_PACKAGE], "*.py", content=False),
        "data": _tree_digest(
            [resources.data_dir("schemas"), resources.data_dir("policies")], "*", content=True
        ),
        "settings": {k: str(v) for k, v in asdict(settings).items()},
        "config": _digest(config_path) if config_path else None,
        "packs": [f"{p.resolve()}:{_digest(p)}" for p in packs],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _inputs(folder: Path) -> list[Path]:
    """Every file the loader would look at in `folder`: each name a part may have (two
    for one part is itself a finding) and every account file."""
    found = [folder / n for part in parts.PARTS for n in part.names if (folder / n).is_file()]
    accounts = folder / "accounts"
    if accounts.is_dir():
        found.extend(
            p for p in sorted(accounts.iterdir()) if p.suffix in (".yaml", ".yml") and p.is_file()
        )
    return found


def school_key(run: str, folder: Path, shown: str) -> str:
    """The key of one school's result; OSError when a file cannot be read."""
    inside = folder.resolve()
    h = hashlib.sha256(f"{run}\0{shown}\0".encode())
    names = [n for part in parts.PARTS for n in part.names]
    h.update(",".join(sorted(vcs.versioned(folder, names))).encode() + b"\0")
    for path in _inputs(folder):
        rel = path.relative_to(folder).as_posix()
        if not path.resolve().is_relative_to(inside):
            h.update(f"{rel}\0outside\0".encode())  # the loader refuses it, whatever it holds
        else:
            h.update(f"{rel}\0{_digest(path)}\0".encode())
    return h.hexdigest()


def _secret() -> bytes:
    """The key entries are signed with: from the environment (a CI secret), else a file
    in the user's own cache folder, made on first use. Never in the repository."""
    given = os.environ.get(SECRET_ENV)
    if given:
        return given.encode()
    try:
        home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "safesocial"
    except RuntimeError:  # no home folder to be found
        raise Unavailable("no home folder for its secret; set SAFESOCIAL_CACHE_SECRET") from None
    path = home / "cache-secret"
    try:
        if not path.is_file():
            home.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        text = path.read_text("ascii").strip()
    except FileExistsError:  # another process made it meanwhile
        text = path.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise Unavailable(f"cannot read or make its secret in {home}: {exc}") from None
    if len(text) < 32:
        raise Unavailable(f"its secret in {path} is too short; delete the file")
    return text.encode()


@dataclass(frozen=True, slots=True)
class Cache:
    """One run's view of the cache folder; picklable, so worker processes use it too."""

    folder: Path
    run: str
    secret: bytes

    @classmethod
    def open(cls, folder: Path, run: str) -> Cache:
        # A link planted in a pull request would have entries (and our .gitignore)
        # written wherever it points.
        if folder.is_symlink():
            raise Unavailable(f"{folder} is a symbolic link")
        return cls(folder, run, _secret())

    def _entry(self, folder: Path, shown: str) -> Path:
        where = hashlib.sha256(f"{folder.resolve()}\0{shown}".encode()).hexdigest()[:32]
        return self.folder / f"{where}.json"

    def _mac(self, key: str, body: bytes) -> str:
        return hmac.new(self.secret, key.encode() + b"\n" + body, "sha256").hexdigest()

    def lookup(self, folder: Path, shown: str) -> tuple[str | None, SchoolResult | None, str]:
        """(the school's key, its cached result or None, a note or ""). The key is None
        when a file cannot be read: then nothing is cached and the loader says why."""
        try:
            key = school_key(self.run, folder, shown)
        except OSError:
            return None, None, ""
        entry = self._entry(folder, shown)
        try:
            raw = entry.read_bytes()
        except FileNotFoundError:
            return key, None, ""
        except OSError as exc:
            return key, None, f"cache: cannot read {entry} ({exc.strerror}); checked {shown} anew"
        head, _, body = raw.partition(b"\n")
        try:
            header = json.loads(head)
            if not isinstance(header, dict) or header.get("safesocial_cache") != FORMAT:
                raise ValueError
            if header.get("version") != __version__:
                return (
                    key,
                    None,
                    (
                        f"cache: ignored {entry}, written by another safesocial version "
                        f"({str(header.get('version'))[:20]!r}); checked {shown} anew"
                    ),
                )
            if header.get("key") != key:
                return key, None, ""  # something changed: an ordinary miss
            if not hmac.compare_digest(str(header.get("mac")), self._mac(key, body)):
                return (
                    key,
                    None,
                    (
                        f"cache: ignored {entry}, which was not written with this machine's "
                        f"cache secret; checked {shown} anew"
                    ),
                )
            result = school_from_record(json.loads(body))
            if result.root != shown:
                raise ValueError
        except (ValueError, Malformed, RecursionError):
            return key, None, f"cache: ignored {entry}, which is corrupt; checked {shown} anew"
        return key, result, ""

    def store(self, key: str, folder: Path, shown: str, result: SchoolResult) -> str:
        """Keep `result` under `key`; a note when it cannot be written, else ""."""
        body = json.dumps(school_record(result), ensure_ascii=False).encode("utf-8")
        header = {"safesocial_cache": FORMAT, "version": __version__, "key": key}
        header["mac"] = self._mac(key, body)
        try:
            _prepare(self.folder)
            write_atomic(self._entry(folder, shown), json.dumps(header).encode() + b"\n" + body)
        except OSError as exc:
            return f"cache: cannot write in {self.folder} ({exc.strerror}); checked without it"
        return ""


def _prepare(folder: Path) -> None:
    """Make the folder, tagged so that git and backup tools leave it out by themselves."""
    if (folder / ".gitignore").is_file():
        return
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / "CACHEDIR.TAG", _TAG)
    write_atomic(folder / ".gitignore", "# safesocial's cache: never commit it\n*\n")


def clear(folder: Path) -> bool:
    """Delete the cache folder; False when there was none. Only a folder that is
    safesocial's cache (it holds our tag) is removed."""
    if not folder.is_dir():
        return False
    if not (folder / "CACHEDIR.TAG").is_file() or folder.is_symlink():
        raise UsageError(f"{folder} does not look like safesocial's cache; not deleted")
    shutil.rmtree(folder)
    return True
