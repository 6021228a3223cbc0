"""数据质量核查 pages: the findings of the last nightly run of the 17 rules in the user's grids,
each linked to its household; a manager may run the rules now; the list exports to Excel."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import Application

from casework.common.requests import AuthenticatedRequest
from casework.common.xlsx import XLSX, write_rows

from .quality_rules import RULE_TITLES
from .quality_selectors import (
    VIEW_QUALITY,
    quality_counts,
    quality_findings_visible_to,
    quality_last_run,
)
from .services import quality_export_record
from .services.quality_requests import quality_run_request

RUN_QUALITY = "monitoring.add_qualityrun"
PAGE_SIZE = 50


def _rule(request: HttpRequest) -> int | None:
    raw = request.GET.get("rule") or request.POST.get("rule") or ""
    return int(raw) if raw.isdigit() and int(raw) in RULE_TITLES else None


class _QualityPage(generic.View):
    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(VIEW_QUALITY):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class QualityReportView(_QualityPage, generic.TemplateView):
    request: AuthenticatedRequest
    template_name = "monitoring/quality.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rule = _rule(self.request)
        findings = quality_findings_visible_to(self.request.user, rule=rule)
        page = Paginator(findings, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            viewset=self.viewset, rule=rule, rule_title=RULE_TITLES.get(rule or 0, ""),
            rule_query=str(rule or ""),
            counts=quality_counts(self.request.user), page=page, run=quality_last_run(),
            may_run=self.request.user.has_perm(RUN_QUALITY), **kwargs,
        )  # fmt: skip

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(RUN_QUALITY):
            raise PermissionDenied
        try:
            quality_run_request(actor=self.request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return HttpResponseRedirect(self.viewset.reverse("index"))
        messages.success(
            request,
            gettext("The rules are running; open this page again in a few minutes to see them."),
        )
        return HttpResponseRedirect(self.viewset.reverse("index"))


class QualityExportView(_QualityPage):
    """The findings in the user's grids (one rule, or all) as Excel; each export recorded."""

    request: AuthenticatedRequest

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        rule = _rule(request)
        findings = quality_findings_visible_to(request.user, rule=rule)
        headers = [
            gettext("Rule"), gettext("Check"), gettext("Site"), gettext("Grid"),
            gettext("Household"), gettext("Member"), gettext("Finding"),
        ]  # fmt: skip
        rows = (
            (
                f.rule, str(RULE_TITLES[f.rule]), f.household.grid.site.name, f.household.grid.name,
                f.household.number, f.member.name if f.member else "", f.detail,
            )
            for f in findings.iterator(chunk_size=2000)
        )  # fmt: skip
        handle, count = write_rows(gettext("Data-quality findings"), headers, rows)
        quality_export_record(actor=self.request.user, rule=rule, rows=count)
        name = f"数据质量核查-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)


class QualityApp(Application):
    """数据质量核查 in the menu: for whoever may see the findings."""

    title = _("Data quality")
    icon = "rule"
    app_name = "quality"
    menu_template_name = None

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and user.has_perm(VIEW_QUALITY)

    @property
    def index_path(self) -> Any:
        return path("", QualityReportView.as_view(viewset=self), name="index")

    @property
    def export_path(self) -> Any:
        return path("export/", QualityExportView.as_view(viewset=self), name="export")
