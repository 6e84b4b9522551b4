"""Column mappings: a CSV exported by a form or an MIS, in its own layout, read as
safesocial's records without anyone retyping or renaming columns.

A mapping is a small YAML file (docs/importing.md, "Column mappings"):

    kind: approvals            # approvals | consent | pupils: the records it makes
    columns:                   # safesocial's column: the CSV's header (any case)
      form: ID
      handle: Username on the platform
    values:                    # optional, per column: the CSV's word -> safesocial's
      platform: {X (Twitter): x, Instagram: instagram}
    dates:                     # optional, per date column: the formats it is written in
      "on": ["%d/%m/%Y %H:%M:%S"]
    prefix: {form: MSF-}       # optional: text put before a column's value

Shipped mappings (importers/mappings/*.yaml) are named without their suffix
(`--mapping microsoft-forms`); anything else is a path.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from safesocial.documents import csvfile, yamlio
from safesocial.documents.read import read_document
from safesocial.documents.yamlio import YMap
from safesocial.errors import ImportProblem, InputProblem
from safesocial.importers.records import KINDS, Kind, check_rows, column_letter

SHIPPED = Path(__file__).parent / "mappings"


def shipped() -> list[str]:
    return sorted(p.stem for p in SHIPPED.glob("*.yaml"))


class ColumnMapping:
    def __init__(self, doc: YMap, shown: str) -> None:
        self.shown = shown
        kind = doc.get("kind")
        kinds = {k.key: k for k in KINDS.values()}
        if kind not in kinds:
            raise ImportProblem(
                f"{doc.loc('kind') if 'kind' in doc else shown}: kind should be one of "
                f"{', '.join(sorted(kinds))}: the records the mapping makes"
            )
        self.kind: Kind = kinds[str(kind)]
        self.columns = self._table(doc, "columns", str)
        self.values = {
            column: {str(k).strip().casefold(): v for k, v in words.items()}
            for column, words in self._table(doc, "values", dict).items()
        }
        self.dates = {
            k: [v] if isinstance(v, str) else v
            for k, v in self._table(doc, "dates", object).items()
        }
        self.prefix = self._table(doc, "prefix", str)
        self.absent: list[str] = []  # mapped optional columns the CSV does not have
        known = set(self.kind.columns())
        for table in (self.columns, self.values, self.dates, self.prefix):
            for key in table:
                if key not in known:
                    raise ImportProblem(
                        f"{shown}: {key!r} is not a column of {self.kind.noun}; expected some "
                        f"of: {', '.join(self.kind.columns())}"
                    )
        for key, formats in self.dates.items():
            if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
                raise ImportProblem(f"{shown}: dates: {key} should be a format or a list of them")
        missing = [c for c in self.kind.required if c not in self.columns]
        if missing:
            raise ImportProblem(
                f"{shown}: the mapping does not say which column holds "
                f"{', '.join(repr(m) for m in missing)}, which {self.kind.noun} need; add it "
                "under columns:"
            )

    def _table(self, doc: YMap, key: str, kind: type) -> dict[str, Any]:
        value = doc.get(key, {})
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, kind) for k, v in value.items()
        ):
            raise ImportProblem(
                f"{doc.loc(key) if key in doc else self.shown}: {key} should map safesocial's "
                "column names to the CSV's"
            )
        return dict(value)


def load(name: str) -> ColumnMapping:
    """A shipped mapping by name, or a mapping file by path."""
    path = SHIPPED / f"{name}.yaml" if "/" not in name and "." not in name else Path(name)
    if not path.is_file():
        raise ImportProblem(
            f"{name}: no such mapping; the shipped ones are {', '.join(shipped())}, or give "
            "the path of your own"
        )
    doc = read_document(path, name, None, ImportProblem, what="the mapping")
    if not isinstance(doc, YMap):
        raise ImportProblem(f"{name}: a mapping file is a YAML mapping (kind:, columns:...)")
    return ColumnMapping(doc, name)


def _convert(mapping: ColumnMapping, column: str, kind: str, text: str, where: str) -> Any:
    value: Any = text.strip()
    words = mapping.values.get(column)
    if words is not None and value.casefold() in words:
        value = words[value.casefold()]
    if column in mapping.dates and isinstance(value, str):
        for fmt in mapping.dates[column]:
            try:
                return datetime.strptime(value, fmt).date().isoformat()
            except ValueError:
                continue
        raise ImportProblem(
            f"{where} is not a date written as the mapping expects "
            f"({' or '.join(mapping.dates[column])}); fix the mapping's dates:"
        )
    if column in mapping.prefix and isinstance(value, str):
        value = mapping.prefix[column] + value
    if kind == "boolean" and isinstance(value, str):
        return csvfile.CSV_BOOL.get(value.casefold(), value)
    if kind == "integer" and isinstance(value, str) and value.isdigit() and len(value) <= 100:
        return int(value)
    return value


def read_mapped(mapping: ColumnMapping, path: Path, shown: str) -> tuple[list[YMap], list[str]]:
    """The CSV's rows as the mapping's records, checked as safesocial's own CSV is."""
    kind = mapping.kind
    try:
        text = yamlio.read_text(path, shown)
    except InputProblem as problem:
        raise ImportProblem(f"{problem.location}: {problem.message}") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise ImportProblem(f"{shown}: the CSV has no header row") from None
    folded = {h.casefold(): i for i, h in reversed(list(enumerate(header)))}
    where_is: dict[str, int] = {}
    for column, title in mapping.columns.items():
        if title.strip().casefold() in folded:
            where_is[column] = folded[title.strip().casefold()]
        elif column in kind.required:
            raise ImportProblem(
                f"{shown}: row 1 (the header) has no column {title!r}, which {mapping.shown} "
                f"reads as {column} (which {kind.noun} need); rename it in the mapping, or "
                "export again with that column"
            )
        else:  # an optional column the report leaves out: said in the summary
            mapping.absent.append(f"the CSV has no column {title!r} ({column}): not read")
    types = csvfile.column_types(kind.schema, kind.key)
    doc, rows = csvfile.records_document(shown, kind.key)
    try:
        for line, cells in csvfile.rows_of(reader):
            row = YMap(shown, line, 1)
            for column, index in where_is.items():
                cell = cells[index] if index < len(cells) else ""
                if not cell.strip():
                    continue
                where = f"{shown}: row {line}, column {column_letter(index)} ({header[index]})"
                kind_of = types.get(column, "string")
                if kind_of == "array":
                    row[column] = csvfile.array_cell(cell, shown, line, index + 1)
                else:
                    row[column] = _convert(mapping, column, kind_of, cell, where)
                row.pos[column] = (line, index + 1)
            rows.append(row)
            rows.item_pos.append((line, 1))
    except csvfile.RowError as exc:
        raise ImportProblem(f"{shown}: row {exc.line}: CSV: {exc}") from None
    letters = {c: (column_letter(i), header[i]) for c, i in where_is.items()}
    return check_rows(kind, doc, letters, shown), list(where_is)
