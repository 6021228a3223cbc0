# Each foreign key below leads another index of its table: the plain index Django made for
# it is dropped by name (``casework.common.indexes.plain_indexes_dropped`` says why and how).

import django.db.models.deletion
from django.db import migrations, models

from casework.common.indexes import plain_indexes_dropped

# (table, column, the index Django made for the foreign key)
INDEXES = [
    (
        "monitoring_monitoringincome",
        "monitored_id",
        "monitoring_monitoringincome_monitored_id_21f5b592",
    ),
    ("monitoring_monthlyworkrecord", "grid_id", "monitoring_monthlyworkrecord_grid_id_9ac90167"),
    (
        "monitoring_monthlyworkrecord",
        "household_id",
        "monitoring_monthlyworkrecord_household_id_0ff9bbb4",
    ),
    (
        "monitoring_monthlyworkrecord",
        "member_id",
        "monitoring_monthlyworkrecord_member_id_214e360d",
    ),
    ("monitoring_qualityfinding", "run_id", "monitoring_qualityfinding_run_id_536d4600"),
    ("monitoring_workmonthclosure", "site_id", "monitoring_workmonthclosure_site_id_6591e15b"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0005_work_month_household_required"),
        ("registry", "0011_foreign_key_indexes_led_by_others"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=plain_indexes_dropped(INDEXES),
            state_operations=[
                migrations.AlterField(
                    model_name="monitoringincome",
                    name="monitored",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="incomes",
                        to="monitoring.monitoredhousehold",
                        verbose_name="monitored household",
                    ),
                ),
                migrations.AlterField(
                    model_name="monthlyworkrecord",
                    name="grid",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="work_months",
                        to="registry.grid",
                        verbose_name="grid",
                    ),
                ),
                migrations.AlterField(
                    model_name="monthlyworkrecord",
                    name="household",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.household",
                        verbose_name="household",
                    ),
                ),
                migrations.AlterField(
                    model_name="monthlyworkrecord",
                    name="member",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="work_months",
                        to="registry.member",
                        verbose_name="member",
                    ),
                ),
                migrations.AlterField(
                    model_name="qualityfinding",
                    name="run",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="findings",
                        to="monitoring.qualityrun",
                        verbose_name="run",
                    ),
                ),
                migrations.AlterField(
                    model_name="workmonthclosure",
                    name="site",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="closed_work_months",
                        to="registry.site",
                        verbose_name="site",
                    ),
                ),
            ],
        ),
    ]
