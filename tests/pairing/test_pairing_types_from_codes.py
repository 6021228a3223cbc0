"""Pairing types are a code list: a type the county adds is offered and accepted, and an
ended one is refused while its pairings keep their label."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.pairing.forms import PairForm
from casework.pairing.services import pairing_create
from casework.policy.models import Code
from casework.policy.services import code_add, code_end

pytestmark = pytest.mark.django_db


def test_a_type_added_to_the_list_is_offered_and_accepted(world):
    code_add(actor=world.admin, list_name=Code.List.PAIRING_TYPE, code="teacher", label="教师包户")
    form = PairForm(actor=world.admin)
    assert ("teacher", "教师包户（最多 3 户）") in [
        (str(value), str(label)) for value, label in form.fields["kind"].choices
    ]
    pairing = pairing_create(
        actor=world.admin, household=world.h_a2, kind="teacher", helper=world.helper
    )
    pairing.refresh_from_db()
    assert pairing.get_kind_display() == "教师包户"


def test_an_ended_type_is_refused_and_old_pairings_keep_its_label(world):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    code_add(
        actor=world.admin,
        list_name=Code.List.PAIRING_TYPE,
        code="teacher",
        label="教师包户",
        valid_from=yesterday - datetime.timedelta(days=30),
    )
    pairing = pairing_create(
        actor=world.admin, household=world.h_a2, kind="teacher", helper=world.helper
    )
    code_end(actor=world.admin, code=Code.objects.get(code="teacher"), on=yesterday)
    with pytest.raises(ValidationError):
        pairing_create(actor=world.admin, household=world.h_b1, kind="teacher", helper=world.helper)
    assert pairing.get_kind_display() == "教师包户"
