"""The login signal receivers, connected once by ``AccountsConfig.ready``: each attempt,
lockout and logout becomes an audit event through the services."""

from datetime import timedelta
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest
from django.utils import timezone

from . import services
from .addresses import client_address
from .backends import REFUSED_FLAG


def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    address = client_address(request) if request is not None else ""
    services.login_record_success(user=user, address=address)
    if request is not None and hasattr(request, "session"):
        # The absolute limit counts from the login: a fixed end, which the idle timeout's
        # activity writes (each a session save) do not push back.
        request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))


def on_logged_out(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if user is None or not user.is_authenticated:
        return
    address = client_address(request) if request is not None else ""
    idle = bool(getattr(request, "casework_idle_logout", False))
    services.logout_record(user=user, address=address, idle=idle)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is None:
        return
    refused = bool(getattr(request, REFUSED_FLAG, False))
    services.login_record_failure(
        username=credentials.get("username"), address=client_address(request), refused=refused
    )


def on_locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    # Sent again for every attempt refused while the lockout lasts: those are recorded as
    # refused attempts; only the attempt that starts the lockout records a lockout.
    if getattr(request, REFUSED_FLAG, False):
        return
    services.login_record_lockout(username=username, address=ip_address)


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="casework.accounts.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="casework.accounts.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="casework.accounts.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="casework.accounts.locked_out")
