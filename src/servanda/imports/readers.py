"""Reading CSV and XLSX files into a header and numbered rows.

Row numbers are the ones a spreadsheet shows: the header is row 1, so the
first record is row 2. CSV cells are text; XLSX cells keep what the workbook
says (text, or a number with its number format) so that the column's declared
type decides how to read it — never the reader.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class FileError(ValueError):
    """The file cannot be read as a table; nothing is imported."""


@dataclass(frozen=True, slots=True)
class NumberCell:
    """A numeric XLSX cell: its value, number format and address (for messages)."""

    value: float | int
    number_format: str
    coordinate: str


Cell = str | NumberCell


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    total: int | None  # rows, when cheap to know (for the progress bar)


def check_header(header: list[str]) -> list[str]:
    cleaned = [h.strip() for h in header]
    seen: set[str] = set()
    for name in cleaned:
        if name in seen:
            raise FileError(f"the header names the column {name!r} more than once; nothing was imported")
        seen.add(name)
    return cleaned


def read_csv(path: Path, *, delimiter: str = ",", encoding: str = "utf-8-sig") -> Table:
    try:
        # utf-8-sig reads files with and without a byte-order mark alike.
        text = path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        raise FileError(
            f"{path.name} is not {encoding} text (byte {exc.start}): declare `encoding`"
        ) from None
    except OSError as exc:
        raise FileError(f"cannot read {path}: {exc.strerror}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise FileError(f"{path.name} is empty") from None
    header = check_header(header)

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for number, record in enumerate(reader, start=2):
            if not any(c.strip() for c in record):
                continue
            yield number, list(record)

    # Upper bound for the progress bar (quoted newlines make it approximate).
    return Table(header=header, rows=rows(), total=max(len(lines) - 1, 0))


def _xlsx_cell(cell: Any) -> Cell:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return NumberCell(value, getattr(cell, "number_format", "General") or "General", cell.coordinate)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def read_xlsx(path: Path, *, sheet: str | None = None) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileError(f"cannot read {path.name} as an XLSX workbook: {exc}") from None
    # Keep date cells as their serial numbers: openpyxl would read serial 60 as
    # 1900-02-28, silently; the column's declared type converts them instead.
    book._date_formats = set()
    book._timedelta_formats = set()
    if sheet is not None and sheet not in book.sheetnames:
        raise FileError(f"{path.name} has no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}")
    ws = book[sheet] if sheet else book.worksheets[0]
    it = ws.iter_rows()
    try:
        first = next(it)
    except StopIteration:
        raise FileError(f"{path.name} is empty") from None
    header = check_header([str(c.value) if c.value is not None else "" for c in first])
    while header and header[-1] == "":
        header.pop()

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for number, cells in enumerate(it, start=2):
            values = [_xlsx_cell(c) for c in cells]
            if not any(v if isinstance(v, str) and v.strip() else isinstance(v, NumberCell) for v in values):
                continue
            yield number, values
        book.close()

    total = ws.max_row - 1 if ws.max_row else None
    return Table(header=header, rows=rows(), total=total)


def read_table(
    path: str | Path, *, delimiter: str = ",", encoding: str = "utf-8-sig", sheet: str | None = None
) -> Table:
    p = Path(path)
    if not p.exists():
        raise FileError(f"{p} does not exist")
    if p.suffix.lower() in {".xlsx", ".xlsm"}:
        return read_xlsx(p, sheet=sheet)
    return read_csv(p, delimiter=delimiter, encoding=encoding)
