"""What the flows do when a household changes after registration: a member joins (assess them),
a member leaves (their case closes, their post is vacated, their processes end).

Called by the receivers of the registry's ``member_added`` and ``member_left`` signals, inside
the registry service's transaction: if anything here fails, the change is rolled back whole.
"""

from django.contrib.auth.models import User
from viewflow.workflow.status import PROCESS, STATUS

from casework.audit.context import acting
from casework.cases.models import EmploymentCase, HouseholdCase
from casework.cases.services import member_case_close
from casework.notices.models import PublicNotice
from casework.notices.selectors import notice_of
from casework.notices.services import notice_conclude
from casework.posts.models import ExitReason, PostAssignment
from casework.posts.services import assignment_end, post_application_withdraw
from casework.registry.models import Member

from .flows import EmploymentFlow, HouseholdFlow, MemberAssessmentFlow
from .models import EmploymentProcess, HouseholdProcess, MemberAssessmentProcess

ACTIVE = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
# Why a member who leaves also leaves their post.
POST_EXIT_REASON: dict[str, str] = {
    Member.Departure.DECEASED: ExitReason.RETIREMENT,
}


def household_assessment_open(household_case: HouseholdCase) -> bool:
    """Is the household's own assessment step still to be done (it then covers every current
    member, including one who just joined)?"""
    return HouseholdFlow.task_class.objects.filter(
        process__in=HouseholdProcess.objects.filter(household_case=household_case),
        flow_task=HouseholdFlow.assess,
        status__in=ACTIVE,
    ).exists()


def member_assessment_start(
    *, actor: User | None, member: Member
) -> MemberAssessmentProcess | None:
    """A member joined: start their own assessment, unless the household's assessment is still
    open (it will include them), the household has no open case, or one is already running."""
    household_case = HouseholdCase.objects.filter(
        household_id=member.household_id, closed_at__isnull=True
    ).first()
    if household_case is None or household_assessment_open(household_case):
        return None
    running = MemberAssessmentProcess.objects.filter(member=member, status=PROCESS.NEW).exists()
    if running:
        return None
    with acting(actor):
        return MemberAssessmentFlow.start.run(household_case=household_case, member=member)


def member_reassessment_start(
    *, actor: User | None, member: Member
) -> MemberAssessmentProcess | None:
    """A member's labour capacity or schooling changed. Without an open case (assessed 非劳动力,
    at school, or their case closed) they are assessed again on their own, as a member who
    joined. A member with an open case is reassessed within it (its 重新评估 step, reached when
    the caseworker records a refusal or the work ends): the flows do not interrupt an open step.
    """
    if member.has_left:
        return None
    if EmploymentCase.objects.filter(member=member, closed_at__isnull=True).exists():
        return None
    return member_assessment_start(actor=actor, member=member)


def member_departure_apply(*, actor: User | None, member: Member) -> EmploymentCase | None:
    """A member left: end their public-welfare post (the place becomes a vacancy), withdraw a
    pending application and its public notice (the place it held is free), close their open
    case with the reason for leaving and cancel every process about them."""
    with acting(actor):
        assignment = PostAssignment.objects.filter(
            member=member, status=PostAssignment.Status.ON_POST, post__isnull=False
        ).first()
        if assignment is not None:
            assignment_end(
                actor=actor,
                assignment=assignment,
                reason=POST_EXIT_REASON.get(member.left_reason, ExitReason.OTHER),
                note=str(Member.Departure(member.left_reason).label),
            )
        departure = str(Member.Departure(member.left_reason).label)
        pending = PostAssignment.objects.filter(member=member, status__in=PostAssignment.PENDING)
        for application in pending.select_related("member"):
            notice = notice_of(application)
            if notice is not None and notice.status == PublicNotice.Status.POSTED:
                notice_conclude(actor=actor, notice=notice, withdraw=True, reason=departure)
            post_application_withdraw(actor=actor, assignment=application, reason=departure)
        case = member_case_close(actor=actor, member=member)
        for process in EmploymentProcess.objects.filter(case__member=member, status=PROCESS.NEW):
            EmploymentFlow.instance.cancel(process)
        for member_process in MemberAssessmentProcess.objects.filter(
            member=member, status=PROCESS.NEW
        ):
            MemberAssessmentFlow.instance.cancel(member_process)
    return case
