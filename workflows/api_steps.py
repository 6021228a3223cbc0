"""The steps other systems may complete through the API, and how: each with the form its page
validates with and the function its page performs (``workflows.step_actions``), completed by
``task_complete`` under the flow's own lock and permission, as from the page.

A step not listed here is done on its page (its form has rows or files the API does not take).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from . import forms, step_actions
from .flows import HouseholdFlow
from .services import task_complete


@dataclass(frozen=True)
class ApiStep:
    form: type[django_forms.Form]
    perform: Callable[[User, Any, dict[str, Any]], Any]


API_STEPS: dict[Any, ApiStep] = {
    HouseholdFlow.review: ApiStep(forms.ReviewForm, step_actions.review_perform),
}


def api_step_refs() -> list[str]:
    """The steps' references as tasks store them (``flow_task``)."""
    return sorted(get_task_ref(node) for node in API_STEPS)


class TaskUnavailable(Exception):
    """The task was done, taken by someone else, or its case is locked: a lost race (409)."""


def step_complete(*, actor: User, task: Task, data: dict[str, Any]) -> None:
    """Do ``task`` as ``actor`` with ``data`` (its page's form fields): take it if free, run its
    step's service and route the flow, in one transaction under the flow's lock. Refused with a
    ``ValidationError`` naming the fields (nothing written), ``PermissionDenied`` when the actor
    may not do it, ``TaskUnavailable`` when someone else took or finished it first."""
    step = API_STEPS.get(task.flow_task)
    if step is None:
        raise ValidationError(_("This step is done on its page, not through the API."))
    form = step.form(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())  # each message with its code
    try:
        task_complete(
            task=task,
            actor=actor,
            perform=lambda: step.perform(actor, task.process, form.cleaned_data),
        )
    except FlowLockFailed as exc:
        raise TaskUnavailable(
            _("Someone else is working on this case right now. Try again in a moment.")
        ) from exc
    except (TransitionNotAllowed, PermissionDenied):
        task.refresh_from_db()
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise TaskUnavailable(_("This task has already been completed.")) from None
        if task.owner_id is not None and task.owner_id != actor.pk:
            raise TaskUnavailable(
                _("This task has already been taken by %(user)s.")
                % {"user": task.owner.get_username() if task.owner else ""}
            ) from None
        raise
