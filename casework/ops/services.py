"""Writes of operations: recording a consistency check."""

import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation

from casework.audit.services import audit_record

from .consistency import consistency_breaches
from .models import ConsistencyRun


def consistency_run(
    *, actor: User | None = None, day: datetime.date | None = None
) -> ConsistencyRun:
    """Run every consistency check and record the result (the managers' page shows the last).
    The breaches are worded in the site's language, whoever runs it."""
    with translation.override(settings.LANGUAGE_CODE):
        results = consistency_breaches(day)
    with transaction.atomic():
        run = ConsistencyRun.objects.create(
            counts={name: count for name, (count, _found) in results.items()},
            breaches=[breach.as_dict() for _count, found in results.values() for breach in found],
        )
        audit_record(
            actor=actor,
            action="consistency.run",
            obj=run,
            household_id=None,
            changes={"breaches": (None, run.total)},
        )
    return run


def consistency_run_if_due(now: datetime.datetime | None = None) -> ConsistencyRun | None:
    """The daily run: once per local day, at the first scheduler sweep of the day."""
    today = timezone.localdate(now or timezone.now())
    last = ConsistencyRun.objects.order_by("-ran_at").values_list("ran_at", flat=True).first()
    if last is not None and timezone.localdate(last) >= today:
        return None
    return consistency_run()
