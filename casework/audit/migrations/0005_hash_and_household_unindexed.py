"""The events' hash loses its unique index (and its pattern index on PostgreSQL): each event's
hash is a random key, and keeping it indexed cost two reads and writes at random places in 1.7 GB
of index per event at city scale. ``seq`` stays unique and orders the chain; verification walks
the chain by ``seq``. The household column's own index goes too: the unique index on
(household, number within the household) begins with it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_hash_scheme_head_is_last_event"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(max_length=64, verbose_name="hash"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="household_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="household"),
        ),
    ]
