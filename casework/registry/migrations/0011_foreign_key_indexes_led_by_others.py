# Each foreign key below leads another index of its table (a unique constraint's or a composite
# index), which serves its lookups and its checks: the plain index Django made for it is dropped
# by name (``tests/test_indexes.py`` finds any index that begins another). Said as an
# AlterField, Django would also drop and re-add the foreign key on PostgreSQL (checking every
# row again under a lock) and rebuild the table on SQLite, for an index.

import django.db.models.deletion
from django.db import migrations, models

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
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX "{index}" ON "{table}" ("{column}")',
                )
                for table, column, index in INDEXES
            ],
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
