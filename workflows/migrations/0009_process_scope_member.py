"""The member each process is about, as a scope key (none for a household's own process), and
its value for every process that exists. The paths are those of ``workflows.subjects.SUBJECTS``
when this migration was written."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

MEMBER_PATHS = {
    "EmploymentProcess": "case__member",
    "MemberAssessmentProcess": "member",
    "PostVacancyProcess": "vacancy__vacated_by__member",
}


def fill(apps, schema_editor):
    scope = apps.get_model("workflows", "ProcessScope")
    for name, path in MEMBER_PATHS.items():
        model = apps.get_model("workflows", name)
        member = model.objects.filter(pk=OuterRef("process_id")).values(f"{path}__pk")[:1]
        scope.objects.filter(process_id__in=model.objects.values("pk")).update(
            member_id=Subquery(member)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_household_origin_address_trigram"),
        ("workflows", "0008_task_process_status_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="processscope",
            name="member",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="registry.member",
                verbose_name="member",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
