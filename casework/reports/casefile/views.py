"""Case-file pages: one household's file as PDF, and batches of them as a ZIP. Each view parses
the request, calls one service and renders; rights go through ``permissions``."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views import generic

from casework import permissions
from casework.common.downloads import as_attachment, download_name
from casework.common.forms import model_choice
from casework.common.jobs import private_storage
from casework.common.requests import AuthenticatedRequest
from casework.common.views import ServiceFormView
from casework.registry.models import Grid, Site
from casework.reports.models import CaseFileBatch

from .batch import casefile_batch_file, casefile_batch_request
from .names import casefile_name
from .service import casefile_download


class CaseFileView(generic.View):
    """The household's case file as PDF. POST only: generating it is recorded, and ``unmasked``
    (full personal data) is for holders of that right."""

    viewset: Any = None
    http_method_names = ["post"]

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        household = permissions.get_household_for_user(request.user, kwargs["pk"], "casefile")
        unmasked = bool(request.POST.get("unmasked"))
        content = casefile_download(actor=request.user, household=household, unmasked=unmasked)
        response = HttpResponse(content, content_type="application/pdf")
        return as_attachment(response, casefile_name(household.number))


class CaseFileBatchForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Resettlement site"), queryset=Site.objects.none())
    grid = forms.ModelChoiceField(
        label=_("Grid"),
        queryset=Grid.objects.none(),
        required=False,
        help_text=_("Leave empty for the whole site."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grids = permissions.grids_worked_by(user)
        model_choice(self, "site").queryset = Site.objects.filter(pk__in=grids.values("site_id"))
        model_choice(self, "grid").queryset = grids.select_related("site")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("grid") and data.get("site") and data["grid"].site_id != data["site"].pk:
            self.add_error("grid", _("This grid is not in the chosen site."))
        return data


def _may_batch(user: Any) -> None:
    if not user.has_perm("registry.export_casefile"):
        raise PermissionDenied


class CaseFileBatchView(ServiceFormView):
    """Ask for the case files of a site (or one grid) as a ZIP; lists the user's batches."""

    request: AuthenticatedRequest
    template_name = "reports/casefile_batches.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _may_batch(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class: Any = None) -> CaseFileBatchForm:
        return CaseFileBatchForm(user=self.request.user, **self.get_form_kwargs())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        batches = CaseFileBatch.objects.filter(requested_by=self.request.user)[:20]
        return super().get_context_data(batches=batches, **kwargs)

    def perform(self, form: CaseFileBatchForm) -> CaseFileBatch:
        return casefile_batch_request(
            actor=self.request.user,
            site=form.cleaned_data["site"],
            grid=form.cleaned_data["grid"],
        )

    def success_url_for(self, target: CaseFileBatch) -> str:
        return self.viewset.reverse("casefile_batch", args=[target.pk])


def _own_batch(request: AuthenticatedRequest, pk: int) -> CaseFileBatch:
    _may_batch(request.user)
    batch = CaseFileBatch.objects.filter(pk=pk, requested_by=request.user).first()
    if batch is None:
        raise Http404(gettext("No such export of yours."))
    return batch


class CaseFileBatchStatusView(generic.TemplateView):
    """Progress of one batch; the page refreshes itself until the ZIP is ready."""

    request: AuthenticatedRequest
    template_name = "reports/casefile_batch.html"
    viewset: Any = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        batch = _own_batch(self.request, kwargs["batch_pk"])
        return super().get_context_data(
            batch=batch,
            ready=casefile_batch_file(batch) is not None,
            working=batch.status
            in (
                CaseFileBatch.Status.QUEUED,
                CaseFileBatch.Status.RUNNING,
                CaseFileBatch.Status.ZIPPING,
            ),
            **kwargs,
        )


class CaseFileBatchDownloadView(generic.View):
    """The finished ZIP of one of the user's batches."""

    viewset: Any = None

    def get(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> FileResponse:
        batch = _own_batch(request, kwargs["batch_pk"])
        name = casefile_batch_file(batch)
        if name is None:
            raise Http404(gettext("This export is not ready."))
        response = FileResponse(private_storage().open(name, "rb"))
        zip_name = download_name(
            pgettext("file name", "case-files"), batch.description, extension="zip"
        )
        return as_attachment(response, zip_name)
