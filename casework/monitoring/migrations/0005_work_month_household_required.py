"""Every monthly work record names its household (filled by 0004), from now on required."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0004_work_month_household"),
    ]

    operations = [
        migrations.AlterField(
            model_name="monthlyworkrecord",
            name="household",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.household",
                verbose_name="household",
            ),
        ),
        migrations.AddIndex(
            model_name="monthlyworkrecord",
            index=models.Index(fields=["household", "month"], name="work_month_by_household"),
        ),
    ]
