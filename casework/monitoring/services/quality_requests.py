"""Runs of the data-quality rules asked for: queued for a worker (``tasks.quality_run_task``),
nightly by the scheduler and on a manager's demand.

A run reads everything stored (minutes for a city), so a demand is refused while another one
asked for within ``DEMAND_GAP`` has not finished; the nightly run is asked for again when the
one queued has not finished within ``NIGHTLY_STALE`` (its worker died).
"""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.models import AuditEvent
from casework.audit.services import audit_record
from casework.common.jobs import enqueue_on_commit

from ..quality_models import QualityRun
from ..tasks import quality_run_task
from .quality import quality_ran_today

DEMAND_GAP = datetime.timedelta(minutes=15)
NIGHTLY_STALE = datetime.timedelta(hours=2)


def quality_run_request(*, actor: User, now: datetime.datetime | None = None) -> None:
    """A manager's demand for a run now: queued for a worker and recorded; refused while one
    asked for within ``DEMAND_GAP`` has not finished."""
    now = now or timezone.now()
    with transaction.atomic():
        asked = (
            AuditEvent.objects.filter(action="quality.request", occurred_at__gte=now - DEMAND_GAP)
            .order_by("-occurred_at")
            .values_list("occurred_at", flat=True)
            .first()
        )
        finished = QualityRun.objects.filter(ran_at__gte=asked).exists() if asked else True
        if not finished:
            raise ValidationError(
                _("A run asked for at %(time)s is still going; its findings will show here.")
                % {"time": f"{timezone.localtime(asked):%H:%M}"}
            )
        audit_record(actor=actor, action="quality.request", obj=None, household_id=None)
        enqueue_on_commit(quality_run_task, actor.pk, False)


def quality_run_request_if_due(
    queued_at: datetime.datetime | None, now: datetime.datetime | None = None
) -> bool:
    """The nightly run, asked for by the scheduler (``queued_at``: when it last asked): queued
    when none has run today and none was asked for within ``NIGHTLY_STALE``. The task itself
    runs only if none has run that day. Returns whether one was queued."""
    now = now or timezone.now()
    if quality_ran_today(now):
        return False
    if queued_at is not None and queued_at > now - NIGHTLY_STALE:
        return False
    enqueue_on_commit(quality_run_task, None, True)
    return True
