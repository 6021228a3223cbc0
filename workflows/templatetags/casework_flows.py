"""Template helpers for workflow pages."""

from typing import Any

from django import template

from casework.cases.models import EmploymentCase, HouseholdCase
from casework.pairing.models import ServiceRequest
from casework.posts.models import PostVacancy

from ..models import TaskDeadline

register = template.Library()


@register.simple_tag
def task_subject(task: Any) -> dict[str, Any]:
    """The household (and member and case) a task is about, and its deadline."""
    subject: dict[str, Any] = {
        "deadline": TaskDeadline.objects.filter(task_id=task.pk).first(),
    }
    case = (
        EmploymentCase.objects.select_related("member__household__grid")
        .filter(process__pk=task.process_id)
        .first()
    )
    vacancy = (
        None
        if case is not None
        else PostVacancy.objects.select_related("post", "vacated_by__member__household__grid")
        .filter(process__pk=task.process_id)
        .first()
    )
    service_request = (
        ServiceRequest.objects.select_related("household__grid", "first_contact")
        .filter(process__pk=task.process_id)
        .first()
        if case is None and vacancy is None
        else None
    )
    if service_request is not None:
        subject.update(service_request=service_request, household=service_request.household)
        return subject
    if case is not None:
        subject.update(case=case, member=case.member, household=case.member.household)
    elif vacancy is not None:
        member = vacancy.vacated_by.member
        subject.update(vacancy=vacancy, member=member, household=member.household)
    else:
        household_case = (
            HouseholdCase.objects.select_related("household__grid")
            .filter(processes__pk=task.process_id)
            .first()
        )
        subject["household"] = household_case.household if household_case else None
    return subject
