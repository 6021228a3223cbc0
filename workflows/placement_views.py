"""The placement step: the job menu's best matches, and a vacancy that fills in the job."""

import json
from typing import Any

from django.utils import timezone

from casework.common.forms import model_choice
from casework.placement import services as placement_services
from casework.placement.selectors import (
    open_vacancies,
    vacancy_placement_defaults,
    vacancy_suggestions,
)

from . import forms
from .views import CaseStepView


class PlacementView(CaseStepView):
    """The job menu's best matches for the member, then the job taken (from the menu or
    self-found), or the refusal."""

    form_class = forms.PlacementForm
    template_name = "workflows/placement.html"

    def suggestions(self) -> list[Any]:
        if not hasattr(self, "_suggestions"):
            self._suggestions = vacancy_suggestions(self.case)
        return self._suggestions

    def get_form_kwargs(self) -> dict[str, Any]:
        site_id = self.case.member.household.grid.site_id
        vacancies = open_vacancies(site_id, timezone.localdate()).select_related("employer")
        return {**super().get_form_kwargs(), "vacancies": vacancies}

    def subject_context(self) -> dict[str, Any]:
        return {**super().subject_context(), "suggestions": self.suggestions()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        queryset = model_choice(context["form"], "vacancy").queryset
        vacancies = list(queryset) if queryset is not None else []
        # What choosing each vacancy fills in (static/casework/placement.js).
        context["vacancy_defaults"] = json.dumps(
            {str(v.pk): vacancy_placement_defaults(v) for v in vacancies}, ensure_ascii=False
        )
        return context

    def perform(self, form: Any) -> None:
        if self.refuse(form):
            return
        data = {
            key: value
            for key, value in form.cleaned_data.items()
            if key not in ("outcome", "refusal_reason")
        }
        placement_services.placement_record(actor=self.request.user, case=self.case, **data)
