"""The employment-ledger download, scoped through ``permissions`` and recorded in the audit log.

The case-file pages are in ``casework.reports.casefile.views``."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views import generic

from casework import permissions
from casework.audit.services import audit_record
from casework.common.xlsx import XLSX

from .ledger import ledger_workbook


class LedgerExportView(generic.View):
    """The employment ledger of every household the user may see, as Excel. GET gives masked
    identifiers; POST with ``unmasked`` gives full ones to holders of the personal-data right."""

    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("cases.view_employmentcase"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._export(request, unmasked=False)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        unmasked = bool(request.POST.get("unmasked"))
        if unmasked and not request.user.has_perm("registry.view_personal_data"):
            raise PermissionDenied
        return self._export(request, unmasked=unmasked)

    def _export(self, request: HttpRequest, *, unmasked: bool) -> HttpResponse:
        households = permissions.households_visible_to(request.user)
        # Full numbers only for the households the user works, not those merely visited.
        worked = frozenset(
            households.filter(grid__in=permissions.grids_worked_by(request.user)).values_list(
                "pk", flat=True
            )
        )
        content = ledger_workbook(households, unmasked=worked if unmasked else False)
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action="ledger.export_unmasked" if unmasked else "ledger.export",
                obj=request.user,
                household_id=None,
                changes={"households": (None, households.count())},
            )
        response = HttpResponse(content, content_type=XLSX)
        stamp = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="ledger-{stamp}.xlsx"'
        response["Cache-Control"] = "no-store"
        return response
