"""Helpers for the Excel files the project writes."""

import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@")
# Characters Excel refuses in a sheet's name (and its 31-character limit).
SHEET_TITLE_REFUSED = str.maketrans(dict.fromkeys("\\/?*[]:", "_"))
SHEET_TITLE_LENGTH = 31


def sheet_title(title: str) -> str:
    """``title`` as Excel accepts a sheet's name: no ``\\ / ? * [ ] :``, at most 31 characters,
    not empty and not starting or ending with an apostrophe."""
    cleaned = title.translate(SHEET_TITLE_REFUSED).strip("'")[:SHEET_TITLE_LENGTH]
    return cleaned or "Sheet1"


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_rows(
    title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> tuple[IO[bytes], int]:
    """One sheet of ``headers`` and ``rows`` written in openpyxl's write-only mode into a
    temporary file (rows are streamed to disk, never all held in memory), returned open at its
    start with the number of rows written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(title))
    sheet.freeze_panes = "A2"
    sheet.append([_bold(sheet, header) for header in headers])
    count = 0
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
        count += 1
    target = tempfile.TemporaryFile()
    book.save(target)
    target.seek(0)
    return target, count


def _bold(sheet: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell
