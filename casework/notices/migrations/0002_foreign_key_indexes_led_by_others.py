# Each foreign key below leads another index of its table (a unique constraint's or a composite
# index), which serves its lookups and its checks: the plain index Django made for it is dropped
# by name (``tests/test_indexes.py`` finds any index that begins another). Said as an
# AlterField, Django would also drop and re-add the foreign key on PostgreSQL (checking every
# row again under a lock) and rebuild the table on SQLite, for an index.

import django.db.models.deletion
from django.db import migrations, models

# (table, column, the index Django made for the foreign key)
INDEXES = [
    ("notices_publicnotice", "subject_type_id", "notices_publicnotice_subject_type_id_449c4063"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notices", "0001_initial"),
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
                    model_name="publicnotice",
                    name="subject_type",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
        ),
    ]
