"""An index of viewflow's open human steps by process, covering the step's id and node: an
overdue list or count over a wide jurisdiction (a county's 80,000 processes at a city's size)
joins the processes in scope to their open steps inside this index alone, instead of reading
every open task's row of the city to check its kind and node, then looks up the deadlines of
those steps only. Partial: finished and automatic steps, most of the table, are not in it.

PostgreSQL keeps the id and node as included columns (no heap reads, ``INCLUDE``); SQLite,
which has no ``INCLUDE``, as trailing keys."""

from django.db import migrations

OPEN_HUMAN = "status IN ('NEW', 'ASSIGNED', 'STARTED') AND flow_task_type = 'HUMAN'"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        columns = "(process_id) INCLUDE (id, flow_task)"
    else:
        columns = "(process_id, id, flow_task)"
    schema_editor.execute(f"CREATE INDEX wf_task_open_step ON viewflow_task {columns} WHERE {OPEN_HUMAN}")


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX wf_task_open_step")


class Migration(migrations.Migration):
    dependencies = [("workflows", "0011_riskeliminationprocess"), ("viewflow", "0015_task_scheduled")]

    operations = [migrations.RunPython(create, drop)]
