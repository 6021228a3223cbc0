"""An index on viewflow's tasks by process and status: a user's queue and inbox are the open
tasks of the processes in their scope (``workflows.scoping``), found process by process from the
scope keys, whatever the number of open tasks in the city."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workflows", "0007_process_scope_fill"), ("viewflow", "0015_task_scheduled")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX wf_task_process_status ON viewflow_task (process_id, status)",
            "DROP INDEX wf_task_process_status",
        )
    ]
