"""Every app's URLs, composed here: no app wires another app's pages."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from viewflow.urls import Application, Site
from viewflow.utils import Icon
from viewflow.views import Action

from casework import permissions
from casework.accounts.pages import LoginsApp
from casework.accounts.users.views import UserViewset
from casework.accounts.views import AccountsViewset
from casework.api.pages import ApiAccessApp
from casework.cases.selectors import household_progress
from casework.common.administration import AdministrationIndexView
from casework.ledgers.national_views import (
    NationalApplyView,
    NationalExportView,
    WaitingPlaceView,
    WaitingView,
)
from casework.ledgers.views import (
    LedgerExportView,
    LedgerImportReportView,
    LedgerImportStatusView,
    LedgerImportView,
    LedgerTemplateView,
    RegisterExportView,
)
from casework.monitoring.quality_views import QualityApp
from casework.monitoring.risk_views import MonitoringApp
from casework.monitoring.views import WorkMonthsApp
from casework.monitoring.warning_views import WarningsApp
from casework.notices import urls as notices_urls
from casework.ops.views import ConsistencyApp
from casework.pairing.manage_views import PairingAdminViewset
from casework.pairing.selectors import visits_recent
from casework.pairing.views import PairingViewset
from casework.placement.views import EmployerViewset, WelfarePostViewset
from casework.policy.calendar_views import CalendarViewset
from casework.policy.code_pages import CodeListViewset
from casework.policy.views import PolicyViewset
from casework.registry.models import Household
from casework.registry.structure.grids import GridViewset
from casework.registry.structure.regions import RegionViewset
from casework.registry.structure.sites import SiteViewset
from casework.registry.views.households import HouseholdDetailView
from casework.registry.views.viewset import HouseholdViewset
from casework.reports.casefile.views import (
    CaseFileBatchDownloadView,
    CaseFileBatchStatusView,
    CaseFileBatchView,
    CaseFileView,
)
from casework.reports.dashboard.views import DashboardApp
from casework.reports.monthly.views import MonthFiguresApp
from casework.staff.views import StaffViewset
from casework.training.trainers import CourseTrainersViewset
from casework.training.views import CourseViewset
from casework.views import HomeView
from workflows.course_results import CourseResultsView
from workflows.selectors import member_assessments_running
from workflows.viewsets import CaseworkApp


def _action(name: Any, url: str, icon: str) -> Action:
    return Action(
        name=name, url=url, icon=Icon(icon, class_="material-icons mdc-list-item__graphic")
    )


class HouseholdPage(HouseholdDetailView):
    """The household page with the household's assistance progress (its cases)."""

    def other_sections(self, household: Household) -> dict[str, Any]:
        return {
            "progress": household_progress(household),
            "member_assessments": member_assessments_running(household),
            "monitoring_record": household.monitorings.order_by("-identified_on", "-pk").first(),
            "visits": visits_recent(household),
        }


class HouseholdPages(HouseholdViewset):
    """The registry's household pages, with the ledger and case-file pages about households
    under the same address (``registry/household/...``) and URL namespace."""

    def get_list_page_actions(self, request: HttpRequest, *actions: Action) -> tuple:
        user = request.user
        if permissions.may_import_ledgers(user):
            ledger_import = _action(
                _("Import a household ledger"), self.reverse("ledger_import"), "upload_file"
            )
            waiting = _action(
                _("Households waiting for a grid"), self.reverse("national_waiting"), "pending"
            )
            actions = (ledger_import, waiting, *actions)
        if permissions.may_export_national_tables(user):
            national = _action(
                _("Export the national base table"), self.reverse("national_export"), "download"
            )
            actions = (national, *actions)
        if user.has_perm("registry.export_casefile"):
            batch = _action(
                _("Export case files (ZIP)"), self.reverse("casefile_batches"), "archive"
            )
            actions = (batch, *actions)
        if user.has_perm("cases.view_employmentcase"):
            ledger = _action(_("Export the employment ledger"), self.reverse("ledger"), "download")
            hrss = _action(
                _("Export the 人社 employment ledger"),
                self.reverse("ledger") + "?layout=hrss",
                "download",
            )
            actions = (ledger, hrss, *actions)
        if user.has_perm("registry.view_household") and permissions.may_unmask_exports(user):
            register = _action(
                _("Download the household ledger"), self.reverse("register_export"), "download"
            )
            actions = (register, *actions)
        return super().get_list_page_actions(request, *actions)

    @property
    def detail_path(self) -> Any:
        return path("<int:pk>/", HouseholdPage.as_view(viewset=self), name="detail")

    # The ledgers (台账): the employment ledger, the household ledger's import, template and
    # export.
    @property
    def ledger_path(self) -> Any:
        return path("ledger/", LedgerExportView.as_view(viewset=self), name="ledger")

    @property
    def ledger_import_path(self) -> Any:
        return path("ledger/import/", LedgerImportView.as_view(viewset=self), name="ledger_import")

    @property
    def ledger_import_status_path(self) -> Any:
        return path(
            "ledger/import/<int:import_pk>/",
            LedgerImportStatusView.as_view(viewset=self),
            name="ledger_import_status",
        )

    @property
    def ledger_import_report_path(self) -> Any:
        return path(
            "ledger/import/<int:import_pk>/report/",
            LedgerImportReportView.as_view(viewset=self),
            name="ledger_import_report",
        )

    @property
    def ledger_template_path(self) -> Any:
        return path(
            "ledger/template/", LedgerTemplateView.as_view(viewset=self), name="ledger_template"
        )

    @property
    def national_apply_path(self) -> Any:
        return path(
            "ledger/import/<int:import_pk>/apply/",
            NationalApplyView.as_view(viewset=self),
            name="national_apply",
        )

    @property
    def national_waiting_path(self) -> Any:
        return path("ledger/waiting/", WaitingView.as_view(viewset=self), name="national_waiting")

    @property
    def national_place_path(self) -> Any:
        return path(
            "ledger/waiting/<int:pk>/place/",
            WaitingPlaceView.as_view(viewset=self),
            name="national_place",
        )

    @property
    def national_export_path(self) -> Any:
        return path(
            "ledger/national/", NationalExportView.as_view(viewset=self), name="national_export"
        )

    @property
    def register_export_path(self) -> Any:
        return path(
            "ledger/register/", RegisterExportView.as_view(viewset=self), name="register_export"
        )

    # The case file: one household's as PDF, batches of them as ZIP.
    @property
    def casefile_path(self) -> Any:
        return path("<int:pk>/casefile/", CaseFileView.as_view(viewset=self), name="casefile")

    @property
    def casefile_batches_path(self) -> Any:
        return path("casefiles/", CaseFileBatchView.as_view(viewset=self), name="casefile_batches")

    @property
    def casefile_batch_path(self) -> Any:
        return path(
            "casefiles/<int:batch_pk>/",
            CaseFileBatchStatusView.as_view(viewset=self),
            name="casefile_batch",
        )

    @property
    def casefile_batch_download_path(self) -> Any:
        return path(
            "casefiles/<int:batch_pk>/download/",
            CaseFileBatchDownloadView.as_view(viewset=self),
            name="casefile_batch_download",
        )


class HomeApp(Application):
    title = _("Workbench")
    icon = "dashboard"
    app_name = "home"
    menu_template_name = None

    @property
    def index_path(self) -> Any:
        return path("", HomeView.as_view(), name="index")


class RegistryApp(Application):
    title = _("Household registry")
    icon = "folder_shared"
    app_name = "registry"
    viewsets = [HouseholdPages()]

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and user.has_perm("registry.view_household")


class CoursePages(CourseViewset):
    """The course pages, with the class-results page that moves the trainees' flows on."""

    @property
    def results_path(self):
        return path("<int:pk>/results/", CourseResultsView.as_view(viewset=self), name="results")


class TrainingApp(Application):
    title = _("Training")
    icon = "school"
    app_name = "training"
    viewsets = [CoursePages()]

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and user.has_perm("training.view_course")


class PlacementApp(Application):
    title = _("Placement")
    icon = "work_outline"
    app_name = "placement"
    viewsets = [EmployerViewset(), WelfarePostViewset()]

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and user.has_perm("placement.view_employer")


class PairingApp(Application):
    title = _("Pairing")
    icon = "diversity_3"
    app_name = "pairing"
    viewsets = [PairingViewset()]

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and (
            user.has_perm("pairing.add_visit") or user.has_perm("pairing.view_pairing")
        )


class AdministrationApp(Application):
    """系统管理: the county's set-up, accounts, pairings, staff changes and policy; each part's
    pages one viewset here. Shown to whoever administers something (``may_administer``)."""

    title = _("Administration")
    icon = "admin_panel_settings"
    app_name = "manage"
    viewsets = [
        RegionViewset(),
        SiteViewset(),
        GridViewset(),
        UserViewset(),
        CourseTrainersViewset(),
        PolicyViewset(),
        CalendarViewset(),
        StaffViewset(),
        PairingAdminViewset(),
        CodeListViewset(),
    ]

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return permissions.may_administer(user)

    @property
    def index_path(self) -> Any:
        return path("", AdministrationIndexView.as_view(viewset=self), name="index")


site = Site(
    title=_("Employment assistance"),
    viewsets=[
        HomeApp(),
        CaseworkApp(),
        TrainingApp(),
        PlacementApp(),
        PairingApp(),
        WorkMonthsApp(),
        MonitoringApp(),
        QualityApp(),
        WarningsApp(),
        RegistryApp(),
        DashboardApp(),
        MonthFiguresApp(),
        ConsistencyApp(),
        ApiAccessApp(),
        LoginsApp(),
        AdministrationApp(),
    ],
)

urlpatterns = [
    path("accounts/", AccountsViewset().urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The strings of viewflow's widgets (date picker, search box): viewflow's base page loads
    # the catalog by this name, also on the login page.
    path(
        "jsi18n/",
        login_not_required(JavaScriptCatalog.as_view()),
        name="javascript-catalog",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include("casework.api.urls")),
    path("notices/", include(notices_urls)),
    *notices_urls.public_urlpatterns,
    path("", site.urls),
]

# Under /api/ an unknown address or an uncaught error answers JSON, as the endpoints do.
handler404 = "casework.api.errors.page_not_found"
handler500 = "casework.api.errors.server_error"
