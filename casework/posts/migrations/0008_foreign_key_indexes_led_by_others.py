# Each foreign key below leads another index of its table (a unique constraint's or a composite
# index), which serves its lookups and its checks: the plain index Django made for it is dropped
# by name (``tests/test_indexes.py`` finds any index that begins another). Said as an
# AlterField, Django would also drop and re-add the foreign key on PostgreSQL (checking every
# row again under a lock) and rebuild the table on SQLite, for an index.

import django.db.models.deletion
from django.db import migrations, models

# (table, column, the index Django made for the foreign key)
INDEXES = [
    ("posts_postattendance", "assignment_id", "posts_postattendance_assignment_id_07628c21"),
    ("posts_subsidyline", "roll_id", "posts_subsidyline_roll_id_27cb4475"),
    ("posts_subsidyroll", "post_id", "posts_subsidyroll_post_id_667a7ff7"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0007_renewals_terms_apart"),
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
                    model_name="postattendance",
                    name="assignment",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="attendance",
                        to="posts.postassignment",
                        verbose_name="public-welfare post assignment",
                    ),
                ),
                migrations.AlterField(
                    model_name="subsidyline",
                    name="roll",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lines",
                        to="posts.subsidyroll",
                        verbose_name="subsidy roll",
                    ),
                ),
                migrations.AlterField(
                    model_name="subsidyroll",
                    name="post",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rolls",
                        to="posts.welfarepost",
                        verbose_name="public-welfare post",
                    ),
                ),
            ],
        ),
    ]
