"""The monitoring flow: a risk elimination's review and public notice (防返贫监测).

Listed with the others in ``workflows.flows.FLOWS``.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from casework.permissions import MANAGE_SITE, WORK_GRID

from . import monitoring_views, routing
from .locks import process_lock
from .models import RiskEliminationProcess
from .nodes import Step
from .publicity import ELIMINATION_NOTICE, NoticeStep
from .scoping import ScopedFlowMixin
from .subjects import grid_of, site_of


class RiskEliminationFlow(ScopedFlowMixin, flow.Flow):
    """Risk elimination

    A caseworker's proposal to mark a monitored household's risk eliminated (风险消除), made
    once the checks pass (``casework.monitoring.services``), is reviewed by the site's manager;
    approved, it goes on public notice for a period, after which the caseworker concludes it:
    eliminated, or withdrawn because an objection was upheld.
    """

    process_class = RiskEliminationProcess
    menu_icon = "health_and_safety"
    lock_impl = process_lock
    process_title = _("Risk elimination")

    start = (
        flow.StartHandle(this.start_proposal)
        .Annotation(title=_("Elimination proposed"))
        .Next(this.review)
    )
    review = (
        Step(monitoring_views.EliminationReviewView.as_view())
        .Annotation(title=_("Review the elimination proposal"))
        .Permission(MANAGE_SITE, obj=site_of)
        .Deadline("deadline.elimination_review")
        .Next(this.check_review)
    )
    check_review = (
        flow.If(routing.elimination_approved)
        .Annotation(title=_("Approved?"))
        .Then(this.notice)
        .Else(this.end_refused)
    )
    notice = (
        NoticeStep(ELIMINATION_NOTICE)
        .Annotation(title=_("Conclude the public notice"))
        .Permission(WORK_GRID, obj=grid_of)
        .Deadline("deadline.elimination_notice")
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("Elimination concluded"))
    end_refused = flow.End().Annotation(title=_("Elimination refused"))

    def start_proposal(self, activation: Any, proposal: Any) -> Any:
        activation.process.proposal = proposal
        return activation.process
