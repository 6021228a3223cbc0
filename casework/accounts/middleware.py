"""The idle timeout and the second factor, enforced on every request."""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from casework.permissions import two_factor_required

LAST_ACTIVITY_KEY = "casework_last_activity"
IDLE_NOTICE_KEY = "casework_idle_notice"
# The last-activity time is written at most this often, so a busy user's session is not
# saved on every request (each save is a database write).
ACTIVITY_WRITE_EVERY = 60

# Pages a signed-in user reaches before giving the code: the code pages, logout, language.
SECOND_FACTOR_OPEN = {"otp_verify", "otp_enrol", "logout", "set_language"}


class IdleTimeoutMiddleware:
    """End a session left unused for ``SESSION_IDLE_TIMEOUT`` seconds.

    The request then goes on anonymous: a page behind the login redirects to the login page
    with ``next``, so the user logs in again and returns to the page they wanted.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if isinstance(last, int) and now - last > settings.SESSION_IDLE_TIMEOUT:
                setattr(request, "casework_idle_logout", True)  # noqa: B010  (read by the audit)
                logout(request)
                request.session[IDLE_NOTICE_KEY] = True
            elif not isinstance(last, int) or now - last >= ACTIVITY_WRITE_EVERY:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Until a user who must give a TOTP code has given it, every page but the code pages
    redirects to the code page (which sends a user without a device to the enrolment)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user: Any = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.url_name in SECOND_FACTOR_OPEN:
            return None
        if not two_factor_required(user):
            return None
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('otp_verify')}?{query}")
