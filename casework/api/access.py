"""What a call may do besides the account's own rights: a read-only token never writes; each
client (token, or a person's session) has its calls a minute (``api.requests_per_minute``)."""

from typing import Any

from django.core.cache import caches
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions as drf_permissions
from rest_framework import throttling

from casework.policy.params import param

from .models import ApiClient


class TokenAccess(drf_permissions.BasePermission):
    """Signed in (a session or a token); a read-only token reads only."""

    message = _("This token may only read.")

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        client = request.auth if isinstance(request.auth, ApiClient) else None
        if request.method in drf_permissions.SAFE_METHODS or client is None:
            return True
        return client.access == ApiClient.Access.WRITE


class ClientRateThrottle(throttling.SimpleRateThrottle):
    """Calls a minute per token (or per person, on a session)."""

    scope = "client"
    cache = caches["shared"]

    def get_rate(self) -> str:
        return f"{int(param('api.requests_per_minute'))}/min"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if isinstance(request.auth, ApiClient):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
