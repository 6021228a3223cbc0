"""Write the scope keys of every process that exists (``workflows.scope.services`` keeps them
from now on). The paths from each process class to its household are those of
``workflows.subjects.SUBJECTS`` when this migration was written."""

from django.db import migrations
from django.db.models import F

PATHS = {
    "HouseholdProcess": "household_case__household",
    "EmploymentProcess": "case__member__household",
    "MemberAssessmentProcess": "household_case__household",
    "PostVacancyProcess": "vacancy__vacated_by__member__household",
    "ServiceRequestProcess": "service_request__household",
}
BATCH = 5000


def fill(apps, schema_editor):
    scope = apps.get_model("workflows", "ProcessScope")
    for name, path in PATHS.items():
        rows = (
            apps.get_model("workflows", name)
            .objects.values("pk")
            .annotate(
                household=F(f"{path}__pk"),
                grid=F(f"{path}__grid_id"),
                site=F(f"{path}__grid__site_id"),
            )
            .order_by("pk")
        )
        batch = []
        for row in rows.iterator(chunk_size=BATCH):
            batch.append(
                scope(
                    process_id=row["pk"],
                    household_id=row["household"],
                    grid_id=row["grid"],
                    site_id=row["site"],
                )
            )
            if len(batch) == BATCH:
                scope.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        scope.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0006_process_scope")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
