"""Asking for the dashboard's snapshot: the scheduler's daily request and a manager's refresh,
each queued for a worker (``tasks.figures_build_task``)."""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.models import AuditEvent
from casework.audit.services import audit_record
from casework.common.jobs import enqueue_on_commit
from casework.registry.models import Grid
from casework.reports.models import FiguresBuild

from ..tasks import figures_build_task

# A build asked for this long ago and still not finished has lost its worker: ask again.
BUILD_STALE = datetime.timedelta(hours=2)
# One refresh per user in this time: each counts every grid of the user's sites (a county
# user's, the whole county) and repeated clicks would only queue the same work again.
REFRESH_GAP = datetime.timedelta(minutes=5)


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
    """A manager's 刷新: queue today's build of their grids for a worker (recorded). Refused
    within ``REFRESH_GAP`` of the user's last refresh."""
    ids = sorted(grids.values_list("pk", flat=True))
    with transaction.atomic():
        last = (
            AuditEvent.objects.filter(
                actor=actor,
                action="dashboard.figures_refresh",
                occurred_at__gt=timezone.now() - REFRESH_GAP,
            )
            .order_by("-occurred_at")
            .values_list("occurred_at", flat=True)
            .first()
        )
        if last is not None:
            raise ValidationError(
                _(
                    "The figures were asked for again at %(time)s and are being counted; "
                    "ask again after %(minutes)d minutes."
                )
                % {
                    "time": timezone.localtime(last).strftime("%H:%M"),
                    "minutes": REFRESH_GAP.seconds // 60,
                }
            )
        audit_record(
            actor=actor,
            action="dashboard.figures_refresh",
            obj=None,
            household_id=None,
            changes={"grids": (None, ids)},
        )
        enqueue_on_commit(figures_build_task, timezone.localdate().isoformat(), ids)
