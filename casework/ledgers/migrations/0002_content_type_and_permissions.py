# The rows that name LedgerImport's app follow it from reports to ledgers: its content type is
# renamed in place, so its permissions (ledgers.import_ledger, add/change/delete/view) and every
# row that points at them (groups, users, guardian's object permissions) keep their ids. The
# dashboard's right stays in reports, now on CaseFileBatch's content type.
#
# On a new database nothing is there yet: post_migrate creates the content types and permissions
# after every migration has run.

from django.contrib.contenttypes.models import ContentType as CurrentContentType
from django.db import migrations

MODEL = 'ledgerimport'
DASHBOARD = 'view_dashboard'


def _move(apps, schema_editor, *, source, target):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    Permission = apps.get_model('auth', 'Permission')
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    old = types.filter(app_label=source, model=MODEL).first()
    if old is None:
        return
    # A copy that a post_migrate between two migrate runs made is new and unused: the old rows,
    # with their grants, take its place (the roles are set again after this migrate).
    types.filter(app_label=target, model=MODEL).delete()
    old.app_label = target
    old.save(update_fields=['app_label'])
    batch, _created = types.get_or_create(app_label='reports', model='casefilebatch')
    dashboard_from, dashboard_to = (old, batch) if target == 'ledgers' else (batch, old)
    permissions = Permission.objects.using(db)
    if permissions.filter(content_type=dashboard_from, codename=DASHBOARD).exists():
        permissions.filter(content_type=dashboard_to, codename=DASHBOARD).delete()
        permissions.filter(content_type=dashboard_from, codename=DASHBOARD).update(
            content_type=dashboard_to
        )
    CurrentContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _move(apps, schema_editor, source='reports', target='ledgers')


def backwards(apps, schema_editor):
    _move(apps, schema_editor, source='ledgers', target='reports')


class Migration(migrations.Migration):

    dependencies = [
        ('ledgers', '0001_initial'),
        ('reports', '0003_ledger_import_moves_to_ledgers'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
