"""CSV records (consent.csv, pupils.csv) read as the document their YAML twin would give.

Each cell takes its type from its column's type in the file's JSON Schema, so yes/no
means true/false only in a boolean column, and every row and cell keeps its line and
column for findings, like a YAML mapping's keys.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safesocial.documents import resources, yamlio
from safesocial.documents.yamlio import YList, YMap
from safesocial.documents.yamlnodes import Where
from safesocial.errors import InputProblem
from safesocial.findings import Location

if TYPE_CHECKING:
    import _csv

# In a CSV file the column's declared type says what a cell means, so yes/no is
# unambiguous there: it is only read as a boolean in a boolean column.
CSV_BOOL = {"true": True, "yes": True, "y": True, "1": True,
            "false": False, "no": False, "n": False, "0": False}  # fmt: skip


def column_types(schema_name: str, list_key: str) -> dict[str, str]:
    """Each column's JSON Schema type (boolean, integer, array...) from the file's schema."""
    items = resources.schema(schema_name)["properties"][list_key]["items"]["properties"]
    return {name: str(spec.get("type", "string")) for name, spec in items.items()}


def _header_fits(header: list[str], shown: str, list_key: str, schema_name: str) -> None:
    # Said once, at the header: otherwise every row would repeat the same problem.
    items = resources.schema(schema_name)["properties"][list_key]["items"]
    needed = [str(name) for name in items.get("required", ())]
    missing = [name for name in needed if name not in header]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        raise InputProblem(
            Location(shown, 1, 1),
            f"the header row (line 1) has no {names} column"
            f"{'s' if len(missing) > 1 else ''}; every row needs {', '.join(needed)}",
            code="IN002",
        )
    known = [str(name) for name in items.get("properties", {})]
    col = 1
    for name in header:
        if items.get("additionalProperties") is False and name not in known:
            guess = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else f"expected: {', '.join(known)}"
            raise InputProblem(
                Location(shown, 1, col),
                f"the header row (line 1) has an unknown column '{name}'; {hint}",
                code="IN002",
            )
        col += len(name) + 1


def _csv_value(kind: str, text: str) -> Any:
    # A cell that does not convert stays text, and the schema then says so at its place.
    value = text.strip()
    if kind == "boolean":
        return CSV_BOOL.get(value.lower(), value)
    if kind == "integer" and value.lstrip("-").isdigit() and len(value) <= 100:
        return int(value)  # a longer one stays text: int() refuses 4,300 digits or more
    return value


def _unique_columns(header: list[str], shown: str) -> None:
    # Like a duplicate YAML key, a second column of one name would silently win.
    col = 1
    for index, name in enumerate(header):
        if name in header[:index]:
            raise InputProblem(Location(shown, 1, col), f"the column '{name}' is named twice")
        col += len(name) + 1


def records_document(shown: str, list_key: str) -> tuple[YMap, YList]:
    """The document a records CSV reads as (`{list_key: [...]}`, at line 1) and its list,
    still empty, for the rows."""
    rows = YList(shown, 2, 1)
    doc = YMap(shown, 1, 1)
    doc[list_key] = rows
    doc.pos[list_key] = (1, 1)
    return doc, rows


class RowError(Exception):
    """The csv module could not read a row (an unclosed quote...); `line` is where it starts."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line


def rows_of(reader: _csv.Reader) -> Iterator[tuple[int, list[str]]]:
    """The rows after the header that are not blank, each with the line it starts on;
    RowError for one that cannot be read."""
    before = reader.line_num
    try:
        for cells in reader:
            # A quoted cell may span lines: a row is reported where it starts.
            line, before = before + 1, reader.line_num
            joined = "".join(cells)  # a blank row, found without a generator per row
            if joined and not joined.isspace():
                yield line, cells
    except csv.Error as exc:
        # Raised while reading the next row, which starts after the last one read.
        raise RowError(before + 1, str(exc)) from None


def array_cell(cell: str, shown: str, line: int, col: int) -> YList:
    """A cell of an array column (`a;b;c`): its items, each at the cell's place."""
    items = YList(shown, line, col)
    items.extend([part for part in map(str.strip, cell.split(";")) if part])
    items.item_pos.extend([(line, col)] * len(items))  # one tuple for all: it never changes
    return items


_POS: Any = YMap.__dict__["pos"]  # the slot each CsvRow fills when first asked


class CsvRow(YMap):
    """One row, as the mapping its YAML twin would give.

    Where each cell was written is worked out from the row's own cells when first asked:
    a check reports on a few rows of a file of thousands, and the rest never ask.
    """

    __slots__ = ("_cells", "_header")

    def __init__(self, file: str, line: int, cells: list[str], header: list[str]) -> None:
        # No value positions: a cell's value is where its key is.
        self.file, self.line, self.col = file, line, 1
        self._cells, self._header = cells, header

    def column(self, key: str) -> int:
        """The column where `key`'s cell starts (counting each cell as written)."""
        col = 1
        for name, cell in zip(self._header, self._cells, strict=False):
            if name == key:
                return col
            col += len(cell) + 1
        return col

    @property  # over a slot of YMap's, filled on first use
    def pos(self) -> dict[str, Where]:
        try:
            found: dict[str, Where] = _POS.__get__(self)
            return found
        except AttributeError:
            pass
        positions: dict[str, Where] = {}
        line, col = self.line, 1
        for key, cell in zip(self._header, self._cells, strict=False):
            if cell and not cell.isspace():
                positions[key] = (line, col)
            col += len(cell) + 1
        _POS.__set__(self, positions)
        return positions

    @pos.setter
    def pos(self, positions: dict[str, Where]) -> None:
        _POS.__set__(self, positions)


def read_csv(path: Path, shown: str, list_key: str, schema_name: str) -> YMap:
    """A CSV file as the same document its YAML twin would give, one row per line."""
    types = column_types(schema_name, list_key)
    text = yamlio.read_text(path, shown)
    # strict: an unclosed quote is an error, not a cell that swallows the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputProblem(
            Location(shown, 1, 1), "the CSV file is empty; it needs a header row"
        ) from None
    except csv.Error as exc:
        raise InputProblem(Location(shown, 1, 1), f"CSV: {exc}") from None
    _unique_columns(header, shown)
    _header_fits(header, shown, list_key, schema_name)
    kinds = [types.get(name, "string") for name in header]  # once, not per cell
    doc, rows = records_document(shown, list_key)
    columns = list(zip(header, kinds, strict=True))
    try:
        for line, cells in rows_of(reader):
            if len(cells) > len(header):
                raise InputProblem(
                    Location(shown, line, 1),
                    f"row has {len(cells)} cells but the header names {len(header)} columns",
                )
            row = CsvRow(shown, line, cells, header)
            for (key, kind), cell in zip(columns, cells, strict=False):
                if cell and not cell.isspace():
                    if kind == "string":
                        row[key] = cell.strip()
                    elif kind == "array":
                        row[key] = array_cell(cell, shown, line, row.column(key))
                    else:
                        row[key] = _csv_value(kind, cell)
            rows.append(row)
            rows.item_pos.append((line, 1))
    except RowError as exc:
        raise InputProblem(Location(shown, exc.line, 1), f"CSV: {exc}") from None
    return doc
