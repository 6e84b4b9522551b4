"""Whether a school's files are kept in git, read from the folders alone.

safesocial never runs git: a checked repository may come from anyone (a pull request in
CI), and git itself runs code a repository can configure (hooks, fsmonitor). So this
reads only two things: is there a `.git` at or above the school folder, and do the
`.gitignore` files from there down (and `.git/info/exclude`) keep a file out. The
gitignore reading covers what schools write (`pupils.yaml`, `*.csv`, `/records/`,
`!keep.yaml`); git's global excludes file, and a file committed before it was ignored,
are not seen (docs/configuration.md says so).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from safesocial.documents import inputfile
from safesocial.errors import InputProblem

# A .gitignore bigger than this is not one a person wrote; it is skipped, not read.
_MAX_IGNORE_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class _Pattern:
    base: Path  # the folder of the .gitignore that holds it
    glob: str
    negate: bool
    dir_only: bool
    anchored: bool


def work_tree(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` holding `.git` (a folder, or the file a
    worktree or submodule has instead)."""
    try:
        here = folder.resolve()
    except (OSError, RuntimeError):
        return None
    for candidate in (here, *here.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


def _parse(text: str, base: Path) -> list[_Pattern]:
    patterns = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        if negate:
            line = line[1:]
        if line.startswith(("\\#", "\\!")):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        # A slash anywhere but at the end ties the pattern to the .gitignore's folder.
        anchored = "/" in line
        patterns.append(_Pattern(base, line.lstrip("/"), negate, dir_only, anchored))
    return patterns


def _read_ignore(path: Path, base: Path) -> list[_Pattern]:
    try:
        data = inputfile.read_regular(path, str(path), _MAX_IGNORE_BYTES)
    except (OSError, InputProblem):  # none, not a regular file, or too big
        return []
    if len(data) > _MAX_IGNORE_BYTES:
        return []
    return _parse(data.decode("utf-8", errors="replace"), base)


def _patterns(top: Path, folder: Path) -> list[_Pattern]:
    """Every ignore pattern that can reach `folder`, in the order git weighs them."""
    found = _read_ignore(top / ".git" / "info" / "exclude", top)
    chain = [top, *(top / part for part in _prefixes(folder.relative_to(top).parts))]
    for here in chain:
        found.extend(_read_ignore(here / ".gitignore", here))
    return found


def _prefixes(parts: tuple[str, ...]) -> list[str]:
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _matches(pattern: _Pattern, path: Path, is_dir: bool) -> bool:
    if pattern.dir_only and not is_dir:
        return False
    try:
        rel = path.relative_to(pattern.base).as_posix()
    except ValueError:
        return False
    if not pattern.anchored:
        return fnmatch.fnmatchcase(path.name, pattern.glob)
    glob = pattern.glob
    if glob.startswith("**/"):
        return fnmatch.fnmatchcase(rel, glob) or fnmatch.fnmatchcase(rel, glob[3:])
    return fnmatch.fnmatchcase(rel, glob)


def _ignored(patterns: list[_Pattern], top: Path, path: Path) -> bool:
    """Git's rule: the last pattern that matches decides, and a file inside an ignored
    folder stays ignored whatever a later pattern says about the file itself."""
    for prefix in _prefixes(path.relative_to(top).parts):
        here = top / prefix
        verdict = False
        for pattern in patterns:
            if _matches(pattern, here, is_dir=here != path):
                verdict = not pattern.negate
        if verdict:
            return True
    return False


def versioned(folder: Path, names: Iterable[str]) -> frozenset[str]:
    """Those of `names` (files directly in `folder`) that sit in a git work tree and that
    no gitignore pattern keeps out: files a `git add` would put in the history."""
    top = work_tree(folder)
    if top is None:
        return frozenset()
    here = folder.resolve()
    present = [name for name in names if os.path.isfile(here / name)]
    if not present:
        return frozenset()
    patterns = _patterns(top, here)
    return frozenset(name for name in present if not _ignored(patterns, top, here / name))
