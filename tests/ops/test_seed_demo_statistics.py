"""On PostgreSQL seed_demo leaves planner statistics behind: without them the workbench's task
queries were estimated at millions of rows and JIT-compiled, ~5 s each, on a demo of 51
households (the first page after a login took ~10 s)."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from viewflow.workflow.models import Task

from workflows.selectors import due_first, queue_tasks, with_subject

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="planner statistics and JIT are PostgreSQL's"
)


def _setting(cursor, name: str) -> float:
    cursor.execute("SELECT setting::float FROM pg_settings WHERE name = %s", [name])
    return cursor.fetchone()[0]


def test_seed_demo_analyzes_the_tables_it_wrote(db):
    call_command("seed_demo", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Task._meta.db_table])
        assert cursor.fetchone()[0] == Task.objects.count()


def test_the_workbench_task_query_stays_below_the_jit_threshold_after_seed_demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    caseworker = get_user_model().objects.get(username="caseworker1")
    plan = json.loads(due_first(with_subject(queue_tasks(caseworker)))[:3].explain(format="json"))
    with connection.cursor() as cursor:
        jit_above_cost = _setting(cursor, "jit_above_cost")
    assert plan[0]["Plan"]["Total Cost"] < jit_above_cost


def test_the_application_connects_without_jit(db):
    """Statistics can be missing in real use too (a new or truncated table): the connection
    turns JIT off, so a misestimated short query is never compiled for seconds."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
