"""The history renderer (``casework.audit.history``): fields by their names, values by their
labels, people by name, task transitions as sentences, in a fixed number of queries."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task

from casework.audit.history import household_history
from casework.audit.people import people_labels, user_label
from casework.audit.services import audit_record
from casework.registry import services
from tests import factories
from tests.workflows import helpers as h
from workflows.flows import HouseholdFlow

pytestmark = pytest.mark.django_db


def _name(user, first: str) -> None:
    user.first_name = first
    user.save(update_fields=["first_name"])


def _changes(entry) -> dict[str, tuple[str, str]]:
    return {label: (before, after) for label, before, after in entry.changes}


def test_a_registration_names_the_heads_fields_through_the_member_model(world):
    _name(world.admin, "系统管理员")
    entry = next(e for e in household_history(world.h_a1.pk) if e.action == "household.register")
    changes = _changes(entry)
    assert changes["户主·证件类型"] == ("—", "居民身份证")
    assert changes["户主·姓名"] == ("—", "甲户主")
    assert changes["户主·与户主关系"] == ("—", "户主")
    assert changes["户编号"] == ("—", "A1-0001")
    assert changes["网格"][1] == world.grid_a1.name  # a foreign key by its name, not its pk
    assert entry.subject == "A1-0001"
    assert entry.actor == "系统管理员"
    assert not any("." in label or "_" in label for label in changes)


def test_task_transitions_read_as_sentences(client, world):
    _name(world.caseworker1, "李网格员")
    _name(world.manager, "王书记")
    process = h.household_process(world.h_a1)
    task = h.open_task(process, HouseholdFlow.assess)
    client.force_login(world.caseworker1)
    assert client.post(h.url(task, "assign")).status_code == 302
    assert client.post(h.url(task, "unassign")).status_code == 302
    assert h.do(client, world.caseworker1, task, h.assessment_data(world.h_a1, {})).status_code
    task = Task.objects.get(pk=task.pk)
    with transaction.atomic():  # what a manager's assignment and the overdue sweep record
        audit_record(
            actor=world.manager,
            action="task.reassign",
            obj=task,
            household_id=world.h_a1.pk,
            changes={"owner": (None, "caseworker1"), "status": ("ASSIGNED", "ASSIGNED")},
        )
        audit_record(
            actor=None,
            action="task.escalate",
            obj=task,
            household_id=world.h_a1.pk,
            changes={"escalated_at": (None, "2026-11-28T03:00:00+00:00")},
        )

    sentences = [e.sentence for e in household_history(world.h_a1.pk) if e.sentence]
    assert sentences == [
        "admin 发起了 户帮扶",  # the admin has no full name: named by the login
        "李网格员 认领了 入户评估",
        "李网格员 放弃认领 入户评估",
        "李网格员 认领了 入户评估",
        "李网格员 完成了 入户评估",
        "王书记 改派 入户评估 给 李网格员",
        "系统 超时升级 入户评估",
    ]
    entries = [e for e in household_history(world.h_a1.pk) if e.action.startswith("task.")]
    assert all(e.changes == [] for e in entries)  # the sentence says it; no status codes
    assert all(e.subject == "A1-0001" for e in entries)  # a household flow: its number


def test_people_are_named_with_their_login_only_where_needed(world):
    _name(world.caseworker1, "王芳")
    _name(world.caseworker2, "王芳")
    _name(world.manager, "王书记")
    labels = people_labels([world.caseworker1, world.caseworker2, world.manager, world.helper])
    assert labels == {
        world.caseworker1.pk: "王芳（caseworker1）",
        world.caseworker2.pk: "王芳（caseworker2）",
        world.manager.pk: "王书记",
        world.helper.pk: "helper",  # no full name: the login is all there is
    }
    assert user_label(world.manager) == "王书记"
    assert user_label(world.caseworker2) == "王芳（caseworker2）"
    assert user_label(None) == "系统"


def _history_queries(household) -> int:
    with CaptureQueriesContext(connection) as queries:
        household_history(household.pk)
    return len(queries)


def _page_queries(client, household) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/registry/household/{household.pk}/history/")
    assert response.status_code == 200
    return len(queries)


def test_the_history_takes_the_same_queries_however_long_it_is(client, world, assessed):
    assessed()  # tasks, assessments, an employment case: every kind named once
    client.force_login(world.manager)
    _page_queries(client, world.h_a1)  # warm process-wide caches (content types)
    before, page_before = _history_queries(world.h_a1), _page_queries(client, world.h_a1)
    for number in range(15):
        services.member_add(
            actor=world.admin,
            household=world.h_a1,
            **factories.member_data(name=f"成员{number}", document_number=factories.resident_id()),
        )
    services.household_update(actor=world.admin, household=world.h_a1, room="1203")
    assert _history_queries(world.h_a1) == before
    assert _page_queries(client, world.h_a1) == page_before
    assert before <= 12, before


def test_an_undone_step_names_the_step_and_the_withdrawn_assessments(client, world):
    """The undo's own events: the step by its title, the cancelled next step, and each
    withdrawn assessment by its member (the rows are gone, so the event keeps the names)."""
    _name(world.caseworker1, "李网格员")
    task = h.open_task(h.household_process(world.h_a1), HouseholdFlow.assess)
    assert h.do(client, world.caseworker1, task, h.assessment_data(world.h_a1, {})).status_code
    names = sorted(world.h_a1.members.values_list("name", flat=True))
    assert client.post(f"/workflow/undo/{task.process_id}/{task.pk}/").status_code == 302

    entries = {e.action: e for e in household_history(world.h_a1.pk)}
    undone = entries["step.undo"]
    assert undone.actor == "李网格员"
    assert _changes(undone) == {"撤销的步骤": ("—", "入户评估"), "取消的下一步": ("—", "审核评估")}
    withdrawn = _changes(entries["assessment.withdraw"])
    assert list(withdrawn) == ["撤回的评估"]
    before, after = withdrawn["撤回的评估"]
    assert before == "—"
    assert sorted(after.split("、")) == [f"{name}（第1版）" for name in names]
