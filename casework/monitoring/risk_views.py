"""防返贫监测 pages: the monitored households the user sees, identifying a household, and a
monitored household's page where measures, incomes and an elimination proposal are recorded.
Every household goes through ``permissions``; every write is one service call."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import Application

from casework import permissions
from casework.common.forms import ServiceErrorsMixin
from casework.common.requests import AuthenticatedRequest
from casework.common.views import ServiceFormView

from . import services
from .risk_forms import ChangeForm, IdentifyForm, IncomeForm, MeasureForm, ProposeForm
from .risk_models import MonitoredHousehold
from .risk_selectors import monitored_visible_to, monitoring_facts, monitoring_open

Status = MonitoredHousehold.Status
VIEW_MONITORING = "monitoring.view_monitoredhousehold"
PAGE_SIZE = 50
STATUS_TABS = (
    ("", _("Being monitored")),
    (Status.PROPOSED, _("Elimination under way")),
    (Status.ELIMINATED, _("Risk eliminated")),
    ("all", _("All")),
)


class MonitoringListView(generic.TemplateView):
    """The monitored households of the user's grids and sites, newest identification first."""

    request: AuthenticatedRequest
    template_name = "monitoring/monitored_list.html"
    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(VIEW_MONITORING):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        status = self.request.GET.get("status", "")
        if status not in dict(STATUS_TABS):
            status = ""
        records = monitored_visible_to(self.request.user, status=status)
        page = Paginator(records, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            viewset=self.viewset, tabs=STATUS_TABS, status=status, page=page, **kwargs
        )


class IdentifyView(ServiceFormView):
    """识别纳入监测: record the county's decision that a household is monitored."""

    request: AuthenticatedRequest
    template_name = "monitoring/identify.html"
    form_class = IdentifyForm
    title = _("Identify a monitored household")
    success_text = _("The household is now monitored.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.household = permissions.get_household_for_user(
            request.user, kwargs["household_pk"], "monitor"
        )
        open_record = monitoring_open(self.household)
        if open_record is not None:
            return HttpResponseRedirect(
                self.viewset.reverse("detail", kwargs={"pk": open_record.pk})
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"kind": self.household.monitoring or None}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(household=self.household, **kwargs)

    def perform(self, form: IdentifyForm) -> MonitoredHousehold:
        return services.monitoring_identify(
            actor=self.request.user, household=self.household, **form.cleaned_data
        )

    def success_url_for(self, target: MonitoredHousehold) -> str:
        return str(self.viewset.reverse("detail", kwargs={"pk": target.pk}))


# The forms of a monitored household's page: the name posted with each, and its service.
FORMS: dict[str, tuple[type[ServiceErrorsMixin], Callable[..., Any], Any]] = {
    "measure": (MeasureForm, services.monitoring_measure_add, _("The measure is recorded.")),
    "income": (IncomeForm, services.monitoring_income_record, _("The income is recorded.")),
    "change": (
        ChangeForm,
        services.monitoring_change,
        _("The monitoring is corrected."),
    ),
    "propose": (
        ProposeForm,
        services.elimination_propose,
        _("The proposal is sent to the manager for review."),
    ),
}


class MonitoredDetailView(generic.TemplateView):
    """A monitored household: its risks, incomes by year, measures, and elimination; for
    those who work its grid, the forms to add to them."""

    request: AuthenticatedRequest
    template_name = "monitoring/monitored_detail.html"
    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(VIEW_MONITORING):
            raise PermissionDenied
        self.monitored = get_object_or_404(
            monitored_visible_to(request.user, status="all"), pk=kwargs["pk"]
        )
        self.may_monitor = permissions.can(request.user, "monitor", self.monitored.household)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        current = {
            "kind": self.monitored.kind,
            "risks": self.monitored.risks,
            "no_labour_safeguard": self.monitored.no_labour_safeguard,
            "note": self.monitored.note,
        }
        forms = {
            name: kwargs.pop(name, None) or entry[0](initial=current if name == "change" else None)
            for name, entry in FORMS.items()
        }
        process = getattr(self.monitored.proposals.filter(outcome="").first(), "process", None)
        return super().get_context_data(
            viewset=self.viewset,
            may_monitor=self.may_monitor and self.monitored.is_open,
            forms=forms,
            process=process,
            **monitoring_facts(self.monitored),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = request.POST.get("form", "")
        if name not in FORMS or not self.may_monitor:
            raise PermissionDenied
        form_class, service, done = FORMS[name]
        form = form_class(request.POST, prefix=None)
        if form.is_valid():
            try:
                with transaction.atomic():
                    service(actor=request.user, monitored=self.monitored, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, str(done))
                return HttpResponseRedirect(
                    self.viewset.reverse("detail", kwargs={"pk": self.monitored.pk})
                )
        return self.render_to_response(self.get_context_data(**{name: form}))


class MonitoringApp(Application):
    """防返贫监测 in the menu: for whoever sees monitored households."""

    title = _("Monitored households")
    icon = "health_and_safety"
    app_name = "monitoring"
    menu_template_name = None

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and user.has_perm(VIEW_MONITORING)

    @property
    def index_path(self) -> Any:
        return path("", MonitoringListView.as_view(viewset=self), name="index")

    @property
    def identify_path(self) -> Any:
        return path(
            "identify/<int:household_pk>/",
            IdentifyView.as_view(viewset=self),
            name="identify",
        )

    @property
    def detail_path(self) -> Any:
        return path("<int:pk>/", MonitoredDetailView.as_view(viewset=self), name="detail")
