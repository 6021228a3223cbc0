"""Code lists as data: filled from today's choices, valid by dates, changed only by
administrators through services that record one audit event each."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.placement.models import Channel
from casework.policy import services
from casework.policy.models import Code
from casework.policy.selectors import code_choices, code_label, codes_active

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_the_lists_hold_todays_codes_and_the_channel_groupings():
    assert [c.code for c in codes_active("channel")] == list(Channel.values)
    assert [c.code for c in codes_active("trade")] == [
        "cooking", "noodles", "construction", "farming", "housekeeping", "electrician", "other",
    ]  # fmt: skip
    workshop = Code.objects.get(list_name="channel", code="workshop")
    assert (workshop.group, workshop.group_five, workshop.national_label) == (
        "工厂和园区", "就业帮扶车间", "帮扶车间",
    )  # fmt: skip


def test_the_pairing_types_include_the_party_centre_and_capable_household_types():
    codes = {c.code: c.label for c in codes_active("pairing_type")}
    assert {"party", "cadre", "capable"} <= set(codes)
    assert codes["party_centre"] == "党员中心户"
    assert codes["capable_household"] == "能人大户带贫"


def test_an_added_code_is_offered_from_its_start_and_audited_once(world):
    start = TODAY + datetime.timedelta(days=10)
    code = services.code_add(
        actor=world.admin, list_name="trade", code="welding", label="焊工", valid_from=start
    )
    assert ("welding", "焊工") not in code_choices("trade")
    assert ("welding", "焊工") in code_choices("trade", on=start)
    event = AuditEvent.objects.get(action="code.add")
    assert event.actor_id == world.admin.pk and event.object_id == str(code.pk)


def test_an_ended_code_is_no_longer_offered_but_keeps_its_label(world):
    code = Code.objects.get(list_name="trade", code="noodles")
    services.code_end(actor=world.admin, code=code, on=TODAY - datetime.timedelta(days=1))
    assert "noodles" not in dict(code_choices("trade"))
    assert code_label("trade", "noodles") == "拉面"
    assert AuditEvent.objects.filter(action="code.end").count() == 1


def test_a_label_change_is_audited_with_old_and_new(world):
    code = Code.objects.get(list_name="trade", code="cooking")
    services.code_change(actor=world.admin, code=code, label="中式烹调")
    event = AuditEvent.objects.get(action="code.change")
    assert event.changes == {"label": ["烹饪", "中式烹调"]}
    assert code_label("trade", "cooking") == "中式烹调"


def test_only_administrators_change_code_lists(world):
    with pytest.raises(PermissionDenied):
        services.code_add(actor=world.manager, list_name="trade", code="x", label="X")
    assert not AuditEvent.objects.filter(action__startswith="code.").exists()


def test_a_code_is_unique_in_its_list(world):
    with pytest.raises(ValidationError) as refused:
        services.code_add(actor=world.admin, list_name="trade", code="cooking", label="烹饪")
    assert "code" in refused.value.message_dict
