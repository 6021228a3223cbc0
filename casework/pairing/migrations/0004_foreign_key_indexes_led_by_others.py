# Each foreign key below leads another index of its table: the plain index Django made for
# it is dropped by name (``casework.common.indexes.plain_indexes_dropped`` says why and how).

import django.db.models.deletion
from django.db import migrations, models

from casework.common.indexes import plain_indexes_dropped

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
            database_operations=plain_indexes_dropped(INDEXES),
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
