"""Who may do and see what in the flows (acceptance 2 and 3)."""

import pytest
from viewflow.workflow.flow.nodes import Start, View
from viewflow.workflow.models import Task

from casework.cases.models import Category
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow, HouseholdFlow, MemberAssessmentFlow
from workflows.locks import process_lock
from workflows.viewsets import FLOWS

pytestmark = pytest.mark.django_db


def _all_flows():
    """Every Flow class defined in workflows.flows, whether or not a viewset shows it."""
    from viewflow.workflow.flow import Flow

    import workflows.flows

    return [
        value
        for value in vars(workflows.flows).values()
        if isinstance(value, type) and issubclass(value, Flow) and value is not Flow
    ]


def test_every_flow_locks_with_select_for_update():
    assert len(_all_flows()) == 6
    for flow_class in _all_flows():
        # SELECT … FOR UPDATE SKIP LOCKED on the process row, retried (workflows.locks).
        assert flow_class.lock_impl is process_lock, flow_class


def test_every_human_node_has_an_object_permission():
    human = [
        node
        for flow_class in _all_flows()
        for node in flow_class.instance.nodes()
        if isinstance(node, View | Start)
    ]
    assert len(human) == 18
    unguarded = [node.name for node in human if not node._owner_permission]
    assert unguarded == []
    assert all(node._owner_permission_obj for node in human)
    assert all(node.deadline_key for node in human)


def test_every_flow_is_shown_by_the_scoped_viewsets():
    from workflows.flows import PostVacancyFlow, RiskEliminationFlow, ServiceRequestFlow

    expected = {
        HouseholdFlow,
        EmploymentFlow,
        MemberAssessmentFlow,
        PostVacancyFlow,
        ServiceRequestFlow,
        RiskEliminationFlow,
    }
    assert set(FLOWS) == set(_all_flows()) == expected


@pytest.fixture
def case_in_a1(client, world, assessed):
    """An employment case in grid A1 with an open placement task assigned to caseworker1."""
    case = assessed(Category.CAPABLE)
    process = h.employment_process(case)
    task = h.open_task(process, EmploymentFlow.placement)
    client.force_login(world.caseworker1)
    client.post(h.url(task, "assign"))
    client.logout()
    return process, task


def test_other_grid_caseworker_gets_404_on_every_url_of_the_case(client, world, case_in_a1):
    process, task = case_in_a1
    household_task = Task.objects.filter(process=h.household_process(world.h_a1)).last()
    client.force_login(world.caseworker2)
    urls = [
        EmploymentFlow.instance.reverse("process_detail", args=[process.pk]),
        h.url(task, "detail"),
        h.url(task, "index"),
        h.url(task, "execute"),
        h.url(task, "assign"),
        h.url(task, "unassign"),
        h.url(household_task, "detail"),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, h.placement_data()).status_code == 404, url
    task.refresh_from_db()
    assert task.owner == world.caseworker1


def test_other_grid_caseworker_cannot_take_a_free_task(client, world, assessed):
    process = h.employment_process(assessed(Category.CAPABLE))
    task = h.open_task(process, EmploymentFlow.placement)
    client.force_login(world.caseworker2)
    assert client.post(h.url(task, "assign")).status_code == 404
    task.refresh_from_db()
    assert task.owner is None


def test_task_of_another_process_in_the_url_is_404(client, world, case_in_a1):
    process, task = case_in_a1
    other = h.household_process(world.h_a1)
    client.force_login(world.caseworker1)
    url = EmploymentFlow.placement.reverse("detail", args=[other.pk, task.pk])
    assert client.get(url).status_code == 404


def test_lists_never_show_a_case_outside_the_grid(client, world, case_in_a1):
    process, task = case_in_a1
    h_a2_process = h.household_process(world.h_a2)
    pages = [
        "/workflow/inbox/",
        "/workflow/queue/",
        "/workflow/archive/",
        "/workflow/overdue/",
        HouseholdFlow.instance.reverse("process_list"),
        HouseholdFlow.instance.reverse("task_list"),
        EmploymentFlow.instance.reverse("process_list"),
        EmploymentFlow.instance.reverse("task_list"),
    ]
    client.force_login(world.caseworker2)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        text = response.content.decode()
        assert "A1-0001" not in text, page
        assert "甲户主" not in text, page
    # caseworker2 does see their own household's assessment in the queue and lists.
    assert "A2-0001" in client.get("/workflow/queue/").content.decode()
    assert "A2-0001" in client.get(HouseholdFlow.instance.reverse("process_list")).content.decode()
    assert f"/{h_a2_process.pk}/" in client.get("/workflow/queue/").content.decode()

    client.force_login(world.caseworker1)
    assert "甲户主" in client.get("/workflow/inbox/").content.decode()
    assert client.get(h.url(task, "execute")).status_code == 200


def test_flow_index_redirects_to_the_scoped_process_list(client, world):
    client.force_login(world.caseworker1)
    response = client.get(HouseholdFlow.instance.reverse("index"))
    assert response.status_code == 302
    assert response["Location"] == HouseholdFlow.instance.reverse("process_list")


@pytest.mark.parametrize("persona", ["trainer", "outsider"])
def test_roles_without_casework_cannot_open_the_workflow_app(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get("/workflow/inbox/").status_code == 403


def test_a_helper_sees_only_the_household_flow_of_paired_households(client, world, assessed):
    case = assessed(Category.CAPABLE)
    client.force_login(world.helper)
    assert client.get("/workflow/inbox/").status_code == 200
    processes = client.get(HouseholdFlow.instance.reverse("process_list")).content.decode()
    assert "A1-0001" in processes and "A2-0001" not in processes
    employment = EmploymentFlow.instance.reverse("process_detail", args=[case.process.pk])
    assert client.get(employment).status_code == 403  # not the members' employment cases


def test_manager_sees_the_site_and_reviews_but_not_caseworker_steps(client, world):
    process = h.household_process(world.h_a1)
    assess = h.open_task(process, HouseholdFlow.assess)
    client.force_login(world.manager)
    assert (
        client.get(HouseholdFlow.instance.reverse("process_detail", args=[process.pk])).status_code
        == 200
    )
    assert client.post(h.url(assess, "assign")).status_code == 403
    other_site = h.household_process(world.h_b1)
    url = HouseholdFlow.instance.reverse("process_detail", args=[other_site.pk])
    assert client.get(url).status_code == 404


def test_household_page_shows_progress_and_links_the_processes_for_caseworkers(
    client, world, assessed
):
    case = assessed(Category.CAPABLE)
    url = f"/registry/household/{world.h_a1.pk}/"
    client.force_login(world.caseworker1)
    page = client.get(url).content.decode()
    assert "帮扶进展" in page and "待就业" in page
    process_url = EmploymentFlow.instance.reverse("process_detail", args=[case.process.pk])
    assert process_url in page
    client.force_login(world.helper)  # sees the household, but no workflow pages
    page = client.get(url).content.decode()
    assert "待就业" in page and process_url not in page
