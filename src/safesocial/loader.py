"""Read a school folder: parse each file, validate it, build the model.

Each file is read on its own: a file that fails to parse or validate becomes an
input problem and is left out, and every other file is still read and checked.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safesocial import validate, yamlio
from safesocial.errors import InputProblem
from safesocial.findings import Location
from safesocial.model import (
    Account,
    ConsentRecord,
    Policy,
    Pupil,
    School,
    SchoolInfo,
    StaffAccount,
)
from safesocial.yamlio import YList, YMap

SCHOOL_MARKERS = ("school.yaml", "school.yml")
_CSV_BOOL = {"true": True, "yes": True, "y": True, "1": True,
             "false": False, "no": False, "n": False, "0": False}  # fmt: skip
_CSV_INT = {"year_group", "age"}
_CSV_LIST = {"scopes"}


@dataclass(slots=True)
class Loaded:
    """A school as read, plus every problem met on the way."""

    school: School
    problems: list[InputProblem] = field(default_factory=list)


def _display(root: str, rel: str) -> str:
    return f"{root.rstrip('/')}/{rel}" if root not in ("", ".") else rel


def _first(folder: Path, *names: str) -> Path | None:
    return next((folder / n for n in names if (folder / n).is_file()), None)


def read_yaml(path: Path, shown: str) -> Any:
    return yamlio.parse(yamlio.decode(path.read_bytes(), shown), shown)


def _csv_value(key: str, text: str) -> Any:
    # CSV cells are all text; the columns that are not get their type back here.
    lowered = text.strip().lower()
    if lowered in _CSV_BOOL and key not in ("ref", "pupil"):
        return _CSV_BOOL[lowered]
    if key in _CSV_INT and lowered.lstrip("-").isdigit():
        return int(lowered)
    return text.strip()


def read_csv(path: Path, shown: str, list_key: str) -> YMap:
    """A CSV file as the same document its YAML twin would give, one row per line."""
    text = yamlio.decode(path.read_bytes(), shown)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputProblem(
            Location(shown, 1, 1), "the CSV file is empty; it needs a header row"
        ) from None
    except csv.Error as exc:
        raise InputProblem(Location(shown, 1, 1), f"CSV: {exc}") from None
    rows = YList(shown, 2, 1)
    doc = YMap(shown, 1, 1)
    doc[list_key] = rows
    doc.key_pos[list_key] = (1, 1)
    line = 1
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                raise InputProblem(
                    Location(shown, line, 1),
                    f"row has {len(cells)} cells but the header names {len(header)} columns",
                )
            row = YMap(shown, line, 1)
            col = 1
            for key, cell in zip(header, cells, strict=False):
                if cell.strip():
                    if key in _CSV_LIST:
                        items = YList(shown, line, col)
                        items.extend(p.strip() for p in cell.split(";") if p.strip())
                        items.item_pos.extend((line, col) for _ in items)
                        row[key] = items
                    else:
                        row[key] = _csv_value(key, cell)
                    row.key_pos[key] = (line, col)
                col += len(cell) + 1
            rows.append(row)
            rows.item_pos.append((line, 1))
    except csv.Error as exc:
        raise InputProblem(Location(shown, line, 1), f"CSV: {exc}") from None
    return doc


def _checked(doc: Any, schema: str, shown: str) -> list[InputProblem]:
    if doc is None:
        return [InputProblem(Location(shown, 1, 1), "the file is empty")]
    return list(validate.check(doc, schema, shown))


@dataclass(frozen=True, slots=True)
class _Part:
    key: str
    names: tuple[str, ...]
    schema: str
    csv_key: str | None
    store: Callable[[School, YMap, str], None]
    required: bool = False


def _store_school(s: School, doc: YMap, _: str) -> None:
    s.info = SchoolInfo.build(doc)


def _store_policy(s: School, doc: YMap, _: str) -> None:
    s.policy = Policy(doc)


def _store_consent(s: School, doc: YMap, _: str) -> None:
    s.consent = [ConsentRecord.build(n) for n in doc["consent"]]
    for record in s.consent:
        s.consent_index.setdefault(record.pupil, []).append(record)


def _store_pupils(s: School, doc: YMap, _: str) -> None:
    s.pupils = {p.ref: p for p in map(Pupil.build, doc["pupils"])}


def _store_staff_accounts(s: School, doc: YMap, _: str) -> None:
    s.staff_accounts = [StaffAccount.build(n) for n in doc["staff_accounts"]]


def _store_account(s: School, doc: YMap, stem: str) -> None:
    s.accounts.append(Account.build(stem, doc))


PARTS = (
    _Part("school", SCHOOL_MARKERS, "school.schema.json", None, _store_school, required=True),
    _Part(
        "policy",
        ("policy.yaml", "policy.yml"),
        "policy.schema.json",
        None,
        _store_policy,
        required=True,
    ),
    _Part(
        "consent",
        ("consent.yaml", "consent.yml", "consent.csv"),
        "consent.schema.json",
        "consent",
        _store_consent,
    ),
    _Part(
        "pupils",
        ("pupils.yaml", "pupils.yml", "pupils.csv"),
        "pupils.schema.json",
        "pupils",
        _store_pupils,
    ),
    _Part(
        "staff_accounts",
        ("staff-accounts.yaml", "staff-accounts.yml"),
        "staff-accounts.schema.json",
        None,
        _store_staff_accounts,
    ),
)


def _read(path: Path, shown: str, schema: str, csv_key: str | None) -> YMap:
    if path.suffix == ".csv" and csv_key:
        doc: Any = read_csv(path, shown, csv_key)
    else:
        doc = read_yaml(path, shown)
    problems = _checked(doc, schema, shown)
    if problems:
        raise _Invalid(problems)
    assert isinstance(doc, YMap)  # the schema demands a mapping at the top
    return doc


class _Invalid(Exception):
    def __init__(self, problems: list[InputProblem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


def _files(folder: Path, root: str) -> Iterator[tuple[Path, str, _Part | None]]:
    for part in PARTS:
        path = _first(folder, *part.names)
        if path is None:
            if part.required:
                yield folder / part.names[0], _display(root, part.names[0]), part
            continue
        yield path, _display(root, path.name), part
    accounts = folder / "accounts"
    if accounts.is_dir():
        for path in sorted(accounts.iterdir()):
            if path.suffix in (".yaml", ".yml") and path.is_file():
                yield path, _display(root, f"accounts/{path.name}"), None


def load_school(folder: Path, shown_root: str) -> Loaded:
    """Read one school folder; `shown_root` is how paths appear in findings."""
    loaded = Loaded(School(root=shown_root))
    for path, shown, part in _files(folder, shown_root):
        try:
            if not path.exists():
                raise InputProblem(
                    Location(shown, 1, 1),
                    f"{path.name} is missing; every school folder needs one",
                    code="IN003",
                )
            loaded.school.files.append(shown)
            if part is None:
                doc = _read(path, shown, "account.schema.json", None)
                _store_account(loaded.school, doc, path.stem)
            else:
                doc = _read(path, shown, part.schema, part.csv_key)
                part.store(loaded.school, doc, path.stem)
        except InputProblem as problem:
            loaded.problems.append(problem)
            loaded.school.broken.add(part.key if part else "accounts")
        except _Invalid as invalid:
            loaded.problems.extend(invalid.problems)
            loaded.school.broken.add(part.key if part else "accounts")
        except OSError as exc:
            loaded.problems.append(
                InputProblem(Location(shown, 1, 1), f"cannot read the file: {exc.strerror}")
            )
            loaded.school.broken.add(part.key if part else "accounts")
    return loaded


def find_schools(path: Path) -> list[Path]:
    """School folders at or below `path` (a folder holding school.yaml), in sorted order."""
    if any((path / m).is_file() for m in SCHOOL_MARKERS):
        return [path]
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if any(m in filenames for m in SCHOOL_MARKERS):
            found.append(Path(dirpath))
            dirnames[:] = []  # a school's own sub-folders are not other schools
    return sorted(found)


def shown_path(base_shown: str, base: Path, folder: Path) -> str:
    rel = folder.relative_to(base).as_posix()
    return base_shown if rel == "." else _display(base_shown, rel)
