"""The policy pages under 系统管理: administrators edit through a form built from the registry
(no JSON box, no free key), managers read, nobody else; /admin/ only shows parameters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.policy.models import Parameter
from casework.policy.services import parameter_set
from tests.conftest import login
from tests.i18n.english import english_in

pytestmark = pytest.mark.django_db
LIST = reverse("manage:policy:index")

# The pairing caps form: one field per pairing type (five).
CAPS_FIELDS = {
    "value_party": "3",
    "value_cadre": "5",
    "value_capable": "3",
    "value_party_centre": "15",
    "value_capable_household": "5",
}


def detail(key):
    return reverse("manage:policy:detail", args=[key])


def edit(key):
    return reverse("manage:policy:edit", args=[key])


def _post(client, key, **data):
    data = {"valid_from": timezone.localdate().isoformat(), "valid_to": "", "note": "", **data}
    return client.post(edit(key), data)


@pytest.mark.parametrize(
    "username, list_page, edit_page",
    [
        ("admin", 200, 200),
        ("manager", 200, 403),
        ("caseworker1", 403, 403),
        ("helper", 403, 403),
        ("trainer", 403, 403),
    ],
)
def test_administrators_edit_managers_read_others_are_refused(
    client, world, username, list_page, edit_page
):
    login(client, getattr(world, username))
    assert client.get(LIST).status_code == list_page
    assert client.get(detail("pairing.caps")).status_code == list_page
    assert client.get(edit("pairing.caps")).status_code == edit_page
    response = _post(client, "case.refusal_limit", value="4")
    assert response.status_code == (302 if edit_page == 200 else 403)


def test_the_list_shows_each_value_in_words_with_its_default_and_rule(client, world):
    parameter_set(
        actor=world.admin,
        key="training.attendance_threshold",
        value=70,
        valid_from=datetime.date(2020, 1, 1),
    )
    login(client, world.manager)
    page = client.get(LIST).content.decode()
    assert english_in(page) == []
    assert "出勤率" in page and "<strong>70%</strong>" in page and "默认值：80%" in page
    assert "已修改" in page
    assert "<strong>1、3、6个月</strong>" in page  # a list of months, unchanged
    caps = "党员结对 3户；干部包户 5户；能人带动 3户；党员中心户 15户；能人大户带贫 5户"
    assert f"<strong>{caps}</strong>" in page
    assert "使用规则：培训结果" in page


@pytest.mark.parametrize(
    "key, data, field, message",
    [
        ("retention.followup_months", {"value": "abc"}, "value", "“abc”不是整数。"),
        ("retention.followup_months", {"value": "1,3,99"}, "value", "不得大于 36个月。"),
        ("training.attendance_threshold", {"value": "八十"}, "value", "请输入整数。"),
        ("training.attendance_threshold", {"value": "150"}, "value", "不得大于 100%。"),
        (
            "pairing.caps",
            {**CAPS_FIELDS, "value_cadre": "0"},
            "value_cadre",
            "干部包户：不得小于 1户。",
        ),
        ("posts.one_per_household", {"value": "maybe"}, "value", "maybe"),
    ],
)
def test_invalid_values_are_refused_by_the_form_in_chinese(
    client, world, key, data, field, message
):
    login(client, world.admin)
    before = AuditEvent.objects.count()
    response = _post(client, key, **data)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    page = response.content.decode()
    for typed in data.values():  # what was typed is shown back, in the message too
        page = page.replace(typed, "")
    assert english_in(page) == []
    assert not Parameter.objects.exists() and AuditEvent.objects.count() == before


def test_an_unknown_parameter_has_no_page_and_the_form_has_no_free_key(client, world):
    login(client, world.admin)
    assert client.get(edit("no.such.parameter")).status_code == 404
    assert _post(client, "no.such.parameter", value="1").status_code == 404
    page = client.get(edit("pairing.caps")).content.decode()
    assert 'name="key"' not in page and "<textarea" not in page and "null" not in page
    assert 'name="value_party"' in page and 'name="value_capable"' in page
    assert english_in(page) == []
    # A mapping entry the registry does not name is not a field: it is ignored.
    _post(client, "pairing.caps", **{**CAPS_FIELDS, "value_party": "4", "value_boss": "9"})
    assert Parameter.objects.get(key="pairing.caps").value == {
        "party": 4, "cadre": 5, "capable": 3, "party_centre": 15, "capable_household": 5
    }  # fmt: skip


def test_a_saved_value_is_one_audit_event_and_shows_in_the_history(client, world):
    world.admin.first_name = "王管理"
    world.admin.save(update_fields=["first_name"])
    login(client, world.admin)
    before = AuditEvent.objects.count()
    response = _post(
        client,
        "retention.followup_months",
        value="2，4",
        valid_from="2026-01-01",
        note="县人社局2026年1号文",
    )
    assert response.status_code == 302 and response["Location"] == detail(
        "retention.followup_months"
    )
    row = Parameter.objects.get()
    assert (row.value, row.valid_from, row.valid_to) == ([2, 4], datetime.date(2026, 1, 1), None)
    events = AuditEvent.objects.filter(seq__gt=before)
    assert [(e.action, e.actor_id) for e in events] == [("policy.parameter_set", world.admin.pk)]
    login(client, world.manager)
    page = client.get(detail("retention.followup_months")).content.decode()
    assert english_in(page) == []
    assert "2026-01-01 — 长期有效" in page and "<strong>2、4个月</strong>" in page
    assert "王管理" in page and "县人社局2026年1号文" in page
    assert "设定新取值" not in page  # managers read only


def test_a_boolean_is_two_radio_buttons_and_a_choice_saves(client, world):
    login(client, world.admin)
    page = client.get(edit("posts.one_per_household")).content.decode()
    assert "<vf-field-radio-select" in page and "&quot;\\u5426&quot;" in page  # 是 / 否
    assert _post(client, "posts.one_per_household", value="no").status_code == 302
    assert Parameter.objects.get().value is False


def test_parameters_are_read_only_in_django_admin(client, world):
    parameter_set(
        actor=world.admin, key="deadline.assess", value=12, valid_from=datetime.date(2026, 1, 1)
    )
    row = Parameter.objects.get()
    login(client, world.admin)
    assert client.get("/admin/policy/parameter/add/").status_code == 403
    listing = client.get("/admin/policy/parameter/").content.decode()
    assert "入户评估的办结天数" in listing and english_in(listing) == []
    change = client.get(f"/admin/policy/parameter/{row.pk}/change/")
    assert change.status_code == 200 and 'name="value"' not in change.content.decode()
    response = client.post(f"/admin/policy/parameter/{row.pk}/change/", {"value": "99"})
    assert response.status_code == 403
    assert client.post(f"/admin/policy/parameter/{row.pk}/delete/").status_code == 403
    row.refresh_from_db()
    assert row.value == 12
