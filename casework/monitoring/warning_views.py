"""预警 in the menu: the early warnings about the households of the grids a user works (the
responsible caseworker, and the manager of the site), by rule, each linked to its household."""

from collections import Counter
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import Application

from casework import permissions
from casework.common.requests import AuthenticatedRequest
from casework.policy.params import param

from .warnings import KINDS, early_warnings

SHOWN = 500
SCOPE_LIMIT = 5000  # households: more, and one site is picked first


def _may_see(user: Any) -> bool:
    return user.is_authenticated and permissions.works_some_grid(user)


class WarningsView(generic.TemplateView):
    request: AuthenticatedRequest
    template_name = "monitoring/warnings.html"
    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _may_see(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, today = self.request.user, timezone.localdate()
        households = permissions.households_visible_to(user).filter(
            grid__in=permissions.grids_worked_by(user)
        )
        sites = list(permissions.sites_worked_by(user).order_by("name"))
        site = next((s for s in sites if str(s.pk) == self.request.GET.get("site")), None)
        if site is not None:
            households = households.filter(grid__site=site)
        # A county-wide or city-wide user picks a site first: the rules read every member.
        too_many = site is None and len(sites) > 1 and households.count() > SCOPE_LIMIT
        found = [] if too_many else early_warnings(households, today)
        counts = Counter(w.kind for w in found)
        kind = self.request.GET.get("kind", "")
        chosen = [w for w in found if w.kind == kind] if kind in KINDS else found
        return super().get_context_data(
            viewset=self.viewset,
            kinds=[(key, label, counts.get(key, 0)) for key, label in KINDS.items()],
            kind=kind if kind in KINDS else "",
            sites=sites if len(sites) > 1 else [],
            site=site,
            too_many=too_many,
            warnings=chosen[:SHOWN],
            hidden=max(0, len(chosen) - SHOWN),
            total=len(found),
            limits={
                "replacement": param("warning.replacement_days", today),
                "months": param("warning.low_income_months", today),
                "line": param("warning.monthly_income_line", today),
                "zero": param("warning.zero_employment_days", today),
            },
            **kwargs,
        )


class WarningsApp(Application):
    """预警 in the menu: for caseworkers and managers (whoever works a grid)."""

    title = _("Early warnings")
    icon = "notification_important"
    app_name = "warnings"
    menu_template_name = None

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return _may_see(user)

    @property
    def index_path(self) -> Any:
        return path("", WarningsView.as_view(viewset=self), name="index")
