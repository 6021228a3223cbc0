"""The dashboard-export service: the dashboard as PDF and its zero-employment list as Excel,
each one recorded in the audit log by this service.

Both name people (heads of zero-employment households), so each export is an audit event with
the sites it covers, written before the file is made.
"""

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from casework.audit.people import viewer_label
from casework.audit.services import audit_record
from casework.common.pdf import render_pdf
from casework.common.xlsx import safe_cell
from casework.registry.models import Site

from .charts import dashboard_context
from .snapshots import dashboard_from_snapshots, monthly_trend, zero_employment_from_snapshots


def _record(actor: User, action: str, scope: Sequence[Site], **extra: Any) -> None:
    changes = {"sites": (None, [site.code for site in scope])}
    changes.update({name: (None, value) for name, value in extra.items()})
    with transaction.atomic():
        audit_record(actor=actor, action=action, obj=actor, household_id=None, changes=changes)


def dashboard_pdf(*, actor: User, sites: QuerySet[Site], scope: Sequence[Site]) -> bytes:
    """Record that ``actor`` printed the dashboard of ``scope`` (``sites``), then render it."""
    _record(actor, "dashboard.pdf", scope)
    figures = dashboard_from_snapshots(sites=sites)
    context = {
        **dashboard_context(figures, scope, monthly_trend(sites)),
        "viewer": viewer_label(actor),
    }
    return render_pdf("reports/dashboard_pdf.html", context)


def zero_employment_workbook(*, actor: User, sites: QuerySet[Site], scope: Sequence[Site]) -> bytes:
    """Every zero-employment household of ``sites`` as Excel (number, site, grid, head, labour
    members), the households the dashboard counts (its snapshot); the export is recorded with
    the number of households."""
    rows = zero_employment_from_snapshots(sites)
    _record(actor, "dashboard.zero_employment_export", scope, households=len(rows))
    book = Workbook()
    sheet = book.active
    sheet.title = _("Zero-employment households")[:31]
    sheet.append(
        [_("Household number"), _("Resettlement site"), _("Grid"), _("Head of household"),
         _("Labour members")]
    )  # fmt: skip
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(value) for value in (row.number, row.site, row.grid, row.head)]
                     + [row.labour])  # fmt: skip
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
