"""Reads for the logins pages: the lockouts in force."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone


def lockouts_current() -> QuerySet[AccessAttempt]:
    """Username-and-address pairs locked out now: at the failure limit within the lockout
    period, newest first."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    lockouts: QuerySet[AccessAttempt] = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time", "pk")
    return lockouts
