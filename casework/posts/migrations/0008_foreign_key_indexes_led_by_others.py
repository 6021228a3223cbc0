# Each foreign key below leads another index of its table: the plain index Django made for
# it is dropped by name (``casework.common.indexes.plain_indexes_dropped`` says why and how).

import django.db.models.deletion
from django.db import migrations, models

from casework.common.indexes import plain_indexes_dropped

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
            database_operations=plain_indexes_dropped(INDEXES),
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
