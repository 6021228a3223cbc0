"""An index on viewflow's free tasks by step permission and object: a user's queue is the free
tasks whose permission they hold on the task's grid or site (``permissions.step_permission_q``),
read here by those few keys instead of from every free task of the city. Partial: only free
(``NEW``) tasks are in it, a small share of all tasks."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workflows", "0009_process_scope_member"), ("viewflow", "0015_task_scheduled")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX wf_task_free_step ON viewflow_task "
            "(owner_permission, owner_permission_obj_pk) WHERE status = 'NEW'",
            "DROP INDEX wf_task_free_step",
        )
    ]
