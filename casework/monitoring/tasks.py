"""The data-quality run as a background task (django-tasks): asked for nightly by the scheduler
and on a manager's demand, run by a worker (a city's run takes minutes)."""

from django.contrib.auth import get_user_model
from django_tasks import task

from .services.quality import quality_ran_today, quality_run


@task()
def quality_run_task(actor_id: int | None = None, nightly: bool = False) -> int:
    """Run the rules (the nightly run only if none has run today); returns the findings."""
    if nightly and quality_ran_today():
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return quality_run(actor=actor).total
