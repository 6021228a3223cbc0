"""The course roster and results as an Excel workbook."""

from io import BytesIO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from casework.common.xlsx import safe_cell as _cell
from casework.registry.models import Household

from .models import Course
from .selectors import roster_rows


def roster_workbook(course: Course, households: QuerySet[Household] | None = None) -> bytes:
    """One sheet: the course's facts, then one row per trainee with the day they joined, their
    attendance since joining and their result."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Roster")[:31]
    sheet.append([_("course name"), _cell(course.name)])
    sheet.append([_("trade"), course.get_trade_display(), _("level"), course.get_level_display()])
    sheet.append(
        [_("training provider"), _cell(course.provider), _("location"), _cell(course.location)]
    )
    sheet.append(
        [
            _("dates"),
            f"{course.start_date:%Y-%m-%d} – {course.end_date:%Y-%m-%d}",
            _("class hours"),
            course.hours,
        ]  # fmt: skip
    )
    sheet.append([])
    header = [
        _("Name"), _("Document number"), _("Phone"), _("joined the class on"),
        _("sessions attended"), _("sessions held since joining"), _("attendance rate (%)"),
        _("status"), _("certificate type"), _("certificate number"),
    ]  # fmt: skip
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in roster_rows(course, households):
        enrolment = row.enrolment
        sheet.append(
            _cell(value)
            for value in [
                row.name,
                row.document,
                row.phone,
                enrolment.joined_on.isoformat(),
                row.present,
                row.held,
                float(row.rate) if row.rate is not None else None,
                enrolment.get_status_display(),
                enrolment.get_certificate_type_display() if enrolment.certificate_type else "",
                enrolment.certificate_number,
            ]
        )
    widths = (12, 22, 16, 12, 10, 12, 12, 12, 22, 20)
    for column, width in zip("ABCDEFGHIJ", widths, strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
