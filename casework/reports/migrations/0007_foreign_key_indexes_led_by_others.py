# Each foreign key below leads another index of its table (a unique constraint's or a composite
# index), which serves its lookups and its checks: the plain index Django made for it is dropped
# by name (``tests/test_indexes.py`` finds any index that begins another). Said as an
# AlterField, Django would also drop and re-add the foreign key on PostgreSQL (checking every
# row again under a lock) and rebuild the table on SQLite, for an index.

import django.db.models.deletion
from django.db import migrations, models

# (table, column, the index Django made for the foreign key)
INDEXES = [
    ("reports_griddailyfigures", "grid_id", "reports_griddailyfigures_grid_id_22696658"),
    ("reports_sitedailyfigures", "site_id", "reports_sitedailyfigures_site_id_52ca68d2"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0011_foreign_key_indexes_led_by_others"),
        ("reports", "0006_month_figures"),
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
                    model_name="griddailyfigures",
                    name="grid",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="registry.grid",
                        verbose_name="grid",
                    ),
                ),
                migrations.AlterField(
                    model_name="sitedailyfigures",
                    name="site",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="registry.site",
                        verbose_name="site",
                    ),
                ),
            ],
        ),
    ]
