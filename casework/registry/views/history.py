"""A household's history: one timeline of everything recorded about it."""

from typing import Any

from django.views import generic

from casework import permissions
from casework.audit.history import household_history


class HouseholdHistoryView(generic.TemplateView):
    """One chronological timeline of everything recorded about the household."""

    template_name = "registry/household_history.html"
    viewset: Any = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        household = permissions.get_household_for_user(self.request.user, kwargs["pk"], "history")
        return super().get_context_data(
            household=household,
            history=household_history(household.pk),
            rights=permissions.household_rights(self.request.user, household),
            **kwargs,
        )
