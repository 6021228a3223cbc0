"""The policy pages under 系统管理 (``manage/policy/``): every parameter with the value in force,
one parameter's full history, and its edit form. Administrators edit; managers read."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import AppMenuMixin, Viewset

from casework import permissions
from casework.common.requests import AuthenticatedRequest
from casework.common.views import ServiceFormView

from .defaults import DEFAULTS, Default
from .forms import ParameterForm
from .models import Parameter
from .selectors import parameter_history, parameter_row, parameter_rows
from .services import parameter_set
from .workdays import years_missing


class PolicyReadMixin:
    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.may_read_policy(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin of views


class ParameterMixin:
    kwargs: dict[str, Any]

    @property
    def key(self) -> str:
        key = self.kwargs["key"]
        if key not in DEFAULTS:
            raise Http404
        return str(key)

    @property
    def spec(self) -> Default:
        return DEFAULTS[self.key]


class ParameterListView(PolicyReadMixin, generic.TemplateView):
    request: AuthenticatedRequest
    template_name = "policy/parameters.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            rows=parameter_rows(),
            may_change=permissions.may_change_policy(self.request.user),
            calendar_missing=years_missing(timezone.localdate()),
            **kwargs,
        )


class ParameterDetailView(PolicyReadMixin, ParameterMixin, generic.TemplateView):
    request: AuthenticatedRequest
    template_name = "policy/parameter.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            row=parameter_row(self.key),
            history=parameter_history(self.key),
            may_change=permissions.may_change_policy(self.request.user),
            **kwargs,
        )


class ParameterEditView(ParameterMixin, ServiceFormView):
    request: AuthenticatedRequest
    template_name = "policy/parameter_form.html"
    form_class = ParameterForm
    title = _("Change a policy parameter")
    success_text = _("Parameter saved.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.may_change_policy(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        current = parameter_row(self.key).value
        return {**super().get_form_kwargs(), "key": self.key, "spec": self.spec, "current": current}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(row=parameter_row(self.key), **kwargs)

    def perform(self, form: Any) -> Parameter:
        data = form.cleaned_data
        return parameter_set(
            actor=self.request.user,
            key=self.key,
            value=data["parameter_value"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            note=data["note"],
        )

    def success_url_for(self, target: Any) -> str:
        return str(self.viewset.reverse("detail", args=[self.key]))


class PolicyViewset(AppMenuMixin, Viewset):
    title = _("Policy parameters")
    icon = "tune"
    app_name = "policy"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return permissions.may_read_policy(user)

    @property
    def index_path(self) -> Any:
        return path("", ParameterListView.as_view(viewset=self), name="index")

    @property
    def detail_path(self) -> Any:
        return path("<str:key>/", ParameterDetailView.as_view(viewset=self), name="detail")

    @property
    def edit_path(self) -> Any:
        return path("<str:key>/edit/", ParameterEditView.as_view(viewset=self), name="edit")
