"""Request types for views behind a login (for the type checker: ``request.user`` is a user)."""

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedRequest(HttpRequest):
    """A request of a signed-in user (every page but the login page)."""

    user: User


class TaskRequest(AuthenticatedRequest):
    """A request to a task page: viewflow puts the task's activation on it."""

    activation: Any
