"""Staff-change pages under ``manage/staff/``: a user's open work handed on before the
account is deactivated; substitutes for absent caseworkers. Rights: ``permissions``."""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from viewflow.urls import AppMenuMixin, Viewset

from casework import permissions
from casework.common.requests import AuthenticatedRequest
from casework.common.views import ServiceFormView

from . import selectors
from .forms import DeactivateForm, person_label
from .services import staff_deactivate
from .substitution_views import SubstitutionEndView, SubstitutionsView


class DeactivateView(ServiceFormView):
    """The user's open tasks, pairings and courses, who takes each, and the deactivation: one
    POST hands everything on and deactivates, or changes nothing."""

    request: AuthenticatedRequest
    template_name = "staff/deactivate.html"
    form_class = DeactivateForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.may_administer(request.user):
            raise PermissionDenied
        self.account = get_object_or_404(
            permissions.users_administered(request.user), pk=kwargs["user_pk"]
        )
        if not permissions.may_change_staff(request.user, self.account):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "actor": self.request.user, "user": self.account}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            account=self.account,
            account_name=person_label(self.account),
            work=selectors.open_work(self.account),
            **kwargs,
        )

    @property
    def title(self) -> str:
        return gettext("Deactivate %(name)s") % {"name": person_label(self.account)}

    def perform(self, form: DeactivateForm) -> User:
        return staff_deactivate(
            actor=self.request.user, user=self.account, handover=form.handover()
        )

    def success_message(self, target: User) -> str:
        return gettext("%(name)s is deactivated; their open work has been handed on.") % {
            "name": person_label(target)
        }

    def success_url_for(self, target: User) -> str:
        return str(self.viewset.reverse("index"))


class StaffViewset(AppMenuMixin, Viewset):
    title = _("Staff changes")
    icon = "manage_accounts"
    app_name = "staff"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return permissions.may_administer(user)

    @property
    def index_path(self) -> Any:
        return path("", SubstitutionsView.as_view(viewset=self), name="index")

    @property
    def deactivate_path(self) -> Any:
        return path(
            "<int:user_pk>/deactivate/", DeactivateView.as_view(viewset=self), name="deactivate"
        )

    @property
    def substitution_end_path(self) -> Any:
        return path(
            "substitutions/<int:pk>/end/",
            SubstitutionEndView.as_view(viewset=self),
            name="substitution_end",
        )
