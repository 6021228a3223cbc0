"""Pages of the national tables: applying an import's differences, the households waiting for
a grid (and placing one), and the export in a national layout. The household viewset attaches
them to its URLs, beside the ledger's pages."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views import generic

from casework import permissions
from casework.common.downloads import download_name, file_attachment
from casework.common.requests import AuthenticatedRequest
from casework.common.xlsx import XLSX
from casework.registry.models import Grid

from .models import LedgerImport
from .national.services.changes import national_changes_apply
from .national.services.exports import national_table_export
from .national.services.placing import unassigned_place

WAITING_SHOWN = 200


class NationalApplyView(generic.View):
    """POST: apply the waiting differences of one national import (a manager of the
    households concerned; the service decides)."""

    viewset: Any = None

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.sites_for_import(request.user).exists():
            raise PermissionDenied
        job = get_object_or_404(LedgerImport, pk=kwargs["import_pk"], layout="national")
        try:
            counts = national_changes_apply(actor=request.user, job=job)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                gettext("Applied %(applied)d; %(stale)d changed since; %(refused)d refused.")
                % {key: counts.get(key, 0) for key in ("applied", "stale", "refused")},
            )
        return HttpResponseRedirect(self.viewset.reverse("ledger_import_status", args=[job.pk]))


def _grids(user: Any) -> QuerySet[Grid]:
    """The grids a waiting household may be placed in: those of the sites one imports into."""
    grids = Grid.objects.filter(site__in=permissions.sites_for_import(user))
    return grids.select_related("site").order_by("site__name", "name")


class GridChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.site.name} {obj.name}"


class PlaceForm(forms.Form):
    grid = GridChoiceField(queryset=Grid.objects.none(), label=_("Grid"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(GridChoiceField, self.fields["grid"]).queryset = _grids(user)


class WaitingView(generic.TemplateView):
    """The households of national tables that wait for a grid, each with its grid picker."""

    request: AuthenticatedRequest
    template_name = "ledgers/national_waiting.html"
    viewset: Any = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        if not permissions.sites_for_import(user).exists():
            raise PermissionDenied
        waiting = permissions.households_waiting_for(user).select_related("county", "imported_by")
        return super().get_context_data(
            items=waiting[:WAITING_SHOWN],
            count=waiting.count(),
            shown=WAITING_SHOWN,
            grids=[(grid.pk, f"{grid.site.name} {grid.name}") for grid in _grids(user)],
            **kwargs,
        )


class WaitingPlaceView(generic.View):
    """POST: place one waiting household in the grid picked."""

    viewset: Any = None

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        item = permissions.households_waiting_for(request.user).filter(pk=kwargs["pk"]).first()
        if item is None:
            raise Http404(gettext("No such household waiting for a grid."))
        form = PlaceForm(request.POST, user=request.user)
        back = HttpResponseRedirect(self.viewset.reverse("national_waiting"))
        if not form.is_valid():
            messages.error(request, gettext("Pick a grid of a site you manage."))
            return back
        try:
            household = unassigned_place(
                actor=request.user, item=item, grid=form.cleaned_data["grid"]
            )
        except ValidationError as exc:
            problems = "；".join(exc.messages)
        except IntegrityError:  # registered by someone else at the same moment
            problems = gettext("Someone has placed this household already.")
        else:
            messages.success(
                request,
                gettext(
                    "Household %(number)s is registered in %(grid)s and waits for its assessment."
                )
                % {"number": household.number, "grid": household.grid.name},
            )
            return back
        messages.error(
            request,
            gettext("Household %(number)s was not placed: %(problems)s")
            % {"number": item.number, "problems": problems},
        )
        return back


class NationalExportView(generic.View):
    """GET: what the national table holds, the layout and (for holders of the personal-data
    right) full numbers to choose; POST: the download, recorded."""

    viewset: Any = None

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.may_export_national_tables(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = {"may_unmask": permissions.may_unmask_exports(request.user)}
        return TemplateResponse(request, "ledgers/national_export.html", context)

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        layout = request.POST.get("layout", "base")
        if layout not in ("base", "full"):
            layout = "base"
        unmasked = bool(request.POST.get("unmasked"))
        content, _rows = national_table_export(actor=request.user, layout=layout, unmasked=unmasked)
        if layout == "base":
            stem = pgettext("file name", "national-base-table")
        else:
            stem = pgettext("file name", "national-full-table")
        return file_attachment(content, download_name(stem, extension="xlsx"), XLSX)
