"""Pages of the ledgers: the household ledger's upload for import (checked and imported by a
background worker), the import's progress and report, the empty template and the full household
ledger; the employment ledger's download. The household viewset attaches them to its URLs."""

from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views import generic

from casework import permissions
from casework.common.downloads import (
    as_attachment,
    download_confirm,
    download_name,
    file_attachment,
)
from casework.common.requests import AuthenticatedRequest
from casework.common.xlsx import XLSX
from casework.registry.validators import mask_document_number, mask_phone

from .household.limits import check_workbook, import_limits
from .household.problems import LedgerUnreadable
from .household.template import template_workbook
from .models import LedgerImport
from .national.layout import PERSONAL
from .services import (
    employment_ledger_export,
    household_ledger_export,
    ledger_import_report_open,
    ledger_import_request,
)

REPORT_ROWS_SHOWN = 500


def national_changes_shown(job: LedgerImport, user: Any) -> dict[str, Any]:
    """A national import's differences as its page shows them (personal cells masked)."""
    if job.layout != LedgerImport.Layout.NATIONAL:
        return {}
    changes = list(job.changes.select_related("household", "member")[:REPORT_ROWS_SHOWN])
    for change in changes:
        if change.column in PERSONAL:
            masker = mask_document_number if "证件号码" in change.column else mask_phone
            change.old, change.new = masker(change.old), masker(change.new)
    return {
        "national": True,
        "changes": changes,
        "changes_hidden": max(0, job.report.get("changes", 0) - len(changes)),
        "may_apply": job.status == LedgerImport.Status.DIFFERS
        and permissions.sites_for_import(user).exists(),
    }


def _xlsx(content: bytes, name: str) -> HttpResponse:
    return as_attachment(HttpResponse(content, content_type=XLSX), name)


def _may_import(user: Any) -> None:
    if not permissions.sites_for_import(user).exists():
        raise PermissionDenied


class LedgerUploadForm(forms.Form):
    file = forms.FileField(label=_("Household ledger or national table (.xlsx)"))
    layout = forms.ChoiceField(
        label=_("The file is"),
        choices=LedgerImport.Layout.choices,
        initial=LedgerImport.Layout.REGISTER,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "A national table needs no site or grid: households without them wait for a "
            "manager to place them, and households already here are compared cell by cell."
        ),
    )
    dry_run = forms.BooleanField(label=_("Only check the file; import nothing"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limits = import_limits()
        self.fields["file"].help_text = gettext(
            "Use the template: one row per member. At most %(mb)d MB and %(rows)d rows."
        ) % {"mb": limits.upload_mb, "rows": limits.rows}

    def clean_file(self) -> Any:
        """The workbook's size and its parts' unpacked sizes are checked before it is kept;
        its cells are checked by the import."""
        upload = self.cleaned_data["file"]
        if upload.name.lower().endswith(".xlsx"):
            try:
                check_workbook(upload, scan=False)
            except LedgerUnreadable as exc:
                raise ValidationError(str(exc)) from exc
        return upload


class LedgerImportView(generic.FormView):
    """Upload a household ledger; lists the user's recent imports."""

    request: AuthenticatedRequest
    template_name = "ledgers/ledger_imports.html"
    form_class = LedgerUploadForm
    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _may_import(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(
            imports=LedgerImport.objects.filter(requested_by=user)[:20],
            sites=permissions.sites_for_import(user),
            may_export=permissions.may_unmask_exports(user),
            **kwargs,
        )

    def form_valid(self, form: LedgerUploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            job = ledger_import_request(
                actor=self.request.user,
                upload=upload,
                name=upload.name,
                size=upload.size,
                dry_run=form.cleaned_data["dry_run"],
                layout=form.cleaned_data["layout"] or LedgerImport.Layout.REGISTER,
            )
        except ValidationError as exc:
            form.add_error("file", exc.message_dict.get("file", exc.messages))
            return self.form_invalid(form)
        return HttpResponseRedirect(self.viewset.reverse("ledger_import_status", args=[job.pk]))


class LedgerImportStatusView(generic.TemplateView):
    """One import: progress while it runs (the page refreshes itself), then its report."""

    request: AuthenticatedRequest
    template_name = "ledgers/ledger_import.html"
    viewset: Any = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        _may_import(self.request.user)
        job = LedgerImport.objects.filter(
            pk=kwargs["import_pk"], requested_by=self.request.user
        ).first()
        if job is None:
            raise Http404(gettext("No such import of yours."))
        report = job.report or {}
        errors, notices = report.get("errors", []), report.get("notices", [])
        return super().get_context_data(
            job=job,
            working=not job.finished,
            errors=errors[:REPORT_ROWS_SHOWN],
            errors_hidden=max(0, len(errors) - REPORT_ROWS_SHOWN),
            notices=notices[:REPORT_ROWS_SHOWN],
            notices_hidden=max(0, len(notices) - REPORT_ROWS_SHOWN),
            bad_rows=report.get("bad_rows", 0),
            may_download_report=bool(job.report_file)
            and permissions.may_unmask_exports(self.request.user),
            **national_changes_shown(job, self.request.user),
            **kwargs,
        )


class LedgerImportReportView(generic.View):
    """One's own import's report as a workbook to correct and import again: GET asks (the
    file holds full ID numbers), the POST downloads it and is recorded."""

    viewset: Any = None

    def _job(self, request: AuthenticatedRequest, pk: int) -> LedgerImport:
        _may_import(request.user)
        job = LedgerImport.objects.filter(pk=pk, requested_by=request.user).first()
        if job is None or not job.report_file:
            raise Http404(gettext("No such import of yours."))
        return job

    def get(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        job = self._job(request, kwargs["import_pk"])
        return download_confirm(
            request,
            title=gettext("Download the rows with their reasons (Excel)"),
            text=gettext(
                "The file holds every row you uploaded, with full ID numbers, the bad ones "
                "marked with their reasons in the last column 原因. The download is recorded."
            ),
            action=self.viewset.reverse("ledger_import_report", args=[job.pk]),
            button=gettext("Download"),
            back=self.viewset.reverse("ledger_import_status", args=[job.pk]),
            back_label=gettext("Back to the import"),
        )

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        job = self._job(request, kwargs["import_pk"])
        source = ledger_import_report_open(actor=request.user, job=job)
        stem = Path(job.original_name).stem or str(job.pk)
        name = download_name(stem, pgettext("file name", "import-errors"), extension="xlsx")
        return file_attachment(source, name, XLSX)


class LedgerTemplateView(generic.View):
    """The empty ledger template, with a sheet explaining each column."""

    viewset: Any = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _may_import(request.user)
        return _xlsx(
            template_workbook(), pgettext("file name", "household-ledger-template") + ".xlsx"
        )


class RegisterExportView(generic.View):
    """The household ledger of the households the user works, full identifiers (recorded).
    GET (the list's menu) asks first; the POST downloads."""

    viewset: Any = None

    def get(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.may_unmask_exports(request.user):
            raise PermissionDenied
        return download_confirm(
            request,
            title=gettext("Download the household ledger"),
            text=gettext(
                "The household ledger of your households, in the same template (full ID "
                "numbers; the download is recorded):"
            ),
            action=self.viewset.reverse("register_export"),
            button=gettext("Download the household ledger"),
        )

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("registry.view_household"):
            raise PermissionDenied
        content, _count = household_ledger_export(
            actor=request.user, households=permissions.households_visible_to(request.user)
        )
        return _xlsx(
            content, download_name(pgettext("file name", "household-ledger"), extension="xlsx")
        )


class LedgerExportView(generic.View):
    """The employment ledger of every household the user may see, as Excel. GET (the list's
    menu) asks first and makes no file; its POST gives masked identifiers, a POST with
    ``unmasked`` full ones to holders of the personal-data right (recorded either way)."""

    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm("cases.view_employmentcase"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("layout") == "hrss":
            return download_confirm(
                request,
                title=gettext("Export the 人社 employment ledger"),
                text=gettext(
                    "The labour members of the households you may see in the 35 columns of the "
                    "provincial 人社 system (贫困劳动力就业信息), with ID numbers and phones "
                    "masked. Columns the system does not hold are left empty. The download is "
                    "recorded."
                ),
                action=self.viewset.reverse("ledger"),
                button=gettext("Download"),
                fields={"layout": "hrss"},
            )
        return download_confirm(
            request,
            title=gettext("Export the employment ledger"),
            text=gettext(
                "The employment ledger of the households you may see, one row per labour "
                "member, with ID numbers and phones masked. The download is recorded."
            ),
            action=self.viewset.reverse("ledger"),
            button=gettext("Download"),
        )

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The export service refuses full identifiers to a user without the right (403).
        unmasked = bool(request.POST.get("unmasked"))
        layout = "hrss" if request.POST.get("layout") == "hrss" else "employment"
        content = employment_ledger_export(actor=request.user, unmasked=unmasked, layout=layout)
        if layout == "hrss":
            name = download_name(pgettext("file name", "hrss-employment-ledger"), extension="xlsx")
        else:
            name = download_name(pgettext("file name", "employment-ledger"), extension="xlsx")
        return _xlsx(content, name)
