"""Writes of the data-quality report: a run of the 17 rules over everything stored, its
findings replacing the last run's (nightly, by the scheduler; or on a manager's demand)."""

import datetime
from itertools import islice

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation

from casework.audit.services import audit_record
from casework.policy.params import params_memoised

from ..quality_models import QualityFinding, QualityRun
from ..quality_rules import quality_findings

BATCH = 2000


def quality_run(*, actor: User | None = None, day: datetime.date | None = None) -> QualityRun:
    """Run every rule and keep the findings (worded in the site's language, whoever runs it)."""
    today = day or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE), params_memoised():
        found = quality_findings(today)
    with transaction.atomic():
        run = QualityRun.objects.create(
            counts={str(rule): len(findings) for rule, findings in found.items()}, ran_by=actor
        )
        # Earlier runs' findings go; the pages read the newest run's only, so a run finishing
        # beside another never shows both.
        QualityFinding.objects.exclude(run=run).delete()
        rows = (
            QualityFinding(
                run=run, rule=rule, household_id=f.household_id, member_id=f.member_id,
                detail=f.detail[:300],
            )
            for rule, findings in found.items()
            for f in findings
        )  # fmt: skip
        # In batches: a city's run finds a million rows, never all held as objects at once.
        while batch := list(islice(rows, BATCH)):
            QualityFinding.objects.bulk_create(batch)
        audit_record(
            actor=actor, action="quality.run", obj=run, household_id=None,
            changes={"findings": (None, run.total)},
        )  # fmt: skip
    return run


def quality_ran_today(now: datetime.datetime | None = None) -> bool:
    today = timezone.localdate(now or timezone.now())
    last = QualityRun.objects.order_by("-ran_at").values_list("ran_at", flat=True).first()
    return last is not None and timezone.localdate(last) >= today


def quality_export_record(*, actor: User, rule: int | None, rows: int) -> None:
    """Record an export of the findings (which rule, how many rows)."""
    with transaction.atomic():
        audit_record(
            actor=actor, action="quality.export", obj=None, household_id=None,
            changes={"rule": (None, rule or "all"), "rows": (None, rows)},
        )  # fmt: skip
