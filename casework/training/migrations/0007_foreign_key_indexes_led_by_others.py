# Each foreign key below leads another index of its table: the plain index Django made for
# it is dropped by name (``casework.common.indexes.plain_indexes_dropped`` says why and how).

import django.db.models.deletion
from django.db import migrations, models

from casework.common.indexes import plain_indexes_dropped

# (table, column, the index Django made for the foreign key)
INDEXES = [
    ("training_attendance", "session_id", "training_attendance_session_id_b12de9a0"),
    ("training_enrolment", "member_id", "training_enrolment_member_id_94a14a85"),
    ("training_session", "course_id", "training_session_course_id_e49368c8"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0011_foreign_key_indexes_led_by_others"),
        ("training", "0006_codes_from_the_code_list"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=plain_indexes_dropped(INDEXES),
            state_operations=[
                migrations.AlterField(
                    model_name="attendance",
                    name="session",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendance",
                        to="training.session",
                        verbose_name="session",
                    ),
                ),
                migrations.AlterField(
                    model_name="enrolment",
                    name="member",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="enrolments",
                        to="registry.member",
                        verbose_name="member",
                    ),
                ),
                migrations.AlterField(
                    model_name="session",
                    name="course",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sessions",
                        to="training.course",
                        verbose_name="course",
                    ),
                ),
            ],
        ),
    ]
