"""Reading a household ledger (.xlsx): finding the header row among the first rows, matching
each header (or one of its variants) to a column of the template, and reading the rows keyed by
column. Cell values are read as a person would read them."""

import datetime
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from casework.registry.validators import clean_text

from .limits import ImportLimits, check_workbook, import_limits
from .problems import LedgerUnreadable, Problem, ProblemCode
from .template import COLUMNS, SHEET_TITLE, column_for_header

Progress = Callable[[str, int, int], None]  # (phase, done, total)
Source = str | Path | IO[bytes]
HEADER_SEARCH_ROWS = 10
PROGRESS_EVERY = 1000


@dataclass
class SheetRow:
    number: int
    cells: dict[str, Any]  # column key -> raw cell value


@dataclass
class Sheet:
    header_row: int
    titles: dict[str, str]  # column key -> the header as written in the file
    rows: list[SheetRow]
    errors: list[Problem] = field(default_factory=list)  # about the header: nothing is read
    notices: list[Problem] = field(default_factory=list)  # about the header: read anyway


def cell_text(value: Any) -> str:
    """The text of a cell as a person would read it; '' when empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith('="') and text.endswith('"'):  # the way some exports keep a number text
        text = text[2:-1]
    return text.lstrip("'")


def parse_date(value: Any) -> datetime.date | None:
    """A date from a cell: a date, ``YYYY-MM-DD``, ``YYYY/M/D``, ``YYYYMMDD``, ``YYYY年M月D日``."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_text(str(value)) if value is not None else ""
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", text
    )
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[int, str]]:
    """The index of the row that names most columns, and its position → column key."""
    best_row: int = -1
    best: dict[int, str] = {}
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[int, str] = {}
        for position, value in enumerate(values):
            key = column_for_header(value)
            if key and key not in found.values():
                found[position] = key
        if len(found) > len(best):
            best_row, best = index, found
    return best_row, best


def _header_problems(
    row: int, header: tuple[Any, ...], positions: dict[int, str]
) -> tuple[list[Problem], list[Problem]]:
    """Errors (a required column missing) and notices (a column twice, an unknown column)."""
    errors = [
        Problem(row, column.title, "", ProblemCode.COLUMN_MISSING)
        for column in COLUMNS
        if column.required and column.key not in positions.values()
    ]
    notices = []
    for position, value in enumerate(header):
        text = cell_text(value)
        if text and position not in positions:
            twice = column_for_header(value) is not None
            code = ProblemCode.COLUMN_TWICE if twice else ProblemCode.COLUMN_UNKNOWN
            notices.append(Problem(row, text, "", code))
    return errors, notices


def open_workbook(source: Source) -> Any:
    try:
        return load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise LedgerUnreadable(
            _(
                "The file cannot be read as an Excel workbook (.xlsx). An old .xls file must be "
                "saved as .xlsx first."
            )
        ) from exc


def check_cells(number: int, values: tuple[Any, ...], limits: ImportLimits) -> None:
    for position, value in enumerate(values):
        if isinstance(value, str) and len(value) > limits.cell_chars:
            raise LedgerUnreadable(
                _("Row %(row)d, column %(column)s: the cell holds more than %(n)d characters.")
                % {"row": number, "column": get_column_letter(position + 1), "n": limits.cell_chars}
            )


def body_rows(
    values: Iterable[tuple[Any, ...]],
    first: int,
    positions: dict[int, str],
    progress: Progress | None,
    limits: ImportLimits,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The non-empty rows after the header, each (its number, its raw cells by column);
    ``first`` is the number of the first of them. Refuses an over-long cell or too many rows."""
    count = 0
    for number, row in enumerate(values, start=first):
        check_cells(number, row, limits)
        if not any(cell_text(v) for v in row):
            continue
        if count >= limits.rows:
            raise LedgerUnreadable(
                _("The ledger has more than %(n)d rows; split it into several files.")
                % {"n": limits.rows}
            )
        count += 1
        yield number, {key: row[position] if position < len(row) else None
                       for position, key in positions.items()}  # fmt: skip
        if progress and count % PROGRESS_EVERY == 0:
            progress("read", count, 0)


def head_rows(iterator: Iterator[tuple[Any, ...]], limits: ImportLimits) -> list[tuple[Any, ...]]:
    """The first rows of a sheet, where its header is looked for (``iterator`` goes on after
    them); an over-long cell among them refuses the file."""
    head: list[tuple[Any, ...]] = []
    for values in iterator:
        check_cells(len(head) + 1, values, limits)
        head.append(values)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    return head


def _chain(first: Iterable[Any], second: Iterable[Any]) -> Iterator[Any]:
    yield from first
    yield from second


def read_sheet(
    source: Source, progress: Progress | None = None, limits: ImportLimits | None = None
) -> Sheet:
    """Read the ledger's rows keyed by column; raises ``LedgerUnreadable`` for a file that is
    not an .xlsx workbook, is over the import's limits or has no recognisable header row.

    Every row is read, whatever the sheet's ``<dimension>`` says: openpyxl's read-only mode
    would otherwise stop at the row it names."""
    limits = limits or import_limits()
    check_workbook(source, limits)
    book = open_workbook(source)
    try:
        sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
        sheet.reset_dimensions()
        iterator = sheet.iter_rows(values_only=True)
        head = head_rows(iterator, limits)
        index, positions = _find_header(head)
        if index < 0 or len(positions) < 3:
            raise LedgerUnreadable(
                _(
                    "No header row was found in the first %(n)d rows. Use the template: its "
                    "first row holds the column names (户编号, 姓名, 证件号码 …)."
                )
                % {"n": HEADER_SEARCH_ROWS}
            )
        header = head[index]
        errors, notices = _header_problems(index + 1, header, positions)
        titles = {key: cell_text(header[position]) for position, key in positions.items()}
        body = body_rows(
            _chain(head[index + 1 :], iterator), index + 2, positions, progress, limits
        )
        rows = [SheetRow(number, cells) for number, cells in body]
    finally:
        book.close()
    return Sheet(index + 1, titles, rows, errors, notices)
