"""Parameters that would contradict each other are refused: ``parameter_set`` checks a new value
against the related parameter's value in force on the first day of the new period and on every
later day, within the period, on which that parameter's value changes; the message names the
other parameter and its value (in Chinese). The defaults satisfy every relation."""

import dataclasses
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from casework.audit.models import AuditEvent
from casework.policy.defaults import DEFAULTS
from casework.policy.models import Parameter
from casework.policy.params import param
from casework.policy.relations import RELATIONS, related_keys, relation_errors
from casework.policy.services import parameter_set
from tests.conftest import login
from tests.i18n.english import english_in

pytestmark = pytest.mark.django_db
D = datetime.date
START = D(2026, 1, 1)


@pytest.fixture
def longest_term_60(monkeypatch):
    """A county whose longest post term is 60 months unless a period says otherwise (the
    shipped default is 12): the relation's periods below are told against it."""
    monkeypatch.setitem(
        DEFAULTS,
        "posts.term_months_max",
        dataclasses.replace(DEFAULTS["posts.term_months_max"], value=60),
    )


def _refused(world, key, value, valid_from=START, valid_to=None):
    before = (Parameter.objects.count(), AuditEvent.objects.count())
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        parameter_set(
            actor=world.admin, key=key, value=value, valid_from=valid_from, valid_to=valid_to
        )
    assert (Parameter.objects.count(), AuditEvent.objects.count()) == before
    return caught.value.message_dict


def test_every_relation_names_two_parameters_of_the_registry():
    for relation in RELATIONS:
        assert relation.low in DEFAULTS and relation.high in DEFAULTS
        assert relation.low != relation.high
    assert "posts.term_months_max" in related_keys("posts.term_months_default")
    assert set(related_keys("vacancy.age_max_default")) == {
        "vacancy.age_lowest",
        "vacancy.age_highest",
    }


def test_the_defaults_satisfy_every_relation():
    for key, spec in DEFAULTS.items():
        others = {other: [(START, DEFAULTS[other].value)] for other in related_keys(key)}
        assert relation_errors(key, spec.value, others) == {}, key


def test_a_usual_term_longer_than_the_longest_is_refused_naming_the_longest(world):
    parameter_set(actor=world.admin, key="posts.term_months_max", value=12, valid_from=START)
    errors = _refused(world, "posts.term_months_default", 60)
    assert errors == {"value": ["不得大于2026-01-01施行的“公益性岗位的最长聘期”（12个月）。"]}
    # ...and the longest may not drop below the usual term in force.
    parameter_set(actor=world.admin, key="posts.term_months_max", value=60, valid_from=START)
    parameter_set(actor=world.admin, key="posts.term_months_default", value=24, valid_from=START)
    errors = _refused(world, "posts.term_months_max", 18)
    assert errors == {"value": ["不得小于2026-01-01施行的“公益性岗位的通常聘期”（24个月）。"]}


@pytest.mark.parametrize(
    "before, first, second, message",
    [
        # The review's probe: a proposed maximum age of 100 with the highest allowed 50.
        ({"vacancy.age_max_default": 50}, ("vacancy.age_highest", 50),
         ("vacancy.age_max_default", 100), "不得大于"),
        ({}, ("vacancy.age_max_default", 70), ("vacancy.age_highest", 60), "不得小于"),
        ({}, ("vacancy.age_lowest", 18), ("vacancy.age_max_default", 18), None),
        ({"placement.income_unusual_below": 600}, ("placement.income_min", 500),
         ("placement.income_unusual_below", 500), "必须大于"),
        ({}, ("placement.income_max", 5000), ("placement.income_unusual_below", 2000), None),
        ({"posts.age_limit": 55, "posts.age_limit_extended": 59}, ("posts.age_never", 60),
         ("posts.age_limit_extended", 60), "必须小于"),
        ({"posts.age_limit": 50}, ("posts.age_limit_extended", 55), ("posts.age_limit", 58),
         "不得大于"),
    ],
)  # fmt: skip
def test_a_value_that_contradicts_another_parameter_is_refused(
    world, before, first, second, message
):
    for key, value in [*before.items(), first]:
        parameter_set(actor=world.admin, key=key, value=value, valid_from=START)
    if message is None:  # within the bounds of both, the relation always holds
        parameter_set(actor=world.admin, key=second[0], value=second[1], valid_from=START)
        return
    errors = _refused(world, *second)
    with translation.override("zh-hans"):
        label = str(DEFAULTS[first[0]].label)
        unit = str(DEFAULTS[first[0]].unit)
    assert errors == {"value": [f"{message}2026-01-01施行的“{label}”（{first[1]}{unit}）。"]}


def test_the_other_value_is_checked_on_each_day_it_changes_within_the_new_period(
    world, longest_term_60
):
    parameter_set(
        actor=world.admin, key="posts.term_months_max", value=24, valid_from=D(2026, 6, 1)
    )
    # Open-ended from January: on 1 June the longest becomes 24.
    errors = _refused(world, "posts.term_months_default", 36)
    assert errors == {"value": ["不得大于2026-06-01施行的“公益性岗位的最长聘期”（24个月）。"]}
    # Ending before June, it is accepted.
    parameter_set(
        actor=world.admin, key="posts.term_months_default", value=36, valid_from=START,
        valid_to=D(2026, 5, 31),
    )  # fmt: skip
    assert param("posts.term_months_default", D(2026, 5, 31)) == 36
    assert param("posts.term_months_default", D(2026, 6, 1)) == 12


def test_the_default_that_resumes_after_the_other_period_ends_is_checked(world, longest_term_60):
    parameter_set(
        actor=world.admin, key="posts.term_months_max", value=24, valid_from=START,
        valid_to=D(2026, 3, 31),
    )  # fmt: skip
    # From April the longest is the default again (60): 36 fits from then on...
    parameter_set(
        actor=world.admin, key="posts.term_months_default", value=36, valid_from=D(2026, 4, 1)
    )
    # ...but not from March.
    errors = _refused(world, "posts.term_months_default", 36, valid_from=D(2026, 3, 1))
    assert errors == {"value": ["不得大于2026-03-01施行的“公益性岗位的最长聘期”（24个月）。"]}
    # Lowering the longest again from April, below the usual term from April, is refused.
    errors = _refused(world, "posts.term_months_max", 24, valid_from=D(2026, 5, 1))
    assert errors == {"value": ["不得小于2026-05-01施行的“公益性岗位的通常聘期”（36个月）。"]}


def test_mappings_compare_entry_by_entry_and_the_error_is_on_the_entry(world):
    caps = {**DEFAULTS["pairing.caps"].value, "party_centre": 8}
    errors = _refused(world, "pairing.caps", caps)
    assert list(errors) == ["value_party_centre"]
    (message,) = errors["value_party_centre"]
    assert message.startswith("党员中心户")
    assert (
        "不得小于2026-01-01施行的“每名帮扶人最少结对户数（按结对类型）（党员中心户）”（10户）。"
        in message
    )
    floors = {**DEFAULTS["pairing.caps_min"].value, "party": 4, "cadre": 5}
    errors = _refused(world, "pairing.caps_min", floors)
    assert list(errors) == ["value_party"]  # cadre 5 ≤ 5 holds
    assert "（党员结对）”（3户）" in errors["value_party"][0]


def test_retention_follow_ups_start_before_the_month_of_stable_employment(world):
    errors = _refused(world, "retention.stable_months", 1)
    assert errors == {
        "value": ["必须大于2026-01-01施行的“稳岗回访时间（就业后第几个月）”（1个月）。"]
    }
    errors = _refused(world, "retention.followup_months", [6, 12])
    assert errors == {
        "value": ["6个月：必须小于2026-01-01施行的“认定稳定就业的在岗月数”（6个月）。"]
    }
    # Months at or after the stable month are allowed: the timers skip them.
    parameter_set(
        actor=world.admin, key="retention.followup_months", value=[3, 12], valid_from=START
    )


def test_the_edit_form_shows_the_contradiction_on_the_field_in_chinese(client, world):
    parameter_set(actor=world.admin, key="vacancy.age_max_default", value=50, valid_from=START)
    parameter_set(actor=world.admin, key="vacancy.age_highest", value=50, valid_from=START)
    login(client, world.admin)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("manage:policy:edit", args=["vacancy.age_max_default"]),
        {"value": "100", "valid_from": "2026-02-01", "valid_to": "", "note": ""},
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["value"]
    assert error.startswith("不得大于2026-02-01施行的“") and error.endswith("（50岁）。")
    assert english_in(response.content.decode()) == []
    assert list(
        Parameter.objects.filter(key="vacancy.age_max_default").values_list("value", "valid_to")
    ) == [(50, None)]
    assert AuditEvent.objects.count() == before
