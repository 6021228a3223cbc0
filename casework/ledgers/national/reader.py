"""Reading a national person-level table (.xlsx): the header row among the first rows, each
header by its layout name (``layout.canonical_header``), and every row's cells as text. Our
own fields are also given by ledger column key, so the household ledger's row checks read
them."""

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ..household.limits import ImportLimits, check_workbook, import_limits
from ..household.problems import LedgerUnreadable, Problem, ProblemCode
from ..household.reader import (
    HEADER_SEARCH_ROWS,
    Progress,
    Source,
    body_rows,
    cell_text,
    head_rows,
    open_workbook,
)
from .layout import FIELDS, LAYOUTS, REQUIRED, canonical_header

KNOWN = frozenset(h for layout in LAYOUTS.values() for h in layout)


@dataclass
class NationalRow:
    number: int  # the row's number in the sheet
    cells: dict[str, str]  # header → text
    fields: dict[str, Any]  # ledger column key → the raw cell (for the row checks)


@dataclass
class NationalSheet:
    header_row: int
    headers: list[str]  # the file's columns, by layout name, in order
    titles: dict[str, str]  # ledger column key → header as written
    rows: list[NationalRow]
    errors: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)


def _header(head: list[tuple[Any, ...]]) -> int:
    """The index of the row naming most of the layouts' columns; -1 when none names three."""
    best, best_count = -1, 2
    for index, values in enumerate(head):
        count = len({canonical_header(v) for v in values if v is not None} & KNOWN)
        if count > best_count:
            best, best_count = index, count
    return best


def _rows(
    values: Iterable[tuple[Any, ...]],
    first: int,
    positions: dict[int, str],
    limits: ImportLimits,
    progress: Progress | None,
) -> list[NationalRow]:
    rows: list[NationalRow] = []
    for number, raw in body_rows(values, first, positions, progress, limits):
        cells = {h: cell_text(value) for h, value in raw.items()}
        fields = {FIELDS[h]: value for h, value in raw.items() if h in FIELDS}
        rows.append(NationalRow(number, cells, fields))
    return rows


def read_national(
    source: Source, progress: Progress | None = None, limits: ImportLimits | None = None
) -> NationalSheet:
    """The table's rows; ``LedgerUnreadable`` for a file that is not one."""
    limits = limits or import_limits()
    check_workbook(source, limits)
    book = open_workbook(source)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        iterator = sheet.iter_rows(values_only=True)
        head = head_rows(iterator, limits)
        index = _header(head)
        if index < 0:
            raise LedgerUnreadable(
                _(
                    "No header row of the national table was found in the first %(n)d rows "
                    "(户编号, 人编号, 姓名, 证件号码 …)."
                )
                % {"n": HEADER_SEARCH_ROWS}
            )
        positions: dict[int, str] = {}
        notices = []
        for position, value in enumerate(head[index]):
            header = canonical_header(value)
            if header in KNOWN and header not in positions.values():
                positions[position] = header
            elif header:  # neither kept nor compared: a column of neither layout, or twice
                twice = header in KNOWN
                code = ProblemCode.COLUMN_TWICE if twice else ProblemCode.COLUMN_UNKNOWN
                notices.append(Problem(index + 1, cell_text(value), "", code))
        headers = list(positions.values())
        titles = {FIELDS[h]: cell_text(head[index][p]) for p, h in positions.items() if h in FIELDS}
        errors = [
            Problem(index + 1, header, "", ProblemCode.COLUMN_MISSING)
            for header in REQUIRED
            if header not in headers
        ]
        body = itertools.chain(head[index + 1 :], iterator)
        rows = _rows(body, index + 2, positions, limits, progress)
    finally:
        book.close()
    return NationalSheet(index + 1, headers, titles, rows, errors, notices)
