# Each foreign key below leads another index of its table: the plain index Django made for
# it is dropped by name (``casework.common.indexes.plain_indexes_dropped`` says why and how).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from casework.common.indexes import plain_indexes_dropped

# (table, column, the index Django made for the foreign key)
INDEXES = [
    ("accounts_substitution", "absent_id", "accounts_substitution_absent_id_8634804c"),
    ("accounts_substitution", "substitute_id", "accounts_substitution_substitute_id_d0faef85"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_substitution"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=plain_indexes_dropped(INDEXES),
            state_operations=[
                migrations.AlterField(
                    model_name="substitution",
                    name="absent",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="absent caseworker",
                    ),
                ),
                migrations.AlterField(
                    model_name="substitution",
                    name="substitute",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="substitute",
                    ),
                ),
            ],
        ),
    ]
