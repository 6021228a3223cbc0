# A process's scope keys (household, grid, site) are each the first column of a composite index
# (wf_scope_household, wf_scope_grid, wf_scope_site), which serves their foreign keys' checks
# too: the plain index Django made for each foreign key is dropped by name
# (``casework.common.indexes.plain_indexes_dropped`` says why and how).

import django.db.models.deletion
from django.db import migrations, models

from casework.common.indexes import plain_indexes_dropped

INDEXES = [
    ("workflows_processscope", "household_id", "workflows_processscope_household_id_453895f3"),
    ("workflows_processscope", "grid_id", "workflows_processscope_grid_id_fc035877"),
    ("workflows_processscope", "site_id", "workflows_processscope_site_id_65fccb31"),
]


def _key(to: str, verbose_name: str, on_delete) -> models.ForeignKey:
    return models.ForeignKey(
        db_index=False, on_delete=on_delete, related_name="+", to=to, verbose_name=verbose_name
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_county_figures_right"),
        ("workflows", "0015_deadline_open_grid_partial_index_only"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=plain_indexes_dropped(INDEXES),
            state_operations=[
                migrations.AlterField(
                    model_name="processscope",
                    name="household",
                    field=_key(
                        "registry.household", "household", django.db.models.deletion.CASCADE
                    ),
                ),
                migrations.AlterField(
                    model_name="processscope",
                    name="grid",
                    field=_key("registry.grid", "grid", django.db.models.deletion.PROTECT),
                ),
                migrations.AlterField(
                    model_name="processscope",
                    name="site",
                    field=_key("registry.site", "site", django.db.models.deletion.PROTECT),
                ),
            ],
        ),
    ]
