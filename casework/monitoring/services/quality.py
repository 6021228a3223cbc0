"""Writes of the data-quality report: a run of the 17 rules over everything stored, its
findings replacing the last run's (nightly, by the scheduler; or on a manager's demand)."""

import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation

from casework.audit.services import audit_record
from casework.registry.models import Household

from ..quality_models import QualityFinding, QualityRun
from ..quality_rules import quality_findings

BATCH = 2000


def quality_run(*, actor: User | None = None, day: datetime.date | None = None) -> QualityRun:
    """Run every rule and keep the findings (worded in the site's language, whoever runs it)."""
    today = day or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        found = quality_findings(today)
    household_ids = {f.household_id for findings in found.values() for f in findings}
    places = {
        pk: (grid_id, site_id)
        for pk, grid_id, site_id in Household.objects.filter(pk__in=household_ids).values_list(
            "pk", "grid_id", "grid__site_id"
        )
    }
    with transaction.atomic():
        run = QualityRun.objects.create(
            counts={str(rule): len(findings) for rule, findings in found.items()}, ran_by=actor
        )
        QualityFinding.objects.exclude(run=run).delete()
        QualityFinding.objects.bulk_create(
            (
                QualityFinding(
                    run=run, rule=rule, household_id=f.household_id, member_id=f.member_id,
                    grid_id=places[f.household_id][0], site_id=places[f.household_id][1],
                    detail=f.detail[:300],
                )
                for rule, findings in found.items()
                for f in findings
            ),
            batch_size=BATCH,
        )  # fmt: skip
        audit_record(
            actor=actor, action="quality.run", obj=run, household_id=None,
            changes={"findings": (None, run.total)},
        )  # fmt: skip
    return run


def quality_run_if_due(now: datetime.datetime | None = None) -> QualityRun | None:
    """The nightly run: once per local day, at the first scheduler sweep of the day."""
    today = timezone.localdate(now or timezone.now())
    last = QualityRun.objects.order_by("-ran_at").values_list("ran_at", flat=True).first()
    if last is not None and timezone.localdate(last) >= today:
        return None
    return quality_run()
