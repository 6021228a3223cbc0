"""Fill the search keys of the members registered before they existed, in batches of rows
(a city's register holds about 800,000 members)."""

from django.db import migrations

from casework.registry.search import SEARCH_KEY_FIELDS, member_search_keys_set

BATCH = 2000


def fill(apps, schema_editor):
    Member = apps.get_model("registry", "Member")
    last = 0
    while True:
        batch = list(
            Member.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "name", "document_number")[:BATCH]
        )
        if not batch:
            return
        for member in batch:
            member_search_keys_set(member)
        Member.objects.bulk_update(batch, SEARCH_KEY_FIELDS)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_member_search_keys"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
