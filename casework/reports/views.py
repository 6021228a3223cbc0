"""Report downloads (the case file and its batch export), each scoped through ``permissions``
and recorded in the audit log."""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic

from casework import permissions
from casework.registry.models import Grid, Site

from .casefile import casefile_generate, casefile_refusal
from .models import CaseFileBatch
from .services import casefile_batch_path, casefile_batch_request


class CaseFileView(generic.View):
    """The household's case file as PDF. POST only: generating it is recorded, and ``unmasked``
    (full personal data) is for holders of that right."""

    viewset: Any = None
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        household = permissions.get_household_for_user(request.user, kwargs["pk"], "casefile")
        unmasked = bool(request.POST.get("unmasked"))
        refusal = casefile_refusal(request.user, household, unmasked=unmasked)
        if refusal:
            raise PermissionDenied(refusal)
        content = casefile_generate(actor=request.user, household=household, unmasked=unmasked)
        response = HttpResponse(content, content_type="application/pdf")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="casefile-{household.pk}-{stamp}.pdf"'
        )
        response["Cache-Control"] = "no-store"
        return response


class CaseFileBatchForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Resettlement site"), queryset=Site.objects.none())
    grid = forms.ModelChoiceField(
        label=_("Grid"),
        queryset=Grid.objects.none(),
        required=False,
        help_text=_("Leave empty for the whole site."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grids = permissions.grids_worked_by(user)
        self.fields["site"].queryset = Site.objects.filter(pk__in=grids.values("site_id"))
        self.fields["grid"].queryset = grids.select_related("site")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("grid") and data.get("site") and data["grid"].site_id != data["site"].pk:
            self.add_error("grid", _("This grid is not in the chosen site."))
        return data


def _may_batch(user: Any) -> None:
    if not user.has_perm("registry.export_casefile"):
        raise PermissionDenied


class CaseFileBatchView(generic.FormView):
    """Ask for the case files of a site (or one grid) as a ZIP; lists the user's batches."""

    template_name = "reports/casefile_batches.html"
    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _may_batch(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class: Any = None) -> CaseFileBatchForm:
        return CaseFileBatchForm(user=self.request.user, **self.get_form_kwargs())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        batches = CaseFileBatch.objects.filter(requested_by=self.request.user)[:20]
        return super().get_context_data(batches=batches, **kwargs)

    def form_valid(self, form: CaseFileBatchForm) -> HttpResponse:
        try:
            batch = casefile_batch_request(
                actor=self.request.user,
                site=form.cleaned_data["site"],
                grid=form.cleaned_data["grid"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.viewset.reverse("casefile_batch", args=[batch.pk]))


def _own_batch(request: HttpRequest, pk: int) -> CaseFileBatch:
    _may_batch(request.user)
    batch = CaseFileBatch.objects.filter(pk=pk, requested_by=request.user).first()
    if batch is None:
        raise Http404(gettext("No such export of yours."))
    return batch


class CaseFileBatchStatusView(generic.TemplateView):
    """Progress of one batch; the page refreshes itself until the ZIP is ready."""

    template_name = "reports/casefile_batch.html"
    viewset: Any = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        batch = _own_batch(self.request, kwargs["batch_pk"])
        return super().get_context_data(
            batch=batch,
            ready=casefile_batch_path(batch) is not None,
            working=batch.status in (CaseFileBatch.Status.QUEUED, CaseFileBatch.Status.RUNNING),
            **kwargs,
        )


class CaseFileBatchDownloadView(generic.View):
    viewset: Any = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        batch = _own_batch(request, kwargs["batch_pk"])
        path = casefile_batch_path(batch)
        if path is None:
            raise Http404(gettext("This export is not ready."))
        response = FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
        response["Cache-Control"] = "no-store"
        return response
