"""The login pages: password, lockout, the TOTP code and its enrolment, password reset."""

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import generic
from django_otp import login as otp_login
from django_otp import user_has_device
from viewflow.contrib.auth import AuthViewset

from casework.common.requests import AuthenticatedRequest
from casework.common.views import form_add_service_errors
from casework.permissions import two_factor_required

from .forms import LoginForm, TokenForm, lockout_message
from .middleware import IDLE_NOTICE_KEY
from .services import totp_device_confirm, totp_device_start, totp_verify


def mail_configured() -> bool:
    """Whether password-reset mails can be sent (a mail server is configured)."""
    return bool(settings.EMAIL_HOST)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        idle = self.request.method == "GET" and self.request.session.pop(IDLE_NOTICE_KEY, False)
        return super().get_context_data(
            mail_configured=mail_configured(), idle_notice=idle, **kwargs
        )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """What a locked-out attempt gets (axes' AXES_LOCKOUT_CALLABLE): the login page with the
    lockout message (the login form puts it on itself), status 429."""
    if isinstance(original_response, TemplateResponse) and isinstance(
        (original_response.context_data or {}).get("form"), LoginForm
    ):
        original_response.status_code = 429
        return original_response
    form = LoginForm(request)
    context = {"form": form, "lockout_message": lockout_message(), "mail_configured": False}
    return render(request, "registration/login.html", context, status=429)


class MailRequiredMixin:
    """Without a mail server the reset pages say to ask an administrator; no promised mail."""

    @method_decorator(login_not_required)
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not mail_configured():
            return render(request, "registration/password_reset_unavailable.html")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin of views


class PasswordResetView(MailRequiredMixin, auth_views.PasswordResetView):
    pass


class PasswordResetDoneView(MailRequiredMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(MailRequiredMixin, auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(MailRequiredMixin, auth_views.PasswordResetCompleteView):
    pass


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else settings.LOGIN_REDIRECT_URL


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


class SecondFactorView(generic.FormView):
    """Base of the code pages: for a signed-in user who has not given a code yet."""

    request: AuthenticatedRequest
    form_class = TokenForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Any = request.user
        if not user.is_authenticated:
            return HttpResponseRedirect(settings.LOGIN_URL)
        if user.is_verified():
            return HttpResponseRedirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(next=_next_url(self.request), **kwargs)


class OtpVerifyView(SecondFactorView):
    template_name = "registration/otp_verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Any = request.user
        if user.is_authenticated and not user.is_verified():
            if not two_factor_required(user):
                return HttpResponseRedirect(_next_url(request))
            if not user_has_device(user):
                return HttpResponseRedirect(_with_next("otp_enrol", request))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: TokenForm) -> HttpResponse:
        try:
            device = totp_verify(user=self.request.user, token=form.cleaned_data["token"])
        except ValidationError as error:
            form_add_service_errors(form, error)
            return self.form_invalid(form)
        otp_login(self.request, device)
        return HttpResponseRedirect(_next_url(self.request))


class OtpEnrolView(SecondFactorView):
    """Shows a new secret (text and QR code) and confirms it with a first code."""

    template_name = "registration/otp_enrol.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and user_has_device(request.user):
            return HttpResponseRedirect(_with_next("otp_verify", request))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        device = totp_device_start(user=self.request.user)
        secret = b32encode(device.bin_key).decode()
        qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000")
        return super().get_context_data(
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            qr_svg=qr_svg,
            **kwargs,
        )

    def form_valid(self, form: TokenForm) -> HttpResponse:
        device = totp_device_start(user=self.request.user)
        try:
            totp_device_confirm(
                user=self.request.user, device=device, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
            return self.form_invalid(form)
        otp_login(self.request, device)
        return HttpResponseRedirect(_next_url(self.request))


class AccountsViewset(AuthViewset):
    """viewflow's login pages with our login form, the lockout message, the code pages, and
    reset pages that promise a mail only when one can be sent."""

    login_view_class = LoginView
    pass_reset_view_class = PasswordResetView
    pass_reset_done_view_class = PasswordResetDoneView
    pass_reset_confirm_view_class = PasswordResetConfirmView
    pass_reset_complete_view_class = PasswordResetCompleteView

    def get_login_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return {"form_class": LoginForm, **kwargs}

    @property
    def otp_verify_path(self) -> Any:
        return path("code/", OtpVerifyView.as_view(), name="otp_verify")

    @property
    def otp_enrol_path(self) -> Any:
        return path("code/enrol/", OtpEnrolView.as_view(), name="otp_enrol")
