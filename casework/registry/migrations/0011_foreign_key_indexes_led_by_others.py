# Each foreign key below leads another index of its table: the plain index Django made for
# it is dropped by name (``casework.common.indexes.plain_indexes_dropped`` says why and how).

import django.db.models.deletion
from django.db import migrations, models

from casework.common.indexes import plain_indexes_dropped

# (table, column, the index Django made for the foreign key)
INDEXES = [
    ("registry_buildingleader", "grid_id", "registry_buildingleader_grid_id_dd7bba38"),
    ("registry_grid", "site_id", "registry_grid_site_id_135b73fd"),
    ("registry_household", "grid_id", "registry_household_grid_id_b02cdbb9"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_member_search_prefix_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=plain_indexes_dropped(INDEXES),
            state_operations=[
                migrations.AlterField(
                    model_name="buildingleader",
                    name="grid",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="building_leaders",
                        to="registry.grid",
                    ),
                ),
                migrations.AlterField(
                    model_name="grid",
                    name="site",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="grids",
                        to="registry.site",
                        verbose_name="site",
                    ),
                ),
                migrations.AlterField(
                    model_name="household",
                    name="grid",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="households",
                        to="registry.grid",
                        verbose_name="grid",
                    ),
                ),
            ],
        ),
    ]
