"""The workbench (home page) every signed-in user lands on."""

from typing import Any

from django.views import generic

from casework import permissions
from casework.permissions.roles import ROLE_LABELS, user_roles
from workflows.selectors import (
    claimable_tasks,
    may_use_workflows,
    next_tasks,
    workbench_counts,
)


class HomeView(generic.TemplateView):
    template_name = "casework/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        works = may_use_workflows(user)
        grids = permissions.grids_worked_by(user).select_related("site")
        return super().get_context_data(
            roles=[ROLE_LABELS[role] for role in user_roles(user)],
            grids=list(grids[:50]),
            household_count=permissions.households_visible_to(user).count(),
            counts=workbench_counts(user) if works else None,
            next_tasks=next_tasks(user) if works else [],
            claimable=claimable_tasks(user) if works else [],
            **kwargs,
        )
