"""The address a login comes from, as the lockout and the audit events record it."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind ``LOGIN_TRUSTED_PROXIES`` proxies the address the outermost of
    them saw (read from the right of X-Forwarded-For: entries further left are the client's
    own claim and could be forged)."""
    proxies = settings.LOGIN_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))
