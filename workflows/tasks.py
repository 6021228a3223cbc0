"""The flows' background task (django-tasks): the overdue notices of a sweep, written by a
worker so that the single scheduler only fires timers."""

from django_tasks import task

from .services import deadlines_escalate


@task()
def deadlines_escalate_task() -> int:
    """Notify the owners and managers of the tasks past their deadline (each task once: a second
    delivery, or two workers at once, finds them escalated under the row lock)."""
    return deadlines_escalate()
