"""Task views of the member assessment flow: one member assessed on their own, then reviewed."""

from typing import Any

from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from casework.cases import services as case_services
from casework.cases.models import Assessment
from casework.common.forms import add_errors_by_field
from casework.registry.models import Member

from . import records
from .views import AssessView, ReviewView


class MemberAssessView(AssessView):
    """The household assessment's page with one row: the member's (no three-colour label)."""

    form_class = django_forms.Form

    @property
    def member(self) -> Member:
        return self.subject["member"]

    def get_initial(self) -> dict[str, Any]:
        return {}

    def members(self) -> list[Member]:
        return [self.member]

    def returned(self) -> Assessment | None:
        return (
            self.member.assessments.filter(review=Assessment.Review.RETURNED)
            .order_by("-reviewed_at")
            .first()
        )

    def show_errors(self, form: Any, error: ValidationError) -> None:
        ((_member, row_form),) = self.rows()
        add_errors_by_field(row_form, error)
        form.add_error(None, _("Correct the marked rows."))

    def perform(self, form: Any) -> None:
        ((member, row_form),) = self.rows()
        created = case_services.member_assess(
            actor=self.request.user,
            household_case=self.household_case,
            entry=case_services.AssessmentEntry(member=member, **row_form.entry_data()),
        )
        records.step_assessments_note(task=self.request.activation.task, assessments=[created])


class MemberReviewView(ReviewView):
    """The household's review page, deciding the one member's assessment."""

    def scope(self) -> dict[str, Any]:
        return {"member": self.subject["member"]}
