"""The household right every case service checks before it writes."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from casework import permissions
from casework.registry.models import Household


def require(actor: User, action: permissions.Action, household: Household) -> None:
    """Raise PermissionDenied unless ``actor`` may take ``action`` on ``household``."""
    if not permissions.can(actor, action, household):
        raise PermissionDenied(_("You may not do this to the household."))
