"""The managers' page of the consistency check: the last run, limited to their households."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import Application

from casework import permissions
from casework.common.requests import AuthenticatedRequest

from .consistency import CHECKS
from .models import ConsistencyRun
from .services import consistency_run

PERMISSION = "ops.view_consistencyrun"


class ConsistencyView(generic.TemplateView):
    request: AuthenticatedRequest
    template_name = "ops/consistency.html"
    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = consistency_run(actor=request.user)
        messages.success(request, gettext("Checked: %(n)s breach(es) in all.") % {"n": run.total})
        return HttpResponseRedirect(request.path)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        run = ConsistencyRun.objects.order_by("-ran_at", "-pk").first()
        breaches: list[dict[str, Any]] = []
        if run is not None:
            ids = {b["household_id"] for b in run.breaches if b["household_id"] is not None}
            visible = set(
                permissions.households_visible_to(self.request.user)
                .filter(pk__in=ids)
                .values_list("pk", flat=True)
            )
            breaches = [
                {**b, "label": CHECKS.get(b["check"], b["check"])}
                for b in run.breaches
                if b["household_id"] in visible
            ]
        counts = dict.fromkeys(CHECKS, 0)
        for breach in breaches:
            counts[breach["check"]] = counts.get(breach["check"], 0) + 1
        return super().get_context_data(
            run=run,
            breaches=breaches,
            counts=[(CHECKS[name], counts[name]) for name in CHECKS],
            **kwargs,
        )


class ConsistencyApp(Application):
    title = _("Consistency check")
    icon = "fact_check"
    app_name = "consistency"
    menu_template_name = None

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and user.has_perm(PERMISSION)

    @property
    def index_path(self) -> Any:
        return path("", ConsistencyView.as_view(viewset=self), name="index")
