"""Asking for the dashboard's snapshot: the scheduler's daily request and a manager's refresh,
each queued for a worker (``tasks.figures_build_task``)."""

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from casework.audit.services import audit_record
from casework.common.jobs import enqueue_on_commit
from casework.registry.models import Grid
from casework.reports.models import FiguresBuild

from ..tasks import figures_build_task

# A build asked for this long ago and still not finished has lost its worker: ask again.
BUILD_STALE = datetime.timedelta(hours=2)


def figures_build_request_if_due(now: datetime.datetime | None = None) -> bool:
    """The daily build: at the first scheduler sweep of a local day, queue the build of that
    day for a worker (once; again only when a queued build has gone unfinished for
    ``BUILD_STALE``). Returns whether a build was queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        build, created = FiguresBuild.objects.select_for_update().get_or_create(
            day=today, defaults={"requested_at": now}
        )
        if not created and (build.finished_at or build.requested_at > now - BUILD_STALE):
            return False
        if not created:
            build.requested_at = now
            build.save(update_fields=["requested_at"])
        enqueue_on_commit(figures_build_task, today.isoformat())
    return True


def figures_refresh_request(*, actor: User, grids: QuerySet[Grid]) -> None:
    """A manager's 刷新: queue today's build of their grids for a worker (recorded)."""
    ids = sorted(grids.values_list("pk", flat=True))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="dashboard.figures_refresh",
            obj=None,
            household_id=None,
            changes={"grids": (None, ids)},
        )
        enqueue_on_commit(figures_build_task, timezone.localdate().isoformat(), ids)
