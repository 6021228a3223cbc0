"""The dashboard app: the page, its PDF and the zero-employment list as Excel.

Only holders of ``reports.view_dashboard`` get in, and they see the sites they manage
(``permissions.sites_overseen_by``: managed, or read as a county's bureau), all of them or the
one chosen with ``site``.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import Application

from casework import permissions
from casework.common.downloads import as_attachment, download_name
from casework.common.requests import AuthenticatedRequest
from casework.common.xlsx import XLSX
from casework.monitoring.quality_selectors import (
    monitored_counts_for_sites,
    quality_counts_for_sites,
)
from casework.monitoring.selectors import month_before, month_of, work_month_shares
from casework.registry.models import Grid, Site

from .charts import dashboard_context
from .exports import dashboard_pdf, zero_employment_workbook
from .services.requests import figures_refresh_request
from .snapshots import dashboard_from_snapshots, monthly_trend

PERMISSION = "reports.view_dashboard"


@dataclass(frozen=True)
class DashboardScope:
    managed: list[Site]
    chosen: Site | None

    @property
    def sites(self) -> list[Site]:
        return [self.chosen] if self.chosen else self.managed

    @property
    def queryset(self) -> QuerySet[Site]:
        return Site.objects.filter(pk__in=[site.pk for site in self.sites])


def dashboard_scope(user: Any, site: str | None) -> DashboardScope:
    """The sites the user oversees (manages, or reads as a county's bureau) and the one
    ``site`` (a pk) names, if any: 403 without the dashboard right, 404 for a site the user does
    not oversee."""
    if not user.has_perm(PERMISSION):
        raise PermissionDenied
    managed = list(permissions.sites_overseen_by(user).order_by("code"))
    if not site:
        return DashboardScope(managed=managed, chosen=None)
    chosen = next((s for s in managed if str(s.pk) == site), None)
    if chosen is None:
        raise Http404(gettext("No such site among those you manage."))
    return DashboardScope(managed=managed, chosen=chosen)


def may_refresh(user: Any) -> bool:
    """Managers (and superusers) ask for the figures to be counted again; a county's bureau
    reads them as the nightly count left them."""
    return permissions.sites_managed_by(user).exists()


def _attachment(content: bytes, content_type: str, title: str, extension: str) -> HttpResponse:
    name = download_name(title, extension=extension, when=timezone.localtime())
    return as_attachment(HttpResponse(content, content_type=content_type), name)


class DashboardView(generic.TemplateView):
    """统计看板 of the sites the user manages."""

    template_name = "reports/dashboard.html"
    viewset: Any = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.scope = dashboard_scope(request.user, request.GET.get("site"))
        response = super().get(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"  # heads of households are named
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        sites = self.scope.queryset
        figures = dashboard_from_snapshots(sites=sites)
        query = f"?site={self.scope.chosen.pk}" if self.scope.chosen else ""
        # 务工月监测: the last three months that have ended, newest first.
        months = [month_before(month_of(timezone.localdate()))]
        months += [month_before(months[-1]), month_before(month_before(months[-1]))]
        return super().get_context_data(
            work_months=work_month_shares(sites, months),
            quality=quality_counts_for_sites(sites),
            monitored=monitored_counts_for_sites(sites),
            **dashboard_context(figures, self.scope.sites, monthly_trend(sites)),
            managed=self.scope.managed,
            chosen=self.scope.chosen,
            pdf_url=self.viewset.reverse("pdf"),
            refresh_url=self.viewset.reverse("refresh"),
            # Counting again is a manager's (a county's bureau reads the figures as they are).
            may_refresh=may_refresh(self.request.user),
            zero_employment_url=self.viewset.reverse("zero_employment") + query,
            **kwargs,
        )


class DashboardPdfView(generic.View):
    """The dashboard as PDF (POST: generating it is recorded)."""

    viewset: Any = None
    http_method_names = ["post"]

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = dashboard_scope(request.user, request.POST.get("site"))
        content = dashboard_pdf(actor=request.user, sites=scope.queryset, scope=scope.sites)
        return _attachment(content, "application/pdf", pgettext("file name", "dashboard"), "pdf")


class DashboardRefreshView(generic.View):
    """刷新: queue a new count of the figures of the sites shown, for a worker (POST)."""

    viewset: Any = None
    http_method_names = ["post"]

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = dashboard_scope(request.user, request.POST.get("site"))
        if not may_refresh(request.user):
            raise PermissionDenied
        grids = Grid.objects.filter(site__in=scope.queryset.values("pk"))
        try:
            figures_refresh_request(actor=request.user, grids=grids)
        except ValidationError as refused:
            messages.info(request, " ".join(refused.messages))
        else:
            messages.success(
                request,
                gettext("The figures are being counted again; reload this page in a few minutes."),
            )
        query = f"?site={scope.chosen.pk}" if scope.chosen else ""
        return HttpResponseRedirect(self.viewset.reverse("index") + query)


class ZeroEmploymentExportView(generic.View):
    """Every zero-employment household in scope as Excel (recorded: heads are named)."""

    viewset: Any = None

    def get(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = dashboard_scope(request.user, request.GET.get("site"))
        content = zero_employment_workbook(
            actor=request.user, sites=scope.queryset, scope=scope.sites
        )
        return _attachment(
            content, XLSX, pgettext("file name", "zero-employment-households"), "xlsx"
        )


class DashboardApp(Application):
    title = _("Dashboard")
    icon = "insights"
    app_name = "dashboard"
    menu_template_name = None

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and user.has_perm(PERMISSION)

    @property
    def index_path(self) -> Any:
        return path("", DashboardView.as_view(viewset=self), name="index")

    @property
    def pdf_path(self) -> Any:
        return path("pdf/", DashboardPdfView.as_view(viewset=self), name="pdf")

    @property
    def refresh_path(self) -> Any:
        return path("refresh/", DashboardRefreshView.as_view(viewset=self), name="refresh")

    @property
    def zero_employment_path(self) -> Any:
        return path(
            "zero-employment.xlsx",
            ZeroEmploymentExportView.as_view(viewset=self),
            name="zero_employment",
        )
