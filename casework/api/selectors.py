"""Reads of the API's clients for their pages: a person's own tokens, the system clients an
administrator manages, and how much each was used."""

import datetime

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from casework import permissions

from .models import ApiClient

CALLS_COUNTED = datetime.timedelta(days=1)


def personal_tokens_of(user: User) -> QuerySet[ApiClient]:
    """The person's own tokens, newest first."""
    return ApiClient.objects.filter(kind=ApiClient.Kind.PERSONAL, user=user)


def system_clients_for(user: User) -> QuerySet[ApiClient]:
    """The system clients an administrator manages (none for anyone else), each with its calls
    of the last day."""
    if not permissions.may_manage_api_clients(user):
        return ApiClient.objects.none()
    since = timezone.now() - CALLS_COUNTED
    return (
        ApiClient.objects.filter(kind=ApiClient.Kind.SYSTEM)
        .select_related("site", "created_by")
        .annotate(calls_today=Count("calls", filter=Q(calls__at__gte=since)))
    )
