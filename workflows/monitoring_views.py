"""The human steps of a risk elimination: the manager's review and the end of the notice."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.monitoring import services as monitoring_services
from casework.monitoring.models import EliminationProposal
from casework.monitoring.risk_selectors import monitoring_facts

from .views import StepView

APPROVE, REFUSE = "approve", "refuse"
ELIMINATE, WITHDRAW = "eliminate", "withdraw"


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


class EliminationNoticeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome of the public notice"),
        choices=[
            (ELIMINATE, _("No objection stands: the risk is eliminated")),
            (
                WITHDRAW,
                _("Withdraw the proposal: an objection was upheld, or the rules no longer hold"),
            ),
        ],
        widget=forms.RadioSelect,
    )
    objections = forms.CharField(
        label=_("objections received and how each was resolved (the reason, when withdrawing)"),
        max_length=500,
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


class EliminationNoticeView(EliminationStepView):
    form_class = EliminationNoticeForm

    def subject_context(self) -> dict[str, Any]:
        # The rules as of today: if they no longer hold, the proposal can only be withdrawn.
        problems = monitoring_services.elimination_checks(
            self.proposal.monitored, self.proposal.elimination
        )
        return {**super().subject_context(), "problems": problems}

    def perform(self, form: Any) -> None:
        monitoring_services.elimination_conclude(
            actor=self.request.user,
            proposal=self.proposal,
            objections=form.cleaned_data["objections"],
            withdraw=form.cleaned_data["outcome"] == WITHDRAW,
        )
