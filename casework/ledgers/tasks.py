"""The ledgers' background tasks (django-tasks): the import of an uploaded household ledger."""

from django_tasks import task

from .import_job import ledger_import_work


@task()
def ledger_import_task(import_id: int) -> bool:
    """Check and import one uploaded ledger (``import_job.ledger_import_work``)."""
    return ledger_import_work(import_id)
