"""Task views of the member assessment flow: one member assessed on their own, then reviewed."""

from typing import Any

from django import forms as django_forms
from django.http import HttpResponse
from django.utils.translation import gettext as _

from casework.cases import services as case_services
from casework.cases.models import Assessment, HouseholdCase
from casework.registry.models import Member

from . import forms
from .views import StepView


class MemberStepView(StepView):
    @property
    def household_case(self) -> HouseholdCase:
        return self.subject["household_case"]

    @property
    def member(self) -> Member:
        return self.subject["member"]


class MemberAssessView(MemberStepView):
    """The household assessment's row, for one member."""

    template_name = "workflows/assess.html"
    form_class = django_forms.Form

    def rows(self) -> list[tuple[Any, forms.MemberAssessmentForm]]:
        if not hasattr(self, "_rows"):
            previous = {a.member_id: a for a in self.member.assessments.order_by("version")}
            data = self.request.POST if self.request.method == "POST" else None
            self._rows = forms.member_assessment_forms([self.member], data, previous)
        return self._rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = self.rows()
        context["returned"] = (
            self.member.assessments.filter(review=Assessment.Review.RETURNED)
            .order_by("-reviewed_at")
            .first()
        )
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        if not all(row_form.is_valid() for _member, row_form in self.rows()):
            form.add_error(None, _("Correct the marked rows."))
            return self.form_invalid(form)
        return super().form_valid(form)

    def perform(self, form: Any) -> None:
        ((member, row_form),) = self.rows()
        case_services.member_assess(
            actor=self.request.user,
            household_case=self.household_case,
            entry=case_services.AssessmentEntry(member=member, **row_form.entry_data()),
        )


class MemberReviewView(MemberStepView):
    template_name = "workflows/review.html"
    form_class = forms.ReviewForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["assessments"] = case_services.pending_assessments(self.household_case, self.member)
        return context

    def perform(self, form: Any) -> None:
        case_services.assessment_review(
            actor=self.request.user,
            household_case=self.household_case,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
            member=self.member,
        )
