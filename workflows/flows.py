"""The two flows. They decide which step comes next and who may do it; every write goes through
the casework services called by the task views (``workflows.views``).

Each human step is a ``Step`` with a deadline parameter and an object permission on the
household's grid (caseworkers) or site (managers).
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from casework.cases.models import EmploymentCase
from casework.permissions import MANAGE_SITE, WORK_GRID

from . import member_views, placement_views, reassessment, routing, views
from .flows_monitoring import RiskEliminationFlow
from .locks import process_lock
from .models import (
    EmploymentProcess,
    HouseholdProcess,
    MemberAssessmentProcess,
    PostVacancyProcess,
    ServiceRequestProcess,
)
from .nodes import Step
from .publicity import POST_NOTICE, NoticeStep
from .scoping import ScopedFlowMixin
from .subjects import grid_of, site_of

State = EmploymentCase.State


def _state_in(*states: str) -> Callable[[Any], bool]:
    def condition(activation: Any) -> bool:
        return routing.current_case(activation).state in states

    return condition


class HouseholdFlow(ScopedFlowMixin, flow.Flow):
    """Household assistance

    Assess every member, have the assessment reviewed, open one employment case per labour
    member, then follow the household up at the cadence of its three-colour label until it closes.
    """

    process_class = HouseholdProcess
    menu_icon = "home"
    lock_impl = process_lock
    process_title = _("Household assistance")

    start = (
        flow.StartHandle(this.start_household)
        .Annotation(title=_("Household registered"))
        .Next(this.assess)
    )

    assess = (
        Step(views.AssessView.as_view())
        .Annotation(title=_("Assess the household"))
        .Permission(WORK_GRID, obj=grid_of)
        # A send-back (check_review → assess) returns the step to its assessor, with a notice.
        .Assign(routing.previous_owner("assess"))
        .onCreate(routing.assessment_sent_back)
        .Deadline("deadline.assess")
        .Next(this.review)
    )
    review = (
        Step(views.ReviewView.as_view())
        .Annotation(title=_("Review the assessment"))
        .Permission(MANAGE_SITE, obj=site_of)
        .Deadline("deadline.review")
        .Next(this.check_review)
    )
    check_review = (
        flow.If(routing.assessment_approved)
        .Annotation(title=_("Approved?"))
        .Then(this.dispatch)
        .Else(this.assess)
    )
    dispatch = (
        flow.Function(this.dispatch_cases)
        .Annotation(title=_("Open employment cases"))
        .Next(this.wait_followup)
    )
    wait_followup = (
        flow.Timer(routing.household_followup_due)
        .Annotation(title=_("Wait for the next household follow-up"))
        .Next(this.check_closed)
    )
    check_closed = (
        flow.If(routing.household_closable)
        .Annotation(title=_("Can the household close?"))
        .Then(this.close)
        .Else(this.household_followup)
    )
    household_followup = (
        Step(views.HouseholdFollowUpView.as_view())
        .Annotation(title=_("Follow up the household"))
        .Permission(WORK_GRID, obj=grid_of)
        .Assign(routing.paired_helper)
        .Deadline("deadline.household_followup")
        .Next(this.wait_followup)
    )
    close = (
        flow.Function(this.close_household)
        .Annotation(title=_("Close the household case"))
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("Household assistance closed"))

    def start_household(self, activation: Any, household_case: Any) -> Any:
        activation.process.household_case = household_case
        return activation.process

    def dispatch_cases(self, activation: Any) -> None:
        routing.dispatch_employment_cases(activation, EmploymentFlow)

    def close_household(self, activation: Any) -> None:
        routing.close_household(activation)


class EmploymentFlow(ScopedFlowMixin, flow.Flow):
    """Employment assistance

    Route a labour member by category — placement for the capable, training for those who need
    it, a public-welfare post for the three-nos — then follow the work up until it is stable.
    """

    process_class = EmploymentProcess
    menu_icon = "work"
    lock_impl = process_lock
    process_title = _("Employment assistance")

    start = (
        flow.StartHandle(this.start_case)
        .Annotation(title=_("Employment case opened"))
        .Next(this.route)
    )

    # Every step leads back here: the case's state (set by the services) picks the next step.
    route = (
        flow.Switch()
        .Annotation(title=_("Route by the case's state"))
        .Case(this.placement, _state_in(State.SEEKING))
        .Case(this.enrol, _state_in(State.TO_ENROL))
        .Case(this.training_outcome, _state_in(State.IN_TRAINING))
        .Case(this.post_application, _state_in(State.TO_APPLY))
        .Case(this.post_notice, routing.post_notice_due)
        .Case(this.post_approval, _state_in(State.AWAITING_POST))
        .Case(this.wait_post_start, _state_in(State.POST_APPROVED))
        .Case(this.reassess, _state_in(State.REASSESSING))
        .Case(this.wait_followup, _state_in(*EmploymentCase.WORKING_STATES))
        .Case(this.end_stable, _state_in(State.STABLE))
        .Default(this.end_closed)
    )
    placement = (
        Step(placement_views.PlacementView.as_view())
        .Annotation(title=_("Record the placement"))
        .Permission(WORK_GRID, obj=grid_of)
        .Deadline("deadline.placement")
        .Next(this.route)
    )
    enrol = (
        Step(views.EnrolView.as_view())
        .Annotation(title=_("Enrol in a course"))
        .Permission(WORK_GRID, obj=grid_of)
        .Deadline("deadline.enrol")
        .Next(this.route)
    )
    training_outcome = (
        Step(views.TrainingOutcomeView.as_view())
        .Annotation(title=_("Record the training outcome"))
        .Permission(WORK_GRID, obj=grid_of)
        .Deadline("deadline.training_outcome")
        .Next(this.route)
    )
    post_application = (
        Step(views.PostApplicationView.as_view())
        .Annotation(title=_("Apply for a public-welfare post"))
        .Permission(WORK_GRID, obj=grid_of)
        .Deadline("deadline.post_application")
        .Next(this.route)
    )
    post_approval = (
        Step(views.PostApprovalView.as_view())
        .Annotation(title=_("Decide the post application"))
        .Permission(MANAGE_SITE, obj=site_of)
        .Deadline("deadline.post_approval")
        .Next(this.route)
    )
    # An approval goes on public notice; passed, the member takes up the post.
    post_notice = (
        NoticeStep(POST_NOTICE)
        .Annotation(title=_("Public notice of the post appointment"))
        .Permission(WORK_GRID, obj=grid_of)
        .Deadline("deadline.post_notice")
        .Next(this.route)
    )
    reassess = (
        Step(reassessment.ReassessView.as_view())
        .Annotation(title=_("Reassess the member"))
        .Permission(WORK_GRID, obj=grid_of)
        .Deadline("deadline.reassess")
        .Next(this.check_reassessment)
    )
    # A reassessment that changes the category waits for the manager; a send-back leaves the
    # case to be reassessed, an approval re-routes it (both through ``route``).
    check_reassessment = (
        flow.If(routing.reassessment_awaits_review)
        .Annotation(title=_("Does the reassessment need review?"))
        .Then(this.reassess_review)
        .Else(this.route)
    )
    reassess_review = (
        Step(reassessment.ReassessReviewView.as_view())
        .Annotation(title=_("Review the reassessment"))
        .Permission(MANAGE_SITE, obj=site_of)
        .Deadline("deadline.reassess_review")
        .Next(this.route)
    )
    # Approved for a post that starts later: on the post from its start date.
    wait_post_start = (
        flow.Timer(routing.post_start_due)
        .Annotation(title=_("Wait for the post's start date"))
        .Next(this.start_post)
    )
    start_post = (
        flow.Function(this.post_started).Annotation(title=_("Start on the post")).Next(this.route)
    )
    wait_followup = (
        flow.Timer(routing.retention_followup_due)
        .Annotation(title=_("Wait for the next retention follow-up"))
        .Next(this.still_in_work)
    )
    # The work may have ended while waiting (a post's term ran out): then route afresh.
    still_in_work = (
        flow.If(_state_in(*EmploymentCase.WORKING_STATES))
        .Annotation(title=_("Still in work?"))
        .Then(this.retention_followup)
        .Else(this.route)
    )
    retention_followup = (
        Step(views.RetentionFollowUpView.as_view())
        .Annotation(title=_("Retention follow-up"))
        .Permission(WORK_GRID, obj=grid_of)
        .Deadline("deadline.retention_followup")
        .Next(this.route)
    )
    end_stable = flow.End().Annotation(title=_("Stably employed"))
    end_closed = flow.End().Annotation(title=_("Case closed"))

    def start_case(self, activation: Any, case: Any) -> Any:
        activation.process.case = case
        return activation.process

    def post_started(self, activation: Any) -> None:
        routing.post_start(activation)


class MemberAssessmentFlow(ScopedFlowMixin, flow.Flow):
    """Member assessment

    A member who joins a household after its assessment (born, married in, moved in) is assessed
    on their own and reviewed like the household; an approved labour member gets an employment
    case.
    """

    process_class = MemberAssessmentProcess
    menu_icon = "person_add"
    lock_impl = process_lock
    process_title = _("Member assessment")

    start = (
        flow.StartHandle(this.start_member)
        .Annotation(title=_("Member joined the household"))
        .Next(this.assess)
    )
    assess = (
        Step(member_views.MemberAssessView.as_view())
        .Annotation(title=_("Assess the member"))
        .Permission(WORK_GRID, obj=grid_of)
        .Assign(routing.previous_owner("assess"))
        .onCreate(routing.assessment_sent_back)
        .Deadline("deadline.assess")
        .Next(this.review)
    )
    review = (
        Step(member_views.MemberReviewView.as_view())
        .Annotation(title=_("Review the member's assessment"))
        .Permission(MANAGE_SITE, obj=site_of)
        .Deadline("deadline.review")
        .Next(this.check_review)
    )
    check_review = (
        flow.If(routing.member_assessment_approved)
        .Annotation(title=_("Approved?"))
        .Then(this.dispatch)
        .Else(this.assess)
    )
    dispatch = (
        flow.Function(this.dispatch_case)
        .Annotation(title=_("Open the employment case"))
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("Member assessed"))

    def start_member(self, activation: Any, household_case: Any, member: Any) -> Any:
        activation.process.household_case = household_case
        activation.process.member = member
        return activation.process

    def dispatch_case(self, activation: Any) -> None:
        routing.dispatch_member_case(activation, EmploymentFlow)


class PostVacancyFlow(ScopedFlowMixin, flow.Flow):
    """Vacated public-welfare post

    When someone leaves a post, the caseworker of their grid reports the vacancy and recommends
    who should fill it, within the days of a parameter (空岗报告).
    """

    process_class = PostVacancyProcess
    menu_icon = "event_seat"
    lock_impl = process_lock
    process_title = _("Vacated public-welfare post")

    start = (
        flow.StartHandle(this.start_vacancy).Annotation(title=_("Post vacated")).Next(this.report)
    )
    report = (
        Step(views.PostVacancyReportView.as_view())
        .Annotation(title=_("Report the vacancy and recommend"))
        .Permission(WORK_GRID, obj=grid_of)
        .Deadline("deadline.post_vacancy")
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("Vacancy reported"))

    def start_vacancy(self, activation: Any, vacancy: Any) -> Any:
        activation.process.vacancy = vacancy
        return activation.process


class ServiceRequestFlow(ScopedFlowMixin, flow.Flow):
    """Service request

    A concern raised in a visit (诉求) goes to the household's caseworker, who resolves it by the
    date the first-contact owner promised (首问责任制, 限时办结).
    """

    process_class = ServiceRequestProcess
    menu_icon = "support_agent"
    lock_impl = process_lock
    process_title = _("Service request")

    start = (
        flow.StartHandle(this.start_request).Annotation(title=_("Concern raised")).Next(this.handle)
    )
    handle = (
        Step(views.ServiceRequestView.as_view())
        .Annotation(title=_("Resolve the service request"))
        .Permission(WORK_GRID, obj=grid_of)
        .Deadline("deadline.service_request", on=routing.promised_date)
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("Request resolved"))

    def start_request(self, activation: Any, service_request: Any) -> Any:
        activation.process.service_request = service_request
        return activation.process


# Every flow of the project, in menu order: the workflow app lists exactly these.
FLOWS = (
    HouseholdFlow,
    EmploymentFlow,
    MemberAssessmentFlow,
    PostVacancyFlow,
    ServiceRequestFlow,
    RiskEliminationFlow,
)
