# Each foreign key below leads another index of its table (a unique constraint's or a composite
# index), which serves its lookups and its checks: the plain index Django made for it is dropped
# by name (``tests/test_indexes.py`` finds any index that begins another). Said as an
# AlterField, Django would also drop and re-add the foreign key on PostgreSQL (checking every
# row again under a lock) and rebuild the table on SQLite, for an index.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (table, column, the index Django made for the foreign key)
INDEXES = [
    ("workflows_notification", "recipient_id", "workflows_notification_recipient_id_5a4d8910"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0016_scope_keys_composite_indexes_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
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
                    model_name="notification",
                    name="recipient",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recipient",
                    ),
                ),
            ],
        ),
    ]
