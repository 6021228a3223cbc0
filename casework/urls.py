from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from viewflow.contrib.auth import AuthViewset
from viewflow.urls import Application, Site

from casework.pairing.views import PairingViewset
from casework.placement.views import EmployerViewset, WelfarePostViewset
from casework.registry.views import HouseholdViewset
from casework.reports.dashboard_views import DashboardApp
from casework.training.views import CourseViewset
from casework.views import HomeView
from workflows.course_results import CourseResultsView
from workflows.viewsets import CaseworkApp


class HomeApp(Application):
    title = _("Workbench")
    icon = "dashboard"
    app_name = "home"
    menu_template_name = None

    @property
    def index_path(self):
        return path("", HomeView.as_view(), name="index")


class RegistryApp(Application):
    title = _("Household registry")
    icon = "folder_shared"
    app_name = "registry"
    viewsets = [HouseholdViewset()]

    def has_view_permission(self, user, obj=None):
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

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and user.has_perm("training.view_course")


class PlacementApp(Application):
    title = _("Placement")
    icon = "work_outline"
    app_name = "placement"
    viewsets = [EmployerViewset(), WelfarePostViewset()]

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and user.has_perm("placement.view_employer")


class PairingApp(Application):
    title = _("Pairing")
    icon = "diversity_3"
    app_name = "pairing"
    viewsets = [PairingViewset()]

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and (
            user.has_perm("pairing.add_visit") or user.has_perm("pairing.view_pairing")
        )


site = Site(
    title=_("Employment assistance"),
    viewsets=[
        HomeApp(),
        CaseworkApp(),
        TrainingApp(),
        PlacementApp(),
        PairingApp(),
        RegistryApp(),
        DashboardApp(),
    ],
)

urlpatterns = [
    path("accounts/", AuthViewset().urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", site.urls),
]
