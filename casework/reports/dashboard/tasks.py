"""The dashboard's background task (django-tasks): building the figures' snapshot, asked for
daily by the scheduler and by a manager's refresh."""

from django_tasks import task

from .services.build import figures_build_run


@task()
def figures_build_task(day: str, grid_ids: list[int] | None = None) -> int:
    """Build the snapshot of ``day`` (ISO date) for every grid, or for ``grid_ids``. Running it
    twice writes the same rows (a build replaces the day's rows of its grids)."""
    return figures_build_run(day, grid_ids)
