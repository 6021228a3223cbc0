"""Employers and vacancies of site A, and a member waiting for placement."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from casework.placement import services
from tests.training.conftest import klass, make_course  # noqa: F401 - shared fixtures

VALID_CODE = "91110000600037341L"


@pytest.fixture
def employer(world):
    def make(name="城关镇综合车间", kind="workshop", location_class="county", **extra):
        return services.employer_create(
            actor=world.caseworker1,
            site=world.site_a,
            name=name,
            kind=kind,
            location_class=location_class,
            **extra,
        )

    return make


@pytest.fixture
def vacancy(world):
    def make(employer, title, trade, location_class="county", **extra):
        today = timezone.localdate()
        fields = {
            "title": title,
            "trade": trade,
            "headcount": 5,
            "wage_min": Decimal("2500"),
            "wage_max": Decimal("3500"),
            "location_class": location_class,
            "valid_from": today - datetime.timedelta(days=30),
            "valid_to": today + datetime.timedelta(days=60),
        }
        fields.update(extra)
        return services.vacancy_create(actor=world.caseworker1, employer=employer, **fields)

    return make
