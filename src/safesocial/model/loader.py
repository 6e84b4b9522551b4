"""Read a school folder: parse each file, validate it, build the model.

Each file is read on its own: a file that fails to parse or validate becomes an
input problem and is left out, and every other file is still read and checked.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from safesocial.documents import inputfile, validate, vcs, yamlio
from safesocial.documents.csvfile import read_csv
from safesocial.documents.yamlio import YMap
from safesocial.errors import InputProblem
from safesocial.findings import Location
from safesocial.model import Loaded, Pruned, School, prune
from safesocial.model.parts import PARTS, SCHOOL_MARKERS, Part, store_account

__all__ = ["PARTS", "SCHOOL_MARKERS", "find_schools", "load_school", "read_yaml", "shown_path"]


def _display(root: str, rel: str) -> str:
    return f"{root.rstrip('/')}/{rel}" if root not in ("", ".") else rel


def _listing(folder: Path) -> set[str]:
    """The names in `folder`, whatever each is (a file, a folder, a pipe, a link to
    nothing): a name a school uses is then read, or said why not, never passed over.
    Empty if the folder cannot be listed, which `_files` reports."""
    try:
        return set(os.listdir(folder))
    except OSError:
        return set()


def _first(folder: Path, listing: set[str], *names: str) -> Path | None:
    return next((folder / n for n in names if n in listing), None)


def read_yaml(path: Path, shown: str) -> Any:
    return yamlio.parse(yamlio.read_text(path, shown), shown)


def _checked(doc: Any, schema: str, shown: str) -> list[InputProblem]:
    if doc is None:
        return [InputProblem(Location(shown, 1, 1), "the file is empty")]
    return list(validate.check(doc, schema, shown))


def _as_row(problem: InputProblem, csv_key: str) -> InputProblem:
    """A CSV row is a row, not `consent[3]`: the problem already points at its line."""
    said = re.sub(rf"\b{csv_key}\[\d+\]", "this row", problem.message)
    return InputProblem(problem.location, said, problem.code)


def _read(
    path: Path, shown: str, schema: str, csv_key: str | None, records: str | None = None
) -> tuple[YMap, tuple[Pruned, ...], list[InputProblem]]:
    """The document with whatever fails its schema taken out, and what was taken out.

    Every problem is reported at its value; the file is refused as a whole (_Invalid)
    only when what is left cannot become a record (prune.py).
    """
    if path.suffix == ".csv" and csv_key:
        doc: Any = read_csv(path, shown, csv_key, schema)
        problems = [_as_row(p, csv_key) for p in _checked(doc, schema, shown)]
    else:
        doc = read_yaml(path, shown)
        problems = _checked(doc, schema, shown)
    if not problems:
        assert isinstance(doc, YMap)  # the schema demands a mapping at the top
        return doc, (), []
    try:
        if not isinstance(doc, YMap):
            raise prune.Unusable
        pruned = prune.prune(doc, schema, records)
    except prune.Unusable:
        raise _Invalid(problems) from None
    return doc, tuple(pruned), problems


class _Invalid(Exception):
    def __init__(self, problems: list[InputProblem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


def _files(folder: Path, root: str, loaded: Loaded) -> Iterator[tuple[Path, str, Part | None]]:
    """Every file of the school to read; a folder that cannot be listed is a problem in
    `loaded`, with every part it could hold marked as not checked."""
    try:
        listing = set(os.listdir(folder))
    except OSError as exc:
        loaded.problems.append(_unlisted(folder, root or ".", exc))
        loaded.school.broken.update([*(part.key for part in PARTS), "accounts"])
        return
    for part in PARTS:
        path = _first(folder, listing, *part.names)
        if path is None:
            if part.required:
                yield folder / part.names[0], _display(root, part.names[0]), part
            continue
        yield path, _display(root, path.name), part
    if "accounts" not in listing:
        return
    accounts = folder / "accounts"
    try:
        names = sorted(os.listdir(accounts))  # through a link: each file is checked below
    except OSError as exc:
        loaded.problems.append(_unlisted(accounts, _display(root, "accounts"), exc))
        loaded.school.broken.add("accounts")
        return
    for name in names:
        if name.endswith((".yaml", ".yml")):
            yield accounts / name, _display(root, f"accounts/{name}"), None


def _unlisted(folder: Path, shown: str, exc: OSError) -> InputProblem:
    """Why a folder could not be listed, as an input problem at the folder."""
    where = Location(shown, 1, 1)
    if exc.errno == errno.ENOTDIR:
        try:
            what = inputfile.kind(folder.stat().st_mode)
        except OSError:
            what = "not a folder"
        return InputProblem(
            where, f"{folder.name} is {what}, not a folder; nothing in it was checked"
        )
    if exc.errno == errno.ENOENT and os.path.islink(folder):
        what = "a symbolic link to nothing (what it points at is missing)"
    elif exc.errno == errno.ELOOP:
        what = "a loop of symbolic links"
    else:
        what = f"a folder safesocial cannot list ({exc.strerror})"
    return InputProblem(where, f"{folder.name} is {what}; nothing in it was checked")


def _ignored(folder: Path, root: str) -> Iterator[InputProblem]:
    """A second file for one part (consent.yaml and consent.csv) would be silently unread."""
    listing = _listing(folder)
    for part in PARTS:
        present = [n for n in part.names if n in listing]
        for name in present[1:]:
            yield InputProblem(
                Location(_display(root, name), 1, 1),
                f"both {present[0]} and {name} are here; safesocial reads only {present[0]}, "
                f"so delete or rename {name}",
            )


def _outside(folder: Path, path: Path) -> bool:
    """Whether `path` leads, through symbolic links, out of the school folder."""
    try:
        return not path.resolve().is_relative_to(folder.resolve())
    except RuntimeError:  # a loop of links: nothing can be read through it, and the read says so
        return False
    except OSError:
        return True


def _unread(loaded: Loaded, part: Part | None, path: Path, problems: list[InputProblem]) -> None:
    """A file that never became a record: its problems, and the gap it leaves."""
    loaded.problems.extend(problems)
    loaded.school.broken.add(part.key if part else "accounts")
    target = part.key if part else f"accounts/{path.name}"
    loaded.school.unread.setdefault(target, problems[0].location)


def load_school(folder: Path, shown_root: str) -> Loaded:
    """Read one school folder; `shown_root` is how paths appear in findings."""
    loaded = Loaded(School(root=shown_root))
    loaded.problems.extend(_ignored(folder, shown_root))
    for path, shown, part in _files(folder, shown_root, loaded):
        try:
            if not os.path.lexists(path):
                raise InputProblem(
                    Location(shown, 1, 1),
                    f"{path.name} is missing; every school folder needs one",
                    code="IN003",
                )
            if _outside(folder, path):
                # A checked folder may come from anyone (a pull request in CI): a link to
                # ~/.ssh or another school's records must not be read into the report.
                raise InputProblem(
                    Location(shown, 1, 1),
                    f"{path.name} is a symbolic link to a file outside the school folder; "
                    "safesocial does not follow it: copy the file in instead",
                )
            loaded.school.files.append(shown)
            if part is None:
                doc, pruned, problems = _read(path, shown, "account.schema.json", None)
                store_account(loaded.school, doc, path.stem, pruned)
            else:
                doc, pruned, problems = _read(path, shown, part.schema, part.csv_key, part.records)
                part.store(loaded.school, doc, path.stem, pruned)
            # Read in part: every problem is reported, and the rest is checked.
            loaded.problems.extend(problems)
        except InputProblem as problem:
            _unread(loaded, part, path, [problem])
        except _Invalid as invalid:
            _unread(loaded, part, path, invalid.problems)
        except OSError as exc:
            unreadable = InputProblem(
                Location(shown, 1, 1), f"cannot read the file: {exc.strerror}"
            )
            _unread(loaded, part, path, [unreadable])
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            # A bug met on one file must not stop the others being checked; the type only,
            # as an exception's text may quote the file. tests/unit/test_properties.py hunts these.
            bug = InputProblem(
                Location(shown, 1, 1),
                f"safesocial could not read this file ({type(exc).__name__}); "
                "this is a bug in safesocial, please report it",
            )
            _unread(loaded, part, path, [bug])
    loaded.school.versioned = vcs.versioned(folder, [n for part in PARTS for n in part.names])
    return loaded


def find_schools(path: Path) -> list[Path]:
    """School folders at or below `path` (a folder holding school.yaml), in sorted order,
    and every folder there that could not be listed: it may hold a school, so it is
    loaded like one, and `load_school` reports it as unread (an input error, exit 2).

    The walk keeps its own stack, so no depth of folders exhausts Python's recursion,
    and it follows no link to a folder (a loop of them would never end)."""
    found: list[Path] = []
    stack = [path]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = [(e.name, e.is_dir(follow_symlinks=False)) for e in listing]
        except OSError:
            found.append(folder)
            continue
        # Any kind of entry marks a school: a school.yaml that is a folder or a pipe is
        # then reported at its path, not taken for no school at all.
        if any(name in SCHOOL_MARKERS for name, _ in entries):
            found.append(folder)
            continue  # a school's own sub-folders are not other schools
        stack.extend(folder / n for n, is_dir in entries if is_dir and not n.startswith("."))
    return sorted(found)


def shown_path(base_shown: str, base: Path, folder: Path) -> str:
    rel = folder.relative_to(base).as_posix()
    return base_shown if rel == "." else _display(base_shown, rel)
