"""Deactivating a user hands on their open tasks, pairings and courses (manage/staff/)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import permissions
from casework.audit.models import AuditEvent
from casework.pairing.models import Pairing
from casework.pairing.services import pairing_create
from casework.permissions import roles
from casework.registry import services as registry_services
from casework.registry.models import Household
from casework.staff import selectors
from casework.staff.services import Handover, TaskTarget, staff_deactivate, staff_tasks_reassign
from casework.training.models import Course
from tests import factories
from tests.workflows import helpers as h
from workflows.claims import tasks_claim
from workflows.flows import HouseholdFlow
from workflows.selectors import inbox_tasks

pytestmark = pytest.mark.django_db


def _events(since: int, action: str | None = None):
    events = AuditEvent.objects.filter(seq__gt=since).exclude(action__startswith="login.")
    events = events.order_by("seq")
    return events.filter(action=action) if action else events


def _last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@pytest.fixture
def leaving(world):
    """caseworker3 works grid A1 with caseworker1, is also a helper (pairs A1-0001 and one
    more) and a trainer (teaches one running course alone); claimed two assessments."""
    user = factories.user("caseworker3", roles.CASEWORKER, first_name="三")
    user.groups.add(Group.objects.get(name=roles.HELPER), Group.objects.get(name=roles.TRAINER))
    registry_services.jurisdiction_grant_grid(actor=world.admin, user=user, grid=world.grid_a1)
    other = factories.household(world.admin, world.grid_a1, number="A1-0002")
    for household in (world.h_a1, other):
        pairing_create(actor=world.manager, helper=user, household=household, kind="cadre")
    today = timezone.localdate()
    course = Course.objects.create(
        name="电工培训班", trade="electrician", site=world.site_a, start_date=today,
        end_date=today + datetime.timedelta(days=30),
    )  # fmt: skip
    assign_perm(permissions.TEACH_COURSE, user, course)
    tasks = [
        h.open_task(h.household_process(household), HouseholdFlow.assess)
        for household in (world.h_a1, other)
    ]
    assert tasks_claim(actor=user, task_pks=[t.pk for t in tasks]).done
    return user


def test_the_page_lists_the_open_work(client, world, leaving):
    client.force_login(world.manager)
    page = client.get(reverse("manage:staff:deactivate", args=[leaving.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "A1-0001" in text and "A1-0002" in text and "电工培训班" in text
    assert "2 项待办" in text or "2" in text


def test_deactivation_hands_everything_on_and_the_colleague_sees_the_tasks(client, world, leaving):
    course = Course.objects.get(name="电工培训班")
    since = _last_seq()
    client.force_login(world.manager)
    response = client.post(
        reverse("manage:staff:deactivate", args=[leaving.pk]),
        {
            "tasks_to": f"person:{world.caseworker1.pk}",
            "helper": world.unpaired_helper.pk,
            "trainer": world.trainer.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    leaving.refresh_from_db()
    assert not leaving.is_active
    # Nothing orphaned: no open task, pairing or course is left with the departed user.
    assert not Task.objects.filter(owner=leaving, status=STATUS.ASSIGNED).exists()
    assert not Pairing.objects.filter(helper=leaving, end_date__isnull=True).exists()
    assert set(
        Pairing.objects.filter(helper=world.unpaired_helper, end_date__isnull=True).values_list(
            "household__number", flat=True
        )
    ) == {"A1-0001", "A1-0002"}
    assert list(permissions.course_trainers(course)) == [world.trainer]
    # The colleague finds the tasks in 我的待办.
    mine = {task.process_id for task in inbox_tasks(world.caseworker1)}
    assert {h.household_process(world.h_a1).pk} <= mine
    client.force_login(world.caseworker1)
    inbox = client.get(reverse("workflow:inbox")).content.decode()
    assert "A1-0001" in inbox and "A1-0002" in inbox
    # One audit event per administrative action, each with the actor.
    actions = list(
        _events(since).exclude(action__startswith="task.").values_list("action", "actor_id")
    )[:4]
    assert actions == [
        ("pairing.handover_all", world.manager.pk),
        ("staff.courses_reassign", world.manager.pk),
        ("staff.tasks_reassign", world.manager.pk),
        ("account.user_deactivate", world.manager.pk),
    ]
    summary = _events(since, "staff.tasks_reassign").get()
    moved = summary.changes["tasks"][1]
    assert sorted(item[1] for item in moved) == ["A1-0001", "A1-0002"]
    assert {item[3] for item in moved} == {"caseworker1"}
    # Each task handed on has its own event too, before the summary, in its household's
    # history: who held it from then on.
    each = _events(since).filter(object_type="viewflow.task", seq__lt=summary.seq)
    assert sorted(
        (int(e.object_id), e.action, e.household_id, e.actor_id, e.changes["owner"][1])
        for e in each
    ) == sorted(
        (item[0], "task.reassign", household_id, world.manager.pk, "caseworker1")
        for item, household_id in zip(
            moved,
            [Household.objects.get(number=item[1]).pk for item in moved],
            strict=True,
        )
    )


def test_deactivation_is_refused_while_work_would_be_orphaned(client, world, leaving):
    client.force_login(world.manager)
    response = client.post(
        reverse("manage:staff:deactivate", args=[leaving.pk]),
        {"tasks_to": f"person:{world.caseworker1.pk}"},
    )
    assert response.status_code == 200  # the form again, with what is missing
    text = response.content.decode()
    assert "选择接手结对户的帮扶人" in text or "helper" in text
    leaving.refresh_from_db()
    assert leaving.is_active
    assert Task.objects.filter(owner=leaving, status=STATUS.ASSIGNED).count() == 2
    assert Pairing.objects.filter(helper=leaving, end_date__isnull=True).count() == 2


def test_a_person_who_may_not_take_a_task_refuses_the_whole_handover(world, leaving):
    with pytest.raises(ValidationError):
        staff_tasks_reassign(
            actor=world.manager, user=leaving, target=TaskTarget(person=world.caseworker2)
        )
    assert Task.objects.filter(owner=leaving, status=STATUS.ASSIGNED).count() == 2


def test_spreading_over_a_grids_caseworkers_balances_by_load(world):
    # caseworker1 leaves grid A1; two colleagues work it, one already has a task.
    c3 = factories.user("caseworker3", roles.CASEWORKER)
    c4 = factories.user("caseworker4", roles.CASEWORKER)
    for user in (c3, c4):
        registry_services.jurisdiction_grant_grid(actor=world.admin, user=user, grid=world.grid_a1)
    households = [world.h_a1] + [
        factories.household(world.admin, world.grid_a1, number=f"A1-10{n}") for n in range(4)
    ]
    tasks = [h.open_task(h.household_process(hh), HouseholdFlow.assess) for hh in households]
    tasks_claim(actor=c3, task_pks=[tasks[0].pk])
    tasks_claim(actor=world.caseworker1, task_pks=[t.pk for t in tasks[1:]])
    since = _last_seq()
    items = staff_tasks_reassign(
        actor=world.manager, user=world.caseworker1, target=TaskTarget(grid=world.grid_a1)
    )
    assert len(items) == 4
    loads = selectors.inbox_loads(type(c3).objects.filter(pk__in=[c3.pk, c4.pk]))
    # c3 had one already: c4 (load 0) took the first, then they alternated, ties by name.
    assert loads == {c3.pk: 3, c4.pk: 2}
    assert [item[3] for item in items] == [
        "caseworker4",
        "caseworker3",
        "caseworker4",
        "caseworker3",
    ]
    assert list(_events(since).values_list("action", flat=True)) == [
        "task.reassign",
        "task.reassign",
        "task.reassign",
        "task.reassign",
        "staff.tasks_reassign",
    ]


def test_a_manager_cannot_deactivate_someone_outside_their_sites(client, world):
    outside = factories.user("caseworker_b", roles.CASEWORKER)
    registry_services.jurisdiction_grant_grid(actor=world.admin, user=outside, grid=world.grid_b1)
    client.force_login(world.manager)
    assert client.get(reverse("manage:staff:deactivate", args=[outside.pk])).status_code == 404
    client.force_login(world.caseworker1)
    assert (
        client.get(reverse("manage:staff:deactivate", args=[world.caseworker2.pk])).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        staff_deactivate(actor=world.manager, user=outside, handover=Handover())
    outside.refresh_from_db()
    assert outside.is_active
