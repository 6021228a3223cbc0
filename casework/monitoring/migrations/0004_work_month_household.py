"""Each monthly work record keeps the household its member belonged to when the month was
entered (filled here from the member's household now), so that a later split leaves the month's
households as they were."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    record = apps.get_model("monitoring", "MonthlyWorkRecord")
    member = apps.get_model("registry", "Member")
    household = member.objects.filter(pk=OuterRef("member_id")).values("household_id")[:1]
    record.objects.filter(household__isnull=True).update(household_id=Subquery(household))


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0003_quality_findings"),
        ("registry", "0009_county_figures_right"),
    ]

    operations = [
        migrations.AddField(
            model_name="monthlyworkrecord",
            name="household",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.household",
                verbose_name="household",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
