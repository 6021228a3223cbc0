"""Monthly work records written before they named their household get it from their member's
household when the database is migrated (monitoring 0004), and the field is required after."""

import datetime

import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from casework.monitoring.models import MonthlyWorkRecord

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_records_get_their_members_household(world):
    member = world.h_a1.members.order_by("pk").first()
    old_apps = _migrate([("monitoring", "0003_quality_findings")])
    old = old_apps.get_model("monitoring", "MonthlyWorkRecord").objects.create(
        member_id=member.pk, grid_id=world.grid_a1.pk, month=datetime.date(2026, 8, 1),
        working=False, not_working_reason="care", recorded_by_id=world.admin.pk,
        recorded_at=timezone.now(),
    )  # fmt: skip

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert MonthlyWorkRecord.objects.get(pk=old.pk).household_id == world.h_a1.pk
    with pytest.raises(IntegrityError):
        MonthlyWorkRecord.objects.filter(pk=old.pk).update(household=None)
