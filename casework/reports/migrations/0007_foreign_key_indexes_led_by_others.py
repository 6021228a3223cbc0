# Each foreign key below leads another index of its table: the plain index Django made for
# it is dropped by name (``casework.common.indexes.plain_indexes_dropped`` says why and how).

import django.db.models.deletion
from django.db import migrations, models

from casework.common.indexes import plain_indexes_dropped

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
            database_operations=plain_indexes_dropped(INDEXES),
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
