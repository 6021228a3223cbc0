"""The lockout backend: axes' own, marking the requests it refuses unchecked."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.http import HttpRequest

# Set on a request whose attempt the lockout refused before any password was checked.
REFUSED_FLAG = "casework_login_refused"


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out username at its address (axes), and marks the request so that
    the audit records a refused attempt, not a new lockout."""

    def authenticate(
        self,
        request: HttpRequest,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        try:
            return super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            setattr(request, REFUSED_FLAG, True)
            raise
