"""The forms of the task pages refuse bad input with a form error, never a server error."""

import pytest

from casework.cases.models import Category
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow

pytestmark = pytest.mark.django_db


def test_too_long_refusal_reason_is_refused_by_the_form_not_a_500(client, world, assessed):
    process = h.employment_process(assessed(Category.CAPABLE))
    task = h.open_task(process, EmploymentFlow.placement)
    response = h.do(
        client, world.caseworker1, task, {"outcome": "refused", "refusal_reason": "拒" * 201}
    )
    assert response.status_code == 200
    assert "refusal_reason" in response.context["form"].errors
