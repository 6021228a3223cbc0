"""Who may see a process: the flows' own checks, tied to ``casework.permissions``.

viewflow grants every flow page to holders of the model-level ``view_<process>`` permission and
never narrows that by object (reference/viewflow.md §2.3 trap 5). The mixin below adds the
household's jurisdiction to every object-level check, and the list views use
``permissions.processes_visible_to``.
"""

from typing import Any

from casework import permissions
from casework.registry.models import Grid, Site


def household_grid(process: Any) -> Grid:
    """The grid of a household process (the object of caseworker steps)."""
    return Grid.objects.get(households__cases__processes=process.pk)


def household_site(process: Any) -> Site:
    """The site of a household process (the object of manager steps)."""
    return Site.objects.get(grids__households__cases__processes=process.pk)


def employment_grid(process: Any) -> Grid:
    return Grid.objects.get(households__members__employment_cases__process=process.pk)


def employment_site(process: Any) -> Site:
    return Site.objects.get(grids__households__members__employment_cases__process=process.pk)


def vacancy_grid(process: Any) -> Grid:
    """The grid of the member who left the post (their caseworker reports the vacancy)."""
    return Grid.objects.get(households__members__posts__vacancy__process=process.pk)


def request_grid(process: Any) -> Grid:
    """The grid of the household whose concern it is."""
    return Grid.objects.get(households__service_requests__process=process.pk)


class ScopedFlowMixin:
    """Object-level checks of a flow also require the process's household in jurisdiction."""

    def has_view_permission(self, user: Any, obj: Any | None = None) -> bool:
        if not super().has_view_permission(user):  # type: ignore[misc]
            return False
        return obj is None or permissions.process_visible(user, obj.pk)

    def has_manage_permission(self, user: Any, obj: Any | None = None) -> bool:
        if not super().has_manage_permission(user):  # type: ignore[misc]
            return False
        return obj is None or permissions.process_visible(user, obj.pk)
