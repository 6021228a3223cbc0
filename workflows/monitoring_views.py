"""The manager's review of a risk elimination (its public notice is a ``NoticeStep``)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.monitoring import services as monitoring_services
from casework.monitoring.models import EliminationProposal
from casework.monitoring.risk_selectors import monitoring_facts

from .views import StepView

APPROVE, REFUSE = "approve", "refuse"


class EliminationReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[(APPROVE, _("Approve: put it on public notice")), (REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("review note (required when refusing)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EliminationStepView(StepView):
    template_name = "workflows/elimination.html"

    @property
    def proposal(self) -> EliminationProposal:
        return self.subject["proposal"]

    def subject_context(self) -> dict[str, Any]:
        monitored = self.proposal.monitored
        return {**super().subject_context(), **monitoring_facts(monitored)}


class EliminationReviewView(EliminationStepView):
    form_class = EliminationReviewForm

    def subject_context(self) -> dict[str, Any]:
        # The checks again, as of today: the manager sees whether they still hold.
        problems = monitoring_services.elimination_checks(
            self.proposal.monitored, self.proposal.elimination
        )
        return {**super().subject_context(), "problems": problems}

    def perform(self, form: Any) -> None:
        monitoring_services.elimination_review(
            actor=self.request.user,
            proposal=self.proposal,
            approve=form.cleaned_data["decision"] == APPROVE,
            note=form.cleaned_data["note"],
        )
