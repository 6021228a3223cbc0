"""Tasks through the API (issue 22, acceptance 4): the caller's tasks as the pages scope them; a
review completed with its page's fields, through the flow's lock and permission; completed
through the API and through the page at the same moment, exactly one wins, the other is told
409, nothing fails and the review is recorded once."""

import threading
import time
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connections
from django.test import Client
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.api.services import api_token_create
from casework.audit.models import AuditEvent
from casework.cases.models import Assessment, Category
from casework.registry.services import jurisdiction_grant_site
from tests.workflows import helpers as h
from workflows.flows import HouseholdFlow


@pytest.fixture(autouse=True)
def _throttle_counts_forgotten():
    caches["shared"].clear()


def _api(token: str, **kwargs) -> Client:
    return Client(headers={"authorization": f"Bearer {token}"}, **kwargs)


def _review_task(client, world) -> Task:
    """A1-0001 assessed by its caseworker: the manager's review is open."""
    process = h.household_process(world.h_a1)
    head = world.h_a1.members.get(relationship="head")
    response = h.do(
        client,
        world.caseworker1,
        h.open_task(process, HouseholdFlow.assess),
        h.assessment_data(world.h_a1, {head.name: Category.CAPABLE}),
    )
    assert response.status_code == 302
    client.logout()
    return h.open_task(process, HouseholdFlow.review)


@pytest.mark.django_db
def test_a_manager_reviews_through_the_api_as_on_the_page(client, world):
    task = _review_task(client, world)
    _row, token = api_token_create(actor=world.manager, name="脚本", access="write")
    api = _api(token)

    queue = api.get("/api/v1/tasks/?box=queue").json()["results"]
    row = next(r for r in queue if r["id"] == task.pk)
    assert row["completable"] and row["household"] == world.h_a1.pk and row["title"]

    refused = api.post(f"/api/v1/tasks/{task.pk}/complete/", {}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0] == {
        "code": "required", "message": "该字段是必填项。", "field": "decision",
    }  # fmt: skip
    returned = api.post(
        f"/api/v1/tasks/{task.pk}/complete/", {"decision": "return"},
        content_type="application/json",
    )  # fmt: skip
    assert returned.status_code == 400  # sending back needs a reason: the service says so
    assert returned.json()["errors"][0]["field"] == "reason"
    task.refresh_from_db()
    assert task.status == STATUS.NEW  # nothing taken, nothing written

    done = api.post(
        f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"},
        content_type="application/json",
    )  # fmt: skip
    assert done.status_code == 200, done.content
    assert done.json()["status"] == STATUS.DONE
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.DONE, world.manager)
    reviews = Assessment.objects.filter(member__household=world.h_a1)
    assert set(reviews.values_list("review", "reviewed_by")) == {("approved", world.manager.pk)}
    approvals = AuditEvent.objects.filter(action="assessment.approve")
    assert approvals.exists() and {e.actor_id for e in approvals} == {world.manager.pk}

    again = api.post(
        f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"},
        content_type="application/json",
    )  # fmt: skip
    assert again.status_code in (404, 409)  # done: no longer in the caller's lists


@pytest.mark.django_db
def test_tasks_are_scoped_as_the_pages_scope_them(client, world):
    task = _review_task(client, world)
    _row, outsider_token = api_token_create(actor=world.caseworker2, name="脚本", access="write")
    assert _api(outsider_token).get(f"/api/v1/tasks/{task.pk}/").status_code == 404
    outside = _api(outsider_token).post(
        f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"},
        content_type="application/json",
    )  # fmt: skip
    assert outside.status_code == 404
    _row, reader = api_token_create(actor=world.manager, name="只读", access="read")
    assert _api(reader).get(f"/api/v1/tasks/{task.pk}/").status_code == 200
    write = _api(reader).post(
        f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"},
        content_type="application/json",
    )  # fmt: skip
    assert write.status_code == 403


def _slow(method):
    def slow(self, *args, **kwargs):
        time.sleep(0.3)
        return method(self, *args, **kwargs)

    return slow


@pytest.mark.django_db(transaction=True)
def test_the_api_and_the_page_complete_one_task_at_once_and_exactly_one_wins(client, world):
    task = _review_task(client, world)
    page = Client()
    page.force_login(world.manager)
    assert page.post(h.url(task, "assign")).status_code == 302
    _row, token = api_token_create(actor=world.manager, name="脚本", access="write")
    barrier = threading.Barrier(2)
    results: dict[str, tuple[int, str]] = {}

    def through_the_page():
        try:
            barrier.wait()
            response = page.post(h.url(task, "execute"), {"decision": "approve", "reason": ""})
            results["page"] = (response.status_code, response.content.decode())
        finally:
            connections.close_all()

    def through_the_api():
        try:
            barrier.wait()
            response = _api(token, raise_request_exception=False).post(
                f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"},
                content_type="application/json",
            )  # fmt: skip
            results["api"] = (response.status_code, response.content.decode())
        finally:
            connections.close_all()

    with mock.patch.object(Task, "save", _slow(Task.save)):
        threads = [
            threading.Thread(target=through_the_page),
            threading.Thread(target=through_the_api),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    codes = {side: code for side, (code, _text) in results.items()}
    assert codes in ({"page": 302, "api": 409}, {"page": 409, "api": 200}), results
    loser = "api" if codes["api"] == 409 else "page"
    assert "已" in results[loser][1]  # told the task was done (or its case busy), in Chinese
    task.refresh_from_db()
    assert task.status == STATUS.DONE
    # The review recorded once, not twice.
    assert AuditEvent.objects.filter(action="assessment.approve").count() == 1
    assert Task.objects.filter(process=task.process, flow_task=HouseholdFlow.review).count() == 1


@pytest.mark.django_db
def test_a_step_done_on_its_page_only_is_refused_through_the_api(world):
    task = h.open_task(h.household_process(world.h_a1), HouseholdFlow.assess)
    _row, token = api_token_create(actor=world.caseworker1, name="脚本", access="write")
    row = _api(token).get(f"/api/v1/tasks/{task.pk}/").json()
    assert row["completable"] is False
    refused = _api(token).post(
        f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"] == "此步骤请在页面上办理，不能通过接口办理。"
    task.refresh_from_db()
    assert task.status == STATUS.NEW


@pytest.mark.django_db
def test_a_task_taken_by_a_colleague_is_a_conflict_not_missing(client, world):
    task = _review_task(client, world)
    colleague = world.manager
    other = type(world.manager).objects.create_user("manager2")
    other.groups.set(world.manager.groups.all())
    jurisdiction_grant_site(actor=world.admin, user=other, site=world.site_a)
    page = Client()
    page.force_login(colleague)
    assert page.post(h.url(task, "assign")).status_code == 302
    _row, token = api_token_create(actor=other, name="脚本", access="write")
    response = _api(token).post(
        f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 409, response.content
    assert "manager" in response.json()["errors"][0]["message"]
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.ASSIGNED, colleague)
