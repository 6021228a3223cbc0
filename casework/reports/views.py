"""Report downloads, each scoped through ``permissions`` and recorded in the audit log."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views import generic

from casework import permissions
from casework.audit.services import audit_record

from .casefile import casefile_generate
from .ledger import ledger_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


class CaseFileView(generic.View):
    """The household's case file as PDF. POST only: generating it is recorded, and ``unmasked``
    (full personal data) is for holders of that right."""

    viewset: Any = None
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        household = permissions.get_household_for_user(request.user, kwargs["pk"], "casefile")
        unmasked = bool(request.POST.get("unmasked"))
        if unmasked and not permissions.can(request.user, "view_personal_data", household):
            raise PermissionDenied
        content = casefile_generate(actor=request.user, household=household, unmasked=unmasked)
        response = HttpResponse(content, content_type="application/pdf")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="casefile-{household.pk}-{stamp}.pdf"'
        )
        response["Cache-Control"] = "no-store"
        return response
