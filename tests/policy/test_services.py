"""``parameter_set``: checked, one transaction, one audit event; periods never overlap; ``param``
reads the period that covers the day."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from casework.audit.models import AuditEvent
from casework.policy.models import Parameter
from casework.policy.params import DEFAULTS, param
from casework.policy.services import parameter_set

pytestmark = pytest.mark.django_db
KEY = "case.refusal_limit"
D = datetime.date


def _periods():
    return list(
        Parameter.objects.filter(key=KEY)
        .order_by("valid_from")
        .values_list("valid_from", "valid_to", "value")
    )


def test_a_change_is_one_audit_event_with_its_actor_key_old_and_new_value(world):
    before = AuditEvent.objects.count()
    row = parameter_set(
        actor=world.admin, key=KEY, value="5", valid_from=D(2026, 1, 1), note="县文件"
    )
    assert row.value == 5 and row.created_by == world.admin
    events = AuditEvent.objects.filter(seq__gt=before)
    assert events.count() == 1
    event = events.get()
    assert (event.action, event.actor_id, event.object_type) == (
        "policy.parameter_set",
        world.admin.pk,
        "policy.parameter",
    )
    assert event.changes["key"] == [None, KEY]
    assert event.changes["value"] == [3, 5]
    assert event.changes["valid_from"] == [None, "2026-01-01"]
    assert event.reason == "县文件"
    call_command("audit_verify", stdout=open("/dev/null", "w"))


def test_a_refused_value_writes_nothing(world):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        parameter_set(actor=world.admin, key=KEY, value="abc", valid_from=D(2026, 1, 1))
    with pytest.raises(ValidationError) as caught:
        parameter_set(
            actor=world.admin, key=KEY, value=4, valid_from=D(2026, 1, 1), valid_to=D(2025, 1, 1)
        )
    assert caught.value.message_dict["valid_to"] == ["截止日期不能早于生效日期。"]
    assert not Parameter.objects.exists() and AuditEvent.objects.count() == before


def test_a_new_value_closes_the_period_in_force_the_day_before(world):
    parameter_set(actor=world.admin, key=KEY, value=4, valid_from=D(2024, 1, 1))
    parameter_set(actor=world.admin, key=KEY, value=5, valid_from=D(2025, 1, 1))
    assert _periods() == [(D(2024, 1, 1), D(2024, 12, 31), 4), (D(2025, 1, 1), None, 5)]
    assert param(KEY, on=D(2023, 12, 31)) == DEFAULTS[KEY].value
    assert param(KEY, on=D(2024, 12, 31)) == 4
    assert param(KEY, on=D(2025, 1, 1)) == 5


def test_a_value_with_an_end_lets_the_earlier_value_resume(world):
    parameter_set(actor=world.admin, key=KEY, value=4, valid_from=D(2024, 1, 1))
    parameter_set(
        actor=world.admin, key=KEY, value=6, valid_from=D(2024, 3, 1), valid_to=D(2024, 3, 31)
    )
    assert _periods() == [
        (D(2024, 1, 1), D(2024, 2, 29), 4),
        (D(2024, 3, 1), D(2024, 3, 31), 6),
        (D(2024, 4, 1), None, 4),
    ]
    assert [param(KEY, on=d) for d in (D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 1))] == [4, 6, 4]


def test_an_ended_period_falls_back_to_the_default(world):
    parameter_set(
        actor=world.admin, key=KEY, value=4, valid_from=D(2024, 1, 1), valid_to=D(2024, 6, 30)
    )
    assert param(KEY, on=D(2024, 6, 30)) == 4
    assert param(KEY, on=D(2024, 7, 1)) == DEFAULTS[KEY].value


def test_a_value_set_for_later_still_starts_on_its_day(world):
    parameter_set(actor=world.admin, key=KEY, value=5, valid_from=D(2025, 1, 1))
    parameter_set(actor=world.admin, key=KEY, value=4, valid_from=D(2024, 1, 1))
    assert _periods() == [(D(2024, 1, 1), D(2024, 12, 31), 4), (D(2025, 1, 1), None, 5)]
    with pytest.raises(ValidationError) as caught:
        parameter_set(
            actor=world.admin, key=KEY, value=6, valid_from=D(2024, 6, 1), valid_to=D(2025, 2, 1)
        )
    assert "自 2025-01-01 起已设有其他取值" in caught.value.message_dict["valid_to"][0]


def test_the_same_start_day_corrects_the_value_and_the_event_keeps_the_old_one(world):
    parameter_set(actor=world.admin, key=KEY, value=4, valid_from=D(2024, 1, 1))
    parameter_set(actor=world.admin, key=KEY, value=5, valid_from=D(2024, 1, 1), note="更正")
    assert _periods() == [(D(2024, 1, 1), None, 5)]
    event = AuditEvent.objects.filter(action="policy.parameter_set").order_by("-seq").first()
    assert event.changes["value"] == [4, 5]


def test_a_mapping_is_audited_as_its_text(world):
    value = {"green": 20, "yellow": 10, "red": 5}
    parameter_set(
        actor=world.admin, key="household.followup_days", value=value, valid_from=D(2024, 1, 1)
    )
    event = AuditEvent.objects.filter(action="policy.parameter_set").get()
    assert event.changes["value"][1] == '{"green": 20, "yellow": 10, "red": 5}'
    assert param("household.followup_days") == value
