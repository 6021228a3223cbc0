"""Each open step's deadline carries the grid of its household (``TaskDeadline.open_grid``,
empty once the step is done or cancelled), in a partial index with the due time: a county's
overdue list reads its ninety grids' entries past due there, instead of checking the deadline of
each of its 48,000 open steps.

Filled for the open human steps in one statement from their processes' scope keys (a correlated
update, which PostgreSQL and SQLite both run); the finished steps' deadlines stay empty."""

import django.db.models.deletion
from django.db import migrations, models

OPEN = "('NEW', 'ASSIGNED', 'STARTED')"
FILL = (
    "UPDATE workflows_taskdeadline SET open_grid_id = ("
    "SELECT s.grid_id FROM viewflow_task t "
    "JOIN workflows_processscope s ON s.process_id = t.process_id "
    "WHERE t.id = workflows_taskdeadline.task_id) "
    "WHERE task_id IN (SELECT id FROM viewflow_task "
    f"WHERE status IN {OPEN} AND flow_task_type = 'HUMAN')"
)


def fill(apps, schema_editor):
    schema_editor.execute(FILL)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_county_figures_right"),
        ("workflows", "0013_processscope_flow_class"),
    ]

    operations = [
        migrations.AddField(
            model_name="taskdeadline",
            name="open_grid",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.grid",
                verbose_name="grid while open",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="taskdeadline",
            index=models.Index(
                condition=models.Q(("open_grid__isnull", False)),
                fields=["open_grid", "due_at"],
                name="wf_deadline_open_grid",
            ),
        ),
    ]
