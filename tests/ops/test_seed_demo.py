"""seed_demo loads a usable demo and running it twice changes nothing."""

import io

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from viewflow.workflow.models import Task

from casework import permissions
from casework.cases.models import EmploymentCase, HouseholdCase
from casework.monitoring.models import MonthlyWorkRecord
from casework.ops.management.commands.seed_demo import DEMO_PASSWORD
from casework.permissions import roles
from casework.placement.models import Employer, Placement, Vacancy
from casework.posts.models import PostAssignment, WelfarePost
from casework.registry.models import Grid, Household, Member, Region, Site
from casework.registry.validators import parse_resident_id
from casework.reports.models import FiguresBuild, GridDailyFigures, MonthFigures
from workflows.flows import EmploymentFlow, HouseholdFlow


def _table_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_builds_the_demo_and_is_idempotent(db):
    call_command("seed_demo", stdout=io.StringIO())
    first = _table_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _table_counts() == first

    assert Site.objects.count() == 2  # 城关镇's and 石桥镇's
    assert Grid.objects.count() >= 3
    # The dashboard opens on stored figures: today's snapshot of every grid.
    assert FiguresBuild.objects.filter(finished_at__isnull=False).count() == 1
    assert GridDailyFigures.objects.count() == Grid.objects.count()
    assert Household.objects.count() >= 40
    assert Member.objects.count() >= 150
    for number in Member.objects.values_list("document_number", flat=True):
        assert parse_resident_id(number).number == number
    assert all(
        h.members.filter(relationship="head").count() == 1
        for h in Household.objects.prefetch_related("members")
    )
    # The month-end dashboard's year: twelve months of records, the county's figures stored
    # for this month and the twelve before, read by the county's bureau.
    assert MonthlyWorkRecord.objects.values("month").distinct().count() == 12
    county = Region.objects.get(code="621226000000")
    assert MonthFigures.objects.filter(unit=f"county:{county.pk}").count() == 13
    bureau = get_user_model().objects.get(username="county")
    assert list(permissions.counties_read_by(bureau)) == [county]

    users = {u.username: u for u in get_user_model().objects.all()}
    for name, role in [
        ("admin", roles.ADMIN),
        ("manager", roles.MANAGER),
        ("caseworker1", roles.CASEWORKER),
        ("caseworker2", roles.CASEWORKER),
        ("trainer", roles.TRAINER),
        ("helper", roles.HELPER),
    ]:
        assert roles.user_roles(users[name]) == [role]
        assert users[name].check_password(DEMO_PASSWORD)
    grids1 = permissions.jurisdiction_of(users["caseworker1"]).grid_ids
    grids2 = permissions.jurisdiction_of(users["caseworker2"]).grid_ids
    assert grids1 and grids2 and not grids1 & grids2
    assert permissions.households_visible_to(users["manager"]).count() == Household.objects.count()


def test_seed_demo_leaves_households_at_every_stage_of_both_flows(db):
    call_command("seed_demo", stdout=io.StringIO())
    open_steps = {
        task.flow_task for task in Task.objects.filter(status__in=["NEW", "ASSIGNED", "SCHEDULED"])
    }
    every_wait = {
        HouseholdFlow.assess,
        HouseholdFlow.review,
        HouseholdFlow.wait_followup,
        EmploymentFlow.placement,
        EmploymentFlow.enrol,
        EmploymentFlow.training_outcome,
        EmploymentFlow.post_application,
        EmploymentFlow.post_approval,
        EmploymentFlow.reassess,
        EmploymentFlow.reassess_review,
        EmploymentFlow.wait_followup,
    }
    assert every_wait <= open_steps, every_wait - open_steps
    states = set(EmploymentCase.objects.values_list("state", flat=True))
    assert {"stable", "exited", "employed", "on_post"} <= states
    assert HouseholdCase.objects.filter(closed_at__isnull=False).exists()
    # Every household is in its flow.
    assert HouseholdCase.objects.count() == Household.objects.count()
    # The job menu, jobs taken from it, and public-welfare posts.
    assert Employer.objects.count() == 3 and Vacancy.objects.count() == 6
    assert Placement.objects.filter(vacancy__isnull=False).exists()
    assert WelfarePost.objects.exists()
    assert PostAssignment.objects.filter(status="on_post", post__isnull=False).exists()
