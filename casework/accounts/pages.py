"""The login administrator's pages: the lockouts in force (released with one button) and a
new password for a user who forgot theirs."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import Application

from casework import permissions
from casework.common.requests import AuthenticatedRequest
from casework.common.views import ServiceFormView

from .forms import PasswordSetForm
from .selectors import lockouts_current
from .services import lockout_release, user_password_set


class LoginsAccessMixin:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.may_manage_logins(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin of views


class LoginsView(LoginsAccessMixin, generic.TemplateView):
    request: AuthenticatedRequest
    template_name = "accounts/logins.html"
    viewset: Any = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            lockouts=lockouts_current(),
            accounts=permissions.users_whose_password_may_be_set_by(self.request.user),
            **kwargs,
        )


class LockoutReleaseView(LoginsAccessMixin, generic.View):
    http_method_names = ["post"]
    viewset: Any = None

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        attempt = get_object_or_404(lockouts_current(), pk=pk)
        try:
            lockout_release(actor=request.user, attempt=attempt)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                gettext("Lockout of %(username)s at %(address)s released.")
                % {"username": attempt.username, "address": attempt.ip_address},
            )
        return HttpResponseRedirect(reverse("logins:index"))


class PasswordSetView(LoginsAccessMixin, ServiceFormView):
    request: AuthenticatedRequest
    template_name = "accounts/password_set.html"
    form_class = PasswordSetForm
    title = _("Set a new password")
    success_text = _("New password set. Give it to the user in person.")

    def get_account(self) -> User:
        return get_object_or_404(
            permissions.users_whose_password_may_be_set_by(self.request.user), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.get_account()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(account=self.get_account(), **kwargs)

    def perform(self, form: Any) -> User:
        account = self.get_account()
        user_password_set(
            actor=self.request.user, user=account, password=form.cleaned_data["new_password1"]
        )
        return account

    def success_url_for(self, target: Any) -> str:
        return reverse("logins:index")


class LoginsApp(Application):
    title = _("Logins")
    icon = "lock_person"
    app_name = "logins"
    menu_template_name = None

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return permissions.may_manage_logins(user)

    @property
    def index_path(self) -> Any:
        return path("", LoginsView.as_view(viewset=self), name="index")

    @property
    def release_path(self) -> Any:
        return path("lockouts/<int:pk>/release/", LockoutReleaseView.as_view(), name="release")

    @property
    def password_path(self) -> Any:
        return path(
            "users/<int:pk>/password/",
            PasswordSetView.as_view(viewset=self),
            name="password",
        )
