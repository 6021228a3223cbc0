"""LedgerImport moves from reports to ledgers without losing anything: on a database migrated
before the move, the imports stay, and the managers keep the import and dashboard rights (their
role's, their own and guardian's object permissions), now named ``ledgers.import_ledger`` and
``reports.view_dashboard``."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from guardian.models import UserObjectPermission

from casework.ledgers.models import LedgerImport
from casework.permissions import roles
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("reports", "0002_ledger_import"), ("ledgers", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def test_an_existing_database_keeps_its_imports_and_rights():
    manager = factories.user("manager", roles.MANAGER)
    caseworker = factories.user("caseworker1", roles.CASEWORKER)
    old_apps = _migrate(BEFORE)
    assert ContentType.objects.filter(app_label="reports", model="ledgerimport").exists()
    old = old_apps.get_model("reports", "LedgerImport").objects.create(
        requested_by_id=manager.pk, original_name="台账.xlsx", status="done", households_created=3
    )
    old_type = ContentType.objects.get(app_label="reports", model="ledgerimport")
    caseworker.user_permissions.add(Permission.objects.get(codename="import_ledger"))
    view = Permission.objects.get(content_type=old_type, codename="view_ledgerimport")
    # As the old code stored it (bulk_create: guardian's save() looks up the current model).
    UserObjectPermission.objects.bulk_create(
        [UserObjectPermission(user=caseworker, content_type=old_type, object_pk=str(old.pk),
                              permission=view)]
    )  # fmt: skip

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    job = LedgerImport.objects.get(pk=old.pk)
    assert (job.original_name, job.households_created, job.requested_by) == (
        "台账.xlsx",
        3,
        manager,
    )
    assert not ContentType.objects.filter(app_label="reports", model="ledgerimport").exists()
    manager = get_user_model().objects.get(pk=manager.pk)
    assert manager.has_perm("ledgers.import_ledger") and manager.has_perm("reports.view_dashboard")
    caseworker = get_user_model().objects.get(pk=caseworker.pk)
    assert caseworker.has_perm("ledgers.import_ledger")
    assert not caseworker.has_perm("reports.view_dashboard")
    assert caseworker.has_perm("ledgers.view_ledgerimport", job)
    dashboard = Permission.objects.get(codename="view_dashboard")
    assert (dashboard.content_type.app_label, dashboard.content_type.model) == (
        "reports",
        "casefilebatch",
    )
