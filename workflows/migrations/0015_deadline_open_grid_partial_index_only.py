# The deadline's grid keeps only its partial index (wf_deadline_open_grid): the plain index
# Django made for the foreign key is dropped by name. Said as an AlterField, Django would also
# drop and re-add the foreign key on PostgreSQL (checking every deadline again under a lock) and
# rebuild the table on SQLite, for an index.

import django.db.models.deletion
from django.db import migrations, models

INDEX = "workflows_taskdeadline_open_grid_id_f13b9198"


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_county_figures_right"),
        ("workflows", "0014_taskdeadline_open_grid"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=(
                        f'CREATE INDEX "{INDEX}" ON "workflows_taskdeadline" ("open_grid_id")'
                    ),
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="taskdeadline",
                    name="open_grid",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.grid",
                        verbose_name="grid while open",
                    ),
                ),
            ],
        ),
    ]
