"""A flow's process list: the user's own processes of that flow, newest first, counted and paged
from the scope keys (``flow_processes_newest_first``) in a fixed number of queries, however many
processes their jurisdiction holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Process

from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.models import ProcessScope

pytestmark = pytest.mark.django_db

LIST = HouseholdFlow.instance.reverse("process_list")


def _register(grid, count: int, prefix: str) -> None:
    h.households_imported(grid, [f"{prefix}-{n:04d}" for n in range(count)])


def _theirs(grid) -> list[int]:
    """The household flow's processes of a grid, newest first, read from the processes."""
    processes = Process.objects.filter(
        flow_class=HouseholdFlow, householdprocess__household_case__household__grid=grid
    )
    return list(processes.order_by("-pk").values_list("pk", flat=True))


def test_the_list_is_the_users_own_processes_of_the_flow_newest_first_page_by_page(client, world):
    _register(world.grid_a1, 30, "L1")
    _register(world.grid_b1, 5, "L2")  # another site's: never in caseworker1's list
    expected = _theirs(world.grid_a1)
    assert len(expected) == 31  # A1-0001 and the thirty registered here

    client.force_login(world.caseworker1)
    first = client.get(LIST)
    assert first.status_code == 200
    assert first.context["paginator"].count == 31
    assert [process.pk for process in first.context["object_list"]] == expected[:25]
    second = client.get(LIST, {"page": 2})
    assert [process.pk for process in second.context["object_list"]] == expected[25:]
    shown = first.content.decode() + second.content.decode()
    assert "L1-0029" in shown and "A1-0001" in shown
    assert "L2-0000" not in shown and "B1-0001" not in shown
    # Each row carries its subject, as the page shows it, in cells marked for the phone
    # layout (each row a card there, each cell whole under its label).
    assert first.context["object_list"][0].wf_household == "L1-0029"
    page = first.content.decode()
    assert page.count('class="wf-cell wf-cell--household"') == 25
    assert '<span class="wf-cell__label">户</span>L1-0029' in page


def test_another_flows_processes_are_not_in_the_list(client, world, assessed):
    case = assessed()
    employment = h.employment_process(case)
    client.force_login(world.caseworker1)
    households = client.get(LIST).context["object_list"]
    assert employment.pk not in [process.pk for process in households]
    employment_list = client.get(EmploymentFlow.instance.reverse("process_list"))
    assert [process.pk for process in employment_list.context["object_list"]] == [employment.pk]


def test_a_process_keyed_to_another_flow_is_not_listed_as_this_ones(client, world):
    """The list trusts the flow the keys carry: a key that disagrees (written outside the
    services) drops the process from its flow's list until the rebuild puts it right, and
    never shows it in another flow's list as a process of that flow's class."""
    from workflows.scope.selectors import process_scopes_check
    from workflows.scope.services import process_scopes_rebuild

    process = h.household_process(world.h_a1)
    ProcessScope.objects.filter(process=process).update(flow_class=EmploymentFlow)
    assert process_scopes_check().wrong == 1
    client.force_login(world.caseworker1)
    assert process.pk not in [row.pk for row in client.get(LIST).context["object_list"]]
    employment_list = client.get(EmploymentFlow.instance.reverse("process_list"))
    assert list(employment_list.context["object_list"]) == []

    assert process_scopes_rebuild().wrong == 1
    assert ProcessScope.objects.get(process=process).flow_class is HouseholdFlow
    assert process.pk in [row.pk for row in client.get(LIST).context["object_list"]]


def test_the_list_reads_the_same_queries_for_five_and_sixty_processes(
    client, world, django_assert_num_queries
):
    _register(world.grid_a1, 4, "Q1")
    client.force_login(world.caseworker1)
    client.get(LIST)  # sessions and caches warm
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST).status_code == 200
    _register(world.grid_a1, 55, "Q2")
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(LIST)
    assert response.context["paginator"].count == 60
    assert len(response.context["object_list"]) == 25


def test_a_process_is_in_progress_or_finished_in_words_of_a_case(client, world):
    """A running process reads 进行中 (viewflow's "New" is 待认领, a word for a step nobody has
    taken), in the list and on its own page; a finished one 已办结."""
    process = h.household_process(world.h_a1)
    client.force_login(world.caseworker1)
    table = client.get(LIST).content.decode().split("<table", 1)[1]  # not the menu's 待认领
    assert '<span class="wf-cell__label">状态</span>进行中' in table
    assert "待认领" not in table
    detail = client.get(HouseholdFlow.instance.reverse("process_detail", args=[process.pk]))
    assert f"#{process.pk} · 进行中" in detail.content.decode()
    Process.objects.filter(pk=process.pk).update(status="DONE")
    detail = client.get(HouseholdFlow.instance.reverse("process_detail", args=[process.pk]))
    assert f"#{process.pk} · 已办结" in detail.content.decode()
