"""Tap-to-call: a POST that records the call and hands the household's number to the phone's
dialler (a redirect to ``tel:``), so the number is never shown on a page nor put in one of our
URLs, and every call leaves an audit event like a reveal of personal data does."""

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views import View

from casework import permissions
from casework.common.requests import AuthenticatedRequest
from casework.registry import selectors, services


class TelRedirect(HttpResponseRedirect):
    allowed_schemes = ["tel"]


def tel_url(number: str) -> str:
    """``tel:`` with the digits (and a leading +) of ``number`` only."""
    return "tel:" + re.sub(r"[^\d+]", "", number)


class HouseholdCallView(View):
    """POST only: dial the head of the household (or the household's phone)."""

    http_method_names = ["post"]
    viewset: Any = None

    def post(
        self, request: AuthenticatedRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseRedirect:
        household = permissions.get_household_for_user(request.user, kwargs["pk"], "call")
        number = selectors.household_call_number(household)
        if not number:
            raise Http404(gettext("The household has no phone number."))
        try:
            services.phone_called(actor=request.user, household=household)
        except PermissionDenied as refusal:
            # Over the day's cap: back to the page the button was on, saying why.
            messages.error(request, str(refusal))
            back = request.headers.get("referer", "")
            if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
                return HttpResponseRedirect(back)
            return redirect("registry:household:detail", household.pk)
        response = TelRedirect(tel_url(number))
        response["Cache-Control"] = "no-store"
        return response
