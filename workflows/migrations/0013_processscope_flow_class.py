"""Each process's scope keys also carry its flow (``viewflow_process.flow_class``, which never
changes), indexed after the grid: a flow's process list for a county's ninety grids is counted
and paged from that index alone, instead of reading 27,000 processes to check their flow and
sort them.

The column is added empty, filled from viewflow's rows in one statement (a correlated update,
which PostgreSQL and SQLite both run; some thirty seconds at a city's 870,000 processes), then
required."""

import viewflow.workflow.fields
from django.db import migrations, models

FILL = (
    "UPDATE workflows_processscope SET flow_class = ("
    "SELECT p.flow_class FROM viewflow_process p "
    "WHERE p.id = workflows_processscope.process_id)"
)


def fill(apps, schema_editor):
    schema_editor.execute(FILL)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0012_task_open_step_index")]

    operations = [
        migrations.AddField(
            model_name="processscope",
            name="flow_class",
            field=viewflow.workflow.fields.FlowReferenceField(
                editable=False, max_length=250, null=True, verbose_name="flow"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="processscope",
            name="flow_class",
            field=viewflow.workflow.fields.FlowReferenceField(
                editable=False, max_length=250, verbose_name="flow"
            ),
        ),
        migrations.AddIndex(
            model_name="processscope",
            index=models.Index(fields=["grid", "flow_class", "process"], name="wf_scope_grid_flow"),
        ),
    ]
