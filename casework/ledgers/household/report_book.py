"""The import report as a workbook a caseworker corrects and imports again: the uploaded sheet
as it was (its own header and columns, every row from the header on, since an import takes a
file whole or not at all), with a 原因 column giving each bad row's reasons and the bad rows
marked. The reasons are the report's, masked as on the page."""

from collections import defaultdict
from collections.abc import Iterable
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from casework.common.xlsx import safe_cell

from .reader import HEADER_SEARCH_ROWS, Source, _find_header, cell_text, open_workbook
from .template import SHEET_TITLE

REASON_TITLE = "原因"
BAD_FILL = PatternFill("solid", fgColor="FFF2CC")


def row_reasons(errors: Iterable[dict[str, Any]]) -> dict[int, str]:
    """Each bad row's reasons (``column：reason``, one a line), from the report's errors."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for problem in errors:
        if problem["row"]:
            column = problem["column"]
            reasons[problem["row"]].append(
                f"{column}：{problem['reason']}" if column else problem["reason"]
            )
    return {row: "\n".join(lines) for row, lines in reasons.items()}


def report_workbook(source: Source, errors: Iterable[dict[str, Any]], target: IO[bytes]) -> int:
    """Write the report workbook of the ledger ``source`` into ``target``; returns the number
    of rows marked bad. Rows above the header (a title) and empty rows are left out."""
    reasons = row_reasons(errors)
    book = open_workbook(source)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    marked = 0
    try:
        source_sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
        source_sheet.reset_dimensions()
        rows = list(source_sheet.iter_rows(values_only=True))
    finally:
        book.close()
    index, _positions = _find_header(rows[:HEADER_SEARCH_ROWS])
    header = list(rows[index]) if index >= 0 else []
    width = max((len(r) for r in rows[index:]), default=len(header)) if index >= 0 else 0
    sheet.append(
        [_bold(sheet, v) for v in header + [None] * (width - len(header))]
        + [_bold(sheet, REASON_TITLE)]
    )
    for number, values in enumerate(rows[index + 1 :], start=index + 2):
        if not any(cell_text(v) for v in values):
            continue
        cells = [safe_cell(v) for v in values] + [None] * (width - len(values))
        reason = reasons.get(number)
        if reason is None:
            sheet.append([*cells, None])
            continue
        marked += 1
        sheet.append([_marked(sheet, v) for v in cells] + [_reason(sheet, reason)])
    sheet.freeze_panes = "A2"
    workbook.save(target)
    return marked


def _bold(sheet: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def _marked(sheet: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.fill = BAD_FILL
    return cell


def _reason(sheet: Any, value: str) -> WriteOnlyCell:
    cell = _marked(sheet, value)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell
