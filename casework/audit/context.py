"""Who is acting right now, for audit events written where the actor is not passed in.

viewflow's activation transitions (assign, execute, cancel, …) know the task but not the user
who caused them (reference/viewflow.md §4.4). The request middleware and the services that
drive flows from code set the actor here; the scheduler leaves it unset, which reads as the
system.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

_actor: ContextVar[Any] = ContextVar("casework_audit_actor", default=None)


def current_actor() -> Any:
    """The user acting in this request or service call, or None for the system."""
    return _actor.get()


@contextmanager
def acting(user: Any) -> Iterator[None]:
    """Attribute the audit events written inside the block to ``user``."""
    token = _actor.set(user if user is not None and user.is_authenticated else None)
    try:
        yield
    finally:
        _actor.reset(token)


def acting_until_done(user: Any) -> None:
    """Attribute the audit events written from now on to ``user``, until the enclosing
    ``acting`` block (the request middleware's) ends and restores who acted before: for callers
    known only once the request is under way (an API token's account)."""
    _actor.set(user if user is not None and user.is_authenticated else None)


class AuditActorMiddleware:
    """Make the request's user the actor of every audit event written while it is handled."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting(getattr(request, "user", None)):
            return self.get_response(request)
