# Each foreign key below leads another index of its table: the plain index Django made for
# it is dropped by name (``casework.common.indexes.plain_indexes_dropped`` says why and how).

import django.db.models.deletion
from django.db import migrations, models

from casework.common.indexes import plain_indexes_dropped

# (table, column, the index Django made for the foreign key)
INDEXES = [
    ("cases_assessment", "member_id", "cases_assessment_member_id_027c5c6b"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_codes_from_the_code_list"),
        ("registry", "0011_foreign_key_indexes_led_by_others"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=plain_indexes_dropped(INDEXES),
            state_operations=[
                migrations.AlterField(
                    model_name="assessment",
                    name="member",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assessments",
                        to="registry.member",
                        verbose_name="member",
                    ),
                ),
            ],
        ),
    ]
