"""The pairings administration (``manage/pairings/``): pair a household with a helper, each
helper's households against the type's cap, end a pairing, hand over one household or all of a
helper's. Administrators everywhere, managers within their sites, caseworkers within their
grids (``permissions.may_pair``)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import AppMenuMixin, Viewset

from casework import permissions
from casework.common.requests import AuthenticatedRequest
from casework.common.views import ServiceFormView
from casework.registry.models import Household

from . import loads, services
from .forms import HandoverForm, PairForm, PairingEndForm
from .models import Pairing


def may_manage_pairings(user: Any) -> bool:
    """Administrators, and whoever may pair some household (managers, caseworkers)."""
    return permissions.is_administrator(user) or (
        permissions.households_pairable_by(user).exists() and user.has_perm("pairing.add_pairing")
    )


class PairingsAccessMixin:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_manage_pairings(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin of views


class PairingsView(PairingsAccessMixin, ServiceFormView):
    """Each helper's households by type against the cap, and the form to pair one more."""

    request: AuthenticatedRequest
    template_name = "pairing/manage.html"
    form_class = PairForm
    title = _("Pairings")
    success_text = _("Saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        """``?household=A1-0001`` (a link from a household) fills in the household number."""
        number = self.request.GET.get("household", "").strip()[:32]
        return {**super().get_initial(), **({"household": number} if number else {})}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(loads=loads.helper_loads(self.request.user), **kwargs)

    def perform(self, form: PairForm) -> Pairing:
        return services.pairing_create(actor=self.request.user, **form.cleaned_data)

    def success_url_for(self, target: Pairing) -> str:
        return self.request.path


class HelperView(PairingsAccessMixin, generic.TemplateView):
    """One helper's pairings in force (a user, or a helper household): end or hand over each,
    or hand over all of them."""

    request: AuthenticatedRequest
    template_name = "pairing/manage_helper.html"
    viewset: Any = None

    def helper(self) -> User | Household:
        if "household_pk" in self.kwargs:
            return get_object_or_404(Household, pk=self.kwargs["household_pk"])
        return get_object_or_404(User, pk=self.kwargs["user_pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        helper = self.helper()
        key = "helper_household" if isinstance(helper, Household) else "helper"
        pairings = loads.pairings_administered(self.request.user).filter(**{key: helper})
        if not pairings.exists() and not permissions.is_administrator(self.request.user):
            raise Http404
        return super().get_context_data(
            viewset=self.viewset,
            helper=helper,
            helper_name=helper.number
            if isinstance(helper, Household)
            else str(helper.get_full_name() or helper.get_username()),
            is_household=isinstance(helper, Household),
            pairings=pairings.order_by("household__number"),
            load=loads.helper_load(helper),
            end_form=PairingEndForm(),
            handover_form=HandoverForm(actor=self.request.user),
            **kwargs,
        )


class _PairingAction(PairingsAccessMixin, generic.View):
    """POST only: one service about one pairing, then back to its helper's page."""

    http_method_names = ["post"]
    viewset: Any = None

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        pairing = get_object_or_404(loads.pairings_administered(request.user), pk=pk)
        back = (
            self.viewset.reverse("helper_household", args=[pairing.helper_household_id])
            if pairing.helper_household_id
            else self.viewset.reverse("helper", args=[pairing.helper_id])
        )
        try:
            self.act(request, pairing)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("Saved."))
        return HttpResponseRedirect(back)

    def act(self, request: AuthenticatedRequest, pairing: Pairing) -> None:
        raise NotImplementedError


class PairingEndView(_PairingAction):
    def act(self, request: AuthenticatedRequest, pairing: Pairing) -> None:
        form = PairingEndForm(request.POST)
        if not form.is_valid():
            raise ValidationError(gettext("Say why the pairing ends."))
        services.pairing_end(
            actor=request.user, pairing=pairing, reason=form.cleaned_data["reason"]
        )


class PairingHandoverView(_PairingAction):
    def act(self, request: AuthenticatedRequest, pairing: Pairing) -> None:
        form = HandoverForm(request.POST, actor=request.user)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        if form.new_helper() is None:
            raise ValidationError(gettext("Choose the helper."))
        services.pairing_handover(actor=request.user, pairing=pairing, **_to(form))


def _form_errors(form: HandoverForm) -> list[str]:
    return [str(message) for messages_ in form.errors.values() for message in messages_]


def _to(form: HandoverForm) -> dict[str, Any]:
    return {
        "helper": form.cleaned_data.get("helper"),
        "helper_household": form.cleaned_data.get("helper_household"),
    }


class HandoverAllView(HelperView):
    """POST only: every household of the helper to another helper of the same kind."""

    http_method_names = ["post"]

    def post(self, request: AuthenticatedRequest, **kwargs: Any) -> HttpResponse:
        helper = self.helper()
        form = HandoverForm(request.POST, actor=request.user)
        to = form.new_helper() if form.is_valid() else None
        back = request.path.rsplit("handover-all/", 1)[0]
        if to is None:
            messages.error(request, " ".join(_form_errors(form)) or gettext("Choose the helper."))
            return HttpResponseRedirect(back)
        try:
            moved = services.pairing_handover_all(actor=request.user, helper=helper, to=to)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return HttpResponseRedirect(back)
        messages.success(
            request, gettext("%(count)d households handed over.") % {"count": len(moved)}
        )
        return HttpResponseRedirect(self.viewset.reverse("index"))


class PairingAdminViewset(AppMenuMixin, Viewset):
    title = _("Pairings")
    icon = "diversity_3"
    app_name = "pairings"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return may_manage_pairings(user)

    @property
    def index_path(self) -> Any:
        return path("", PairingsView.as_view(viewset=self), name="index")

    @property
    def helper_path(self) -> Any:
        return path("helper/<int:user_pk>/", HelperView.as_view(viewset=self), name="helper")

    @property
    def helper_household_path(self) -> Any:
        return path(
            "helper-household/<int:household_pk>/",
            HelperView.as_view(viewset=self),
            name="helper_household",
        )

    @property
    def handover_all_path(self) -> Any:
        return path(
            "helper/<int:user_pk>/handover-all/",
            HandoverAllView.as_view(viewset=self),
            name="handover_all",
        )

    @property
    def household_handover_all_path(self) -> Any:
        return path(
            "helper-household/<int:household_pk>/handover-all/",
            HandoverAllView.as_view(viewset=self),
            name="household_handover_all",
        )

    @property
    def end_path(self) -> Any:
        return path("<int:pk>/end/", PairingEndView.as_view(viewset=self), name="end")

    @property
    def handover_path(self) -> Any:
        return path(
            "<int:pk>/handover/", PairingHandoverView.as_view(viewset=self), name="handover"
        )
