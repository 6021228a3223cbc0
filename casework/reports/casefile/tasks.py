"""The case files' background tasks (django-tasks): one part of a case-file batch."""

from django_tasks import task

from .parts import casefile_part_work


@task()
def casefile_part_task(part_id: int) -> bool:
    """Make one part of a batch's case files (``parts.casefile_part_work``)."""
    return casefile_part_work(part_id)
