"""Which workflow processes a user may see: their households' processes, nothing else.

viewflow grants every flow page to holders of the model-level ``view_<process>`` permission and
never narrows that by object (reference/viewflow.md §2.3 trap 5). ``processes_visible_to`` ties
processes to ``casework.permissions.households_visible_to`` through ``workflows.subjects``; the
mixin adds it to every object-level check of the flows, and the lists and the middleware use it.
"""

from typing import Any

from django.db.models import QuerySet
from viewflow.workflow.models import Process

from casework import permissions
from casework.permissions import User

from .subjects import about_households


def processes_visible_to(user: User) -> QuerySet[Process]:
    """Workflow processes whose household the user may see (needs the role's view permission).

    viewflow itself would show every process to holders of the model-level permission.
    """
    if not user.is_authenticated or not user.is_active:
        return Process.objects.none()
    if user.is_superuser:
        return Process.objects.all()
    return Process.objects.filter(about_households(permissions.households_visible_to(user)))


def process_visible(user: User, process_pk: object) -> bool:
    """May the user see the process with ``process_pk`` (and its tasks)?"""
    if not str(process_pk).isdigit():
        return False
    return processes_visible_to(user).filter(pk=process_pk).exists()


class ScopedFlowMixin:
    """Object-level checks of a flow also require the process's household in jurisdiction."""

    def has_view_permission(self, user: Any, obj: Any | None = None) -> bool:
        if not super().has_view_permission(user):  # type: ignore[misc]  # viewflow's Flow, next in the MRO
            return False
        return obj is None or process_visible(user, obj.pk)

    def has_manage_permission(self, user: Any, obj: Any | None = None) -> bool:
        if not super().has_manage_permission(user):  # type: ignore[misc]  # viewflow's Flow, next in the MRO
            return False
        return obj is None or process_visible(user, obj.pk)
