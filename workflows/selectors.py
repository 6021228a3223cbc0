"""Reads of a user's own work: their notifications."""

from django.db.models import QuerySet

from casework.permissions import User

from .models import Notification


def unread_notifications(user: User) -> QuerySet[Notification]:
    """The user's notifications not yet opened."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, read_at__isnull=True)
