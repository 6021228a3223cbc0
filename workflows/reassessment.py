"""Task views of reassessment: the member reassessed from scratch, and the manager's review of
a reassessment that changes the category (``cases.services.reassessments``)."""

from typing import Any

from casework.cases import services as case_services
from casework.cases.models import Assessment
from casework.cases.selectors import pending_reassessment

from . import forms
from .views import CaseStepView


class ReassessView(CaseStepView):
    """The member reassessed from scratch: the last assessment is shown, not pre-selected."""

    form_class = forms.ReassessForm
    template_name = "workflows/reassess.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "member": self.case.member}

    def last_assessment(self) -> Assessment | None:
        return self.case.member.assessments.order_by("-version").first()

    def get_initial(self) -> dict[str, Any]:
        last = self.last_assessment()
        if last is None:
            return {"labour_capacity": self.case.member.labour_capacity}
        return {
            "labour_capacity": last.labour_capacity,
            "desired_trade": last.desired_trade,
            "desired_area": last.desired_area,
        }

    def subject_context(self) -> dict[str, Any]:
        return {**super().subject_context(), "last_assessment": self.last_assessment()}

    def perform(self, form: Any) -> None:
        case_services.case_reassess(
            actor=self.request.user,
            case=self.case,
            entry=case_services.AssessmentEntry(member=self.case.member, **form.entry_data()),
        )


class ReassessReviewView(CaseStepView):
    """The manager approves a reassessment that changes the category, or sends it back."""

    template_name = "workflows/review.html"
    form_class = forms.ReviewForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pending = pending_reassessment(self.case)
        context["assessments"] = [pending] if pending is not None else []
        return context

    def perform(self, form: Any) -> None:
        case_services.reassessment_review(
            actor=self.request.user,
            case=self.case,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
