"""``/api/v1/``: the endpoints, the OpenAPI 3 schema and its documentation page (served from
the project's own static files)."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from .dashboard_views import DashboardView
from .import_views import LedgerImportViewSet
from .read_views import CaseViewSet, CourseViewSet, EnrolmentViewSet, PlacementViewSet
from .read_views_more import MonitoredHouseholdViewSet, WorkMonthViewSet
from .task_views import TaskViewSet
from .views import HouseholdViewSet, MemberViewSet, VisitViewSet

app_name = "api"

# Swagger UI sets a few style elements of its own (no nonce can reach them): on this page only,
# inline styles are allowed; scripts stay our own files only.
docs_view = csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api:schema")
)

# Addresses with integer ids only (path converters, no ``.json`` suffixes, no browsable root).
router = SimpleRouter(use_regex_path=False)
router.register("households", HouseholdViewSet, basename="household")
router.register("members", MemberViewSet, basename="member")
router.register("visits", VisitViewSet, basename="visit")
router.register("tasks", TaskViewSet, basename="task")
router.register("ledger-imports", LedgerImportViewSet, basename="ledger-import")
router.register("cases", CaseViewSet, basename="case")
router.register("placements", PlacementViewSet, basename="placement")
router.register("courses", CourseViewSet, basename="course")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("work-months", WorkMonthViewSet, basename="work-month")
router.register("monitoring", MonitoredHouseholdViewSet, basename="monitored-household")

urlpatterns = [
    path("", include(router.urls)),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_view, name="docs"),
]
