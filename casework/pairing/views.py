"""Pairing pages: the helper's households and visit form, a household's pairings, and the
households overdue for a visit. Every household goes through ``permissions``."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from django.views.generic.base import ContextMixin
from viewflow.urls import AppMenuMixin, Viewset

from casework import permissions
from casework.common.requests import AuthenticatedRequest
from casework.common.views import ServiceFormView

from . import selectors, services
from .forms import PairForm, PairingEndForm, VisitForm
from .models import Pairing


class _Page(ContextMixin):
    viewset: Any = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(viewset=self.viewset, **kwargs)


class MyHouseholdsView(_Page, generic.TemplateView):
    """我的结对户: the helper's households, the next visit due first."""

    request: AuthenticatedRequest
    template_name = "pairing/mine.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            households=selectors.helper_households(self.request.user),
            today=timezone.localdate(),
            **kwargs,
        )


class VisitCreateView(ServiceFormView):
    request: AuthenticatedRequest
    template_name = "pairing/visit_form.html"
    form_class = VisitForm
    success_text = _("The visit is recorded.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.household = permissions.get_household_for_user(request.user, kwargs["pk"])
        if not request.user.has_perm("pairing.add_visit"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(household=self.household, **kwargs)

    def perform(self, form: VisitForm) -> Any:
        return services.visit_record(
            actor=self.request.user, household=self.household, **form.visit_arguments()
        )

    def success_url_for(self, target: Any) -> str:
        return self.viewset.reverse("index")


class OverdueVisitsView(_Page, generic.TemplateView):
    """Households whose label's visit is overdue (for managers and caseworkers)."""

    template_name = "pairing/overdue.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm("pairing.view_pairing"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            households=selectors.households_overdue_for_visit(self.request.user), **kwargs
        )


class HouseholdPairingsView(ServiceFormView):
    """A household's helpers, past and present; pair a new one."""

    request: AuthenticatedRequest
    template_name = "pairing/household.html"
    form_class = PairForm
    success_text = _("Saved.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.household = permissions.get_household_for_user(request.user, kwargs["pk"], "change")
        if not request.user.has_perm("pairing.view_pairing"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            household=self.household,
            pairings=self.household.pairings.select_related("helper", "helper_household").order_by(
                "-start_date", "-pk"
            ),
            # The households this one helps, as 党员中心户 or 能人大户.
            led=self.household.pairings_led.filter(end_date__isnull=True).select_related(
                "household"
            ),
            end_form=PairingEndForm(),
            **kwargs,
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "actor": self.request.user,
            "household": self.household,
        }

    def perform(self, form: PairForm) -> Pairing:
        return services.pairing_create(
            actor=self.request.user, household=self.household, **form.cleaned_data
        )

    def success_url_for(self, target: Pairing) -> str:
        return self.request.path


class PairingEndView(generic.View):
    viewset: Any = None

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pairing = get_object_or_404(Pairing, pk=kwargs["pairing_pk"], household_id=kwargs["pk"])
        permissions.get_household_for_user(request.user, kwargs["pk"], "change")
        form = PairingEndForm(request.POST)
        back = self.viewset.reverse("household", args=[kwargs["pk"]])
        try:
            if not form.is_valid():
                raise ValidationError(list(form.errors.get("reason", [gettext("Say why.")])))
            services.pairing_end(
                actor=request.user, pairing=pairing, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(back)
        messages.success(request, gettext("Saved."))
        return HttpResponseRedirect(back)


class PairingViewset(AppMenuMixin, Viewset):
    title = _("Pairing")
    icon = "diversity_3"
    app_name = "pairing"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and (
            user.has_perm("pairing.add_visit") or user.has_perm("pairing.view_pairing")
        )

    @property
    def index_path(self) -> Any:
        return path("", MyHouseholdsView.as_view(viewset=self), name="index")

    @property
    def visit_path(self) -> Any:
        return path(
            "household/<int:pk>/visit/", VisitCreateView.as_view(viewset=self), name="visit"
        )

    @property
    def overdue_path(self) -> Any:
        return path("overdue/", OverdueVisitsView.as_view(viewset=self), name="overdue")

    @property
    def household_path(self) -> Any:
        return path(
            "household/<int:pk>/", HouseholdPairingsView.as_view(viewset=self), name="household"
        )

    @property
    def end_path(self) -> Any:
        return path(
            "household/<int:pk>/pairings/<int:pairing_pk>/end/",
            PairingEndView.as_view(viewset=self),
            name="end",
        )
