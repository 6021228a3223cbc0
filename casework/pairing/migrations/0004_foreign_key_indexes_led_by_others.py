# Each foreign key below leads another index of its table (a unique constraint's or a composite
# index), which serves its lookups and its checks: the plain index Django made for it is dropped
# by name (``tests/test_indexes.py`` finds any index that begins another). Said as an
# AlterField, Django would also drop and re-add the foreign key on PostgreSQL (checking every
# row again under a lock) and rebuild the table on SQLite, for an index.

import django.db.models.deletion
from django.db import migrations, models

# (table, column, the index Django made for the foreign key)
INDEXES = [
    ("pairing_visit", "household_id", "pairing_visit_household_id_c5e6b563"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("pairing", "0003_kind_from_the_code_list"),
        ("registry", "0011_foreign_key_indexes_led_by_others"),
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
                    model_name="visit",
                    name="household",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="visits",
                        to="registry.household",
                        verbose_name="household",
                    ),
                ),
            ],
        ),
    ]
