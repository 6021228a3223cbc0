"""接口访问: a staff member's personal tokens, and for administrators the system clients. A new
token is shown once, on the answer to the form that made it (never stored, never in an
address); revoking stops it at once."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import Application

from casework import permissions
from casework.common.forms import add_errors_by_field
from casework.common.requests import AuthenticatedRequest
from casework.policy.params import param
from casework.registry.models import Site

from .forms import PersonalTokenForm, SystemClientForm
from .models import ApiClient
from .selectors import personal_tokens_of, system_clients_for
from .services import api_client_create, api_client_revoke, api_token_create


def may_use_page(user: Any) -> bool:
    return permissions.may_hold_api_tokens(user) or permissions.may_manage_api_clients(user)


class ApiAccessView(generic.TemplateView):
    request: AuthenticatedRequest
    template_name = "api/access.html"
    viewset: Any = None

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_use_page(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _sites(self) -> Any:
        return Site.objects.order_by("code")

    def _forms(self, data: Any = None, which: str = "") -> dict[str, Any]:
        longest = int(param("api.token_days_max"))
        initial = {"days": min(90, longest)}
        personal = PersonalTokenForm(data if which == "personal" else None, initial=initial)
        system = None
        if permissions.may_manage_api_clients(self.request.user):
            system = SystemClientForm(
                data if which == "system" else None, initial=initial, sites=self._sites()
            )
        return {"personal_form": personal, "system_form": system, "days_max": longest}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        context = {"personal_tokens": personal_tokens_of(user), **kwargs}
        context.setdefault("personal_form", None)
        if context["personal_form"] is None:
            context.update(self._forms())
        context["system_clients"] = system_clients_for(user)
        context["may_hold"] = permissions.may_hold_api_tokens(user)
        return super().get_context_data(**context)

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        which = request.POST.get("form", "")
        if which == "revoke":
            return self._revoke(request)
        forms = self._forms(request.POST, which)
        form = forms["personal_form"] if which == "personal" else forms["system_form"]
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "personal":
                    client, token = api_token_create(
                        actor=request.user, name=data["name"], access=data["access"],
                        days=data["days"],
                    )  # fmt: skip
                else:
                    client, token = api_client_create(
                        actor=request.user, name=data["name"], site=data["site"],
                        access=data["access"], days=data["days"],
                        personal_data=data["personal_data"],
                    )  # fmt: skip
            except ValidationError as exc:
                add_errors_by_field(form, exc)
            else:
                # The token once, on this answer only: not kept, not cached.
                response = self.render_to_response(
                    self.get_context_data(**self._forms(), new_client=client, new_token=token)
                )
                response["Cache-Control"] = "no-store"
                return response
        return self.render_to_response(self.get_context_data(**forms, failed=which))

    def _revoke(self, request: AuthenticatedRequest) -> HttpResponse:
        pk = request.POST.get("client", "")
        # Only a token of one's own, or a system client one manages: others do not exist here.
        mine = personal_tokens_of(request.user).values("pk")
        managed = system_clients_for(request.user).values("pk")
        client = get_object_or_404(
            ApiClient.objects.filter(Q(pk__in=mine) | Q(pk__in=managed)),
            pk=int(pk) if pk.isdecimal() else 0,
        )
        try:
            api_client_revoke(actor=request.user, client=client)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, gettext("Revoked: %(name)s.") % {"name": client.name})
        return HttpResponseRedirect(request.path)


class ApiAccessApp(Application):
    title = _("API access")
    icon = "key"
    app_name = "api_access"
    menu_template_name = None

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and may_use_page(user)

    @property
    def index_path(self) -> Any:
        return path("", ApiAccessView.as_view(viewset=self), name="index")
