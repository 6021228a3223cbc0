"""Template helpers for workflow pages."""

from typing import Any

from django import template

from ..models import TaskDeadline
from ..subjects import subject_context

register = template.Library()


@register.simple_tag
def task_subject(task: Any, process: Any) -> dict[str, Any]:
    """The household (and member and case, vacancy or request) a task is about, and its
    deadline: two queries."""
    return {
        "deadline": TaskDeadline.objects.filter(task_id=task.pk).first(),
        **subject_context(process),
    }
